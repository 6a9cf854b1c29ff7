//! The fit score of a person for a set of requirements: 0..=100, one reason per requirement,
//! the reasons' points adding up exactly to the score.
//!
//! The score: each requirement earns a credit in 0..=1 (level, evidence, staleness, related
//! skills), weighted by importance (and by rarity when ranking openings for a person);
//! `100 x sum(weight x credit) / sum(weight)`, rounded; plus aspiration points (ranking
//! openings for a person, with the overlap, direction and preference parts of relevance);
//! capped while an essential requirement is missing (for a person, only the fit part is).
//! Every step is monotone: more skills, higher levels, stronger evidence never lower it.

use super::config::MatchConfig;
use super::context::{FitContext, Mode};
use super::credit::{
    contribution, direct_credit, final_score, fit_part_cap, is_stale, points_scale, related_credit,
    requirement_weight, round_total, Holdings,
};
use super::model::{Importance, OpeningTags, Profile, Requirement, SkillGraph};
use super::reason::{
    apportion, AspirationKind, AspirationReason, CapReason, Fit, Outcome, Reason, RelatedVia,
    SkillReason,
};
use super::relevance::{parts, DirectionReason, OverlapReason, Part, PreferenceReason};

/// How one requirement is met by a profile.
struct Evaluation {
    credit: f64,
    outcome: Outcome,
    stale: bool,
    via: Option<RelatedVia>,
}

fn evaluate<H: Holdings>(
    profile: &H,
    req: &Requirement,
    graph: &SkillGraph,
    config: &MatchConfig,
    today: i32,
) -> Evaluation {
    let held = profile.holding(req.skill);
    let stale = held.is_some_and(|h| is_stale(config, h.evidence, h.confirmed_on_day, today));
    let direct = held.map_or(0.0, |h| {
        direct_credit(config, h.level, h.evidence, stale, req.level)
    });
    let mut best: Option<(f64, RelatedVia)> = None;
    if direct < config.related_cap {
        for rel in graph.related(req.skill) {
            let Some(h) = profile.holding(rel.skill) else {
                continue;
            };
            let rel_stale = is_stale(config, h.evidence, h.confirmed_on_day, today);
            let c = related_credit(
                config,
                rel.strength,
                h.level,
                h.evidence,
                rel_stale,
                req.level,
            );
            if best.is_none_or(|(b, _)| c > b) {
                let via = RelatedVia {
                    skill: rel.skill,
                    strength: rel.strength,
                    level: h.level,
                    evidence: h.evidence,
                    stale: rel_stale,
                };
                best = Some((c, via));
            }
        }
    }
    match (held, best) {
        (_, Some((c, via))) if c > direct => Evaluation {
            credit: c,
            outcome: Outcome::MetThroughRelated,
            stale,
            via: Some(via),
        },
        (Some(h), _) => Evaluation {
            credit: direct,
            outcome: if h.level >= req.level {
                Outcome::Met
            } else {
                Outcome::PartlyMet
            },
            stale,
            via: None,
        },
        (None, _) => Evaluation {
            credit: 0.0,
            outcome: Outcome::Missing,
            stale: false,
            via: None,
        },
    }
}

/// Runs the per-requirement part shared by `fit` and `fit_score`; returns the raw total and
/// whether an essential requirement is missing.
fn run<H: Holdings>(
    profile: &H,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
    mut each: impl FnMut(&Requirement, f64, Evaluation, f64, bool),
) -> (f64, bool) {
    let scale = points_scale(config, requirements, &ctx.mode);
    let mut raw = 0.0;
    let mut capped = false;
    for req in requirements {
        let weight = requirement_weight(config, req, &ctx.mode);
        let e = evaluate(profile, req, graph, config, ctx.today);
        let c = contribution(weight, e.credit, scale);
        raw += c;
        let essential_missing =
            req.importance == Importance::Essential && e.credit < config.essential_min_credit;
        capped |= essential_missing;
        each(req, weight, e, c, essential_missing);
    }
    (raw, capped)
}

/// Calls `emit` for each aspiration the opening matches, with its points limited so the total
/// stays within `aspiration_max_points` and `room`; returns the points added.
fn aspirations(
    profile: &Profile,
    requirements: &[Requirement],
    tags: &OpeningTags,
    config: &MatchConfig,
    room: i32,
    mut emit: impl FnMut(AspirationKind, i32),
) -> i32 {
    let a = profile.aspirations();
    if a.is_empty() {
        return 0;
    }
    let budget = i32::from(config.aspiration_max_points).min(room).max(0);
    let mut used = 0;
    let mut add = |kind, points: u8| {
        let p = i32::from(points).min(budget - used);
        used += p;
        emit(kind, p);
    };
    if let Some(p) = tags.job_profile.filter(|p| a.target_profiles.contains(p)) {
        add(
            AspirationKind::TargetProfile(p),
            config.aspiration_target_profile_points,
        );
    }
    if let Some(f) = tags.job_family.filter(|f| a.interest_families.contains(f)) {
        add(
            AspirationKind::InterestFamily(f),
            config.aspiration_family_points,
        );
    }
    for (i, req) in requirements.iter().enumerate() {
        let first = !requirements[..i].iter().any(|r| r.skill == req.skill);
        if first && a.interest_skills.contains(&req.skill) {
            add(
                AspirationKind::InterestSkill(req.skill),
                config.aspiration_skill_points,
            );
        }
    }
    used
}

/// The fit of `profile` for `requirements`, with one reason per requirement, aspiration
/// reasons (ranking openings for a person) and the essential cap when it lowers the score.
/// The reasons' points add up exactly to the score.
pub fn fit(
    profile: &Profile,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
) -> Fit {
    let mut reasons = Vec::with_capacity(requirements.len() + 1);
    let mut contributions = Vec::with_capacity(requirements.len());
    let mut missing = Vec::new();
    let (raw, capped) = run(
        profile,
        requirements,
        graph,
        config,
        ctx,
        |req, weight, e, c, miss| {
            contributions.push(c);
            if miss {
                missing.push(req.skill);
            }
            let held = profile.get(req.skill);
            reasons.push(Reason::Skill(SkillReason {
                skill: req.skill,
                importance: req.importance,
                level_asked: req.level,
                level_held: held.map(|h| h.level),
                evidence: held.map(|h| h.evidence),
                stale: e.stale,
                via_related: e.via,
                outcome: e.outcome,
                weight,
                credit: e.credit,
                points: 0,
            }));
        },
    );
    let mut total = round_total(raw);
    for (reason, points) in reasons.iter_mut().zip(apportion(&contributions, total)) {
        if let Reason::Skill(r) = reason {
            r.points = points;
            // A related skill worth less than a point is not worth a sentence.
            if r.outcome == Outcome::MetThroughRelated && points < 1 {
                r.outcome = if r.level_held.is_some() {
                    Outcome::PartlyMet
                } else {
                    Outcome::Missing
                };
                r.via_related = None;
            }
        }
    }
    let score = match ctx.mode {
        Mode::OpeningsForPerson { opening, rarity } => {
            let cap = fit_part_cap(config);
            if capped && total > cap {
                reasons.push(Reason::EssentialCap(CapReason {
                    missing,
                    cap: cap as u8,
                    of: Some(config.relevance_fit_points),
                    points: cap - total,
                }));
                total = cap;
            }
            total += parts(
                profile,
                profile,
                requirements,
                (&opening, rarity),
                config,
                total,
                |part| reasons.push(part_reason(part)),
            );
            let bonus = aspirations(
                profile,
                requirements,
                &opening,
                config,
                100 - total,
                |kind, points| {
                    reasons.push(Reason::Aspiration(AspirationReason { kind, points }));
                },
            );
            (total + bonus).min(100)
        }
        Mode::PeopleForOpening => {
            let score = final_score(config, total, 0, capped);
            if score < total {
                reasons.push(Reason::EssentialCap(CapReason {
                    missing,
                    cap: config.essential_cap,
                    of: None,
                    points: score - total,
                }));
            }
            score
        }
    };
    Fit {
        score: score as u8,
        reasons,
    }
}

/// Just the score of `fit`, without building reasons (no allocation): for ranking many
/// openings or people before explaining the top ones. Always equal to `fit(..).score`.
pub fn fit_score(
    profile: &Profile,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
) -> u8 {
    fit_score_with(profile, profile, requirements, graph, config, ctx)
}

/// `fit_score` reading the held skills through `holdings` (e.g. a dense per-skill table when
/// one profile is scored against thousands of openings); `profile` gives the aspirations.
pub(crate) fn fit_score_with<H: Holdings>(
    holdings: &H,
    profile: &Profile,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
) -> u8 {
    let (raw, capped) = run(
        holdings,
        requirements,
        graph,
        config,
        ctx,
        |_, _, _, _, _| {},
    );
    let mut total = round_total(raw);
    match ctx.mode {
        Mode::OpeningsForPerson { opening, rarity } => {
            if capped {
                total = total.min(fit_part_cap(config));
            }
            total += parts(
                holdings,
                profile,
                requirements,
                (&opening, rarity),
                config,
                total,
                |_| {},
            );
            let bonus = aspirations(
                profile,
                requirements,
                &opening,
                config,
                100 - total,
                |_, _| {},
            );
            (total + bonus).min(100) as u8
        }
        Mode::PeopleForOpening => final_score(config, total, 0, capped) as u8,
    }
}

/// A relevance part as a reason.
fn part_reason(part: Part) -> Reason {
    match part {
        Part::Overlap(o, points) => Reason::Overlap(OverlapReason {
            shared: o.shared,
            held: o.held,
            asked: o.asked,
            overlap: o.value,
            points,
        }),
        Part::Direction(direction, levels, asked, points) => Reason::Direction(DirectionReason {
            direction,
            levels,
            asked,
            points,
        }),
        Part::Preference(preference, points) => {
            Reason::Preference(PreferenceReason { preference, points })
        }
    }
}
