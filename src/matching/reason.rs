//! A fit score and its reasons: what a person or a manager reads next to every score.
//! The points of the reasons always add up to the score.

use serde::Serialize;

use super::learning::Gap;
use super::model::{Evidence, Importance, Level, SkillId};
use super::relevance::{signed, DirectionReason, OverlapReason, PreferenceReason};

/// A fit score, 0..=100, with the reasons that add up to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The score, 0..=100. Equal to the sum of `reasons[..].points()`.
    pub score: u8,
    /// One `Reason::Skill` per requirement (in the requirements' order); ranking openings for
    /// a person, then the overlap, direction, preference and aspiration reasons; last the
    /// essential cap if it lowered the score.
    pub reasons: Vec<Reason>,
}

impl Fit {
    /// The skill reasons, one per requirement.
    pub fn skill_reasons(&self) -> impl Iterator<Item = &SkillReason> {
        self.reasons.iter().filter_map(|r| match r {
            Reason::Skill(s) => Some(s),
            _ => None,
        })
    }

    /// The sum of the reasons' points (always equal to `score`).
    pub fn points_total(&self) -> i32 {
        self.reasons.iter().map(Reason::points).sum()
    }

    /// The gaps a learning path could close: every required skill held below the level
    /// asked (or not held), whatever a related skill earned.
    pub fn gaps(&self) -> Vec<Gap> {
        self.skill_reasons()
            .filter(|r| r.level_held.unwrap_or(0) < r.level_asked)
            .map(|r| Gap {
                skill: r.skill,
                have: r.level_held.unwrap_or(0),
                need: r.level_asked,
            })
            .collect()
    }

    /// The reasons as plain sentences, one per reason, using `names` for display names.
    pub fn explain(&self, names: &dyn Names) -> Vec<String> {
        self.reasons.iter().map(|r| r.message(names)).collect()
    }
}

/// One line of a score's explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// How one required skill was matched.
    Skill(SkillReason),
    /// How much of the person's own strengths the opening uses (ranking openings for a person).
    Overlap(OverlapReason),
    /// The direction of the move: up, at the same level, a stretch, down.
    Direction(DirectionReason),
    /// A mobility preference the opening goes against.
    Preference(PreferenceReason),
    /// The opening matches one of the person's aspirations (ranking openings for a person).
    Aspiration(AspirationReason),
    /// The score (for a person, the fit part) was lowered to the essential cap because an
    /// essential skill is missing.
    EssentialCap(CapReason),
}

impl Reason {
    /// The points this reason contributes to the score (negative for the cap).
    pub fn points(&self) -> i32 {
        match self {
            Reason::Skill(r) => r.points,
            Reason::Overlap(r) => r.points,
            Reason::Direction(r) => r.points,
            Reason::Preference(r) => r.points,
            Reason::Aspiration(r) => r.points,
            Reason::EssentialCap(r) => r.points,
        }
    }

    /// The reason as a plain sentence.
    pub fn message(&self, names: &dyn Names) -> String {
        match self {
            Reason::Skill(r) => r.message(names),
            Reason::Overlap(r) => r.message(),
            Reason::Direction(r) => r.message(),
            Reason::Preference(r) => r.message(),
            Reason::Aspiration(r) => {
                let what = match r.kind {
                    AspirationKind::TargetProfile(p) => {
                        format!("fills your target role {}", names.job_profile(p))
                    }
                    AspirationKind::InterestFamily(f) => {
                        format!(
                            "is in {}, a job family you are interested in",
                            names.job_family(f)
                        )
                    }
                    AspirationKind::InterestSkill(s) => {
                        format!("uses {}, a skill you want to grow", names.skill(s))
                    }
                };
                format!("This opening {what}: {}", signed(r.points))
            }
            Reason::EssentialCap(r) => {
                let skills: Vec<String> = r.missing.iter().map(|s| names.skill(*s)).collect();
                let (noun, verb) = if skills.len() == 1 {
                    ("skill", "is")
                } else {
                    ("skills", "are")
                };
                let what = match r.of {
                    Some(of) => format!("Fit capped at {} of {of}", r.cap),
                    None => format!("Score capped at {}", r.cap),
                };
                format!(
                    "{what} because the essential {noun} {} {verb} missing or far below the level asked: {}",
                    skills.join(", "),
                    signed(r.points)
                )
            }
        }
    }
}

/// How a required skill was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Held at or above the level asked.
    Met,
    /// Held below the level asked: partial credit.
    PartlyMet,
    /// Not held at a useful level, but a related skill earns partial credit.
    MetThroughRelated,
    /// Neither held nor related to anything held: no credit.
    Missing,
}

/// The related skill that earned credit for a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RelatedVia {
    /// The related skill the person holds.
    pub skill: SkillId,
    /// The relation's strength, (0, 1].
    pub strength: f32,
    /// The level held in the related skill.
    pub level: Level,
    /// The evidence of that level.
    pub evidence: Evidence,
    /// Whether that level is a stale self-assessment.
    pub stale: bool,
}

/// One required skill, as matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillReason {
    /// The skill asked for.
    pub skill: SkillId,
    /// How much it matters.
    pub importance: Importance,
    /// The level asked.
    pub level_asked: Level,
    /// The level the person holds in this very skill, if any.
    pub level_held: Option<Level>,
    /// The evidence of `level_held`.
    pub evidence: Option<Evidence>,
    /// The held level is self-assessed and older than the stale limit, so it counts less.
    pub stale: bool,
    /// The related skill that earned the credit, when `outcome` is `MetThroughRelated`.
    pub via_related: Option<RelatedVia>,
    /// Met, partly met, met through a related skill, or missing.
    pub outcome: Outcome,
    /// The requirement's weight: importance weight x rarity weight (rarity only when ranking
    /// openings for a person).
    pub weight: f64,
    /// The credit earned, 0..=1 (1 = met with the strongest evidence).
    pub credit: f64,
    /// Points contributed to the score: `100 x weight x credit / total weight`, rounded so
    /// that all points add up to the score.
    pub points: i32,
}

impl SkillReason {
    /// The reason as a plain sentence.
    pub fn message(&self, names: &dyn Names) -> String {
        let importance = match self.importance {
            Importance::Essential => "essential",
            Importance::Important => "important",
            Importance::NiceToHave => "nice to have",
        };
        let mut s = format!(
            "{} ({importance}): level {} asked, ",
            names.skill(self.skill),
            self.level_asked
        );
        match (self.level_held, self.evidence) {
            (Some(level), Some(evidence)) => {
                s.push_str(&format!("{level} held ({})", evidence_words(evidence)));
                if self.stale {
                    s.push_str(", not confirmed for a long time so it counts less");
                }
            }
            _ => s.push_str("not held"),
        }
        if let (Outcome::MetThroughRelated, Some(via)) = (self.outcome, self.via_related) {
            s.push_str(&format!(
                "; related skill {} at level {} ({}{}), strength {:.2}",
                names.skill(via.skill),
                via.level,
                evidence_words(via.evidence),
                if via.stale { ", stale" } else { "" },
                via.strength
            ));
        }
        let outcome = match self.outcome {
            Outcome::Met => "met",
            Outcome::PartlyMet => "partly met",
            Outcome::MetThroughRelated => "met through a related skill",
            Outcome::Missing => "missing",
        };
        s.push_str(&format!(": {outcome}"));
        if self.outcome == Outcome::Met && self.credit < 0.995 {
            // Name the discount: why a fully met skill does not earn its full points.
            s.push_str(&format!(", counted at {:.0}%", self.credit * 100.0));
        }
        s.push_str(&format!(", {}", signed(self.points)));
        s
    }
}

/// Which aspiration an opening matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum AspirationKind {
    /// The opening fills this target job profile.
    TargetProfile(u32),
    /// The opening is in this job family of interest.
    InterestFamily(u32),
    /// The opening requires this skill the person wants to grow.
    InterestSkill(SkillId),
}

/// An aspiration the opening matches, with the points it adds (0 once the aspiration limit
/// or the 100 ceiling is reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AspirationReason {
    /// The aspiration matched.
    pub kind: AspirationKind,
    /// Points added.
    pub points: i32,
}

/// The essential cap, when it lowered the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapReason {
    /// The essential skills missing or far below the level asked.
    pub missing: Vec<SkillId>,
    /// The cap (`MatchConfig::essential_cap`; for a person's relevance, scaled to the fit
    /// part).
    pub cap: u8,
    /// For a person's relevance: the fit part's full points (only that part is capped).
    pub of: Option<u8>,
    /// Negative: the points taken off to bring the score down to the cap.
    pub points: i32,
}

/// Display names for reasons; the engine only knows dense ids.
pub trait Names {
    /// A skill's name.
    fn skill(&self, skill: SkillId) -> String;
    /// A job profile's title.
    fn job_profile(&self, profile: u32) -> String {
        format!("job profile {profile}")
    }
    /// A job family's name.
    fn job_family(&self, family: u32) -> String {
        format!("job family {family}")
    }
}

/// Names that are just the ids ("skill 7"); handy in logs and tests.
pub struct IdNames;

impl Names for IdNames {
    fn skill(&self, skill: SkillId) -> String {
        format!("skill {}", skill.0)
    }
}

fn evidence_words(e: Evidence) -> &'static str {
    match e {
        Evidence::SelfAssessed => "self-assessed",
        Evidence::CourseCompleted => "course completed",
        Evidence::ManagerValidated => "manager-validated",
        Evidence::Assessed => "assessed",
    }
}

/// Integer points from real-valued contributions that add up to exactly `total`: each gets
/// its floor, then the points still missing go to the largest remainders (ties: the earlier
/// contribution). Contributions are non-negative and `total` is their rounded sum.
pub(crate) fn apportion(contributions: &[f64], total: i32) -> Vec<i32> {
    let mut points: Vec<i32> = contributions
        .iter()
        .map(|c| c.max(0.0).floor() as i32)
        .collect();
    let mut missing = total - points.iter().sum::<i32>();
    let mut order: Vec<usize> = (0..contributions.len()).collect();
    let rem = |i: usize| contributions[i].max(0.0) - contributions[i].max(0.0).floor();
    order.sort_by(|&a, &b| rem(b).total_cmp(&rem(a)).then(a.cmp(&b)));
    let mut next = 0;
    while missing > 0 && !order.is_empty() {
        points[order[next % order.len()]] += 1;
        missing -= 1;
        next += 1;
    }
    // Defensive: only reachable through floating-point noise far beyond 1e-9.
    for &i in order.iter().rev() {
        while missing < 0 && points[i] > 0 {
            points[i] -= 1;
            missing += 1;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn apportioned_points_add_up_to_the_total_and_favour_the_largest_remainders() {
        assert_eq!(
            apportion(&[27.27, 8.18, 8.73, 0.0, 5.09], 49),
            vec![27, 8, 9, 0, 5]
        );
        assert_eq!(apportion(&[100.0 / 3.0; 3], 100), vec![34, 33, 33]);
        assert_eq!(apportion(&[0.0, 0.0], 0), vec![0, 0]);
        assert_eq!(apportion(&[0.5, 0.5, 0.5], 2), vec![1, 1, 0]);
    }
}
