//! The compact data the engine works on: dense skill ids, levels, evidence, profiles,
//! requirements and the related-skills graph. The loader maps database uuids to these dense
//! ids once; inside the engine everything is a small `Copy` value or a sorted `Vec`.

use serde::{Deserialize, Serialize};

/// A skill as a dense index `0..number_of_skills`, assigned by the loader (uuid -> index).
///
/// Dense ids let the engine keep per-skill data in plain vectors instead of hash maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SkillId(pub u32);

impl SkillId {
    /// The id as a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A proficiency level, 1 (Novice) to 5 (Expert); 0 means "not held" where a `Gap` or a
/// course entry level needs it. The database constrains the values, the engine trusts them.
pub type Level = u8;

/// The highest proficiency level (Expert).
pub const MAX_LEVEL: Level = 5;

/// Where a skill level comes from. Stronger evidence counts for more in matching
/// (see `MatchConfig::evidence_factor`). The variants are ordered from weakest to strongest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The person said so.
    SelfAssessed,
    /// The person completed a course that brings a learner to this level.
    CourseCompleted,
    /// The person's manager confirmed the level.
    ManagerValidated,
    /// A third party or a test confirmed the level.
    Assessed,
}

impl Evidence {
    /// Parses the `person_skills.evidence` column value.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "self_assessed" => Some(Self::SelfAssessed),
            "course_completed" => Some(Self::CourseCompleted),
            "manager_validated" => Some(Self::ManagerValidated),
            "assessed" => Some(Self::Assessed),
            _ => None,
        }
    }

    /// The `person_skills.evidence` column value.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::SelfAssessed => "self_assessed",
            Self::CourseCompleted => "course_completed",
            Self::ManagerValidated => "manager_validated",
            Self::Assessed => "assessed",
        }
    }
}

/// How much a requirement matters to the opening (weights in `MatchConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Importance {
    /// Must have: missing it caps the score.
    Essential,
    /// Should have.
    Important,
    /// A plus.
    NiceToHave,
}

impl Importance {
    /// Parses the `opportunity_skills.importance` / `job_profile_skills.importance` value.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "essential" => Some(Self::Essential),
            "important" => Some(Self::Important),
            "nice_to_have" => Some(Self::NiceToHave),
            _ => None,
        }
    }

    /// The column value.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Essential => "essential",
            Self::Important => "important",
            Self::NiceToHave => "nice_to_have",
        }
    }
}

/// One skill a person holds, with the evidence behind its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSkill {
    /// The skill.
    pub skill: SkillId,
    /// The level held, 1..=5.
    pub level: Level,
    /// Where the level comes from.
    pub evidence: Evidence,
    /// Days since 1970-01-01 of the last confirmation: the row's last update for a
    /// self-assessed level, the validation date, or the course completion date. Only used to
    /// decide whether a self-assessed level is stale.
    pub confirmed_on_day: i32,
}

/// What a person would like to do next. Used only when ranking openings for that person,
/// where matching aspirations add a few explicit points (see `MatchConfig`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspirations {
    /// Job profiles (dense ids) the person aims for (`aspiration_targets`).
    pub target_profiles: Vec<u32>,
    /// Skills the person wants to grow (`aspiration_interests.skill_id`).
    pub interest_skills: Vec<SkillId>,
    /// Job families (dense ids) the person is curious about (`aspiration_interests.job_family_id`).
    pub interest_families: Vec<u32>,
}

impl Aspirations {
    /// True when the person has no aspirations at all (the common case; lets callers skip work).
    pub fn is_empty(&self) -> bool {
        self.target_profiles.is_empty()
            && self.interest_skills.is_empty()
            && self.interest_families.is_empty()
    }
}

/// Where a person stands and what moves they are open to: the level of their current job
/// profile and their mobility preferences (`aspirations.open_to_*`). Used only when ranking
/// openings for that person (the direction of a move and the preference reasons). The
/// default knows no level and is open to everything, so it changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mobility {
    /// The rank of the person's current job level (`job_levels.rank`), if they have a job
    /// profile. IC and manager levels share one scale (M1 ranks with IC4).
    pub rank: Option<u8>,
    /// The person said a step down suits them (a target job profile below their level).
    pub open_to_step_down: bool,
    /// The person's location (dense id), if known.
    pub location: Option<u32>,
    /// `aspirations.open_to_relocation`: an onsite or hybrid opening elsewhere is fine.
    pub open_to_relocation: bool,
    /// The kinds the person is open to (`open_to_roles`, `open_to_secondments`,
    /// `open_to_projects`, `open_to_mentoring`), in that order.
    pub open_to: [bool; 4],
}

impl Default for Mobility {
    fn default() -> Self {
        Self {
            rank: None,
            open_to_step_down: false,
            location: None,
            open_to_relocation: true,
            open_to: [true; 4],
        }
    }
}

/// A person's skills (sorted by skill, one entry per skill), aspirations and mobility.
///
/// The skills are kept sorted so a lookup is a binary search over ~12 entries and the whole
/// profile is one small allocation: the index holds 200,000 of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    skills: Vec<HeldSkill>,
    aspirations: Aspirations,
    mobility: Mobility,
}

impl Profile {
    /// Builds a profile. Skills are sorted; when a skill appears twice the entry with the
    /// higher level wins, then the stronger evidence, then the later confirmation.
    pub fn new(mut skills: Vec<HeldSkill>) -> Self {
        skills.sort_by(|a, b| {
            a.skill
                .cmp(&b.skill)
                .then(b.level.cmp(&a.level))
                .then(b.evidence.cmp(&a.evidence))
                .then(b.confirmed_on_day.cmp(&a.confirmed_on_day))
        });
        skills.dedup_by_key(|h| h.skill);
        Self {
            skills,
            aspirations: Aspirations::default(),
            mobility: Mobility::default(),
        }
    }

    /// The same profile with this level and these mobility preferences.
    pub fn with_mobility(mut self, mobility: Mobility) -> Self {
        self.mobility = mobility;
        self
    }

    /// The person's level and mobility preferences.
    pub fn mobility(&self) -> &Mobility {
        &self.mobility
    }

    /// The same profile with these aspirations.
    pub fn with_aspirations(mut self, aspirations: Aspirations) -> Self {
        self.aspirations = aspirations;
        self
    }

    /// The held skills, sorted by skill id.
    pub fn skills(&self) -> &[HeldSkill] {
        &self.skills
    }

    /// The person's aspirations.
    pub fn aspirations(&self) -> &Aspirations {
        &self.aspirations
    }

    /// The holding of one skill, if any.
    pub fn get(&self, skill: SkillId) -> Option<&HeldSkill> {
        self.skills
            .binary_search_by_key(&skill, |h| h.skill)
            .ok()
            .map(|i| &self.skills[i])
    }

    /// Adds or replaces the holding of `held.skill`.
    pub fn upsert(&mut self, held: HeldSkill) {
        match self.skills.binary_search_by_key(&held.skill, |h| h.skill) {
            Ok(i) => self.skills[i] = held,
            Err(i) => self.skills.insert(i, held),
        }
    }

    /// Removes the holding of a skill, returning it.
    pub fn remove(&mut self, skill: SkillId) -> Option<HeldSkill> {
        match self.skills.binary_search_by_key(&skill, |h| h.skill) {
            Ok(i) => Some(self.skills.remove(i)),
            Err(_) => None,
        }
    }
}

/// The kind of an opening (`opportunities.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpeningKind {
    /// A permanent move.
    Role,
    /// A temporary full-time move.
    Secondment,
    /// Part-time work beside the current role.
    Project,
    /// Guidance in some skills.
    Mentorship,
}

impl OpeningKind {
    /// Parses the `opportunities.kind` column value.
    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "role" => Some(Self::Role),
            "secondment" => Some(Self::Secondment),
            "project" => Some(Self::Project),
            "mentorship" => Some(Self::Mentorship),
            _ => None,
        }
    }

    /// Position in `Mobility::open_to` (roles, secondments, projects, mentoring).
    pub fn preference_slot(self) -> usize {
        match self {
            Self::Role => 0,
            Self::Secondment => 1,
            Self::Project => 2,
            Self::Mentorship => 3,
        }
    }

    /// The plural a person reads ("secondments").
    pub fn plural(self) -> &'static str {
        match self {
            Self::Role => "roles",
            Self::Secondment => "secondments",
            Self::Project => "projects",
            Self::Mentorship => "mentorships",
        }
    }

    /// Whether the mobility policy's time in role applies (roles and secondments).
    pub fn needs_time_in_role(self) -> bool {
        matches!(self, Self::Role | Self::Secondment)
    }
}

/// One skill an opening (or a job profile) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The skill asked for.
    pub skill: SkillId,
    /// The level asked, 1..=5.
    pub level: Level,
    /// How much it matters.
    pub importance: Importance,
}

/// What the engine needs to know about an opening besides its requirements, to rank it for
/// a person: the job profile it fills, that profile's family (dense ids) and level, its
/// kind and where it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningTags {
    /// The job profile the mover takes (roles and secondments), if any.
    pub job_profile: Option<u32>,
    /// The job family of that profile, if any.
    pub job_family: Option<u32>,
    /// The rank of that profile's level, if any: the direction of the move.
    pub rank: Option<u8>,
    /// Role, secondment, project or mentorship (`None` in tests that do not care).
    pub kind: Option<OpeningKind>,
    /// The opening's location (dense id), if any.
    pub location: Option<u32>,
    /// `work_mode = 'remote'`: the location does not matter.
    pub remote: bool,
}

/// A related skill and how strongly it relates, in (0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Related {
    /// The related skill.
    pub skill: SkillId,
    /// The relation's strength (`skill_relations.strength`).
    pub strength: f32,
}

/// The related-skills graph as adjacency lists (compressed: one offsets vector, one edges
/// vector). Symmetric: if A relates to B, B relates to A with the same strength.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SkillGraph {
    offsets: Vec<u32>,
    edges: Vec<Related>,
}

impl SkillGraph {
    /// A graph without relations.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Builds the graph from `(skill, related skill, strength)` triples. Each edge is stored
    /// in both directions; self-loops and strengths that are not in (0, 1] after clamping to 1
    /// are dropped; when a pair appears more than once the strongest strength wins.
    pub fn new(edges: impl IntoIterator<Item = (SkillId, SkillId, f32)>) -> Self {
        let mut pairs: Vec<(SkillId, SkillId, f32)> = Vec::new();
        for (a, b, s) in edges {
            if a == b || s.is_nan() || s <= 0.0 {
                continue;
            }
            let s = s.min(1.0);
            pairs.push((a, b, s));
            pairs.push((b, a, s));
        }
        pairs.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(y.2.total_cmp(&x.2)));
        pairs.dedup_by_key(|p| (p.0, p.1));
        let n = pairs.last().map_or(0, |p| p.0.index() + 1);
        let mut offsets = vec![0u32; n + 1];
        for p in &pairs {
            offsets[p.0.index() + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let edges = pairs
            .into_iter()
            .map(|(_, skill, strength)| Related { skill, strength })
            .collect();
        Self { offsets, edges }
    }

    /// The skills related to `skill`, sorted by skill id (empty for an unknown skill).
    pub fn related(&self, skill: SkillId) -> &[Related] {
        let i = skill.index();
        if i + 1 >= self.offsets.len() {
            return &[];
        }
        &self.edges[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The strength of the relation between two skills, if they are related.
    pub fn strength(&self, a: SkillId, b: SkillId) -> Option<f32> {
        let rel = self.related(a);
        rel.binary_search_by_key(&b, |r| r.skill)
            .ok()
            .map(|i| rel[i].strength)
    }

    /// Number of stored (directed) edges: twice the number of relations.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
}
