//! The organisation's records: offices, departments and their teams, people (current and
//! former) and the three demo sign-ins, with lookups over them. `orgchart` builds it.

use uuid::Uuid;

use super::data::LocationDef;
use super::random::Day;

/// An office.
pub struct Location {
    pub id: Uuid,
    pub def: &'static LocationDef,
}

/// A department (top level) or a team (a department whose parent is a top-level one).
pub struct Department {
    pub id: Uuid,
    pub name: String,
    pub parent: Option<u32>,
    pub head: Option<u32>,
    /// The department's offices (indices into `locations`), the main one first.
    pub offices: Vec<u32>,
}

/// A team: a manager and the individual contributors reporting to them.
pub struct Team {
    pub department: u32,
    pub family: u32,
    pub manager: u32,
    pub location: u32,
    pub members: Vec<u32>,
}

/// An employee, current or former.
pub struct Person {
    pub id: Uuid,
    pub given: &'static str,
    pub family_name: &'static str,
    pub email: String,
    pub department: u32,
    pub manager: Option<u32>,
    pub location: u32,
    pub profile: u32,
    /// The team this person is a member of (individual contributors only).
    pub team: Option<u32>,
    pub hire: Day,
    pub role_start: Day,
    pub terminated: Option<Day>,
    pub hr_admin: bool,
    pub discoverable: bool,
    /// One of the three demo sign-ins (gets the demo password).
    pub can_sign_in: bool,
}

/// The three demo sign-ins.
#[derive(Debug, Clone, Copy)]
pub struct DemoAccounts {
    pub employee: u32,
    pub manager: u32,
    pub hr: u32,
}

/// The organisation. Active people come first in `people` (`0..active`), leavers after.
pub struct Org {
    pub locations: Vec<Location>,
    pub departments: Vec<Department>,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
    pub active: u32,
    pub ceo: u32,
    pub demo: DemoAccounts,
    /// Active direct reports of each person.
    pub reports: Vec<Vec<u32>>,
}

/// Relative weights of IC1..IC6 among individual contributors in teams: a pyramid (many
/// associates, professionals and seniors, few principals). Principal and distinguished
/// engineers mostly report to directors (see `orgchart`), never to a lower-ranked manager.
pub const IC_LEVEL_WEIGHTS: [u32; 6] = [17, 31, 30, 15, 5, 2];

/// A level of IC1..IC6 (an index into `LEVELS`) for someone reporting to a manager of rank
/// `manager_rank`: drawn from [`IC_LEVEL_WEIGHTS`] among the levels not above that rank.
pub fn ic_level_under(g: &mut super::random::Gen, manager_rank: u8) -> u32 {
    let allowed = (usize::from(manager_rank)).clamp(1, IC_LEVEL_WEIGHTS.len());
    g.weighted(&IC_LEVEL_WEIGHTS[..allowed]) as u32
}

impl Org {
    /// Indices of the active people.
    pub fn active_people(&self) -> std::ops::Range<u32> {
        0..self.active
    }

    /// Recompute `reports` from the manager links.
    pub fn index_reports(&mut self) {
        self.reports = vec![Vec::new(); self.people.len()];
        for (i, p) in self.people.iter().enumerate().take(self.active as usize) {
            if let Some(m) = p.manager {
                self.reports[m as usize].push(i as u32);
            }
        }
    }

    /// The office with this city name.
    pub fn location_named(&self, city: &str) -> Option<u32> {
        self.locations
            .iter()
            .position(|l| l.def.city == city)
            .map(|i| i as u32)
    }

    /// Display name of a person.
    pub fn name(&self, person: u32) -> String {
        let p = &self.people[person as usize];
        format!("{} {}", p.given, p.family_name)
    }
}
