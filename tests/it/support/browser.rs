//! Headless Chromium through chromedriver (WebDriver), for browser tests.
//!
//! When Chromium or chromedriver is missing, a browser test is skipped with a message saying
//! so, unless `TRELLIS_REQUIRE_BROWSER=1` (set by `.ci/run`), where a missing browser fails.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

const CHROMIUM_CANDIDATES: &[&str] = &[
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];
const DRIVER_CANDIDATES: &[&str] = &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

/// A browser session; chromedriver is killed when this is dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn first_existing(candidates: &[&str], env: &str) -> Option<String> {
    if let Ok(path) = std::env::var(env) {
        return Some(path);
    }
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

/// Start headless Chromium, or return None (after saying why) when the test should be skipped.
pub async fn start(test: &str) -> Option<Browser> {
    let chromium = first_existing(CHROMIUM_CANDIDATES, "TRELLIS_CHROMIUM");
    let driver = first_existing(DRIVER_CANDIDATES, "TRELLIS_CHROMEDRIVER");
    let (chromium, driver) = match (chromium, driver) {
        (Some(c), Some(d)) => (c, d),
        (c, d) => {
            let missing = [
                c.is_none().then_some("chromium"),
                d.is_none().then_some("chromedriver"),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ");
            let message = format!(
                "browser test `{test}` needs {missing} (Debian: apt-get install chromium chromium-driver)"
            );
            if std::env::var("TRELLIS_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("{message}; TRELLIS_REQUIRE_BROWSER=1 makes this a failure");
            }
            eprintln!("SKIPPED: {message}");
            return None;
        }
    };

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver}: {e}"));

    let user_data =
        std::env::temp_dir().join(format!("trellis-chromium-{}-{port}", std::process::id()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", user_data.display()),
            ]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    // chromedriver needs a moment to listen; poll instead of sleeping a fixed time.
    let mut last_err = None;
    for _ in 0..100 {
        match ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver: child,
                })
            }
            Err(err) => {
                last_err = Some(err);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("cannot start a Chromium session through {driver}: {last_err:?}");
}

/// Sign in through the real login form as `email` (demo password) and wait for the home page.
pub async fn sign_in(c: &Client, app: &super::TestApp, email: &str) {
    use fantoccini::Locator;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(trellis::demo::DEMO_PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("[data-testid=signed-in-as]"))
        .await
        .unwrap();
}

/// Wait until a page shows someone signed in, and check it is the person with `email`.
pub async fn assert_signed_in_as(c: &Client, app: &super::TestApp, email: &str) {
    use fantoccini::Locator;
    let shown = c
        .wait()
        .for_element(Locator::Css("[data-testid=signed-in-as]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let name: String = sqlx::query_scalar("select display_name from people where email = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(shown, name, "signed in as {email}");
}

/// The test output folder for screenshots, `target/tmp/screenshots/`: look at them.
pub fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Save what the browser shows as `<name>.png` in [`screenshot_dir`].
pub async fn save_screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
}
