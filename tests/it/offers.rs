//! Offers and moves: positions never over-filled, the release limit, move kinds, returns.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

use crate::pipeline::{any_skill, application, post_opening, Fixture};

/// Another active, discoverable person who is neither Maya, Daniel nor the owner.
async fn someone_else(f: &Fixture) -> Uuid {
    sqlx::query_scalar(
        "select id from people where id not in ($1, $2, $3) and employment_status = 'active'
                        and job_profile_id is not null order by employee_number limit 1",
    )
    .bind(f.maya)
    .bind(f.daniel)
    .bind(f.owner)
    .fetch_one(&f.app.db)
    .await
    .unwrap()
}

async fn count(db: &PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_acceptances_of_the_last_position_at_once_leave_exactly_one_winner() {
    let (f, owner) = Fixture::new(1).await;
    let other = someone_else(&f).await;
    let first = application(&f.app.db, f.posting, f.maya, "offered").await;
    let second = application(&f.app.db, f.posting, other, "offered").await;
    let owner = std::sync::Arc::new(owner);
    let accept = |id: Uuid| {
        let owner = owner.clone();
        async move {
            owner
                .send_json(
                    Method::POST,
                    &format!("/api/v1/applications/{id}/transition"),
                    Some(json!({ "to": "accepted" })),
                )
                .await
                .status()
                .as_u16()
        }
    };

    let (a, b) = tokio::join!(tokio::spawn(accept(first)), tokio::spawn(accept(second)));

    let mut statuses = [a.unwrap(), b.unwrap()];
    statuses.sort();
    assert_eq!(statuses, [204, 409]);
    let (filled, status): (i16, String) =
        sqlx::query_as("select positions_filled, status from opportunities where id = $1")
            .bind(f.posting)
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert_eq!((filled, status.as_str()), (1, "filled"));
    assert_eq!(
        count(
            &f.app.db,
            "select count(*) from moves where opportunity_id = $1",
            f.posting
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &f.app.db,
            "select count(*) from applications where opportunity_id = $1 and status = 'accepted'",
            f.posting
        )
        .await,
        1
    );
    // The winner's acceptance filled the last position, which closed the other offer; the
    // loser's own acceptance then found it closed.
    let loser = if f.status(first).await == "accepted" {
        second
    } else {
        first
    };
    assert_eq!(f.status(loser).await, "rejected");
    let reasons: Vec<String> = sqlx::query_scalar(
        "select reason from application_events where application_id = $1 order by id",
    )
    .bind(loser)
    .fetch_all(&f.app.db)
    .await
    .unwrap();
    assert_eq!(reasons.len(), 2, "submitted, then closed once: {reasons:?}");
    assert!(reasons[1].starts_with("All positions of this opening are filled"));
}

#[tokio::test]
async fn a_start_date_beyond_the_policys_release_limit_is_refused() {
    let (f, _owner) = Fixture::new(1).await;
    let id = application(&f.app.db, f.posting, f.maya, "offered").await;
    let maya = f.app.signed_in("employee@example.com").await;
    let too_late = (time::OffsetDateTime::now_utc().date() + time::Duration::weeks(9)).to_string();

    let r = maya
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{id}/accept"),
            Some(json!({ "start_on": too_late })),
        )
        .await;

    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/start_on");
    assert!(body["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("8 weeks"));
    assert_eq!(f.status(id).await, "offered");
    assert_eq!(
        count(
            &f.app.db,
            "select count(*) from moves where application_id = $1",
            id
        )
        .await,
        0
    );

    let in_time = (time::OffsetDateTime::now_utc().date() + time::Duration::weeks(2)).to_string();
    let r = maya
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{id}/accept"),
            Some(json!({ "start_on": in_time })),
        )
        .await;
    assert_eq!(r.status(), 204);
    let release: time::Date =
        sqlx::query_scalar("select release_on from moves where application_id = $1")
            .bind(id)
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert_eq!(release.to_string(), in_time);
    let told = count(
        &f.app.db,
        "select count(*) from notifications where kind = 'move_agreed' and person_id = $1",
        f.daniel,
    )
    .await;
    assert_eq!(told, 1, "the current manager is told");
}

/// Post `body` as the fixture's owner, have the owner record Maya's acceptance with
/// `start_on`, and return the move's kind and planned end.
async fn accepted_move(
    f: &Fixture,
    owner: &crate::support::Client,
    body: Value,
    start_on: Option<String>,
) -> Option<(String, Option<time::Date>)> {
    let posting = post_opening(owner, body).await;
    let id = application(&f.app.db, posting, f.maya, "offered").await;
    let r = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{id}/transition"),
            Some(json!({ "to": "accepted", "start_on": start_on })),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    sqlx::query_as("select kind, planned_end_on from moves where application_id = $1")
        .bind(id)
        .fetch_optional(&f.app.db)
        .await
        .unwrap()
}

/// A job profile whose level ranks above (`higher`) or the same as Maya's.
async fn profile_ranked(db: &PgPool, maya: Uuid, higher: bool) -> Uuid {
    sqlx::query_scalar(
        "select jp.id from job_profiles jp join job_levels l on l.id = jp.level_id,
                people p join job_profiles mp on mp.id = p.job_profile_id join job_levels ml on ml.id = mp.level_id
         where p.id = $1 and jp.id <> mp.id and (case when $2 then l.rank > ml.rank else l.rank = ml.rank end)
         order by jp.title limit 1")
        .bind(maya).bind(higher).fetch_one(db).await.unwrap()
}

#[tokio::test]
async fn the_move_kind_follows_the_opening_and_the_job_levels() {
    let (f, owner) = Fixture::new(1).await;
    let skill = any_skill(&f.app.db).await;
    let skills = json!([{ "skill_id": skill, "level": 2, "importance": "essential" }]);
    let higher = profile_ranked(&f.app.db, f.maya, true).await;
    let same = profile_ranked(&f.app.db, f.maya, false).await;
    let before: Uuid = sqlx::query_scalar("select job_profile_id from people where id = $1")
        .bind(f.maya)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    let role = |profile: Uuid| {
        json!({ "kind": "role", "title": "A role", "work_mode": "remote", "positions": 1,
        "job_profile_id": profile, "skills": skills })
    };
    let today = time::OffsetDateTime::now_utc().date();

    let lateral = accepted_move(&f, &owner, role(same), None).await.unwrap();
    assert_eq!(lateral.0, "lateral_move");
    let profile: Uuid = sqlx::query_scalar("select job_profile_id from people where id = $1")
        .bind(f.maya)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert_eq!(
        profile, before,
        "a move released later does not change the profile yet"
    );

    let secondment = json!({ "kind": "secondment", "title": "Six months away", "work_mode": "onsite", "positions": 1,
        "start_date": "2027-03-01", "end_date": "2027-09-01", "return_guaranteed": true, "skills": skills });
    let (kind, end) = accepted_move(&f, &owner, secondment, None).await.unwrap();
    assert_eq!(
        (kind.as_str(), end.map(|d| d.to_string())),
        ("secondment_start", Some("2027-09-01".into()))
    );

    let project = json!({ "kind": "project", "title": "A project", "work_mode": "remote", "positions": 1,
        "hours_per_week": 6, "duration_weeks": 10, "skills": skills });
    assert_eq!(
        accepted_move(&f, &owner, project, None).await.unwrap().0,
        "project_assignment"
    );

    let mentorship = json!({ "kind": "mentorship", "title": "Mentoring", "work_mode": "remote", "positions": 1 });
    assert_eq!(
        accepted_move(&f, &owner, mentorship, None).await,
        None,
        "a mentorship is not a move"
    );

    let promotion = accepted_move(&f, &owner, role(higher), Some(today.to_string()))
        .await
        .unwrap();
    assert_eq!(promotion.0, "promotion");
    let (profile, started): (Uuid, time::Date) =
        sqlx::query_as("select job_profile_id, role_started_on from people where id = $1")
            .bind(f.maya)
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert_eq!(
        (profile, started),
        (higher, today),
        "a move effective today applies at once"
    );
}

#[tokio::test]
async fn a_secondment_past_its_end_is_due_to_return_and_the_return_is_recorded_once() {
    let (f, owner) = Fixture::new(1).await;
    let skill = any_skill(&f.app.db).await;
    let body = json!({ "kind": "secondment", "title": "Short secondment", "work_mode": "onsite", "positions": 1,
        "start_date": "2026-01-05", "end_date": "2026-06-30", "skills": [{ "skill_id": skill, "level": 2, "importance": "essential" }] });
    accepted_move(&f, &owner, body, None).await.unwrap();
    sqlx::query("update moves set planned_end_on = current_date - 1 where person_id = $1 and kind = 'secondment_start'")
        .bind(f.maya).execute(&f.app.db).await.unwrap();
    let daniel = f.app.signed_in("manager@example.com").await;

    let due: Value = daniel
        .get_json("/api/v1/moves/returns-due")
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<&Value> = due
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["person_id"] == f.maya.to_string())
        .collect();
    assert_eq!(mine.len(), 1);
    let start = mine[0]["move_id"].as_str().unwrap().to_string();
    let team = daniel.get("/team").await.text().await.unwrap();
    assert!(team.contains("Secondment returns due"));
    let hr = f.app.signed_in("hr@example.com").await;
    let listed = hr.get("/moves/returns-due").await.text().await.unwrap();
    assert!(
        listed.contains(&format!("/moves/{start}/return")),
        "HR sees the return due"
    );

    let r = daniel
        .send_json(Method::POST, &format!("/api/v1/moves/{start}/return"), None)
        .await;
    assert_eq!(r.status(), 201);
    let again = daniel
        .send_json(Method::POST, &format!("/api/v1/moves/{start}/return"), None)
        .await;
    assert_eq!(again.status(), 404);
    let related: Uuid = sqlx::query_scalar(
        "select related_move_id from moves where kind = 'secondment_end' and person_id = $1",
    )
    .bind(f.maya)
    .fetch_one(&f.app.db)
    .await
    .unwrap();
    assert_eq!(related.to_string(), start);
}

#[tokio::test]
async fn a_role_move_applies_on_its_date_and_the_applicant_accepts_through_the_form() {
    let (f, owner) = Fixture::new(1).await;
    let id = application(&f.app.db, f.posting, f.maya, "offered").await;
    let maya = f.app.signed_in("employee@example.com").await;
    let start = (time::OffsetDateTime::now_utc().date() + time::Duration::weeks(1)).to_string();

    let r = maya
        .submit(
            "/",
            &format!("/applications/{id}/accept"),
            &[("start_on", &start)],
        )
        .await;

    assert_eq!(r.status(), 303);
    assert_eq!(f.status(id).await, "accepted");
    let before: time::Date = sqlx::query_scalar("select role_started_on from people where id = $1")
        .bind(f.maya)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
    assert!(before.to_string() < start, "not applied before its date");
    sqlx::query("update moves set effective_on = current_date where application_id = $1")
        .bind(id)
        .execute(&f.app.db)
        .await
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(
        trellis::db::moves::apply_due_moves(&f.app.db, today)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        trellis::db::moves::apply_due_moves(&f.app.db, today)
            .await
            .unwrap(),
        0,
        "applied once"
    );
    let (started, manager): (time::Date, Option<Uuid>) =
        sqlx::query_as("select role_started_on, manager_id from people where id = $1")
            .bind(f.maya)
            .fetch_one(&f.app.db)
            .await
            .unwrap();
    assert_eq!((started, manager), (today, Some(f.owner)));
    let _ = owner;
}

/// Active people other than Maya, Daniel and the owner.
async fn others(f: &Fixture, n: i64) -> Vec<Uuid> {
    sqlx::query_scalar(
        "select id from people where id not in ($1, $2, $3) and employment_status = 'active'
                        and job_profile_id is not null order by employee_number limit $4",
    )
    .bind(f.maya)
    .bind(f.daniel)
    .bind(f.owner)
    .bind(n)
    .fetch_all(&f.app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn filling_the_last_position_closes_the_other_applications_with_a_message_to_each() {
    let (f, owner) = Fixture::new(2).await;
    let people = others(&f, 5).await;
    let first = application(&f.app.db, f.posting, people[0], "offered").await;
    let second = application(&f.app.db, f.posting, people[1], "offered").await;
    let waiting = [
        application(&f.app.db, f.posting, people[2], "submitted").await,
        application(&f.app.db, f.posting, people[3], "interviewing").await,
    ];
    let withdrawn = application(&f.app.db, f.posting, people[4], "withdrawn").await;
    let accept = |id: Uuid| {
        let owner = &owner;
        async move {
            owner
                .send_json(
                    Method::POST,
                    &format!("/api/v1/applications/{id}/transition"),
                    Some(json!({ "to": "accepted" })),
                )
                .await
        }
    };

    assert_eq!(accept(first).await.status(), 204);
    // One position is still open: nobody else is closed yet.
    for id in waiting {
        assert_ne!(f.status(id).await, "rejected");
    }
    assert_eq!(f.status(second).await, "offered");

    assert_eq!(accept(second).await.status(), 204);
    for id in &waiting {
        assert_eq!(f.status(*id).await, "rejected");
        let (title, body, link): (String, String, String) = sqlx::query_as(
            "select title, body, link from notifications
             where application_id = $1 and kind = 'application_closed'",
        )
        .bind(id)
        .fetch_one(&f.app.db)
        .await
        .unwrap();
        assert!(title.ends_with("is filled"), "{title}");
        assert!(body.contains("your application is closed"), "{body}");
        assert!(body.contains("Your fit was "), "{body}");
        assert!(body.contains("Save this search"), "{body}");
        assert!(link.starts_with("/opportunities?kind=role"), "{link}");
    }
    assert_eq!(f.status(withdrawn).await, "withdrawn");
    assert_eq!(
        count(
            &f.app.db,
            "select count(*) from audit_log where action = 'application.closed_filled'
             and entity_id = any(select id::text from applications where opportunity_id = $1)",
            f.posting
        )
        .await,
        2
    );
}

#[tokio::test]
async fn the_applicants_list_puts_active_ones_first_each_with_a_one_line_summary() {
    let (f, owner) = Fixture::new(1).await;
    let people = others(&f, 3).await;
    for p in &people {
        application(&f.app.db, f.posting, *p, "submitted").await;
    }
    let url = format!("/api/v1/postings/{}/applicants", f.posting);
    // Close the applicant the list ranks first.
    let before: Value = owner.get_json(&url).await.json().await.unwrap();
    let best = before[0]["application_id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    sqlx::query("update applications set status = 'rejected', decided_at = now() where id = $1")
        .bind(best)
        .execute(&f.app.db)
        .await
        .unwrap();

    let after: Value = owner.get_json(&url).await.json().await.unwrap();
    let after = after.as_array().unwrap();
    let actives: Vec<bool> = after.iter().map(|a| a["active"] == true).collect();
    assert_eq!(actives, [true, true, false], "{after:#?}");
    assert_eq!(after[2]["application_id"], best.to_string());
    for a in after {
        let summary = a["summary"].as_str().unwrap();
        assert!(summary.starts_with("Meets "), "{summary}");
    }
    let html = owner
        .get(&format!("/postings/{}/applicants", f.posting))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("data-testid=\"summary\"").count(), 3);
    assert_eq!(html.matches("data-testid=\"closed-divider\"").count(), 1);
}

#[tokio::test]
async fn an_offer_on_a_filled_opening_says_why_it_cannot_be_accepted() {
    let (f, owner) = Fixture::new(1).await;
    let people = others(&f, 2).await;
    let winner = application(&f.app.db, f.posting, people[0], "offered").await;
    let accepted = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{winner}/transition"),
            Some(json!({ "to": "accepted" })),
        )
        .await;
    assert_eq!(accepted.status(), 204);
    // An offer made outside Trellis's own flow (an import, an older version) on the filled
    // opening.
    let late = application(&f.app.db, f.posting, people[1], "offered").await;

    let detail: Value = owner
        .get_json(&format!("/api/v1/postings/{}/applicants/{late}", f.posting))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !detail["next"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "accepted"),
        "{detail:#}"
    );
    let note = detail["filled_note"].as_str().unwrap();
    assert!(note.contains("add a position to the posting"), "{note}");
    let html = owner
        .get(&format!("/postings/{}/applicants/{late}", f.posting))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-testid=\"filled-note\""));
    assert!(!html.contains("data-testid=\"to-accepted\""));
    let refused = owner
        .send_json(
            Method::POST,
            &format!("/api/v1/applications/{late}/transition"),
            Some(json!({ "to": "accepted" })),
        )
        .await;
    assert_eq!(refused.status(), 409);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("Add a position to the posting first"),
        "{body:#}"
    );
}
