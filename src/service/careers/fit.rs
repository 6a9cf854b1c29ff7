//! A person's fit for a job profile (its required skills), with the learning path that
//! closes the gaps: the engine's `readiness`, but against a profile instead of an opening.

use std::collections::HashMap;

use uuid::Uuid;

use crate::engine::views::{FitView, PathView};
use crate::engine::Engine;
use crate::matching::{
    fit, fit_score, gaps, is_unasked_step_down, learning_path, order_by_impact, what_if, Direction,
    FitContext, Importance, OpeningKind, OpeningTags, Reason, Requirement,
};

/// A required skill of a job profile, as stored (`job_profile_skills`).
#[derive(Debug, Clone)]
pub struct ProfileSkill {
    pub skill: Uuid,
    pub level: i16,
    pub importance: String,
}

fn requirements(engine_live: &crate::engine::Live, skills: &[ProfileSkill]) -> Vec<Requirement> {
    skills
        .iter()
        .filter_map(|s| {
            Some(Requirement {
                skill: engine_live.ids.skill_of(s.skill)?,
                level: u8::try_from(s.level).ok()?,
                importance: Importance::from_db(&s.importance)?,
            })
        })
        .collect()
}

/// The person's fit (0-100) for each profile, as a manager would score them; profiles the
/// engine cannot score (unknown person) are left out.
pub fn scores(
    engine: &Engine,
    person: Uuid,
    profiles: &HashMap<Uuid, Vec<ProfileSkill>>,
    today: i32,
) -> HashMap<Uuid, u8> {
    let live = engine.read();
    let Some(entry) = live
        .ids
        .person_of(person)
        .and_then(|p| live.index.person(p))
    else {
        return HashMap::new();
    };
    let ctx = FitContext::people_for_opening(today);
    profiles
        .iter()
        .map(|(id, skills)| {
            let reqs = requirements(&live, skills);
            let score = fit_score(
                &entry.profile,
                &reqs,
                live.index.graph(),
                live.index.config(),
                &ctx,
            );
            (*id, score)
        })
        .collect()
}

/// The fit with every reason and the learning path (courses by score gain, time to
/// readiness) toward a profile. None when the person is unknown to the engine.
pub fn readiness(
    engine: &Engine,
    person: Uuid,
    skills: &[ProfileSkill],
    weekly_hours: f32,
    today: i32,
) -> Option<(FitView, PathView)> {
    let live = engine.read();
    let profile = &live.index.person(live.ids.person_of(person)?)?.profile;
    let reqs = requirements(&live, skills);
    let ctx = FitContext::people_for_opening(today);
    let (graph, config) = (live.index.graph(), live.index.config());
    let now = fit(profile, &reqs, graph, config, &ctx);
    let gap_list = gaps(profile, &reqs);
    let fewest = learning_path(&gap_list, &live.catalog, config);
    let path = order_by_impact(profile, &reqs, graph, config, &ctx, &fewest, &live.catalog);
    let effects = what_if(profile, &reqs, graph, config, &ctx, &path);
    Some((
        live.fit_view(&now),
        live.path_view(&path, &effects, weekly_hours),
    ))
}

/// Where a person stands toward a job profile as a move: the relevance (as if it were an
/// opening for a role), the fit a manager would see, and the overlap and direction behind it.
#[derive(Debug, Clone)]
pub struct Standing {
    pub relevance: u8,
    pub fit: u8,
    pub uses_skills: u16,
    pub of_skills: u16,
    pub to_learn: u16,
    /// `up`, `level`, `stretch` or `down`.
    pub direction: Option<&'static str>,
    /// A step down the person has not asked for.
    pub unasked_down: bool,
}

/// The person's standing toward each profile; empty when the engine does not know them.
pub fn standings(
    engine: &Engine,
    person: Uuid,
    profiles: &HashMap<Uuid, Vec<ProfileSkill>>,
    today: i32,
) -> HashMap<Uuid, Standing> {
    let live = engine.read();
    let Some(entry) = live
        .ids
        .person_of(person)
        .and_then(|p| live.index.person(p))
    else {
        return HashMap::new();
    };
    let (graph, config) = (live.index.graph(), live.index.config());
    let manager = FitContext::people_for_opening(today);
    profiles
        .iter()
        .map(|(id, skills)| {
            let reqs = requirements(&live, skills);
            let dense = live.ids.profile_of(*id);
            let info = dense.and_then(|p| live.profiles.get(&p));
            let tags = OpeningTags {
                job_profile: dense,
                job_family: info.map(|i| i.family),
                rank: info.map(|i| i.rank),
                kind: Some(OpeningKind::Role),
                ..OpeningTags::default()
            };
            let ctx = FitContext::openings_for_person(today, live.index.rarity(), tags);
            let relevance = fit(&entry.profile, &reqs, graph, config, &ctx);
            let held = entry.profile.skills().len() as u16;
            let asked = {
                let mut s: Vec<_> = reqs.iter().map(|r| r.skill).collect();
                s.sort_unstable();
                s.dedup();
                s.len() as u16
            };
            let shared = reqs
                .iter()
                .filter(|r| entry.profile.get(r.skill).is_some())
                .count() as u16;
            let direction = relevance.reasons.iter().find_map(|r| match r {
                Reason::Direction(d) => Some(match d.direction {
                    Direction::Up => "up",
                    Direction::Level => "level",
                    Direction::Stretch => "stretch",
                    Direction::Down => "down",
                }),
                _ => None,
            });
            let standing = Standing {
                relevance: relevance.score,
                fit: fit_score(&entry.profile, &reqs, graph, config, &manager),
                uses_skills: shared.min(held),
                of_skills: held,
                to_learn: asked.saturating_sub(shared),
                direction,
                unasked_down: is_unasked_step_down(&entry.profile, &tags),
            };
            (*id, standing)
        })
        .collect()
}
