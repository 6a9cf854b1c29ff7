//! The mobility dashboard's query: the period and filters as typed, checked, and the
//! dashboard computed for them (`metrics::dashboard`).

use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::state::AppState;
use crate::domain::params::value;
use crate::error::{AppError, Result};
use crate::metrics::dashboard::{self, Dashboard};
use crate::metrics::{Filters, Period};

/// The dashboard's query string, as typed (empty fields mean "not set").
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// First day of the period (YYYY-MM-DD); default 12 months before `to`.
    pub from: Option<String>,
    /// First day after the period (YYYY-MM-DD); default tomorrow.
    pub to: Option<String>,
    /// A department id.
    pub department: Option<String>,
    /// A job family id.
    pub family: Option<String>,
    /// A department id: the talent flow between its sub-departments (drill-down); default
    /// between the top-level departments.
    pub flow: Option<String>,
}

impl DashboardQuery {
    /// The period and filters asked for, or a message naming the bad field.
    pub fn parse(&self, today: time::Date) -> Result<(Period, Filters)> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let date = |field: &str, v: &Option<String>| -> Result<Option<time::Date>> {
            value(v)
                .map(|s| {
                    time::Date::parse(s, fmt)
                        .map_err(|_| AppError::field(field, "Give a date as YYYY-MM-DD."))
                })
                .transpose()
        };
        let id = |field: &str, v: &Option<String>| -> Result<Option<Uuid>> {
            value(v)
                .map(|s| {
                    Uuid::parse_str(s)
                        .map_err(|_| AppError::field(field, "Choose one from the list."))
                })
                .transpose()
        };
        let default = Period::last_12_months(today);
        let to = date("to", &self.to)?.unwrap_or(default.to);
        let from = date("from", &self.from)?.unwrap_or(crate::metrics::add_months(to, -12));
        if from >= to {
            return Err(AppError::field(
                "from",
                "The period must start before it ends.",
            ));
        }
        if (to - from).whole_days() > 366 * 10 {
            return Err(AppError::field(
                "from",
                "Choose a period of at most ten years.",
            ));
        }
        let filters = Filters {
            department_id: id("department", &self.department)?,
            family_id: id("family", &self.family)?,
        };
        Ok((Period { from, to }, filters))
    }

    /// The same query as a URL query string (for CSV links).
    pub fn to_query_string(&self, p: Period, f: Filters) -> String {
        let mut s = format!("from={}&to={}", p.from, p.to);
        if let Some(d) = f.department_id {
            s.push_str(&format!("&department={d}"));
        }
        if let Some(j) = f.family_id {
            s.push_str(&format!("&family={j}"));
        }
        s
    }
}

/// Compute the dashboard for a query.
pub async fn compute(state: &AppState, q: &DashboardQuery) -> Result<Dashboard> {
    let (p, f) = q.parse(OffsetDateTime::now_utc().date())?;
    let flow = value(&q.flow)
        .map(|s| {
            Uuid::parse_str(s).map_err(|_| AppError::field("flow", "Choose one from the list."))
        })
        .transpose()?;
    Ok(dashboard::load_with(&state.db, p, f, flow).await?)
}
