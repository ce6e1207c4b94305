//! The XLSX workbook read back with calamine: sheets, labels, values, withheld cells, totals,
//! change columns, metadata; byte-identical output with the creation time of the report.

use std::io::{Cursor, Read};

use calamine::Data;

use crate::{fixtures, util};

fn sheet<'a>(sheets: &'a [(String, Vec<Vec<Data>>)], name: &str) -> &'a Vec<Vec<Data>> {
    &sheets.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("sheet {name}")).1
}

fn at(rows: &[Vec<Data>], r: usize, c: usize) -> Data {
    rows.get(r).and_then(|row| row.get(c)).cloned().unwrap_or(Data::Empty)
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    let mut f = z.by_name(name).expect("part");
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8 part");
    s
}

fn all_parts(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("part");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("utf-8 part");
        out.push_str(&s);
    }
    out
}

#[test]
fn sheets_are_metadata_then_one_per_section() {
    let bytes = formats::xlsx(&fixtures::key_indicators()).expect("xlsx");
    let sheets = util::sheets(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["metadata", "V1_03", "V1_04", "V1_05", "S2_02"]);
}

#[test]
fn tables_have_labels_values_and_withheld_cells() {
    let bytes = formats::xlsx(&fixtures::key_indicators()).expect("xlsx");
    let sheets = util::sheets(&bytes);
    let v103 = sheet(&sheets, "V1_03");
    assert_eq!(at(v103, 0, 0), Data::String("V1_03 Number of victims by gender".into()));
    assert_eq!(at(v103, 2, 0), Data::String("Sex".into()));
    assert_eq!(at(v103, 3, 0), Data::String("Females".into()));
    assert_eq!(at(v103, 3, 1), Data::String("c".into()));
    assert_eq!(at(v103, 4, 1), Data::String("c".into()));
    assert_eq!(at(v103, 5, 1), Data::Float(0.0));
    assert_eq!(at(v103, 6, 0), Data::String("Total".into()));
    assert_eq!(at(v103, 6, 1), Data::Float(45.0));
    // Two axes: the column axis across, its label above.
    let v104 = sheet(&sheets, "V1_04");
    assert_eq!(at(v104, 1, 1), Data::String("Age group".into()));
    assert_eq!(at(v104, 2, 1), Data::String("Less than 18 years (children)".into()));
    assert_eq!(at(v104, 6, 4), Data::Float(45.0));
    // No axis: one total row.
    let s202 = sheet(&sheets, "S2_02");
    assert_eq!((at(s202, 3, 0), at(s202, 3, 1)), (Data::String("Total".into()), Data::Float(17.0)));
    // The notes say why a cell is withheld; the legend is below the table.
    let comments = all_parts(&bytes);
    assert!(comments.contains("withheld: a small count (primary suppression)"));
    assert!(
        v103.iter()
            .flatten()
            .any(|d| *d == Data::String("c: confidential, value withheld to protect persons".into()))
    );
}

#[test]
fn totals_are_bold() {
    let bytes = formats::xlsx(&fixtures::key_indicators()).expect("xlsx");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "a bold font exists");
}

#[test]
fn change_columns_from_published_values() {
    let bytes = formats::xlsx(&fixtures::time_frame()).expect("xlsx");
    let sheets = util::sheets(&bytes);
    let t = sheet(&sheets, "time_frame");
    assert_eq!(at(t, 2, 0), Data::String("Trimestre".into()));
    assert_eq!(at(t, 2, 5), Data::String("Variação".into()));
    // Row order: 2024-Q1, 2024-Q2, 2024-Q4, 2025-Q1, 2025-Q2, Total.
    let total = |r: usize| match at(t, r, 4) {
        Data::Float(f) => f,
        other => panic!("{other:?}"),
    };
    assert_eq!(at(t, 3, 5), Data::Empty, "no previous period in the table");
    assert_eq!(at(t, 4, 5), Data::Float(total(4) - total(3)));
    assert_eq!(at(t, 5, 5), Data::Float(total(5)), "2024-Q3 had nobody in it");
    assert_eq!(at(t, 5, 6), Data::Empty, "no percentage against 0");
    assert_eq!(at(t, 6, 5), Data::Float(total(6) - total(5)));
    assert_eq!(at(t, 8, 5), Data::Empty, "no change for the total");
}

#[test]
fn metadata_sheet() {
    let report = fixtures::key_indicators();
    let bytes = formats::xlsx(&report).expect("xlsx");
    let sheets = util::sheets(&bytes);
    let m = sheet(&sheets, "metadata");
    let value = |key: &str| {
        m.iter()
            .find(|r| r.first() == Some(&Data::String(key.into())))
            .map(|r| at(std::slice::from_ref(r), 0, 1))
    };
    assert_eq!(value("Data version"), Some(Data::String("PT/2026-03-31/r42".into())));
    assert_eq!(value("Generated at"), Some(Data::String(fixtures::GENERATED_AT.into())));
    assert_eq!(value("Method"), Some(Data::String("suppression".into())));
    assert_eq!(value("Request (JSON)"), Some(Data::String(report.meta.spec.to_string())));
    assert!(m.iter().any(|r| r.first() == Some(&Data::String("Codes used".into()))));
    assert!(m.iter().any(|r| r.get(1) == Some(&Data::String("Y_LT18".into()))));
}

#[test]
fn creation_time_is_the_generation_time_and_bytes_repeat() {
    let report = fixtures::time_frame();
    let a = formats::xlsx(&report).expect("xlsx");
    let b = formats::xlsx(&report).expect("xlsx");
    assert_eq!(a, b);
    let core = zip_part(&a, "docProps/core.xml");
    assert!(core.contains(fixtures::GENERATED_AT), "{core}");
    let mut later = report.clone();
    later.meta.generated_at = "2027-01-01T00:00:00Z".into();
    assert_ne!(formats::xlsx(&later).expect("xlsx"), a);
}

#[test]
fn grids_and_sheet_names() {
    let bytes = formats::xlsx(&fixtures::quality()).expect("xlsx");
    let sheets = util::sheets(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["metadata", "completeness", "timeliness", "simple"]);
    let g = sheet(&sheets, "completeness");
    assert_eq!(at(g, 3, 1), Data::Float(1204.0));
    assert_eq!(at(g, 3, 3), Data::Float(0.0125));
    assert_eq!(at(g, 4, 0), Data::String("Associação \"Porto Seguro\", <Norte> & Ilhas".into()));
    // Three axes: two row-header columns.
    let s = sheet(&sheets, "simple");
    assert_eq!((at(s, 2, 0), at(s, 2, 1)), (Data::String("Sex".into()), Data::String("Age group".into())));
}
