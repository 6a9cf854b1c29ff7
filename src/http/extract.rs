//! Extractors whose rejections are `AppError`s, so bad input never reaches axum's plain text,
//! and every refusal says where the problem is.
//!
//! JSON bodies, forms and query strings go through the same two checks before they become a
//! Rust value:
//! - no text may hold a NUL character (PostgreSQL cannot store one, and no person types it):
//!   refused with the field that holds it;
//! - a value that does not fit its field is reported with the field's JSON pointer or form
//!   name (`/skills/2/level`), read with `serde_path_to_error`;
//! - a JSON body has the documented shape ([`strict`](crate::http::strict)): a member no
//!   field knows, or an array where an object belongs, is refused at its pointer.
//!
//! A JSON body nested deeper than serde_json's recursion limit (128) is refused as malformed;
//! a body over the router's size limit is `413 Payload Too Large`.

use axum::extract::rejection::{JsonRejection, RawFormRejection};
use axum::extract::{FromRequest, FromRequestParts, RawForm, RawQuery, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{AppError, FieldError};
use crate::http::strict::Strict;

/// What a refused NUL says.
const NUL: &str = "contains a NUL character (\\u0000), which cannot be stored; remove it";

/// A JSON request body, deserialised with Trellis errors.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<Value>::from_request(req, state)
            .await
            .map_err(json_rejection)?;
        let mut nul = Vec::new();
        find_nul(&value, &mut String::new(), &mut nul);
        if !nul.is_empty() {
            return Err(AppError::Validation(nul));
        }
        serde_path_to_error::deserialize(Strict(value))
            .map(Json)
            .map_err(|err| AppError::Validation(vec![json_field_error(&err)]))
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::from(rejection)
    }
}

/// Every string (and object key) of `value` holding a NUL, by JSON pointer: for the doors
/// that parse JSON themselves (SCIM).
pub fn nul_fields(value: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    find_nul(value, &mut String::new(), &mut out);
    out
}

/// Every string (and object key) holding a NUL, by JSON pointer.
fn find_nul(value: &Value, at: &mut String, out: &mut Vec<FieldError>) {
    match value {
        Value::String(s) if s.contains('\0') => out.push(FieldError::new(pointer(at), NUL)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                find_nul(item, at, out);
                at.truncate(len);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                if key.contains('\0') {
                    out.push(FieldError::new(pointer(at), NUL));
                } else {
                    find_nul(item, at, out);
                }
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// The root is the empty pointer, shown as `/`.
fn pointer(at: &str) -> String {
    if at.is_empty() {
        "/".to_string()
    } else {
        at.to_string()
    }
}

/// The pointer and message of a value that does not fit its field. A missing field is
/// reported at the field itself, not at the object that lacks it.
fn json_field_error(err: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    use serde_path_to_error::Segment;
    let mut at = String::new();
    for segment in err.path().iter() {
        at.push('/');
        match segment {
            Segment::Seq { index } => at.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => at.push('-'),
        }
    }
    let message = err.inner().to_string();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        at.push('/');
        at.push_str(field);
        return FieldError::new(at, "is required");
    }
    FieldError::new(pointer(&at), message)
}

/// A submitted form (`application/x-www-form-urlencoded`), deserialised with Trellis errors.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let RawForm(bytes) = RawForm::from_request(req, state)
            .await
            .map_err(form_rejection)?;
        pairs(&bytes, "The form could not be read").map(Form)
    }
}

fn form_rejection(rejection: RawFormRejection) -> AppError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(format!(
            "The form could not be read: {}",
            rejection.body_text()
        ))
    }
}

/// `axum::extract::Query` with Trellis errors.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let RawQuery(query) = RawQuery::from_request_parts(parts, state)
            .await
            .unwrap_or(RawQuery(None));
        let query = query.unwrap_or_default();
        pairs(query.as_bytes(), "The query string is not valid").map(Query)
    }
}

/// Name=value pairs as `T`: a NUL in a name or value is refused with the field's name, and a
/// value that does not fit names its field.
fn pairs<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, AppError> {
    let nul: Vec<FieldError> = form_urlencoded::parse(bytes)
        .filter(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| FieldError::new(name.replace('\0', ""), NUL))
        .collect();
    if !nul.is_empty() {
        return Err(AppError::Validation(nul));
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let field = err.path().to_string();
        AppError::BadRequest(if field == "." {
            format!("{what}: {}", err.inner())
        } else {
            format!("{what}: {field}: {}", err.inner())
        })
    })
}

/// `axum::extract::Path` with Trellis errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Skill {
        level: i16,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Profile {
        name: String,
        skills: Vec<Skill>,
    }

    fn error_of(value: Value) -> FieldError {
        let err = serde_path_to_error::deserialize::<_, Profile>(value).unwrap_err();
        json_field_error(&err)
    }

    #[test]
    fn a_value_that_does_not_fit_is_reported_at_its_pointer() {
        let e = error_of(json!({"name": "Ada", "skills": [{"level": 3}, {"level": "high"}]}));
        assert_eq!(e.field, "/skills/1/level");
        assert!(e.message.contains("invalid type"), "{}", e.message);
    }

    #[test]
    fn a_missing_field_is_reported_at_the_field() {
        let e = error_of(json!({"skills": []}));
        assert_eq!(e.field, "/name");
        assert_eq!(e.message, "is required");
    }

    #[test]
    fn nul_characters_are_found_wherever_they_are() {
        let mut out = Vec::new();
        find_nul(
            &json!({"name": "A\u{0}da", "skills": [{"note": "ok"}, {"note": "x\u{0}"}], "a/b": "\u{0}"}),
            &mut String::new(),
            &mut out,
        );
        let fields: Vec<&str> = out.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["/a~1b", "/name", "/skills/1/note"]);
    }

    #[test]
    fn a_nul_in_a_form_names_its_field() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct F {
            given_name: String,
        }
        let err = pairs::<F>(b"given_name=A%00da", "The form").unwrap_err();
        match err {
            AppError::Validation(errors) => assert_eq!(errors[0].field, "given_name"),
            other => panic!("{other:?}"),
        }
        let ok: F = pairs(b"given_name=Ada", "The form").unwrap();
        assert_eq!(ok.given_name, "Ada");
    }
}
