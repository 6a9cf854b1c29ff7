//! Careers over time: hire dates and time in role, the leavers of the last three years, and
//! the moves HR recorded (external hires, promotions and lateral moves, leavers).

use uuid::Uuid;

use super::architecture::{lateral_from, promoted_from};
use super::data::StaticData;
use super::org::{ic_level_under, Org};
use super::people::new_person;
use super::random::{Day, Gen, Stream};
use super::taxonomy::{Taxonomy, M3};

/// History covered by moves, applications and learning: three years.
pub const HISTORY_DAYS: i32 = 1095;
/// The oldest hire date: twelve years ago.
const MAX_TENURE_DAYS: i32 = 4380;

/// What kind of change a move records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    Promotion,
    LateralMove,
    SecondmentStart,
    SecondmentEnd,
    ProjectAssignment,
    ExternalHire,
    Leaver,
}

impl MoveKind {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveKind::Promotion => "promotion",
            MoveKind::LateralMove => "lateral_move",
            MoveKind::SecondmentStart => "secondment_start",
            MoveKind::SecondmentEnd => "secondment_end",
            MoveKind::ProjectAssignment => "project_assignment",
            MoveKind::ExternalHire => "external_hire",
            MoveKind::Leaver => "leaver",
        }
    }
}

/// Where a move was recorded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveSource {
    Marketplace,
    Import,
    ExternalHire,
    Leaver,
}

impl MoveSource {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveSource::Marketplace => "marketplace",
            MoveSource::Import => "import",
            MoveSource::ExternalHire => "external_hire",
            MoveSource::Leaver => "leaver",
        }
    }
}

/// A recorded change of position.
#[derive(Debug, Clone)]
pub struct Move {
    pub id: Uuid,
    pub person: u32,
    pub kind: MoveKind,
    pub source: MoveSource,
    pub from_profile: Option<u32>,
    pub to_profile: Option<u32>,
    pub from_department: Option<u32>,
    pub to_department: Option<u32>,
    pub effective: Day,
    pub planned_end: Option<Day>,
    pub release: Option<Day>,
    pub opportunity: Option<u32>,
    pub application: Option<u32>,
    pub related: Option<u32>,
    pub recorded_by: Option<u32>,
}

impl Move {
    fn new(id: Uuid, person: u32, kind: MoveKind, source: MoveSource, effective: Day) -> Move {
        Move {
            id,
            person,
            kind,
            source,
            from_profile: None,
            to_profile: None,
            from_department: None,
            to_department: None,
            effective,
            planned_end: None,
            release: None,
            opportunity: None,
            application: None,
            related: None,
            recorded_by: None,
        }
    }
}

/// Date everyone, add the leavers, and record the moves HR would have imported.
pub fn build(t: &Taxonomy, data: &'static StaticData, org: &mut Org, seed: u64) -> Vec<Move> {
    let mut g = Gen::new(seed, Stream::Timeline);
    let mut moves = Vec::new();
    let recorder = Some(org.demo.hr);
    for p in org.active_people() {
        let level = t.level_of(org.people[p as usize].profile);
        let (hire, role_start) = tenure(&mut g, level >= M3);
        let person = &mut org.people[p as usize];
        person.hire = Day(-hire);
        person.role_start = Day(-role_start);
    }
    let fixed = [
        (org.ceo, 4000, 2200),
        (org.demo.employee, 1300, 600),
        (org.demo.manager, 1900, 800),
        (org.demo.hr, 1500, 700),
    ];
    for (p, hire, role_start) in fixed {
        org.people[p as usize].hire = Day(-hire);
        org.people[p as usize].role_start = Day(-role_start);
    }
    let teams_by_family = teams_by_family(t, org);
    for p in org.active_people() {
        career_moves(t, org, &teams_by_family, p, &mut g, recorder, &mut moves);
    }
    // Leavers: about 8% of the head count a year.
    let leavers = (f64::from(org.active) * 0.08 * 3.0).round() as u32;
    for _ in 0..leavers {
        if org.teams.is_empty() {
            break;
        }
        let team = &org.teams[g.below(org.teams.len())];
        let level = ic_level_under(&mut g, t.rank_of(org.people[team.manager as usize].profile));
        let profile = t.profile(team.family, level);
        let (dept, manager, location) = (team.department, team.manager, team.location);
        let mut person = new_person(&mut g, data, profile, dept, Some(manager), location, None);
        let terminated = Day(-g.i32(1..=HISTORY_DAYS));
        let hire = terminated
            .plus(-g.i32(120..=3000))
            .max(Day(-MAX_TENURE_DAYS));
        let role_start = if g.chance(0.7) || terminated.0 - hire.0 < 240 {
            hire
        } else {
            Day(g.i32(hire.0 + 180..=terminated.0 - 30))
        };
        person.hire = hire;
        person.role_start = role_start;
        person.terminated = Some(terminated);
        org.people.push(person);
        let p = org.people.len() as u32 - 1;
        career_moves(t, org, &teams_by_family, p, &mut g, recorder, &mut moves);
        let mut leaving = Move::new(g.id(), p, MoveKind::Leaver, MoveSource::Leaver, terminated);
        leaving.from_profile = Some(profile);
        leaving.from_department = Some(dept);
        leaving.recorded_by = recorder;
        moves.push(leaving);
    }
    moves
}

/// Days since hire and days in the current role.
fn tenure(g: &mut Gen, leader: bool) -> (i32, i32) {
    let role = if leader {
        g.i32(180..=2200)
    } else {
        let r = g.unit();
        if r < 0.15 {
            g.i32(2..=364)
        } else if r < 0.75 {
            g.i32(365..=1460)
        } else {
            g.i32(1461..=3650)
        }
    };
    let hired_into_role = if leader {
        0.1
    } else if role < HISTORY_DAYS {
        0.45
    } else {
        0.6
    };
    let extra = if g.chance(hired_into_role) {
        0
    } else if leader {
        g.i32(700..=3500)
    } else {
        g.i32(200..=3000)
    };
    ((role + extra).min(MAX_TENURE_DAYS), role)
}

fn teams_by_family(t: &Taxonomy, org: &Org) -> Vec<Vec<u32>> {
    let mut by_family = vec![Vec::new(); t.families.len()];
    for (i, team) in org.teams.iter().enumerate() {
        by_family[team.family as usize].push(i as u32);
    }
    by_family
}

/// The moves of the last three years that led `p` to their current profile: an external
/// hire, then up to two promotions or lateral moves (the last on `role_start`).
fn career_moves(
    t: &Taxonomy,
    org: &Org,
    teams_by_family: &[Vec<u32>],
    p: u32,
    g: &mut Gen,
    recorder: Option<u32>,
    moves: &mut Vec<Move>,
) {
    let person = &org.people[p as usize];
    let (hire, role_start) = (person.hire, person.role_start);
    // (date, profile, department, kind), newest first
    let mut chain: Vec<(Day, u32, u32, MoveKind)> = Vec::new();
    let (mut profile, mut dept) = (person.profile, person.department);
    if role_start > hire && role_start.0 >= -HISTORY_DAYS {
        let Some((from, kind)) = previous_profile(t, profile, g) else {
            return;
        };
        chain.push((role_start, profile, dept, kind));
        dept = department_for(t, org, teams_by_family, from, dept, kind, g);
        profile = from;
        let earliest = hire.0.max(-HISTORY_DAYS) + 180;
        if role_start.0 - 365 >= earliest && g.chance(0.3) {
            if let Some(before) = promoted_from(t, profile, g) {
                chain.push((
                    Day(g.i32(earliest..=role_start.0 - 365)),
                    profile,
                    dept,
                    MoveKind::Promotion,
                ));
                dept = department_for(
                    t,
                    org,
                    teams_by_family,
                    before,
                    dept,
                    MoveKind::Promotion,
                    g,
                );
                profile = before;
            }
        }
    }
    if hire.0 >= -HISTORY_DAYS {
        let mut m = Move::new(
            g.id(),
            p,
            MoveKind::ExternalHire,
            MoveSource::ExternalHire,
            hire,
        );
        m.to_profile = Some(profile);
        m.to_department = Some(dept);
        m.recorded_by = recorder;
        moves.push(m);
    }
    for (day, to, to_dept, kind) in chain.into_iter().rev() {
        let mut m = Move::new(g.id(), p, kind, MoveSource::Import, day);
        m.from_profile = Some(profile);
        m.to_profile = Some(to);
        m.from_department = Some(dept);
        m.to_department = Some(to_dept);
        m.recorded_by = recorder;
        moves.push(m);
        profile = to;
        dept = to_dept;
    }
}

/// Where someone came from into `profile`: the level below (70%) or a related family.
fn previous_profile(t: &Taxonomy, profile: u32, g: &mut Gen) -> Option<(u32, MoveKind)> {
    let promotion = if g.chance(0.7) {
        promoted_from(t, profile, g)
    } else {
        None
    };
    match promotion {
        Some(from) => Some((from, MoveKind::Promotion)),
        None => lateral_from(t, profile, g)
            .map(|from| (from, MoveKind::LateralMove))
            .or_else(|| promoted_from(t, profile, g).map(|from| (from, MoveKind::Promotion))),
    }
}

/// The department someone in `profile` worked in before moving to `current`: the same one
/// for most promotions, else a team of the profile's family.
fn department_for(
    t: &Taxonomy,
    org: &Org,
    teams_by_family: &[Vec<u32>],
    profile: u32,
    current: u32,
    kind: MoveKind,
    g: &mut Gen,
) -> u32 {
    let teams = &teams_by_family[t.family_of(profile) as usize];
    if (kind == MoveKind::Promotion && g.chance(0.6)) || teams.is_empty() {
        return current;
    }
    org.teams[g.choose(teams) as usize].department
}
