//! Relevance: what ranks openings and career moves for a person, beside the fit. The fit
//! (how much of what the target asks the person covers) is one part; the others are what a
//! careers adviser would weigh: how much of the person's own strengths the target uses (a
//! symmetric, rarity-weighted overlap, so a target that asks for little no longer fits
//! everyone), the direction of the move (up, at the same level, a stretch, down), and the
//! person's mobility preferences. Each part is a reason with its points; `fit` adds them.

use serde::Serialize;

use super::config::MatchConfig;
use super::credit::Holdings;
use super::model::OpeningKind;
use super::model::{OpeningTags, Profile, Requirement};
use super::rarity::Rarity;

/// How much the person's skills and the target's overlap: the cosine of the two skill sets,
/// each skill weighted by its rarity (shared rare skills count more than shared common ones).
/// 1 when both hold exactly the same skills, 0 when they share none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overlap {
    /// Skills both hold (the person at any level).
    pub shared: u16,
    /// Skills the person holds.
    pub held: u16,
    /// Distinct skills the target asks for.
    pub asked: u16,
    /// The rarity-weighted cosine, 0..=1.
    pub value: f64,
}

/// The overlap of `profile`'s skills (looked up through `holdings`) with `requirements`.
pub(crate) fn overlap<H: Holdings>(
    holdings: &H,
    profile: &Profile,
    requirements: &[Requirement],
    rarity: &Rarity,
) -> Overlap {
    let held_sq: f64 = profile
        .skills()
        .iter()
        .map(|h| rarity.weight(h.skill).powi(2))
        .sum();
    let (mut asked_sq, mut shared_sq, mut asked, mut shared) = (0.0, 0.0, 0u16, 0u16);
    for (i, r) in requirements.iter().enumerate() {
        if requirements[..i].iter().any(|x| x.skill == r.skill) {
            continue;
        }
        let w2 = rarity.weight(r.skill).powi(2);
        asked_sq += w2;
        asked += 1;
        if holdings.holding(r.skill).is_some() {
            shared_sq += w2;
            shared += 1;
        }
    }
    let value = if held_sq > 0.0 && asked_sq > 0.0 {
        (shared_sq / (held_sq * asked_sq).sqrt()).min(1.0)
    } else {
        0.0
    };
    Overlap {
        shared,
        held: profile.skills().len() as u16,
        asked,
        value,
    }
}

/// Which way a move goes, by the levels' ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// One level above the person's.
    Up,
    /// At the person's level (sideways into another family, or the same family).
    Level,
    /// Two or more levels above.
    Stretch,
    /// Below the person's level.
    Down,
}

/// The direction of the move to an opening with `tags`, the number of levels (target minus
/// current) and whether the person asked for a step down (a target job profile below their
/// level, or this very profile among their targets). None when a level is unknown (projects,
/// mentorships, a person without a job profile).
pub(crate) fn direction(profile: &Profile, tags: &OpeningTags) -> Option<(Direction, i8, bool)> {
    let (from, to) = (profile.mobility().rank?, tags.rank?);
    let levels = i16::from(to) - i16::from(from);
    let d = match levels {
        0 => Direction::Level,
        1 => Direction::Up,
        l if l > 1 => Direction::Stretch,
        _ => Direction::Down,
    };
    let asked = profile.mobility().open_to_step_down
        || tags
            .job_profile
            .is_some_and(|p| profile.aspirations().target_profiles.contains(&p));
    Some((d, levels.clamp(-20, 20) as i8, asked))
}

/// True for a step down the person has not asked for: such an opening comes after every
/// other in the person's recommendations, whatever its score.
pub fn is_unasked_step_down(profile: &Profile, tags: &OpeningTags) -> bool {
    matches!(direction(profile, tags), Some((Direction::Down, _, false)))
}

/// A preference of the person that the opening goes against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "kind", rename_all = "snake_case")]
pub enum Preference {
    /// The opening is of a kind the person is not open to.
    Kind(OpeningKind),
    /// The opening is onsite or hybrid elsewhere and the person is not open to relocation.
    Location,
}

/// One part of a person's relevance after the fit, with its points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Part {
    Overlap(Overlap, i32),
    Direction(Direction, i8, bool, i32),
    Preference(Preference, i32),
}

/// The relevance parts after the fit part (`fit_points`, already rounded): the overlap, the
/// direction and the preferences, each passed to `emit` with its points; returns their sum.
/// Nothing is added to an opening that shares nothing with the person (fit and overlap 0),
/// and penalties never take the score below 0.
pub(crate) fn parts<H: Holdings>(
    holdings: &H,
    profile: &Profile,
    requirements: &[Requirement],
    (tags, rarity): (&OpeningTags, &Rarity),
    config: &MatchConfig,
    fit_points: i32,
    mut emit: impl FnMut(Part),
) -> i32 {
    let o = overlap(holdings, profile, requirements, rarity);
    let ov = (f64::from(config.relevance_overlap_points) * o.value + 0.5) as i32;
    if fit_points + ov == 0 {
        return 0;
    }
    emit(Part::Overlap(o, ov));
    let mut sum = fit_points + ov;
    let add = |points: i32, sum: &mut i32| {
        let p = points.max(-*sum);
        *sum += p;
        p
    };
    if let Some((d, levels, asked)) = direction(profile, tags) {
        let points = match d {
            Direction::Up => i32::from(config.direction_up_points),
            Direction::Level => i32::from(config.direction_level_points),
            Direction::Stretch => i32::from(config.direction_stretch_points),
            Direction::Down if asked => 0,
            Direction::Down => -i32::from(config.direction_down_penalty),
        };
        let p = add(points, &mut sum);
        emit(Part::Direction(d, levels, asked, p));
    }
    let m = profile.mobility();
    if let Some(kind) = tags.kind.filter(|k| !m.open_to[k.preference_slot()]) {
        let p = add(-i32::from(config.preference_kind_penalty), &mut sum);
        emit(Part::Preference(Preference::Kind(kind), p));
    }
    let elsewhere = matches!((m.location, tags.location), (Some(a), Some(b)) if a != b);
    if elsewhere && !tags.remote && !m.open_to_relocation {
        let p = add(-i32::from(config.preference_location_penalty), &mut sum);
        emit(Part::Preference(Preference::Location, p));
    }
    sum - fit_points
}

/// How much of the person's own strengths the opening uses, as a reason.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OverlapReason {
    /// Skills both hold.
    pub shared: u16,
    /// Skills the person holds.
    pub held: u16,
    /// Distinct skills the opening asks for.
    pub asked: u16,
    /// The rarity-weighted overlap, 0..=1.
    pub overlap: f64,
    /// `relevance_overlap_points x overlap`, rounded.
    pub points: i32,
}

impl OverlapReason {
    /// The reason as a sentence: "Uses 9 of your 12 skills; 3 to learn (rarer skills count
    /// more): +20 points".
    pub fn message(&self) -> String {
        let to_learn = self.asked.saturating_sub(self.shared);
        let learn = match to_learn {
            0 => "nothing new to learn".to_owned(),
            n => format!("{n} to learn"),
        };
        format!(
            "Uses {} of your {} {}; {learn} (rarer skills count more): {}",
            self.shared,
            self.held,
            plural(i32::from(self.held), "skill", "skills"),
            signed(self.points)
        )
    }
}

/// The direction of the move, as a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DirectionReason {
    /// Up, at the same level, a stretch or down.
    pub direction: Direction,
    /// The target's level minus the person's (in ranks).
    pub levels: i8,
    /// For a step down: the person said a step down suits them.
    pub asked: bool,
    /// Points (negative for a step down not asked for).
    pub points: i32,
}

impl DirectionReason {
    /// The reason as a sentence.
    pub fn message(&self) -> String {
        let n = i32::from(self.levels).abs();
        let levels = format!("{n} {}", plural(n, "level", "levels"));
        let what = match (self.direction, self.asked) {
            (Direction::Up, _) => "A step up, one level above yours".to_owned(),
            (Direction::Level, _) => "A move at your level".to_owned(),
            (Direction::Stretch, _) => format!("A stretch, {levels} above yours"),
            (Direction::Down, true) => {
                format!("A step down of {levels}, which you said suits you")
            }
            (Direction::Down, false) => {
                format!("A step down of {levels}, which you have not asked for")
            }
        };
        format!("{what}: {}", signed(self.points))
    }
}

/// A preference the opening goes against, as a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PreferenceReason {
    /// Which preference.
    pub preference: Preference,
    /// Points taken off (negative).
    pub points: i32,
}

impl PreferenceReason {
    /// The reason as a sentence.
    pub fn message(&self) -> String {
        let what = match self.preference {
            Preference::Kind(kind) => {
                format!("Your preferences say you are not open to {}", kind.plural())
            }
            Preference::Location => {
                "It is in another location and you are not open to relocating".to_owned()
            }
        };
        format!("{what}: {}", signed(self.points))
    }
}

/// "one" or "many" by count.
pub(crate) fn plural(n: i32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Points with their sign and the right noun: "+1 point", "+9 points", "-15 points".
pub(crate) fn signed(points: i32) -> String {
    let noun = plural(points.abs(), "point", "points");
    if points < 0 {
        format!("{points} {noun}")
    } else {
        format!("+{points} {noun}")
    }
}
