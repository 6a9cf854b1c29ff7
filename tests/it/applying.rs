//! Applying under the mobility policy: every rule refused with its message, the allowed cases,
//! the project approval request, answers to required questions, withdrawal, the active limit
//! under simultaneous submissions, and a person never reaching another's application.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::opportunities::{opening, person};
use crate::support::client::text_of;
use crate::support::{Client, TestApp};

const EMPLOYEE: &str = "employee@example.com";
const MANAGER: &str = "manager@example.com";

/// The demo employee, in their role for `months`, with no applications yet.
async fn employee_in_role_for(db: &PgPool, months: i32) -> Uuid {
    let me = person(db, EMPLOYEE).await;
    sqlx::query("update applications set status = 'withdrawn' where applicant_id = $1 and status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')")
        .bind(me)
        .execute(db)
        .await
        .unwrap();
    sqlx::query("update people set hire_date = least(hire_date, current_date - make_interval(months => $2)::interval)::date,
                                  role_started_on = (current_date - make_interval(months => $2))::date where id = $1")
        .bind(me)
        .bind(months)
        .execute(db)
        .await
        .unwrap();
    me
}

async fn apply_api(client: &Client, opening: Uuid, body: Value) -> reqwest::Response {
    client
        .send_json(
            Method::POST,
            &format!("/api/v1/opportunities/{opening}/applications"),
            Some(body),
        )
        .await
}

async fn detail_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["detail"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_project_application_asks_the_current_manager_to_approve_the_hours() {
    let app = TestApp::with_demo().await;
    let me = employee_in_role_for(&app.db, 2).await;
    let project = opening(
        &app.db,
        "hr@example.com",
        "project",
        "open",
        "Approval project",
    )
    .await;
    let client = app.signed_in(EMPLOYEE).await;
    let form_page = format!("/opportunities/{project}/apply");
    let form = client.get(&form_page).await.text().await.unwrap();
    assert!(form.contains("your current manager will be asked to approve the hours"));

    let response = client
        .submit(
            &form_page,
            &form_page,
            &[("motivation", "I would love to help.")],
        )
        .await;

    assert_eq!(response.status(), 303);
    let (id, status, approval, fit, motivation): (Uuid, String, String, Option<i16>, String) = sqlx::query_as(
        "select id, status, manager_approval, fit_score, motivation from applications where applicant_id = $1 and opportunity_id = $2",
    )
    .bind(me)
    .bind(project)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        response.headers()["location"],
        format!("/applications/{id}").as_str()
    );
    assert_eq!(
        (status.as_str(), approval.as_str()),
        ("submitted", "pending")
    );
    assert!(fit.is_none_or(|f| (0..=100).contains(&f)));
    assert_eq!(motivation, "I would love to help.");
    let event: (Option<String>, String, Uuid) = sqlx::query_as(
        "select from_status, to_status, actor_id from application_events where application_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(event, (None, "submitted".into(), me));
    let (kind, link): (String, String) = sqlx::query_as(
        "select n.kind, n.link from notifications n join people m on m.id = n.person_id
         where n.application_id = $1 and m.id = (select manager_id from people where id = $2)",
    )
    .bind(id)
    .bind(me)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (kind.as_str(), link.as_str()),
        ("approval_request", "/team")
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'application.submitted' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_role_application_tells_nobody_early_and_the_manager_is_not_notified() {
    let app = TestApp::with_demo().await;
    let me = employee_in_role_for(&app.db, 24).await;
    let role = opening(&app.db, "hr@example.com", "role", "open", "Quiet role").await;
    let client = app.signed_in(EMPLOYEE).await;

    let response = apply_api(&client, role, json!({"motivation": "Ready for this."})).await;

    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let id: Uuid = body["id"].as_str().unwrap().parse().unwrap();
    let (approval, informed): (String, Option<time::OffsetDateTime>) = sqlx::query_as(
        "select manager_approval, manager_informed_at from applications where id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(approval, "not_needed");
    assert!(informed.is_none());
    let told: i64 =
        sqlx::query_scalar("select count(*) from notifications where application_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(told, 0);
    let _ = me;
}

#[tokio::test]
async fn time_in_role_is_refused_with_the_date_it_passes_and_projects_are_allowed() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 2).await;
    let started: time::Date =
        sqlx::query_scalar("select role_started_on from people where email = $1")
            .bind(EMPLOYEE)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let passes = trellis::domain::eligibility::add_months(started, 12);
    let role = opening(&app.db, MANAGER, "role", "open", "Too early role").await;
    let project = opening(&app.db, MANAGER, "project", "open", "Fine project").await;
    let client = app.signed_in(EMPLOYEE).await;

    let (status, detail) =
        detail_of(apply_api(&client, role, json!({"motivation": "Please."})).await).await;

    assert_eq!(status, 409);
    assert!(
        detail.contains("12 months in your current role"),
        "{detail}"
    );
    assert!(
        detail.contains(&format!("you can apply from {passes}")),
        "{detail}"
    );
    let page = client
        .get(&format!("/opportunities/{role}/apply"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text_of(&page, "[data-testid=refusals]")
        .unwrap()
        .contains(&passes.to_string()));
    assert!(page.find("data-testid=\"apply-form\"").is_none());
    assert_eq!(
        apply_api(&client, project, json!({"motivation": "Please."}))
            .await
            .status(),
        201
    );
    let count: i64 =
        sqlx::query_scalar("select count(*) from applications where opportunity_id = $1")
            .bind(role)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn applying_twice_to_a_closed_or_own_opening_is_refused_with_its_rule() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let project = opening(&app.db, MANAGER, "project", "open", "Once project").await;
    let closed = opening(&app.db, MANAGER, "project", "closed", "Closed project").await;
    let own = opening(&app.db, EMPLOYEE, "mentorship", "open", "My own mentorship").await;
    let client = app.signed_in(EMPLOYEE).await;
    assert_eq!(
        apply_api(&client, project, json!({"motivation": "Yes."}))
            .await
            .status(),
        201
    );

    let (s1, twice) =
        detail_of(apply_api(&client, project, json!({"motivation": "Again."})).await).await;
    let (s2, shut) =
        detail_of(apply_api(&client, closed, json!({"motivation": "Yes."})).await).await;
    let (s3, mine) = detail_of(apply_api(&client, own, json!({"motivation": "Yes."})).await).await;

    assert_eq!(
        (s1, twice.as_str()),
        (409, "You have already applied to this opening.")
    );
    assert_eq!(
        (s2, shut.as_str()),
        (409, "This opening is not taking applications.")
    );
    assert_eq!(
        (s3, mine.as_str()),
        (409, "You posted this opening, so you cannot apply to it.")
    );
}

#[tokio::test]
async fn the_active_application_limit_holds_even_for_simultaneous_submissions() {
    let app = TestApp::with_demo().await;
    let me = employee_in_role_for(&app.db, 24).await;
    let client = app.signed_in(EMPLOYEE).await;
    for n in 0..4 {
        let id = opening(
            &app.db,
            MANAGER,
            "project",
            "open",
            &format!("Limit project {n}"),
        )
        .await;
        assert_eq!(
            apply_api(&client, id, json!({"motivation": "Yes."}))
                .await
                .status(),
            201
        );
    }
    let a = opening(&app.db, MANAGER, "project", "open", "Race project A").await;
    let b = opening(&app.db, MANAGER, "project", "open", "Race project B").await;

    let (ra, rb) = tokio::join!(
        apply_api(&client, a, json!({"motivation": "A"})),
        apply_api(&client, b, json!({"motivation": "B"}))
    );

    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let active: i64 = sqlx::query_scalar(
        "select count(*) from applications where applicant_id = $1 and status = 'submitted'",
    )
    .bind(me)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(active, 5);
    let c = opening(&app.db, MANAGER, "project", "open", "One too many").await;
    let (_, detail) = detail_of(apply_api(&client, c, json!({"motivation": "C"})).await).await;
    assert!(
        detail.contains("allows 5 active applications at once and you have 5"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_required_question_must_be_answered_and_answers_are_kept() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let project = opening(&app.db, MANAGER, "project", "open", "Questions project").await;
    let required: Uuid = sqlx::query_scalar(
        "insert into opportunity_questions (opportunity_id, position, prompt, required) values ($1, 1, 'Which hours suit you?', true) returning id",
    )
    .bind(project)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let client = app.signed_in(EMPLOYEE).await;

    let missing = apply_api(&client, project, json!({"motivation": ""})).await;

    assert_eq!(missing.status(), 422);
    let body: Value = missing.json().await.unwrap();
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        vec!["/motivation".to_string(), format!("/answers/{required}")]
    );
    let form_page = format!("/opportunities/{project}/apply");
    let html = client
        .submit(&form_page, &form_page, &[("motivation", "Kept text")])
        .await;
    assert_eq!(html.status(), 422);
    let html = html.text().await.unwrap();
    assert!(html.contains("Kept text") && html.contains("This question needs an answer."));

    let ok = apply_api(
        &client,
        project,
        json!({"motivation": "Yes.", "answers": {required.to_string(): "Mornings"}}),
    )
    .await;

    assert_eq!(ok.status(), 201);
    let answer: String =
        sqlx::query_scalar("select answer from application_answers where question_id = $1")
            .bind(required)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(answer, "Mornings");
}

async fn applied(app: &TestApp, client: &Client) -> Uuid {
    let project = opening(&app.db, MANAGER, "project", "open", "Withdrawable project").await;
    let body: Value = apply_api(client, project, json!({"motivation": "Yes."}))
        .await
        .json()
        .await
        .unwrap();
    body["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_applicant_withdraws_with_an_event_and_an_audit_row_and_only_once() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let client = app.signed_in(EMPLOYEE).await;
    let id = applied(&app, &client).await;
    let page = format!("/applications/{id}");

    let response = client.submit(&page, &format!("{page}/withdraw"), &[]).await;

    assert_eq!(response.status(), 303);
    let status: String = sqlx::query_scalar("select status from applications where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "withdrawn");
    let events: Vec<(Option<String>, String)> =
        sqlx::query_as("select from_status, to_status from application_events where application_id = $1 order by id")
            .bind(id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        events,
        vec![
            (None, "submitted".into()),
            (Some("submitted".into()), "withdrawn".into())
        ]
    );
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'application.withdrawn' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let again = client
        .send_json(
            Method::POST,
            &format!("/api/v1/me/applications/{id}/withdraw"),
            None,
        )
        .await;
    assert_eq!(again.status(), 409);
    let html = client.get(&page).await.text().await.unwrap();
    assert_eq!(
        text_of(&html, "[data-testid=status]").as_deref(),
        Some("Withdrawn")
    );
    assert!(text_of(&html, "[data-testid=timeline]")
        .unwrap()
        .contains("Submitted"));
}

#[tokio::test]
async fn a_person_can_never_see_or_withdraw_another_persons_application() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let owner = app.signed_in(EMPLOYEE).await;
    let id = applied(&app, &owner).await;
    let other = app.signed_in(MANAGER).await;

    assert_eq!(
        other.get(&format!("/applications/{id}")).await.status(),
        404
    );
    assert_eq!(
        other
            .get_json(&format!("/api/v1/me/applications/{id}"))
            .await
            .status(),
        404
    );
    let html_withdraw = other
        .submit("/", &format!("/applications/{id}/withdraw"), &[])
        .await;
    assert_eq!(html_withdraw.status(), 404);
    let api_withdraw = other
        .send_json(
            Method::POST,
            &format!("/api/v1/me/applications/{id}/withdraw"),
            None,
        )
        .await;
    assert_eq!(api_withdraw.status(), 404);
    let list: Value = other
        .get_json("/api/v1/me/applications")
        .await
        .json()
        .await
        .unwrap();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["id"] != id.to_string()));
    let status: String = sqlx::query_scalar("select status from applications where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
}

#[tokio::test]
async fn an_offer_shows_the_accept_and_decline_forms() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let client = app.signed_in(EMPLOYEE).await;
    let id = applied(&app, &client).await;
    sqlx::query("update applications set status = 'offered' where id = $1")
        .bind(id)
        .execute(&app.db)
        .await
        .unwrap();

    let html = client
        .get(&format!("/applications/{id}"))
        .await
        .text()
        .await
        .unwrap();

    assert!(html.contains(&format!("action=\"/applications/{id}/accept\"")));
    assert!(html.contains(&format!("action=\"/applications/{id}/decline\"")));
    let list = client.get("/applications").await.text().await.unwrap();
    assert!(text_of(&list, "[data-testid=applications]")
        .unwrap()
        .contains("Offered"));
}

/// One number is called "fit" everywhere a person sees an opening: its card, its page, its
/// API twin and, once they apply, their application (which keeps the fit of that moment).
/// The relevance that ranks openings for them is shown under its own name.
#[tokio::test]
async fn an_opening_shows_the_same_fit_on_its_card_its_page_and_the_application() {
    let app = TestApp::with_demo().await;
    employee_in_role_for(&app.db, 24).await;
    let client = app.signed_in(EMPLOYEE).await;
    let page: Value = client
        .get_json("/api/v1/opportunities")
        .await
        .json()
        .await
        .unwrap();
    let mut chosen = None;
    for card in page["items"].as_array().unwrap() {
        let (Some(fit), Some(relevance)) = (card["fit"].as_i64(), card["relevance"].as_i64())
        else {
            continue;
        };
        let id = card["id"].as_str().unwrap().to_owned();
        let detail: Value = client
            .get_json(&format!("/api/v1/opportunities/{id}"))
            .await
            .json()
            .await
            .unwrap();
        let open_to_me = detail["refusals"].as_array().unwrap().is_empty()
            && detail["questions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|q| q["required"] == false);
        if fit != relevance && open_to_me {
            chosen = Some((id, fit, relevance, detail));
            break;
        }
    }
    let (id, fit, relevance, detail) =
        chosen.expect("a first page opening whose fit and relevance differ, open to the employee");
    assert_eq!(detail["fit"]["score"].as_i64(), Some(fit), "{detail:#}");
    assert_eq!(detail["relevance"]["score"].as_i64(), Some(relevance));
    let html = client
        .get(&format!("/opportunities/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        text_of(&html, "[data-testid=fit-score]").unwrap(),
        format!("{fit}% fit")
    );
    assert!(text_of(&html, "[data-testid=relevance-score]")
        .unwrap()
        .contains(&format!("Match for you: {relevance} of 100")));

    let response = apply_api(
        &client,
        id.parse().unwrap(),
        json!({"motivation": "It uses what I do best."}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let application = created["id"].as_str().unwrap();
    let mine: Value = client
        .get_json(&format!("/api/v1/me/applications/{application}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["fit_score"].as_i64(), Some(fit), "{mine:#}");
    let html = client
        .get(&format!("/applications/{application}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("fit when you applied: {fit}%")),
        "{html}"
    );
}
