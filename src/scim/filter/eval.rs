//! Evaluating a parsed filter against one JSON value (a resource, or an element of a
//! multi-valued attribute for PATCH paths like `emails[type eq "work"].value`).

use serde_json::Value;

use super::ast::{AttrPath, Filter, Op};

/// The value at `attr` (case-insensitive key) in a JSON object.
pub fn get_ci<'a>(object: &'a Value, attr: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(attr))
        .map(|(_, v)| v)
}

fn resolve<'a>(item: &'a Value, path: &AttrPath) -> Option<&'a Value> {
    let first = get_ci(item, &path.attr)?;
    match &path.sub {
        Some(s) => get_ci(first, s),
        None => Some(first),
    }
}

/// Does `item` (one element of a multi-valued attribute, or a resource) match `filter`?
/// Strings compare case-insensitively.
pub fn matches(filter: &Filter, item: &Value) -> bool {
    match filter {
        Filter::And(a, b) => matches(a, item) && matches(b, item),
        Filter::Or(a, b) => matches(a, item) || matches(b, item),
        Filter::Not(a) => !matches(a, item),
        Filter::Present(p) => resolve(item, p).is_some_and(|v| !v.is_null() && v != ""),
        Filter::ValuePath(p, inner) => match get_ci(item, &p.attr) {
            Some(Value::Array(items)) => items.iter().any(|i| matches(inner, i)),
            Some(v) => matches(inner, v),
            None => false,
        },
        Filter::Compare(p, op, expected) => {
            let actual = resolve(item, p).unwrap_or(&Value::Null);
            compare(actual, *op, expected)
        }
    }
}

fn compare(actual: &Value, op: Op, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(e)) => {
            let (a, e) = (a.to_lowercase(), e.to_lowercase());
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Co => a.contains(&e),
                Op::Sw => a.starts_with(&e),
                Op::Ew => a.ends_with(&e),
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap_or(0.0), e.as_f64().unwrap_or(0.0));
            match op {
                Op::Eq => a == e,
                Op::Ne => a != e,
                Op::Gt => a > e,
                Op::Ge => a >= e,
                Op::Lt => a < e,
                Op::Le => a <= e,
                _ => false,
            }
        }
        (a, e) => match op {
            Op::Eq => a == e,
            Op::Ne => a != e,
            _ => false,
        },
    }
}
