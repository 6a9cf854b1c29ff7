//! PATCH `add` through a value filter that matches no element (RFC 7644 §3.5.2.1): the
//! element the filter describes is created with the value set, as Entra ID expects for
//! `emails[type eq "home"].value` or `phoneNumbers[type eq "mobile"].value`; and the
//! case-insensitive key and merge helpers `patch` shares with it.

use serde_json::{Map, Value};

use super::filter::{Filter, Op};
use crate::http::scim_error::ScimError;

/// The element a filter of equalities (`type eq "home"`, joined by `and`) describes.
fn described(f: &Filter, into: &mut Map<String, Value>) -> bool {
    match f {
        Filter::Compare(p, Op::Eq, v) if p.sub.is_none() && p.urn.is_none() => {
            into.insert(p.attr.clone(), v.clone());
            true
        }
        Filter::And(a, b) => described(a, into) && described(b, into),
        _ => false,
    }
}

/// `add` through a value filter no element matches creates the element the filter describes
/// (RFC 7644 §3.5.2.1), with the value set: Entra's `emails[type eq "home"].value`.
pub fn add_element(
    map: &mut Map<String, Value>,
    key: String,
    attr: &str,
    sub: Option<&str>,
    f: &Filter,
    value: Value,
) -> Result<(), ScimError> {
    let mut element = Map::new();
    if !described(f, &mut element) {
        return Err(ScimError::no_target(format!(
            "No value of '{}' matches the filter, and the filter does not describe a new one \
             (use attribute eq value, joined by and).",
            attr
        )));
    }
    let mut element = Value::Object(element);
    match sub {
        Some(sub) => {
            if let Some(obj) = element.as_object_mut() {
                obj.insert(sub.to_string(), value);
            }
        }
        None => merge(&mut element, value, false),
    }
    let slot = map.entry(key).or_insert_with(|| Value::Array(vec![]));
    if !slot.is_array() {
        *slot = Value::Array(vec![]);
    }
    if let Value::Array(items) = slot {
        items.push(element);
    }
    Ok(())
}

/// The existing key that matches `name` case-insensitively, or `name` itself.
pub fn key_ci(map: &Map<String, Value>, name: &str) -> String {
    map.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// Set `value` into `into`: objects merge key by key, arrays extend on `add`.
pub fn merge(into: &mut Value, value: Value, add: bool) {
    match (into, value) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let key = key_ci(a, &k);
                a.insert(key, v);
            }
        }
        (Value::Array(a), Value::Array(b)) if add => a.extend(b),
        (slot, v) => *slot = v,
    }
}
