//! Job architecture admin: career paths are checked against the rules, through the API.

use serde_json::json;

use crate::support::TestApp;

mod edit;
mod pages;

pub(crate) async fn paths_setup(db: &sqlx::PgPool) {
    for sql in [
        "insert into job_families (name) values ('Arch Software'), ('Arch Data')",
        "insert into job_levels (code, name, track, rank) values
            ('AX2', 'Two', 'individual_contributor', 12), ('AX3', 'Three', 'individual_contributor', 13),
            ('AX5', 'Five', 'individual_contributor', 15)",
        "insert into job_profiles (family_id, level_id, title)
         select f.id, l.id, t.title from (values ('Arch Software', 'AX2', 'Arch Engineer'),
             ('Arch Software', 'AX3', 'Arch Senior Engineer'), ('Arch Data', 'AX3', 'Arch Data Engineer'),
             ('Arch Data', 'AX5', 'Arch Data Principal')) t(family, code, title)
         join job_families f on f.name = t.family join job_levels l on l.code = t.code",
    ] {
        sqlx::query(sql).execute(db).await.unwrap();
    }
}

#[tokio::test]
async fn career_paths_that_break_the_rules_are_refused_and_good_ones_saved() {
    let app = TestApp::with_demo().await;
    paths_setup(&app.db).await;
    let hr = app.signed_in("hr@example.com").await;
    let post = |from: &'static str, to: &'static str, kind: &'static str| {
        let hr = &hr;
        async move {
            hr.send_json(
                reqwest::Method::POST,
                "/api/v1/hr/architecture/paths",
                Some(json!({"from": from, "to": to, "kind": kind, "typical_months": 18})),
            )
            .await
            .status()
            .as_u16()
        }
    };

    let to_itself = post("Arch Engineer", "Arch Engineer", "promotion").await;
    let not_up = post("Arch Senior Engineer", "Arch Engineer", "promotion").await;
    let other_family = post("Arch Engineer", "Arch Data Engineer", "promotion").await;
    let lateral_too_far = post("Arch Senior Engineer", "Arch Data Principal", "lateral").await;
    let promotion = post("Arch Engineer", "Arch Senior Engineer", "promotion").await;
    let lateral = post("Arch Senior Engineer", "Arch Data Engineer", "lateral").await;

    assert_eq!(
        (to_itself, not_up, other_family, lateral_too_far),
        (422, 422, 422, 422)
    );
    assert_eq!((promotion, lateral), (204, 204));
    let saved: i64 = sqlx::query_scalar(
        "select count(*) from career_paths c join job_profiles a on a.id = c.from_profile_id where a.title like 'Arch %'")
        .fetch_one(&app.db).await.unwrap();
    assert_eq!(saved, 2);
    let html = hr.get("/hr/architecture").await.text().await.unwrap();
    assert!(html.contains("Arch Engineer → Arch Senior Engineer"));
}
