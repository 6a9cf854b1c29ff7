//! The matching benchmark (`cargo bench --bench matching`): a generated company of 200,000
//! people, 5,000 skills (about 12 per person) and 10,000 open opportunities (about 8 required
//! skills each) in PostgreSQL; then, in one run, the index build time and memory, talent
//! search top 50 (p50, p99), recommendations top 20 (p50, p99), learning path (p50), and the
//! same talent search written as plain SQL, checked to give the same top 50 with the same
//! scores, with the ratio of the two.
//!
//! Uses `DATABASE_URL` when set, else a private cluster in `target/bench-pg`. The generated
//! data is kept (database `trellis_bench`) and reused by the next run. Sizes can be changed
//! with BENCH_PEOPLE, BENCH_SKILLS, BENCH_OPENINGS.

#![allow(unsafe_code)] // the counting global allocator below

#[path = "support/mod.rs"]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgPool};
use time::{Date, OffsetDateTime};
use trellis::db::{create_database_if_missing, MIGRATOR};
use trellis::demo::pgcopy::{copy_table, Table};
use trellis::engine::{today, Engine};
use uuid::Uuid;

/// Counts live and peak heap bytes, to report the index's memory.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const DATA_VERSION: i32 = 1;

struct Sizes {
    people: usize,
    skills: usize,
    openings: usize,
}

fn env_size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing we need.
    if std::env::args().any(|a| a == "--list") {
        return Ok(());
    }
    let sizes = Sizes {
        people: env_size("BENCH_PEOPLE", 200_000),
        skills: env_size("BENCH_SKILLS", 5_000),
        openings: env_size("BENCH_OPENINGS", 10_000),
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(sizes))
}

async fn run(sizes: Sizes) -> anyhow::Result<()> {
    let (admin, cluster) = support::server().await?;
    let name = format!(
        "trellis_bench_{}_{}_{}",
        sizes.people, sizes.skills, sizes.openings
    );
    create_database_if_missing(&admin, &name).await?;
    let result = measure(&admin, &name, &sizes).await;
    if let Some(cluster) = cluster.filter(|c| c.started_here()) {
        tokio::task::spawn_blocking(move || cluster.stop()).await??;
    }
    result
}

async fn measure(admin: &PgConnectOptions, name: &str, sizes: &Sizes) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(admin.clone().database(name))
        .await?;
    MIGRATOR.run(&pool).await?;
    let have: Option<i32> = sqlx::query_scalar("select version from bench_meta")
        .fetch_optional(&pool)
        .await
        .unwrap_or(None);
    if have != Some(DATA_VERSION) {
        let started = Instant::now();
        generate(&pool, sizes).await?;
        println!(
            "generated {} people, {} skills, {} openings in {:.1} s",
            sizes.people,
            sizes.skills,
            sizes.openings,
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing the generated company in database {name}");
    }

    // Index build, with the memory it holds afterwards and the peak during the build.
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let engine = Engine::load(&pool).await?;
    let build = started.elapsed();
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "index build: {:.2} s, holds {:.0} MiB (peak during build {:.0} MiB)",
        build.as_secs_f64(),
        mib(held),
        mib(peak)
    );

    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let openings: Vec<Uuid> =
        sqlx::query_scalar("select id from opportunities where status = 'open'")
            .fetch_all(&pool)
            .await?;
    let people: Vec<Uuid> =
        sqlx::query_scalar("select id from people where employment_status = 'active'")
            .fetch_all(&pool)
            .await?;
    let day = today();

    let sample: Vec<Uuid> = openings.choose_multiple(&mut rng, 200).copied().collect();
    let mut talent_times = Vec::new();
    for o in &sample {
        let t = Instant::now();
        let found = engine.talent(*o, 50, day).expect("opening in the index");
        talent_times.push(t.elapsed());
        assert!(!found.is_empty());
    }
    report("talent search top 50", &mut talent_times);

    let mut rec_times = Vec::new();
    for p in people.choose_multiple(&mut rng, 500) {
        let t = Instant::now();
        let _ = engine
            .recommendations(*p, 20, &[], day)
            .expect("person in the index");
        rec_times.push(t.elapsed());
    }
    report("recommendations top 20", &mut rec_times);

    let mut path_times = Vec::new();
    for _ in 0..500 {
        let p = *people.choose(&mut rng).unwrap();
        let o = *openings.choose(&mut rng).unwrap();
        let t = Instant::now();
        let r = engine.readiness(p, o, 3.0, day).expect("both in the index");
        path_times.push(t.elapsed());
        assert_eq!(
            r.fit.score, r.path.score_now,
            "what-if starts at the fit score"
        );
    }
    report("learning path (fit + path + what-if)", &mut path_times);

    // The same talent search in SQL, on a smaller sample (it is much slower).
    let policy_months: i16 = sqlx::query_scalar(
        "select min_months_in_role from mobility_policies order by effective_from desc, id desc limit 1",
    )
    .fetch_one(&pool)
    .await?;
    let mut sql_times = Vec::new();
    let mut engine_times = Vec::new();
    let mut same = 0;
    let compared = sample.iter().take(20).copied().collect::<Vec<_>>();
    for o in &compared {
        let t = Instant::now();
        let rows: Vec<(Uuid, i32)> = sqlx::query_as(SQL_TALENT)
            .bind(o)
            .bind(i32::from(policy_months))
            .fetch_all(&pool)
            .await?;
        sql_times.push(t.elapsed());
        let t = Instant::now();
        let found = engine.talent(*o, 50, day).unwrap();
        engine_times.push(t.elapsed());
        let ours: Vec<(Uuid, i32)> = found
            .iter()
            .map(|c| (c.person, i32::from(c.fit.score)))
            .collect();
        if ours == rows {
            same += 1;
        } else {
            let first = ours.iter().zip(&rows).position(|(a, b)| a != b);
            println!("  differs for opening {o}: first difference at rank {first:?}");
        }
    }
    let sql_p50 = report("talent search top 50 in plain SQL", &mut sql_times);
    let ours_p50 = percentile(&mut engine_times, 50);
    println!(
        "same top 50 with the same scores: {same} of {} openings; the index is {:.0}x faster than SQL (p50)",
        compared.len(),
        sql_p50.as_secs_f64() / ours_p50.as_secs_f64().max(1e-9)
    );
    Ok(())
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    let i = ((times.len() * p).div_ceil(100)).clamp(1, times.len()) - 1;
    times[i]
}

fn report(what: &str, times: &mut [Duration]) -> Duration {
    let p50 = percentile(times, 50);
    let p99 = percentile(times, 99);
    println!(
        "{what}: p50 {:.3} ms, p99 {:.3} ms ({} runs)",
        p50.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
        times.len()
    );
    p50
}

/// Talent search as straightforward SQL: every requirement's best credit (the skill itself,
/// or a related skill at `strength x 0.6`, capped at 0.5), weighted, summed, rounded, capped
/// at 40 when an essential skill earns under 0.3; eligible people only; top 50. The constants
/// are `MatchConfig::default()`.
const SQL_TALENT: &str = r#"
with req as (
    select skill_id, level, importance,
           case importance when 'essential' then 3.0 when 'important' then 2.0 else 1.0 end as w
    from opportunity_skills where opportunity_id = $1
), opening as (
    select o.owner_id, o.kind, 100.0 / (select sum(w) from req) as scale
    from opportunities o where o.id = $1
), held as (
    select ps.person_id, ps.skill_id, ps.level,
           (case ps.evidence when 'assessed' then 1.0 when 'manager_validated' then 1.0
                             when 'course_completed' then 0.9 else 0.8 end)
           * (case when ps.evidence = 'self_assessed'
                    and current_date - greatest(ps.updated_at, coalesce(ps.validated_at, ps.updated_at))::date > 730
                   then 0.7 else 1.0 end) as ev
    from person_skills ps
    where ps.skill_id in (select skill_id from req
                          union select sr.related_skill_id from req join skill_relations sr on sr.skill_id = req.skill_id)
), credits as (
    select h.person_id, r.skill_id, r.w, r.importance,
           (case when h.level >= r.level then 1.0 else power(h.level::float8 / r.level, 2) end) * h.ev as credit
    from req r join held h on h.skill_id = r.skill_id
    union all
    select h.person_id, r.skill_id, r.w, r.importance,
           least(sr.strength::float8 * 0.6
                 * (case when h.level >= r.level then 1.0 else power(h.level::float8 / r.level, 2) end) * h.ev, 0.5)
    from req r join skill_relations sr on sr.skill_id = r.skill_id join held h on h.skill_id = sr.related_skill_id
), best as (
    select person_id, skill_id, max(w) as w, max(importance) as importance, max(credit) as credit
    from credits group by person_id, skill_id
), scored as (
    select b.person_id,
           least(floor(sum(b.w * b.credit * (select scale from opening)) + 0.5), 100)::int as total,
           count(*) filter (where b.importance = 'essential' and b.credit >= 0.3) as essentials_met
    from best b group by b.person_id
)
select p.id, (case when s.essentials_met < (select count(*) from req where importance = 'essential')
                   then least(s.total, 40) else s.total end)::int as score
from scored s join people p on p.id = s.person_id, opening
where p.employment_status = 'active' and p.discoverable and p.id <> opening.owner_id
  and (opening.kind not in ('role', 'secondment')
       or p.role_started_on <= current_date - make_interval(months => $2))
order by score desc, p.id
limit 50
"#;

/// Fill the database with the benchmark company (one transaction, COPY, no notifications).
async fn generate(pool: &PgPool, sizes: &Sizes) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let today = OffsetDateTime::now_utc().date();
    let mut conn = pool.acquire().await?;
    let mut tx = (*conn).begin().await?;
    sqlx::query("set local trellis.bulk_load = 'on'")
        .execute(&mut *tx)
        .await?;
    for t in [
        "course_skills",
        "courses",
        "opportunity_skills",
        "opportunities",
        "person_skills",
        "aspiration_interests",
        "aspiration_targets",
        "aspirations",
        "people",
        "skill_relations",
        "skills",
        "job_profiles",
        "job_levels",
        "job_families",
        "departments",
        "locations",
    ] {
        sqlx::query(&format!("delete from {t}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("create table if not exists bench_meta (version int not null)")
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from bench_meta")
        .execute(&mut *tx)
        .await?;

    let id = |rng: &mut ChaCha8Rng| uuid::Builder::from_random_bytes(rng.gen()).into_uuid();
    let department = id(&mut rng);
    sqlx::query("insert into departments (id, name) values ($1, 'Bench')")
        .bind(department)
        .execute(&mut *tx)
        .await?;
    let family = id(&mut rng);
    sqlx::query("insert into job_families (id, name) values ($1, 'Bench family')")
        .bind(family)
        .execute(&mut *tx)
        .await?;
    let level = id(&mut rng);
    sqlx::query("insert into job_levels (id, code, name, track, rank) values ($1, 'IC3', 'IC3', 'individual_contributor', 3)")
        .bind(level)
        .execute(&mut *tx)
        .await?;
    let profile = id(&mut rng);
    sqlx::query("insert into job_profiles (id, family_id, level_id, title) values ($1, $2, $3, 'Bench profile')")
        .bind(profile)
        .bind(family)
        .bind(level)
        .execute(&mut *tx)
        .await?;

    let skills: Vec<Uuid> = (0..sizes.skills).map(|_| id(&mut rng)).collect();
    copy_table(
        &mut tx,
        &Table::new("skills", "id, name", skills.len(), |i, row| {
            row.uuid(skills[i]).text(&format!("Skill {i:05}"));
        }),
        today,
    )
    .await?;
    // Each skill related to three others nearby in popularity, both directions.
    let mut edges = Vec::new();
    for i in 0..sizes.skills {
        for _ in 0..3 {
            let j = (i + rng.gen_range(1..40)) % sizes.skills;
            let strength = f64::from(rng.gen_range(3..9u8)) / 10.0;
            edges.push((i, j, strength));
            edges.push((j, i, strength));
        }
    }
    edges.sort_by_key(|e| (e.0, e.1));
    edges.dedup_by_key(|e| (e.0, e.1));
    copy_table(
        &mut tx,
        &Table::new(
            "skill_relations",
            "skill_id, related_skill_id, strength",
            edges.len(),
            |i, row| {
                let (a, b, s) = edges[i];
                row.uuid(skills[a]).uuid(skills[b]).decimal(s, 2);
            },
        ),
        today,
    )
    .await?;

    // Skill popularity: a few skills nearly everyone holds, a long tail.
    let pick_skill = |rng: &mut ChaCha8Rng| -> usize {
        let u: f64 = rng.gen();
        ((u.powf(2.5)) * sizes.skills as f64) as usize % sizes.skills
    };
    let people: Vec<Uuid> = (0..sizes.people).map(|_| id(&mut rng)).collect();
    let started: Vec<i64> = (0..sizes.people).map(|_| rng.gen_range(30..3000)).collect();
    copy_table(
        &mut tx,
        &Table::new(
            "people",
            "id, employee_number, email, given_name, family_name, display_name, department_id, job_profile_id, hire_date, role_started_on, discoverable",
            people.len(),
            |i, row| {
                let start = date_text(today, started[i]);
                row.uuid(people[i])
                    .text(&format!("B{i:07}"))
                    .text(&format!("person{i}@bench.example"))
                    .text("Bench")
                    .text(&format!("Person {i}"))
                    .text(&format!("Bench Person {i}"))
                    .uuid(department)
                    .uuid(profile)
                    .text(&start)
                    .text(&start)
                    .bool(i % 20 != 0);
            },
        ),
        today,
    )
    .await?;
    let evidences = [
        "self_assessed",
        "self_assessed",
        "manager_validated",
        "course_completed",
        "assessed",
    ];
    let mut holdings: Vec<(usize, usize, u8, &str, i64)> = Vec::with_capacity(sizes.people * 12);
    for p in 0..sizes.people {
        let n = rng.gen_range(8..=16);
        let mut mine: Vec<usize> = (0..n).map(|_| pick_skill(&mut rng)).collect();
        mine.sort_unstable();
        mine.dedup();
        for s in mine {
            holdings.push((
                p,
                s,
                rng.gen_range(1..=5),
                evidences[rng.gen_range(0..evidences.len())],
                rng.gen_range(0..1500),
            ));
        }
    }
    copy_table(
        &mut tx,
        &Table::new(
            "person_skills",
            "person_id, skill_id, level, evidence, validated_by_id, validated_at, updated_at",
            holdings.len(),
            |i, row| {
                let (p, s, level, evidence, age) = holdings[i];
                let when = format!("{} 12:00:00+00", date_text(today, age));
                row.uuid(people[p])
                    .uuid(skills[s])
                    .int(i64::from(level))
                    .text(evidence);
                if evidence == "manager_validated" {
                    row.uuid(people[(p + 1) % people.len()]).text(&when);
                } else {
                    row.null().null();
                }
                row.text(&when);
            },
        ),
        today,
    )
    .await?;

    let kinds = ["role", "role", "project", "secondment", "mentorship"];
    let openings: Vec<(Uuid, usize, &str)> = (0..sizes.openings)
        .map(|_| {
            (
                id(&mut rng),
                rng.gen_range(0..sizes.people),
                kinds[rng.gen_range(0..kinds.len())],
            )
        })
        .collect();
    copy_table(
        &mut tx,
        &Table::new(
            "opportunities",
            "id, kind, status, title, owner_id, department_id, hours_per_week, start_date, end_date, published_at",
            openings.len(),
            |i, row| {
                let (o, owner, kind) = openings[i];
                row.uuid(o).text(kind).text("open").text(&format!("Opening {i}")).uuid(people[owner]).uuid(department);
                if kind == "project" {
                    row.int(8);
                } else {
                    row.null();
                }
                if kind == "secondment" {
                    row.text(&date_text(today, -30)).text(&date_text(today, -200));
                } else {
                    row.null().null();
                }
                row.text(&format!("{} 09:00:00+00", date_text(today, (i % 90) as i64)));
            },
        ),
        today,
    )
    .await?;
    let importances = [
        "essential",
        "essential",
        "important",
        "important",
        "nice_to_have",
    ];
    let mut reqs: Vec<(usize, usize, u8, &str)> = Vec::with_capacity(sizes.openings * 8);
    for o in 0..sizes.openings {
        let mut mine: Vec<usize> = (0..rng.gen_range(6..=10))
            .map(|_| pick_skill(&mut rng))
            .collect();
        mine.sort_unstable();
        mine.dedup();
        for s in mine {
            reqs.push((
                o,
                s,
                rng.gen_range(2..=5),
                importances[rng.gen_range(0..importances.len())],
            ));
        }
    }
    copy_table(
        &mut tx,
        &Table::new(
            "opportunity_skills",
            "opportunity_id, skill_id, level, importance",
            reqs.len(),
            |i, row| {
                let (o, s, level, importance) = reqs[i];
                row.uuid(openings[o].0)
                    .uuid(skills[s])
                    .int(i64::from(level))
                    .text(importance);
            },
        ),
        today,
    )
    .await?;

    // A catalogue: per skill an introduction (0 -> 2) and an advanced course (2 -> 4).
    let courses: Vec<(Uuid, usize, u8, u8, i64)> = (0..sizes.skills)
        .flat_map(|s| [(s, 0u8, 2u8, 6i64), (s, 2, 4, 16)])
        .map(|(s, from, to, hours)| (id(&mut rng), s, from, to, hours))
        .collect();
    copy_table(
        &mut tx,
        &Table::new(
            "courses",
            "id, title, format, hours",
            courses.len(),
            |i, row| {
                let (c, _, _, _, hours) = courses[i];
                row.uuid(c)
                    .text(&format!("Course {i:05}"))
                    .text("e_learning")
                    .int(hours);
            },
        ),
        today,
    )
    .await?;
    copy_table(
        &mut tx,
        &Table::new(
            "course_skills",
            "course_id, skill_id, entry_level, target_level",
            courses.len(),
            |i, row| {
                let (c, s, from, to, _) = courses[i];
                row.uuid(c)
                    .uuid(skills[s])
                    .int(i64::from(from))
                    .int(i64::from(to));
            },
        ),
        today,
    )
    .await?;
    sqlx::query("insert into bench_meta (version) values ($1)")
        .bind(DATA_VERSION)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query("analyze").execute(pool).await?;
    Ok(())
}

fn date_text(today: Date, days_ago: i64) -> String {
    (today - time::Duration::days(days_ago)).to_string()
}
