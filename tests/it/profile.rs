//! My profile: skills by name or alias, level changes with re-validation, removal, skill
//! search, aspirations; every write audited and only ever on one's own profile.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::TestApp;

pub async fn person_id(db: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("select id from people where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn skill_named(db: &PgPool, name: &str) -> Uuid {
    sqlx::query_scalar("select id from skills where name = $1")
        .bind(name)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn held(db: &PgPool, person: Uuid, skill: Uuid) -> Option<(i16, String)> {
    sqlx::query_as(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2",
    )
    .bind(person)
    .bind(skill)
    .fetch_optional(db)
    .await
    .unwrap()
}

async fn audit_count(db: &PgPool, action: &str, entity: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1 and entity_id = $2")
        .bind(action)
        .bind(entity)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_skill_typed_as_an_alias_is_added_under_its_real_name_and_audited() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let js = skill_named(&app.db, "JavaScript").await;
    sqlx::query("delete from person_skills where person_id = $1 and skill_id = $2")
        .bind(me)
        .bind(js)
        .execute(&app.db)
        .await
        .unwrap();
    let employee = app.signed_in("employee@example.com").await;

    let response = employee
        .submit(
            "/profile",
            "/profile/skills",
            &[("skill", "js"), ("level", "3")],
        )
        .await;

    assert_eq!(response.status(), 303);
    assert_eq!(
        held(&app.db, me, js).await,
        Some((3, "self_assessed".into()))
    );
    assert_eq!(
        audit_count(&app.db, "profile.skill_set", &format!("{me}/{js}")).await,
        1
    );
    let page = employee.get("/profile").await.text().await.unwrap();
    assert!(
        page.contains("JavaScript"),
        "the profile lists the new skill"
    );
}

#[tokio::test]
async fn a_name_that_is_not_exactly_one_skill_offers_choices_and_adds_nothing() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let employee = app.signed_in("employee@example.com").await;
    let before: i64 = sqlx::query_scalar("select count(*) from person_skills where person_id = $1")
        .bind(me)
        .fetch_one(&app.db)
        .await
        .unwrap();

    let vague = employee
        .submit(
            "/profile",
            "/profile/skills",
            &[("skill", "script"), ("level", "2")],
        )
        .await;
    let unknown = employee
        .submit(
            "/profile",
            "/profile/skills",
            &[("skill", "Quantum basket weaving"), ("level", "2")],
        )
        .await;
    let bad_level = employee
        .submit(
            "/profile",
            "/profile/skills",
            &[("skill", "JS"), ("level", "9")],
        )
        .await;

    assert_eq!(vague.status(), 200);
    let html = vague.text().await.unwrap();
    assert!(html.contains("which one did you mean"), "{html}");
    assert!(
        html.contains("JavaScript"),
        "the choices include JavaScript"
    );
    assert!(html.contains(r#"value="script""#), "keeps what was typed");
    assert!(unknown.text().await.unwrap().contains("no skill is called"));
    assert!(bad_level.text().await.unwrap().contains("Level:"));
    let after: i64 = sqlx::query_scalar("select count(*) from person_skills where person_id = $1")
        .bind(me)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn skill_search_finds_names_and_aliases_best_first_and_hides_merged_skills() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let js = skill_named(&app.db, "JavaScript").await;

    let hits: Value = employee
        .get_json("/api/v1/skills?q=JS")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(hits[0]["name"], "JavaScript", "{hits}");
    assert_eq!(hits[0]["alias"], "JS");
    assert!(hits.as_array().unwrap().len() <= 10);

    let survivor = skill_named(&app.db, "Python (computer programming)").await;
    sqlx::query("update skills set merged_into_id = $2 where id = $1")
        .bind(js)
        .bind(survivor)
        .execute(&app.db)
        .await
        .unwrap();
    let hits: Value = employee
        .get_json("/api/v1/skills?q=JavaScript")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .all(|h| h["id"] != js.to_string()),
        "a merged skill is hidden: {hits}"
    );
}

async fn a_validated_skill(db: &PgPool, person: Uuid) -> (Uuid, i16) {
    sqlx::query_as(
        "select skill_id, level from person_skills where person_id = $1 and evidence = 'manager_validated'
         order by skill_id limit 1",
    )
    .bind(person)
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn changing_a_validated_level_needs_confirmation_and_asks_the_manager_to_revalidate() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let manager: Uuid = sqlx::query_scalar("select manager_id from people where id = $1")
        .bind(me)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (skill, level) = a_validated_skill(&app.db, me).await;
    let new_level = if level == 5 { 4 } else { level + 1 };
    let employee = app.signed_in("employee@example.com").await;
    let path = format!("/profile/skills/{skill}");

    let unconfirmed = employee
        .submit("/profile", &path, &[("level", &new_level.to_string())])
        .await;
    assert_eq!(unconfirmed.status(), 200);
    assert!(unconfirmed.text().await.unwrap().contains("re-validation"));
    assert_eq!(
        held(&app.db, me, skill).await,
        Some((level, "manager_validated".into()))
    );

    let confirmed = employee
        .submit(
            "/profile",
            &path,
            &[("level", &new_level.to_string()), ("confirm", "on")],
        )
        .await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        held(&app.db, me, skill).await,
        Some((new_level, "self_assessed".into()))
    );
    let asked: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and kind = 'revalidation_request'",
    )
    .bind(manager)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(asked, 1);
    let details: Value = sqlx::query_scalar(
        "select details from audit_log where action = 'profile.skill_set' and entity_id = $1",
    )
    .bind(format!("{me}/{skill}"))
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(details["before"]["level"], level);
    assert_eq!(details["before"]["evidence"], "manager_validated");
    assert_eq!(details["after"]["level"], new_level);
}

#[tokio::test]
async fn the_api_refuses_an_unconfirmed_change_to_a_validated_level_and_removes_with_an_audit() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let (skill, level) = a_validated_skill(&app.db, me).await;
    let employee = app.signed_in("employee@example.com").await;
    let path = format!("/api/v1/me/skills/{skill}");
    let other = if level == 1 { 2 } else { level - 1 };

    let offered = |db: PgPool| async move {
        sqlx::query_scalar::<_, bool>(
            "select offers_mentoring from person_skills where person_id = $1 and skill_id = $2",
        )
        .bind(me)
        .bind(skill)
        .fetch_one(&db)
        .await
        .unwrap()
    };
    let offered_before = offered(app.db.clone()).await;
    let refused = employee
        .send_json(
            Method::PUT,
            &path,
            Some(json!({ "level": other, "offers_mentoring": !offered_before })),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/confirm_revalidation");
    assert_eq!(
        offered(app.db.clone()).await,
        offered_before,
        "a refused level changes no mentoring offer (one transaction)"
    );

    let done = employee
        .send_json(
            Method::PUT,
            &path,
            Some(json!({ "level": other, "confirm_revalidation": true, "offers_mentoring": true })),
        )
        .await;
    assert_eq!(done.status(), 200);
    let body: Value = done.json().await.unwrap();
    assert_eq!(body["evidence"], "self_assessed");
    assert_eq!(body["offers_mentoring"], true);

    let removed = employee.send_json(Method::DELETE, &path, None).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(held(&app.db, me, skill).await, None);
    assert_eq!(
        audit_count(&app.db, "profile.skill_removed", &format!("{me}/{skill}")).await,
        1
    );
}

#[tokio::test]
async fn aspirations_are_saved_from_the_page_and_checked_through_the_api() {
    let app = TestApp::with_demo().await;
    let me = person_id(&app.db, "employee@example.com").await;
    let profiles: Vec<Uuid> =
        sqlx::query_scalar("select id from job_profiles order by title limit 2")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let employee = app.signed_in("employee@example.com").await;
    let (a, b) = (profiles[0].to_string(), profiles[1].to_string());

    let response = employee
        .submit(
            "/profile",
            "/profile/aspirations",
            &[
                ("open_to_secondments", "on"),
                ("target_profile", &a),
                ("target_profile", &b),
                ("interest_skills", "JS"),
                ("weekly_learning_hours", "5.5"),
            ],
        )
        .await;

    assert_eq!(response.status(), 303);
    let saved: Value = employee
        .get_json("/api/v1/me/aspirations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["open_to_secondments"], true);
    assert_eq!(saved["open_to_roles"], false);
    assert_eq!(saved["weekly_learning_hours"], 5.5);
    assert_eq!(
        saved["discoverable"], false,
        "unchecked: out of talent search"
    );
    assert_eq!(saved["target_profiles"], json!([a, b]));
    assert_eq!(saved["interest_skills"].as_array().unwrap().len(), 1);
    let discoverable: bool = sqlx::query_scalar("select discoverable from people where id = $1")
        .bind(me)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!discoverable);

    let mut bad = saved.clone();
    bad["weekly_learning_hours"] = json!(41);
    let refused = employee
        .send_json(Method::PUT, "/api/v1/me/aspirations", Some(bad))
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/weekly_learning_hours");
    let page = employee
        .submit(
            "/profile",
            "/profile/aspirations",
            &[("weekly_learning_hours", "99")],
        )
        .await;
    let html = page.text().await.unwrap();
    assert!(html.contains("from 0 to 40"));
    assert!(html.contains(r#"value="99""#), "keeps what was typed");
}

#[tokio::test]
async fn the_profile_page_shows_the_scale_suggested_skills_and_validated_marks() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;

    let html = employee.get("/profile").await.text().await.unwrap();
    let api: Value = employee
        .get_json("/api/v1/me/profile")
        .await
        .json()
        .await
        .unwrap();

    assert!(
        html.contains("independent on standard work"),
        "the scale is explained"
    );
    assert!(html.contains("validated"));
    assert!(!api["skills"].as_array().unwrap().is_empty());
    assert!(api["suggested_skills"].is_array());
}
