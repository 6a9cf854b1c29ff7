//! HR's people directory: `GET /hr/people` (search, filters, sort, pages with the total) and
//! `GET /hr/people/{id}` (one person's record). The JSON twins are in `api::people`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::identities;
use crate::db::menus::{self, Choice};
use crate::db::people::{self, MoveFilter, MovePage, PeopleFilter, PeoplePage, PersonRecord};
use crate::db::skill_suggestions::skill_by_name;
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::params::{id, last_page, number, one_of, paging, value};
use crate::http::session::CurrentUser;

const SORTS: &[&str] = &[
    "name",
    "-name",
    "hire_date",
    "-hire_date",
    "role_started",
    "-role_started",
];
const STATUSES: &[&str] = &["current", "active", "on_leave", "terminated", "all"];
const MOVE_KINDS: &[&str] = &[
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
        let min_level = number(&mut errors, "min_level", &self.min_level, 1, 1..=5) as i16;
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

    /// The query string of these parameters with `page` replaced.
    fn with_page(&self, page: i64) -> String {
        let mut p = self.clone();
        p.page = Some(page.to_string());
        serde_urlencoded::to_string(&p).unwrap_or_default()
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

#[derive(Template)]
#[template(path = "hr/people.html")]
struct DirectoryView {
    page: Page,
    params: PeopleParams,
    result: PeoplePage,
    departments: Vec<Choice>,
    families: Vec<Choice>,
    levels: Vec<Choice>,
    errors: Vec<FieldError>,
    previous: Option<String>,
    next: Option<String>,
}

impl DirectoryView {
    fn is(&self, field: &Option<String>, v: &str) -> bool {
        value(field) == Some(v)
    }
}

/// GET /hr/people
pub async fn directory(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<PeopleParams>,
) -> Result<Html<String>> {
    let (result, errors) = match params.resolve(&state.db).await {
        Ok(filter) => (people::list(&state.db, &filter).await?, Vec::new()),
        Err(AppError::Validation(errors)) => {
            let empty = PeoplePage {
                people: Vec::new(),
                total: 0,
                page: 1,
                page_size: 50,
            };
            (empty, errors)
        }
        Err(other) => return Err(other),
    };
    let departments = menus::departments(&state.db).await?;
    let families = menus::families(&state.db).await?;
    let levels = menus::levels(&state.db).await?;
    let last = last_page(result.total, result.page_size);
    let previous = (result.page > 1).then(|| params.with_page(result.page - 1));
    let next = (result.page < last).then(|| params.with_page(result.page + 1));
    render(&DirectoryView {
        page: Page::new("People", &user, Section::Hr),
        params,
        result,
        departments,
        families,
        levels,
        errors,
        previous,
        next,
    })
}

#[derive(Template)]
#[template(path = "hr/moves.html")]
struct MovesView {
    page: Page,
    params: MoveParams,
    result: MovePage,
    departments: Vec<Choice>,
    errors: Vec<FieldError>,
    previous: Option<String>,
    next: Option<String>,
}

impl MovesView {
    fn is(&self, field: &Option<String>, v: &str) -> bool {
        value(field) == Some(v)
    }
    fn kinds(&self) -> &'static [&'static str] {
        MOVE_KINDS
    }
}

/// GET /hr/moves: the moves register.
pub async fn moves(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<MoveParams>,
) -> Result<Html<String>> {
    let (result, errors) = match params.resolve() {
        Ok(filter) => (people::moves(&state.db, &filter).await?, Vec::new()),
        Err(AppError::Validation(errors)) => {
            let empty = MovePage {
                moves: Vec::new(),
                total: 0,
                page: 1,
                page_size: 50,
            };
            (empty, errors)
        }
        Err(other) => return Err(other),
    };
    let departments = menus::departments(&state.db).await?;
    let last = last_page(result.total, result.page_size);
    let link = |page: i64| {
        let mut p = params.clone();
        p.page = Some(page.to_string());
        serde_urlencoded::to_string(&p).unwrap_or_default()
    };
    let previous = (result.page > 1).then(|| link(result.page - 1));
    let next = (result.page < last).then(|| link(result.page + 1));
    render(&MovesView {
        page: Page::new("Moves", &user, Section::Hr),
        params,
        result,
        departments,
        errors,
        previous,
        next,
    })
}

/// Which identity-provider account to unlink.
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct UnlinkForm {
    /// The provider's issuer URL, as shown on the person's record.
    pub issuer: String,
}

/// POST /hr/people/{id}/identities/unlink
pub async fn unlink(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<UnlinkForm>,
) -> Result<Redirect> {
    if !identities::unlink(&state.db, user.id, id, &form.issuer).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/hr/people/{id}")))
}

#[derive(Template)]
#[template(path = "hr/person.html")]
struct RecordView {
    page: Page,
    record: PersonRecord,
}

/// GET /hr/people/{id}
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    let record = people::record(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&RecordView {
        page: Page::new(record.person.display_name.clone(), &user, Section::Hr),
        record,
    })
}
