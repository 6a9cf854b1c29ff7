//! The mobility dashboard: `GET /hr/dashboard` and each figure's CSV export.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use super::charts::{layout, ChartView};
use crate::app::state::AppState;
use crate::db::menus::{self, Choice};
use crate::domain::csv_out::CsvOut;
use crate::error::{AppError, Result};
use crate::http::extract::{Path, Query};
use crate::http::page::{render, Page, Section};
use crate::http::session::CurrentUser;
use crate::metrics::dashboard::{self, Chart, Dashboard, Figure};
use crate::service::hr::dashboard::{compute, DashboardQuery};

/// One figure as the page shows it.
pub struct FigureView<'a> {
    pub f: &'a Figure,
    pub value: String,
    pub previous: String,
    pub change: String,
    pub chart: ChartView,
    /// How fresh the figure is: the words before and after the snapshot's rebuild time, or
    /// None when it is computed live from the records.
    pub fresh: Option<(&'static str, &'static str)>,
}

/// How fresh a figure is (see `FigureView::fresh`): which snapshot rebuilt by
/// `crate::metrics::refresh` it reads, and what it counts live.
fn freshness(key: &str) -> Option<(&'static str, &'static str)> {
    const PIPELINE: &str = " (rebuilt in the background within a minute of a change to \
        applications or openings).";
    match key {
        "headcount"
        | "promotion-rate"
        | "lateral-move-rate"
        | "secondment-participation"
        | "project-participation" => Some((
            "Fresh as of the headcount snapshot of",
            "; moves counted live.",
        )),
        "time-to-fill" | "application-funnel" => {
            Some(("Fresh as of the application snapshot of", PIPELINE))
        }
        "by-manager" => Some((
            "Response times and held releases as of the application snapshot of",
            "; moves and approvals counted live.",
        )),
        "participation" | "conversation-coverage" => Some((
            "Counted once after the rebuild of",
            " and kept until the next (within a minute of a change).",
        )),
        "skill-gaps" => Some((
            "Supply as of the skills snapshot of",
            "; demand from the openings open now.",
        )),
        _ => None,
    }
}

fn show(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "–".to_string(),
        Some(x) => {
            let x = crate::metrics::round1(x);
            match unit {
                "%" => format!("{x}%"),
                "days" => format!("{x} days"),
                _ => x.to_string(),
            }
        }
    }
}

fn view(f: &Figure) -> FigureView<'_> {
    let change = match (f.value, f.previous) {
        (Some(a), Some(b)) => {
            let d = crate::metrics::round1(a - b);
            let unit = if f.unit == "%" {
                " points"
            } else if f.unit == "days" {
                " days"
            } else {
                ""
            };
            if d > 0.0 {
                format!("up {d}{unit}")
            } else if d < 0.0 {
                format!("down {}{unit}", -d)
            } else {
                "no change".into()
            }
        }
        _ => String::new(),
    };
    FigureView {
        f,
        value: show(f.value, f.unit),
        previous: show(f.previous, f.unit),
        change,
        chart: layout(&f.chart, f.title),
        fresh: freshness(f.key),
    }
}

#[derive(Template)]
#[template(path = "hr/dashboard.html")]
struct DashboardPage<'a> {
    page: Page,
    d: &'a Dashboard,
    figures: Vec<FigureView<'a>>,
    query: String,
    menu: menus::DepartmentMenu,
    families: Vec<Choice>,
    refreshed: String,
    bench: crate::service::succession::bench::BenchReport,
    pools: Vec<crate::service::talent_pools::PoolFigures>,
    /// The talent flow's groups to drill into: (department id, name).
    flow_links: Vec<(String, String)>,
    /// `&flow=<id>` when drilled in (kept by the CSV links), else empty.
    flow_param: String,
}

impl DashboardPage<'_> {
    /// Whether the filter `picked` is the menu entry `id`.
    fn chosen(&self, picked: &Option<Uuid>, id: &str) -> bool {
        picked.is_some_and(|u| u.to_string() == id)
    }
}

/// GET /hr/dashboard
#[tracing::instrument(skip_all)]
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DashboardQuery>,
    Query(find): Query<menus::MenuSearch>,
) -> Result<Html<String>> {
    let d = compute(&state, &q).await?;
    let menu = menus::departments_bounded(
        &state.db,
        find.department_search.as_deref(),
        q.department.as_deref(),
    )
    .await?;
    let families = menus::families(&state.db).await?;
    let refreshed = d
        .aggregates_refreshed_at
        .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
        .unwrap_or_else(|| "never".into());
    let flow_links = match d.figure("talent-flow").map(|f| &f.chart) {
        Some(Chart::Heat { rows, row_ids, .. }) => rows
            .iter()
            .zip(row_ids)
            .filter(|(_, id)| Some(**id) != d.talent_flow_under)
            .map(|(name, id)| (id.to_string(), name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let flow_param = d
        .talent_flow_under
        .map(|id| format!("&flow={id}"))
        .unwrap_or_default();
    render(&DashboardPage {
        page: Page::new("Mobility dashboard", &user, Section::Hr),
        flow_links,
        flow_param,
        figures: d.figures.iter().map(view).collect(),
        query: q.to_query_string(d.period, d.filters),
        d: &d,
        menu,
        families,
        refreshed,
        bench: crate::service::succession::bench::report(&state.db).await?,
        pools: crate::service::talent_pools::figures(&state.db).await?,
    })
}

/// GET /hr/dashboard/{metric}.csv: the table behind one figure.
#[tracing::instrument(skip_all)]
pub async fn csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response> {
    let key = file.strip_suffix(".csv").ok_or(AppError::NotFound)?;
    if !dashboard::KEYS.contains(&key) {
        return Err(AppError::NotFound);
    }
    let d = compute(&state, &q).await?;
    let f = d.figure(key).ok_or(AppError::NotFound)?;
    let body = to_csv(&f.columns, &f.rows);
    let name = format!(
        "attachment; filename=\"{key}-{}-{}.csv\"",
        d.period.from, d.period.to
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}

/// The table as CSV, through the one writer of CSV for people (`domain::csv_out`: quoting
/// where needed, a cell that would run as a spreadsheet formula prefixed with an apostrophe).
pub fn to_csv(columns: &[String], rows: &[Vec<String>]) -> String {
    let mut out = CsvOut::new();
    for row in std::iter::once(columns).chain(rows.iter().map(Vec::as_slice)) {
        out.row(row);
    }
    out.into_string()
}
