//! The browse filters: what the query string (and a saved search's `query` jsonb) says, and
//! the checked, resolved form the SQL uses.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::params::{self, value};
use crate::domain::posting::{OpeningKind, WorkMode};
use crate::error::{AppError, FieldError, Result};

/// Cards per page.
pub const PER_PAGE: usize = 20;

/// The browse query as typed: every field optional, empty strings meaning "any".
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct BrowseParams {
    /// Full-text search over title and description (web search syntax: "quoted", -not, or).
    #[serde(default, skip_serializing_if = "blank")]
    pub q: Option<String>,
    /// role, secondment, project or mentorship.
    #[serde(default, skip_serializing_if = "blank")]
    pub kind: Option<String>,
    /// Department id.
    #[serde(default, skip_serializing_if = "blank")]
    pub department: Option<String>,
    /// Job family id (of the opening's job profile).
    #[serde(default, skip_serializing_if = "blank")]
    pub family: Option<String>,
    /// Job level id (of the opening's job profile).
    #[serde(default, skip_serializing_if = "blank")]
    pub level: Option<String>,
    /// Location id.
    #[serde(default, skip_serializing_if = "blank")]
    pub location: Option<String>,
    /// onsite, hybrid or remote.
    #[serde(default, skip_serializing_if = "blank")]
    pub work_mode: Option<String>,
    /// At most this many hours per week (openings without set hours are full-time).
    #[serde(default, skip_serializing_if = "blank")]
    pub max_hours: Option<String>,
    /// Skills the opening asks for, by name or alias, comma separated (all must be asked).
    #[serde(default, skip_serializing_if = "blank")]
    pub skills: Option<String>,
    /// `true`: only the openings I saved.
    #[serde(default, skip_serializing_if = "blank")]
    pub saved: Option<String>,
    /// `fit` (default) or `newest`.
    #[serde(default, skip_serializing_if = "blank")]
    pub sort: Option<String>,
    /// Page number, from 1.
    #[serde(default, skip_serializing_if = "blank")]
    pub page: Option<String>,
}

fn blank(v: &Option<String>) -> bool {
    value(v).is_none()
}

/// The filters, checked and resolved.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub department: Option<Uuid>,
    pub family: Option<Uuid>,
    pub level: Option<Uuid>,
    pub location: Option<Uuid>,
    pub work_mode: Option<String>,
    pub max_hours: Option<f64>,
    pub skills: Vec<Uuid>,
    /// Only openings the person saved.
    pub saved_only: bool,
    pub newest_first: bool,
    pub page: usize,
}

impl BrowseParams {
    /// The same search without sort and page (what a saved search stores).
    pub fn without_paging(&self) -> BrowseParams {
        BrowseParams {
            sort: None,
            page: None,
            ..self.clone()
        }
    }

    /// True when no filter is set (sort and page aside).
    pub fn is_empty(&self) -> bool {
        self.without_paging() == BrowseParams::default()
    }

    /// The query string of these parameters with `page` replaced.
    pub fn query_string(&self, page: Option<usize>) -> String {
        let mut p = self.clone();
        p.page = page.map(|n| n.to_string());
        serde_urlencoded::to_string(&p).unwrap_or_default()
    }

    /// Check every field; unknown skills, bad ids and numbers name their field.
    pub async fn resolve(&self, db: &PgPool) -> Result<Filters> {
        let mut errors = Vec::new();
        let mut id = |field: &str, v: &Option<String>| -> Option<Uuid> {
            let s = value(v)?;
            Uuid::parse_str(s)
                .map_err(|_| errors.push(FieldError::new(field, "is not a valid choice")))
                .ok()
        };
        let department = id("department", &self.department);
        let family = id("family", &self.family);
        let level = id("level", &self.level);
        let location = id("location", &self.location);
        let kind = value(&self.kind).map(str::to_string);
        if kind
            .as_deref()
            .is_some_and(|k| OpeningKind::parse(k).is_none())
        {
            errors.push(FieldError::new(
                "kind",
                "must be role, secondment, project or mentorship",
            ));
        }
        let work_mode = value(&self.work_mode).map(str::to_string);
        if work_mode
            .as_deref()
            .is_some_and(|m| WorkMode::parse(m).is_none())
        {
            errors.push(FieldError::new(
                "work_mode",
                "must be onsite, hybrid or remote",
            ));
        }
        let max_hours = match value(&self.max_hours) {
            None => None,
            Some(s) => match s.parse::<f64>() {
                Ok(h) if (1.0..=40.0).contains(&h) => Some(h),
                _ => {
                    errors.push(FieldError::new(
                        "max_hours",
                        "must be a number of hours from 1 to 40",
                    ));
                    None
                }
            },
        };
        let newest_first = match value(&self.sort) {
            None | Some("fit") => false,
            Some("newest") => true,
            Some(_) => {
                errors.push(FieldError::new("sort", "must be fit or newest"));
                false
            }
        };
        // 1 to params::MAX_PAGE, so positive and small enough for any usize.
        let page = usize::try_from(params::page(&mut errors, &self.page)).unwrap_or(1);
        let saved_only = match value(&self.saved) {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errors.push(FieldError::new("saved", "must be true or false"));
                false
            }
        };
        let q = value(&self.q).map(str::to_string);
        if q.as_deref().is_some_and(|q| q.chars().count() > 200) {
            errors.push(FieldError::new("q", "must be at most 200 characters"));
        }
        let skills = resolve_skills(db, value(&self.skills), &mut errors).await?;
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(Filters {
            q,
            kind,
            department,
            family,
            level,
            location,
            work_mode,
            max_hours,
            skills,
            saved_only,
            newest_first,
            page,
        })
    }
}

/// Skill names or aliases (comma separated, any case) to skill ids.
async fn resolve_skills(
    db: &PgPool,
    text: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Vec<Uuid>> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    let mut ids = Vec::new();
    for name in text
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .take(10)
    {
        let found = sqlx::query_scalar!(
            r#"select coalesce(s.merged_into_id, s.id) as "id!" from skills s where lower(s.name) = lower($1)
               union all
               select a.skill_id from skill_aliases a where lower(a.alias) = lower($1)
               limit 1"#,
            name
        )
        .fetch_optional(db)
        .await?;
        match found {
            Some(id) => ids.push(id),
            None => errors.push(FieldError::new(
                "skills",
                format!("no skill is called \"{name}\""),
            )),
        }
    }
    Ok(ids)
}
