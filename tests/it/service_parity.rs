//! The pages and the JSON API are two doors to one service: the same actions through each
//! (apply, the owner's stage change, withdrawal) write the same rows, the same notifications
//! and the same audit trail, and the other side of the application hears of each step.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::opportunities::{opening, person};
use crate::support::TestApp;

const EMPLOYEE: &str = "employee@example.com";
const MANAGER: &str = "manager@example.com";

/// What one application left behind, with its own ids taken out so two can be compared.
#[derive(Debug, PartialEq)]
struct Trail {
    status: String,
    manager_approval: String,
    events: Vec<(Option<String>, String, Uuid)>,
    audit: Vec<(String, Uuid, Value)>,
    notifications: Vec<(Uuid, String, String, String, String)>,
}

async fn trail(db: &PgPool, opening: Uuid, application: Uuid) -> Trail {
    let (status, manager_approval): (String, String) =
        sqlx::query_as("select status, manager_approval from applications where id = $1")
            .bind(application)
            .fetch_one(db)
            .await
            .unwrap();
    let events = sqlx::query_as(
        "select from_status, to_status, actor_id from application_events
         where application_id = $1 order by id",
    )
    .bind(application)
    .fetch_all(db)
    .await
    .unwrap();
    let audit: Vec<(String, Uuid, Value)> = sqlx::query_as(
        "select action, actor_id, details from audit_log
         where entity_id = $1 order by id",
    )
    .bind(application.to_string())
    .fetch_all(db)
    .await
    .unwrap();
    let audit = audit
        .into_iter()
        .map(|(action, actor, mut details)| {
            if let Some(d) = details.as_object_mut() {
                d.remove("opportunity_id");
            }
            (action, actor, details)
        })
        .collect();
    let notifications: Vec<(Uuid, String, String, String, Option<String>)> = sqlx::query_as(
        "select person_id, kind, title, body, link from notifications
         where application_id = $1 order by created_at, kind, person_id",
    )
    .bind(application)
    .fetch_all(db)
    .await
    .unwrap();
    let notifications = notifications
        .into_iter()
        .map(|(who, kind, title, body, link)| {
            let link = link
                .unwrap_or_default()
                .replace(&opening.to_string(), "{opening}")
                .replace(&application.to_string(), "{application}");
            (who, kind, title, body, link)
        })
        .collect();
    Trail {
        status,
        manager_approval,
        events,
        audit,
        notifications,
    }
}

/// The employee with no active application, so the policy's limit does not get in the way.
async fn no_active_applications(db: &PgPool) {
    sqlx::query(
        "update applications set status = 'withdrawn' from people p
         where p.id = applicant_id and p.email = $1
           and status in ('submitted', 'in_review', 'interviewing', 'offered')",
    )
    .bind(EMPLOYEE)
    .execute(db)
    .await
    .unwrap();
}

async fn newest_application(db: &PgPool, opening: Uuid) -> Uuid {
    sqlx::query_scalar("select id from applications where opportunity_id = $1")
        .bind(opening)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn apply_stage_change_and_withdrawal_write_the_same_trail_through_the_page_and_the_api() {
    let app = TestApp::with_demo().await;
    no_active_applications(&app.db).await;
    let employee = app.signed_in(EMPLOYEE).await;
    let manager = app.signed_in(MANAGER).await;
    let by_page = opening(&app.db, MANAGER, "project", "open", "Parity project").await;
    let by_api = opening(&app.db, MANAGER, "project", "open", "Parity project").await;
    let motivation = "I would like to help with this.";

    // Through the pages.
    let form = format!("/opportunities/{by_page}/apply");
    let applied = employee
        .submit(&form, &form, &[("motivation", motivation)])
        .await;
    assert_eq!(applied.status(), 303);
    let page_app = newest_application(&app.db, by_page).await;
    let review = format!("/postings/{by_page}/applicants/{page_app}");
    let moved = manager
        .submit(&review, &format!("{review}/stage"), &[("to", "in_review")])
        .await;
    assert_eq!(moved.status(), 303);
    let mine = format!("/applications/{page_app}");
    let withdrawn = employee
        .submit(&mine, &format!("{mine}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status(), 303);

    // Through the API.
    let applied = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/opportunities/{by_api}/applications"),
            Some(json!({ "motivation": motivation })),
        )
        .await;
    assert_eq!(applied.status(), 201);
    let api_app = newest_application(&app.db, by_api).await;
    let moved = manager
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{api_app}/transition"),
            Some(json!({ "to": "in_review" })),
        )
        .await;
    assert_eq!(moved.status(), 204);
    let withdrawn = employee
        .send_json(
            Method::POST,
            &format!("/api/v1/me/applications/{api_app}/withdraw"),
            None,
        )
        .await;
    assert_eq!(withdrawn.status(), 200);

    let through_page = trail(&app.db, by_page, page_app).await;
    let through_api = trail(&app.db, by_api, api_app).await;
    assert_eq!(through_page, through_api);

    // And the trail is the whole story: three events, three audit rows, and each side told.
    let employee_id = person(&app.db, EMPLOYEE).await;
    let manager_id = person(&app.db, MANAGER).await;
    assert_eq!(through_page.status, "withdrawn");
    let steps: Vec<&str> = through_page
        .events
        .iter()
        .map(|(_, to, _)| to.as_str())
        .collect();
    assert_eq!(steps, ["submitted", "in_review", "withdrawn"]);
    let actions: Vec<&str> = through_page
        .audit
        .iter()
        .map(|(a, _, _)| a.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "application.submitted",
            "application.transition",
            "application.withdrawn"
        ]
    );
    let told = |who: Uuid, kind: &str| {
        through_page
            .notifications
            .iter()
            .filter(|n| n.0 == who && n.1 == kind)
            .count()
    };
    assert_eq!(
        told(employee_id, "application_stage"),
        1,
        "{through_page:?}"
    );
    assert_eq!(
        told(manager_id, "application_stage"),
        1,
        "the owner hears that the applicant withdrew: {through_page:?}"
    );
}
