//! Skills, participation and learning: open demand against internal supply per skill, who
//! took part in the marketplace, and enrolments, completions and levels gained.

use sqlx::PgPool;

use super::plans::custom_plans;
use crate::metrics::{Filters, Period};

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
