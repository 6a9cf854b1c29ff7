//! Mentorship: finding mentors by skill (people who offer mentoring in it, by level and
//! then availability), requests, and the mentor's answer. Both sides are notified.

use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::error::{AppError, Result};

/// A person who offers mentoring in a skill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mentor {
    pub person_id: Uuid,
    pub display_name: String,
    pub job_title: Option<String>,
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    /// Accepted mentees now: fewer means more available.
    pub active_mentees: i64,
    /// The viewer already has an open request with this mentor.
    pub requested: bool,
}

/// Mentors for a skill (any skill when `None`), best first: highest level, then fewest
/// active mentees.
pub async fn find(db: &sqlx::PgPool, skill: Option<Uuid>, viewer: Uuid) -> Result<Vec<Mentor>> {
    Ok(sqlx::query_as!(
        Mentor,
        r#"select p.id as person_id, p.display_name, jp.title as "job_title?", s.id as skill_id,
                  s.name as skill, ps.level,
                  (select count(*) from mentorship_requests m
                   where m.mentor_id = p.id and m.status = 'accepted') as "active_mentees!",
                  exists (select 1 from mentorship_requests m where m.mentor_id = p.id
                          and m.mentee_id = $2 and m.status in ('requested', 'accepted')) as "requested!"
           from person_skills ps join people p on p.id = ps.person_id
           join skills s on s.id = ps.skill_id
           left join job_profiles jp on jp.id = p.job_profile_id
           where ($1::uuid is null or ps.skill_id = $1) and ps.offers_mentoring and p.id <> $2
             and p.employment_status = 'active'
           order by ps.level desc, 7, p.display_name
           limit 50"#,
        skill,
        viewer
    )
    .fetch_all(db)
    .await?)
}

/// A mentorship request, seen by either side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Request {
    pub id: Uuid,
    pub mentor_id: Uuid,
    pub mentor: String,
    pub mentee_id: Uuid,
    pub mentee: String,
    pub skill: Option<String>,
    pub message: String,
    /// requested, accepted, declined or ended.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Requests to or from `person`, newest first.
pub async fn requests_of(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<Request>> {
    Ok(sqlx::query_as!(
        Request,
        r#"select m.id, m.mentor_id, a.display_name as mentor, m.mentee_id, b.display_name as mentee,
                  s.name as "skill?", m.message, m.status, m.created_at
           from mentorship_requests m join people a on a.id = m.mentor_id
           join people b on b.id = m.mentee_id left join skills s on s.id = m.skill_id
           where m.mentor_id = $1 or m.mentee_id = $1
           order by (m.status = 'requested') desc, m.created_at desc"#,
        person
    )
    .fetch_all(db)
    .await?)
}

/// Ask `mentor` for mentoring in `skill`. Refused for oneself, for someone who does not
/// offer mentoring in the skill, and while a request to the same mentor is open.
pub async fn request(
    db: &sqlx::PgPool,
    mentee: Uuid,
    mentor: Uuid,
    skill: Uuid,
    message: &str,
) -> Result<Uuid> {
    if mentee == mentor {
        return Err(AppError::field(
            "mentor_id",
            "you cannot ask yourself to be your mentor",
        ));
    }
    if message.chars().count() > 2000 {
        return Err(AppError::field(
            "message",
            "must be at most 2,000 characters",
        ));
    }
    let mut tx = db.begin().await?;
    let offer = sqlx::query!(
        "select s.name, me.display_name from person_skills ps join skills s on s.id = ps.skill_id
         join people me on me.id = $3
         where ps.person_id = $1 and ps.skill_id = $2 and ps.offers_mentoring",
        mentor,
        skill,
        mentee
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::field(
            "mentor_id",
            "this person does not offer mentoring in this skill",
        )
    })?;
    // Serialise requests of one mentee to one mentor, so two at once cannot both pass.
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtext($1::uuid::text || $2::uuid::text)::bigint)",
        mentee,
        mentor
    )
    .execute(&mut *tx)
    .await?;
    let open = sqlx::query_scalar!(
        r#"select exists (select 1 from mentorship_requests where mentee_id = $1 and mentor_id = $2
                          and status in ('requested', 'accepted')) as "open!""#,
        mentee,
        mentor
    )
    .fetch_one(&mut *tx)
    .await?;
    if open {
        return Err(AppError::Conflict(
            "you already have an open request with this mentor".into(),
        ));
    }
    let id = sqlx::query_scalar!(
        "insert into mentorship_requests (mentor_id, mentee_id, skill_id, message)
         values ($1, $2, $3, $4) returning id",
        mentor,
        mentee,
        skill,
        message.trim()
    )
    .fetch_one(&mut *tx)
    .await?;
    let title = format!(
        "{} asks you for mentoring in {}",
        offer.display_name, offer.name
    );
    notify(
        &mut *tx,
        &NewNotification {
            person_id: mentor,
            kind: "mentorship_request",
            title: &title,
            body: message.trim(),
            link: Some("/mentors#requests"),
            ..NewNotification::default()
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(mentee),
        "mentorship.requested",
        "mentorship_request",
        Some(id.to_string()),
        json!({ "mentor_id": mentor, "skill_id": skill }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The mentor accepts or declines an open request addressed to them (NotFound otherwise).
pub async fn respond(db: &sqlx::PgPool, mentor: Uuid, request: Uuid, accept: bool) -> Result<()> {
    let mut tx = db.begin().await?;
    let r = sqlx::query!(
        "select m.mentee_id, m.status, p.display_name from mentorship_requests m
         join people p on p.id = m.mentor_id
         where m.id = $1 and m.mentor_id = $2 for update of m",
        request,
        mentor
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if r.status != "requested" {
        return Err(AppError::Conflict(format!(
            "this request is already {}",
            r.status
        )));
    }
    let status = if accept { "accepted" } else { "declined" };
    sqlx::query!(
        "update mentorship_requests set status = $2, responded_at = now() where id = $1",
        request,
        status
    )
    .execute(&mut *tx)
    .await?;
    let title = format!("{} {status} your mentoring request", r.display_name);
    notify(
        &mut *tx,
        &NewNotification {
            person_id: r.mentee_id,
            kind: "mentorship_response",
            title: &title,
            link: Some("/mentors#requests"),
            ..NewNotification::default()
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        Actor::Person(mentor),
        "mentorship.answered",
        "mentorship_request",
        Some(request.to_string()),
        json!({ "before": "requested", "after": status }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
