//! "Forgot your password?": a single-use link by email (to a real SMTP server), then a new
//! password with it.

use trellis::domain::secret::Secret;
use trellis::outbox::deliver_once;

use super::{audited, count, demo_app_with};
use crate::support::client::text_of;
use crate::support::smtp::SmtpSink;
use crate::support::{Client, TestApp};

const NEW: &str = "correct horse battery staple";
const SENT: &str = "If an account with that email can sign in with a password, we sent a link \
                    to choose a new password. It works for 60 minutes. Check your inbox.";

/// Ask for a link for `email`; the page's answer, once the background step that looks the
/// email up (and sends the link) has recorded the request.
pub(crate) async fn ask(app: &TestApp, client: &Client, email: &str) -> (u16, Option<String>) {
    let before = audited(&app.db, "auth.password_reset_requested").await;
    let r = client
        .submit("/login/forgot", "/login/forgot", &[("email", email)])
        .await;
    let status = r.status().as_u16();
    let answer = (status, text_of(&r.text().await.unwrap(), "#forgot-sent"));
    if status == 200 {
        wait_for_requests(app, before + 1).await;
    }
    answer
}

/// Wait (at most 10 s) until `n` requests for a link were recorded by the background step.
pub(crate) async fn wait_for_requests(app: &TestApp, n: i64) {
    for _ in 0..200 {
        if audited(&app.db, "auth.password_reset_requested").await >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the request for a link was not handled in the background");
}

/// The reset paths queued in the outbox, oldest first.
async fn queued_links(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "select link from outbox where idempotency_key like 'password_reset:%' order by id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// The link in a raw email, with quoted-printable soft line breaks undone.
fn link_in(mail: &str, public_url: &str) -> String {
    let joined = mail.replace("=\r\n", "").replace("=\n", "");
    let start = joined
        .find(&format!("{public_url}/login/reset/"))
        .unwrap_or_else(|| panic!("no reset link in {mail}"));
    joined[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || ":/.-_".contains(*c))
        .collect()
}

async fn choose(client: &Client, path: &str, new: &str, again: &str) -> reqwest::Response {
    client
        .submit(
            path,
            path,
            &[("new_password", new), ("confirm_password", again)],
        )
        .await
}

#[tokio::test]
async fn a_link_sent_through_a_real_smtp_server_sets_a_new_password_once_and_ends_every_session() {
    let sink = SmtpSink::start().await;
    let app = demo_app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", sink.port)));
        c.public_url = "https://trellis.example.com".into();
    })
    .await;
    let old_session = app.signed_in("employee@example.com").await;
    let browser = app.client();
    let login = browser.get("/login").await.text().await.unwrap();
    assert!(
        login.contains("href=\"/login/forgot\""),
        "the sign-in page links to it"
    );

    assert_eq!(
        ask(&app, &browser, "Employee@Example.com").await,
        (200, Some(SENT.into()))
    );
    assert_eq!(
        deliver_once(&app.state.db, &app.state.config)
            .await
            .unwrap(),
        1
    );
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.contains("Subject: Choose a new Trellis password"),
        "{mail}"
    );
    assert!(mail.contains("employee@example.com") && mail.contains("text/html"));
    let link = link_in(mail, "https://trellis.example.com");
    let path = link
        .trim_start_matches("https://trellis.example.com")
        .to_string();
    assert_eq!(
        path.len(),
        "/login/reset/".len() + 43,
        "32 random bytes: {path}"
    );
    let stored = count(&app.db, "select count(*) from password_reset_tokens
        where octet_length(token_hash) = 32 and expires_at between now() + interval '59 minutes' and now() + interval '60 minutes'").await;
    assert_eq!(stored, 1, "only the hash is stored, for an hour");

    let form = browser.get(&path).await;
    assert_eq!(form.status(), 200);
    assert_eq!(form.headers()["referrer-policy"], "no-referrer");
    let done = choose(&browser, &path, NEW, NEW).await;

    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/login?reset=1");
    let notice = browser.get("/login?reset=1").await.text().await.unwrap();
    assert!(text_of(&notice, "#login-notice")
        .unwrap()
        .contains("Your password was changed"));
    assert_eq!(
        old_session.get("/").await.status(),
        303,
        "every session ended"
    );
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
    assert_eq!(audited(&app.db, "auth.password_reset").await, 1);
    // Single use.
    let again = browser.get(&path).await;
    assert_eq!(again.status(), 410);
    let html = again.text().await.unwrap();
    assert!(text_of(&html, "#reset-invalid")
        .unwrap()
        .contains("used already or has expired"));
    assert!(
        html.contains("href=\"/login/forgot\""),
        "a way to ask again"
    );
    let token = browser.csrf_token_from("/login/forgot").await;
    let replay = browser
        .post_form_raw(
            &path,
            &[
                ("csrf_token", token.as_str()),
                ("new_password", "another long password"),
                ("confirm_password", "another long password"),
            ],
        )
        .await;
    assert_eq!(replay.status(), 410);
    assert_eq!(
        app.client()
            .sign_in("employee@example.com", NEW)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn nobody_learns_who_has_an_account_and_only_people_with_a_password_get_a_link() {
    let sink = SmtpSink::start().await;
    let app = demo_app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", sink.port)))
    })
    .await;
    sqlx::query(
        "update people set employment_status = 'terminated', terminated_on = current_date
         where email = 'manager@example.com'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let sso_only: String = sqlx::query_scalar(
        "select email from people where password_hash is null and employment_status = 'active' limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();

    for email in [
        "nobody@example.com",
        "manager@example.com",
        sso_only.as_str(),
    ] {
        assert_eq!(
            ask(&app, &app.client(), email).await,
            (200, Some(SENT.into())),
            "{email}"
        );
    }

    assert_eq!(
        deliver_once(&app.state.db, &app.state.config)
            .await
            .unwrap(),
        0
    );
    assert!(
        sink.messages().is_empty(),
        "the terminated person gets no email"
    );
    assert_eq!(
        count(&app.db, "select count(*) from password_reset_tokens").await,
        0
    );
}

#[tokio::test]
async fn at_most_three_links_an_hour_are_sent_to_one_person_and_the_answer_stays_the_same() {
    let app = TestApp::with_demo().await;
    for _ in 0..5 {
        assert_eq!(
            ask(&app, &app.client(), "employee@example.com").await,
            (200, Some(SENT.into()))
        );
    }
    assert_eq!(queued_links(&app).await.len(), 3);

    sqlx::query("update password_reset_tokens set created_at = now() - interval '61 minutes'")
        .execute(&app.db)
        .await
        .unwrap();
    ask(&app, &app.client(), "employee@example.com").await;
    assert_eq!(queued_links(&app).await.len(), 4, "an hour later, one more");
    assert_eq!(audited(&app.db, "auth.password_reset_requested").await, 6);
}

#[tokio::test]
async fn an_expired_or_unknown_link_says_so_and_offers_a_new_one() {
    let app = TestApp::with_demo().await;
    ask(&app, &app.client(), "employee@example.com").await;
    let path = queued_links(&app).await.remove(0);
    sqlx::query(
        "update password_reset_tokens set created_at = now() - interval '61 minutes',
             expires_at = now() - interval '1 minute'",
    )
    .execute(&app.db)
    .await
    .unwrap();

    let expired = app.client().get(&path).await;
    let unknown = app.client().get("/login/reset/not-a-token-we-sent").await;

    assert_eq!(expired.status(), 410);
    assert_eq!(unknown.status(), 404);
    let html = unknown.text().await.unwrap();
    assert!(text_of(&html, "#reset-invalid")
        .unwrap()
        .contains("not one Trellis sent"));
    assert_eq!(
        text_of(&html, "#ask-again").as_deref(),
        Some("Ask for a new link")
    );
}

#[tokio::test]
async fn the_new_password_follows_the_same_rules_and_a_refused_one_keeps_the_link_working() {
    let app = TestApp::with_demo().await;
    ask(&app, &app.client(), "employee@example.com").await;
    let path = queued_links(&app).await.remove(0);
    let browser = app.client();
    let cases = [
        (
            "short",
            "short",
            "new_password",
            "Use at least 12 characters.",
        ),
        (
            "employee@example.com",
            "employee@example.com",
            "new_password",
            "Your email address cannot be your password.",
        ),
        (
            NEW,
            "something else entirely",
            "confirm_password",
            "The two new passwords are not the same.",
        ),
        (
            "trellis-demo",
            "trellis-demo",
            "new_password",
            "The new password is your current one.",
        ),
    ];
    for (new, again, field, message) in cases {
        let r = choose(&browser, &path, new, again).await;
        assert_eq!(r.status(), 422, "{message}");
        let html = r.text().await.unwrap();
        let shown = text_of(&html, &format!("#{field}-error")).unwrap();
        assert!(shown.starts_with(message), "{shown}");
    }
    assert_eq!(choose(&browser, &path, NEW, NEW).await.status(), 303);
}

#[tokio::test]
async fn a_new_password_from_a_link_lifts_a_sign_in_lock() {
    let app = TestApp::with_demo().await;
    for _ in 0..10 {
        app.client()
            .sign_in("employee@example.com", "wrong-password")
            .await;
    }
    ask(&app, &app.client(), "employee@example.com").await;
    let path = queued_links(&app).await.remove(0);

    assert_eq!(choose(&app.client(), &path, NEW, NEW).await.status(), 303);

    assert_eq!(
        app.client()
            .sign_in("employee@example.com", NEW)
            .await
            .status(),
        303
    );
}
