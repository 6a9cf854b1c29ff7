//! The edit pages of the job architecture: `/hr/architecture/{families,levels,profiles}/new`
//! and `/hr/architecture/{kind}/{id}`. A refused form re-renders with the message next to
//! each field and keeps what was typed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::architecture;
use crate::service::architecture::jobs::{self as job_forms, FamilyInput, LevelForm};
use crate::service::architecture::profiles::{
    self as profile_form, ProfileForm, RequiredLine, IMPORTANCES,
};

/// The field of `pairs` called `name`, or "".
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// What is being edited, with what was typed.
enum Draft {
    Family(FamilyInput),
    Level(LevelForm),
    Profile(ProfileForm),
}

#[derive(Template)]
#[template(path = "hr_admin/job_edit.html")]
struct EditPage {
    page: Page,
    heading: String,
    action: String,
    kind: &'static str,
    family: FamilyInput,
    level: LevelForm,
    profile: ProfileForm,
    errors: Vec<FieldError>,
    families: Vec<String>,
    levels: Vec<String>,
    importances: &'static [&'static str],
}

impl EditPage {
    /// The message for a field (by JSON pointer), if any.
    fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The message for a field of skill row `i`.
    fn skill_err(&self, i: &usize, field: &str) -> Option<&str> {
        self.err(&format!("/skills/{i}/{field}"))
    }
}

fn blank(kind: &str) -> Result<Draft> {
    Ok(match kind {
        "families" => Draft::Family(FamilyInput::default()),
        "levels" => Draft::Level(LevelForm {
            track: "individual_contributor".into(),
            ..LevelForm::default()
        }),
        "profiles" => Draft::Profile(ProfileForm::default()),
        _ => return Err(AppError::NotFound),
    })
}

fn typed(kind: &str, pairs: &[(String, String)]) -> Result<Draft> {
    Ok(match blank(kind)? {
        Draft::Family(_) => Draft::Family(FamilyInput {
            name: field(pairs, "name"),
            description: field(pairs, "description"),
        }),
        Draft::Level(_) => Draft::Level(LevelForm {
            code: field(pairs, "code"),
            name: field(pairs, "name"),
            track: field(pairs, "track"),
            rank: field(pairs, "rank"),
        }),
        Draft::Profile(_) => Draft::Profile(ProfileForm::from_pairs(pairs)),
    })
}

async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    draft: Draft,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let (families, levels) = architecture::choices(&state.db).await?;
    let (kind, noun) = match &draft {
        Draft::Family(_) => ("families", "job family"),
        Draft::Level(_) => ("levels", "job level"),
        Draft::Profile(_) => ("profiles", "job profile"),
    };
    let mut page = EditPage {
        page: Page::new("Job architecture", user, Section::Hr),
        heading: if id.is_some() {
            format!("Edit a {noun}")
        } else {
            format!("New {noun}")
        },
        action: match id {
            Some(id) => format!("/hr/architecture/{kind}/{id}"),
            None => format!("/hr/architecture/{kind}"),
        },
        kind,
        family: FamilyInput::default(),
        level: LevelForm::default(),
        profile: ProfileForm::default(),
        errors,
        families,
        levels,
        importances: IMPORTANCES,
    };
    match draft {
        Draft::Family(f) => page.family = f,
        Draft::Level(l) => page.level = l,
        Draft::Profile(mut p) => {
            let empty = p
                .skills
                .iter()
                .filter(|s| s.skill.trim().is_empty())
                .count();
            p.skills.extend((empty..3).map(|_| RequiredLine {
                importance: "essential".into(),
                ..RequiredLine::default()
            }));
            page.profile = p;
        }
    }
    render(&page)
}

/// GET /hr/architecture/{kind}/new
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
) -> Result<Html<String>> {
    show(&state, &user, None, blank(&kind)?, vec![]).await
}

/// GET /hr/architecture/{kind}/{id}
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((kind, id)): Path<(String, Uuid)>,
) -> Result<Html<String>> {
    let draft = match blank(&kind)? {
        Draft::Family(_) => Draft::Family(job_forms::load_family(&state.db, id).await?),
        Draft::Level(_) => Draft::Level(job_forms::load_level(&state.db, id).await?),
        Draft::Profile(_) => Draft::Profile(profile_form::load(&state.db, id).await?),
    };
    show(&state, &user, Some(id), draft, vec![]).await
}

async fn submit(
    state: &AppState,
    user: &CurrentUser,
    kind: &str,
    id: Option<Uuid>,
    pairs: Vec<(String, String)>,
) -> Result<Response> {
    let draft = typed(kind, &pairs)?;
    let saved = match &draft {
        Draft::Family(f) => job_forms::save_family(state, user, id, f).await,
        Draft::Level(l) => job_forms::save_level(state, user, id, l).await,
        Draft::Profile(p) => profile_form::save(state, user, id, p).await,
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/hr/architecture").into_response()),
        Err(AppError::Validation(errors)) => {
            let mut response = show(state, user, id, draft, errors).await?.into_response();
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

/// POST /hr/architecture/{kind}: create.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    submit(&state, &user, &kind, None, pairs).await
}

/// POST /hr/architecture/{kind}/{id}: save an edit.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((kind, id)): Path<(String, Uuid)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    submit(&state, &user, &kind, Some(id), pairs).await
}
