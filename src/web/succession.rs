//! Succession plans as pages: `/hr/succession` (HR, every critical role) and
//! `/team/succession` (a manager, the roles of their own team), with the same handlers; the
//! area each router is mounted for says whose plans they show. A successor's own view is
//! `/succession/mine`, empty unless the mobility policy lets successors see plans.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::succession::plans::{self, AddInput, BandInput, MarkInput};
use crate::service::succession::proposals::{proposals, SuccessorProposal};
use crate::service::succession::{self as service, CriticalRole, MyPlan, Scope, SuccessionPlan};

/// Which area a router serves.
#[derive(Debug, Clone, Copy)]
pub enum Area {
    Hr,
    Team,
}

impl Area {
    fn base(self) -> &'static str {
        match self {
            Area::Hr => "/hr/succession",
            Area::Team => "/team/succession",
        }
    }

    fn scope(self, user: &CurrentUser) -> Scope {
        match self {
            Area::Hr => Scope::Company,
            Area::Team => Scope::Team(user.id),
        }
    }

    fn section(self) -> Section {
        match self {
            Area::Hr => Section::Hr,
            Area::Team => Section::Team,
        }
    }
}

/// The routes of one area (the caller adds the role check).
pub fn routes(area: Area) -> Router<AppState> {
    let base = area.base();
    Router::new()
        .route(base, get(list).post(mark))
        .route(&format!("{base}/{{id}}"), get(show))
        .route(&format!("{base}/{{id}}/delete"), post(unmark))
        .route(&format!("{base}/{{id}}/successors"), post(add))
        .route(
            &format!("{base}/{{id}}/successors/{{person_id}}/band"),
            post(band),
        )
        .route(
            &format!("{base}/{{id}}/successors/{{person_id}}/remove"),
            post(remove),
        )
        .route(
            &format!("{base}/{{id}}/successors/{{person_id}}/plan"),
            post(start_plan),
        )
        .layer(Extension(area))
}

#[derive(Template)]
#[template(path = "succession/list.html")]
struct ListPage {
    page: Page,
    base: &'static str,
    hr: bool,
    roles: Vec<CriticalRole>,
    departments: Vec<Choice>,
    profiles: Vec<Choice>,
    reports: Vec<Choice>,
    department: Option<String>,
    input: MarkInput,
    errors: Vec<FieldError>,
    /// HR's page shows the bench strength above the list.
    bench: Option<crate::service::succession::bench::BenchReport>,
}

impl ListPage {
    fn error(&self, field: &str) -> String {
        errors_for(&self.errors, field)
    }

    fn is(&self, value: &Option<String>, id: &str) -> bool {
        value.as_deref() == Some(id)
    }
}

fn errors_for(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Query of the list: a department filter.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub department: Option<String>,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    area: Area,
    department: Option<String>,
    input: MarkInput,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let filter = match department.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => Some(Uuid::parse_str(d).map_err(|_| {
            AppError::Validation(vec![FieldError::new(
                "department",
                "Choose a department from the list.",
            )])
        })?),
        None => None,
    };
    let scope = area.scope(user);
    render(&ListPage {
        page: Page::new("Succession plans", user, area.section()),
        base: area.base(),
        hr: matches!(area, Area::Hr),
        roles: service::list(state, scope, filter).await?,
        departments: menus::departments(&state.db).await?,
        profiles: service::profile_choices(state).await?,
        reports: match scope {
            Scope::Team(m) => service::report_choices(state, m).await?,
            Scope::Company => Vec::new(),
        },
        department,
        input,
        errors,
        bench: match area {
            Area::Hr => Some(crate::service::succession::bench::report(&state.db).await?),
            Area::Team => None,
        },
    })
}

/// GET /hr/succession and /team/succession
pub async fn list(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>> {
    list_page(
        &state,
        &user,
        area,
        q.department,
        MarkInput::default(),
        vec![],
    )
    .await
}

/// POST /hr/succession and /team/succession: mark a role critical.
pub async fn mark(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Form(input): Form<MarkInput>,
) -> Result<Response> {
    match plans::mark(&state, &user, area.scope(&user), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("{}/{id}", area.base())).into_response()),
        Err(AppError::Validation(errors)) => {
            let html = list_page(&state, &user, area, None, input, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "succession/plan.html")]
struct PlanPage {
    page: Page,
    base: &'static str,
    plan: SuccessionPlan,
    proposals: Vec<SuccessorProposal>,
    bands: [(&'static str, &'static str); 3],
    errors: Vec<FieldError>,
}

const BANDS: [(&str, &str); 3] = [
    ("ready_now", "Ready now"),
    ("one_to_two_years", "1–2 years"),
    ("three_plus_years", "3+ years"),
];

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    area: Area,
    id: Uuid,
    errors: Vec<FieldError>,
) -> Result<Html<String>> {
    let scope = area.scope(user);
    let plan = service::show(state, scope, id).await?;
    render(&PlanPage {
        page: Page::new(
            format!("Succession: {}", plan.role.title),
            user,
            area.section(),
        ),
        base: area.base(),
        proposals: proposals(state, scope, id, 10).await?,
        plan,
        bands: BANDS,
        errors,
    })
}

/// GET …/succession/{id}
pub async fn show(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    plan_page(&state, &user, area, id, vec![]).await
}

/// A write on the plan page: back to the plan, or the plan with the errors (422).
async fn after(
    state: &AppState,
    user: &CurrentUser,
    area: Area,
    id: Uuid,
    done: Result<()>,
) -> Result<Response> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("{}/{id}", area.base())).into_response()),
        Err(AppError::Validation(errors)) => {
            let html = plan_page(state, user, area, id, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other),
    }
}

/// POST …/succession/{id}/delete: the role is no longer critical.
pub async fn unmark(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Redirect> {
    plans::unmark(&state, &user, area.scope(&user), id).await?;
    Ok(Redirect::to(area.base()))
}

/// POST …/succession/{id}/successors
pub async fn add(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(input): Form<AddInput>,
) -> Result<Response> {
    let done = plans::add_successor(&state, &user, area.scope(&user), id, &input).await;
    after(&state, &user, area, id, done).await
}

/// POST …/succession/{id}/successors/{person_id}/band
pub async fn band(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
    Form(input): Form<BandInput>,
) -> Result<Response> {
    let done = plans::set_band(&state, &user, area.scope(&user), id, person, &input).await;
    after(&state, &user, area, id, done).await
}

/// POST …/succession/{id}/successors/{person_id}/remove
pub async fn remove(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    let done = plans::remove_successor(&state, &user, area.scope(&user), id, person).await;
    after(&state, &user, area, id, done).await
}

/// POST …/succession/{id}/successors/{person_id}/plan: start the development plan.
pub async fn start_plan(
    State(state): State<AppState>,
    Extension(area): Extension<Area>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
) -> Result<Response> {
    let done = plans::start_plan(&state, &user, area.scope(&user), id, person)
        .await
        .map(|_| ());
    after(&state, &user, area, id, done).await
}

#[derive(Template)]
#[template(path = "succession/mine.html")]
struct MinePage {
    page: Page,
    plans: Vec<MyPlan>,
}

/// GET /succession/mine: the plans that name me, when the policy lets me see them.
pub async fn mine(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&MinePage {
        page: Page::new("Succession plans that name me", &user, Section::Careers),
        plans: service::mine(&state, user.id).await?,
    })
}
