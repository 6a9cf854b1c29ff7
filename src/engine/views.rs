//! The engine's answers as clients see them: uuids and names instead of dense ids, every
//! reason with its sentence. These are the JSON shapes of the matching endpoints.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::matching::{Evidence, Fit, Importance, LearningPath, Outcome, Reason, SkillId, WhatIf};

use super::Live;

/// A fit score with its reasons; the reasons' points add up to the score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FitView {
    /// 0..=100.
    pub score: u8,
    /// One line before the details: "Meets 8 of 10 skills; gaps: Kubernetes (2 of 4), SQL".
    pub headline: String,
    pub reasons: Vec<ReasonView>,
}

impl FitView {
    /// The points the skill reasons earn, after the essential cap: the whole score of a fit,
    /// the fit part of a relevance.
    pub fn skill_points(&self) -> i32 {
        self.reasons
            .iter()
            .filter(|r| r.kind == "skill" || r.kind == "essential_cap")
            .map(|r| r.points)
            .sum()
    }
}

/// One line of a score's explanation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonView {
    /// `skill`, `overlap` (how much of the person's strengths the opening uses), `direction`
    /// (up, at the same level, a stretch, down), `preference`, `aspiration` or `essential_cap`.
    pub kind: &'static str,
    /// The sentence shown to people.
    pub message: String,
    /// Points this reason adds (negative for the cap).
    pub points: i32,
    /// For skill reasons: the required skill.
    pub skill_id: Option<Uuid>,
    pub skill: Option<String>,
    /// essential, important or nice_to_have.
    pub importance: Option<&'static str>,
    pub level_asked: Option<u8>,
    pub level_held: Option<u8>,
    /// self_assessed, manager_validated, course_completed or assessed.
    pub evidence: Option<&'static str>,
    /// A self-assessment older than the policy's limit, counted less.
    pub stale: bool,
    /// met, partly_met, met_through_related or missing.
    pub outcome: Option<&'static str>,
    /// The related skill that earned credit, if any.
    pub related_skill_id: Option<Uuid>,
    pub related_skill: Option<String>,
    pub related_strength: Option<f32>,
}

fn importance(i: Importance) -> &'static str {
    i.as_db()
}

fn evidence(e: Evidence) -> &'static str {
    e.as_db()
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "met",
        Outcome::PartlyMet => "partly_met",
        Outcome::MetThroughRelated => "met_through_related",
        Outcome::Missing => "missing",
    }
}

impl Live {
    fn skill_uuid(&self, s: SkillId) -> Option<Uuid> {
        self.ids.skill_uuid(s)
    }

    fn skill_name(&self, s: SkillId) -> String {
        crate::matching::Names::skill(self, s)
    }

    /// A fit as clients see it.
    pub fn fit_view(&self, fit: &Fit) -> FitView {
        let reasons = fit
            .reasons
            .iter()
            .map(|r| {
                let mut v = ReasonView {
                    kind: match r {
                        Reason::Skill(_) => "skill",
                        Reason::Overlap(_) => "overlap",
                        Reason::Direction(_) => "direction",
                        Reason::Preference(_) => "preference",
                        Reason::Aspiration(_) => "aspiration",
                        Reason::EssentialCap(_) => "essential_cap",
                    },
                    message: r.message(self),
                    points: r.points(),
                    skill_id: None,
                    skill: None,
                    importance: None,
                    level_asked: None,
                    level_held: None,
                    evidence: None,
                    stale: false,
                    outcome: None,
                    related_skill_id: None,
                    related_skill: None,
                    related_strength: None,
                };
                if let Reason::Skill(s) = r {
                    v.skill_id = self.skill_uuid(s.skill);
                    v.skill = Some(self.skill_name(s.skill));
                    v.importance = Some(importance(s.importance));
                    v.level_asked = Some(s.level_asked);
                    v.level_held = s.level_held;
                    v.evidence = s.evidence.map(evidence);
                    v.stale = s.stale;
                    v.outcome = Some(outcome(s.outcome));
                    if let Some(via) = &s.via_related {
                        v.related_skill_id = self.skill_uuid(via.skill);
                        v.related_skill = Some(self.skill_name(via.skill));
                        v.related_strength = Some(via.strength);
                    }
                }
                v
            })
            .collect();
        FitView {
            score: fit.score,
            headline: self.headline(fit),
            reasons,
        }
    }

    /// "Meets 8 of 10 skills; gaps: Kubernetes (2 of 4), SQL": the skills met, then the
    /// others, essential first (held level of the level asked, or just the name if not held).
    fn headline(&self, fit: &Fit) -> String {
        let skills: Vec<_> = fit.skill_reasons().collect();
        let met = skills.iter().filter(|r| r.outcome == Outcome::Met).count();
        if skills.is_empty() {
            return "This opening lists no skills to match on".to_owned();
        }
        let mut gaps: Vec<_> = skills
            .iter()
            .filter(|r| r.outcome != Outcome::Met)
            .collect();
        gaps.sort_by_key(|r| r.importance);
        let named: Vec<String> = gaps
            .iter()
            .map(|r| match r.level_held {
                Some(h) => format!("{} ({h} of {})", self.skill_name(r.skill), r.level_asked),
                None => self.skill_name(r.skill),
            })
            .collect();
        let noun = if skills.len() == 1 { "skill" } else { "skills" };
        let mut line = format!("Meets {met} of {} {noun}", skills.len());
        if !named.is_empty() {
            line.push_str("; gaps: ");
            line.push_str(&named.join(", "));
        }
        line
    }

    /// A learning path with its what-if scores as clients see it.
    pub fn path_view(&self, path: &LearningPath, what_if: &WhatIf, weekly_hours: f32) -> PathView {
        let steps = path
            .steps
            .iter()
            .zip(what_if.steps.iter())
            .map(|(step, effect)| StepView {
                course_id: self.ids.course_uuid(step.course).unwrap_or_default(),
                hours: step.hours,
                raises: step
                    .raises
                    .iter()
                    .map(|r| RaiseView {
                        skill_id: self.skill_uuid(r.skill).unwrap_or_default(),
                        skill: self.skill_name(r.skill),
                        from: r.from,
                        to: r.to,
                    })
                    .collect(),
                score_before: effect.before,
                score_after: effect.after,
                title: String::new(),
            })
            .collect();
        PathView {
            score_now: what_if.before,
            score_after_path: what_if.after,
            total_hours: path.total_hours,
            weekly_learning_hours: weekly_hours,
            weeks_to_ready: crate::matching::weeks_to_ready(path.total_hours, weekly_hours),
            steps,
            unclosable: path
                .unclosable
                .iter()
                .map(|g| GapView {
                    skill_id: self.skill_uuid(g.skill).unwrap_or_default(),
                    skill: self.skill_name(g.skill),
                    have: g.have,
                    need: g.need,
                    mentors: Vec::new(),
                    projects: Vec::new(),
                })
                .collect(),
            exact: path.exact,
        }
    }
}

/// A course of a learning path, with what it does to the score ("62 -> 78").
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepView {
    pub course_id: Uuid,
    pub title: String,
    pub hours: f32,
    pub raises: Vec<RaiseView>,
    /// The score before and after this course (courses taken in order).
    pub score_before: u8,
    pub score_after: u8,
}

/// A skill a course raises.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RaiseView {
    pub skill_id: Uuid,
    pub skill: String,
    pub from: u8,
    pub to: u8,
}

/// A gap no course closes, with the mentors and projects that can help.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapView {
    pub skill_id: Uuid,
    pub skill: String,
    pub have: u8,
    pub need: u8,
    pub mentors: Vec<PersonRef>,
    pub projects: Vec<OpeningRef>,
}

/// A person by id and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: Uuid,
    pub display_name: String,
}

/// An opening by id and title.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OpeningRef {
    pub id: Uuid,
    pub title: String,
}

/// The learning path for a person and an opening.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathView {
    pub score_now: u8,
    /// The score once every course of the path is completed.
    pub score_after_path: u8,
    pub total_hours: f32,
    /// From the person's aspirations (or the default of 2 hours a week).
    pub weekly_learning_hours: f32,
    /// Estimated time to readiness; None when no learning time is set.
    pub weeks_to_ready: Option<u32>,
    pub steps: Vec<StepView>,
    /// Gaps no course closes: ask a mentor or take a project.
    pub unclosable: Vec<GapView>,
    /// False only when a very large gap set needed the greedy fallback.
    pub exact: bool,
}
