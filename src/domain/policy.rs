//! The mobility policy HR sets (PRODUCT.md, "Mobility policy"), as plain values.

use crate::domain::application::ApplicationStatus;

/// The policy in force at one time. Versions are append-only in `mobility_policies`; the
/// newest whose `effective_from` has passed applies.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MobilityPolicy {
    /// The version's id in `mobility_policies`.
    pub version: i64,
    /// Months in the current role before applying to a role or secondment.
    pub min_months_in_role: u16,
    /// The stage at which the applicant's current manager is told.
    pub manager_informed_at: ApplicationStatus,
    /// Active applications per employee at once.
    pub max_active_applications: u16,
    /// A project needs the current manager's approval of its hours.
    pub project_needs_manager_approval: bool,
    /// Longest release period after an accepted offer, in weeks.
    pub max_release_weeks: u16,
    /// A self-assessed level older than this counts less in matching.
    pub stale_self_assessment_months: u16,
    /// Days a manager may leave an application or approval without action before a reminder.
    pub reminder_days: u16,
    /// Days before HR is told (at least `reminder_days`).
    pub escalation_days: u16,
    /// Whether people on a succession plan may see that they are on it.
    pub succession_visible_to_successors: bool,
}

impl Default for MobilityPolicy {
    /// The defaults PRODUCT.md gives (and the first row the foundation migration inserts).
    fn default() -> Self {
        MobilityPolicy {
            version: 0,
            min_months_in_role: 12,
            manager_informed_at: ApplicationStatus::Interviewing,
            max_active_applications: 5,
            project_needs_manager_approval: true,
            max_release_weeks: 8,
            stale_self_assessment_months: 24,
            reminder_days: 5,
            escalation_days: 10,
            succession_visible_to_successors: false,
        }
    }
}

impl MobilityPolicy {
    /// Opening kinds the time-in-role rule applies to.
    pub fn tenure_applies_to(kind: &str) -> bool {
        matches!(kind, "role" | "secondment")
    }
}
