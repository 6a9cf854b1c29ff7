//! HR's people directory and moves register, as pages and through the API: filters, sort,
//! pages with totals, a person's record, clear errors, and HR only.

use serde_json::Value;
use uuid::Uuid;

use crate::support::{count, TestApp};

#[tokio::test]
async fn hr_pages_through_everyone_employed_with_the_total() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let employed = count(
        &app.db,
        "select count(*) from people where employment_status <> 'terminated'",
    )
    .await;

    let first: Value = hr
        .get_json("/api/v1/hr/people?page_size=40")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["total"], employed);
    assert_eq!(first["people"].as_array().unwrap().len(), 40);
    let names: Vec<&str> = first["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["display_name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name by default");

    let last_page = (employed + 39) / 40;
    let last: Value = hr
        .get_json(&format!("/api/v1/hr/people?page_size=40&page={last_page}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        last["people"].as_array().unwrap().len() as i64,
        employed - 40 * (last_page - 1)
    );
    let beyond: Value = hr
        .get_json(&format!(
            "/api/v1/hr/people?page_size=40&page={}",
            last_page + 1
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(beyond["people"].as_array().unwrap().len(), 0);
    assert_eq!(
        beyond["total"], employed,
        "the total stays right past the last page"
    );

    let everyone: Value = hr
        .get_json("/api/v1/hr/people?status=all&page_size=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        everyone["total"],
        count(&app.db, "select count(*) from people").await
    );

    let newest: Value = hr
        .get_json("/api/v1/hr/people?sort=-hire_date&page_size=1")
        .await
        .json()
        .await
        .unwrap();
    let latest_hire: time::Date = sqlx::query_scalar(
        "select max(hire_date) from people where employment_status <> 'terminated'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(newest["people"][0]["hire_date"], latest_hire.to_string());
}

#[tokio::test]
async fn filters_find_people_by_department_tree_skill_level_and_text() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    // A department with departments under it counts everyone in the whole tree.
    let (parent, in_tree): (Uuid, i64) = sqlx::query_as(
        "with recursive tree as (
             select d.id as root, d.id from departments d
             where exists (select 1 from departments c where c.parent_id = d.id)
             union all select t.root, c.id from departments c join tree t on c.parent_id = t.id)
         select t.root, count(p.id) from tree t
         join people p on p.department_id = t.id and p.employment_status <> 'terminated'
         group by t.root order by count(p.id) desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let directly = count(&app.db,
        &format!("select count(*) from people where department_id = '{parent}' and employment_status <> 'terminated'"),
    )
    .await;
    assert!(in_tree > directly, "the demo has people in sub-departments");
    let page: Value = hr
        .get_json(&format!("/api/v1/hr/people?department={parent}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], in_tree);

    // A skill (by alias, any case) at a level or above.
    let (skill, name): (Uuid, String) = sqlx::query_as(
        "select s.id, s.name from skills s join person_skills ps on ps.skill_id = s.id
         group by s.id, s.name order by count(*) desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let at_four = count(&app.db,
        &format!("select count(*) from person_skills ps join people p on p.id = ps.person_id
                  where ps.skill_id = '{skill}' and ps.level >= 4 and p.employment_status <> 'terminated'"),
    )
    .await;
    let url = format!(
        "/api/v1/hr/people?skill={}&min_level=4",
        name.to_uppercase().replace(' ', "%20")
    );
    let page: Value = hr.get_json(&url).await.json().await.unwrap();
    assert_eq!(page["total"], at_four, "{name}");

    // Part of an email.
    let page: Value = hr
        .get_json("/api/v1/hr/people?q=employee%40exam")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["people"][0]["email"], "employee@example.com");

    // The page shows the same.
    let html = hr
        .get(&format!("/hr/people?department={parent}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("{in_tree} people")),
        "the page shows the total"
    );
}

#[tokio::test]
async fn bad_filters_say_which_parameter_is_wrong() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let cases = [
        ("page_size=1000", "/page_size", "from 1 to 200"),
        ("page=0", "/page", "from 1"),
        ("department=sales", "/department", "not a valid id"),
        (
            "skill=Underwater%20Basketry",
            "/skill",
            "No skill is called \"Underwater Basketry\"",
        ),
        ("min_level=9", "/min_level", "from 1 to 5"),
        ("sort=salary", "/sort", "must be one of name"),
        ("status=fired", "/status", "must be one of current"),
    ];
    for (query, pointer, message) in cases {
        let response = hr.get_json(&format!("/api/v1/hr/people?{query}")).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["pointer"], pointer, "{query}: {body}");
        assert!(
            body["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains(message),
            "{query}: {body}"
        );
    }
    let moves = hr
        .get_json("/api/v1/hr/moves?from=last%20year&kind=raise")
        .await;
    assert_eq!(moves.status(), 422);
    let body: Value = moves.json().await.unwrap();
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/from", "/kind"]);

    let page = hr
        .get("/hr/people?page_size=1000")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("page_size: must be a whole number from 1 to 200"));
}

#[tokio::test]
async fn a_persons_record_shows_their_skills_moves_and_applications() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    let (id, moves, skills): (Uuid, i64, i64) = sqlx::query_as(
        "select p.id, (select count(*) from moves m where m.person_id = p.id),
                (select count(*) from person_skills s where s.person_id = p.id)
         from people p where exists (select 1 from moves m where m.person_id = p.id and m.kind = 'promotion')
         order by p.display_name limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let record: Value = hr
        .get_json(&format!("/api/v1/hr/people/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["moves"].as_array().unwrap().len() as i64, moves);
    assert_eq!(record["skills"].as_array().unwrap().len() as i64, skills);
    assert!(record["moves"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "promotion"));

    let page = hr.get(&format!("/hr/people/{id}")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("promotion"));
    assert_eq!(
        hr.get_json(&format!("/api/v1/hr/people/{}", Uuid::new_v4()))
            .await
            .status(),
        404
    );

    let promotions = count(
        &app.db,
        "select count(*) from moves where kind = 'promotion' and effective_on >= '2020-01-01'",
    )
    .await;
    let register: Value = hr
        .get_json("/api/v1/hr/moves?kind=promotion&from=2020-01-01&page_size=5")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(register["total"], promotions);
    let dates: Vec<&str> = register["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["effective_on"].as_str().unwrap())
        .collect();
    let page = hr
        .get("/hr/moves?kind=promotion&from=2020-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("{promotions} moves, newest first")));
    let bad = hr.get("/hr/moves?kind=raise").await.text().await.unwrap();
    assert!(bad.contains("kind: must be one of promotion"));
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first);
}

#[tokio::test]
async fn only_hr_sees_the_directory_and_the_moves_register() {
    let app = TestApp::with_demo().await;
    let someone: Uuid = sqlx::query_scalar("select id from people where email = 'hr@example.com'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for email in ["employee@example.com", "manager@example.com"] {
        let client = app.signed_in(email).await;
        for path in [
            "/api/v1/hr/people".to_string(),
            format!("/api/v1/hr/people/{someone}"),
            "/api/v1/hr/moves".to_string(),
        ] {
            assert_eq!(client.get_json(&path).await.status(), 403, "{email} {path}");
        }
        for path in [
            "/hr/people".to_string(),
            format!("/hr/people/{someone}"),
            "/hr/moves".to_string(),
        ] {
            assert_eq!(client.get(&path).await.status(), 403, "{email} {path}");
        }
    }
}

#[tokio::test]
async fn hr_finds_a_person_in_a_real_browser_and_opens_their_record() {
    use fantoccini::Locator;
    let Some(browser) = crate::support::browser::start("people directory").await else {
        return;
    };
    let app = TestApp::with_demo().await;
    let c = &browser.client;
    crate::support::browser::sign_in(c, &app, "hr@example.com").await;
    c.goto(&app.url("/hr/people")).await.unwrap();
    c.find(Locator::Css("input[name=q]"))
        .await
        .unwrap()
        .send_keys("employee@")
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=people-filters] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The filtered page has replaced the first one once the URL carries the search.
    for _ in 0..100 {
        if c.current_url()
            .await
            .unwrap()
            .query()
            .is_some_and(|q| q.contains("q=employee"))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let total = c
        .wait()
        .for_element(Locator::Css("[data-testid=people-total]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(total.starts_with("1 person"), "{total}");
    crate::support::browser::save_screenshot(c, "hr-people").await;
    c.find(Locator::Css("[data-testid=people] tbody a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let facts = c
        .wait()
        .for_element(Locator::Css("[data-testid=person-facts]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(facts.contains("employee@example.com"), "{facts}");
    c.set_window_size(390, 900).await.unwrap();
    crate::support::browser::save_screenshot(c, "hr-person-phone").await;
    c.set_window_size(1280, 900).await.unwrap();
    c.goto(&app.url("/hr/moves?kind=promotion")).await.unwrap();
    let total = c
        .find(Locator::Css("[data-testid=moves-total]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(total.contains("moves, newest first"), "{total}");
    crate::support::browser::save_screenshot(c, "hr-moves").await;
}

/// Names sort as people read them, not by byte: small and capital letters together, accented
/// letters beside their base letter (the suite's private cluster has no locale at all).
#[tokio::test]
async fn a_managers_team_is_listed_in_alphabetical_order_whatever_the_case_or_accents() {
    let app = TestApp::with_demo().await;
    let names = [
        "zoë Quinn",
        "Adam Quist",
        "bella Quade",
        "Émile Quon",
        "Eddie Quell",
    ];
    let reports: Vec<Uuid> = sqlx::query_scalar(
        "select id from people where manager_id = (select id from people where email = 'manager@example.com')
           and employment_status <> 'terminated' order by employee_number limit 5",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(reports.len(), 5, "the demo manager has five reports");
    for (id, name) in reports.iter().zip(names) {
        sqlx::query("update people set display_name = $2 where id = $1")
            .bind(id)
            .bind(name)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let manager = app.signed_in("manager@example.com").await;
    let team: Value = manager.get_json("/api/v1/team").await.json().await.unwrap();
    let listed: Vec<&str> = team["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["display_name"].as_str())
        .filter(|n| names.contains(n))
        .collect();
    assert_eq!(
        listed,
        [
            "Adam Quist",
            "bella Quade",
            "Eddie Quell",
            "Émile Quon",
            "zoë Quinn"
        ]
    );
}
