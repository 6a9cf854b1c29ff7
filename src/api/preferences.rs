//! How the signed-in person wants notifications delivered outside Trellis: email on/off,
//! immediately or as a daily digest, chat on/off with an optional personal webhook.

use axum::extract::State;
use axum::Json as JsonResponse;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::Problem;
use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::Json;
use crate::http::session::CurrentUser;

/// Delivery preferences (defaults: email on, immediate; chat off).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct NotificationPreferences {
    pub email_enabled: bool,
    /// `immediate` or `daily_digest`.
    pub email_mode: String,
    pub chat_enabled: bool,
    /// A personal Slack/Teams incoming webhook; without it, the company-wide one.
    pub chat_webhook_url: Option<String>,
}

/// My notification delivery preferences.
#[utoipa::path(get, path = "/me/notification-preferences", tag = "people",
    responses((status = 200, body = NotificationPreferences), (status = 401, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<JsonResponse<NotificationPreferences>> {
    let row = sqlx::query_as::<_, NotificationPreferences>(
        "select email_enabled, email_mode, chat_enabled, chat_webhook_url
         from notification_preferences where person_id = $1",
    )
    .bind(user.id)
    .fetch_optional(&state.db)
    .await?;
    Ok(JsonResponse(row.unwrap_or(NotificationPreferences {
        email_enabled: true,
        email_mode: "immediate".into(),
        chat_enabled: false,
        chat_webhook_url: None,
    })))
}

/// Set my notification delivery preferences.
#[utoipa::path(put, path = "/me/notification-preferences", tag = "people",
    request_body = NotificationPreferences,
    responses((status = 200, body = NotificationPreferences), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(mut p): Json<NotificationPreferences>,
) -> Result<JsonResponse<NotificationPreferences>> {
    let mut errors = vec![];
    if !matches!(p.email_mode.as_str(), "immediate" | "daily_digest") {
        errors.push(FieldError::new(
            "/email_mode",
            "Choose immediate or daily_digest.",
        ));
    }
    p.chat_webhook_url = p
        .chat_webhook_url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let hosts = &state.config.chat_webhook_hosts;
    if p.chat_webhook_url
        .as_deref()
        .is_some_and(|u| !crate::outbox::webhook::host_allowed(u, &state.config))
    {
        errors.push(FieldError::new(
            "/chat_webhook_url",
            format!(
                "A personal webhook must be an https:// address at one of: {}.",
                hosts.join(", ")
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "insert into notification_preferences (person_id, email_enabled, email_mode, chat_enabled, chat_webhook_url)
         values ($1, $2, $3, $4, $5)
         on conflict (person_id) do update set email_enabled = excluded.email_enabled,
             email_mode = excluded.email_mode, chat_enabled = excluded.chat_enabled,
             chat_webhook_url = excluded.chat_webhook_url, updated_at = now()")
        .bind(user.id).bind(p.email_enabled).bind(&p.email_mode).bind(p.chat_enabled).bind(&p.chat_webhook_url)
        .execute(&mut *tx).await?;
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "notification_preferences.update",
        "person",
        Some(user.id.to_string()),
        // HR and read tokens see the audit trail: never the webhook itself (a bearer secret).
        json!({ "after": NotificationPreferences {
            chat_webhook_url: p.chat_webhook_url.as_deref().map(crate::outbox::webhook::redacted),
            ..p.clone()
        } }),
    )
    .await?;
    tx.commit().await?;
    Ok(JsonResponse(p))
}
