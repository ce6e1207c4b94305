//! Helpers shared by the tests: the HTML context of a report, XLSX read back as text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use formats::HtmlContext;
use reports::{Report, Visual};

use crate::fixtures;

/// The HTML context of a report: its language, and the fixture regions for region maps.
pub(crate) fn ctx(report: &Report) -> HtmlContext {
    let mut ctx = HtmlContext::for_report(report);
    if report.sections.iter().any(|s| s.visual == Visual::Choropleth) {
        ctx.regions = Some(fixtures::regions());
    }
    ctx
}

/// Every sheet of a workbook: (name, rows of cells).
pub(crate) fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable workbook");
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).expect("a sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Data::Empty; c0 as usize];
                cells.extend(row.iter().cloned());
                rows.push(cells);
            }
            (name, rows)
        })
        .collect()
}

/// A cell as text: numbers plain, strings with a leading `'`, empty cells empty.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => format!("'{s}"),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        other => format!("?{other:?}"),
    }
}

/// The workbook as text, one line per row, cells separated by tabs (trailing empties dropped).
pub(crate) fn xlsx_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (name, rows) in sheets(bytes) {
        out.push_str(&format!("## {name}\n"));
        for row in rows {
            let mut cells: Vec<String> = row.iter().map(cell_text).collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out
}
