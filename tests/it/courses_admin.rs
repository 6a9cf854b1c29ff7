//! Course catalogue admin: retiring a course keeps its enrolments and refuses new ones.

use uuid::Uuid;

use crate::support::TestApp;

#[tokio::test]
async fn a_retired_course_keeps_its_completed_enrolments_but_takes_no_new_ones() {
    let app = TestApp::with_demo().await;
    let course: Uuid = sqlx::query_scalar("insert into courses (title, format, hours) values ('Retire me', 'workshop', 3) returning id")
        .fetch_one(&app.db).await.unwrap();
    sqlx::query("insert into enrolments (course_id, person_id, status, progress_pct, completed_at)
                 select $1, id, 'completed', 100, now() from people where email = 'employee@example.com'")
        .bind(course).execute(&app.db).await.unwrap();
    let hr = app.signed_in("hr@example.com").await;

    let response = hr
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/hr/courses/{course}/retire"),
            None,
        )
        .await;

    assert_eq!(response.status(), 204);
    let retired: bool =
        sqlx::query_scalar("select retired_at is not null from courses where id = $1")
            .bind(course)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(retired);
    let kept: i64 = sqlx::query_scalar("select count(*) from enrolments where course_id = $1")
        .bind(course)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(kept, 1);
    let new = sqlx::query("insert into enrolments (course_id, person_id) select $1, id from people where email = 'manager@example.com'")
        .bind(course).execute(&app.db).await;
    assert!(new.is_err(), "a retired course takes no new enrolment");
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'course.retire'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn only_hr_sees_the_catalogue_and_architecture_admin() {
    let app = TestApp::with_demo().await;
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        for path in ["/hr/courses", "/hr/architecture"] {
            assert_eq!(client.get(path).await.status(), 403, "{email} {path}");
        }
        for path in ["/api/v1/hr/courses", "/api/v1/hr/architecture"] {
            assert_eq!(client.get_json(path).await.status(), 403, "{email} {path}");
        }
    }
    let hr = app.signed_in("hr@example.com").await;
    assert_eq!(hr.get("/hr/courses").await.status(), 200);
    assert_eq!(hr.get_json("/api/v1/hr/architecture").await.status(), 200);
}

async fn two_skills(db: &sqlx::PgPool) {
    sqlx::query("insert into skills (name) values ('Course Rust'), ('Course Sql')")
        .execute(db)
        .await
        .unwrap();
}

fn course_body(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title, "description": "Ownership and borrowing", "format": "workshop",
        "provider": "Internal", "author_email": "employee@example.com", "hours": 7.5,
        "url": "https://learn.example.com/rust",
        "skills": [{"skill": "course rust", "entry_level": 1, "target_level": 3}]
    })
}

#[tokio::test]
async fn hr_creates_and_edits_a_course_with_its_skills_through_the_api() {
    let app = TestApp::with_demo().await;
    two_skills(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;

    let created = hr
        .send_json(
            reqwest::Method::POST,
            "/api/v1/hr/courses",
            Some(course_body("Rust in a day")),
        )
        .await;
    assert_eq!(created.status(), 201);
    let id: Uuid = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut edit = course_body("Rust in two days");
    edit["hours"] = serde_json::json!(15);
    edit["skills"] =
        serde_json::json!([{"skill": "Course Sql", "entry_level": 0, "target_level": 2}]);
    let edited = hr
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/hr/courses/{id}"),
            Some(edit),
        )
        .await;

    assert_eq!(edited.status(), 204);
    let (title, format, hours, author): (String, String, f64, String) = sqlx::query_as(
        "select c.title, c.format, c.hours::float8, p.email from courses c join people p on p.id = c.author_id where c.id = $1")
        .bind(id).fetch_one(&app.db).await.unwrap();
    assert_eq!(
        (title.as_str(), format.as_str(), hours, author.as_str()),
        ("Rust in two days", "workshop", 15.0, "employee@example.com")
    );
    let skills: Vec<(String, i16, i16)> = sqlx::query_as(
        "select k.name, s.entry_level, s.target_level from course_skills s join skills k on k.id = s.skill_id where s.course_id = $1")
        .bind(id).fetch_all(&app.db).await.unwrap();
    assert_eq!(skills, vec![("Course Sql".to_owned(), 0, 2)]);
    let audited: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where entity_type = 'course' and entity_id = $1 order by id",
    )
    .bind(id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, vec!["course.create", "course.edit"]);
}

#[tokio::test]
async fn the_course_api_refuses_bad_fields_with_json_pointers_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    two_skills(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    hr.send_json(
        reqwest::Method::POST,
        "/api/v1/hr/courses",
        Some(course_body("Taken title")),
    )
    .await;
    let cases: Vec<(serde_json::Value, &str, &str)> = vec![
        (
            serde_json::json!({"title": " "}),
            "/title",
            "A course needs a title.",
        ),
        (
            serde_json::json!({"title": "taken TITLE"}),
            "/title",
            "Another course is already called taken TITLE.",
        ),
        (
            serde_json::json!({"format": "podcast"}),
            "/format",
            "Choose e-learning, workshop, on the job or external.",
        ),
        (
            serde_json::json!({"hours": 0}),
            "/hours",
            "Hours must be a number from 0.1 to 2000 (in tenths of an hour).",
        ),
        (
            serde_json::json!({"hours": 2001}),
            "/hours",
            "Hours must be a number from 0.1 to 2000 (in tenths of an hour).",
        ),
        (
            serde_json::json!({"url": "ftp://x"}),
            "/url",
            "A link starts with https:// or http://.",
        ),
        (
            serde_json::json!({"author_email": "nobody@example.com"}),
            "/author_email",
            "No active person has the email nobody@example.com.",
        ),
        (
            serde_json::json!({"skills": [{"skill": "Knitting", "target_level": 2}]}),
            "/skills/0/skill",
            "There is no skill called Knitting.",
        ),
        (
            serde_json::json!({"skills": [{"skill": "Course Rust", "entry_level": 5, "target_level": 5}]}),
            "/skills/0/entry_level",
            "The entry level is 0 to 4.",
        ),
        (
            serde_json::json!({"skills": [{"skill": "Course Rust", "entry_level": 0, "target_level": 6}]}),
            "/skills/0/target_level",
            "The target level is 1 to 5.",
        ),
        (
            serde_json::json!({"skills": [{"skill": "Course Rust", "entry_level": 3, "target_level": 3}]}),
            "/skills/0/target_level",
            "The target level must be above the entry level.",
        ),
        (
            serde_json::json!({"skills": [{"skill": "Course Rust", "target_level": 2}, {"skill": "course rust", "target_level": 3}]}),
            "/skills/1/skill",
            "course rust is listed twice.",
        ),
    ];

    for (change, pointer, message) in cases {
        let mut body = course_body("A new course");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let response = hr
            .send_json(reqwest::Method::POST, "/api/v1/hr/courses", Some(body))
            .await;

        assert_eq!(response.status(), 422, "{pointer}");
        let problem: serde_json::Value = response.json().await.unwrap();
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["pointer"] == pointer && e["detail"] == message),
            "{pointer}: {problem}"
        );
    }
    let courses: i64 =
        sqlx::query_scalar("select count(*) from courses where title = 'A new course'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(courses, 0);
}

#[tokio::test]
async fn the_course_form_creates_a_course_and_a_refused_form_keeps_what_was_typed() {
    let app = TestApp::with_demo().await;
    two_skills(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    let fields = |hours: &'static str| {
        vec![
            ("title", "Form course"),
            ("description", "Typed here"),
            ("format", "e_learning"),
            ("provider", "Coursera"),
            ("author", "manager@example.com"),
            ("hours", hours),
            ("url", ""),
            ("skill_0", "Course Sql"),
            ("entry_0", "1"),
            ("target_0", "4"),
            ("skill_1", ""),
            ("entry_1", ""),
            ("target_1", ""),
        ]
    };

    let refused = hr
        .submit("/hr/courses/new", "/hr/courses", &fields("lots"))
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Hours must be a number from 0.1 to 2000 (in tenths of an hour)."));
    assert!(html.contains("value=\"Form course\"") && html.contains("value=\"lots\""));
    let saved = hr
        .submit("/hr/courses/new", "/hr/courses", &fields("2,5"))
        .await;

    assert!(saved.status().is_success() || saved.status().is_redirection());
    let (id, hours): (Uuid, f64) =
        sqlx::query_as("select id, hours::float8 from courses where title = 'Form course'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(hours, 2.5);
    let levels: (i16, i16) =
        sqlx::query_as("select entry_level, target_level from course_skills where course_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(levels, (1, 4));
    let page = hr
        .get(&format!("/hr/courses/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"Course Sql\"") && page.contains("value=\"manager@example.com\"")
    );
}

#[tokio::test]
async fn employees_and_managers_cannot_create_or_edit_courses() {
    let app = TestApp::with_demo().await;
    let course: Uuid = sqlx::query_scalar(
        "insert into courses (title, format, hours) values ('Locked', 'workshop', 3) returning id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        assert_eq!(client.get("/hr/courses/new").await.status(), 403, "{email}");
        assert_eq!(
            client.get(&format!("/hr/courses/{course}")).await.status(),
            403,
            "{email}"
        );
        let post = client
            .send_json(
                reqwest::Method::POST,
                "/api/v1/hr/courses",
                Some(course_body("Sneaky")),
            )
            .await;
        assert_eq!(post.status(), 403, "{email}");
        let put = client
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/hr/courses/{course}"),
                Some(course_body("Sneaky")),
            )
            .await;
        assert_eq!(put.status(), 403, "{email}");
    }
    let sneaky: i64 = sqlx::query_scalar("select count(*) from courses where title = 'Sneaky'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sneaky, 0);
}
