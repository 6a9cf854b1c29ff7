//! Suggested career paths: where a job profile can lead, by skill overlap (the profiles a
//! typical holder fits best, through the same score) and by the moves people actually made.

use std::collections::HashMap;

use serde::Serialize;

use super::config::MatchConfig;
use super::context::FitContext;
use super::fit::fit;
use super::model::{Evidence, HeldSkill, Profile, Requirement, SkillGraph};
use super::reason::Fit;

/// A job profile and its required skills (`job_profile_skills`), by dense id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobProfileSkills {
    /// The job profile (dense id).
    pub id: u32,
    /// Its required skills.
    pub requirements: Vec<Requirement>,
}

/// A profile a typical holder of another profile fits, with the fit and its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedPath {
    /// The destination job profile.
    pub profile: u32,
    /// The typical holder's fit for it.
    pub fit: Fit,
}

/// A typical holder of a job profile: exactly its required skills at the levels asked,
/// manager-validated (so nothing is stale).
pub fn typical_holder(requirements: &[Requirement]) -> Profile {
    Profile::new(
        requirements
            .iter()
            .map(|r| HeldSkill {
                skill: r.skill,
                level: r.level,
                evidence: Evidence::ManagerValidated,
                confirmed_on_day: 0,
            })
            .collect(),
    )
}

/// The `k` other profiles a typical holder of `from` fits best (score > 0), best first, ties
/// by profile id. Scored as a manager would see the holder (no rarity, no aspirations).
pub fn suggest_career_paths(
    from: &JobProfileSkills,
    profiles: &[JobProfileSkills],
    graph: &SkillGraph,
    config: &MatchConfig,
    k: usize,
) -> Vec<SuggestedPath> {
    let holder = typical_holder(&from.requirements);
    let ctx = FitContext::people_for_opening(0);
    let mut out: Vec<SuggestedPath> = profiles
        .iter()
        .filter(|p| p.id != from.id)
        .map(|p| SuggestedPath {
            profile: p.id,
            fit: fit(&holder, &p.requirements, graph, config, &ctx),
        })
        .filter(|s| s.fit.score > 0)
        .collect();
    out.sort_by(|a, b| {
        b.fit
            .score
            .cmp(&a.fit.score)
            .then(a.profile.cmp(&b.profile))
    });
    out.truncate(k);
    out
}

/// How many recorded moves went from one job profile to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ObservedMove {
    /// From this job profile.
    pub from: u32,
    /// To this one.
    pub to: u32,
    /// Number of moves.
    pub count: u32,
}

/// Counts moves per (from, to) pair from `moves.from_profile_id -> to_profile_id`, ignoring
/// moves within one profile; sorted by from, then count descending, then to.
pub fn observed_moves(pairs: impl IntoIterator<Item = (u32, u32)>) -> Vec<ObservedMove> {
    let mut counts: HashMap<(u32, u32), u32> = HashMap::new();
    for (from, to) in pairs {
        if from != to {
            *counts.entry((from, to)).or_default() += 1;
        }
    }
    let mut out: Vec<ObservedMove> = counts
        .into_iter()
        .map(|((from, to), count)| ObservedMove { from, to, count })
        .collect();
    out.sort_by(|a, b| {
        a.from
            .cmp(&b.from)
            .then(b.count.cmp(&a.count))
            .then(a.to.cmp(&b.to))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::model::{Importance, SkillId};

    fn req(skill: u32, level: u8) -> Requirement {
        Requirement {
            skill: SkillId(skill),
            level,
            importance: Importance::Essential,
        }
    }

    #[test]
    fn a_typical_holder_fits_the_next_level_of_the_family_best() {
        let junior = JobProfileSkills {
            id: 1,
            requirements: vec![req(0, 2), req(1, 2), req(2, 2)],
        };
        let senior = JobProfileSkills {
            id: 2,
            requirements: vec![req(0, 3), req(1, 3), req(2, 3)],
        };
        let sales = JobProfileSkills {
            id: 3,
            requirements: vec![req(7, 3), req(8, 3)],
        };
        let lateral = JobProfileSkills {
            id: 4,
            requirements: vec![req(0, 2), req(9, 2)],
        };
        let all = [junior.clone(), senior, sales, lateral];
        let got = suggest_career_paths(
            &junior,
            &all,
            &SkillGraph::empty(),
            &MatchConfig::default(),
            5,
        );
        let ids: Vec<u32> = got.iter().map(|s| s.profile).collect();
        assert_eq!(
            ids,
            vec![2, 4],
            "the same profile and zero fits are left out"
        );
        assert_eq!(
            got[0].fit.score, 44,
            "2 of 3 on every skill: (2/3)^2 credit, not capped"
        );
        assert_eq!(
            got[1].fit.score, 40,
            "half the skills, one essential missing: capped from 50"
        );
        assert!(got
            .iter()
            .all(|s| s.fit.points_total() == i32::from(s.fit.score)));
    }

    #[test]
    fn observed_moves_are_counted_per_pair() {
        let got = observed_moves([(1, 2), (1, 2), (1, 3), (2, 2), (2, 1)]);
        assert_eq!(
            got,
            vec![
                ObservedMove {
                    from: 1,
                    to: 2,
                    count: 2
                },
                ObservedMove {
                    from: 1,
                    to: 3,
                    count: 1
                },
                ObservedMove {
                    from: 2,
                    to: 1,
                    count: 1
                },
            ]
        );
    }
}
