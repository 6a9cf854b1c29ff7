//! What the matching index holds about each person and opening: their dense ids, a
//! person's profile and search status, an opening's requirements, kind and tags, one posting
//! of a held skill, and the perspective a single fit is computed from.

use serde::Serialize;

use super::model::{Evidence, OpeningKind, OpeningTags, Profile, Requirement};

/// A person as a dense index assigned by the loader (uuid -> index; never reused while the
/// index lives, so ties broken by id stay stable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PersonId(pub u32);

/// An opening (opportunity) as a dense index assigned by the loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OpeningId(pub u32);

/// What decides whether a person may appear in a talent search, kept apart from the
/// profile in a compact vector so filtering 100,000 candidates stays in cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PersonStatus {
    /// `employment_status = 'active'` (people on leave are kept but not searched by default;
    /// terminated people are not loaded).
    pub active: bool,
    /// `people.discoverable`: people who opt out never appear in talent search.
    pub discoverable: bool,
    /// `people.role_started_on` as days since 1970-01-01, for the time-in-role policy.
    pub role_started_on_day: i32,
}

/// A person in the index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonEntry {
    /// Skills and aspirations.
    pub profile: Profile,
    /// Employment, discoverability and time in role.
    pub status: PersonStatus,
}

/// An open opening in the index (drafts, closed and filled openings are not loaded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningEntry {
    /// Required skills; a skill listed twice keeps its first requirement.
    pub requirements: Vec<Requirement>,
    /// The person who posted it (never in its own talent search).
    pub owner: PersonId,
    /// Role, secondment, project or mentorship.
    pub kind: OpeningKind,
    /// Its job profile and family, for aspirations.
    pub tags: OpeningTags,
}

/// Which perspective a single fit is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Ranking {
    /// As a manager sees an applicant (no rarity, no aspirations).
    PeopleForOpening,
    /// As the person sees the opening (rarity and aspirations).
    OpeningsForPerson,
}

/// One posting of a skill: a person holding it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Holding {
    pub person: u32,
    pub level: u8,
    pub evidence: Evidence,
    pub confirmed_on_day: i32,
}
