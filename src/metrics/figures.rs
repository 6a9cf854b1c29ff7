//! Pure assembly of figures from raw numbers: the rates, medians and conversions, the tables
//! behind them and their charts' data.

use super::dashboard::{Chart, Figure, Point, Raw};
use super::{conversions, median, percent, round1, Period};

pub(super) fn fmt(x: Option<f64>) -> String {
    x.map(|v| round1(v).to_string()).unwrap_or_default()
}

pub(super) fn cols(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

pub(super) fn pt(label: impl Into<String>, value: f64) -> Point {
    Point {
        label: label.into(),
        value: round1(value),
    }
}

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

/// Time to fill and the application funnel.
pub(super) fn pipeline(now: &Raw, prev: &Raw) -> Vec<Figure> {
    let stages = [
        "submitted",
        "in review",
        "interviewing",
        "offered",
        "accepted",
    ];
    let conv = conversions(&now.funnel);
    let prev_conv = conversions(&prev.funnel);
    let overall = |f: &[i64; 5]| percent(f[4] as f64, f[0] as f64);
    vec![
        Figure {
            key: "time-to-fill",
            title: "Time to fill (median)",
            how: "For each opening whose first offer was accepted in the period: days from \
                  publishing to that acceptance; the median of those.",
            value: median(&now.ttf),
            previous: median(&prev.ttf),
            unit: "days",
            columns: cols(&["period", "openings filled", "median days"]),
            rows: vec![
                vec!["this period".into(), now.ttf.len().to_string(), fmt(median(&now.ttf))],
                vec!["previous period".into(), prev.ttf.len().to_string(), fmt(median(&prev.ttf))],
            ],
            chart: Chart::Bars {
                bars: [("this period", median(&now.ttf)), ("previous period", median(&prev.ttf))]
                    .into_iter()
                    .filter_map(|(l, v)| v.map(|v| pt(l, v)))
                    .collect(),
            },
        },
        Figure {
            key: "application-funnel",
            title: "Application funnel",
            how: "Applications submitted in the period, by the furthest stage each reached; \
                  conversion is each stage ÷ the stage before. The headline is submitted → accepted.",
            value: overall(&now.funnel),
            previous: overall(&prev.funnel),
            unit: "%",
            columns: cols(&["stage", "applications", "conversion %", "previous period", "previous conversion %"]),
            rows: (0..5)
                .map(|i| vec![stages[i].to_string(), now.funnel[i].to_string(), fmt(conv[i]),
                              prev.funnel[i].to_string(), fmt(prev_conv[i])])
                .collect(),
            chart: Chart::Funnel {
                stages: (0..5).map(|i| pt(stages[i], now.funnel[i] as f64)).collect(),
            },
        },
    ]
}

/// Retention, participation, conversation coverage and learning.
pub(super) fn people(now: &Raw, prev: &Raw) -> Vec<Figure> {
    let ret = |r: &[i64; 4]| {
        (
            percent(r[1] as f64, r[0] as f64),
            percent(r[3] as f64, r[2] as f64),
        )
    };
    let (mn, on) = ret(&now.retention);
    let (mp, op) = ret(&prev.retention);
    let share = |x: &Raw, i: usize| percent(x.participation[i] as f64, x.participation[0] as f64);
    let labels = [
        "skill profile updated (6 months)",
        "applied",
        "enrolled",
        "mentored",
    ];
    vec![
        Figure {
            key: "retention",
            title: "Retention of movers vs non-movers",
            how: "Of the people employed on the period's first day, the share still employed 12 \
                  months later; movers had a promotion or lateral move in the 12 months before \
                  that day. The headline is the movers' retention.",
            value: mn,
            previous: mp,
            unit: "%",
            columns: cols(&[
                "group",
                "people",
                "still employed",
                "retention %",
                "previous period %",
            ]),
            rows: vec![
                vec![
                    "movers".into(),
                    now.retention[0].to_string(),
                    now.retention[1].to_string(),
                    fmt(mn),
                    fmt(mp),
                ],
                vec![
                    "non-movers".into(),
                    now.retention[2].to_string(),
                    now.retention[3].to_string(),
                    fmt(on),
                    fmt(op),
                ],
            ],
            chart: Chart::Bars {
                bars: [("movers", mn), ("non-movers", on)]
                    .into_iter()
                    .filter_map(|(l, v)| v.map(|v| pt(l, v)))
                    .collect(),
            },
        },
        Figure {
            key: "participation",
            title: "Participation",
            how: "Of the people employed at the end of the period: the share with a skill updated \
                  in the last 6 months (the headline), and who applied, enrolled in a course or \
                  mentored someone (a mentorship accepted) in the period.",
            value: share(now, 1),
            previous: share(prev, 1),
            unit: "%",
            columns: cols(&["measure", "people", "share %", "previous share %"]),
            rows: (1..5)
                .map(|i| {
                    vec![
                        labels[i - 1].into(),
                        now.participation[i].to_string(),
                        fmt(share(now, i)),
                        fmt(share(prev, i)),
                    ]
                })
                .collect(),
            chart: Chart::Bars {
                bars: (1..5)
                    .map(|i| pt(labels[i - 1], share(now, i).unwrap_or(0.0)))
                    .collect(),
            },
        },
        Figure {
            key: "conversation-coverage",
            title: "Career conversation coverage",
            how: "Of the people employed at the end of the period, the share with a career \
                  conversation recorded in the 90 days before it ends.",
            value: share(now, 5),
            previous: share(prev, 5),
            unit: "%",
            columns: cols(&["period", "employed", "with a conversation", "coverage %"]),
            rows: vec![
                vec![
                    "this period".into(),
                    now.participation[0].to_string(),
                    now.participation[5].to_string(),
                    fmt(share(now, 5)),
                ],
                vec![
                    "previous period".into(),
                    prev.participation[0].to_string(),
                    prev.participation[5].to_string(),
                    fmt(share(prev, 5)),
                ],
            ],
            chart: Chart::Bars {
                bars: vec![
                    pt("this period", share(now, 5).unwrap_or(0.0)),
                    pt("previous period", share(prev, 5).unwrap_or(0.0)),
                ],
            },
        },
        Figure {
            key: "learning",
            title: "Learning",
            how: "Enrolments and completions dated in the period, the hours of the completed \
                  courses, and skill levels gained: per completion, each course skill's target \
                  level minus its entry level. The headline is completions.",
            value: Some(now.learning[1]),
            previous: Some(prev.learning[1]),
            unit: "",
            columns: cols(&["measure", "this period", "previous period"]),
            rows: ["enrolments", "completions", "hours", "skill levels gained"]
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    vec![
                        l.to_string(),
                        fmt(Some(now.learning[i])),
                        fmt(Some(prev.learning[i])),
                    ]
                })
                .collect(),
            chart: Chart::Bars {
                bars: ["enrolments", "completions", "hours", "skill levels gained"]
                    .iter()
                    .enumerate()
                    .map(|(i, l)| pt(*l, now.learning[i]))
                    .collect(),
            },
        },
    ]
}
