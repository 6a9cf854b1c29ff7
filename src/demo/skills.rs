//! What people know and want: skill profiles with their evidence, and career aspirations
//! (target roles and interests).

use uuid::Uuid;

use super::org::Org;
use super::prevalence::{usual_level, Prevalence};
use super::random::{Day, Gen, Stamp, Stream};
use super::taxonomy::{Importance, Taxonomy};
use super::texts::ASPIRATION_SUMMARIES;
use super::timeline::HISTORY_DAYS;

/// Where a skill level comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    SelfAssessed,
    ManagerValidated,
    CourseCompleted,
    Assessed,
}

impl Evidence {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::SelfAssessed => "self_assessed",
            Evidence::ManagerValidated => "manager_validated",
            Evidence::CourseCompleted => "course_completed",
            Evidence::Assessed => "assessed",
        }
    }
}

/// A skill held by a person.
#[derive(Debug, Clone)]
pub struct PersonSkill {
    pub person: u32,
    pub skill: u32,
    pub level: u8,
    pub evidence: Evidence,
    /// The manager who validated it (evidence `ManagerValidated`); validated at `updated`.
    pub validated_by: Option<u32>,
    pub mentoring: bool,
    pub created: Stamp,
    pub updated: Stamp,
}

/// A person's career aspirations.
#[derive(Debug, Clone)]
pub struct Aspiration {
    pub person: u32,
    pub relocation: bool,
    pub roles: bool,
    pub secondments: bool,
    pub projects: bool,
    pub mentoring: bool,
    /// Weekly learning hours, in tenths.
    pub hours_tenths: u16,
    pub summary: String,
    pub created: Stamp,
    pub updated: Stamp,
}

/// A job profile a person aims for.
#[derive(Debug, Clone)]
pub struct AspirationTarget {
    pub person: u32,
    pub profile: u32,
    pub position: u8,
    pub created: Stamp,
}

/// A skill or a job family a person is curious about.
#[derive(Debug, Clone)]
pub struct Interest {
    pub id: Uuid,
    pub person: u32,
    pub skill: Option<u32>,
    pub family: Option<u32>,
    pub created: Stamp,
}

/// Skill profiles and aspirations of the active people.
pub struct Profiles {
    pub person_skills: Vec<PersonSkill>,
    /// For each person, their range in `person_skills`.
    pub ranges: Vec<std::ops::Range<usize>>,
    pub aspirations: Vec<Aspiration>,
    pub targets: Vec<AspirationTarget>,
    /// For each person, their range in `targets`.
    pub target_ranges: Vec<std::ops::Range<usize>>,
    pub interests: Vec<Interest>,
}

impl Profiles {
    /// The skills of a person.
    pub fn of(&self, person: u32) -> &[PersonSkill] {
        match self.ranges.get(person as usize) {
            Some(r) => &self.person_skills[r.clone()],
            None => &[],
        }
    }

    /// The level a person holds in a skill (0 when they do not have it).
    pub fn level(&self, person: u32, skill: u32) -> u8 {
        self.of(person)
            .iter()
            .find(|s| s.skill == skill)
            .map_or(0, |s| s.level)
    }

    /// The aspiration targets of a person, in order.
    pub fn targets_of(&self, person: u32) -> impl Iterator<Item = u32> + '_ {
        let range = self
            .target_ranges
            .get(person as usize)
            .cloned()
            .unwrap_or(0..0);
        self.targets[range].iter().map(|a| a.profile)
    }
}

/// Build everyone's skills and aspirations.
pub fn build(t: &Taxonomy, org: &Org, seed: u64) -> Profiles {
    let mut g = Gen::new(seed, Stream::Skills);
    let mut out = Profiles {
        person_skills: Vec::new(),
        ranges: Vec::with_capacity(org.active as usize),
        aspirations: Vec::new(),
        targets: Vec::new(),
        target_ranges: Vec::with_capacity(org.active as usize),
        interests: Vec::new(),
    };
    let prevalence = Prevalence::new(t);
    for p in org.active_people() {
        let start = out.person_skills.len();
        skills_of(t, org, &prevalence, p, &mut g, &mut out.person_skills);
        out.ranges.push(start..out.person_skills.len());
    }
    let demo = org.demo;
    let person_skills = std::mem::take(&mut out.person_skills);
    for p in org.active_people() {
        let start = out.targets.len();
        if p == demo.employee || p == demo.manager || g.chance(0.6) {
            let held = &person_skills[out.ranges[p as usize].clone()];
            aspirations_of(t, org, held, p, &mut g, &mut out);
        }
        out.target_ranges.push(start..out.targets.len());
    }
    out.person_skills = person_skills;
    out
}

/// The days since `p` was hired, at most the history, at least one.
fn window(org: &Org, p: u32) -> i32 {
    (-org.people[p as usize].hire.0 - 1).clamp(1, HISTORY_DAYS)
}

/// A person's skills: most of what their job profile requires (around the level it asks),
/// the tools and technologies of their job family by how common each is (at the level usual
/// for their job level), some general skills, and a few related or secondary ones.
fn skills_of(
    t: &Taxonomy,
    org: &Org,
    prevalence: &Prevalence,
    p: u32,
    g: &mut Gen,
    out: &mut Vec<PersonSkill>,
) {
    let person = &org.people[p as usize];
    let demo = p == org.demo.employee;
    let newcomer = person.role_start.0 > -365;
    let deltas: [u32; 3] = if newcomer { [35, 55, 10] } else { [20, 60, 20] };
    let mut held: Vec<(u32, u8)> = Vec::new();
    for r in t.skills_of(person.profile) {
        let keep = match r.importance {
            Importance::Essential => 0.93,
            Importance::Important => 0.82,
            Importance::NiceToHave => 0.6,
        };
        if !person.can_sign_in && !g.chance(keep) {
            continue;
        }
        let delta = g.weighted(&deltas) as i32 - 1;
        held.push((r.skill, (i32::from(r.level) + delta).clamp(1, 5) as u8));
    }
    let level = &t.levels[t.level_of(person.profile) as usize];
    let usual = i32::from(usual_level(level.rank, level.manager));
    let family_ix = t.family_of(person.profile) as usize;
    for &(skill, share) in &prevalence.stacks[family_ix] {
        if !held.iter().any(|(h, _)| *h == skill) && g.chance(share) {
            let delta = g.weighted(&[20, 60, 20]) as i32 - 1;
            held.push((skill, (usual + delta).clamp(1, 5) as u8));
        }
    }
    for &(skill, share) in &prevalence.general {
        if !held.iter().any(|(h, _)| *h == skill) && g.chance(share) {
            held.push((skill, g.weighted(&[10, 40, 35, 15]) as u8 + 1));
        }
    }
    let family = &t.families[t.family_of(person.profile) as usize];
    let mut candidates: Vec<u32> = family.secondary.clone();
    for &(skill, _) in &held {
        candidates.extend(t.related[skill as usize].iter().take(3));
    }
    candidates.retain(|s| !held.iter().any(|(h, _)| h == s));
    candidates.sort_unstable();
    candidates.dedup();
    let extras = if demo { 6 } else { g.int(1..=4) as usize };
    for skill in g.sample(&candidates, extras) {
        held.push((skill, g.weighted(&[15, 35, 35, 15]) as u8 + 1));
    }
    let window = window(org, p);
    let hire = person.hire;
    for (i, (skill, level)) in held.into_iter().enumerate() {
        let mut evidence = match g.weighted(&[55, 25, 12, 8]) {
            0 => Evidence::SelfAssessed,
            1 => Evidence::ManagerValidated,
            2 => Evidence::CourseCompleted,
            _ => Evidence::Assessed,
        };
        if demo {
            evidence = [
                Evidence::ManagerValidated,
                Evidence::SelfAssessed,
                Evidence::CourseCompleted,
            ][i % 3];
        }
        if person.manager.is_none() && evidence == Evidence::ManagerValidated {
            evidence = Evidence::SelfAssessed;
        }
        let days_ago = if evidence == Evidence::SelfAssessed && window > 730 && g.chance(0.25) {
            g.i32(731..=window)
        } else {
            g.i32(1..=window)
        };
        let updated = g.during(Day(-days_ago));
        let created_day = Day(-days_ago - g.i32(0..=200)).max(hire);
        let created = g.during(created_day).min(updated);
        out.push(PersonSkill {
            person: p,
            skill,
            level,
            evidence,
            validated_by: if evidence == Evidence::ManagerValidated {
                person.manager
            } else {
                None
            },
            // Each demo sign-in mentors in their first skill, so the mentoring journey can be tried
            // by one sign-in with another.
            mentoring: (level >= 4 && g.chance(0.15))
                || (person.can_sign_in && i == 0 && level >= 3),
            created,
            updated,
        });
    }
}

fn aspirations_of(
    t: &Taxonomy,
    org: &Org,
    held: &[PersonSkill],
    p: u32,
    g: &mut Gen,
    out: &mut Profiles,
) {
    let person = &org.people[p as usize];
    let demo = p == org.demo.employee;
    let created = g.ago(2..=window(org, p).max(2));
    let updated = created.max(g.ago(1..=30));
    // Targets: one or two career paths out of the current profile, promotions preferred.
    let paths = &t.paths_from[person.profile as usize];
    let mut targets: Vec<u32> = Vec::new();
    if demo {
        let eng = t.family_of(person.profile);
        targets.push(t.profile(eng, super::taxonomy::IC4));
        targets.push(t.profile(eng, super::taxonomy::M1));
    } else if !paths.is_empty() {
        let weights: Vec<u32> = paths
            .iter()
            .map(|&c| {
                if t.career_paths[c as usize].lateral {
                    1
                } else {
                    3
                }
            })
            .collect();
        let wanted = if g.chance(0.35) { 2 } else { 1 };
        while targets.len() < wanted.min(paths.len()) {
            let to = t.career_paths[paths[g.weighted(&weights)] as usize].to;
            if !targets.contains(&to) {
                targets.push(to);
            }
        }
    }
    for (i, &profile) in targets.iter().enumerate() {
        out.targets.push(AspirationTarget {
            person: p,
            profile,
            position: i as u8 + 1,
            created,
        });
    }
    // Interests: skills the first target needs that the person lacks, else related skills.
    let mut gaps: Vec<u32> = targets
        .first()
        .map(|&target| {
            t.skills_of(target)
                .iter()
                .filter(|r| {
                    held.iter()
                        .find(|h| h.skill == r.skill)
                        .is_none_or(|h| h.level < r.level)
                })
                .map(|r| r.skill)
                .collect()
        })
        .unwrap_or_default();
    if gaps.is_empty() {
        gaps = held
            .iter()
            .flat_map(|h| t.related[h.skill as usize].first().copied())
            .collect();
        gaps.retain(|s| !held.iter().any(|h| h.skill == *s));
        gaps.sort_unstable();
        gaps.dedup();
    }
    let k = if demo { 3 } else { g.int(1..=3) as usize };
    for skill in g.sample(&gaps, k) {
        out.interests.push(Interest {
            id: g.id(),
            person: p,
            skill: Some(skill),
            family: None,
            created,
        });
    }
    let family = &t.families[t.family_of(person.profile) as usize];
    if !family.lateral.is_empty() && g.chance(0.25) {
        let other = g.choose(&family.lateral);
        out.interests.push(Interest {
            id: g.id(),
            person: p,
            skill: None,
            family: Some(other),
            created,
        });
    }
    let target_title = targets
        .first()
        .map(|&tp| t.profiles[tp as usize].title.as_str());
    let summary = match target_title {
        Some(title) => g.pick(&ASPIRATION_SUMMARIES).replace("{target}", title),
        None => ASPIRATION_SUMMARIES[3].to_string(),
    };
    out.aspirations.push(Aspiration {
        person: p,
        relocation: g.chance(0.2),
        roles: demo || g.chance(0.8),
        secondments: g.chance(0.35),
        projects: demo || g.chance(0.75),
        mentoring: g.chance(0.6),
        hours_tenths: g.int(2..=10) as u16 * 5,
        summary,
        created,
        updated,
    });
}
