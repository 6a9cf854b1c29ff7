//! The application pipeline figures: the median time to fill and the application funnel with
//! its stage-to-stage conversions.

use super::figure::{cols, fmt, pt, Chart, Figure, Raw};
use super::{conversions, median, percent};

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
