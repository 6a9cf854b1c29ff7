//! Suggested career paths: where a job profile can lead, by skills (the profiles most
//! relevant to a typical holder, through the same relevance that ranks openings for a
//! person) and by the moves people actually made.

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::Serialize;

use super::config::MatchConfig;
use super::context::FitContext;
use super::fit::{fit, fit_score};
use super::model::{Evidence, HeldSkill, Mobility, OpeningTags, Profile, Requirement, SkillGraph};
use super::rarity::Rarity;
use super::reason::Fit;
use super::relevance::is_unasked_step_down;

/// A job profile, its family and level, and its required skills (`job_profile_skills`), by
/// dense id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobProfileSkills {
    /// The job profile (dense id).
    pub id: u32,
    /// Its required skills.
    pub requirements: Vec<Requirement>,
    /// Its job family (dense id), if known.
    pub family: Option<u32>,
    /// Its level's rank, if known: the direction of a move.
    pub rank: Option<u8>,
}

/// Rarity weights over the typical holders of `profiles`: a skill most profiles ask for
/// says little about where one of them leads.
pub fn profile_rarity(profiles: &[JobProfileSkills], config: &MatchConfig) -> Rarity {
    let mut counts: Vec<u32> = Vec::new();
    for p in profiles {
        for h in typical_holder(&p.requirements).skills() {
            if counts.len() <= h.skill.index() {
                counts.resize(h.skill.index() + 1, 0);
            }
            counts[h.skill.index()] += 1;
        }
    }
    Rarity::from_holder_counts(&counts, profiles.len() as u32, config)
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

/// The `k` other profiles most relevant to a typical holder of `from` (score > 0), best
/// first, ties by profile id; a step down comes after every other profile. Scored as the
/// holder would see them as openings: the fit, the overlap with the holder's skills
/// (`rarity`, e.g. `profile_rarity`), the direction of the move.
pub fn suggest_career_paths(
    from: &JobProfileSkills,
    profiles: &[JobProfileSkills],
    graph: &SkillGraph,
    config: &MatchConfig,
    rarity: &Rarity,
    k: usize,
) -> Vec<SuggestedPath> {
    let holder = typical_holder(&from.requirements).with_mobility(Mobility {
        rank: from.rank,
        ..Mobility::default()
    });
    let mut out: Vec<_> = profiles
        .iter()
        .filter(|p| p.id != from.id)
        .map(|p| {
            let tags = OpeningTags {
                job_profile: Some(p.id),
                job_family: p.family,
                rank: p.rank,
                ..OpeningTags::default()
            };
            let ctx = FitContext::openings_for_person(0, rarity, tags);
            let score = fit_score(&holder, &p.requirements, graph, config, &ctx);
            (
                is_unasked_step_down(&holder, &tags),
                Reverse(score),
                p.id,
                ctx,
                p,
            )
        })
        .filter(|s| s.1 .0 > 0)
        .collect();
    out.sort_by_key(|s| (s.0, s.1, s.2));
    out.truncate(k);
    // Only the suggestions shown are explained.
    out.into_iter()
        .map(|(_, _, id, ctx, p)| SuggestedPath {
            profile: id,
            fit: fit(&holder, &p.requirements, graph, config, &ctx),
        })
        .collect()
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

    fn profile(id: u32, rank: u8, requirements: Vec<Requirement>) -> JobProfileSkills {
        JobProfileSkills {
            id,
            requirements,
            family: Some(0),
            rank: Some(rank),
        }
    }

    #[test]
    fn a_typical_holder_is_led_up_its_family_first_and_down_never_first() {
        let junior = profile(1, 2, vec![req(0, 2), req(1, 2), req(2, 2)]);
        let senior = profile(2, 3, vec![req(0, 3), req(1, 3), req(2, 3)]);
        let sales = profile(3, 2, vec![req(7, 3), req(8, 3)]);
        let lateral = profile(4, 2, vec![req(0, 2), req(9, 2)]);
        // Asks for little: fully covered by the junior, but a step down.
        let trainee = profile(5, 1, vec![req(0, 1)]);
        let all = [junior.clone(), senior, sales, lateral, trainee];
        let config = MatchConfig::default();
        let rarity = profile_rarity(&all, &config);
        let got = suggest_career_paths(&junior, &all, &SkillGraph::empty(), &config, &rarity, 5);
        let ids: Vec<u32> = got.iter().map(|s| s.profile).collect();
        assert_eq!(
            ids,
            vec![2, 4, 5],
            "the same profile and zero scores are left out; the step down comes last"
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
