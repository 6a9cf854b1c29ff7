//! Openings as their owners write them: save drafts, publish, edit, close, keep the history,
//! and suggest skills from the description and job profile.

use serde::Serialize;
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::domain::posting::{PostingInput, Question, SkillRequirement};
use crate::error::{AppError, Result};

/// Who is acting on a posting.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub id: Uuid,
    pub is_hr: bool,
}

/// A posting with its owner and status, as access checks need it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Header {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub owner_id: Uuid,
    pub positions: i16,
    pub positions_filled: i16,
}

/// One published change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Revision {
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
    pub changed_by: Option<String>,
    pub summary: String,
}

/// The posting if `editor` owns it (or is HR); 404 when it does not exist, 403 otherwise.
pub async fn owned(db: &PgPool, id: Uuid, editor: Editor) -> Result<Header> {
    let h = sqlx::query_as!(
        Header,
        "select id, title, kind, status, owner_id, positions, positions_filled
         from opportunities where id = $1",
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    if h.owner_id != editor.id && !editor.is_hr {
        return Err(AppError::Forbidden(
            "Only the posting's owner and HR can manage it.".into(),
        ));
    }
    Ok(h)
}

/// Load a posting's editable fields.
pub async fn load(db: &PgPool, id: Uuid) -> Result<PostingInput> {
    let o = sqlx::query!(
        r#"select kind, title, description, department_id, job_profile_id, location_id, work_mode,
                  positions, closes_on, hours_per_week::float8 as hours, duration_weeks, start_date,
                  end_date, return_guaranteed
           from opportunities where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let skills = sqlx::query_as!(
        SkillRequirement,
        "select skill_id, level, importance from opportunity_skills os
         join skills s on s.id = os.skill_id where opportunity_id = $1
         order by array_position(array['essential','important','nice_to_have'], importance), s.name",
        id
    )
    .fetch_all(db)
    .await?;
    let questions = sqlx::query_as!(
        Question,
        "select prompt, required from opportunity_questions where opportunity_id = $1 order by position",
        id
    )
    .fetch_all(db)
    .await?;
    Ok(PostingInput {
        kind: o.kind,
        title: o.title,
        description: o.description,
        department_id: Some(o.department_id),
        job_profile_id: o.job_profile_id,
        location_id: o.location_id,
        work_mode: o.work_mode,
        positions: o.positions,
        closes_on: o.closes_on,
        hours_per_week: o.hours,
        duration_weeks: o.duration_weeks,
        start_date: o.start_date,
        end_date: o.end_date,
        return_guaranteed: o.return_guaranteed,
        questions,
        skills,
    })
}

fn validated(mut input: PostingInput, today: Date) -> Result<PostingInput> {
    input.normalise();
    let errors = input.validate(today);
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Save a new draft owned by `owner`.
pub async fn create(db: &PgPool, owner: Uuid, input: PostingInput, today: Date) -> Result<Uuid> {
    let input = validated(input, today)?;
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into opportunities (kind, title, owner_id, department_id, start_date, end_date, hours_per_week)
           values ($1, $2, $3, coalesce($4, (select department_id from people where id = $3)), $5, $6,
                   $7::float8::numeric)
           returning id"#,
        input.kind,
        input.title,
        owner,
        input.department_id,
        input.start_date,
        input.end_date,
        input.hours_per_week
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d)
            if matches!(d.kind(), sqlx::error::ErrorKind::ForeignKeyViolation | sqlx::error::ErrorKind::NotNullViolation) =>
        {
            AppError::field("department_id", "choose a department")
        }
        e => e.into(),
    })?;
    write_fields(&mut tx, id, &input).await?;
    audit::record(
        &mut *tx,
        Actor::Person(owner),
        "opportunity.create",
        "opportunity",
        Some(id.to_string()),
        json!({ "after": input }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Save changes; a change to a published posting is kept in its history.
pub async fn update(
    db: &PgPool,
    id: Uuid,
    by: Editor,
    input: PostingInput,
    today: Date,
) -> Result<()> {
    let input = validated(input, today)?;
    let before = load(db, id).await?;
    let mut tx = db.begin().await?;
    let status = sqlx::query_scalar!(
        "select status from opportunities where id = $1 for update",
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if status == "closed" || status == "filled" {
        return Err(AppError::Conflict(format!(
            "The posting is {status} and can no longer be edited."
        )));
    }
    if input.kind != before.kind {
        return Err(AppError::field(
            "kind",
            "the kind of a saved posting cannot change",
        ));
    }
    let answered = sqlx::query_scalar!(
        r#"select count(*) as "n!" from application_answers aa
           join opportunity_questions q on q.id = aa.question_id where q.opportunity_id = $1"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if answered > 0 && input.questions.len() < before.questions.len() {
        return Err(AppError::field(
            "questions",
            "questions already answered by applicants cannot be removed",
        ));
    }
    write_fields(&mut tx, id, &input).await?;
    if status == "open" {
        snapshot(&mut tx, id, by.id, "Edited").await?;
    }
    audit::record(
        &mut *tx,
        Actor::Person(by.id),
        "opportunity.update",
        "opportunity",
        Some(id.to_string()),
        json!({ "before": before, "after": input }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn write_fields(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    p: &PostingInput,
) -> Result<()> {
    sqlx::query!(
        r#"update opportunities set title = $2, description = $3,
               department_id = coalesce($4, department_id), job_profile_id = $5, location_id = $6,
               work_mode = $7, positions = $8, closes_on = $9, hours_per_week = $10::float8::numeric,
               duration_weeks = $11, start_date = $12, end_date = $13, return_guaranteed = $14,
               updated_at = now()
           where id = $1"#,
        id, p.title, p.description, p.department_id, p.job_profile_id, p.location_id,
        p.work_mode, p.positions, p.closes_on, p.hours_per_week, p.duration_weeks,
        p.start_date, p.end_date, p.return_guaranteed
    )
    .execute(&mut **tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.constraint() == Some("opportunities_positions_filled_range") =>
            AppError::field("positions", "positions cannot be fewer than those already filled"),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() =>
            AppError::field("job_profile_id", "choose a department, job profile and location from the lists"),
        e => e.into(),
    })?;
    sqlx::query!(
        "delete from opportunity_skills where opportunity_id = $1",
        id
    )
    .execute(&mut **tx)
    .await?;
    for s in &p.skills {
        sqlx::query!(
            "insert into opportunity_skills (opportunity_id, skill_id, level, importance) values ($1, $2, $3, $4)",
            id, s.skill_id, s.level, s.importance
        )
        .execute(&mut **tx)
        .await
        .map_err(|_| AppError::field("skills", "one of the skills is not in the taxonomy"))?;
    }
    let n = p.questions.len() as i16;
    sqlx::query!(
        "delete from opportunity_questions where opportunity_id = $1 and position > $2",
        id,
        n
    )
    .execute(&mut **tx)
    .await?;
    for (i, q) in p.questions.iter().enumerate() {
        sqlx::query!(
            "insert into opportunity_questions (opportunity_id, position, prompt, required)
             values ($1, $2, $3, $4)
             on conflict (opportunity_id, position) do update set prompt = excluded.prompt, required = excluded.required",
            id, i as i16 + 1, q.prompt.trim(), q.required
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn snapshot(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    by: Uuid,
    summary: &str,
) -> Result<()> {
    sqlx::query!(
        r#"insert into opportunity_revisions (opportunity_id, changed_by_id, summary, snapshot)
           select o.id, $2, $3, jsonb_build_object(
               'opening', to_jsonb(o) - 'search',
               'skills', coalesce((select jsonb_agg(jsonb_build_object('skill_id', s.skill_id,
                   'level', s.level, 'importance', s.importance)) from opportunity_skills s
                   where s.opportunity_id = o.id), '[]'::jsonb),
               'questions', coalesce((select jsonb_agg(jsonb_build_object('prompt', q.prompt,
                   'required', q.required) order by q.position) from opportunity_questions q
                   where q.opportunity_id = o.id), '[]'::jsonb))
           from opportunities o where o.id = $1"#,
        id,
        by,
        summary
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Publish a draft (or reopen nothing: only drafts publish).
pub async fn publish(db: &PgPool, id: Uuid, by: Editor) -> Result<()> {
    set_status(db, id, by, "draft", "open", "Published").await
}

/// Close an open posting to new applications.
pub async fn close(db: &PgPool, id: Uuid, by: Editor) -> Result<()> {
    set_status(db, id, by, "open", "closed", "Closed").await
}

async fn set_status(
    db: &PgPool,
    id: Uuid,
    by: Editor,
    from: &str,
    to: &str,
    summary: &str,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let status = sqlx::query_scalar!(
        "select status from opportunities where id = $1 for update",
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if status != from {
        return Err(AppError::Conflict(format!(
            "The posting is {status}; only a {from} posting can be {}.",
            summary.to_lowercase()
        )));
    }
    if to == "open" {
        let skills = sqlx::query_scalar!(
            r#"select count(*) as "n!" from opportunity_skills where opportunity_id = $1"#,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        let kind = sqlx::query_scalar!("select kind from opportunities where id = $1", id)
            .fetch_one(&mut *tx)
            .await?;
        if skills == 0 && kind != "mentorship" {
            return Err(AppError::field(
                "skills",
                "add at least one required skill before publishing",
            ));
        }
    }
    sqlx::query!(
        "update opportunities set status = $2,
             published_at = case when $2 = 'open' then now() else published_at end,
             closed_at = case when $2 = 'closed' then now() else closed_at end,
             updated_at = now()
         where id = $1",
        id,
        to
    )
    .execute(&mut *tx)
    .await?;
    snapshot(&mut tx, id, by.id, summary).await?;
    audit::record(
        &mut *tx,
        Actor::Person(by.id),
        &format!("opportunity.{}", summary.to_lowercase()),
        "opportunity",
        Some(id.to_string()),
        json!({ "before": { "status": status }, "after": { "status": to } }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The posting's published history, newest first.
pub async fn revisions(db: &PgPool, id: Uuid) -> Result<Vec<Revision>> {
    Ok(sqlx::query_as!(
        Revision,
        r#"select r.changed_at, p.display_name as "changed_by?", r.summary
           from opportunity_revisions r left join people p on p.id = r.changed_by_id
           where r.opportunity_id = $1 order by r.id desc"#,
        id
    )
    .fetch_all(db)
    .await?)
}
