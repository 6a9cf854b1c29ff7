//! Headcount and moves: monthly headcounts, role fills, move counts and their monthly trend,
//! retention of movers against non-movers, and the talent flow between departments.

use sqlx::PgPool;
use time::Date;

use super::plans::custom_plans;
use crate::metrics::{Filters, Period};

/// Headcount at each of the given month starts: the sum of the headcount deltas (hires +1,
/// leavers -1, at the first month start on or after the day) up to each.
pub async fn headcounts(db: &PgPool, months: &[Date], f: Filters) -> sqlx::Result<Vec<i64>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"with t as materialized (
             select d.month, sum(d.delta) as delta from metrics_headcount_deltas d
             where ($2::uuid is null or d.department_key = $2)
               and ($3::uuid is null or d.family_key = $3)
             group by d.month)
           select m as "month!",
                  coalesce((select sum(t.delta) from t where t.month <= m), 0)::bigint as "headcount!"
           from unnest($1::date[]) m
           order by m"#,
        months,
        f.department_id,
        f.family_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| r.headcount).collect())
}

/// Role fills in the period: (internal, external, internal leadership, external leadership).
pub async fn fills(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[i64; 4]> {
    let mut tx = custom_plans(db).await?;
    let r = sqlx::query!(
        r#"select
             count(*) filter (where m.kind in ('promotion', 'lateral_move')
                 and m.source = 'marketplace' and o.kind = 'role') as "internal!",
             count(*) filter (where m.kind = 'external_hire') as "external!",
             count(*) filter (where m.kind in ('promotion', 'lateral_move')
                 and m.source = 'marketplace' and o.kind = 'role' and jl.track = 'manager') as "internal_lead!",
             count(*) filter (where m.kind = 'external_hire' and jl.track = 'manager') as "external_lead!"
           from moves m
           left join opportunities o on o.id = m.opportunity_id
           left join job_profiles jp on jp.id = m.to_profile_id
           left join job_levels jl on jl.id = jp.level_id
           where m.effective_on >= $1 and m.effective_on < $2
             and m.kind in ('promotion', 'lateral_move', 'external_hire')
             and ($3::uuid is null or m.to_department_id = $3)
             and ($4::uuid is null or jp.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([r.internal, r.external, r.internal_lead, r.external_lead])
}

/// Moves in the period: (promotions, lateral moves, people who started a secondment, people
/// assigned to a project).
pub async fn move_counts(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[i64; 4]> {
    let mut tx = custom_plans(db).await?;
    let r = sqlx::query!(
        r#"select
             count(*) filter (where m.kind = 'promotion') as "promotions!",
             count(*) filter (where m.kind = 'lateral_move') as "laterals!",
             count(distinct m.person_id) filter (where m.kind = 'secondment_start') as "seconded!",
             count(distinct m.person_id) filter (where m.kind = 'project_assignment') as "projects!"
           from moves m
           left join job_profiles jp on jp.id = coalesce(m.to_profile_id, m.from_profile_id)
           where m.effective_on >= $1 and m.effective_on < $2
             and m.kind in ('promotion', 'lateral_move', 'secondment_start', 'project_assignment')
             and ($3::uuid is null or coalesce(m.to_department_id, m.from_department_id) = $3)
             and ($4::uuid is null or jp.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([r.promotions, r.laterals, r.seconded, r.projects])
}

/// Moves per month and kind in the period (promotions, lateral moves, external hires,
/// secondment starts, project assignments): (month start, kind, count).
pub async fn monthly_moves(
    db: &PgPool,
    p: Period,
    f: Filters,
) -> sqlx::Result<Vec<(Date, String, i64)>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"select date_trunc('month', m.effective_on)::date as "month!", m.kind, count(*) as "n!"
           from moves m
           left join job_profiles jp on jp.id = coalesce(m.to_profile_id, m.from_profile_id)
           where m.effective_on >= $1 and m.effective_on < $2
             and m.kind in ('promotion', 'lateral_move', 'external_hire', 'secondment_start', 'project_assignment')
             and ($3::uuid is null or coalesce(m.to_department_id, m.from_department_id) = $3)
             and ($4::uuid is null or jp.family_id = $4)
           group by 1, 2 order by 1"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.month, r.kind, r.n)).collect())
}

/// Retention at `at`: of people active on that day, (movers, movers still employed 12 months
/// later, non-movers, non-movers still employed). A mover had a promotion or lateral move in
/// the 12 months before `at`.
pub async fn retention(db: &PgPool, at: Date, f: Filters) -> sqlx::Result<[i64; 4]> {
    let mut tx = custom_plans(db).await?;
    let r = sqlx::query!(
        r#"with movers as (
             select distinct m.person_id from moves m
             where m.kind in ('promotion', 'lateral_move')
               and m.effective_on >= ($1::date - interval '12 months')::date
               and m.effective_on < $1),
           cohort as (
             select (p.terminated_on is null or p.terminated_on > ($1::date + interval '12 months')::date) as stayed,
                    mv.person_id is not null as moved
             from people p
             left join job_profiles jp on jp.id = p.job_profile_id
             left join movers mv on mv.person_id = p.id
             where p.hire_date <= $1 and (p.terminated_on is null or p.terminated_on > $1)
               and ($2::uuid is null or p.department_id = $2)
               and ($3::uuid is null or jp.family_id = $3))
           select count(*) filter (where moved) as "movers!",
                  count(*) filter (where moved and stayed) as "movers_stayed!",
                  count(*) filter (where not moved) as "others!",
                  count(*) filter (where not moved and stayed) as "others_stayed!"
           from cohort"#,
        at,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([r.movers, r.movers_stayed, r.others, r.others_stayed])
}

/// One cell of the talent-flow matrix: moves from one group of departments to another.
#[derive(Debug, Clone)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub from_id: uuid::Uuid,
    pub to_id: uuid::Uuid,
    pub moves: i64,
}

/// Promotions, lateral moves and secondment starts between two different groups of
/// departments: with no `under`, each top-level department with everything below it; with
/// `under`, each of its direct sub-departments with everything below, and `under` itself
/// (moves that stay inside `under` only).
pub async fn talent_flow(
    db: &PgPool,
    p: Period,
    f: Filters,
    under: Option<uuid::Uuid>,
) -> sqlx::Result<Vec<Flow>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"with recursive tree (id, grp, grp_name) as (
             select d.id, d.id, d.name from departments d
             where ($5::uuid is null and d.parent_id is null) or d.parent_id = $5 or d.id = $5
             union all
             select d.id, t.grp, t.grp_name from departments d join tree t on d.parent_id = t.id
             where t.id is distinct from $5
           )
           select gf.grp_name as "from!", gt.grp_name as "to!", gf.grp as "from_id!",
                  gt.grp as "to_id!", count(*) as "n!"
           from moves m
           join tree gf on gf.id = m.from_department_id
           join tree gt on gt.id = m.to_department_id
           left join job_profiles jp on jp.id = m.to_profile_id
           where m.effective_on >= $1 and m.effective_on < $2
             and m.kind in ('promotion', 'lateral_move', 'secondment_start')
             and gf.grp <> gt.grp
             and ($3::uuid is null or $3 in (m.from_department_id, m.to_department_id))
             and ($4::uuid is null or jp.family_id = $4)
           group by 1, 2, 3, 4 order by 1, 2"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id,
        under
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Flow {
            from: r.from,
            to: r.to,
            from_id: r.from_id,
            to_id: r.to_id,
            moves: r.n,
        })
        .collect())
}
