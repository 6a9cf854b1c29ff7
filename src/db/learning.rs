//! Courses and enrolments: the catalogue, enrolling, progress, and completion, which records
//! course-completed evidence on each of the course's skills without ever lowering a stronger
//! level.

use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};

/// Courses per catalogue page.
pub const PAGE_SIZE: i64 = 20;

/// The formats a course can have, with their labels.
pub const FORMATS: &[(&str, &str)] = &[
    ("e_learning", "E-learning"),
    ("workshop", "Workshop"),
    ("on_the_job", "On the job"),
    ("external", "External"),
];

/// A course in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseCard {
    pub id: Uuid,
    pub title: String,
    pub format: String,
    pub provider: String,
    pub hours: f32,
    /// The skills it develops, "SQL → 3", by name.
    pub skills: Vec<String>,
    pub retired: bool,
}

/// A catalogue search: words in the title or description, a skill, a format, a page (from 1).
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    pub q: Option<String>,
    pub skill: Option<Uuid>,
    pub format: Option<String>,
    pub page: i64,
}

/// One page of the catalogue (current courses only) and the number of matches.
pub async fn catalogue(db: &sqlx::PgPool, q: &CatalogueQuery) -> Result<(Vec<CourseCard>, i64)> {
    let words = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let rows = sqlx::query!(
        r#"select c.id, c.title, c.format, c.provider, c.hours::float4 as "hours!",
                  c.retired_at is not null as "retired!",
                  coalesce((select array_agg(s.name || ' → ' || cs.target_level order by s.name)
                            from course_skills cs join skills s on s.id = cs.skill_id
                            where cs.course_id = c.id), '{}') as "skills!",
                  count(*) over () as "total!"
           from courses c
           where c.retired_at is null
             and ($1::text is null or c.title ilike '%' || $1 || '%' or c.description ilike '%' || $1 || '%')
             and ($2::uuid is null or exists (select 1 from course_skills cs
                                              where cs.course_id = c.id and cs.skill_id = $2))
             and ($3::text is null or c.format = $3)
           order by c.title
           limit $4 offset $5"#,
        words,
        q.skill,
        q.format.as_deref().filter(|f| !f.is_empty()),
        PAGE_SIZE,
        crate::domain::params::offset(q.page, PAGE_SIZE)
    )
    .fetch_all(db)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let cards = rows
        .into_iter()
        .map(|r| CourseCard {
            id: r.id,
            title: r.title,
            format: r.format,
            provider: r.provider,
            hours: r.hours,
            skills: r.skills,
            retired: r.retired,
        })
        .collect();
    Ok((cards, total))
}

/// A course with its description and skills.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Course {
    pub card: CourseCard,
    pub description: String,
    pub url: Option<String>,
    /// The signed-in person's enrolment in it, if any.
    pub enrolment: Option<Enrolment>,
}

/// A person's enrolment in a course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Enrolment {
    pub id: Uuid,
    pub course_id: Uuid,
    pub course: String,
    pub hours: f32,
    /// enrolled, in_progress, completed or dropped.
    pub status: String,
    pub progress_pct: i16,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
}

/// A course by id (retired ones too, marked), with `person`'s enrolment.
pub async fn course(db: &sqlx::PgPool, id: Uuid, person: Uuid) -> Result<Course> {
    let c = sqlx::query!(
        r#"select c.id, c.title, c.format, c.provider, c.hours::float4 as "hours!", c.description,
                  c.url, c.retired_at is not null as "retired!",
                  coalesce((select array_agg(s.name || ' → ' || cs.target_level order by s.name)
                            from course_skills cs join skills s on s.id = cs.skill_id
                            where cs.course_id = c.id), '{}') as "skills!"
           from courses c where c.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let enrolment = enrolments_of(db, person)
        .await?
        .into_iter()
        .find(|e| e.course_id == id && e.status != "dropped");
    Ok(Course {
        card: CourseCard {
            id: c.id,
            title: c.title,
            format: c.format,
            provider: c.provider,
            hours: c.hours,
            skills: c.skills,
            retired: c.retired,
        },
        description: c.description,
        url: c.url,
        enrolment,
    })
}

/// Every enrolment of `person`, in progress first, then completed, newest first.
pub async fn enrolments_of(db: &sqlx::PgPool, person: Uuid) -> Result<Vec<Enrolment>> {
    Ok(sqlx::query_as!(
        Enrolment,
        r#"select e.id, e.course_id, c.title as course, c.hours::float4 as "hours!", e.status,
                  e.progress_pct, e.completed_at
           from enrolments e join courses c on c.id = e.course_id
           where e.person_id = $1
           order by (e.status = 'completed'), coalesce(e.completed_at, e.enrolled_at) desc"#,
        person
    )
    .fetch_all(db)
    .await?)
}

/// Enrol `person` in a current course; refused for a retired course or a second active
/// enrolment.
pub async fn enrol(db: &sqlx::PgPool, person: Uuid, course: Uuid) -> Result<Uuid> {
    let mut tx = db.begin().await?;
    let retired = sqlx::query_scalar!(
        r#"select retired_at is not null as "retired!" from courses where id = $1"#,
        course
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if retired {
        return Err(AppError::Conflict(
            "this course is retired: it takes no new enrolments".into(),
        ));
    }
    let id = sqlx::query_scalar!(
        "insert into enrolments (course_id, person_id) values ($1, $2)
         on conflict (course_id, person_id) where status <> 'dropped' do nothing returning id",
        course,
        person
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("you are already enrolled in this course".into()))?;
    audit::record(
        &mut *tx,
        Actor::Person(person),
        "learning.enrolled",
        "enrolment",
        Some(id.to_string()),
        json!({ "course_id": course }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Record progress (0-100) on `person`'s own enrolment; 100 completes it. Returns true when
/// this call completed the course (the caller refreshes the engine).
pub async fn set_progress(
    db: &sqlx::PgPool,
    person: Uuid,
    enrolment: Uuid,
    pct: i64,
) -> Result<bool> {
    let pct = i16::try_from(pct)
        .ok()
        .filter(|p| (0..=100).contains(p))
        .ok_or_else(|| AppError::field("progress_pct", "must be a whole number from 0 to 100"))?;
    let mut tx = db.begin().await?;
    let e = sqlx::query!(
        "select course_id, status, progress_pct from enrolments
         where id = $1 and person_id = $2 for update",
        enrolment,
        person
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if e.status == "completed" || e.status == "dropped" {
        return Err(AppError::Conflict(format!(
            "this enrolment is {}: its progress cannot change",
            e.status
        )));
    }
    let completes = pct == 100;
    sqlx::query!(
        "update enrolments set progress_pct = $2::smallint,
           status = case when $3 then 'completed' when $2::smallint > 0 then 'in_progress' else 'enrolled' end,
           completed_at = case when $3 then now() end, updated_at = now()
         where id = $1",
        enrolment,
        pct,
        completes
    )
    .execute(&mut *tx)
    .await?;
    let raised = if completes {
        record_completion(&mut tx, person, e.course_id).await?
    } else {
        json!([])
    };
    audit::record(
        &mut *tx,
        Actor::Person(person),
        if completes {
            "learning.completed"
        } else {
            "learning.progress"
        },
        "enrolment",
        Some(enrolment.to_string()),
        json!({ "before": { "progress_pct": e.progress_pct, "status": e.status },
                "after": { "progress_pct": pct }, "skills_raised": raised }),
    )
    .await?;
    tx.commit().await?;
    Ok(completes)
}

/// Course-completed evidence on each of the course's skills at its target level, where that
/// is stronger than what the person holds: a higher level is kept, and an equal level is
/// kept unless it was only self-assessed. Returns the levels changed (before and after).
async fn record_completion(
    tx: &mut sqlx::PgConnection,
    person: Uuid,
    course: Uuid,
) -> Result<serde_json::Value> {
    let changed = sqlx::query!(
        r#"with targets as (
             select cs.skill_id, cs.target_level, ps.level as held, ps.evidence as held_evidence
             from course_skills cs
             left join person_skills ps on ps.person_id = $1 and ps.skill_id = cs.skill_id
             where cs.course_id = $2
               and (ps.level is null or ps.level < cs.target_level
                    or (ps.level = cs.target_level and ps.evidence = 'self_assessed'))
           ), written as (
             insert into person_skills (person_id, skill_id, level, evidence)
             select $1, skill_id, target_level, 'course_completed' from targets
             on conflict (person_id, skill_id) do update
               set level = excluded.level, evidence = 'course_completed', validated_by_id = null,
                   validated_at = null, updated_at = now()
             returning skill_id, level
           )
           select w.skill_id, w.level, t.held as "held?", t.held_evidence as "held_evidence?"
           from written w join targets t on t.skill_id = w.skill_id"#,
        person,
        course
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(json!(changed
        .iter()
        .map(|c| json!({
            "skill_id": c.skill_id,
            "before": c.held.map(|l| json!({ "level": l, "evidence": c.held_evidence })),
            "after": { "level": c.level, "evidence": "course_completed" },
        }))
        .collect::<Vec<_>>()))
}
