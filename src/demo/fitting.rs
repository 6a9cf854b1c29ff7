//! Fits at submission: the score an application stores (`applications.fit_score`) is what the
//! matching engine (`crate::matching::fit_score`, ranking people for an opening) gives the
//! applicant's generated skill profile for the opening's requirements on the day they applied.

use crate::matching::{
    fit_score, Evidence as EngineEvidence, FitContext, HeldSkill, Importance as EngineImportance,
    MatchConfig, Profile, Requirement, SkillGraph, SkillId,
};

use super::market::OppSkill;
use super::random::Day;
use super::skills::{Evidence, PersonSkill};
use super::taxonomy::{Importance, Taxonomy};

/// The engine's view of the demo taxonomy: its related-skills graph and the shipped settings.
pub struct Fitter {
    graph: SkillGraph,
    config: MatchConfig,
}

impl Fitter {
    pub fn new(t: &Taxonomy) -> Fitter {
        let edges = t
            .relations
            .iter()
            .map(|r| (SkillId(r.skill), SkillId(r.related), r.strength as f32));
        Fitter {
            graph: SkillGraph::new(edges),
            config: MatchConfig::default(),
        }
    }

    /// The fit of someone holding `held` for `asked` on `day` (days are relative to today,
    /// as in the model: only their differences matter to the engine).
    pub fn fit(&self, held: &[PersonSkill], asked: &[OppSkill], day: Day) -> u8 {
        let profile = profile(held);
        let requirements: Vec<Requirement> = asked.iter().map(requirement).collect();
        fit_score(
            &profile,
            &requirements,
            &self.graph,
            &self.config,
            &FitContext::people_for_opening(day.0),
        )
    }
}

/// A person's skills as the engine loads them: the confirmation day is the last update.
pub fn profile(held: &[PersonSkill]) -> Profile {
    Profile::new(
        held.iter()
            .map(|s| HeldSkill {
                skill: SkillId(s.skill),
                level: s.level,
                evidence: match s.evidence {
                    Evidence::SelfAssessed => EngineEvidence::SelfAssessed,
                    Evidence::ManagerValidated => EngineEvidence::ManagerValidated,
                    Evidence::CourseCompleted => EngineEvidence::CourseCompleted,
                    Evidence::Assessed => EngineEvidence::Assessed,
                },
                confirmed_on_day: s.updated.day().0,
            })
            .collect(),
    )
}

/// An opening's skill as the engine's requirement.
pub fn requirement(s: &OppSkill) -> Requirement {
    Requirement {
        skill: SkillId(s.skill),
        level: s.level,
        importance: match s.importance {
            Importance::Essential => EngineImportance::Essential,
            Importance::Important => EngineImportance::Important,
            Importance::NiceToHave => EngineImportance::NiceToHave,
        },
    }
}
