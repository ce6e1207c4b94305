//! Every difference between the SQLite and the PostgreSQL dialects, in one place.
//!
//! The rest of the crate writes SQL once, in the subset both engines agree on (`$1, $2…`
//! placeholders numbered in order of first use, `CAST(x AS TEXT)`, `INSERT … ON CONFLICT`).
//! What differs is here: how a typed column is read back as canonical text, how a timestamp
//! is written, session set-up, the migration lock, emptying the person tables, `COPY` escaping
//! and connection-string redaction.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};

use crate::Backend;
use crate::error::{Error, Result};

/// How a record column is typed in the database (its canonical text form is the same).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ColumnKind {
    /// Codes, identifiers and `|`-joined sets: TEXT in both engines.
    Text,
    /// `YYYY-MM-DD`: DATE in PostgreSQL, TEXT in SQLite.
    Date,
    /// RFC 3339 UTC to the second: TIMESTAMPTZ in PostgreSQL, TEXT in SQLite.
    Timestamp,
    /// A non-negative integer: INTEGER in both engines.
    Integer,
    /// `true` / `false`: BOOLEAN in PostgreSQL, TEXT in SQLite.
    Boolean,
    /// `|`-joined linkage keys (32 hex digits each) kept as their raw bytes, 16 per key: BYTEA in
    /// PostgreSQL, BLOB in SQLite; read back as bare hex (see [`text_expr`]).
    Keys,
}

/// The type of a record-table column, from its table and model column name.
pub(crate) fn column_kind(table: &str, column: &str) -> ColumnKind {
    match column {
        "linkage_keys" if table == "victim_registration" => ColumnKind::Keys,
        "updated_at" => ColumnKind::Timestamp,
        "age_at_registration" | "record_version" | "sentence_months" => ColumnKind::Integer,
        "convicted_of_thb" => ColumnKind::Boolean,
        c if c.ends_with("_date") => ColumnKind::Date,
        _ => ColumnKind::Text,
    }
}

/// A select expression that yields `column` as its canonical text (keys: as bare hex digits, in
/// either case, that `records::keys_hex_to_canonical` makes canonical).
pub(crate) fn text_expr(backend: Backend, kind: ColumnKind, column: &str) -> String {
    match (backend, kind) {
        (Backend::Sqlite, ColumnKind::Keys) => format!("hex({column})"),
        (Backend::Postgres, ColumnKind::Keys) => format!("encode({column}, 'hex')"),
        (_, ColumnKind::Text)
        | (Backend::Sqlite, ColumnKind::Date | ColumnKind::Boolean | ColumnKind::Timestamp) => {
            column.to_owned()
        }
        (_, ColumnKind::Integer) | (Backend::Postgres, ColumnKind::Date | ColumnKind::Boolean) => {
            format!("CAST({column} AS TEXT)")
        }
        (Backend::Postgres, ColumnKind::Timestamp) => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        }
    }
}

/// A select expression that yields a microsecond timestamp column (`submission.submitted_at`)
/// as RFC 3339 UTC text with six fractional digits, the form [`timestamp_micros_text`] writes.
pub(crate) fn timestamp_micros_expr(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => column.to_owned(),
        Backend::Postgres => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        }
    }
}

/// `t` cut to whole microseconds, the precision of a PostgreSQL TIMESTAMPTZ.
pub(crate) fn truncate_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(t.nanosecond() / 1_000 * 1_000).unwrap_or(t)
}

/// Fixed-width RFC 3339 text of a timestamp to the microsecond (how SQLite stores one), so
/// that text order is time order.
pub(crate) fn timestamp_micros_text(t: DateTime<Utc>) -> String {
    truncate_to_micros(t).to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `YYYY-MM-DD`, the text form of a date in SQLite and in `COPY` (faster than a chrono format string).
pub(crate) fn date_text(d: NaiveDate) -> String {
    match date_digits(d) {
        Some(digits) => std::str::from_utf8(&digits).unwrap_or_default().to_owned(),
        None => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
    }
}

/// [`date_text`] of a date of the years 0 to 9999, written into a buffer (no allocation, no
/// formatting machinery: a million person rows bind one date each).
pub(crate) fn date_digits(d: NaiveDate) -> Option<[u8; 10]> {
    let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let (m, day) = (d.month(), d.day());
    let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

/// Parses `YYYY-MM-DD` (what both engines return for a date read as text).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// Empties the person tables (derived data, replaced as a whole).
pub(crate) fn clear_persons_sql(backend: Backend) -> &'static str {
    match backend {
        // Without a WHERE clause SQLite truncates a table that no foreign key points to.
        Backend::Sqlite => "DELETE FROM victim_person; DELETE FROM person;",
        Backend::Postgres => "TRUNCATE victim_person, person",
    }
}

/// Statements run once per PostgreSQL session, so that dates and timestamps read back as
/// canonical text whatever the server's defaults are.
pub(crate) const POSTGRES_SESSION: &str =
    "SET DateStyle TO ISO, YMD; SET TimeZone TO 'UTC'; SET client_min_messages TO warning;";

/// Serialises migrations between processes (run first inside the migration transaction).
/// SQLite takes its write lock with `BEGIN IMMEDIATE` instead.
pub(crate) fn migration_lock(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        // An arbitrary application-wide key ("mosy" in ASCII).
        Backend::Postgres => Some("SELECT pg_advisory_xact_lock(1836020601)"),
    }
}

/// The quoted PostgreSQL schema identifier, if `name` is a plain lower-case identifier.
pub(crate) fn quoted_schema(name: &str) -> Result<String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if first_ok && rest_ok && name.len() <= 63 {
        Ok(format!("\"{name}\""))
    } else {
        Err(Error::InvalidSchemaName)
    }
}

/// Appends `value` to a PostgreSQL `COPY … FROM STDIN` text-format row, escaping the
/// characters the format reserves (backslash, tab, newline, carriage return).
pub(crate) fn copy_escape(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A PostgreSQL connection string safe to log: the password of a URL's user-info and any
/// `password=…` parameter (URL query or key-value form) are replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let auth_start = scheme_end + 3;
        let auth_end = out[auth_start..].find(['/', '?', '#']).map_or(out.len(), |i| auth_start + i);
        if let Some(at) = out[auth_start..auth_end].rfind('@').map(|i| auth_start + i)
            && let Some(colon) = out[auth_start..at].find(':').map(|i| auth_start + i)
        {
            out.replace_range(colon + 1..at, "***");
        }
    }
    let mut search_from = 0;
    while let Some(pos) = out[search_from..].to_ascii_lowercase().find("password=").map(|i| search_from + i) {
        let value_start = pos + "password=".len();
        let rest = &out[value_start..];
        let value_len = if let Some(quoted) = rest.strip_prefix('\'') {
            quoted.find('\'').map_or(rest.len(), |i| i + 2)
        } else {
            rest.find(['&', ' ', '#']).unwrap_or(rest.len())
        };
        let value_end = value_start + value_len;
        out.replace_range(value_start..value_end, "***");
        search_from = value_start + 3;
    }
    out
}
