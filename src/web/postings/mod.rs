//! The manager's posting pages: write and manage openings, review applicants, find talent.

pub mod actions;
