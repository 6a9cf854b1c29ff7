//! Domain types and rules, free of HTTP and SQL.

pub mod application;
pub mod csv_out;
pub mod eligibility;
pub mod iso_date;
pub mod limits;
pub mod moves;
pub mod params;
pub mod password;
pub mod policy;
pub mod posting;
pub mod secret;
pub mod skill_level;
pub mod succession;
pub mod user;

/// Today's date in UTC: the day policies, moves and postings count from.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
