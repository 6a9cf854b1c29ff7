//! Development plans (`/plans`, `/plans/{id}`): the target, the steps with dates, progress
//! (a course step is done when its enrolment is completed), marking a step done, and
//! completing or abandoning the plan. A person only ever sees their own plans.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::plans::{self, Plan, PlanSummary};
use crate::error::Result;
use crate::http::extract::{Form, Path};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

#[derive(Template)]
#[template(path = "plans/list.html")]
struct PlansPage {
    page: Page,
    plans: Vec<PlanSummary>,
}

/// GET /plans
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&PlansPage {
        page: Page::new("My development plans", &user, Section::Careers),
        plans: plans::plans_of(&state.db, user.id).await?,
    })
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage {
    page: Page,
    plan: Plan,
}

/// GET /plans/{id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let plan = plans::plan(&state.db, user.id, id).await?;
    render(&PlanPage {
        page: Page::new(plan.summary.title.clone(), &user, Section::Careers),
        plan,
    })
}

/// POST /plans/{id}/steps/{step_id}/done
pub async fn step_done(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, step)): Path<(Uuid, Uuid)>,
) -> Result<Redirect> {
    plans::mark_step_done(&state.db, user.id, id, step).await?;
    Ok(Redirect::to(&format!("/plans/{id}")))
}

/// The status form: completed or abandoned.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// POST /plans/{id}/status
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<StatusForm>,
) -> Result<Redirect> {
    plans::set_status(&state.db, user.id, id, &form.status).await?;
    Ok(Redirect::to(&format!("/plans/{id}")))
}
