//! What a dashboard figure is made of (its value, table and chart), the raw numbers of one
//! period the figures are computed from, and the helpers the `figures_*` modules share to
//! fill a figure's table and chart.

use serde::Serialize;

use super::round1;

/// A labelled value in a chart.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Point {
    pub label: String,
    pub value: f64,
}

/// What a figure's chart draws.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    /// A trend by month.
    Line { points: Vec<Point> },
    /// Horizontal bars.
    Bars { bars: Vec<Point> },
    /// Stages of the application funnel.
    Funnel { stages: Vec<Point> },
    /// Moves from a row department to a column department.
    Heat {
        rows: Vec<String>,
        columns: Vec<String>,
        cells: Vec<Vec<i64>>,
        /// The department of each row (and column), for drilling down into it.
        #[schema(value_type = Vec<String>)]
        row_ids: Vec<uuid::Uuid>,
    },
}

/// One figure on the dashboard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// Its name in URLs: `/hr/dashboard/{key}.csv`, `/api/v1/metrics/{key}`.
    pub key: &'static str,
    pub title: &'static str,
    /// How this is computed, in a sentence or two.
    pub how: &'static str,
    /// The headline value in this period (None when undefined, e.g. nothing to divide by).
    pub value: Option<f64>,
    /// The same in the previous period of equal length.
    pub previous: Option<f64>,
    /// The unit of `value`: `%`, `days`, or empty for a count.
    pub unit: &'static str,
    /// The numbers behind the figure: column names and rows (also the CSV export).
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub chart: Chart,
}

/// Raw numbers for one period (see `crate::db::metrics` for each).
pub(super) struct Raw {
    pub headcounts: Vec<i64>,
    pub months: Vec<time::Date>,
    pub avg: Option<f64>,
    pub fills: [i64; 4],
    pub moves: [i64; 4],
    pub ttf: Vec<f64>,
    pub funnel: [i64; 5],
    pub retention: [i64; 4],
    pub participation: [i64; 6],
    pub learning: [f64; 4],
}

/// A value rounded to one decimal for a table cell; empty when undefined.
pub(super) fn fmt(x: Option<f64>) -> String {
    x.map(|v| round1(v).to_string()).unwrap_or_default()
}

/// Column names as owned strings.
pub(super) fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// A chart point, its value rounded to one decimal.
pub(super) fn pt(label: impl Into<String>, value: f64) -> Point {
    Point {
        label: label.into(),
        value: round1(value),
    }
}
