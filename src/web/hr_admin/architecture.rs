//! `/hr/architecture`: job families, levels, job profiles with their required skills, and
//! career paths with their rules (never to itself; a promotion goes up a level in the same
//! family; a lateral move goes to another family within one rank), shown per family.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::error::{AppError, Result};
use crate::http::extract::Form;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

/// Where a profile sits: its family and its level's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub profile: Uuid,
    pub family: Uuid,
    pub rank: i16,
}

/// Why a career path is refused, if it is.
pub fn check_path(kind: &str, from: Place, to: Place) -> std::result::Result<(), &'static str> {
    if from.profile == to.profile {
        return Err("A career path cannot lead to the profile it starts from.");
    }
    match kind {
        "promotion" if from.family != to.family => Err("A promotion stays in the same job family."),
        "promotion" if to.rank <= from.rank => Err("A promotion goes up a level."),
        "lateral" if from.family == to.family => Err("A lateral move goes to another job family."),
        "lateral" if (to.rank - from.rank).abs() > 1 => {
            Err("A lateral move stays within one level (rank ±1).")
        }
        "promotion" | "lateral" => Ok(()),
        _ => Err("The kind is promotion or lateral."),
    }
}

/// A job profile in the architecture view.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: Uuid,
    pub title: String,
    pub family: String,
    pub level: String,
    pub rank: i16,
    /// "skill (level, importance)" for each required skill.
    pub skills: Vec<String>,
}

/// A career path.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PathRow {
    pub family: String,
    pub from_title: String,
    pub to_title: String,
    pub kind: String,
    pub typical_months: i16,
}

/// The whole job architecture.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Architecture {
    pub families: Vec<String>,
    /// Level codes, by rank.
    pub levels: Vec<String>,
    pub profiles: Vec<ProfileRow>,
    pub paths: Vec<PathRow>,
}

/// Load the architecture.
pub async fn load(db: &sqlx::PgPool) -> Result<Architecture> {
    let families = sqlx::query_scalar("select name from job_families order by name")
        .fetch_all(db)
        .await?;
    let levels = sqlx::query_scalar("select code from job_levels order by rank, code")
        .fetch_all(db)
        .await?;
    let profiles = sqlx::query_as::<_, ProfileRow>(
        "select j.id, j.title, f.name as family, l.code as level, l.rank,
                coalesce((select array_agg(k.name || ' (' || s.level || ', ' || s.importance || ')' order by s.level desc, k.name)
                          from job_profile_skills s join skills k on k.id = s.skill_id where s.job_profile_id = j.id), '{}') as skills
         from job_profiles j join job_families f on f.id = j.family_id join job_levels l on l.id = j.level_id
         where j.retired_at is null and j.esco_uri is null
         order by f.name, l.rank, j.title limit 500").fetch_all(db).await?;
    let paths = sqlx::query_as::<_, PathRow>(
        "select f.name as family, a.title as from_title, b.title as to_title, c.kind, c.typical_months
         from career_paths c join job_profiles a on a.id = c.from_profile_id join job_profiles b on b.id = c.to_profile_id
         join job_families f on f.id = a.family_id order by f.name, a.title, b.title").fetch_all(db).await?;
    Ok(Architecture {
        families,
        levels,
        profiles,
        paths,
    })
}

#[derive(Template)]
#[template(path = "hr_admin/architecture.html")]
struct ArchitecturePage {
    page: Page,
    arch: Architecture,
    /// (id, name) of each family and (id, code) of each level, for the edit links.
    family_links: Vec<(Uuid, String)>,
    level_links: Vec<(Uuid, String)>,
    /// The career-path graph of each family that has paths.
    graphs: Vec<super::path_graph::FamilyGraph>,
    path: PathForm,
    error: Option<String>,
}

impl ArchitecturePage {
    async fn load(state: &AppState, user: &CurrentUser, path: PathForm) -> Result<Self> {
        let arch = load(&state.db).await?;
        Ok(ArchitecturePage {
            page: Page::new("Job architecture", user, Section::Hr),
            graphs: super::path_graph::layout(&arch),
            arch,
            family_links: sqlx::query_as("select id, name from job_families order by name")
                .fetch_all(&state.db)
                .await?,
            level_links: sqlx::query_as("select id, code from job_levels order by rank, code")
                .fetch_all(&state.db)
                .await?,
            path,
            error: None,
        })
    }
}

/// GET /hr/architecture
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&ArchitecturePage::load(&state, &user, PathForm::default()).await?)
}

/// A new career path, between two profile titles.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PathForm {
    pub from: String,
    pub to: String,
    /// promotion or lateral
    pub kind: String,
    pub typical_months: Option<i16>,
}

async fn place(db: &mut sqlx::PgConnection, title: &str, field: &str) -> Result<Place> {
    let row: Option<(Uuid, Uuid, i16)> = sqlx::query_as(
        "select j.id, j.family_id, l.rank from job_profiles j join job_levels l on l.id = j.level_id
         where lower(j.title) = lower($1) and j.retired_at is null")
        .bind(title.trim()).fetch_optional(db).await?;
    row.map(|(profile, family, rank)| Place {
        profile,
        family,
        rank,
    })
    .ok_or_else(|| {
        AppError::field(
            field,
            format!("There is no job profile called {}.", title.trim()),
        )
    })
}

/// Add (or change) a career path after checking the rules. Audited.
pub async fn add_path(state: &AppState, user: &CurrentUser, form: &PathForm) -> Result<()> {
    let months = form.typical_months.unwrap_or(24);
    if !(1..=240).contains(&months) {
        return Err(AppError::field(
            "typical_months",
            "Typical months are between 1 and 240.",
        ));
    }
    let mut tx = state.db.begin().await?;
    let from = place(&mut tx, &form.from, "from").await?;
    let to = place(&mut tx, &form.to, "to").await?;
    check_path(&form.kind, from, to)
        .map_err(|why| AppError::field(if why.contains("kind") { "kind" } else { "to" }, why))?;
    sqlx::query("insert into career_paths (from_profile_id, to_profile_id, kind, typical_months) values ($1, $2, $3, $4)
                 on conflict (from_profile_id, to_profile_id) do update set kind = excluded.kind, typical_months = excluded.typical_months")
        .bind(from.profile).bind(to.profile).bind(&form.kind).bind(months).execute(&mut *tx).await?;
    audit::record(&mut *tx, Actor::Person(user.id), "career_path.save", "career_path", Some(format!("{}:{}", from.profile, to.profile)),
        json!({ "from": form.from.trim(), "to": form.to.trim(), "kind": form.kind, "typical_months": months })).await?;
    tx.commit().await?;
    Ok(())
}

/// POST /hr/architecture/paths
pub async fn post_path(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PathForm>,
) -> Result<Response> {
    match add_path(&state, &user, &form).await {
        Ok(()) => Ok(Redirect::to("/hr/architecture").into_response()),
        Err(AppError::Validation(errors)) => {
            let mut page = ArchitecturePage::load(&state, &user, form).await?;
            page.error = errors.first().map(|e| e.message.clone());
            Ok(render(&page)?.into_response())
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(profile: u128, family: u128, rank: i16) -> Place {
        Place {
            profile: Uuid::from_u128(profile),
            family: Uuid::from_u128(family),
            rank,
        }
    }

    #[test]
    fn a_path_to_itself_is_refused() {
        assert!(check_path("promotion", at(1, 1, 2), at(1, 1, 2)).is_err());
    }

    #[test]
    fn a_promotion_goes_up_a_level_in_the_same_family() {
        assert!(check_path("promotion", at(1, 1, 2), at(2, 1, 3)).is_ok());
        assert!(check_path("promotion", at(1, 1, 3), at(2, 1, 3)).is_err());
        assert!(check_path("promotion", at(1, 1, 2), at(2, 2, 3)).is_err());
    }

    #[test]
    fn a_lateral_move_goes_to_another_family_within_one_rank() {
        assert!(check_path("lateral", at(1, 1, 3), at(2, 2, 4)).is_ok());
        assert!(check_path("lateral", at(1, 1, 3), at(2, 2, 5)).is_err());
        assert!(check_path("lateral", at(1, 1, 3), at(2, 1, 3)).is_err());
    }
}
