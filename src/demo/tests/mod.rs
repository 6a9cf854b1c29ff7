//! Tests of the generator that need no database: the embedded data, the job architecture, and
//! the invariants the schema and the product rely on, checked on a small company.

mod company;
mod history;
mod static_data;
mod truth;

use std::sync::LazyLock;

use time::macros::date;

use super::model::Model;
use super::progress::Progress;
use super::tables::{activity_tables, departments, people_tables, reference_tables};

/// A small company shared by the tests (built once).
static SMALL: LazyLock<Model> = LazyLock::new(|| Model::build(300, 7, &Progress::hidden()));

/// Every table of a model as CSV, written as if today were a fixed day.
fn all_csv(m: &Model) -> Vec<(String, Vec<u8>)> {
    let today = date!(2026 - 11 - 22);
    reference_tables(m)
        .into_iter()
        .chain([departments(&m.org, true)])
        .chain(people_tables(m, "hash"))
        .chain(activity_tables(m))
        .map(|t| (t.name.to_string(), t.to_csv(today)))
        .collect()
}
