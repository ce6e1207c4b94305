//! Releases and region boundaries: what the hub has published (frozen outputs and, per cell,
//! the value published or `NULL` when withheld), and the boundary sets imported once for maps.
//! Nothing here is record data: cells are aggregate counts of protected tables.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// A published release.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ReleaseRow {
    /// Release id (e.g. `2025-Q2-eu-1`).
    pub id: String,
    /// Period (`2025`, `2025-Q2`).
    pub period: String,
    /// Audience (`public`, `eu`).
    pub audience: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// The data it was computed from.
    pub data_version: String,
    /// The report request, JSON.
    pub spec: String,
    /// The SDMX-CSV output, frozen.
    pub sdmx_csv: String,
    /// The protected report, JSON, frozen.
    pub report_json: String,
}

/// One cell a release published (value) or withheld (`None`).
pub type ReleaseCell = (String, String, Option<u64>);

const INSERT_SQL: &str = "INSERT INTO release (id, period, audience, created_at, data_version, spec, sdmx_csv, \
     report_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_CELL_SQL: &str =
    "INSERT INTO release_cell (release_id, base, period, value) VALUES ($1, $2, $3, $4)";
const LIST_SQL: &str = "SELECT id, period, audience, created_at, data_version, spec, sdmx_csv, report_json \
     FROM release ORDER BY created_at, id";
/// The cells of published releases only: drafts constrain nothing until they are published.
const CELLS_SQL: &str = "SELECT c.base, c.period, c.value FROM release_cell c \
     JOIN release_publication p ON p.release_id = c.release_id ORDER BY c.release_id, c.base, c.period";
const PUBLICATIONS_SQL: &str = "SELECT release_id, published_at, published_by FROM release_publication ORDER BY published_at, release_id";
const PUBLISH_SQL: &str = "INSERT INTO release_publication (release_id, published_at, published_by) \
     SELECT r.id, p.at, p.who FROM (SELECT CAST($1 AS TEXT) AS id, CAST($2 AS TEXT) AS at, CAST($3 AS TEXT) AS who) p \
     JOIN release r ON r.id = p.id \
     WHERE NOT EXISTS (SELECT 1 FROM release_publication x WHERE x.release_id = p.id)";
const DISCARD_CELLS_SQL: &str = "DELETE FROM release_cell WHERE release_id = $1 \
     AND NOT EXISTS (SELECT 1 FROM release_publication WHERE release_id = $1)";
const DISCARD_SQL: &str = "DELETE FROM release WHERE id = $1 \
     AND NOT EXISTS (SELECT 1 FROM release_publication WHERE release_id = $1)";

/// When and by whom a release was published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The release.
    pub release_id: String,
    /// When (RFC 3339).
    pub published_at: String,
    /// Who (an account id, or `system`).
    pub published_by: String,
}

pub(crate) fn publications(tx: &mut Tx<'_>) -> Result<Vec<Publication>> {
    Ok(tx
        .rows(PUBLICATIONS_SQL, &[])?
        .into_iter()
        .map(|r| Publication {
            release_id: r[0].clone(),
            published_at: r[1].clone(),
            published_by: r[2].clone(),
        })
        .collect())
}

pub(crate) fn publish(tx: &mut Tx<'_>, id: &str, at: &str, by: &str) -> Result<bool> {
    Ok(tx.execute(PUBLISH_SQL, &[Value::Text(id), Value::Text(at), Value::Text(by)])? > 0)
}

pub(crate) fn discard(tx: &mut Tx<'_>, id: &str) -> Result<bool> {
    tx.execute(DISCARD_CELLS_SQL, &[Value::Text(id)])?;
    Ok(tx.execute(DISCARD_SQL, &[Value::Text(id)])? > 0)
}
const PUT_BOUNDARIES_SQL: &str = "INSERT INTO boundary_set (name, regions, imported_at, data) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (name) DO UPDATE SET regions = excluded.regions, imported_at = excluded.imported_at, \
     data = excluded.data";
const GET_BOUNDARIES_SQL: &str = "SELECT data FROM boundary_set WHERE name = $1";
const LIST_BOUNDARIES_SQL: &str =
    "SELECT name, CAST(regions AS TEXT), imported_at FROM boundary_set ORDER BY name";

fn ts(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt { table: "release", record_ref: "created_at".into() })
}

pub(crate) fn insert(tx: &mut Tx<'_>, r: &ReleaseRow, cells: &[ReleaseCell]) -> Result<()> {
    let created = r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    tx.execute(
        INSERT_SQL,
        &[
            Value::Text(&r.id),
            Value::Text(&r.period),
            Value::Text(&r.audience),
            Value::Text(&created),
            Value::Text(&r.data_version),
            Value::Text(&r.spec),
            Value::Text(&r.sdmx_csv),
            Value::Text(&r.report_json),
        ],
    )?;
    for (base, period, value) in cells {
        let text = value.map(|v| v.to_string());
        tx.execute(
            INSERT_CELL_SQL,
            &[Value::Text(&r.id), Value::Text(base), Value::Text(period), Value::OptText(text.as_deref())],
        )?;
    }
    Ok(())
}

pub(crate) fn list(tx: &mut Tx<'_>) -> Result<Vec<ReleaseRow>> {
    tx.rows(LIST_SQL, &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let mut next = || it.next().unwrap_or_default();
            Ok(ReleaseRow {
                id: next(),
                period: next(),
                audience: next(),
                created_at: ts(&next())?,
                data_version: next(),
                spec: next(),
                sdmx_csv: next(),
                report_json: next(),
            })
        })
        .collect()
}

pub(crate) fn cells(tx: &mut Tx<'_>) -> Result<Vec<ReleaseCell>> {
    tx.rows(CELLS_SQL, &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let base = it.next().unwrap_or_default();
            let period = it.next().unwrap_or_default();
            let value = it.next().unwrap_or_default();
            let value = if value.is_empty() {
                None
            } else {
                Some(
                    value
                        .parse()
                        .map_err(|_| Error::Corrupt { table: "release_cell", record_ref: base.clone() })?,
                )
            };
            Ok((base, period, value))
        })
        .collect()
}

pub(crate) fn put_boundaries(tx: &mut Tx<'_>, name: &str, regions: u32, data: &[u8]) -> Result<()> {
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let hex = hex::encode(data);
    let regions = i32::try_from(regions).unwrap_or(i32::MAX);
    tx.execute(
        PUT_BOUNDARIES_SQL,
        &[Value::Text(name), Value::Int(regions), Value::Text(&now), Value::Text(&hex)],
    )?;
    Ok(())
}

pub(crate) fn boundaries(tx: &mut Tx<'_>, name: &str) -> Result<Option<Vec<u8>>> {
    match tx
        .rows(GET_BOUNDARIES_SQL, &[Value::Text(name)])?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
    {
        Some(hex) => Ok(Some(
            hex::decode(hex)
                .map_err(|_| Error::Corrupt { table: "boundary_set", record_ref: name.to_string() })?,
        )),
        None => Ok(None),
    }
}

pub(crate) fn boundary_sets(tx: &mut Tx<'_>) -> Result<Vec<(String, u32, String)>> {
    Ok(tx
        .rows(LIST_BOUNDARIES_SQL, &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let name = it.next().unwrap_or_default();
            let regions = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            (name, regions, it.next().unwrap_or_default())
        })
        .collect())
}

const MEMBERSHIP_SQL: &str = "SELECT provider_id, record_ref, CAST(person_id AS TEXT) FROM victim_person ORDER BY provider_id, record_ref";

/// Every (provider, record, person) of the latest de-duplication, for the statistics engine.
pub(crate) fn memberships(tx: &mut Tx<'_>) -> Result<Vec<(String, String, u32)>> {
    let mut out = Vec::new();
    tx.for_each_row(MEMBERSHIP_SQL, &[], |row| {
        let person = row[2]
            .parse()
            .map_err(|_| Error::Corrupt { table: "victim_person", record_ref: row[1].to_string() })?;
        out.push((row[0].to_string(), row[1].to_string(), person));
        Ok(())
    })?;
    Ok(out)
}
