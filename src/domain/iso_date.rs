//! Dates in JSON as `YYYY-MM-DD` (`#[serde(with = "iso_date")]`, or `iso_date::option`).

time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");

pub use iso_date::*;
