//! The human-readable API page at `/api/docs`: every operation of the OpenAPI document,
//! grouped by tag, rendered on the server (no JavaScript, no CDN).

use askama::Template;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;

/// One operation in the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub statuses: Vec<String>,
}

/// Operations under one tag.
#[derive(Debug, Clone)]
pub struct TagGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<Operation>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    page: Page,
    description: String,
    groups: Vec<TagGroup>,
}

/// Operations of an OpenAPI document, grouped by their first tag in the document's tag order.
pub fn groups(doc: &Value) -> Vec<TagGroup> {
    let mut groups: Vec<TagGroup> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| TagGroup {
            name: t["name"].as_str().unwrap_or("").to_string(),
            description: t["description"].as_str().unwrap_or("").to_string(),
            operations: vec![],
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let tag = op["tags"][0].as_str().unwrap_or("other").to_string();
            let summary = op["summary"]
                .as_str()
                .or(op["description"].as_str())
                .unwrap_or("")
                .to_string();
            let statuses = op["responses"]
                .as_object()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary,
                statuses,
            };
            match groups.iter_mut().find(|g| g.name == tag) {
                Some(g) => g.operations.push(operation),
                None => groups.push(TagGroup {
                    name: tag,
                    description: String::new(),
                    operations: vec![operation],
                }),
            }
        }
    }
    groups.retain(|g| !g.operations.is_empty());
    groups
}

/// Render the page from the serialised document.
pub fn page(doc: &str, user: Option<CurrentUser>) -> Response {
    let value: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
    let page = match &user {
        Some(u) => Page::new("API", u, Section::None),
        None => Page::anonymous("API"),
    };
    let description = value["info"]["description"]
        .as_str()
        .unwrap_or("")
        .to_string();
    render(&DocsPage {
        page,
        description,
        groups: groups(&value),
    })
    .into_response()
}
