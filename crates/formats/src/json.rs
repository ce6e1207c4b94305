//! The JSON output: pretty-printed, keys in a fixed order (the order of the structs below; the
//! request's own keys as `serde_json` orders them), deterministic.
//!
//! ```text
//! { "format": "mosy.report", "format_version": 1, "title": …,
//!   "metadata": { kind, period, audience, lang, reporting_country, data_version, generated_at,
//!                 codelists, counting_rules, disclosure: { audience, method, k, ckm_variance,
//!                 ckm_js, note }, spec },
//!   "flags": { "c": …, "k": … },
//!   "sections": [ { id, title, visual, change, sdmx?, table?: { measure, counting, multi,
//!                   axes: [ { dim, label, codes, labels } ],
//!                   cells: [ { codes, value, flag, withheld? } ] },
//!                   grid?: { columns, rows }, notes } ] }
//! ```
//!
//! Cells carry the published `value` (`null` when withheld), the `flag` (`c` withheld, `k` cell
//! key method, `null`) and for withheld cells why (`primary`, `secondary`, `withheld`). The exact
//! count and the cell key are never written, whatever the disclosure method.

use std::collections::BTreeMap;

use reports::{Disclosure, Grid, Report, SdmxKey, Visual};
use serde::Serialize;

use crate::common::{Shown, axis_label, entry_label, flag_letter, lang_of, noisy};
use crate::words;

#[derive(Serialize)]
struct Doc<'a> {
    format: &'static str,
    format_version: u32,
    title: &'a str,
    metadata: Meta<'a>,
    flags: BTreeMap<&'static str, &'static str>,
    sections: Vec<Sec<'a>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    kind: &'static str,
    period: Option<&'a str>,
    audience: &'a str,
    lang: &'a str,
    reporting_country: &'a str,
    data_version: &'a str,
    generated_at: &'a str,
    codelists: &'a str,
    counting_rules: &'a [String],
    disclosure: &'a Disclosure,
    spec: &'a serde_json::Value,
}

#[derive(Serialize)]
struct Sec<'a> {
    id: &'a str,
    title: &'a str,
    visual: Visual,
    change: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sdmx: Option<&'a SdmxKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<Tab<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grid: Option<&'a Grid>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Tab<'a> {
    measure: &'static str,
    counting: &'static str,
    multi: bool,
    axes: Vec<Ax<'a>>,
    cells: Vec<JCell<'a>>,
}

#[derive(Serialize)]
struct Ax<'a> {
    dim: &'static str,
    label: &'a str,
    codes: &'a [String],
    labels: Vec<&'a str>,
}

#[derive(Serialize)]
struct JCell<'a> {
    codes: Vec<&'a str>,
    value: Option<u64>,
    flag: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    withheld: Option<&'static str>,
}

/// The report as pretty JSON (see the module documentation).
pub fn json(report: &Report) -> String {
    let noisy = noisy(report);
    let w = words::words(lang_of(report));
    let m = &report.meta;
    let sections = report
        .sections
        .iter()
        .map(|s| Sec {
            id: &s.id,
            title: &s.title,
            visual: s.visual,
            change: s.change,
            sdmx: s.sdmx.as_ref(),
            table: s.table.as_ref().map(|t| Tab {
                measure: t.measure().id(),
                counting: t.counting().id(),
                multi: t.multi,
                axes: t
                    .axes
                    .iter()
                    .enumerate()
                    .map(|(a, axis)| Ax {
                        dim: axis.dim.id(),
                        label: axis_label(s, t, a),
                        codes: &axis.codes,
                        labels: (0..axis.len()).map(|e| entry_label(s, t, a, e)).collect(),
                    })
                    .collect(),
                cells: t
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let shown = Shown::of(c);
                        JCell {
                            codes: t
                                .coords(i)
                                .iter()
                                .enumerate()
                                .map(|(a, e)| t.axes[a].codes[*e].as_str())
                                .collect(),
                            value: shown.value(),
                            flag: flag_letter(shown, noisy),
                            withheld: match shown {
                                Shown::Withheld(why) => Some(why.id()),
                                Shown::Value(_) => None,
                            },
                        }
                    })
                    .collect(),
            }),
            grid: s.grid.as_ref(),
            notes: &s.notes,
        })
        .collect();
    let doc = Doc {
        format: "mosy.report",
        format_version: 1,
        title: &report.title,
        metadata: Meta {
            kind: report.spec.kind.id(),
            period: report.spec.period.as_deref(),
            audience: &m.disclosure.audience,
            lang: &m.lang,
            reporting_country: &m.reporting_country,
            data_version: &m.data_version,
            generated_at: &m.generated_at,
            codelists: &m.codelists,
            counting_rules: &m.counting_rules,
            disclosure: &m.disclosure,
            spec: &m.spec,
        },
        flags: BTreeMap::from([("c", w.legend_c), ("k", w.legend_k)]),
        sections,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plain data with string keys always serialises");
    out.push('\n');
    out
}
