//! Talent pools for HR: `/hr/talent-pools` (the pools, and a new one from the people
//! directory's filters or empty, to fill by hand) and `/hr/talent-pools/{id}` (its members).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::talent_pools::{
    self as service, MemberInput, PoolDetail, PoolInput, TalentPool, KINDS,
};

#[derive(Template)]
#[template(path = "talent_pools/list.html")]
struct ListPage {
    page: Page,
    pools: Vec<TalentPool>,
    departments: Vec<Choice>,
    families: Vec<Choice>,
    levels: Vec<Choice>,
    kinds: [(&'static str, &'static str); 4],
    input: PoolInput,
    errors: Vec<FieldError>,
}

impl ListPage {
    fn is(&self, value: &Option<String>, id: &str) -> bool {
        value.as_deref() == Some(id)
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    input: PoolInput,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    render(&ListPage {
        page: Page::new("Talent pools", user, Section::Hr),
        pools: service::list(&state.db).await?,
        departments: menus::departments(&state.db).await?,
        families: menus::families(&state.db).await?,
        levels: menus::levels(&state.db).await?,
        kinds: KINDS,
        input,
        errors,
    })
}

/// GET /hr/talent-pools
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    list_page(&state, &user, PoolInput::default(), vec![]).await
}

/// POST /hr/talent-pools
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(input): Form<PoolInput>,
) -> Result<Response> {
    match service::create(&state, &user, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/hr/talent-pools/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let html = list_page(&state, &user, input, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "talent_pools/pool.html")]
struct PoolPage {
    page: Page,
    detail: PoolDetail,
    errors: Vec<FieldError>,
}

async fn pool_page(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let detail = service::show(&state.db, id).await?;
    render(&PoolPage {
        page: Page::new(detail.pool.name.clone(), user, Section::Hr),
        detail,
        errors,
    })
}

/// GET /hr/talent-pools/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    pool_page(&state, &user, id, vec![]).await
}

/// POST /hr/talent-pools/{id}/members: add someone by hand.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(input): Form<MemberInput>,
) -> Result<Response> {
    match service::add(&state, &user, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/hr/talent-pools/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let html = pool_page(&state, &user, id, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}

/// POST /hr/talent-pools/{id}/members/{person_id}/remove
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<Redirect> {
    service::remove(&state, &user, id, person).await?;
    Ok(Redirect::to(&format!("/hr/talent-pools/{id}")))
}

/// POST /hr/talent-pools/{id}/delete
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    service::delete(&state, &user, id).await?;
    Ok(Redirect::to("/hr/talent-pools"))
}
