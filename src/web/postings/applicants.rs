//! Applicants ranked by fit, one application with its stage form, and talent to invite.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::postings::Header;
use crate::domain::application::ApplicationStatus;
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::applications::stage::{self, Change};
use crate::service::postings as manage;
use crate::service::postings::applicants::{self, Applicant, ApplicationDetail, Talent};

/// `?stage=`; blank means every stage.
#[derive(Debug, Deserialize)]
pub struct StageQuery {
    #[serde(default)]
    stage: String,
}

#[derive(Template)]
#[template(path = "postings/applicants.html")]
struct ListPage {
    page: Page,
    h: Header,
    stage: String,
    stages: Vec<ApplicationStatus>,
    applicants: Vec<Applicant>,
}

impl ListPage {
    /// Whether the applicant at `i` is the first closed one (the list puts active ones first).
    fn first_closed(&self, i: &usize) -> bool {
        let i = *i;
        !self.applicants[i].active && (i == 0 || self.applicants[i - 1].active)
    }
}

/// GET /postings/{id}/applicants
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<StageQuery>,
) -> Result<Html<String>> {
    let h = manage::owned(&state, &user, id).await?;
    let stage = if q.stage.is_empty() {
        None
    } else {
        Some(
            ApplicationStatus::try_from(q.stage.as_str())
                .map_err(|m| AppError::field("stage", m))?,
        )
    };
    render(&ListPage {
        page: Page::new(format!("Applicants: {}", h.title), &user, Section::Postings),
        applicants: applicants::ranked(&state, id, stage).await?,
        stages: ApplicationStatus::ALL.to_vec(),
        stage: q.stage,
        h,
    })
}

#[derive(Template)]
#[template(path = "postings/applicant.html")]
struct DetailPage {
    page: Page,
    h: Header,
    d: ApplicationDetail,
    max_release: time::Date,
}

/// GET /postings/{id}/applicants/{application_id}
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, application)): Path<(Uuid, Uuid)>,
) -> Result<Html<String>> {
    let h = manage::owned(&state, &user, id).await?;
    let policy = crate::db::policy::current(&state.db).await?;
    render(&DetailPage {
        page: Page::new(
            format!("Applicant for {}", h.title),
            &user,
            Section::Postings,
        ),
        d: applicants::detail(&state, id, application).await?,
        max_release: crate::domain::moves::latest_release(
            crate::domain::today(),
            policy.max_release_weeks,
        ),
        h,
    })
}

/// The stage form.
#[derive(Debug, Deserialize)]
pub struct StageForm {
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    start_on: String,
}

/// POST /postings/{id}/applicants/{application_id}/stage
pub async fn transition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, application)): Path<(Uuid, Uuid)>,
    Form(f): Form<StageForm>,
) -> Result<Redirect> {
    if manage::posting_of_application(&state, &user, application).await? != id {
        return Err(AppError::NotFound);
    }
    let to = ApplicationStatus::try_from(f.to.as_str()).map_err(|m| AppError::field("to", m))?;
    let start_on = crate::domain::params::parse_date("start_on", &f.start_on)?;
    stage::move_on(
        &state,
        &user,
        application,
        Change {
            to,
            reason: f.reason,
            start_on,
        },
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/postings/{id}/applicants/{application}"
    )))
}

#[derive(Template)]
#[template(path = "postings/talent.html")]
struct TalentPage {
    page: Page,
    h: Header,
    people: Vec<Talent>,
    pools: Vec<crate::service::talent_pools::TalentPool>,
    pool: Option<Uuid>,
}

impl TalentPage {
    fn chosen(&self, id: &Uuid) -> bool {
        self.pool == Some(*id)
    }
}

/// `?pool=`: only people in this talent pool.
#[derive(Debug, Default, Deserialize)]
pub struct TalentQuery {
    #[serde(default)]
    pool: Option<String>,
}

/// GET /postings/{id}/talent
pub async fn talent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(q): Query<TalentQuery>,
) -> Result<Html<String>> {
    let h = manage::owned(&state, &user, id).await?;
    let pool = crate::service::talent_pools::parse_pool(q.pool.as_deref(), "pool")?;
    let members = match pool {
        Some(p) => Some(crate::service::talent_pools::members(&state.db, p, "pool").await?),
        None => None,
    };
    render(&TalentPage {
        page: Page::new(
            format!("Find talent: {}", h.title),
            &user,
            Section::Postings,
        ),
        people: applicants::talent_where(&state, id, 30, members).await?,
        pools: crate::service::talent_pools::list(&state.db).await?,
        pool,
        h,
    })
}

/// The invitation form.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    message: String,
}

/// POST /postings/{id}/talent/{person_id}/invite
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, person)): Path<(Uuid, Uuid)>,
    Form(f): Form<InviteForm>,
) -> Result<Redirect> {
    manage::owned(&state, &user, id).await?;
    applicants::invite(&state, id, person, user.id, &f.message).await?;
    Ok(Redirect::to(&format!("/postings/{id}/talent")))
}
