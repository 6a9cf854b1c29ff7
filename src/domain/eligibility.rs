//! May this person apply to this opening now? The mobility policy's rules, as a pure function,
//! so the apply form, the server-side check and the manager's talent search agree.

use time::{Date, Month};

use crate::domain::policy::MobilityPolicy;

/// Which rule refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The opening is not open for applications (draft, closed, filled, past its closing date).
    NotOpen,
    /// People do not apply to their own postings.
    OwnOpening,
    /// The person already has an active (or accepted) application to this opening.
    AlreadyApplied,
    /// Time in current role before applying to a role or secondment.
    TimeInRole,
    /// Active applications per employee at once.
    ActiveApplications,
}

/// One refusal: the rule, a sentence saying what is wrong, and when it will pass (if it will
/// pass by waiting).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Refusal {
    pub rule: Rule,
    pub message: String,
    #[serde(with = "crate::domain::iso_date::option")]
    pub passes_on: Option<Date>,
}

/// What the rules look at.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// `role`, `secondment`, `project` or `mentorship`.
    pub kind: &'a str,
    pub opening_is_open: bool,
    pub closes_on: Option<Date>,
    pub is_owner: bool,
    pub already_applied: bool,
    /// When the person started in their current job profile.
    pub role_started_on: Date,
    /// Applications counting against the limit (submitted, in review, interviewing, offered).
    pub active_applications: u16,
}

/// Every rule the person fails today (empty: they may apply).
pub fn check(policy: &MobilityPolicy, facts: &Facts<'_>, today: Date) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let closed_by_date = facts.closes_on.is_some_and(|d| d < today);
    if !facts.opening_is_open || closed_by_date {
        refusals.push(Refusal {
            rule: Rule::NotOpen,
            message: "This opening is not taking applications.".into(),
            passes_on: None,
        });
    }
    if facts.is_owner {
        refusals.push(Refusal {
            rule: Rule::OwnOpening,
            message: "You posted this opening, so you cannot apply to it.".into(),
            passes_on: None,
        });
    }
    if facts.already_applied {
        refusals.push(Refusal {
            rule: Rule::AlreadyApplied,
            message: "You have already applied to this opening.".into(),
            passes_on: None,
        });
    }
    if MobilityPolicy::tenure_applies_to(facts.kind) && policy.min_months_in_role > 0 {
        let passes_on = add_months(facts.role_started_on, policy.min_months_in_role);
        if passes_on > today {
            refusals.push(Refusal {
                rule: Rule::TimeInRole,
                message: format!(
                    "The mobility policy asks for {} months in your current role before you apply \
                     to a {}. You started your role on {}, so you can apply from {}.",
                    policy.min_months_in_role, facts.kind, facts.role_started_on, passes_on
                ),
                passes_on: Some(passes_on),
            });
        }
    }
    if facts.active_applications >= policy.max_active_applications {
        refusals.push(Refusal {
            rule: Rule::ActiveApplications,
            message: format!(
                "The mobility policy allows {} active applications at once and you have {}. \
                 Withdraw one, or wait until one is decided.",
                policy.max_active_applications, facts.active_applications
            ),
            passes_on: None,
        });
    }
    refusals
}

/// `date` plus `months` calendar months; a day past the month's end becomes its last day.
pub fn add_months(date: Date, months: u16) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + i32::from(months);
    let year = total.div_euclid(12);
    let month = Month::try_from((total.rem_euclid(12) + 1) as u8).expect("1..=12");
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).expect("a valid date")
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn facts(kind: &str) -> Facts<'_> {
        Facts {
            kind,
            opening_is_open: true,
            closes_on: None,
            is_owner: false,
            already_applied: false,
            role_started_on: date!(2026 - 01 - 31),
            active_applications: 0,
        }
    }

    #[test]
    fn time_in_role_says_when_it_passes() {
        let refusals = check(
            &MobilityPolicy::default(),
            &facts("role"),
            date!(2026 - 11 - 22),
        );
        assert_eq!(refusals.len(), 1);
        assert_eq!(refusals[0].rule, Rule::TimeInRole);
        assert_eq!(refusals[0].passes_on, Some(date!(2027 - 01 - 31)));
    }

    #[test]
    fn projects_and_mentorships_are_open_to_all() {
        for kind in ["project", "mentorship"] {
            assert!(check(
                &MobilityPolicy::default(),
                &facts(kind),
                date!(2026 - 02 - 01)
            )
            .is_empty());
        }
    }

    #[test]
    fn the_active_application_limit_counts_the_limit_itself() {
        let mut f = facts("project");
        f.active_applications = 5;
        let refusals = check(&MobilityPolicy::default(), &f, date!(2026 - 11 - 22));
        assert_eq!(refusals[0].rule, Rule::ActiveApplications);
        f.active_applications = 4;
        assert!(check(&MobilityPolicy::default(), &f, date!(2026 - 11 - 22)).is_empty());
    }

    #[test]
    fn a_past_closing_date_closes_the_opening() {
        let mut f = facts("mentorship");
        f.closes_on = Some(date!(2026 - 11 - 21));
        assert_eq!(
            check(&MobilityPolicy::default(), &f, date!(2026 - 11 - 22))[0].rule,
            Rule::NotOpen
        );
    }

    #[test]
    fn month_ends_clamp() {
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2025 - 11 - 30), 14), date!(2027 - 01 - 30));
    }
}
