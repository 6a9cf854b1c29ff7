//! Three years of enrolments: completed courses behind some skill levels, and learning toward
//! the next role, some still running and some dropped.

use std::collections::HashSet;

use super::learning::{Enrolment, EnrolmentStatus, Learning, Offer};
use super::org::Org;
use super::random::{Day, Gen, Stream, DAY_SECS};
use super::skills::{Evidence, Profiles};
use super::taxonomy::Taxonomy;
use super::timeline::HISTORY_DAYS;

/// Enrolments: a completed course behind about a third of the `course_completed` skill
/// levels (the rest were learnt before the catalogue existed), and about 1.2
/// enrolments per person in total, some still running and some dropped.
pub fn enrol(t: &Taxonomy, org: &Org, profiles: &Profiles, l: &mut Learning, seed: u64) {
    let mut g = Gen::new(seed, Stream::Enrolments);
    let mut live: HashSet<(u32, u32)> = HashSet::new();
    for ps in &profiles.person_skills {
        if ps.evidence != Evidence::CourseCompleted || !g.chance(0.35) {
            continue;
        }
        let course = l.by_skill[ps.skill as usize]
            .iter()
            .rev()
            .find(|o| o.target <= ps.level);
        if let Some(&Offer { course: c, .. }) = course {
            if live.insert((c, ps.person)) {
                let hours = l.courses[c as usize].hours_tenths;
                let enrolled = ps
                    .updated
                    .plus(-(i64::from(hours) * 3600 / 2).max(DAY_SECS) - g.int(0..=30) * DAY_SECS);
                let hired = org.people[ps.person as usize].hire.at(8 * 3600);
                let enrolled = enrolled.max(hired).min(ps.updated.plus(-60));
                l.enrolments.push(Enrolment {
                    id: g.id(),
                    course: c,
                    person: ps.person,
                    status: EnrolmentStatus::Completed,
                    progress: 100,
                    enrolled,
                    completed: Some(ps.updated),
                    updated: ps.updated,
                });
            }
        }
    }
    let demo = org.demo.employee;
    let wanted = (f64::from(org.active) * 1.2).round() as usize;
    let mut demo_statuses = vec![
        EnrolmentStatus::Enrolled,
        EnrolmentStatus::InProgress,
        EnrolmentStatus::Completed,
    ];
    let mut attempts = 0;
    while (l.enrolments.len() < wanted || !demo_statuses.is_empty()) && attempts < wanted * 4 + 100
    {
        attempts += 1;
        let (p, forced) = match demo_statuses.pop() {
            Some(status) => (demo, Some(status)),
            None => (g.below(org.active as usize) as u32, None),
        };
        // Learn for the next step when there is one, else for the current role.
        let profile = profiles
            .targets_of(p)
            .next()
            .unwrap_or(org.people[p as usize].profile);
        let reqs = t.skills_of(profile);
        if reqs.is_empty() {
            continue;
        }
        let skill = g.pick(reqs).skill;
        let have = profiles.level(p, skill);
        let Some(&Offer { course: c, .. }) = l.by_skill[skill as usize]
            .iter()
            .find(|o| o.entry <= have && o.target > have)
        else {
            if let Some(status) = forced {
                demo_statuses.push(status);
            }
            continue;
        };
        if live.contains(&(c, p)) {
            if let Some(status) = forced {
                demo_statuses.push(status);
            }
            continue;
        }
        // Enrolments arrive evenly over time; the older one is, the likelier it is over.
        let tenure = (-org.people[p as usize].hire.0 - 1).clamp(2, HISTORY_DAYS);
        let (status, enrolled_day) = match forced {
            Some(status) => {
                let recent = matches!(
                    status,
                    EnrolmentStatus::Enrolled | EnrolmentStatus::InProgress
                );
                let day = if recent {
                    g.i32(2..=tenure.min(90))
                } else {
                    g.i32(2..=tenure)
                };
                (status, day)
            }
            None => {
                let day = g.i32(2..=tenure);
                let weights: [u32; 4] = match day {
                    0..=60 => [35, 45, 12, 8],
                    61..=180 => [6, 30, 42, 22],
                    _ => [1, 4, 65, 30],
                };
                let status = match g.weighted(&weights) {
                    0 => EnrolmentStatus::Enrolled,
                    1 => EnrolmentStatus::InProgress,
                    2 => EnrolmentStatus::Completed,
                    _ => EnrolmentStatus::Dropped,
                };
                (status, day)
            }
        };
        let enrolled = g.during(Day(-enrolled_day));
        let later = |g: &mut Gen| g.ago(1..=enrolled_day - 1);
        let (progress, completed, updated) = match status {
            EnrolmentStatus::Enrolled => (0, None, enrolled),
            EnrolmentStatus::InProgress => {
                (g.int(10..=90) as u8, None, later(&mut g).max(enrolled))
            }
            EnrolmentStatus::Completed => {
                let done = later(&mut g).max(enrolled.plus(3600));
                (100, Some(done), done)
            }
            EnrolmentStatus::Dropped => (g.int(5..=60) as u8, None, later(&mut g).max(enrolled)),
        };
        if status != EnrolmentStatus::Dropped {
            live.insert((c, p));
        }
        l.enrolments.push(Enrolment {
            id: g.id(),
            course: c,
            person: p,
            status,
            progress,
            enrolled,
            completed,
            updated,
        });
    }
}
