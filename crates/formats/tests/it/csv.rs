//! The long CSV: RFC 4180 (read back by the `csv` crate), one row per cell, metadata rows first,
//! values and flags of withheld and perturbed cells, grids and notes.

use crate::fixtures;

fn read(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = r.headers().expect("header").iter().map(str::to_string).collect();
    let rows =
        r.records().map(|x| x.expect("an RFC 4180 record").iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"))
}

#[test]
fn header_and_line_ends() {
    let text = formats::csv(&fixtures::key_indicators());
    let first = text.split("\r\n").next().expect("a line");
    assert_eq!(
        first,
        "record,section,section_title,dim1,dim1_code,dim1_label,dim2,dim2_code,dim2_label,dim3,dim3_code,dim3_label,\
         dim4,dim4_code,dim4_label,value,flag,text"
    );
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "CRLF line ends");
}

#[test]
fn one_row_per_cell_after_the_metadata() {
    let report = fixtures::key_indicators();
    let (h, rows) = read(&formats::csv(&report));
    let kinds: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let first_other = kinds.iter().position(|k| *k != "meta").expect("data rows");
    assert!(kinds[first_other..].iter().all(|k| *k != "meta"), "metadata rows come first");
    let meta: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[0] == "meta")
        .map(|r| (r[2].as_str(), r[col(&h, "text")].as_str()))
        .collect();
    assert!(rows.iter().filter(|r| r[0] == "meta").all(|r| r[1] == "_metadata"));
    for key in [
        "title",
        "period",
        "audience",
        "disclosure_method",
        "data_version",
        "generated_at",
        "spec",
        "counting_rule",
    ] {
        assert!(meta.iter().any(|(k, _)| *k == key), "metadata {key}");
    }
    assert!(meta.contains(&("disclosure_method", "suppression")));
    assert!(meta.contains(&("disclosure_k", "5")));
    let cells = rows.iter().filter(|r| r[0] == "cell").count();
    let expected: usize =
        report.sections.iter().filter_map(|s| s.table.as_ref()).map(|t| t.cells.len()).sum();
    assert_eq!(cells, expected);
    let notes = rows.iter().filter(|r| r[0] == "note").count();
    assert_eq!(notes, report.sections.iter().map(|s| s.notes.len()).sum::<usize>());
}

#[test]
fn withheld_cells_have_no_value_and_flag_c() {
    let (h, rows) = read(&formats::csv(&fixtures::key_indicators()));
    let (v, f) = (col(&h, "value"), col(&h, "flag"));
    let find = |section: &str, codes: &[&str]| {
        rows.iter()
            .find(|r| {
                r[0] == "cell" && r[1] == section && codes.iter().enumerate().all(|(i, c)| r[4 + 3 * i] == *c)
            })
            .unwrap_or_else(|| panic!("{section} {codes:?}"))
    };
    let m = find("V1_03", &["M"]);
    assert_eq!((m[3].as_str(), m[5].as_str(), m[v].as_str(), m[f].as_str()), ("sex", "Males", "", "c"));
    assert_eq!((find("V1_03", &["F"])[v].as_str(), find("V1_03", &["F"])[f].as_str()), ("", "c"));
    let t = find("V1_03", &["_T"]);
    assert_eq!((t[5].as_str(), t[v].as_str(), t[f].as_str()), ("Total", "45", ""));
    let none = find("S2_02", &[]);
    assert_eq!((none[3].as_str(), none[v].as_str()), ("", "17"));
}

#[test]
fn every_value_of_a_cell_key_report_is_flagged_k() {
    let (h, rows) = read(&formats::csv(&fixtures::time_frame()));
    let (v, f) = (col(&h, "value"), col(&h, "flag"));
    let cells: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "cell").collect();
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|r| !r[v].is_empty() && r[f] == "k"), "uniform flag, exact or not");
}

#[test]
fn grids_and_quoting() {
    let text = formats::csv(&fixtures::quality());
    assert!(
        text.contains("\"Associação \"\"Porto Seguro\"\", <Norte> & Ilhas\""),
        "quotes doubled, field quoted"
    );
    let (h, rows) = read(&text);
    let (v, t) = (col(&h, "value"), col(&h, "text"));
    let grid: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "grid" && r[1] == "completeness").collect();
    assert_eq!(grid.len(), 8);
    let share = grid.iter().find(|r| r[4] == "1" && r[7] == "4").expect("share cell");
    assert_eq!(
        (share[5].as_str(), share[8].as_str(), share[v].as_str()),
        ("Polícia Judiciária", "Unknown: Sex", "0.0125")
    );
    let missing = grid.iter().find(|r| r[4] == "2" && r[7] == "4").expect("missing cell");
    assert_eq!((missing[v].as_str(), missing[t].as_str()), ("", ""));
    let text_cell = rows
        .iter()
        .find(|r| r[0] == "grid" && r[1] == "timeliness" && r[4] == "2" && r[7] == "3")
        .expect("text");
    assert_eq!(text_cell[t], "2025-Q1 2025-Q2");
    // Three axes: dim3 filled, dim4 empty.
    let three = rows.iter().find(|r| r[0] == "cell" && r[1] == "simple").expect("cell");
    assert_eq!((three[9].as_str(), three[12].as_str()), ("victim_category", ""));
}
