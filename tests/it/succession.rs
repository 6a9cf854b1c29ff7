//! Succession plans: successors proposed by the engine with bands from their learning path,
//! overrides with a reason, every change audited; a manager sees only their own team's plans;
//! a successor is told nothing unless the mobility policy says so.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::pipeline::{other_manager, person};
use crate::support::{Client, TestApp};

/// The id of a new critical role, marked through the API by `client`.
pub async fn mark(client: &Client, body: Value) -> Uuid {
    let r = client
        .send_json(Method::POST, "/api/v1/succession", Some(body))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    v["id"].as_str().unwrap().parse().unwrap()
}

/// Let `who` sign in with the demo password (the demo gives it to a few people only).
pub async fn give_password(db: &PgPool, who: Uuid) {
    sqlx::query(
        "update people set password_hash = (select password_hash from people
                                             where email = 'employee@example.com')
         where id = $1",
    )
    .bind(who)
    .execute(db)
    .await
    .unwrap();
}

async fn email_of(db: &PgPool, id: Uuid) -> String {
    sqlx::query_scalar("select email from people where id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn audited(db: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(db)
        .await
        .unwrap()
}

fn band_for(weeks: Option<u64>, unclosable: bool) -> &'static str {
    match weeks {
        None => "three_plus_years",
        Some(w) if w <= 13 && !unclosable => "ready_now",
        Some(w) if w <= 104 => "one_to_two_years",
        Some(_) => "three_plus_years",
    }
}

#[tokio::test]
async fn proposed_successors_come_from_the_engine_with_bands_from_their_learning_path() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let daniel = person(&app.db, "manager@example.com").await;
    let role = mark(
        &hr,
        json!({ "incumbent": "manager@example.com", "reason": "leadership", "note": "Leads the team" }),
    )
    .await;
    let path = format!("/api/v1/succession/{role}");
    let proposals: Vec<Value> = hr
        .get_json(&format!("{path}/proposals"))
        .await
        .json()
        .await
        .unwrap();
    assert!(!proposals.is_empty(), "the engine proposes successors");
    assert!(
        proposals
            .iter()
            .all(|p| p["person_id"] != json!(daniel.to_string())),
        "never the incumbent"
    );

    // Each proposal is the person's own learning path toward the role's job profile: the
    // same fit, hours and weeks they see on their career page.
    let profile: Uuid = sqlx::query_scalar("select job_profile_id from people where id = $1")
        .bind(daniel)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let candidate = proposals
        .iter()
        .find(|p| p["path_hours"].as_f64().unwrap() > 0.0)
        .unwrap_or(&proposals[0])
        .clone();
    let who: Uuid = candidate["person_id"].as_str().unwrap().parse().unwrap();
    give_password(&app.db, who).await;
    let them = app.signed_in(&email_of(&app.db, who).await).await;
    let own: Value = them
        .get_json(&format!("/api/v1/me/career-paths/{profile}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(candidate["fit"], own["fit"]["score"]);
    assert_eq!(candidate["path_hours"], own["path"]["total_hours"]);
    assert_eq!(candidate["weeks_to_ready"], own["path"]["weeks_to_ready"]);
    let unclosable = !own["path"]["unclosable"].as_array().unwrap().is_empty();
    assert_eq!(
        candidate["band"],
        band_for(candidate["weeks_to_ready"].as_u64(), unclosable)
    );

    // Someone who opted out of talent search is neither proposed nor accepted.
    let hidden: Uuid = proposals.last().unwrap()["person_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    if hidden != who {
        sqlx::query("update people set discoverable = false where id = $1")
            .bind(hidden)
            .execute(&app.db)
            .await
            .unwrap();
        let again: Vec<Value> = hr
            .get_json(&format!("{path}/proposals"))
            .await
            .json()
            .await
            .unwrap();
        assert!(again
            .iter()
            .all(|p| p["person_id"] != json!(hidden.to_string())));
        let r = hr
            .send_json(
                Method::POST,
                &format!("{path}/successors"),
                Some(json!({ "person_id": hidden })),
            )
            .await;
        assert_eq!(r.status(), 422);
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["pointer"], "/person_id");
    }

    // With no learning time the path never ends: 3+ years. With 40 hours a week it is
    // the hours divided by 40, and the band follows.
    for (weekly, expected_weeks) in [
        (0.0, None),
        (
            40.0,
            Some(
                (candidate["path_hours"].as_f64().unwrap() / 40.0 - 1e-6)
                    .ceil()
                    .max(0.0) as u64,
            ),
        ),
    ] {
        sqlx::query(
            "insert into aspirations (person_id, weekly_learning_hours) values ($1, $2)
             on conflict (person_id) do update set weekly_learning_hours = excluded.weekly_learning_hours",
        )
        .bind(who)
        .bind(weekly)
        .execute(&app.db)
        .await
        .unwrap();
        let r = hr
            .send_json(
                Method::POST,
                &format!("{path}/successors"),
                Some(json!({ "person_id": who })),
            )
            .await;
        assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
        let plan: Value = hr.get_json(&path).await.json().await.unwrap();
        let s = &plan["successors"][0];
        let hours = candidate["path_hours"].as_f64().unwrap();
        let weeks = if hours == 0.0 {
            Some(0)
        } else {
            expected_weeks
        };
        assert_eq!(s["weeks_to_ready"].as_u64(), weeks, "at {weekly} h a week");
        assert_eq!(s["computed_band"], band_for(weeks, unclosable));
        assert_eq!(s["band"], s["computed_band"]);
        let r = hr
            .send_json(Method::DELETE, &format!("{path}/successors/{who}"), None)
            .await;
        assert_eq!(r.status(), 204);
    }

    // Overriding the band needs a reason, and keeps the computed band beside it.
    hr.send_json(
        Method::POST,
        &format!("{path}/successors"),
        Some(json!({ "person_id": who })),
    )
    .await;
    let band_path = format!("{path}/successors/{who}");
    let r = hr
        .send_json(
            Method::PUT,
            &band_path,
            Some(json!({ "band": "ready_now" })),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/reason");
    let r = hr
        .send_json(
            Method::PUT,
            &band_path,
            Some(json!({ "band": "ready_now", "reason": "Acted in the role for six months" })),
        )
        .await;
    assert_eq!(r.status(), 204);
    let plan: Value = hr.get_json(&path).await.json().await.unwrap();
    let s = &plan["successors"][0];
    assert_eq!(s["band"], "ready_now");
    assert_eq!(s["band_override"], "ready_now");
    assert_eq!(s["override_reason"], "Acted in the role for six months");
    assert_eq!(plan["role"]["ready_now"], 1);

    for action in [
        "succession.role_marked",
        "succession.successor_added",
        "succession.successor_removed",
        "succession.band_overridden",
    ] {
        assert!(audited(&app.db, action).await >= 1, "{action} is audited");
    }
    // Marking the same position twice is a conflict.
    let r = hr
        .send_json(
            Method::POST,
            "/api/v1/succession",
            Some(json!({ "incumbent": "manager@example.com", "reason": "leadership" })),
        )
        .await;
    assert_eq!(r.status(), 409);
}

#[tokio::test]
async fn a_manager_sees_and_changes_only_their_own_teams_plans() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let daniel_id = person(&app.db, "manager@example.com").await;
    let maya = person(&app.db, "employee@example.com").await;
    let (other, _) = other_manager(&app.db, daniel_id, maya).await;
    let others_report: Uuid = sqlx::query_scalar(
        "select id from people where manager_id = $1 and job_profile_id is not null
           and id not in (select incumbent_id from critical_roles where incumbent_id is not null)
         order by employee_number limit 1",
    )
    .bind(other)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let others_role = mark(
        &hr,
        json!({ "incumbent": email_of(&app.db, others_report).await, "reason": "single_point_of_failure" }),
    )
    .await;

    // Daniel marks Maya's position through his page.
    let daniel = app.signed_in("manager@example.com").await;
    let r = daniel
        .submit(
            "/team/succession",
            "/team/succession",
            &[("incumbent", &maya.to_string()), ("reason", "hard_to_fill")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let own_role: Uuid = sqlx::query_scalar(
        "select id from critical_roles where incumbent_id = $1 and manager_id = $2",
    )
    .bind(maya)
    .bind(daniel_id)
    .fetch_one(&app.db)
    .await
    .unwrap();

    // He cannot mark a position outside his team.
    let r = daniel
        .send_json(
            Method::POST,
            "/api/v1/succession",
            Some(json!({ "incumbent": others_report, "reason": "leadership" })),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/incumbent");

    // His list, page and API, has his role and not the other team's.
    let list: Vec<Value> = daniel
        .get_json("/api/v1/succession")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&own_role.to_string().as_str()));
    assert!(!ids.contains(&others_role.to_string().as_str()));
    let page = daniel.get("/team/succession").await.text().await.unwrap();
    assert!(page.contains(&format!("/team/succession/{own_role}")));
    assert!(!page.contains(&others_role.to_string()));

    // Every way to the other team's plan is closed, and nothing changes.
    let other_page = format!("/team/succession/{others_role}");
    assert_eq!(daniel.get(&other_page).await.status(), 404);
    for (method, path, body) in [
        (
            Method::GET,
            format!("/api/v1/succession/{others_role}"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/succession/{others_role}/proposals"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/succession/{others_role}/successors"),
            Some(json!({ "person_id": maya })),
        ),
        (
            Method::PUT,
            format!("/api/v1/succession/{others_role}/successors/{maya}"),
            Some(json!({ "band": "ready_now", "reason": "x" })),
        ),
        (
            Method::DELETE,
            format!("/api/v1/succession/{others_role}"),
            None,
        ),
    ] {
        let r = daniel.send_json(method.clone(), &path, body).await;
        assert_eq!(r.status(), 404, "{method} {path}");
    }
    for action in ["delete", "successors"] {
        let r = daniel
            .submit(
                "/team/succession",
                &format!("{other_page}/{action}"),
                &[("person_id", &maya.to_string())],
            )
            .await;
        assert_eq!(r.status(), 404, "POST {other_page}/{action}");
    }
    let still: i64 = sqlx::query_scalar(
        "select count(*) from critical_roles cr where cr.id = $1
           and not exists (select 1 from succession_candidates sc where sc.critical_role_id = cr.id)",
    )
    .bind(others_role)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(still, 1, "the other team's plan is untouched");

    // HR's pages are not a manager's; an employee has neither.
    assert_eq!(daniel.get("/hr/succession").await.status(), 403);
    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(employee.get("/team/succession").await.status(), 403);
    assert_eq!(employee.get_json("/api/v1/succession").await.status(), 403);
    // HR sees both.
    let all: Vec<Value> = hr
        .get_json("/api/v1/succession")
        .await
        .json()
        .await
        .unwrap();
    let all: Vec<&str> = all.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(all.contains(&own_role.to_string().as_str()));
    assert!(all.contains(&others_role.to_string().as_str()));
}

#[tokio::test]
async fn a_successor_cannot_see_they_are_listed_unless_the_policy_allows() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let maya = person(&app.db, "employee@example.com").await;
    let role = mark(
        &hr,
        json!({ "incumbent": "manager@example.com", "reason": "leadership" }),
    )
    .await;
    let path = format!("/api/v1/succession/{role}");
    let r = hr
        .send_json(
            Method::POST,
            &format!("{path}/successors"),
            Some(json!({ "person_id": maya })),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    let started: Value = hr
        .send_json(
            Method::POST,
            &format!("{path}/successors/{maya}/plan"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let plan_id = started["development_plan_id"].as_str().unwrap().to_string();
    let title: String = sqlx::query_scalar(
        "select jp.title from critical_roles cr join job_profiles jp on jp.id = cr.job_profile_id where cr.id = $1",
    )
    .bind(role)
    .fetch_one(&app.db)
    .await
    .unwrap();

    let employee = app.signed_in("employee@example.com").await;
    let mine: Value = employee
        .get_json("/api/v1/me/succession")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine, json!([]));
    let page = employee.get("/succession/mine").await.text().await.unwrap();
    assert!(!page.contains(&title), "the page names no plan");
    for p in [
        format!("/plans/{plan_id}"),
        format!("/api/v1/me/plans/{plan_id}"),
        "/notifications".to_string(),
    ] {
        let body = employee.get(&p).await.text().await.unwrap().to_lowercase();
        assert!(!body.contains("succession"), "{p} tells nothing");
    }
    assert_eq!(employee.get("/hr/succession").await.status(), 403);
    assert_eq!(employee.get_json(&path).await.status(), 403);

    // Once HR lets successors see their plans, she sees this one and its development plan.
    let r = hr
        .send_json(
            Method::POST,
            "/api/v1/hr/policy",
            Some(json!({
                "min_months_in_role": "12", "manager_informed_at": "interviewing",
                "max_active_applications": "5", "project_needs_manager_approval": "on",
                "max_release_weeks": "8", "stale_self_assessment_months": "24",
                "succession_visible_to_successors": "on"
            })),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let mine: Vec<Value> = employee
        .get_json("/api/v1/me/succession")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["title"], json!(title));
    assert_eq!(mine[0]["development_plan_id"], json!(plan_id));
    let page = employee.get("/succession/mine").await.text().await.unwrap();
    assert!(page.contains(&title));
}

async fn bench(hr: &Client) -> Value {
    let r = hr.get_json("/api/v1/hr/bench").await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

#[tokio::test]
async fn bench_strength_counts_uncovered_roles_successors_and_flight_risks() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let before = bench(&hr).await;
    // Two positions in one department, and two other people to succeed them.
    let people: Vec<(Uuid, String)> = sqlx::query_as(
        "with d as (select department_id from people where department_id is not null
                     and job_profile_id is not null and employment_status = 'active'
                     group by department_id having count(*) >= 2 order by count(*) desc limit 1)
         select id, email from people where department_id = (select department_id from d)
           and job_profile_id is not null and employment_status = 'active'
         order by employee_number limit 2",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let successors: Vec<Uuid> = sqlx::query_scalar(
        "select id from people where discoverable and employment_status = 'active'
           and id <> all($1) order by employee_number desc limit 2",
    )
    .bind(people.iter().map(|p| p.0).collect::<Vec<_>>())
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mut roles = Vec::new();
    for ((_, email), (successor, band)) in people
        .iter()
        .zip(successors.iter().zip(["ready_now", "three_plus_years"]))
    {
        let role = mark(&hr, json!({ "incumbent": email, "reason": "hard_to_fill" })).await;
        let path = format!("/api/v1/succession/{role}/successors");
        let r = hr
            .send_json(Method::POST, &path, Some(json!({ "person_id": successor })))
            .await;
        assert_eq!(r.status(), 204);
        let r = hr
            .send_json(
                Method::PUT,
                &format!("{path}/{successor}"),
                Some(json!({ "band": band, "reason": "Agreed in the talent review" })),
            )
            .await;
        assert_eq!(r.status(), 204);
        roles.push(role);
    }
    // The ready-now successor was promoted last month and had a conversation this week; the
    // other has had no career conversation in 90 days: a flight risk.
    sqlx::query(
        "insert into moves (person_id, kind, source, effective_on) values ($1, 'promotion', 'import', current_date - 30)",
    )
    .bind(successors[0])
    .execute(&app.db)
    .await
    .unwrap();
    let manager: Uuid = sqlx::query_scalar(
        "select id from people where id <> $1 and employment_status = 'active' limit 1",
    )
    .bind(successors[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query("insert into career_conversations (person_id, manager_id, held_on) values ($1, $2, current_date)")
        .bind(successors[0])
        .bind(manager)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("delete from career_conversations where person_id = $1")
        .bind(successors[1])
        .execute(&app.db)
        .await
        .unwrap();

    let after = bench(&hr).await;
    let delta =
        |k: &str| after["company"][k].as_i64().unwrap() - before["company"][k].as_i64().unwrap();
    assert_eq!(delta("critical_roles"), 2);
    assert_eq!(delta("without_ready_now"), 1);
    assert_eq!(delta("successors"), 2);
    assert_eq!(delta("distinct_successors"), 2);
    assert_eq!(delta("flight_risk_successors"), 1);
    assert!(
        after["departments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["critical_roles"].as_i64().unwrap() >= 2),
        "the department's row counts both roles"
    );

    // The daily snapshot is idempotent, and the dashboard compares with an earlier one.
    trellis::app::succession_jobs::run_once(&app.db)
        .await
        .unwrap();
    trellis::app::succession_jobs::run_once(&app.db)
        .await
        .unwrap();
    let today: i64 = sqlx::query_scalar(
        "select count(*) from bench_snapshots where taken_on = current_date and department_id is null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(today, 1);
    sqlx::query(
        "insert into bench_snapshots (taken_on, critical_roles, without_ready_now, successors, flight_risk_successors)
         values (current_date - 90, 7, 6, 3, 2)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let page = hr.get("/hr/dashboard").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"bench-strength\""));
    assert!(
        page.contains("6 of 7 critical roles without a ready-now successor"),
        "the change over time"
    );
    assert!(
        page.contains("How bench strength is computed: a critical role has a ready-now successor")
    );
    // Managers do not get the company's bench.
    let daniel = app.signed_in("manager@example.com").await;
    assert_eq!(daniel.get_json("/api/v1/hr/bench").await.status(), 403);
}

#[tokio::test]
async fn the_policy_sets_reminder_and_escalation_days_and_successor_visibility() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let base = json!({
        "min_months_in_role": "12", "manager_informed_at": "interviewing",
        "max_active_applications": "5", "max_release_weeks": "8",
        "stale_self_assessment_months": "24"
    });
    // Without the new fields the defaults stay: 5 and 10 days, plans hidden.
    let r = hr
        .send_json(Method::POST, "/api/v1/hr/policy", Some(base.clone()))
        .await;
    assert_eq!(r.status(), 200);
    let p: Value = r.json().await.unwrap();
    assert_eq!(
        (
            &p["reminder_days"],
            &p["escalation_days"],
            &p["succession_visible_to_successors"]
        ),
        (&json!(5), &json!(10), &json!(false))
    );
    // HR is told after the reminder, never before.
    let mut early = base.clone();
    early["reminder_days"] = json!("7");
    early["escalation_days"] = json!("3");
    let r = hr
        .send_json(Method::POST, "/api/v1/hr/policy", Some(early))
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/escalation_days");
    // Through the form.
    let r = hr
        .submit(
            "/hr/policy",
            "/hr/policy",
            &[
                ("min_months_in_role", "12"),
                ("manager_informed_at", "interviewing"),
                ("max_active_applications", "5"),
                ("max_release_weeks", "8"),
                ("stale_self_assessment_months", "24"),
                ("reminder_days", "3"),
                ("escalation_days", "6"),
                ("succession_visible_to_successors", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (reminder, escalation, visible): (i16, i16, bool) = sqlx::query_as(
        "select reminder_days, escalation_days, succession_visible_to_successors
         from mobility_policies order by id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((reminder, escalation, visible), (3, 6, true));
    let page = hr.get("/hr/policy").await.text().await.unwrap();
    assert!(page.contains("name=\"reminder_days\" value=\"3\""));
}

/// How long the new pages take on the test demo: run by hand with
/// `cargo test --test it succession_timings -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "prints timings; run by hand"]
async fn succession_timings() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let role: Uuid = sqlx::query_scalar("select id from critical_roles order by id limit 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let people: i64 = sqlx::query_scalar("select count(*) from people")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for path in [
        format!("/api/v1/succession/{role}/proposals"),
        format!("/hr/succession/{role}"),
        "/hr/succession".to_string(),
        "/api/v1/hr/openings".to_string(),
        "/api/v1/hr/bench".to_string(),
        "/hr/dashboard".to_string(),
    ] {
        let mut best = u128::MAX;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let r = hr.get_json(&path).await;
            assert!(r.status().is_success(), "{path}");
            r.bytes().await.unwrap();
            best = best.min(t.elapsed().as_millis());
        }
        println!("{people} people: GET {path}: best of 3 {best} ms");
    }
    let t = std::time::Instant::now();
    let sent = trellis::service::oversight::remind(&app.db).await.unwrap();
    println!(
        "reminder run: {:?} (reminders, escalations) in {} ms",
        sent,
        t.elapsed().as_millis()
    );
}
