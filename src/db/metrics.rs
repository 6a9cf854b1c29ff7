//! The SQL behind the mobility metrics: raw counts and samples for one period and filters.
//! Arithmetic on them (medians, rates, conversions) is in `crate::metrics`.
//!
//! Every query here runs in a read-only transaction with `plan_cache_mode =
//! force_custom_plan`, so PostgreSQL plans it with the actual period and filters each time: a
//! cached generic plan cannot drop the `($3::uuid is null or ...)` branches and is many times
//! slower on a large company.
//!
//! Filters: a person is in a department/family by their current department and job profile;
//! a move by the department/profile it goes to (or comes from when it goes nowhere); an
//! opening by its department and job profile.

use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use crate::metrics::{Filters, Period};

/// A read-only transaction whose statements are planned with their actual parameters.
async fn custom_plans(db: &PgPool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = db.begin().await?;
    sqlx::query("set transaction read only")
        .execute(&mut *tx)
        .await?;
    sqlx::query("set local plan_cache_mode = force_custom_plan")
        .execute(&mut *tx)
        .await?;
    // The dashboard already runs its queries side by side, one connection each: parallel
    // workers on top only add start-up and coordination work.
    sqlx::query("set local max_parallel_workers_per_gather = 0")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Headcount at each of the given month starts, from the monthly snapshot.
pub async fn headcounts(db: &PgPool, months: &[Date], f: Filters) -> sqlx::Result<Vec<i64>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"select m as "month!", coalesce(sum(h.headcount), 0)::bigint as "headcount!"
           from unnest($1::date[]) m
           left join metrics_headcount_monthly h on h.month = m
               and ($2::uuid is null or h.department_id = $2)
               and ($3::uuid is null or h.family_id = $3)
           group by m order by m"#,
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

/// One cell of the talent-flow matrix.
#[derive(Debug, Clone)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub moves: i64,
}

/// Promotions, lateral moves and secondment starts between two different departments.
pub async fn talent_flow(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Vec<Flow>> {
    let mut tx = custom_plans(db).await?;
    let rows = sqlx::query!(
        r#"select df.name as "from!", dt.name as "to!", count(*) as "n!"
           from moves m
           join departments df on df.id = m.from_department_id
           join departments dt on dt.id = m.to_department_id
           left join job_profiles jp on jp.id = m.to_profile_id
           where m.effective_on >= $1 and m.effective_on < $2
             and m.kind in ('promotion', 'lateral_move', 'secondment_start')
             and m.from_department_id <> m.to_department_id
             and ($3::uuid is null or $3 in (m.from_department_id, m.to_department_id))
             and ($4::uuid is null or jp.family_id = $4)
           group by 1, 2 order by 1, 2"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Flow {
            from: r.from,
            to: r.to,
            moves: r.n,
        })
        .collect())
}

/// One skill's open demand against its internal supply.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SkillGap {
    pub skill: String,
    /// Open openings requiring the skill.
    pub demand: i64,
    /// The lowest level those openings ask for.
    pub level: i16,
    /// Active employees at or above that level.
    pub supply: i64,
}

/// Per skill required by open openings: demand, level asked, supply (from the refreshed
/// `metrics_skill_supply`); largest gap first.
pub async fn skill_gaps(db: &PgPool, f: Filters, limit: i64) -> sqlx::Result<Vec<SkillGap>> {
    let mut tx = custom_plans(db).await?;
    sqlx::query_as!(
        SkillGap,
        r#"with demand as (
             select os.skill_id, count(distinct os.opportunity_id) as demand, min(os.level) as level
             from opportunity_skills os
             join opportunities o on o.id = os.opportunity_id
             left join job_profiles jp on jp.id = o.job_profile_id
             where o.status = 'open'
               and ($1::uuid is null or o.department_id = $1)
               and ($2::uuid is null or jp.family_id = $2)
             group by os.skill_id)
           select s.name as "skill!", d.demand as "demand!", d.level as "level!", sup.n as "supply!"
           from demand d
           join skills s on s.id = d.skill_id
           cross join lateral (
               select coalesce(sum(s.people), 0)::bigint as n from metrics_skill_supply s
               where s.skill_id = d.skill_id and s.level >= d.level) sup
           order by d.demand - sup.n desc, s.name
           limit $3"#,
        f.department_id,
        f.family_id,
        limit
    )
    .fetch_all(&mut *tx)
    .await
}

/// Participation at the end of the period: (active employees, skill profile updated in the
/// last 6 months, applied, enrolled, mentored, career conversation in the last 90 days).
/// Computed once per period and filters after each rebuild of the aggregates (in one pass over
/// the people employed then, each activity's people hashed once) and cached until the next.
pub async fn participation(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[i64; 6]> {
    let (cached, refreshed) = sqlx::query_as::<_, (Option<Vec<i64>>, Option<time::OffsetDateTime>)>(
        "select (select c.counts from metrics_participation_cache c
                 where c.period_from = $1 and c.period_to = $2
                   and c.department_id is not distinct from $3
                   and c.family_id is not distinct from $4),
                (select r.refreshed_at from metrics_refreshes r where r.name = 'headcount_monthly')",
    )
    .bind(p.from)
    .bind(p.to)
    .bind(f.department_id)
    .bind(f.family_id)
    .fetch_one(db)
    .await?;
    if let Some(counts) = cached.and_then(|c| <[i64; 6]>::try_from(c).ok()) {
        return Ok(counts);
    }
    let counts = participation_live(db, p, f).await?;
    // Kept until the next rebuild empties the cache; not kept if a rebuild finished meanwhile.
    sqlx::query(
        "insert into metrics_participation_cache (period_from, period_to, department_id, family_id, counts)
         select $1, $2, $3, $4, $5
         where (select r.refreshed_at from metrics_refreshes r where r.name = 'headcount_monthly')
               is not distinct from $6
         on conflict do nothing",
    )
    .bind(p.from)
    .bind(p.to)
    .bind(f.department_id)
    .bind(f.family_id)
    .bind(&counts[..])
    .bind(refreshed)
    .execute(db)
    .await?;
    Ok(counts)
}

async fn participation_live(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[i64; 6]> {
    let mut tx = custom_plans(db).await?;
    // Room for the largest set (people with a skill updated in six months) to stay hashed.
    sqlx::query("set local work_mem = '64MB'")
        .execute(&mut *tx)
        .await?;
    let r = sqlx::query!(
        r#"select count(*) as "active!",
             count(*) filter (where p.id in (select ps.person_id from person_skills ps
               where ps.updated_at >= ($2::date - interval '6 months') and ps.updated_at < $2::date)) as "profiles!",
             count(*) filter (where p.id in (select ap.applicant_id from applications ap
               where ap.submitted_at >= $1::date and ap.submitted_at < $2::date)) as "applied!",
             count(*) filter (where p.id in (select e.person_id from enrolments e
               where e.enrolled_at >= $1::date and e.enrolled_at < $2::date)) as "enrolled!",
             count(*) filter (where p.id in (select r.mentor_id from mentorship_requests r
               where r.status in ('accepted', 'ended')
                 and r.responded_at >= $1::date and r.responded_at < $2::date)) as "mentored!",
             count(*) filter (where p.id in (select c.person_id from career_conversations c
               where c.held_on >= $2::date - 90 and c.held_on < $2)) as "conversations!"
           from people p left join job_profiles jp on jp.id = p.job_profile_id
           where p.hire_date < $2 and (p.terminated_on is null or p.terminated_on >= $2)
             and ($3::uuid is null or p.department_id = $3)
             and ($4::uuid is null or jp.family_id = $4)"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([
        r.active,
        r.profiles,
        r.applied,
        r.enrolled,
        r.mentored,
        r.conversations,
    ])
}

/// Learning in the period: (enrolments, completions, hours completed, skill levels gained).
/// Levels gained: for each completion, the levels its course raises, target minus entry,
/// summed over the course's skills. One pass over the enrolments dated in the period; the
/// people filter only when a department or family is chosen.
pub async fn learning(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<[f64; 4]> {
    let mut tx = custom_plans(db).await?;
    let r = sqlx::query!(
        r#"select
             count(*) filter (where e.enrolled_at >= $1::date and e.enrolled_at < $2::date)::float8 as "enrolments!",
             count(*) filter (where e.completed_at >= $1::date and e.completed_at < $2::date)::float8 as "completions!",
             coalesce(sum(c.hours) filter (where e.completed_at >= $1::date and e.completed_at < $2::date), 0)::float8 as "hours!",
             coalesce(sum(cs.levels) filter (where e.completed_at >= $1::date and e.completed_at < $2::date), 0)::float8 as "levels!"
           from enrolments e
           join courses c on c.id = e.course_id
           left join (select course_id, sum(target_level - entry_level) as levels
                      from course_skills group by course_id) cs on cs.course_id = e.course_id
           where ((e.enrolled_at >= $1::date and e.enrolled_at < $2::date)
                  or (e.completed_at >= $1::date and e.completed_at < $2::date))
             and (($3::uuid is null and $4::uuid is null)
                  or e.person_id in (select p.id from people p
                                     left join job_profiles jp on jp.id = p.job_profile_id
                                     where ($3::uuid is null or p.department_id = $3)
                                       and ($4::uuid is null or jp.family_id = $4)))"#,
        p.from,
        p.to,
        f.department_id,
        f.family_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok([r.enrolments, r.completions, r.hours, r.levels])
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
