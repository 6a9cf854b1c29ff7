//! Reading an uploaded CSV file: the header (columns in any order, matched by name), the
//! records with their line numbers, typed field checks that record problems, and the CSV of
//! rejected rows.

use std::collections::{BTreeMap, HashMap};

use time::macros::format_description;
use time::Date;

use super::locate::{self, Flaw, Found, Lines};
use super::Problem;
use crate::domain::csv_out::CsvOut;

/// A parsed file: column positions by name and every record with the line it starts on.
pub struct Sheet {
    pub headers: Vec<String>,
    positions: HashMap<String, usize>,
    pub records: Vec<(u64, csv::StringRecord)>,
    /// Data rows left out of `records` because they cannot be read or hold a flaw (their
    /// problems are reported); counted in [`Sheet::rows`].
    left_out: u64,
    /// The records left out for a flaw, by the flaw's line, for the rejects file.
    flawed: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    /// Parse `bytes`; `required` columns must be in the header, `optional` ones may be.
    /// Problems (a missing column, a malformed record) go to `problems`.
    pub fn read(
        bytes: &[u8],
        required: &[&str],
        optional: &[&str],
        problems: &mut Vec<Problem>,
    ) -> Option<Sheet> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let lines = Lines::new(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
            Err(e) => {
                problems.push(whole(1, format!("the header cannot be read: {e}")));
                return None;
            }
        };
        let positions: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect();
        let flaws = locate::flaws(bytes);
        let header_end = reader.position().byte() as usize;
        for flaw in flaws.iter().filter(|f| f.offset < header_end) {
            problems.push(flaw_problem(&lines, &headers, flaw));
        }
        for name in required {
            if !positions.contains_key(*name) {
                problems.push(Problem {
                    line: 1,
                    column: 0,
                    field: (*name).into(),
                    message: format!(
                        "the header has no `{name}` column (expected: {})",
                        required
                            .iter()
                            .chain(optional)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    closest: None,
                });
            }
        }
        if !problems.is_empty() {
            return None;
        }
        // Every record with its start offset (blank and unreadable ones as `None`), so that a
        // flaw can be matched to the record holding it.
        let mut records: Vec<(usize, u64, Option<csv::StringRecord>)> = Vec::new();
        let mut left_out = 0;
        let mut flawed = Vec::new();
        for result in reader.records() {
            let reported = match &result {
                Ok(r) => r.position(),
                Err(e) => e.position(),
            };
            let start = locate::record_start(bytes, reported.map_or(0, |p| p.byte() as usize));
            let line = lines.line_of(start);
            match result {
                Ok(r) if r.iter().all(|f| f.trim().is_empty()) => records.push((start, line, None)),
                Ok(r) => records.push((start, line, Some(r))),
                Err(e) => {
                    problems.push(whole(line, format!("this row cannot be read: {e}")));
                    records.push((start, line, None));
                    left_out += 1;
                }
            }
        }
        // A record holding a flaw is reported at the flaw (its own line and column) and left
        // out: checking it would only add problems that are not there (an unclosed quote
        // swallows the rest of the file, so the row "lacks" its later columns).
        for flaw in flaws.iter().filter(|f| f.offset >= header_end) {
            problems.push(flaw_problem(&lines, &headers, flaw));
            let holder = records.partition_point(|(start, _, _)| *start <= flaw.offset);
            if let Some(i) = holder.checked_sub(1) {
                if let Some(record) = records[i].2.take() {
                    left_out += 1;
                    flawed.push((lines.line_of(flaw.offset), record));
                }
            }
        }
        let records: Vec<(u64, csv::StringRecord)> = records
            .into_iter()
            .filter_map(|(_, line, r)| r.map(|r| (line, r)))
            .collect();
        Some(Sheet {
            headers,
            positions,
            records,
            left_out,
            flawed,
        })
    }

    /// Data rows in the file: the records, and the rows left out for a problem of their own.
    pub fn rows(&self) -> u64 {
        self.records.len() as u64 + self.left_out
    }

    /// 1-based column of a header name (0 when absent).
    pub fn column(&self, name: &str) -> usize {
        self.positions.get(name).map_or(0, |i| i + 1)
    }

    /// The trimmed value of `name` in `record` ("" when the column is absent or short).
    pub fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> &'r str {
        self.positions
            .get(name)
            .and_then(|&i| record.get(i))
            .map_or("", str::trim)
    }

    /// A "… is required" problem for each of `names` that is empty in `record`.
    pub fn require(
        &self,
        line: u64,
        record: &csv::StringRecord,
        names: &[&str],
        problems: &mut Vec<Problem>,
    ) {
        for name in names {
            if self.get(record, name).is_empty() {
                problems.push(self.problem(line, name, format!("{name} is required")));
            }
        }
    }

    /// A problem at `line` in column `name`.
    pub fn problem(&self, line: u64, name: &str, message: impl Into<String>) -> Problem {
        Problem {
            line,
            column: self.column(name),
            field: name.into(),
            message: message.into(),
            closest: None,
        }
    }

    /// The rejected records as CSV: the original columns plus `reason`. HR opens it in a
    /// spreadsheet, so it is written by `domain::csv_out` (a cell that would run as a formula
    /// gets a leading `'`).
    pub fn rejects_csv(&self, problems: &[Problem]) -> String {
        let mut reasons: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        for p in problems {
            let mut text = if p.field.is_empty() {
                p.message.clone()
            } else {
                format!("{}: {}", p.field, p.message)
            };
            if let Some(c) = &p.closest {
                text.push_str(&format!(" (closest: {c})"));
            }
            reasons.entry(p.line).or_default().push(text);
        }
        let mut out = CsvOut::new();
        let mut header = self.headers.clone();
        header.push("reason".into());
        out.row(&header);
        let mut rows: Vec<&(u64, csv::StringRecord)> =
            self.records.iter().chain(&self.flawed).collect();
        rows.sort_by_key(|(line, _)| *line);
        for (line, record) in rows {
            if let Some(r) = reasons.get(line) {
                // A NUL cannot be stored with the job's report (PostgreSQL refuses it in text
                // and jsonb): it is shown as U+FFFD, where it was.
                let mut row: Vec<String> =
                    record.iter().map(|f| f.replace('\0', "\u{fffd}")).collect();
                row.resize(self.headers.len(), String::new());
                row.push(r.join("; "));
                out.row(&row);
            }
        }
        out.into_string()
    }
}

/// A problem with a whole row (or the file).
pub fn whole(line: u64, message: String) -> Problem {
    Problem {
        line,
        column: 0,
        field: String::new(),
        message,
        closest: None,
    }
}

/// The problem a flaw of the raw file is: at its own line and column.
fn flaw_problem(lines: &Lines, headers: &[String], found: &Found) -> Problem {
    let message = match found.flaw {
        Flaw::UnclosedQuote => {
            "this quote is never closed, so the rest of the file would be read as one value: \
             close it, or write a quote inside a value as two quotes (\"\")"
        }
        Flaw::Nul => "contains a NUL character (byte 0), which cannot be stored; remove it",
    };
    Problem {
        line: lines.line_of(found.offset),
        column: found.field + 1,
        field: headers.get(found.field).cloned().unwrap_or_default(),
        message: message.into(),
        closest: None,
    }
}

/// An ISO date (YYYY-MM-DD).
pub fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value, format_description!("[year]-[month]-[day]")).ok()
}

/// Sort problems by line then column, and drop exact duplicates.
pub fn sort(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
    problems.dedup();
}
