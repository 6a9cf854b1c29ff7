//! Creating and editing a course: the input (typed as text so a refused form keeps what was
//! typed), its validation field by field (errors carry JSON pointers: `/title`,
//! `/skills/0/target_level`), and the one-transaction, audited save.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::constraints::on_constraint;
use crate::db::courses::{self, NewCourse};
use crate::db::taxonomy;
use crate::domain::skill_level::SkillLevel;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// Fewest hours a course may take, after rounding to the tenth stored.
pub const MIN_HOURS: f64 = 0.1;
/// Most hours a course may take.
pub const MAX_HOURS: f64 = 2000.0;

/// The course formats, with their labels.
pub const FORMATS: &[(&str, &str)] = &[
    ("e_learning", "E-learning"),
    ("workshop", "Workshop"),
    ("on_the_job", "On the job"),
    ("external", "External"),
];

/// One skill a course develops, as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SkillLine {
    pub skill: String,
    pub entry: String,
    pub target: String,
}

/// A course as typed in the form (or converted from the JSON body).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CourseForm {
    pub title: String,
    pub description: String,
    pub format: String,
    pub provider: String,
    /// The author's email; empty for none.
    pub author: String,
    pub hours: String,
    pub url: String,
    pub skills: Vec<SkillLine>,
}

impl CourseForm {
    /// From the flat form fields (`skill_N`, `entry_N`, `target_N` for the skill rows).
    pub fn from_pairs(pairs: &[(String, String)]) -> CourseForm {
        let mut form = CourseForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value.clone(),
                "description" => form.description = value.clone(),
                "format" => form.format = value.clone(),
                "provider" => form.provider = value.clone(),
                "author" => form.author = value.clone(),
                "hours" => form.hours = value.clone(),
                "url" => form.url = value.clone(),
                _ => form.skill_field(key, value),
            }
        }
        form
    }

    fn skill_field(&mut self, key: &str, value: &str) {
        let Some((name, index)) = key.split_once('_') else {
            return;
        };
        let Ok(i) = index.parse::<usize>() else {
            return;
        };
        if i >= 50 {
            return;
        }
        while self.skills.len() <= i {
            self.skills.push(SkillLine::default());
        }
        let line = &mut self.skills[i];
        match name {
            "skill" => line.skill = value.to_owned(),
            "entry" => line.entry = value.to_owned(),
            "target" => line.target = value.to_owned(),
            _ => {}
        }
    }
}

/// A course skill in the JSON API.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CourseSkillInput {
    /// Skill name (or an exact live skill name, case-insensitive).
    pub skill: String,
    /// 0-4: the level a learner needs to start.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 4)]
    pub entry_level: i32,
    /// 1-5, above the entry level: the level the course brings a learner to.
    #[schema(minimum = 1, maximum = 5)]
    pub target_level: i32,
}

/// A course in the JSON API (create and replace).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CourseInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// e_learning, workshop, on_the_job or external.
    pub format: String,
    #[serde(default)]
    pub provider: String,
    /// The author's email (any active person); absent for none.
    #[serde(default)]
    pub author_email: Option<String>,
    /// 0.1 to 2000, in tenths of an hour (more decimals are rounded).
    #[schema(minimum = 0.05, maximum = 2000.0)]
    pub hours: f64,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub skills: Vec<CourseSkillInput>,
}

impl From<CourseInput> for CourseForm {
    fn from(c: CourseInput) -> CourseForm {
        CourseForm {
            title: c.title,
            description: c.description,
            format: c.format,
            provider: c.provider,
            author: c.author_email.unwrap_or_default(),
            hours: c.hours.to_string(),
            url: c.url.unwrap_or_default(),
            skills: c
                .skills
                .into_iter()
                .map(|s| SkillLine {
                    skill: s.skill,
                    entry: s.entry_level.to_string(),
                    target: s.target_level.to_string(),
                })
                .collect(),
        }
    }
}

/// A course that passed validation.
#[derive(Debug, Serialize)]
struct Valid {
    title: String,
    description: String,
    format: String,
    provider: String,
    author_id: Option<Uuid>,
    hours: f64,
    url: Option<String>,
    /// (skill id, skill name, entry, target)
    skills: Vec<(Uuid, String, i16, i16)>,
}

async fn validate(tx: &mut sqlx::PgConnection, id: Option<Uuid>, f: &CourseForm) -> Result<Valid> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| errors.push(FieldError::new(field, message));
    let title = f.title.trim().to_owned();
    if title.is_empty() {
        err("/title", "A course needs a title.".into());
    } else if title.chars().count() > 200 {
        err("/title", "Keep the title under 200 characters.".into());
    } else {
        if courses::title_taken(tx, &title, id).await? {
            err(
                "/title",
                format!("Another course is already called {title}."),
            );
        }
    }
    if !FORMATS.iter().any(|(v, _)| *v == f.format) {
        err(
            "/format",
            "Choose e-learning, workshop, on the job or external.".into(),
        );
    }
    // Stored in tenths of an hour (numeric(5, 1)): a value that rounds to 0 would pass a check
    // on the number given and break the database's, so the rule is on the rounded value.
    let hours = f.hours.trim().replace(',', ".").parse::<f64>().ok();
    let hours = match hours.map(|h| (h * 10.0).round() / 10.0) {
        Some(h) if (MIN_HOURS..=MAX_HOURS).contains(&h) => h,
        _ => {
            err(
                "/hours",
                "Hours must be a number from 0.1 to 2000 (in tenths of an hour).".into(),
            );
            0.0
        }
    };
    let url = f.url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        err("/url", "A link starts with https:// or http://.".into());
    }
    let author = f.author.trim();
    let mut author_id = None;
    if !author.is_empty() {
        author_id = courses::active_person(tx, author).await?;
        if author_id.is_none() {
            err(
                "/author_email",
                format!("No active person has the email {author}."),
            );
        }
    }
    let mut skills: Vec<(Uuid, String, i16, i16)> = Vec::new();
    for (i, line) in f.skills.iter().enumerate() {
        let name = line.skill.trim();
        if name.is_empty() {
            continue;
        }
        let found = taxonomy::live_named(&mut *tx, name).await?;
        let entry = line.entry.trim();
        let entry = if entry.is_empty() {
            Some(0)
        } else {
            entry.parse::<i16>().ok()
        };
        let entry = entry.filter(|e| (0..=4).contains(e));
        if entry.is_none() {
            err(
                &format!("/skills/{i}/entry_level"),
                "The entry level is 0 to 4.".into(),
            );
        }
        let target = line
            .target
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|t| SkillLevel::try_from(t).ok())
            .map(|t| i16::from(t.get()));
        match (target, entry) {
            (None, _) => err(
                &format!("/skills/{i}/target_level"),
                "The target level is 1 to 5.".into(),
            ),
            (Some(t), Some(e)) if t <= e => err(
                &format!("/skills/{i}/target_level"),
                "The target level must be above the entry level.".into(),
            ),
            _ => {}
        }
        match found {
            None => err(
                &format!("/skills/{i}/skill"),
                format!("There is no skill called {name}."),
            ),
            Some((sid, _)) if skills.iter().any(|s| s.0 == sid) => err(
                &format!("/skills/{i}/skill"),
                format!("{name} is listed twice."),
            ),
            Some((sid, sname)) => {
                if let (Some(e), Some(t)) = (entry, target) {
                    skills.push((sid, sname, e, t));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Valid {
        title,
        description: f.description.trim().to_owned(),
        format: f.format.clone(),
        provider: f.provider.trim().to_owned(),
        author_id,
        hours,
        url: (!url.is_empty()).then(|| url.to_owned()),
        skills,
    })
}

/// Create (`id` None) or replace a course and its skills, in one transaction, audited with
/// before and after; then reload the engine (it holds the catalogue). Returns the course id.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    form: &CourseForm,
) -> Result<Uuid> {
    let mut tx = state.db.begin().await?;
    let before = match id {
        Some(id) => Some(
            courses::locked_json(&mut tx, id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let v = validate(&mut tx, id, form).await?;
    let row = NewCourse {
        title: &v.title,
        description: &v.description,
        format: &v.format,
        provider: &v.provider,
        author_id: v.author_id,
        hours: v.hours,
        url: v.url.as_deref(),
    };
    let course_id = courses::save(&mut tx, id, &row).await.map_err(|e| {
        on_constraint(e, "courses_title_unique", || {
            let title = &v.title;
            AppError::field(
                "/title",
                format!("Another course is already called {title}."),
            )
        })
    })?;
    let skills: Vec<(Uuid, i16, i16)> = v.skills.iter().map(|s| (s.0, s.2, s.3)).collect();
    courses::replace_skills(&mut tx, course_id, &skills).await?;
    let action = if id.is_some() {
        "course.edit"
    } else {
        "course.create"
    };
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        action,
        "course",
        Some(course_id.to_string()),
        json!({ "before": before, "after": v }),
    )
    .await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(course_id)
}

/// The stored course as the form shows it, for editing.
pub async fn load(db: &sqlx::PgPool, id: Uuid) -> Result<CourseForm> {
    let row = courses::stored(db, id).await?.ok_or(AppError::NotFound)?;
    let skills = courses::skills(db, id).await?;
    Ok(CourseForm {
        title: row.title,
        description: row.description,
        format: row.format,
        provider: row.provider,
        author: row.author.unwrap_or_default(),
        hours: row.hours.to_string(),
        url: row.url.unwrap_or_default(),
        skills: skills
            .into_iter()
            .map(|(skill, e, t)| SkillLine {
                skill,
                entry: e.to_string(),
                target: t.to_string(),
            })
            .collect(),
    })
}
