//! The XLSX workbook: a `metadata` sheet first (what the figures are, how they were protected, the
//! request, the codes used), then one sheet per section named after its id.
//!
//! A table sheet has the title, a header row (row-axis labels, then the column entries; the
//! column-axis label above them), one row per combination of the row axes; totals in bold;
//! withheld cells hold the text `c` with a cell note saying why (never the number); time-frame
//! sections get a change column (and its percentage) against the previous period, computed from
//! the published values. Notes and the legend of symbols follow the table. Grid sections
//! (analysts' data-quality values) are written as they are, shares as percentages.
//!
//! The document's creation time is the report's generation time and the ZIP entries carry a
//! fixed date, so the same report gives the same bytes.

use std::collections::BTreeMap;

use reports::{GridValue, Report, Section};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Note, Workbook, Worksheet};
use stats::Table;

use crate::Error;
use crate::common::{Layout, Shown, Withheld, axis_label, entry_label, lang_of, noisy};
use crate::words::{self, Words};

struct Formats {
    title: Format,
    header: Format,
    header_total: Format,
    axis: Format,
    label: Format,
    label_total: Format,
    number: Format,
    number_total: Format,
    withheld: Format,
    withheld_total: Format,
    change: Format,
    change_pct: Format,
    share: Format,
    key: Format,
    wrap: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let number = Format::new().set_num_format("#,##0");
        let withheld = Format::new().set_align(FormatAlign::Right).set_font_color("#555555");
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top),
            header_total: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("#EEEEEE"),
            axis: Format::new().set_italic(),
            label: Format::new(),
            label_total: Format::new().set_bold().set_background_color("#EEEEEE"),
            number_total: number.clone().set_bold().set_background_color("#EEEEEE"),
            number,
            withheld_total: withheld.clone().set_bold().set_background_color("#EEEEEE"),
            withheld,
            change: Format::new().set_num_format("+#,##0;-#,##0;0"),
            change_pct: Format::new().set_num_format("+0.0%;-0.0%;0.0%"),
            share: Format::new().set_num_format("0.0%"),
            key: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            note: Format::new().set_italic(),
        }
    }
}

/// The report as an XLSX workbook (see the module documentation).
pub fn xlsx(report: &Report) -> Result<Vec<u8>, Error> {
    let lang = lang_of(report);
    let w = words::words(lang);
    let f = Formats::new();
    let noisy = noisy(report);
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(report.meta.generated_at.trim())
        .or_else(|_| ExcelDateTime::from_ymd(1980, 1, 1))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(report.title.as_str())
            .set_author("mosy")
            .set_comment(report.meta.disclosure.note.as_str())
            .set_creation_datetime(&created),
    );

    let mut names: Vec<String> = Vec::new();
    let meta_name = sheet_name("metadata", &mut names);
    metadata_sheet(wb.add_worksheet(), &meta_name, report, w, &f)?;
    for s in &report.sections {
        let name = sheet_name(&s.id, &mut names);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, &s.title, &f.title)?;
        let mut row = 2u32;
        if let Some(t) = &s.table {
            row = table(ws, s, t, w, &f, lang)?;
        }
        if let Some(g) = &s.grid {
            for (c, h) in g.columns.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, h, &f.header)?;
                ws.set_column_width(c as u16, if c == 0 { 28 } else { 14 })?;
            }
            row += 1;
            for values in &g.rows {
                for (c, v) in values.iter().enumerate() {
                    let c = c as u16;
                    match v {
                        GridValue::Text(t) => {
                            ws.write_string(row, c, t)?;
                        }
                        GridValue::Int(n) => {
                            ws.write_number_with_format(row, c, *n as f64, &f.number)?;
                        }
                        GridValue::Share(x) if x.is_finite() => {
                            ws.write_number_with_format(row, c, *x, &f.share)?;
                        }
                        GridValue::Share(_) | GridValue::Missing => {
                            ws.write_string_with_format(row, c, "–", &f.withheld)?;
                        }
                    }
                }
                row += 1;
            }
            row += 1;
        }
        let mut lines: Vec<&str> = s.notes.iter().map(String::as_str).collect();
        let section_withheld =
            s.table.as_ref().is_some_and(|t| t.cells.iter().any(|c| Shown::of(c).value().is_none()));
        if section_withheld {
            lines.push(w.legend_c);
        }
        if noisy && s.table.is_some() {
            lines.push(w.legend_k);
        }
        if s.change {
            lines.push(w.legend_change);
        }
        if s.grid.as_ref().is_some_and(|g| g.rows.iter().flatten().any(|v| matches!(v, GridValue::Missing))) {
            lines.push(w.legend_missing);
        }
        if !lines.is_empty() {
            row += 1;
            ws.write_string_with_format(row, 0, w.notes, &f.key)?;
            row += 1;
            for l in lines {
                ws.write_string_with_format(row, 0, l, &f.note)?;
                row += 1;
            }
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// Writes the table of a section from row 2 down; returns the first free row.
fn table(
    ws: &mut Worksheet,
    s: &Section,
    t: &Table,
    w: &Words,
    f: &Formats,
    lang: charts::Lang,
) -> Result<u32, Error> {
    let layout = Layout::of(s, t);
    let label_cols = layout.row_axes.len().max(1) as u16;
    let header = 2u32;
    // Column-axis label above the column entries.
    if let Some(c) = layout.col_axis {
        ws.write_string_with_format(header - 1, label_cols, axis_label(s, t, c), &f.axis)?;
    }
    for (i, a) in layout.row_axes.iter().enumerate() {
        ws.write_string_with_format(header, i as u16, axis_label(s, t, *a), &f.header)?;
    }
    if layout.row_axes.is_empty() {
        ws.write_blank(header, 0, &f.header)?;
    }
    let ncols = layout.columns(t);
    for col in 0..ncols {
        let x = label_cols + col as u16;
        let (text, fmt) = match layout.col_axis {
            Some(c) => (
                entry_label(s, t, c, col).to_string(),
                if layout.is_total_col(t, col) { &f.header_total } else { &f.header },
            ),
            None => (crate::common::measure_label(t, lang).to_string(), &f.header),
        };
        ws.write_string_with_format(header, x, &text, fmt)?;
        ws.set_column_width(x, 14)?;
    }
    let change_col = label_cols + ncols as u16;
    if s.change {
        ws.write_string_with_format(header, change_col, w.change, &f.header)?;
        ws.write_string_with_format(header, change_col + 1, w.change_pct, &f.header)?;
        ws.set_column_width(change_col, 12)?;
        ws.set_column_width(change_col + 1, 12)?;
    }
    let mut widths = vec![10usize; label_cols as usize];
    for (i, a) in layout.row_axes.iter().enumerate() {
        widths[i] = widths[i].max(axis_label(s, t, *a).chars().count());
    }
    let mut r = header + 1;
    for row in &layout.rows {
        let total_row = layout.is_total_row(t, row);
        for (i, (a, e)) in layout.row_axes.iter().zip(row).enumerate() {
            let label = entry_label(s, t, *a, *e);
            widths[i] = widths[i].max(label.chars().count());
            ws.write_string_with_format(
                r,
                i as u16,
                label,
                if total_row { &f.label_total } else { &f.label },
            )?;
        }
        if layout.row_axes.is_empty() {
            ws.write_string_with_format(r, 0, w.total, &f.label_total)?;
        }
        for col in 0..ncols {
            let total = total_row || layout.is_total_col(t, col) || layout.row_axes.is_empty();
            let x = label_cols + col as u16;
            match Shown::of(&t.cells[layout.index(t, row, col)]) {
                Shown::Value(v) => {
                    ws.write_number_with_format(
                        r,
                        x,
                        v as f64,
                        if total { &f.number_total } else { &f.number },
                    )?;
                }
                Shown::Withheld(why) => {
                    ws.write_string_with_format(
                        r,
                        x,
                        "c",
                        if total { &f.withheld_total } else { &f.withheld },
                    )?;
                    let text = match why {
                        Withheld::Primary => w.withheld_primary,
                        Withheld::Secondary => w.withheld_secondary,
                        Withheld::Other => w.withheld_other,
                    };
                    ws.insert_note(r, x, &Note::new(text).set_author("mosy").add_author_prefix(false))?;
                }
            }
        }
        if s.change
            && let Some((before, now)) = layout.change(t, row)
        {
            ws.write_number_with_format(r, change_col, now as f64 - before as f64, &f.change)?;
            if before > 0 {
                ws.write_number_with_format(
                    r,
                    change_col + 1,
                    (now as f64 - before as f64) / before as f64,
                    &f.change_pct,
                )?;
            }
        }
        r += 1;
    }
    for (i, wd) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, (*wd).clamp(10, 60) as f64 + 1.0)?;
    }
    ws.set_freeze_panes(header + 1, label_cols)?;
    Ok(r + 1)
}

fn metadata_sheet(
    ws: &mut Worksheet,
    name: &str,
    report: &Report,
    w: &Words,
    f: &Formats,
) -> Result<(), Error> {
    let lang = lang_of(report);
    let m = &report.meta;
    ws.set_name(name)?;
    ws.set_column_width(0, 34)?;
    ws.set_column_width(1, 100)?;
    ws.set_column_width(2, 60)?;
    ws.write_string_with_format(0, 0, &report.title, &f.title)?;
    let mut rows: Vec<(&str, String)> = vec![
        (w.title, report.title.clone()),
        (w.kind, report.spec.kind.id().to_string()),
        (w.period, words::period(report, lang)),
        (w.audience, words::audience(&m.disclosure.audience, lang)),
        (w.method, words::method_id(m.disclosure.method).to_string()),
        (w.disclosure, words::disclosure(&m.disclosure, lang)),
    ];
    if let Some(k) = m.disclosure.k {
        rows.push((w.threshold, k.to_string()));
    }
    if let Some(v) = m.disclosure.ckm_variance {
        rows.push((w.ckm_variance, v.to_string()));
    }
    if let Some(js) = m.disclosure.ckm_js {
        rows.push((w.ckm_js, js.to_string()));
    }
    for rule in &m.counting_rules {
        rows.push((w.counting_rules, rule.clone()));
    }
    rows.extend([
        (w.data_version, m.data_version.clone()),
        (w.generated_at, m.generated_at.clone()),
        (w.reporting_country, m.reporting_country.clone()),
        (w.codelists, m.codelists.clone()),
        (w.language, m.lang.clone()),
        (w.request, m.spec.to_string()),
        (w.symbols, w.legend_c.to_string()),
        (w.symbols, w.legend_k.to_string()),
    ]);
    let mut r = 2u32;
    for (k, v) in rows {
        ws.write_string_with_format(r, 0, k, &f.key)?;
        ws.write_string_with_format(r, 1, &v, &f.wrap)?;
        r += 1;
    }
    // The codes used by the tables, sorted by dimension and code.
    let mut codes: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for s in &report.sections {
        let Some(t) = &s.table else { continue };
        for (a, axis) in t.axes.iter().enumerate() {
            for (e, code) in axis.codes.iter().enumerate() {
                codes.entry((axis.dim.id(), code.as_str())).or_insert_with(|| entry_label(s, t, a, e));
            }
        }
    }
    if !codes.is_empty() {
        r += 1;
        ws.write_string_with_format(r, 0, w.codes_used, &f.title)?;
        r += 1;
        ws.write_string_with_format(r, 0, w.dimension, &f.header)?;
        ws.write_string_with_format(r, 1, w.code, &f.header)?;
        ws.write_string_with_format(r, 2, w.label, &f.header)?;
        r += 1;
        for ((dim, code), label) in codes {
            ws.write_string(r, 0, dim)?;
            ws.write_string(r, 1, code)?;
            ws.write_string(r, 2, label)?;
            r += 1;
        }
    }
    Ok(())
}

/// A valid, unique sheet name for `id` (at most 31 characters, none of `[]:*?/\`, no leading or
/// trailing apostrophe, unique ignoring case); remembered in `taken`.
fn sheet_name(id: &str, taken: &mut Vec<String>) -> String {
    let clean: String = id
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c })
        .collect::<String>()
        .trim_matches('\'')
        .chars()
        .take(31)
        .collect();
    let base = if clean.trim().is_empty() { "section".to_string() } else { clean };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
        let suffix = format!("~{n}");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.len()).collect::<String>());
        n += 1;
    }
    taken.push(name.clone());
    name
}
