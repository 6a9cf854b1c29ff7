//! The application pipeline: days to fill, the application funnel, and each manager's
//! response times, moves in and out and held releases.

use sqlx::PgPool;
use uuid::Uuid;

use super::plans::custom_plans;
use crate::metrics::{Filters, Period};

/// Days from publishing to the first accepted offer, per opening whose first acceptance
/// falls in the period (from the `metrics_opening_fills` snapshot).
pub async fn days_to_fill(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Vec<f64>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query_scalar!(
        r#"select (extract(epoch from (o.first_accepted_at - o.published_at)) / 86400.0)::float8 as "days!"
           from metrics_opening_fills o
           where o.first_accepted_at >= $1::date and o.first_accepted_at < $2::date
             and ($3::uuid is null or o.department_id = $3)
             and ($4::uuid is null or o.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows)
}

/// Applications submitted in the period reaching each stage: submitted, in review,
/// interviewing, offered, accepted. A stage counts as reached when the application's history
/// (or its status) got there or further (from the `metrics_application_facts` snapshot).
pub async fn funnel(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[i64; 5]> {
    let mut tx = custom_plans(db).await?;
    let r = sqlx::query!(
        r#"select count(*) as "submitted!",
                  count(*) filter (where a.stage >= 2) as "in_review!",
                  count(*) filter (where a.stage >= 3) as "interviewing!",
                  count(*) filter (where a.stage >= 4) as "offered!",
                  count(*) filter (where a.stage >= 5) as "accepted!"
           from metrics_application_facts a
           where a.submitted_at >= $1::date and a.submitted_at < $2::date
             and ($3::uuid is null or a.department_id = $3)
             and ($4::uuid is null or a.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([
        r.submitted,
        r.in_review,
        r.interviewing,
        r.offered,
        r.accepted,
    ])
}

/// One manager's raw mobility figures in a period.
#[derive(Debug, Clone)]
pub struct ManagerRow {
    pub manager_id: Uuid,
    pub name: String,
    /// Days from submission to the owner's first transition, per application.
    pub act_days: Vec<f64>,
    /// Days from submission to the manager's project approval decision.
    pub approval_days: Vec<f64>,
    pub moved_out: i64,
    pub moved_in: i64,
    pub held_releases: i64,
}

/// Mobility by manager in the period; `max_release_weeks` from the policy in force.
pub async fn by_manager(
    db: &PgPool,
    p: Period,
    f: Filters,
    max_release_weeks: i32,
) -> sqlx::Result<Vec<ManagerRow>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"with acts as (
             select a.owner_id as mgr,
                    extract(epoch from (a.owner_acted_at - a.submitted_at)) / 86400.0 as days
             from metrics_application_facts a
             where a.submitted_at >= $1::date and a.submitted_at < $2::date
               and a.owner_acted_at is not null),
           approvals as (
             select a.manager_approval_by_id as mgr,
                    extract(epoch from (a.manager_approval_at - a.submitted_at)) / 86400.0 as days
             from applications a
             where a.manager_approval in ('approved', 'declined') and a.manager_approval_by_id is not null
               and a.manager_approval_at >= $1::date and a.manager_approval_at < $2::date),
           period_moves as (
             select m.* from moves m
             where m.effective_on >= $1 and m.effective_on < $2
               and m.kind in ('promotion', 'lateral_move', 'secondment_start')),
           outs as (select from_manager_id as mgr, count(*) as n from period_moves
                    where from_manager_id is not null group by 1),
           ins as (select o.owner_id as mgr, count(*) as n from period_moves m
                   join opportunities o on o.id = m.opportunity_id group by 1),
           held as (
             select m.from_manager_id as mgr, count(*) as n from period_moves m
             cross join lateral (select f.accepted_at from metrics_application_facts f
                                 where f.application_id = m.application_id offset 0) acc
             where m.from_manager_id is not null and m.application_id is not null
               and m.effective_on > acc.accepted_at::date + $5 * 7
             group by 1),
           act_by as (select mgr, array_agg(days::float8) as days from acts group by mgr),
           approval_by as (select mgr, array_agg(days::float8) as days from approvals group by mgr),
           managers as (
             select mgr from act_by union select mgr from approval_by union select mgr from outs
             union select mgr from ins)
           select mg.mgr as "manager_id!", p.display_name as "name!",
             coalesce(ab.days, '{}') as "act_days!: Vec<f64>",
             coalesce(pb.days, '{}') as "approval_days!: Vec<f64>",
             coalesce(outs.n, 0) as "moved_out!",
             coalesce(ins.n, 0) as "moved_in!",
             coalesce(held.n, 0) as "held!"
           from managers mg
           cross join lateral (select p.display_name, p.department_id, p.job_profile_id
                               from people p where p.id = mg.mgr offset 0) p
           left join job_profiles jp on jp.id = p.job_profile_id
           left join act_by ab on ab.mgr = mg.mgr
           left join approval_by pb on pb.mgr = mg.mgr
           left join outs on outs.mgr = mg.mgr
           left join ins on ins.mgr = mg.mgr
           left join held on held.mgr = mg.mgr
           where ($3::uuid is null or p.department_id = $3)
             and ($4::uuid is null or jp.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id,
        max_release_weeks
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ManagerRow {
            manager_id: r.manager_id,
            name: r.name,
            act_days: r.act_days,
            approval_days: r.approval_days,
            moved_out: r.moved_out,
            moved_in: r.moved_in,
            held_releases: r.held,
        })
        .collect())
}
