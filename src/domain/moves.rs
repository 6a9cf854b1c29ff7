//! What kind of move an accepted offer is, and when the mover is released (pure rules).

use time::{Date, Duration};

/// A job level as the move rule compares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub rank: i16,
}

/// The kind of move recorded in `moves.kind`, or none (a mentorship is not a move).
pub fn kind_for(
    opening_kind: &str,
    from: Option<Level>,
    to: Option<Level>,
) -> Option<&'static str> {
    match opening_kind {
        "secondment" => Some("secondment_start"),
        "project" => Some("project_assignment"),
        "role" => Some(match (from, to) {
            (Some(f), Some(t)) if t.rank > f.rank => "promotion",
            _ => "lateral_move",
        }),
        _ => None,
    }
}

/// The latest release date the policy allows from `today`.
pub fn latest_release(today: Date, max_release_weeks: u16) -> Date {
    today + Duration::weeks(i64::from(max_release_weeks))
}

/// The release date for an accepted offer: the proposed one (not in the past, not later than
/// the policy allows) or, when none is proposed, the latest allowed.
pub fn release_on(
    today: Date,
    proposed: Option<Date>,
    max_release_weeks: u16,
) -> Result<Date, String> {
    let latest = latest_release(today, max_release_weeks);
    match proposed {
        None => Ok(latest),
        Some(d) if d < today => Err("the start date cannot be in the past".into()),
        Some(d) if d > latest => Err(format!(
            "the mobility policy allows at most {max_release_weeks} weeks' release, so the start \
             date must be on or before {latest}"
        )),
        Some(d) => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_higher_rank_is_a_promotion_and_anything_else_a_lateral_move() {
        let (l3, l4) = (Some(Level { rank: 3 }), Some(Level { rank: 4 }));
        assert_eq!(kind_for("role", l3, l4), Some("promotion"));
        assert_eq!(kind_for("role", l4, l3), Some("lateral_move"));
        assert_eq!(kind_for("role", l3, l3), Some("lateral_move"));
        assert_eq!(kind_for("role", None, l4), Some("lateral_move"));
        assert_eq!(kind_for("secondment", l3, l4), Some("secondment_start"));
        assert_eq!(kind_for("project", None, None), Some("project_assignment"));
        assert_eq!(kind_for("mentorship", None, None), None);
    }

    #[test]
    fn the_release_date_is_no_later_than_the_policy_allows() {
        let today = date!(2026 - 11 - 22);
        assert_eq!(release_on(today, None, 8), Ok(date!(2027 - 01 - 17)));
        assert_eq!(
            release_on(today, Some(date!(2027 - 01 - 17)), 8),
            Ok(date!(2027 - 01 - 17))
        );
        let late = release_on(today, Some(date!(2027 - 01 - 18)), 8).unwrap_err();
        assert!(late.contains("8 weeks"), "{late}");
        assert!(release_on(today, Some(date!(2026 - 11 - 21)), 8).is_err());
    }
}
