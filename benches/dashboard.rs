//! The dashboard benchmark (`cargo bench --bench dashboard`): a company of 200,000 people with
//! ten years of history (hires, leavers, promotions, lateral moves, secondments, projects,
//! openings, applications with their events, skills, courses, conversations), generated with
//! set-based SQL (`generate_series`); then the whole dashboard (every figure, this period and
//! the previous one) for the last 12 months, unfiltered and filtered by a department, with
//! p50 and p95 over repeated runs, and the time to rebuild the monthly aggregates; then HR's
//! people directory and moves register over the same company.
//!
//! Uses `DATABASE_URL` when set, else a private cluster in `target/bench-pg`. The generated
//! company lives in its own database (`trellis_bench_dashboard_<people>`), kept and reused by
//! the next run; `BENCH_FRESH=1` drops it first. `BENCH_PEOPLE` changes the size, `BENCH_RUNS`
//! the number of timed runs.

#[path = "support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use trellis::db::{create_database_if_missing, quote_ident, MIGRATOR};
use trellis::metrics::dashboard;
use trellis::metrics::{Filters, Period};

const DATA_VERSION: i32 = 1;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(
            env_num("BENCH_PEOPLE", 200_000),
            env_num("BENCH_RUNS", 20),
        ))
}

async fn run(people: usize, runs: usize) -> anyhow::Result<()> {
    let (admin, cluster) = support::server().await?;
    let name = format!("trellis_bench_dashboard_{people}");
    if std::env::var("BENCH_FRESH").is_ok_and(|v| v == "1") {
        let admin_pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(admin.clone())
            .await?;
        sqlx::query(&format!(
            "drop database if exists {} with (force)",
            quote_ident(&name)
        ))
        .execute(&admin_pool)
        .await?;
    }
    create_database_if_missing(&admin, &name).await?;
    let result = measure(&admin, &name, people, runs).await;
    if let Some(cluster) = cluster.filter(|c| c.started_here()) {
        tokio::task::spawn_blocking(move || cluster.stop()).await??;
    }
    result
}

async fn measure(
    admin: &PgConnectOptions,
    name: &str,
    people: usize,
    runs: usize,
) -> anyhow::Result<()> {
    // As many connections as the app's default pool, so the concurrent queries queue alike.
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .connect_with(admin.clone().database(name))
        .await?;
    MIGRATOR.run(&pool).await?;
    let have: Option<i32> = sqlx::query_scalar("select version from bench_dashboard_meta")
        .fetch_optional(&pool)
        .await
        .unwrap_or(None);
    if have != Some(DATA_VERSION) {
        let started = Instant::now();
        generate(&pool, people).await?;
        println!(
            "generated {people} people with ten years of history in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing the generated company in database {name}");
    }
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from people), (select count(*) from moves),
                (select count(*) from applications), (select count(*) from application_events)",
    )
    .fetch_one(&pool)
    .await?;
    println!(
        "people {}, moves {}, applications {}, application events {}",
        counts.0, counts.1, counts.2, counts.3
    );

    let started = Instant::now();
    trellis::metrics::refresh::refresh(&pool).await?;
    println!(
        "aggregate rebuild (monthly headcount): {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );

    let today = time::OffsetDateTime::now_utc().date();
    let period = Period::last_12_months(today);
    let department: Option<uuid::Uuid> =
        sqlx::query_scalar("select id from departments order by name limit 1")
            .fetch_optional(&pool)
            .await?;
    for (label, filters) in [
        ("whole company", Filters::default()),
        (
            "one department",
            Filters {
                department_id: department,
                family_id: None,
            },
        ),
    ] {
        // One warm-up run (plans, caches; the first after a rebuild also fills the
        // participation cache), then the timed runs.
        let started = Instant::now();
        dashboard::load(&pool, period, filters).await?;
        println!(
            "dashboard, last 12 months, {label}: first load after the rebuild {:.0} ms",
            ms(started.elapsed())
        );
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let d = dashboard::load(&pool, period, filters).await?;
            times.push(started.elapsed());
            std::hint::black_box(d);
        }
        times.sort();
        println!(
            "dashboard, last 12 months, {label}: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms over {runs} runs",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap())
        );
    }
    directory(&pool, department, runs).await
}

/// HR's people directory and moves register over the same company: the common searches.
async fn directory(
    pool: &PgPool,
    department: Option<uuid::Uuid>,
    runs: usize,
) -> anyhow::Result<()> {
    use trellis::db::people::{self, MoveFilter, PeopleFilter};
    let skill: Option<uuid::Uuid> = sqlx::query_scalar(
        "select skill_id from person_skills group by skill_id order by count(*) desc limit 1",
    )
    .fetch_optional(pool)
    .await?;
    let base = PeopleFilter {
        status: "current".into(),
        sort: "name".into(),
        min_level: 1,
        page: 1,
        page_size: 50,
        ..PeopleFilter::default()
    };
    let searches = [
        ("everyone employed, by name, page 1", base.clone()),
        (
            "everyone employed, newest hires, page 100",
            PeopleFilter {
                sort: "-hire_date".into(),
                page: 100,
                ..base.clone()
            },
        ),
        (
            "name contains \"son\"",
            PeopleFilter {
                q: Some("son".into()),
                ..base.clone()
            },
        ),
        (
            "a department and those under it",
            PeopleFilter {
                department,
                ..base.clone()
            },
        ),
        (
            "the most common skill at level 4+",
            PeopleFilter {
                skill,
                min_level: 4,
                ..base.clone()
            },
        ),
    ];
    for (label, filter) in searches {
        let mut times = Vec::with_capacity(runs);
        let mut total = 0;
        for _ in 0..runs.max(1) + 1 {
            let started = Instant::now();
            total = people::list(pool, &filter).await?.total;
            times.push(started.elapsed());
        }
        times.remove(0); // the warm-up
        times.sort();
        println!(
            "people directory, {label} ({total} match): p50 {:.0} ms, p95 {:.0} ms",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.95))
        );
    }
    let moves = MoveFilter {
        page: 1,
        page_size: 50,
        ..MoveFilter::default()
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) + 1 {
        let started = Instant::now();
        std::hint::black_box(people::moves(pool, &moves).await?);
        times.push(started.elapsed());
    }
    times.remove(0);
    times.sort();
    println!(
        "moves register, newest first, page 1: p50 {:.0} ms, p95 {:.0} ms",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95))
    );
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Generate the company with set-based SQL. Ids are derived from numbers with md5, so rows can
/// point at each other without lookups.
async fn generate(pool: &PgPool, people: usize) -> anyhow::Result<()> {
    let n = i32::try_from(people)?;
    let steps: &[(&str, &str)] = &[
        (
            "reference data",
            r#"
            insert into departments (id, name)
              select md5('d' || i)::uuid, 'Department ' || i from generate_series(1, 24) i;
            insert into job_families (id, name)
              select md5('f' || i)::uuid, 'Family ' || i from generate_series(1, 12) i;
            insert into job_levels (id, code, name, track, rank)
              select md5('l' || i)::uuid, 'L' || i, 'Level ' || i,
                     case when i > 4 then 'manager' else 'individual_contributor' end, i
              from generate_series(1, 6) i;
            insert into job_profiles (id, family_id, level_id, title)
              select md5('jp' || f || '-' || l)::uuid, md5('f' || f)::uuid, md5('l' || l)::uuid,
                     'Profile ' || f || '-' || l
              from generate_series(1, 12) f, generate_series(1, 6) l;
            insert into skills (id, name) select md5('s' || i)::uuid, 'Skill ' || i from generate_series(1, 3000) i;
            insert into courses (id, title, format, hours)
              select md5('c' || i)::uuid, 'Course ' || i, 'e_learning', 1 + i % 40 from generate_series(1, 500) i;
            insert into course_skills (course_id, skill_id, entry_level, target_level)
              select md5('c' || i)::uuid, md5('s' || (1 + (i * 7 + k) % 3000))::uuid, k % 3, k % 3 + 2
              from generate_series(1, 500) i, generate_series(0, 2) k;
        "#,
        ),
        (
            "people",
            r#"
            insert into people (id, employee_number, email, given_name, family_name, display_name,
                                department_id, manager_id, job_profile_id, hire_date, role_started_on,
                                employment_status, terminated_on)
            select md5('p' || i)::uuid, 'E' || i, 'p' || i || '@bench.example', 'Given', 'Family' || i,
                   'Person ' || i, md5('d' || (1 + i % 24))::uuid,
                   case when i > 8 then md5('p' || (i / 8))::uuid end,
                   md5('jp' || (1 + i % 12) || '-' || (case when i <= $1 / 8 then 5 + i % 2 else 1 + i % 4 end))::uuid,
                   h, h, case when t then 'terminated' else 'active' end,
                   case when t then least(h + 30 + (i * 37) % 3000, current_date - 1) end
            from (select i, current_date - (i * 7919 % 7300) as h, i > $1 / 8 and i % 4 = 0 as t
                  from generate_series(1, $1) i) x;
        "#,
        ),
        (
            "moves",
            r#"
            insert into moves (person_id, kind, source, from_profile_id, to_profile_id,
                               from_department_id, to_department_id, effective_on, from_manager_id)
            select md5('p' || p)::uuid, k, case when k = 'external_hire' then 'external_hire' else 'import' end,
                   md5('jp' || (1 + p % 12) || '-' || (1 + p % 4))::uuid,
                   md5('jp' || (1 + (p + g) % 12) || '-' || (1 + (p + g) % 6))::uuid,
                   md5('d' || (1 + p % 24))::uuid, md5('d' || (1 + (p + g % 3) % 24))::uuid,
                   current_date - (g * 31 % 3650), case when p > 8 then md5('p' || (p / 8))::uuid end
            from (select g, 1 + (g::bigint * 104729) % $1 as p,
                         (array['promotion', 'lateral_move', 'secondment_start', 'project_assignment', 'external_hire'])[1 + g % 5] as k
                  from generate_series(1, $1 * 3 / 2) g) x;
        "#,
        ),
        (
            "openings",
            r#"
            insert into opportunities (id, kind, status, title, owner_id, department_id, job_profile_id,
                                       hours_per_week, start_date, end_date, published_at)
            select md5('o' || i)::uuid, k, case when i % 40 = 0 then 'open' else 'filled' end, 'Opening ' || i,
                   md5('p' || (1 + i % ($1 / 8)))::uuid, md5('d' || (1 + i % 24))::uuid,
                   md5('jp' || (1 + i % 12) || '-' || (1 + i % 6))::uuid,
                   case when k = 'project' then 4 end,
                   case when k = 'secondment' then current_date end,
                   case when k = 'secondment' then current_date + 90 end,
                   now() - make_interval(days => (i * 13) % 3650)
            from (select i, (array['role', 'role', 'project', 'secondment'])[1 + i % 4] as k
                  from generate_series(1, $1 / 10) i) x;
            insert into opportunity_skills (opportunity_id, skill_id, level)
              select md5('o' || i)::uuid, md5('s' || (1 + (i * 31 + k * 101) % 3000))::uuid, 1 + (i + k) % 5
              from generate_series(40, $1 / 10, 40) i, generate_series(0, 5) k;
        "#,
        ),
        (
            "applications and events",
            r#"
            insert into applications (id, opportunity_id, applicant_id, status, submitted_at)
            select md5('a' || i)::uuid, md5('o' || (1 + i % ($1 / 10)))::uuid, md5('p' || (1 + (i * 7) % $1))::uuid,
                   case when i % 5 = 3 and i <= $1 then 'accepted'
                        else (array['rejected', 'withdrawn', 'declined', 'rejected', 'rejected'])[1 + i % 5] end,
                   now() - make_interval(days => (i * 17) % 3650)
            from generate_series(1, $1 * 2) i;
            insert into application_events (application_id, from_status, to_status, actor_id, occurred_at)
            select md5('a' || i)::uuid, s.f, s.t, case when s.n = 0 then null else md5('p' || (1 + (i % ($1 / 10)) % ($1 / 8)))::uuid end,
                   now() - make_interval(days => (i * 17) % 3650) + make_interval(days => s.n * 4)
            from generate_series(1, $1 * 2) i
            cross join lateral (values (0, null, 'submitted'), (1, 'submitted', 'in_review'),
                                       (2, 'in_review', 'interviewing'), (3, 'interviewing', 'offered'),
                                       (4, 'offered', 'accepted')) s(n, f, t)
            where s.n <= i % 5;
        "#,
        ),
        (
            "skills, learning, conversations, mentoring",
            r#"
            insert into person_skills (person_id, skill_id, level, updated_at)
              select md5('p' || i)::uuid, md5('s' || (1 + (i * 13 + k * 379) % 3000))::uuid, 1 + (i + k) % 5,
                     now() - make_interval(days => (i * 3 + k * 101) % 1500)
              from generate_series(1, $1) i, generate_series(0, 7) k;
            insert into enrolments (course_id, person_id, status, enrolled_at, completed_at)
              select md5('c' || (1 + i % 500))::uuid, md5('p' || (1 + (i * 11) % $1))::uuid,
                     case when i % 2 = 0 then 'completed' else 'enrolled' end,
                     now() - make_interval(days => (i * 7) % 3650 + 30),
                     case when i % 2 = 0 then now() - make_interval(days => (i * 7) % 3650) end
              from generate_series(1, $1) i;
            insert into career_conversations (person_id, manager_id, held_on)
              select md5('p' || p)::uuid, md5('p' || (p / 8))::uuid, current_date - (i * 5) % 3650
              from (select i, 9 + (i * 7) % ($1 - 9) as p from generate_series(1, $1 * 2) i) x;
            insert into mentorship_requests (mentor_id, mentee_id, status, responded_at)
              select md5('p' || (1 + i % ($1 / 20)))::uuid, md5('p' || ($1 / 2 + i % ($1 / 2)))::uuid, 'accepted',
                     now() - make_interval(days => (i * 3) % 3650)
              from generate_series(1, $1 / 10) i;
        "#,
        ),
        ("statistics", "analyze"),
    ];
    for (label, sql) in steps {
        let started = Instant::now();
        let mut tx = pool.begin().await?;
        // A bulk load: no per-row notifications to the matching index.
        sqlx::query("set local trellis.bulk_load = 'on'")
            .execute(&mut *tx)
            .await?;
        for statement in sql.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
            if statement.contains("$1") {
                sqlx::query(statement).bind(n).execute(&mut *tx).await?;
            } else {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        println!("  {label}: {:.1} s", started.elapsed().as_secs_f64());
    }
    sqlx::query("create table if not exists bench_dashboard_meta (version integer not null)")
        .execute(pool)
        .await?;
    sqlx::query("insert into bench_dashboard_meta values ($1)")
        .bind(DATA_VERSION)
        .execute(pool)
        .await?;
    Ok(())
}
