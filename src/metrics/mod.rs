//! Mobility metrics (PRODUCT.md, "Mobility metrics"): the period and filters they are computed
//! for, and the pure arithmetic (medians, rates, conversions, average headcount). The SQL that
//! gathers the raw counts is in `crate::db::metrics`; `dashboard` puts both together.

pub mod dashboard;
mod figure;
mod figures_org;
mod figures_people;
mod figures_pipeline;
mod figures_rates;
pub mod refresh;

use serde::Serialize;
use time::{Date, Duration, Month};
use uuid::Uuid;

/// A half-open period of days, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    /// First day in the period.
    #[serde(with = "crate::domain::iso_date")]
    pub from: Date,
    /// First day after the period.
    #[serde(with = "crate::domain::iso_date")]
    pub to: Date,
}

impl Period {
    /// The last 12 months up to and including `today`.
    pub fn last_12_months(today: Date) -> Period {
        let to = today + Duration::days(1);
        Period {
            from: add_months(to, -12),
            to,
        }
    }

    /// The period of equal length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: self.from - (self.to - self.from),
            to: self.from,
        }
    }

    /// Number of days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days()
    }

    /// The month starts in the period (the dates average headcount is sampled at); when the
    /// period holds none, the start of the month `from` is in.
    pub fn month_starts(&self) -> Vec<Date> {
        let mut m = month_start(self.from);
        if m < self.from {
            m = add_months(m, 1);
        }
        let mut out = Vec::new();
        while m < self.to {
            out.push(m);
            m = add_months(m, 1);
        }
        if out.is_empty() {
            out.push(month_start(self.from));
        }
        out
    }
}

/// Optional filters: a department and a job family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Filters {
    pub department_id: Option<Uuid>,
    pub family_id: Option<Uuid>,
}

/// The first day of `d`'s month.
pub fn month_start(d: Date) -> Date {
    d.replace_day(1).expect("day 1 exists in every month")
}

/// `d` moved by `months` calendar months, the day clamped to the target month's length.
pub fn add_months(d: Date, months: i32) -> Date {
    let index = d.year() * 12 + (d.month() as i32 - 1) + months;
    let year = index.div_euclid(12);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).expect("1..=12");
    let last = month.length(year);
    Date::from_calendar_date(year, month, d.day().min(last)).expect("a valid date")
}

/// The median of some values (the mean of the middle two for an even count); None if empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// `part ÷ whole` in percent; None when the whole is zero.
pub fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| 100.0 * part / whole)
}

/// Average headcount: the mean of the headcounts at each month start in the period (see
/// `Period::month_starts`); None when there are no samples.
pub fn average_headcount(samples: &[i64]) -> Option<f64> {
    (!samples.is_empty()).then(|| samples.iter().sum::<i64>() as f64 / samples.len() as f64)
}

/// Conversion between consecutive funnel stages, in percent: `counts[i] ÷ counts[i-1]`
/// (None for the first stage and after an empty stage).
pub fn conversions(counts: &[i64]) -> Vec<Option<f64>> {
    counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i == 0 {
                None
            } else {
                percent(c as f64, counts[i - 1] as f64)
            }
        })
        .collect()
}

/// Round to one decimal, for display and export.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 10.0]), Some(3.5));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn conversions_divide_each_stage_by_the_one_before() {
        assert_eq!(
            conversions(&[10, 5, 0, 0]),
            vec![None, Some(50.0), Some(0.0), None]
        );
    }

    #[test]
    fn month_starts_are_the_first_days_inside_the_period() {
        let p = Period {
            from: date!(2026 - 01 - 15),
            to: date!(2026 - 04 - 01),
        };
        assert_eq!(
            p.month_starts(),
            vec![date!(2026 - 02 - 01), date!(2026 - 03 - 01)]
        );
        let short = Period {
            from: date!(2026 - 01 - 15),
            to: date!(2026 - 01 - 20),
        };
        assert_eq!(short.month_starts(), vec![date!(2026 - 01 - 01)]);
    }

    #[test]
    fn the_previous_period_has_the_same_length() {
        let p = Period::last_12_months(date!(2026 - 11 - 22));
        assert_eq!(p.from, date!(2025 - 11 - 23));
        assert_eq!(p.to, date!(2026 - 11 - 23));
        assert_eq!(p.previous().to, p.from);
        assert_eq!(p.previous().days(), p.days());
        assert_eq!(add_months(date!(2026 - 03 - 31), -1), date!(2026 - 02 - 28));
    }

    #[test]
    fn average_headcount_is_the_mean_of_the_samples() {
        assert_eq!(average_headcount(&[10, 11, 12]), Some(11.0));
        assert_eq!(average_headcount(&[]), None);
    }
}
