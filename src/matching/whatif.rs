//! What if: the score a person would have after each course of a learning path
//! ("take Advanced SQL: 62 -> 78"), and after the whole path.

use serde::Serialize;

use super::config::MatchConfig;
use super::context::FitContext;
use super::fit::fit_score;
use super::learning::{raises_now, CourseCatalog, LearningPath, Step};
use super::model::{Evidence, HeldSkill, Level, Profile, Requirement, SkillGraph, SkillId};

/// The score before and after one course, the courses before it in the path already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepEffect {
    /// The course id.
    pub course: u32,
    /// The score before taking it.
    pub before: u8,
    /// The score after taking it.
    pub after: u8,
}

/// The scores along a learning path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIf {
    /// The score today.
    pub before: u8,
    /// Each course in the path's order; `steps[i].before == steps[i - 1].after`.
    pub steps: Vec<StepEffect>,
    /// The score once the whole path is done.
    pub after: u8,
}

/// The profile after completing a course: each skill it raises is at its new level, with
/// evidence `course_completed`, confirmed `today`. A level already higher is kept.
pub fn apply_step(profile: &mut Profile, step: &Step, today: i32) {
    for r in &step.raises {
        if profile.get(r.skill).is_none_or(|h| h.level < r.to) {
            profile.upsert(HeldSkill {
                skill: r.skill,
                level: r.to,
                evidence: Evidence::CourseCompleted,
                confirmed_on_day: today,
            });
        }
    }
}

/// The score before the path, after each of its courses (cumulative, in order) and after all
/// of them, computed with the same `fit` rules as everywhere else.
pub fn what_if(
    profile: &Profile,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
    path: &LearningPath,
) -> WhatIf {
    let mut p = profile.clone();
    let before = fit_score(&p, requirements, graph, config, ctx);
    let mut current = before;
    let steps = path
        .steps
        .iter()
        .map(|step| {
            apply_step(&mut p, step, ctx.today);
            let after = fit_score(&p, requirements, graph, config, ctx);
            let effect = StepEffect {
                course: step.course,
                before: current,
                after,
            };
            current = after;
            effect
        })
        .collect();
    WhatIf {
        before,
        steps,
        after: current,
    }
}

/// The same path reordered so the courses that raise the score most come first: at each
/// point, among the remaining steps that would do now exactly what the plan says (the same
/// raises, from the same levels, so the path still ends at the same levels), the one with
/// the largest score gain; ties keep the plan's order. A few dozen `fit_score` calls.
/// Returns the path unchanged when no such order exists.
#[allow(clippy::too_many_arguments)]
pub fn order_by_impact(
    profile: &Profile,
    requirements: &[Requirement],
    graph: &SkillGraph,
    config: &MatchConfig,
    ctx: &FitContext,
    path: &LearningPath,
    catalog: &CourseCatalog,
) -> LearningPath {
    // Every gap skill at its level before the path.
    let mut levels: Vec<(SkillId, Level)> =
        path.unclosable.iter().map(|g| (g.skill, g.have)).collect();
    for step in &path.steps {
        for r in &step.raises {
            if !levels.iter().any(|(s, _)| *s == r.skill) {
                levels.push((r.skill, r.from));
            }
        }
    }
    let mut p = profile.clone();
    let mut remaining: Vec<&Step> = path.steps.iter().collect();
    let mut ordered = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let mut best: Option<(usize, u8)> = None;
        for (i, step) in remaining.iter().enumerate() {
            let as_planned = catalog
                .course(step.course)
                .is_some_and(|c| raises_now(c, &levels) == step.raises);
            if !as_planned {
                continue;
            }
            let mut q = p.clone();
            apply_step(&mut q, step, ctx.today);
            let score = fit_score(&q, requirements, graph, config, ctx);
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        // Moving a step forward can change what a later one would do; if no step does
        // exactly what the plan says any more, keep the plan's own (valid) order.
        let Some((i, _)) = best else {
            return path.clone();
        };
        let step = remaining.remove(i);
        apply_step(&mut p, step, ctx.today);
        for r in &step.raises {
            if let Some(l) = levels.iter_mut().find(|(s, _)| *s == r.skill) {
                l.1 = r.to;
            }
        }
        ordered.push(step.clone());
    }
    LearningPath {
        steps: ordered,
        ..path.clone()
    }
}
