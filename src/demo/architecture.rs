//! Job profiles (every family at every level) with their required skills, and the career
//! paths between them; `Taxonomy::build`, which builds the skill taxonomy (in `taxonomy`)
//! and then the job architecture on top of it.

use super::data::StaticData;
use super::prevalence::{Prevalence, SPECIFIC_SHARE};
use super::random::{Gen, Stream};
use super::taxonomy::{
    CareerPath, Importance, Profile, ProfileSkill, Taxonomy, IC3, IC4, IC6, LEVEL_COUNT, M1, M2, M5,
};

impl Taxonomy {
    /// Build the taxonomy and job architecture from the static data.
    pub fn build(data: &'static StaticData, seed: u64) -> Taxonomy {
        let mut g = Gen::new(seed, Stream::Taxonomy);
        let mut taxonomy = Taxonomy::skills_and_families(data, &mut g);
        specific_technologies_last(&mut taxonomy);
        build_profiles(&mut taxonomy, &mut g);
        build_career_paths(&mut taxonomy, &mut g);
        taxonomy
    }
}

/// Job profiles ask for what everyone in the family uses (Git, debugging, SQL for data
/// people), not for one programming language: the core skills that only some of the family
/// hold (see `prevalence`) go last, beyond what any level's profile takes. People hold them
/// by how common they are, and openings ask for one of them beside the profile.
fn specific_technologies_last(t: &mut Taxonomy) {
    let prevalence = Prevalence::new(t);
    for (f, family) in t.families.iter_mut().enumerate() {
        let specific = |s: &u32| {
            prevalence.stacks[f]
                .iter()
                .any(|&(skill, share)| skill == *s && share < SPECIFIC_SHARE)
        };
        let (mut common, rest): (Vec<u32>, Vec<u32>) =
            family.core.iter().partition(|s| !specific(s));
        common.extend(rest);
        family.core = common;
    }
}

/// What each level adds to the family's description.
const LEVEL_SUMMARIES: [&str; 11] = [
    "At this level: learns the craft on well-defined tasks, with guidance from the team.",
    "At this level: delivers routine work independently and asks for help on harder problems.",
    "At this level: works independently on standard work and helps newer colleagues.",
    "At this level: leads complex work across a team and guides others.",
    "At this level: sets direction across several teams and is a recognised expert.",
    "At this level: shapes the company's practice in the field and is an authority beyond it.",
    "At this level: leads a team, hiring, coaching and growing its people to deliver its goals.",
    "At this level: leads a larger team or several small ones and develops new leaders.",
    "At this level: leads a group of teams and owns its strategy, budget and hiring plan.",
    "At this level: leads a large organisation of groups and shapes the department's direction.",
    "At this level: leads the whole function and sits on the company's leadership team.",
];

/// The title of a family's profile at `level`.
fn title(ic: &str, manager: &str, family: &str, level: u32) -> String {
    match level {
        0 => format!("Associate {ic}"),
        1 => ic.to_string(),
        2 => format!("Senior {ic}"),
        3 => format!("Staff {ic}"),
        4 => format!("Principal {ic}"),
        5 => format!("Distinguished {ic}"),
        6 => manager.to_string(),
        7 => format!("Senior {manager}"),
        8 => format!("Director, {family}"),
        9 => format!("Senior Director, {family}"),
        _ => format!("VP, {family}"),
    }
}

/// How many core skills a level requires, and the level of the i-th of `n`.
fn core_plan(level: u32) -> (usize, fn(usize, usize) -> u8) {
    match level {
        0 => (6, |_, _| 2),
        1 => (7, |i, n| if i < n / 2 { 3 } else { 2 }),
        2 => (7, |_, _| 3),
        3 => (8, |_, _| 4),
        4 => (8, |i, n| if i < n / 2 { 5 } else { 4 }),
        5 => (9, |i, n| if i < n * 2 / 3 { 5 } else { 4 }),
        6 => (6, |i, n| if i < n / 2 { 4 } else { 3 }),
        _ => (5, |_, _| 4),
    }
}

/// How many leadership skills a manager level requires, and the level of the i-th of `n`.
fn leadership_plan(level: u32) -> (usize, fn(usize, usize) -> u8) {
    match level {
        6 => (3, |_, _| 3),
        7 => (4, |i, n| if i < n / 2 { 4 } else { 3 }),
        8 => (4, |_, _| 4),
        9 => (5, |i, n| if i < n / 2 { 5 } else { 4 }),
        10 => (5, |i, _| if i < 3 { 5 } else { 4 }),
        _ => (0, |_, _| 1),
    }
}

/// Fill `taxonomy.profiles` and `profile_skills`: one profile per family and level.
fn build_profiles(t: &mut Taxonomy, g: &mut Gen) {
    for (f, family) in t.families.iter().enumerate() {
        for level in 0..LEVEL_COUNT {
            let start = t.profile_skills.len();
            let profile = t.profiles.len() as u32;
            t.profiles.push(Profile {
                id: g.id(),
                family: f as u32,
                level,
                title: title(family.ic_title, family.manager_title, family.name, level),
                description: format!("{} {}", family.description, LEVEL_SUMMARIES[level as usize]),
            });
            let mut chosen: Vec<u32> = Vec::new();
            let mut push =
                |skill: u32, lvl: u8, importance: Importance, out: &mut Vec<ProfileSkill>| {
                    if !chosen.contains(&skill) {
                        chosen.push(skill);
                        out.push(ProfileSkill {
                            profile,
                            skill,
                            level: lvl.clamp(1, 5),
                            importance,
                        });
                    }
                };
            let (n, level_of) = core_plan(level);
            let n = n.min(family.core.len());
            let essential = (n * 3).div_ceil(5);
            for (i, &skill) in family.core.iter().take(n).enumerate() {
                let importance = if i < essential {
                    Importance::Essential
                } else {
                    Importance::Important
                };
                push(skill, level_of(i, n), importance, &mut t.profile_skills);
            }
            let (n, level_of) = leadership_plan(level);
            let n = n.min(family.leadership.len());
            for (i, &skill) in family.leadership.iter().take(n).enumerate() {
                let importance = if i < 2 {
                    Importance::Essential
                } else {
                    Importance::Important
                };
                push(skill, level_of(i, n), importance, &mut t.profile_skills);
            }
            let secondary = match level {
                0 => 2,
                1 | 2 => 3,
                3..=5 => 4,
                _ => 2,
            };
            let base = if level <= IC6 {
                level_of_core_base(level)
            } else {
                3
            };
            for (i, &skill) in family.secondary.iter().take(secondary).enumerate() {
                let importance = if i == 0 || g.chance(0.3) {
                    Importance::Important
                } else {
                    Importance::NiceToHave
                };
                push(
                    skill,
                    base.saturating_sub(1).max(1),
                    importance,
                    &mut t.profile_skills,
                );
            }
            t.profile_skill_ranges.push(start..t.profile_skills.len());
        }
    }
}

/// The typical core level of an individual-contributor level.
fn level_of_core_base(level: u32) -> u8 {
    match level {
        0 | 1 => 2,
        2 => 3,
        _ => 4,
    }
}

/// Fill `taxonomy.career_paths`: promotions within each family and lateral moves between
/// related families at the same level.
fn build_career_paths(t: &mut Taxonomy, g: &mut Gen) {
    let mut edges: Vec<(u32, u32, bool, u8)> = Vec::new();
    for f in 0..t.families.len() as u32 {
        for level in 0..IC6 {
            let months = match level {
                0 => g.int(12..=18),
                1 => g.int(18..=30),
                _ => g.int(24..=36),
            } as u8;
            edges.push((t.profile(f, level), t.profile(f, level + 1), false, months));
        }
        edges.push((
            t.profile(f, IC3),
            t.profile(f, M1),
            false,
            g.int(24..=36) as u8,
        ));
        edges.push((
            t.profile(f, IC4),
            t.profile(f, M2),
            false,
            g.int(24..=36) as u8,
        ));
        for level in M1..M5 {
            edges.push((
                t.profile(f, level),
                t.profile(f, level + 1),
                false,
                g.int(24..=36) as u8,
            ));
        }
        for &other in &t.families[f as usize].lateral {
            for level in 0..LEVEL_COUNT {
                let months = g.int(12..=24) as u8;
                edges.push((t.profile(f, level), t.profile(other, level), true, months));
            }
        }
    }
    t.paths_from = vec![Vec::new(); t.profiles.len()];
    for (from, to, lateral, months) in edges {
        t.paths_from[from as usize].push(t.career_paths.len() as u32);
        t.career_paths.push(CareerPath {
            id: g.id(),
            from,
            to,
            lateral,
            months,
        });
    }
}

/// The profile someone held before a promotion into `profile`, if there is one: the level
/// below in the family (M1 comes from IC3, M2 from M1 or IC4), always of a lower rank.
pub fn promoted_from(t: &Taxonomy, profile: u32, g: &mut Gen) -> Option<u32> {
    let family = t.family_of(profile);
    let level = t.level_of(profile);
    let from = match level {
        0 => return None,
        l if l <= IC6 => l - 1,
        l if l == M1 => IC3,
        l if l == M2 => {
            if g.chance(0.7) {
                M1
            } else {
                IC4
            }
        }
        l => l - 1,
    };
    Some(t.profile(family, from))
}

/// A profile of a related family at the same level, for a lateral move into `profile`.
pub fn lateral_from(t: &Taxonomy, profile: u32, g: &mut Gen) -> Option<u32> {
    let family = &t.families[t.family_of(profile) as usize];
    if family.lateral.is_empty() {
        return None;
    }
    let other = g.choose(&family.lateral);
    Some(t.profile(other, t.level_of(profile)))
}
