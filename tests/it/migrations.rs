//! Migrations apply to an empty database, are idempotent, and keep the audit log append-only.

use trellis::db::MIGRATOR;

use crate::support::{empty_database, fresh_database};

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_a_second_run_changes_nothing() {
    let db = empty_database().await;
    MIGRATOR.run(&db).await.expect("first run");
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(applied as usize, MIGRATOR.iter().count());
    MIGRATOR.run(&db).await.expect("second run is a no-op");
    for table in [
        "people",
        "skills",
        "opportunities",
        "applications",
        "moves",
        "courses",
        "audit_log",
    ] {
        let exists: bool = sqlx::query_scalar("select to_regclass($1) is not null")
            .bind(table)
            .fetch_one(&db)
            .await
            .unwrap();
        assert!(exists, "{table}");
    }
    // The default mobility policy is in place.
    let (months, stage, limit, weeks): (i16, String, i16, i16) = sqlx::query_as(
        "select min_months_in_role, manager_informed_at, max_active_applications, max_release_weeks
         from mobility_policies order by id desc limit 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (months, stage.as_str(), limit, weeks),
        (12, "interviewing", 5, 8)
    );
}

#[tokio::test]
async fn the_audit_log_cannot_be_changed_or_deleted() {
    let db = fresh_database(false).await;
    sqlx::query(
        "insert into audit_log (actor_kind, action, entity_type) values ('system', 'test', 'test')",
    )
    .execute(&db)
    .await
    .unwrap();
    for sql in [
        "update audit_log set action = 'tampered'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        let err = sqlx::query(sql).execute(&db).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let count: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'test'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn the_schema_refuses_impossible_data() {
    let db = fresh_database(false).await;
    // (what, statement, constraint that must refuse it)
    let cases = [
        (
            "a skill level of 6",
            "with s as (insert into skills (name) values ('Rust') returning id),
                  f as (insert into job_families (name) values ('Engineering') returning id),
                  l as (insert into job_levels (code, name, track, rank) values ('IC1', 'IC1', 'individual_contributor', 1) returning id),
                  p as (insert into job_profiles (family_id, level_id, title) select f.id, l.id, 'Engineer' from f, l returning id)
             insert into job_profile_skills (job_profile_id, skill_id, level) select p.id, s.id, 6 from p, s",
            "job_profile_skills_level_range",
        ),
        (
            "a career path to itself",
            "with f as (insert into job_families (name) values ('Data') returning id),
                  l as (insert into job_levels (code, name, track, rank) values ('IC2', 'IC2', 'individual_contributor', 2) returning id),
                  p as (insert into job_profiles (family_id, level_id, title) select f.id, l.id, 'Analyst' from f, l returning id)
             insert into career_paths (from_profile_id, to_profile_id, kind) select p.id, p.id, 'lateral' from p",
            "career_paths_not_to_itself",
        ),
        (
            "two skills differing only in case",
            "insert into skills (name) values ('SQL'), ('sql')",
            "skills_name_unique",
        ),
    ];
    for (what, sql, constraint) in cases {
        let err = sqlx::query(sql).execute(&db).await.expect_err(what);
        let db_err = err.as_database_error().expect(what);
        assert_eq!(db_err.constraint(), Some(constraint), "{what}: {err}");
    }
}

#[tokio::test]
async fn every_text_limit_in_the_code_is_a_check_in_the_database_and_the_same() {
    let db = fresh_database(false).await;
    for (table, column, max) in trellis::domain::limits::TEXT {
        let name = format!("{table}_{column}_length");
        let definition: Option<String> = sqlx::query_scalar(
            "select pg_get_constraintdef(oid) from pg_constraint where conname = $1",
        )
        .bind(&name)
        .fetch_optional(&db)
        .await
        .unwrap();
        let definition = definition.unwrap_or_else(|| panic!("no check {name}"));
        assert!(
            definition.contains(&format!("char_length({column}) <= {max}")),
            "{name}: {definition}"
        );
    }
}
