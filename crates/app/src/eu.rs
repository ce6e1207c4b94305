//! The European level. A national hub hands a *published* release over to an EU hub as its frozen
//! SDMX-CSV 2.0 ([`export`]): pushed over HTTP(S) with the hub token the EU hub issued ([`push`]),
//! or written to a file for [`receive`] at the EU hub (`mosy eu import`). The EU hub checks what it
//! receives against the key-indicator structure ([`formats::check_sdmx_csv`]: codes, periods, the
//! sending country, duplicate keys, flags, totals that must add up) and stores it as the next
//! revision of that country and period, which replaces the previous one everywhere. EU totals
//! ([`totals`]) add the published national values and say which countries contributed, which
//! withheld the cell (confidential: never filled in) and which have sent nothing for it.
//!
//! Nothing here reads record data: national releases are protected tables.

use std::time::Duration;

use chrono::{DateTime, Utc};
use model::Codelists;
use store::{EuObservation, EuReleaseRow, Store};

use crate::reporting::{STRUCTURE_ID, reporting_country};
use crate::{Error, Result};

pub use formats::CHECKS;

/// National hub setting: the EU hub's address (`https://eu-hub.example`).
pub const HUB_URL_SETTING: &str = "eu.hub_url";
/// National hub setting: the hub token the EU hub issued to this hub (`mosy_…`).
pub const HUB_TOKEN_SETTING: &str = "eu.hub_token";
/// The EU hub's endpoint receiving national releases, under its address.
pub const RECEIVE_PATH: &str = "/api/eu/releases";
/// Request headers of a push: the national release id, its period and the sending country.
pub const RELEASE_HEADER: &str = "x-mosy-release";
/// See [`RELEASE_HEADER`].
pub const PERIOD_HEADER: &str = "x-mosy-period";
/// See [`RELEASE_HEADER`].
pub const COUNTRY_HEADER: &str = "x-mosy-country";

/// A published release ready to be handed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The national release id.
    pub release_id: String,
    /// Its period.
    pub period: String,
    /// The reporting country.
    pub country: String,
    /// The frozen SDMX-CSV.
    pub sdmx_csv: String,
}

/// The published release `id` of this hub, for an EU hub.
///
/// # Errors
/// [`Error::Report`] when there is no such release or it is a draft; the store's.
pub fn export(store: &mut Store, id: &str) -> Result<Export> {
    let Some(release) = store.releases()?.into_iter().find(|r| r.id == id) else {
        return Err(Error::Report(format!("no release {id}")));
    };
    if !store.release_publications()?.iter().any(|p| p.release_id == id) {
        return Err(Error::Report(format!("release {id} is a draft: publish it before handing it over")));
    }
    let providers = store.providers(Codelists::embedded())?;
    let country = reporting_country(store, &providers)?;
    Ok(Export { release_id: release.id, period: release.period, country, sdmx_csv: release.sdmx_csv })
}

/// What the EU hub answered to a push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pushed {
    /// The revision it stored the release as.
    pub revision: u32,
    /// Observations stored.
    pub observations: usize,
}

/// Pushes the published release `id` to the EU hub at `url` (`http://` or `https://`, its
/// address without a path) with the hub `token`. The token is sent in the `Authorization` header
/// only and never logged.
///
/// # Errors
/// [`Error::Report`] when the release cannot be handed over, the EU hub cannot be reached or it
/// refuses the release (with its reasons: row, column, rule).
pub fn push(store: &mut Store, id: &str, url: &str, token: &str) -> Result<Pushed> {
    let export = export(store, id)?;
    send(&export, url, token)
}

/// Sends an [`export`] to the EU hub at `url` with the hub `token` (see [`push`]; no store is
/// held while the network is waited for).
///
/// # Errors
/// As [`push`].
pub fn send(export: &Export, url: &str, token: &str) -> Result<Pushed> {
    let id = &export.release_id;
    let base = url.trim().trim_end_matches('/');
    let Some(host) = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://")) else {
        return Err(Error::Report("the EU hub address must start with https:// or http://".into()));
    };
    let authority = host.split('/').next().unwrap_or("");
    let loopback = ["localhost", "127.", "[::1]"].iter().any(|l| authority.starts_with(l));
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)));
    if loopback {
        config = config.proxy(None);
    }
    let agent: ureq::Agent = config.build().into();
    let endpoint = format!("{base}{RECEIVE_PATH}");
    let mut response = agent
        .post(&endpoint)
        .header("authorization", &format!("Bearer {}", token.trim()))
        .header(RELEASE_HEADER, &export.release_id)
        .header(PERIOD_HEADER, &export.period)
        .header(COUNTRY_HEADER, &export.country)
        .content_type("text/csv; charset=utf-8")
        .send(export.sdmx_csv.as_str())
        .map_err(|e| Error::Report(format!("the EU hub could not be reached: {e}")))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| Error::Report(format!("the EU hub's answer could not be read: {e}")))?;
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if !(200..300).contains(&status) {
        let mut message = format!(
            "the EU hub refused release {id} (HTTP {status}): {}",
            answer["error"].as_str().unwrap_or("no reason given")
        );
        if let Some(problems) = answer["problems"].as_array() {
            for p in problems.iter().take(20) {
                message.push_str(&format!(
                    "\n  row {}, column {}: {}",
                    p["row"],
                    p["column"].as_str().unwrap_or(""),
                    p["rule"].as_str().unwrap_or("")
                ));
            }
        }
        return Err(Error::Report(message));
    }
    let revision = answer["revision"].as_u64().and_then(|r| u32::try_from(r).ok());
    let observations = answer["observations"].as_u64().and_then(|n| usize::try_from(n).ok());
    match (revision, observations) {
        (Some(revision), Some(observations)) => {
            tracing::info!(release = %id, revision, "release pushed to the EU hub");
            Ok(Pushed { revision, observations })
        }
        _ => Err(Error::Report("the EU hub's answer is not a receipt".into())),
    }
}

/// What the EU hub did with a national release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receipt {
    /// Stored as this revision of its country and period.
    Stored {
        /// The revision (1 for the first release of that country and period).
        revision: u32,
        /// Observations stored.
        observations: usize,
        /// Withheld observations among them (carried without a value).
        withheld: usize,
    },
    /// Refused: nothing stored.
    Refused {
        /// The problems (row, column, rule), at most 200.
        problems: Vec<formats::SdmxProblem>,
        /// Problems in all.
        count: usize,
    },
}

/// Receives a national release at the EU hub: checks `sdmx_csv` against the structure (see
/// [`formats::check_sdmx_csv`]) for `country` and `period`, and stores it as the next revision of
/// that country and period when it has no problem; `by` says who delivered it (`hub:PT`,
/// `file:…`).
///
/// # Errors
/// The store's; a malformed `period` is a refusal.
pub fn receive(
    store: &mut Store,
    country: &str,
    period: &str,
    release_id: &str,
    sdmx_csv: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Receipt> {
    let refuse = |column: &str, rule: &str| Receipt::Refused {
        problems: vec![formats::SdmxProblem { row: 0, column: column.into(), rule: rule.into() }],
        count: 1,
    };
    if reports::parse_period(period).is_err() {
        return Ok(refuse(
            "(period)",
            "the release period must be a year (2024), quarter (2024-Q2) or month",
        ));
    }
    if release_id.trim().is_empty() || release_id.len() > 100 {
        return Ok(refuse("(release)", "a release id is needed (at most 100 characters)"));
    }
    let lists = Codelists::embedded();
    let expected = formats::Expected { structure_id: STRUCTURE_ID, country, period };
    let checked = formats::check_sdmx_csv(sdmx_csv, lists, &expected);
    if checked.problem_count > 0 {
        tracing::info!(country, problems = checked.problem_count, "national release refused");
        return Ok(Receipt::Refused { problems: checked.problems, count: checked.problem_count });
    }
    let observations: Vec<EuObservation> = checked
        .observations
        .iter()
        .map(|o| EuObservation {
            country: country.to_string(),
            indicator: o.indicator.clone(),
            series_key: o.series_key.clone(),
            time_period: o.time_period.clone(),
            value: o.value,
            obs_status: o.obs_status.clone(),
            conf_status: o.conf_status.clone(),
        })
        .collect();
    let row = EuReleaseRow {
        country: country.to_string(),
        period: period.to_string(),
        revision: 0,
        release_id: release_id.trim().to_string(),
        received_at: at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        received_by: by.to_string(),
        sdmx_csv: sdmx_csv.to_string(),
    };
    let revision = store.receive_eu_release(&row, &observations)?;
    let withheld = observations.iter().filter(|o| o.value.is_none()).count();
    tracing::info!(country, period, revision, observations = observations.len(), "national release stored");
    Ok(Receipt::Stored { revision, observations: observations.len(), withheld })
}

/// The period of a release file: its coarsest `TIME_PERIOD` (the year when there is one).
pub fn period_of(sdmx_csv: &str) -> Option<String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(sdmx_csv.as_bytes());
    let at = reader.headers().ok()?.iter().position(|h| h == "TIME_PERIOD")?;
    reader
        .records()
        .map_while(std::result::Result::ok)
        .filter_map(|r| r.get(at).map(str::to_string))
        .min_by_key(|p| (p.len(), p.clone()))
}

/// One country's value of an EU total.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CountryValue {
    /// Country code.
    pub country: String,
    /// The published value; `None` when withheld.
    pub value: Option<u64>,
    /// `OBS_STATUS` as received.
    pub obs_status: String,
    /// `CONF_STATUS` as received.
    pub conf_status: String,
}

/// One cell of the EU table: the countries' values and their total.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EuTotal {
    /// `INDICATOR`.
    pub indicator: String,
    /// The other dimensions (`SEX=F.AGE=TOTAL…`).
    pub series_key: String,
    /// The countries that reported the cell, by country.
    pub countries: Vec<CountryValue>,
    /// The sum of the published values (of `contributing` only).
    pub total: u64,
    /// Countries whose published value is in `total`.
    pub contributing: Vec<String>,
    /// Countries that withheld the cell (confidential): not in `total`.
    pub withheld: Vec<String>,
    /// Countries expected (registered, or that sent a release) that did not report the cell.
    pub missing: Vec<String>,
    /// Whether `total` covers every expected country (nothing withheld or missing).
    pub complete: bool,
}

/// The EU table of `time_period`, optionally of one indicator.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct EuTotals {
    /// `TIME_PERIOD`.
    pub period: String,
    /// The countries expected: registered hubs and countries that sent a release.
    pub countries: Vec<String>,
    /// One row per cell.
    pub rows: Vec<EuTotal>,
}

/// The EU totals of `time_period` (of `indicator` when given): per cell, the countries' values
/// (latest revision of each), the sum of the published ones, and the countries withheld or missing.
///
/// # Errors
/// The store's.
pub fn totals(store: &mut Store, time_period: &str, indicator: Option<&str>) -> Result<EuTotals> {
    let mut countries: Vec<String> = store.eu_hubs()?.into_iter().map(|h| h.country).collect();
    countries.extend(store.eu_releases()?.into_iter().map(|r| r.country));
    countries.sort();
    countries.dedup();
    let mut rows: Vec<EuTotal> = Vec::new();
    for o in store.eu_observations(time_period.trim())? {
        if indicator.is_some_and(|i| i != o.indicator) {
            continue;
        }
        if !rows.last().is_some_and(|r| r.indicator == o.indicator && r.series_key == o.series_key) {
            rows.push(EuTotal {
                indicator: o.indicator.clone(),
                series_key: o.series_key.clone(),
                countries: Vec::new(),
                total: 0,
                contributing: Vec::new(),
                withheld: Vec::new(),
                missing: Vec::new(),
                complete: false,
            });
        }
        let Some(row) = rows.last_mut() else { continue };
        match o.value {
            Some(v) => {
                row.total += v;
                row.contributing.push(o.country.clone());
            }
            None => row.withheld.push(o.country.clone()),
        }
        row.countries.push(CountryValue {
            country: o.country,
            value: o.value,
            obs_status: o.obs_status,
            conf_status: o.conf_status,
        });
    }
    for row in &mut rows {
        row.missing =
            countries.iter().filter(|c| !row.countries.iter().any(|v| &v.country == *c)).cloned().collect();
        row.complete = row.withheld.is_empty() && row.missing.is_empty();
    }
    Ok(EuTotals { period: time_period.trim().to_string(), countries, rows })
}
