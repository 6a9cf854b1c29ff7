//! Job architecture admin: creating and editing families, levels and profiles.

use serde_json::json;

use super::paths_setup;
use crate::support::TestApp;

async fn send(
    hr: &crate::support::Client,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> reqwest::Response {
    hr.send_json(method, path, Some(body)).await
}

async fn created_id(response: reqwest::Response) -> uuid::Uuid {
    assert_eq!(response.status(), 201);
    response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn problem(response: reqwest::Response) -> Vec<(String, String)> {
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
async fn hr_creates_and_edits_families_levels_and_profiles_through_the_api() {
    let app = TestApp::with_demo().await;
    sqlx::query("insert into skills (name) values ('Arch Kotlin'), ('Arch Gradle')")
        .execute(&app.db)
        .await
        .unwrap();
    let hr = app.signed_in("hr@example.com").await;
    use reqwest::Method;

    let family = created_id(
        send(
            &hr,
            Method::POST,
            "/api/v1/hr/architecture/families",
            json!({"name": "Arch Mobile"}),
        )
        .await,
    )
    .await;
    let level = created_id(send(&hr, Method::POST, "/api/v1/hr/architecture/levels",
        json!({"code": "AM1", "name": "Mobile one", "track": "individual_contributor", "rank": 11})).await).await;
    let profile = created_id(
        send(
            &hr,
            Method::POST,
            "/api/v1/hr/architecture/profiles",
            json!({"title": "Arch Android Engineer", "family": "arch mobile", "level": "AM1",
               "skills": [{"skill": "Arch Kotlin", "level": 3, "importance": "essential"}]}),
        )
        .await,
    )
    .await;
    let family_edit = send(
        &hr,
        Method::PUT,
        &format!("/api/v1/hr/architecture/families/{family}"),
        json!({"name": "Arch Mobile Apps", "description": "Phones"}),
    )
    .await;
    let level_edit = send(
        &hr,
        Method::PUT,
        &format!("/api/v1/hr/architecture/levels/{level}"),
        json!({"code": "AM1", "name": "Mobile one", "track": "manager", "rank": 12}),
    )
    .await;
    let profile_edit = send(
        &hr,
        Method::PUT,
        &format!("/api/v1/hr/architecture/profiles/{profile}"),
        json!({"title": "Arch Android Developer", "family": "Arch Mobile Apps", "level": "AM1",
               "skills": [{"skill": "Arch Gradle", "level": 2, "importance": "nice_to_have"},
                          {"skill": "Arch Kotlin", "level": 4, "importance": "important"}]}),
    )
    .await;

    assert_eq!(
        (
            family_edit.status().as_u16(),
            level_edit.status().as_u16(),
            profile_edit.status().as_u16()
        ),
        (204, 204, 204)
    );
    let (name, description): (String, String) =
        sqlx::query_as("select name, description from job_families where id = $1")
            .bind(family)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (name.as_str(), description.as_str()),
        ("Arch Mobile Apps", "Phones")
    );
    let (track, rank): (String, i16) =
        sqlx::query_as("select track, rank from job_levels where id = $1")
            .bind(level)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((track.as_str(), rank), ("manager", 12));
    let (title, fam): (String, uuid::Uuid) =
        sqlx::query_as("select title, family_id from job_profiles where id = $1")
            .bind(profile)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((title.as_str(), fam), ("Arch Android Developer", family));
    let skills: Vec<(String, i16, String)> = sqlx::query_as(
        "select k.name, s.level, s.importance from job_profile_skills s join skills k on k.id = s.skill_id
         where s.job_profile_id = $1 order by k.name").bind(profile).fetch_all(&app.db).await.unwrap();
    assert_eq!(
        skills,
        vec![
            ("Arch Gradle".into(), 2, "nice_to_have".into()),
            ("Arch Kotlin".into(), 4, "important".into())
        ]
    );
    let audited: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'job_%' order by id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        audited,
        vec![
            "job_family.create",
            "job_level.create",
            "job_profile.create",
            "job_family.edit",
            "job_level.edit",
            "job_profile.edit"
        ]
    );
}

#[tokio::test]
async fn the_architecture_api_refuses_bad_fields_with_their_messages() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    use reqwest::Method;
    let profile = |over: serde_json::Value| {
        let mut body =
            json!({"title": "Arch New", "family": "Arch Software", "level": "AX2", "skills": []});
        for (k, v) in over.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cases: Vec<(&str, serde_json::Value, &str, &str)> = vec![
        (
            "families",
            json!({"name": " "}),
            "/name",
            "A job family needs a name.",
        ),
        (
            "families",
            json!({"name": "arch software"}),
            "/name",
            "Another job family is already called arch software.",
        ),
        (
            "levels",
            json!({"code": "AX2", "name": "Dup", "track": "manager", "rank": 3}),
            "/code",
            "Another level has the code AX2.",
        ),
        (
            "levels",
            json!({"code": "AX9", "name": "", "track": "manager", "rank": 3}),
            "/name",
            "A level needs a name.",
        ),
        (
            "levels",
            json!({"code": "AX9", "name": "N", "track": "wizard", "rank": 3}),
            "/track",
            "The track is individual contributor or manager.",
        ),
        (
            "levels",
            json!({"code": "AX9", "name": "N", "track": "manager", "rank": 21}),
            "/rank",
            "The rank is a whole number from 1 to 20.",
        ),
        (
            "profiles",
            profile(json!({"title": "ARCH ENGINEER"})),
            "/title",
            "Another job profile is already called ARCH ENGINEER.",
        ),
        (
            "profiles",
            profile(json!({"family": "Nowhere"})),
            "/family",
            "There is no job family called Nowhere.",
        ),
        (
            "profiles",
            profile(json!({"level": "ZZ"})),
            "/level",
            "There is no level with the code ZZ.",
        ),
        (
            "profiles",
            profile(json!({"skills": [{"skill": "Nope skill", "level": 2}]})),
            "/skills/0/skill",
            "There is no skill called Nope skill.",
        ),
        (
            "profiles",
            profile(json!({"skills": [{"skill": "x", "level": 6}]})),
            "/skills/0/level",
            "The level is 1 to 5.",
        ),
        (
            "profiles",
            profile(json!({"skills": [{"skill": "x", "level": 2, "importance": "vital"}]})),
            "/skills/0/importance",
            "The importance is essential, important or nice to have.",
        ),
    ];

    for (kind, body, pointer, message) in cases {
        let errors = problem(
            send(
                &hr,
                Method::POST,
                &format!("/api/v1/hr/architecture/{kind}"),
                body,
            )
            .await,
        )
        .await;
        assert!(
            errors.contains(&(pointer.to_owned(), message.to_owned())),
            "{pointer}: {errors:?}"
        );
    }
    let added: i64 = sqlx::query_scalar("select (select count(*) from job_levels where code = 'AX9') + (select count(*) from job_profiles where title = 'Arch New')")
        .fetch_one(&app.db).await.unwrap();
    assert_eq!(added, 0);
}

#[tokio::test]
async fn an_edit_that_would_break_a_career_path_is_refused() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    let ok = hr
        .send_json(
            reqwest::Method::POST,
            "/api/v1/hr/architecture/paths",
            Some(
                json!({"from": "Arch Engineer", "to": "Arch Senior Engineer", "kind": "promotion"}),
            ),
        )
        .await;
    assert_eq!(ok.status(), 204);
    let senior: uuid::Uuid =
        sqlx::query_scalar("select id from job_profiles where title = 'Arch Senior Engineer'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let ax3: uuid::Uuid = sqlx::query_scalar("select id from job_levels where code = 'AX3'")
        .fetch_one(&app.db)
        .await
        .unwrap();

    let moved = hr
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/hr/architecture/profiles/{senior}"),
            Some(json!({"title": "Arch Senior Engineer", "family": "Arch Data", "level": "AX3"})),
        )
        .await;
    let lowered = hr.send_json(reqwest::Method::PUT, &format!("/api/v1/hr/architecture/levels/{ax3}"),
        Some(json!({"code": "AX3", "name": "Three", "track": "individual_contributor", "rank": 12}))).await;

    let moved = problem(moved).await;
    assert_eq!(moved[0].0, "/level");
    assert!(
        moved[0].1.contains(
            "Arch Engineer → Arch Senior Engineer: A promotion stays in the same job family."
        ),
        "{moved:?}"
    );
    let lowered = problem(lowered).await;
    assert!(
        lowered[0].1.contains("A promotion goes up a level."),
        "{lowered:?}"
    );
    let (family, rank): (String, i16) = sqlx::query_as(
        "select f.name, l.rank from job_profiles j join job_families f on f.id = j.family_id join job_levels l on l.id = j.level_id where j.id = $1")
        .bind(senior).fetch_one(&app.db).await.unwrap();
    assert_eq!((family.as_str(), rank), ("Arch Software", 13));
}
