//! One transaction over either engine: the few primitives every query of the crate is built on.
//!
//! Parameters are typed [`Value`]s bound the way each engine wants them (SQLite stores dates,
//! timestamps and booleans as canonical text). Every query reads its columns back as text
//! (NULL reads as the empty string, the canonical "absent"), so results are parsed the same
//! way for both engines. Bulk record inserts are the one place where the engines take
//! different paths: a reused prepared INSERT for SQLite, `COPY … FROM STDIN` for PostgreSQL.

use std::borrow::Cow;
use std::io::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use model::Valid;
use postgres::error::SqlState;
use postgres::types::ToSql as PgToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::Backend;
use crate::dialect;
use crate::error::{Error, Result};
use crate::records::StoredRecord;

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
            Value::Date(d) | Value::OptDate(Some(d)) => {
                ToSqlOutput::Owned(V::Text(d.format("%Y-%m-%d").to_string()))
            }
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
                let rows = tx.query(sql, &refs)?;
                let mut cells: Vec<&str> = Vec::new();
                for row in &rows {
                    cells.clear();
                    for i in 0..row.len() {
                        cells.push(row.try_get::<_, Option<&str>>(i)?.unwrap_or(""));
                    }
                    f(&cells)?;
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

    /// Stores `records` of one submission in their table, in canonical text form.
    pub(crate) fn insert_records<R: StoredRecord>(
        &mut self,
        submission_id: &str,
        records: &[Valid<R>],
    ) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let columns = std::iter::once("submission_id").chain(R::COLUMNS.iter().copied()).collect::<Vec<_>>();
        match self {
            Tx::Sqlite(tx) => {
                let placeholders =
                    (1..=columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                let sql =
                    format!("INSERT INTO {} ({}) VALUES ({placeholders})", R::TABLE, columns.join(", "));
                let mut stmt = tx.prepare(&sql)?;
                for record in records {
                    stmt.raw_bind_parameter(1, submission_id)?;
                    let mut index = 2;
                    let mut bind_error = None;
                    record.write(&mut |value| {
                        let bound = if value.is_empty() {
                            stmt.raw_bind_parameter(index, rusqlite::types::Null)
                        } else {
                            stmt.raw_bind_parameter(index, value)
                        };
                        if let Err(e) = bound {
                            bind_error.get_or_insert(e);
                        }
                        index += 1;
                    });
                    if let Some(e) = bind_error {
                        return Err(e.into());
                    }
                    stmt.raw_execute().map_err(|e| sqlite_insert_error(e, R::TABLE))?;
                }
            }
            Tx::Postgres(tx) => {
                let sql = format!("COPY {} ({}) FROM STDIN", R::TABLE, columns.join(", "));
                let io = |source| copy_io_error(source, R::TABLE);
                let mut writer = tx.copy_in(&sql)?;
                let mut buf = String::with_capacity(1 << 16);
                for record in records {
                    dialect::copy_escape(submission_id, &mut buf);
                    record.write(&mut |value| {
                        buf.push('\t');
                        if value.is_empty() {
                            buf.push_str("\\N");
                        } else {
                            dialect::copy_escape(value, &mut buf);
                        }
                    });
                    buf.push('\n');
                    if buf.len() >= 1 << 16 {
                        writer.write_all(buf.as_bytes()).map_err(io)?;
                        buf.clear();
                    }
                }
                writer.write_all(buf.as_bytes()).map_err(io)?;
                writer.finish().map_err(|e| postgres_insert_error(e, R::TABLE))?;
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

fn sqlite_insert_error(e: rusqlite::Error, table: &'static str) -> Error {
    match e.sqlite_error() {
        Some(f)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::DuplicateRecord { table }
        }
        _ => e.into(),
    }
}

/// The server may refuse a row while the client is still streaming: the writer then reports the
/// server's error wrapped in an I/O error.
fn copy_io_error(source: std::io::Error, table: &'static str) -> Error {
    let refused_duplicate = source
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<postgres::Error>())
        .is_some_and(|e| e.code() == Some(&SqlState::UNIQUE_VIOLATION));
    if refused_duplicate { Error::DuplicateRecord { table } } else { Error::Copy { table, source } }
}

fn postgres_insert_error(e: postgres::Error, table: &'static str) -> Error {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) { Error::DuplicateRecord { table } } else { e.into() }
}
