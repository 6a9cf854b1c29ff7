//! HR's view of every opening: overdue work first, reminders to the manager who owes the
//! action and an escalation to HR after the second period, each sent once.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::TestApp;

/// Make an application look untouched for `days` days.
async fn stall(db: &sqlx::PgPool, application: Uuid, days: i32) {
    sqlx::query(
        "update application_events set occurred_at = now() - make_interval(days => $2)
         where application_id = $1",
    )
    .bind(application)
    .bind(days)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "update applications set submitted_at = now() - make_interval(days => $2) where id = $1",
    )
    .bind(application)
    .bind(days)
    .execute(db)
    .await
    .unwrap();
}

async fn count(db: &sqlx::PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

fn find<'a>(items: &'a [Value], kind: &str, id: Uuid) -> Option<&'a Value> {
    items
        .iter()
        .find(|w| w["kind"] == kind && w["subject_id"] == json!(id.to_string()))
}

#[tokio::test]
async fn hr_sees_overdue_work_first_and_the_manager_then_hr_are_told_once() {
    let app = TestApp::with_demo().await;
    let db = &app.db;
    let hr = app.signed_in("hr@example.com").await;
    let daniel: Uuid =
        sqlx::query_scalar("select id from people where email = 'manager@example.com'")
            .fetch_one(db)
            .await
            .unwrap();
    // Two live applications on Daniel's open postings: one waiting 7 days (past the 5-day
    // reminder), one 12 (past the 10 days after which HR is told). Everything else on his
    // postings was acted on today.
    let live: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select a.id, a.opportunity_id from applications a join opportunities o on o.id = a.opportunity_id
         where o.owner_id = $1 and o.status = 'open'
           and a.status in ('submitted', 'in_review', 'interviewing')
         order by a.id",
    )
    .bind(daniel)
    .fetch_all(db)
    .await
    .unwrap();
    assert!(live.len() >= 2, "the demo manager has live applications");
    for (a, _) in &live {
        stall(db, *a, 0).await;
    }
    let (late, posting) = live[0];
    let later = live[1].0;
    stall(db, late, 7).await;
    stall(db, later, 12).await;
    // Project hours waiting 6 days for the applicant's manager.
    let approval: Uuid = sqlx::query_scalar(
        "update applications set manager_approval = 'pending', submitted_at = now() - interval '6 days'
         where id = (select id from applications where status in ('submitted', 'in_review')
                     and id <> all($1) order by id limit 1)
         returning id",
    )
    .bind(live.iter().map(|l| l.0).collect::<Vec<_>>())
    .fetch_one(db)
    .await
    .unwrap();
    // A mover accepted 70 days ago and still held 10 days from now: past the 8 weeks.
    let held: Uuid = sqlx::query_scalar(
        "insert into moves (person_id, kind, source, effective_on, opportunity_id, application_id,
                            from_manager_id, created_at)
         select a.applicant_id, 'lateral_move', 'marketplace', current_date + 10, a.opportunity_id, a.id,
                $1, now() - interval '70 days'
         from applications a where a.id = $2 returning id",
    )
    .bind(daniel)
    .bind(live.last().unwrap().0)
    .fetch_one(db)
    .await
    .unwrap();

    let r = hr.get_json("/api/v1/hr/openings").await;
    assert_eq!(r.status(), 200);
    let view: Value = r.json().await.unwrap();
    let overdue = view["overdue"].as_array().unwrap();
    let a = find(overdue, "application", late).expect("the 7-day application is overdue");
    assert_eq!(a["owed_by_id"], json!(daniel.to_string()));
    assert_eq!(a["escalated"], false);
    assert_eq!(
        find(overdue, "application", later).unwrap()["escalated"],
        true
    );
    assert!(
        find(overdue, "approval", approval).is_some(),
        "approvals waiting"
    );
    assert_eq!(
        find(overdue, "release", held).unwrap()["owed_by_id"],
        json!(daniel.to_string())
    );
    assert!(
        view["openings"][0]["overdue"].as_i64().unwrap() > 0,
        "openings with overdue work come first"
    );
    let page = hr.get("/hr/openings").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"overdue\""));
    assert!(page.contains("Release held past the policy"));
    let r = hr.get("/postings").await;
    assert_eq!(r.status(), 303, "HR's /postings is every opening");
    assert_eq!(r.headers()["location"], "/hr/openings");
    let r = hr.get_json("/api/v1/hr/openings?sort=bogus").await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/sort");
    let manager = app.signed_in("manager@example.com").await;
    assert_eq!(manager.get("/hr/openings").await.status(), 403);
    assert_eq!(manager.get_json("/api/v1/hr/openings").await.status(), 403);

    // The worker, on two servers at once and again later: each reminder and escalation once.
    let (x, y) = tokio::join!(
        trellis::app::succession_jobs::run_once(db),
        trellis::app::succession_jobs::run_once(db)
    );
    x.unwrap();
    y.unwrap();
    trellis::app::succession_jobs::run_once(db).await.unwrap();
    let reminded =
        "select count(*) from notifications where kind = 'oversight_reminder' and person_id = $1
                    and opportunity_id = (select opportunity_id from applications where id = $2)";
    let n: i64 = sqlx::query_scalar(reminded)
        .bind(daniel)
        .bind(late)
        .fetch_one(db)
        .await
        .unwrap();
    assert!(n >= 1, "the owner is reminded");
    let once =
        // Per kind of stall: one application can wait both for its owner and, as a project,
        // for the applicant's manager's approval; each is its own stall, reminded once.
        "select coalesce(max(n), 0) from (select count(*) as n from oversight_reminders
         where subject_id = $1 and level = 'reminder' group by subject_kind) k";
    assert_eq!(count(db, once, late).await, 1);
    assert_eq!(count(db, once, later).await, 1);
    assert_eq!(count(db, once, held).await, 1);
    let escalated = "select coalesce(max(n), 0) from (select count(*) as n from oversight_reminders
         where subject_id = $1 and level = 'escalation' group by subject_kind) k";
    assert_eq!(count(db, escalated, late).await, 0, "7 days: not yet HR's");
    assert_eq!(count(db, escalated, later).await, 1);
    let hr_id: Uuid = sqlx::query_scalar("select id from people where email = 'hr@example.com'")
        .fetch_one(db)
        .await
        .unwrap();
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notifications where kind = 'oversight_escalation' and person_id = $1
           and opportunity_id = (select opportunity_id from applications where id = $2)",
    )
    .bind(hr_id)
    .bind(later)
    .fetch_one(db)
    .await
    .unwrap();
    assert!(told >= 1, "HR is told");
    let emails: i64 = sqlx::query_scalar(
        "select count(*) from outbox o join notifications n on n.id = o.notification_id
         where n.kind = 'oversight_reminder' and n.person_id = $1",
    )
    .bind(daniel)
    .fetch_one(db)
    .await
    .unwrap();
    assert!(emails >= 1, "the reminder goes out by email too");

    // Once the owner acts, the application is no longer overdue.
    let r = manager
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{late}/transition"),
            Some(json!({ "to": "rejected", "reason": "Not this time" })),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let view: Value = hr
        .get_json("/api/v1/hr/openings")
        .await
        .json()
        .await
        .unwrap();
    assert!(find(view["overdue"].as_array().unwrap(), "application", late).is_none());
    let _ = posting;
}
