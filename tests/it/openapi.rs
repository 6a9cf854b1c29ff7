//! The OpenAPI document: valid (checked by openapi-spec-validator from PyPI), complete, and
//! readable as a page.

use serde_json::Value;

use crate::support::client::text_of;
use crate::support::TestApp;

fn python_has(module: &str) -> bool {
    std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[tokio::test]
async fn the_openapi_document_validates() {
    let app = TestApp::empty().await;
    let doc = app
        .client()
        .get_json("/api/openapi.json")
        .await
        .text()
        .await
        .unwrap();
    let path = std::env::temp_dir().join(format!("trellis-openapi-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, &doc).unwrap();
    if !python_has("openapi_spec_validator") {
        let ok = std::process::Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "openapi-spec-validator"])
            .status()
            .unwrap();
        assert!(ok.success(), "pip install openapi-spec-validator failed");
    }

    let out = std::process::Command::new("python3")
        .args(["-c", "import json, sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(open(sys.argv[1])))",
            path.to_str().unwrap()])
        .output().unwrap();

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_no_api_route_bypasses_the_document() {
    let app = TestApp::empty().await;
    let doc: Value = app
        .client()
        .get_json("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{skill_id}", &uuid::Uuid::new_v4().to_string())
            .replace("{id}", &uuid::Uuid::new_v4().to_string())
            .replace("{file}", "people.csv");
        let concrete = regex_free_params(&concrete);
        for method in item.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let safe = m == reqwest::Method::GET;
            let r = client
                .request(m, app.url(&concrete))
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            // 401 (sign in first), or 403 for an unsafe method without a CSRF token: never 404/405
            let expected = if safe { vec![401] } else { vec![401, 403] };
            assert!(
                expected.contains(&r.status().as_u16()),
                "{method} {path} answered {}",
                r.status()
            );
            operations += 1;
        }
    }
    assert!(operations > 5);
    // routes under /api/v1 are only ever added through utoipa-axum's `routes!`
    for file in ["src/web/mod.rs", "src/api/mod.rs"] {
        let source = std::fs::read_to_string(file).unwrap();
        assert!(
            !source.contains(".route(\"/api/v1"),
            "{file} adds an undocumented API route"
        );
    }
}

/// Fill any remaining `{param}` with a placeholder.
fn regex_free_params(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => in_param = true,
            '}' => {
                in_param = false;
                out.push('x');
            }
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_api_page_lists_every_operation_from_the_document() {
    let app = TestApp::empty().await;
    let doc: Value = app
        .client()
        .get_json("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let count: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|i| i.as_object().unwrap().len())
        .sum();

    let page = app.client().get("/api/docs").await;

    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_eq!(text_of(&html, "h1").as_deref(), Some("Trellis API"));
    assert_eq!(html.matches("data-testid=\"operation\"").count(), count);
    assert!(html.contains("/api/v1/hr/tokens"));
    assert!(!html.contains("<script src=\"http"), "no CDN");
}

#[tokio::test]
async fn every_operation_declares_who_may_call_it_and_answers_errors_as_problem_json() {
    let app = TestApp::empty().await;
    let doc: Value = app
        .client()
        .get_json("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");

    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            let security = op["security"].as_array().expect(&at);
            assert!(!security.is_empty(), "{at} declares no security");
            if method != "get" {
                assert!(
                    security
                        .iter()
                        .all(|s| s.get("session").is_none() || s.get("csrf").is_some()),
                    "{at}: the session needs its CSRF header"
                );
            }
            let responses = op["responses"].as_object().unwrap();
            for status in ["401", "403"] {
                assert!(responses.contains_key(status), "{at} lacks {status}");
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "422"] {
                    assert!(responses.contains_key(status), "{at} lacks {status}");
                }
            }
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{at} lacks 404");
            }
            for (status, response) in responses {
                // The import's 422 is its report (every problem by line and column).
                let report = path == "/api/v1/hr/import/{kind}" && status == "422";
                if (status.starts_with('4') || status.starts_with('5')) && !report {
                    let types: Vec<&String> =
                        response["content"].as_object().unwrap().keys().collect();
                    assert_eq!(types, vec!["application/problem+json"], "{at} {status}");
                }
                if status == "201" {
                    assert_eq!(response["headers"]["Location"]["required"], true, "{at}");
                }
            }
        }
    }
    // Request bodies take no member the server does not know (it refuses them with 422).
    let course = &doc["components"]["schemas"]["CourseInput"];
    assert_eq!(course["additionalProperties"], false, "{course}");
    assert_eq!(course["properties"]["hours"]["maximum"], 2000.0, "{course}");
}

/// `time`'s types serialise as arrays (`[2028,166]`) unless told otherwise: every date or
/// timestamp field of a type the API sends or reads names its ISO 8601 format.
#[test]
fn every_serialised_date_and_timestamp_field_names_its_iso_8601_format() {
    let mut bare = Vec::new();
    let mut files = vec![std::path::PathBuf::from("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        let mut serde_struct = false;
        let mut derive = "";
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if t.starts_with("#[derive(") {
                derive = t;
            } else if t.starts_with("pub struct ") || t.starts_with("struct ") {
                serde_struct = t.ends_with('{')
                    && (derive.contains("Serialize") || derive.contains("Deserialize"));
                derive = "";
            } else if t == "}" {
                serde_struct = false;
            } else if serde_struct && !t.starts_with("//") {
                let ty = t.split_once(':').map(|(_, ty)| ty.trim()).unwrap_or("");
                let timed = ["OffsetDateTime", "Date,", "Date>", "PrimitiveDateTime"]
                    .iter()
                    .any(|k| ty.contains(k));
                let named = lines[i.saturating_sub(3)..i]
                    .iter()
                    .any(|l| l.contains("serde(") && (l.contains("with") || l.contains("skip")));
                if timed && !named {
                    bare.push(format!("{}:{}: {t}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(
        bare.is_empty(),
        "serialised as arrays:\n{}",
        bare.join("\n")
    );
}

/// utoipa names a schema after its type and keeps one per name: two `ToSchema` types of one
/// name make every operation using either show whichever came last (the import's report was
/// documented as a manager's direct report, the import's problems as the API's `Problem`).
#[test]
fn no_two_schemas_share_a_name() {
    let mut seen: std::collections::HashMap<String, String> = Default::default();
    let mut clashes = Vec::new();
    let mut files = vec![std::path::PathBuf::from("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.trim().starts_with("#[derive(") && line.contains("ToSchema")) {
                continue;
            }
            let mut alias = None;
            for next in lines.iter().skip(i + 1).take(8) {
                let t = next.trim();
                if let Some(rest) = t.strip_prefix("#[schema(as = ") {
                    alias = rest.split(')').next().map(str::to_string);
                }
                let item = t
                    .strip_prefix("pub struct ")
                    .or_else(|| t.strip_prefix("pub enum "));
                if let Some(item) = item {
                    let name = alias.clone().unwrap_or_else(|| {
                        item.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap()
                            .to_string()
                    });
                    let here = format!("{}:{}", path.display(), i + 1);
                    if let Some(before) = seen.insert(name.clone(), here.clone()) {
                        clashes.push(format!("{name}: {before} and {here}"));
                    }
                    break;
                }
            }
        }
    }
    assert!(
        clashes.is_empty(),
        "schemas sharing a name:\n{}",
        clashes.join("\n")
    );
}
