//! Suggested career moves (`/careers` and `/api/v1/me/career-moves`): the paths HR defined,
//! the profiles close to my skills and the moves people made, side by side, each with why;
//! moves made by fewer than three people are never shown.

use serde_json::Value;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::TestApp;

async fn profile_of(db: &PgPool, email: &str) -> Uuid {
    sqlx::query_scalar("select job_profile_id from people where email = $1")
        .bind(email)
        .fetch_one(db)
        .await
        .unwrap()
}

/// Records that `n` people (not the employee) moved from `from` to `to`.
async fn people_moved(db: &PgPool, from: Uuid, to: Uuid, n: i64) {
    sqlx::query(
        "insert into moves (person_id, kind, source, from_profile_id, to_profile_id, effective_on)
         select p.id, 'lateral_move', 'import', $1, $2, current_date - 30 from people p
         where p.email not in ('employee@example.com') and p.employment_status = 'active'
         order by p.id limit $3",
    )
    .bind(from)
    .bind(to)
    .bind(n)
    .execute(db)
    .await
    .unwrap();
}

/// Two profiles that are not the employee's and not among the moves already recorded from it.
async fn two_other_profiles(db: &PgPool, from: Uuid) -> (Uuid, Uuid) {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "select id from job_profiles where id <> $1 and retired_at is null
           and id not in (select to_profile_id from moves where from_profile_id = $1
                          and to_profile_id is not null)
         order by title limit 2",
    )
    .bind(from)
    .fetch_all(db)
    .await
    .unwrap();
    (ids[0], ids[1])
}

#[tokio::test]
async fn career_moves_come_from_three_sources_each_with_why_and_hide_rare_moves() {
    let app = TestApp::with_demo().await;
    let from = profile_of(&app.db, "employee@example.com").await;
    let (three, two) = two_other_profiles(&app.db, from).await;
    people_moved(&app.db, from, three, 3).await;
    people_moved(&app.db, from, two, 2).await;
    let employee = app.signed_in("employee@example.com").await;

    let moves: Value = employee
        .get_json("/api/v1/me/career-moves")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(moves["from_profile_id"], from.to_string());
    let ids = |list: &str| -> Vec<String> {
        moves[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["profile_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let defined: Vec<Uuid> =
        sqlx::query_scalar("select to_profile_id from career_paths where from_profile_id = $1")
            .bind(from)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let mut got = ids("defined");
    got.sort();
    let mut want: Vec<String> = defined.iter().map(Uuid::to_string).collect();
    want.sort();
    assert_eq!(got, want, "every path HR defined from my role");
    let observed = &moves["observed"];
    let made = observed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["profile_id"] == three.to_string())
        .unwrap_or_else(|| panic!("the move three people made: {observed:#}"));
    assert_eq!(made["people_moved"], 3);
    assert!(made["why"]
        .as_str()
        .unwrap()
        .contains("3 people moved this way"));
    assert!(
        !ids("observed").contains(&two.to_string()),
        "a move two people made could point at one of them"
    );
    let by_skills = moves["by_skills"].as_array().unwrap();
    assert!(!by_skills.is_empty());
    assert!(
        !ids("by_skills").contains(&from.to_string()),
        "not my own role"
    );
    for m in by_skills {
        let why = m["why"].as_str().unwrap();
        assert!(why.contains(" of your ") && why.contains("skill"), "{why}");
        assert_ne!(m["direction"], "down", "{m:#}");
    }
    let relevance: Vec<u64> = by_skills
        .iter()
        .map(|m| m["relevance"].as_u64().unwrap())
        .collect();
    assert!(relevance.windows(2).all(|w| w[0] >= w[1]), "{relevance:?}");

    let html = employee.get("/careers").await.text().await.unwrap();
    for testid in ["moves-defined", "moves-by-skills", "moves-observed"] {
        assert!(
            html.contains(&format!("data-testid=\"{testid}\"")),
            "{testid}"
        );
    }
    assert!(html.contains("3 people moved this way"));
    let first = by_skills[0]["title"].as_str().unwrap();
    assert!(html.contains(first), "{first}");
}
