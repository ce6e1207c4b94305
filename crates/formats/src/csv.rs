//! The long CSV: one row per cell of every section, self-describing, RFC 4180 (CRLF line ends,
//! fields quoted when they hold a comma, a quote or a line break; UTF-8 without BOM).
//!
//! Columns: `record, section, section_title, dim1, dim1_code, dim1_label, … dim4_label, value,
//! flag, text` (more `dimN` groups only if a table ever had more than four axes). The first column
//! says what a row is:
//!
//! - `meta`: section `_metadata`, the field name in `section_title`, its value in `text` (title,
//!   kind, period, audience, disclosure, counting rules (one row each), data version, generation
//!   time, reporting country, codelists, language, the request as JSON, and the meaning of each
//!   flag). They come first.
//! - `cell`: a table cell. `dimN` is the dimension id (`sex`), `dimN_code` the code (`_T` for a
//!   total), `dimN_label` its label; `value` the published count, empty when withheld; `flag` `c`
//!   when withheld, `k` on every value of a cell-key-protected report, empty otherwise.
//! - `grid`: a value of an analysts' grid (data-quality sections): `dim1` = `row` with the row
//!   number and the row's first text as label, `dim2` = `column` with the column number and
//!   heading; whole numbers and shares (0–1, decimal point) in `value`, texts in `text`; a value
//!   that is not available leaves both empty.
//! - `note`: a note of the section, in `text`.

use std::fmt::Write as _;

use reports::{GridValue, Report};

use crate::common::{Shown, entry_label, flag_letter, noisy};
use crate::words;

const MIN_DIMS: usize = 4;

/// The report as a long CSV (see the module documentation).
pub fn csv(report: &Report) -> String {
    let dims = report
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .map(|t| t.axes.len())
        .max()
        .unwrap_or(0)
        .max(MIN_DIMS);
    let width = 3 + 3 * dims + 3;
    let mut out = String::new();
    let mut header: Vec<String> = vec!["record".into(), "section".into(), "section_title".into()];
    for d in 1..=dims {
        header.push(format!("dim{d}"));
        header.push(format!("dim{d}_code"));
        header.push(format!("dim{d}_label"));
    }
    header.extend(["value".into(), "flag".into(), "text".into()]);
    write_row(&mut out, &header);

    let row = |out: &mut String, fields: Vec<(usize, String)>| {
        let mut r = vec![String::new(); width];
        for (i, f) in fields {
            r[i] = f;
        }
        write_row(out, &r);
    };
    let value_col = 3 + 3 * dims;
    let meta = |out: &mut String, key: &str, text: String| {
        row(out, vec![(0, "meta".into()), (1, "_metadata".into()), (2, key.into()), (value_col + 2, text)]);
    };

    let m = &report.meta;
    let lang = crate::common::lang_of(report);
    meta(&mut out, "title", report.title.clone());
    meta(&mut out, "kind", report.spec.kind.id().into());
    meta(&mut out, "period", report.spec.period.clone().unwrap_or_default());
    meta(&mut out, "audience", m.disclosure.audience.clone());
    meta(&mut out, "disclosure_method", words::method_id(m.disclosure.method).into());
    meta(&mut out, "disclosure", m.disclosure.note.clone());
    if let Some(k) = m.disclosure.k {
        meta(&mut out, "disclosure_k", k.to_string());
    }
    if let Some(v) = m.disclosure.ckm_variance {
        meta(&mut out, "disclosure_ckm_variance", v.to_string());
    }
    if let Some(js) = m.disclosure.ckm_js {
        meta(&mut out, "disclosure_ckm_js", js.to_string());
    }
    for rule in &m.counting_rules {
        meta(&mut out, "counting_rule", rule.clone());
    }
    meta(&mut out, "data_version", m.data_version.clone());
    meta(&mut out, "generated_at", m.generated_at.clone());
    meta(&mut out, "reporting_country", m.reporting_country.clone());
    meta(&mut out, "codelists", m.codelists.clone());
    meta(&mut out, "lang", m.lang.clone());
    meta(&mut out, "spec", m.spec.to_string());
    let w = words::words(lang);
    meta(&mut out, "flag_c", w.legend_c.into());
    meta(&mut out, "flag_k", w.legend_k.into());

    let noisy = noisy(report);
    for s in &report.sections {
        if let Some(t) = &s.table {
            for (i, cell) in t.cells.iter().enumerate() {
                let coords = t.coords(i);
                let mut fields = vec![(0, "cell".to_string()), (1, s.id.clone()), (2, s.title.clone())];
                for (a, e) in coords.iter().enumerate() {
                    fields.push((3 + 3 * a, t.axes[a].dim.id().to_string()));
                    fields.push((4 + 3 * a, t.axes[a].codes[*e].clone()));
                    fields.push((5 + 3 * a, entry_label(s, t, a, *e).to_string()));
                }
                let shown = Shown::of(cell);
                if let Some(v) = shown.value() {
                    fields.push((value_col, v.to_string()));
                }
                if let Some(f) = flag_letter(shown, noisy) {
                    fields.push((value_col + 1, f.to_string()));
                }
                row(&mut out, fields);
            }
        }
        if let Some(g) = &s.grid {
            for (r, values) in g.rows.iter().enumerate() {
                let row_label = values
                    .iter()
                    .find_map(|v| match v {
                        GridValue::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                for (c, v) in values.iter().enumerate() {
                    let mut fields = vec![
                        (0, "grid".to_string()),
                        (1, s.id.clone()),
                        (2, s.title.clone()),
                        (3, "row".to_string()),
                        (4, (r + 1).to_string()),
                        (5, row_label.clone()),
                        (6, "column".to_string()),
                        (7, (c + 1).to_string()),
                        (8, g.columns.get(c).cloned().unwrap_or_default()),
                    ];
                    match v {
                        GridValue::Text(t) => fields.push((value_col + 2, t.clone())),
                        GridValue::Int(n) => fields.push((value_col, n.to_string())),
                        GridValue::Share(x) if x.is_finite() => fields.push((value_col, x.to_string())),
                        GridValue::Share(_) | GridValue::Missing => {}
                    }
                    row(&mut out, fields);
                }
            }
        }
        for note in &s.notes {
            row(
                &mut out,
                vec![
                    (0, "note".into()),
                    (1, s.id.clone()),
                    (2, s.title.clone()),
                    (value_col + 2, note.clone()),
                ],
            );
        }
    }
    out
}

/// One RFC 4180 record with its CRLF.
pub(crate) fn write_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_field(out, f);
    }
    out.push_str("\r\n");
}

/// One field, quoted when it must be.
pub(crate) fn write_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        let _ = write!(out, "\"{}\"", field.replace('"', "\"\""));
    } else {
        out.push_str(field);
    }
}
