//! Domain types and rules, free of HTTP and SQL.

pub mod password;
pub mod skill_level;
