//! Saved searches and job alerts, for the pages and the API alike: a person's saved browse
//! filters and "openings that fit me above N", each with alerts on or off (the worker in
//! `crate::app::alerts` sends them). Checking a new one, listing, switching and deleting.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, FieldError, Result};
use crate::service::marketplace::filters::BrowseParams;

/// A saved search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedSearch {
    pub id: Uuid,
    pub name: String,
    /// The browse filters (as on `/opportunities`).
    pub query: BrowseParams,
    /// Alert only for openings that fit at or above this score.
    pub min_fit: Option<i16>,
    pub alerts: bool,
    /// The browse page with these filters.
    pub url: String,
}

/// A new saved search.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewSavedSearch {
    /// 1-80 characters.
    pub name: String,
    #[serde(default)]
    pub query: BrowseParams,
    /// 0-100, or none.
    pub min_fit: Option<i16>,
    /// Default true.
    pub alerts: Option<bool>,
}

/// The person's saved searches.
pub async fn list(state: &AppState, person: Uuid) -> Result<Vec<SavedSearch>> {
    let rows = sqlx::query!(
        "select id, name, query, min_fit, alerts from saved_searches where person_id = $1 order by created_at, id",
        person
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let query: BrowseParams = serde_json::from_value(r.query).unwrap_or_default();
            SavedSearch {
                id: r.id,
                url: format!("/opportunities?{}", query.query_string(None)),
                name: r.name,
                query,
                min_fit: r.min_fit,
                alerts: r.alerts,
            }
        })
        .collect())
}

/// Check and store a saved search; returns its id.
pub async fn create(state: &AppState, person: Uuid, new: &NewSavedSearch) -> Result<Uuid> {
    let mut errors = Vec::new();
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(FieldError::new("name", "must be 1 to 80 characters"));
    }
    if new.min_fit.is_some_and(|f| !(0..=100).contains(&f)) {
        errors.push(FieldError::new("min_fit", "must be a score from 0 to 100"));
    }
    let query = new.query.without_paging();
    if query.is_empty() && new.min_fit.is_none() {
        errors.push(FieldError::new(
            "min_fit",
            "Set a filter or a fit threshold, or every opening would match.",
        ));
    }
    if let Err(AppError::Validation(bad)) = query.resolve(&state.db).await {
        errors.extend(
            bad.into_iter()
                .map(|e| FieldError::new(format!("query/{}", e.field), e.message)),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let id = sqlx::query_scalar!(
        "insert into saved_searches (person_id, name, query, min_fit, alerts) values ($1, $2, $3, $4, $5) returning id",
        person,
        name,
        serde_json::to_value(&query).map_err(anyhow::Error::from)?,
        new.min_fit,
        new.alerts.unwrap_or(true)
    )
    .fetch_one(&state.db)
    .await?;
    Ok(id)
}

/// Turn alerts on or off, or delete (`alerts: None`); NotFound for anyone else's search.
pub async fn change(state: &AppState, person: Uuid, id: Uuid, alerts: Option<bool>) -> Result<()> {
    let done = match alerts {
        Some(on) => {
            sqlx::query!(
                "update saved_searches set alerts = $3 where id = $1 and person_id = $2",
                id,
                person,
                on
            )
            .execute(&state.db)
            .await?
        }
        None => {
            sqlx::query!(
                "delete from saved_searches where id = $1 and person_id = $2",
                id,
                person
            )
            .execute(&state.db)
            .await?
        }
    };
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
