//! HR's people directory: `GET /hr/people` (search, filters, sort, pages with the total) and
//! `GET /hr/people/{id}` (one person's record). The JSON twins are in `api::people`.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, Redirect};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::db::people::{MovePage, PeoplePage, PersonRecord};
use crate::domain::params::{last_page, value};
use crate::error::{AppError, FieldError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::hr::people::{
    self as directory, MoveParams, PeopleParams, UnlinkForm, MOVE_KINDS,
};

/// The query string of `params` with `page` replaced.
fn with_page(params: &PeopleParams, page: i64) -> String {
    let mut p = params.clone();
    p.page = Some(page.to_string());
    serde_urlencoded::to_string(&p).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "hr/people.html")]
struct DirectoryView {
    page: Page,
    params: PeopleParams,
    result: PeoplePage,
    menu: menus::DepartmentMenu,
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
    Query(find): Query<menus::MenuSearch>,
) -> Result<Html<String>> {
    let (result, errors) = match directory::list(&state, &params).await {
        Ok(found) => (found, Vec::new()),
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
    let menu = menus::departments_bounded(
        &state.db,
        find.department_search.as_deref(),
        params.department.as_deref(),
    )
    .await?;
    let families = menus::families(&state.db).await?;
    let levels = menus::levels(&state.db).await?;
    let last = last_page(result.total, result.page_size);
    let previous = (result.page > 1).then(|| with_page(&params, result.page - 1));
    let next = (result.page < last).then(|| with_page(&params, result.page + 1));
    render(&DirectoryView {
        page: Page::new("People", &user, Section::Hr),
        params,
        result,
        menu,
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
    menu: menus::DepartmentMenu,
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
    Query(find): Query<menus::MenuSearch>,
) -> Result<Html<String>> {
    let (result, errors) = match directory::moves(&state, &params).await {
        Ok(found) => (found, Vec::new()),
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
    let menu = menus::departments_bounded(
        &state.db,
        find.department_search.as_deref(),
        params.department.as_deref(),
    )
    .await?;
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
        menu,
        errors,
        previous,
        next,
    })
}

/// POST /hr/people/{id}/identities/unlink
pub async fn unlink(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<UnlinkForm>,
) -> Result<Redirect> {
    directory::unlink(&state, &user, id, &form.issuer).await?;
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
    let record = directory::record(&state, id).await?;
    render(&RecordView {
        page: Page::new(record.person.display_name.clone(), &user, Section::Hr),
        record,
    })
}
