//! Rarity: skills that nearly everyone holds say little about fit, so they weigh less when
//! ranking openings for a person. An inverse-frequency weight per skill, from the workforce.

use serde::Serialize;

use super::config::MatchConfig;
use super::model::SkillId;

/// A weight in `[rarity_min_weight, 1]` per skill (dense by `SkillId`); unknown skills weigh 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rarity {
    weights: Vec<f32>,
}

impl Rarity {
    /// Every skill weighs 1 (no rarity adjustment).
    pub fn uniform() -> Self {
        Self::default()
    }

    /// Weights from the number of people holding each skill (`counts[skill]`, any level) out
    /// of `workforce` people. A skill held by at most `rarity_full_weight_share` of the
    /// workforce weighs 1; above that the weight is
    /// `ln(workforce / holders) / ln(1 / rarity_full_weight_share)`, never below
    /// `rarity_min_weight`. With the defaults: held by 10% -> 0.77, 20% -> 0.54,
    /// 30% -> 0.40, 50% or more -> 0.25.
    pub fn from_holder_counts(counts: &[u32], workforce: u32, config: &MatchConfig) -> Self {
        let weights = counts
            .iter()
            .map(|&n| weight_for(n, workforce, config))
            .collect();
        Self { weights }
    }

    /// The weight of one skill.
    pub fn weight(&self, skill: SkillId) -> f64 {
        self.weights
            .get(skill.index())
            .map_or(1.0, |&w| f64::from(w))
    }

    /// The weights, dense by skill id.
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }
}

fn weight_for(holders: u32, workforce: u32, config: &MatchConfig) -> f32 {
    if workforce == 0 || holders == 0 {
        return 1.0;
    }
    let share = (f64::from(holders) / f64::from(workforce)).min(1.0);
    if share <= config.rarity_full_weight_share {
        return 1.0;
    }
    let w = (1.0 / share).ln() / (1.0 / config.rarity_full_weight_share).ln();
    w.clamp(config.rarity_min_weight, 1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rarity(counts: &[u32], workforce: u32) -> Rarity {
        Rarity::from_holder_counts(counts, workforce, &MatchConfig::default())
    }

    #[test]
    fn rare_skills_weigh_one_and_common_skills_weigh_less() {
        let r = rarity(&[0, 10, 50, 100, 200, 300, 500, 1000], 1000);
        let w: Vec<f64> = (0..8).map(|i| r.weight(SkillId(i))).collect();
        assert_eq!(w[0], 1.0, "nobody holds it");
        assert_eq!(w[1], 1.0, "1% of people");
        assert_eq!(w[2], 1.0, "5%: the full-weight share");
        assert!((w[3] - 0.7686).abs() < 1e-3, "10%: {}", w[3]);
        assert!((w[4] - 0.5372).abs() < 1e-3, "20%: {}", w[4]);
        assert!((w[5] - 0.4019).abs() < 1e-3, "30%: {}", w[5]);
        assert_eq!(w[6], 0.25, "50%: the floor");
        assert_eq!(w[7], 0.25, "everyone");
        assert!(
            w.windows(2).all(|p| p[0] >= p[1]),
            "more holders never weigh more"
        );
    }

    #[test]
    fn unknown_skills_and_an_empty_workforce_weigh_one() {
        assert_eq!(rarity(&[5], 0).weight(SkillId(0)), 1.0);
        assert_eq!(rarity(&[5], 10).weight(SkillId(7)), 1.0);
        assert_eq!(Rarity::uniform().weight(SkillId(0)), 1.0);
    }
}
