//! One transaction over either engine: the few primitives every query of the crate is built on.
//!
//! Parameters are typed [`Value`]s bound the way each engine wants them (SQLite stores dates,
//! timestamps and booleans as canonical text). Every query reads its columns back as text
//! (NULL reads as the empty string, the canonical "absent"), so results are parsed the same
//! way for both engines. Bulk inserts are the one place where the engines take different
//! paths: a reused prepared single-row INSERT for SQLite (measured faster than multi-row
//! INSERTs, which need a statement journal), `COPY … FROM STDIN` for PostgreSQL.

use std::borrow::Cow;
use std::io::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use model::Valid;
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator as _;
use postgres::types::ToSql as PgToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::Backend;
use crate::dialect;
use crate::dialect::ColumnKind;
use crate::error::{Error, Result};
use crate::records::{Encoded, Layout, SPAN_UPSERT_SQL, Storable, VICTIMS, safe_ref};

/// A statement parameter.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value<'a> {
    /// TEXT.
    Text(&'a str),
    /// TEXT or NULL.
    OptText(Option<&'a str>),
    /// INTEGER (32-bit in PostgreSQL).
    Int(i32),
    /// BIGINT in PostgreSQL, INTEGER in SQLite.
    BigInt(i64),
    /// BOOLEAN in PostgreSQL, `true`/`false` TEXT in SQLite.
    Bool(bool),
    /// DATE in PostgreSQL, `YYYY-MM-DD` TEXT in SQLite.
    Date(NaiveDate),
    /// DATE or NULL.
    OptDate(Option<NaiveDate>),
    /// TIMESTAMPTZ in PostgreSQL, fixed-width RFC 3339 TEXT in SQLite (microseconds).
    Timestamp(DateTime<Utc>),
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as V;
        Ok(match *self {
            Value::Text(s) | Value::OptText(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::OptText(None) | Value::OptDate(None) => ToSqlOutput::Owned(V::Null),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(i.into())),
            Value::BigInt(i) => ToSqlOutput::Owned(V::Integer(i)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Text(if b { b"true" } else { b"false" })),
            Value::Date(d) | Value::OptDate(Some(d)) => ToSqlOutput::Owned(V::Text(dialect::date_text(d))),
            Value::Timestamp(t) => ToSqlOutput::Owned(V::Text(dialect::timestamp_micros_text(t))),
        })
    }
}

impl<'a> Value<'a> {
    fn boxed_pg(self) -> Box<dyn PgToSql + Sync + 'a> {
        match self {
            Value::Text(s) => Box::new(s),
            Value::OptText(s) => Box::new(s),
            Value::Int(i) => Box::new(i),
            Value::BigInt(i) => Box::new(i),
            Value::Bool(b) => Box::new(b),
            Value::Date(d) => Box::new(d),
            Value::OptDate(d) => Box::new(d),
            Value::Timestamp(t) => Box::new(dialect::truncate_to_micros(t)),
        }
    }

    /// Appends the value to a `COPY … FROM STDIN` text-format row.
    fn write_copy(self, out: &mut String) {
        use std::fmt::Write as _;
        match self {
            Value::Text(s) | Value::OptText(Some(s)) => dialect::copy_escape(s, out),
            Value::OptText(None) | Value::OptDate(None) => out.push_str("\\N"),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::BigInt(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Date(d) | Value::OptDate(Some(d)) => out.push_str(&dialect::date_text(d)),
            Value::Timestamp(t) => out.push_str(&dialect::timestamp_micros_text(t)),
        }
    }
}

/// One cell of a row read by [`Tx::for_each_cells`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cell<'a> {
    /// NULL.
    Null,
    /// Text.
    Text(&'a str),
    /// BLOB (SQLite) or BYTEA (PostgreSQL).
    Bytes(&'a [u8]),
}

impl<'a> Cell<'a> {
    /// The text, `""` for NULL; `None` for bytes.
    pub(crate) fn text(self) -> Option<&'a str> {
        match self {
            Cell::Null => Some(""),
            Cell::Text(t) => Some(t),
            Cell::Bytes(_) => None,
        }
    }

    /// The bytes, empty for NULL; `None` for text.
    pub(crate) fn bytes(self) -> Option<&'a [u8]> {
        match self {
            Cell::Null => Some(&[]),
            Cell::Bytes(b) => Some(b),
            Cell::Text(_) => None,
        }
    }
}

/// Rows of one record table that the database refused as duplicates, in the order to examine.
struct DuplicateSuspects<'r> {
    /// The record table.
    table: &'static str,
    /// The submission being written.
    submission_id: &'r str,
    /// The provider of every record of the submission.
    provider_id: &'r str,
    /// References that may be held already (examined first).
    candidates: Vec<&'r str>,
    /// Every reference of the batch (searched for a repetition when no candidate is held).
    batch: Vec<&'r str>,
}

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
pub(crate) enum Tx<'c> {
    /// SQLite.
    Sqlite(rusqlite::Transaction<'c>),
    /// PostgreSQL.
    Postgres(postgres::Transaction<'c>),
}

impl Tx<'_> {
    /// Which engine.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs one statement; returns the number of rows changed.
    pub(crate) fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64> {
        match self {
            Tx::Sqlite(tx) => {
                let n = tx.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?;
                Ok(n as u64)
            }
            Tx::Postgres(tx) => {
                let boxed: Vec<_> = params.iter().map(|v| v.boxed_pg()).collect();
                let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                Ok(tx.execute(sql, &refs)?)
            }
        }
    }

    /// Runs one statement (prepared once) for each parameter row.
    pub(crate) fn execute_each<'v>(
        &mut self,
        sql: &str,
        rows: impl Iterator<Item = Vec<Value<'v>>>,
    ) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                for row in rows {
                    stmt.execute(rusqlite::params_from_iter(&row))?;
                }
            }
            Tx::Postgres(tx) => {
                let stmt = tx.prepare(sql)?;
                for row in rows {
                    let boxed: Vec<_> = row.iter().map(|v| v.boxed_pg()).collect();
                    let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                    tx.execute(&stmt, &refs)?;
                }
            }
        }
        Ok(())
    }

    /// Runs a script of statements without parameters (migrations, locks).
    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.execute_batch(sql)?,
            Tx::Postgres(tx) => tx.batch_execute(sql)?,
        }
        Ok(())
    }

    /// Runs a query and hands each row to `f` as text, NULL as `""`. Every selected column
    /// must be text in PostgreSQL (see [`dialect::text_expr`]); SQLite integers are formatted.
    pub(crate) fn for_each_row(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        mut f: impl FnMut(&[&str]) -> Result<()>,
    ) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(row) = rows.next()? {
                    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(n);
                    for i in 0..n {
                        cells.push(match row.get_ref(i)? {
                            ValueRef::Null => Cow::Borrowed(""),
                            ValueRef::Integer(v) => Cow::Owned(v.to_string()),
                            ValueRef::Real(v) => Cow::Owned(v.to_string()),
                            ValueRef::Text(b) | ValueRef::Blob(b) => {
                                Cow::Borrowed(std::str::from_utf8(b).map_err(rusqlite::Error::Utf8Error)?)
                            }
                        });
                    }
                    let refs: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
                    f(&refs)?;
                }
            }
            Tx::Postgres(tx) => {
                let boxed: Vec<_> = params.iter().map(|v| v.boxed_pg()).collect();
                let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                // Streamed, not collected: a million rows need not be held twice.
                let mut rows = tx.query_raw(sql, refs)?;
                while let Some(row) = rows.next()? {
                    let cells = (0..row.len())
                        .map(|i| row.try_get::<_, Option<&str>>(i).map(Option::unwrap_or_default))
                        .collect::<Result<Vec<&str>, _>>()?;
                    f(&cells)?;
                }
            }
        }
        Ok(())
    }

    /// Runs a query and hands each row to `f` as [`Cell`]s, without allocating per row: text
    /// as text, BLOB / BYTEA as bytes, NULL as [`Cell::Null`]. Every other selected column must be
    /// text in PostgreSQL (see [`dialect::text_expr`]); SQLite integers are refused. At most 16
    /// columns.
    pub(crate) fn for_each_cells(
        &mut self,
        sql: &str,
        params: &[Value<'_>],
        mut f: impl FnMut(&[Cell<'_>]) -> Result<()>,
    ) -> Result<()> {
        const MAX: usize = 16;
        match self {
            Tx::Sqlite(tx) => {
                let mut stmt = tx.prepare_cached(sql)?;
                let n = stmt.column_count().min(MAX);
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(row) = rows.next()? {
                    let mut cells = [Cell::Null; MAX];
                    for (i, cell) in cells.iter_mut().enumerate().take(n) {
                        *cell = match row.get_ref(i)? {
                            ValueRef::Null => Cell::Null,
                            ValueRef::Text(b) => {
                                Cell::Text(std::str::from_utf8(b).map_err(rusqlite::Error::Utf8Error)?)
                            }
                            ValueRef::Blob(b) => Cell::Bytes(b),
                            ValueRef::Integer(_) | ValueRef::Real(_) => {
                                return Err(rusqlite::Error::InvalidColumnType(
                                    i,
                                    "(number)".to_owned(),
                                    rusqlite::types::Type::Text,
                                )
                                .into());
                            }
                        };
                    }
                    f(&cells[..n])?;
                }
            }
            Tx::Postgres(tx) => {
                let boxed: Vec<_> = params.iter().map(|v| v.boxed_pg()).collect();
                let refs: Vec<&(dyn PgToSql + Sync)> = boxed.iter().map(|b| b.as_ref()).collect();
                let mut rows = tx.query_raw(sql, refs)?;
                while let Some(row) = rows.next()? {
                    let n = row.len().min(MAX);
                    let mut cells = [Cell::Null; MAX];
                    for (i, cell) in cells.iter_mut().enumerate().take(n) {
                        let bytes =
                            row.columns().get(i).is_some_and(|c| *c.type_() == postgres::types::Type::BYTEA);
                        *cell = if bytes {
                            row.try_get::<_, Option<&[u8]>>(i)?.map_or(Cell::Null, Cell::Bytes)
                        } else {
                            row.try_get::<_, Option<&str>>(i)?.map_or(Cell::Null, Cell::Text)
                        };
                    }
                    f(&cells[..n])?;
                }
            }
        }
        Ok(())
    }

    /// Runs a query and returns every row as owned text.
    pub(crate) fn rows(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<Vec<String>>> {
        let mut out = Vec::new();
        self.for_each_row(sql, params, |row| {
            out.push(row.iter().map(|s| (*s).to_owned()).collect());
            Ok(())
        })?;
        Ok(out)
    }

    /// Stores `records` of one submission in their table (see [`crate::records::Layout`]).
    ///
    /// A record whose (provider, record reference) is stored already, or repeated in `records`,
    /// fails with [`Error::DuplicateRecord`] naming it and the period of the submission holding
    /// it; the transaction stays usable for the caller to roll back.
    pub(crate) fn insert_records<R: Storable>(
        &mut self,
        submission_id: &str,
        records: &[Valid<R>],
    ) -> Result<()> {
        let encoded = records.iter().map(Encoded::new).collect::<Result<Vec<_>>>()?;
        self.insert_encoded(submission_id, &encoded)
    }

    /// Stores encoded `records` of one submission in their table; errors as
    /// [`Tx::insert_records`].
    pub(crate) fn insert_encoded<R: Storable>(
        &mut self,
        submission_id: &str,
        records: &[Encoded<R>],
    ) -> Result<()> {
        let Some(first) = records.first() else {
            return Ok(());
        };
        let provider_id = first.provider_id();
        let layout = Layout::get::<R>();
        let columns = layout.insert_columns();
        let refs = || records.iter().map(Encoded::record_ref).collect::<Vec<_>>();
        let suspects = match self {
            Tx::Sqlite(tx) => {
                let n = layout.columns.len() + 1;
                let placeholders = (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                let sql = format!("INSERT INTO {} ({columns}) VALUES ({placeholders})", R::TABLE);
                let mut stmt = tx.prepare_cached(&sql)?;
                let mut refused = None;
                // The rowid range of the rows written (see `victim_span`).
                let mut span: Option<(i64, i64)> = None;
                for record in records {
                    stmt.raw_bind_parameter(1, submission_id)?;
                    for (n, (&k, kind)) in layout.own.iter().zip(&layout.kinds).enumerate() {
                        let value = record.value(k);
                        if value.is_empty() {
                            stmt.raw_bind_parameter(n + 2, rusqlite::types::Null)?;
                        } else if *kind == ColumnKind::Keys {
                            stmt.raw_bind_parameter(n + 2, record.key_bytes())?;
                        } else {
                            stmt.raw_bind_parameter(n + 2, value)?;
                        }
                    }
                    if layout.packed > 0 {
                        stmt.raw_bind_parameter(n, record.packed())?;
                    }
                    match stmt.raw_execute() {
                        Ok(_) => {
                            let id = tx.last_insert_rowid();
                            span = Some(span.map_or((id, id), |(first, last)| (first.min(id), last.max(id))));
                        }
                        Err(e) if is_sqlite_duplicate(&e) => {
                            refused = Some(record.record_ref());
                            break;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                drop(stmt);
                if refused.is_none()
                    && R::TABLE == VICTIMS
                    && let Some((first, last)) = span
                {
                    let count = i64::try_from(records.len()).unwrap_or(i64::MAX);
                    tx.prepare_cached(SPAN_UPSERT_SQL)?.execute(rusqlite::params![
                        submission_id,
                        first,
                        last,
                        count
                    ])?;
                }
                refused.map(|r| DuplicateSuspects {
                    table: R::TABLE,
                    submission_id,
                    provider_id,
                    candidates: vec![r],
                    batch: refs(),
                })
            }
            Tx::Postgres(tx) => {
                // In a savepoint, so that after a refusal the transaction can still find out
                // which record was refused.
                let mut savepoint = tx.savepoint("insert_records")?;
                let sql = format!("COPY {} ({columns}) FROM STDIN", R::TABLE);
                match copy_records(&mut savepoint, &sql, submission_id, &layout, records) {
                    Ok(()) => {
                        savepoint.commit()?;
                        None
                    }
                    Err(CopyFailure::Duplicate) => {
                        savepoint.rollback()?;
                        let batch = refs();
                        Some(DuplicateSuspects {
                            table: R::TABLE,
                            submission_id,
                            provider_id,
                            candidates: batch.clone(),
                            batch,
                        })
                    }
                    Err(CopyFailure::Io(source)) => return Err(Error::Copy { table: R::TABLE, source }),
                    Err(CopyFailure::Db(e)) => return Err(e.into()),
                }
            }
        };
        match suspects {
            None => Ok(()),
            Some(s) => Err(self.duplicate_error(&s)?),
        }
    }

    /// Finds which record was refused as a duplicate, and where it is held.
    fn duplicate_error(&mut self, s: &DuplicateSuspects<'_>) -> Result<Error> {
        let select = format!(
            "SELECT r.record_ref, s.period, s.id FROM {} r JOIN submission s ON s.id = r.submission_id \
             WHERE r.provider_id = $1",
            s.table
        );
        let mut held = None;
        match self {
            Tx::Sqlite(_) => {
                let sql = format!("{select} AND r.record_ref = $2");
                for candidate in &s.candidates {
                    let rows = self.rows(&sql, &[Value::Text(s.provider_id), Value::Text(candidate)])?;
                    if let Some(row) = rows.into_iter().next() {
                        held = Some(row);
                        break;
                    }
                }
            }
            Tx::Postgres(tx) => {
                // Every reference of the batch may be the one refused: look them up in chunks.
                let sql = format!("{select} AND r.record_ref = ANY($2) LIMIT 1");
                for chunk in s.candidates.chunks(10_000) {
                    let rows = tx.query(&sql, &[&s.provider_id, &chunk])?;
                    if let Some(row) = rows.first() {
                        let cell = |i| row.try_get::<_, String>(i);
                        held = Some(vec![cell(0)?, cell(1)?, cell(2)?]);
                        break;
                    }
                }
            }
        }
        if let Some(row) = held
            && let [record_ref, period, holder] = row.as_slice()
        {
            let period = if holder == s.submission_id {
                None
            } else {
                Some(
                    period
                        .parse()
                        .map_err(|_| Error::Corrupt { table: "submission", record_ref: safe_ref(holder) })?,
                )
            };
            return Ok(Error::DuplicateRecord { table: s.table, record_ref: safe_ref(record_ref), period });
        }
        let mut seen = std::collections::BTreeSet::new();
        let repeated = s.batch.iter().find(|r| !seen.insert(**r));
        Ok(Error::DuplicateRecord {
            table: s.table,
            record_ref: repeated.map_or_else(|| "(unidentified)".to_owned(), |r| safe_ref(r)),
            period: None,
        })
    }

    /// Inserts `rows` of `N` values into `table` (fresh tables of derived data; no duplicate
    /// diagnosis).
    pub(crate) fn bulk_insert<'v, const N: usize>(
        &mut self,
        table: &'static str,
        columns: [&str; N],
        rows: impl Iterator<Item = [Value<'v>; N]>,
    ) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => {
                let placeholders = (1..=N).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                let sql = format!("INSERT INTO {table} ({}) VALUES ({placeholders})", columns.join(", "));
                let mut stmt = tx.prepare_cached(&sql)?;
                for row in rows {
                    for (i, value) in row.iter().enumerate() {
                        // Dates bound from a buffer: the one allocation per row otherwise.
                        let digits = match *value {
                            Value::Date(d) | Value::OptDate(Some(d)) => dialect::date_digits(d),
                            _ => None,
                        };
                        match digits {
                            Some(digits) => stmt.raw_bind_parameter(
                                i + 1,
                                std::str::from_utf8(&digits).unwrap_or_default(),
                            )?,
                            None => stmt.raw_bind_parameter(i + 1, value)?,
                        }
                    }
                    stmt.raw_execute()?;
                }
            }
            Tx::Postgres(tx) => {
                let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
                let io = |source| Error::Copy { table, source };
                let mut writer = tx.copy_in(&sql)?;
                let mut buf = String::with_capacity(1 << 16);
                for row in rows {
                    for (i, value) in row.into_iter().enumerate() {
                        if i > 0 {
                            buf.push('\t');
                        }
                        value.write_copy(&mut buf);
                    }
                    buf.push('\n');
                    if buf.len() >= 1 << 16 {
                        writer.write_all(buf.as_bytes()).map_err(io)?;
                        buf.clear();
                    }
                }
                writer.write_all(buf.as_bytes()).map_err(io)?;
                writer.finish()?;
            }
        }
        Ok(())
    }

    /// Commits.
    pub(crate) fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit()?,
            Tx::Postgres(tx) => tx.commit()?,
        }
        Ok(())
    }
}

fn is_sqlite_duplicate(e: &rusqlite::Error) -> bool {
    e.sqlite_error().is_some_and(|f| {
        f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    })
}

/// Why streaming records to PostgreSQL failed.
enum CopyFailure {
    /// The server refused a row as a duplicate key.
    Duplicate,
    /// Writing the stream failed.
    Io(std::io::Error),
    /// Any other server error.
    Db(postgres::Error),
}

/// Streams `records` into `sql` (`COPY … FROM STDIN`, the layout's columns).
fn copy_records<R>(
    tx: &mut postgres::Transaction<'_>,
    sql: &str,
    submission_id: &str,
    layout: &Layout,
    records: &[Encoded<R>],
) -> std::result::Result<(), CopyFailure> {
    use std::fmt::Write as _;
    let mut writer = tx.copy_in(sql).map_err(CopyFailure::Db)?;
    let mut buf = String::with_capacity(1 << 16);
    for record in records {
        dialect::copy_escape(submission_id, &mut buf);
        for (&k, kind) in layout.own.iter().zip(&layout.kinds) {
            let value = record.value(k);
            buf.push('\t');
            if value.is_empty() {
                buf.push_str("\\N");
            } else if *kind == ColumnKind::Keys {
                // The bytea input `\x…`, its backslash escaped for the text format.
                buf.push_str("\\\\x");
                for b in record.key_bytes() {
                    let _ = write!(buf, "{b:02x}");
                }
            } else {
                dialect::copy_escape(value, &mut buf);
            }
        }
        if layout.packed > 0 {
            buf.push('\t');
            dialect::copy_escape(record.packed(), &mut buf);
        }
        buf.push('\n');
        if buf.len() >= 1 << 16 {
            writer.write_all(buf.as_bytes()).map_err(copy_io_failure)?;
            buf.clear();
        }
    }
    writer.write_all(buf.as_bytes()).map_err(copy_io_failure)?;
    writer.finish().map_err(|e| {
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            CopyFailure::Duplicate
        } else {
            CopyFailure::Db(e)
        }
    })?;
    Ok(())
}

/// The server may refuse a row while the client is still streaming: the writer then reports the
/// server's error wrapped in an I/O error.
fn copy_io_failure(source: std::io::Error) -> CopyFailure {
    let refused_duplicate = source
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<postgres::Error>())
        .is_some_and(|e| e.code() == Some(&SqlState::UNIQUE_VIOLATION));
    if refused_duplicate { CopyFailure::Duplicate } else { CopyFailure::Io(source) }
}
