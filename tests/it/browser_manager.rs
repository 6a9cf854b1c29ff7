//! Browser test of the manager's side: post a role with suggested skills, review ranked
//! applicants, move one to offered and record the acceptance. Screenshots at 1280 and 390
//! pixels wide go to `target/tmp/screenshots/`.

use fantoccini::{Client, Locator};
use uuid::Uuid;

use crate::pipeline::application;
use crate::support::{browser, TestApp};

async fn shots(c: &Client, name: &str, scroll_to: Option<&str>) {
    let dir = browser::screenshot_dir();
    for (width, height) in [(1280, 900), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        if let Some(css) = scroll_to {
            let js = "document.querySelector(arguments[0]).scrollIntoView()";
            c.execute(js, vec![serde_json::json!(css)]).await.unwrap();
        }
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("manager-{name}-{width}.png")), png).unwrap();
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
async fn a_manager_posts_a_role_with_suggested_skills_and_takes_an_applicant_to_acceptance() {
    let Some(browser) = browser::start("manager").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    let (profile, skill): (Uuid, String) = sqlx::query_as(
        "select j.job_profile_id, s.name from job_profile_skills j join skills s on s.id = j.skill_id
         join job_profiles p on p.id = j.job_profile_id where p.title = 'Senior Software Engineer' order by s.name limit 1")
        .fetch_one(&app.db).await.unwrap();
    let named: String = sqlx::query_scalar("select name from skills where name ~ '^[a-z ]+$' and merged_into_id is null order by name desc limit 1")
        .fetch_one(&app.db).await.unwrap();
    browser::sign_in(c, &app, "manager@example.com").await;

    c.goto(&app.url("/postings/new")).await.unwrap();
    c.find(Locator::Id("title"))
        .await
        .unwrap()
        .send_keys("Senior engineer, payments")
        .await
        .unwrap();
    c.find(Locator::Id("description"))
        .await
        .unwrap()
        .send_keys(&format!(
            "Join the payments team. You will {named} with us."
        ))
        .await
        .unwrap();
    c.find(Locator::Id("job_profile_id"))
        .await
        .unwrap()
        .select_by_value(&profile.to_string())
        .await
        .unwrap();
    click(c, "[data-testid=suggest]").await;
    c.wait()
        .for_element(Locator::XPath("//input[@name='skill_name' and @value!='']"))
        .await
        .unwrap();
    let rows = c
        .wait()
        .for_element(Locator::Css("[data-testid=skill-rows]"))
        .await
        .unwrap()
        .html(false)
        .await
        .unwrap();
    assert!(
        rows.contains(&skill),
        "the job profile's skill is suggested"
    );
    assert!(
        rows.contains(&named),
        "the skill named in the description is suggested"
    );
    shots(c, "posting-form", Some("[data-testid=skill-rows]")).await;
    click(c, "[data-testid=publish]").await;
    let status = c
        .wait()
        .for_element(Locator::Css("[data-testid=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(status.to_lowercase(), "open");
    let posting: Uuid = sqlx::query_scalar(
        "select id from opportunities where title = 'Senior engineer, payments'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();

    let people: Vec<Uuid> = sqlx::query_scalar(
        "select id from people where employment_status = 'active' and job_profile_id is not null
         and id <> (select id from people where email = 'manager@example.com') order by employee_number limit 3")
        .fetch_all(&app.db).await.unwrap();
    for p in &people {
        application(&app.db, posting, *p, "submitted").await;
    }
    c.goto(&app.url(&format!("/postings/{posting}/applicants")))
        .await
        .unwrap();
    let cards = c
        .find_all(Locator::Css("[data-testid=applicants] > li"))
        .await
        .unwrap();
    assert_eq!(cards.len(), 3);
    let mut scores = vec![];
    for card in &cards {
        let v = card
            .find(Locator::Css(".fit-value"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        scores.push(v.trim_end_matches("% fit").parse::<u8>().unwrap());
    }
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked by fit: {scores:?}"
    );
    shots(c, "applicants", None).await;

    click(c, "[data-testid=applicants] > li:first-child h3 a").await;
    click(c, "[data-testid=to-in_review]").await;
    click(c, "[data-testid=to-offered]").await;
    c.wait()
        .for_element(Locator::XPath(
            "//span[@data-testid='stage' and text()='Offered']",
        ))
        .await
        .unwrap();
    click(c, "[data-testid=to-accepted]").await;
    c.wait()
        .for_element(Locator::XPath(
            "//span[@data-testid='stage' and text()='Accepted']",
        ))
        .await
        .unwrap();
    shots(c, "accepted", None).await;
    let (filled, status): (i16, String) =
        sqlx::query_as("select positions_filled, status from opportunities where id = $1")
            .bind(posting)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((filled, status.as_str()), (1, "filled"));
    let maya: Uuid =
        sqlx::query_scalar("select id from people where email = 'employee@example.com'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    c.goto(&app.url("/team")).await.unwrap();
    shots(c, "team", None).await;
    c.goto(&app.url(&format!("/team/{maya}"))).await.unwrap();
    shots(c, "report", None).await;
    browser.client.clone().close().await.ok();
}
