//! The mobility dashboard as HR sees it: every figure, its CSV, its JSON twin; no one else.

use fantoccini::Locator;
use serde_json::Value;
use trellis::metrics::dashboard::KEYS;

use trellis::metrics::refresh::{refresh, Refresh};

use crate::support::{browser, count, TestApp};

#[tokio::test]
async fn hr_sees_every_figure_with_how_it_is_computed_and_a_chart() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let home = hr.get("/hr").await.text().await.unwrap();
    let page = hr.get("/hr/dashboard").await;

    assert!(home.contains("href=\"/hr/dashboard\""));
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for key in KEYS {
        assert!(
            html.contains(&format!("data-testid=\"figure-{key}\"")),
            "{key}"
        );
        assert!(html.contains(&format!("/hr/dashboard/{key}.csv?")), "{key}");
    }
    assert_eq!(html.matches("How this is computed:").count(), KEYS.len());
    assert!(html.contains("<svg class=\"chart chart-funnel\""));
    assert!(html.contains("<svg class=\"chart chart-line\""));
    assert!(
        html.contains("rebuilt 20"),
        "says how fresh the snapshot is"
    );
}

#[tokio::test]
async fn each_figure_exports_as_csv_for_the_chosen_period() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let response = hr
        .get("/hr/dashboard/application-funnel.csv?from=2025-01-01&to=2026-01-01&department=&family=")
        .await;

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("application-funnel-2025-01-01-2026-01-01.csv"),
        "{disposition}"
    );
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines[0],
        "stage,applications,conversion %,previous period,previous conversion %"
    );
    assert_eq!(lines.len(), 6, "a header and five stages");
    assert_eq!(
        hr.get("/hr/dashboard/no-such-figure.csv").await.status(),
        404
    );
}

#[tokio::test]
async fn the_json_twin_has_every_figure_and_names_a_bad_field() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let all: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();
    let one = hr
        .get_json("/api/v1/metrics/time-to-fill?from=2025-01-01&to=2026-01-01")
        .await;
    let bad = hr.get_json("/api/v1/metrics?from=yesterday").await;
    let reversed = hr
        .get_json("/api/v1/metrics?from=2026-01-01&to=2025-01-01")
        .await;

    assert_eq!(all["figures"].as_array().unwrap().len(), KEYS.len());
    assert!(all["aggregates_refreshed_at"].is_string());
    assert_eq!(one.status(), 200);
    let one: Value = one.json().await.unwrap();
    assert_eq!(one["key"], "time-to-fill");
    assert_eq!(one["unit"], "days");
    assert_eq!(bad.status(), 422);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["errors"][0]["pointer"], "/from");
    assert_eq!(bad["errors"][0]["detail"], "Give a date as YYYY-MM-DD.");
    assert_eq!(reversed.status(), 422);
    assert_eq!(hr.get_json("/api/v1/metrics/nothing").await.status(), 404);
}

#[tokio::test]
async fn employees_and_managers_cannot_see_the_dashboard_its_csv_or_its_api() {
    let app = TestApp::with_demo().await;
    let paths = [
        "/hr/dashboard",
        "/hr/dashboard/internal-fill-rate.csv",
        "/api/v1/metrics",
        "/api/v1/metrics/internal-fill-rate",
        "/hr/policy",
        "/api/v1/hr/policy",
        "/hr/audit",
        "/api/v1/hr/audit",
    ];
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        for path in paths {
            let status = if path.starts_with("/api/") {
                client.get_json(path).await.status()
            } else {
                client.get(path).await.status()
            };
            assert_eq!(status.as_u16(), 403, "{email} GET {path}");
        }
    }
    assert_eq!(app.client().get_json("/api/v1/metrics").await.status(), 401);
}

#[tokio::test]
async fn hr_changes_the_period_in_a_browser_and_the_dashboard_reads_well_wide_and_narrow() {
    let Some(browser) = browser::start("dashboard").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    browser::sign_in(c, &app, "hr@example.com").await;

    c.goto(&app.url("/hr/dashboard?from=2024-01-01&to=2026-01-01"))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("[data-testid=figure-talent-flow]"))
        .await
        .unwrap();
    let freshness = c
        .find(Locator::Css("[data-testid=freshness]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        freshness.contains("Period 2024-01-01 to 2026-01-01"),
        "{freshness}"
    );

    let dir = browser::screenshot_dir();
    for width in [1280u32, 390] {
        c.set_window_size(width, 900).await.unwrap();
        // The whole page in one picture: as tall as the document.
        let height = c
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap();
        c.set_window_size(width, height as u32 + 120).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("dashboard-{width}.png")), png).unwrap();
        let overflow: Value = c
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            overflow,
            Value::Bool(false),
            "no sideways scrolling at {width}px"
        );
    }
    let href = c
        .find(Locator::Css("[data-testid=csv-internal-fill-rate]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.contains("from=2024-01-01&to=2026-01-01"), "{href}");
    browser.client.clone().close().await.ok();
}

#[tokio::test]
async fn a_fresh_install_shows_the_dashboard_being_computed_and_no_request_builds_it() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    // As on a fresh install: the aggregates were never built.
    sqlx::query("delete from metrics_refreshes")
        .execute(&app.db)
        .await
        .unwrap();

    let page = hr.get("/hr/dashboard").await;
    let api: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();

    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("data-testid=\"dashboard-computing\""),
        "{html}"
    );
    assert!(html.contains("being computed"));
    assert!(html.contains("rebuilt never"));
    assert!(!html.contains("data-testid=\"figure-headcount\""));
    assert_eq!(api["computing"], true);
    assert!(api["aggregates_refreshed_at"].is_null());
    assert_eq!(api["figures"].as_array().unwrap().len(), 0);
    // Neither request built them (the test app runs no background job).
    assert_eq!(
        count(&app.db, "select count(*) from metrics_refreshes").await,
        0
    );

    // The background job's rebuild, and the figures are back.
    let built = refresh(&app.db).await.unwrap();
    assert!(matches!(built, Refresh::Rebuilt { .. }), "{built:?}");
    let html = hr.get("/hr/dashboard").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"figure-headcount\""));
    assert!(!html.contains("data-testid=\"dashboard-computing\""));
}

#[tokio::test]
async fn a_rebuild_with_nothing_changed_does_nothing_and_a_change_is_rebuilt_alone() {
    let app = TestApp::with_demo().await;
    // The demo built the aggregates when it loaded.
    assert_eq!(refresh(&app.db).await.unwrap(), Refresh::NothingChanged);
    let at = |db: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, time::OffsetDateTime>("select refreshed_at from metrics_refreshes")
            .fetch_one(&db)
            .await
            .unwrap()
    };
    let first = at(app.db.clone()).await;

    // A sign-in or a changed password touches people, but nothing the dashboard counts.
    sqlx::query("update people set password_hash = password_hash, updated_at = now()")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(refresh(&app.db).await.unwrap(), Refresh::NothingChanged);
    assert_eq!(at(app.db.clone()).await, first);

    // One person leaves: one change, rebuilt.
    sqlx::query(
        "update people set employment_status = 'terminated', terminated_on = current_date - 40
         where email = 'employee@example.com'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(
        refresh(&app.db).await.unwrap(),
        Refresh::Rebuilt { changes: 1 }
    );
    assert!(at(app.db.clone()).await > first);
    assert_eq!(refresh(&app.db).await.unwrap(), Refresh::NothingChanged);
}

/// Every aggregate row, as text, in a stable order.
async fn aggregates(db: &sqlx::PgPool) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "select concat_ws(',', department_key, family_key, month, delta) from metrics_headcount_deltas order by 1",
        "select concat_ws(',', skill_id, level, people) from metrics_skill_supply order by 1",
        "select concat_ws(',', application_id, opportunity_id, owner_id, department_id, family_id, submitted_at, stage, owner_acted_at, accepted_at) from metrics_application_facts order by 1",
        "select concat_ws(',', opportunity_id, department_id, family_id, published_at, first_accepted_at) from metrics_opening_fills order by 1",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(db).await.unwrap();
        assert!(!rows.is_empty(), "{sql}");
        out.extend(rows);
    }
    out
}

#[tokio::test]
async fn an_incremental_rebuild_gives_the_same_aggregates_as_a_full_one() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    // Changes of every kind the aggregates count: a leaver, a transfer, a hire with no
    // department, a skill level, a removed skill, an application moved on, an opening moved to
    // another department, a job profile moved to another family.
    sqlx::raw_sql(
        "update people set employment_status = 'terminated', terminated_on = current_date - 100
           where email = 'employee@example.com';
         update people set department_id = (select id from departments order by name limit 1)
           where id in (select id from people where employment_status = 'active' order by employee_number limit 20);
         insert into people (employee_number, email, given_name, family_name, display_name, hire_date, role_started_on)
           values ('X-1', 'x1@example.com', 'X', 'One', 'X One', current_date - 10, current_date - 10);
         update person_skills set level = 6 - level
           where person_id in (select id from people order by employee_number limit 30);
         delete from person_skills where person_id in (select id from people order by employee_number offset 30 limit 10);
         insert into application_events (application_id, from_status, to_status)
           select id, status, 'in_review' from applications where status = 'submitted' limit 5;
         update applications set status = 'in_review'
           where id in (select application_id from application_events where to_status = 'in_review'
                        order by id desc limit 5);
         update opportunities set department_id = (select id from departments order by name desc limit 1)
           where id in (select opportunity_id from applications where status = 'accepted' limit 3);
         update job_profiles set family_id = (select id from job_families order by name limit 1)
           where id in (select job_profile_id from people where job_profile_id is not null limit 2);",
    )
    .execute(&app.db)
    .await
    .unwrap();

    assert!(matches!(
        refresh(&app.db).await.unwrap(),
        Refresh::Rebuilt { .. }
    ));
    let incremental = aggregates(&app.db).await;
    let page = hr.get("/hr/dashboard").await.text().await.unwrap();
    sqlx::query("delete from metrics_refreshes")
        .execute(&app.db)
        .await
        .unwrap();
    assert!(matches!(
        refresh(&app.db).await.unwrap(),
        Refresh::Rebuilt { .. }
    ));
    let full = aggregates(&app.db).await;

    assert_eq!(incremental.len(), full.len());
    assert!(
        incremental == full,
        "the incremental rebuild differs from a full one"
    );
    let again = hr.get("/hr/dashboard").await.text().await.unwrap();
    let figures = |html: &str| html[html.find("dash-grid").unwrap()..].to_string();
    assert_eq!(figures(&page), figures(&again));
}
