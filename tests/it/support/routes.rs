//! Every route of the real router, with its methods, read from the router itself.
//!
//! axum has no public way to list a router's routes, but its `Debug` form names each route's
//! path and, per method, whether a handler is there (`get: Route` or `get: None`). The parse
//! is checked by `the_route_list_is_read_from_the_router` below, so a change of that form in a
//! new axum fails loudly instead of listing nothing.

/// `(method, path)` for every method of every route, sorted, e.g. `("GET", "/postings/{id}")`.
pub fn list(app: &axum::Router) -> Vec<(String, String)> {
    parse(&format!("{app:?}"))
}

const METHODS: [&str; 8] = [
    "get", "delete", "options", "patch", "post", "put", "trace", "connect",
];

fn parse(debug: &str) -> Vec<(String, String)> {
    // Only the main path router: the fallback router after it has the fallback's own routes.
    let main = debug
        .split(", fallback_router:")
        .next()
        .expect("a router's Debug form");
    let (routes, node) = main
        .split_once("node: Node { paths: {")
        .expect("the router's Debug form names its paths");

    let mut paths = std::collections::HashMap::new();
    for entry in node.split("RouteId(").skip(1) {
        let (id, rest) = entry.split_once("): \"").expect("a path entry");
        let path = rest.split('"').next().expect("a quoted path");
        paths.insert(id.to_string(), path.to_string());
    }

    let mut out = Vec::new();
    for entry in routes.split("RouteId(").skip(1) {
        let Some((id, rest)) = entry.split_once("): ") else {
            continue;
        };
        let path = paths
            .get(id)
            .unwrap_or_else(|| panic!("route {id} has no path"));
        if let Some(fields) = rest.strip_prefix("MethodRouter(MethodRouter { ") {
            let fields = fields.split(" })").next().unwrap_or_default();
            let methods: Vec<String> = fields
                .split(", ")
                .filter_map(|field| field.split_once(": "))
                .filter(|(name, value)| METHODS.contains(name) && *value != "None")
                .map(|(name, _)| name.to_uppercase())
                .collect();
            if methods.is_empty() || methods.len() == METHODS.len() {
                // `any(...)` (a fallback for every method): one row for all of them.
                out.push(("ANY".to_string(), path.clone()));
            } else {
                out.extend(methods.into_iter().map(|m| (m, path.clone())));
            }
        } else {
            // A service mounted at a path answers every method.
            out.push(("ANY".to_string(), path.clone()));
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use axum::routing::{get, post};

    #[test]
    fn the_route_list_is_read_from_the_router() {
        async fn ok() -> &'static str {
            "ok"
        }
        let app: axum::Router = axum::Router::new()
            .route("/a", get(ok).post(ok))
            .route("/b/{id}", post(ok))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                std::time::Duration::from_secs(1),
            ))
            .fallback(ok);
        assert_eq!(
            super::list(&app),
            vec![
                ("GET".to_string(), "/a".to_string()),
                ("POST".to_string(), "/a".to_string()),
                ("POST".to_string(), "/b/{id}".to_string()),
            ]
        );
    }
}
