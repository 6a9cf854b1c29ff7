//! A manager's direct reports' rows: skills and aspirations, validated skill levels, project
//! hours decisions, career conversations, and applications the manager has been told about.
//! The rules, the audit and the notifications are `service::team`'s.

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use time::Date;
use uuid::Uuid;

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

/// Store a conversation held with `person` by `manager`; returns its id.
pub async fn insert_conversation(
    conn: &mut PgConnection,
    person: Uuid,
    manager: Uuid,
    held_on: Date,
    aspirations_heard: &str,
    notes: &str,
) -> Result<Uuid> {
    Ok(sqlx::query_scalar!(
        "insert into career_conversations (person_id, manager_id, held_on, aspirations_heard, notes)
         values ($1, $2, $3, $4, $5) returning id",
        person, manager, held_on, aspirations_heard, notes
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// Store an action agreed in a conversation, owned by the person.
pub async fn insert_action(
    conn: &mut PgConnection,
    conversation: Uuid,
    description: &str,
    owner: Uuid,
    due_on: Option<Date>,
) -> Result<()> {
    sqlx::query!(
        "insert into conversation_actions (conversation_id, description, owner_id, due_on) values ($1, $2, $3, $4)",
        conversation, description, owner, due_on
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A held skill's level and evidence.
pub struct HeldLevel {
    pub level: i16,
    pub evidence: String,
}

/// Lock the person's skill for a change; None when they do not hold it.
pub async fn lock_held(
    conn: &mut PgConnection,
    person: Uuid,
    skill: Uuid,
) -> Result<Option<HeldLevel>> {
    let row = sqlx::query!(
        "select level, evidence from person_skills where person_id = $1 and skill_id = $2 for update",
        person, skill
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| HeldLevel {
        level: r.level,
        evidence: r.evidence,
    }))
}

/// Set the level as validated by `manager`, now.
pub async fn set_validated(
    conn: &mut PgConnection,
    person: Uuid,
    skill: Uuid,
    level: i16,
    manager: Uuid,
) -> Result<()> {
    sqlx::query!(
        "update person_skills set level = $3, evidence = 'manager_validated', validated_by_id = $4,
             validated_at = now(), updated_at = now()
         where person_id = $1 and skill_id = $2",
        person,
        skill,
        level,
        manager
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A report's application asking the manager for project hours.
pub struct HoursRequest {
    pub applicant_id: Uuid,
    /// pending, approved or declined.
    pub manager_approval: String,
    pub opportunity_title: String,
    pub opportunity_id: Uuid,
}

/// Lock an application of one of the manager's reports; None for anyone else's.
pub async fn lock_hours_request(
    conn: &mut PgConnection,
    manager: Uuid,
    application: Uuid,
) -> Result<Option<HoursRequest>> {
    let row = sqlx::query!(
        "select a.applicant_id, a.manager_approval, o.title, a.opportunity_id from applications a
         join people p on p.id = a.applicant_id join opportunities o on o.id = a.opportunity_id
         where a.id = $1 and p.manager_id = $2 for update of a",
        application,
        manager
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|a| HoursRequest {
        applicant_id: a.applicant_id,
        manager_approval: a.manager_approval,
        opportunity_title: a.title,
        opportunity_id: a.opportunity_id,
    }))
}

/// Record the manager's decision (`approved` or `declined`) on the hours.
pub async fn set_hours_decision(
    conn: &mut PgConnection,
    application: Uuid,
    decision: &str,
    manager: Uuid,
) -> Result<()> {
    sqlx::query!(
        "update applications set manager_approval = $2, manager_approval_by_id = $3, manager_approval_at = now(),
             updated_at = now() where id = $1",
        application, decision, manager
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A report due a career conversation.
pub struct ConversationDue {
    pub person_id: Uuid,
    pub display_name: String,
}

/// Reports without a conversation in 90 days whose manager has not been reminded of them
/// in 90 days.
pub async fn conversations_due(db: &PgPool, manager: Uuid) -> Result<Vec<ConversationDue>> {
    let rows = sqlx::query!(
        r#"select p.id, p.display_name from people p
           where p.manager_id = $1 and p.employment_status <> 'terminated'
             and not exists (select 1 from career_conversations c where c.person_id = p.id and c.held_on >= current_date - 90)
             and not exists (select 1 from notifications n where n.person_id = $1 and n.kind = 'conversation_due'
                             and n.link = '/team/' || p.id::text and n.created_at > now() - interval '90 days')"#,
        manager
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ConversationDue {
            person_id: r.id,
            display_name: r.display_name,
        })
        .collect())
}
