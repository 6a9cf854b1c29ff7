//! `/hr/import`: upload a CSV from the HR system; the page shows every problem by line and
//! column, or what was imported (and, in keep-clean mode, the rejected rows as a CSV).

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Html;

use crate::db::audit::Actor;
use crate::error::{AppError, Result};
use crate::import::{self, Kind, Options, Report};
use crate::state::AppState;
use crate::web::page::{render, Page, Section};
use crate::web::session::CurrentUser;

#[derive(Template)]
#[template(path = "hr_admin/import.html")]
struct ImportPage {
    page: Page,
    kind: String,
    keep_clean: bool,
    error: Option<String>,
    report: Option<Report>,
    rejects_href: Option<String>,
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
    })
}

/// POST /hr/import (multipart: kind, keep_clean, file; the CSRF token in the query string)
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Html<String>> {
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
    };
    let file = parts.get("file").filter(|f| !f.is_empty());
    match (Kind::parse(&kind_name), file) {
        (None, _) => page.error = Some("Choose what the file holds.".into()),
        (_, None) => page.error = Some("Choose a CSV file to upload.".into()),
        (Some(kind), Some(file)) => {
            let options = Options { keep_clean };
            let report = import::run(
                &state.db,
                kind,
                file,
                Actor::Person(user.id),
                options,
                &import::quiet,
            )
            .await?;
            if report.applied {
                state.engine.reload(&state.db).await?;
            }
            page.rejects_href = report.rejects_csv.as_deref().map(data_uri);
            page.report = Some(report);
        }
    }
    render(&page)
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
