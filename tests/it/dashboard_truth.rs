//! The dashboard tells the truth (issue 18, item 6): the HR home page and the dashboard agree,
//! the talent flow is between top-level departments with a drill-down, and each chart is in
//! the unit of its headline.

use serde_json::Value;

use crate::support::{count, TestApp};

fn figure<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key}"))
}

/// The number in the HR home page's stat whose label starts with `label`.
fn stat(html: &str, label: &str) -> String {
    let at = html
        .find(&format!("<span class=\"stat-label\">{label}"))
        .unwrap();
    let before = &html[..at];
    let start = before.rfind("<span class=\"stat-value\">").unwrap() + 25;
    before[start..]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .to_string()
}

#[tokio::test]
async fn the_hr_home_page_counts_no_move_dated_in_the_future_and_agrees_with_the_dashboard() {
    let app = TestApp::with_demo().await;
    // Ten external hires and ten promotions that take effect next month.
    sqlx::raw_sql(
        "insert into moves (person_id, kind, source, to_department_id, effective_on)
         select id, k, 'import', department_id, current_date + 30
         from people cross join (values ('external_hire'), ('promotion')) v(k)
         where employment_status = 'active' order by employee_number limit 20",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let hr = app.signed_in("hr@example.com").await;

    let home = hr.get("/hr").await.text().await.unwrap();
    let d: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();

    let rate = figure(&d, "internal-fill-rate")["value"].as_f64().unwrap();
    assert_eq!(
        stat(&home, "internal fill rate"),
        format!("{}%", (rate * 10.0).round() / 10.0)
    );
    let promotions = figure(&d, "promotion-rate")["rows"].clone();
    let moves = count(
        &app.db,
        "select count(*) from moves where kind in ('promotion', 'lateral_move')
           and effective_on > current_date - interval '12 months' and effective_on <= current_date",
    )
    .await;
    assert_eq!(
        stat(&home, "promotions and lateral moves"),
        moves.to_string(),
        "{promotions}"
    );
}

#[tokio::test]
async fn the_talent_flow_is_between_top_level_departments_and_drills_down() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let tops: Vec<String> =
        sqlx::query_scalar("select name from departments where parent_id is null")
            .fetch_all(&app.db)
            .await
            .unwrap();

    let d: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();
    let flow = figure(&d, "talent-flow");
    let chart = &flow["chart"];
    let cells: i64 = chart["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|c| c.as_i64().unwrap()))
        .sum();

    // The headline is what the matrix shows, and its rows are top-level departments.
    assert!(flow["value"].as_f64().unwrap() > 0.0);
    assert_eq!(flow["value"].as_f64().unwrap() as i64, cells);
    for row in chart["rows"].as_array().unwrap() {
        assert!(tops.contains(&row.as_str().unwrap().to_string()), "{row}");
    }

    // Drilling into the top-level department with the most moves shows its sub-departments.
    let top = chart["row_ids"][0].as_str().unwrap().to_string();
    let html = hr.get("/hr/dashboard").await.text().await.unwrap();
    assert!(
        html.contains(&format!("flow={top}#talent-flow")),
        "a drill-down link"
    );
    let inner: Value = hr
        .get_json(&format!("/api/v1/metrics?flow={top}"))
        .await
        .json()
        .await
        .unwrap();
    let children: Vec<String> = sqlx::query_scalar(
        "select name from departments where parent_id = $1::uuid or id = $1::uuid",
    )
    .bind(&top)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(inner["talent_flow_under"], top.as_str());
    for row in figure(&inner, "talent-flow")["chart"]["rows"]
        .as_array()
        .unwrap()
    {
        assert!(
            children.contains(&row.as_str().unwrap().to_string()),
            "{row}"
        );
    }
    let page = hr
        .get(&format!("/hr/dashboard?flow={top}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("data-testid=\"flow-top\""));
    assert_eq!(hr.get_json("/api/v1/metrics?flow=nope").await.status(), 422);
}

#[tokio::test]
async fn each_chart_is_in_its_headlines_unit_and_no_bar_label_is_cut() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let d: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();

    // Learning: hours are not drawn beside counts.
    let learning = figure(&d, "learning");
    let labels: Vec<&str> = learning["chart"]["bars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["enrolments", "completions", "skill levels gained"]);

    // Mobility by manager: the headline is median days to act, and so are the bars.
    let by = figure(&d, "by-manager");
    assert_eq!(by["unit"], "days");
    let bars = by["chart"]["bars"].as_array().unwrap();
    assert!(!bars.is_empty());
    for bar in bars {
        let row = by["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[0] == bar["label"])
            .unwrap_or_else(|| panic!("no row for {bar}"));
        assert_eq!(
            row[1].as_str().unwrap().parse::<f64>().unwrap(),
            bar["value"].as_f64().unwrap()
        );
    }

    // No bar label on the page is cut short, unless it is longer than three lines.
    let html = hr.get("/hr/dashboard").await.text().await.unwrap();
    // Bar labels (a heat map's row names stand at the same x, without lines).
    let bars = html
        .split("<text class=\"tick\" x=\"164\"")
        .skip(1)
        .filter(|t| t.split("</text>").next().unwrap().contains("<tspan"));
    assert!(bars.clone().count() > 10);
    for text in bars {
        let shown: Vec<&str> = text
            .split("<tspan")
            .skip(1)
            .map(|t| t.split('>').nth(1).unwrap().split('<').next().unwrap())
            .collect();
        let title = text
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap();
        let full = &title[..title.rfind(": ").unwrap_or_else(|| panic!("{title}"))];
        if full.chars().count() <= 60 {
            assert_eq!(shown.join(" "), full, "{text}");
        }
    }
}

#[tokio::test]
async fn the_demo_writes_the_audit_rows_its_history_implies() {
    let app = TestApp::with_demo().await;
    let db = &app.db;

    let moves = count(db, "select count(*) from moves").await;
    let recorded = count(
        db,
        "select count(*) from audit_log where action = 'move.record'",
    )
    .await;
    let events = count(
        db,
        "select count(*) from application_events where occurred_at <= now()",
    )
    .await;
    let audited = count(
        db,
        "select count(*) from audit_log where action like 'application.%'",
    )
    .await;
    let years_back = count(
        db,
        "select extract(year from age(now(), min(occurred_at)))::bigint from audit_log",
    )
    .await;
    let future = count(
        db,
        "select count(*) from audit_log where occurred_at > now()",
    )
    .await;

    assert!(moves > 0 && events > 0);
    assert_eq!(recorded, moves);
    assert_eq!(audited, events);
    assert!(years_back >= 2, "the trail starts {years_back} years back");
    assert_eq!(future, 0);
}

#[tokio::test]
async fn department_menus_stay_bounded_with_five_thousand_departments_and_find_by_name() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "insert into departments (name) select 'Bulk team ' || n from generate_series(1, 5000) n",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let hr = app.signed_in("hr@example.com").await;

    for path in ["/hr/dashboard", "/hr/people", "/hr/moves"] {
        let page = hr.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.unwrap();
        let options = html.matches("<option").count();
        // 5,000 departments would be over 250 KB of options alone.
        assert!(options < 250, "{path}: {options} options");
        assert!(html.len() < 600_000, "{path}: {} bytes", html.len());
        assert!(html.contains("data-testid=\"department-search\""), "{path}");

        // Find one by part of its name, without JavaScript: the form is sent with the text.
        let found = hr
            .get(&format!("{path}?department_search=team+4321"))
            .await
            .text()
            .await
            .unwrap();
        assert!(found.contains(">Bulk team 4321</option>"), "{path}");
        assert!(found.contains("1 department matches"), "{path}");
    }
}
