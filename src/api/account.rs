//! The signed-in person's password, as JSON.

use axum::extract::State;
use axum::http::StatusCode;
use axum_extra::extract::cookie::CookieJar;

use crate::api::Problem;
use crate::app::state::AppState;
use crate::domain::secret::token_hash;
use crate::error::Result;
use crate::http::address::ClientAddress;
use crate::http::extract::Json;
use crate::http::session::{session_cookie, CurrentUser};
use crate::service::account::{change_password, PasswordChange};

/// Change my password. Needs the current one; the new one needs at least 12 characters and
/// may not be the email or the current password. Every other session ends (with an API token,
/// every session). 409 for a person who signs in by single sign-on only; 404 when password
/// sign-in is turned off.
#[utoipa::path(put, path = "/me/password", tag = "people",
    request_body = PasswordChange,
    responses((status = 204, description = "Changed"), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put_password(
    State(state): State<AppState>,
    user: CurrentUser,
    address: ClientAddress,
    jar: CookieJar,
    Json(input): Json<PasswordChange>,
) -> Result<StatusCode> {
    let keep = jar
        .get(session_cookie(&state.config))
        .map(|c| token_hash(c.value()));
    change_password(&state, &user, keep, address.as_str(), input).await?;
    Ok(StatusCode::NO_CONTENT)
}
