//! Matching endpoints: talent search for an opening, recommendations and learning paths for
//! the signed-in person. Authorisation (PRODUCT.md): a manager searches talent only for their
//! own openings, HR for any; a person sees only their own recommendations and paths.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::engine::today;
use crate::engine::views::{FitView, OpeningRef, PathView, PersonRef};
use crate::error::{AppError, Result};
use crate::http::extract::{Path, Query};
use crate::http::session::CurrentUser;
use crate::service::learning_paths;

/// `?limit=` for ranked lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Limit {
    /// How many results (1-200).
    limit: Option<usize>,
}

impl Limit {
    fn get(&self, default: usize) -> Result<usize> {
        match self.limit {
            None => Ok(default),
            Some(n) if (1..=200).contains(&n) => Ok(n),
            Some(_) => Err(AppError::field("limit", "must be between 1 and 200")),
        }
    }
}

/// A person found by talent search.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalentResult {
    pub person: PersonRef,
    pub job_title: Option<String>,
    pub department: Option<String>,
    /// The person already has a live application to this opening.
    pub applied: bool,
    pub fit: FitView,
}

/// The best-fitting people for an opening.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalentSearch {
    pub opening: OpeningRef,
    pub results: Vec<TalentResult>,
}

/// An opening recommended to the signed-in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationResult {
    pub opening: OpeningRef,
    pub kind: String,
    pub department: String,
    /// The relevance that ranks it for the person (their fit part plus how the move suits
    /// them), with every reason.
    pub relevance: FitView,
    /// The person's fit, 0-100: the score the hiring manager sees and the one stored when
    /// they apply.
    pub fit: u8,
}

/// The signed-in person's readiness for an opening.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearningPathResult {
    pub opening: OpeningRef,
    pub fit: FitView,
    pub path: PathView,
}

/// Talent search: the best-fitting eligible people for an open opening, with reasons.
#[utoipa::path(get, path = "/opportunities/{id}/talent", tag = "matching",
    params(("id" = Uuid, Path, description = "The opening"), Limit),
    responses((status = 200, body = TalentSearch), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
pub async fn talent(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Query(limit): Query<Limit>,
) -> Result<Json<TalentSearch>> {
    let k = limit.get(50)?;
    let opening = sqlx::query!(
        "select title, owner_id, status from opportunities where id = $1",
        id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if opening.owner_id != user.id && !user.is_hr {
        return Err(AppError::Forbidden(
            "Only the opening's owner and HR can search talent for it.".into(),
        ));
    }
    if opening.status != "open" {
        return Err(AppError::Conflict(format!(
            "Talent search needs an open opening; this one is {}.",
            opening.status
        )));
    }
    let engine = state.engine.clone();
    let found = tokio::task::spawn_blocking(move || engine.talent(id, k, today()))
        .await
        .map_err(|e| AppError::Other(e.into()))?
        .ok_or_else(|| {
            AppError::Conflict("The opening is not in the matching index yet; try again.".into())
        })?;
    let ids: Vec<Uuid> = found.iter().map(|c| c.person).collect();
    let rows = sqlx::query!(
        r#"select p.id, p.display_name, jp.title as "title?", d.name as "department?",
                  exists(select 1 from applications a where a.applicant_id = p.id and a.opportunity_id = $2
                         and a.status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')) as "applied!"
           from people p
           left join job_profiles jp on jp.id = p.job_profile_id
           left join departments d on d.id = p.department_id
           where p.id = any($1)"#,
        &ids,
        id
    )
    .fetch_all(&state.db)
    .await?;
    let mut by_id: HashMap<Uuid, _> = rows.into_iter().map(|r| (r.id, r)).collect();
    let results = found
        .into_iter()
        .filter_map(|c| {
            let row = by_id.remove(&c.person)?;
            Some(TalentResult {
                person: PersonRef {
                    id: c.person,
                    display_name: row.display_name,
                },
                job_title: row.title,
                department: row.department,
                applied: row.applied,
                fit: c.fit,
            })
        })
        .collect();
    Ok(Json(TalentSearch {
        opening: OpeningRef {
            id,
            title: opening.title,
        },
        results,
    }))
}

/// The open openings that fit the signed-in person best, with reasons (openings they own or
/// already applied to are left out).
#[utoipa::path(get, path = "/me/recommendations", tag = "matching",
    params(Limit),
    responses((status = 200, body = Vec<RecommendationResult>), (status = 401, body = super::Problem)))]
pub async fn recommendations(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(limit): Query<Limit>,
) -> Result<Json<Vec<RecommendationResult>>> {
    let k = limit.get(20)?;
    let applied = sqlx::query_scalar!(
        "select opportunity_id from applications where applicant_id = $1
         and status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted')",
        user.id
    )
    .fetch_all(&state.db)
    .await?;
    let engine = state.engine.clone();
    let person = user.id;
    let found =
        tokio::task::spawn_blocking(move || engine.recommendations(person, k, &applied, today()))
            .await
            .map_err(|e| AppError::Other(e.into()))?
            .unwrap_or_default();
    let ids: Vec<Uuid> = found.iter().map(|r| r.opening).collect();
    let rows = sqlx::query!(
        "select o.id, o.title, o.kind, d.name as department from opportunities o
         join departments d on d.id = o.department_id where o.id = any($1)",
        &ids
    )
    .fetch_all(&state.db)
    .await?;
    let mut by_id: HashMap<Uuid, _> = rows.into_iter().map(|r| (r.id, r)).collect();
    Ok(Json(
        found
            .into_iter()
            .filter_map(|r| {
                let row = by_id.remove(&r.opening)?;
                Some(RecommendationResult {
                    opening: OpeningRef {
                        id: r.opening,
                        title: row.title,
                    },
                    kind: row.kind,
                    department: row.department,
                    relevance: r.relevance,
                    fit: r.fit,
                })
            })
            .collect(),
    ))
}

/// The signed-in person's fit for an open opening and the learning path that closes the gaps
/// with the fewest hours: each course with what it does to the score, time to readiness, and
/// mentors and projects for the gaps no course closes.
#[utoipa::path(get, path = "/me/opportunities/{id}/learning-path", tag = "matching",
    params(("id" = Uuid, Path, description = "The opening")),
    responses((status = 200, body = LearningPathResult), (status = 404, body = super::Problem)))]
pub async fn learning_path(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<LearningPathResult>> {
    let opening = sqlx::query!(
        "select title from opportunities where id = $1 and status = 'open'",
        id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let weekly = learning_paths::weekly_hours(&state, user.id).await?;
    let engine = state.engine.clone();
    let person = user.id;
    let mut readiness =
        tokio::task::spawn_blocking(move || engine.readiness(person, id, weekly, today()))
            .await
            .map_err(|e| AppError::Other(e.into()))?
            .ok_or(AppError::NotFound)?;
    learning_paths::add_names(&state, &mut readiness.path, person).await?;
    Ok(Json(LearningPathResult {
        opening: OpeningRef {
            id,
            title: opening.title,
        },
        fit: readiness.fit,
        path: readiness.path,
    }))
}
