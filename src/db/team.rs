//! A manager's direct reports: skills and aspirations, validating skill levels, approving
//! project hours, career conversations, and applications the manager has been told about.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::error::{AppError, Result};

/// One of the report's skills.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportSkill {
    pub skill_id: Uuid,
    pub name: String,
    pub level: i16,
    pub evidence: String,
}

/// The report's mobility preferences.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preferences {
    pub open_to_roles: bool,
    pub open_to_secondments: bool,
    pub open_to_projects: bool,
    pub open_to_mentoring: bool,
    pub summary: String,
}

/// An application the manager may see: told at the policy stage, or asking for hours.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VisibleApplication {
    pub application_id: Uuid,
    pub person_id: Uuid,
    pub display_name: String,
    pub opportunity_title: String,
    pub kind: String,
    pub status: String,
    pub hours_per_week: Option<f64>,
    /// `pending` when the manager is asked to approve project hours.
    pub manager_approval: String,
}

/// A career conversation with its agreed actions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Conversation {
    pub id: Uuid,
    #[serde(with = "crate::domain::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    pub manager: String,
    pub aspirations_heard: String,
    pub notes: String,
    pub actions: Vec<ConversationAction>,
}

/// An agreed action.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConversationAction {
    pub description: String,
    #[serde(default, with = "crate::domain::iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<Date>,
}

/// A new conversation as the manager records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewConversation {
    #[serde(with = "crate::domain::iso_date")]
    #[schema(value_type = String, format = Date)]
    pub held_on: Date,
    #[serde(default)]
    pub aspirations_heard: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub actions: Vec<ConversationAction>,
}

/// Everything the manager sees about one report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportDetail {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub skills: Vec<ReportSkill>,
    pub preferences: Preferences,
    pub applications: Vec<VisibleApplication>,
    pub conversations: Vec<Conversation>,
}

/// 404 unless `person` is a direct report of `manager`.
pub async fn ensure_report(db: &PgPool, manager: Uuid, person: Uuid) -> Result<String> {
    sqlx::query_scalar!(
        "select display_name from people where id = $1 and manager_id = $2 and employment_status <> 'terminated'",
        person, manager
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

/// Applications of the manager's reports the manager may see (never before the policy stage,
/// except project hours waiting for approval).
pub async fn visible_applications(db: &PgPool, manager: Uuid) -> Result<Vec<VisibleApplication>> {
    Ok(sqlx::query_as!(
        VisibleApplication,
        r#"select a.id as application_id, p.id as person_id, p.display_name, o.title as opportunity_title,
                  o.kind, a.status, o.hours_per_week::float8 as "hours_per_week?", a.manager_approval
           from applications a join people p on p.id = a.applicant_id
           join opportunities o on o.id = a.opportunity_id
           where p.manager_id = $1
             and (a.manager_informed_at is not null or a.manager_approval = 'pending')
           order by a.updated_at desc"#,
        manager
    )
    .fetch_all(db)
    .await?)
}

/// One report in full.
pub async fn report(db: &PgPool, manager: Uuid, person: Uuid) -> Result<ReportDetail> {
    let display_name = ensure_report(db, manager, person).await?;
    let job_title = sqlx::query_scalar!(
        "select jp.title from people p join job_profiles jp on jp.id = p.job_profile_id where p.id = $1", person)
        .fetch_optional(db)
        .await?;
    let skills = sqlx::query_as!(
        ReportSkill,
        "select s.id as skill_id, s.name, ps.level, ps.evidence from person_skills ps
         join skills s on s.id = ps.skill_id where ps.person_id = $1 order by ps.level desc, s.name",
        person
    )
    .fetch_all(db)
    .await?;
    let preferences = sqlx::query_as!(
        Preferences,
        r#"select coalesce(a.open_to_roles, true) as "open_to_roles!",
                  coalesce(a.open_to_secondments, false) as "open_to_secondments!",
                  coalesce(a.open_to_projects, true) as "open_to_projects!",
                  coalesce(a.open_to_mentoring, true) as "open_to_mentoring!",
                  coalesce(a.summary, '') as "summary!"
           from people p left join aspirations a on a.person_id = p.id where p.id = $1"#,
        person
    )
    .fetch_one(db)
    .await?;
    let applications = visible_applications(db, manager)
        .await?
        .into_iter()
        .filter(|a| a.person_id == person)
        .collect();
    Ok(ReportDetail {
        person_id: person,
        display_name,
        job_title,
        skills,
        preferences,
        applications,
        conversations: conversations(db, person).await?,
    })
}

/// A person's career conversations, newest first (callers check who may see them).
pub async fn conversations(db: &PgPool, person: Uuid) -> Result<Vec<Conversation>> {
    let rows = sqlx::query!(
        "select c.id, c.held_on, m.display_name, c.aspirations_heard, c.notes
         from career_conversations c join people m on m.id = c.manager_id
         where c.person_id = $1 order by c.held_on desc",
        person
    )
    .fetch_all(db)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let actions = sqlx::query_as!(
            ConversationAction,
            "select description, due_on from conversation_actions where conversation_id = $1 order by due_on nulls last",
            r.id
        )
        .fetch_all(db)
        .await?;
        out.push(Conversation {
            id: r.id,
            held_on: r.held_on,
            manager: r.display_name,
            aspirations_heard: r.aspirations_heard,
            notes: r.notes,
            actions,
        });
    }
    Ok(out)
}

/// Record a career conversation with a direct report.
pub async fn add_conversation(
    db: &PgPool,
    manager: Uuid,
    person: Uuid,
    c: NewConversation,
    today: Date,
) -> Result<Uuid> {
    ensure_report(db, manager, person).await?;
    if c.held_on > today {
        return Err(AppError::field(
            "held_on",
            "the conversation date cannot be in the future",
        ));
    }
    for (i, a) in c.actions.iter().enumerate() {
        if a.description.trim().is_empty() {
            return Err(AppError::field(
                format!("actions/{i}/description"),
                "describe the action",
            ));
        }
    }
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "insert into career_conversations (person_id, manager_id, held_on, aspirations_heard, notes)
         values ($1, $2, $3, $4, $5) returning id",
        person, manager, c.held_on, c.aspirations_heard.trim(), c.notes.trim()
    )
    .fetch_one(&mut *tx)
    .await?;
    for a in &c.actions {
        sqlx::query!(
            "insert into conversation_actions (conversation_id, description, owner_id, due_on) values ($1, $2, $3, $4)",
            id, a.description.trim(), person, a.due_on
        )
        .execute(&mut *tx)
        .await?;
    }
    audit::record(
        &mut *tx,
        Actor::Person(manager),
        "conversation.create",
        "career_conversation",
        Some(id.to_string()),
        json!({ "after": { "person_id": person, "held_on": c.held_on } }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Validate or adjust a report's skill level (manager-validated evidence).
pub async fn validate_skill(
    db: &PgPool,
    manager: Uuid,
    person: Uuid,
    skill: Uuid,
    level: i16,
) -> Result<()> {
    ensure_report(db, manager, person).await?;
    if !(1..=5).contains(&level) {
        return Err(AppError::field("level", "level must be between 1 and 5"));
    }
    let mut tx = db.begin().await?;
    let before = sqlx::query!(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2 for update",
        person, skill
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "update person_skills set level = $3, evidence = 'manager_validated', validated_by_id = $4,
             validated_at = now(), updated_at = now()
         where person_id = $1 and skill_id = $2",
        person,
        skill,
        level,
        manager
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(manager),
        "person_skill.validate",
        "person_skill",
        Some(format!("{person}/{skill}")),
        json!({ "before": { "level": before.level, "evidence": before.evidence },
                "after": { "level": level, "evidence": "manager_validated" } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approve or decline a report's project hours.
pub async fn decide_hours(
    db: &PgPool,
    manager: Uuid,
    application: Uuid,
    approve: bool,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let a = sqlx::query!(
        "select a.applicant_id, a.manager_approval, o.title, a.opportunity_id from applications a
         join people p on p.id = a.applicant_id join opportunities o on o.id = a.opportunity_id
         where a.id = $1 and p.manager_id = $2 for update of a",
        application,
        manager
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if a.manager_approval != "pending" {
        return Err(AppError::Conflict(format!(
            "The hours are already {}.",
            a.manager_approval
        )));
    }
    let decision = if approve { "approved" } else { "declined" };
    sqlx::query!(
        "update applications set manager_approval = $2, manager_approval_by_id = $3, manager_approval_at = now(),
             updated_at = now() where id = $1",
        application, decision, manager
    )
    .execute(&mut *tx)
    .await?;
    let title = format!("Your manager {decision} the hours for {}", a.title);
    let link = format!("/applications/{application}");
    notify(
        &mut *tx,
        &NewNotification {
            person_id: a.applicant_id,
            kind: "approval_decision",
            title: &title,
            body: "",
            link: Some(&link),
            opportunity_id: Some(a.opportunity_id),
            application_id: Some(application),
        },
    )
    .await?;
    audit::record(&mut *tx, Actor::Person(manager), "application.hours_decision", "application",
        Some(application.to_string()), json!({ "before": { "manager_approval": "pending" }, "after": { "manager_approval": decision } })).await?;
    tx.commit().await?;
    Ok(())
}

/// Send a `conversation_due` reminder for each report without a conversation in 90 days, at
/// most once per 90 days per report. Returns how many were sent.
pub async fn remind_conversations(db: &PgPool, manager: Uuid) -> Result<usize> {
    let due = sqlx::query!(
        r#"select p.id, p.display_name from people p
           where p.manager_id = $1 and p.employment_status <> 'terminated'
             and not exists (select 1 from career_conversations c where c.person_id = p.id and c.held_on >= current_date - 90)
             and not exists (select 1 from notifications n where n.person_id = $1 and n.kind = 'conversation_due'
                             and n.link = '/team/' || p.id::text and n.created_at > now() - interval '90 days')"#,
        manager
    )
    .fetch_all(db)
    .await?;
    for r in &due {
        let title = format!("Time for a career conversation with {}", r.display_name);
        let link = format!("/team/{}", r.id);
        notify(
            db,
            &NewNotification {
                person_id: manager,
                kind: "conversation_due",
                title: &title,
                body: "No career conversation recorded in the last 90 days.",
                link: Some(&link),
                opportunity_id: None,
                application_id: None,
            },
        )
        .await?;
    }
    Ok(due.len())
}

/// The date in UTC.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}
