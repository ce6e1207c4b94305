//! Golden files: every hand-made report in every format, compared byte for byte with
//! `tests/golden/<report>.<format>`. Set `MOSY_BLESS=1` to (re)write them after a deliberate
//! change. The HTML golden has the inside of its SVG charts and maps elided (the `charts` and
//! `maps` crates keep golden files of their own); the XLSX golden is the workbook read back with
//! calamine, as text.

use std::path::PathBuf;

use crate::{fixtures, markup, util};

const STRUCTURE_ID: &str = "PT_OTSH:DF_THB_KEY(1.0)";

/// Every golden case: (file name, content).
fn cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (stem, report) in fixtures::all() {
        out.push((format!("{stem}.csv"), formats::csv(&report)));
        out.push((format!("{stem}.json"), formats::json(&report)));
        let html = formats::html(&report, &util::ctx(&report));
        out.push((format!("{stem}.html"), markup::elide_svg(&html)));
        let xlsx = formats::xlsx(&report).expect("xlsx");
        out.push((format!("{stem}.xlsx.txt"), util::xlsx_text(&xlsx)));
        if report.sections.iter().any(|s| s.sdmx.is_some()) {
            out.push((format!("{stem}.sdmx.csv"), formats::sdmx_csv(&report, STRUCTURE_ID).expect("sdmx")));
        }
    }
    let structure =
        formats::sdmx_structure(STRUCTURE_ID, model::Codelists::embedded(), fixtures::GENERATED_AT)
            .expect("structure");
    out.push(("structure.xml".to_string(), structure));
    out
}

#[test]
fn golden_files_match() {
    let bless = std::env::var("MOSY_BLESS").is_ok_and(|v| v == "1");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut problems = Vec::new();
    for (name, content) in cases() {
        let path = dir.join(&name);
        if bless {
            std::fs::create_dir_all(&dir).expect("create the golden directory");
            std::fs::write(&path, &content).expect("write a golden file");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Err(e) => problems.push(format!("{name}: cannot read {}: {e}", path.display())),
            Ok(expected) if expected != content => {
                let line =
                    expected.split('\n').zip(content.split('\n')).position(|(a, b)| a != b).map_or_else(
                        || "length differs".to_string(),
                        |l| format!("first difference on line {}", l + 1),
                    );
                problems.push(format!("{name}: differs from the golden file ({line})"));
            }
            Ok(_) => {}
        }
    }
    assert!(problems.is_empty(), "golden files (MOSY_BLESS=1 to rewrite):\n{}", problems.join("\n"));
}

#[test]
fn every_format_is_deterministic() {
    let a = cases();
    let b = cases();
    assert_eq!(a, b);
    for (_, report) in fixtures::all() {
        assert_eq!(
            formats::xlsx(&report).expect("xlsx"),
            formats::xlsx(&report).expect("xlsx"),
            "xlsx bytes"
        );
    }
}
