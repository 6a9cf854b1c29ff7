//! How much credit a held skill earns for a requirement, and the arithmetic that turns
//! credits into a score. Shared by `fit` and the index's searches, so both compute exactly
//! the same numbers.

use super::config::MatchConfig;
use super::context::Mode;
use super::model::{Evidence, HeldSkill, Level, Profile, Requirement, SkillId};

/// Whether a held level is a self-assessment not confirmed for more than the stale limit.
pub(crate) fn is_stale(
    config: &MatchConfig,
    evidence: Evidence,
    confirmed_on_day: i32,
    today: i32,
) -> bool {
    evidence == Evidence::SelfAssessed
        && i64::from(today) - i64::from(confirmed_on_day) > i64::from(config.stale_after_days())
}

/// The credit factor of a held level's evidence, lowered when stale.
pub(crate) fn evidence_credit(config: &MatchConfig, evidence: Evidence, stale: bool) -> f64 {
    let factor = config.evidence_factor(evidence);
    if stale {
        factor * config.stale_factor
    } else {
        factor
    }
}

/// 1 when the level held reaches the level asked, else `(held / asked) ^ exponent`.
pub(crate) fn level_credit(config: &MatchConfig, held: Level, asked: Level) -> f64 {
    if held >= asked {
        1.0
    } else {
        (f64::from(held) / f64::from(asked)).powf(config.partial_credit_exponent)
    }
}

/// The credit of holding the required skill itself.
pub(crate) fn direct_credit(
    config: &MatchConfig,
    level: Level,
    evidence: Evidence,
    stale: bool,
    asked: Level,
) -> f64 {
    level_credit(config, level, asked) * evidence_credit(config, evidence, stale)
}

/// The credit of holding a skill related to the required one, never above `related_cap`.
pub(crate) fn related_credit(
    config: &MatchConfig,
    strength: f32,
    level: Level,
    evidence: Evidence,
    stale: bool,
    asked: Level,
) -> f64 {
    let c = f64::from(strength)
        * config.related_factor
        * level_credit(config, level, asked)
        * evidence_credit(config, evidence, stale);
    c.min(config.related_cap)
}

/// A requirement's weight in this mode.
pub(crate) fn requirement_weight(config: &MatchConfig, req: &Requirement, mode: &Mode) -> f64 {
    let w = config.importance_weight(req.importance);
    match mode {
        Mode::PeopleForOpening => w,
        Mode::OpeningsForPerson { rarity, .. } => w * rarity.weight(req.skill),
    }
}

/// `full / sum of weights`, the factor turning weight x credit into points (0 without
/// requirements: nothing to match on scores 0). `full` is 100 for a manager's fit and
/// `relevance_fit_points` for the fit part of a person's relevance.
pub(crate) fn points_scale(config: &MatchConfig, reqs: &[Requirement], mode: &Mode) -> f64 {
    let total: f64 = reqs
        .iter()
        .map(|r| requirement_weight(config, r, mode))
        .sum();
    let full = match mode {
        Mode::PeopleForOpening => 100.0,
        Mode::OpeningsForPerson { .. } => f64::from(config.relevance_fit_points),
    };
    if total > 0.0 {
        full / total
    } else {
        0.0
    }
}

/// A requirement's real-valued contribution to the score.
#[inline]
pub(crate) fn contribution(weight: f64, credit: f64, scale: f64) -> f64 {
    weight * credit * scale
}

/// The skills part of the score: the sum of contributions rounded half up, within 0..=100
/// (a cast rather than `f64::round`, which is a library call on the hot path of searches).
/// A sum whose exact value is x.5 can come out of floating point a hair below it
/// (97.49999999999999 for 97.5); [`ROUNDING_SLACK`] lets it round up as the documented rule says.
#[inline]
pub(crate) fn round_total(raw: f64) -> i32 {
    ((raw.max(0.0) + 0.5 + ROUNDING_SLACK) as i32).clamp(0, 100)
}

/// Far above the error of summing a few hundred contributions of at most 100 (about 1e-12),
/// far below any real difference between two scores' raw sums.
const ROUNDING_SLACK: f64 = 1e-9;

/// The score from the skills total, the aspiration points and whether the cap applies.
pub(crate) fn final_score(config: &MatchConfig, total: i32, bonus: i32, capped: bool) -> i32 {
    let sum = (total + bonus).min(100);
    if capped {
        sum.min(i32::from(config.essential_cap))
    } else {
        sum
    }
}

/// The fit part's ceiling in a person's relevance while an essential requirement is missing:
/// the essential cap scaled to the fit part (40% of 55 = 22). Only the fit part is capped, so
/// the overlap and the direction still tell two targets apart (a move is often toward a role
/// whose must-haves the person still has to learn).
pub(crate) fn fit_part_cap(config: &MatchConfig) -> i32 {
    (i32::from(config.essential_cap) * i32::from(config.relevance_fit_points) + 50) / 100
}

/// Where `fit` looks up a held skill.
pub(crate) trait Holdings {
    /// The holding of one skill, if any.
    fn holding(&self, skill: SkillId) -> Option<&HeldSkill>;
}

impl Holdings for Profile {
    fn holding(&self, skill: SkillId) -> Option<&HeldSkill> {
        self.get(skill)
    }
}

/// A profile with a dense skill -> position table (`slots[skill] = position + 1`, 0 when not
/// held): one array read per lookup instead of a binary search.
pub(crate) struct DenseHoldings<'a> {
    pub profile: &'a Profile,
    pub slots: &'a [u16],
}

impl Holdings for DenseHoldings<'_> {
    #[inline]
    fn holding(&self, skill: SkillId) -> Option<&HeldSkill> {
        match self.slots.get(skill.index()) {
            Some(&i) if i > 0 => self.profile.skills().get(usize::from(i) - 1),
            _ => None,
        }
    }
}

#[cfg(test)]
mod rounding_tests {
    use super::round_total;

    #[test]
    fn a_raw_score_of_exactly_one_half_rounds_up_even_when_floating_point_sums_it_a_hair_below() {
        // 97.5 summed as 100 x 39/40 or as the 97.49999999999999.
        assert_eq!(round_total(97.499_999_999_999_99), 98);
        assert_eq!(round_total(100.0 * 39.0 / 40.0), 98);
        let sum: f64 = [0.1_f64; 5].iter().sum::<f64>() * 5.0; // 2.5, as floating point sums it
        assert_eq!(round_total(sum), 3);
        assert_eq!(round_total(97.499_9), 97);
        assert_eq!(round_total(0.5), 1);
        assert_eq!(round_total(-3.0), 0);
        assert_eq!(round_total(100.4), 100);
    }
}
