//! Pure assembly of the organisation-wide figures: talent flow between departments, skill
//! supply against demand, and mobility by manager.

use super::figure::{cols, fmt, pt, Chart, Figure};
use super::median;
use crate::db::metrics::{Flow, ManagerRow, SkillGap};

/// Most departments the talent-flow chart shows.
pub const HEAT_MAX: usize = 8;

/// The talent-flow matrix between groups of departments (top-level ones, or the
/// sub-departments of the one drilled into).
pub(super) fn talent_flow(flow: &[Flow]) -> Figure {
    let mut names: Vec<String> = flow
        .iter()
        .flat_map(|f| [f.from.clone(), f.to.clone()])
        .collect();
    let id_of = |n: &String| {
        flow.iter()
            .find_map(|f| {
                if &f.from == n {
                    Some(f.from_id)
                } else if &f.to == n {
                    Some(f.to_id)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    };
    names.sort();
    names.dedup();
    // The chart shows the departments with the most moves in or out (the table has them all).
    let volume = |n: &String| -> i64 {
        flow.iter()
            .filter(|f| &f.from == n || &f.to == n)
            .map(|f| f.moves)
            .sum()
    };
    names.sort_by_key(|n| std::cmp::Reverse(volume(n)));
    names.truncate(HEAT_MAX);
    names.sort();
    let cells: Vec<Vec<i64>> = names
        .iter()
        .map(|r| {
            names
                .iter()
                .map(|c| {
                    flow.iter()
                        .filter(|f| &f.from == r && &f.to == c)
                        .map(|f| f.moves)
                        .sum()
                })
                .collect()
        })
        .collect();
    let total: i64 = flow.iter().map(|f| f.moves).sum();
    let row_ids = names.iter().map(id_of).collect();
    Figure {
        key: "talent-flow",
        title: "Talent flow between departments",
        how: "Promotions, lateral moves and secondment starts in the period from one top-level \
              department (with all its sub-departments) to a different one, or, drilled into a \
              department, between its sub-departments; rows are where people came from, columns \
              (numbered as the rows) where they went; the chart shows the 8 with the most moves, \
              the table all of them. The headline is the total of the table.",
        value: Some(total as f64),
        previous: None,
        unit: "",
        columns: cols(&["from department", "to department", "moves"]),
        rows: flow
            .iter()
            .map(|f| vec![f.from.clone(), f.to.clone(), f.moves.to_string()])
            .collect(),
        chart: Chart::Heat {
            rows: names.clone(),
            columns: names,
            cells,
            row_ids,
        },
    }
}

/// Skill supply against demand, largest gaps first.
pub(super) fn skill_gaps(gaps: &[SkillGap]) -> Figure {
    Figure {
        key: "skill-gaps",
        title: "Skill supply vs demand",
        how: "Per skill required by open openings: demand is the number of those openings, \
              supply the active employees at or above the lowest level they ask; the gap is \
              demand minus supply, largest first (top 15). The headline is how many skills have \
              more demand than supply.",
        value: Some(gaps.iter().filter(|g| g.demand > g.supply).count() as f64),
        previous: None,
        unit: "",
        columns: cols(&[
            "skill",
            "open openings",
            "level asked",
            "employees at or above",
            "gap",
        ]),
        rows: gaps
            .iter()
            .map(|g| {
                vec![
                    g.skill.clone(),
                    g.demand.to_string(),
                    g.level.to_string(),
                    g.supply.to_string(),
                    (g.demand - g.supply).to_string(),
                ]
            })
            .collect(),
        chart: Chart::Bars {
            bars: gaps
                .iter()
                .map(|g| pt(g.skill.clone(), (g.demand - g.supply) as f64))
                .collect(),
        },
    }
}

/// Most managers listed (those with the most held releases and people moved out first).
pub const MANAGERS_MAX: usize = 100;

/// Mobility by manager, the slowest and most holding first.
pub(super) fn by_manager(rows: &[ManagerRow]) -> Figure {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| {
        (
            b.held_releases,
            b.moved_out,
            median(&b.act_days).map(|x| x as i64),
        )
            .cmp(&(
                a.held_releases,
                a.moved_out,
                median(&a.act_days).map(|x| x as i64),
            ))
            .then_with(|| a.name.cmp(&b.name))
    });
    let all: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.act_days.iter().copied())
        .collect();
    // The chart is in the headline's unit: median days to act, the slowest managers first.
    let mut slowest: Vec<(f64, &ManagerRow)> = rows
        .iter()
        .filter_map(|r| median(&r.act_days).map(|d| (d, r)))
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let slowest = slowest
        .iter()
        .take(12)
        .map(|(d, r)| pt(r.name.clone(), *d))
        .collect();
    rows.truncate(MANAGERS_MAX);
    Figure {
        key: "by-manager",
        title: "Mobility by manager",
        how: "Per manager: median days from an application's submission to their first decision \
              on it as the opening's owner, and from submission to their project approval; people \
              who moved out of their team (talent exported) and into their openings; moves whose \
              start came later than the policy's maximum release after the accepted offer. Listed \
              by releases held, then people moved out (the first 100). The headline is the \
              median days to act over all applications; the chart shows the same measure for the \
              12 slowest managers (people moved out are in the table).",
        value: median(&all),
        previous: None,
        unit: "days",
        columns: cols(&[
            "manager",
            "median days to act",
            "applications",
            "median days to approve",
            "approvals",
            "moved out",
            "moved in",
            "releases held past policy",
        ]),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    fmt(median(&r.act_days)),
                    r.act_days.len().to_string(),
                    fmt(median(&r.approval_days)),
                    r.approval_days.len().to_string(),
                    r.moved_out.to_string(),
                    r.moved_in.to_string(),
                    r.held_releases.to_string(),
                ]
            })
            .collect(),
        chart: Chart::Bars { bars: slowest },
    }
}
