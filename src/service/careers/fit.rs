//! A person's fit for a job profile (its required skills), with the learning path that
//! closes the gaps: the engine's `readiness`, but against a profile instead of an opening.

use std::collections::HashMap;

use uuid::Uuid;

use crate::engine::views::{FitView, PathView};
use crate::engine::Engine;
use crate::matching::{
    fit, fit_score, gaps, learning_path, order_by_impact, what_if, FitContext, Importance,
    Requirement,
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
