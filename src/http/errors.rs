//! Turns an [`ErrorReport`] left in a response by `AppError` into the body the client wants:
//! RFC 9457 problem+json for the API and JSON clients, an HTML page for browsers, and a
//! redirect to the sign-in page for a browser that is not signed in.

use askama::Template;
use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::error::AppError;
use crate::http::page::{Page, Section};
use crate::http::problem::ErrorReport;
use crate::http::session::CurrentUser;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    status: u16,
    report: &'a ErrorReport,
}

/// Middleware: a body over the size limit refused by axum's own extractors (`Bytes`,
/// `String`: the SCIM bodies and import files) comes back as axum's plain-text 413. Give it
/// the door's shape instead: a SCIM error under `/scim/`, else [`AppError::PayloadTooLarge`]
/// (problem+json or a page, rendered by [`render_errors`] outside this layer).
pub async fn oversized_bodies(req: Request, next: Next) -> Response {
    let scim = req.uri().path().starts_with("/scim/");
    let response = next.run(req).await;
    let plain_text = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || !plain_text {
        return response;
    }
    if scim {
        crate::http::scim_error::ScimError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
            "The request body is larger than Trellis accepts (8 MB); send fewer changes at once.",
        )
        .into_response()
    } else {
        AppError::PayloadTooLarge.into_response()
    }
}

/// Middleware: render error reports.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let wants_json = wants_json(&req);
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let response = next.run(req).await;
    let Some(report) = response.extensions().get::<ErrorReport>().cloned() else {
        return response;
    };
    let user = response.extensions().get::<CurrentUser>().cloned();
    let request_id = response.headers().get("x-request-id").cloned();
    let retry_after = response
        .headers()
        .get(axum::http::header::RETRY_AFTER)
        .cloned();

    let mut rendered = if wants_json {
        problem_json(&report)
    } else if report.status == StatusCode::UNAUTHORIZED {
        let next =
            serde_urlencoded::to_string([("next", path_and_query.as_str())]).unwrap_or_default();
        let mut r = StatusCode::SEE_OTHER.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("/login?{next}")) {
            r.headers_mut().insert(LOCATION, v);
        }
        r
    } else {
        html_page(&report, user)
    };
    if let Some(id) = request_id {
        rendered.headers_mut().insert("x-request-id", id);
    }
    if let Some(retry) = retry_after {
        rendered
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, retry);
    }
    rendered
}

fn wants_json(req: &Request) -> bool {
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/scim/") {
        return true;
    }
    let accept = req
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    accept.contains("json") && !accept.contains("text/html")
}

fn problem_json(report: &ErrorReport) -> Response {
    let errors: Vec<_> = report
        .errors
        .iter()
        .map(|e| json!({ "pointer": e.pointer(), "detail": e.message }))
        .collect();
    let mut body = json!({
        "type": "about:blank",
        "title": report.title,
        "status": report.status.as_u16(),
        "detail": report.detail,
    });
    if !errors.is_empty() {
        body["errors"] = serde_json::Value::Array(errors);
    }
    let mut response = (report.status, body.to_string()).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

fn html_page(report: &ErrorReport, user: Option<CurrentUser>) -> Response {
    let page = Page {
        title: report.title.to_string(),
        user,
        section: Section::None,
    };
    let template = ErrorPage {
        page,
        status: report.status.as_u16(),
        report,
    };
    match template.render() {
        Ok(html) => (report.status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(%err, "error page rendering failed");
            (report.status, report.detail.clone()).into_response()
        }
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
