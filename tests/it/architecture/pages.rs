//! Job architecture admin pages: the edit forms, who may use them, the path graph.

use serde_json::json;

use super::paths_setup;
use crate::support::TestApp;

#[tokio::test]
async fn the_profile_form_saves_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    sqlx::query("insert into skills (name) values ('Arch Terraform')")
        .execute(&app.db)
        .await
        .unwrap();
    let hr = app.signed_in("hr@example.com").await;
    let fields = |level: &'static str| {
        vec![
            ("title", "Arch Platform Engineer"),
            ("family", "Arch Software"),
            ("level", "AX3"),
            ("description", "Runs the platform"),
            ("skill_0", "Arch Terraform"),
            ("level_0", level),
            ("importance_0", "important"),
            ("skill_1", ""),
            ("level_1", ""),
            ("importance_1", "essential"),
        ]
    };

    let refused = hr
        .submit(
            "/hr/architecture/profiles/new",
            "/hr/architecture/profiles",
            &fields("9"),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("The level is 1 to 5.")
            && html.contains("value=\"Arch Platform Engineer\"")
            && html.contains("value=\"9\"")
    );
    let saved = hr
        .submit(
            "/hr/architecture/profiles/new",
            "/hr/architecture/profiles",
            &fields("3"),
        )
        .await;

    assert!(saved.status().is_success() || saved.status().is_redirection());
    let level: (i16, String) = sqlx::query_as(
        "select s.level, s.importance from job_profile_skills s join job_profiles j on j.id = s.job_profile_id where j.title = 'Arch Platform Engineer'")
        .fetch_one(&app.db).await.unwrap();
    assert_eq!(level, (3, "important".to_owned()));
    let family = hr
        .submit(
            "/hr/architecture/families/new",
            "/hr/architecture/families",
            &[("name", ""), ("description", "x")],
        )
        .await;
    assert_eq!(family.status(), 422);
    assert!(family
        .text()
        .await
        .unwrap()
        .contains("A job family needs a name."));
}

#[tokio::test]
async fn employees_and_managers_cannot_change_the_job_architecture() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    let profile: uuid::Uuid =
        sqlx::query_scalar("select id from job_profiles where title = 'Arch Engineer'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        for path in [
            "/hr/architecture/families/new",
            "/hr/architecture/levels/new",
            "/hr/architecture/profiles/new",
        ] {
            assert_eq!(client.get(path).await.status(), 403, "{email} {path}");
        }
        assert_eq!(
            client
                .get(&format!("/hr/architecture/profiles/{profile}"))
                .await
                .status(),
            403
        );
        let post = client
            .send_json(
                reqwest::Method::POST,
                "/api/v1/hr/architecture/families",
                Some(json!({"name": "Sneaky"})),
            )
            .await;
        let put = client
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/hr/architecture/profiles/{profile}"),
                Some(json!({"title": "Sneaky", "family": "Arch Data", "level": "AX2"})),
            )
            .await;
        assert_eq!(
            (post.status().as_u16(), put.status().as_u16()),
            (403, 403),
            "{email}"
        );
    }
    let title: String = sqlx::query_scalar("select title from job_profiles where id = $1")
        .bind(profile)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(title, "Arch Engineer");
}

#[tokio::test]
async fn the_architecture_page_draws_each_familys_career_paths_as_svg() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    for (from, to, kind) in [
        ("Arch Engineer", "Arch Senior Engineer", "promotion"),
        ("Arch Senior Engineer", "Arch Data Engineer", "lateral"),
    ] {
        let saved = hr
            .send_json(
                reqwest::Method::POST,
                "/api/v1/hr/architecture/paths",
                Some(json!({"from": from, "to": to, "kind": kind})),
            )
            .await;
        assert_eq!(saved.status(), 204);
    }

    let html = hr.get("/hr/architecture").await.text().await.unwrap();

    assert!(html.contains("<title>Career paths in Arch Software</title>"));
    assert!(html.contains("Arch Engineer → Arch Senior Engineer: promotion, about 24 months"));
    assert!(html.contains("class=\"path-edge path-lateral\""));
    assert!(
        html.contains("path-node path-node-other"),
        "the profile a lateral move reaches is drawn"
    );
}
