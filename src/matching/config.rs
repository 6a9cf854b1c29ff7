//! Every weight, factor and cap of the engine, in one documented struct.
//!
//! docs/MATCHING.md explains each value to an HR reader; the comments here say why the
//! default is what it is.

use serde::{Deserialize, Serialize};

use super::model::{Evidence, Importance};
use crate::domain::skill_level::SkillLevel;

/// All the knobs of matching. `MatchConfig::default()` is what Trellis ships; HR's mobility
/// policy overrides `stale_self_assessment_months` (the loader copies it in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchConfig {
    /// Weight of an essential requirement (default 3): a must-have counts three times a plus.
    pub weight_essential: f64,
    /// Weight of an important requirement (default 2).
    pub weight_important: f64,
    /// Weight of a nice-to-have requirement (default 1).
    pub weight_nice_to_have: f64,

    /// Credit factor of an assessed level (default 1.0): a test or a third party confirmed it.
    pub evidence_assessed: f64,
    /// Credit factor of a manager-validated level (default 1.0): the manager sees the work
    /// every day, which is as good as a test for an internal move.
    pub evidence_manager_validated: f64,
    /// Credit factor of a course-completed level (default 0.9): the person learned it, but
    /// has not necessarily applied it on the job yet.
    pub evidence_course_completed: f64,
    /// Credit factor of a self-assessed level (default 0.8): honest most of the time, but
    /// unconfirmed; people over- and under-rate themselves.
    pub evidence_self_assessed: f64,

    /// A self-assessed level not confirmed for more than this many months is stale
    /// (default 24, the mobility policy's `stale_self_assessment_months`).
    pub stale_self_assessment_months: u16,
    /// Extra factor on a stale self-assessed level (default 0.7: 0.8 x 0.7 = 0.56 credit).
    /// A manager validation, an assessment or a completed course refreshes the level.
    pub stale_factor: f64,

    /// Partial credit for a level below the one asked is `(held / asked) ^ exponent`
    /// (default 2: 3 of 4 earns 56%, 2 of 4 earns 25%). Squared so that being one level short
    /// still earns most of the credit but being far below earns little.
    pub partial_credit_exponent: f64,

    /// Credit through a related skill is `strength x related_factor x level credit x
    /// evidence factor` (default factor 0.6): knowing SQL helps with PostgreSQL, but it is
    /// not PostgreSQL.
    pub related_factor: f64,
    /// The most a related skill can earn (default 0.5, half a met requirement): a related
    /// skill never counts as met.
    pub related_cap: f64,

    /// An essential requirement earning less than this credit counts as missing for the cap
    /// (default 0.3: not held, or held far below the level asked, or only weakly related).
    pub essential_min_credit: f64,
    /// The score is capped at this value while any essential requirement is missing
    /// (default 40): whatever else a person has, a must-have gap keeps them out of the top.
    pub essential_cap: u8,

    /// Rarity: a skill held by at most this share of the workforce has full weight
    /// (default 0.05). Above it the weight falls with `ln(1/share) / ln(1/full_share)`.
    pub rarity_full_weight_share: f64,
    /// Rarity: the lowest weight a skill can fall to (default 0.25, reached at about half
    /// the workforce). Only used when ranking openings for a person.
    pub rarity_min_weight: f64,

    /// Points added when an opening fills one of the person's target job profiles
    /// (default 6). Only when ranking openings for a person; shown as its own reason.
    pub aspiration_target_profile_points: u8,
    /// Points added when the opening's job family is one the person is curious about (default 3).
    pub aspiration_family_points: u8,
    /// Points added per required skill the person wants to grow (default 2).
    pub aspiration_skill_points: u8,
    /// The most aspirations can add in total (default 10): they break ties and lift near
    /// misses, they never outrank a clearly better fit.
    pub aspiration_max_points: u8,

    /// Relevance (ranking openings for a person): the share of the score that says how well
    /// the person covers what the opening asks (default 55 of 100 points).
    pub relevance_fit_points: u8,
    /// Relevance: the points for using the person's own strengths (default 30), times the
    /// rarity-weighted overlap of their skills and the opening's (1 = the same skills).
    pub relevance_overlap_points: u8,
    /// Relevance: a move one level up (default 10).
    pub direction_up_points: u8,
    /// Relevance: a move at the person's level, sideways or in their family (default 8).
    pub direction_level_points: u8,
    /// Relevance: a move two or more levels up, a stretch (default 0).
    pub direction_stretch_points: u8,
    /// Relevance: points taken off a step down the person has not asked for (default 15);
    /// such an opening also comes after every other in their recommendations.
    pub direction_down_penalty: u8,
    /// Relevance: points taken off an opening of a kind the person is not open to (default 15).
    pub preference_kind_penalty: u8,
    /// Relevance: points taken off an onsite or hybrid opening elsewhere for a person not
    /// open to relocation (default 10).
    pub preference_location_penalty: u8,

    /// Mentors offered for a gap hold the skill at least at this level (default 4, Proficient:
    /// "guides others").
    pub mentor_min_level: u8,
    /// Learning paths: the most search states generated per group of gaps linked by shared
    /// courses before the engine falls back to a greedy path and marks it as not exact
    /// (default 50,000, at most about 50 ms; typical paths need a few hundred states, the
    /// largest seen on the 200,000-person test company under 10,000).
    pub learning_max_states: usize,
}

impl Default for MatchConfig {
    fn default() -> Self {
        Self {
            weight_essential: 3.0,
            weight_important: 2.0,
            weight_nice_to_have: 1.0,
            evidence_assessed: 1.0,
            evidence_manager_validated: 1.0,
            evidence_course_completed: 0.9,
            evidence_self_assessed: 0.8,
            stale_self_assessment_months: 24,
            stale_factor: 0.7,
            partial_credit_exponent: 2.0,
            related_factor: 0.6,
            related_cap: 0.5,
            essential_min_credit: 0.3,
            essential_cap: 40,
            rarity_full_weight_share: 0.05,
            rarity_min_weight: 0.25,
            aspiration_target_profile_points: 6,
            aspiration_family_points: 3,
            aspiration_skill_points: 2,
            aspiration_max_points: 10,
            relevance_fit_points: 55,
            relevance_overlap_points: 30,
            direction_up_points: 10,
            direction_level_points: 8,
            direction_stretch_points: 0,
            direction_down_penalty: 15,
            preference_kind_penalty: 15,
            preference_location_penalty: 10,
            mentor_min_level: 4,
            learning_max_states: 50_000,
        }
    }
}

/// A configuration value out of its allowed range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("matching configuration: {field}: {message}")]
pub struct ConfigError {
    /// The offending field.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

/// Days in `months` months, taking a month as 365.25 / 12 days (24 months = 730 days).
pub fn months_to_days(months: u16) -> i32 {
    (i32::from(months) * 1461) / 48
}

impl MatchConfig {
    /// The weight of a requirement of this importance.
    pub fn importance_weight(&self, importance: Importance) -> f64 {
        match importance {
            Importance::Essential => self.weight_essential,
            Importance::Important => self.weight_important,
            Importance::NiceToHave => self.weight_nice_to_have,
        }
    }

    /// The credit factor of this kind of evidence (before staleness).
    pub fn evidence_factor(&self, evidence: Evidence) -> f64 {
        match evidence {
            Evidence::Assessed => self.evidence_assessed,
            Evidence::ManagerValidated => self.evidence_manager_validated,
            Evidence::CourseCompleted => self.evidence_course_completed,
            Evidence::SelfAssessed => self.evidence_self_assessed,
        }
    }

    /// A self-assessed level confirmed more than this many days ago is stale.
    pub fn stale_after_days(&self) -> i32 {
        months_to_days(self.stale_self_assessment_months)
    }

    /// Checks every value is in range and the evidence factors are ordered (so stronger
    /// evidence never lowers a score). Call it when a configuration comes from outside.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let err = |field: &'static str, message: &str| {
            Err(ConfigError {
                field,
                message: message.to_owned(),
            })
        };
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let unit = |v: f64| v.is_finite() && v > 0.0 && v <= 1.0;
        for (field, v) in [
            ("weight_essential", self.weight_essential),
            ("weight_important", self.weight_important),
            ("weight_nice_to_have", self.weight_nice_to_have),
            ("partial_credit_exponent", self.partial_credit_exponent),
        ] {
            if !positive(v) {
                return err(field, "must be a positive number");
            }
        }
        for (field, v) in [
            ("evidence_assessed", self.evidence_assessed),
            (
                "evidence_manager_validated",
                self.evidence_manager_validated,
            ),
            ("evidence_course_completed", self.evidence_course_completed),
            ("evidence_self_assessed", self.evidence_self_assessed),
            ("stale_factor", self.stale_factor),
            ("rarity_min_weight", self.rarity_min_weight),
        ] {
            if !unit(v) {
                return err(field, "must be in (0, 1]");
            }
        }
        if self.evidence_self_assessed > self.evidence_course_completed
            || self.evidence_course_completed > self.evidence_manager_validated
            || self.evidence_course_completed > self.evidence_assessed
        {
            return err(
                "evidence_course_completed",
                "evidence factors must grow: self-assessed <= course completed <= manager validated, assessed",
            );
        }
        if self.stale_self_assessment_months == 0 {
            return err("stale_self_assessment_months", "must be at least 1");
        }
        if !(self.related_factor.is_finite() && (0.0..=1.0).contains(&self.related_factor)) {
            return err("related_factor", "must be in [0, 1]");
        }
        if !(self.related_cap.is_finite() && (0.0..1.0).contains(&self.related_cap)) {
            return err(
                "related_cap",
                "must be in [0, 1): a related skill is never met",
            );
        }
        if !(self.essential_min_credit.is_finite()
            && (0.0..=1.0).contains(&self.essential_min_credit))
        {
            return err("essential_min_credit", "must be in [0, 1]");
        }
        if self.essential_cap > 100 {
            return err("essential_cap", "must be at most 100");
        }
        if !(self.rarity_full_weight_share > 0.0 && self.rarity_full_weight_share < 1.0) {
            return err("rarity_full_weight_share", "must be in (0, 1)");
        }
        if self.aspiration_max_points > 100 {
            return err("aspiration_max_points", "must be at most 100");
        }
        let positive_part = u16::from(self.relevance_fit_points)
            + u16::from(self.relevance_overlap_points)
            + u16::from(self.direction_up_points.max(self.direction_level_points));
        if positive_part > 100 || self.relevance_fit_points == 0 {
            return err(
                "relevance_fit_points",
                "the fit, overlap and direction points must be at most 100, the fit above 0",
            );
        }
        if SkillLevel::try_from(i64::from(self.mentor_min_level)).is_err() {
            return err("mentor_min_level", "must be a level from 1 to 5");
        }
        if self.learning_max_states == 0 {
            return err("learning_max_states", "must be at least 1");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(MatchConfig::default().validate(), Ok(()));
    }

    #[test]
    fn twenty_four_months_are_730_days() {
        assert_eq!(months_to_days(24), 730);
        assert_eq!(months_to_days(12), 365);
    }

    #[test]
    fn out_of_range_values_are_rejected_with_the_field_named() {
        let cases: Vec<(MatchConfig, &str)> = vec![
            (
                MatchConfig {
                    weight_important: 0.0,
                    ..Default::default()
                },
                "weight_important",
            ),
            (
                MatchConfig {
                    related_cap: 1.0,
                    ..Default::default()
                },
                "related_cap",
            ),
            (
                MatchConfig {
                    stale_factor: 1.5,
                    ..Default::default()
                },
                "stale_factor",
            ),
            (
                MatchConfig {
                    evidence_self_assessed: 0.95,
                    ..Default::default()
                },
                "evidence_course_completed",
            ),
            (
                MatchConfig {
                    essential_cap: 101,
                    ..Default::default()
                },
                "essential_cap",
            ),
            (
                MatchConfig {
                    mentor_min_level: 0,
                    ..Default::default()
                },
                "mentor_min_level",
            ),
        ];
        for (config, field) in cases {
            assert_eq!(config.validate().unwrap_err().field, field);
        }
    }
}
