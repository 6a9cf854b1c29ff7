//! The employee's marketplace pages: browse and search openings, one opening with its fit and
//! learning path, save, and apply under the mobility policy.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sqlx::PgPool;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

use crate::service::marketplace::apply::{self, ApplyInput};
use crate::service::marketplace::browse::{self, OpeningPage};
use crate::service::marketplace::detail::{self, OpeningDetail};
use crate::service::marketplace::filters::BrowseParams;

/// The lists the filters offer.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    pub departments: Vec<Choice>,
    pub families: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub locations: Vec<Choice>,
}

async fn choices(db: &PgPool) -> Result<Choices> {
    Ok(Choices {
        departments: menus::departments(db).await?,
        families: menus::families(db).await?,
        levels: menus::levels(db).await?,
        locations: menus::locations(db).await?,
    })
}

#[derive(Template)]
#[template(path = "opportunities/browse.html")]
struct BrowsePage {
    page: Page,
    params: BrowseParams,
    choices: Choices,
    result: Option<OpeningPage>,
    errors: Vec<FieldError>,
}

impl BrowsePage {
    fn selected(&self, field: &Option<String>, value: &str) -> bool {
        field.as_deref() == Some(value)
    }
    fn link(&self, page: usize) -> String {
        self.params.query_string(Some(page))
    }
    fn saveable(&self) -> bool {
        !self.params.is_empty()
    }
    fn saved_query(&self) -> String {
        serde_json::to_string(&self.params.without_paging()).unwrap_or_default()
    }
}

/// GET /opportunities
pub async fn browse(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<BrowseParams>,
) -> Result<Html<String>> {
    let (result, errors) = match params.resolve(&state.db).await {
        Ok(f) => (Some(browse::search(&state, user.id, &f).await?), Vec::new()),
        Err(AppError::Validation(errors)) => (None, errors),
        Err(e) => return Err(e),
    };
    render(&BrowsePage {
        page: Page::new("Openings", &user, Section::Opportunities),
        params,
        choices: choices(&state.db).await?,
        result,
        errors,
    })
}

#[derive(Template)]
#[template(path = "opportunities/show.html")]
struct ShowPage {
    page: Page,
    o: OpeningDetail,
}

/// GET /opportunities/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let o = detail::load(&state, user.id, id).await?;
    render(&ShowPage {
        page: Page::new(o.title.clone(), &user, Section::Opportunities),
        o,
    })
}

/// POST /opportunities/{id}/save
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    detail::save(&state, user.id, id, true).await?;
    Ok(Redirect::to(&format!("/opportunities/{id}")))
}

/// POST /opportunities/{id}/unsave
pub async fn unsave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    detail::save(&state, user.id, id, false).await?;
    Ok(Redirect::to(&format!("/opportunities/{id}")))
}

#[derive(Template)]
#[template(path = "opportunities/apply.html")]
struct ApplyPage {
    page: Page,
    o: OpeningDetail,
    input: ApplyInput,
    errors: Vec<FieldError>,
    refusal: Option<String>,
}

impl ApplyPage {
    fn answer(&self, q: &Uuid) -> &str {
        self.input.answers.get(q).map(String::as_str).unwrap_or("")
    }
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    fn answer_error(&self, q: &Uuid) -> Option<&str> {
        self.error(&format!("answers/{q}"))
    }
}

/// GET /opportunities/{id}/apply
pub async fn apply_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let o = detail::load(&state, user.id, id).await?;
    render(&ApplyPage {
        page: Page::new(format!("Apply: {}", o.title), &user, Section::Opportunities),
        o,
        input: ApplyInput::default(),
        errors: Vec::new(),
        refusal: None,
    })
}

/// POST /opportunities/{id}/apply (fields `motivation` and `answer_<question id>`)
pub async fn apply_submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let mut input = ApplyInput::default();
    for (name, value) in fields {
        if name == "motivation" {
            input.motivation = value;
        } else if let Some(q) = name
            .strip_prefix("answer_")
            .and_then(|q| Uuid::parse_str(q).ok())
        {
            input.answers.insert(q, value);
        }
    }
    let (errors, refusal) = match apply::submit(&state, user.id, id, &input).await {
        Ok(app) => return Ok(Redirect::to(&format!("/applications/{app}")).into_response()),
        Err(AppError::Validation(errors)) => (errors, None),
        Err(AppError::Conflict(why)) => (Vec::new(), Some(why)),
        Err(e) => return Err(e),
    };
    let o = detail::load(&state, user.id, id).await?;
    let status = if refusal.is_some() { 409 } else { 422 };
    let html = render(&ApplyPage {
        page: Page::new(format!("Apply: {}", o.title), &user, Section::Opportunities),
        o,
        input,
        errors,
        refusal,
    })?;
    Ok((
        axum::http::StatusCode::from_u16(status).unwrap_or_default(),
        html,
    )
        .into_response())
}
