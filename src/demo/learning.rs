//! Learning: a course catalogue covering every skill the job profiles ask for, internal
//! experts as authors, and three years of enrolments.

use std::collections::HashSet;

use uuid::Uuid;

use super::random::{Gen, Stamp, Stream};
use super::skills::Profiles;
use super::taxonomy::{capitalise, Taxonomy};

/// How a course is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    ELearning,
    Workshop,
    OnTheJob,
    External,
}

impl Format {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::ELearning => "e_learning",
            Format::Workshop => "workshop",
            Format::OnTheJob => "on_the_job",
            Format::External => "external",
        }
    }
}

/// A course.
#[derive(Debug, Clone)]
pub struct Course {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub format: Format,
    pub provider: &'static str,
    pub author: Option<u32>,
    /// Length in tenths of an hour.
    pub hours_tenths: u16,
    pub retired: Option<Stamp>,
    pub created: Stamp,
}

/// A skill a course develops: from `entry` to `target`.
#[derive(Debug, Clone)]
pub struct CourseSkill {
    pub course: u32,
    pub skill: u32,
    pub entry: u8,
    pub target: u8,
}

/// A live course that develops a skill, as seen from the skill.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    pub course: u32,
    pub entry: u8,
    pub target: u8,
}

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentStatus {
    Enrolled,
    InProgress,
    Completed,
    Dropped,
}

impl EnrolmentStatus {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::InProgress => "in_progress",
            EnrolmentStatus::Completed => "completed",
            EnrolmentStatus::Dropped => "dropped",
        }
    }
}

/// A person taking a course.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub id: Uuid,
    pub course: u32,
    pub person: u32,
    pub status: EnrolmentStatus,
    pub progress: u8,
    pub enrolled: Stamp,
    pub completed: Option<Stamp>,
    pub updated: Stamp,
}

/// The catalogue and the enrolments.
pub struct Learning {
    pub courses: Vec<Course>,
    pub course_skills: Vec<CourseSkill>,
    /// Live (not retired) courses per skill, by ascending target level.
    pub by_skill: Vec<Vec<Offer>>,
    pub enrolments: Vec<Enrolment>,
}

const E_LEARNING_PROVIDERS: [&str; 6] = [
    "Internal Academy",
    "LinkedIn Learning",
    "Coursera",
    "Pluralsight",
    "O'Reilly",
    "Udemy Business",
];
const EXTERNAL_PROVIDERS: [&str; 3] = ["Coursera", "O'Reilly", "Udemy Business"];

/// Which course of a skill: titles for knowledge and for a skill's gerund, description
/// opening, entry and target levels, hours range, format weights.
struct Kind {
    title: fn(&str) -> String,
    skill_title: fn(&str) -> String,
    opening: &'static str,
    entry: u8,
    target: u8,
    hours: (i64, i64),
    formats: [u32; 4],
}

const KINDS: [Kind; 3] = [
    Kind {
        title: |s| format!("Introduction to {s}"),
        skill_title: |s| format!("Introduction to {s}"),
        opening: "A short introduction for newcomers.",
        entry: 0,
        target: 2,
        hours: (2, 8),
        formats: [70, 15, 0, 15],
    },
    Kind {
        title: |s| format!("{} in practice", capitalise(s)),
        skill_title: |s| format!("{} in practice", capitalise(s)),
        opening: "Guided exercises that apply the skill to real work.",
        entry: 2,
        target: 3,
        hours: (6, 16),
        formats: [25, 35, 25, 15],
    },
    Kind {
        title: |s| format!("Advanced {s}"),
        skill_title: |s| format!("Advanced practice in {s}"),
        opening: "For practitioners taking on complex work and guiding others.",
        entry: 3,
        target: 4,
        hours: (12, 40),
        formats: [20, 30, 15, 35],
    },
];

const MULTI_TITLES: [fn(&str, &str) -> String; 4] = [
    |a, b| format!("{} and {b}: a hands-on workshop", capitalise(a)),
    |a, b| format!("{} and {b} in one course", capitalise(a)),
    |a, b| format!("Bringing together {a} and {b}"),
    |a, b| format!("{} and {b} for teams", capitalise(a)),
];

/// Build the catalogue (before people exist: no authors yet).
pub fn catalogue(t: &Taxonomy, seed: u64) -> Learning {
    let mut g = Gen::new(seed, Stream::Learning);
    let mut max_level = vec![0u8; t.skills.len()];
    for r in &t.profile_skills {
        let m = &mut max_level[r.skill as usize];
        *m = (*m).max(r.level);
    }
    let mut l = Learning {
        courses: Vec::new(),
        course_skills: Vec::new(),
        by_skill: vec![Vec::new(); t.skills.len()],
        enrolments: Vec::new(),
    };
    let mut titles: HashSet<String> = HashSet::new();
    for (skill, &max) in max_level.iter().enumerate() {
        if max == 0 {
            continue;
        }
        let knowledge = t.skills[skill].def.db_type() == "knowledge";
        let topic = t.topic(skill as u32);
        let description = first_sentence(&t.skills[skill].def.description);
        for (k, kind) in KINDS.iter().enumerate() {
            let wanted = match k {
                0 => true,
                1 => g.chance(0.7),
                _ => g.chance(if max >= 4 { 0.8 } else { 0.3 }),
            };
            let title = if knowledge {
                (kind.title)(&topic)
            } else {
                (kind.skill_title)(&topic)
            };
            if !wanted || !titles.insert(title.clone()) {
                continue;
            }
            let format = format_of(g.weighted(&kind.formats));
            let hours = g.int(kind.hours.0 * 2..=kind.hours.1 * 2) as u16 * 5;
            let description = format!("{} {description}", kind.opening);
            let c = push_course(&mut l, &mut g, title, description, format, hours);
            l.course_skills.push(CourseSkill {
                course: c,
                skill: skill as u32,
                entry: kind.entry,
                target: kind.target,
            });
        }
    }
    // Courses that combine related skills.
    let used: Vec<u32> = (0..t.skills.len() as u32)
        .filter(|&s| max_level[s as usize] > 0)
        .collect();
    let mut attempts = 0;
    let mut multi = 0;
    while multi < 40 && attempts < 400 && !used.is_empty() {
        attempts += 1;
        let a = g.choose(&used);
        let related: Vec<u32> = t.related[a as usize]
            .iter()
            .copied()
            .filter(|s| max_level[*s as usize] > 0)
            .collect();
        if related.is_empty() {
            continue;
        }
        let b = g.choose(&related);
        let (na, nb) = (t.topic(a), t.topic(b));
        let title = g.pick(&MULTI_TITLES)(&na, &nb);
        if !titles.insert(title.clone()) {
            continue;
        }
        let format = if g.chance(0.6) {
            Format::Workshop
        } else {
            Format::ELearning
        };
        let description =
            format!("Brings {na} and {nb} together through a realistic case from our own work.");
        let hours = g.int(16..=48) as u16 * 5;
        let c = push_course(&mut l, &mut g, title, description, format, hours);
        let mut skills = vec![a, b];
        if let Some(&c3) = t.related[b as usize]
            .iter()
            .find(|s| !skills.contains(s) && max_level[**s as usize] > 0)
        {
            if g.chance(0.4) {
                skills.push(c3);
            }
        }
        for skill in skills {
            l.course_skills.push(CourseSkill {
                course: c,
                skill,
                entry: 1,
                target: 3,
            });
        }
        multi += 1;
    }
    for cs in &l.course_skills {
        if l.courses[cs.course as usize].retired.is_none() {
            l.by_skill[cs.skill as usize].push(Offer {
                course: cs.course,
                entry: cs.entry,
                target: cs.target,
            });
        }
    }
    for offers in &mut l.by_skill {
        offers.sort_by_key(|o| (o.target, o.course));
    }
    l
}

fn push_course(
    l: &mut Learning,
    g: &mut Gen,
    title: String,
    description: String,
    format: Format,
    hours_tenths: u16,
) -> u32 {
    let provider = match format {
        Format::ELearning => g.choose(&E_LEARNING_PROVIDERS),
        Format::External => g.choose(&EXTERNAL_PROVIDERS),
        Format::Workshop | Format::OnTheJob => "Internal Academy",
    };
    let created = g.ago(200..=1500);
    let retired = g.chance(0.02).then(|| g.ago(30..=150));
    l.courses.push(Course {
        id: g.id(),
        title,
        description,
        format,
        provider,
        author: None,
        hours_tenths,
        retired,
        created,
    });
    l.courses.len() as u32 - 1
}

fn format_of(i: usize) -> Format {
    [
        Format::ELearning,
        Format::Workshop,
        Format::OnTheJob,
        Format::External,
    ][i]
}

/// The first sentence of a text (the whole text when it has one sentence).
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// Internal workshops and on-the-job courses get an author: someone at level 4+ in the skill.
pub fn assign_authors(l: &mut Learning, profiles: &Profiles, seed: u64) {
    let mut g = Gen::new(seed, Stream::Authors);
    let mut experts: Vec<Vec<u32>> = vec![Vec::new(); l.by_skill.len()];
    for ps in profiles.person_skills.iter().filter(|ps| ps.level >= 4) {
        experts[ps.skill as usize].push(ps.person);
    }
    for cs in &l.course_skills {
        let course = &mut l.courses[cs.course as usize];
        let internal = matches!(course.format, Format::Workshop | Format::OnTheJob);
        if internal && course.author.is_none() && !experts[cs.skill as usize].is_empty() {
            course.author = Some(g.choose(&experts[cs.skill as usize]));
        }
    }
}
