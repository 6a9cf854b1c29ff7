//! Single sign-on in a real browser: headless Chromium clicks "Sign in with ...", signs in on
//! the real OpenID provider's own page, and comes back to Trellis signed in.

use fantoccini::Locator;
use serde_json::json;

use crate::sso::{account, sso_app, IDP_PASSWORD};
use crate::support::{browser, fresh_database};

#[tokio::test]
async fn an_employee_signs_in_with_single_sign_on_in_a_real_browser() {
    let Some(browser) = browser::start("single sign-on").await else {
        return;
    };
    let db = fresh_database(true).await;
    let (app, provider) = sso_app(
        db,
        json!([account("acme-1", "employee@example.com", true)]),
        |c| c.password_login = false,
    )
    .await;
    let c = &browser.client;

    c.goto(&app.url("/opportunities")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    browser::save_screenshot(c, "sign-in-sso").await;
    assert!(
        c.find(Locator::Id("password")).await.is_err(),
        "no password field when password sign-in is off"
    );
    c.find(Locator::Id("sso-sign-in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The provider's own page.
    let email = c
        .wait()
        .for_element(Locator::Css("input[name=email]"))
        .await
        .unwrap();
    assert!(c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .starts_with(&provider.issuer));
    email.send_keys("employee@example.com").await.unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(IDP_PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Back in Trellis, signed in, on the page first asked for.
    browser::assert_signed_in_as(c, &app, "employee@example.com").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/opportunities");
}
