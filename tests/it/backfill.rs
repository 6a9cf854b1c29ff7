//! Anti-hoarding: when a report accepts an internal role, the manager losing them finds a
//! backfill opening drafted from the mover's job profile, with the release date; each manager
//! sees the talent they exported this year.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::pipeline::{any_skill, application, post_opening, role_body, Fixture};

#[tokio::test]
async fn the_losing_manager_gets_a_backfill_draft_from_the_movers_job_profile() {
    let (f, owner) = Fixture::new(1).await;
    let db = &f.app.db;
    let (profile, department): (Uuid, Uuid) =
        sqlx::query_as("select job_profile_id, department_id from people where id = $1")
            .bind(f.maya)
            .fetch_one(db)
            .await
            .unwrap();
    let posting = post_opening(&owner, role_body(any_skill(db).await, 1)).await;
    let id = application(db, posting, f.maya, "offered").await;
    let today = time::OffsetDateTime::now_utc().date();
    let r = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{id}/transition"),
            Some(json!({ "to": "accepted", "start_on": today.to_string() })),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());

    // Daniel, Maya's manager, has a draft role for her job profile in her department, with
    // the profile's skills and the release date.
    let (draft, title, status, start, dept): (Uuid, String, String, Option<time::Date>, Uuid) =
        sqlx::query_as(
            "select id, title, status, start_date, department_id from opportunities
             where owner_id = $1 and job_profile_id = $2 and title like 'Backfill:%'",
        )
        .bind(f.daniel)
        .bind(profile)
        .fetch_one(db)
        .await
        .unwrap();
    let profile_title: String = sqlx::query_scalar("select title from job_profiles where id = $1")
        .bind(profile)
        .fetch_one(db)
        .await
        .unwrap();
    assert_eq!(title, format!("Backfill: {profile_title}"));
    assert_eq!(status, "draft");
    assert_eq!(dept, department);
    let release: time::Date =
        sqlx::query_scalar("select release_on from moves where application_id = $1")
            .bind(id)
            .fetch_one(db)
            .await
            .unwrap();
    assert_eq!(start, Some(release));
    let (asked, copied): (i64, i64) = sqlx::query_as(
        "select (select count(*) from job_profile_skills where job_profile_id = $1),
                (select count(*) from opportunity_skills where opportunity_id = $2)",
    )
    .bind(profile)
    .bind(draft)
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(asked, copied);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and kind = 'backfill_drafted'
           and link = '/postings/' || $2::text || '/edit'",
    )
    .bind(f.daniel)
    .bind(draft)
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!(told, 1);

    // Daniel can open and edit it; the move is the talent he exported this year.
    let daniel = f.app.signed_in("manager@example.com").await;
    let edit = daniel.get(&format!("/postings/{draft}/edit")).await;
    assert_eq!(edit.status(), 200);
    let team: Value = daniel.get_json("/api/v1/team").await.json().await.unwrap();
    let exported = team["exported"].as_array().unwrap();
    assert!(exported
        .iter()
        .any(|e| e["person_id"] == json!(f.maya.to_string())));
    let page = daniel.get("/team").await.text().await.unwrap();
    assert!(page.contains("Talent you exported this year"));
    // The new manager's own team page does not count Maya as exported by them.
    let theirs: Value = owner.get_json("/api/v1/team").await.json().await.unwrap();
    assert!(theirs["exported"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["person_id"] != json!(f.maya.to_string())));
}
