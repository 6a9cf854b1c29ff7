//! Domain types and rules, free of HTTP and SQL.

pub mod application;
pub mod eligibility;
pub mod iso_date;
pub mod moves;
pub mod password;
pub mod policy;
pub mod posting;
pub mod secret;
pub mod skill_level;
pub mod user;
