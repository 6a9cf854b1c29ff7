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
