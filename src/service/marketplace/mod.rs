//! The marketplace as a person sees it: which openings a search selects, and how well the
//! person fits each (browse), from the filters a page, the API or a saved search gives; one
//! opening in full with the person's fit and learning path (detail); applying under the
//! mobility policy (apply).

pub mod apply;
pub mod browse;
pub mod detail;
pub mod filters;
