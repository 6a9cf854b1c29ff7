//! Applications after they are submitted: the applicant's own view (`mine`) and the one way
//! an application changes stage, whoever asks (`stage`, with `fill` for an accepted offer).
//! Submitting is `service::marketplace::apply`.

pub mod backfill;
pub mod close_rest;
pub mod fill;
pub mod mine;
pub mod stage;
