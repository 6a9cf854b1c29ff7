//! The server's edge, attacked from outside: open redirects through `next`, the CSRF token of
//! the upload form, demo sign-ins on a production install, security headers, slow clients
//! holding connections, and webhooks that redirect to internal addresses.

use reqwest::redirect::Policy;
use serde_json::json;

use crate::support::client::csrf_in;
use crate::support::TestApp;

/// `next` values that try to leave the site, as the attacker's link would carry them (already
/// encoded for a query string), with what they decode to in a comment.
const HOSTILE_NEXT: &[&str] = &[
    "/%09/evil.example", // "/\t/evil.example": browsers drop the tab and see //evil
    "/%0A/evil.example", // a line feed, dropped the same way
    "/%0D%0A/evil.example", // CR/LF: once a 500 (not a valid Location)
    "/%0D%0ASet-Cookie:%20a=b", // header injection
    "//evil.example",
    "/%5Cevil.example", // "/\evil.example": a backslash reads as a slash
    "/%5C%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example",
    "https:evil.example",
    "/%2F%2Fevil.example", // decodes to "///evil.example"
    "/..//evil.example",
    "javascript:alert(document.domain)",
    "%20//evil.example",
    "/%E2%80%A8//evil.example",
];

/// The target a browser would go to for `location` on the page at `base`, which must be on
/// the same host and port (the url crate parses as browsers do: tabs and newlines dropped,
/// backslashes read as slashes).
fn assert_stays_on_site(base: &str, location: &str, given: &str) {
    let base = url::Url::parse(base).unwrap();
    let target = base
        .join(location)
        .unwrap_or_else(|e| panic!("next={given}: Location {location:?} does not parse: {e}"));
    assert_eq!(
        (target.scheme(), target.host_str(), target.port()),
        (base.scheme(), base.host_str(), base.port()),
        "next={given} sent the browser to {target} (Location {location:?})"
    );
    assert!(
        location.starts_with('/') && !location.starts_with("//"),
        "next={given}: Location {location:?}"
    );
    assert!(
        !location.chars().any(|c| c.is_control() || c == '\\'),
        "next={given}: Location {location:?}"
    );
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location on a {} answer", response.status()))
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn hostile_next_values_on_the_sign_in_page_stay_on_the_site() {
    let app = TestApp::with_demo().await;
    let signed_in = app.signed_in("employee@example.com").await;
    for next in HOSTILE_NEXT {
        // A signed-in visitor is sent straight on to `next`.
        let response = signed_in.get(&format!("/login?next={next}")).await;
        assert_eq!(response.status(), 303, "GET /login?next={next}");
        assert_stays_on_site(&app.url("/login"), &location(&response), next);
    }
    // A local path with its query survives.
    let response = signed_in.get("/login?next=/profile%3Ftab%3Dskills").await;
    assert_eq!(location(&response), "/profile?tab=skills");
}

#[tokio::test]
async fn hostile_next_values_in_the_sign_in_form_stay_on_the_site() {
    let app = TestApp::with_demo().await;
    for next in [
        "/%09/evil.example",
        "/%0D%0A/evil.example",
        "/%5Cevil.example",
    ] {
        let client = app.client();
        let decoded: String = url::form_urlencoded::parse(format!("n={next}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        // The form as the sign-in page renders it for that link.
        let page = client.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("evil.example"),
            "next={next} is echoed: {html}"
        );
        let response = client
            .submit(
                "/login",
                "/login",
                &[
                    ("email", "employee@example.com"),
                    ("password", trellis::demo::DEMO_PASSWORD),
                    ("next", &decoded),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "POST /login next={next}");
        assert_stays_on_site(&app.url("/login"), &location(&response), next);
    }
}

#[tokio::test]
async fn hostile_next_values_through_single_sign_on_stay_on_the_site() {
    let db = crate::support::fresh_database(true).await;
    let (app, provider) = crate::sso::sso_app(db, json!([]), |_| {}).await;
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    for next in HOSTILE_NEXT {
        sqlx::query("delete from oidc_login_attempts")
            .execute(&app.db)
            .await
            .unwrap();
        let response = client
            .get(app.url(&format!("/login/oidc?next={next}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "GET /login/oidc?next={next}");
        assert!(
            location(&response).starts_with(&provider.issuer),
            "{}",
            location(&response)
        );
        // Where the browser goes once the provider sends it back.
        let kept: String = sqlx::query_scalar("select next_path from oidc_login_attempts")
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_stays_on_site(&app.url("/login/oidc/callback"), &kept, next);
    }
}

/// A multipart upload of a people CSV, with `csrf_token` as its first field when given.
fn import_body(token: Option<&str>, csv: &str) -> Vec<u8> {
    let mut body = String::new();
    if let Some(token) = token {
        body.push_str(&format!(
            "--B\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
        ));
    }
    body.push_str(&format!(
        "--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npeople\r\n--B\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--B--\r\n"
    ));
    body.into_bytes()
}

#[tokio::test]
async fn the_import_form_sends_its_csrf_token_in_the_body_not_the_address() {
    let app = TestApp::with_demo().await;
    let cookie = hr_session_cookie(&app).await;
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let html = http
        .get(app.url("/hr/import"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let form = doc
        .select(&scraper::Selector::parse("form[data-testid=import-form]").unwrap())
        .next()
        .expect("the import form");
    assert_eq!(
        form.value().attr("action"),
        Some("/hr/import"),
        "the token must not be in the form's URL"
    );
    let token = csrf_in(&form.html()).expect("a csrf_token field in the import form");

    let csv =
        "employee_id,email,given_name,family_name,hire_date\nX1,x1@example.com,X,One,2020-02-30\n";
    let post = |path: String, body: Vec<u8>| {
        http.post(app.url(&path))
            .header("cookie", &cookie)
            .header("accept", "text/html")
            .header("content-type", "multipart/form-data; boundary=B")
            .body(body)
            .send()
    };

    // The token as the browser sends it, the first field of the body: the upload runs.
    let response = post("/hr/import".into(), import_body(Some(&token), csv))
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/hr/import/jobs/"));

    // In the query string only, or missing, or wrong: refused.
    for (path, given) in [
        (format!("/hr/import?csrf_token={token}"), None),
        ("/hr/import".to_string(), None),
        ("/hr/import".to_string(), Some("not-the-token")),
    ] {
        let response = post(path.clone(), import_body(given, csv)).await.unwrap();
        assert_eq!(response.status(), 403, "{path} {given:?}");
    }
}

/// A fresh session for the demo HR admin, as a `Cookie` header value.
async fn hr_session_cookie(app: &TestApp) -> String {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let page = client.get(app.url("/login")).send().await.unwrap();
    let login_csrf = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("trellis_login_csrf="))
        .unwrap();
    let token = csrf_in(&page.text().await.unwrap()).unwrap();
    let response = client
        .post(app.url("/login"))
        .header("cookie", &login_csrf)
        .form(&[
            ("csrf_token", token.as_str()),
            ("email", "hr@example.com"),
            ("password", trellis::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("trellis_session="))
        .expect("a session cookie")
}

#[test]
fn serve_loads_the_demo_only_into_the_private_cluster_unless_asked() {
    use trellis::app::server::loads_demo;
    let mut config = trellis::config::Config::for_tests();
    config.no_demo = false;
    // `cargo run`: the private cluster, empty.
    assert!(loads_demo(&config, true, true));
    // A production install: DATABASE_URL, empty.
    assert!(!loads_demo(&config, false, true));
    // Never into a database that holds people.
    assert!(!loads_demo(&config, true, false));
    config.demo = true;
    assert!(loads_demo(&config, false, true));
    assert!(!loads_demo(&config, false, false));
    // --no-demo wins.
    config.no_demo = true;
    assert!(!loads_demo(&config, true, true));
    assert!(!loads_demo(&config, false, true));
}

#[tokio::test]
async fn serve_on_an_empty_database_url_database_loads_no_demo_company() {
    let Ok(server_url) = std::env::var("DATABASE_URL") else {
        eprintln!("skipped: needs DATABASE_URL (the serve binary is pointed at a test database)");
        return;
    };
    let db = crate::support::fresh_database(false).await;
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(&db)
        .await
        .unwrap();
    let mut url = url::Url::parse(&server_url).unwrap();
    url.set_path(&format!("/{name}"));
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("serve")
        .env("DATABASE_URL", url.as_str())
        .env("TRELLIS_ADDR", "127.0.0.1:0")
        .env_remove("TRELLIS_DEMO")
        .env_remove("TRELLIS_NO_DEMO")
        .env("TRELLIS_BACKGROUND_JOBS", "false")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the trellis binary runs");
    let stdout = child.stdout.take().unwrap();
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let mut printed = Vec::new();
    let running = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push(line.clone());
            if let Some(rest) = line.strip_prefix("Trellis is running at ") {
                return Some(rest.trim().to_string());
            }
        }
        None
    })
    .await
    .expect("serve starts within 60 s")
    .unwrap_or_else(|| panic!("serve stopped: {printed:?}"));
    let people = crate::support::count(&db, "select count(*) from people").await;
    let html = reqwest::get(format!("{running}login"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    child.kill().await.ok();
    assert_eq!(
        people, 0,
        "no demo company in a DATABASE_URL database: {printed:?}"
    );
    assert!(
        printed
            .iter()
            .any(|l| l.contains("No demo data was loaded")),
        "{printed:?}"
    );
    assert!(!html.contains("trellis-demo"), "{html}");
}

#[tokio::test]
async fn the_sign_in_page_shows_the_demo_sign_ins_only_while_they_exist() {
    let empty = TestApp::empty().await;
    let html = empty.client().get("/login").await.text().await.unwrap();
    assert!(!html.contains("trellis-demo"), "{html}");
    assert!(!html.contains("hr@example.com"), "{html}");

    let demo = TestApp::with_demo().await;
    let html = demo.client().get("/login").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"demo-sign-ins\""), "{html}");
    assert!(html.contains("trellis-demo"), "{html}");

    // HR renames the demo admin: the page stops offering a sign-in that is gone, on every
    // app server (each asks the database).
    sqlx::query("update people set email = 'hr-admin@example.com' where email = 'hr@example.com'")
        .execute(&demo.db)
        .await
        .unwrap();
    let second = TestApp::on(demo.db.clone()).await;
    let html = second.client().get("/login").await.text().await.unwrap();
    assert!(!html.contains("trellis-demo"), "second server: {html}");
    demo.state.demo_hint.refresh().await;
    let html = demo.client().get("/login").await.text().await.unwrap();
    assert!(!html.contains("trellis-demo"), "{html}");
}

/// The headers every answer carries.
fn assert_security_headers(response: &reqwest::Response, what: &str) {
    let h = response.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
}

fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_private_ones_are_not_stored() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let page = hr.get("/").await;
    assert_eq!(page.status(), 200);
    assert_security_headers(&page, "a signed-in page");
    assert_eq!(cache_control(&page), "no-store", "a signed-in page");
    assert!(!page.headers().contains_key("strict-transport-security"));
    let html = page.text().await.unwrap();
    let stylesheet = html
        .split("href=\"")
        .find_map(|s| s.split('"').next().filter(|h| h.starts_with("/static/")))
        .expect("the page links its stylesheet")
        .to_string();
    assert!(!html.contains(" style=\""), "an inline style attribute");

    let api = hr.get_json("/api/v1/home").await;
    assert_eq!(api.status(), 200);
    assert_security_headers(&api, "an API answer");
    assert_eq!(cache_control(&api), "no-store", "an API answer");

    let export = hr.get("/api/v1/exports/people.csv").await;
    assert_eq!(export.status(), 200);
    assert_security_headers(&export, "an export");
    assert_eq!(cache_control(&export), "no-store", "an export");

    let login = app.client().get("/login").await;
    assert_security_headers(&login, "the sign-in page");
    let missing = app.client().get("/no-such-page").await;
    assert_eq!(missing.status(), 404);
    assert_security_headers(&missing, "a 404");
    assert_eq!(cache_control(&missing), "no-store");

    let css = app.client().get(&stylesheet).await;
    assert_eq!(css.status(), 200, "{stylesheet}");
    assert_security_headers(&css, "a static file");
    assert!(
        cache_control(&css).contains("immutable"),
        "static files stay cacheable: {}",
        cache_control(&css)
    );
}

#[tokio::test]
async fn hsts_is_sent_when_trellis_is_served_over_https() {
    let mut config = trellis::config::Config::for_tests();
    config.public_url = "https://trellis.example.com".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = TestApp::serve_on(
        crate::support::fresh_database(false).await,
        config,
        listener,
    )
    .await;
    let response = app.client().get("/login").await;
    let hsts = response.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="), "{hsts}");
    assert_security_headers(&response, "the sign-in page over https");
}

/// A client that sends half a request's headers and then stalls (slowloris).
async fn stalled_client(addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /login HTTP/1.1\r\nHost: trellis\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

/// Whether the server closes `stream` within `within` (it may answer 408 first).
async fn closed_within(mut stream: tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    matches!(
        tokio::time::timeout(within, stream.read_to_end(&mut buf)).await,
        Ok(Ok(_)) | Ok(Err(_))
    )
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_do_not_lock_anyone_out() {
    use std::time::{Duration, Instant};
    let mut config = trellis::config::Config::for_tests();
    config.header_timeout_secs = 1;
    config.max_connections = 40;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = TestApp::serve_on(
        crate::support::fresh_database(false).await,
        config,
        listener,
    )
    .await;

    // 30 slow clients hang; a normal request is answered while they do.
    let mut slow = Vec::new();
    for _ in 0..30 {
        slow.push(stalled_client(app.addr).await);
    }
    let started = Instant::now();
    let response = app.client().get("/login").await;
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "a normal request waited {:?} behind slow clients",
        started.elapsed()
    );
    // Each is cut off after the header timeout (1 s here).
    let deadline = Instant::now() + Duration::from_secs(4);
    let mut closed = Vec::new();
    for stream in slow {
        let left = deadline.saturating_duration_since(Instant::now());
        closed.push(closed_within(stream, left).await);
    }
    assert!(
        closed.iter().all(|c| *c),
        "{} of 30 slow clients were still connected after 4 s",
        closed.iter().filter(|c| !**c).count()
    );

    // As many slow clients as the server serves at once: a normal request waits for a free
    // connection (the slow ones are cut off after 1 s) instead of never being accepted.
    let mut slow = Vec::new();
    for _ in 0..40 {
        slow.push(stalled_client(app.addr).await);
    }
    let started = Instant::now();
    let response = tokio::time::timeout(Duration::from_secs(5), app.client().get("/login"))
        .await
        .expect("a normal request is served once the slow clients are cut off");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(slow);
}

/// A server on loopback that records every request it gets, whatever the method and path.
async fn recording_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = seen.clone();
    let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
        let kept = kept.clone();
        async move {
            kept.lock()
                .unwrap()
                .push(format!("{} {}", req.method(), req.uri()));
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

/// A server on loopback that answers every request with `status` and `Location: target`.
async fn redirecting_server(status: u16, target: String) -> String {
    let app = axum::Router::new().fallback(move || {
        let target = target.clone();
        async move {
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [(axum::http::header::LOCATION, target)],
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The demo employee with chat on through `url` and one notification waiting for it.
async fn chat_waiting(db: &sqlx::PgPool, url: &str) {
    let who: uuid::Uuid =
        sqlx::query_scalar("select id from people where email = 'employee@example.com'")
            .fetch_one(db)
            .await
            .unwrap();
    sqlx::query(
        "insert into notification_preferences (person_id, email_enabled, chat_enabled, chat_webhook_url)
         values ($1, false, true, $2)",
    )
    .bind(who)
    .bind(url)
    .execute(db)
    .await
    .unwrap();
    trellis::db::notifications::notify(
        db,
        &trellis::db::notifications::NewNotification {
            person_id: who,
            kind: "test",
            title: "Hello",
            body: "A test message",
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .expect("created");
}

async fn outbox_row(db: &sqlx::PgPool) -> (bool, Option<String>) {
    sqlx::query_as("select sent_at is not null, last_error from outbox where channel = 'chat'")
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_webhook_that_redirects_is_not_followed() {
    trellis::outbox::install_tls_provider();
    for status in [302, 307, 308] {
        let db = crate::support::fresh_database(true).await;
        let (internal, seen) = recording_server().await;
        let hook = redirecting_server(status, format!("{internal}/latest/meta-data")).await;
        chat_waiting(&db, &format!("{hook}/hook")).await;
        // The tests' escape hatch, so a loopback receiver may be used at all.
        let config = trellis::config::Config::for_tests();
        assert!(config.insecure_webhooks_for_tests);

        trellis::outbox::deliver_once(&db, &config).await.unwrap();

        assert!(
            seen.lock().unwrap().is_empty(),
            "a {status} was followed to {:?}",
            seen.lock().unwrap()
        );
        let (sent, error) = outbox_row(&db).await;
        assert!(!sent, "a redirect is not a delivery");
        let error = error.unwrap_or_default();
        assert!(error.contains(&status.to_string()), "{error}");
    }
}

#[tokio::test]
async fn without_the_tests_escape_hatch_plain_http_and_internal_addresses_are_refused() {
    trellis::outbox::install_tls_provider();
    let db = crate::support::fresh_database(true).await;
    let (receiver, seen) = recording_server().await;
    chat_waiting(&db, &format!("{receiver}/hook")).await;
    let mut config = trellis::config::Config::for_tests();
    config.insecure_webhooks_for_tests = false;
    // Listed hosts, but http, a port other than 443, loopback.
    config.chat_webhook_hosts = vec!["127.0.0.1".into(), "localhost".into()];
    assert!(!trellis::outbox::webhook::host_allowed(
        &format!("{receiver}/hook"),
        &config
    ));

    trellis::outbox::deliver_once(&db, &config).await.unwrap();
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );

    // A name that resolves to loopback is refused after resolution.
    let http = trellis::outbox::webhook::client(&config).unwrap();
    let err = http
        .post("https://localhost/hook")
        .send()
        .await
        .expect_err("localhost resolves to loopback only");
    let chain = format!("{:?}", anyhow::Error::from(err));
    assert!(chain.contains("private or local"), "{chain}");
    // With the escape hatch (tests only) the same receiver is reached.
    config.insecure_webhooks_for_tests = true;
    assert!(trellis::outbox::webhook::host_allowed(
        &format!("{receiver}/hook"),
        &config
    ));
}

#[test]
fn no_template_has_inline_script_or_style_that_the_csp_would_block() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![root];
    let mut problems = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lower = text.to_ascii_lowercase();
            for (i, line) in lower.lines().enumerate() {
                let inline_script = line.contains("<script") && !line.contains(" src=");
                let handler = line.split(|c: char| c.is_whitespace()).any(|w| {
                    w.starts_with("on")
                        && w.contains("=\"")
                        && w[2..]
                            .split('=')
                            .next()
                            .is_some_and(|n| n.chars().all(|c| c.is_ascii_lowercase()))
                });
                if inline_script
                    || handler
                    || line.contains(" style=")
                    || line.contains("<style")
                    || line.contains("javascript:")
                {
                    problems.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "blocked by the CSP:\n{}",
        problems.join("\n")
    );
}
