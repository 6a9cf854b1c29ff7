//! Who is asking: the signed-in person (or the service identity of an API token), put into
//! the request's extensions by `http::session` or `http::bearer` and taken out by handlers.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use uuid::Uuid;

use crate::error::AppError;

/// The signed-in person, loaded once per request by `http::session::load_session`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CurrentUser {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub is_hr: bool,
    pub is_manager: bool,
    /// Unread in-app notifications (the bell's count).
    pub unread_notifications: i64,
    #[serde(skip)]
    pub csrf_token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}
