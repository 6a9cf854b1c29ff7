//! Account security for password sign-in: throttling failed sign-ins (here), changing one's
//! password (`change`), and forgotten-password links by email (`reset`). All of it is off
//! when password sign-in is turned off.

use std::sync::Arc;

use sqlx::PgPool;
use tokio::net::TcpListener;
use trellis::config::Config;

use crate::support::client::{csrf_in, text_of};
use crate::support::{fresh_database, Client, TestApp};

mod attacks;
mod change;
pub(crate) mod reset;

/// What a paused sign-in says, for a pause of `wait` ("30 seconds").
fn paused(wait: &str) -> String {
    format!(
        "Too many failed sign-ins. Signing in with a password from here is paused for {wait}. \
         Try again then, or choose a new password with \"Forgot your password?\"."
    )
}

/// An app over the demo company with settings of its own.
pub(crate) async fn demo_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests();
    configure(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    TestApp::serve_on(fresh_database(true).await, config, listener).await
}

pub(crate) async fn count(db: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

pub(crate) async fn audited(db: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(db)
        .await
        .unwrap()
}

/// `n` wrong passwords for `email`; each answer's status.
async fn fail(client: &Client, email: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        let r = client.sign_in(email, "not-the-password").await;
        statuses.push(r.status().as_u16());
    }
    statuses
}

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

// Before issue 14 ten failures locked the email for everyone for 15 minutes; now failures
// pause only the address they come from, with a back-off that doubles (see `attacks` for the
// owner at another address).
#[tokio::test]
async fn past_five_failures_an_address_is_paused_even_against_the_right_password_and_the_pause_doubles(
) {
    let app = TestApp::with_demo().await;
    let client = app.client();

    let statuses = fail(&client, "employee@example.com", 6).await;
    let refused = client
        .sign_in("Employee@Example.com ", "trellis-demo")
        .await;

    assert_eq!(statuses[..5], [401; 5]);
    assert_eq!(statuses[5], 429, "the sixth failure pauses at once");
    assert_eq!(
        refused.status(),
        429,
        "the right password is not even checked"
    );
    let retry = retry_after(&refused);
    assert!((28..=30).contains(&retry), "Retry-After {retry}");
    let html = refused.text().await.unwrap();
    assert_eq!(
        text_of(&html, "#login-error"),
        Some(paused(&format!("{retry} seconds")))
    );
    assert_eq!(client.get("/").await.status(), 303, "not signed in");
    assert_eq!(audited(&app.db, "auth.sign_in_paused").await, 1);
    assert_eq!(audited(&app.db, "auth.sign_in_failed").await, 6);

    // The pause runs out: the next failure pauses twice as long, the right password works.
    let lift = "update auth_throttle set blocked_until = now() - interval '1 second'";
    sqlx::query(lift).execute(&app.db).await.unwrap();
    let again = client.sign_in("employee@example.com", "still-wrong").await;
    assert_eq!(again.status(), 429);
    let retry = retry_after(&again);
    assert!((58..=60).contains(&retry), "Retry-After {retry}");
    sqlx::query(lift).execute(&app.db).await.unwrap();
    assert_eq!(
        client
            .sign_in("employee@example.com", "trellis-demo")
            .await
            .status(),
        303
    );
    // Another email is not affected.
    assert_eq!(
        app.client()
            .sign_in("manager@example.com", "trellis-demo")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn an_unknown_email_is_paused_with_the_very_same_answer() {
    let app = TestApp::with_demo().await;
    let mut answers = Vec::new();
    for email in ["employee@example.com", "nobody@example.com"] {
        let client = app.client();
        let statuses = fail(&client, email, 6).await;
        let r = client.sign_in(email, "trellis-demo").await;
        let retry = r.headers().contains_key("retry-after");
        let html = r.text().await.unwrap();
        answers.push((statuses, retry, text_of(&html, "#login-error")));
    }
    assert_eq!(answers[0].0, answers[1].0);
    assert_eq!(answers[0].1, answers[1].1);
    assert_eq!(answers[1].0.last(), Some(&429));
    for (_, _, message) in &answers {
        assert!(message
            .as_deref()
            .unwrap()
            .starts_with("Too many failed sign-ins."));
    }
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_count_of_its_address() {
    let app = TestApp::with_demo().await;
    let client = app.client();
    fail(&client, "employee@example.com", 5).await;

    assert_eq!(
        client
            .sign_in("employee@example.com", "trellis-demo")
            .await
            .status(),
        303
    );

    assert_eq!(
        count(
            &app.db,
            "select count(*) from auth_throttle where key like 'pair:%'"
        )
        .await,
        0
    );
    let again = fail(&app.client(), "employee@example.com", 5).await;
    assert_eq!(again, [401; 5], "five more failures do not pause");
}

#[tokio::test]
async fn failures_older_than_an_hour_no_longer_count() {
    let app = TestApp::with_demo().await;
    fail(&app.client(), "employee@example.com", 5).await;
    sqlx::query("update auth_throttle set last_failure_at = now() - interval '61 minutes'")
        .execute(&app.db)
        .await
        .unwrap();

    let statuses = fail(&app.client(), "employee@example.com", 5).await;

    assert_eq!(statuses, [401; 5]);
    let failures: i32 =
        sqlx::query_scalar("select failures from auth_throttle where key like 'pair:%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn stale_rows_of_other_keys_are_cleaned_up_by_later_attempts() {
    let app = TestApp::with_demo().await;
    fail(&app.client(), "someone@example.com", 2).await;
    sqlx::query("update auth_throttle set last_failure_at = now() - interval '61 minutes'")
        .execute(&app.db)
        .await
        .unwrap();

    fail(&app.client(), "other@example.com", 1).await;

    let mut keys: Vec<String> = sqlx::query_scalar("select key from auth_throttle")
        .fetch_all(&app.db)
        .await
        .unwrap();
    keys.sort();
    assert_eq!(
        keys,
        [
            "account:other@example.com",
            "address:127.0.0.1",
            "pair:127.0.0.1|other@example.com"
        ]
    );
}

#[tokio::test]
async fn two_servers_counting_at_once_check_exactly_six_passwords_before_the_pause() {
    let first = TestApp::with_demo().await;
    let second = TestApp::on(first.db.clone()).await;
    let mut tasks = tokio::task::JoinSet::new();
    for app in [&first, &second] {
        let client = Arc::new(app.client());
        let token = csrf_in(&client.get("/login").await.text().await.unwrap()).unwrap();
        for _ in 0..12 {
            let (client, token) = (client.clone(), token.clone());
            tasks.spawn(async move {
                let fields = [
                    ("csrf_token", token.as_str()),
                    ("email", "employee@example.com"),
                    ("password", "wrong-password"),
                ];
                client
                    .post_form_raw("/login", &fields)
                    .await
                    .status()
                    .as_u16()
            });
        }
    }
    let mut statuses = tasks.join_all().await;
    statuses.sort();

    // Six attempts pass the throttle; each is checked unless the server was too busy for it
    // at that instant (503, rare). The other eighteen are refused unchecked.
    let busy = statuses.iter().filter(|s| **s == 503).count() as i64;
    let checked = audited(&first.db, "auth.sign_in_failed").await;
    assert_eq!(checked + busy, 6, "six passed the throttle: {statuses:?}");
    let refused = statuses.iter().filter(|s| **s == 429).count();
    let told_no = statuses.iter().filter(|s| **s == 401).count();
    assert!(refused >= 18 && told_no <= 5, "{statuses:?}");
    if busy == 0 {
        assert_eq!((told_no, refused), (5, 19), "{statuses:?}");
        assert_eq!(
            audited(&first.db, "auth.sign_in_paused").await,
            1,
            "one pause"
        );
    }
    let failures = count(
        &first.db,
        "select failures::bigint from auth_throttle where key like 'pair:%'",
    )
    .await;
    assert_eq!(
        failures, 6,
        "attempts refused during the pause are not counted"
    );
}

#[tokio::test]
async fn with_password_sign_in_turned_off_every_password_page_is_off() {
    let on = TestApp::with_demo().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::for_tests();
    config.password_login = false;
    let off = TestApp::serve_on(on.db.clone(), config, listener).await;
    // Signed in earlier (before passwords were turned off), now on the server without them.
    let browser = on.signed_in("employee@example.com").await.on(off.url(""));

    let login = off.client().get("/login").await.text().await.unwrap();
    let account = browser.get("/account/password").await;
    let change = browser
        .submit(
            "/",
            "/account/password",
            &[
                ("current_password", "trellis-demo"),
                ("new_password", "a much longer password"),
                ("confirm_password", "a much longer password"),
            ],
        )
        .await;
    let api = browser
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/me/password",
            Some(serde_json::json!({
            "current_password": "trellis-demo", "new_password": "a much longer password",
            "confirm_password": "a much longer password" })),
        )
        .await;

    assert!(!login.contains("/login/forgot"), "no forgot link");
    assert_eq!(account.status(), 200);
    let html = account.text().await.unwrap();
    assert!(text_of(&html, "#no-password")
        .unwrap()
        .contains("turned off"));
    assert!(!html.contains("change-password"), "no form");
    assert_eq!(change.status(), 404);
    assert_eq!(api.status(), 404);
    assert_eq!(off.client().get("/login/forgot").await.status(), 404);
    assert_eq!(
        off.client().get("/login/reset/anything").await.status(),
        404
    );
    let forgot = browser
        .submit("/", "/login/forgot", &[("email", "employee@example.com")])
        .await;
    assert_eq!(forgot.status(), 404);
    let signin = browser
        .submit(
            "/",
            "/login",
            &[
                ("email", "employee@example.com"),
                ("password", "wrong-password"),
            ],
        )
        .await;
    assert_eq!(signin.status(), 403);
    assert_eq!(count(&on.db, "select count(*) from auth_throttle").await, 0);
    assert_eq!(
        count(&on.db, "select count(*) from password_reset_tokens").await,
        0
    );
}
