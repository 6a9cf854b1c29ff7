//! My profile (`/profile`): skills with level, evidence and last update; add a skill by name
//! or alias, change a level (a manager-validated one asks for confirmation), offer mentoring,
//! remove; aspirations and suggested skills.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::aspirations::{self, Aspirations, Choice, SuggestedSkill};
use crate::db::profile::{self, HeldSkill, LevelChange, Resolved, SkillHit};
use crate::domain::skill_level::SkillLevel;
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

/// One level of the 1-5 scale with its meaning, for the help next to the scale.
pub struct LevelHelp {
    pub level: u8,
    pub name: &'static str,
    pub meaning: &'static str,
}

/// The scale, 1 to 5.
pub fn scale() -> Vec<LevelHelp> {
    (1..=5)
        .filter_map(|n| SkillLevel::try_from(n).ok())
        .map(|l| {
            let (name, meaning) = l.describe();
            LevelHelp {
                level: l.get(),
                name,
                meaning,
            }
        })
        .collect()
}

/// What was typed into the page's forms, and what was wrong with it.
#[derive(Default)]
struct Typed {
    add_text: String,
    add_level: String,
    add_error: Option<String>,
    choices: Vec<SkillHit>,
    edit_skill: Option<Uuid>,
    edit_error: Option<String>,
    aspirations_errors: Vec<crate::error::FieldError>,
    /// The aspirations as sent, when they were refused.
    aspirations: Option<Aspirations>,
}

#[derive(Template)]
#[template(path = "profile/page.html")]
struct ProfilePage {
    page: Page,
    skills: Vec<HeldSkill>,
    scale: Vec<LevelHelp>,
    aspirations: Aspirations,
    profiles: Vec<Choice>,
    families: Vec<Choice>,
    interest_names: Vec<String>,
    suggested: Vec<SuggestedSkill>,
    typed: Typed,
}

impl ProfilePage {
    fn edit_error_for(&self, skill: &Uuid) -> Option<&str> {
        (self.typed.edit_skill == Some(*skill))
            .then_some(self.typed.edit_error.as_deref())
            .flatten()
    }

    fn aspiration_error(&self, field: &str) -> Option<&str> {
        self.typed
            .aspirations_errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn show(state: &AppState, user: &CurrentUser, typed: Typed) -> Result<Response> {
    let aspirations = match typed.aspirations.clone() {
        Some(sent) => sent,
        None => aspirations::load(&state.db, user.id).await?,
    };
    let interest_names = sqlx::query_scalar!(
        "select name from skills where id = any($1) order by name",
        &aspirations.interest_skills
    )
    .fetch_all(&state.db)
    .await?;
    let page = ProfilePage {
        page: Page::new("My profile", user, Section::Profile),
        skills: profile::skills_of(&state.db, user.id).await?,
        scale: scale(),
        aspirations,
        profiles: aspirations::profile_choices(&state.db).await?,
        families: aspirations::family_choices(&state.db).await?,
        interest_names,
        suggested: aspirations::suggested_skills(&state.db, user.id).await?,
        typed,
    };
    Ok(render(&page)?.into_response())
}

/// GET /profile
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    show(&state, &user, Typed::default()).await
}

/// The add-a-skill form: typed text (or a chosen suggestion) and a level.
#[derive(Debug, Deserialize)]
pub struct AddSkill {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    skill_id: Option<String>,
    #[serde(default)]
    level: String,
}

fn parse_level(text: &str) -> std::result::Result<SkillLevel, String> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| "choose a level from 1 to 5".to_string())
        .and_then(SkillLevel::try_from)
}

/// POST /profile/skills: resolve the typed name or alias; re-render with "did you mean"
/// choices when it is not exactly one skill.
pub async fn add_skill(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AddSkill>,
) -> Result<Response> {
    let mut typed = Typed {
        add_text: form.skill.clone(),
        add_level: form.level.clone(),
        ..Typed::default()
    };
    let level = match parse_level(&form.level) {
        Ok(l) => l,
        Err(m) => {
            typed.add_error = Some(format!("Level: {m}"));
            return show(&state, &user, typed).await;
        }
    };
    let chosen = form
        .skill_id
        .as_deref()
        .and_then(|s| s.parse::<Uuid>().ok());
    let skill_id = match chosen {
        Some(id) => id,
        None => match profile::resolve_skill(&state.db, &form.skill).await? {
            Resolved::Skill(hit) => hit.id,
            Resolved::Choices(choices) => {
                typed.add_error = Some(if choices.is_empty() {
                    format!("Skill: no skill is called \"{}\"", form.skill.trim())
                } else {
                    "Skill: which one did you mean?".to_string()
                });
                typed.choices = choices;
                return show(&state, &user, typed).await;
            }
        },
    };
    let change = LevelChange {
        skill_id,
        level,
        confirmed: false,
        offers_mentoring: None,
    };
    write_level(&state, &user, change, typed).await
}

async fn write_level(
    state: &AppState,
    user: &CurrentUser,
    change: LevelChange,
    mut typed: Typed,
) -> Result<Response> {
    match profile::set_level(&state.db, user.id, change).await {
        Ok(_) => {
            state.engine.refresh_person(&state.db, user.id).await?;
            Ok(Redirect::to("/profile#skills").into_response())
        }
        Err(AppError::Validation(errors)) => {
            typed.edit_skill = Some(change.skill_id);
            typed.edit_error = errors.into_iter().next().map(|e| e.message);
            show(state, user, typed).await
        }
        Err(other) => Err(other),
    }
}

/// The change-a-level form.
#[derive(Debug, Deserialize)]
pub struct ChangeLevel {
    #[serde(default)]
    level: String,
    #[serde(default)]
    confirm: Option<String>,
}

/// POST /profile/skills/{skill_id}
pub async fn change_level(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
    Form(form): Form<ChangeLevel>,
) -> Result<Response> {
    let level = match parse_level(&form.level) {
        Ok(l) => l,
        Err(m) => {
            let typed = Typed {
                edit_skill: Some(skill_id),
                edit_error: Some(m),
                ..Typed::default()
            };
            return show(&state, &user, typed).await;
        }
    };
    let change = LevelChange {
        skill_id,
        level,
        confirmed: form.confirm.is_some(),
        offers_mentoring: None,
    };
    write_level(&state, &user, change, Typed::default()).await
}

/// The mentoring toggle.
#[derive(Debug, Deserialize)]
pub struct Mentoring {
    offers: String,
}

/// POST /profile/skills/{skill_id}/mentoring
pub async fn mentoring(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
    Form(form): Form<Mentoring>,
) -> Result<Redirect> {
    profile::set_mentoring(&state.db, user.id, skill_id, form.offers == "true").await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(Redirect::to("/profile#skills"))
}

/// POST /profile/skills/{skill_id}/remove
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(skill_id): Path<Uuid>,
) -> Result<Redirect> {
    profile::remove(&state.db, user.id, skill_id).await?;
    state.engine.refresh_person(&state.db, user.id).await?;
    Ok(Redirect::to("/profile#skills"))
}

/// POST /profile/aspirations: checkboxes, repeated `target_profile` and `interest_family`
/// fields, interest skills as comma-separated names or aliases.
pub async fn save_aspirations(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let (a, mut errors) = parse_aspirations(&state, &fields).await?;
    if errors.is_empty() {
        match aspirations::save(&state.db, user.id, &a).await {
            Ok(()) => {
                state.engine.refresh_person(&state.db, user.id).await?;
                return Ok(Redirect::to("/profile#aspirations").into_response());
            }
            Err(AppError::Validation(e)) => errors = e,
            Err(other) => return Err(other),
        }
    }
    let typed = Typed {
        aspirations_errors: errors,
        aspirations: Some(a),
        ..Typed::default()
    };
    show(&state, &user, typed).await
}

async fn parse_aspirations(
    state: &AppState,
    fields: &[(String, String)],
) -> Result<(Aspirations, Vec<crate::error::FieldError>)> {
    let on = |name: &str| fields.iter().any(|(k, v)| k == name && v == "on");
    let all = |name: &str| -> Vec<Uuid> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.parse().ok())
            .collect()
    };
    let mut errors = Vec::new();
    let hours_text = fields
        .iter()
        .find(|(k, _)| k == "weekly_learning_hours")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let hours = match hours_text.parse::<f32>() {
        Ok(h) if (0.0..=40.0).contains(&h) => h,
        Ok(h) if h.is_finite() => {
            errors.push(crate::error::FieldError::new(
                "weekly_learning_hours",
                "must be a number of hours from 0 to 40",
            ));
            h
        }
        _ => {
            errors.push(crate::error::FieldError::new(
                "weekly_learning_hours",
                "must be a number of hours from 0 to 40",
            ));
            0.0
        }
    };
    let mut interest_skills = Vec::new();
    let names = fields
        .iter()
        .find(|(k, _)| k == "interest_skills")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match profile::resolve_skill(&state.db, name).await? {
            Resolved::Skill(hit) => interest_skills.push(hit.id),
            Resolved::Choices(_) => errors.push(crate::error::FieldError::new(
                "interest_skills",
                format!("no skill is called \"{name}\""),
            )),
        }
    }
    let a = Aspirations {
        open_to_relocation: on("open_to_relocation"),
        open_to_roles: on("open_to_roles"),
        open_to_secondments: on("open_to_secondments"),
        open_to_projects: on("open_to_projects"),
        open_to_mentoring: on("open_to_mentoring"),
        weekly_learning_hours: hours,
        discoverable: on("discoverable"),
        target_profiles: all("target_profile"),
        interest_skills,
        interest_families: all("interest_family"),
    };
    Ok((a, errors))
}
