//! Notifications out: the outbox delivers email to a real SMTP server (Python's aiosmtpd,
//! started here) and chat to a real webhook (a tiny axum server), durably and exactly once.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use sqlx::PgPool;
use trellis::config::Config;
use trellis::db::notifications::{notify, NewNotification};
use trellis::domain::secret::Secret;
use trellis::outbox::deliver_once;
use trellis::AppState;
use uuid::Uuid;

use crate::support::fresh_database;
use crate::support::smtp::SmtpSink;

/// A chat webhook that records (Idempotency-Key, text) and answers with `status`.
#[derive(Clone, Default)]
struct Hook {
    received: Arc<Mutex<Vec<(String, String)>>>,
    failing: Arc<Mutex<bool>>,
}

impl Hook {
    async fn start(&self) -> String {
        let hook = self.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(
                move |headers: HeaderMap, body: axum::Json<serde_json::Value>| {
                    let hook = hook.clone();
                    async move {
                        if *hook.failing.lock().unwrap() {
                            return StatusCode::INTERNAL_SERVER_ERROR;
                        }
                        let key = headers["idempotency-key"].to_str().unwrap().to_string();
                        hook.received
                            .lock()
                            .unwrap()
                            .push((key, body["text"].as_str().unwrap().to_string()));
                        StatusCode::OK
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        format!("http://{addr}/hook")
    }
    fn keys(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(k, _)| k.clone())
            .collect()
    }
}

async fn state(db: &PgPool, smtp_port: Option<u16>) -> AppState {
    let mut config = Config::for_tests();
    config.smtp_url = smtp_port.map(|p| Secret::new(format!("smtp://127.0.0.1:{p}")));
    config.mail_from = "Trellis <trellis@example.com>".into();
    config.public_url = "https://trellis.example.com".into();
    AppState::start(db.clone(), config).await.unwrap()
}

async fn person(db: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("select id from people where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn tell(db: &PgPool, who: Uuid, title: &str) {
    notify(
        db,
        &NewNotification {
            person_id: who,
            kind: "test",
            title,
            body: "Something <happened> & more",
            link: Some("/applications"),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .expect("created");
}

async fn pending(db: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from outbox where sent_at is null")
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_notification_is_emailed_once_through_a_real_smtp_server_with_text_and_html() {
    let db = fresh_database(true).await;
    let sink = SmtpSink::start().await;
    let app = state(&db, Some(sink.port)).await;
    let employee = person(&db, "employee@example.com").await;

    tell(&db, employee, "Your application moved to interviewing").await;
    let first = deliver_once(&app.db, &app.config).await.unwrap();
    let second = deliver_once(&app.db, &app.config).await.unwrap();

    assert_eq!((first, second), (1, 0));
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.contains("Subject: Your application moved to interviewing"),
        "{mail}"
    );
    assert!(mail.contains("To: ") && mail.contains("employee@example.com"));
    assert!(mail.contains("text/plain") && mail.contains("text/html"));
    assert!(
        mail.contains("Something &lt;happened&gt; &amp; more"),
        "the HTML body is escaped"
    );
    assert!(mail.contains("https://trellis.example.com/applications"));
    assert!(mail.contains("Message-ID: <email."));
    assert_eq!(pending(&db).await, 0);
}

#[tokio::test]
async fn a_daily_digest_collects_a_days_notifications_into_one_email_after_the_day() {
    let db = fresh_database(true).await;
    let sink = SmtpSink::start().await;
    let app = state(&db, Some(sink.port)).await;
    let employee = person(&db, "employee@example.com").await;
    sqlx::query(
        "insert into notification_preferences (person_id, email_mode) values ($1, 'daily_digest')",
    )
    .bind(employee)
    .execute(&db)
    .await
    .unwrap();

    tell(&db, employee, "First news").await;
    tell(&db, employee, "Second news").await;
    assert_eq!(
        deliver_once(&app.db, &app.config).await.unwrap(),
        0,
        "today's digest waits for the day to end"
    );
    sqlx::query("update outbox set digest_date = current_date - 1")
        .execute(&db)
        .await
        .unwrap();
    let sent = deliver_once(&app.db, &app.config).await.unwrap();

    assert_eq!(sent, 2);
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("Your Trellis digest for"));
    assert!(mails[0].contains("First news") && mails[0].contains("Second news"));
    assert_eq!(pending(&db).await, 0);
}

async fn chat_person(db: &PgPool, url: &str) -> Uuid {
    let who = person(db, "employee@example.com").await;
    sqlx::query("insert into notification_preferences (person_id, email_enabled, chat_enabled, chat_webhook_url)
                 values ($1, false, true, $2)").bind(who).bind(url).execute(db).await.unwrap();
    who
}

#[tokio::test]
async fn the_outbox_survives_a_restart_and_concurrent_workers_without_sending_anything_twice() {
    let db = fresh_database(true).await;
    let hook = Hook::default();
    let who = chat_person(&db, &hook.start().await).await;
    for i in 0..30 {
        tell(&db, who, &format!("News {i}")).await;
    }

    let before = state(&db, None).await;
    assert_eq!(
        deliver_once(&before.db, &before.config).await.unwrap(),
        20,
        "one batch, then the server stops"
    );
    drop(before);
    let (a, b) = (state(&db, None).await, state(&db, None).await);
    let (x, y) = tokio::join!(
        deliver_once(&a.db, &a.config),
        deliver_once(&b.db, &b.config)
    );

    assert_eq!(x.unwrap() + y.unwrap(), 10);
    let mut keys = hook.keys();
    assert_eq!(keys.len(), 30);
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 30, "every message arrived exactly once");
    assert_eq!(pending(&db).await, 0);
    assert!(hook.received.lock().unwrap()[0].1.starts_with("*News"));
}

#[tokio::test]
async fn a_failing_webhook_is_retried_later_with_backoff_and_nothing_is_lost() {
    let db = fresh_database(true).await;
    let hook = Hook::default();
    let who = chat_person(&db, &hook.start().await).await;
    *hook.failing.lock().unwrap() = true;
    tell(&db, who, "Retry me").await;
    let app = state(&db, None).await;

    assert_eq!(deliver_once(&app.db, &app.config).await.unwrap(), 0);
    let (attempts, later, error): (i32, bool, String) = sqlx::query_as(
        "select attempts, next_attempt_at > now() + interval '20 seconds', last_error from outbox",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((attempts, later), (1, true));
    assert!(error.contains("500"), "{error}");
    assert_eq!(
        deliver_once(&app.db, &app.config).await.unwrap(),
        0,
        "not due yet"
    );

    *hook.failing.lock().unwrap() = false;
    sqlx::query("update outbox set next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(deliver_once(&app.db, &app.config).await.unwrap(), 1);
    assert_eq!(hook.keys().len(), 1);
}

#[tokio::test]
async fn a_notification_rolled_back_with_its_transaction_queues_nothing() {
    let db = fresh_database(true).await;
    let who = person(&db, "employee@example.com").await;
    let mut tx = db.begin().await.unwrap();
    notify(
        &mut *tx,
        &NewNotification {
            person_id: who,
            kind: "test",
            title: "t",
            body: "b",
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let inside: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.rollback().await.unwrap();

    assert_eq!(inside, 1, "email is on by default");
    let after: i64 = sqlx::query_scalar("select count(*) from outbox")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(after, 0);
}

#[tokio::test]
async fn a_person_chooses_the_daily_digest_through_the_api_and_new_email_waits_for_it() {
    let app = crate::support::TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    let bad = client.send_json(reqwest::Method::PUT, "/api/v1/me/notification-preferences",
        Some(serde_json::json!({ "email_enabled": true, "email_mode": "hourly", "chat_enabled": false }))).await;
    assert_eq!(bad.status(), 422);

    let ok = client.send_json(reqwest::Method::PUT, "/api/v1/me/notification-preferences",
        Some(serde_json::json!({ "email_enabled": true, "email_mode": "daily_digest", "chat_enabled": false }))).await;
    assert_eq!(ok.status(), 200);
    let who = person(&app.db, "employee@example.com").await;
    tell(&app.db, who, "Digest me").await;

    let (channel, today): (String, bool) =
        sqlx::query_as("select channel, digest_date = current_date from outbox")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((channel.as_str(), today), ("email", true));
    let shown: serde_json::Value = client
        .get_json("/api/v1/me/notification-preferences")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["email_mode"], "daily_digest");
}

#[tokio::test]
async fn a_personal_webhook_to_an_unlisted_host_is_refused_so_nobody_can_reach_internal_addresses()
{
    let app = crate::support::TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;

    let refused = client
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/me/notification-preferences",
            Some(serde_json::json!({ "email_enabled": true, "email_mode": "immediate",
                "chat_enabled": true, "chat_webhook_url": "http://169.254.169.254/latest/meta-data" })),
        )
        .await;

    assert_eq!(refused.status(), 422);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/chat_webhook_url");
    let who = person(&app.db, "employee@example.com").await;
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from notification_preferences where person_id = $1 and chat_webhook_url is not null",
    )
    .bind(who)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, 0, "nothing was saved");
}
