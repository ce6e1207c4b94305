//! The EU level at an EU hub: the registered national hubs (country, name, the hash of the hub
//! token; never the token) and the national releases received from them, each kept with its
//! revision number and its observations. A new release for the same country and period is stored
//! as the next revision and replaces the previous one in [`observations`]; nothing is updated or
//! deleted (triggers refuse it). Observations are aggregate, protected counts: a withheld cell
//! has no value and keeps its `OBS_STATUS` / `CONF_STATUS`.

use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// A registered national hub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EuHubRow {
    /// Country code (Eurostat, e.g. `PT`).
    pub country: String,
    /// Display name.
    pub name: String,
    /// SHA-256 of its hub token, hex.
    pub token_hash: String,
    /// When it was registered (RFC 3339).
    pub created_at: String,
}

/// A received national release (one revision).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EuReleaseRow {
    /// Country code.
    pub country: String,
    /// The release period (`2024`, `2024-Q2`).
    pub period: String,
    /// Revision number, from 1.
    pub revision: u32,
    /// The national release id.
    pub release_id: String,
    /// When it was received (RFC 3339).
    pub received_at: String,
    /// Who delivered it (`hub:CC` for a push, `file:…` for an import).
    pub received_by: String,
    /// The SDMX-CSV as received.
    pub sdmx_csv: String,
}

/// One observation of a received release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EuObservation {
    /// Country code.
    pub country: String,
    /// `INDICATOR`.
    pub indicator: String,
    /// The other dimensions, `DIM=CODE` joined with `.` in DSD order (without `REF_AREA`,
    /// `INDICATOR` and `TIME_PERIOD`).
    pub series_key: String,
    /// `TIME_PERIOD`.
    pub time_period: String,
    /// `OBS_VALUE`; `None` when withheld.
    pub value: Option<u64>,
    /// `OBS_STATUS`.
    pub obs_status: String,
    /// `CONF_STATUS`.
    pub conf_status: String,
}

const UPSERT_HUB_SQL: &str = "INSERT INTO eu_hub (country, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (country) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, \
     created_at = excluded.created_at";
const HUBS_SQL: &str = "SELECT country, name, token_hash, created_at FROM eu_hub ORDER BY country";
const HUB_BY_TOKEN_SQL: &str =
    "SELECT country, name, token_hash, created_at FROM eu_hub WHERE token_hash = $1";
const NEXT_REVISION_SQL: &str = "SELECT CAST(COALESCE(MAX(revision), 0) + 1 AS TEXT) FROM eu_release \
     WHERE country = $1 AND period = $2";
const INSERT_RELEASE_SQL: &str = "INSERT INTO eu_release (country, period, revision, release_id, received_at, \
     received_by, sdmx_csv) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_OBSERVATION_SQL: &str = "INSERT INTO eu_observation (country, period, revision, indicator, series_key, \
     time_period, value, obs_status, conf_status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const RELEASES_SQL: &str = "SELECT country, period, CAST(revision AS TEXT), release_id, received_at, received_by, \
     sdmx_csv FROM eu_release ORDER BY country, period, revision";
/// Observations of the latest revision of every (country, period) for one `TIME_PERIOD`.
const OBSERVATIONS_SQL: &str = "SELECT o.country, o.indicator, o.series_key, o.time_period, o.value, o.obs_status, \
     o.conf_status FROM eu_observation o \
     WHERE o.time_period = $1 AND o.revision = (SELECT MAX(r.revision) FROM eu_release r \
     WHERE r.country = o.country AND r.period = o.period) \
     ORDER BY o.indicator, o.series_key, o.country";

pub(crate) fn upsert_hub(tx: &mut Tx<'_>, h: &EuHubRow) -> Result<()> {
    tx.execute(
        UPSERT_HUB_SQL,
        &[
            Value::Text(&h.country),
            Value::Text(&h.name),
            Value::Text(&h.token_hash),
            Value::Text(&h.created_at),
        ],
    )?;
    Ok(())
}

fn hub_of(r: Vec<String>) -> EuHubRow {
    let mut it = r.into_iter();
    let mut next = || it.next().unwrap_or_default();
    EuHubRow { country: next(), name: next(), token_hash: next(), created_at: next() }
}

pub(crate) fn hubs(tx: &mut Tx<'_>) -> Result<Vec<EuHubRow>> {
    Ok(tx.rows(HUBS_SQL, &[])?.into_iter().map(hub_of).collect())
}

pub(crate) fn hub_by_token(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<EuHubRow>> {
    Ok(tx.rows(HUB_BY_TOKEN_SQL, &[Value::Text(token_hash)])?.into_iter().next().map(hub_of))
}

/// Stores `release` (its `revision` is ignored) as the next revision of its country and period,
/// with its observations; returns the revision number.
pub(crate) fn receive(
    tx: &mut Tx<'_>,
    release: &EuReleaseRow,
    observations: &[EuObservation],
) -> Result<u32> {
    let corrupt = || Error::Corrupt { table: "eu_release", record_ref: release.country.clone() };
    let next = tx
        .rows(NEXT_REVISION_SQL, &[Value::Text(&release.country), Value::Text(&release.period)])?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .ok_or_else(corrupt)?;
    let revision: u32 = next.parse().map_err(|_| corrupt())?;
    let rev = i32::try_from(revision).map_err(|_| corrupt())?;
    tx.execute(
        INSERT_RELEASE_SQL,
        &[
            Value::Text(&release.country),
            Value::Text(&release.period),
            Value::Int(rev),
            Value::Text(&release.release_id),
            Value::Text(&release.received_at),
            Value::Text(&release.received_by),
            Value::Text(&release.sdmx_csv),
        ],
    )?;
    for o in observations {
        let value = o.value.map(|v| v.to_string());
        tx.execute(
            INSERT_OBSERVATION_SQL,
            &[
                Value::Text(&release.country),
                Value::Text(&release.period),
                Value::Int(rev),
                Value::Text(&o.indicator),
                Value::Text(&o.series_key),
                Value::Text(&o.time_period),
                Value::OptText(value.as_deref()),
                Value::Text(&o.obs_status),
                Value::Text(&o.conf_status),
            ],
        )?;
    }
    Ok(revision)
}

pub(crate) fn releases(tx: &mut Tx<'_>) -> Result<Vec<EuReleaseRow>> {
    tx.rows(RELEASES_SQL, &[])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let mut next = || it.next().unwrap_or_default();
            let (country, period, revision) = (next(), next(), next());
            let revision = revision
                .parse()
                .map_err(|_| Error::Corrupt { table: "eu_release", record_ref: country.clone() })?;
            Ok(EuReleaseRow {
                country,
                period,
                revision,
                release_id: next(),
                received_at: next(),
                received_by: next(),
                sdmx_csv: next(),
            })
        })
        .collect()
}

pub(crate) fn observations(tx: &mut Tx<'_>, time_period: &str) -> Result<Vec<EuObservation>> {
    tx.rows(OBSERVATIONS_SQL, &[Value::Text(time_period)])?
        .into_iter()
        .map(|r| {
            let mut it = r.into_iter();
            let mut next = || it.next().unwrap_or_default();
            let (country, indicator, series_key, time_period, value) =
                (next(), next(), next(), next(), next());
            let value =
                if value.is_empty() {
                    None
                } else {
                    Some(value.parse().map_err(|_| Error::Corrupt {
                        table: "eu_observation",
                        record_ref: country.clone(),
                    })?)
                };
            Ok(EuObservation {
                country,
                indicator,
                series_key,
                time_period,
                value,
                obs_status: next(),
                conf_status: next(),
            })
        })
        .collect()
}
