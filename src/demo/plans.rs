//! Development plans: a target role and the steps toward it (courses for the skill gaps, a
//! mentor, a project).

use uuid::Uuid;

use super::learning::{EnrolmentStatus, Learning};
use super::market::{Market, OppKind, OppStatus};
use super::org::Org;
use super::random::{Day, Gen, Stamp, Stream};
use super::skills::Profiles;
use super::taxonomy::Taxonomy;

/// A development plan.
#[derive(Debug, Clone)]
pub struct Plan {
    pub id: Uuid,
    pub person: u32,
    pub target: u32,
    pub title: String,
    pub status: &'static str,
    pub target_date: Day,
    pub created: Stamp,
    pub updated: Stamp,
}

/// One step of a plan.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: Uuid,
    pub plan: u32,
    pub position: u8,
    pub kind: &'static str,
    pub title: String,
    pub course: Option<u32>,
    pub opportunity: Option<u32>,
    pub skill: Option<u32>,
    pub due: Day,
    pub done: Option<Stamp>,
}

/// Plans and their steps.
#[derive(Default)]
pub struct Plans {
    pub plans: Vec<Plan>,
    pub steps: Vec<Step>,
}

/// Plans for about 8% of the active people (always the demo employee), toward their first
/// aspiration target.
pub fn build(
    t: &Taxonomy,
    org: &Org,
    profiles: &Profiles,
    learning: &Learning,
    market: &Market,
    seed: u64,
) -> Plans {
    let mut g = Gen::new(seed, Stream::Plans);
    let mut out = Plans::default();
    let mut open_projects: Vec<Vec<u32>> = vec![Vec::new(); t.families.len()];
    for (i, o) in market.opportunities.iter().enumerate() {
        if o.kind == OppKind::Project && o.status == OppStatus::Open {
            if let Some(family) = o
                .profile
                .map(|p| t.family_of(p))
                .or_else(|| Some(t.family_of(org.people[o.owner as usize].profile)))
            {
                open_projects[family as usize].push(i as u32);
            }
        }
    }
    let mut targets: Vec<Option<u32>> = vec![None; org.active as usize];
    for a in profiles.targets.iter().filter(|a| a.position == 1) {
        targets[a.person as usize] = Some(a.profile);
    }
    let mut completed: std::collections::HashMap<(u32, u32), Stamp> =
        std::collections::HashMap::new();
    for e in learning
        .enrolments
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Completed)
    {
        if let Some(at) = e.completed {
            completed.insert((e.person, e.course), at);
        }
    }
    for p in org.active_people() {
        let demo = p == org.demo.employee;
        let Some(target) = targets[p as usize] else {
            continue;
        };
        if !(demo || g.chance(0.13)) {
            continue;
        }
        let status = if demo {
            "active"
        } else {
            ["active", "completed", "abandoned"][g.weighted(&[75, 10, 15])]
        };
        let tenure = (-org.people[p as usize].hire.0 - 1).max(15);
        let created = g.ago(14..=tenure.min(540));
        let plan = out.plans.len() as u32;
        let title = format!("Towards {}", t.profiles[target as usize].title);
        let mut steps: Vec<Step> = Vec::new();
        let mut gaps: Vec<(u32, u8)> = t
            .skills_of(target)
            .iter()
            .filter(|r| profiles.level(p, r.skill) < r.level)
            .map(|r| (r.skill, profiles.level(p, r.skill)))
            .collect();
        gaps.truncate(4);
        for &(skill, have) in gaps.iter().take(3) {
            let offer = learning.by_skill[skill as usize]
                .iter()
                .find(|o| o.entry <= have && o.target > have);
            if let Some(offer) = offer {
                let course = &learning.courses[offer.course as usize];
                let done = completed
                    .get(&(p, offer.course))
                    .copied()
                    .filter(|&at| at > created);
                steps.push(step(
                    &mut g,
                    plan,
                    "course",
                    format!("Take {}", course.title),
                    Some(offer.course),
                    None,
                    Some(skill),
                    done,
                ));
            }
        }
        if let Some(&(skill, _)) = gaps.first() {
            let title = format!("Find a mentor for {}", t.topic(skill));
            steps.push(step(
                &mut g,
                plan,
                "mentorship",
                title,
                None,
                None,
                Some(skill),
                None,
            ));
        }
        let projects = &open_projects[t.family_of(target) as usize];
        if !projects.is_empty() && g.chance(0.6) {
            let opp = g.choose(projects);
            let title = format!(
                "Join the project: {}",
                market.opportunities[opp as usize].title
            );
            steps.push(step(
                &mut g,
                plan,
                "project",
                title,
                None,
                Some(opp),
                None,
                None,
            ));
        } else {
            let title = format!(
                "Shadow a colleague in the {} role for a week",
                t.profiles[target as usize].title
            );
            steps.push(step(&mut g, plan, "other", title, None, None, None, None));
        }
        let mut updated = created;
        for (i, s) in steps.iter_mut().enumerate() {
            s.position = i as u8 + 1;
            s.due = created.day().plus(45 * (i as i32 + 1));
            if status == "completed" && s.done.is_none() {
                s.done = Some(g.ago(1..=-created.day().0 - 1));
            }
            if let Some(done) = s.done {
                updated = updated.max(done);
            }
        }
        out.steps.extend(steps);
        out.plans.push(Plan {
            id: g.id(),
            person: p,
            target,
            title,
            status,
            target_date: created.day().plus(g.i32(180..=540)),
            created,
            updated,
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn step(
    g: &mut Gen,
    plan: u32,
    kind: &'static str,
    title: String,
    course: Option<u32>,
    opportunity: Option<u32>,
    skill: Option<u32>,
    done: Option<Stamp>,
) -> Step {
    Step {
        id: g.id(),
        plan,
        position: 0,
        kind,
        title,
        course,
        opportunity,
        skill,
        due: Day(0),
        done,
    }
}
