//! The mobility dashboard as HR sees it: every figure, its CSV, its JSON twin; no one else.

use fantoccini::Locator;
use serde_json::Value;
use trellis::metrics::dashboard::KEYS;

use crate::support::{browser, TestApp};

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
async fn a_stale_dashboard_answers_from_the_current_tables_and_rebuilds_them_in_the_background() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    assert_eq!(hr.get("/hr/dashboard").await.status(), 200, "first build");
    // Pretend the last rebuild was ten minutes ago and something changed since.
    sqlx::query(
        "update metrics_refreshes set refreshed_at = now() - interval '10 minutes'
         where name = 'headcount_monthly'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("update people set updated_at = now() where email = 'employee@example.com'")
        .execute(&app.db)
        .await
        .unwrap();

    assert_eq!(hr.get("/hr/dashboard").await.status(), 200);

    // The rebuild runs after the answer; wait for it (bounded), never for a fixed time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let fresh: bool = sqlx::query_scalar(
            "select refreshed_at > now() - interval '1 minute' from metrics_refreshes
             where name = 'headcount_monthly'",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        if fresh {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the background rebuild never ran"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
