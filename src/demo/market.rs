//! The marketplace's rows (opportunities, their skills and questions, applications and their
//! history) and the pools of people that applicants are drawn from.

use uuid::Uuid;

use super::org::Org;
use super::random::{Day, Gen, Stamp};
use super::taxonomy::{Importance, Taxonomy, IC3, IC4, IC6, LEVEL_COUNT, M1, M2};

/// What an opportunity offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OppKind {
    Role,
    Secondment,
    Project,
    Mentorship,
}

impl OppKind {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            OppKind::Role => "role",
            OppKind::Secondment => "secondment",
            OppKind::Project => "project",
            OppKind::Mentorship => "mentorship",
        }
    }
}

/// Where an opportunity stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OppStatus {
    Draft,
    Open,
    Closed,
    Filled,
}

impl OppStatus {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            OppStatus::Draft => "draft",
            OppStatus::Open => "open",
            OppStatus::Closed => "closed",
            OppStatus::Filled => "filled",
        }
    }
}

/// An opportunity posted on the marketplace.
#[derive(Debug, Clone)]
pub struct Opportunity {
    pub id: Uuid,
    pub kind: OppKind,
    pub status: OppStatus,
    pub title: String,
    pub description: String,
    pub owner: u32,
    pub department: u32,
    pub profile: Option<u32>,
    pub location: Option<u32>,
    pub work_mode: &'static str,
    pub positions: u16,
    pub positions_filled: u16,
    pub hours_per_week: Option<u8>,
    pub duration_weeks: Option<u16>,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub return_guaranteed: Option<bool>,
    pub closes_on: Option<Day>,
    pub published: Option<Stamp>,
    pub closed: Option<Stamp>,
    pub filled: Option<Stamp>,
    pub created: Stamp,
    pub updated: Stamp,
}

/// A skill an opportunity asks for.
#[derive(Debug, Clone)]
pub struct OppSkill {
    pub opportunity: u32,
    pub skill: u32,
    pub level: u8,
    pub importance: Importance,
}

/// A screening question.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Uuid,
    pub opportunity: u32,
    pub position: u8,
    pub prompt: &'static str,
    pub required: bool,
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppStatus {
    Submitted,
    InReview,
    Interviewing,
    Offered,
    Accepted,
    Declined,
    Rejected,
    Withdrawn,
}

impl AppStatus {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            AppStatus::Submitted => "submitted",
            AppStatus::InReview => "in_review",
            AppStatus::Interviewing => "interviewing",
            AppStatus::Offered => "offered",
            AppStatus::Accepted => "accepted",
            AppStatus::Declined => "declined",
            AppStatus::Rejected => "rejected",
            AppStatus::Withdrawn => "withdrawn",
        }
    }

    /// Still in the running (counts toward the active-applications limit).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            AppStatus::Submitted
                | AppStatus::InReview
                | AppStatus::Interviewing
                | AppStatus::Offered
        )
    }

    /// A final status with a decision time.
    pub fn is_final(self) -> bool {
        !self.is_active()
    }
}

/// The current manager's approval of a project's hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    NotNeeded,
    Pending,
    Approved,
}

impl Approval {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::NotNeeded => "not_needed",
            Approval::Pending => "pending",
            Approval::Approved => "approved",
        }
    }
}

/// An application to an opportunity.
#[derive(Debug, Clone)]
pub struct Application {
    pub id: Uuid,
    pub opportunity: u32,
    pub applicant: u32,
    pub status: AppStatus,
    pub motivation: &'static str,
    pub fit: u8,
    pub approval: Approval,
    pub approval_by: Option<u32>,
    pub approval_at: Option<Stamp>,
    pub informed: Option<Stamp>,
    pub submitted: Stamp,
    pub decided: Option<Stamp>,
    pub updated: Stamp,
}

/// One step of an application's history.
#[derive(Debug, Clone)]
pub struct AppEvent {
    pub application: u32,
    pub from: Option<AppStatus>,
    pub to: AppStatus,
    pub actor: Option<u32>,
    pub reason: &'static str,
    pub at: Stamp,
}

/// An answer to a screening question.
#[derive(Debug, Clone)]
pub struct Answer {
    pub application: u32,
    pub question: u32,
    pub answer: &'static str,
}

/// Everything on the marketplace.
#[derive(Default)]
pub struct Market {
    pub opportunities: Vec<Opportunity>,
    pub skills: Vec<OppSkill>,
    pub questions: Vec<Question>,
    pub applications: Vec<Application>,
    pub events: Vec<AppEvent>,
    pub answers: Vec<Answer>,
}

impl Market {
    /// Opportunities of a kind and status.
    pub fn count(&self, status: OppStatus) -> u64 {
        self.opportunities
            .iter()
            .filter(|o| o.status == status)
            .count() as u64
    }
}

/// Active people grouped by job family and level, to draw applicants from.
pub struct Pools {
    by_profile: Vec<Vec<u32>>,
}

impl Pools {
    /// Group the active people (the CEO aside).
    pub fn new(t: &Taxonomy, org: &Org) -> Pools {
        let mut by_profile = vec![Vec::new(); t.profiles.len()];
        for p in org.active_people().filter(|&p| p != org.ceo) {
            by_profile[org.people[p as usize].profile as usize].push(p);
        }
        Pools { by_profile }
    }

    /// Someone who could plausibly move into `profile`: the same level or the one below in
    /// the family, or the same level in a related family. None when all are empty.
    pub fn candidate_for(&self, t: &Taxonomy, profile: u32, g: &mut Gen) -> Option<u32> {
        let family = t.family_of(profile);
        let level = t.level_of(profile);
        let mut buckets = vec![profile, profile];
        let below: &[u32] = match level {
            0 => &[],
            l if l <= IC6 => &[l - 1],
            l if l == M1 => &[IC3, IC4],
            l if l == M2 => &[M1, IC4],
            l => &[l - 1],
        };
        for &b in below {
            buckets.extend([t.profile(family, b); 3]);
        }
        for &other in &t.families[family as usize].lateral {
            buckets.push(t.profile(other, level));
        }
        buckets.retain(|&b| !self.by_profile[b as usize].is_empty());
        if buckets.is_empty() {
            return None;
        }
        let bucket = &self.by_profile[g.choose(&buckets) as usize];
        Some(g.choose(bucket))
    }

    /// Anyone in `family` at any level (None when the family is empty).
    pub fn in_family(&self, family: u32, g: &mut Gen) -> Option<u32> {
        let start = (family * LEVEL_COUNT) as usize;
        let buckets: Vec<&Vec<u32>> = self.by_profile[start..start + LEVEL_COUNT as usize]
            .iter()
            .filter(|b| !b.is_empty())
            .collect();
        if buckets.is_empty() {
            return None;
        }
        let bucket = buckets[g.below(buckets.len())];
        Some(g.choose(bucket))
    }
}
