//! SCIM PATCH (RFC 7644 §3.5.2) applied to a resource's JSON: add, replace and remove, with
//! or without a path, including value filters (`emails[type eq "work"].value`). Pure; the
//! caller then writes the patched resource as a replacement.

use serde_json::{Map, Value};

use super::filter::{self, get_ci, AttrPath, Filter};
use super::patch_add::{self, key_ci, merge};
use crate::http::scim_error::ScimError;

/// The PatchOp message schema.
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Attributes no client may change.
const READ_ONLY: [&str; 3] = ["id", "meta", "schemas"];

/// A PATCH target: `attr[filter].sub` with an optional schema URN.
#[derive(Debug)]
struct Target {
    path: AttrPath,
    filter: Option<Filter>,
    /// The sub-attribute after a value filter (`emails[...].value`).
    sub_after_filter: Option<String>,
}

/// The longest PATCH path accepted, in bytes (a value filter in it is bounded as a filter).
pub const MAX_PATH_BYTES: usize = 1024;

fn parse_target(text: &str, urns: &[&str]) -> Result<Target, ScimError> {
    let bad = |m: String| ScimError::invalid_path(m);
    if let Some(urn) = urns.iter().find(|u| u.eq_ignore_ascii_case(text)) {
        // the bare extension URN: the extension's object as a whole
        return Ok(extension_target(urn));
    }
    if text.len() > MAX_PATH_BYTES {
        return Err(bad(format!(
            "The path is {} bytes long; at most {MAX_PATH_BYTES} are accepted.",
            text.len()
        )));
    }
    match text.find('[') {
        None => Ok(Target {
            path: AttrPath::parse(text).map_err(bad)?,
            filter: None,
            sub_after_filter: None,
        }),
        Some(open) => {
            // The last ']' after the '[' (a ']' only before it used to slice backwards and
            // panic: found by fuzz/fuzz_targets/scim_patch_path.rs).
            let close = text
                .rfind(']')
                .filter(|&close| close > open)
                .ok_or_else(|| bad(format!("'{text}' has no closing ']'.")))?;
            let path = AttrPath::parse(&text[..open]).map_err(bad)?;
            let inner = filter::parse(&text[open + 1..close]).map_err(ScimError::invalid_filter)?;
            let rest = &text[close + 1..];
            let sub = match rest.strip_prefix('.') {
                Some(s) if !s.is_empty() => Some(s.to_string()),
                None if rest.is_empty() => None,
                _ => return Err(bad(format!("'{text}' is not a valid path."))),
            };
            Ok(Target {
                path,
                filter: Some(inner),
                sub_after_filter: sub,
            })
        }
    }
}

/// The target that is an extension's whole object.
fn extension_target(urn: &str) -> Target {
    Target {
        path: AttrPath {
            urn: Some(urn.to_string()),
            attr: String::new(),
            sub: None,
        },
        filter: None,
        sub_after_filter: None,
    }
}

/// Apply the operations of a PatchOp message to `resource`, in order.
pub fn apply(
    resource: &mut Value,
    message: &Value,
    extension_urns: &[&str],
) -> Result<(), ScimError> {
    let schemas_ok = message
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|v| v == PATCH_SCHEMA));
    if !schemas_ok {
        return Err(ScimError::invalid_syntax(format!(
            "A PATCH body lists the schema {PATCH_SCHEMA}."
        )));
    }
    let ops = get_ci(message, "Operations")
        .and_then(Value::as_array)
        .filter(|ops| !ops.is_empty())
        .ok_or_else(|| {
            ScimError::invalid_syntax("A PATCH body has a non-empty Operations array.")
        })?;
    for op in ops {
        let name = get_ci(op, "op")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let path = get_ci(op, "path").and_then(Value::as_str);
        let value = get_ci(op, "value").cloned();
        match (name.as_str(), path) {
            ("add" | "replace", None) => {
                let Some(Value::Object(map)) = value else {
                    return Err(ScimError::invalid_value(
                        "Without a path, the value is an object of attributes.",
                    ));
                };
                for (k, v) in map {
                    // Okta renames a group with {"id": <its id>, "displayName": ...}: a
                    // read-only attribute sent with its current value changes nothing
                    let read_only = READ_ONLY.iter().any(|r| r.eq_ignore_ascii_case(&k));
                    if read_only && get_ci(resource, &k) == Some(&v) {
                        continue;
                    }
                    let target = match extension_urns.iter().find(|u| u.eq_ignore_ascii_case(&k)) {
                        Some(urn) => extension_target(urn),
                        None => Target {
                            path: AttrPath::parse(&k).map_err(ScimError::invalid_path)?,
                            filter: None,
                            sub_after_filter: None,
                        },
                    };
                    set(resource, &target, v, name == "add", extension_urns)?;
                }
            }
            ("add" | "replace", Some(p)) => {
                let v = value.ok_or_else(|| {
                    ScimError::invalid_value(format!("The {name} of '{p}' has no value."))
                })?;
                set(
                    resource,
                    &parse_target(p, extension_urns)?,
                    v,
                    name == "add",
                    extension_urns,
                )?;
            }
            ("remove", Some(p)) => {
                let target = parse_target(p, extension_urns)?;
                match value {
                    // Entra ID removes members as {"path": "members", "value": [{"value": id}]}:
                    // only those values go, not the whole attribute.
                    Some(Value::Array(values)) if target.filter.is_none() => {
                        remove_values(resource, &target, &values, extension_urns)?
                    }
                    _ => remove(resource, &target, extension_urns)?,
                }
            }
            ("remove", None) => {
                return Err(ScimError::no_target("A remove operation needs a path."))
            }
            _ => {
                return Err(ScimError::invalid_syntax(format!(
                    "'{name}' is not a PATCH operation: use add, replace or remove."
                )))
            }
        }
    }
    Ok(())
}

fn check_mutable(t: &Target) -> Result<(), ScimError> {
    if t.path.urn.is_none()
        && READ_ONLY
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&t.path.attr))
    {
        return Err(ScimError::mutability(format!(
            "'{}' is read-only.",
            t.path.attr
        )));
    }
    Ok(())
}

/// The object that holds the target's attribute: the resource, or an extension's object.
fn container<'a>(
    resource: &'a mut Value,
    t: &Target,
    urns: &[&str],
) -> Result<&'a mut Map<String, Value>, ScimError> {
    let root = resource
        .as_object_mut()
        .ok_or_else(|| ScimError::invalid_value("The resource is not an object."))?;
    match &t.path.urn {
        Some(urn) if urns.iter().any(|u| u.eq_ignore_ascii_case(urn)) => {
            let key = key_ci(root, urn);
            root.entry(key)
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
                .ok_or_else(|| ScimError::invalid_value(format!("'{urn}' is an object.")))
        }
        Some(urn)
            if urn
                .to_ascii_lowercase()
                .starts_with("urn:ietf:params:scim:schemas:core:") =>
        {
            Ok(root)
        }
        Some(urn) => Err(ScimError::invalid_path(format!(
            "The schema '{urn}' is not supported."
        ))),
        None => Ok(root),
    }
}

fn set(
    resource: &mut Value,
    t: &Target,
    value: Value,
    add: bool,
    urns: &[&str],
) -> Result<(), ScimError> {
    check_mutable(t)?;
    let map = container(resource, t, urns)?;
    if t.path.attr.is_empty() {
        let mut holder = Value::Object(std::mem::take(map));
        merge(&mut holder, value, add);
        *map = holder.as_object().cloned().unwrap_or_default();
        return Ok(());
    }
    let key = key_ci(map, &t.path.attr);
    if let Some(f) = &t.filter {
        if add
            && !map
                .get(&key)
                .and_then(Value::as_array)
                .is_some_and(|items| items.iter().any(|i| filter::matches(f, i)))
        {
            return patch_add::add_element(
                map,
                key,
                &t.path.attr,
                t.sub_after_filter.as_deref(),
                f,
                value,
            );
        }
        let Some(Value::Array(items)) = map.get_mut(&key) else {
            return Err(ScimError::no_target(format!(
                "'{}' has no values to filter.",
                t.path.attr
            )));
        };
        let mut hit = false;
        for item in items.iter_mut().filter(|i| filter::matches(f, i)) {
            hit = true;
            match &t.sub_after_filter {
                Some(sub) => {
                    let obj = item
                        .as_object_mut()
                        .ok_or_else(|| ScimError::invalid_path("The value is not an object."))?;
                    let k = key_ci(obj, sub);
                    obj.insert(k, value.clone());
                }
                None => merge(item, value.clone(), false),
            }
        }
        return if hit {
            Ok(())
        } else {
            Err(ScimError::no_target(format!(
                "No value of '{}' matches the filter.",
                t.path.attr
            )))
        };
    }
    match &t.path.sub {
        Some(sub) => {
            let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            let obj = slot.as_object_mut().unwrap_or_else(|| unreachable!());
            let k = key_ci(obj, sub);
            obj.insert(k, value);
        }
        None => match map.get_mut(&key) {
            Some(existing) => merge(existing, value, add),
            None => {
                map.insert(key, value);
            }
        },
    }
    Ok(())
}

/// Remove from a multi-valued attribute the elements whose `value` is one of `values`.
fn remove_values(
    resource: &mut Value,
    t: &Target,
    values: &[Value],
    urns: &[&str],
) -> Result<(), ScimError> {
    check_mutable(t)?;
    let map = container(resource, t, urns)?;
    let key = key_ci(map, &t.path.attr);
    let value_of = |v: &Value| get_ci(v, "value").cloned().unwrap_or_else(|| v.clone());
    let gone: Vec<Value> = values.iter().map(value_of).collect();
    if let Some(Value::Array(items)) = map.get_mut(&key) {
        items.retain(|i| !gone.contains(&value_of(i)));
    }
    Ok(())
}

fn remove(resource: &mut Value, t: &Target, urns: &[&str]) -> Result<(), ScimError> {
    check_mutable(t)?;
    let map = container(resource, t, urns)?;
    if t.path.attr.is_empty() {
        map.clear();
        return Ok(());
    }
    let key = key_ci(map, &t.path.attr);
    if let Some(f) = &t.filter {
        let Some(Value::Array(items)) = map.get_mut(&key) else {
            return Err(ScimError::no_target(format!(
                "'{}' has no values to filter.",
                t.path.attr
            )));
        };
        let before = items.len();
        match &t.sub_after_filter {
            Some(sub) => {
                for item in items.iter_mut().filter(|i| filter::matches(f, i)) {
                    if let Some(obj) = item.as_object_mut() {
                        let k = key_ci(obj, sub);
                        obj.remove(&k);
                    }
                }
            }
            None => items.retain(|i| !filter::matches(f, i)),
        }
        if t.sub_after_filter.is_none() && items.len() == before {
            return Err(ScimError::no_target(format!(
                "No value of '{}' matches the filter.",
                t.path.attr
            )));
        }
        return Ok(());
    }
    match &t.path.sub {
        Some(sub) => {
            if let Some(obj) = map.get_mut(&key).and_then(Value::as_object_mut) {
                let k = key_ci(obj, sub);
                obj.remove(&k);
            }
        }
        None => {
            map.remove(&key);
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "patch_tests.rs"]
mod tests;
