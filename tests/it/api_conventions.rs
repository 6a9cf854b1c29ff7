//! The API's conventions, as a client meets them: bodies hold the documented shape, a 201 says
//! where the new thing is, dates and timestamps are ISO 8601 strings, a value the database
//! cannot store is a 422 and not a 500.

use reqwest::Method;
use serde_json::{json, Value};

use crate::support::TestApp;

async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "an error is problem+json"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_json_body_with_an_unknown_member_or_an_array_for_an_object_is_refused_at_its_pointer() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let skills: Value = employee
        .get_json("/api/v1/me/skills")
        .await
        .json()
        .await
        .unwrap();
    let skill = skills[0]["skill_id"]
        .as_str()
        .expect("the employee holds a skill");
    let path = format!("/api/v1/me/skills/{skill}");
    let before: Vec<(i16,)> = sqlx::query_as("select level from person_skills where skill_id = $1::uuid and person_id = (select id from people where email = 'employee@example.com')")
        .bind(skill).fetch_all(&app.db).await.unwrap();

    let cases = [
        (json!({"level": 3, "levle": 4}), "/levle", "is not a field"),
        (json!([3]), "/", "must be a JSON object"),
    ];
    for (body, pointer, message) in cases {
        let (status, p) = problem(
            employee
                .send_json(Method::PUT, &path, Some(body.clone()))
                .await,
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(p["errors"][0]["pointer"], pointer, "{body}: {p}");
        assert!(
            p["errors"][0]["detail"].as_str().unwrap().contains(message),
            "{p}"
        );
    }

    let after: Vec<(i16,)> = sqlx::query_as("select level from person_skills where skill_id = $1::uuid and person_id = (select id from people where email = 'employee@example.com')")
        .bind(skill).fetch_all(&app.db).await.unwrap();
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn a_course_whose_hours_round_to_nothing_is_refused_with_422_not_a_database_error() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    for hours in [json!(1e-300), json!(0.04)] {
        let body = json!({"title": "Tiny", "format": "workshop", "hours": hours});

        let (status, p) = problem(
            hr.send_json(Method::POST, "/api/v1/hr/courses", Some(body))
                .await,
        )
        .await;

        assert_eq!(status, 422, "{hours}: {p}");
        assert_eq!(p["errors"][0]["pointer"], "/hours", "{p}");
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from courses where title = 'Tiny'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn every_201_sends_the_location_of_what_it_created() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let body = json!({"title": "Located", "format": "workshop", "hours": 2});

    let created = hr
        .send_json(Method::POST, "/api/v1/hr/courses", Some(body))
        .await;

    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let json: Value = created.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/courses/{}", json["id"].as_str().unwrap())
    );
    assert_eq!(json["location"], location.as_str());
    let course: Value = hr.get_json(&location).await.json().await.unwrap();
    assert_eq!(course["card"]["title"], "Located");
}

fn is_date(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
    })
}

fn is_timestamp(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
    })
}

#[tokio::test]
async fn dates_and_timestamps_are_iso_8601_strings() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let metrics: Value = hr.get_json("/api/v1/metrics").await.json().await.unwrap();
    for at in [
        "/period/from",
        "/period/to",
        "/previous/from",
        "/previous/to",
    ] {
        assert!(
            is_date(&metrics.pointer(at).unwrap().clone()),
            "{at}: {}",
            metrics.pointer(at).unwrap()
        );
    }

    // A plan with a target date, and a posting's applicants with their submission times.
    let employee = app.signed_in("employee@example.com").await;
    let graph: Value = employee
        .get_json("/api/v1/me/career-paths")
        .await
        .json()
        .await
        .unwrap();
    let target = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["step"] != 0)
        .unwrap();
    let made = employee
        .send_json(
            Method::POST,
            &format!(
                "/api/v1/me/career-paths/{}/plan",
                target["profile_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(made.status(), 201);
    assert!(made.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/api/v1/me/plans/"));
    sqlx::query("update development_plans set target_date = date '2028-06-15' where person_id = (select id from people where email = 'employee@example.com')")
        .execute(&app.db).await.unwrap();
    let list: Value = employee
        .get_json("/api/v1/me/plans")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["target_date"], "2028-06-15", "{list}");
    let plan = list[0]["id"].as_str().unwrap();
    let one: Value = employee
        .get_json(&format!("/api/v1/me/plans/{plan}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(one["summary"]["target_date"], "2028-06-15", "{one}");

    let posting: String =
        sqlx::query_scalar("select opportunity_id::text from applications limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let list: Value = hr
        .get_json(&format!("/api/v1/postings/{posting}/applicants"))
        .await
        .json()
        .await
        .unwrap();
    assert!(is_timestamp(&list[0]["submitted_at"]), "{list}");
}
