//! Invariants of a small generated company's marketplace and history: opportunities and
//! applications against the schema and the policy, careers and moves, nothing dated in the
//! future, and every part present even in small companies.

use std::collections::HashMap;

use super::SMALL;
use crate::demo::market::{AppStatus, OppKind, OppStatus};
use crate::demo::model::Model;
use crate::demo::random::{Day, Stamp};
use crate::demo::timeline::{MoveKind, MoveSource};
use crate::demo::Progress;

#[test]
fn opportunities_and_applications_respect_the_schema_and_the_policy() {
    let m = &*SMALL;
    let mut accepted: HashMap<u32, u16> = HashMap::new();
    let mut per_person: HashMap<u32, usize> = HashMap::new();
    for a in &m.market.applications {
        if a.status == AppStatus::Accepted {
            *accepted.entry(a.opportunity).or_default() += 1;
        }
        let o = &m.market.opportunities[a.opportunity as usize];
        if o.status == OppStatus::Open && a.status.is_active() {
            *per_person.entry(a.applicant).or_default() += 1;
        }
        assert_ne!(a.applicant, o.owner);
        assert!(a.submitted < Stamp(0) && a.updated < Stamp(0));
        assert!(a.fit <= 100);
    }
    assert!(per_person.values().all(|&n| n <= 5));
    for (i, o) in m.market.opportunities.iter().enumerate() {
        assert_eq!(o.published.is_some(), o.status != OppStatus::Draft);
        assert!(o.positions_filled <= o.positions);
        assert_eq!(
            o.positions_filled,
            accepted.get(&(i as u32)).copied().unwrap_or(0),
            "{}",
            o.title
        );
        if o.kind == OppKind::Secondment {
            assert!(o.start.is_some() && o.end > o.start && o.return_guaranteed == Some(true));
        }
        if o.kind == OppKind::Project {
            assert!(o.hours_per_week.is_some());
        }
        if o.status == OppStatus::Open {
            assert!(o.closes_on.is_some_and(|d| d > Day(0)));
        }
        assert!(!m.org.reports[o.owner as usize].is_empty() || o.kind == OppKind::Mentorship);
    }
    let mut last: HashMap<u32, (Stamp, AppStatus)> = HashMap::new();
    for e in &m.market.events {
        assert!(e.at < Stamp(0));
        match last.get(&e.application) {
            None => assert!(e.from.is_none() && e.to == AppStatus::Submitted),
            Some(&(at, status)) => assert!(e.at > at && e.from == Some(status)),
        }
        last.insert(e.application, (e.at, e.to));
    }
    for (i, a) in m.market.applications.iter().enumerate() {
        assert_eq!(last[&(i as u32)].1, a.status);
    }
}

#[test]
fn careers_and_moves_are_consistent() {
    let m = &*SMALL;
    let org = &m.org;
    for (i, p) in org.people.iter().enumerate() {
        assert!(p.role_start >= p.hire && p.hire >= Day(-4380) && p.role_start < Day(0));
        assert_eq!(p.terminated.is_some(), i as u32 >= org.active);
    }
    let leavers = org.people.len() as u32 - org.active;
    assert_eq!(
        m.moves
            .iter()
            .filter(|v| v.kind == MoveKind::Leaver)
            .count() as u32,
        leavers
    );
    for v in m
        .moves
        .iter()
        .filter(|v| v.source == MoveSource::Marketplace && v.kind != MoveKind::SecondmentEnd)
    {
        let a = &m.market.applications[v
            .application
            .expect("a marketplace move has its application")
            as usize];
        assert_eq!(a.status, AppStatus::Accepted);
        assert_eq!(a.applicant, v.person);
        let release = v.release.expect("release date");
        assert!(release.0 - a.updated.day().0 <= 56 && release >= a.updated.day());
    }
    for v in m
        .moves
        .iter()
        .filter(|v| matches!(v.kind, MoveKind::Promotion | MoveKind::LateralMove))
    {
        let (from, to) = (v.from_profile.unwrap(), v.to_profile.unwrap());
        let promoted = m.taxonomy.rank_of(to) > m.taxonomy.rank_of(from);
        assert_eq!(promoted, v.kind == MoveKind::Promotion);
    }
    let in_role_under_a_year = org
        .active_people()
        .filter(|&p| org.people[p as usize].role_start > Day(-365))
        .count();
    assert!(
        (20..=80).contains(&in_role_under_a_year),
        "{in_role_under_a_year} of 300 under 12 months in role"
    );
}

#[test]
fn nothing_is_recorded_in_the_future() {
    let medium = Model::build(5000, 11, &Progress::hidden());
    for m in [&*SMALL, &medium] {
        let past = |s: Stamp| s < Stamp(0);
        for o in &m.market.opportunities {
            assert!(past(o.created) && past(o.updated), "{}", o.title);
            assert!([o.published, o.closed, o.filled]
                .into_iter()
                .flatten()
                .all(past));
            assert!(o.published.is_none_or(|p| o.closed.is_none_or(|c| c > p)));
        }
        for a in &m.market.applications {
            let stamps = [a.approval_at, a.informed, a.decided];
            assert!(past(a.submitted) && stamps.into_iter().flatten().all(past));
        }
        assert!(m.market.events.iter().all(|e| past(e.at)));
        assert!(m
            .notifications
            .iter()
            .all(|n| past(n.created) && n.read.is_none_or(past)));
        assert!(m
            .profiles
            .person_skills
            .iter()
            .all(|s| past(s.created) && s.created <= s.updated && past(s.updated)));
        for e in &m.learning.enrolments {
            assert!(past(e.enrolled) && past(e.updated) && e.completed.is_none_or(past));
        }
        assert!(m
            .social
            .conversations
            .iter()
            .all(|c| c.held < Day(0) && past(c.created)));
        assert!(m.social.actions.iter().all(|a| a.done.is_none_or(past)));
        assert!(m
            .social
            .mentorship_requests
            .iter()
            .all(|r| past(r.created) && r.responded.is_none_or(past)));
        assert!(m
            .plans
            .plans
            .iter()
            .all(|p| past(p.created) && past(p.updated)));
        assert!(m
            .moves
            .iter()
            .filter(|v| v.kind != MoveKind::ProjectAssignment)
            .all(|v| v.effective < Day(0)));
    }
}

#[test]
fn small_companies_still_have_every_part() {
    for employees in [50, 77, 120] {
        let m = Model::build(employees, 3, &Progress::hidden());
        let (t, org) = (&m.taxonomy, &m.org);
        assert_eq!(org.active, employees);
        let d = org.demo;
        assert_eq!(org.people[d.employee as usize].manager, Some(d.manager));
        assert!(org.people[d.hr as usize].hr_admin);
        for p in org.active_people() {
            let level = t.level_of(org.people[p as usize].profile);
            if t.levels[level as usize].manager {
                assert!(
                    !org.reports[p as usize].is_empty(),
                    "{employees}: a manager without reports"
                );
            }
        }
        assert!(m.market.count(OppStatus::Open) >= 3);
        assert!(!m.learning.enrolments.is_empty() && !m.social.conversations.is_empty());
    }
}

#[test]
fn a_small_company_shows_every_kind_of_opening_and_every_stage() {
    let m = &*SMALL;
    for kind in [
        OppKind::Role,
        OppKind::Secondment,
        OppKind::Project,
        OppKind::Mentorship,
    ] {
        let open = m
            .market
            .opportunities
            .iter()
            .filter(|o| o.kind == kind && o.status == OppStatus::Open);
        assert!(open.count() > 0, "no open {kind:?}");
    }
    use AppStatus::*;
    for status in [
        Submitted,
        InReview,
        Interviewing,
        Offered,
        Accepted,
        Declined,
        Rejected,
        Withdrawn,
    ] {
        assert!(
            m.market.applications.iter().any(|a| a.status == status),
            "no {status:?}"
        );
    }
    for kind in [
        MoveKind::Promotion,
        MoveKind::LateralMove,
        MoveKind::ExternalHire,
        MoveKind::Leaver,
    ] {
        assert!(m.moves.iter().any(|v| v.kind == kind), "no {kind:?} move");
    }
}
