//! The lists filter forms offer (departments, job families, levels, locations), shared by the
//! pages that filter by them. Ids are text, as the query string carries them.

use serde::Serialize;
use sqlx::PgPool;

use crate::error::Result;

/// One entry of a filter's list.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: String,
    pub name: String,
}

/// Every department, by name.
pub async fn departments(db: &PgPool) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as!(
        Choice,
        r#"select id::text as "id!", name from departments order by name"#
    )
    .fetch_all(db)
    .await?)
}

/// Every job family, by name.
pub async fn families(db: &PgPool) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as!(
        Choice,
        r#"select id::text as "id!", name from job_families order by name"#
    )
    .fetch_all(db)
    .await?)
}

/// Every job level as "code name", lowest rank first.
pub async fn levels(db: &PgPool) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as!(
        Choice,
        r#"select id::text as "id!", code || ' ' || name as "name!" from job_levels
           order by rank, code"#
    )
    .fetch_all(db)
    .await?)
}

/// Every location, by name.
pub async fn locations(db: &PgPool) -> Result<Vec<Choice>> {
    Ok(sqlx::query_as!(
        Choice,
        r#"select id::text as "id!", name from locations order by name"#
    )
    .fetch_all(db)
    .await?)
}

/// What was typed in a department menu's search field (`department_search`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct MenuSearch {
    pub department_search: Option<String>,
}

/// Most departments a department menu lists at once (issue 20: no page grows with the
/// company); past that, the menu lists the departments whose name contains what was typed in
/// its search field, the chosen one first.
pub const DEPARTMENTS_MAX: usize = 100;

/// Longest department search accepted (longer text is cut).
pub const SEARCH_MAX: usize = 100;

/// A department menu of at most `DEPARTMENTS_MAX` entries.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentMenu {
    pub choices: Vec<Choice>,
    /// Every department is listed (no search field needed).
    pub complete: bool,
    /// What was typed in the search field.
    pub search: String,
    /// How many departments there are.
    pub total: i64,
}

/// The department menu for `search` (part of a name, case-insensitive) and the `chosen`
/// department id (always listed when it exists).
pub async fn departments_bounded(
    db: &PgPool,
    search: Option<&str>,
    chosen: Option<&str>,
) -> Result<DepartmentMenu> {
    let search: String = search
        .unwrap_or("")
        .trim()
        .chars()
        .take(SEARCH_MAX)
        .collect();
    let pattern = format!(
        "%{}%",
        search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let chosen = chosen.unwrap_or("").to_string();
    let total: i64 = sqlx::query_scalar("select count(*) from departments")
        .fetch_one(db)
        .await?;
    let mut choices: Vec<Choice> = sqlx::query_as::<_, (String, String)>(
        "select id::text, name from departments
         where name ilike $1 or id::text = $2
         order by id::text = $2 desc, name
         limit $3",
    )
    .bind(&pattern)
    .bind(&chosen)
    .bind(DEPARTMENTS_MAX as i64 + 1)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|(id, name)| Choice { id, name })
    .collect();
    let complete = search.is_empty() && choices.len() <= DEPARTMENTS_MAX;
    choices.truncate(DEPARTMENTS_MAX);
    choices.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(DepartmentMenu {
        choices,
        complete,
        search,
        total,
    })
}
