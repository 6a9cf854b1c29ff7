//! The matching engine: explainable fit scores, rarity, learning paths, what-if scores,
//! career path suggestions, and the in-memory index behind talent search and
//! recommendations. Pure functions over plain data: no sqlx, no axum, no tokio inside; the
//! loader maps uuids to dense ids and fills the index. docs/MATCHING.md explains the rules.
//!
//! - `fit` / `fit_score`: a person's fit for requirements, 0..=100 with reasons.
//! - `Rarity`: inverse-frequency weights when ranking openings for a person.
//! - relevance (`relevance`): what ranks openings for a person beside the fit: the overlap
//!   with their strengths, the direction of the move, their preferences.
//! - `learning_path`, `weeks_to_ready`, `support_for_gaps`: closing the gaps.
//! - `what_if`: the score after each course of a path.
//! - `suggest_career_paths`, `observed_moves`: where a job profile leads.
//! - `MatchIndex`: talent search and recommendations, kept current by upserts.

mod config;
mod context;
mod credit;
mod entries;
mod filters;
mod fit;
mod index;
mod learning;
mod model;
mod paths;
mod plan;
mod plan_greedy;
mod rarity;
mod reason;
mod recommend;
mod relevance;
mod search;
mod support;
mod whatif;

#[cfg(test)]
mod tests;

pub use config::{months_to_days, ConfigError, MatchConfig};
pub use context::{FitContext, Mode};
pub use entries::{OpeningEntry, OpeningId, PersonEntry, PersonId, PersonStatus, Ranking};
pub use filters::{OpeningFilter, Ranked, TalentFilter};
pub use fit::{fit, fit_score};
pub use index::MatchIndex;
pub use learning::{
    gaps, learning_path, weeks_to_ready, Course, CourseCatalog, CourseSkill, Gap, LearningPath,
    Raise, Step,
};
pub use model::{
    Aspirations, Evidence, HeldSkill, Importance, Level, Mobility, OpeningKind, OpeningTags,
    Profile, Related, Requirement, SkillGraph, SkillId, MAX_LEVEL,
};
pub use paths::{
    observed_moves, profile_rarity, suggest_career_paths, typical_holder, JobProfileSkills,
    ObservedMove, SuggestedPath,
};
pub use rarity::Rarity;
pub use reason::{
    AspirationKind, AspirationReason, CapReason, Fit, IdNames, Names, Outcome, Reason, RelatedVia,
    SkillReason,
};
pub use relevance::{
    is_unasked_step_down, Direction, DirectionReason, Overlap, OverlapReason, Preference,
    PreferenceReason,
};
pub use support::{support_for_gaps, GapSupport, MentorCandidate, ProjectCandidate};
pub use whatif::{apply_step, order_by_impact, what_if, StepEffect, WhatIf};
