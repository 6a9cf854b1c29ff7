//! Write, show, edit, publish and close a posting.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::form::FormState;
use crate::app::state::AppState;
use crate::db::postings::{self, Header, Revision};
use crate::domain::posting::PostingInput;
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::postings as manage;

/// An option in a select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub id: Uuid,
    pub name: String,
}

#[derive(Template)]
#[template(path = "postings/form.html")]
struct FormPage {
    page: Page,
    f: FormState,
    /// `None` for a new posting.
    id: Option<Uuid>,
    departments: Vec<Opt>,
    profiles: Vec<Opt>,
    locations: Vec<Opt>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    f: FormState,
    id: Option<Uuid>,
) -> Result<Html<String>> {
    let departments = sqlx::query_as!(Opt, "select id, name from departments order by name")
        .fetch_all(&state.db)
        .await?;
    let profiles = sqlx::query_as!(
        Opt,
        "select id, title as name from job_profiles order by title"
    )
    .fetch_all(&state.db)
    .await?;
    let locations = sqlx::query_as!(Opt, "select id, name from locations order by name")
        .fetch_all(&state.db)
        .await?;
    let title = if id.is_some() {
        "Edit posting"
    } else {
        "Post an opening"
    };
    render(&FormPage {
        page: Page::new(title, user, Section::Postings),
        f,
        id,
        departments,
        profiles,
        locations,
    })
}

/// GET /postings/new
pub async fn new(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    let mut f = FormState::blank();
    f.department_id =
        sqlx::query_scalar!("select department_id from people where id = $1", user.id)
            .fetch_one(&state.db)
            .await?
            .map(|d| d.to_string())
            .unwrap_or_default();
    form_page(&state, &user, f, None).await
}

/// Suggest skills and re-render; or save (and publish); on bad input re-render with messages.
async fn submit(
    state: &AppState,
    user: &CurrentUser,
    mut f: FormState,
    id: Option<Uuid>,
) -> Result<Response> {
    if f.action == "suggest" {
        let profile = f.job_profile_id.parse().ok();
        let found =
            crate::db::skill_suggestions::suggest(&state.db, &f.description, profile).await?;
        f.accept_suggestions(&found);
        return Ok(form_page(state, user, f, id).await?.into_response());
    }
    let saved = match f.to_input(state).await {
        Ok(input) => save_input(state, user, id, input, f.action == "publish").await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(Redirect::to(&format!("/postings/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            f.errors = errors;
            f.pad();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(state, user, f, id).await?,
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

async fn save_input(
    state: &AppState,
    user: &CurrentUser,
    id: Option<Uuid>,
    input: PostingInput,
    publish: bool,
) -> Result<Uuid> {
    let id = match id {
        Some(id) => {
            manage::update(state, user, id, input).await?;
            id
        }
        None => manage::create(state, user, input).await?,
    };
    let status = sqlx::query_scalar!("select status from opportunities where id = $1", id)
        .fetch_one(&state.db)
        .await?;
    if publish && status == "draft" {
        manage::publish(state, user, id).await?;
    }
    Ok(id)
}

/// POST /postings/new
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    submit(&state, &user, FormState::from_pairs(pairs), None).await
}

/// GET /postings/{id}/edit
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    manage::owned(&state, &user, id).await?;
    let f = FormState::from_input(&state, &postings::load(&state.db, id).await?).await?;
    form_page(&state, &user, f, Some(id)).await
}

/// POST /postings/{id}/edit
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    manage::owned(&state, &user, id).await?;
    submit(&state, &user, FormState::from_pairs(pairs), Some(id)).await
}

/// A required skill with its name, for display.
#[derive(Debug, Clone)]
pub struct NamedSkill {
    pub name: String,
    pub level: i16,
    pub importance: String,
}

#[derive(Template)]
#[template(path = "postings/show.html")]
struct ShowPage {
    page: Page,
    h: Header,
    p: PostingInput,
    skills: Vec<NamedSkill>,
    history: Vec<Revision>,
}

/// GET /postings/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let h = manage::owned(&state, &user, id).await?;
    let skills = sqlx::query_as!(NamedSkill,
        "select s.name, os.level, os.importance from opportunity_skills os join skills s on s.id = os.skill_id
         where os.opportunity_id = $1 order by array_position(array['essential','important','nice_to_have'], os.importance), s.name", id)
        .fetch_all(&state.db).await?;
    render(&ShowPage {
        page: Page::new(h.title.clone(), &user, Section::Postings),
        p: postings::load(&state.db, id).await?,
        history: postings::revisions(&state.db, id).await?,
        skills,
        h,
    })
}

/// POST /postings/{id}/publish
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    manage::publish(&state, &user, id).await?;
    Ok(Redirect::to(&format!("/postings/{id}")))
}

/// POST /postings/{id}/close
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    manage::close(&state, &user, id).await?;
    Ok(Redirect::to(&format!("/postings/{id}")))
}
