//! API tokens as HR manages them, for the page and the API alike: checking a new token's
//! name, scopes and lifetime, creating it (the secret is returned once, only a hash is
//! kept) and revoking it. What a token may do is `http::bearer`'s; the rows are
//! `db::tokens`'.

use serde::Deserialize;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::tokens::{self, SCOPES};
use crate::error::{AppError, FieldError, Result};

/// What the create form (and the JSON twin) sends.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub name: String,
    /// Any of `read`, `write`, `scim`, `metrics`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Days until the token expires (1 to 730).
    #[schema(minimum = 1, maximum = 730)]
    pub expires_in_days: i64,
}

/// A new token's fields, checked: the name, the known scopes, the expiry.
struct Checked {
    name: String,
    scopes: Vec<String>,
    expires_at: OffsetDateTime,
}

/// Check a new token's fields; errors name the fields (`name`, `scopes`, `expires_in_days`).
fn check(new: &NewToken) -> Result<Checked> {
    let mut errors = vec![];
    let name = new.name.trim().to_string();
    if name.is_empty() || name.len() > 100 {
        errors.push(FieldError::new(
            "name",
            "Give the token a name of 1 to 100 characters.",
        ));
    }
    let mut scopes: Vec<String> = SCOPES
        .iter()
        .filter(|s| new.scopes.iter().any(|given| given == *s))
        .map(|s| s.to_string())
        .collect();
    scopes.dedup();
    if scopes.is_empty() || new.scopes.iter().any(|s| !SCOPES.contains(&s.as_str())) {
        errors.push(FieldError::new(
            "scopes",
            "Choose one or more of read, write, scim, metrics.",
        ));
    }
    if !(1..=730).contains(&new.expires_in_days) {
        errors.push(FieldError::new(
            "expires_in_days",
            "A token lasts 1 to 730 days.",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Checked {
        name,
        scopes,
        expires_at: OffsetDateTime::now_utc() + Duration::days(new.expires_in_days),
    })
}

/// Check and create a token made by `creator`; returns its id and its secret (shown once).
pub async fn create(state: &AppState, creator: Uuid, new: &NewToken) -> Result<(Uuid, String)> {
    let t = check(new)?;
    Ok(tokens::create(&state.db, creator, &t.name, &t.scopes, t.expires_at).await?)
}

/// Revoke a token (audited as `by`); 404 for an unknown or already revoked one.
pub async fn revoke(state: &AppState, id: Uuid, by: Uuid) -> Result<()> {
    if !tokens::revoke(&state.db, id, by).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
