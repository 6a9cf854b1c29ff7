//! HR's oversight of every opening: the open openings company-wide with their pipelines, and
//! the work left waiting, overdue first — applications the owner has not acted on within the
//! policy's reminder days, project hours waiting for the applicant's manager, and movers held
//! past the policy's longest release period. The worker reminds whoever owes the action and,
//! after the second period, tells HR (`remind`), once per stall.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::notifications::{notify, NewNotification};
use crate::domain::policy::MobilityPolicy;
use crate::error::{AppError, FieldError, Result};

/// Something waiting for a manager.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct WaitingWork {
    /// `application`, `approval` or `release`.
    pub kind: String,
    /// The application (for an application or an approval) or the move (for a release).
    pub subject_id: Uuid,
    pub opportunity_id: Uuid,
    pub title: String,
    pub department: Option<String>,
    /// The person the work is about (applicant or mover).
    pub person: String,
    /// The manager who owes the action.
    pub owed_by_id: Option<Uuid>,
    pub owed_by: Option<String>,
    /// The application's stage, or `accepted` for a release.
    pub stage: String,
    /// Since the last action.
    #[serde(with = "time::serde::rfc3339")]
    pub waiting_since: OffsetDateTime,
    /// Whole days waiting (for a release: days past the latest release the policy allows).
    pub days: i32,
    /// At or past the reminder days (a release: past the policy's longest release period).
    pub overdue: bool,
    /// At or past the days after which HR is told.
    pub escalated: bool,
}

impl WaitingWork {
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "application" => "Application not acted on",
            "approval" => "Project hours to approve",
            _ => "Release held past the policy",
        }
    }
}

/// One open opening with its pipeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct OpeningRow {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub department: Option<String>,
    pub owner: String,
    /// Days since publishing.
    pub age_days: i32,
    pub submitted: i64,
    pub in_review: i64,
    pub interviewing: i64,
    pub offered: i64,
    /// Days since the last event on any of its applications (or since publishing).
    pub days_since_action: i32,
    /// Applications and approvals of this opening past the reminder days.
    pub overdue: i64,
}

/// The oversight view.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Oversight {
    pub reminder_days: u16,
    pub escalation_days: u16,
    pub max_release_weeks: u16,
    /// Work past the reminder days, longest waiting first.
    pub overdue: Vec<WaitingWork>,
    /// Open openings, those with overdue work first, then by days since the last action.
    pub openings: Vec<OpeningRow>,
    /// Open openings matching the filters, on all pages.
    pub total_openings: i64,
    pub page: i64,
}

/// The filters as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OversightParams {
    /// A department id: openings of it and of the departments under it.
    pub department: Option<String>,
    /// `overdue` (default), `age` (oldest first) or `last_action` (longest idle first).
    pub sort: Option<String>,
    /// From 1; 100 openings a page.
    pub page: Option<String>,
}

const PAGE_SIZE: i64 = 100;

/// Every waiting item under the policy, the overdue ones and the others (a runtime query: the
/// three kinds are one union the macros would check three times over).
const WAITING_SQL: &str = "
    with recursive sub as (
        select id from departments where id = $4
        union all select d.id from departments d join sub on d.parent_id = sub.id
    ), apps as (
        select 'application'::text as kind, a.id as subject_id, o.id as opportunity_id, o.title,
               o.department_id, ap.display_name as person, o.owner_id as owed_by_id, a.status as stage,
               coalesce((select max(e.occurred_at) from application_events e
                         where e.application_id = a.id), a.submitted_at) as waiting_since,
               0 as grace_days
        from applications a join opportunities o on o.id = a.opportunity_id
        join people ap on ap.id = a.applicant_id
        where a.status in ('submitted', 'in_review', 'interviewing') and o.status = 'open'
        union all
        select 'approval', a.id, o.id, o.title, o.department_id, ap.display_name, ap.manager_id,
               a.status, a.submitted_at, 0
        from applications a join opportunities o on o.id = a.opportunity_id
        join people ap on ap.id = a.applicant_id
        where a.manager_approval = 'pending'
          and a.status in ('submitted', 'in_review', 'interviewing', 'offered')
        union all
        select 'release', m.id, o.id, o.title, o.department_id, mp.display_name, m.from_manager_id,
               'accepted', acc.at + make_interval(days => $3 * 7), 0
        from moves m join opportunities o on o.id = m.opportunity_id
        join people mp on mp.id = m.person_id
        cross join lateral (select coalesce(
            (select max(e.occurred_at) from application_events e
             where e.application_id = m.application_id and e.to_status = 'accepted'),
            m.created_at) as at) acc
        where m.application_id is not null and m.effective_on > current_date
          and m.effective_on > (acc.at + make_interval(days => $3 * 7))::date
    )
    select w.kind, w.subject_id, w.opportunity_id, w.title, d.name as department, w.person,
           w.owed_by_id, ob.display_name as owed_by, w.stage, w.waiting_since,
           greatest(0, extract(day from now() - w.waiting_since))::int as days,
           case when w.kind = 'release' then now() >= w.waiting_since
                else now() >= w.waiting_since + make_interval(days => $1) end as overdue,
           case when w.kind = 'release' then now() >= w.waiting_since + make_interval(days => $2 - $1)
                else now() >= w.waiting_since + make_interval(days => $2) end as escalated
    from apps w
    left join departments d on d.id = w.department_id
    left join people ob on ob.id = w.owed_by_id
    where ($4::uuid is null or w.department_id in (select id from sub))
    order by w.waiting_since, w.subject_id";

async fn waiting(
    db: &PgPool,
    policy: &MobilityPolicy,
    department: Option<Uuid>,
) -> Result<Vec<WaitingWork>> {
    Ok(sqlx::query_as::<_, WaitingWork>(WAITING_SQL)
        .bind(i32::from(policy.reminder_days))
        .bind(i32::from(policy.escalation_days))
        .bind(i32::from(policy.max_release_weeks))
        .bind(department)
        .fetch_all(db)
        .await?)
}

/// The oversight view for HR.
pub async fn load(db: &PgPool, q: &OversightParams) -> Result<Oversight> {
    let mut errors = Vec::new();
    let department = crate::domain::params::id(&mut errors, "department", &q.department);
    let sort = q
        .sort
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("overdue");
    if !["overdue", "age", "last_action"].contains(&sort) {
        errors.push(FieldError::new(
            "sort",
            "Sort by overdue, age or last_action.",
        ));
    }
    let page = match q.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 1,
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => {
                errors.push(FieldError::new("page", "Give a page number from 1."));
                1
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let policy = crate::db::policy::current(db).await?;
    let overdue: Vec<WaitingWork> = waiting(db, &policy, department)
        .await?
        .into_iter()
        .filter(|w| w.overdue)
        .collect();
    let rows = sqlx::query!(
        r#"with recursive sub as (
               select id from departments where id = $1
               union all select d.id from departments d join sub on d.parent_id = sub.id
           )
           select o.id, o.title, o.kind, d.name as "department?", p.display_name as owner,
                  greatest(0, current_date - coalesce(o.published_at, o.created_at)::date) as "age_days!",
                  count(a.id) filter (where a.status = 'submitted') as "submitted!",
                  count(a.id) filter (where a.status = 'in_review') as "in_review!",
                  count(a.id) filter (where a.status = 'interviewing') as "interviewing!",
                  count(a.id) filter (where a.status = 'offered') as "offered!",
                  greatest(0, current_date - greatest(coalesce(o.published_at, o.created_at),
                      max((select max(e.occurred_at) from application_events e where e.application_id = a.id)))::date)
                      as "days_since_action!",
                  count(*) over () as "total!"
           from opportunities o
           join people p on p.id = o.owner_id
           left join departments d on d.id = o.department_id
           left join applications a on a.opportunity_id = o.id
           where o.status = 'open' and ($1::uuid is null or o.department_id in (select id from sub))
           group by o.id, d.name, p.display_name
           order by case when $2 = 'age' then current_date - coalesce(o.published_at, o.created_at)::date else 0 end desc,
                    o.published_at nulls last, o.id"#,
        department,
        sort
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let mut openings: Vec<OpeningRow> = rows
        .into_iter()
        .map(|r| OpeningRow {
            overdue: overdue
                .iter()
                .filter(|w| w.opportunity_id == r.id && w.kind != "release")
                .count() as i64,
            id: r.id,
            title: r.title,
            kind: r.kind,
            department: r.department,
            owner: r.owner,
            age_days: r.age_days,
            submitted: r.submitted,
            in_review: r.in_review,
            interviewing: r.interviewing,
            offered: r.offered,
            days_since_action: r.days_since_action,
        })
        .collect();
    match sort {
        "age" => {}
        "last_action" => openings.sort_by_key(|o| std::cmp::Reverse(o.days_since_action)),
        _ => openings.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then(b.days_since_action.cmp(&a.days_since_action))
        }),
    }
    let openings = openings
        .into_iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    Ok(Oversight {
        reminder_days: policy.reminder_days,
        escalation_days: policy.escalation_days,
        max_release_weeks: policy.max_release_weeks,
        overdue,
        openings,
        total_openings: total,
        page,
    })
}

/// The advisory lock key of the reminder run ("trellis oversight").
const LOCK_KEY: i64 = 0x7472_6f76_6572_7365;

/// Remind the manager who owes each overdue action and, after the second period, tell every
/// HR admin; each once per stall (`oversight_reminders_once`), so a second server or a second
/// run sends nothing new. Returns (reminders, escalations) sent.
pub async fn remind(db: &PgPool) -> Result<(usize, usize)> {
    let policy = crate::db::policy::current(db).await?;
    let items = waiting(db, &policy, None).await?;
    let mut tx = db.begin().await?;
    let locked = sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "ok!""#, LOCK_KEY)
        .fetch_one(&mut *tx)
        .await?;
    if !locked {
        return Ok((0, 0));
    }
    let hr: Vec<Uuid> = sqlx::query_scalar!(
        "select id from people where is_hr_admin and employment_status = 'active'"
    )
    .fetch_all(&mut *tx)
    .await?;
    let (mut reminders, mut escalations) = (0, 0);
    for w in items.iter().filter(|w| w.overdue) {
        let link = format!("/postings/{}/applicants", w.opportunity_id);
        if let Some(manager) = w.owed_by_id {
            if first_time(&mut tx, w, "reminder", manager).await? {
                let title = match w.kind.as_str() {
                    "application" => {
                        format!("{}'s application to {} waits for you", w.person, w.title)
                    }
                    "approval" => format!(
                        "{} asks you to approve project hours for {}",
                        w.person, w.title
                    ),
                    _ => format!(
                        "Release {} to {}: the policy's release period has passed",
                        w.person, w.title
                    ),
                };
                let body = format!(
                    "WaitingWork {} days. After {} days without action HR is told.",
                    w.days, policy.escalation_days
                );
                let link = if w.kind == "application" {
                    link.clone()
                } else {
                    "/team".to_string()
                };
                notify(
                    &mut *tx,
                    &NewNotification {
                        person_id: manager,
                        kind: "oversight_reminder",
                        title: &title,
                        body: &body,
                        link: Some(&link),
                        opportunity_id: Some(w.opportunity_id),
                        ..NewNotification::default()
                    },
                )
                .await?;
                reminders += 1;
            }
        }
        if w.escalated && first_time(&mut tx, w, "escalation", Uuid::nil()).await? {
            let title = format!(
                "Overdue: {} — {} ({}), waiting {} days for {}",
                w.kind_label(),
                w.title,
                w.person,
                w.days,
                w.owed_by.as_deref().unwrap_or("no manager")
            );
            for person in &hr {
                notify(
                    &mut *tx,
                    &NewNotification {
                        person_id: *person,
                        kind: "oversight_escalation",
                        title: &title,
                        body: "The manager was reminded and has not acted. See HR's view of every opening.",
                        link: Some("/hr/openings"),
                        opportunity_id: Some(w.opportunity_id),
                        ..NewNotification::default()
                    },
                )
                .await?;
            }
            escalations += 1;
        }
    }
    tx.commit().await?;
    Ok((reminders, escalations))
}

/// Record that `level` was sent for this stall; false when it already was.
async fn first_time(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    w: &WaitingWork,
    level: &str,
    to: Uuid,
) -> Result<bool> {
    let to = (!to.is_nil()).then_some(to);
    Ok(sqlx::query!(
        "insert into oversight_reminders (subject_kind, subject_id, level, waiting_since, sent_to_id)
         values ($1, $2, $3, $4, $5) on conflict do nothing",
        w.kind,
        w.subject_id,
        level,
        w.waiting_since,
        to
    )
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}
