//! The applicant answers an offer: `POST /applications/{id}/accept` and `/decline`. The
//! forms are on the applicant's application page; anyone else gets 404.

use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::application::ApplicationStatus;
use crate::error::Result;
use crate::http::extract::{Form, Path};
use crate::http::session::CurrentUser;
use crate::service::applications::stage::{self, Change};

/// The answer form: an optional proposed start date.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    start_on: String,
    #[serde(default)]
    reason: String,
}

/// POST /applications/{id}/accept
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AnswerForm>,
) -> Result<Redirect> {
    let start_on = crate::domain::params::parse_date("start_on", &f.start_on)?;
    stage::answer_offer(
        &state,
        &user,
        id,
        Change {
            to: ApplicationStatus::Accepted,
            reason: f.reason,
            start_on,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/applications/{id}")))
}

/// POST /applications/{id}/decline
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AnswerForm>,
) -> Result<Redirect> {
    stage::answer_offer(
        &state,
        &user,
        id,
        Change {
            to: ApplicationStatus::Declined,
            reason: f.reason,
            start_on: None,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/applications/{id}")))
}
