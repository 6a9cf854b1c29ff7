//! My team: validating a report's skill, approving project hours, career conversations, and
//! that a manager acts only on their own direct reports.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::pipeline::{application, Fixture};

/// A skill Maya holds.
async fn mayas_skill(f: &Fixture) -> (Uuid, i16) {
    sqlx::query_as(
        "select skill_id, level from person_skills where person_id = $1 order by skill_id limit 1",
    )
    .bind(f.maya)
    .fetch_one(&f.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_manager_validates_a_reports_skill_but_not_someone_elses() {
    let (f, owner) = Fixture::new(1).await;
    let daniel = f.app.signed_in("manager@example.com").await;
    let (skill, level) = mayas_skill(&f).await;
    let new_level = if level == 5 { 4 } else { level + 1 };
    let path = format!("/api/v1/team/reports/{}/skills/{skill}", f.maya);

    assert_eq!(
        owner
            .send_json(Method::PUT, &path, Some(json!({ "level": 1 })))
            .await
            .status(),
        404,
        "not the owner's report"
    );
    assert_eq!(
        daniel
            .send_json(Method::PUT, &path, Some(json!({ "level": 6 })))
            .await
            .status(),
        422
    );
    assert_eq!(
        daniel
            .send_json(Method::PUT, &path, Some(json!({ "level": new_level })))
            .await
            .status(),
        204
    );

    let (now, evidence, by): (i16, String, Option<Uuid>) = sqlx::query_as(
        "select level, evidence, validated_by_id from person_skills where person_id = $1 and skill_id = $2")
        .bind(f.maya).bind(skill).fetch_one(&f.app.db).await.unwrap();
    assert_eq!(
        (now, evidence.as_str(), by),
        (new_level, "manager_validated", Some(f.daniel))
    );
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'person_skill.validate'")
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    assert_eq!(
        owner
            .get_json(&format!("/api/v1/team/reports/{}", f.maya))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_manager_approves_a_reports_project_hours_before_the_policy_stage() {
    let (f, owner) = Fixture::new(1).await;
    let daniel = f.app.signed_in("manager@example.com").await;
    let id = application(&f.app.db, f.posting, f.maya, "submitted").await;
    sqlx::query("update applications set manager_approval = 'pending' where id = $1")
        .bind(id)
        .execute(&f.app.db)
        .await
        .unwrap();

    let team: Value = daniel.get_json("/api/v1/team").await.json().await.unwrap();
    assert!(
        team["applications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["application_id"] == id.to_string()),
        "an approval request is the one thing shown before the policy stage"
    );
    let path = format!("/api/v1/team/approvals/{id}");
    assert_eq!(
        owner
            .send_json(Method::POST, &path, Some(json!({ "decision": "approve" })))
            .await
            .status(),
        404
    );
    assert_eq!(
        daniel
            .send_json(Method::POST, &path, Some(json!({ "decision": "approve" })))
            .await
            .status(),
        204
    );
    assert_eq!(
        daniel
            .send_json(Method::POST, &path, Some(json!({ "decision": "decline" })))
            .await
            .status(),
        409
    );

    let (approval, by): (String, Option<Uuid>) = sqlx::query_as(
        "select manager_approval, manager_approval_by_id from applications where id = $1",
    )
    .bind(id)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!((approval.as_str(), by), ("approved", Some(f.daniel)));
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and application_id = $2",
    )
    .bind(f.maya)
    .bind(id)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn a_career_conversation_is_seen_by_the_two_of_them_and_hr_only() {
    let (f, owner) = Fixture::new(1).await;
    let daniel = f.app.signed_in("manager@example.com").await;
    let body = json!({ "held_on": "2026-11-02", "aspirations_heard": "Wants to lead a team",
        "notes": "Good talk", "actions": [{ "description": "Find a mentor", "due_on": "2027-01-15" }] });

    let r = daniel
        .send_json(
            Method::POST,
            &format!("/api/v1/team/reports/{}/conversations", f.maya),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status(), 201);
    let not_mine = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/team/reports/{}/conversations", f.maya),
            Some(body),
        )
        .await;
    assert_eq!(not_mine.status(), 404);

    let path = format!("/api/v1/people/{}/conversations", f.maya);
    for email in [
        "employee@example.com",
        "manager@example.com",
        "hr@example.com",
    ] {
        let client = f.app.signed_in(email).await;
        let seen: Value = client.get_json(&path).await.json().await.unwrap();
        assert!(
            seen.as_array()
                .unwrap()
                .iter()
                .any(|c| c["aspirations_heard"] == "Wants to lead a team"
                    && c["actions"][0]["due_on"] == "2027-01-15"),
            "{email}"
        );
    }
    assert_eq!(owner.get_json(&path).await.status(), 404);
    assert_eq!(
        owner
            .get(&format!("/people/{}/conversations", f.maya))
            .await
            .status(),
        404
    );
    let page = daniel
        .get(&format!("/team/{}", f.maya))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Find a mentor"));
}

#[tokio::test]
async fn the_team_page_reminds_of_reports_without_a_recent_conversation_once() {
    let (f, _owner) = Fixture::new(1).await;
    sqlx::query("delete from career_conversations where person_id = $1")
        .bind(f.maya)
        .execute(&f.app.db)
        .await
        .unwrap();
    let daniel = f.app.signed_in("manager@example.com").await;

    let page = daniel.get("/team").await.text().await.unwrap();
    daniel.get("/team").await;

    assert!(page.contains("conversation due"));
    let reminders: i64 = sqlx::query_scalar(
        "select count(*) from notifications where person_id = $1 and kind = 'conversation_due' and link = '/team/' || $2::text")
        .bind(f.daniel).bind(f.maya).fetch_one(&f.app.db).await.unwrap();
    assert_eq!(reminders, 1);
}
