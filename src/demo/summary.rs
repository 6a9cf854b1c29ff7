//! What a demo load generated: the counts of each kind of row, and the few lines the
//! command prints about them.

use std::fmt;

/// Counts of what was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Active employees.
    pub people: u64,
    /// Former employees (left in the last three years).
    pub leavers: u64,
    /// Top-level departments.
    pub departments: u64,
    /// Teams (departments under a top-level one).
    pub teams: u64,
    pub locations: u64,
    pub skills: u64,
    pub skill_aliases: u64,
    /// Skill relations, both directions counted.
    pub skill_relations: u64,
    pub job_families: u64,
    pub job_profiles: u64,
    pub career_paths: u64,
    pub person_skills: u64,
    pub aspirations: u64,
    pub open_opportunities: u64,
    pub draft_opportunities: u64,
    pub filled_opportunities: u64,
    pub closed_opportunities: u64,
    pub applications: u64,
    pub application_events: u64,
    pub moves: u64,
    pub courses: u64,
    pub enrolments: u64,
    pub completed_enrolments: u64,
    pub development_plans: u64,
    pub career_conversations: u64,
    pub mentorship_requests: u64,
    pub notifications: u64,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = thousands;
        writeln!(
            f,
            "Demo company loaded: {} people ({} leavers), {} departments with {} teams, \
             {} offices.",
            n(self.people),
            n(self.leavers),
            n(self.departments),
            n(self.teams),
            n(self.locations)
        )?;
        writeln!(
            f,
            "  taxonomy     {} skills, {} job families, {} job profiles, {} career paths",
            n(self.skills),
            n(self.job_families),
            n(self.job_profiles),
            n(self.career_paths)
        )?;
        writeln!(
            f,
            "  profiles     {} person skills, {} aspirations",
            n(self.person_skills),
            n(self.aspirations)
        )?;
        writeln!(
            f,
            "  marketplace  {} open, {} filled, {} closed, {} draft opportunities; \
             {} applications; {} moves",
            n(self.open_opportunities),
            n(self.filled_opportunities),
            n(self.closed_opportunities),
            n(self.draft_opportunities),
            n(self.applications),
            n(self.moves)
        )?;
        writeln!(
            f,
            "  learning     {} courses, {} enrolments ({} completed), {} development plans",
            n(self.courses),
            n(self.enrolments),
            n(self.completed_enrolments),
            n(self.development_plans)
        )?;
        write!(
            f,
            "  people side  {} career conversations, {} mentorship requests, {} notifications",
            n(self.career_conversations),
            n(self.mentorship_requests),
            n(self.notifications)
        )
    }
}

/// 12345 as "12,345".
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
