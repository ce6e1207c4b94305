//! Reading a capture-history table: one 0/1 column per list and a `count` column.
//!
//! The header names the lists; the column named `count` (any case, anywhere) holds the number of
//! persons with the row's pattern. The delimiter is `,` or `;` (taken from the header). Fields may
//! be quoted with `"` and padded with spaces; blank lines are skipped; a UTF-8 byte-order mark is
//! ignored. Rows with the same pattern are summed; patterns not listed count 0. The all-zero
//! pattern (the dark figure) is never observed: a row for it with count 0 is ignored, with a
//! positive count it is an error. Errors name the row (1-based line number of the file, the
//! header is line 1) and the column, never the offending value.

use std::io::Read;

use crate::data::{CaptureHistories, MAX_LISTS, MIN_LISTS};

/// Largest input accepted (a capture-history table has at most 1,023 rows of a few bytes).
pub const MAX_INPUT_BYTES: u64 = 16 << 20;

/// Why a capture-history table could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Reading failed.
    #[error("could not read the table: {0}")]
    Io(String),
    /// The input exceeds [`MAX_INPUT_BYTES`].
    #[error("the table is larger than {MAX_INPUT_BYTES} bytes")]
    TooLarge,
    /// The text is not UTF-8.
    #[error("row {row}: the text is not UTF-8")]
    NotUtf8 {
        /// Line number.
        row: usize,
    },
    /// No header line.
    #[error("the table is empty: a header naming the lists and a count column is needed")]
    Empty,
    /// No column is called `count`.
    #[error("row 1: no column is named `count`")]
    NoCountColumn,
    /// Two columns named `count`.
    #[error("row 1, column {column}: a second column is named `count`")]
    DuplicateCount {
        /// 1-based column number.
        column: usize,
    },
    /// A list column without a name, or a repeated name.
    #[error("row 1, column {column}: {rule}")]
    BadListName {
        /// 1-based column number.
        column: usize,
        /// The rule broken.
        rule: &'static str,
    },
    /// Too few or too many list columns.
    #[error("row 1: {found} list columns; between {MIN_LISTS} and {MAX_LISTS} are supported")]
    ListCount {
        /// Number of list columns found.
        found: usize,
    },
    /// A row with the wrong number of fields.
    #[error("row {row}: {found} fields, the header has {expected}")]
    FieldCount {
        /// Line number.
        row: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A list cell that is not 0 or 1.
    #[error("row {row}, column `{column}`: a list cell must be 0 or 1")]
    NotBinary {
        /// Line number.
        row: usize,
        /// Column name.
        column: String,
    },
    /// A count that is not a non-negative integer.
    #[error("row {row}, column `{column}`: the count must be a whole number ≥ 0")]
    BadCount {
        /// Line number.
        row: usize,
        /// Column name.
        column: String,
    },
    /// A positive count for the all-zero pattern.
    #[error("row {row}: a pattern with no list cannot be observed (the dark figure is what is estimated)")]
    DarkFigure {
        /// Line number.
        row: usize,
    },
    /// The counts overflow.
    #[error("row {row}, column `{column}`: the counts overflow")]
    Overflow {
        /// Line number.
        row: usize,
        /// Column name.
        column: String,
    },
    /// An unterminated quote.
    #[error("row {row}, column {column}: unterminated quote")]
    Quote {
        /// Line number.
        row: usize,
        /// 1-based column number.
        column: usize,
    },
}

/// Reads a capture-history table (see the module documentation for the format).
///
/// # Errors
/// A [`ParseError`] naming the row, the column and the rule; never panics.
pub fn read_csv(reader: impl Read) -> Result<CaptureHistories, ParseError> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| ParseError::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ParseError::TooLarge);
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(s) => s,
        Err(e) => {
            let row = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(ParseError::NotUtf8 { row });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split('\n').enumerate().map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let (hrow, header) = loop {
        match lines.next() {
            None => return Err(ParseError::Empty),
            Some((_, l)) if l.trim().is_empty() => {}
            Some(h) => break h,
        }
    };
    let delim = if header.contains(';') && !header.contains(',') { ';' } else { ',' };
    let names = split(header, delim, hrow)?;
    let mut count_col = None;
    let mut list_cols = Vec::new();
    for (j, n) in names.iter().enumerate() {
        if n.eq_ignore_ascii_case("count") {
            if count_col.is_some() {
                return Err(ParseError::DuplicateCount { column: j + 1 });
            }
            count_col = Some(j);
        } else {
            if n.is_empty() {
                return Err(ParseError::BadListName { column: j + 1, rule: "a list column needs a name" });
            }
            if list_cols.iter().any(|&k: &usize| names[k] == *n) {
                return Err(ParseError::BadListName {
                    column: j + 1,
                    rule: "two list columns have the same name",
                });
            }
            list_cols.push(j);
        }
    }
    let count_col = count_col.ok_or(ParseError::NoCountColumn)?;
    let t = list_cols.len();
    if !(MIN_LISTS..=MAX_LISTS).contains(&t) {
        return Err(ParseError::ListCount { found: t });
    }
    let mut counts = vec![0u64; 1 << t];
    let mut total = 0u64;
    for (row, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields = split(line, delim, row)?;
        if fields.len() != names.len() {
            return Err(ParseError::FieldCount { row, expected: names.len(), found: fields.len() });
        }
        let mut mask = 0usize;
        for (bit, &j) in list_cols.iter().enumerate() {
            match fields[j].as_str() {
                "0" => {}
                "1" => mask |= 1 << bit,
                _ => return Err(ParseError::NotBinary { row, column: names[j].clone() }),
            }
        }
        let cname = || names[count_col].clone();
        let c: u64 = fields[count_col].parse().map_err(|_| ParseError::BadCount { row, column: cname() })?;
        if mask == 0 {
            if c > 0 {
                return Err(ParseError::DarkFigure { row });
            }
            continue;
        }
        counts[mask] = counts[mask].checked_add(c).ok_or(ParseError::Overflow { row, column: cname() })?;
        total = total.checked_add(c).ok_or(ParseError::Overflow { row, column: cname() })?;
    }
    let lists = list_cols.iter().map(|&j| names[j].clone()).collect();
    CaptureHistories::new(lists, counts).map_err(|e| ParseError::Io(e.to_string()))
}

/// Splits one line into trimmed fields, honouring `"` quotes (`""` inside quotes is a quote).
fn split(line: &str, delim: char, row: usize) -> Result<Vec<String>, ParseError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() {
            cur.clear();
            in_quotes = true;
        } else if c == delim {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    if in_quotes {
        return Err(ParseError::Quote { row, column: out.len() + 1 });
    }
    out.push(cur.trim().to_string());
    Ok(out)
}
