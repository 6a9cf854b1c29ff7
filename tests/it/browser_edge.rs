//! The server's edge in a real browser (headless Chromium), where the attacks of issue 14 were
//! seen: a `next` with a tab that Chromium followed to another host, and the upload form whose
//! CSRF token now travels in the body under a Content-Security-Policy.

use fantoccini::Locator;

use crate::support::{browser, TestApp};

#[tokio::test]
async fn chromium_stays_on_the_site_after_signing_in_with_a_hostile_next() {
    let Some(browser) = browser::start("hostile next").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    for next in [
        "/%09/evil.example",
        "/%5Cevil.example",
        "/%0D%0A/evil.example",
    ] {
        c.delete_all_cookies().await.unwrap();
        c.goto(&app.url(&format!("/login?next={next}")))
            .await
            .unwrap();
        c.find(Locator::Id("email"))
            .await
            .unwrap()
            .send_keys("employee@example.com")
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
            .unwrap_or_else(|e| panic!("next={next}: not back on Trellis: {e}"));
        let url = c.current_url().await.unwrap();
        assert_eq!(
            (url.host_str(), url.port()),
            (Some("127.0.0.1"), Some(app.addr.port())),
            "next={next} took Chromium to {url}"
        );
    }
}

#[tokio::test]
async fn hr_uploads_an_import_file_in_chromium_with_the_token_in_the_body() {
    let Some(browser) = browser::start("import upload").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    browser::sign_in(c, &app, "hr@example.com").await;
    let file = std::env::temp_dir().join(format!("trellis-edge-{}.csv", app.addr.port()));
    std::fs::write(
        &file,
        "employee_id,email,given_name,family_name,hire_date\nX1,x1@example.com,X,One,2020-02-30\n",
    )
    .unwrap();

    c.goto(&app.url("/hr/import")).await.unwrap();
    c.find(Locator::Css("input[type=file][name=file]"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    c.find(Locator::Css(
        "[data-testid=import-form] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css(
            "[data-testid=import-report], [data-testid=import-progress]",
        ))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert!(url.path().starts_with("/hr/import/jobs/"), "{url}");
    assert!(url.query().is_none(), "{url}");
    std::fs::remove_file(&file).ok();
}
