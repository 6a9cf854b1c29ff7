//! The skill taxonomy: ESCO import (idempotent, never overwriting hand edits), a taxonomy CSV,
//! and merging two skills.

use sqlx::PgPool;
use trellis::db::audit::Actor;
use trellis::import::esco::{self, EscoOptions};
use trellis::import::merge;
use trellis::import::{self, Kind, Options};
use uuid::Uuid;

use crate::support::{count, TestApp};

mod esco_upload;
mod links;
mod paging;

const ESCO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/esco");
const TOXICOLOGY: &str = "http://data.europa.eu/esco/skill/d4a0744a-508b-4a5e-97a5-ad1fc7f55e6e";

async fn esco_import(db: &PgPool, occupations: bool) -> esco::EscoReport {
    let options = EscoOptions {
        occupations,
        level: 3,
    };
    esco::import(
        db,
        std::path::Path::new(ESCO),
        Actor::System,
        options,
        &import::quiet,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn esco_skills_come_with_aliases_categories_relations_and_occupations() {
    let app = TestApp::empty().await;

    let report = esco_import(&app.db, true).await;

    assert_eq!((report.skills_in_file, report.skills_added), (4, 4));
    let (category, parent): (String, Option<String>) = sqlx::query_as(
        "select c.name, p.name from skills k join skill_categories c on c.id = k.category_id
         left join skill_categories p on p.id = c.parent_id where k.name = 'supervise correctional procedures'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(category, "directing operational activities");
    assert_eq!(
        parent.as_deref(),
        Some("organising, planning and scheduling work and activities")
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from skill_aliases a join skills k on k.id = a.skill_id
                               where k.name = 'toxicology' and a.alias = 'study of toxicity'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app.db, "select count(*) from skill_relations").await,
        4
    );
    let (title, importance): (String, String) = sqlx::query_as(
        "select j.title, s.importance from job_profiles j join job_profile_skills s on s.job_profile_id = j.id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), importance.as_str()),
        ("judge", "nice_to_have")
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action = 'import.esco'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn reimporting_esco_adds_nothing_and_keeps_what_hr_edited_by_hand() {
    let app = TestApp::empty().await;
    esco_import(&app.db, true).await;
    sqlx::query("update skills set name = 'Toxicology (lab)', description = 'ours', hand_edited_at = now() where esco_uri = $1")
        .bind(TOXICOLOGY)
        .execute(&app.db)
        .await
        .unwrap();

    let again = esco_import(&app.db, true).await;

    assert_eq!(
        (
            again.skills_added,
            again.skills_updated,
            again.aliases_added,
            again.relations_added
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(
        (again.skills_kept_hand_edited, again.job_profiles_added),
        (1, 0)
    );
    let (name, description): (String, String) =
        sqlx::query_as("select name, description from skills where esco_uri = $1")
            .bind(TOXICOLOGY)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (name.as_str(), description.as_str()),
        ("Toxicology (lab)", "ours")
    );
    assert_eq!(count(&app.db, "select count(*) from skills").await, 4);
}

#[tokio::test]
async fn the_skills_page_shows_esco_attribution() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;

    let html = hr.get("/hr/skills").await.text().await.unwrap();

    assert!(html.contains("This service uses the ESCO classification of the European Commission."));
}

#[tokio::test]
async fn a_taxonomy_csv_adds_skills_categories_and_aliases() {
    let app = TestApp::empty().await;
    sqlx::query("insert into skills (name) values ('Rust')")
        .execute(&app.db)
        .await
        .unwrap();
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/taxonomy.csv"
    ))
    .unwrap();

    let report = import::run(
        &app.db,
        Kind::Taxonomy,
        &file,
        Actor::System,
        Options::default(),
        &import::quiet,
    )
    .await
    .unwrap();

    assert_eq!((report.inserted, report.updated), (1, 1));
    assert_eq!(
        count(
            &app.db,
            "select count(*) from skill_aliases a join skills k on k.id = a.skill_id
                               where k.name = 'Kubernetes' and a.alias in ('k8s', 'kube')"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from skills k join skill_categories c on c.id = k.category_id
                               where k.name = 'Rust' and c.name = 'Programming'"
        )
        .await,
        1
    );
}

/// Two people, a job profile, a course; skills "Postgres" (to merge) and "PostgreSQL".
async fn merge_fixture(db: &PgPool) -> (Uuid, Uuid) {
    for sql in [
        "insert into departments (name) values ('Engineering')",
        "insert into job_families (name) values ('Software')",
        "insert into job_levels (code, name, track, rank) values ('IC2', 'Engineer', 'individual_contributor', 2)",
        "insert into job_profiles (family_id, level_id, title) select f.id, l.id, 'Engineer' from job_families f, job_levels l",
        "insert into people (employee_number, email, given_name, family_name, display_name, hire_date, role_started_on)
         values ('A', 'a@example.com', 'A', 'A', 'A', '2020-01-01', '2020-01-01'),
                ('B', 'b@example.com', 'B', 'B', 'B', '2020-01-01', '2020-01-01')",
        "insert into skills (name) values ('Postgres'), ('PostgreSQL')",
        "insert into skill_aliases (skill_id, alias) select id, 'pg' from skills where name = 'Postgres'",
        "insert into courses (title, format, hours) values ('SQL basics', 'e_learning', 4)",
    ] {
        sqlx::query(sql).execute(db).await.unwrap();
    }
    let id = |name: &'static str| async move {
        sqlx::query_scalar::<_, Uuid>("select id from skills where name = $1")
            .bind(name)
            .fetch_one(db)
            .await
            .unwrap()
    };
    (id("Postgres").await, id("PostgreSQL").await)
}

#[tokio::test]
async fn merging_moves_everything_to_the_survivor_keeping_the_higher_level_and_stronger_evidence() {
    let app = TestApp::empty().await;
    let (old, survivor) = merge_fixture(&app.db).await;
    for sql in [
        // A has both: 4 assessed on the old one, 2 self-assessed on the survivor
        "insert into person_skills (person_id, skill_id, level, evidence) select p.id, $1, 4, 'assessed' from people p where employee_number = 'A'",
        "insert into person_skills (person_id, skill_id, level, evidence) select p.id, $2, 2, 'self_assessed' from people p where employee_number = 'A'",
        "insert into person_skills (person_id, skill_id, level) select p.id, $1, 3 from people p where employee_number = 'B'",
        "insert into job_profile_skills (job_profile_id, skill_id, level, importance) select id, $1, 3, 'essential' from job_profiles",
        "insert into job_profile_skills (job_profile_id, skill_id, level, importance) select id, $2, 2, 'nice_to_have' from job_profiles",
        "insert into course_skills (course_id, skill_id, entry_level, target_level) select id, $1, 1, 3 from courses",
    ] {
        sqlx::query(sql).bind(old).bind(survivor).execute(&app.db).await.unwrap();
    }

    let report = merge::merge(&app.db, old, survivor, Actor::System)
        .await
        .unwrap();

    assert_eq!(
        (
            report.person_skills,
            report.job_profile_skills,
            report.course_skills
        ),
        (2, 1, 1)
    );
    let people: Vec<(String, i16, String)> = sqlx::query_as(
        "select p.employee_number, ps.level, ps.evidence from person_skills ps join people p on p.id = ps.person_id
         where ps.skill_id = $1 order by 1",
    )
    .bind(survivor)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        people,
        vec![
            ("A".into(), 4, "assessed".into()),
            ("B".into(), 3, "self_assessed".into())
        ]
    );
    let (level, importance): (i16, String) =
        sqlx::query_as("select level, importance from job_profile_skills where skill_id = $1")
            .bind(survivor)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((level, importance.as_str()), (3, "essential"));
    assert_eq!(
        count(
            &app.db,
            &format!("select count(*) from course_skills where skill_id = '{survivor}'")
        )
        .await,
        1
    );
    let aliases: Vec<String> =
        sqlx::query_scalar("select alias from skill_aliases where skill_id = $1 order by 1")
            .bind(survivor)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(aliases, vec!["Postgres".to_string(), "pg".to_string()]);
    let merged_into: Option<Uuid> =
        sqlx::query_scalar("select merged_into_id from skills where id = $1")
            .bind(old)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(merged_into, Some(survivor));
    assert_eq!(
        count(
            &app.db,
            &format!("select count(*) from person_skills where skill_id = '{old}'")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action = 'skill.merge'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_skill_cannot_be_merged_into_itself_or_twice() {
    let app = TestApp::empty().await;
    let (old, survivor) = merge_fixture(&app.db).await;

    let itself = merge::merge(&app.db, old, old, Actor::System).await;
    merge::merge(&app.db, old, survivor, Actor::System)
        .await
        .unwrap();
    let twice = merge::merge(&app.db, old, survivor, Actor::System).await;

    assert!(matches!(
        itself,
        Err(trellis::error::AppError::Validation(_))
    ));
    assert!(matches!(
        twice,
        Err(trellis::error::AppError::Validation(_))
    ));
    assert_eq!(
        count(
            &app.db,
            "select count(*) from audit_log where action = 'skill.merge'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn hr_merges_on_the_page_and_the_api_says_which_name_is_unknown() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    sqlx::query("insert into skills (name) values ('Postgres DB'), ('PostgreSQL DB')")
        .execute(&app.db)
        .await
        .unwrap();

    let page = hr
        .submit(
            "/hr/skills",
            "/hr/skills/merge",
            &[("from", "postgres db"), ("into", "PostgreSQL DB")],
        )
        .await;
    let api = hr
        .send_json(
            reqwest::Method::POST,
            "/api/v1/hr/skills/merge",
            Some(serde_json::json!({"from": "Nope", "into": "PostgreSQL DB"})),
        )
        .await;

    assert_eq!(page.status(), 303);
    assert_eq!(
        count(
            &app.db,
            "select count(*) from skills where name = 'Postgres DB' and merged_into_id is not null"
        )
        .await,
        1
    );
    assert_eq!(api.status(), 422);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/from");
}

#[tokio::test]
async fn renaming_a_skill_to_a_taken_name_names_the_field_on_the_page_and_in_the_api() {
    let app = TestApp::with_demo().await;
    let hr = app.signed_in("hr@example.com").await;
    for name in ["Dup Rust", "Dup Go"] {
        sqlx::query("insert into skills (name) values ($1)")
            .bind(name)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let go: Uuid = sqlx::query_scalar("select id from skills where name = 'Dup Go'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let edit = format!("/hr/skills/{go}");

    let page = hr
        .submit(
            &edit,
            &edit,
            &[("name", "dup rust"), ("description", ""), ("category", "")],
        )
        .await;
    let api = hr
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1{edit}"),
            Some(serde_json::json!({"name": "DUP RUST", "description": ""})),
        )
        .await;

    let html = page.text().await.unwrap();
    assert!(
        html.contains("Another skill is already called dup rust; merge them instead."),
        "{html}"
    );
    assert!(!html.contains("skills_name_unique"));
    assert_eq!(api.status(), 422);
    let text = api.text().await.unwrap();
    assert!(!text.contains("skills_name_unique"), "{text}");
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/name");
    assert_eq!(
        body["errors"][0]["detail"],
        "Another skill is already called DUP RUST; merge them instead."
    );
    assert_eq!(
        count(
            &app.db,
            "select count(*) from skills where name = 'Dup Go' and hand_edited_at is null"
        )
        .await,
        1
    );
}

/// A company's own label for an ESCO skill: the taxonomy CSV's `esco_uri` column renames the
/// imported skill, keeps ESCO's label as an alias, and an ESCO re-import keeps the company's
/// name. An unknown URI is reported at its line and column, and nothing changes.
#[tokio::test]
async fn a_taxonomy_file_gives_esco_skills_the_companys_own_labels() {
    let app = TestApp::empty().await;
    esco_import(&app.db, false).await;
    let esco_name: String = sqlx::query_scalar("select name from skills where esco_uri = $1")
        .bind(TOXICOLOGY)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let run = |file: String| {
        let db = app.db.clone();
        async move {
            import::run(
                &db,
                Kind::Taxonomy,
                file.as_bytes(),
                Actor::System,
                Options::default(),
                &import::quiet,
            )
            .await
            .unwrap()
        }
    };

    let refused = run(format!(
        "name,esco_uri\nLab toxicology,{TOXICOLOGY}\nKubernetes,http://data.europa.eu/esco/skill/no-such-skill\n"
    ))
    .await;
    assert!(!refused.applied);
    assert_eq!(refused.problems.len(), 1, "{:?}", refused.problems);
    let p = &refused.problems[0];
    assert_eq!((p.line, p.column, p.field.as_str()), (3, 2, "esco_uri"));
    assert!(p.message.contains("import ESCO first"), "{}", p.message);
    let unchanged: String = sqlx::query_scalar("select name from skills where esco_uri = $1")
        .bind(TOXICOLOGY)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(unchanged, esco_name);

    let report = run(format!("name,esco_uri\nLab toxicology,{TOXICOLOGY}\n")).await;
    assert!(report.applied, "{:?}", report.problems);
    let (name, hand_edited): (String, bool) =
        sqlx::query_as("select name, hand_edited_at is not null from skills where esco_uri = $1")
            .bind(TOXICOLOGY)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((name.as_str(), hand_edited), ("Lab toxicology", true));
    let aliases: Vec<String> = sqlx::query_scalar(
        "select a.alias from skill_aliases a join skills k on k.id = a.skill_id where k.esco_uri = $1",
    )
    .bind(TOXICOLOGY)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(aliases.contains(&esco_name), "{aliases:?}");

    esco_import(&app.db, false).await;
    let after: String = sqlx::query_scalar("select name from skills where esco_uri = $1")
        .bind(TOXICOLOGY)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after, "Lab toxicology");
}
