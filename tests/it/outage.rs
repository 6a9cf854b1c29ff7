//! The database goes away, or freezes: every route answers 503 with `Retry-After` within a
//! bounded time (a page or problem+json, never a 500 or a hang), health needs no session, and
//! the app recovers by itself when the database is back.
//!
//! The app reaches PostgreSQL through a TCP proxy the test controls: "down" closes every
//! connection and refuses new ones (as a stopped server does), "frozen" keeps them open and
//! passes nothing (as a SIGSTOPped one does).

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use trellis::config::Config;

use crate::support::{fresh_database, TestApp};

const PASS: u8 = 0;
const DOWN: u8 = 1;
const FROZEN: u8 = 2;

/// A TCP proxy in front of the test's PostgreSQL.
struct Proxy {
    port: u16,
    mode: Arc<AtomicU8>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: PgConnectOptions) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(PASS));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (m, c) = (mode.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if m.load(Ordering::SeqCst) == DOWN {
                    drop(client); // refused, as by a stopped server
                    continue;
                }
                let (m2, up) = (m.clone(), upstream.clone());
                let task = tokio::spawn(async move {
                    let host = up.get_host().to_string();
                    let port = up.get_port();
                    let socket_dir = up
                        .get_socket()
                        .map(|s| s.display().to_string())
                        .or_else(|| host.starts_with('/').then(|| host.clone()));
                    if let Some(dir) = socket_dir {
                        let path = format!("{dir}/.s.PGSQL.{port}");
                        let server = tokio::net::UnixStream::connect(&path)
                            .await
                            .unwrap_or_else(|e| panic!("proxy to {path}: {e}"));
                        pipe(client, server, m2).await;
                    } else {
                        let server = tokio::net::TcpStream::connect((host.as_str(), port))
                            .await
                            .unwrap();
                        pipe(client, server, m2).await;
                    }
                });
                c.lock().unwrap().push(task);
            }
        });
        Proxy {
            port,
            mode,
            connections,
        }
    }

    fn down(&self) {
        self.mode.store(DOWN, Ordering::SeqCst);
        for task in self.connections.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn freeze(&self) {
        self.mode.store(FROZEN, Ordering::SeqCst);
    }

    fn back(&self) {
        self.mode.store(PASS, Ordering::SeqCst);
    }
}

/// Copy both ways, a chunk at a time, holding every chunk while the proxy is frozen.
async fn pipe<S>(client: tokio::net::TcpStream, server: S, mode: Arc<AtomicU8>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (cr, cw) = tokio::io::split(client);
    let (sr, sw) = tokio::io::split(server);
    let up = tokio::spawn(copy(cr, sw, mode.clone()));
    copy(sr, cw, mode).await;
    up.abort();
}

async fn copy<R, W>(mut from: R, mut to: W, mode: Arc<AtomicU8>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let Ok(n) = from.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        while mode.load(Ordering::SeqCst) == FROZEN {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// The demo app, reaching its database through a proxy, with a short request time limit.
async fn app_behind_proxy() -> (TestApp, Proxy) {
    let direct = fresh_database(true).await;
    let options = (*direct.connect_options()).clone();
    let proxy = Proxy::start(options.clone()).await;
    let through = PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(
            PgConnectOptions::new()
                .host("127.0.0.1")
                .port(proxy.port)
                .username(options.get_username())
                .database(options.get_database().expect("a test database")),
        )
        .await
        .unwrap();
    let mut config = Config::for_tests();
    config.request_timeout_secs = 3;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    (TestApp::serve_on(through, config, listener).await, proxy)
}

#[tokio::test]
async fn with_the_database_down_every_door_answers_503_with_retry_after_and_recovers() {
    let (app, proxy) = app_behind_proxy().await;
    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(employee.get("/").await.status(), 200);

    proxy.down();
    let page = employee.get("/").await;
    assert_eq!(page.status(), 503, "a page with a session cookie");
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));

    let api = employee.get_json("/api/v1/me").await;
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    assert_eq!(api.headers()["content-type"], "application/problem+json");

    let health = employee.get_json("/healthz").await;
    assert_eq!(
        health.status(),
        503,
        "health with a cookie needs no session"
    );
    assert_eq!(employee.get_json("/readyz").await.status(), 503);
    assert_eq!(employee.get_json("/livez").await.status(), 200);

    proxy.back();
    let mut recovered = false;
    for _ in 0..50 {
        if employee.get("/").await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(recovered, "the app reconnects by itself");
}

#[tokio::test]
async fn with_the_database_frozen_requests_answer_503_instead_of_hanging() {
    let (app, proxy) = app_behind_proxy().await;
    let employee = app.signed_in("employee@example.com").await;
    assert_eq!(employee.get_json("/api/v1/me").await.status(), 200);

    proxy.freeze();
    // The client would wait 10 s; the server gives up first (3 s here) and says so.
    let api = tokio::time::timeout(Duration::from_secs(10), employee.get_json("/api/v1/me"))
        .await
        .expect("an answer, not a hang");
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let page = tokio::time::timeout(Duration::from_secs(10), employee.get("/"))
        .await
        .expect("an answer, not a hang");
    assert_eq!(page.status(), 503);
    assert_eq!(employee.get_json("/livez").await.status(), 200);
    proxy.back();
}
