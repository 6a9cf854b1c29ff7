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
