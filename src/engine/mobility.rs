//! A person's level and mobility preferences as the engine sees them, from their job
//! profile, location and aspirations (`aspirations.open_to_*`, target job profiles).

use std::collections::HashMap;

use uuid::Uuid;

use crate::matching::{Aspirations, Mobility};

use super::ids::Ids;

/// What the engine knows of a job profile: its family (dense id), its level's rank and its
/// title (for reasons).
#[derive(Debug, Clone)]
pub struct ProfileInfo {
    pub family: u32,
    pub rank: u8,
    pub title: String,
}

/// A person's row as far as mobility goes: their profile, location and, when they filled in
/// their aspirations, the `open_to_*` flags (relocation, roles, secondments, projects,
/// mentoring).
pub(super) struct MobilityRow {
    pub job_profile_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub open_to: Option<[bool; 5]>,
}

/// The person's level and preferences. Someone who never filled in their aspirations said
/// nothing against any kind of move, so nothing counts against them. A step down suits a
/// person with a target job profile below their current level.
pub(super) fn mobility(
    ids: &Ids,
    profiles: &HashMap<u32, ProfileInfo>,
    row: &MobilityRow,
    aspirations: &Aspirations,
) -> Mobility {
    let rank_of = |p: u32| profiles.get(&p).map(|i| i.rank);
    let rank = row
        .job_profile_id
        .and_then(|p| ids.profile_of(p))
        .and_then(rank_of);
    let mut m = Mobility {
        rank,
        open_to_step_down: rank.is_some_and(|r| {
            aspirations
                .target_profiles
                .iter()
                .any(|&t| rank_of(t).is_some_and(|t| t < r))
        }),
        location: row.location_id.and_then(|l| ids.location_of(l)),
        ..Mobility::default()
    };
    if let Some([relocation, roles, secondments, projects, mentoring]) = row.open_to {
        m.open_to_relocation = relocation;
        m.open_to = [roles, secondments, projects, mentoring];
    }
    m
}

/// The `open_to_*` flags when the person has an aspirations row (all present or all absent).
pub(super) fn open_to(
    relocation: Option<bool>,
    roles: Option<bool>,
    secondments: Option<bool>,
    projects: Option<bool>,
    mentoring: Option<bool>,
) -> Option<[bool; 5]> {
    Some([relocation?, roles?, secondments?, projects?, mentoring?])
}
