//! Skill admin: a skill's aliases and related skills, through the page and the API.

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::support::TestApp;

async fn skill(db: &sqlx::PgPool, name: &str) -> Uuid {
    sqlx::query_scalar("insert into skills (name) values ($1) returning id")
        .bind(name)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn hand_edited(db: &sqlx::PgPool, id: Uuid) -> bool {
    sqlx::query_scalar("select hand_edited_at is not null from skills where id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn errors_of(response: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn hr_adds_and_removes_aliases_and_related_skills_through_the_api() {
    let app = TestApp::with_demo().await;
    let rust = skill(&app.db, "Links Rust").await;
    let cpp = skill(&app.db, "Links C++").await;
    let hr = app.signed_in("hr@example.com").await;

    let added = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/skills/{rust}/aliases"),
            Some(json!({"alias": "rustlang"})),
        )
        .await;
    let related = hr
        .send_json(
            Method::POST,
            &format!("/api/v1/hr/skills/{rust}/related"),
            Some(json!({"skill": "links c++", "strength": 0.6})),
        )
        .await;

    assert_eq!(
        (added.status().as_u16(), related.status().as_u16()),
        (204, 204)
    );
    assert!(hand_edited(&app.db, rust).await);
    let aliases: Vec<String> =
        sqlx::query_scalar("select alias from skill_aliases where skill_id = $1")
            .bind(rust)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(aliases, vec!["rustlang"]);
    let both: Vec<(Uuid, f64)> = sqlx::query_as(
        "select skill_id, strength::float8 from skill_relations where $1 in (skill_id, related_skill_id) order by skill_id = $1 desc")
        .bind(rust).fetch_all(&app.db).await.unwrap();
    assert_eq!(both, vec![(rust, 0.6), (cpp, 0.6)]);

    let unaliased = hr
        .send_json(
            Method::DELETE,
            &format!("/api/v1/hr/skills/{rust}/aliases/RUSTLANG"),
            None,
        )
        .await;
    let unrelated = hr
        .send_json(
            Method::DELETE,
            &format!("/api/v1/hr/skills/{rust}/related/{cpp}"),
            None,
        )
        .await;

    assert_eq!(
        (unaliased.status().as_u16(), unrelated.status().as_u16()),
        (204, 204)
    );
    let left: i64 = sqlx::query_scalar(
        "select (select count(*) from skill_aliases where skill_id = $1) + (select count(*) from skill_relations where $1 in (skill_id, related_skill_id))")
        .bind(rust).fetch_one(&app.db).await.unwrap();
    assert_eq!(left, 0);
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where entity_type = 'skill' and entity_id = $1 order by id",
    )
    .bind(rust.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        audited,
        vec![
            "skill.alias_add",
            "skill.related_add",
            "skill.alias_remove",
            "skill.related_remove"
        ]
    );
}

#[tokio::test]
async fn bad_aliases_and_relations_are_refused_with_their_messages() {
    let app = TestApp::with_demo().await;
    let rust = skill(&app.db, "Links Rust").await;
    let go = skill(&app.db, "Links Go").await;
    sqlx::query("insert into skill_aliases (skill_id, alias) values ($1, 'golang')")
        .bind(go)
        .execute(&app.db)
        .await
        .unwrap();
    let hr = app.signed_in("hr@example.com").await;
    let alias = |a: &'static str| json!({"alias": a});
    let rel = |s: &'static str, x: serde_json::Value| json!({"skill": s, "strength": x});
    let cases = vec![
        ("aliases", alias(" "), "/alias", "An alias cannot be empty."),
        (
            "aliases",
            alias("GOLANG"),
            "/alias",
            "GOLANG is already an alias of Links Go.",
        ),
        (
            "aliases",
            alias("links go"),
            "/alias",
            "Links Go is already the name of a skill.",
        ),
        (
            "related",
            rel("Links Go", json!(0.05)),
            "/strength",
            "The strength is between 0.1 and 1.0.",
        ),
        (
            "related",
            rel("Links Go", json!(1.5)),
            "/strength",
            "The strength is between 0.1 and 1.0.",
        ),
        (
            "related",
            rel("Links Cobol", json!(0.5)),
            "/skill",
            "There is no skill called Links Cobol.",
        ),
        (
            "related",
            rel("Links Rust", json!(0.5)),
            "/skill",
            "A skill cannot be related to itself.",
        ),
    ];

    for (what, body, pointer, message) in cases {
        let response = hr
            .send_json(
                Method::POST,
                &format!("/api/v1/hr/skills/{rust}/{what}"),
                Some(body),
            )
            .await;
        let errors = errors_of(response).await;
        assert!(
            errors.contains(&(pointer.to_owned(), message.to_owned())),
            "{pointer}: {errors:?}"
        );
    }
    assert!(
        !hand_edited(&app.db, rust).await,
        "a refused change leaves the skill as it was"
    );
    let links: i64 = sqlx::query_scalar(
        "select (select count(*) from skill_aliases where skill_id = $1) + (select count(*) from skill_relations where $1 in (skill_id, related_skill_id))")
        .bind(rust).fetch_one(&app.db).await.unwrap();
    assert_eq!(links, 0);
}

#[tokio::test]
async fn the_skill_page_adds_an_alias_and_a_refused_relation_keeps_what_was_typed() {
    let app = TestApp::with_demo().await;
    let rust = skill(&app.db, "Links Rust").await;
    skill(&app.db, "Links Go").await;
    let hr = app.signed_in("hr@example.com").await;
    let page = format!("/hr/skills/{rust}");

    let added = hr
        .submit(
            &page,
            &format!("{page}/aliases"),
            &[("alias", "Rust language")],
        )
        .await;
    let refused = hr
        .submit(
            &page,
            &format!("{page}/related"),
            &[("skill", "Links Go"), ("strength", "3")],
        )
        .await;

    assert!(added.status().is_success() || added.status().is_redirection());
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("The strength is between 0.1 and 1.0."));
    assert!(html.contains("value=\"Links Go\"") && html.contains("value=\"3\""));
    assert!(
        html.contains("Rust language"),
        "the page lists the new alias"
    );
    let related = hr
        .submit(
            &page,
            &format!("{page}/related"),
            &[("skill", "Links Go"), ("strength", "0,4")],
        )
        .await;
    assert!(related.status().is_success() || related.status().is_redirection());
    let strength: f64 =
        sqlx::query_scalar("select strength::float8 from skill_relations where skill_id = $1")
            .bind(rust)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(strength, 0.4);
}

#[tokio::test]
async fn employees_and_managers_cannot_change_aliases_or_related_skills() {
    let app = TestApp::with_demo().await;
    let rust = skill(&app.db, "Links Rust").await;
    skill(&app.db, "Links Go").await;
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        assert_eq!(
            client.get(&format!("/hr/skills/{rust}")).await.status(),
            403
        );
        let alias = client
            .send_json(
                Method::POST,
                &format!("/api/v1/hr/skills/{rust}/aliases"),
                Some(json!({"alias": "x"})),
            )
            .await;
        let related = client
            .send_json(
                Method::POST,
                &format!("/api/v1/hr/skills/{rust}/related"),
                Some(json!({"skill": "Links Go", "strength": 0.5})),
            )
            .await;
        assert_eq!(
            (alias.status().as_u16(), related.status().as_u16()),
            (403, 403),
            "{email}"
        );
    }
    assert!(!hand_edited(&app.db, rust).await);
}
