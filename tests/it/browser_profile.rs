//! Browser tests of the profile, career paths and learning pages: editing a skill with the
//! autocomplete, and screenshots at laptop and phone widths (saved for a person to look at).

use fantoccini::Locator;

use crate::support::{browser, TestApp};

#[tokio::test]
async fn an_employee_adds_a_skill_by_its_alias_with_the_autocomplete() {
    let Some(browser) = browser::start("profile-autocomplete").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    sqlx::query(
        "delete from person_skills where skill_id = (select id from skills where name = 'JavaScript')
           and person_id = (select id from people where email = 'employee@example.com')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let c = &browser.client;
    browser::sign_in(c, &app, "employee@example.com").await;
    c.goto(&app.url("/profile")).await.unwrap();

    let input = c.find(Locator::Id("add-skill")).await.unwrap();
    input.send_keys("JS").await.unwrap();
    let suggestion = c
        .wait()
        .for_element(Locator::Css(
            "#skill-suggestions option[value='JavaScript']",
        ))
        .await
        .unwrap();
    // Pick the suggestion as the browser's list would: its value fills the field.
    let picked = suggestion.attr("value").await.unwrap().unwrap();
    input.clear().await.unwrap();
    input.send_keys(&picked).await.unwrap();
    c.find(Locator::Css("#add-level option[value='4']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=add-skill] button.primary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let level = c
        .wait()
        .for_element(Locator::Css(
            "li[data-skill='JavaScript'] [data-testid=level]",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(level, "4 · Proficient");
    let held: i16 = sqlx::query_scalar(
        "select ps.level from person_skills ps join skills s on s.id = ps.skill_id
         join people p on p.id = ps.person_id where s.name = 'JavaScript' and p.email = 'employee@example.com'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(held, 4);
    browser.client.clone().close().await.ok();
}

#[tokio::test]
async fn profile_careers_and_learning_are_captured_at_laptop_and_phone_widths() {
    let Some(browser) = browser::start("profile-screenshots").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    browser::sign_in(c, &app, "employee@example.com").await;
    let dir = browser::screenshot_dir();
    for (width, name) in [(1280, "1280"), (390, "390")] {
        c.set_window_size(width, 1400).await.unwrap();
        for page in ["profile", "careers", "learning", "mentors", "plans"] {
            c.goto(&app.url(&format!("/{page}"))).await.unwrap();
            c.wait().for_element(Locator::Css("h1")).await.unwrap();
            let overflow: bool = c
                .execute(
                    "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
                    vec![],
                )
                .await
                .unwrap()
                .as_bool()
                .unwrap();
            assert!(!overflow, "/{page} scrolls sideways at {width} px");
            let png = c.screenshot().await.unwrap();
            std::fs::write(dir.join(format!("{page}-{name}.png")), png).unwrap();
        }
    }
    browser.client.clone().close().await.ok();
}
