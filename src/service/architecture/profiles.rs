//! Creating and editing a job profile with its required skills: validated field by field
//! (JSON pointers such as `/skills/1/level`), one audited transaction that re-checks the
//! career-path rules (moving a profile to another family or level may break a path).

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::jobs::{finish_profile, paths_still_hold, profile_before};
use crate::app::state::AppState;
use crate::db::constraints::on_constraint;
use crate::db::{job_profiles, taxonomy};
use crate::domain::skill_level::SkillLevel;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// The importances a required skill may have.
pub const IMPORTANCES: &[&str] = &["essential", "important", "nice_to_have"];

/// One required skill, as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequiredLine {
    pub skill: String,
    pub level: String,
    pub importance: String,
}

/// A job profile as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProfileForm {
    pub title: String,
    /// Family name.
    pub family: String,
    /// Level code.
    pub level: String,
    pub description: String,
    pub skills: Vec<RequiredLine>,
}

impl ProfileForm {
    /// From flat form fields (`skill_N`, `level_N`, `importance_N` for the skill rows).
    pub fn from_pairs(pairs: &[(String, String)]) -> ProfileForm {
        let mut form = ProfileForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value.clone(),
                "family" => form.family = value.clone(),
                "level" => form.level = value.clone(),
                "description" => form.description = value.clone(),
                _ => form.skill_field(key, value),
            }
        }
        form
    }

    fn skill_field(&mut self, key: &str, value: &str) {
        let Some((name, i)) = key.rsplit_once('_') else {
            return;
        };
        let Some(i) = i.parse::<usize>().ok().filter(|i| *i < 50) else {
            return;
        };
        while self.skills.len() <= i {
            self.skills.push(RequiredLine::default());
        }
        let line = &mut self.skills[i];
        match name {
            "skill" => line.skill = value.to_owned(),
            "level" => line.level = value.to_owned(),
            "importance" => line.importance = value.to_owned(),
            _ => {}
        }
    }
}

/// A required skill in the JSON API.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RequiredSkillInput {
    pub skill: String,
    /// 1-5.
    #[schema(minimum = 1, maximum = 5)]
    pub level: i32,
    /// essential, important or nice_to_have.
    #[serde(default = "essential")]
    pub importance: String,
}

fn essential() -> String {
    "essential".into()
}

/// A job profile in the JSON API.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProfileInput {
    pub title: String,
    /// The job family's name.
    pub family: String,
    /// The level's code.
    pub level: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub skills: Vec<RequiredSkillInput>,
}

impl From<ProfileInput> for ProfileForm {
    fn from(p: ProfileInput) -> ProfileForm {
        ProfileForm {
            title: p.title,
            family: p.family,
            level: p.level,
            description: p.description,
            skills: p
                .skills
                .into_iter()
                .map(|s| RequiredLine {
                    skill: s.skill,
                    level: s.level.to_string(),
                    importance: s.importance,
                })
                .collect(),
        }
    }
}

/// A proficiency level typed as text, as the number the tables store; None unless 1 to 5.
fn level_of(typed: &str) -> Option<i16> {
    let n = typed.trim().parse::<i64>().ok()?;
    SkillLevel::try_from(n).ok().map(|l| i16::from(l.get()))
}

/// (family, level, skills as (id, name, level, importance)) or the field errors.
type Checked = (Uuid, Uuid, Vec<(Uuid, String, i16, String)>);

async fn validate(
    tx: &mut sqlx::PgConnection,
    id: Option<Uuid>,
    f: &ProfileForm,
) -> Result<Checked> {
    let mut errors = Vec::new();
    let title = f.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("/title", "A job profile needs a title."));
    } else {
        if job_profiles::title_taken(tx, title, id).await? {
            errors.push(FieldError::new(
                "/title",
                format!("Another job profile is already called {title}."),
            ));
        }
    }
    let family = job_profiles::family_named(tx, f.family.trim()).await?;
    if family.is_none() {
        errors.push(FieldError::new(
            "/family",
            format!("There is no job family called {}.", f.family.trim()),
        ));
    }
    let level = job_profiles::level_coded(tx, f.level.trim()).await?;
    if level.is_none() {
        errors.push(FieldError::new(
            "/level",
            format!("There is no level with the code {}.", f.level.trim()),
        ));
    }
    let mut skills: Vec<(Uuid, String, i16, String)> = Vec::new();
    for (i, line) in f.skills.iter().enumerate() {
        let name = line.skill.trim();
        if name.is_empty() {
            continue;
        }
        let at = |field: &str| format!("/skills/{i}/{field}");
        let lvl = level_of(&line.level);
        if lvl.is_none() {
            errors.push(FieldError::new(at("level"), "The level is 1 to 5."));
        }
        if !IMPORTANCES.contains(&line.importance.as_str()) {
            errors.push(FieldError::new(
                at("importance"),
                "The importance is essential, important or nice to have.",
            ));
        }
        match taxonomy::live_named(&mut *tx, name).await? {
            None => errors.push(FieldError::new(
                at("skill"),
                format!("There is no skill called {name}."),
            )),
            Some((sid, _)) if skills.iter().any(|s| s.0 == sid) => errors.push(FieldError::new(
                at("skill"),
                format!("{name} is listed twice."),
            )),
            Some((sid, sname)) => {
                skills.push((sid, sname, lvl.unwrap_or(1), line.importance.clone()))
            }
        }
    }
    match (family, level) {
        (Some(family), Some(level)) if errors.is_empty() => Ok((family, level, skills)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// Create (`id` None) or replace a job profile and its required skills. Audited; refused if
/// it breaks a career path; the engine is reloaded after.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    f: &ProfileForm,
) -> Result<Uuid> {
    let mut tx = state.db.begin().await?;
    let before = profile_before(&mut tx, id).await?;
    let (family, level, skills) = validate(&mut tx, id, f).await?;
    let saved = job_profiles::save(
        &mut tx,
        id,
        family,
        level,
        f.title.trim(),
        f.description.trim(),
    )
    .await
    .map_err(|e| {
        on_constraint(e, "job_profiles_title_unique", || {
            let title = f.title.trim();
            AppError::field(
                "/title",
                format!("Another job profile is already called {title}."),
            )
        })
    })?;
    let required: Vec<(Uuid, i16, &str)> =
        skills.iter().map(|s| (s.0, s.2, s.3.as_str())).collect();
    job_profiles::replace_skills(&mut tx, saved, &required).await?;
    paths_still_hold(&mut tx, saved, "/level").await?;
    let after = json!({ "title": f.title.trim(), "family": f.family.trim(), "level": f.level.trim(),
        "description": f.description.trim(),
        "skills": skills.iter().map(|s| json!({ "skill": s.1, "level": s.2, "importance": s.3 })).collect::<Vec<_>>() });
    let action = if id.is_some() {
        "job_profile.edit"
    } else {
        "job_profile.create"
    };
    finish_profile(
        state,
        tx,
        user,
        action,
        saved,
        json!({ "before": before, "after": after }),
    )
    .await
}

/// Load a profile for its edit form.
pub async fn load(db: &sqlx::PgPool, id: Uuid) -> Result<ProfileForm> {
    let stored = job_profiles::stored(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let skills = job_profiles::skills(db, id).await?;
    Ok(ProfileForm {
        title: stored.title,
        family: stored.family,
        level: stored.level,
        description: stored.description,
        skills: skills
            .into_iter()
            .map(|(skill, level, importance)| RequiredLine {
                skill,
                level: level.to_string(),
                importance,
            })
            .collect(),
    })
}
