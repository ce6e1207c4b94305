//! Releases: a consistent set of protected tables for the public or the EU, frozen once published.
//!
//! Protection is the threshold rule (counts 1..k-1 withheld, SDMX CONF_STATUS `A`) plus Gauss
//! secondary suppression (CONF_STATUS `D`, privacy.md §2.4, crate `sdc`), table by table in a
//! fixed order, *consistently*: every cell is identified by a **signature** (what it counts: measure,
//! period, filters, and its category on each dimension, totals left out), so a cell shared by
//! several tables (e.g. women in V1_03, V1_04 and V1_06) gets one decision. A cell decided by an
//! earlier table of the release, or published or withheld by an earlier release, is *forced* to
//! stay as it was: published cells become the attacker's knowledge (`Role::Forced`), withheld ones
//! stay withheld (`Role::Suppressed`). A revised cell whose count moved by 1..k-1 since it was
//! published is withheld too (the difference would be a table of the late records).
//!
//! Limits (stated in the release metadata): protection is against exact disclosure by linear
//! combinations of the published cells *within a table* and through shared cells; tables that are
//! not margins of one another are not protected jointly (the "consistent", not "global", linked-
//! table option of privacy.md §2.4); multi-count tables (persons by type of provider) have no
//! additive structure and get primary suppression only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use stats::{Flag, TOTAL, Table};

use crate::protect::{Disclosure, Method};
use crate::spec::Audience;
use crate::{Error, Report};

/// What a release published for one cell.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PublishedCell {
    /// What the cell counts (see the module documentation).
    pub signature: String,
    /// The published value (`None`: withheld).
    pub value: Option<u64>,
}

/// The signature of cell `index` of `table`.
pub fn signature(table: &Table, index: usize) -> String {
    let q = &table.query;
    let mut s = String::from(q.measure.id());
    s.push('|');
    if let Some(p) = q.period {
        s.push_str(&format!("{}..{}", p.from, p.to));
    }
    s.push('|');
    s.push_str(q.counting.id());
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

/// Protects every table of `report` for a release to `audience` with threshold `k`, consistent
/// with `history` (every cell published or withheld by earlier releases). Returns the cells this
/// release publishes or withholds, to be remembered with it.
pub fn suppress(
    report: &mut Report,
    audience: Audience,
    k: u64,
    history: &[PublishedCell],
) -> Result<Vec<PublishedCell>, Error> {
    if !audience.is_protected() {
        return Err(Error::Spec("releases are for the public or the EU".into()));
    }
    let mut decided: BTreeMap<String, Option<u64>> = BTreeMap::new();
    let earlier: BTreeMap<&str, Option<u64>> = history.iter().map(|c| (c.signature.as_str(), c.value)).collect();
    let mut out = Vec::new();
    for section in &mut report.sections {
        if section.grid.is_some() {
            return Err(Error::Spec(format!("section `{}` is for analysts only and cannot be released", section.id)));
        }
        let Some(table) = &mut section.table else { continue };
        let sigs: Vec<String> = (0..table.cells.len()).map(|i| signature(table, i)).collect();
        let roles: Vec<sdc::Role> = sigs
            .iter()
            .zip(&table.cells)
            .map(|(sig, cell)| {
                if let Some(v) = decided.get(sig) {
                    return if v.is_some() { sdc::Role::Forced } else { sdc::Role::Suppressed };
                }
                match earlier.get(sig.as_str()) {
                    Some(Some(v)) if *v == cell.count => sdc::Role::Forced,
                    Some(Some(v)) if v.abs_diff(cell.count) < k => sdc::Role::Suppressed,
                    Some(None) => sdc::Role::Suppressed,
                    _ => sdc::Role::Candidate,
                }
            })
            .collect();
        let status = protect_table(table, &roles, k)?;
        for ((cell, st), sig) in table.cells.iter_mut().zip(&status).zip(&sigs) {
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
            if !decided.contains_key(sig) {
                decided.insert(sig.clone(), cell.value);
                out.push(PublishedCell { signature: sig.clone(), value: cell.value });
            }
        }
        section.notes.push(format!(
            "Protected for release: counts from 1 to {} withheld (c, primary); further cells withheld (c, secondary) \
             so that withheld counts cannot be derived from published ones.",
            k - 1
        ));
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
            "threshold rule (1 to {}) and Gauss secondary suppression, consistent across the tables of the release \
             and with earlier releases; multi-count tables: primary suppression only",
            k - 1
        ),
    };
    Ok(out)
}

/// Runs the suppression of one table: inner cells = its non-empty interior cells.
fn protect_table(table: &Table, roles: &[sdc::Role], k: u64) -> Result<Vec<sdc::Status>, Error> {
    let rule = sdc::ThresholdRule { k, protect_zeros: false };
    if table.multi || table.axes.is_empty() {
        // No additive structure: each cell stands alone (primary suppression only).
        let inner: Vec<u64> = table.cells.iter().map(|c| c.count).collect();
        let cells = (0..table.cells.len())
            .map(|i| sdc::CellSpec::new(if inner[i] > 0 { vec![i as u32] } else { Vec::new() }, roles[i]))
            .collect();
        let mut problem = sdc::Problem::new(inner, cells);
        problem.rule = rule;
        return Ok(sdc::protect(&problem)?);
    }
    let mut inner_index: BTreeMap<usize, u32> = BTreeMap::new();
    let mut inner = Vec::new();
    for (i, c) in table.cells.iter().enumerate() {
        if table.is_interior(i) && c.count > 0 {
            inner_index.insert(i, inner.len() as u32);
            inner.push(c.count);
        }
    }
    let cells = (0..table.cells.len())
        .map(|i| {
            let coords = table.coords(i);
            let members: Vec<u32> = inner_index
                .iter()
                .filter(|(j, _)| {
                    let cj = table.coords(**j);
                    coords.iter().zip(&cj).zip(&table.axes).all(|((a, b), axis)| *a == axis.total() || a == b)
                })
                .map(|(_, ix)| *ix)
                .collect();
            sdc::CellSpec::new(members, roles[i])
        })
        .collect();
    let mut problem = sdc::Problem::new(inner, cells);
    problem.rule = rule;
    Ok(sdc::protect(&problem)?)
}
