//! Domain types and rules, free of HTTP and SQL.

pub mod password;
