//! Proposing a skill the taxonomy lacks instead of a dead end: from the profile (it lands on
//! the profile at the level given once HR approves) and for a posting (approved as an alias
//! of an existing skill); refusals say what is wrong and where; only HR decides.

use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{count, TestApp};

const EMPLOYEE: &str = "employee@example.com";
const MANAGER: &str = "manager@example.com";
const HR: &str = "hr@example.com";

#[tokio::test]
async fn a_skill_missing_from_the_profile_is_proposed_approved_and_lands_on_the_profile() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in(EMPLOYEE).await;
    let name = "Terraform Cloud workspaces";

    // Adding it finds nothing, and the page offers to propose it with what was typed.
    let added = employee
        .submit(
            "/profile",
            "/profile/skills",
            &[("skill", name), ("level", "4")],
        )
        .await;
    let html = added.text().await.unwrap();
    assert!(html.contains("data-testid=\"propose-skill\""), "{html}");
    assert!(html.contains(
        "/skills/proposals?source=profile&amp;name=Terraform%20Cloud%20workspaces&amp;level=4"
    ));

    let sent = employee
        .submit(
            "/skills/proposals",
            "/skills/proposals",
            &[
                ("name", name),
                ("source", "profile"),
                ("level", "4"),
                ("description", "HashiCorp's hosted runs."),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let mine: Value = employee
        .get_json("/api/v1/me/skill-proposals")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["name"], name);
    assert_eq!(mine[0]["status"], "pending");
    let id = mine[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        count(
            &app.db,
            "select count(*) from notifications n join people p on p.id = n.person_id
             where p.email = 'hr@example.com' and n.kind = 'skill_proposal'"
        )
        .await,
        1
    );

    let hr = app.signed_in(HR).await;
    let queue = hr.get("/hr/skills/proposals").await.text().await.unwrap();
    assert!(queue.contains(name));
    let decided = hr
        .submit(
            "/hr/skills/proposals",
            &format!("/hr/skills/proposals/{id}/decision"),
            &[("decision", "approve"), ("alias_of", ""), ("note", "")],
        )
        .await;
    assert_eq!(decided.status(), 303);

    let (level, evidence): (i16, String) = sqlx::query_as(
        "select ps.level, ps.evidence from person_skills ps join skills s on s.id = ps.skill_id
         join people p on p.id = ps.person_id where p.email = $1 and s.name = $2",
    )
    .bind(EMPLOYEE)
    .bind(name)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((level, evidence.as_str()), (4, "self_assessed"));
    let found: Value = employee
        .get_json("/api/v1/skills?q=Terraform%20Cloud")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found[0]["name"], name, "{found:#}");
    let told = count(
        &app.db,
        "select count(*) from notifications n join people p on p.id = n.person_id
         where p.email = 'employee@example.com' and n.kind = 'skill_proposal_decided'",
    )
    .await;
    assert_eq!(told, 1);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action in ('skill_proposal.create', 'skill_proposal.approve')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_skill_for_a_posting_becomes_an_alias_and_a_decision_is_made_once() {
    let app = TestApp::with_demo().await;
    let manager = app.signed_in(MANAGER).await;
    let created = manager
        .send_json(
            Method::POST,
            "/api/v1/me/skill-proposals",
            Some(json!({ "name": "SQL dialect know-how", "source": "posting" })),
        )
        .await;
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(location, format!("/api/v1/me/skill-proposals/{id}"));
    let shown: Value = manager.get_json(&location).await.json().await.unwrap();
    assert_eq!(shown["source"], "posting");

    let hr = app.signed_in(HR).await;
    let decide = |body: Value| {
        let hr = &hr;
        let id = id.clone();
        async move {
            hr.send_json(
                Method::POST,
                &format!("/api/v1/hr/skill-proposals/{id}/decision"),
                Some(body),
            )
            .await
        }
    };
    let queue: Value = hr
        .get_json("/api/v1/hr/skill-proposals")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue["total"], 1);
    let no_such =
        decide(json!({ "decision": "approve", "alias_of": "No such skill at all" })).await;
    assert_eq!(no_such.status(), 422);
    let problem: Value = no_such.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/alias_of", "{problem:#}");

    assert_eq!(
        decide(json!({ "decision": "approve", "alias_of": "SQL" }))
            .await
            .status(),
        204
    );
    let alias_of: String = sqlx::query_scalar(
        "select s.name from skill_aliases a join skills s on s.id = a.skill_id
         where a.alias = 'SQL dialect know-how'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(alias_of, "SQL");
    let again = decide(json!({ "decision": "reject", "note": "Changed my mind." })).await;
    assert_eq!(again.status(), 409);
    let shown: Value = manager.get_json(&location).await.json().await.unwrap();
    assert_eq!(shown["status"], "approved");
    assert_eq!(shown["skill"], "SQL");
}

#[tokio::test]
async fn refused_proposals_and_decisions_say_what_is_wrong_and_where() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in(EMPLOYEE).await;
    let propose = |body: Value| {
        let employee = &employee;
        async move {
            let r = employee
                .send_json(Method::POST, "/api/v1/me/skill-proposals", Some(body))
                .await;
            let status = r.status().as_u16();
            let problem: Value = r.json().await.unwrap_or_default();
            (status, problem)
        }
    };
    let (status, problem) = propose(json!({ "name": "sql", "source": "posting" })).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/name");
    assert!(problem["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("SQL is already in the taxonomy"));
    let (status, problem) = propose(json!({ "name": "Dart tooling", "source": "profile" })).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/level");
    let (status, problem) = propose(json!({ "name": "x".repeat(301), "source": "posting" })).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/name");
    let (status, _) = propose(json!({ "name": "Dart tooling", "source": "posting" })).await;
    assert_eq!(status, 201);
    let id: Uuid = sqlx::query_scalar("select id from skill_proposals where name = 'Dart tooling'")
        .fetch_one(&app.db)
        .await
        .unwrap();

    // Only HR decides: the proposer and a manager are refused, on the page and the API.
    for who in [EMPLOYEE, MANAGER] {
        let c = app.signed_in(who).await;
        let r = c
            .send_json(
                Method::POST,
                &format!("/api/v1/hr/skill-proposals/{id}/decision"),
                Some(json!({ "decision": "approve" })),
            )
            .await;
        assert_eq!(r.status(), 403, "{who}");
        assert_eq!(c.get("/hr/skills/proposals").await.status(), 403, "{who}");
    }
    // Another person cannot read it.
    let other = app.signed_in(MANAGER).await;
    assert_eq!(
        other
            .get_json(&format!("/api/v1/me/skill-proposals/{id}"))
            .await
            .status(),
        404
    );
    let hr = app.signed_in(HR).await;
    let rejected = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/skill-proposals/{id}/decision"),
            Some(json!({ "decision": "reject" })),
        )
        .await;
    assert_eq!(rejected.status(), 422);
    let problem: Value = rejected.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/note");
    let status: String = sqlx::query_scalar("select status from skill_proposals where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "pending", "a refused decision changes nothing");
}
