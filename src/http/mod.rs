//! The web plumbing the pages, the JSON API and SCIM share: extractors whose rejections are
//! [`AppError`](crate::error::AppError)s, session and bearer authentication with CSRF, the
//! rendering of errors as pages or problem+json, and the page shell.
//! Nothing here knows a business rule; handlers in `web/`, `api/` and `scim/` build on it.

pub mod address;
pub mod bearer;
pub mod errors;
pub mod extract;
pub mod multipart_csrf;
pub mod page;
pub mod problem;
pub mod scim_error;
pub mod session;
pub mod strict;
pub mod user;
