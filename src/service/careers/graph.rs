//! The career-path graph from a person's job profile: the paths out (promotions and lateral
//! moves) up to `DEPTH` steps, laid out in layers for a server-rendered SVG, with the
//! person's fit for every profile.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::fit::{self, ProfileSkill};
use crate::app::state::AppState;
use crate::error::Result;

/// How many steps out the graph goes.
pub const DEPTH: usize = 3;
/// At most this many profiles per step (the best fits).
const PER_LAYER: usize = 6;

/// Layout of the SVG, in pixels.
pub const NODE_W: i32 = 190;
pub const NODE_H: i32 = 62;
const COL_GAP: i32 = 100;
const ROW_GAP: i32 = 22;
const PAD: i32 = 12;

/// A job profile in the graph.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Node {
    pub profile_id: Uuid,
    pub title: String,
    /// The level code (IC4, M1, ...).
    pub level: String,
    pub family: String,
    /// The person's fit, 0-100.
    pub fit: u8,
    /// Steps from the current profile (0 is the current one).
    pub step: usize,
    /// Top-left corner in the SVG.
    pub x: i32,
    pub y: i32,
}

impl Node {
    /// The title cut to fit a node box.
    pub fn short_title(&self) -> String {
        let mut t: String = self.title.chars().take(24).collect();
        if t.len() < self.title.len() {
            t.push('…');
        }
        t
    }

    /// Width of the fit bar inside the node.
    pub fn bar(&self) -> i32 {
        i32::from(self.fit) * (NODE_W - 24) / 100
    }
}

/// A path between two profiles of the graph.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Edge {
    pub from: Uuid,
    pub to: Uuid,
    /// promotion or lateral.
    pub kind: String,
    pub typical_months: i16,
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    /// Only one edge into each profile carries a label (beside its arrow), so labels
    /// never overlap; the list under the graph has every path.
    pub labelled: bool,
}

impl Edge {
    /// The middle of the edge (the curve's control points).
    pub fn mid(&self) -> i32 {
        (self.x1 + self.x2) / 2
    }

    /// Where the label goes: just before the arrow, above the line.
    pub fn label_at(&self) -> (i32, i32) {
        (self.x2 - COL_GAP / 2 - 2, self.y2 - 6)
    }
}

/// The graph and its size (empty, 0 by 0, for a person without a job profile).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CareerGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub width: i32,
    pub height: i32,
}

impl CareerGraph {
    /// The node of a profile.
    pub fn node(&self, id: &Uuid) -> Option<&Node> {
        self.nodes.iter().find(|n| n.profile_id == *id)
    }

    /// The profiles one step or more away (not the current one).
    pub fn targets(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(|n| n.step > 0)
    }
}

/// The required skills of some profiles.
pub async fn profile_skills(
    state: &AppState,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<ProfileSkill>>> {
    let rows = sqlx::query!(
        "select job_profile_id, skill_id, level, importance from job_profile_skills
         where job_profile_id = any($1)",
        ids
    )
    .fetch_all(&state.db)
    .await?;
    let mut out: HashMap<Uuid, Vec<ProfileSkill>> = ids.iter().map(|i| (*i, Vec::new())).collect();
    for r in rows {
        out.entry(r.job_profile_id).or_default().push(ProfileSkill {
            skill: r.skill_id,
            level: r.level,
            importance: r.importance,
        });
    }
    Ok(out)
}

/// The graph from the person's current profile; None when they have no job profile.
pub async fn load(state: &AppState, person: Uuid) -> Result<Option<CareerGraph>> {
    let Some(start) =
        sqlx::query_scalar!("select job_profile_id from people where id = $1", person)
            .fetch_optional(&state.db)
            .await?
            .flatten()
    else {
        return Ok(None);
    };
    let edges = sqlx::query!(
        r#"with recursive walk(id, depth) as (
             select $1::uuid, 0
             union
             select cp.to_profile_id, w.depth + 1 from walk w
             join career_paths cp on cp.from_profile_id = w.id
             join job_profiles jp on jp.id = cp.to_profile_id and jp.retired_at is null
             where w.depth < $2
           )
           select distinct cp.from_profile_id, cp.to_profile_id, cp.kind, cp.typical_months
           from career_paths cp where cp.from_profile_id in (select id from walk)"#,
        start,
        DEPTH as i32 - 1
    )
    .fetch_all(&state.db)
    .await?;
    // Breadth-first steps from the start.
    let mut step: HashMap<Uuid, usize> = HashMap::from([(start, 0)]);
    for d in 0..DEPTH {
        for e in &edges {
            if step.get(&e.from_profile_id) == Some(&d) && !step.contains_key(&e.to_profile_id) {
                step.insert(e.to_profile_id, d + 1);
            }
        }
    }
    let ids: Vec<Uuid> = step.keys().copied().collect();
    let skills = profile_skills(state, &ids).await?;
    let scores = fit::scores(&state.engine, person, &skills, crate::engine::today());
    let info = sqlx::query!(
        "select jp.id, jp.title, l.code, f.name from job_profiles jp
         join job_levels l on l.id = jp.level_id join job_families f on f.id = jp.family_id
         where jp.id = any($1)",
        &ids
    )
    .fetch_all(&state.db)
    .await?;
    let mut layers: Vec<Vec<Node>> = vec![Vec::new(); DEPTH + 1];
    for p in info {
        let s = step[&p.id];
        layers[s].push(Node {
            profile_id: p.id,
            title: p.title,
            level: p.code,
            family: p.name,
            fit: scores.get(&p.id).copied().unwrap_or(0),
            step: s,
            x: 0,
            y: 0,
        });
    }
    Ok(Some(layout(
        layers,
        &edges
            .iter()
            .map(|e| {
                (
                    e.from_profile_id,
                    e.to_profile_id,
                    e.kind.clone(),
                    e.typical_months,
                )
            })
            .collect::<Vec<_>>(),
    )))
}

/// Place the best `PER_LAYER` nodes of each step in a column; keep the edges between
/// consecutive steps.
fn layout(mut layers: Vec<Vec<Node>>, edges: &[(Uuid, Uuid, String, i16)]) -> CareerGraph {
    layers.retain(|l| !l.is_empty());
    let mut nodes = Vec::new();
    let tallest = layers
        .iter()
        .map(|l| l.len().min(PER_LAYER))
        .max()
        .unwrap_or(1) as i32;
    let height = PAD * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP;
    for (col, layer) in layers.iter_mut().enumerate() {
        layer.sort_by(|a, b| b.fit.cmp(&a.fit).then(a.title.cmp(&b.title)));
        layer.truncate(PER_LAYER);
        let n = layer.len() as i32;
        let top = (height - (n * NODE_H + (n - 1) * ROW_GAP)) / 2;
        for (row, node) in layer.iter_mut().enumerate() {
            node.x = PAD + col as i32 * (NODE_W + COL_GAP);
            node.y = top + row as i32 * (NODE_H + ROW_GAP);
            nodes.push(node.clone());
        }
    }
    let at: HashMap<Uuid, &Node> = nodes.iter().map(|n| (n.profile_id, n)).collect();
    let mut seen = HashSet::new();
    let mut labelled = HashSet::new();
    let mut edges: Vec<Edge> = edges
        .iter()
        .filter_map(|(from, to, kind, months)| {
            let (a, b) = (at.get(from)?, at.get(to)?);
            (b.step == a.step + 1 && seen.insert((*from, *to))).then(|| Edge {
                from: *from,
                to: *to,
                kind: kind.clone(),
                typical_months: *months,
                x1: a.x + NODE_W,
                y1: a.y + NODE_H / 2,
                x2: b.x,
                y2: b.y + NODE_H / 2,
                labelled: labelled.insert(*to),
            })
        })
        .collect();
    edges.sort_by_key(|e| (at[&e.to].step, at[&e.to].y, at[&e.from].y));
    let width = PAD * 2 + layers.len() as i32 * NODE_W + (layers.len() as i32 - 1).max(0) * COL_GAP;
    CareerGraph {
        nodes,
        edges,
        width,
        height,
    }
}
