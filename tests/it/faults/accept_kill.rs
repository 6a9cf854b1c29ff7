//! An acceptance burst under SIGKILL: 40 offers accepted at once on a 40-position opening, the
//! server killed in the middle; every acceptance is whole or absent, and the rest go through
//! after the restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{database_url, free_port, Trellis};
use crate::pipeline::{application, Fixture};
use crate::support::client::Client;
use crate::support::count;
use trellis::demo::DEMO_PASSWORD;

const OFFERS: i64 = 40;

async fn accept(owner: &Client, id: Uuid) -> Option<u16> {
    let r = owner
        .request(
            Method::POST,
            &format!("/api/v1/applications/{id}/transition"),
        )
        .await
        .header("accept", "application/json")
        .json(&json!({ "to": "accepted" }))
        .send()
        .await
        .ok()?;
    Some(r.status().as_u16())
}

/// Accepted applications, filled positions and moves agree, and each acceptance has its event.
async fn consistent(db: &sqlx::PgPool, posting: Uuid) -> i64 {
    let accepted = count(
        db,
        &format!("select count(*) from applications where opportunity_id = '{posting}' and status = 'accepted'"),
    )
    .await;
    let filled = count(
        db,
        &format!("select positions_filled::bigint from opportunities where id = '{posting}'"),
    )
    .await;
    let moves = count(
        db,
        &format!("select count(*) from moves where opportunity_id = '{posting}'"),
    )
    .await;
    let events = count(
        db,
        &format!(
            "select count(*) from application_events e join applications a on a.id = e.application_id
             where a.opportunity_id = '{posting}' and e.to_status = 'accepted'"
        ),
    )
    .await;
    assert_eq!(
        (filled, moves, events),
        (accepted, accepted, accepted),
        "positions filled, moves and acceptance events follow the accepted applications"
    );
    accepted
}

#[tokio::test]
async fn a_server_killed_during_forty_acceptances_leaves_each_whole_or_not_at_all() {
    let (f, _) = Fixture::new(OFFERS as i16).await;
    let people: Vec<Uuid> = sqlx::query_scalar(
        "select id from people where id <> $1 and employment_status = 'active'
           and job_profile_id is not null order by employee_number limit $2",
    )
    .bind(f.owner)
    .bind(OFFERS)
    .fetch_all(&f.app.db)
    .await
    .unwrap();
    let mut offers = Vec::new();
    for p in people {
        offers.push(application(&f.app.db, f.posting, p, "offered").await);
    }
    let url = database_url(&f.app.db);
    let env = [
        ("TRELLIS_DB_MAX_CONNECTIONS", "4".to_string()),
        ("TRELLIS_BACKGROUND_JOBS", "false".to_string()),
        ("TRELLIS_OUTBOX_INTERVAL_SECS", "0".to_string()),
    ];
    let port = free_port();
    let mut server = Trellis::start(&url, port, &env).await;
    let owner = Arc::new(Client::new(server.url("")));
    assert_eq!(
        owner.sign_in(&f.owner_email, DEMO_PASSWORD).await.status(),
        303
    );

    let burst: Vec<_> = offers
        .iter()
        .map(|&id| {
            let owner = owner.clone();
            tokio::spawn(async move { accept(&owner, id).await })
        })
        .collect();
    // Kill once a few acceptances are in, while the others are on their way.
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(
        &f.app.db,
        &format!(
            "select count(*) from applications where opportunity_id = '{}' and status = 'accepted'",
            f.posting
        ),
    )
    .await
        < 5
    {
        assert!(Instant::now() < deadline, "no acceptance went through");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for task in burst {
        let _ = task.await;
    }
    let after_kill = consistent(&f.app.db, f.posting).await;
    eprintln!("acceptance burst: {after_kill} of {OFFERS} accepted when the server was killed");
    assert!(after_kill >= 1);

    // After the restart the remaining offers are accepted, each once.
    let server = Trellis::start(&url, port, &env).await;
    let owner = Client::new(server.url(""));
    assert_eq!(
        owner.sign_in(&f.owner_email, DEMO_PASSWORD).await.status(),
        303
    );
    for &id in &offers {
        if f.status(id).await == "offered" {
            assert_eq!(accept(&owner, id).await, Some(204));
        }
    }
    assert_eq!(consistent(&f.app.db, f.posting).await, OFFERS);
}
