//! The stylesheet and other static files, embedded in the binary so it runs from any folder.
//! URLs carry a content hash, so browsers may cache them for a year.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "trellis.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../static/trellis.css"),
    },
    Asset {
        name: "trellis.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../static/trellis.js"),
    },
];

/// `?v=<hash>` to append to asset URLs; changes whenever an asset changes.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for a in ASSETS {
        hasher.update(a.body.as_bytes());
    }
    hasher.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
});

/// GET /static/{name}
pub async fn serve(Path(name): Path<String>) -> Result<Response, AppError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, asset.content_type),
            (CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
    )
        .into_response())
}
