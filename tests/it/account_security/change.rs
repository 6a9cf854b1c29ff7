//! Changing one's own password: `/account/password` and `PUT /api/v1/me/password`.

use reqwest::Method;
use serde_json::{json, Value};
use trellis::domain::password;

use super::{audited, count};
use crate::support::client::text_of;
use crate::support::TestApp;

const NEW: &str = "correct horse battery staple";

async fn hash_of(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar("select password_hash from people where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_password_form_explains_each_mistake_next_to_its_field_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let before = hash_of(&app, "employee@example.com").await;
    let cases = [
        ("wrong-password", NEW, NEW, "current_password", "That is not your current password."),
        ("trellis-demo", "too short", "too short", "new_password",
            "Use at least 12 characters. A few unrelated words make a long password easy to remember."),
        ("trellis-demo", "EMPLOYEE@example.com", "EMPLOYEE@example.com", "new_password",
            "Your email address cannot be your password."),
        ("trellis-demo", NEW, "correct horse battery stapler", "confirm_password",
            "The two new passwords are not the same. Type the new password again."),
        ("trellis-demo", "trellis-demo", "trellis-demo", "new_password",
            "The new password is your current one. Choose a different one."),
    ];
    for (current, new, confirm, field, message) in cases {
        let response = client
            .submit(
                "/account/password",
                "/account/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
            )
            .await;

        assert_eq!(response.status(), 422, "{field}: {message}");
        let html = response.text().await.unwrap();
        assert_eq!(
            text_of(&html, &format!("#{field}-error")).as_deref(),
            Some(message)
        );
        assert!(
            !html.contains(new) && !html.contains(current),
            "passwords are never echoed"
        );
    }
    assert_eq!(hash_of(&app, "employee@example.com").await, before);
    assert_eq!(audited(&app.db, "auth.password_changed").await, 0);
}

#[tokio::test]
async fn a_new_password_ends_every_other_session_keeps_this_one_and_tells_the_person() {
    let app = TestApp::with_demo().await;
    let here = app.signed_in("employee@example.com").await;
    let elsewhere = app.signed_in("employee@example.com").await;
    let someone_else = app.signed_in("manager@example.com").await;

    let response = here
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", "trellis-demo"),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ],
        )
        .await;

    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/account/password?changed=1"
    );
    let page = here.get("/account/password?changed=1").await;
    assert_eq!(page.status(), 200, "this session stays");
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("id=\"password-changed\""));
    assert_eq!(
        elsewhere.get("/").await.status(),
        303,
        "the other session ended"
    );
    assert_eq!(someone_else.get("/").await.status(), 200);
    let phc = hash_of(&app, "employee@example.com").await.unwrap();
    assert!(password::verify(&phc, NEW) && phc.starts_with("$argon2"));
    assert_eq!(
        app.client()
            .sign_in("employee@example.com", "trellis-demo")
            .await
            .status(),
        401
    );
    assert_eq!(
        app.client()
            .sign_in("employee@example.com", NEW)
            .await
            .status(),
        303
    );
    assert_eq!(audited(&app.db, "auth.password_changed").await, 1);
    let told = count(
        &app.db,
        "select count(*) from notifications n join people p on p.id = n.person_id
        where p.email = 'employee@example.com' and n.title = 'Your password was changed'",
    )
    .await;
    assert_eq!(told, 1);
    let emailed = count(
        &app.db,
        "select count(*) from outbox where subject = 'Your password was changed'",
    )
    .await;
    assert_eq!(
        emailed, 1,
        "the notification is emailed too (default preferences)"
    );
}

#[tokio::test]
async fn someone_who_signs_in_by_single_sign_on_only_is_told_there_is_no_password_to_change() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    sqlx::query("update people set password_hash = null where email = 'employee@example.com'")
        .execute(&app.db)
        .await
        .unwrap();

    let page = client.get("/account/password").await.text().await.unwrap();
    let api = client
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({
            "current_password": "trellis-demo", "new_password": NEW, "confirm_password": NEW })),
        )
        .await;

    assert!(text_of(&page, "#no-password")
        .unwrap()
        .contains("single sign-on"));
    assert!(!page.contains("current_password"), "no form");
    assert_eq!(api.status(), 409);
    assert_eq!(hash_of(&app, "employee@example.com").await, None);
}

#[tokio::test]
async fn the_profile_page_links_to_the_password_page() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let html = client.get("/profile").await.text().await.unwrap();
    assert!(html.contains("href=\"/account/password\""));
}

#[tokio::test]
async fn the_api_points_at_the_wrong_fields_and_then_changes_the_password() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let other = app.signed_in("employee@example.com").await;

    let bad = client
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({
            "current_password": "nope", "new_password": "short", "confirm_password": "short" })),
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem: Value = bad.json().await.unwrap();
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/current_password", "/new_password"]);

    let good = client
        .send_json(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({
            "current_password": "trellis-demo", "new_password": NEW, "confirm_password": NEW })),
        )
        .await;
    assert_eq!(good.status(), 204);
    assert_eq!(client.get_json("/api/v1/me").await.status(), 200);
    assert_eq!(other.get_json("/api/v1/me").await.status(), 401);
    assert_eq!(audited(&app.db, "auth.password_changed").await, 1);
}

#[tokio::test]
async fn guessing_the_current_password_from_a_signed_in_browser_is_throttled_like_sign_in() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let guess = |current: &'static str| {
        let client = &client;
        async move {
            let fields = [
                ("current_password", current),
                ("new_password", NEW),
                ("confirm_password", NEW),
            ];
            let r = client
                .submit("/account/password", "/account/password", &fields)
                .await;
            let status = r.status().as_u16();
            let html = r.text().await.unwrap();
            (
                status,
                text_of(&html, "#current_password-error").unwrap_or_default(),
            )
        }
    };
    // Five wrong guesses are told so; the sixth pauses guessing from this address (before
    // issue 14: the tenth locked the email everywhere).
    for _ in 0..5 {
        assert_eq!(
            guess("wrong-password").await.1,
            "That is not your current password."
        );
    }

    let tenth = guess("wrong-password").await;
    let right = guess("trellis-demo").await;

    assert!(
        tenth.1.starts_with("Too many wrong passwords."),
        "{tenth:?}"
    );
    assert_eq!(
        right, tenth,
        "the right password is not checked while locked"
    );
    assert_eq!(
        app.client()
            .sign_in("employee@example.com", "trellis-demo")
            .await
            .status(),
        429
    );
    assert_eq!(audited(&app.db, "auth.sign_in_paused").await, 1);
    assert!(password::verify(
        &hash_of(&app, "employee@example.com").await.unwrap(),
        "trellis-demo"
    ));
}
