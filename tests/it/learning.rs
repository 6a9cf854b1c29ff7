//! Learning: the catalogue, enrolling, progress and completion evidence (raising a lower
//! level, never lowering a stronger one), retired courses, and nobody else's enrolments.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::profile::person_id;
use crate::support::TestApp;

/// A current course with at least two skills, and two of its skills with target levels.
async fn course_with_two_skills(db: &PgPool) -> (Uuid, (Uuid, i16), (Uuid, i16)) {
    let course: Uuid = sqlx::query_scalar(
        "select c.id from courses c where c.retired_at is null
           and (select count(*) from course_skills cs
                where cs.course_id = c.id and cs.target_level between 2 and 4) >= 2
         order by c.id limit 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let skills: Vec<(Uuid, i16)> = sqlx::query_as(
        "select skill_id, target_level from course_skills where course_id = $1 and target_level between 2 and 4
         order by skill_id limit 2",
    )
    .bind(course)
    .fetch_all(db)
    .await
    .unwrap();
    (course, skills[0], skills[1])
}

async fn set_held(db: &PgPool, person: Uuid, skill: Uuid, level: i16, evidence: &str) {
    let validator: Option<Uuid> = if evidence == "manager_validated" {
        sqlx::query_scalar("select manager_id from people where id = $1")
            .bind(person)
            .fetch_one(db)
            .await
            .unwrap()
    } else {
        None
    };
    sqlx::query(
        "insert into person_skills (person_id, skill_id, level, evidence, validated_by_id, validated_at)
         values ($1, $2, $3, $4, $5, case when $5::uuid is null then null else now() end)
         on conflict (person_id, skill_id) do update set level = excluded.level,
           evidence = excluded.evidence, validated_by_id = excluded.validated_by_id,
           validated_at = excluded.validated_at",
    )
    .bind(person)
    .bind(skill)
    .bind(level)
    .bind(evidence)
    .bind(validator)
    .execute(db)
    .await
    .unwrap();
}

async fn held(db: &PgPool, person: Uuid, skill: Uuid) -> (i16, String) {
    sqlx::query_as(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2",
    )
    .bind(person)
    .bind(skill)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn clear_enrolments(db: &PgPool, person: Uuid, course: Uuid) {
    sqlx::query("delete from enrolments where person_id = $1 and course_id = $2")
        .bind(person)
        .bind(course)
        .execute(db)
        .await
        .unwrap();
}

#[tokio::test]
async fn completing_a_course_raises_a_lower_level_and_never_lowers_a_stronger_one() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (course, (low, low_target), (strong, strong_target)) =
        course_with_two_skills(&app.db).await;
    clear_enrolments(&app.db, me, course).await;
    set_held(&app.db, me, low, low_target - 1, "self_assessed").await;
    set_held(&app.db, me, strong, strong_target + 1, "manager_validated").await;
    let employee = app.signed_in("employee@example.com").await;

    let enrolled = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    assert_eq!(enrolled.status(), 201);
    let enrolment: Value = enrolled.json().await.unwrap();
    let id = enrolment["id"].as_str().unwrap();
    let half = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/enrolments/{id}/progress"),
            Some(json!({ "progress_pct": 40 })),
        )
        .await;
    assert_eq!(half.status(), 200);
    assert_eq!(
        held(&app.db, me, low).await.0,
        low_target - 1,
        "progress alone changes no level"
    );
    let done = employee
        .submit(
            &format!("/learning/courses/{course}"),
            &format!("/learning/enrolments/{id}/progress"),
            &[("progress_pct", "100")],
        )
        .await;

    assert_eq!(done.status(), 303);
    assert_eq!(
        held(&app.db, me, low).await,
        (low_target, "course_completed".into())
    );
    assert_eq!(
        held(&app.db, me, strong).await,
        (strong_target + 1, "manager_validated".into())
    );
    let status: (String, bool) = sqlx::query_as(
        "select status, completed_at is not null from enrolments where id = $1::uuid",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(status, ("completed".into(), true));
    let audit: Value = sqlx::query_scalar(
        "select details from audit_log where action = 'learning.completed' and entity_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audit["skills_raised"].as_array().unwrap().len(),
        1,
        "{audit}"
    );
}

#[tokio::test]
async fn an_equal_level_with_stronger_evidence_is_kept_and_a_self_assessed_one_is_confirmed() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (course, (a, a_target), (b, b_target)) = course_with_two_skills(&app.db).await;
    clear_enrolments(&app.db, me, course).await;
    set_held(&app.db, me, a, a_target, "self_assessed").await;
    set_held(&app.db, me, b, b_target, "manager_validated").await;
    let employee = app.signed_in("employee@example.com").await;

    let enrolment: Value = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = enrolment["id"].as_str().unwrap();
    let done = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/enrolments/{id}/progress"),
            Some(json!({ "progress_pct": 100 })),
        )
        .await;

    assert_eq!(done.status(), 200);
    assert_eq!(
        held(&app.db, me, a).await,
        (a_target, "course_completed".into())
    );
    assert_eq!(
        held(&app.db, me, b).await,
        (b_target, "manager_validated".into())
    );
}

#[tokio::test]
async fn a_retired_course_cannot_be_enrolled_in() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let retired: Uuid =
        sqlx::query_scalar("select id from courses where retired_at is not null limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let employee = app.signed_in("employee@example.com").await;

    let api = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/courses/{retired}/enrol"),
            None,
        )
        .await;
    let page = employee
        .submit(
            "/learning",
            &format!("/learning/courses/{retired}/enrol"),
            &[],
        )
        .await;

    assert_eq!(api.status(), 409);
    let problem: Value = api.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("retired"));
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("retired"));
    let rows: i64 = sqlx::query_scalar(
        "select count(*) from enrolments where person_id = $1 and course_id = $2",
    )
    .bind(me)
    .bind(retired)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn bad_progress_is_refused_and_nobody_touches_another_persons_enrolment() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (course, _, _) = course_with_two_skills(&app.db).await;
    clear_enrolments(&app.db, me, course).await;
    let employee = app.signed_in("employee@example.com").await;
    let enrolment: Value = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let id = enrolment["id"].as_str().unwrap().to_string();
    let other = app.signed_in("manager@example.com").await;

    let too_much = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/enrolments/{id}/progress"),
            Some(json!({ "progress_pct": 101 })),
        )
        .await;
    let twice = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/courses/{course}/enrol"),
            None,
        )
        .await;
    let theirs_api = other
        .send_json(
            Method::POST,
            &format!("/api/v1/me/enrolments/{id}/progress"),
            Some(json!({ "progress_pct": 100 })),
        )
        .await;
    let theirs_page = other
        .submit(
            "/learning",
            &format!("/learning/enrolments/{id}/progress"),
            &[("progress_pct", "100")],
        )
        .await;
    let their_list: Value = other
        .get_json("/api/v1/me/enrolments")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(too_much.status(), 422);
    let problem: Value = too_much.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/progress_pct");
    assert_eq!(twice.status(), 409);
    assert_eq!(theirs_api.status(), 404);
    assert_eq!(theirs_page.status(), 404);
    assert!(their_list
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"] != id.as_str()));
    let progress: i16 =
        sqlx::query_scalar("select progress_pct from enrolments where id = $1::uuid")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(progress, 0);
}

#[tokio::test]
async fn the_catalogue_searches_filters_by_skill_and_format_and_pages() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;

    let all: Value = employee
        .get_json("/api/v1/courses")
        .await
        .json()
        .await
        .unwrap();
    let workshops: Value = employee
        .get_json("/api/v1/courses?format=workshop")
        .await
        .json()
        .await
        .unwrap();
    let js: Value = employee
        .get_json("/api/v1/courses?skill=JS")
        .await
        .json()
        .await
        .unwrap();
    let page2: Value = employee
        .get_json("/api/v1/courses?page=2")
        .await
        .json()
        .await
        .unwrap();
    let html = employee
        .get("/learning?q=introduction")
        .await
        .text()
        .await
        .unwrap();

    let total = all["total"].as_i64().unwrap();
    assert!(total > 20 && all["courses"].as_array().unwrap().len() == 20);
    assert!(workshops["courses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["format"] == "workshop"));
    assert!(workshops["total"].as_i64().unwrap() < total);
    assert!(
        js["courses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["skills"].to_string().contains("JavaScript")),
        "{js}"
    );
    assert_ne!(page2["courses"][0]["id"], all["courses"][0]["id"]);
    assert!(all["courses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["retired"] == false));
    assert!(html.contains("courses</p>"));
}
