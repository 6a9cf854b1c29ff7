//! Browser test of HR's succession plans and the view of every opening: pick a critical role,
//! add a proposed successor, override the band with a reason, then look at the overdue work.
//! Screenshots at 1280 and 390 pixels wide go to `target/tmp/screenshots/`.

use fantoccini::{Client, Locator};

use crate::support::{browser, TestApp};

async fn shots(c: &Client, name: &str) {
    let dir = browser::screenshot_dir();
    for (width, height) in [(1280, 900), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("succession-{name}-{width}.png")), png).unwrap();
        // Nothing may stick out sideways at either width.
        let wide = c
            .execute(
                "const w = document.documentElement.clientWidth;
                 return [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > w + 1)
                   .filter(e => !e.closest('.table-scroll, .table'))
                   .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
                       const o = getComputedStyle(a).overflowX;
                       if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; }
                     return true; })
                   .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getAttribute('name'));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            wide,
            serde_json::json!([]),
            "{name} at {width} px sticks out"
        );
    }
    c.set_window_size(1280, 900).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn hr_adds_a_proposed_successor_and_sees_overdue_work_on_every_opening() {
    let Some(browser) = browser::start("succession").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    browser::sign_in(c, &app, "hr@example.com").await;

    c.goto(&app.url("/hr/succession")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("[data-testid=critical-roles]"))
        .await
        .unwrap();
    shots(c, "list").await;
    click(c, "[data-testid=critical-roles] tbody tr a").await;
    c.wait()
        .for_element(Locator::Css("[data-testid=proposals]"))
        .await
        .unwrap();
    let first = c
        .find(Locator::Css("[data-testid=proposals] tbody tr td"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    click(c, "[data-testid=proposals] tbody tr button").await;
    let card = c
        .wait()
        .for_element(Locator::Css("[data-testid=successors] .card"))
        .await
        .unwrap();
    let text = card.text().await.unwrap();
    let name = first.lines().next().unwrap();
    assert!(text.contains(name), "{name} is on the plan: {text}");

    // Override the band with a reason.
    click(c, "[data-testid=successors] details summary").await;
    c.find(Locator::Css("[data-testid=successors] select[name=band]"))
        .await
        .unwrap()
        .select_by_value("ready_now")
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=successors] input[name=reason]"))
        .await
        .unwrap()
        .send_keys("Acted in the role last quarter")
        .await
        .unwrap();
    click(c, "[data-testid=successors] details button[type=submit]").await;
    // Wait for the saved page (the old one also has a band).
    c.wait()
        .for_element(Locator::XPath(
            "//p[contains(., 'changed because: Acted in the role last quarter')]",
        ))
        .await
        .unwrap();
    let band = c
        .find(Locator::Css("[data-testid=band]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(band, "Ready now");
    assert!(c
        .source()
        .await
        .unwrap()
        .contains("changed because: Acted in the role last quarter"));
    shots(c, "plan").await;

    c.goto(&app.url("/hr/openings")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("[data-testid=openings]"))
        .await
        .unwrap();
    shots(c, "openings").await;
    c.goto(&app.url("/hr/dashboard#bench-strength"))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("[data-testid=bench-strength]"))
        .await
        .unwrap();
    c.execute(
        "document.querySelector('[data-testid=bench-strength]').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shots(c, "bench").await;
}
