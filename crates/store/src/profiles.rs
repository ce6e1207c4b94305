//! Mapping profiles stored at the hub (`mapping_profile`), versioned: every save of a changed
//! text is a new (name, version) row, and rows are never updated or deleted (the tables refuse
//! it), so a profile's versions are its history. A profile belongs to one provider, or to none
//! (shared by every provider); its first version fixes the owner. The TOML text is kept as it was
//! written; it is checked by the caller (`ingest::profile`), never here.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// One stored version of a mapping profile.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProfileRow {
    /// The profile's name (unique at the hub).
    pub name: String,
    /// Its version, from 1.
    pub version: u32,
    /// The provider it belongs to; `None` for a shared profile.
    pub provider_id: Option<String>,
    /// The profile text (TOML).
    pub toml: String,
    /// When the version was saved (to the second).
    pub created_at: DateTime<Utc>,
    /// The account that saved it.
    pub created_by: String,
}

/// What saving a profile did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProfileSave {
    /// A new version was stored.
    Stored {
        /// Its number.
        version: u32,
    },
    /// The text equals the latest version: nothing was stored.
    Unchanged {
        /// The latest version's number.
        version: u32,
    },
}

impl ProfileSave {
    /// The version that holds the text now.
    pub fn version(self) -> u32 {
        match self {
            ProfileSave::Stored { version } | ProfileSave::Unchanged { version } => version,
        }
    }
}

const COLUMNS: &str = "name, CAST(version AS TEXT), provider_id, toml, created_at, created_by";
pub(crate) const INSERT_SQL: &str = "INSERT INTO mapping_profile (name, version, provider_id, toml, created_at, \
     created_by) VALUES ($1, $2, $3, $4, $5, $6)";

fn latest_of_sql() -> String {
    format!("SELECT {COLUMNS} FROM mapping_profile WHERE name = $1 ORDER BY version DESC LIMIT 1")
}

fn version_sql() -> String {
    format!("SELECT {COLUMNS} FROM mapping_profile WHERE name = $1 AND version = $2")
}

fn history_sql() -> String {
    format!("SELECT {COLUMNS} FROM mapping_profile WHERE name = $1 ORDER BY version")
}

fn latest_sql(for_provider: bool) -> String {
    let filter = if for_provider { " AND (p.provider_id = $1 OR p.provider_id IS NULL)" } else { "" };
    format!(
        "SELECT p.name, CAST(p.version AS TEXT), p.provider_id, p.toml, p.created_at, p.created_by \
         FROM mapping_profile p WHERE p.version = \
         (SELECT MAX(q.version) FROM mapping_profile q WHERE q.name = p.name){filter} ORDER BY p.name"
    )
}

fn parse(row: Vec<String>) -> Result<ProfileRow> {
    let corrupt = |name: &str| Error::Corrupt { table: "mapping_profile", record_ref: name.to_owned() };
    let mut it = row.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let name = next();
    let version = next().parse().map_err(|_| corrupt(&name))?;
    let provider = next();
    let toml = next();
    let created_at = DateTime::parse_from_rfc3339(&next()).map_err(|_| corrupt(&name))?.with_timezone(&Utc);
    Ok(ProfileRow {
        provider_id: (!provider.is_empty()).then_some(provider),
        toml,
        created_at,
        created_by: next(),
        version,
        name,
    })
}

fn first(tx: &mut Tx<'_>, sql: &str, params: &[Value<'_>]) -> Result<Option<ProfileRow>> {
    tx.rows(sql, params)?.into_iter().next().map(parse).transpose()
}

/// The latest version of `name`, or the given one.
pub(crate) fn get(tx: &mut Tx<'_>, name: &str, version: Option<u32>) -> Result<Option<ProfileRow>> {
    match version {
        None => first(tx, &latest_of_sql(), &[Value::Text(name)]),
        Some(v) => {
            let Ok(v) = i32::try_from(v) else { return Ok(None) };
            first(tx, &version_sql(), &[Value::Text(name), Value::Int(v)])
        }
    }
}

/// Every version of `name`, oldest first.
pub(crate) fn history(tx: &mut Tx<'_>, name: &str) -> Result<Vec<ProfileRow>> {
    tx.rows(&history_sql(), &[Value::Text(name)])?.into_iter().map(parse).collect()
}

/// The latest version of every profile (of `provider` and the shared ones, when given), by name.
pub(crate) fn latest(tx: &mut Tx<'_>, provider: Option<&str>) -> Result<Vec<ProfileRow>> {
    let rows = match provider {
        None => tx.rows(&latest_sql(false), &[])?,
        Some(p) => tx.rows(&latest_sql(true), &[Value::Text(p)])?,
    };
    rows.into_iter().map(parse).collect()
}

/// Stores `toml` as the next version of `name` unless it equals the latest one.
pub(crate) fn save(
    tx: &mut Tx<'_>,
    name: &str,
    provider: Option<&str>,
    toml: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<ProfileSave> {
    let latest = get(tx, name, None)?;
    if let Some(l) = &latest {
        if l.provider_id.as_deref() != provider {
            return Err(Error::ProfileOwner { name: name.to_owned() });
        }
        if l.toml == toml {
            return Ok(ProfileSave::Unchanged { version: l.version });
        }
    }
    let version = latest.map_or(1, |l| l.version + 1);
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    tx.execute(
        INSERT_SQL,
        &[
            Value::Text(name),
            Value::Int(i32::try_from(version).unwrap_or(i32::MAX)),
            Value::OptText(provider),
            Value::Text(toml),
            Value::Text(&at),
            Value::Text(by),
        ],
    )?;
    Ok(ProfileSave::Stored { version })
}
