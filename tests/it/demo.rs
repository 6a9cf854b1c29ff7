//! The demo company: sizes, referential sanity, the demo sign-ins, and determinism.

use sqlx::PgPool;
use trellis::demo::{self, DemoOptions, Progress};

use crate::support::{count, fresh_database, DEMO_EMPLOYEES, DEMO_SEED};

#[tokio::test]
async fn the_demo_company_has_the_size_and_shape_asked_for() {
    let db = fresh_database(true).await;
    let active = count(
        &db,
        "select count(*) from people where employment_status <> 'terminated'",
    )
    .await;
    assert_eq!(active, i64::from(DEMO_EMPLOYEES));
    assert!(
        count(
            &db,
            "select count(*) from people where employment_status = 'terminated'"
        )
        .await
            > 0
    );
    assert!(
        count(&db, "select count(*) from skills").await >= 300,
        "several hundred skills"
    );
    assert!(count(&db, "select count(*) from skill_aliases").await > 100);
    assert!(count(&db, "select count(*) from skill_relations").await > 100);
    assert!(count(&db, "select count(*) from job_families").await >= 10);
    assert!(
        count(
            &db,
            "select count(*) from career_paths where kind = 'promotion'"
        )
        .await
            > 0
    );
    assert!(
        count(
            &db,
            "select count(*) from career_paths where kind = 'lateral'"
        )
        .await
            > 0
    );
    for kind in ["role", "secondment", "project", "mentorship"] {
        let open = count(
            &db,
            &format!(
                "select count(*) from opportunities where status = 'open' and kind = '{kind}'"
            ),
        )
        .await;
        assert!(open > 0, "open {kind}s");
    }
    assert!(
        count(
            &db,
            "select count(*) from opportunities where status = 'filled'"
        )
        .await
            > 0
    );
    for status in [
        "submitted",
        "in_review",
        "interviewing",
        "offered",
        "accepted",
        "rejected",
        "withdrawn",
    ] {
        let n = count(
            &db,
            &format!("select count(*) from applications where status = '{status}'"),
        )
        .await;
        assert!(n > 0, "applications {status}");
    }
    for kind in ["promotion", "lateral_move", "external_hire", "leaver"] {
        let n = count(
            &db,
            &format!("select count(*) from moves where kind = '{kind}' and effective_on > current_date - interval '3 years'"),
        )
        .await;
        assert!(n > 0, "moves {kind}");
    }
    assert!(count(&db, "select count(*) from courses").await >= 300);
    assert!(
        count(
            &db,
            "select count(*) from enrolments where status = 'completed'"
        )
        .await
            > 0
    );
    // Every skill a job profile asks for can be learned from at least one course.
    assert_eq!(
        count(
            &db,
            "select count(distinct skill_id) from job_profile_skills jps
             where not exists (select 1 from course_skills cs where cs.skill_id = jps.skill_id)"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_demo_organisation_is_one_sound_manager_tree() {
    let db = fresh_database(true).await;
    // Exactly one active person (the CEO) has no manager.
    assert_eq!(
        count(&db, "select count(*) from people where manager_id is null and employment_status <> 'terminated'").await,
        1
    );
    // Active people report to active managers.
    assert_eq!(
        count(
            &db,
            "select count(*) from people p join people m on m.id = p.manager_id
             where p.employment_status <> 'terminated' and m.employment_status = 'terminated'"
        )
        .await,
        0
    );
    // Walking up from anyone reaches the CEO: no cycles.
    let reachable = count(
        &db,
        "with recursive up as (
             select id from people where manager_id is null and employment_status <> 'terminated'
             union
             select p.id from people p join up on p.manager_id = up.id where p.employment_status <> 'terminated')
         select count(*) from up",
    )
    .await;
    assert_eq!(reachable, i64::from(DEMO_EMPLOYEES));
    // Everyone active has a job profile, a department and a location.
    assert_eq!(
        count(
            &db,
            "select count(*) from people where employment_status <> 'terminated'
             and (job_profile_id is null or department_id is null or location_id is null)"
        )
        .await,
        0
    );
    // Owners of open postings are managers (a mentorship is offered by the mentor themself).
    assert_eq!(
        count(
            &db,
            "select count(*) from opportunities o where o.status = 'open' and o.kind <> 'mentorship'
             and not exists (select 1 from people r where r.manager_id = o.owner_id)"
        )
        .await,
        0
    );
    // Filled openings have as many accepted applications as filled positions.
    assert_eq!(
        count(
            &db,
            "select count(*) from opportunities o where o.status = 'filled' and o.positions_filled <>
             (select count(*) from applications a where a.opportunity_id = o.id and a.status = 'accepted')"
        )
        .await,
        0
    );
    // Every application's history starts with its submission and ends in its current status.
    assert_eq!(
        count(
            &db,
            "select count(*) from applications a where
               (select e.to_status from application_events e where e.application_id = a.id
                order by e.occurred_at desc, e.id desc limit 1) is distinct from a.status
            or (select e.to_status from application_events e where e.application_id = a.id
                order by e.occurred_at, e.id limit 1) is distinct from 'submitted'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn the_three_demo_sign_ins_have_the_roles_the_readme_promises() {
    let db = fresh_database(true).await;
    let (employee_level, employee_manager): (String, String) = sqlx::query_as(
        "select l.code, m.email from people p
         join job_profiles jp on jp.id = p.job_profile_id
         join job_levels l on l.id = jp.level_id
         join people m on m.id = p.manager_id
         where p.email = 'employee@example.com'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(employee_level.starts_with("IC"), "{employee_level}");
    assert_eq!(employee_manager, "manager@example.com");
    let hr: bool =
        sqlx::query_scalar("select is_hr_admin from people where email = 'hr@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(hr);
    let employee_is_hr: bool =
        sqlx::query_scalar("select is_hr_admin from people where email = 'employee@example.com'")
            .fetch_one(&db)
            .await
            .unwrap();
    assert!(!employee_is_hr);
    assert_eq!(
        count(
            &db,
            "select count(*) from people where password_hash is not null"
        )
        .await,
        3,
        "only the three demo sign-ins have a password"
    );
    assert!(demo::has_demo_accounts(&db).await.unwrap());
}

/// A digest of the generated business data (not of password salts or load timestamps).
async fn fingerprint(db: &PgPool) -> String {
    sqlx::query_scalar(
        "select md5(concat_ws('|',
            (select string_agg(concat_ws(',', id, email, display_name, manager_id, job_profile_id, department_id,
                                         employment_status, hire_date, role_started_on), ';' order by id) from people),
            (select string_agg(concat_ws(',', person_id, skill_id, level, evidence), ';'
                               order by person_id, skill_id) from person_skills),
            (select string_agg(concat_ws(',', id, title, kind, status, owner_id), ';' order by id) from opportunities),
            (select string_agg(concat_ws(',', id, applicant_id, opportunity_id, status), ';' order by id) from applications),
            (select string_agg(concat_ws(',', id, person_id, kind, effective_on), ';' order by id) from moves),
            (select string_agg(concat_ws(',', id, title, hours), ';' order by id) from courses)))",
    )
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_company_and_another_seed_another() {
    let options = |seed| DemoOptions {
        employees: 120,
        seed,
        replace: false,
    };
    let a = fresh_database(false).await;
    let b = fresh_database(false).await;
    let c = fresh_database(false).await;
    demo::generate(&a, &options(DEMO_SEED), Progress::hidden())
        .await
        .unwrap();
    demo::generate(&b, &options(DEMO_SEED), Progress::hidden())
        .await
        .unwrap();
    demo::generate(&c, &options(DEMO_SEED + 1), Progress::hidden())
        .await
        .unwrap();
    assert_eq!(fingerprint(&a).await, fingerprint(&b).await);
    assert_ne!(fingerprint(&a).await, fingerprint(&c).await);
}

#[tokio::test]
async fn loading_the_demo_into_a_database_with_people_is_refused() {
    let db = fresh_database(true).await;
    let before = count(&db, "select count(*) from people").await;
    let err = demo::generate(
        &db,
        &DemoOptions {
            employees: 50,
            seed: 1,
            replace: false,
        },
        Progress::hidden(),
    )
    .await
    .expect_err("a second load without --replace");
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(count(&db, "select count(*) from people").await, before);
}
