//! `/hr/import`: upload a CSV from the HR system. The import runs in the background; its page
//! shows the progress, then every problem by line and column, or what was imported (and, in
//! keep-clean mode, the rejected rows as a CSV).

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName};
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use crate::app::state::AppState;
use crate::error::{AppError, Result};
use crate::http::extract::Path;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::import::{self, Kind, Options, Report};

#[derive(Template)]
#[template(path = "hr_admin/import.html")]
struct ImportPage {
    page: Page,
    kind: String,
    keep_clean: bool,
    error: Option<String>,
    report: Option<Report>,
    rejects_href: Option<String>,
    /// The background import this page follows, if any.
    job: Option<import::jobs::Job>,
}

/// GET /hr/import
pub async fn form(user: CurrentUser) -> Result<Html<String>> {
    render(&ImportPage {
        page: Page::new("Import from the HR system", &user, Section::Hr),
        kind: "people".into(),
        keep_clean: false,
        error: None,
        report: None,
        rejects_href: None,
        job: None,
    })
}

/// POST /hr/import (multipart: csrf_token first, checked by `http::session`, then kind,
/// keep_clean, file)
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = super::multipart::parse(content_type, &body)
        .ok_or_else(|| AppError::BadRequest("the upload is not a multipart form".into()))?;
    let text = |name: &str| {
        parts
            .get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default()
    };
    let kind_name = text("kind");
    let keep_clean = !text("keep_clean").is_empty();
    let mut page = ImportPage {
        page: Page::new("Import from the HR system", &user, Section::Hr),
        kind: kind_name.clone(),
        keep_clean,
        error: None,
        report: None,
        rejects_href: None,
        job: None,
    };
    let file = parts.get("file").filter(|f| !f.is_empty());
    match (Kind::parse(&kind_name), file) {
        (None, _) => page.error = Some("Choose what the file holds.".into()),
        (_, None) => page.error = Some("Choose a CSV file to upload.".into()),
        (Some(kind), Some(file)) => {
            let options = Options { keep_clean };
            let id = import::jobs::start(&state, kind, file.to_vec(), user.id, options).await?;
            return Ok(Redirect::to(&format!("/hr/import/jobs/{id}")).into_response());
        }
    }
    Ok(render(&page)?.into_response())
}

/// GET /hr/import/jobs/{id}: the import's phase and rows read while it runs (the page reloads
/// itself every two seconds, no JavaScript needed), then its report.
pub async fn job(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Response> {
    let job = import::jobs::load(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let running = job.status == "running";
    let page = ImportPage {
        page: Page::new("Import from the HR system", &user, Section::Hr),
        kind: job.kind.clone(),
        keep_clean: job.keep_clean,
        error: job.error.clone(),
        rejects_href: job
            .report
            .as_ref()
            .and_then(|r| r.rejects_csv.as_deref())
            .map(data_uri),
        report: job.report.clone(),
        job: Some(job),
    };
    let html = render(&page)?;
    Ok(if running {
        ([(HeaderName::from_static("refresh"), "2")], html).into_response()
    } else {
        html.into_response()
    })
}

/// A `data:` link that downloads `csv`.
fn data_uri(csv: &str) -> String {
    let mut out = String::from("data:text/csv;charset=utf-8,");
    for b in csv.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~ ".contains(&b) {
            out.push(if b == b' ' { ' ' } else { b as char });
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.replace(' ', "%20")
}
