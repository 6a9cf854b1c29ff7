//! The audit trail: `GET /hr/audit`, filtered, newest first, paginated by id (keyset).

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::app::state::AppState;
use crate::error::Result;
use crate::http::extract::Query;
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::service::hr::audit::{self, given, AuditEntry, AuditPage, AuditQuery};

#[derive(Template)]
#[template(path = "hr/audit.html")]
struct AuditView {
    page: Page,
    q: AuditQuery,
    result: AuditPage,
    next_link: Option<String>,
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// GET /hr/audit
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>> {
    let result = audit::load(&state, &q).await?;
    let next_link = result.next_before.map(|b| {
        let mut s = url_pairs(&q);
        s.push(("before".into(), b.to_string()));
        serde_urlencoded::to_string(&s).unwrap_or_default()
    });
    render(&AuditView {
        page: Page::new("Audit trail", &user, Section::Hr),
        q,
        result,
        next_link,
    })
}

fn url_pairs(q: &AuditQuery) -> Vec<(String, String)> {
    [
        ("actor", &q.actor),
        ("action", &q.action),
        ("entity_type", &q.entity_type),
        ("entity_id", &q.entity_id),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .into_iter()
    .filter_map(|(k, v)| given(v).map(|v| (k.to_string(), v)))
    .collect()
}

impl AuditView {
    fn details(&self, e: &AuditEntry) -> String {
        pretty(&e.details)
    }
}
