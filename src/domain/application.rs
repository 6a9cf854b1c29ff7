//! The application state machine: which stage changes are allowed, and by whom.
//!
//! submitted -> in review -> interviewing -> offered -> accepted, or declined (by the
//! applicant, from an offer), rejected (by the owner, before acceptance), withdrawn (by the
//! applicant, before acceptance). Every transition is recorded in `application_events`.

use std::fmt;

/// Where an application stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Submitted,
    InReview,
    Interviewing,
    Offered,
    Accepted,
    Declined,
    Rejected,
    Withdrawn,
}

/// Who asks for a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person who applied.
    Applicant,
    /// The opening's owner (the hiring manager).
    Owner,
}

/// Who asks for a stage change or a pipeline view: a person, and whether they act as HR.
#[derive(Debug, Clone, Copy)]
pub struct Requester {
    pub id: uuid::Uuid,
    pub is_hr: bool,
}

impl ApplicationStatus {
    /// Every status, in pipeline order then the closed ones.
    pub const ALL: [ApplicationStatus; 8] = [
        Self::Submitted,
        Self::InReview,
        Self::Interviewing,
        Self::Offered,
        Self::Accepted,
        Self::Declined,
        Self::Rejected,
        Self::Withdrawn,
    ];

    /// The name stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::InReview => "in_review",
            Self::Interviewing => "interviewing",
            Self::Offered => "offered",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submitted => "Submitted",
            Self::InReview => "In review",
            Self::Interviewing => "Interviewing",
            Self::Offered => "Offered",
            Self::Accepted => "Accepted",
            Self::Declined => "Offer declined",
            Self::Rejected => "Not selected",
            Self::Withdrawn => "Withdrawn",
        }
    }

    /// Position on the way to acceptance (closed statuses have none).
    pub fn pipeline_rank(self) -> Option<u8> {
        match self {
            Self::Submitted => Some(0),
            Self::InReview => Some(1),
            Self::Interviewing => Some(2),
            Self::Offered => Some(3),
            Self::Accepted => Some(4),
            _ => None,
        }
    }

    /// Counts against the policy's limit on active applications.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Self::Submitted | Self::InReview | Self::Interviewing | Self::Offered
        )
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Accepted | Self::Declined | Self::Rejected | Self::Withdrawn
        )
    }

    /// True when an application that went through `history` (oldest first, ending in its
    /// current status) has at some point reached `stage` in the pipeline. Used for the
    /// policy's "manager is told at stage X" rule: a rejection after interviewing still counts
    /// as having reached interviewing.
    pub fn reached(history: &[ApplicationStatus], stage: ApplicationStatus) -> bool {
        let Some(target) = stage.pipeline_rank() else {
            return false;
        };
        history
            .iter()
            .filter_map(|s| s.pipeline_rank())
            .any(|rank| rank >= target)
    }

    /// The statuses `actor` may move an application to from `self`.
    pub fn next(self, actor: Actor) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match (actor, self) {
            (Actor::Owner, Submitted) => &[InReview, Interviewing, Rejected],
            (Actor::Owner, InReview) => &[Interviewing, Offered, Rejected],
            (Actor::Owner, Interviewing) => &[Offered, Rejected],
            // The owner records the applicant's answer when it comes outside Trellis, or
            // withdraws the offer.
            (Actor::Owner, Offered) => &[Accepted, Declined, Rejected],
            (Actor::Applicant, Submitted | InReview | Interviewing) => &[Withdrawn],
            (Actor::Applicant, Offered) => &[Accepted, Declined, Withdrawn],
            _ => &[],
        }
    }

    /// Check one transition; the error says why it is refused.
    pub fn transition(self, to: ApplicationStatus, actor: Actor) -> Result<(), String> {
        if self.next(actor).contains(&to) {
            return Ok(());
        }
        let who = match actor {
            Actor::Applicant => "the applicant",
            Actor::Owner => "the hiring manager",
        };
        if self.is_final() {
            return Err(format!(
                "the application is {} and can no longer change",
                self.label().to_lowercase()
            ));
        }
        Err(format!(
            "{who} cannot move an application from {} to {}",
            self.label().to_lowercase(),
            to.label().to_lowercase()
        ))
    }
}

impl TryFrom<&str> for ApplicationStatus {
    type Error = String;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| {
                format!(
                    "unknown status {value:?}; expected one of {}",
                    Self::ALL.map(|s| s.as_str()).join(", ")
                )
            })
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus::*;
    use super::{Actor, ApplicationStatus};

    #[test]
    fn names_round_trip() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::try_from(s.as_str()), Ok(s));
        }
        assert!(ApplicationStatus::try_from("hired").is_err());
    }

    #[test]
    fn an_offer_is_answered_and_only_the_applicant_withdraws() {
        assert!(Offered.transition(Accepted, Actor::Applicant).is_ok());
        assert!(Offered.transition(Declined, Actor::Applicant).is_ok());
        assert!(Offered.transition(Withdrawn, Actor::Owner).is_err());
        assert!(Interviewing.transition(Accepted, Actor::Applicant).is_err());
    }

    #[test]
    fn final_statuses_never_change() {
        for from in [Accepted, Declined, Rejected, Withdrawn] {
            for to in ApplicationStatus::ALL {
                assert!(from.transition(to, Actor::Owner).is_err());
                assert!(from.transition(to, Actor::Applicant).is_err());
            }
        }
    }

    #[test]
    fn a_rejection_after_interviewing_has_reached_interviewing() {
        assert!(ApplicationStatus::reached(
            &[Submitted, InReview, Interviewing, Rejected],
            Interviewing
        ));
        assert!(!ApplicationStatus::reached(
            &[Submitted, InReview, Rejected],
            Interviewing
        ));
    }
}
