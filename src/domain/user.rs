//! Who is acting: the signed-in person, or the HR-level service identity an API token acts
//! as. Handlers get it from the request (`http::user`); services take it to authorise.

use uuid::Uuid;

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
