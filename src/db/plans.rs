//! Development plans: a target job profile and the steps toward it (a course step per
//! course of the learning path, mentorship and project steps), with dates and progress. A
//! course step is done when its enrolment is completed.

use serde::Serialize;
use serde_json::json;
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::engine::views::PathView;
use crate::error::{AppError, Result};

/// A plan in a person's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanSummary {
    pub id: Uuid,
    pub title: String,
    pub target_profile_id: Option<Uuid>,
    pub target: Option<String>,
    /// active, completed or abandoned.
    pub status: String,
    #[serde(with = "crate::domain::iso_date::option")]
    pub target_date: Option<Date>,
    pub steps_done: i64,
    pub steps_total: i64,
}

impl PlanSummary {
    /// Steps done as a percentage.
    pub fn progress_pct(&self) -> i64 {
        if self.steps_total == 0 {
            0
        } else {
            self.steps_done * 100 / self.steps_total
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanStep {
    pub id: Uuid,
    pub position: i16,
    /// course, mentorship, project or other.
    pub kind: String,
    pub title: String,
    pub course_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    #[serde(with = "crate::domain::iso_date::option")]
    pub due_on: Option<Date>,
    pub done: bool,
}

/// A plan with its steps.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub summary: PlanSummary,
    pub steps: Vec<PlanStep>,
}

/// The person's plans, active first, newest first.
pub async fn plans_of(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<PlanSummary>> {
    Ok(sqlx::query_as!(
        PlanSummary,
        r#"select dp.id, dp.title, dp.target_profile_id, jp.title as "target?", dp.status,
                  dp.target_date,
                  (select count(*) from development_plan_steps s
                   left join enrolments e on e.course_id = s.course_id and e.person_id = dp.person_id
                                          and e.status = 'completed'
                   where s.plan_id = dp.id and (s.done_at is not null or e.id is not null)) as "steps_done!",
                  (select count(*) from development_plan_steps s where s.plan_id = dp.id) as "steps_total!"
           from development_plans dp left join job_profiles jp on jp.id = dp.target_profile_id
           where dp.person_id = $1
           order by (dp.status = 'active') desc, dp.created_at desc"#,
        person
    )
    .fetch_all(db)
    .await?)
}

/// One of the person's plans; NotFound for anyone else's.
pub async fn plan(db: &sqlx::PgPool, person: Uuid, id: Uuid) -> Result<Plan> {
    let summary = plans_of(db, person)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let steps = sqlx::query_as!(
        PlanStep,
        r#"select s.id, s.position, s.kind, s.title, s.course_id, s.opportunity_id, s.due_on,
                  (s.done_at is not null or exists (
                     select 1 from enrolments e where e.course_id = s.course_id
                       and e.person_id = $2 and e.status = 'completed')) as "done!"
           from development_plan_steps s where s.plan_id = $1 order by s.position"#,
        id,
        person
    )
    .fetch_all(db)
    .await?;
    Ok(Plan { summary, steps })
}

/// A step about to be written.
struct NewStep {
    kind: &'static str,
    title: String,
    course: Option<Uuid>,
    opening: Option<Uuid>,
    skill: Option<Uuid>,
    due: Date,
}

/// Save a learning path toward a job profile as an active plan, in one transaction: a
/// course step per course (due as the weekly learning time allows), then a mentorship
/// step per mentor and a project step per project suggested for the gaps no course closes.
pub async fn create_from_path(
    db: &sqlx::PgPool,
    person: Uuid,
    profile: (Uuid, &str),
    path: &PathView,
) -> Result<Uuid> {
    let today = OffsetDateTime::now_utc().date();
    let weekly = f64::from(path.weekly_learning_hours.max(0.5));
    let due = |hours: f64| today + Duration::days((hours / weekly * 7.0).ceil() as i64);
    let mut steps: Vec<NewStep> = Vec::new();
    let mut hours = 0.0;
    for s in &path.steps {
        hours += f64::from(s.hours);
        steps.push(NewStep {
            kind: "course",
            title: format!("Take {}", s.title),
            course: Some(s.course_id),
            opening: None,
            skill: s.raises.first().map(|r| r.skill_id),
            due: due(hours),
        });
    }
    let end = due(hours.max(1.0));
    for g in &path.unclosable {
        if let Some(m) = g.mentors.first() {
            steps.push(NewStep {
                kind: "mentorship",
                title: format!("Ask {} for mentoring in {}", m.display_name, g.skill),
                course: None,
                opening: None,
                skill: Some(g.skill_id),
                due: end,
            });
        }
        if let Some(p) = g.projects.first() {
            steps.push(NewStep {
                kind: "project",
                title: format!("Join the project {} to practise {}", p.title, g.skill),
                course: None,
                opening: Some(p.id),
                skill: Some(g.skill_id),
                due: end,
            });
        }
    }
    let mut tx = db.begin().await?;
    let title = format!("Towards {}", profile.1);
    let id = sqlx::query_scalar!(
        "insert into development_plans (person_id, target_profile_id, title, target_date)
         values ($1, $2, $3, $4) returning id",
        person,
        profile.0,
        title,
        end
    )
    .fetch_one(&mut *tx)
    .await?;
    for (i, step) in steps.iter().enumerate() {
        sqlx::query!(
            "insert into development_plan_steps
               (plan_id, position, kind, title, course_id, opportunity_id, skill_id, due_on)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            id,
            i as i16 + 1,
            step.kind,
            step.title,
            step.course,
            step.opening,
            step.skill,
            step.due
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "plan.created",
        "development_plan",
        Some(id.to_string()),
        json!({ "target_profile_id": profile.0, "steps": steps.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Mark a step of one of the person's active plans done.
pub async fn mark_step_done(db: &sqlx::PgPool, person: Uuid, plan: Uuid, step: Uuid) -> Result<()> {
    let done = sqlx::query!(
        "update development_plan_steps s set done_at = coalesce(s.done_at, now())
         from development_plans p
         where s.id = $3 and s.plan_id = p.id and p.id = $2 and p.person_id = $1 and p.status = 'active'",
        person,
        plan,
        step
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Complete or abandon one of the person's active plans.
pub async fn set_status(db: &sqlx::PgPool, person: Uuid, plan: Uuid, status: &str) -> Result<()> {
    if !matches!(status, "completed" | "abandoned") {
        return Err(AppError::field("status", "must be completed or abandoned"));
    }
    let mut tx = db.begin().await?;
    let before = sqlx::query_scalar!(
        "select status from development_plans where id = $1 and person_id = $2 for update",
        plan,
        person
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if before != "active" {
        return Err(AppError::Conflict(format!("this plan is already {before}")));
    }
    sqlx::query!(
        "update development_plans set status = $2, updated_at = now() where id = $1",
        plan,
        status
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "plan.status",
        "development_plan",
        Some(plan.to_string()),
        json!({ "before": before, "after": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
