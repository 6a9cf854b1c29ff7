//! BenchStrength strength: how well critical roles are covered, company-wide and per top-level
//! department, with the flight risks among the successors and the change since earlier
//! snapshots. Definitions in `docs/METRICS.md`, "Succession and bench strength".

use std::collections::HashSet;

use serde::Serialize;
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use crate::domain::policy::MobilityPolicy;
use crate::error::Result;

/// A successor with no promotion or lateral move for this many years (and employed at least
/// as long) counts as a flight risk.
pub const FLIGHT_RISK_YEARS: i32 = 3;
/// Nor one without a career conversation in this many days.
pub const CONVERSATION_DAYS: i32 = 90;

/// The years without a move that make a flight risk (kept apart so a policy setting can
/// replace the constant later without changing the callers).
pub fn flight_risk_years(_policy: &MobilityPolicy) -> i32 {
    FLIGHT_RISK_YEARS
}

/// Which of `people` are flight risks: no promotion or lateral move in `years` years (hired
/// at least that long ago), or no career conversation in the last 90 days.
pub async fn flight_risks(db: &PgPool, people: &[Uuid], years: i32) -> Result<HashSet<Uuid>> {
    Ok(sqlx::query_scalar!(
        r#"select p.id as "id!" from people p
           where p.id = any($1)
             and ((p.hire_date <= current_date - make_interval(years => $2)
                   and not exists (select 1 from moves m where m.person_id = p.id
                       and m.kind in ('promotion', 'lateral_move')
                       and m.effective_on > current_date - make_interval(years => $2)
                       and m.effective_on <= current_date))
               or not exists (select 1 from career_conversations c where c.person_id = p.id
                       and c.held_on > current_date - $3::int))"#,
        people,
        years,
        CONVERSATION_DAYS
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .collect())
}

/// The bench of one scope (the company, or one top-level department and everything below).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct BenchStrength {
    /// None for the company as a whole.
    pub department_id: Option<Uuid>,
    pub department: String,
    pub critical_roles: i64,
    /// Critical roles with no successor ready now.
    pub without_ready_now: i64,
    /// Successors across the critical roles (a person on two plans counts twice).
    pub successors: i64,
    /// Distinct successors who are flight risks, and distinct successors.
    pub flight_risk_successors: i64,
    pub distinct_successors: i64,
}

impl BenchStrength {
    /// Successors per critical role, one decimal.
    pub fn per_role(&self) -> Option<f64> {
        (self.critical_roles > 0)
            .then(|| (self.successors as f64 / self.critical_roles as f64 * 10.0).round() / 10.0)
    }

    /// Share of successors who are flight risks, in whole percent.
    pub fn flight_risk_pct(&self) -> Option<i64> {
        (self.distinct_successors > 0).then(|| {
            (self.flight_risk_successors as f64 * 100.0 / self.distinct_successors as f64).round()
                as i64
        })
    }

    /// Share of critical roles with no ready-now successor, in whole percent.
    pub fn uncovered_pct(&self) -> Option<i64> {
        (self.critical_roles > 0).then(|| {
            (self.without_ready_now as f64 * 100.0 / self.critical_roles as f64).round() as i64
        })
    }
}

/// An earlier snapshot to compare with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BenchSnapshot {
    #[serde(with = "crate::domain::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub taken_on: Date,
    pub critical_roles: i32,
    pub without_ready_now: i32,
    pub successors: i32,
    pub flight_risk_successors: i32,
}

/// BenchStrength strength as the dashboard shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BenchReport {
    pub company: BenchStrength,
    /// One row per top-level department with a critical role.
    pub departments: Vec<BenchStrength>,
    /// The company's snapshots of the last year, oldest first (one a day at most).
    pub history: Vec<BenchSnapshot>,
}

impl BenchReport {
    /// The snapshot closest to 90 days ago (the oldest when the history is shorter).
    pub fn earlier(&self) -> Option<&BenchSnapshot> {
        let target = crate::domain::today() - time::Duration::days(90);
        self.history.iter().find(|s| s.taken_on >= target)
    }
}

/// The bench now, company-wide and per top-level department.
pub async fn now(db: &PgPool) -> Result<(BenchStrength, Vec<BenchStrength>)> {
    let rows = sqlx::query!(
        r#"with recursive tree as (
               select id, id as top from departments where parent_id is null
               union all
               select d.id, tree.top from departments d join tree on d.parent_id = tree.id
           ), roles as (
               select cr.id, t.top,
                      exists(select 1 from succession_candidates sc where sc.critical_role_id = cr.id
                             and coalesce(sc.band_override, sc.computed_band) = 'ready_now') as covered
               from critical_roles cr left join tree t on t.id = cr.department_id
           )
           select r.top as "top?", d.name as "department?", count(*) as "roles!",
                  count(*) filter (where not r.covered) as "uncovered!",
                  (select count(*) from succession_candidates sc join roles r2 on r2.id = sc.critical_role_id
                    where r2.top is not distinct from r.top) as "successors!",
                  coalesce((select array_agg(distinct sc.person_id) from succession_candidates sc
                    join roles r2 on r2.id = sc.critical_role_id
                    where r2.top is not distinct from r.top), '{}') as "people!"
           from roles r left join departments d on d.id = r.top
           group by r.top, d.name order by d.name nulls last"#
    )
    .fetch_all(db)
    .await?;
    let policy = crate::db::policy::current(db).await?;
    let all: Vec<Uuid> = rows.iter().flat_map(|r| r.people.iter().copied()).collect();
    let risks = flight_risks(db, &all, flight_risk_years(&policy)).await?;
    let mut company = BenchStrength {
        department: "All departments".into(),
        ..BenchStrength::default()
    };
    let mut everyone: HashSet<Uuid> = HashSet::new();
    let mut departments = Vec::new();
    for r in rows {
        company.critical_roles += r.roles;
        company.without_ready_now += r.uncovered;
        company.successors += r.successors;
        everyone.extend(r.people.iter().copied());
        if let Some(top) = r.top {
            departments.push(BenchStrength {
                department_id: Some(top),
                department: r.department.unwrap_or_default(),
                critical_roles: r.roles,
                without_ready_now: r.uncovered,
                successors: r.successors,
                flight_risk_successors: r.people.iter().filter(|p| risks.contains(p)).count()
                    as i64,
                distinct_successors: r.people.len() as i64,
            });
        }
    }
    company.distinct_successors = everyone.len() as i64;
    company.flight_risk_successors = everyone.iter().filter(|p| risks.contains(p)).count() as i64;
    Ok((company, departments))
}

/// BenchStrength strength with its history.
pub async fn report(db: &PgPool) -> Result<BenchReport> {
    let (company, departments) = now(db).await?;
    let history = sqlx::query_as!(
        BenchSnapshot,
        "select taken_on, critical_roles, without_ready_now, successors, flight_risk_successors
         from bench_snapshots
         where department_id is null and taken_on > current_date - 366
         order by taken_on"
    )
    .fetch_all(db)
    .await?;
    Ok(BenchReport {
        company,
        departments,
        history,
    })
}

/// Record today's bench (company and departments). Idempotent: a second run the same day,
/// on this server or another, overwrites the day's rows with the same figures.
pub async fn snapshot(db: &PgPool) -> Result<()> {
    let (company, departments) = now(db).await?;
    let mut tx = db.begin().await?;
    for b in std::iter::once(&company).chain(departments.iter()) {
        sqlx::query!(
            "insert into bench_snapshots (taken_on, department_id, critical_roles,
                 without_ready_now, successors, flight_risk_successors)
             values (current_date, $1, $2, $3, $4, $5)
             on conflict (taken_on, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid))
             do update set critical_roles = excluded.critical_roles,
                           without_ready_now = excluded.without_ready_now,
                           successors = excluded.successors,
                           flight_risk_successors = excluded.flight_risk_successors",
            b.department_id,
            b.critical_roles as i32,
            b.without_ready_now as i32,
            b.successors as i32,
            b.flight_risk_successors as i32
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
