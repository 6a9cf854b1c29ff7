//! Sign-in, sign-out, sessions and CSRF protection.

use crate::support::client::{csrf_in, text_of};
use crate::support::TestApp;

#[tokio::test]
async fn the_demo_employee_signs_in_and_lands_on_their_home_page() {
    let app = TestApp::with_demo().await;
    let client = app.client();

    let response = client.sign_in("employee@example.com", "trellis-demo").await;

    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("trellis_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let home = client.get("/").await;
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    let name: String =
        sqlx::query_scalar("select display_name from people where email = 'employee@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        text_of(&html, "[data-testid=signed-in-as]").as_deref(),
        Some(name.as_str())
    );
    let sessions: i64 = sqlx::query_scalar(
        "select count(*) from sessions s join people p on p.id = s.person_id where p.email = 'employee@example.com'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_refused_with_one_clear_message() {
    let app = TestApp::with_demo().await;
    let cases = [
        ("employee@example.com", "not-the-password"),
        ("nobody@example.com", "trellis-demo"),
        ("EMPLOYEE@example.com", "Trellis-demo"),
    ];
    for (email, password) in cases {
        let client = app.client();
        let response = client.sign_in(email, password).await;
        assert_eq!(response.status(), 401, "{email}");
        let html = response.text().await.unwrap();
        assert_eq!(
            text_of(&html, "#login-error").as_deref(),
            Some("That email and password do not match an account that can sign in."),
            "{email}"
        );
        // The email typed is kept in the form.
        assert!(html.contains(&format!("value=\"{email}\"")), "{email}");
        assert_eq!(
            client.get("/").await.status(),
            303,
            "{email} must not be signed in"
        );
    }
    let failures: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'auth.sign_in_failed'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(failures, 3);
}

#[tokio::test]
async fn email_case_does_not_matter_for_sign_in() {
    let app = TestApp::with_demo().await;
    let response = app
        .client()
        .sign_in("Employee@Example.com", "trellis-demo")
        .await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn demo_people_other_than_the_three_sign_ins_cannot_sign_in() {
    let app = TestApp::with_demo().await;
    let email: String = sqlx::query_scalar(
        "select email from people where password_hash is null and employment_status = 'active' limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = app.client().sign_in(&email, "trellis-demo").await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_person_who_left_cannot_sign_in_and_loses_their_session() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    sqlx::query(
        "update people set employment_status = 'terminated', terminated_on = current_date
         where email = 'employee@example.com'",
    )
    .execute(&app.db)
    .await
    .unwrap();

    assert_eq!(
        client.get("/").await.status(),
        303,
        "the old session no longer works"
    );
    let again = app
        .client()
        .sign_in("employee@example.com", "trellis-demo")
        .await;
    assert_eq!(again.status(), 401);
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let other = app.signed_in("manager@example.com").await;
    let others_token = other.csrf_token_from("/").await;

    let cases: [(&str, Vec<(&str, &str)>); 3] = [
        ("no token", vec![]),
        ("empty token", vec![("csrf_token", "")]),
        (
            "another session's token",
            vec![("csrf_token", others_token.as_str())],
        ),
    ];
    for (case, fields) in cases {
        let response = client.post_form_raw("/logout", &fields).await;
        assert_eq!(response.status(), 403, "{case}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("This form has expired or was sent from another site"),
            "{case}"
        );
    }
    // Still signed in: the refused sign-outs did nothing.
    assert_eq!(client.get("/").await.status(), 200);
}

#[tokio::test]
async fn the_sign_in_form_is_protected_against_cross_site_posts() {
    let app = TestApp::with_demo().await;
    let client = app.client();
    // A post that never loaded the form has no CSRF cookie.
    let response = client
        .post_form_raw(
            "/login",
            &[
                ("email", "employee@example.com"),
                ("password", "trellis-demo"),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(client.get("/").await.status(), 303);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let token = client.csrf_token_from("/").await;

    let response = client
        .post_form_raw("/logout", &[("csrf_token", &token)])
        .await;

    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");
    assert_eq!(client.get("/").await.status(), 303);
    let sessions: i64 = sqlx::query_scalar("select count(*) from sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_but_never_to_another_site() {
    let app = TestApp::with_demo().await;
    let anonymous = app.client();
    let response = anonymous.get("/hr").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=%2Fhr");

    let cases = [
        ("/hr", "/hr"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
    ];
    for (next, expected) in cases {
        let client = app.client();
        let page = client
            .get(&format!("/login?next={}", urlencode(next)))
            .await
            .text()
            .await
            .unwrap();
        let token = csrf_in(&page).unwrap();
        let response = client
            .post_form_raw(
                "/login",
                &[
                    ("csrf_token", &token),
                    ("email", "hr@example.com"),
                    ("password", "trellis-demo"),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{next}");
        assert_eq!(response.headers()["location"], expected, "{next}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
