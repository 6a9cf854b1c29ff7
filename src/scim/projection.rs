//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes of a
//! resource a response carries. Names are case-insensitive, may carry the schema URN
//! (`urn:...:enterprise:2.0:User:employeeNumber`) and may name a sub-attribute
//! (`name.givenName`, `emails.value`). `id` and `schemas` are always returned (RFC 7643 §3,
//! §3.1: `id` is "returned: always"); everything else, `meta` included, is "returned:
//! default", as `/Schemas` says. Pure: no database, no HTTP.

use serde_json::{Map, Value};

use super::filter::AttrPath;
use crate::http::scim_error::ScimError;

/// Attributes every representation keeps.
const ALWAYS: [&str; 2] = ["id", "schemas"];

/// Where a requested attribute lives.
#[derive(Debug, Clone, PartialEq)]
enum Scope {
    /// No URN: the core schema, or any extension that has an attribute of that name.
    Any,
    /// A schema URN (lowercased): the core schema or an extension.
    Schema(String),
}

/// One requested name: scope, attribute, optional sub-attribute (lowercased); `attr` is
/// `None` when the name is a whole extension (`urn:...:enterprise:2.0:User`).
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    scope: Scope,
    attr: Option<String>,
    sub: Option<String>,
}

/// Which attributes a response returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Projection {
    /// The default set (no parameter given).
    #[default]
    Default,
    /// `attributes`: these, plus those always returned.
    Only(Vec<Name>),
    /// `excludedAttributes`: the default set minus these.
    Excluding(Vec<Name>),
}

/// The names in a comma-separated list (query parameter) or a JSON array (SearchRequest).
pub fn names_of(value: Option<&Value>, field: &str) -> Result<Vec<String>, ScimError> {
    let bad = || ScimError::invalid_value(format!("{field} is a list of attribute names."));
    let list: Vec<String> = match value {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::String(s)) => s.split(',').map(str::to_string).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::to_string)
            .collect(),
        Some(_) => return Err(bad()),
    };
    Ok(list
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

impl Projection {
    /// From the `attributes` and `excludedAttributes` lists; giving both is refused (the RFC
    /// makes them mutually exclusive). `extensions` are the schema URNs a name may be whole.
    pub fn new(
        attributes: &[String],
        excluded: &[String],
        extensions: &[&str],
    ) -> Result<Projection, ScimError> {
        let parse = |list: &[String], field: &str| {
            list.iter()
                .map(|n| parse_name(n, extensions, field))
                .collect::<Result<Vec<_>, _>>()
        };
        match (attributes.is_empty(), excluded.is_empty()) {
            (true, true) => Ok(Projection::Default),
            (false, true) => Ok(Projection::Only(parse(attributes, "attributes")?)),
            (true, false) => Ok(Projection::Excluding(parse(
                excluded,
                "excludedAttributes",
            )?)),
            (false, false) => Err(ScimError::invalid_syntax(
                "attributes and excludedAttributes cannot be used together.",
            )),
        }
    }

    /// Whether the response needs the core attribute `attr` at all (so a caller can skip
    /// loading it, like a department's members).
    pub fn wants(&self, attr: &str) -> bool {
        let attr = attr.to_ascii_lowercase();
        let named = |n: &Name| n.attr.as_deref() == Some(attr.as_str());
        match self {
            Projection::Default => true,
            Projection::Only(names) => names.iter().any(named),
            Projection::Excluding(names) => !names.iter().any(|n| named(n) && n.sub.is_none()),
        }
    }

    /// Cut `resource` down to what was asked. `core` is the resource's core schema URN; its
    /// extensions are the object-valued keys that are schema URNs.
    pub fn apply(&self, resource: Value, core: &str) -> Value {
        let Value::Object(map) = resource else {
            return resource;
        };
        let core = core.to_ascii_lowercase();
        match self {
            Projection::Default => Value::Object(map),
            Projection::Only(names) => Value::Object(walk(map, names, &core, &core, true)),
            Projection::Excluding(names) => Value::Object(walk(map, names, &core, &core, false)),
        }
    }
}

fn parse_name(text: &str, extensions: &[&str], field: &str) -> Result<Name, ScimError> {
    if let Some(urn) = extensions.iter().find(|u| u.eq_ignore_ascii_case(text)) {
        return Ok(Name {
            scope: Scope::Schema(urn.to_ascii_lowercase()),
            attr: None,
            sub: None,
        });
    }
    let path = AttrPath::parse(text).map_err(|_| {
        ScimError::invalid_value(format!("'{text}' in {field} is not an attribute name."))
    })?;
    Ok(Name {
        scope: path
            .urn
            .map_or(Scope::Any, |u| Scope::Schema(u.to_ascii_lowercase())),
        attr: Some(path.attr.to_ascii_lowercase()),
        sub: path.sub.map(|s| s.to_ascii_lowercase()),
    })
}

fn is_urn(key: &str) -> bool {
    key.to_ascii_lowercase().starts_with("urn:")
}

/// What the names say about attribute `key` in schema `schema` (lowercased): `None` not
/// named; `Some(None)` the whole attribute; `Some(Some(subs))` only these sub-attributes.
fn selection(names: &[Name], schema: &str, key: &str) -> Option<Option<Vec<String>>> {
    let key = key.to_ascii_lowercase();
    let mut subs = vec![];
    let mut hit = false;
    for n in names {
        let in_scope = match &n.scope {
            Scope::Any => true,
            Scope::Schema(s) => s == schema,
        };
        if !in_scope {
            continue;
        }
        match (&n.attr, &n.sub) {
            (None, _) => return Some(None),
            (Some(a), None) if *a == key => return Some(None),
            (Some(a), Some(s)) if *a == key => {
                hit = true;
                subs.push(s.clone());
            }
            _ => {}
        }
    }
    hit.then_some(Some(subs))
}

/// Keep only the named sub-attributes of an object, or of each object in an array.
fn keep_subs(value: Value, subs: &[String]) -> Value {
    let pick = |m: Map<String, Value>| {
        m.into_iter()
            .filter(|(k, _)| subs.iter().any(|s| s.eq_ignore_ascii_case(k)))
            .collect::<Map<_, _>>()
    };
    match value {
        Value::Object(m) => Value::Object(pick(m)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| match i {
                    Value::Object(m) => Value::Object(pick(m)),
                    other => other,
                })
                .filter(|i| !matches!(i, Value::Object(m) if m.is_empty()))
                .collect(),
        ),
        other => other,
    }
}

/// Remove the named sub-attributes of an object, or of each object in an array.
fn drop_subs(value: Value, subs: &[String]) -> Value {
    let cut = |mut m: Map<String, Value>| {
        m.retain(|k, _| !subs.iter().any(|s| s.eq_ignore_ascii_case(k)));
        m
    };
    match value {
        Value::Object(m) => Value::Object(cut(m)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|i| match i {
                    Value::Object(m) => Value::Object(cut(m)),
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Walk the attributes of one schema (the core one at the top, or an extension's object).
fn walk(
    map: Map<String, Value>,
    names: &[Name],
    schema: &str,
    core: &str,
    including: bool,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in map {
        if schema == core && ALWAYS.iter().any(|a| a.eq_ignore_ascii_case(&k)) {
            out.insert(k, v);
            continue;
        }
        if schema == core && is_urn(&k) && v.is_object() {
            let urn = k.to_ascii_lowercase();
            let Value::Object(inner) = v else { continue };
            let inner = walk(inner, names, &urn, core, including);
            if !inner.is_empty() {
                out.insert(k, Value::Object(inner));
            }
            continue;
        }
        let kept = match (selection(names, schema, &k), including) {
            (None, true) => None,
            (None, false) => Some(v),
            (Some(None), true) => Some(v),
            (Some(None), false) => None,
            (Some(Some(subs)), true) => Some(keep_subs(v, &subs)),
            (Some(Some(subs)), false) => Some(drop_subs(v, &subs)),
        };
        if let Some(v) = kept {
            out.insert(k, v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const EXT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn user() -> Value {
        json!({ "schemas": [USER, EXT], "id": "1", "userName": "ann@example.com",
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@example.com", "type": "work", "primary": true}],
            EXT: {"employeeNumber": "7", "department": "Sales", "manager": {"value": "2", "displayName": "Bo"}},
            "meta": {"resourceType": "User", "version": "W/\"1\""} })
    }

    fn only(list: &[&str]) -> Value {
        let names: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        Projection::new(&names, &[], &[EXT])
            .unwrap()
            .apply(user(), USER)
    }

    fn without(list: &[&str]) -> Value {
        let names: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        Projection::new(&[], &names, &[EXT])
            .unwrap()
            .apply(user(), USER)
    }

    #[test]
    fn attributes_keep_only_the_named_ones_and_id_and_schemas() {
        assert_eq!(
            only(&["USERNAME"]),
            json!({"schemas": [USER, EXT], "id": "1", "userName": "ann@example.com"})
        );
    }

    #[test]
    fn sub_attributes_and_fully_qualified_names_select_inside_objects_and_arrays() {
        let u = only(&[
            "name.givenName",
            "emails.value",
            &format!("{EXT}:employeeNumber"),
            &format!("{USER}:displayName"),
        ]);
        assert_eq!(u["name"], json!({"givenName": "Ann"}));
        assert_eq!(u["emails"], json!([{"value": "ann@example.com"}]));
        assert_eq!(u[EXT], json!({"employeeNumber": "7"}));
        assert!(u.get("meta").is_none());
        assert!(u.get("userName").is_none());
    }

    #[test]
    fn an_extension_urn_names_the_whole_extension_and_bare_names_reach_into_it() {
        assert_eq!(only(&[EXT])[EXT], user()[EXT]);
        assert_eq!(only(&["department"])[EXT], json!({"department": "Sales"}));
        assert_eq!(
            only(&[&format!("{EXT}:manager.value")])[EXT],
            json!({"manager": {"value": "2"}})
        );
    }

    #[test]
    fn excluded_attributes_drop_from_the_default_set_but_never_id_or_schemas() {
        let u = without(&["emails", "name.familyName", "id", "schemas", "Meta"]);
        assert_eq!(u["id"], "1");
        assert_eq!(u["schemas"], json!([USER, EXT]));
        assert!(u.get("emails").is_none() && u.get("meta").is_none());
        assert_eq!(u["name"], json!({"givenName": "Ann"}));
        assert_eq!(u["userName"], "ann@example.com");
        let u = without(&[EXT]);
        assert!(u.get(EXT).is_none());
        let u = without(&[&format!("{EXT}:department"), "emails.primary"]);
        assert_eq!(u[EXT]["employeeNumber"], "7");
        assert!(u[EXT].get("department").is_none());
        assert_eq!(
            u["emails"],
            json!([{"value": "ann@example.com", "type": "work"}])
        );
    }

    #[test]
    fn wants_says_whether_members_must_be_loaded() {
        let p = |a: &[&str], e: &[&str]| {
            let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            Projection::new(&v(a), &v(e), &[]).unwrap()
        };
        assert!(Projection::Default.wants("members"));
        assert!(!p(&[], &["members"]).wants("members"));
        assert!(!p(&[], &["Members"]).wants("members"));
        assert!(p(&[], &["members.display"]).wants("members"));
        assert!(!p(&["displayName"], &[]).wants("members"));
        assert!(p(&["members.value"], &[]).wants("members"));
    }

    #[test]
    fn both_lists_or_a_malformed_name_are_refused() {
        let e = Projection::new(&["userName".into()], &["emails".into()], &[]).unwrap_err();
        assert_eq!(e.scim_type, Some("invalidSyntax"));
        let e = Projection::new(&["name..givenName".into()], &[], &[]).unwrap_err();
        assert_eq!(e.scim_type, Some("invalidValue"));
        assert!(e.detail.contains("'name..givenName' in attributes"));
    }

    #[test]
    fn names_come_from_commas_or_arrays() {
        assert_eq!(
            names_of(Some(&json!(" userName, name.givenName ,")), "attributes").unwrap(),
            vec!["userName", "name.givenName"]
        );
        assert_eq!(
            names_of(Some(&json!(["userName", "emails"])), "attributes").unwrap(),
            vec!["userName", "emails"]
        );
        assert_eq!(
            names_of(Some(&json!(5)), "attributes")
                .unwrap_err()
                .scim_type,
            Some("invalidValue")
        );
    }
}
