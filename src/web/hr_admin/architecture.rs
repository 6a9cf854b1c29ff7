//! `/hr/architecture`: the job architecture shown per family, with each family's career-path
//! graph, and the form that adds a career path.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::Form;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::architecture::{self as arch, Architecture, PathForm};

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
        let arch = arch::load(&state.db).await?;
        let (family_links, level_links) = arch::edit_links(&state.db).await?;
        Ok(ArchitecturePage {
            page: Page::new("Job architecture", user, Section::Hr),
            graphs: super::path_graph::layout(&arch),
            arch,
            family_links,
            level_links,
            path,
            error: None,
        })
    }
}

/// GET /hr/architecture
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>> {
    render(&ArchitecturePage::load(&state, &user, PathForm::default()).await?)
}

/// POST /hr/architecture/paths
pub async fn post_path(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PathForm>,
) -> Result<Response> {
    match arch::add_path(&state, &user, &form).await {
        Ok(()) => Ok(Redirect::to("/hr/architecture").into_response()),
        Err(AppError::Validation(errors)) => {
            let mut page = ArchitecturePage::load(&state, &user, form).await?;
            page.error = errors.first().map(|e| e.message.clone());
            Ok(render(&page)?.into_response())
        }
        Err(e) => Err(e),
    }
}
