//! Reading a User resource (a create, a PUT, or the result of a PATCH) into what Trellis
//! writes. Pure: uniqueness and references are checked by `users` against the database.
//!
//! userName is any unique text; the work email is the primary element of `emails` (else the
//! one typed `work`, else the first), or the userName when `emails` is empty and the userName
//! is an email. `emails`, `phoneNumbers` and `addresses` are kept as sent, cut down to the
//! sub-attributes the schema lists (`/Schemas` says which).

use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::filter::get_ci;
use super::ENTERPRISE_USER;
use crate::http::scim_error::ScimError;

/// Most elements of a multi-valued attribute.
pub const MAX_VALUES: usize = 10;
/// Most characters of a stored sub-attribute (emails' values: 320).
pub const MAX_SUB_CHARS: usize = 200;
/// Most characters of a userName or an email.
pub const MAX_USER_NAME: usize = 320;

/// The sub-attributes kept for `emails` and `phoneNumbers`.
pub const VALUE_SUBS: [&str; 4] = ["value", "type", "primary", "display"];
/// The sub-attributes kept for `addresses`.
pub const ADDRESS_SUBS: [&str; 8] = [
    "formatted",
    "streetAddress",
    "locality",
    "region",
    "postalCode",
    "country",
    "type",
    "primary",
];

/// What a create or replace writes.
#[derive(Debug, Clone)]
pub struct UserInput {
    /// The userName as sent.
    pub user_name: String,
    /// The work email.
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    /// `None`: not said (a create makes the person active, a replace leaves them as they are).
    pub active: Option<bool>,
    pub external_id: Option<String>,
    pub employee_number: Option<String>,
    pub department: Option<String>,
    pub manager_id: Option<Uuid>,
    pub title: Option<String>,
    /// `emails` as kept; `None` when none were sent (the work email alone is shown).
    pub emails: Option<Value>,
    pub phone_numbers: Option<Value>,
    pub addresses: Option<Value>,
}

/// The person before a replace or PATCH: their userName and work email.
pub struct Previous<'a> {
    pub user_name: &'a str,
    pub email: &'a str,
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Whether `s` is an email address as `people.email` accepts it.
pub fn is_email(s: &str) -> bool {
    let at = s.find('@');
    s.chars().count() <= MAX_USER_NAME
        && !s.contains(char::is_whitespace)
        && s.matches('@').count() == 1
        && at.is_some_and(|i| i > 0 && i < s.len() - 1)
}

fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        // some clients send "True"/"False" as strings
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A multi-valued complex attribute as kept: objects with only `subs`, strings trimmed,
/// `primary` a boolean (at most one true), elements without a value dropped.
fn values(body: &Value, attr: &str, subs: &[&str]) -> Result<Option<Value>, ScimError> {
    let bad = |m: String| ScimError::invalid_value(m);
    let items = match get_ci(body, attr) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad(format!("{attr} is an array of objects."))),
    };
    let mut kept = vec![];
    for (i, item) in items.iter().enumerate() {
        let Value::Object(_) = item else {
            return Err(bad(format!("{attr}[{i}] is an object.")));
        };
        let mut out = Map::new();
        for sub in subs {
            match get_ci(item, sub) {
                None | Some(Value::Null) => {}
                Some(v) if *sub == "primary" => {
                    let b = boolean(v)
                        .ok_or_else(|| bad(format!("{attr}[{i}].primary is true or false.")))?;
                    out.insert(sub.to_string(), json!(b));
                }
                Some(Value::String(s)) => {
                    let s = s.trim();
                    let max = if attr == "emails" && *sub == "value" {
                        MAX_USER_NAME
                    } else {
                        MAX_SUB_CHARS
                    };
                    if s.chars().count() > max {
                        return Err(bad(format!(
                            "{attr}[{i}].{sub} has more than {max} characters."
                        )));
                    }
                    if !s.is_empty() {
                        out.insert(sub.to_string(), json!(s));
                    }
                }
                Some(_) => return Err(bad(format!("{attr}[{i}].{sub} is a string."))),
            }
        }
        let has_value = out.keys().any(|k| k != "type" && k != "primary");
        if has_value {
            kept.push(Value::Object(out));
        }
    }
    if kept.len() > MAX_VALUES {
        return Err(bad(format!("{attr} has at most {MAX_VALUES} values.")));
    }
    if kept.iter().filter(|v| v["primary"] == json!(true)).count() > 1 {
        return Err(bad(format!("At most one of {attr} is primary.")));
    }
    Ok((!kept.is_empty()).then_some(Value::Array(kept)))
}

/// The index of the work email among kept `emails`: the primary one, else the one typed
/// `work`, else the first.
pub fn work_index(emails: &[Value]) -> usize {
    emails
        .iter()
        .position(|e| e["primary"] == json!(true))
        .or_else(|| {
            emails.iter().position(|e| {
                e["type"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("work"))
            })
        })
        .unwrap_or(0)
}

fn manager(ext: Option<&Value>) -> Result<Option<Uuid>, ScimError> {
    let bad = || ScimError::invalid_value("manager.value is the id of a User.");
    let manager = ext.and_then(|e| get_ci(e, "manager"));
    let value = manager.and_then(|m| {
        if m.is_string() {
            Some(m)
        } else {
            get_ci(m, "value")
        }
    });
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_str().map(str::trim) {
            Some("") => Ok(None),
            Some(s) => Uuid::parse_str(s).map(Some).map_err(|_| bad()),
            None => Err(bad()),
        },
    }
}

/// Read a User resource. `previous` (on a replace or PATCH) lets a change of the work email
/// carry a userName that was that email along with it.
pub fn input(body: &Value, previous: Option<Previous>) -> Result<UserInput, ScimError> {
    let required = |what: &str| ScimError::invalid_value(format!("{what} is required."));
    let mut user_name = text(get_ci(body, "userName")).ok_or_else(|| required("userName"))?;
    if user_name.chars().count() > MAX_USER_NAME || user_name.chars().any(char::is_control) {
        return Err(ScimError::invalid_value(format!(
            "userName is at most {MAX_USER_NAME} characters, without control characters."
        )));
    }
    let emails = values(body, "emails", &VALUE_SUBS)?;
    let email = match emails.as_ref().and_then(Value::as_array) {
        Some(list) => list[work_index(list)]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        None if is_email(&user_name) => user_name.clone(),
        None => {
            return Err(ScimError::invalid_value(format!(
                "emails: a work email is needed, as userName '{user_name}' is not an email address."
            )))
        }
    };
    if !is_email(&email) {
        return Err(ScimError::invalid_value(format!(
            "emails: '{email}' is not an email address."
        )));
    }
    if let Some(prev) = previous {
        let followed = prev.user_name.eq_ignore_ascii_case(prev.email);
        if followed && user_name.eq_ignore_ascii_case(prev.email) {
            user_name = email.clone();
        }
    }
    let name = get_ci(body, "name");
    let given_name = text(name.and_then(|n| get_ci(n, "givenName")))
        .ok_or_else(|| required("name.givenName"))?;
    let family_name = text(name.and_then(|n| get_ci(n, "familyName")))
        .ok_or_else(|| required("name.familyName"))?;
    let display_name =
        text(get_ci(body, "displayName")).unwrap_or_else(|| format!("{given_name} {family_name}"));
    let active = match get_ci(body, "active") {
        None | Some(Value::Null) => None,
        Some(v) => {
            Some(boolean(v).ok_or_else(|| ScimError::invalid_value("active is true or false."))?)
        }
    };
    let title = text(get_ci(body, "title"));
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_SUB_CHARS)
    {
        return Err(ScimError::invalid_value(format!(
            "title has more than {MAX_SUB_CHARS} characters."
        )));
    }
    let ext = get_ci(body, ENTERPRISE_USER);
    Ok(UserInput {
        user_name,
        email,
        given_name,
        family_name,
        display_name,
        active,
        external_id: text(get_ci(body, "externalId")),
        employee_number: text(ext.and_then(|e| get_ci(e, "employeeNumber"))),
        department: text(ext.and_then(|e| get_ci(e, "department"))),
        manager_id: manager(ext)?,
        title,
        emails,
        phone_numbers: values(body, "phoneNumbers", &VALUE_SUBS)?,
        addresses: values(body, "addresses", &ADDRESS_SUBS)?,
    })
}

/// Whether a (patched) resource still has an employeeNumber.
pub fn has_employee_number(body: &Value) -> bool {
    text(get_ci(body, ENTERPRISE_USER).and_then(|e| get_ci(e, "employeeNumber"))).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(extra: Value) -> Value {
        let mut b = json!({"userName": "ann", "name": {"givenName": "Ann", "familyName": "Lee"}});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    }

    #[test]
    fn the_work_email_is_the_primary_else_the_work_typed_else_the_first() {
        let cases = [
            (
                json!([{"value": "a@x.io"}, {"value": "b@x.io", "primary": "True"}]),
                "b@x.io",
            ),
            (
                json!([{"value": "a@x.io", "type": "home"}, {"value": "c@x.io", "type": "Work"}]),
                "c@x.io",
            ),
            (
                json!([{"value": "d@x.io", "type": "home"}, {"value": "e@x.io"}]),
                "d@x.io",
            ),
        ];
        for (emails, work) in cases {
            let input = input(&body(json!({"emails": emails})), None).unwrap();
            assert_eq!(input.email, work, "{emails}");
        }
    }

    #[test]
    fn bad_emails_are_refused_with_where() {
        let cases = [
            (json!({}), "emails: a work email is needed"),
            (
                json!({"emails": [{"value": "x@y.io", "primary": true}, {"value": "z@y.io", "primary": true}]}),
                "At most one of emails is primary",
            ),
            (
                json!({"emails": [{"value": "not mail", "primary": true}]}),
                "'not mail' is not an email",
            ),
            (json!({"emails": ["a@b.io"]}), "emails[0] is an object"),
            (
                json!({"phoneNumbers": [{"value": 5}], "emails": [{"value": "a@b.io"}]}),
                "phoneNumbers[0].value is a string",
            ),
        ];
        for (extra, detail) in cases {
            let e = input(&body(extra.clone()), None).unwrap_err();
            assert!(e.detail.contains(detail), "{extra}: {}", e.detail);
        }
    }

    #[test]
    fn unknown_sub_attributes_and_empty_elements_are_not_kept() {
        let extra = json!({"emails": [{"value": "a@b.io", "extra": 1}],
            "phoneNumbers": [{"type": "mobile"}, {"value": " 1 ", "display": ""}]});
        let input = input(&body(extra), None).unwrap();
        assert_eq!(input.emails, Some(json!([{"value": "a@b.io"}])));
        assert_eq!(input.phone_numbers, Some(json!([{"value": "1"}])));
        assert_eq!(input.active, None);
    }

    #[test]
    fn a_user_name_that_was_the_work_email_follows_it() {
        let b = json!({"userName": "old@x.io", "name": {"givenName": "A", "familyName": "B"},
            "emails": [{"value": "new@x.io", "primary": true}]});
        let prev = Previous {
            user_name: "old@x.io",
            email: "old@x.io",
        };
        assert_eq!(input(&b, Some(prev)).unwrap().user_name, "new@x.io");
        let prev = Previous {
            user_name: "old@x.io",
            email: "other@x.io",
        };
        assert_eq!(input(&b, Some(prev)).unwrap().user_name, "old@x.io");
    }
}
