//! Posting openings: validation per field, drafts, publishing, history, skill suggestions,
//! talent and invitations.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::pipeline::{any_skill, person, post_opening, role_body, Fixture};
use crate::support::client::text_of;

#[tokio::test]
async fn bad_input_is_refused_field_by_field_in_json_and_in_the_form() {
    let (f, owner) = Fixture::new(1).await;
    let body = json!({ "kind": "secondment", "title": " ", "work_mode": "onsite", "positions": 0,
        "start_date": "2027-05-01", "end_date": "2027-04-01", "skills": [] });

    let r = owner
        .send_json(Method::POST, "/api/v1/postings", Some(body))
        .await;

    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["/title", "/positions", "/end_date", "/skills"]);

    let page = owner
        .submit(
            "/postings/new",
            "/postings/new",
            &[
                ("kind", "project"),
                ("title", "Churn model"),
                ("work_mode", "remote"),
                ("positions", "2"),
                ("hours_per_week", "45"),
                ("skill_name", "no such skill at all"),
                ("skill_level", "3"),
                ("skill_importance", "essential"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(html.contains("hours per week must be between 1 and 40"));
    assert!(html.contains("is not a skill in the taxonomy"));
    assert!(
        html.contains("value=\"Churn model\""),
        "what was typed is kept"
    );
    let drafts: i64 = sqlx::query_scalar(
        "select count(*) from opportunities where owner_id = $1 and title = 'Churn model'",
    )
    .bind(f.owner)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(drafts, 0);
}

#[tokio::test]
async fn suggest_skills_reads_the_description_and_the_job_profile() {
    let (f, owner) = Fixture::new(1).await;
    let (skill, name): (Uuid, String) = sqlx::query_as(
        "select id, name from skills where merged_into_id is null and name ~ '^[a-z ]+$' order by name limit 1")
        .fetch_one(&f.app.db).await.unwrap();
    let (profile, profile_skill): (Uuid, String) = sqlx::query_as(
        "select j.job_profile_id, s.name from job_profile_skills j join skills s on s.id = j.skill_id order by s.name limit 1")
        .fetch_one(&f.app.db).await.unwrap();
    let description = format!("You will {} every day.", name.to_uppercase());

    let r = owner
        .send_json(
            Method::POST,
            "/api/v1/postings/suggest-skills",
            Some(json!({ "description": description, "job_profile_id": profile })),
        )
        .await;
    let found: Value = r.json().await.unwrap();
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&name.as_str()), "{names:?}");
    assert!(names.contains(&profile_skill.as_str()), "{names:?}");
    assert!(found
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["skill_id"] == skill.to_string() && s["source"] == "description"));

    let partial = owner
        .send_json(
            Method::POST,
            "/api/v1/postings/suggest-skills",
            Some(json!({ "description": format!("x{name}x") })),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        !partial
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["skill_id"] == skill.to_string()),
        "whole words only"
    );

    let page = owner
        .submit(
            "/postings/new",
            "/postings/new",
            &[
                ("kind", "role"),
                ("title", "Analyst"),
                ("description", &description),
                ("work_mode", "hybrid"),
                ("positions", "1"),
                ("action", "suggest"),
            ],
        )
        .await;
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains(&format!("value=\"{name}\"")));
}

#[tokio::test]
async fn a_published_change_is_kept_in_the_history_and_audited() {
    let (f, owner) = Fixture::new(1).await;
    let p = f.posting;
    let mut edit = role_body(any_skill(&f.app.db).await, 3);
    edit["title"] = json!("Lighthouse platform role, senior");

    let r = owner
        .send_json(Method::PUT, &format!("/api/v1/postings/{p}"), Some(edit))
        .await;
    assert_eq!(r.status(), 204);
    let close = owner
        .send_json(Method::POST, &format!("/api/v1/postings/{p}/close"), None)
        .await;
    assert_eq!(close.status(), 204);

    let view: Value = owner
        .get_json(&format!("/api/v1/postings/{p}"))
        .await
        .json()
        .await
        .unwrap();
    let history: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["summary"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["Closed", "Edited", "Published"]);
    assert_eq!(view["header"]["positions"], 3);
    let snapshot_title: String = sqlx::query_scalar(
        "select snapshot->'opening'->>'title' from opportunity_revisions where opportunity_id = $1 and summary = 'Edited'")
        .bind(p).fetch_one(&f.app.db).await.unwrap();
    assert_eq!(snapshot_title, "Lighthouse platform role, senior");
    let audits: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where entity_id = $1 and action like 'opportunity.%'",
    )
    .bind(p.to_string())
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(audits, 4, "create, publish, update, close");
    let page = owner
        .get(&format!("/postings/{p}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        text_of(&page, "[data-testid=status]").as_deref(),
        Some("closed")
    );
    let again = owner
        .send_json(
            Method::PUT,
            &format!("/api/v1/postings/{p}"),
            Some(role_body(any_skill(&f.app.db).await, 1)),
        )
        .await;
    assert_eq!(again.status(), 409, "a closed posting is not edited");
}

#[tokio::test]
async fn talent_leaves_out_people_who_opted_out_and_invites_each_person_once() {
    let (f, owner) = Fixture::new(1).await;
    let p = f.posting;
    let found: Value = owner
        .get_json(&format!("/api/v1/postings/{p}/talent"))
        .await
        .json()
        .await
        .unwrap();
    let people = found.as_array().unwrap();
    assert!(people.len() >= 2, "the demo has talent for a role");
    let first: Uuid = people[0]["person_id"].as_str().unwrap().parse().unwrap();
    let hidden: Uuid = people[1]["person_id"].as_str().unwrap().parse().unwrap();
    sqlx::query("update people set discoverable = false where id = $1")
        .bind(hidden)
        .execute(&f.app.db)
        .await
        .unwrap();
    f.app
        .state
        .engine
        .refresh_person(&f.app.db, hidden)
        .await
        .unwrap();

    let found: Value = owner
        .get_json(&format!("/api/v1/postings/{p}/talent"))
        .await
        .json()
        .await
        .unwrap();
    assert!(!found
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["person_id"] == hidden.to_string()));
    let hidden_invite = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/postings/{p}/invitations"),
            Some(json!({ "person_id": hidden })),
        )
        .await;
    assert_eq!(hidden_invite.status(), 409);

    let path = format!("/api/v1/postings/{p}/invitations");
    sqlx::query("update people set role_started_on = current_date where id = $1")
        .bind(first)
        .execute(&f.app.db)
        .await
        .unwrap();
    f.app
        .state
        .engine
        .refresh_person(&f.app.db, first)
        .await
        .unwrap();
    let found: Value = owner
        .get_json(&format!("/api/v1/postings/{p}/talent"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !found
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["person_id"] == first.to_string()),
        "new in their role: not eligible for a role under the policy"
    );
    sqlx::query("update people set role_started_on = current_date - 800 where id = $1")
        .bind(first)
        .execute(&f.app.db)
        .await
        .unwrap();
    // The engine hears of the change through NOTIFY; do not race it.
    f.app
        .state
        .engine
        .refresh_person(&f.app.db, first)
        .await
        .unwrap();
    let invite = |who: Uuid| {
        owner.send_json(
            Method::POST,
            &path,
            Some(json!({ "person_id": who, "message": "You would be great" })),
        )
    };
    assert_eq!(invite(first).await.status(), 201);
    assert_eq!(invite(first).await.status(), 409);
    let (invitations, notes): (i64, i64) = sqlx::query_as(
        "select (select count(*) from invitations where opportunity_id = $1 and person_id = $2),
                (select count(*) from notifications where kind = 'invitation' and person_id = $2 and link = '/opportunities/' || $1::text)")
        .bind(p).bind(first).fetch_one(&f.app.db).await.unwrap();
    assert_eq!((invitations, notes), (1, 1));
    let daniel = person(&f.app.db, "manager@example.com").await;
    assert_ne!(daniel, first);
}

#[tokio::test]
async fn a_posting_is_written_published_and_listed_through_the_pages() {
    let (f, owner) = Fixture::new(1).await;
    let skill: String = sqlx::query_scalar(
        "select name from skills where merged_into_id is null order by name limit 1",
    )
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    let r = owner
        .submit(
            "/postings/new",
            "/postings/new",
            &[
                ("kind", "project"),
                ("title", "Churn model"),
                ("work_mode", "remote"),
                ("positions", "2"),
                ("hours_per_week", "6"),
                ("duration_weeks", "12"),
                ("skill_name", &skill),
                ("skill_level", "4"),
                ("skill_importance", "essential"),
                ("question", "What data have you modelled?"),
                ("question_required", "0"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (id, status, hours): (Uuid, String, f64) = sqlx::query_as(
        "select id, status, hours_per_week::float8 from opportunities where title = 'Churn model'",
    )
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!((status.as_str(), hours), ("open", 6.0));
    let required: bool =
        sqlx::query_scalar("select required from opportunity_questions where opportunity_id = $1")
            .bind(id)
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert!(required);
    let list = owner.get("/postings").await.text().await.unwrap();
    assert!(list.contains("Churn model"));
    let _ = post_opening;
}

#[tokio::test]
async fn hr_without_reports_may_close_any_posting_and_an_employee_may_not() {
    let (f, _owner) = Fixture::new(1).await;
    let p = f.posting;
    let hr = person(&f.app.db, "hr@example.com").await;
    // Make sure the HR admin has no direct reports: HR rights alone must be enough.
    sqlx::query("update people set manager_id = $2 where manager_id = $1")
        .bind(hr)
        .bind(f.daniel)
        .execute(&f.app.db)
        .await
        .unwrap();
    let employee = f.app.signed_in("employee@example.com").await;
    let refused = employee
        .send_json(Method::POST, &format!("/api/v1/postings/{p}/close"), None)
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        employee.get(&format!("/postings/{p}")).await.status(),
        403,
        "the employee cannot open the posting's management page"
    );

    let hr_client = f.app.signed_in("hr@example.com").await;
    let me: Value = hr_client.get_json("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["is_manager"], false);
    let closed = hr_client
        .send_json(Method::POST, &format!("/api/v1/postings/{p}/close"), None)
        .await;

    assert!(closed.status().is_success(), "{}", closed.status());
    let status: String = sqlx::query_scalar("select status from opportunities where id = $1")
        .bind(p)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(status, "closed");
}
