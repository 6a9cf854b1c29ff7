//! The perspective a fit is computed from: who is being ranked (which decides the weights
//! and whether aspirations count) and today's date. Read by `fit` and by the credit
//! arithmetic in `credit`, so neither needs the other's internals.

use super::model::OpeningTags;
use super::rarity::Rarity;

/// Who is being ranked, which decides the weights and whether aspirations count.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// Ranking people for an opening (applicants, talent search): importance weights only.
    PeopleForOpening,
    /// Ranking openings for a person (recommendations, "how well do I fit"): importance x
    /// rarity weights, and the person's aspirations add explicit points.
    OpeningsForPerson {
        /// Rarity weights from the current workforce.
        rarity: &'a Rarity,
        /// The opening's job profile and family, to match the person's aspirations.
        opening: OpeningTags,
    },
}

/// Everything a score depends on besides the profile, the requirements, the graph and the
/// configuration.
#[derive(Debug, Clone, Copy)]
pub struct FitContext<'a> {
    /// Today as days since 1970-01-01, to decide which self-assessments are stale.
    pub today: i32,
    /// The ranking perspective.
    pub mode: Mode<'a>,
}

impl<'a> FitContext<'a> {
    /// Context for ranking people for an opening.
    pub fn people_for_opening(today: i32) -> Self {
        Self {
            today,
            mode: Mode::PeopleForOpening,
        }
    }

    /// Context for ranking openings for a person.
    pub fn openings_for_person(today: i32, rarity: &'a Rarity, opening: OpeningTags) -> Self {
        Self {
            today,
            mode: Mode::OpeningsForPerson { rarity, opening },
        }
    }
}
