//! Talent search, recommendations and learning paths through the API: ranked with reasons,
//! under the access rules, and current after every change (in-process and across servers).

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::TestApp;

async fn person_id(db: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("select id from people where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

async fn open_posting_of(db: &PgPool, email: &str, kind: &str) -> Uuid {
    sqlx::query_scalar(
        "select o.id from opportunities o join people p on p.id = o.owner_id
         where p.email = $1 and o.status = 'open' and o.kind = $2
           and exists (select 1 from opportunity_skills s where s.opportunity_id = o.id)
         order by o.id limit 1",
    )
    .bind(email)
    .bind(kind)
    .fetch_one(db)
    .await
    .unwrap_or_else(|e| panic!("{email} has no open {kind}: {e}"))
}

async fn level_of(db: &PgPool, person: Uuid, skill: Uuid) -> i16 {
    sqlx::query_scalar("select level from person_skills where person_id = $1 and skill_id = $2")
        .bind(person)
        .bind(skill)
        .fetch_one(db)
        .await
        .unwrap()
}

fn assert_reasons_add_up(fit: &Value) {
    let score = fit["score"].as_i64().unwrap();
    let sum: i64 = fit["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["points"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, score, "{fit}");
    assert!((0..=100).contains(&score));
}

#[tokio::test]
async fn talent_search_ranks_eligible_people_by_fit_with_reasons_that_add_up() {
    let app = TestApp::with_demo().await;
    let opening = open_posting_of(&app.db, "manager@example.com", "role").await;
    let manager = app.signed_in("manager@example.com").await;

    let response = manager
        .get_json(&format!("/api/v1/opportunities/{opening}/talent?limit=25"))
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 25);
    let scores: Vec<i64> = results
        .iter()
        .map(|r| r["fit"]["score"].as_i64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let requirements: i64 =
        sqlx::query_scalar("select count(*) from opportunity_skills where opportunity_id = $1")
            .bind(opening)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let owner = person_id(&app.db, "manager@example.com").await;
    for r in results {
        assert_reasons_add_up(&r["fit"]);
        let skill_reasons = r["fit"]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["kind"] == "skill")
            .count();
        assert_eq!(
            skill_reasons as i64, requirements,
            "one reason per required skill"
        );
        let id: Uuid = r["person"]["id"].as_str().unwrap().parse().unwrap();
        assert_ne!(id, owner, "the owner never appears");
        // A role needs 12 months in the current role (the default policy), and discoverability.
        let (eligible, discoverable): (bool, bool) = sqlx::query_as(
            "select role_started_on <= current_date - interval '12 months', discoverable from people where id = $1",
        )
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert!(eligible && discoverable, "{id} should not be listed");
    }
}

#[tokio::test]
async fn only_the_owner_and_hr_may_search_talent_for_an_opening() {
    let app = TestApp::with_demo().await;
    let mine = open_posting_of(&app.db, "manager@example.com", "role").await;
    let theirs: Uuid = sqlx::query_scalar(
        "select o.id from opportunities o join people p on p.id = o.owner_id
         where p.email <> 'manager@example.com' and o.status = 'open' limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let closed: Uuid = sqlx::query_scalar(
        "select id from opportunities where status in ('closed', 'filled') limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let employee = app.signed_in("employee@example.com").await;
    let manager = app.signed_in("manager@example.com").await;
    let hr = app.signed_in("hr@example.com").await;
    let cases = [
        (&employee, mine, 403),
        (&manager, theirs, 403),
        (&manager, mine, 200),
        (&hr, theirs, 200),
        (&hr, closed, 409),
        (&hr, Uuid::new_v4(), 404),
    ];
    for (client, opening, expected) in cases {
        let status = client
            .get_json(&format!("/api/v1/opportunities/{opening}/talent"))
            .await
            .status();
        assert_eq!(status.as_u16(), expected, "{opening}");
    }
    let bad = manager
        .get_json(&format!("/api/v1/opportunities/{mine}/talent?limit=0"))
        .await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["pointer"], "/limit");
}

#[tokio::test]
async fn recommendations_are_the_persons_own_and_leave_out_what_they_applied_to() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let me = person_id(&app.db, "employee@example.com").await;
    let body: Value = employee
        .get_json("/api/v1/me/recommendations?limit=15")
        .await
        .json()
        .await
        .unwrap();
    let list = body.as_array().unwrap();
    assert!(!list.is_empty());
    let scores: Vec<i64> = list
        .iter()
        .map(|r| r["relevance"]["score"].as_i64().unwrap())
        .collect();
    // Best first, except that a step down the person has not asked for (a direction reason
    // taking points off) comes after every other opening that scores above 0.
    let unasked_down: Vec<bool> = list
        .iter()
        .map(|r| {
            r["relevance"]["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["kind"] == "direction" && x["points"].as_i64().is_some_and(|p| p < 0))
        })
        .collect();
    let keys: Vec<(bool, bool, i64)> = scores
        .iter()
        .zip(&unasked_down)
        .map(|(&s, &down)| (s == 0, down && s > 0, -s))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    for r in list {
        assert_reasons_add_up(&r["relevance"]);
        let id: Uuid = r["opening"]["id"].as_str().unwrap().parse().unwrap();
        let (owner, status, applied): (Uuid, String, bool) = sqlx::query_as(
            "select owner_id, status, exists(select 1 from applications a where a.opportunity_id = o.id
               and a.applicant_id = $2 and a.status in ('submitted','in_review','interviewing','offered','accepted'))
             from opportunities o where id = $1",
        )
        .bind(id)
        .bind(me)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_ne!(owner, me);
        assert_eq!(status, "open");
        assert!(!applied);
    }
}

/// A brand-new skill nobody holds and an open opening that needs only it.
async fn rare_opening(db: &PgPool) -> (Uuid, Uuid) {
    let skill: Uuid = sqlx::query_scalar(
        "insert into skills (name) values ('Quantum basket weaving') returning id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let opening: Uuid = sqlx::query_scalar(
        "insert into opportunities (kind, status, title, owner_id, department_id, hours_per_week, published_at)
         select 'project', 'open', 'Weave the quantum baskets', p.id, p.department_id, 4, now()
         from people p where p.email = 'manager@example.com' returning id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query("insert into opportunity_skills (opportunity_id, skill_id, level, importance) values ($1, $2, 3, 'essential')")
        .bind(opening)
        .bind(skill)
        .execute(db)
        .await
        .unwrap();
    (skill, opening)
}

/// Poll `check` until it holds (changes from another server arrive by notification).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn top_person(client: &crate::support::Client, opening: Uuid) -> Option<(String, i64)> {
    let response = client
        .get_json(&format!("/api/v1/opportunities/{opening}/talent?limit=1"))
        .await;
    if response.status() != 200 {
        return None;
    }
    let body: Value = response.json().await.unwrap();
    let first = &body["results"][0];
    Some((
        first["person"]["id"].as_str()?.to_string(),
        first["fit"]["score"].as_i64()?,
    ))
}

#[tokio::test]
async fn a_profile_change_shows_in_the_next_search_here_and_on_a_second_server() {
    let app = TestApp::with_demo().await;
    let other_server = TestApp::on(app.db.clone()).await;
    let (skill, opening) = rare_opening(&app.db).await;
    let manager_here = app.signed_in("manager@example.com").await;
    let manager_there = other_server.signed_in("manager@example.com").await;
    let employee = app.signed_in("employee@example.com").await;
    let me = person_id(&app.db, "employee@example.com").await.to_string();
    // The opening was written by SQL: both servers learn of it by notification.
    eventually("the new opening is searchable here", || async {
        top_person(&manager_here, opening).await.is_some()
    })
    .await;
    assert_eq!(
        top_person(&manager_here, opening).await.unwrap().1,
        0,
        "nobody holds the skill yet"
    );

    let response = employee
        .send_json(
            Method::PUT,
            &format!("/api/v1/me/skills/{skill}"),
            Some(json!({ "level": 4 })),
        )
        .await;
    assert_eq!(response.status(), 200);

    // The server that took the write knows at once.
    let (top, score) = top_person(&manager_here, opening).await.unwrap();
    assert_eq!(top, me);
    assert_eq!(score, 80, "level 4 of 3 asked, self-assessed (0.8)");
    // The other server learns it through LISTEN/NOTIFY.
    eventually("the second server sees the new skill", || async {
        top_person(&manager_there, opening)
            .await
            .is_some_and(|(p, s)| p == me && s == 80)
    })
    .await;

    let removed = employee
        .send_json(Method::DELETE, &format!("/api/v1/me/skills/{skill}"), None)
        .await;
    assert_eq!(removed.status(), 204);
    assert_eq!(top_person(&manager_here, opening).await.unwrap().1, 0);
    eventually("the second server sees the removal", || async {
        top_person(&manager_there, opening)
            .await
            .is_some_and(|(_, s)| s == 0)
    })
    .await;
}

#[tokio::test]
async fn bad_profile_input_is_refused_with_a_pointer_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let me = person_id(&app.db, "employee@example.com").await;
    let skill: Uuid =
        sqlx::query_scalar("select skill_id from person_skills where person_id = $1 limit 1")
            .bind(me)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let before = level_of(&app.db, me, skill).await;
    for (body, status) in [
        (json!({ "level": 6 }), 422),
        (json!({ "level": 0 }), 422),
        (json!({ "lvl": 3 }), 422),
    ] {
        let response = employee
            .send_json(
                Method::PUT,
                &format!("/api/v1/me/skills/{skill}"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(response.status().as_u16(), status, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert!(
            problem["errors"][0]["pointer"].as_str().is_some(),
            "{problem}"
        );
    }
    let unknown = employee
        .send_json(
            Method::PUT,
            &format!("/api/v1/me/skills/{}", Uuid::new_v4()),
            Some(json!({ "level": 3 })),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let after = level_of(&app.db, me, skill).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn the_learning_path_closes_gaps_and_shows_what_each_course_does_to_the_score() {
    let app = TestApp::with_demo().await;
    let employee = app.signed_in("employee@example.com").await;
    let recommended: Value = employee
        .get_json("/api/v1/me/recommendations?limit=50")
        .await
        .json()
        .await
        .unwrap();
    // The recommended opening with the most to learn.
    let opening = recommended
        .as_array()
        .unwrap()
        .iter()
        .min_by_key(|r| r["fit"].as_i64().unwrap())
        .map(|r| r["opening"]["id"].as_str().unwrap().to_string())
        .unwrap();

    let response = employee
        .get_json(&format!("/api/v1/me/opportunities/{opening}/learning-path"))
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_reasons_add_up(&body["fit"]);
    let path = &body["path"];
    assert_eq!(path["score_now"], body["fit"]["score"]);
    let steps = path["steps"].as_array().unwrap();
    let hours: f64 = steps.iter().map(|s| s["hours"].as_f64().unwrap()).sum();
    assert!((hours - path["total_hours"].as_f64().unwrap()).abs() < 0.01);
    let mut previous = path["score_now"].as_i64().unwrap();
    for s in steps {
        assert!(!s["title"].as_str().unwrap().is_empty());
        assert_eq!(s["score_before"].as_i64().unwrap(), previous);
        assert!(
            s["score_after"].as_i64().unwrap() >= previous,
            "a course never lowers the score"
        );
        previous = s["score_after"].as_i64().unwrap();
    }
    assert_eq!(path["score_after_path"].as_i64().unwrap(), previous);
    let not_found = employee
        .get_json(&format!(
            "/api/v1/me/opportunities/{}/learning-path",
            Uuid::new_v4()
        ))
        .await;
    assert_eq!(not_found.status(), 404);
}
