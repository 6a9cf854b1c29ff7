//! The marketplace as a person sees it: which openings a search selects, and how well the
//! person fits each (browse), from the filters a page, the API or a saved search gives.

pub mod browse;
pub mod filters;
