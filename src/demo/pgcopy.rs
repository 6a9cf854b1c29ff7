//! Bulk loading with PostgreSQL `COPY ... FROM STDIN (FORMAT csv)`: a small CSV row writer
//! that knows the demo's relative dates, and a table sender that streams ~1 MiB chunks.

use std::fmt::Write as _;

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::random::{Day, Stamp};

/// Flush to the server once a chunk is this large.
const CHUNK: usize = 1 << 20;

/// Writes CSV rows for COPY: every text field quoted (quotes doubled), NULL as an empty
/// unquoted field, booleans as t/f, dates ISO, timestamps in UTC.
pub struct CsvRow {
    buf: Vec<u8>,
    first: bool,
    today: Date,
    midnight: OffsetDateTime,
    scratch: String,
}

impl CsvRow {
    /// A writer placing relative days and moments around `today`.
    pub fn new(today: Date) -> CsvRow {
        CsvRow {
            buf: Vec::with_capacity(CHUNK + 64 * 1024),
            first: true,
            today,
            midnight: today.midnight().assume_utc(),
            scratch: String::new(),
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
    }

    /// End the current row.
    pub fn end(&mut self) {
        self.buf.push(b'\n');
        self.first = true;
    }

    /// A NULL.
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// A text value, always quoted (so an empty string is not NULL).
    pub fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        self.buf.push(b'"');
        for &b in value.as_bytes() {
            if b == b'"' {
                self.buf.push(b'"');
            }
            self.buf.push(b);
        }
        self.buf.push(b'"');
        self
    }

    /// A text value or NULL.
    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// A value written as is (numbers); must not contain commas, quotes or newlines.
    fn raw(&mut self, value: &str) -> &mut Self {
        self.sep();
        self.buf.extend_from_slice(value.as_bytes());
        self
    }

    /// A uuid.
    pub fn uuid(&mut self, id: Uuid) -> &mut Self {
        let mut out = [0u8; 36];
        self.sep();
        self.buf
            .extend_from_slice(id.hyphenated().encode_lower(&mut out).as_bytes());
        self
    }

    /// A uuid or NULL.
    pub fn opt_uuid(&mut self, id: Option<Uuid>) -> &mut Self {
        match id {
            Some(id) => self.uuid(id),
            None => self.null(),
        }
    }

    /// An integer.
    pub fn int(&mut self, value: i64) -> &mut Self {
        self.scratch.clear();
        let _ = write!(self.scratch, "{value}");
        let s = std::mem::take(&mut self.scratch);
        self.raw(&s);
        self.scratch = s;
        self
    }

    /// An integer or NULL.
    pub fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    /// A decimal with one digit after the point, given in tenths.
    pub fn tenths(&mut self, tenths: u16) -> &mut Self {
        self.decimal(f64::from(tenths) / 10.0, 1)
    }

    /// A decimal with `digits` after the point.
    pub fn decimal(&mut self, value: f64, digits: usize) -> &mut Self {
        self.scratch.clear();
        let _ = write!(self.scratch, "{value:.digits$}");
        let s = std::mem::take(&mut self.scratch);
        self.raw(&s);
        self.scratch = s;
        self
    }

    /// A boolean.
    pub fn bool(&mut self, value: bool) -> &mut Self {
        self.raw(if value { "t" } else { "f" })
    }

    /// A boolean or NULL.
    pub fn opt_bool(&mut self, value: Option<bool>) -> &mut Self {
        match value {
            Some(v) => self.bool(v),
            None => self.null(),
        }
    }

    /// A date, relative to today.
    pub fn day(&mut self, day: Day) -> &mut Self {
        let date = self.today + Duration::days(i64::from(day.0));
        self.scratch.clear();
        let _ = write!(
            self.scratch,
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        let s = std::mem::take(&mut self.scratch);
        self.raw(&s);
        self.scratch = s;
        self
    }

    /// A date or NULL.
    pub fn opt_day(&mut self, day: Option<Day>) -> &mut Self {
        match day {
            Some(d) => self.day(d),
            None => self.null(),
        }
    }

    /// A timestamp, relative to today's midnight UTC.
    pub fn stamp(&mut self, stamp: Stamp) -> &mut Self {
        let t = self.midnight + Duration::seconds(stamp.0);
        self.scratch.clear();
        let _ = write!(
            self.scratch,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        let s = std::mem::take(&mut self.scratch);
        self.raw(&s);
        self.scratch = s;
        self
    }

    /// A timestamp or NULL.
    pub fn opt_stamp(&mut self, stamp: Option<Stamp>) -> &mut Self {
        match stamp {
            Some(s) => self.stamp(s),
            None => self.null(),
        }
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK + 64 * 1024))
    }
}

/// Writes row `i` of a table.
pub type WriteRow<'m> = Box<dyn Fn(usize, &mut CsvRow) + Send + Sync + 'm>;

/// One table to load: its name, the columns written, and a function writing row `i`.
pub struct Table<'m> {
    pub name: &'static str,
    pub columns: &'static str,
    pub rows: usize,
    pub write: WriteRow<'m>,
}

impl<'m> Table<'m> {
    /// A table of `rows` rows.
    pub fn new(
        name: &'static str,
        columns: &'static str,
        rows: usize,
        write: impl Fn(usize, &mut CsvRow) + Send + Sync + 'm,
    ) -> Table<'m> {
        Table {
            name,
            columns,
            rows,
            write: Box::new(write),
        }
    }

    /// Every row as CSV, in one buffer (for tests; loading streams instead).
    #[cfg(test)]
    pub fn to_csv(&self, today: Date) -> Vec<u8> {
        let mut row = CsvRow::new(today);
        for i in 0..self.rows {
            (self.write)(i, &mut row);
            row.end();
        }
        row.take()
    }
}

/// COPY the table's rows in, in chunks of about 1 MiB. Returns the number of rows.
pub async fn copy_table(
    conn: &mut PgConnection,
    table: &Table<'_>,
    today: Date,
) -> anyhow::Result<u64> {
    let statement = format!(
        "copy {} ({}) from stdin with (format csv)",
        table.name, table.columns
    );
    let mut copy = conn.copy_in_raw(&statement).await?;
    let mut row = CsvRow::new(today);
    for i in 0..table.rows {
        (table.write)(i, &mut row);
        row.end();
        if row.bytes().len() >= CHUNK {
            copy.send(row.take()).await?;
        }
    }
    if !row.bytes().is_empty() {
        copy.send(row.take()).await?;
    }
    Ok(copy.finish().await?)
}
