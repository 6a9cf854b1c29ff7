//! The headcount and rate figures: average headcount, internal fill rates, and promotions,
//! lateral moves, secondments and projects over average headcount, with monthly trends.

use super::figure::{cols, fmt, pt, Chart, Figure, Point, Raw};
use super::{percent, Period};

fn rate(part: i64, avg: Option<f64>) -> Option<f64> {
    avg.and_then(|a| percent(part as f64, a))
}

/// A monthly trend of one move kind over the period's months.
fn monthly(p: Period, monthly: &[(time::Date, String, i64)], kind: &str) -> Vec<Point> {
    let mut m = super::month_start(p.from);
    let mut out = Vec::new();
    while m < p.to {
        let n: i64 = monthly
            .iter()
            .filter(|(d, k, _)| *d == m && k == kind)
            .map(|(_, _, n)| n)
            .sum();
        out.push(pt(format!("{}-{:02}", m.year(), m.month() as u8), n as f64));
        m = super::add_months(m, 1);
    }
    out
}

fn fill_figure(
    key: &'static str,
    title: &'static str,
    how: &'static str,
    now: [i64; 2],
    prev: [i64; 2],
) -> Figure {
    let r = |x: [i64; 2]| percent(x[0] as f64, (x[0] + x[1]) as f64);
    Figure {
        key,
        title,
        how,
        value: r(now),
        previous: r(prev),
        unit: "%",
        columns: cols(&[
            "period",
            "internal fills",
            "external hires",
            "internal fill rate %",
        ]),
        rows: vec![
            vec![
                "this period".into(),
                now[0].to_string(),
                now[1].to_string(),
                fmt(r(now)),
            ],
            vec![
                "previous period".into(),
                prev[0].to_string(),
                prev[1].to_string(),
                fmt(r(prev)),
            ],
        ],
        chart: Chart::Bars {
            bars: vec![
                pt("internal, this period", now[0] as f64),
                pt("external, this period", now[1] as f64),
                pt("internal, previous", prev[0] as f64),
                pt("external, previous", prev[1] as f64),
            ],
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn rate_figure(
    key: &'static str,
    title: &'static str,
    how: &'static str,
    what: &str,
    idx: usize,
    now: &Raw,
    prev: &Raw,
    trend: Vec<Point>,
) -> Figure {
    Figure {
        key,
        title,
        how,
        value: rate(now.moves[idx], now.avg),
        previous: rate(prev.moves[idx], prev.avg),
        unit: "%",
        columns: cols(&["period", what, "average headcount", "rate %"]),
        rows: vec![
            vec![
                "this period".into(),
                now.moves[idx].to_string(),
                fmt(now.avg),
                fmt(rate(now.moves[idx], now.avg)),
            ],
            vec![
                "previous period".into(),
                prev.moves[idx].to_string(),
                fmt(prev.avg),
                fmt(rate(prev.moves[idx], prev.avg)),
            ],
        ],
        chart: Chart::Line { points: trend },
    }
}

/// Average headcount, the rates' denominator, with the monthly samples.
fn headcount(now: &Raw, prev: &Raw) -> Figure {
    let label = |d: &time::Date| format!("{}-{:02}-01", d.year(), d.month() as u8);
    Figure {
        key: "headcount",
        title: "Average headcount",
        how: "The mean of the headcounts at each month start in the period: people hired on or \
              before that day and not gone by it, counted in their current department and job \
              family. It is the denominator of the rates below.",
        value: now.avg,
        previous: prev.avg,
        unit: "",
        columns: cols(&["month start", "headcount"]),
        rows: now
            .months
            .iter()
            .zip(&now.headcounts)
            .map(|(d, n)| vec![label(d), n.to_string()])
            .collect(),
        chart: Chart::Line {
            points: now
                .months
                .iter()
                .zip(&now.headcounts)
                .map(|(d, n)| pt(label(d)[..7].to_string(), *n as f64))
                .collect(),
        },
    }
}

/// Fill rates and the move rates over average headcount.
pub(super) fn rates(
    now: &Raw,
    prev: &Raw,
    p: Period,
    m: &[(time::Date, String, i64)],
) -> Vec<Figure> {
    vec![
        headcount(now, prev),
        fill_figure(
            "internal-fill-rate",
            "Internal fill rate",
            "Role openings filled by an internal mover (a promotion or lateral move through the \
             marketplace) ÷ all role fills, internal plus external hires recorded by HR, dated in \
             the period.",
            [now.fills[0], now.fills[1]],
            [prev.fills[0], prev.fills[1]],
        ),
        fill_figure(
            "leadership-fill-rate",
            "Leadership internal fill rate",
            "The internal fill rate for roles at manager-track levels only.",
            [now.fills[2], now.fills[3]],
            [prev.fills[2], prev.fills[3]],
        ),
        rate_figure(
            "promotion-rate",
            "Promotion rate",
            AVG_PROMOTION,
            "promotions",
            0,
            now,
            prev,
            monthly(p, m, "promotion"),
        ),
        rate_figure(
            "lateral-move-rate",
            "Lateral move rate",
            "Lateral moves effective in the period ÷ average headcount.",
            "lateral moves",
            1,
            now,
            prev,
            monthly(p, m, "lateral_move"),
        ),
        rate_figure(
            "secondment-participation",
            "Secondment participation",
            "People who started a secondment in the period ÷ average headcount.",
            "people seconded",
            2,
            now,
            prev,
            monthly(p, m, "secondment_start"),
        ),
        rate_figure(
            "project-participation",
            "Project participation",
            "People assigned to a project in the period ÷ average headcount.",
            "people on projects",
            3,
            now,
            prev,
            monthly(p, m, "project_assignment"),
        ),
    ]
}

const AVG_PROMOTION: &str = "Promotions effective in the period ÷ average headcount. Average \
    headcount is the mean of the headcounts at each month start in the period (people hired on \
    or before that day and not yet gone).";
