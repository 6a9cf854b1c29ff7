//! Each mobility metric on a small hand-built history, against numbers worked out by hand.
//!
//! The period is 2025-01-01 to 2026-01-01 (exclusive); the previous period of equal length
//! (365 days) is 2024-01-02 to 2025-01-01.
//!
//! People (E = Engineering, S = Sales; everyone in job family F):
//!   A  hired 2020-01-01, promoted E -> S into a manager-level role (2025-05-01, marketplace)
//!   B  hired 2020-01-01, lateral move E -> E (2025-09-15, marketplace), seconded E -> S
//!      (2025-10-01), on a project (2025-11-15)
//!   C  hired 2020-01-01, left 2025-06-15
//!   D  external hire into S on 2025-03-10
//!   M  hired 2019-01-01, manager of A, B, C, D; promoted 2024-06-01 (HR import)
//! A is also on projects twice (2025-11-01 and 2025-12-01).

use time::macros::date;
use trellis::metrics::dashboard::{self, Dashboard, Figure};
use trellis::metrics::{Filters, Period};
use uuid::Uuid;

use crate::support::TestApp;

const HISTORY: &str = r#"
insert into departments (id, name) values
  ('00000000-0000-0000-0000-0000000000e1', 'Engineering'),
  ('00000000-0000-0000-0000-0000000000e2', 'Sales');
insert into job_families (id, name) values ('00000000-0000-0000-0000-0000000000f1', 'Family F');
insert into job_levels (id, code, name, track, rank) values
  ('00000000-0000-0000-0000-0000000000c1', 'IC2', 'Professional', 'individual_contributor', 2),
  ('00000000-0000-0000-0000-0000000000c2', 'M1', 'Manager', 'manager', 5);
insert into job_profiles (id, family_id, level_id, title) values
  ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000c1', 'Engineer'),
  ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000c2', 'Engineering Manager');
insert into people (id, employee_number, email, given_name, family_name, display_name, department_id,
                    manager_id, job_profile_id, hire_date, role_started_on, employment_status, terminated_on) values
  ('00000000-0000-0000-0000-000000000105', 'M', 'm@example.com', 'M', 'M', 'Manager M', '00000000-0000-0000-0000-0000000000e1', null, '00000000-0000-0000-0000-0000000000d2', '2019-01-01', '2024-06-01', 'active', null),
  ('00000000-0000-0000-0000-000000000101', 'A', 'a@example.com', 'A', 'A', 'Person A', '00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000d2', '2020-01-01', '2025-05-01', 'active', null),
  ('00000000-0000-0000-0000-000000000102', 'B', 'b@example.com', 'B', 'B', 'Person B', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000d1', '2020-01-01', '2025-09-15', 'active', null),
  ('00000000-0000-0000-0000-000000000103', 'C', 'c@example.com', 'C', 'C', 'Person C', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000d1', '2020-01-01', '2020-01-01', 'terminated', '2025-06-15'),
  ('00000000-0000-0000-0000-000000000104', 'D', 'd@example.com', 'D', 'D', 'Person D', '00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000d1', '2025-03-10', '2025-03-10', 'active', null);
insert into skills (id, name) values
  ('00000000-0000-0000-0000-000000000401', 'Rust'),
  ('00000000-0000-0000-0000-000000000402', 'SQL'),
  ('00000000-0000-0000-0000-000000000403', 'Kubernetes');
insert into person_skills (person_id, skill_id, level, updated_at) values
  ('00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000401', 3, '2025-09-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000401', 2, '2025-03-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000104', '00000000-0000-0000-0000-000000000402', 4, '2025-12-01T00:00:00Z');
-- O1 role (manager level), O2 role, O3 project: filled or closed. O4, O5 open.
insert into opportunities (id, kind, status, title, owner_id, department_id, job_profile_id, hours_per_week, published_at) values
  ('00000000-0000-0000-0000-000000000201', 'role', 'filled', 'O1', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000d2', null, '2025-02-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000202', 'role', 'filled', 'O2', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', null, '2025-06-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000203', 'project', 'closed', 'O3', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000e2', null, 4, '2025-10-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000204', 'role', 'open', 'O4', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000d1', null, '2025-12-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000205', 'project', 'open', 'O5', '00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-0000000000e1', null, 4, '2025-12-01T00:00:00Z');
insert into opportunity_skills (opportunity_id, skill_id, level) values
  ('00000000-0000-0000-0000-000000000204', '00000000-0000-0000-0000-000000000401', 3),
  ('00000000-0000-0000-0000-000000000204', '00000000-0000-0000-0000-000000000402', 2),
  ('00000000-0000-0000-0000-000000000204', '00000000-0000-0000-0000-000000000403', 4),
  ('00000000-0000-0000-0000-000000000205', '00000000-0000-0000-0000-000000000401', 2);
insert into applications (id, opportunity_id, applicant_id, status, submitted_at, manager_approval, manager_approval_by_id, manager_approval_at) values
  ('00000000-0000-0000-0000-000000000301', '00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000101', 'accepted', '2025-03-01T10:00:00Z', 'not_needed', null, null),
  ('00000000-0000-0000-0000-000000000302', '00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000102', 'accepted', '2025-06-10T10:00:00Z', 'not_needed', null, null),
  ('00000000-0000-0000-0000-000000000303', '00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000104', 'rejected', '2025-06-12T10:00:00Z', 'not_needed', null, null),
  ('00000000-0000-0000-0000-000000000304', '00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000103', 'withdrawn', '2025-03-05T10:00:00Z', 'not_needed', null, null),
  ('00000000-0000-0000-0000-000000000305', '00000000-0000-0000-0000-000000000203', '00000000-0000-0000-0000-000000000102', 'submitted', '2025-11-01T10:00:00Z', 'approved', '00000000-0000-0000-0000-000000000105', '2025-11-03T10:00:00Z');
insert into application_events (application_id, from_status, to_status, actor_id, occurred_at) values
  ('00000000-0000-0000-0000-000000000301', null, 'submitted', '00000000-0000-0000-0000-000000000101', '2025-03-01T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000301', 'submitted', 'in_review', '00000000-0000-0000-0000-000000000105', '2025-03-04T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000301', 'in_review', 'interviewing', '00000000-0000-0000-0000-000000000105', '2025-03-10T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000301', 'interviewing', 'offered', '00000000-0000-0000-0000-000000000105', '2025-03-20T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000301', 'offered', 'accepted', '00000000-0000-0000-0000-000000000101', '2025-04-01T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000302', null, 'submitted', '00000000-0000-0000-0000-000000000102', '2025-06-10T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000302', 'submitted', 'in_review', '00000000-0000-0000-0000-000000000105', '2025-06-15T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000302', 'in_review', 'interviewing', '00000000-0000-0000-0000-000000000105', '2025-06-20T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000302', 'interviewing', 'offered', '00000000-0000-0000-0000-000000000105', '2025-07-01T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000302', 'offered', 'accepted', '00000000-0000-0000-0000-000000000102', '2025-07-11T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000303', null, 'submitted', '00000000-0000-0000-0000-000000000104', '2025-06-12T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000303', 'submitted', 'rejected', '00000000-0000-0000-0000-000000000105', '2025-06-13T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000304', null, 'submitted', '00000000-0000-0000-0000-000000000103', '2025-03-05T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000304', 'submitted', 'withdrawn', '00000000-0000-0000-0000-000000000103', '2025-03-06T10:00:00Z'),
  ('00000000-0000-0000-0000-000000000305', null, 'submitted', '00000000-0000-0000-0000-000000000102', '2025-11-01T10:00:00Z');
insert into moves (person_id, kind, source, from_profile_id, to_profile_id, from_department_id, to_department_id, effective_on, opportunity_id, application_id) values
  ('00000000-0000-0000-0000-000000000105', 'promotion', 'import', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e1', '2024-06-01', null, null),
  ('00000000-0000-0000-0000-000000000101', 'promotion', 'marketplace', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e2', '2025-05-01', '00000000-0000-0000-0000-000000000201', '00000000-0000-0000-0000-000000000301'),
  ('00000000-0000-0000-0000-000000000102', 'lateral_move', 'marketplace', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e1', '2025-09-15', '00000000-0000-0000-0000-000000000202', '00000000-0000-0000-0000-000000000302'),
  ('00000000-0000-0000-0000-000000000104', 'external_hire', 'external_hire', null, '00000000-0000-0000-0000-0000000000d1', null, '00000000-0000-0000-0000-0000000000e2', '2025-03-10', null, null),
  ('00000000-0000-0000-0000-000000000102', 'secondment_start', 'marketplace', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e2', '2025-10-01', null, null),
  ('00000000-0000-0000-0000-000000000101', 'project_assignment', 'marketplace', null, null, '00000000-0000-0000-0000-0000000000e2', null, '2025-11-01', null, null),
  ('00000000-0000-0000-0000-000000000101', 'project_assignment', 'marketplace', null, null, '00000000-0000-0000-0000-0000000000e2', null, '2025-12-01', null, null),
  ('00000000-0000-0000-0000-000000000102', 'project_assignment', 'marketplace', null, null, '00000000-0000-0000-0000-0000000000e1', null, '2025-11-15', null, null);
insert into courses (id, title, format, hours) values ('00000000-0000-0000-0000-000000000501', 'Course K', 'e_learning', 10.5);
insert into course_skills (course_id, skill_id, entry_level, target_level) values
  ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000401', 1, 3),
  ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000402', 0, 2);
insert into enrolments (course_id, person_id, status, enrolled_at, completed_at) values
  ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000101', 'completed', '2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z'),
  ('00000000-0000-0000-0000-000000000501', '00000000-0000-0000-0000-000000000104', 'enrolled', '2025-12-01T00:00:00Z', null);
insert into mentorship_requests (mentor_id, mentee_id, status, responded_at) values
  ('00000000-0000-0000-0000-000000000105', '00000000-0000-0000-0000-000000000104', 'accepted', '2025-06-01T00:00:00Z');
insert into career_conversations (person_id, manager_id, held_on) values
  ('00000000-0000-0000-0000-000000000101', '00000000-0000-0000-0000-000000000105', '2025-11-01'),
  ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000105', '2025-09-01'),
  ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000105', '2024-12-01');
"#;

const PERIOD: Period = Period {
    from: date!(2025 - 01 - 01),
    to: date!(2026 - 01 - 01),
};

async fn dashboard_of(filters: Filters) -> Dashboard {
    let app = TestApp::empty().await;
    sqlx::raw_sql(HISTORY).execute(&app.db).await.unwrap();
    trellis::metrics::refresh::refresh(&app.db).await.unwrap();
    dashboard::load(&app.db, PERIOD, filters).await.unwrap()
}

fn fig<'a>(d: &'a Dashboard, key: &str) -> &'a Figure {
    d.figure(key).unwrap_or_else(|| panic!("no figure {key}"))
}

/// Round to one decimal, as the dashboard shows.
fn r1(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10.0).round() / 10.0)
}

fn row<'a>(f: &'a Figure, first: &str) -> &'a Vec<String> {
    f.rows
        .iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first} in {}", f.key))
}

#[tokio::test]
async fn rates_over_average_headcount_match_the_hand_computed_figures() {
    let d = dashboard_of(Filters::default()).await;

    // Headcount at month starts of 2025: Jan-Mar A,B,C,M = 4; Apr-Jun + D = 5; Jul-Dec C gone
    // = 4. (3*4 + 3*5 + 6*4) / 12 = 51 / 12 = 4.25.
    assert_eq!(fig(&d, "headcount").value, Some(4.25));
    // Previous period (2024-01-02 .. 2025-01-01): month starts Feb..Dec 2024, 4 each -> 4.
    assert_eq!(fig(&d, "headcount").previous, Some(4.0));
    // Internal fills: A's promotion via O1 and B's lateral move via O2 (both roles through the
    // marketplace) = 2; external hires: D = 1. 2 / 3 = 66.7 %.
    assert_eq!(r1(fig(&d, "internal-fill-rate").value), Some(66.7));
    assert_eq!(
        fig(&d, "internal-fill-rate").previous,
        None,
        "nothing filled in 2024"
    );
    // Leadership: only A's move lands on a manager-level profile; D's hire does not. 1 / 1.
    assert_eq!(fig(&d, "leadership-fill-rate").value, Some(100.0));
    // Promotions 1 / 4.25 = 23.5 %; the previous period had M's promotion: 1 / 4 = 25 %.
    assert_eq!(r1(fig(&d, "promotion-rate").value), Some(23.5));
    assert_eq!(fig(&d, "promotion-rate").previous, Some(25.0));
    // Lateral moves 1 / 4.25; secondments: B = 1 / 4.25; projects: A (twice) and B = 2 / 4.25.
    assert_eq!(r1(fig(&d, "lateral-move-rate").value), Some(23.5));
    assert_eq!(r1(fig(&d, "secondment-participation").value), Some(23.5));
    assert_eq!(r1(fig(&d, "project-participation").value), Some(47.1));
}

#[tokio::test]
async fn the_pipeline_figures_match_the_hand_computed_figures() {
    let d = dashboard_of(Filters::default()).await;

    // O1: published 2025-02-01 00:00, first accepted 2025-04-01 10:00 = 59 days 10 h = 59.417;
    // O2: 2025-06-01 00:00 -> 2025-07-11 10:00 = 40.417. Median = (59.417 + 40.417) / 2 = 49.917.
    assert_eq!(r1(fig(&d, "time-to-fill").value), Some(49.9));
    // Five applications submitted in 2025; two reached review, interviews, offers, acceptance.
    let funnel = fig(&d, "application-funnel");
    let counts: Vec<&str> = funnel.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(counts, ["5", "2", "2", "2", "2"]);
    // Conversions: 2/5 = 40 %, then 100 % each; headline 2/5 = 40 %.
    let conv: Vec<&str> = funnel.rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(conv, ["", "40", "100", "100", "100"]);
    assert_eq!(funnel.value, Some(40.0));
}

#[tokio::test]
async fn retention_flow_and_gaps_match_the_hand_computed_figures() {
    let d = dashboard_of(Filters::default()).await;

    // Active on 2025-01-01: A, B, C, M. Movers in 2024: M (still here) -> 1/1 = 100 %.
    // Non-movers A, B, C: C left 2025-06-15 -> 2/3 = 66.7 %.
    let ret = fig(&d, "retention");
    assert_eq!(ret.value, Some(100.0));
    assert_eq!(row(ret, "non-movers")[3], "66.7");
    // Previous (2024-01-02): nobody moved in 2023 -> no movers' figure.
    assert_eq!(ret.previous, None);
    // Between departments: A's promotion E -> S and B's secondment E -> S; B's lateral stays in E.
    let flow = fig(&d, "talent-flow");
    assert_eq!(
        flow.rows,
        vec![vec!["Engineering".to_string(), "Sales".into(), "2".into()]]
    );
    // Open O4 asks Rust 3, SQL 2, Kubernetes 4; open O5 asks Rust 2.
    // Kubernetes: demand 1, supply 0, gap 1. Rust: demand 2 at level 2: A(3), B(2) -> gap 0.
    // SQL: demand 1 at level 2: D(4) -> gap 0.
    let gaps = fig(&d, "skill-gaps");
    let rows: Vec<String> = gaps.rows.iter().map(|r| r.join("|")).collect();
    assert_eq!(rows, ["Kubernetes|1|4|0|1", "Rust|2|2|2|0", "SQL|1|2|1|0"]);
    assert_eq!(gaps.value, Some(1.0));
}

#[tokio::test]
async fn participation_conversations_and_learning_match_the_hand_computed_figures() {
    let d = dashboard_of(Filters::default()).await;

    // Employed at the end (2026-01-01): A, B, D, M = 4.
    // Skill updated since 2025-07-01: A (Sep), D (Dec) -> 2/4 = 50 %; B's is from March.
    let part = fig(&d, "participation");
    assert_eq!(part.value, Some(50.0));
    // Applied: A, B, D (C has left) = 3/4; enrolled: A, D = 2/4; mentored: M = 1/4.
    assert_eq!(row(part, "applied")[2], "75");
    assert_eq!(row(part, "enrolled")[2], "50");
    assert_eq!(row(part, "mentored")[2], "25");
    // Conversations since 2025-10-03: A's (Nov) -> 1/4. Previous end 2025-01-01: employed
    // A, B, C, M; B's conversation of 2024-12-01 -> 1/4.
    let conv = fig(&d, "conversation-coverage");
    assert_eq!(conv.value, Some(25.0));
    assert_eq!(conv.previous, Some(25.0));
    // Learning: 2 enrolments, 1 completion of 10.5 hours; levels: Rust 3-1 + SQL 2-0 = 4.
    let learning = fig(&d, "learning");
    let this: Vec<&str> = learning.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(this, ["2", "1", "10.5", "4"]);
}

#[tokio::test]
async fn mobility_by_manager_matches_the_hand_computed_figures() {
    let d = dashboard_of(Filters::default()).await;

    // M owns every opening. First transitions by M: application 1 after 3 days, 2 after 5,
    // 3 after 1 (C's withdrawal is C's own) -> median 3 over 3 applications.
    // Approvals: B's project application approved after 2 days.
    // Moved out of M's team: A's promotion, B's lateral move, B's secondment = 3.
    // Moved in through M's openings: A (O1), B (O2) = 2.
    // Held past the 8-week (56 days) release: B's lateral starts 2025-09-15, 66 days after the
    // offer was accepted on 2025-07-11 -> 1. A's starts 30 days after acceptance.
    let m = fig(&d, "by-manager");
    assert_eq!(m.rows.len(), 1);
    assert_eq!(m.rows[0], ["Manager M", "3", "3", "2", "1", "3", "2", "1"]);
}

#[tokio::test]
async fn a_department_filter_counts_only_moves_into_that_department() {
    let engineering = Uuid::parse_str("00000000-0000-0000-0000-0000000000e1").unwrap();
    let d = dashboard_of(Filters {
        department_id: Some(engineering),
        family_id: None,
    })
    .await;

    // Into Engineering: B's lateral move (internal); D was hired into Sales. 1 / 1 = 100 %.
    assert_eq!(fig(&d, "internal-fill-rate").value, Some(100.0));
    // People now in Engineering: B, C, M. Jan-Jun 3, Jul-Dec 2 -> (18 + 12) / 12 = 2.5.
    assert_eq!(fig(&d, "headcount").value, Some(2.5));
}

#[tokio::test]
async fn participation_is_cached_until_the_next_rebuild_and_per_filter() {
    let app = TestApp::empty().await;
    sqlx::raw_sql(HISTORY).execute(&app.db).await.unwrap();
    trellis::metrics::refresh::refresh(&app.db).await.unwrap();
    let before = dashboard::load(&app.db, PERIOD, Filters::default())
        .await
        .unwrap();
    assert_eq!(fig(&before, "conversation-coverage").value, Some(25.0));

    // B has a conversation in the last 90 days: the cached figure stands until a rebuild.
    sqlx::query(
        "insert into career_conversations (person_id, manager_id, held_on) values
         ('00000000-0000-0000-0000-000000000102', '00000000-0000-0000-0000-000000000105', '2025-12-15')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let cached = dashboard::load(&app.db, PERIOD, Filters::default())
        .await
        .unwrap();
    assert_eq!(fig(&cached, "conversation-coverage").value, Some(25.0));
    // Another filter is computed afresh: Engineering employs B and M; B is now covered.
    let engineering = Filters {
        department_id: Some(Uuid::from_u128(0xe1)),
        family_id: None,
    };
    let dept = dashboard::load(&app.db, PERIOD, engineering).await.unwrap();
    assert_eq!(fig(&dept, "conversation-coverage").value, Some(50.0));

    trellis::metrics::refresh::refresh(&app.db).await.unwrap();
    let after = dashboard::load(&app.db, PERIOD, Filters::default())
        .await
        .unwrap();
    assert_eq!(fig(&after, "conversation-coverage").value, Some(50.0));
}
