//! Single sign-on with OpenID Connect, end to end: the real app, a real OpenID provider
//! (panva/oidc-provider under node, `tests/oidc/provider.mjs`) on loopback, and a cookie-keeping
//! client that follows redirects like a browser.

use reqwest::redirect::Policy;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use trellis::config::Config;
use trellis::domain::secret::Secret;
use uuid::Uuid;

use crate::support::oidc::{TestProvider, CLIENT_ID, CLIENT_SECRET};
use crate::support::{fresh_database, TestApp};

pub(crate) const IDP_PASSWORD: &str = "correct horse battery staple";

/// The app configured for single sign-on against a fresh provider that knows `accounts`.
pub(crate) async fn sso_app(
    db: sqlx::PgPool,
    accounts: Value,
    tweak: impl FnOnce(&mut Config),
) -> (TestApp, TestProvider) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let provider = TestProvider::start(&format!("{base}/login/oidc/callback"), accounts).await;
    let mut config = Config::for_tests();
    config.public_url = base;
    config.oidc_issuer_url = Some(provider.issuer.clone());
    config.oidc_client_id = Some(CLIENT_ID.into());
    config.oidc_client_secret = Some(Secret::new(CLIENT_SECRET));
    config.oidc_provider_name = "Acme ID".into();
    tweak(&mut config);
    (TestApp::serve_on(db, config, listener).await, provider)
}

pub(crate) fn account(sub: &str, email: &str, verified: bool) -> Value {
    json!({ "sub": sub, "email": email, "password": IDP_PASSWORD, "email_verified": verified,
            "name": "Robin Ashdown", "given_name": "Robin", "family_name": "Ashdown" })
}

/// A browser: keeps cookies for both servers and follows redirects.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::limited(10))
        .build()
        .unwrap()
}

/// A browser that stops just before the provider sends it back to Trellis.
fn browser_stopping_at_callback() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::custom(|attempt| {
            if attempt.url().path() == "/login/oidc/callback" {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .unwrap()
}

/// Click "Sign in with Acme ID", then fill in the provider's own sign-in form. Returns the
/// response after the provider's answer (where the client's redirect policy left it).
async fn sign_in_through_provider(
    client: &reqwest::Client,
    app: &TestApp,
    provider: &TestProvider,
    email: &str,
) -> reqwest::Response {
    let login = client
        .get(app.url("/login/oidc?next=/applications"))
        .send()
        .await
        .unwrap();
    assert!(
        login.url().as_str().starts_with(&provider.issuer),
        "the sign-in goes to the identity provider, got {}",
        login.url()
    );
    let html = login.text().await.unwrap();
    let action = scraper::Html::parse_document(&html)
        .select(&scraper::Selector::parse("form").unwrap())
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .expect("the provider shows its sign-in form");
    client
        .post(format!("{}{action}", provider.issuer))
        .form(&[("email", email), ("password", IDP_PASSWORD)])
        .send()
        .await
        .unwrap()
}

async fn sessions(db: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from sessions")
        .fetch_one(db)
        .await
        .unwrap()
}

async fn person_id(db: &sqlx::PgPool, email: &str) -> Option<Uuid> {
    sqlx::query_scalar("select id from people where lower(email) = lower($1)")
        .bind(email)
        .fetch_optional(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_employee_signs_in_through_the_identity_provider_and_is_found_by_email() {
    let db = fresh_database(true).await;
    let employee = person_id(&db, "employee@example.com").await.unwrap();
    let (app, provider) = sso_app(
        db,
        json!([account("acme-1", "Employee@Example.com", true)]),
        |_| {},
    )
    .await;

    let sign_in_page = app.client().get("/login").await.text().await.unwrap();
    assert!(sign_in_page.contains("Sign in with Acme ID"));

    let client = browser();
    let landed = sign_in_through_provider(&client, &app, &provider, "Employee@Example.com").await;
    assert_eq!(landed.status(), 200);
    assert_eq!(landed.url().as_str(), app.url("/applications"));
    assert!(landed.text().await.unwrap().contains("My applications"));

    let linked: Uuid = sqlx::query_scalar(
        "select person_id from person_identities where issuer = $1 and subject = 'acme-1'",
    )
    .bind(&provider.issuer)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(linked, employee);
    let how: Value = sqlx::query_scalar(
        "select details from audit_log where action = 'auth.sign_in' and actor_id = $1
         order by id desc limit 1",
    )
    .bind(employee)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(how["method"], "oidc");
    assert_eq!(how["created"], false);

    // HR changes the email in Trellis: the linked account still finds the same person.
    sqlx::query("update people set email = 'e.renamed@example.com' where id = $1")
        .bind(employee)
        .execute(&app.db)
        .await
        .unwrap();
    let again = browser();
    let landed = sign_in_through_provider(&again, &app, &provider, "Employee@Example.com").await;
    assert_eq!(landed.url().as_str(), app.url("/applications"));
    let me: Value = again
        .get(app.url("/api/v1/me"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "e.renamed@example.com", "{me}");
}

#[tokio::test]
async fn someone_not_in_trellis_is_refused_unless_creating_people_is_allowed() {
    let db = fresh_database(true).await;
    let newcomer = json!([account("acme-77", "robin.ashdown@example.com", true)]);

    let (closed, provider) = sso_app(db.clone(), newcomer.clone(), |_| {}).await;
    let refused =
        sign_in_through_provider(&browser(), &closed, &provider, "robin.ashdown@example.com").await;
    assert_eq!(refused.status(), 403);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("No one in Trellis has the email robin.ashdown@example.com"));
    assert_eq!(person_id(&db, "robin.ashdown@example.com").await, None);

    let (open, provider) = sso_app(db.clone(), newcomer, |c| c.oidc_create_users = true).await;
    let landed =
        sign_in_through_provider(&browser(), &open, &provider, "robin.ashdown@example.com").await;
    assert_eq!(landed.status(), 200);
    assert_eq!(landed.url().as_str(), open.url("/applications"));
    let created = sqlx::query!(
        "select p.display_name, p.given_name, p.family_name, p.employment_status,
                (select count(*) from audit_log a where a.action = 'person.create'
                   and a.entity_id = p.id::text and a.details->>'source' = 'oidc') as \"audits!\"
         from people p where p.email = 'robin.ashdown@example.com'"
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(created.display_name, "Robin Ashdown");
    assert_eq!(
        (created.given_name.as_str(), created.family_name.as_str()),
        ("Robin", "Ashdown")
    );
    assert_eq!(created.employment_status, "active");
    assert_eq!(created.audits, 1);
}

#[tokio::test]
async fn unverified_emails_and_people_who_left_cannot_sign_in() {
    let db = fresh_database(true).await;
    sqlx::query(
        "update people set employment_status = 'terminated', terminated_on = current_date
         where email = 'manager@example.com'",
    )
    .execute(&db)
    .await
    .unwrap();
    let accounts = json!([
        account("acme-2", "employee@example.com", false),
        account("acme-3", "manager@example.com", true),
    ]);
    let (app, provider) = sso_app(db, accounts, |c| c.oidc_create_users = true).await;

    let cases = [
        (
            "employee@example.com",
            "says the email employee@example.com is not verified",
        ),
        ("manager@example.com", "no longer active"),
    ];
    for (email, message) in cases {
        let refused = sign_in_through_provider(&browser(), &app, &provider, email).await;
        assert_eq!(refused.status(), 403, "{email}");
        assert!(
            refused.text().await.unwrap().contains(message),
            "{email}: {message}"
        );
    }
    let links: i64 = sqlx::query_scalar("select count(*) from person_identities")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(links, 0, "a refused sign-in links nothing");
}

#[tokio::test]
async fn the_providers_answer_works_once_and_only_in_the_browser_that_asked() {
    let db = fresh_database(true).await;
    let (app, provider) = sso_app(
        db,
        json!([account("acme-1", "employee@example.com", true)]),
        |_| {},
    )
    .await;
    let asker = browser_stopping_at_callback();
    let answer = sign_in_through_provider(&asker, &app, &provider, "employee@example.com").await;
    assert!(answer.status().is_redirection());
    let callback = answer.headers()["location"].to_str().unwrap().to_string();
    assert!(
        callback.starts_with(&app.url("/login/oidc/callback?")),
        "{callback}"
    );

    // Another browser (an attacker who captured the URL, or a forged sign-in link) is refused.
    let other = browser();
    let stolen = other.get(&callback).send().await.unwrap();
    assert_eq!(stolen.status(), 400);
    assert!(stolen
        .text()
        .await
        .unwrap()
        .contains("started in another browser"));

    let finished = asker.get(&callback).send().await.unwrap();
    assert_eq!(finished.status(), 200);
    assert_eq!(finished.url().as_str(), app.url("/applications"));

    // The same answer again does not sign anyone in a second time.
    let replayed = browser_stopping_at_callback();
    let replay = replayed.get(&callback).send().await.unwrap();
    assert_eq!(replay.status(), 400);
    let sessions = sessions(&app.db).await;
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn a_wrong_client_secret_or_an_unreachable_provider_is_explained() {
    let db = fresh_database(true).await;
    let accounts = json!([account("acme-1", "employee@example.com", true)]);
    let (app, provider) = sso_app(db.clone(), accounts, |c| {
        c.oidc_client_secret = Some(Secret::new("not-the-secret"))
    })
    .await;
    let refused =
        sign_in_through_provider(&browser(), &app, &provider, "employee@example.com").await;
    assert_eq!(refused.status(), 401);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("did not confirm who you are"));

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut config = Config::for_tests();
    config.oidc_issuer_url = Some(format!("http://127.0.0.1:{closed_port}"));
    config.oidc_client_id = Some(CLIENT_ID.into());
    config.oidc_client_secret = Some(Secret::new(CLIENT_SECRET));
    let down = TestApp::serve_on(db, config, TcpListener::bind("127.0.0.1:0").await.unwrap()).await;
    let page = browser().get(down.url("/login/oidc")).send().await.unwrap();
    assert_eq!(page.status(), 502);
    assert!(page.text().await.unwrap().contains("cannot be reached"));
}

#[tokio::test]
async fn password_sign_in_can_be_turned_off() {
    let db = fresh_database(true).await;
    let (app, _provider) = sso_app(db, json!([]), |c| c.password_login = false).await;

    let plain = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let page = plain.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("trellis_login_csrf="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("the sign-in page sets its CSRF cookie");
    let html = page.text().await.unwrap();
    assert!(html.contains("Sign in with Acme ID"));
    assert!(
        !html.contains("type=\"password\""),
        "no password field is offered"
    );

    let token = csrf_cookie.split_once('=').unwrap().1.to_string();
    let refused = plain
        .post(app.url("/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "employee@example.com"),
            ("password", trellis::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused
        .headers()
        .get("set-cookie")
        .is_none_or(|c| !c.to_str().unwrap().starts_with("trellis_session=")));
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("Signing in with a password is turned off"));
    let sessions = sessions(&app.db).await;
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn an_answer_naming_another_issuer_is_refused() {
    let db = fresh_database(true).await;
    let (app, provider) = sso_app(
        db,
        json!([account("acme-1", "employee@example.com", true)]),
        |_| {},
    )
    .await;
    let client = browser_stopping_at_callback();
    let answer = sign_in_through_provider(&client, &app, &provider, "employee@example.com").await;
    let callback = answer.headers()["location"].to_str().unwrap().to_string();
    let mut url = reqwest::Url::parse(&callback).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "iss" {
                "https://evil.example".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    assert!(
        pairs.iter().any(|(k, _)| k == "iss"),
        "the provider names itself (RFC 9207)"
    );
    url.query_pairs_mut().clear().extend_pairs(pairs);

    let refused = client.get(url).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("another identity provider"));
    let sessions = sessions(&app.db).await;
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn hr_unlinks_an_account_and_only_hr_may() {
    let db = fresh_database(true).await;
    let employee = person_id(&db, "employee@example.com").await.unwrap();
    let (app, provider) = sso_app(
        db,
        json!([account("acme-1", "employee@example.com", true)]),
        |_| {},
    )
    .await;
    sign_in_through_provider(&browser(), &app, &provider, "employee@example.com").await;
    let links = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from person_identities where person_id = $1")
            .bind(employee)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(links().await, 1);

    let record = format!("/hr/people/{employee}");
    let manager = app.signed_in("manager@example.com").await;
    let path = format!(
        "/api/v1/hr/people/{employee}/identities?issuer={}",
        provider.issuer
    );
    let refused = manager
        .send_json(reqwest::Method::DELETE, &path, None)
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(links().await, 1);

    let hr = app.signed_in("hr@example.com").await;
    let page = hr.get(&record).await.text().await.unwrap();
    assert!(
        page.contains(&provider.issuer),
        "HR sees the linked account"
    );
    let unlinked = hr
        .submit(
            &record,
            &format!("{record}/identities/unlink"),
            &[("issuer", provider.issuer.as_str())],
        )
        .await;
    assert_eq!(unlinked.status(), 303);
    assert_eq!(links().await, 0);
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'auth.identity_unlinked' and entity_id = $1",
    )
    .bind(employee.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let again = hr.send_json(reqwest::Method::DELETE, &path, None).await;
    assert_eq!(again.status(), 404, "nothing left to unlink");

    // The next sign-in finds the person by email and links the account again.
    let landed =
        sign_in_through_provider(&browser(), &app, &provider, "employee@example.com").await;
    assert_eq!(landed.url().as_str(), app.url("/applications"));
    assert_eq!(links().await, 1);
}
