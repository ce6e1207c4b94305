//! Hub settings: a small key–value table for choices the hub makes once (the intake policy…).
//! Keys and values are configuration, never record data.

use crate::error::Result;
use crate::tx::{Tx, Value};

/// Reads one setting.
pub(crate) const GET_SQL: &str = "SELECT value FROM hub_setting WHERE key = $1";

/// Stores one setting (insert or replace; both engines support `ON CONFLICT … DO UPDATE`).
pub(crate) const SET_SQL: &str = "INSERT INTO hub_setting (key, value, updated_at) VALUES ($1, $2, $3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

/// Every setting, sorted by key.
pub(crate) const ALL_SQL: &str = "SELECT key, value FROM hub_setting";

/// The value of `key`, if set.
pub(crate) fn get(tx: &mut Tx<'_>, key: &str) -> Result<Option<String>> {
    Ok(tx.rows(GET_SQL, &[Value::Text(key)])?.into_iter().next().and_then(|r| r.into_iter().next()))
}

/// Sets `key` to `value`.
pub(crate) fn set(tx: &mut Tx<'_>, key: &str, value: &str) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    tx.execute(SET_SQL, &[Value::Text(key), Value::Text(value), Value::Text(&now)])?;
    Ok(())
}

/// Every (key, value), sorted by key.
pub(crate) fn all(tx: &mut Tx<'_>) -> Result<Vec<(String, String)>> {
    let mut out: Vec<(String, String)> = tx
        .rows(ALL_SQL, &[])?
        .into_iter()
        .filter_map(|r| {
            let mut it = r.into_iter();
            Some((it.next()?, it.next()?))
        })
        .collect();
    out.sort();
    Ok(out)
}
