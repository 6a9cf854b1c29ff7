//! Searching with POST (RFC 7644 §3.4.3): `/Users/.search`, `/Groups/.search` and `/.search`
//! take a SearchRequest body and answer like the equivalent GET, as a ListResponse.
//!
//! `/.search` searches Users and Groups together. An attribute only one type has is "no
//! value" for the other (RFC 7644 §3.4.2.1), so `userName eq "x"` finds no group and
//! `meta.resourceType eq "Group"` keeps only groups. The page is cut from one sorted list of
//! both: by `sortBy` when given (resources without a value last when ascending, first when
//! descending), then Users before Groups, then creation time. `totalResults` counts both.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

use super::group_handlers::groups_page;
use super::handlers::users_page;
use super::query::Search;
use super::sql::{push_filter_mixed, sort_key, Resource};
use super::{base_url, body_json, groups, list_response, users};
use super::{ENTERPRISE_USER, GROUP_SCHEMA, USER_SCHEMA};
use crate::app::state::AppState;
use crate::http::scim_error::ScimError;

type ScimResult = Result<Response, ScimError>;

/// `POST /Users/.search`.
pub async fn search_users(State(state): State<AppState>, body: Bytes) -> ScimResult {
    let search = Search::from_request(&body_json(&body)?, &[ENTERPRISE_USER])?;
    users_page(&state, &search).await
}

/// `POST /Groups/.search`.
pub async fn search_groups(State(state): State<AppState>, body: Bytes) -> ScimResult {
    let search = Search::from_request(&body_json(&body)?, &[])?;
    groups_page(&state, &search).await
}

/// The sort key of each resource type for a mixed search, of one SQL type.
fn sort_keys(search: &Search) -> Result<(String, String), ScimError> {
    let Some(by) = search.sort_by.as_deref() else {
        return Ok(("null::text".into(), "null::text".into()));
    };
    let (user, user_kind) = sort_key(Resource::User, by, true)?;
    let (group, group_kind) = sort_key(Resource::Group, by, true)?;
    if user_kind != group_kind {
        return Err(ScimError::invalid_value(format!(
            "Sorting by '{by}' is not supported across Users and Groups."
        )));
    }
    Ok((user, group))
}

/// The union of matching Users (rank 0) and Groups (rank 1) as `rank, id, created, k`.
fn push_union(
    qb: &mut QueryBuilder<'_, Postgres>,
    search: &Search,
    keys: &(String, String),
) -> Result<(), ScimError> {
    // Dynamic SQL: the filter and sort columns come from the request (whitelisted in `sql`).
    qb.push(format_args!(
        "select 0 as rank, p.id, p.created_at as created, {} as k {}",
        keys.0,
        users::FROM
    ));
    if let Some(f) = &search.filter {
        qb.push(" and ");
        push_filter_mixed(qb, Resource::User, f)?;
    }
    qb.push(format_args!(
        " union all select 1, d.id, d.created_at, {} {}",
        keys.1,
        groups::FROM
    ));
    if let Some(f) = &search.filter {
        qb.push(" and ");
        push_filter_mixed(qb, Resource::Group, f)?;
    }
    Ok(())
}

/// `POST /.search`: Users and Groups together (see the module documentation).
pub async fn search_all(State(state): State<AppState>, body: Bytes) -> ScimResult {
    let search = Search::from_request(&body_json(&body)?, &[ENTERPRISE_USER])?;
    let keys = sort_keys(&search)?;
    let no_keys = ("null::text".to_string(), "null::text".to_string());
    let mut count = QueryBuilder::<Postgres>::new("select count(*) from (");
    push_union(&mut count, &search, &no_keys)?;
    count.push(") as r");
    let total: i64 = count.build_query_scalar().fetch_one(&state.db).await?;
    let mut page = QueryBuilder::<Postgres>::new("select rank, id from (");
    push_union(&mut page, &search, &keys)?;
    let dir = if search.descending { "desc" } else { "asc" };
    page.push(format_args!(
        ") as r order by k {dir}, rank, created {dir}, id {dir} offset "
    ))
    .push_bind(search.offset)
    .push(" limit ")
    .push_bind(search.limit);
    let hits: Vec<(i32, Uuid)> = page.build_query_as().fetch_all(&state.db).await?;
    let resources = resources(&state, &search, &hits).await?;
    Ok(list_response(resources, total, search.offset))
}

/// The resources for `(rank, id)` hits (rank 0 Users, 1 Groups), in the hits' order.
async fn resources(
    state: &AppState,
    search: &Search,
    hits: &[(i32, Uuid)],
) -> Result<Vec<Value>, ScimError> {
    let ids = |rank: i32| {
        hits.iter()
            .filter(|h| h.0 == rank)
            .map(|h| h.1)
            .collect::<Vec<_>>()
    };
    let mut conn = state.db.acquire().await?;
    let base = base_url(&state.config);
    let p = &search.projection;
    let mut found: HashMap<(i32, Uuid), Value> = HashMap::new();
    for u in users::by_ids(&mut conn, &ids(0)).await? {
        found.insert((0, u.id), p.apply(u.to_json(&base), USER_SCHEMA));
    }
    let rows = groups::by_ids(&mut conn, &ids(1)).await?;
    let with_members = p.wants("members");
    let json = groups::to_json(&mut conn, &rows, &base, with_members).await?;
    for (row, g) in rows.iter().zip(json) {
        found.insert((1, row.id), p.apply(g, GROUP_SCHEMA));
    }
    Ok(hits.iter().filter_map(|h| found.remove(h)).collect())
}
