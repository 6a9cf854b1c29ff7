//! `/hr/skills`: search the taxonomy, edit a skill (marking it hand-edited so ESCO re-imports
//! leave it alone), merge two skills, import ESCO.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::params::last_page;
use crate::error::{AppError, Result};
use crate::http::extract::{Form, Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::import::esco::ATTRIBUTION;
use crate::service::taxonomy::links::{self, SkillLinks};
use crate::service::taxonomy::skills::{self as taxonomy, MergeForm, Search, SkillEdit, SkillPage};

/// What was typed in the two add forms of the edit page (aliases, related skills), with
/// their messages.
#[derive(Debug, Clone, Default)]
pub struct LinkDraft {
    pub alias: String,
    pub alias_error: Option<String>,
    pub related: String,
    pub strength: String,
    pub related_error: Option<String>,
}

#[derive(Template)]
#[template(path = "hr_admin/skills.html")]
struct SkillsPage {
    page: Page,
    q: String,
    result: SkillPage,
    previous: Option<String>,
    next: Option<String>,
    from: String,
    into: String,
    merge_error: Option<String>,
    notice: Option<String>,
    /// Why the ESCO upload was refused.
    esco_error: Option<String>,
    attribution: &'static str,
}

impl SkillsPage {
    async fn load(state: &AppState, user: &CurrentUser, search: &Search) -> Result<SkillsPage> {
        let (q, page, size) = search.resolve()?;
        let result = taxonomy::search(&state.db, &q, page, size).await?;
        let link = |page: i64| {
            serde_urlencoded::to_string([("q", q.as_str()), ("page", &page.to_string())])
                .unwrap_or_default()
        };
        let last = last_page(result.total, result.page_size);
        Ok(SkillsPage {
            page: Page::new("Skill taxonomy", user, Section::Hr),
            previous: (result.page > 1).then(|| link(result.page - 1)),
            next: (result.page < last).then(|| link(result.page + 1)),
            result,
            q,
            from: String::new(),
            into: String::new(),
            merge_error: None,
            notice: None,
            esco_error: None,
            attribution: ATTRIBUTION,
        })
    }
}

/// GET /hr/skills
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(s): Query<Search>,
) -> Result<Html<String>> {
    render(&SkillsPage::load(&state, &user, &s).await?)
}

/// POST /hr/skills/merge
pub async fn merge(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<MergeForm>,
) -> Result<Response> {
    match taxonomy::merge_named(&state, &user, &form).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/hr/skills?{}", query_q(form.into.trim()))).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let mut page = SkillsPage::load(&state, &user, &Search::default()).await?;
            page.from = form.from;
            page.into = form.into;
            page.merge_error = errors.first().map(|e| e.message.clone());
            Ok(render(&page)?.into_response())
        }
        Err(e) => Err(e),
    }
}

/// POST /hr/skills/esco (multipart: csrf_token, occupations, file): the ESCO CSV export as
/// downloaded starts a background import, followed on the import job page; an upload that
/// is not that zip comes back with the message at once.
pub async fn esco(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = super::multipart::parse(content_type, &body)
        .ok_or_else(|| AppError::BadRequest("the upload is not a multipart form".into()))?;
    let occupations = parts.get("occupations").is_some_and(|v| !v.is_empty());
    let file = parts.get("file").cloned().unwrap_or_default();
    match taxonomy::start_esco(&state, &user, file, occupations).await {
        Ok(id) => Ok(Redirect::to(&format!("/hr/import/jobs/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let mut page = SkillsPage::load(&state, &user, &Search::default()).await?;
            page.esco_error = errors.into_iter().next().map(|e| e.message);
            let mut response = render(&page)?.into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "hr_admin/skill_edit.html")]
struct EditPage {
    page: Page,
    id: Uuid,
    form: SkillEdit,
    error: Option<String>,
    attribution: &'static str,
    esco_uri: Option<String>,
    links: SkillLinks,
    draft: LinkDraft,
}

/// The edit page of skill `id`: the stored skill unless `form` (what was typed) is given.
pub(super) async fn show_edit(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    typed: Option<(SkillEdit, String)>,
    draft: LinkDraft,
) -> Result<Html<String>> {
    let (stored, esco_uri) = taxonomy::load_edit(&state.db, id).await?;
    let (form, error) = match typed {
        Some((form, error)) => (form, Some(error)),
        None => (stored, None),
    };
    render(&EditPage {
        page: Page::new("Edit a skill", user, Section::Hr),
        id,
        form,
        error,
        attribution: ATTRIBUTION,
        esco_uri,
        links: links::load(&state.db, id).await?,
        draft,
    })
}

/// GET /hr/skills/{id}
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Html<String>> {
    show_edit(&state, &user, id, None, LinkDraft::default()).await
}

/// POST /hr/skills/{id}
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    Form(form): Form<SkillEdit>,
) -> Result<Response> {
    match taxonomy::save_edit(&state, &user, id, &form).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/hr/skills?{}", query_q(form.name.trim()))).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let error = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            let draft = LinkDraft::default();
            Ok(show_edit(&state, &user, id, Some((form, error)), draft)
                .await?
                .into_response())
        }
        Err(e) => Err(e),
    }
}

/// `q=<s>`, encoded.
fn query_q(s: &str) -> String {
    serde_urlencoded::to_string([("q", s)]).unwrap_or_default()
}
