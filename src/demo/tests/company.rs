//! Invariants of a small generated company's organisation: determinism, the people tree
//! and teams, the demo sign-ins, and unique columns.

use std::collections::HashSet;

use super::{all_csv, SMALL};
use crate::demo::learning::EnrolmentStatus;
use crate::demo::market::{AppStatus, OppStatus};
use crate::demo::model::Model;
use crate::demo::random::Day;
use crate::demo::Progress;

#[test]
fn the_same_seed_gives_the_same_company_and_another_seed_does_not() {
    let again = Model::build(300, 7, &Progress::hidden());
    assert_eq!(all_csv(&SMALL), all_csv(&again));
    let other = Model::build(300, 8, &Progress::hidden());
    assert_ne!(all_csv(&SMALL)[11], all_csv(&other)[11], "people differ");
}

#[test]
fn everyone_but_the_ceo_has_an_active_manager_and_the_tree_has_no_cycles() {
    let org = &SMALL.org;
    assert_eq!(org.active, 300);
    assert!(org.people[org.ceo as usize].manager.is_none());
    for p in org.active_people() {
        let person = &org.people[p as usize];
        if p != org.ceo {
            let m = person.manager.expect("has a manager");
            assert!(m < org.active, "the manager is active");
        }
        let (mut cursor, mut steps) = (p, 0);
        while let Some(m) = org.people[cursor as usize].manager {
            cursor = m;
            steps += 1;
            assert!(steps < 30, "cycle above {p}");
        }
        assert_eq!(cursor, org.ceo);
    }
}

#[test]
fn every_manager_has_reports_and_teams_have_five_to_nine_people() {
    let (t, org) = (&SMALL.taxonomy, &SMALL.org);
    for p in org.active_people() {
        if t.levels[t.level_of(org.people[p as usize].profile) as usize].manager {
            assert!(
                !org.reports[p as usize].is_empty(),
                "{} manages nobody",
                org.name(p)
            );
        }
    }
    for team in &org.teams {
        assert!(
            (2..=9).contains(&team.members.len()),
            "team of {}",
            team.members.len()
        );
        assert!(team
            .members
            .iter()
            .all(|&m| org.people[m as usize].manager == Some(team.manager)));
    }
    let sized = org
        .teams
        .iter()
        .filter(|t| (4..=9).contains(&t.members.len()))
        .count();
    assert!(sized * 10 >= org.teams.len() * 9);
}

#[test]
fn the_demo_sign_ins_have_their_roles() {
    let m = &*SMALL;
    let (t, org) = (&m.taxonomy, &m.org);
    let d = org.demo;
    let person = |p: u32| &org.people[p as usize];
    assert_eq!(person(d.employee).email, "employee@example.com");
    assert_eq!(
        t.profiles[person(d.employee).profile as usize].title,
        "Senior Software Engineer"
    );
    assert!(person(d.employee).role_start <= Day(-14 * 30));
    assert_eq!(person(d.employee).manager, Some(d.manager));
    assert_eq!(person(d.manager).email, "manager@example.com");
    assert_eq!(
        t.profiles[person(d.manager).profile as usize].title,
        "Engineering Manager"
    );
    assert!((5..=9).contains(&org.reports[d.manager as usize].len()));
    assert_eq!(person(d.hr).email, "hr@example.com");
    assert!(person(d.hr).hr_admin);
    assert_eq!(
        t.families[t.family_of(person(d.hr).profile) as usize].name,
        "People (HR)"
    );
    let signers: Vec<u32> = (0..org.people.len() as u32)
        .filter(|&p| person(p).can_sign_in)
        .collect();
    assert_eq!(signers.len(), 3);

    assert!(m.profiles.of(d.employee).len() >= 14);
    assert_eq!(m.profiles.targets_of(d.employee).count(), 2);
    let applications = m
        .market
        .applications
        .iter()
        .filter(|a| a.applicant == d.employee)
        .count();
    assert!(applications >= 2);
    assert!(
        m.learning
            .enrolments
            .iter()
            .filter(|e| e.person == d.employee)
            .count()
            >= 2
    );
    assert!(m
        .notifications
        .iter()
        .any(|n| n.person == d.employee && n.read.is_none()));
    assert!(m.social.invitations.iter().any(|i| i.person == d.employee));
    assert!(m
        .social
        .mentorship_requests
        .iter()
        .any(|r| r.mentee == d.employee));
    let open_postings = m
        .market
        .opportunities
        .iter()
        .filter(|o| o.owner == d.manager && o.status == OppStatus::Open)
        .count();
    assert!(open_postings >= 3);
    assert!(
        m.social
            .conversations
            .iter()
            .filter(|c| c.manager == d.manager)
            .count()
            >= 2
    );
}

#[test]
fn unique_columns_are_unique() {
    let m = &*SMALL;
    let emails: HashSet<String> = m
        .org
        .people
        .iter()
        .map(|p| p.email.to_lowercase())
        .collect();
    assert_eq!(emails.len(), m.org.people.len());
    let departments: HashSet<&str> = m.org.departments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(departments.len(), m.org.departments.len());
    let courses: HashSet<&str> = m
        .learning
        .courses
        .iter()
        .map(|c| c.title.as_str())
        .collect();
    assert_eq!(courses.len(), m.learning.courses.len());
    let held: HashSet<(u32, u32)> = m
        .profiles
        .person_skills
        .iter()
        .map(|s| (s.person, s.skill))
        .collect();
    assert_eq!(held.len(), m.profiles.person_skills.len());
    let live: Vec<(u32, u32)> = m
        .learning
        .enrolments
        .iter()
        .filter(|e| e.status != EnrolmentStatus::Dropped)
        .map(|e| (e.course, e.person))
        .collect();
    assert_eq!(live.iter().collect::<HashSet<_>>().len(), live.len());
    let active: Vec<(u32, u32)> = m
        .market
        .applications
        .iter()
        .filter(|a| a.status.is_active() || a.status == AppStatus::Accepted)
        .map(|a| (a.opportunity, a.applicant))
        .collect();
    assert_eq!(active.iter().collect::<HashSet<_>>().len(), active.len());
    let targets: HashSet<(u32, u32)> = m
        .profiles
        .targets
        .iter()
        .map(|a| (a.person, a.profile))
        .collect();
    assert_eq!(targets.len(), m.profiles.targets.len());
}
