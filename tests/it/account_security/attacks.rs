//! The attacks of issue 14 on sign-in and accounts, each mounted against the real app: a flood
//! of anonymous sign-ins, locking someone else out, guessing one account from many addresses,
//! weak passwords, sessions that never end, cookies over HTTPS, and telling known emails from
//! unknown ones by the reset answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use trellis::domain::password::{COMMON, PATTERN, PERSONAL};

use super::reset::ask;
use super::{audited, count, demo_app_with};
use crate::support::client::text_of;
use crate::support::TestApp;

/// This process's resident memory, in bytes (the app under test runs in it).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in /proc/self/status");
    kb * 1024
}

/// A client that does not keep cookies, whose connections leave from `ip`.
fn raw_client(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_flood_of_anonymous_sign_ins_keeps_memory_flat_and_a_genuine_sign_in_still_succeeds() {
    let app = TestApp::with_demo().await;
    // Warm up: one sign-in, so the decoy hash and the pools exist before measuring.
    app.client_from("127.0.0.3")
        .sign_in("manager@example.com", "trellis-demo")
        .await;
    let before = resident_bytes();

    // The attacker: 64 connections at once from 127.0.0.2 for three seconds, each posting
    // random emails with a login CSRF token it set itself (double submit needs no page).
    let url = app.url("/login");
    let stop = Arc::new(AtomicBool::new(false));
    let mut flood = tokio::task::JoinSet::new();
    for worker in 0..64 {
        let (url, stop) = (url.clone(), stop.clone());
        flood.spawn(async move {
            let http = raw_client("127.0.0.2");
            let mut statuses = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let email = format!("x{worker}-{n}-{}@example.com", uuid::Uuid::new_v4());
                let r = http
                    .post(&url)
                    .header("cookie", "trellis_login_csrf=attacker-chosen")
                    .form(&[
                        ("csrf_token", "attacker-chosen"),
                        ("email", email.as_str()),
                        ("password", "guess-guess-guess"),
                    ])
                    .send()
                    .await;
                if let Ok(r) = r {
                    statuses.push(r.status().as_u16());
                }
            }
            statuses
        });
    }
    let sampler = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(resident_bytes());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            peak
        })
    };

    // During the flood, the owner signs in from their own address. A 503 (the hashing slots
    // are all taken at that instant) says when to try again, as a browser user would.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let owner = app.client_from("127.0.0.4");
    let started = Instant::now();
    let mut during = owner.sign_in("employee@example.com", "trellis-demo").await;
    let mut tries = 1;
    while during.status() == 503 && tries < 5 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        during = owner.sign_in("employee@example.com", "trellis-demo").await;
        tries += 1;
    }
    let owner_waited = started.elapsed();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    let statuses: Vec<u16> = flood.join_all().await.into_iter().flatten().collect();
    let peak = sampler.await.unwrap();
    let after = app
        .client_from("127.0.0.5")
        .sign_in("hr@example.com", "trellis-demo")
        .await;

    let grew_mib = peak.saturating_sub(before) / (1024 * 1024);
    let checked = audited(&app.db, "auth.sign_in_failed").await;
    eprintln!(
        "flood: {} requests, {} answered 429, {} answered 503, {checked} passwords checked; \
         memory {} MiB before, peak +{grew_mib} MiB; the owner signed in after {owner_waited:?} \
         in {tries} tries",
        statuses.len(),
        statuses.iter().filter(|s| **s == 429).count(),
        statuses.iter().filter(|s| **s == 503).count(),
        before / (1024 * 1024),
    );
    assert_eq!(during.status(), 303, "the owner signs in during the flood");
    assert_eq!(after.status(), 303, "and someone else after it");
    assert!(
        grew_mib < 512,
        "memory grew by {grew_mib} MiB under the flood (64 argon2 checks at once take 1.2 GiB)"
    );
    assert!(
        statuses.iter().filter(|s| **s == 429).count() > statuses.len() / 2,
        "the flood's address is paused"
    );
    assert!(
        statuses.iter().all(|s| [401, 429, 503].contains(s)),
        "only refusals: {statuses:?}"
    );
    assert!(
        checked <= i64::from(trellis::db::throttle::ADDRESS.free_failures) + 1,
        "{checked} passwords checked for one address"
    );
}

#[tokio::test]
async fn an_attacker_at_one_address_cannot_stop_the_owner_signing_in_from_another() {
    let app = TestApp::with_demo().await;
    let attacker = app.client_from("127.0.0.2");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let r = attacker.sign_in("hr@example.com", "not-the-password").await;
        statuses.push(r.status().as_u16());
    }
    let attacker_right = attacker.sign_in("hr@example.com", "trellis-demo").await;

    let owner = app.client_from("127.0.0.3");
    let signed_in = owner.sign_in("hr@example.com", "trellis-demo").await;

    assert_eq!(statuses[..5], [401; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(attacker_right.status(), 429, "not even checked from there");
    assert_eq!(
        signed_in.status(),
        303,
        "HR signs in from their own address"
    );
    assert_eq!(owner.get("/hr").await.status(), 200);
}

#[tokio::test]
async fn guesses_from_many_addresses_are_slowed_but_never_the_owner_at_their_usual_address() {
    let app = TestApp::with_demo().await;
    // The owner signed in from 127.0.0.3 before: it is one of their usual addresses.
    let usual = app.client_from("127.0.0.3");
    assert_eq!(
        usual
            .sign_in("hr@example.com", "trellis-demo")
            .await
            .status(),
        303
    );

    // One wrong guess from each of 24 addresses: past 20 the account pauses elsewhere.
    let mut statuses = Vec::new();
    for i in 10..34 {
        let r = app
            .client_from(&format!("127.0.0.{i}"))
            .sign_in("hr@example.com", "not-the-password")
            .await;
        statuses.push(r.status().as_u16());
    }
    let stranger = app
        .client_from("127.0.0.90")
        .sign_in("hr@example.com", "trellis-demo")
        .await;
    let owner = app
        .client_from("127.0.0.3")
        .sign_in("hr@example.com", "trellis-demo")
        .await;

    assert_eq!(statuses[..20], [401; 20]);
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(
        stranger.status(),
        429,
        "a new address waits out the account's pause"
    );
    let retry: u64 = stranger.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry <= 5 * 60, "a gentle pause: {retry} s");
    assert_eq!(owner.status(), 303, "the usual address is not paused");
}

#[tokio::test]
async fn common_patterned_and_personal_passwords_are_refused_on_their_field() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    for (new, message) in [
        ("aaaaaaaaaaaa", PATTERN),
        ("password1234", COMMON),
        ("abcabcabcabc", PATTERN),
        ("Employee2024!!", PERSONAL),
    ] {
        let page = client
            .submit(
                "/account/password",
                "/account/password",
                &[
                    ("current_password", "trellis-demo"),
                    ("new_password", new),
                    ("confirm_password", new),
                ],
            )
            .await;
        assert_eq!(page.status(), 422, "{new}");
        let html = page.text().await.unwrap();
        assert_eq!(
            text_of(&html, "#new_password-error").as_deref(),
            Some(message),
            "{new}"
        );

        let api = client
            .send_json(
                Method::PUT,
                "/api/v1/me/password",
                Some(
                    json!({ "current_password": "trellis-demo", "new_password": new,
                             "confirm_password": new }),
                ),
            )
            .await;
        assert_eq!(api.status(), 422, "{new}");
        let body: Value = api.json().await.unwrap();
        assert_eq!(body["errors"][0]["pointer"], "/new_password", "{body}");
        assert_eq!(body["errors"][0]["detail"], message, "{body}");
    }
    assert_eq!(audited(&app.db, "auth.password_changed").await, 0);
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_sign_in_however_active() {
    let app = TestApp::with_demo().await;
    let client = app.signed_in("employee@example.com").await;
    assert_eq!(client.get("/").await.status(), 200);

    // Active all along (seen a minute ago, not expired by the idle timeout), but signed in
    // 13 hours ago.
    sqlx::query(
        "update sessions set created_at = now() - interval '13 hours',
             last_seen_at = now() - interval '6 minutes', expires_at = now() + interval '6 hours'",
    )
    .execute(&app.db)
    .await
    .unwrap();

    assert_eq!(client.get("/").await.status(), 303, "signed out");
    assert_eq!(client.get_json("/api/v1/me").await.status(), 401);

    // A sliding renewal never reaches past the absolute end.
    let other = app.signed_in("manager@example.com").await;
    sqlx::query(
        "update sessions set created_at = now() - interval '11 hours',
             last_seen_at = now() - interval '6 minutes'
         where person_id = (select id from people where email = 'manager@example.com')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(other.get("/").await.status(), 200);
    let beyond = count(
        &app.db,
        "select count(*) from sessions
         where expires_at > created_at + interval '12 hours'
           and person_id = (select id from people where email = 'manager@example.com')",
    )
    .await;
    assert_eq!(beyond, 0);
}

#[tokio::test]
async fn over_https_the_cookies_are_secure_and_host_prefixed() {
    let app = demo_app_with(|c| c.public_url = "https://trellis.example.com".into()).await;
    let client = app.client();

    let login = client.get("/login").await;
    let csrf_cookie: Vec<String> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let signed_in = client.sign_in("employee@example.com", "trellis-demo").await;
    let session_cookie: Vec<String> = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .filter(|c| c.contains("trellis_session="))
        .collect();

    for (cookies, name) in [
        (&csrf_cookie, "__Host-trellis_login_csrf="),
        (&session_cookie, "__Host-trellis_session="),
    ] {
        let cookie = cookies
            .iter()
            .find(|c| c.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {cookies:?}"));
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("; HttpOnly"), "{cookie}");
        assert!(cookie.contains("; Path=/"), "{cookie}");
        assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    }
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        client.get("/").await.status(),
        200,
        "the prefixed cookie works"
    );

    // The unprefixed name (which a plain-HTTP page or a sibling subdomain could set) is not
    // a session there.
    let token = session_cookie[0]
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("__Host-trellis_session=")
        .to_string();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/"))
        .header("cookie", format!("trellis_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 303);
}

#[tokio::test]
async fn a_request_for_a_link_gets_the_same_answer_for_any_email_and_the_lookup_happens_after_it() {
    let app = TestApp::with_demo().await;
    let client = app.client();
    let mut bodies = Vec::new();
    for email in ["employee@example.com", "nobody@example.com"] {
        let token = crate::support::client::csrf_in(
            &client.get("/login/forgot").await.text().await.unwrap(),
        )
        .unwrap();
        let r = client
            .post_form_raw(
                "/login/forgot",
                &[("csrf_token", token.as_str()), ("email", email)],
            )
            .await;
        let status = r.status().as_u16();
        let body = r.text().await.unwrap().replace(email, "EMAIL");
        bodies.push((status, body));
    }
    super::reset::wait_for_requests(&app, 2).await;

    assert_eq!(bodies[0], bodies[1], "the same answer, byte for byte");
    // Both requests went through the one background step, which looked the email up: one
    // audit row each, a link only for the account.
    let rows: Vec<(Option<String>, Value)> = sqlx::query_as(
        "select entity_id, details from audit_log
         where action = 'auth.password_reset_requested' order by id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    // (The two background steps may finish in either order.)
    assert!(rows.iter().any(|(id, d)| id.is_some() && d["sent"] == true));
    assert!(rows
        .iter()
        .any(|(id, d)| id.is_none() && d["sent"] == false));
    assert_eq!(
        count(&app.db, "select count(*) from password_reset_tokens").await,
        1
    );
    // The page's helper waits the same way for any email.
    assert_eq!(ask(&app, &client, "nobody@example.com").await.0, 200);
}

#[tokio::test]
async fn too_many_requests_for_links_from_one_address_are_paused() {
    let app = TestApp::with_demo().await;
    sqlx::query(
        "insert into auth_throttle (key, failures, free_failures, first_delay_secs,
             max_delay_secs, idle_minutes)
         values ('address:127.0.0.2', 100, 100, 10, 900, 15)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.client_from("127.0.0.2");

    let first = client
        .submit(
            "/login/forgot",
            "/login/forgot",
            &[("email", "a@example.com")],
        )
        .await;
    let second = client
        .submit(
            "/login/forgot",
            "/login/forgot",
            &[("email", "b@example.com")],
        )
        .await;

    assert_eq!(
        first.status(),
        200,
        "the 101st request is counted and answered"
    );
    assert_eq!(second.status(), 429);
    assert!(second.headers().contains_key("retry-after"));
    let other = app
        .client_from("127.0.0.3")
        .submit(
            "/login/forgot",
            "/login/forgot",
            &[("email", "c@example.com")],
        )
        .await;
    assert_eq!(other.status(), 200, "another address is not affected");
}
