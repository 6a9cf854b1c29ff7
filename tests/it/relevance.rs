//! What a person sees first: on the demo company, each demo sign-in's first recommendations
//! (the home page and the API alike) are at their level, one above or sideways, never a step
//! down they did not ask for, and every reason's points add up to the score.

use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::TestApp;

const SIGN_INS: [&str; 3] = [
    "employee@example.com",
    "manager@example.com",
    "hr@example.com",
];

/// The rank of a person's level and of each opening's (None without a job profile).
async fn rank_of_person(db: &PgPool, email: &str) -> i16 {
    sqlx::query_scalar(
        "select l.rank from people p join job_profiles jp on jp.id = p.job_profile_id
         join job_levels l on l.id = jp.level_id where p.email = $1",
    )
    .bind(email)
    .fetch_one(db)
    .await
    .unwrap_or_else(|e| panic!("{email} has a job profile: {e}"))
}

async fn rank_of_opening(db: &PgPool, opening: Uuid) -> Option<i16> {
    sqlx::query_scalar(
        "select l.rank from opportunities o join job_profiles jp on jp.id = o.job_profile_id
         join job_levels l on l.id = jp.level_id where o.id = $1",
    )
    .bind(opening)
    .fetch_optional(db)
    .await
    .unwrap()
}

/// The titles of the recommended cards on the home page, in order.
fn titles_in(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let cards = scraper::Selector::parse("[data-testid=fitting-openings] h3 a").unwrap();
    doc.select(&cards)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn assert_reasons_add_up(fit: &Value) {
    let sum: i64 = fit["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["points"].as_i64().unwrap())
        .sum();
    assert_eq!(Some(sum), fit["score"].as_i64(), "{fit:#}");
}

#[tokio::test]
async fn the_first_three_recommendations_of_each_demo_sign_in_are_at_their_level_or_one_above() {
    let app = TestApp::with_demo().await;
    for email in SIGN_INS {
        let me = rank_of_person(&app.db, email).await;
        let client = app.signed_in(email).await;
        let body: Value = client
            .get_json("/api/v1/me/recommendations?limit=8")
            .await
            .json()
            .await
            .unwrap();
        let list = body.as_array().unwrap();
        assert!(list.len() >= 3, "{email}: {body:#}");
        for r in list {
            assert_reasons_add_up(&r["relevance"]);
        }
        for r in &list[..3] {
            let id: Uuid = r["opening"]["id"].as_str().unwrap().parse().unwrap();
            if let Some(rank) = rank_of_opening(&app.db, id).await {
                assert!(
                    rank == me || rank == me + 1,
                    "{email} (rank {me}) is first recommended {} at rank {rank}: {:#}",
                    r["opening"]["title"],
                    r["relevance"]
                );
            }
            let kinds: Vec<&str> = r["relevance"]["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|x| x["kind"].as_str())
                .collect();
            assert!(kinds.contains(&"overlap"), "{email}: {kinds:?}");
        }
        // The home page shows the same openings first.
        let home = client.get("/").await.text().await.unwrap();
        let titles = titles_in(&home);
        let api_titles: Vec<String> = list
            .iter()
            .map(|r| r["opening"]["title"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(titles[..3], api_titles[..3], "{email}");
    }
}
