//! Mentorship: finding mentors by skill, asking one, the mentor's answer, and the refusals.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::profile::person_id;
use crate::support::TestApp;

/// A mentor (not the employee) with email, and a skill they mentor in.
async fn a_mentor(db: &PgPool, not: Uuid) -> (Uuid, String, Uuid, String) {
    sqlx::query_as(
        "select p.id, p.email, s.id, s.name from person_skills ps join people p on p.id = ps.person_id
         join skills s on s.id = ps.skill_id
         where ps.offers_mentoring and p.id <> $1 and p.employment_status = 'active'
           and p.password_hash is not null
           and not exists (select 1 from mentorship_requests m where m.mentor_id = p.id
                           and m.mentee_id = $1 and m.status in ('requested', 'accepted'))
         order by ps.level desc, p.id limit 1",
    )
    .bind(not)
    .fetch_one(db)
    .await
    .unwrap()
}

async fn notifications(db: &PgPool, person: Uuid, kind: &str) -> i64 {
    sqlx::query_scalar("select count(*) from notifications where person_id = $1 and kind = $2")
        .bind(person)
        .bind(kind)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_mentee_asks_a_mentor_found_by_skill_and_the_mentor_accepts() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (mentor, mentor_email, skill, skill_name) = a_mentor(&app.db, me).await;
    let employee = app.signed_in("employee@example.com").await;

    let found: Value = employee
        .get_json(&format!("/api/v1/mentors?skill={}", urlencode(&skill_name)))
        .await
        .json()
        .await
        .unwrap();
    let levels: Vec<i64> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["level"].as_i64().unwrap())
        .collect();
    assert!(
        levels.windows(2).all(|w| w[0] >= w[1]),
        "by level first: {levels:?}"
    );
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["person_id"] == mentor.to_string()));
    let page = employee
        .get(&format!("/mentors?skill={}", urlencode(&skill_name)))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Ask for mentoring"));

    let asked = employee
        .submit(
            "/mentors",
            "/mentors/requests",
            &[
                ("mentor_id", &mentor.to_string()),
                ("skill_id", &skill.to_string()),
                ("message", "Could you help me?"),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303);
    assert_eq!(
        notifications(&app.db, mentor, "mentorship_request").await,
        1
    );

    let mentor_client = app.signed_in(&mentor_email).await;
    let incoming: Value = mentor_client
        .get_json("/api/v1/me/mentorship-requests")
        .await
        .json()
        .await
        .unwrap();
    let request = incoming
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["mentee_id"] == me.to_string())
        .unwrap()
        .clone();
    let id = request["id"].as_str().unwrap();
    let accepted = mentor_client
        .submit("/mentors", &format!("/mentors/requests/{id}/accept"), &[])
        .await;

    assert_eq!(accepted.status(), 303);
    let status: String =
        sqlx::query_scalar("select status from mentorship_requests where id = $1::uuid")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "accepted");
    assert_eq!(notifications(&app.db, me, "mentorship_response").await, 1);
    let twice = mentor_client
        .send_json(
            Method::POST,
            &format!("/api/v1/me/mentorship-requests/{id}/decline"),
            None,
        )
        .await;
    assert_eq!(twice.status(), 409, "an answered request stays answered");
}

#[tokio::test]
async fn mentorship_requests_are_refused_for_oneself_twice_or_a_skill_not_mentored() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (mentor, _, skill, _) = a_mentor(&app.db, me).await;
    let not_mentored: Uuid = sqlx::query_scalar(
        "select id from skills where id not in (select skill_id from person_skills where person_id = $1 and offers_mentoring)
         limit 1",
    )
    .bind(mentor)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("update person_skills set offers_mentoring = true where person_id = $1")
        .bind(me)
        .execute(&app.db)
        .await
        .unwrap();
    let my_skill: Uuid =
        sqlx::query_scalar("select skill_id from person_skills where person_id = $1 limit 1")
            .bind(me)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let before: i64 =
        sqlx::query_scalar("select count(*) from mentorship_requests where mentee_id = $1")
            .bind(me)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let employee = app.signed_in("employee@example.com").await;
    let ask = |mentor: Uuid, skill: Uuid| json!({ "mentor_id": mentor, "skill_id": skill, "message": "hi" });

    let first = employee
        .send_json(
            Method::POST,
            "/api/v1/me/mentorship-requests",
            Some(ask(mentor, skill)),
        )
        .await;
    assert_eq!(first.status(), 201);
    for (body, status, pointer) in [
        (ask(mentor, skill), 409, None),
        (ask(me, my_skill), 422, Some("/mentor_id")),
        (ask(mentor, not_mentored), 422, Some("/mentor_id")),
    ] {
        let response = employee
            .send_json(
                Method::POST,
                "/api/v1/me/mentorship-requests",
                Some(body.clone()),
            )
            .await;
        assert_eq!(response.status().as_u16(), status, "{body}");
        let problem: Value = response.json().await.unwrap();
        if let Some(p) = pointer {
            assert_eq!(problem["errors"][0]["pointer"], p, "{problem}");
        }
    }
    let rows: i64 =
        sqlx::query_scalar("select count(*) from mentorship_requests where mentee_id = $1")
            .bind(me)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(rows, before + 1);
}

#[tokio::test]
async fn only_the_mentor_can_answer_a_request() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (mentor, _, skill, _) = a_mentor(&app.db, me).await;
    let employee = app.signed_in("employee@example.com").await;
    let created: Value = employee
        .send_json(
            Method::POST,
            "/api/v1/me/mentorship-requests",
            Some(json!({ "mentor_id": mentor, "skill_id": skill })),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();

    let by_mentee = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/mentorship-requests/{id}/accept"),
            None,
        )
        .await;
    let by_page = employee
        .submit("/mentors", &format!("/mentors/requests/{id}/decline"), &[])
        .await;

    assert_eq!(by_mentee.status(), 404);
    assert_eq!(by_page.status(), 404);
    let status: String =
        sqlx::query_scalar("select status from mentorship_requests where id = $1::uuid")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(status, "requested");
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}
