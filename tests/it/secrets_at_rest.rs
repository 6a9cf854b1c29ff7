//! Secrets that must not sit in the database in clear: a password reset link once its email
//! is sent (or once it expired unsent), and a personal chat webhook URL in the audit trail
//! that HR and read tokens see.

use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use tokio::net::TcpListener;
use trellis::config::Config;
use trellis::domain::secret::Secret;
use trellis::outbox::deliver_once;

use crate::account_security::reset::ask;
use crate::support::smtp::SmtpSink;
use crate::support::{count, fresh_database, TestApp};
use crate::tokens::{bearer, token};

async fn app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests();
    configure(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    TestApp::serve_on(fresh_database(true).await, config, listener).await
}

/// Rows of `table` whose text (every column) contains `needle`.
async fn rows_containing(db: &PgPool, table: &str, needle: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "select count(*) from {table} t where strpos(t::text, $1) > 0"
    ))
    .bind(needle)
    .fetch_one(db)
    .await
    .unwrap()
}

/// The token of the reset link in a raw email (quoted-printable soft breaks undone).
fn token_in(mail: &str) -> String {
    let joined = mail.replace("=\r\n", "").replace("=\n", "");
    let start = joined.find("/login/reset/").expect("a reset link") + "/login/reset/".len();
    joined[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c))
        .collect()
}

#[tokio::test]
async fn no_reset_token_is_left_in_the_outbox_or_the_audit_log_after_delivery() {
    let sink = SmtpSink::start().await;
    let app = app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", sink.port)));
    })
    .await;
    // The request is answered first and handled in the background: wait for it.
    let (status, _) = ask(&app, &app.client(), "employee@example.com").await;
    assert_eq!(status, 200);
    assert_eq!(deliver_once(&app.db, &app.state.config).await.unwrap(), 1);
    let mails = sink.messages();
    let token = token_in(&mails[0]);
    assert_eq!(token.len(), 43, "{token}");

    assert_eq!(rows_containing(&app.db, "outbox", &token).await, 0);
    assert_eq!(rows_containing(&app.db, "audit_log", &token).await, 0);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from outbox where secret and sent_at is not null and link is null"
        )
        .await,
        1,
        "the sent row is kept (for the record), its link is not"
    );
    // The link still works: only the stored copy went.
    let form = app.client().get(&format!("/login/reset/{token}")).await;
    assert_eq!(form.status(), 200);
}

#[tokio::test]
async fn a_reset_link_that_expired_before_it_could_be_sent_is_cleared_not_sent() {
    let sink = SmtpSink::start().await;
    let app = app_with(|c| {
        c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{}", sink.port)));
    })
    .await;
    ask(&app, &app.client(), "employee@example.com").await;
    // The mail server was down for longer than the link works.
    sqlx::query("update outbox set created_at = now() - interval '61 minutes'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(deliver_once(&app.db, &app.state.config).await.unwrap(), 0);
    assert!(sink.messages().is_empty());
    assert_eq!(
        count(
            &app.db,
            "select count(*) from outbox where link like '/login/reset/%' or sent_at is null"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn hr_and_read_tokens_never_see_a_personal_webhook_url_in_the_audit_trail() {
    let app = app_with(|c| c.chat_webhook_hosts = vec!["hooks.slack.com".into()]).await;
    let url = "https://hooks.slack.com/services/T0SECRET/B0SECRET/s3cr3tPathXYZW";
    let employee = app.signed_in("employee@example.com").await;
    let r = employee
        .send_json(
            Method::PUT,
            "/api/v1/me/notification-preferences",
            Some(json!({"email_enabled": true, "email_mode": "immediate",
                        "chat_enabled": true, "chat_webhook_url": url})),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // The owner still sees their own webhook.
    let mine = employee
        .get_json("/api/v1/me/notification-preferences")
        .await
        .text()
        .await
        .unwrap();
    assert!(mine.contains(url), "{mine}");

    assert_eq!(rows_containing(&app.db, "audit_log", "T0SECRET").await, 0);
    assert_eq!(rows_containing(&app.db, "audit_log", "s3cr3t").await, 0);
    let redacted = count(
        &app.db,
        "select count(*) from audit_log where action = 'notification_preferences.update'
           and details #>> '{after,chat_webhook_url}' = 'hooks.slack.com/…XYZW'",
    )
    .await;
    assert_eq!(
        redacted, 1,
        "the trail says which host, and enough to tell two apart"
    );

    let hr = app.signed_in("hr@example.com").await;
    for body in [
        hr.get_json("/api/v1/hr/audit").await.text().await.unwrap(),
        hr.get("/hr/audit").await.text().await.unwrap(),
    ] {
        assert!(
            !body.contains("T0SECRET") && !body.contains("s3cr3t"),
            "{body}"
        );
    }
    let (_, secret) = token(&app, &["read"]).await;
    let body = bearer(&app, Method::GET, "/api/v1/hr/audit", &secret)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !body.contains("T0SECRET") && !body.contains("s3cr3t"),
        "{body}"
    );
}
