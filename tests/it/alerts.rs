//! Job alerts: a saved search and a fit threshold each alert once for a new opening, never
//! twice across runs; notifications are listed and marked read.

use reqwest::Method;
use serde_json::{json, Value};
use trellis::app::state::AppState;
use trellis::config::Config;
use uuid::Uuid;

use crate::opportunities::{opening, person};
use crate::support::TestApp;

async fn alerts_for(db: &sqlx::PgPool, person: Uuid, opening: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from notifications where kind = 'job_alert' and person_id = $1 and opportunity_id = $2")
        .bind(person)
        .bind(opening)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_saved_search_alerts_once_for_a_new_matching_opening_and_never_twice() {
    let app = TestApp::with_demo().await;
    let me = person(&app.db, "employee@example.com").await;
    let client = app.signed_in("employee@example.com").await;
    let saved = client
        .send_json(
            Method::POST,
            "/api/v1/me/saved-searches",
            Some(json!({"name": "Capybara", "query": {"q": "capybara"}})),
        )
        .await;
    assert_eq!(saved.status(), 201);
    let fits = opening(
        &app.db,
        "manager@example.com",
        "project",
        "open",
        "Capybara logistics",
    )
    .await;
    let other = opening(
        &app.db,
        "manager@example.com",
        "project",
        "open",
        "Unrelated warehouse",
    )
    .await;
    let state = AppState::start(app.db.clone(), Config::for_tests())
        .await
        .unwrap();

    trellis::app::alerts::run_once(&state.db, &state.engine)
        .await
        .unwrap();
    trellis::app::alerts::run_once(&state.db, &state.engine)
        .await
        .unwrap();

    assert_eq!(alerts_for(&app.db, me, fits).await, 1);
    assert_eq!(alerts_for(&app.db, me, other).await, 0);
    let link: String = sqlx::query_scalar(
        "select link from notifications where person_id = $1 and opportunity_id = $2",
    )
    .bind(me)
    .bind(fits)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(link, format!("/opportunities/{fits}"));
}

/// An open project asking for exactly the employee's own skills at their levels (a high fit).
async fn fitting_project(db: &sqlx::PgPool, me: Uuid) -> Uuid {
    let id = opening(db, "manager@example.com", "project", "open", "Made for you").await;
    sqlx::query(
        "insert into opportunity_skills (opportunity_id, skill_id, level, importance)
                 select $1, skill_id, level, 'essential' from person_skills where person_id = $2",
    )
    .bind(id)
    .bind(me)
    .execute(db)
    .await
    .unwrap();
    id
}

/// An open project asking for a skill nobody holds, at the top level (a fit near zero).
async fn unreachable_project(db: &sqlx::PgPool, title: &str) -> Uuid {
    let id = opening(db, "manager@example.com", "project", "open", title).await;
    sqlx::query("with s as (insert into skills (name) values ($2) returning id)
                 insert into opportunity_skills (opportunity_id, skill_id, level, importance) select $1, s.id, 5, 'essential' from s")
        .bind(id)
        .bind(format!("{title} skill"))
        .execute(db)
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_fit_threshold_alerts_only_above_it_and_switched_off_alerts_stay_silent() {
    let app = TestApp::with_demo().await;
    let me = person(&app.db, "employee@example.com").await;
    let client = app.signed_in("employee@example.com").await;
    let form = client
        .submit(
            "/alerts",
            "/alerts",
            &[("name", "Fits me"), ("min_fit", "50")],
        )
        .await;
    assert_eq!(form.status(), 303);
    let muted: Value = client
        .send_json(
            Method::POST,
            "/api/v1/me/saved-searches",
            Some(json!({"name": "Muted", "query": {"q": "quokka"}})),
        )
        .await
        .json()
        .await
        .unwrap();
    let off = client
        .send_json(
            Method::PATCH,
            &format!(
                "/api/v1/me/saved-searches/{}",
                muted["id"].as_str().unwrap()
            ),
            Some(json!({"alerts": false})),
        )
        .await;
    assert_eq!(off.status(), 204);
    let good = fitting_project(&app.db, me).await;
    let poor = unreachable_project(&app.db, "Tapir taming").await;
    let quokka = unreachable_project(&app.db, "Quokka counting").await;
    let state = AppState::start(app.db.clone(), Config::for_tests())
        .await
        .unwrap();

    let first = trellis::app::alerts::run_once(&state.db, &state.engine)
        .await
        .unwrap();
    let second = trellis::app::alerts::run_once(&state.db, &state.engine)
        .await
        .unwrap();

    assert!(first >= 1);
    assert_eq!(second, 0);
    assert_eq!(alerts_for(&app.db, me, good).await, 1);
    assert_eq!(alerts_for(&app.db, me, poor).await, 0);
    assert_eq!(alerts_for(&app.db, me, quokka).await, 0);
}

#[tokio::test]
async fn notifications_are_listed_and_marked_read_one_or_all() {
    let app = TestApp::with_demo().await;
    let me = person(&app.db, "employee@example.com").await;
    sqlx::query("update notifications set read_at = now() where person_id = $1")
        .bind(me)
        .execute(&app.db)
        .await
        .unwrap();
    for title in ["First news", "Second news"] {
        sqlx::query("insert into notifications (person_id, kind, title) values ($1, 'application_stage', $2)")
            .bind(me)
            .bind(title)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let client = app.signed_in("employee@example.com").await;
    let list: Value = client
        .get_json("/api/v1/me/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["unread"], 2);
    let first = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "First news")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    let one = client
        .submit(
            "/notifications",
            &format!("/notifications/{first}/read"),
            &[],
        )
        .await;

    assert_eq!(one.status(), 303);
    let html = client.get("/notifications").await.text().await.unwrap();
    assert!(html.contains("Notifications: 1 unread"));
    let other = app.signed_in("manager@example.com").await;
    assert_eq!(
        other
            .send_json(
                Method::POST,
                &format!("/api/v1/me/notifications/{first}/read"),
                None
            )
            .await
            .status(),
        404
    );
    assert_eq!(
        client
            .send_json(Method::POST, "/api/v1/me/notifications/read", None)
            .await
            .status(),
        204
    );
    let unread: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and read_at is null",
    )
    .bind(me)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(unread, 0);
}

#[tokio::test]
async fn a_search_saved_from_the_browse_page_keeps_its_filters_and_is_only_its_owners() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let browse = "/opportunities?q=data&kind=project&page=2";
    let html = client.get(browse).await.text().await.unwrap();
    let query = scraper::Html::parse_document(&html)
        .select(&scraper::Selector::parse("form.save-search input[name=query]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_string();

    let saved = client
        .submit(
            browse,
            "/alerts",
            &[("name", "Data projects"), ("query", &query)],
        )
        .await;

    assert_eq!(saved.status(), 303);
    let list: Value = client
        .get_json("/api/v1/me/saved-searches")
        .await
        .json()
        .await
        .unwrap();
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Data projects")
        .unwrap();
    assert_eq!(mine["query"], json!({"q": "data", "kind": "project"}));
    assert_eq!(mine["url"], "/opportunities?q=data&kind=project");
    let id = mine["id"].as_str().unwrap();
    let other = app.signed_in("manager@example.com").await;
    let stolen = other
        .send_json(
            Method::DELETE,
            &format!("/api/v1/me/saved-searches/{id}"),
            None,
        )
        .await;
    assert_eq!(stolen.status(), 404);
    let gone = client
        .send_json(
            Method::DELETE,
            &format!("/api/v1/me/saved-searches/{id}"),
            None,
        )
        .await;
    assert_eq!(gone.status(), 204);
}
