//! The HR area's reads and rules: the home page's headline numbers (here), the audit trail,
//! the mobility policy, the people directory's filters and the dashboard's query. The pages in
//! `web::hr` and the JSON API in `api::{hr, people, metrics}` both call these.

pub mod audit;
pub mod dashboard;
pub mod people;
pub mod policy;

use serde::Serialize;

use crate::app::state::AppState;
use crate::error::Result;

/// The headline figures on the HR home page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Headlines {
    pub headcount: i64,
    pub open_opportunities: i64,
    pub open_roles: i64,
    pub open_projects: i64,
    pub open_secondments: i64,
    pub open_mentorships: i64,
    /// Promotions and lateral moves in the last 12 months.
    pub internal_moves_12m: i64,
    /// Role openings filled by an internal mover ÷ all role fills (internal + external hires),
    /// last 12 months, in percent; None when nothing was filled.
    pub internal_fill_rate_12m: Option<f64>,
    pub applications_30d: i64,
    pub skills_in_taxonomy: i64,
}

/// Compute the headlines. The last 12 months are the dashboard's default period (up to and
/// including today; moves dated in the future are not counted yet), and the moves and fills
/// are counted by the dashboard's own queries, so the two pages always agree.
pub async fn headlines(state: &AppState) -> Result<Headlines> {
    let period = crate::metrics::Period::last_12_months(crate::domain::today());
    let all = crate::metrics::Filters::default();
    let (fills, moves) = tokio::try_join!(
        crate::db::metrics::fills(&state.db, period, all),
        crate::db::metrics::move_counts(&state.db, period, all),
    )?;
    let row = sqlx::query!(
        r#"
        select
            (select count(*) from people where employment_status <> 'terminated') as "headcount!",
            (select count(*) from opportunities where status = 'open') as "open!",
            (select count(*) from opportunities where status = 'open' and kind = 'role') as "roles!",
            (select count(*) from opportunities where status = 'open' and kind = 'project') as "projects!",
            (select count(*) from opportunities where status = 'open' and kind = 'secondment') as "secondments!",
            (select count(*) from opportunities where status = 'open' and kind = 'mentorship') as "mentorships!",
            (select count(*) from applications where submitted_at > now() - interval '30 days') as "applications!",
            (select count(*) from skills where merged_into_id is null) as "skills!"
        "#
    )
    .fetch_one(&state.db)
    .await?;
    let [internal, external, ..] = fills;
    let rate = crate::metrics::percent(internal as f64, (internal + external) as f64);
    Ok(Headlines {
        headcount: row.headcount,
        open_opportunities: row.open,
        open_roles: row.roles,
        open_projects: row.projects,
        open_secondments: row.secondments,
        open_mentorships: row.mentorships,
        internal_moves_12m: moves[0] + moves[1],
        internal_fill_rate_12m: rate.map(crate::metrics::round1),
        applications_30d: row.applications,
        skills_in_taxonomy: row.skills,
    })
}
