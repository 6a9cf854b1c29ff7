//! The employee's marketplace in a real browser: search and filter openings, open one and see
//! the fit and learning path, apply, and find the application in "My applications".
//! Screenshots at 1280 and 390 pixels wide go to `target/tmp/screenshots/`.

use fantoccini::{Client, Locator};

use crate::support::{browser, fresh_database, TestApp};

const TITLE: &str = "Lighthouse data project";

async fn shot(c: &Client, name: &str) {
    let dir = browser::screenshot_dir();
    for (width, suffix) in [(1280, "1280"), (390, "390")] {
        c.set_window_size(width, 1400).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{suffix}.png")), png).unwrap();
    }
    c.set_window_size(1280, 900).await.unwrap();
}

#[tokio::test]
async fn an_employee_searches_opens_an_opening_applies_and_sees_it_in_my_applications() {
    let Some(browser) = browser::start("employee-marketplace").await else {
        return;
    };
    let db = fresh_database(true).await;
    sqlx::query("update applications set status = 'withdrawn' where applicant_id = (select id from people where email = 'employee@example.com')
                 and status in ('submitted', 'in_review', 'interviewing', 'offered')")
        .execute(&db)
        .await
        .unwrap();
    let opening =
        crate::opportunities::opening(&db, "manager@example.com", "project", "open", TITLE).await;
    sqlx::query("insert into opportunity_skills (opportunity_id, skill_id, level, importance)
                 select $1, skill_id, least(level + 1, 5), 'essential' from person_skills
                 where person_id = (select id from people where email = 'employee@example.com') limit 4")
        .bind(opening)
        .execute(&db)
        .await
        .unwrap();
    let app = TestApp::on(db).await;
    let c = &browser.client;
    browser::sign_in(c, &app, "employee@example.com").await;

    c.goto(&app.url("/opportunities")).await.unwrap();
    shot(c, "openings-all").await;
    c.find(Locator::Id("q"))
        .await
        .unwrap()
        .send_keys("lighthouse")
        .await
        .unwrap();
    c.find(Locator::Css("select[name=kind]"))
        .await
        .unwrap()
        .select_by_value("project")
        .await
        .unwrap();
    c.find(Locator::Css(
        "form[data-testid=filters] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    // Wait for the new page (the old one shows a larger total), not the one being left.
    let total = Locator::XPath("//p[@data-testid='total'][normalize-space(.)='1 open opening']");
    c.wait().for_element(total).await.unwrap();
    shot(c, "openings-search").await;

    c.find(Locator::LinkText(TITLE))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let fit = c
        .wait()
        .for_element(Locator::Css("[data-testid=fit-score]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(fit.ends_with("% fit"), "{fit}");
    c.find(Locator::Css("[data-testid=learning-path]"))
        .await
        .unwrap();
    shot(c, "opening").await;

    c.find(Locator::Css("[data-testid=apply-link]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("motivation"))
        .await
        .unwrap()
        .send_keys("I know the data and want to help.")
        .await
        .unwrap();
    shot(c, "apply").await;
    c.find(Locator::Css(
        "form[data-testid=apply-form] button[type=submit]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    let status = c
        .wait()
        .for_element(Locator::Css("[data-testid=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status, "Submitted");
    shot(c, "application").await;

    c.goto(&app.url("/applications")).await.unwrap();
    let list = c
        .find(Locator::Css("[data-testid=applications]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains(TITLE), "{list}");
    shot(c, "my-applications").await;
    c.goto(&app.url("/")).await.unwrap();
    shot(c, "home").await;
    browser.client.clone().close().await.ok();
}
