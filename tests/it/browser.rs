//! Browser tests: headless Chromium driving the real app.

use fantoccini::Locator;

use crate::support::{browser, TestApp};

#[tokio::test]
async fn the_demo_employee_signs_in_with_a_real_browser_and_sees_the_home_page() {
    let Some(browser) = browser::start("sign-in").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;

    c.goto(&app.url("/")).await.unwrap();
    // Not signed in: the browser lands on the sign-in form.
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("employee@example.com")
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("trellis-demo")
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    browser::assert_signed_in_as(c, &app, "employee@example.com").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/");
    let heading = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(heading.starts_with("Welcome"), "{heading}");
    let openings = c
        .find_all(Locator::Css("[data-testid=fitting-openings] li"))
        .await
        .unwrap();
    assert!(
        !openings.is_empty(),
        "the home page lists openings that fit"
    );
    browser.client.clone().close().await.ok();
}
