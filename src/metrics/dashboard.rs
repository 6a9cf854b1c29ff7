//! The dashboard's figures for a period and filters, each with its previous-period value, the
//! table behind it (also its CSV export) and the data of its chart.

use std::future::Future;

use serde::Serialize;
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use super::figure::Raw;
pub use super::figure::{Chart, Figure, Point};
use super::{average_headcount, Filters, Period};
use crate::db::metrics as q;

/// Everything on the dashboard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub period: Period,
    pub previous: Period,
    pub filters: Filters,
    /// The department the talent flow is drilled into (None: between top-level departments).
    #[schema(value_type = Option<String>)]
    pub talent_flow_under: Option<uuid::Uuid>,
    /// When the snapshots were rebuilt: monthly headcount (the rates' denominator), skill
    /// supply, and the application pipeline (time to fill, the funnel, managers' response
    /// times and held releases); everything else is computed live from the tables.
    #[serde(with = "time::serde::rfc3339::option")]
    pub aggregates_refreshed_at: Option<OffsetDateTime>,
    /// True while the aggregates have never been built (a fresh install): the background job
    /// is building them and `figures` is empty until it has.
    pub computing: bool,
    pub figures: Vec<Figure>,
}

impl Dashboard {
    /// The figure with this key.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }
}

/// Keys of every figure, in dashboard order.
pub const KEYS: &[&str] = &[
    "headcount",
    "internal-fill-rate",
    "leadership-fill-rate",
    "promotion-rate",
    "lateral-move-rate",
    "secondment-participation",
    "project-participation",
    "time-to-fill",
    "application-funnel",
    "retention",
    "talent-flow",
    "skill-gaps",
    "participation",
    "conversation-coverage",
    "learning",
    "by-manager",
];

/// Connections the dashboards of all HR users may hold at once (of the pool's 20 by default), so
/// that a dashboard, which runs many queries at once, never starves other requests.
pub const MAX_CONNECTIONS: usize = 4;

static QUERIES: Semaphore = Semaphore::const_new(MAX_CONNECTIONS);

/// Run one dashboard query once a share of the pool is free for it.
async fn limited<T>(query: impl Future<Output = sqlx::Result<T>>) -> sqlx::Result<T> {
    let _permit = QUERIES
        .acquire()
        .await
        .expect("the semaphore is never closed");
    query.await
}

async fn raw(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Raw> {
    let months = p.month_starts();
    let (headcounts, fills, moves, ttf, funnel, retention, participation, learning) = tokio::try_join!(
        limited(q::headcounts(db, &months, f)),
        limited(q::fills(db, p, f)),
        limited(q::move_counts(db, p, f)),
        limited(q::days_to_fill(db, p, f)),
        limited(q::funnel(db, p, f)),
        limited(q::retention(db, p.from, f)),
        limited(q::participation(db, p, f)),
        limited(q::learning(db, p, f)),
    )?;
    Ok(Raw {
        months,
        avg: average_headcount(&headcounts),
        headcounts,
        fills,
        moves,
        ttf,
        funnel,
        retention,
        participation,
        learning,
    })
}

/// Compute the whole dashboard from the aggregates as they are (the background job keeps them
/// fresh; see `super::refresh`). Never rebuilds them: when they were never built, wakes the
/// job and answers with no figures and `computing` set.
pub async fn load(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Dashboard> {
    load_with(db, p, f, None).await
}

/// `load`, with the talent flow drilled into the sub-departments of `flow_under`.
pub async fn load_with(
    db: &PgPool,
    p: Period,
    f: Filters,
    flow_under: Option<uuid::Uuid>,
) -> sqlx::Result<Dashboard> {
    let refreshed = super::refresh::refreshed_at(db).await?;
    let prev_period = p.previous();
    if refreshed.is_none() {
        super::refresh::wake();
        return Ok(Dashboard {
            period: p,
            previous: prev_period,
            filters: f,
            talent_flow_under: flow_under,
            aggregates_refreshed_at: None,
            computing: true,
            figures: Vec::new(),
        });
    }
    let policy = crate::db::policy::current(db).await?;
    let (now, prev, monthly, flow, gaps, managers) = tokio::try_join!(
        raw(db, p, f),
        raw(db, prev_period, f),
        limited(q::monthly_moves(db, p, f)),
        limited(q::talent_flow(db, p, f, flow_under)),
        limited(q::skill_gaps(db, f, 15)),
        limited(q::by_manager(db, p, f, i32::from(policy.max_release_weeks))),
    )?;
    let mut figures = super::figures_rates::rates(&now, &prev, p, &monthly);
    figures.extend(super::figures_pipeline::pipeline(&now, &prev));
    figures.push(super::figures_org::talent_flow(&flow));
    figures.push(super::figures_org::skill_gaps(&gaps));
    figures.extend(super::figures_people::people(&now, &prev));
    figures.push(super::figures_org::by_manager(&managers));
    Ok(Dashboard {
        period: p,
        previous: prev_period,
        filters: f,
        talent_flow_under: flow_under,
        aggregates_refreshed_at: refreshed,
        computing: false,
        figures,
    })
}
