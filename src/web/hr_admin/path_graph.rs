//! The career-path graph of each job family, laid out for a server-rendered SVG: one column
//! per level rank (left to right), the family's profiles stacked in their column, and the
//! profiles of other families that a lateral move reaches drawn in their rank's column too.

use std::collections::BTreeMap;

use crate::service::architecture::Architecture;

/// Width and height of a profile box.
pub const BOX_W: i32 = 170;
pub const BOX_H: i32 = 44;
const COL: i32 = 220;
const ROW: i32 = 64;
const PAD: i32 = 12;

/// A profile in the graph.
#[derive(Debug, Clone)]
pub struct Node {
    pub x: i32,
    pub y: i32,
    pub title: String,
    pub level: String,
    /// False for a profile of another family (reached by a lateral move).
    pub own: bool,
}

/// A career path, from one box edge to another.
#[derive(Debug, Clone)]
pub struct Edge {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    pub kind: String,
    pub label: String,
}

/// One family's graph.
#[derive(Debug, Clone)]
pub struct FamilyGraph {
    /// Unique on the page (for the SVG marker's id).
    pub id: usize,
    pub family: String,
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The graph of every family that has at least one career path.
pub fn layout(arch: &Architecture) -> Vec<FamilyGraph> {
    arch.families
        .iter()
        .filter_map(|family| family_graph(arch, family))
        .enumerate()
        .map(|(id, g)| FamilyGraph { id, ..g })
        .collect()
}

fn family_graph(arch: &Architecture, family: &str) -> Option<FamilyGraph> {
    let paths: Vec<_> = arch.paths.iter().filter(|p| p.family == family).collect();
    if paths.is_empty() {
        return None;
    }
    let reached: Vec<&str> = paths.iter().map(|p| p.to_title.as_str()).collect();
    let members: Vec<_> = arch
        .profiles
        .iter()
        .filter(|p| p.family == family || reached.contains(&p.title.as_str()))
        .collect();
    let mut columns: BTreeMap<i16, Vec<usize>> = BTreeMap::new();
    for (i, p) in members.iter().enumerate() {
        columns.entry(p.rank).or_default().push(i);
    }
    let mut nodes: Vec<Option<Node>> = vec![None; members.len()];
    let mut rows = 0;
    for (col, (_, ids)) in columns.iter().enumerate() {
        rows = rows.max(ids.len() as i32);
        for (row, &i) in ids.iter().enumerate() {
            let p = members[i];
            nodes[i] = Some(Node {
                x: PAD + col as i32 * COL,
                y: PAD + row as i32 * ROW,
                title: p.title.clone(),
                level: p.level.clone(),
                own: p.family == family,
            });
        }
    }
    let nodes: Vec<Node> = nodes.into_iter().flatten().collect();
    let at = |title: &str| nodes.iter().find(|n| n.title == title);
    let edges = paths
        .iter()
        .filter_map(|p| {
            Some(edge(
                at(&p.from_title)?,
                at(&p.to_title)?,
                &p.kind,
                p.typical_months,
            ))
        })
        .collect();
    Some(FamilyGraph {
        id: 0,
        family: family.to_owned(),
        width: PAD * 2 + (columns.len() as i32 - 1) * COL + BOX_W,
        height: PAD * 2 + (rows - 1) * ROW + BOX_H,
        nodes,
        edges,
    })
}

fn edge(from: &Node, to: &Node, kind: &str, months: i16) -> Edge {
    let (x1, y1, x2, y2) = if to.x > from.x {
        (from.x + BOX_W, from.y + BOX_H / 2, to.x, to.y + BOX_H / 2)
    } else if to.x < from.x {
        (from.x, from.y + BOX_H / 2, to.x + BOX_W, to.y + BOX_H / 2)
    } else if to.y > from.y {
        (from.x + BOX_W / 2, from.y + BOX_H, to.x + BOX_W / 2, to.y)
    } else {
        (from.x + BOX_W / 2, from.y, to.x + BOX_W / 2, to.y + BOX_H)
    };
    Edge {
        x1,
        y1,
        x2,
        y2,
        kind: kind.to_owned(),
        label: format!(
            "{} → {}: {kind}, about {months} months",
            from.title, to.title
        ),
    }
}
