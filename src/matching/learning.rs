//! Learning paths: the courses that close a person's gaps with the fewest total hours.
//!
//! The rule for a course, per skill it teaches: a learner at level `c` in skill `s` with
//! `c >= entry_level` and `c < target_level` reaches `target_level` in `s` (the database's
//! "a learner at entry_level or above reaches target_level"); the course does nothing for
//! skills where the learner is below the entry level or already at the target. A course is
//! taken at most once, and only when it raises at least one gap skill at that moment.
//!
//! The path closes as many gaps as any order of courses can, with the fewest total hours,
//! in an order where every course is useful when taken. Gaps are split into groups linked
//! by shared courses, and each group is searched exactly (see `plan`).

use std::collections::HashMap;

use serde::Serialize;

use super::config::MatchConfig;
use super::model::{Level, Profile, Requirement, SkillId, MAX_LEVEL};
use super::plan::{self, Entry, PlanCourse};
use super::plan_greedy;

/// What a course does for one skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CourseSkill {
    /// The skill.
    pub skill: SkillId,
    /// The level a learner needs in the skill for the course to raise it, 0..=4.
    pub entry_level: Level,
    /// The level the course brings the learner to, 1..=5, above `entry_level`.
    pub target_level: Level,
}

/// A course of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Course {
    /// Dense course id assigned by the loader.
    pub id: u32,
    /// Its length in hours (the database keeps tenths).
    pub hours: f32,
    /// The skills it develops.
    pub skills: Vec<CourseSkill>,
}

/// A skill a person holds below the level needed (`have` 0 means not held).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The skill.
    pub skill: SkillId,
    /// The level held, 0 when not held.
    pub have: Level,
    /// The level needed.
    pub need: Level,
}

/// The gaps of a profile against requirements: each required skill held below the level
/// asked, or not held.
pub fn gaps(profile: &Profile, requirements: &[Requirement]) -> Vec<Gap> {
    requirements
        .iter()
        .filter_map(|r| {
            let have = profile.get(r.skill).map_or(0, |h| h.level);
            (have < r.level).then_some(Gap {
                skill: r.skill,
                have,
                need: r.level,
            })
        })
        .collect()
}

/// The course catalogue, indexed by skill so a path only looks at the few dozen courses that
/// teach a gap skill, not all 5,000. Built once by the loader, shared read-only.
#[derive(Debug, Clone, Default)]
pub struct CourseCatalog {
    courses: Vec<Course>,
    by_skill: Vec<Vec<u32>>,
    by_id: HashMap<u32, u32>,
}

impl CourseCatalog {
    /// Indexes the courses (retired courses should be left out by the loader).
    pub fn new(courses: Vec<Course>) -> Self {
        let mut by_skill: Vec<Vec<u32>> = Vec::new();
        for (i, c) in courses.iter().enumerate() {
            for cs in &c.skills {
                if by_skill.len() <= cs.skill.index() {
                    by_skill.resize_with(cs.skill.index() + 1, Vec::new);
                }
                let list = &mut by_skill[cs.skill.index()];
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        let by_id = courses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i as u32))
            .collect();
        Self {
            courses,
            by_skill,
            by_id,
        }
    }

    /// A course by id.
    pub fn course(&self, id: u32) -> Option<&Course> {
        self.by_id.get(&id).map(|&i| &self.courses[i as usize])
    }

    /// All courses, in the order given.
    pub fn courses(&self) -> &[Course] {
        &self.courses
    }

    /// The courses that teach a skill.
    pub fn teaching(&self, skill: SkillId) -> impl Iterator<Item = &Course> {
        self.by_skill
            .get(skill.index())
            .into_iter()
            .flatten()
            .map(|&i| &self.courses[i as usize])
    }
}

/// A skill a step raises, and from and to which level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Raise {
    /// The gap skill raised.
    pub skill: SkillId,
    /// The level before the course (0: not held).
    pub from: Level,
    /// The level after the course.
    pub to: Level,
}

/// One course of a path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The course id.
    pub course: u32,
    /// Its hours.
    pub hours: f32,
    /// The gap skills it raises at this point of the path (at least one).
    pub raises: Vec<Raise>,
}

/// What taking `course` does now to the gap skills whose current levels are in `levels`
/// (the per-skill rule of this module); skills not in `levels` are not gaps and ignored.
pub(crate) fn raises_now(course: &Course, levels: &[(SkillId, Level)]) -> Vec<Raise> {
    course
        .skills
        .iter()
        .filter_map(|cs| {
            let (_, l) = levels.iter().find(|(s, _)| *s == cs.skill)?;
            (*l >= cs.entry_level && *l < cs.target_level).then_some(Raise {
                skill: cs.skill,
                from: *l,
                to: cs.target_level,
            })
        })
        .collect()
}

/// The courses that close the gaps, in order, with what they add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearningPath {
    /// The courses in a valid order: each raises at least one gap skill when taken.
    pub steps: Vec<Step>,
    /// The sum of the steps' hours.
    pub total_hours: f32,
    /// The gap skills the path brings to the level needed.
    pub closed: Vec<SkillId>,
    /// The gaps no order of courses closes (offer mentors and projects for these).
    pub unclosable: Vec<Gap>,
    /// False when a group of gaps was too large for the exact search and a greedy path was
    /// used instead (never for the sizes that occur: up to ~20 gaps).
    pub exact: bool,
}

/// Hours as integer tenths, the database's precision, so sums are exact.
fn tenths(hours: f32) -> u64 {
    (f64::from(hours) * 10.0).round().max(0.0) as u64
}

/// The learning path with the fewest total hours that closes every gap it can.
/// Gaps with `have >= need` are ignored; a skill listed twice keeps the larger need.
pub fn learning_path(gaps: &[Gap], catalog: &CourseCatalog, config: &MatchConfig) -> LearningPath {
    let mut gs: Vec<Gap> = Vec::with_capacity(gaps.len());
    for g in gaps {
        let need = g.need.min(MAX_LEVEL);
        if g.have >= need {
            continue;
        }
        match gs.iter_mut().find(|x| x.skill == g.skill) {
            Some(x) => {
                x.need = x.need.max(need);
                x.have = x.have.min(g.have);
            }
            None => gs.push(Gap { need, ..*g }),
        }
    }
    let gap_of = |skill: SkillId| gs.iter().position(|g| g.skill == skill);

    // The courses that could raise a gap skill, with their entries on gap skills.
    let mut course_ix: Vec<u32> = gs
        .iter()
        .flat_map(|g| {
            catalog
                .by_skill
                .get(g.skill.index())
                .into_iter()
                .flatten()
                .copied()
        })
        .collect();
    course_ix.sort_unstable();
    course_ix.dedup();
    let relevant: Vec<(u32, Vec<Entry>)> = course_ix
        .into_iter()
        .filter_map(|ci| {
            let entries: Vec<Entry> = catalog.courses[ci as usize]
                .skills
                .iter()
                .filter_map(|cs| {
                    let g = gap_of(cs.skill)?;
                    let useful = cs.target_level > gs[g].have
                        && cs.target_level > cs.entry_level
                        && cs.entry_level < gs[g].need;
                    useful.then_some(Entry {
                        skill: g,
                        entry: cs.entry_level,
                        target: cs.target_level,
                    })
                })
                .collect();
            (!entries.is_empty()).then_some((ci, entries))
        })
        .collect();

    // The highest level each gap could reach if courses could be repeated: an upper bound.
    // A gap that cannot reach its need even so is unclosable.
    let mut reach: Vec<Level> = gs.iter().map(|g| g.have).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for e in relevant.iter().flat_map(|(_, es)| es) {
            if reach[e.skill] >= e.entry && reach[e.skill] < e.target {
                reach[e.skill] = e.target;
                changed = true;
            }
        }
    }
    let candidate: Vec<bool> = gs.iter().zip(&reach).map(|(g, &r)| r >= g.need).collect();

    // Groups of candidate gaps linked by shared courses (union-find).
    let mut parent: Vec<usize> = (0..gs.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (_, es) in &relevant {
        let mut linked = es.iter().filter(|e| candidate[e.skill]).map(|e| e.skill);
        if let Some(first) = linked.next() {
            for s in linked {
                let (a, b) = (root(&mut parent, first), root(&mut parent, s));
                parent[b] = a;
            }
        }
    }

    let mut sequence: Vec<u32> = Vec::new();
    let mut exact = true;
    let mut done = vec![false; gs.len()];
    for g0 in 0..gs.len() {
        if !candidate[g0] || done[g0] {
            continue;
        }
        let r = root(&mut parent, g0);
        let members: Vec<usize> = (0..gs.len())
            .filter(|&g| candidate[g] && root(&mut parent, g) == r)
            .collect();
        for &m in &members {
            done[m] = true;
        }
        let local = |g: usize| members.iter().position(|&m| m == g);
        let mut course_of = Vec::new();
        let courses: Vec<PlanCourse> = relevant
            .iter()
            .filter_map(|(ci, es)| {
                let entries: Vec<Entry> = es
                    .iter()
                    .filter_map(|e| local(e.skill).map(|s| Entry { skill: s, ..*e }))
                    .collect();
                if entries.is_empty() {
                    return None;
                }
                course_of.push(*ci);
                Some(PlanCourse {
                    cost: tenths(catalog.courses[*ci as usize].hours),
                    entries,
                })
            })
            .collect();
        let have: Vec<u8> = members.iter().map(|&m| gs[m].have).collect();
        let need: Vec<u8> = members.iter().map(|&m| gs[m].need).collect();
        let found = if members.len() <= plan::MAX_SKILLS {
            plan::solve(&have, &need, &courses, config.learning_max_states)
        } else {
            None
        };
        let order = found.unwrap_or_else(|| {
            exact = false;
            plan_greedy::greedy(&have, &need, &courses)
        });
        sequence.extend(order.into_iter().map(|c| course_of[c]));
    }

    // Replay the sequence on the real levels to describe each step.
    let mut levels: Vec<Level> = gs.iter().map(|g| g.have).collect();
    let mut total = 0u64;
    let steps: Vec<Step> = sequence
        .iter()
        .map(|&ci| {
            let course = &catalog.courses[ci as usize];
            total += tenths(course.hours);
            let mut raises = Vec::new();
            for cs in &course.skills {
                if let Some(g) = gap_of(cs.skill) {
                    let l = levels[g];
                    if l >= cs.entry_level && l < cs.target_level {
                        raises.push(Raise {
                            skill: cs.skill,
                            from: l,
                            to: cs.target_level,
                        });
                        levels[g] = cs.target_level;
                    }
                }
            }
            Step {
                course: course.id,
                hours: course.hours,
                raises,
            }
        })
        .collect();
    let closed = gs
        .iter()
        .zip(&levels)
        .filter(|(g, &l)| l >= g.need)
        .map(|(g, _)| g.skill)
        .collect();
    let unclosable = gs
        .iter()
        .zip(&levels)
        .filter(|(g, &l)| l < g.need)
        .map(|(g, _)| *g)
        .collect();
    LearningPath {
        steps,
        total_hours: total as f32 / 10.0,
        closed,
        unclosable,
        exact,
    }
}

/// Whole weeks until a path of `total_hours` is done at `weekly_learning_hours` a week
/// (the person's aspirations, default 2). `Some(0)` for an empty path; `None` when the path
/// has hours but the person plans no learning time.
pub fn weeks_to_ready(total_hours: f32, weekly_learning_hours: f32) -> Option<u32> {
    if total_hours <= 0.0 {
        return Some(0);
    }
    if weekly_learning_hours.is_nan() || weekly_learning_hours <= 0.0 {
        return None;
    }
    let weeks = f64::from(total_hours) / f64::from(weekly_learning_hours);
    Some((weeks - 1e-6).ceil().max(1.0) as u32)
}
