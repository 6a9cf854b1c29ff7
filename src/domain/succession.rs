//! The words of succession planning (PRODUCT.md, "Critical role and succession plan"): why a
//! role is critical, the readiness bands and how a band follows from the learning path.

use serde::Serialize;

/// Why a role is critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CriticalReason {
    /// Hard to fill from outside.
    HardToFill,
    /// One person holds knowledge nobody else has.
    SinglePointOfFailure,
    /// A leadership role.
    Leadership,
}

impl CriticalReason {
    pub const ALL: [CriticalReason; 3] = [
        CriticalReason::HardToFill,
        CriticalReason::SinglePointOfFailure,
        CriticalReason::Leadership,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            CriticalReason::HardToFill => "hard_to_fill",
            CriticalReason::SinglePointOfFailure => "single_point_of_failure",
            CriticalReason::Leadership => "leadership",
        }
    }

    pub fn from_db(v: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_db() == v)
    }

    /// As people read it.
    pub fn label(self) -> &'static str {
        match self {
            CriticalReason::HardToFill => "Hard to fill",
            CriticalReason::SinglePointOfFailure => "Single point of failure",
            CriticalReason::Leadership => "Leadership",
        }
    }
}

/// How soon a successor could take the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    ReadyNow,
    OneToTwoYears,
    ThreePlusYears,
}

/// At most this many weeks of learning left still counts as ready now (a quarter: the time a
/// handover takes anyway).
pub const READY_NOW_WEEKS: u32 = 13;
/// At most this many weeks is "1–2 years"; more is "3+ years".
pub const TWO_YEARS_WEEKS: u32 = 104;

impl Readiness {
    pub const ALL: [Readiness; 3] = [
        Readiness::ReadyNow,
        Readiness::OneToTwoYears,
        Readiness::ThreePlusYears,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            Readiness::ReadyNow => "ready_now",
            Readiness::OneToTwoYears => "one_to_two_years",
            Readiness::ThreePlusYears => "three_plus_years",
        }
    }

    pub fn from_db(v: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_db() == v)
    }

    pub fn label(self) -> &'static str {
        match self {
            Readiness::ReadyNow => "Ready now",
            Readiness::OneToTwoYears => "1–2 years",
            Readiness::ThreePlusYears => "3+ years",
        }
    }

    /// The band the learning path gives: the weeks to ready at the person's weekly learning
    /// hours (None when they set no learning time), and whether some gap has no course that
    /// closes it (then learning alone cannot make them ready now).
    pub fn from_path(weeks_to_ready: Option<u32>, unclosable_gaps: bool) -> Readiness {
        match weeks_to_ready {
            None => Readiness::ThreePlusYears,
            Some(w) if w <= READY_NOW_WEEKS && !unclosable_gaps => Readiness::ReadyNow,
            Some(w) if w <= TWO_YEARS_WEEKS => Readiness::OneToTwoYears,
            Some(_) => Readiness::ThreePlusYears,
        }
    }
}

/// The longest note on a critical role and the longest reason for a band override.
pub const NOTE_MAX: usize = 2_000;
pub const OVERRIDE_REASON_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_follows_the_weeks_to_ready() {
        assert_eq!(Readiness::from_path(Some(0), false), Readiness::ReadyNow);
        assert_eq!(Readiness::from_path(Some(13), false), Readiness::ReadyNow);
        assert_eq!(
            Readiness::from_path(Some(14), false),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            Readiness::from_path(Some(104), false),
            Readiness::OneToTwoYears
        );
        assert_eq!(
            Readiness::from_path(Some(105), false),
            Readiness::ThreePlusYears
        );
        assert_eq!(Readiness::from_path(None, false), Readiness::ThreePlusYears);
    }

    #[test]
    fn a_gap_no_course_closes_is_never_ready_now() {
        assert_eq!(
            Readiness::from_path(Some(0), true),
            Readiness::OneToTwoYears
        );
    }

    #[test]
    fn words_round_trip() {
        for r in Readiness::ALL {
            assert_eq!(Readiness::from_db(r.as_db()), Some(r));
        }
        for r in CriticalReason::ALL {
            assert_eq!(CriticalReason::from_db(r.as_db()), Some(r));
        }
        assert_eq!(Readiness::from_db("soon"), None);
    }
}
