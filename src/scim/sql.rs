//! SCIM filters and sorting as SQL: only whitelisted column expressions, every value a bind
//! parameter. Strings compare case-insensitively (SCIM's `caseExact: false`).

use sqlx::{Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::filter::{AttrPath, Filter, Op};
use super::{ENTERPRISE_USER, GROUP_SCHEMA, USER_SCHEMA};
use crate::http::scim_error::ScimError;

/// The type of a column expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Bool,
    Time,
}

/// Which resource a filter is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    User,
    Group,
}

/// The SQL expression for an attribute path (`p` is people, `d` departments).
pub fn column(resource: Resource, path: &AttrPath) -> Option<(&'static str, Kind)> {
    let urn = path.urn.as_deref().map(str::to_ascii_lowercase);
    let key = path.key();
    match resource {
        Resource::User => {
            let enterprise = urn.as_deref() == Some(&ENTERPRISE_USER.to_ascii_lowercase());
            if urn.is_some()
                && !enterprise
                && urn.as_deref() != Some(&USER_SCHEMA.to_ascii_lowercase())
            {
                return None;
            }
            let ext = match key.as_str() {
                "employeenumber" => Some(("p.employee_number", Kind::Text)),
                "department" => Some(("d.name", Kind::Text)),
                "manager" | "manager.value" => Some(("p.manager_id::text", Kind::Text)),
                _ => None,
            };
            if enterprise || ext.is_some() {
                return ext;
            }
            Some(match key.as_str() {
                "id" => ("p.id::text", Kind::Text),
                "externalid" => ("p.external_id", Kind::Text),
                "username" => ("coalesce(p.user_name, p.email)", Kind::Text),
                "emails" | "emails.value" => ("p.email", Kind::Text),
                "title" => ("p.title", Kind::Text),
                "emails.type" => ("'work'::text", Kind::Text),
                "emails.primary" => ("true", Kind::Bool),
                "name.givenname" => ("p.given_name", Kind::Text),
                "name.familyname" => ("p.family_name", Kind::Text),
                "name.formatted" => ("(p.given_name || ' ' || p.family_name)", Kind::Text),
                "displayname" => ("p.display_name", Kind::Text),
                "active" => ("(p.employment_status <> 'terminated')", Kind::Bool),
                "meta.lastmodified" => ("p.updated_at", Kind::Time),
                "meta.created" => ("p.created_at", Kind::Time),
                "meta.resourcetype" => ("'User'::text", Kind::Text),
                _ => return None,
            })
        }
        Resource::Group => {
            if urn.is_some() && urn.as_deref() != Some(&GROUP_SCHEMA.to_ascii_lowercase()) {
                return None;
            }
            Some(match key.as_str() {
                "id" => ("d.id::text", Kind::Text),
                "displayname" => ("d.name", Kind::Text),
                "externalid" => ("d.external_id", Kind::Text),
                "meta.lastmodified" => ("d.updated_at", Kind::Time),
                "meta.created" => ("d.created_at", Kind::Time),
                "meta.resourcetype" => ("'Group'::text", Kind::Text),
                "members" | "members.value" => (
                    "(select string_agg(m.id::text, ' ') from people m where m.department_id = d.id and m.deprovisioned_at is null)",
                    Kind::Text,
                ),
                _ => return None,
            })
        }
    }
}

fn unknown(path: &AttrPath) -> ScimError {
    ScimError::invalid_filter(format!("Filtering on '{}' is not supported.", path.key()))
}

/// A typed SQL null.
fn null_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "null::text",
        Kind::Bool => "null::boolean",
        Kind::Time => "null::timestamptz",
    }
}

/// [`column`], and when `mixed` (a query over Users and Groups together) an attribute the
/// other resource type has is "no value" here (RFC 7644 §3.4.2.1).
fn lookup(resource: Resource, path: &AttrPath, mixed: bool) -> Option<(&'static str, Kind)> {
    column(resource, path).or_else(|| {
        let other = match resource {
            Resource::User => Resource::Group,
            Resource::Group => Resource::User,
        };
        mixed
            .then(|| column(other, path))
            .flatten()
            .map(|(_, kind)| (null_of(kind), kind))
    })
}

/// Append `filter` to the query as a boolean SQL expression.
pub fn push_filter(
    qb: &mut QueryBuilder<'_, Postgres>,
    resource: Resource,
    filter: &Filter,
) -> Result<(), ScimError> {
    push_any(qb, resource, filter, false)
}

/// [`push_filter`] for one resource type of a query over Users and Groups together.
pub fn push_filter_mixed(
    qb: &mut QueryBuilder<'_, Postgres>,
    resource: Resource,
    filter: &Filter,
) -> Result<(), ScimError> {
    push_any(qb, resource, filter, true)
}

fn push_any(
    qb: &mut QueryBuilder<'_, Postgres>,
    resource: Resource,
    filter: &Filter,
    mixed: bool,
) -> Result<(), ScimError> {
    match filter {
        Filter::And(a, b) | Filter::Or(a, b) => {
            qb.push("(");
            push_any(qb, resource, a, mixed)?;
            qb.push(if matches!(filter, Filter::And(..)) {
                " and "
            } else {
                " or "
            });
            push_any(qb, resource, b, mixed)?;
            qb.push(")");
        }
        Filter::Not(a) => {
            qb.push("not (");
            push_any(qb, resource, a, mixed)?;
            qb.push(")");
        }
        Filter::ValuePath(parent, inner) => {
            push_any(qb, resource, &under(parent, inner), mixed)?;
        }
        Filter::Present(path) if is_members(resource, path) => {
            qb.push(format_args!("exists({MEMBERS})"));
        }
        Filter::Compare(path, op, value) if is_members(resource, path) => {
            if value.is_null() && !matches!(op, Op::Eq | Op::Ne) {
                return Err(ScimError::invalid_filter(
                    "Only eq and ne compare 'members' with null.",
                ));
            }
            // some member matches; `ne` (and `eq null`) means no member does
            let negated = (*op == Op::Ne) != value.is_null();
            let op = if *op == Op::Ne { Op::Eq } else { *op };
            qb.push(if negated { "not exists(" } else { "exists(" });
            qb.push(MEMBERS);
            if !value.is_null() {
                qb.push(" and ");
                push_compare(qb, "m.id::text", Kind::Text, op, value, path)?;
            }
            qb.push(")");
        }
        Filter::Present(path) => {
            let (col, kind) = lookup(resource, path, mixed).ok_or_else(|| unknown(path))?;
            qb.push(format_args!("({col} is not null"));
            qb.push(if kind == Kind::Text {
                format!(" and {col} <> '')")
            } else {
                ")".into()
            });
        }
        Filter::Compare(path, op, value) => {
            let (col, kind) = lookup(resource, path, mixed).ok_or_else(|| unknown(path))?;
            push_compare(qb, col, kind, *op, value, path)?;
        }
    }
    Ok(())
}

/// Columns compared case-sensitively: the identifiers kept unique exactly as sent.
const CASE_EXACT: [&str; 3] = ["p.external_id", "p.employee_number", "d.external_id"];

/// The people in the department `d`, as `m`.
const MEMBERS: &str =
    "select 1 from people m where m.department_id = d.id and m.deprovisioned_at is null";

/// `members` or `members.value` of a Group: compared member by member.
fn is_members(resource: Resource, path: &AttrPath) -> bool {
    resource == Resource::Group && matches!(path.key().as_str(), "members" | "members.value")
}

/// `emails[type eq "work"]` means `emails.type eq "work"` on the same element; Trellis keeps
/// one work email per person, so the element is implied.
fn under(parent: &AttrPath, inner: &Filter) -> Filter {
    let re = |f: &Filter| Box::new(under(parent, f));
    match inner {
        Filter::And(a, b) => Filter::And(re(a), re(b)),
        Filter::Or(a, b) => Filter::Or(re(a), re(b)),
        Filter::Not(a) => Filter::Not(re(a)),
        Filter::ValuePath(_, f) => under(parent, f),
        Filter::Present(p) => Filter::Present(child(parent, p)),
        Filter::Compare(p, op, v) => Filter::Compare(child(parent, p), *op, v.clone()),
    }
}

fn child(parent: &AttrPath, p: &AttrPath) -> AttrPath {
    AttrPath {
        urn: parent.urn.clone(),
        attr: parent.attr.clone(),
        sub: Some(p.attr.clone()),
    }
}

fn push_compare(
    qb: &mut QueryBuilder<'_, Postgres>,
    col: &'static str,
    kind: Kind,
    op: Op,
    value: &serde_json::Value,
    path: &AttrPath,
) -> Result<(), ScimError> {
    use serde_json::Value;
    let name = path.key();
    if value.is_null() {
        return match op {
            Op::Eq | Op::Ne => {
                let not = if op == Op::Ne { " not" } else { "" };
                qb.push(format_args!("({col} is{not} null)"));
                Ok(())
            }
            _ => Err(ScimError::invalid_filter(format!(
                "Only eq and ne compare '{name}' with null."
            ))),
        };
    }
    match kind {
        Kind::Bool => {
            let Value::Bool(b) = value else {
                return Err(ScimError::invalid_filter(format!(
                    "'{name}' compares with true or false."
                )));
            };
            let sql = match op {
                Op::Eq => "=",
                Op::Ne => "<>",
                _ => {
                    return Err(ScimError::invalid_filter(format!(
                        "'{name}' is a boolean: use eq or ne."
                    )))
                }
            };
            qb.push(format_args!("coalesce({col} {sql} "))
                .push_bind(*b)
                .push(", false)");
        }
        Kind::Time => {
            let at = value
                .as_str()
                .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
                .ok_or_else(|| {
                    ScimError::invalid_filter(format!(
                        "'{name}' compares with an RFC 3339 date-time."
                    ))
                })?;
            let sql = match op {
                Op::Eq => "=",
                Op::Ne => "<>",
                Op::Gt => ">",
                Op::Ge => ">=",
                Op::Lt => "<",
                Op::Le => "<=",
                _ => {
                    return Err(ScimError::invalid_filter(format!(
                        "'{name}' is a date-time: co, sw and ew do not apply."
                    )))
                }
            };
            qb.push(format_args!("coalesce({col} {sql} "))
                .push_bind(at)
                .push(", false)");
        }
        Kind::Text => {
            let Value::String(s) = value else {
                return Err(ScimError::invalid_filter(format!(
                    "'{name}' compares with a string."
                )));
            };
            // identifiers Trellis keeps unique as sent compare exactly (caseExact in /Schemas)
            let (lhs, s) = if CASE_EXACT.contains(&col) {
                (col.to_string(), s.clone())
            } else {
                (format!("lower({col})"), s.to_lowercase())
            };
            qb.push("coalesce(");
            match op {
                Op::Co => {
                    qb.push(format_args!("strpos({lhs}, "))
                        .push_bind(s)
                        .push(") > 0");
                }
                Op::Sw => {
                    qb.push(format_args!("starts_with({lhs}, "))
                        .push_bind(s)
                        .push(")");
                }
                Op::Ew => {
                    qb.push(format_args!("right({lhs}, char_length("))
                        .push_bind(s.clone())
                        .push(")) = ")
                        .push_bind(s);
                }
                _ => {
                    let sql = match op {
                        Op::Eq => "=",
                        Op::Ne => "<>",
                        Op::Gt => ">",
                        Op::Ge => ">=",
                        Op::Lt => "<",
                        _ => "<=",
                    };
                    qb.push(format_args!("{lhs} {sql} ")).push_bind(s);
                }
            }
            // ne on a missing value is true, everything else on a missing value is false
            qb.push(if op == Op::Ne { ", true)" } else { ", false)" });
        }
    }
    Ok(())
}

/// The SQL expression to sort by for `sortBy` (lowercased when text, as strings compare
/// case-insensitively); `mixed` as in [`push_filter_mixed`].
pub fn sort_key(
    resource: Resource,
    sort_by: &str,
    mixed: bool,
) -> Result<(String, Kind), ScimError> {
    let path = AttrPath::parse(sort_by).map_err(ScimError::invalid_value)?;
    let (col, kind) = lookup(resource, &path, mixed).ok_or_else(|| {
        ScimError::invalid_value(format!("Sorting by '{sort_by}' is not supported."))
    })?;
    Ok(if kind == Kind::Text {
        (format!("lower({col})"), kind)
    } else {
        (col.to_string(), kind)
    })
}

/// `order by` for sortBy/sortOrder (default: creation order). Resources without a value
/// come last when ascending and first when descending (RFC 7644 §3.4.2.3), which is
/// PostgreSQL's default null ordering.
pub fn push_order(
    qb: &mut QueryBuilder<'_, Postgres>,
    resource: Resource,
    sort_by: Option<&str>,
    descending: bool,
) -> Result<(), ScimError> {
    let (created, id) = match resource {
        Resource::User => ("p.created_at", "p.id"),
        Resource::Group => ("d.created_at", "d.id"),
    };
    let col = match sort_by {
        Some(s) => sort_key(resource, s, false)?.0,
        None => created.to_string(),
    };
    let dir = if descending { "desc" } else { "asc" };
    qb.push(format_args!(" order by {col} {dir}, {id} {dir}"));
    Ok(())
}
