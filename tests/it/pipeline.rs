//! The application pipeline: the state machine on the server, who may move what, and the
//! confidentiality rule for the applicant's current manager.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use trellis::domain::application::{Actor, ApplicationStatus};
use uuid::Uuid;

use crate::support::{Client, TestApp};

/// People and a posting for the pipeline tests.
pub struct Fixture {
    pub app: TestApp,
    /// Maya, the demo employee; Daniel (manager@example.com) is her manager.
    pub maya: Uuid,
    pub daniel: Uuid,
    /// Another manager who owns the posting, signed in.
    pub owner: Uuid,
    pub owner_email: String,
    pub posting: Uuid,
}

/// The id of the person with `email`.
pub async fn person(db: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("select id from people where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

/// A manager other than Daniel who can sign in with the demo password.
pub async fn other_manager(db: &PgPool, daniel: Uuid, maya: Uuid) -> (Uuid, String) {
    let (id, email): (Uuid, String) = sqlx::query_as(
        "select m.id, m.email from people m
         where exists (select 1 from people r where r.manager_id = m.id)
           and m.id not in ($1, $2) and not m.is_hr_admin order by m.employee_number limit 1",
    )
    .bind(daniel)
    .bind(maya)
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query("update people set password_hash = (select password_hash from people where id = $1) where id = $2")
        .bind(daniel)
        .bind(id)
        .execute(db)
        .await
        .unwrap();
    (id, email)
}

/// Some skill of the taxonomy.
pub async fn any_skill(db: &PgPool) -> Uuid {
    sqlx::query_scalar("select id from skills where merged_into_id is null order by name limit 1")
        .fetch_one(db)
        .await
        .unwrap()
}

/// Create and publish a posting through the API; returns its id.
pub async fn post_opening(client: &Client, body: Value) -> Uuid {
    let created = client
        .send_json(Method::POST, "/api/v1/postings", Some(body))
        .await;
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let id: Uuid = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let published = client
        .send_json(
            Method::POST,
            &format!("/api/v1/postings/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(
        published.status(),
        204,
        "{}",
        published.text().await.unwrap()
    );
    id
}

/// A role posting body with one essential skill.
pub fn role_body(skill: Uuid, positions: i16) -> Value {
    json!({ "kind": "role", "title": "Lighthouse platform role", "description": "Build the platform.",
            "work_mode": "hybrid", "positions": positions,
            "skills": [{ "skill_id": skill, "level": 3, "importance": "essential" }],
            "questions": [{ "prompt": "Why this team?", "required": true }] })
}

/// An application in `status` by `person`, inserted as emp-a's apply would.
pub async fn application(db: &PgPool, posting: Uuid, person: Uuid, status: &str) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "insert into applications (opportunity_id, applicant_id, status, motivation)
         values ($1, $2, $3, 'I would love to') returning id",
    )
    .bind(posting)
    .bind(person)
    .bind(status)
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query("insert into application_events (application_id, to_status, actor_id) values ($1, 'submitted', $2)")
        .bind(id)
        .bind(person)
        .execute(db)
        .await
        .unwrap();
    id
}

impl Fixture {
    /// The demo company with a published role posted by another manager.
    pub async fn new(positions: i16) -> (Fixture, Client) {
        let app = TestApp::with_demo().await;
        let maya = person(&app.db, "employee@example.com").await;
        let daniel = person(&app.db, "manager@example.com").await;
        let (owner, owner_email) = other_manager(&app.db, daniel, maya).await;
        let client = app.signed_in(&owner_email).await;
        let skill = any_skill(&app.db).await;
        let posting = post_opening(&client, role_body(skill, positions)).await;
        (
            Fixture {
                app,
                maya,
                daniel,
                owner,
                owner_email,
                posting,
            },
            client,
        )
    }

    /// The application's status in the database.
    pub async fn status(&self, application: Uuid) -> String {
        sqlx::query_scalar("select status from applications where id = $1")
            .bind(application)
            .fetch_one(&self.app.db)
            .await
            .unwrap()
    }
}

/// Ask for a stage change as `client`.
pub async fn move_to(
    client: &Client,
    application: Uuid,
    to: &str,
    reason: &str,
) -> reqwest::Response {
    client
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{application}/transition"),
            Some(json!({ "to": to, "reason": reason })),
        )
        .await
}

#[tokio::test]
async fn every_owner_transition_is_allowed_or_refused_as_the_state_machine_says() {
    let (f, owner) = Fixture::new(500).await;
    for from in ApplicationStatus::ALL {
        for to in ApplicationStatus::ALL {
            sqlx::query("delete from applications where applicant_id = $1")
                .bind(f.maya)
                .execute(&f.app.db)
                .await
                .unwrap();
            let id = application(&f.app.db, f.posting, f.maya, from.as_str()).await;

            let response = move_to(&owner, id, to.as_str(), "not the right fit").await;

            let allowed = from.transition(to, Actor::Owner).is_ok();
            let expected = if allowed { 204 } else { 409 };
            assert_eq!(response.status(), expected, "{from} -> {to}");
            let now = f.status(id).await;
            assert_eq!(
                now,
                if allowed { to.as_str() } else { from.as_str() },
                "{from} -> {to}"
            );
        }
    }
}

#[tokio::test]
async fn a_stage_change_is_recorded_with_who_and_why_and_the_applicant_is_told() {
    let (f, owner) = Fixture::new(1).await;
    let id = application(&f.app.db, f.posting, f.maya, "submitted").await;

    let without_reason = move_to(&owner, id, "rejected", "  ").await;
    assert_eq!(without_reason.status(), 422);
    let body: Value = without_reason.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/reason");
    assert_eq!(
        move_to(
            &owner,
            id,
            "rejected",
            "We chose someone closer to the team."
        )
        .await
        .status(),
        204
    );

    let (from, to, actor, reason): (Option<String>, String, Option<Uuid>, String) = sqlx::query_as(
        "select from_status, to_status, actor_id, reason from application_events where application_id = $1 order by id desc limit 1")
        .bind(id).fetch_one(&f.app.db).await.unwrap();
    assert_eq!(
        (from.as_deref(), to.as_str(), actor),
        (Some("submitted"), "rejected", Some(f.owner))
    );
    assert_eq!(reason, "We chose someone closer to the team.");
    let link: String = sqlx::query_scalar(
        "select link from notifications where person_id = $1 and kind = 'application_stage'",
    )
    .bind(f.maya)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(link, format!("/applications/{id}"));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'application.transition' and entity_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_current_manager_learns_of_an_application_only_at_the_policy_stage() {
    let (f, owner) = Fixture::new(1).await;
    let daniel = f.app.signed_in("manager@example.com").await;
    let title = "Lighthouse platform role";
    let id = application(&f.app.db, f.posting, f.maya, "submitted").await;
    let informed = |db: PgPool| async move {
        let n: i64 = sqlx::query_scalar("select count(*) from notifications where kind = 'manager_informed' and application_id = $1")
            .bind(id).fetch_one(&db).await.unwrap();
        n
    };
    let listed = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .any(|a| a["application_id"] == id.to_string())
    };

    for stage in ["submitted", "in_review"] {
        if stage != "submitted" {
            assert_eq!(move_to(&owner, id, stage, "").await.status(), 204);
        }
        let page = daniel.get("/team").await.text().await.unwrap();
        assert!(
            !page.contains(title),
            "the /team page shows the application at {stage}"
        );
        let api: Value = daniel.get_json("/api/v1/team").await.json().await.unwrap();
        assert!(!listed(&api["applications"]), "at {stage}");
        let report: Value = daniel
            .get_json(&format!("/api/v1/team/reports/{}", f.maya))
            .await
            .json()
            .await
            .unwrap();
        assert!(!listed(&report["applications"]), "at {stage}");
        assert_eq!(informed(f.app.db.clone()).await, 0, "at {stage}");
    }

    assert_eq!(move_to(&owner, id, "interviewing", "").await.status(), 204);

    let page = daniel.get("/team").await.text().await.unwrap();
    assert!(page.contains(title));
    let api: Value = daniel.get_json("/api/v1/team").await.json().await.unwrap();
    assert!(listed(&api["applications"]));
    let told: Uuid = sqlx::query_scalar("select person_id from notifications where kind = 'manager_informed' and application_id = $1")
        .bind(id).fetch_one(&f.app.db).await.unwrap();
    assert_eq!(told, f.daniel);
    let set: bool = sqlx::query_scalar(
        "select manager_informed_at is not null from applications where id = $1",
    )
    .bind(id)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert!(set);

    assert_eq!(move_to(&owner, id, "offered", "").await.status(), 204);
    assert_eq!(informed(f.app.db.clone()).await, 1, "told once only");
}

#[tokio::test]
async fn a_manager_cannot_act_on_another_managers_posting() {
    let (f, _owner) = Fixture::new(1).await;
    let daniel = f.app.signed_in("manager@example.com").await;
    let id = application(&f.app.db, f.posting, f.maya, "submitted").await;
    let p = f.posting;

    assert_eq!(move_to(&daniel, id, "in_review", "").await.status(), 403);
    assert_eq!(
        daniel
            .get_json(&format!("/api/v1/postings/{p}/applicants"))
            .await
            .status(),
        403
    );
    assert_eq!(
        daniel
            .get_json(&format!("/api/v1/postings/{p}/applicants/{id}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        daniel
            .get_json(&format!("/api/v1/postings/{p}/talent"))
            .await
            .status(),
        403
    );
    assert_eq!(
        daniel
            .send_json(Method::POST, &format!("/api/v1/postings/{p}/close"), None)
            .await
            .status(),
        403
    );
    let edit = role_body(any_skill(&f.app.db).await, 1);
    assert_eq!(
        daniel
            .send_json(Method::PUT, &format!("/api/v1/postings/{p}"), Some(edit))
            .await
            .status(),
        403
    );
    assert_eq!(
        daniel
            .get(&format!("/postings/{p}/applicants"))
            .await
            .status(),
        403
    );
    assert_eq!(f.status(id).await, "submitted");
    let status: String = sqlx::query_scalar("select status from opportunities where id = $1")
        .bind(p)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(status, "open");
}

#[tokio::test]
async fn only_the_applicant_answers_an_offer() {
    let (f, owner) = Fixture::new(1).await;
    let id = application(&f.app.db, f.posting, f.maya, "offered").await;
    let daniel = f.app.signed_in("manager@example.com").await;

    for client in [&owner, &daniel] {
        let r = client
            .send_json(
                Method::POST,
                &format!("/api/v1/applications/{id}/accept"),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status(), 404);
    }
    let maya = f.app.signed_in("employee@example.com").await;
    let r = maya
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{id}/decline"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(f.status(id).await, "declined");
    let owner_told: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and kind = 'application_stage'",
    )
    .bind(f.owner)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(owner_told, 1);
    let _ = f.owner_email;
}

#[tokio::test]
async fn the_stage_that_informs_the_manager_follows_the_policy_in_force() {
    let (f, owner) = Fixture::new(1).await;
    sqlx::query("insert into mobility_policies (manager_informed_at) values ('offered')")
        .execute(&f.app.db)
        .await
        .unwrap();
    let id = application(&f.app.db, f.posting, f.maya, "submitted").await;
    let informed = || async {
        let at: Option<time::OffsetDateTime> =
            sqlx::query_scalar("select manager_informed_at from applications where id = $1")
                .bind(id)
                .fetch_one(&f.app.db)
                .await
                .unwrap();
        at.is_some()
    };

    assert_eq!(move_to(&owner, id, "interviewing", "").await.status(), 204);
    assert!(
        !informed().await,
        "interviewing is before the policy's stage"
    );
    assert_eq!(move_to(&owner, id, "offered", "").await.status(), 204);
    assert!(informed().await);
}
