//! Releases: a consistent set of protected tables for the public or the EU, frozen once published.
//!
//! Protection is the threshold rule (counts 1..k-1 withheld, SDMX CONF_STATUS `A`) plus Gauss
//! secondary suppression (CONF_STATUS `D`, privacy.md §2.4, crate `sdc`). The tables of a release
//! are grouped by **population** (what they count: measure, filters, period); each population is
//! solved **jointly**, over inner cells = the cross-classification of every dimension its tables
//! use, split by quarter when the period is longer than a quarter. So V1_02 to V1_08 (persons by
//! sex, age, form, citizenship, country of recruitment) are one problem, and "the year minus the
//! published quarters" is part of it (period differencing, privacy.md §2.2).
//!
//! Every cell has a **signature** (measure, filters, its category on each dimension, totals left
//! out) and a period. Cells published or withheld by earlier releases — for the same period or for
//! its quarters — enter the problem as they were: published ones are the attacker's knowledge
//! (`Role::Forced`), withheld ones stay withheld (`Role::Suppressed`). A revised cell whose count
//! moved by 1..k-1 since it was published is withheld (the difference would be a table of the late
//! records).
//!
//! Limits (stated in the release metadata): protection is against exact disclosure by linear
//! combinations of published cells; populations are solved separately, so a sub-population table
//! (victims who received assistance, by sex) is not protected against differencing with the whole
//! population (all victims by sex); multi-count tables (persons by type of provider) have no
//! additive structure and get primary suppression only; the singleton rule of `sdc` guards
//! against a lone contributor's knowledge within a population.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stats::{Dim, Engine, Flag, TOTAL, Table};

use crate::protect::{Disclosure, Method};
use crate::spec::Audience;
use crate::{Error, Report};

/// What a release published for one cell.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub struct PublishedCell {
    /// What the cell counts, period aside (see the module documentation).
    pub base: String,
    /// The period it covers (`FROM..TO`, ISO dates; empty for all data).
    pub period: String,
    /// The published value (`None`: withheld).
    pub value: Option<u64>,
}

fn period_text(p: Option<stats::DateRange>) -> String {
    p.map(|p| format!("{}..{}", p.from, p.to)).unwrap_or_default()
}

/// The signature of cell `index` of `table`, period aside.
pub fn signature(table: &Table, index: usize) -> String {
    let mut s = units(&table.query);
    let coords = table.coords(index);
    let mut parts: Vec<String> = table
        .axes
        .iter()
        .zip(coords)
        .filter(|(a, c)| a.codes[*c] != TOTAL)
        .map(|(a, c)| format!("{}={}", a.dim.id(), a.codes[c]))
        .collect();
    parts.sort();
    for p in parts {
        s.push('|');
        s.push_str(&p);
    }
    s
}

fn role_of(value: Option<&Option<u64>>, count: u64, k: u64) -> sdc::Role {
    match value {
        Some(Some(v)) if *v == count => sdc::Role::Forced,
        Some(Some(v)) if v.abs_diff(count) < k => sdc::Role::Suppressed,
        Some(None) => sdc::Role::Suppressed,
        _ => sdc::Role::Candidate,
    }
}

/// Protects every table of `report` for a release to `audience` with threshold `k`, consistent
/// with `history` (every cell published or withheld by earlier releases). Returns the cells this
/// release publishes or withholds, to be remembered with it.
pub fn suppress(
    report: &mut Report,
    engine: &Engine,
    audience: Audience,
    k: u64,
    history: &[PublishedCell],
) -> Result<Vec<PublishedCell>, Error> {
    if !audience.is_protected() {
        return Err(Error::Spec("releases are for the public or the EU".into()));
    }
    if k < 2 {
        return Err(Error::Spec("the threshold k must be at least 2".into()));
    }
    let earlier: BTreeMap<(String, String), Option<u64>> =
        history.iter().map(|c| ((c.base.clone(), c.period.clone()), c.value)).collect();
    // Populations: sections whose tables count the same units.
    let mut populations: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, section) in report.sections.iter().enumerate() {
        if section.grid.is_some() {
            return Err(Error::Spec(format!(
                "section `{}` is for analysts only and cannot be released",
                section.id
            )));
        }
        let Some(table) = &section.table else { continue };
        let key = if table.multi { format!("multi:{i}") } else { population(table) };
        populations.entry(key).or_default().push(i);
    }
    let mut out: BTreeMap<(String, String), Option<u64>> = BTreeMap::new();
    let mut earlier = earlier;
    for (key, members) in &populations {
        let tables: Vec<&Table> = members
            .iter()
            .map(|i| report.sections[*i].table.as_ref().expect("grouped sections have tables"))
            .collect();
        let disclosed = |e: Error| match e {
            Error::Sdc(sdc::Error::AlreadyDisclosed { .. }) => Error::Spec(format!(
                "tables {}: cells published by earlier releases already disclose a small count; the release \
                 cannot be made consistent (revise the earlier release first)",
                members.iter().map(|i| report.sections[*i].id.as_str()).collect::<Vec<_>>().join(", ")
            )),
            e => e,
        };
        let statuses = if key.starts_with("multi:") {
            vec![protect_alone(tables[0], &earlier, k)?]
        } else {
            match protect_population(&tables, engine, &earlier, k) {
                Ok(s) => s,
                // Too many dimensions to solve jointly (e.g. regions and origin × destination
                // flows): one table at a time, each consistent with the ones decided before it.
                Err(Error::Engine(stats::Error::TooLarge(_))) => {
                    let mut all = Vec::new();
                    for t in &tables {
                        let status = protect_population(&[*t], engine, &earlier, k).map_err(disclosed)?;
                        let period = period_text(t.query.period);
                        for (c, st) in status[0].iter().enumerate() {
                            let value = st.is_published().then_some(t.cells[c].count);
                            earlier.insert((signature(t, c), period.clone()), value);
                        }
                        all.extend(status);
                    }
                    all
                }
                Err(e) => return Err(disclosed(e)),
            }
        };
        for (i, status) in members.iter().zip(statuses) {
            let table = report.sections[*i].table.as_mut().expect("grouped sections have tables");
            let period = period_text(table.query.period);
            let sigs: Vec<String> = (0..table.cells.len()).map(|c| signature(table, c)).collect();
            for ((cell, st), sig) in table.cells.iter_mut().zip(status).zip(sigs) {
                match st {
                    sdc::Status::Published | sdc::Status::Virtual => {
                        cell.value = Some(cell.count);
                        cell.flag = Flag::Exact;
                    }
                    sdc::Status::Primary | sdc::Status::VirtualPrimary => {
                        cell.value = None;
                        cell.flag = Flag::Primary;
                    }
                    sdc::Status::Secondary => {
                        cell.value = None;
                        cell.flag = Flag::Secondary;
                    }
                }
                out.insert((sig, period.clone()), cell.value);
            }
        }
    }
    let pt = report.meta.lang == "pt";
    for section in &mut report.sections {
        if section.table.is_some() {
            section.notes.push(if pt {
                format!(
                    "Protegido para divulgação: contagens de 1 a {} omitidas (c, primária); outras células omitidas (c, \
                     secundária) para que as contagens omitidas não possam ser deduzidas das publicadas, nesta \
                     divulgação ou com as anteriores.",
                    k - 1
                )
            } else {
                format!(
                    "Protected for release: counts from 1 to {} withheld (c, primary); further cells withheld (c, \
                     secondary) so that withheld counts cannot be derived from published ones, in this release or \
                     with earlier ones.",
                    k - 1
                )
            });
        }
    }
    report.spec.audience = audience;
    report.meta.spec = serde_json::to_value(&report.spec).unwrap_or(serde_json::Value::Null);
    report.meta.disclosure = Disclosure {
        audience: audience.id().to_string(),
        method: Method::Suppression,
        k: Some(k),
        ckm_variance: None,
        ckm_js: None,
        note: format!(
            "threshold rule (1 to {}) and Gauss secondary suppression, each population of units solved jointly over \
             all its tables and the quarters of the period, consistent with earlier releases; multi-count tables: \
             primary suppression only",
            k - 1
        ),
    };
    Ok(out.into_iter().map(|((base, period), value)| PublishedCell { base, period, value }).collect())
}

/// What a table's units are: measure, counting, filters and period.
fn population(table: &Table) -> String {
    format!("{}|{}", units(&table.query), period_text(table.query.period))
}

/// What a query counts, period and categories aside: measure, counting, statuses, filters.
fn units(q: &stats::Query) -> String {
    let mut s = format!("{}|{}", q.measure.id(), q.counting.id());
    if q.all_statuses {
        s.push_str("|all-statuses");
    }
    let mut filters: Vec<String> = q
        .filters
        .iter()
        .map(|f| {
            let mut codes = f.codes.clone();
            codes.sort();
            format!("{}∈{}", f.dim.id(), codes.join(","))
        })
        .collect();
    filters.sort();
    for f in filters {
        s.push('|');
        s.push_str(&f);
    }
    s
}

/// A table without additive structure: each cell stands alone (primary suppression only).
fn protect_alone(
    table: &Table,
    earlier: &BTreeMap<(String, String), Option<u64>>,
    k: u64,
) -> Result<Vec<sdc::Status>, Error> {
    let period = period_text(table.query.period);
    let inner: Vec<u64> = table.cells.iter().map(|c| c.count).collect();
    let cells = (0..table.cells.len())
        .map(|i| {
            let role = role_of(earlier.get(&(signature(table, i), period.clone())), inner[i], k);
            sdc::CellSpec::new(if inner[i] > 0 { vec![i as u32] } else { Vec::new() }, role)
        })
        .collect();
    let mut problem = sdc::Problem::new(inner, cells);
    problem.rule = sdc::ThresholdRule { k, protect_zeros: false };
    Ok(sdc::protect(&problem)?)
}

/// Solves one population: every cell of its tables, plus the cells of its quarters decided by
/// earlier releases, over inner cells = the cross-classification of all the tables' dimensions
/// (and the quarter). Returns the status of every cell of every table, table by table.
fn protect_population(
    tables: &[&Table],
    engine: &Engine,
    earlier: &BTreeMap<(String, String), Option<u64>>,
    k: u64,
) -> Result<Vec<Vec<sdc::Status>>, Error> {
    let first = tables[0];
    let mut dims: Vec<Dim> = Vec::new();
    for t in tables {
        for a in &t.axes {
            if !dims.contains(&a.dim) {
                dims.push(a.dim);
            }
        }
    }
    // Quarters of the period, when it spans several.
    let quarters: Vec<(String, stats::DateRange)> = match first.query.period {
        Some(range) if model::Period::of_date(range.from) != model::Period::of_date(range.to) => {
            let mut out = Vec::new();
            let mut p = model::Period::of_date(range.from);
            loop {
                let qr =
                    stats::DateRange { from: p.first_day().max(range.from), to: p.last_day().min(range.to) };
                out.push((p.to_string(), qr));
                if p == model::Period::of_date(range.to) {
                    break;
                }
                p = p.next();
            }
            out
        }
        _ => Vec::new(),
    };
    let split = !quarters.is_empty() && !dims.iter().any(|d| matches!(d, Dim::Period(_)));
    let mut q = first.query.clone();
    q.dims = dims.clone();
    if split {
        q.dims.push(Dim::Period(stats::Granularity::Quarter));
    }
    let inner_tab = engine.crosstab(&q)?;
    // Non-empty inner cells with their category code on each dimension.
    let mut inner = Vec::new();
    let mut inner_codes: Vec<Vec<&str>> = Vec::new();
    let nd = inner_tab.categories.len();
    for (flat, count) in inner_tab.counts.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let mut rest = flat;
        let mut codes = vec![""; nd];
        for i in (0..nd).rev() {
            let n = inner_tab.categories[i].len();
            codes[i] = inner_tab.categories[i][rest % n].as_str();
            rest /= n;
        }
        inner.push(*count);
        inner_codes.push(codes);
    }
    let members = |table: &Table, index: usize, quarter: Option<&str>| -> Vec<u32> {
        let coords = table.coords(index);
        let want: Vec<(usize, &str)> = table
            .axes
            .iter()
            .zip(&coords)
            .filter(|(a, c)| a.codes[**c] != TOTAL)
            .map(|(a, c)| {
                (dims.iter().position(|d| *d == a.dim).expect("union of dims"), a.codes[*c].as_str())
            })
            .collect();
        inner_codes
            .iter()
            .enumerate()
            .filter(|(_, codes)| {
                want.iter().all(|(slot, code)| codes[*slot] == *code)
                    && quarter.is_none_or(|qc| codes[nd - 1] == qc)
            })
            .map(|(j, _)| j as u32)
            .collect()
    };
    let mut cells = Vec::new();
    let mut unique: BTreeMap<String, usize> = BTreeMap::new();
    let mut index_of: Vec<Vec<usize>> = Vec::new();
    for t in tables {
        let period = period_text(t.query.period);
        let mut idx = Vec::new();
        for i in 0..t.cells.len() {
            let sig = signature(t, i);
            let slot = *unique.entry(sig.clone()).or_insert_with(|| {
                let role = role_of(earlier.get(&(sig.clone(), period.clone())), t.cells[i].count, k);
                cells.push(sdc::CellSpec::new(members(t, i, None), role));
                cells.len() - 1
            });
            idx.push(slot);
        }
        index_of.push(idx);
    }
    let own = cells.len();
    if split {
        // The same cells in each quarter, as earlier releases left them.
        let mut seen: BTreeMap<(String, String), ()> = BTreeMap::new();
        for t in tables {
            for i in 0..t.cells.len() {
                let sig = signature(t, i);
                for (code, range) in &quarters {
                    let qp = period_text(Some(*range));
                    let Some(v) = earlier.get(&(sig.clone(), qp.clone())) else { continue };
                    if seen.insert((sig.clone(), qp), ()).is_some() {
                        continue;
                    }
                    let m = members(t, i, Some(code));
                    let count: u64 = m.iter().map(|j| inner[*j as usize]).sum();
                    cells.push(sdc::CellSpec::new(m, role_of(Some(v), count, k)));
                }
            }
        }
    }
    let mut problem = sdc::Problem::new(inner, cells);
    problem.rule = sdc::ThresholdRule { k, protect_zeros: false };
    let status = sdc::protect(&problem)?;
    debug_assert!(status.len() >= own);
    Ok(index_of.into_iter().map(|idx| idx.into_iter().map(|s| status[s]).collect()).collect())
}
