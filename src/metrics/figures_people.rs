//! The people figures: retention of movers against non-movers, participation, career
//! conversation coverage and learning.

use super::figure::{cols, fmt, pt, Chart, Figure, Raw};
use super::percent;

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
                  level minus its entry level. The headline is completions. The chart counts \
                  enrolments, completions and levels gained; hours are in another unit, so they \
                  are in the table only.",
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
                // Counts only: hours (index 2) would dwarf them on one axis.
                bars: [
                    (0, "enrolments"),
                    (1, "completions"),
                    (3, "skill levels gained"),
                ]
                .iter()
                .map(|&(i, l)| pt(l, now.learning[i]))
                .collect(),
            },
        },
    ]
}
