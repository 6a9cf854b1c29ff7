//! Domain types and rules, free of HTTP and SQL.

pub mod application;
pub mod eligibility;
pub mod password;
pub mod policy;
pub mod skill_level;
pub mod moves;
pub mod posting;
pub mod iso_date;
