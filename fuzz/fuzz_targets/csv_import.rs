//! The CSV import reader (`POST /api/v1/hr/import/{kind}`, `/hr/import`): any bytes are read or
//! refused with problems, never a panic; the rejects file it writes back reads as CSV, one row
//! per rejected line, and no cell in it would run as a spreadsheet formula.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use trellis::import::sheet::{parse_date, Sheet};

fuzz_target!(|data: &[u8]| {
    let mut problems = Vec::new();
    let Some(sheet) = Sheet::read(
        data,
        &["employee_id"],
        &["email", "given_name", "hire_date"],
        &mut problems,
    ) else {
        assert!(!problems.is_empty(), "a refused file says why");
        return;
    };
    for (line, record) in &sheet.records {
        sheet.require(*line, record, &["employee_id", "email"], &mut problems);
        let date = sheet.get(record, "hire_date");
        if !date.is_empty() && parse_date(date).is_none() {
            problems.push(sheet.problem(*line, "hire_date", format!("{date} is not a date")));
        }
    }
    let rejected: BTreeSet<u64> = problems.iter().map(|p| p.line).collect();
    let expected = sheet
        .records
        .iter()
        .filter(|(line, _)| rejected.contains(line))
        .count();
    let rejects = sheet.rejects_csv(&problems);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(rejects.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("the rejects file is valid CSV");
        for cell in record.iter() {
            let formula = cell.starts_with(['=', '+', '@', '\t', '\r', '\n'])
                || (cell.starts_with('-') && cell.parse::<f64>().is_err());
            assert!(!formula, "a formula in the rejects file: {cell:?}");
        }
        rows += 1;
    }
    assert_eq!(rows, expected + 1, "a header and one row per rejected line");
});
