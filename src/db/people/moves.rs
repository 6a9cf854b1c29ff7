//! The moves register: recorded moves, filtered by person, kind, department (with the ones
//! under it) and dates, newest first, one page at a time.

use serde::Serialize;
use sqlx::PgPool;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Result;

/// A recorded move.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoveRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person: String,
    pub kind: String,
    pub source: String,
    #[serde(with = "crate::domain::iso_date")]
    pub effective_on: Date,
    #[serde(with = "crate::domain::iso_date::option")]
    pub planned_end_on: Option<Date>,
    pub from_title: Option<String>,
    pub to_title: Option<String>,
    pub from_department: Option<String>,
    pub to_department: Option<String>,
}

/// Checked filters of the moves list.
#[derive(Debug, Clone, Default)]
pub struct MoveFilter {
    pub person: Option<Uuid>,
    pub kind: Option<String>,
    /// Moves into or out of this department or one under it.
    pub department: Option<Uuid>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub page: i64,
    pub page_size: i64,
}

/// One page of moves, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MovePage {
    pub moves: Vec<MoveRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// Moves matching the filters, newest effective date first.
pub async fn moves(db: &PgPool, f: &MoveFilter) -> Result<MovePage> {
    // As for people: the total on its own, then only the page's rows joined to their names.
    let total = sqlx::query_scalar!(
        r#"with recursive under(id) as (
               select id from departments where id = $3
               union all
               select d.id from departments d join under u on d.parent_id = u.id
           )
           select count(*) as "n!" from moves mv
           where ($1::uuid is null or mv.person_id = $1)
             and ($2::text is null or mv.kind = $2)
             and ($3::uuid is null or mv.from_department_id in (select id from under)
                  or mv.to_department_id in (select id from under))
             and ($4::date is null or mv.effective_on >= $4)
             and ($5::date is null or mv.effective_on <= $5)"#,
        f.person,
        f.kind,
        f.department,
        f.from,
        f.to,
    )
    .fetch_one(db)
    .await?;
    let rows = sqlx::query!(
        r#"with recursive under(id) as (
               select id from departments where id = $3
               union all
               select d.id from departments d join under u on d.parent_id = u.id
           ),
           page as (
               select mv.* from moves mv
               where ($1::uuid is null or mv.person_id = $1)
                 and ($2::text is null or mv.kind = $2)
                 and ($3::uuid is null or mv.from_department_id in (select id from under)
                      or mv.to_department_id in (select id from under))
                 and ($4::date is null or mv.effective_on >= $4)
                 and ($5::date is null or mv.effective_on <= $5)
               order by mv.effective_on desc, mv.created_at desc, mv.id
               limit $6 offset $7
           )
           select mv.id as "id!", mv.person_id as "person_id!", p.display_name as person,
                  mv.kind as "kind!", mv.source as "source!",
                  mv.effective_on as "effective_on!", mv.planned_end_on,
                  fp.title as "from_title?", tp.title as "to_title?",
                  fd.name as "from_department?", td.name as "to_department?"
           from page mv
           join people p on p.id = mv.person_id
           left join job_profiles fp on fp.id = mv.from_profile_id
           left join job_profiles tp on tp.id = mv.to_profile_id
           left join departments fd on fd.id = mv.from_department_id
           left join departments td on td.id = mv.to_department_id
           order by mv.effective_on desc, mv.created_at desc, mv.id"#,
        f.person,
        f.kind,
        f.department,
        f.from,
        f.to,
        f.page_size,
        crate::domain::params::offset(f.page, f.page_size)
    )
    .fetch_all(db)
    .await?;
    Ok(MovePage {
        moves: rows
            .into_iter()
            .map(|r| MoveRow {
                id: r.id,
                person_id: r.person_id,
                person: r.person,
                kind: r.kind,
                source: r.source,
                effective_on: r.effective_on,
                planned_end_on: r.planned_end_on,
                from_title: r.from_title,
                to_title: r.to_title,
                from_department: r.from_department,
                to_department: r.to_department,
            })
            .collect(),
        total,
        page: f.page,
        page_size: f.page_size,
    })
}
