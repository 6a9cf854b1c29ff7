//! The dashboard's figures for a period and filters, each with its previous-period value, the
//! table behind it (also its CSV export) and the data of its chart.

use serde::Serialize;
use sqlx::PgPool;
use time::OffsetDateTime;

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
    /// When the snapshots were rebuilt: monthly headcount (the rates' denominator), skill
    /// supply, and the application pipeline (time to fill, the funnel, managers' response
    /// times and held releases); everything else is computed live from the tables.
    #[serde(with = "time::serde::rfc3339::option")]
    pub aggregates_refreshed_at: Option<OffsetDateTime>,
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

async fn raw(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Raw> {
    let months = p.month_starts();
    let (headcounts, fills, moves, ttf, funnel, retention, participation, learning) = tokio::try_join!(
        q::headcounts(db, &months, f),
        q::fills(db, p, f),
        q::move_counts(db, p, f),
        q::days_to_fill(db, p, f),
        q::funnel(db, p, f),
        q::retention(db, p.from, f),
        q::participation(db, p, f),
        q::learning(db, p, f),
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

/// Compute the whole dashboard (refreshing the aggregates first if they are stale).
pub async fn load(db: &PgPool, p: Period, f: Filters) -> sqlx::Result<Dashboard> {
    let refreshed = super::refresh::ensure_fresh(db).await?;
    let policy = crate::db::policy::current(db).await?;
    let prev_period = p.previous();
    let (now, prev, monthly, flow, gaps, managers) = tokio::try_join!(
        raw(db, p, f),
        raw(db, prev_period, f),
        q::monthly_moves(db, p, f),
        q::talent_flow(db, p, f),
        q::skill_gaps(db, f, 15),
        q::by_manager(db, p, f, i32::from(policy.max_release_weeks)),
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
        aggregates_refreshed_at: refreshed,
        figures,
    })
}
