//! HR's people directory and moves register: the filters as typed, checked field by field
//! into the filters `db::people` runs, and unlinking a person from an identity provider.

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::identities;
use crate::db::people::{self, MoveFilter, MovePage, PeopleFilter, PeoplePage, PersonRecord};
use crate::db::skill_suggestions::skill_by_name;
use crate::domain::params::{id, one_of, paging, value};
use crate::domain::skill_level::SkillLevel;
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// The sorts of the directory.
pub const SORTS: &[&str] = &[
    "name",
    "-name",
    "hire_date",
    "-hire_date",
    "role_started",
    "-role_started",
];
/// The statuses the directory filters on.
pub const STATUSES: &[&str] = &["current", "active", "on_leave", "terminated", "all"];
/// The kinds of move.
pub const MOVE_KINDS: &[&str] = &[
    "promotion",
    "lateral_move",
    "secondment_start",
    "secondment_end",
    "project_assignment",
    "external_hire",
    "leaver",
];

/// The directory's filters as typed (empty means not set).
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Part of a name or email, or an employee number.
    pub q: Option<String>,
    /// A department id; people in departments under it are included.
    pub department: Option<String>,
    /// A job family id.
    pub family: Option<String>,
    /// A job level id.
    pub level: Option<String>,
    /// A skill name or alias.
    pub skill: Option<String>,
    /// With `skill`: the lowest level held (1-5, default 1).
    pub min_level: Option<String>,
    /// current (default: not terminated), active, on_leave, terminated or all.
    pub status: Option<String>,
    /// name (default), hire_date or role_started; a leading `-` sorts descending.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// 1 to 200 (default 50).
    pub page_size: Option<String>,
}

impl PeopleParams {
    /// Check every field; each problem names its field.
    pub async fn resolve(&self, db: &PgPool) -> Result<PeopleFilter> {
        let mut errors = Vec::new();
        let department = id(&mut errors, "department", &self.department);
        let family = id(&mut errors, "family", &self.family);
        let level = id(&mut errors, "level", &self.level);
        let min_level = match value(&self.min_level) {
            None => 1,
            Some(typed) => match typed.parse::<i64>().map(SkillLevel::try_from) {
                Ok(Ok(level)) => i16::from(level.get()),
                _ => {
                    errors.push(FieldError::new(
                        "min_level",
                        "must be a whole number from 1 to 5",
                    ));
                    1
                }
            },
        };
        let status = one_of(&mut errors, "status", &self.status, STATUSES);
        let sort = one_of(&mut errors, "sort", &self.sort, SORTS);
        let (page, page_size) = paging(&mut errors, &self.page, &self.page_size, 50);
        let skill = match value(&self.skill) {
            None => None,
            Some(name) => {
                let found = skill_by_name(db, name).await?;
                if found.is_none() {
                    errors.push(FieldError::new(
                        "skill",
                        format!("No skill is called \"{name}\"."),
                    ));
                }
                found
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(PeopleFilter {
            q: value(&self.q).map(str::to_string),
            department,
            family,
            level,
            skill,
            min_level,
            status: status.unwrap_or_else(|| "current".into()),
            sort: sort.unwrap_or_else(|| "name".into()),
            page,
            page_size,
        })
    }
}

/// The moves list's filters as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MoveParams {
    /// A person's id.
    pub person: Option<String>,
    /// promotion, lateral_move, secondment_start, secondment_end, project_assignment,
    /// external_hire or leaver.
    pub kind: Option<String>,
    /// A department id: moves into or out of it or a department under it.
    pub department: Option<String>,
    /// Effective on or after this day (YYYY-MM-DD).
    pub from: Option<String>,
    /// Effective on or before this day (YYYY-MM-DD).
    pub to: Option<String>,
    /// From 1.
    pub page: Option<String>,
    /// 1 to 200 (default 50).
    pub page_size: Option<String>,
}

impl MoveParams {
    /// Check every field; each problem names its field.
    pub fn resolve(&self) -> Result<MoveFilter> {
        let mut errors = Vec::new();
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let mut date = |field: &str, v: &Option<String>| {
            value(v).and_then(|s| {
                time::Date::parse(s, fmt)
                    .map_err(|_| errors.push(FieldError::new(field, "Give a date as YYYY-MM-DD.")))
                    .ok()
            })
        };
        let (from, to) = (date("from", &self.from), date("to", &self.to));
        let person = id(&mut errors, "person", &self.person);
        let department = id(&mut errors, "department", &self.department);
        let kind = one_of(&mut errors, "kind", &self.kind, MOVE_KINDS);
        let (page, page_size) = paging(&mut errors, &self.page, &self.page_size, 50);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(MoveFilter {
            person,
            kind,
            department,
            from,
            to,
            page,
            page_size,
        })
    }
}

/// Which identity-provider account to unlink.
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct UnlinkForm {
    /// The provider's issuer URL, as shown on the person's record.
    pub issuer: String,
}

/// Unlink person `id` from their account at the provider `issuer`, as `user`; their next
/// single sign-on finds them by email again. NotFound when they have no such account.
pub async fn unlink(state: &AppState, user: &CurrentUser, id: Uuid, issuer: &str) -> Result<()> {
    if !identities::unlink(&state.db, user.id, id, issuer).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// One page of the directory for the filters as typed (422 naming each bad field).
pub async fn list(state: &AppState, params: &PeopleParams) -> Result<PeoplePage> {
    let filter = params.resolve(&state.db).await?;
    people::list(&state.db, &filter).await
}

/// One page of the moves register for the filters as typed (422 naming each bad field).
pub async fn moves(state: &AppState, params: &MoveParams) -> Result<MovePage> {
    let filter = params.resolve()?;
    people::moves(&state.db, &filter).await
}

/// One person's record; NotFound when there is no such person.
pub async fn record(state: &AppState, id: Uuid) -> Result<PersonRecord> {
    people::record(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}
