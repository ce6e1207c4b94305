//! Checking a national release received as SDMX-CSV 2.0 against the key-indicator structure
//! (the one [`crate::sdmx_csv`] writes and [`crate::sdmx_structure`] describes), as an EU hub
//! does before it stores it. Every problem names the row (the header is row 1), the column and
//! the rule broken, never a value (codes are named by their codelist, counts not at all).
//!
//! What is checked ([`CHECKS`]):
//! - the header has every column of [`crate::SDMX_COLUMNS`] (any order), each once;
//! - `STRUCTURE` is `dataflow`, `STRUCTURE_ID` is the expected dataflow, `ACTION` is `I`, `A`,
//!   `R` or `M`;
//! - every dimension and attribute holds a code of its codelist in the structure (`TOTAL`/`T`
//!   where the structure has them);
//! - `REF_AREA` is the country of the sending hub; `TIME_PERIOD` is a year, quarter or month inside
//!   the release period, and `FREQ` fits it;
//! - `OBS_VALUE` is empty or a whole number (no sign, no separators);
//! - flags: `CONF_STATUS` `F` (free) needs a value unless `OBS_STATUS` says the value is missing
//!   (`M`, `L`, `O`, `H`, `Q`); any other `CONF_STATUS` (confidential) must have **no** value: a
//!   withheld cell is carried as withheld, never filled in;
//! - no two rows have the same key (every dimension and `TIME_PERIOD`);
//! - totals that must add up: `SEX` (`F`, `M`, `UNK` → `T`) and `AGE` (`Y_LT18`, `Y_GE18`, `UNK` →
//!   `TOTAL`) are partitions, so, with every other dimension equal, a published total equals the
//!   sum of its parts when all of them are present and published, and is never below the sum of
//!   the parts that are published. Other dimensions are not checked for additivity: citizenship and
//!   exploitation mix groups with their members, and registering organisations count a person
//!   under every organisation that registered it.

use std::collections::BTreeMap;

use model::Codelists;

use crate::sdmx::{CONCEPTS, DIMENSIONS, LISTS, freq};
use crate::{SDMX_COLUMNS, StructureId};

/// What [`check_sdmx_csv`] checks, in words (for the API and pages).
pub const CHECKS: &[&str] = &[
    "every column of the structure in the header, each once",
    "STRUCTURE is dataflow, STRUCTURE_ID the key-indicator dataflow, ACTION one of I, A, R, M",
    "every dimension and attribute a code of its codelist",
    "REF_AREA the sending hub's country",
    "TIME_PERIOD a year, quarter or month inside the release period, FREQ fitting it",
    "OBS_VALUE empty or a whole number",
    "CONF_STATUS F with a value (unless OBS_STATUS says missing); a confidential cell without a value",
    "no two rows with the same key",
    "SEX and AGE totals equal the sum of their published parts (never below them)",
];

/// Most problems reported for one file (the rest are counted).
pub const MAX_PROBLEMS: usize = 200;

/// One problem of a received file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdmxProblem {
    /// The row (the header is row 1; 0 for the file as a whole).
    pub row: usize,
    /// The column.
    pub column: String,
    /// The rule broken, in words (never a value).
    pub rule: String,
}

impl std::fmt::Display for SdmxProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, column {}: {}", self.row, self.column, self.rule)
    }
}

/// One valid observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdmxObservation {
    /// Its row.
    pub row: usize,
    /// `INDICATOR`.
    pub indicator: String,
    /// The other dimensions but `REF_AREA` and `TIME_PERIOD`: `DIM=CODE` joined with `.`.
    pub series_key: String,
    /// `TIME_PERIOD`.
    pub time_period: String,
    /// `OBS_VALUE`, `None` when withheld or missing.
    pub value: Option<u64>,
    /// `OBS_STATUS`.
    pub obs_status: String,
    /// `CONF_STATUS`.
    pub conf_status: String,
}

/// What the check found: the observations (all of them only when there are no problems).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SdmxChecked {
    /// The valid observations.
    pub observations: Vec<SdmxObservation>,
    /// The problems, at most [`MAX_PROBLEMS`].
    pub problems: Vec<SdmxProblem>,
    /// Problems in all.
    pub problem_count: usize,
    /// Data rows read.
    pub rows: usize,
}

impl SdmxChecked {
    fn problem(&mut self, row: usize, column: &str, rule: impl Into<String>) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(SdmxProblem { row, column: column.to_string(), rule: rule.into() });
        }
    }
}

/// What a received file must be.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    /// The dataflow, `AGENCY:ID(VERSION)`.
    pub structure_id: &'a str,
    /// The sending hub's country.
    pub country: &'a str,
    /// The release period (`2024`, `2024-Q2`).
    pub period: &'a str,
}

/// Statuses of `OBS_STATUS` saying that a value is missing.
const MISSING: [&str; 5] = ["M", "L", "O", "H", "Q"];

/// The codes allowed in each coded column.
fn allowed_codes(lists: &Codelists) -> BTreeMap<&'static str, (&'static str, Vec<String>)> {
    let mut out = BTreeMap::new();
    for (concept, _, _, list) in CONCEPTS {
        let Some(list_id) = list else { continue };
        let Some(spec) = LISTS.iter().find(|l| l.id == *list_id) else { continue };
        let mut codes: Vec<String> = spec
            .sources
            .iter()
            .filter_map(|s| lists.get(s))
            .flat_map(|l| l.entries().iter().map(|e| e.code.clone()))
            .collect();
        if let Some(t) = spec.total {
            codes.push(t.to_string());
        }
        out.insert(*concept, (spec.id, codes));
    }
    out
}

/// Whether `time_period` lies inside `period` (the same, or a quarter or month of that year or
/// quarter).
fn inside(time_period: &str, period: &str) -> bool {
    if time_period == period {
        return true;
    }
    let (Some(_), Some(_)) = (freq(time_period), freq(period)) else { return false };
    match (period.split_once('-'), time_period.split_once('-')) {
        (None, Some((y, _))) => y == period,
        (Some((py, pq)), Some((y, m))) if pq.starts_with('Q') && !m.starts_with('Q') => {
            let q: u32 = pq[1..].parse().unwrap_or(0);
            let month: u32 = m.parse().unwrap_or(0);
            y == py && month.div_ceil(3) == q
        }
        _ => false,
    }
}

/// Checks `text` (SDMX-CSV 2.0) against the key-indicator structure and `expected` (see the
/// module documentation). Observations are returned only when there is no problem.
pub fn check_sdmx_csv(text: &str, lists: &Codelists, expected: &Expected<'_>) -> SdmxChecked {
    let mut out = SdmxChecked::default();
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_string()).collect(),
        Err(_) => {
            out.problem(1, "(header)", "not readable as CSV");
            return out;
        }
    };
    let mut at: BTreeMap<&str, usize> = BTreeMap::new();
    for column in SDMX_COLUMNS {
        let found: Vec<usize> =
            header.iter().enumerate().filter(|(_, h)| *h == column).map(|(i, _)| i).collect();
        match found.as_slice() {
            [i] => {
                at.insert(column, *i);
            }
            [] => out.problem(1, column, "missing column"),
            _ => out.problem(1, column, "column given more than once"),
        }
    }
    if out.problem_count > 0 {
        return out;
    }
    let codes = allowed_codes(lists);
    let key_dims: Vec<&str> = DIMENSIONS.iter().copied().filter(|d| *d != "TIME_PERIOD").collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut observations = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        out.rows += 1;
        let Ok(record) = record else {
            out.problem(row, "(row)", "not readable as CSV");
            continue;
        };
        if record.len() != header.len() {
            out.problem(
                row,
                "(row)",
                format!("{} fields where the header has {}", record.len(), header.len()),
            );
            continue;
        }
        let cell = |c: &str| record.get(at[c]).unwrap_or("").trim();
        let before = out.problem_count;
        if cell("STRUCTURE") != "dataflow" {
            out.problem(row, "STRUCTURE", "must be dataflow");
        }
        match StructureId::parse(cell("STRUCTURE_ID")) {
            Ok(s) if StructureId::parse(expected.structure_id).is_ok_and(|e| e == s) => {}
            _ => out.problem(row, "STRUCTURE_ID", format!("must be {}", expected.structure_id)),
        }
        if !["I", "A", "R", "M"].contains(&cell("ACTION")) {
            out.problem(row, "ACTION", "must be I, A, R or M");
        }
        for (column, (list, allowed)) in &codes {
            if !allowed.iter().any(|c| c == cell(column)) {
                out.problem(row, column, format!("not a code of {list}"));
            }
        }
        if cell("REF_AREA") != expected.country {
            out.problem(row, "REF_AREA", format!("must be the sending hub's country {}", expected.country));
        }
        let time = cell("TIME_PERIOD");
        match freq(time) {
            None => {
                out.problem(row, "TIME_PERIOD", "not a year (2024), quarter (2024-Q2) or month (2024-03)")
            }
            Some((f, _)) => {
                if !inside(time, expected.period) {
                    out.problem(
                        row,
                        "TIME_PERIOD",
                        format!("outside the release period {}", expected.period),
                    );
                }
                if cell("FREQ") != f {
                    out.problem(row, "FREQ", "does not fit TIME_PERIOD");
                }
            }
        }
        let raw = cell("OBS_VALUE");
        let value = if raw.is_empty() {
            None
        } else if raw.bytes().all(|b| b.is_ascii_digit()) && raw.len() <= 18 {
            raw.parse::<u64>().ok()
        } else {
            out.problem(row, "OBS_VALUE", "not a whole number");
            None
        };
        let (obs, conf) = (cell("OBS_STATUS"), cell("CONF_STATUS"));
        if conf == "F" && raw.is_empty() && !MISSING.contains(&obs) {
            out.problem(
                row,
                "OBS_VALUE",
                "empty, but CONF_STATUS F (free) and OBS_STATUS not a missing status",
            );
        }
        if conf != "F" && !raw.is_empty() {
            out.problem(row, "OBS_VALUE", "a confidential cell (CONF_STATUS not F) must have no value");
        }
        let key = key_dims.iter().map(|d| cell(d)).collect::<Vec<_>>().join(".") + "." + time;
        if let Some(first) = seen.get(&key) {
            out.problem(row, "(key)", format!("the same key as row {first}"));
        } else {
            seen.insert(key, row);
        }
        if out.problem_count > before {
            continue;
        }
        let series_key = key_dims
            .iter()
            .filter(|d| !["FREQ", "REF_AREA", "INDICATOR"].contains(d))
            .map(|d| format!("{d}={}", cell(d)))
            .collect::<Vec<_>>()
            .join(".");
        observations.push(SdmxObservation {
            row,
            indicator: cell("INDICATOR").to_string(),
            series_key,
            time_period: time.to_string(),
            value,
            obs_status: obs.to_string(),
            conf_status: conf.to_string(),
        });
    }
    if out.rows == 0 {
        out.problem(0, "(file)", "no observations");
    }
    check_totals(&observations, lists, &mut out);
    if out.problem_count == 0 {
        out.observations = observations;
    }
    out
}

/// The additivity of `SEX` and `AGE` (see the module documentation).
fn check_totals(observations: &[SdmxObservation], lists: &Codelists, out: &mut SdmxChecked) {
    let by_key: BTreeMap<(String, String, String), &SdmxObservation> = observations
        .iter()
        .map(|o| ((o.indicator.clone(), o.series_key.clone(), o.time_period.clone()), o))
        .collect();
    for (dim, list, total) in [("SEX", "sex", "T"), ("AGE", "age_group", "TOTAL")] {
        let parts: Vec<String> = lists
            .get(list)
            .map(|l| l.entries().iter().map(|e| e.code.clone()).filter(|c| c != total).collect())
            .unwrap_or_default();
        let total_part = format!("{dim}={total}");
        for o in observations {
            let Some(total_value) = o.value else { continue };
            if !o.series_key.split('.').any(|p| p == total_part) {
                continue;
            }
            let (mut sum, mut all) = (0u64, true);
            let mut rows = Vec::new();
            for code in &parts {
                let key = o
                    .series_key
                    .split('.')
                    .map(|p| if p == total_part { format!("{dim}={code}") } else { p.to_string() })
                    .collect::<Vec<_>>()
                    .join(".");
                match by_key.get(&(o.indicator.clone(), key, o.time_period.clone())) {
                    Some(part) => {
                        rows.push(part.row.to_string());
                        match part.value {
                            Some(v) => sum = sum.saturating_add(v),
                            None => all = false,
                        }
                    }
                    None => all = false,
                }
            }
            if rows.is_empty() {
                continue;
            }
            if (all && sum != total_value) || sum > total_value {
                out.problem(
                    o.row,
                    "OBS_VALUE",
                    format!(
                        "the {dim} total does not add up: it must {} its published parts (rows {})",
                        if all { "equal the sum of" } else { "be at least the sum of" },
                        rows.join(", ")
                    ),
                );
            }
        }
    }
}
