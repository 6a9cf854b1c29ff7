//! What a query asks for, whether it came as URL parameters (`GET /Users?filter=...`) or as a
//! SearchRequest body (`POST /Users/.search`, RFC 7644 §3.4.3): filter, sort, page and the
//! attributes to return.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::filter::{self, get_ci, Filter};
use super::projection::{names_of, Projection};
use super::MAX_RESULTS;
use crate::http::scim_error::ScimError;

/// The SearchRequest message schema.
pub const SEARCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// `Query<T>` whose rejection is a SCIM error (400 invalidValue), not axum's plain text.
#[derive(Debug)]
pub struct ScimQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ScimQuery<T> {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ScimError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ScimQuery(q))
            .map_err(|e| {
                ScimError::invalid_value(format!(
                    "The query string is not valid: {}.",
                    e.body_text().trim_end_matches('.')
                ))
            })
    }
}

/// A parsed query.
#[derive(Debug, Clone)]
pub struct Search {
    pub filter: Option<Filter>,
    pub sort_by: Option<String>,
    pub descending: bool,
    /// 0-based.
    pub offset: i64,
    pub limit: i64,
    pub projection: Projection,
}

/// `attributes` / `excludedAttributes` on requests that return one resource.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AttrQuery {
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

impl AttrQuery {
    /// The projection; `extensions` are the resource's schema extension URNs.
    pub fn projection(&self, extensions: &[&str]) -> Result<Projection, ScimError> {
        let list =
            |s: &Option<String>, field| names_of(s.clone().map(Value::String).as_ref(), field);
        Projection::new(
            &list(&self.attributes, "attributes")?,
            &list(&self.excluded_attributes, "excludedAttributes")?,
            extensions,
        )
    }
}

/// List parameters: filter, `startIndex` (1-based), `count`, sort, attributes.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub filter: Option<String>,
    #[serde(rename = "startIndex")]
    pub start_index: Option<String>,
    pub count: Option<String>,
    #[serde(rename = "sortBy")]
    pub sort_by: Option<String>,
    #[serde(rename = "sortOrder")]
    pub sort_order: Option<String>,
    pub attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    pub excluded_attributes: Option<String>,
}

fn whole(s: &Option<String>, name: &str) -> Result<Option<i64>, ScimError> {
    s.as_deref()
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ScimError::invalid_value(format!("{name} is a whole number.")))
        })
        .transpose()
}

impl ListQuery {
    /// The query; `extensions` are the schema extension URNs of the resources listed.
    pub fn search(&self, extensions: &[&str]) -> Result<Search, ScimError> {
        let projection = AttrQuery {
            attributes: self.attributes.clone(),
            excluded_attributes: self.excluded_attributes.clone(),
        }
        .projection(extensions)?;
        Search::new(
            self.filter.as_deref(),
            whole(&self.start_index, "startIndex")?,
            whole(&self.count, "count")?,
            self.sort_by.clone(),
            self.sort_order.as_deref(),
            projection,
        )
    }
}

impl Search {
    fn new(
        filter: Option<&str>,
        start: Option<i64>,
        count: Option<i64>,
        sort_by: Option<String>,
        sort_order: Option<&str>,
        projection: Projection,
    ) -> Result<Search, ScimError> {
        let filter = match filter.map(str::trim) {
            None | Some("") => None,
            Some(f) => Some(filter::parse(f).map_err(ScimError::invalid_filter)?),
        };
        let descending = match sort_order.map(str::trim) {
            None | Some("") => false,
            Some(o) if o.eq_ignore_ascii_case("ascending") => false,
            Some(o) if o.eq_ignore_ascii_case("descending") => true,
            Some(_) => {
                return Err(ScimError::invalid_value(
                    "sortOrder is ascending or descending.",
                ))
            }
        };
        Ok(Search {
            filter,
            sort_by: sort_by.filter(|s| !s.trim().is_empty()),
            descending,
            offset: start.unwrap_or(1).max(1) - 1,
            limit: count.unwrap_or(100).clamp(0, MAX_RESULTS),
            projection,
        })
    }

    /// Read a SearchRequest body (RFC 7644 §3.4.3). Its `schemas` must name
    /// [`SEARCH_SCHEMA`] (else invalidSyntax); a field of the wrong type is invalidValue.
    pub fn from_request(body: &Value, extensions: &[&str]) -> Result<Search, ScimError> {
        let schemas_ok = get_ci(body, "schemas")
            .and_then(Value::as_array)
            .is_some_and(|s| {
                s.iter().any(|v| {
                    v.as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case(SEARCH_SCHEMA))
                })
            });
        if !schemas_ok {
            return Err(ScimError::invalid_syntax(format!(
                "A search body lists the schema {SEARCH_SCHEMA}."
            )));
        }
        let text = |field: &str| match get_ci(body, field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ScimError::invalid_value(format!("{field} is a string."))),
        };
        let int = |field: &str| match get_ci(body, field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| ScimError::invalid_value(format!("{field} is a whole number."))),
        };
        let projection = Projection::new(
            &names_of(get_ci(body, "attributes"), "attributes")?,
            &names_of(get_ci(body, "excludedAttributes"), "excludedAttributes")?,
            extensions,
        )?;
        Search::new(
            text("filter")?.as_deref(),
            int("startIndex")?,
            int("count")?,
            text("sortBy")?,
            text("sortOrder")?.as_deref(),
            projection,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_search_request_reads_like_the_equivalent_query_string() {
        let s = Search::from_request(
            &json!({"schemas": [SEARCH_SCHEMA], "filter": "userName sw \"a\"", "sortBy": "userName",
                    "sortOrder": "Descending", "startIndex": 11, "count": 5000,
                    "attributes": ["userName", "name.givenName"]}),
            &[],
        )
        .unwrap();
        assert!(s.filter.is_some() && s.descending);
        assert_eq!((s.offset, s.limit), (10, MAX_RESULTS));
        assert!(matches!(s.projection, Projection::Only(ref n) if n.len() == 2));
    }

    #[test]
    fn a_search_request_without_its_schema_or_with_wrong_types_is_refused() {
        let err = |b: Value| Search::from_request(&b, &[]).unwrap_err();
        let e = err(json!({"filter": "userName pr"}));
        assert_eq!(e.scim_type, Some("invalidSyntax"));
        assert!(e.detail.contains(SEARCH_SCHEMA));
        let e = err(json!({"schemas": [SEARCH_SCHEMA], "count": "ten"}));
        assert_eq!(
            (e.scim_type, e.detail.as_str()),
            (Some("invalidValue"), "count is a whole number.")
        );
        let e = err(json!({"schemas": [SEARCH_SCHEMA], "filter": 3}));
        assert_eq!(e.detail, "filter is a string.");
        let e = err(json!({"schemas": [SEARCH_SCHEMA], "filter": "userName eq"}));
        assert_eq!(e.scim_type, Some("invalidFilter"));
    }
}
