//! The SQL behind the mobility metrics: raw counts and samples for one period and filters.
//! Arithmetic on them (medians, rates, conversions) is in `crate::metrics`.
//!
//! Every query here runs in a read-only transaction (`plans`) with `plan_cache_mode =
//! force_custom_plan`, so PostgreSQL plans it with the actual period and filters each time: a
//! cached generic plan cannot drop the `($3::uuid is null or ...)` branches and is many times
//! slower on a large company.
//!
//! Filters: a person is in a department/family by their current department and job profile;
//! a move by the department/profile it goes to (or comes from when it goes nowhere); an
//! opening by its department and job profile.

mod moves;
mod people;
mod pipeline;
mod plans;

pub use moves::{fills, headcounts, monthly_moves, move_counts, retention, talent_flow, Flow};
pub use people::{learning, participation, skill_gaps, SkillGap};
pub use pipeline::{by_manager, days_to_fill, funnel, ManagerRow};
