//! The manager line of a people import must not loop: the file's manager links over the
//! people already there, checked before anything is written, each person on a loop reported
//! on their line with the loop written out.

use std::collections::{HashMap, HashSet};

use sqlx::PgConnection;

use super::sheet::Sheet;
use super::Problem;

/// The manager line after the import (the file over the people already there) must not loop.
pub(super) async fn check(
    conn: &mut PgConnection,
    sheet: &Sheet,
    keep_clean: bool,
    problems: &mut Vec<Problem>,
) -> anyhow::Result<()> {
    let staged: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "select line, employee_id, manager from import_people where employee_id is not null",
    )
    .fetch_all(&mut *conn)
    .await?;
    let existing: Vec<(String, String)> = sqlx::query_as(
        "select p.employee_number, m.employee_number from people p join people m on m.id = p.manager_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut manager: HashMap<&str, &str> = existing
        .iter()
        .map(|(e, m)| (e.as_str(), m.as_str()))
        .collect();
    let mut line_of = HashMap::new();
    for (line, e, m) in &staged {
        line_of.insert(e.as_str(), *line);
        match m {
            Some(m) => manager.insert(e.as_str(), m.as_str()),
            None => manager.remove(e.as_str()),
        };
    }
    let looped = find_cycles(&manager);
    let mut bad = Vec::new();
    for (e, path) in &looped {
        if let Some(&line) = line_of.get(e) {
            bad.push(line);
            problems.push(sheet.problem(
                line as u64,
                "manager_employee_id",
                format!("the manager line loops: {path}"),
            ));
        }
    }
    if keep_clean && !bad.is_empty() {
        sqlx::query("delete from import_people where line = any($1)")
            .bind(&bad)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Every person on a manager cycle, with the cycle written out (`E1 → E2 → E1`).
pub fn find_cycles<'a>(manager: &HashMap<&'a str, &'a str>) -> Vec<(&'a str, String)> {
    let mut done: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for &start in manager.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: HashMap<&str, usize> = HashMap::new();
        let mut at = start;
        loop {
            if done.contains(at) {
                break;
            }
            if let Some(&i) = on_path.get(at) {
                let cycle = &path[i..];
                let text = cycle
                    .iter()
                    .chain(std::iter::once(&at))
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" → ");
                out.extend(cycle.iter().map(|e| (*e, text.clone())));
                break;
            }
            on_path.insert(at, path.len());
            path.push(at);
            match manager.get(at) {
                Some(&m) => at = m,
                None => break,
            }
        }
        done.extend(path);
    }
    out
}
