//! Where things are in an uploaded CSV file, from byte positions. The `csv` crate's own line
//! numbers are wrong for Windows line endings (CRLF counts as two line ends) and after a blank
//! line (the next record gets the blank line's number), and it does not report a quote that
//! is never closed (it reads the rest of the file as one value) or a NUL byte (PostgreSQL
//! cannot store it). This module counts lines itself and finds those two.

/// The start of every line of a file. A line ends at LF, CRLF or a lone CR: the line ends the
/// csv reader accepts.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(bytes: &[u8]) -> Lines {
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Lines { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }
}

/// Where a record really starts: the csv reader's position may point at the line ends (and
/// blank lines) before it. A record never starts with a line end (an empty line is no record).
pub fn record_start(bytes: &[u8], reported: usize) -> usize {
    let rest = bytes.get(reported..).unwrap_or_default();
    reported
        + rest
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count()
}

/// What the csv reader lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// A value opened with `"` and never closed.
    UnclosedQuote,
    /// A NUL byte in a value (reported once per value).
    Nul,
}

/// One flaw: its byte offset and the 0-based field it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub flaw: Flaw,
    pub offset: usize,
    pub field: usize,
}

/// Every flaw of the file, in order, read with the csv reader's rules: a quote opens a quoted
/// value only at the start of a field, `""` inside it is a quote, fields end at `,` and
/// records at a line end.
pub fn flaws(bytes: &[u8]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut field = 0;
    let mut at_field_start = true;
    let mut open_quote: Option<usize> = None;
    let mut nul_seen = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0 && !nul_seen {
            found.push(Found {
                flaw: Flaw::Nul,
                offset: i,
                field,
            });
            nul_seen = true;
        }
        if open_quote.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                open_quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' if at_field_start => {
                open_quote = Some(i);
                at_field_start = false;
            }
            b',' | b'\n' | b'\r' => {
                field = if b == b',' { field + 1 } else { 0 };
                at_field_start = true;
                nul_seen = false;
            }
            _ => at_field_start = false,
        }
        i += 1;
    }
    if let Some(offset) = open_quote {
        found.push(Found {
            flaw: Flaw::UnclosedQuote,
            offset,
            field,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = b"a\nb\r\nc\rd";
        let lines = Lines::new(text);
        let at = |c: u8| lines.line_of(text.iter().position(|&b| b == c).unwrap());
        assert_eq!((at(b'a'), at(b'b'), at(b'c'), at(b'd')), (1, 2, 3, 4));
        // The CR and the LF of a CRLF belong to the line they end.
        assert_eq!((lines.line_of(3), lines.line_of(4)), (2, 2));
    }

    #[test]
    fn a_record_starts_after_the_blank_lines_before_it() {
        let text = b"h\n\r\n\nx";
        assert_eq!(record_start(text, 1), 5);
        assert_eq!(record_start(text, 5), 5);
        assert_eq!(record_start(text, 99), 99);
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens_and_doubled_quotes_are_text() {
        let text = b"a,b\n\"x \"\"y\"\" z\",1\n2,\"open\n3,4\n";
        assert_eq!(
            flaws(text),
            vec![Found {
                flaw: Flaw::UnclosedQuote,
                offset: 20,
                field: 1
            }]
        );
        assert_eq!(text[20], b'"');
        // A quote inside an unquoted value is text, not an opening quote.
        assert!(flaws(b"a,b\nO\"Brien,1\n").is_empty());
    }

    #[test]
    fn a_nul_is_found_once_per_value_with_its_field_even_inside_quotes() {
        let text = b"a,b\n1,x\0\0y\n\"p\0\",2\n";
        let found: Vec<(usize, usize)> = flaws(text).iter().map(|f| (f.offset, f.field)).collect();
        assert_eq!(found, vec![(7, 1), (13, 0)]);
    }
}
