//! Searching the taxonomy, editing a skill (marking it hand-edited so ESCO re-imports leave it
//! alone), merging two skills by name, and the ESCO import.

use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::constraints::on_constraint;
use crate::db::taxonomy;
use crate::domain::params::{paging, value};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, Result};
use crate::import::esco::EscoOptions;
use crate::import::merge::{self, MergeReport};

pub use crate::db::taxonomy::SkillRow;

/// Search terms.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Part of a name or alias.
    pub q: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// 1 to 200 (default 50).
    pub page_size: Option<String>,
}

impl Search {
    /// The words, page and page size, checked.
    pub fn resolve(&self) -> Result<(String, i64, i64)> {
        let mut errors = Vec::new();
        let (page, size) = paging(&mut errors, &self.page, &self.page_size, 50);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok((value(&self.q).unwrap_or("").to_string(), page, size))
    }
}

/// One page of the taxonomy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SkillPage {
    pub skills: Vec<SkillRow>,
    /// Skills matching, on all pages.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A page of the live skills matching `q` (name or alias), best matches first, with the total.
pub async fn search(db: &sqlx::PgPool, q: &str, page: i64, page_size: i64) -> Result<SkillPage> {
    let q = q.trim();
    let total = taxonomy::search_total(db, q).await?;
    let rows = taxonomy::search_page(
        db,
        q,
        page_size,
        crate::domain::params::offset(page, page_size),
    )
    .await?;
    Ok(SkillPage {
        skills: rows,
        total,
        page,
        page_size,
    })
}

/// Merge form: skill names (or aliases) typed by HR.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeForm {
    /// The skill that disappears.
    pub from: String,
    /// The survivor.
    pub into: String,
}

/// The live skill called `name` (case-insensitive).
pub async fn skill_named(db: &sqlx::PgPool, name: &str) -> Result<Option<Uuid>> {
    let found = taxonomy::live_named(db, name.trim()).await?;
    Ok(found.map(|(id, _)| id))
}

/// Merge by names: the API and the page share this.
pub async fn merge_named(
    state: &AppState,
    user: &CurrentUser,
    form: &MergeForm,
) -> Result<MergeReport> {
    let from = skill_named(&state.db, &form.from).await?.ok_or_else(|| {
        AppError::field(
            "from",
            format!("There is no skill called {}.", form.from.trim()),
        )
    })?;
    let into = skill_named(&state.db, &form.into).await?.ok_or_else(|| {
        AppError::field(
            "into",
            format!("There is no skill called {}.", form.into.trim()),
        )
    })?;
    let report = merge::merge(&state.db, from, into, Actor::Person(user.id)).await?;
    state.engine.reload(&state.db).await?;
    Ok(report)
}

/// ESCO import options (the API's query string).
#[derive(Debug, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EscoForm {
    /// Also import occupations as job profiles (`true`, or "on" from a checkbox).
    #[serde(default)]
    pub occupations: Option<String>,
}

impl EscoForm {
    /// Whether occupations are imported too.
    pub fn occupations(&self) -> bool {
        matches!(
            self.occupations.as_deref(),
            Some("on" | "true" | "1" | "yes")
        )
    }
}

/// Start an ESCO import of the uploaded CSV export (the zip as downloaded from the ESCO
/// portal) as a background job, followed on the import job page; returns the job. An upload
/// that is not such a zip is refused at once on `file`, before anything starts.
pub async fn start_esco(
    state: &AppState,
    user: &CurrentUser,
    zip: Vec<u8>,
    occupations: bool,
) -> Result<uuid::Uuid> {
    if zip.is_empty() {
        return Err(AppError::field(
            "file",
            "Choose the ESCO export (a zip file) to upload.",
        ));
    }
    crate::import::esco_zip::check(&zip).map_err(|e| AppError::field("file", format!("{e}.")))?;
    let options = EscoOptions {
        occupations,
        ..EscoOptions::default()
    };
    Ok(crate::import::esco_job::start(state, zip, user.id, options).await?)
}

/// The edit form's fields.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillEdit {
    pub name: String,
    pub description: String,
    /// Category name; created when new; empty for none.
    #[serde(default)]
    pub category: String,
}

/// A live skill as its edit page shows it, with its ESCO URI.
pub async fn load_edit(db: &sqlx::PgPool, id: Uuid) -> Result<(SkillEdit, Option<String>)> {
    let stored = taxonomy::stored(db, id).await?.ok_or(AppError::NotFound)?;
    let form = SkillEdit {
        name: stored.name,
        description: stored.description,
        category: stored.category.unwrap_or_default(),
    };
    Ok((form, stored.esco_uri))
}

/// Save an edit; marks the skill hand-edited. Audited with before and after.
pub async fn save_edit(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    form: &SkillEdit,
) -> Result<()> {
    let name = form.name.trim();
    if name.is_empty() {
        return Err(AppError::field("name", "A skill needs a name."));
    }
    let mut tx = state.db.begin().await?;
    let before = taxonomy::lock_live(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let category = form.category.trim();
    if !category.is_empty() {
        taxonomy::ensure_category(&mut tx, category).await?;
    }
    taxonomy::update(&mut tx, id, name, form.description.trim(), category)
        .await
        .map_err(|e| {
            on_constraint(e, "skills_name_unique", || {
                AppError::field(
                    "name",
                    format!("Another skill is already called {name}; merge them instead."),
                )
            })
        })?;
    audit::record(&mut *tx, Actor::Person(user.id), "skill.edit", "skill", Some(id.to_string()),
        json!({ "before": { "name": before.0, "description": before.1 },
                "after": { "name": name, "description": form.description.trim(), "category": category } })).await?;
    tx.commit().await?;
    state.engine.reload(&state.db).await?;
    Ok(())
}
