//! Golden files: every chart kind in both languages, compared byte for byte with
//! `tests/golden/<name>.svg`. Set `MOSY_BLESS=1` to (re)write them after a deliberate change.

use std::path::PathBuf;

use charts::{Lang, Orientation, bars, lines, pyramid, sparkline, sparkline_lang, stacked_bars};

use crate::fixtures;

/// Every golden case: (file stem, SVG).
pub(crate) fn cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Pt] {
        let l = match lang {
            Lang::En => "en",
            Lang::Pt => "pt",
        };
        let mut add = |name: &str, svg: String| out.push((format!("{name}_{l}"), svg));
        add("bars_vertical", bars(&fixtures::victims_by_year(lang), Orientation::Vertical));
        add("bars_grouped", bars(&fixtures::victims_by_sex(lang), Orientation::Vertical));
        add("bars_horizontal", bars(&fixtures::forms_of_exploitation(lang), Orientation::Horizontal));
        add("stacked_vertical", stacked_bars(&fixtures::by_citizenship(lang), Orientation::Vertical));
        add("stacked_horizontal", stacked_bars(&fixtures::by_region(lang), Orientation::Horizontal));
        add("lines", lines(&fixtures::trend(lang), None));
        add("lines_negative", lines(&fixtures::change_rates(lang), None));
        let (spec, band) = fixtures::projection(lang);
        add("lines_projection", lines(&spec, Some(&band)));
        add("pyramid_counts", pyramid(&fixtures::pyramid_counts(lang)));
        add("pyramid_shares", pyramid(&fixtures::pyramid_shares(lang)));
        add("empty", bars(&fixtures::empty(lang), Orientation::Vertical));
        let spark = match lang {
            Lang::En => sparkline(&fixtures::spark_values(), 120, 24),
            Lang::Pt => sparkline_lang(&fixtures::spark_values(), 120, 24, lang),
        };
        add("sparkline", spark);
    }
    out
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn golden_files_match() {
    let bless = std::env::var("MOSY_BLESS").is_ok_and(|v| v == "1");
    let dir = golden_dir();
    let mut problems = Vec::new();
    for (name, svg) in cases() {
        let path = dir.join(format!("{name}.svg"));
        if bless {
            std::fs::create_dir_all(&dir).expect("create the golden directory");
            std::fs::write(&path, &svg).expect("write a golden file");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Err(e) => problems.push(format!("{name}: cannot read {}: {e}", path.display())),
            Ok(expected) if expected != svg => {
                let line = expected.lines().zip(svg.lines()).position(|(a, b)| a != b).map_or_else(
                    || {
                        format!(
                            "lengths differ ({} vs {} lines)",
                            expected.lines().count(),
                            svg.lines().count()
                        )
                    },
                    |i| format!("first difference on line {}", i + 1),
                );
                problems.push(format!("{name}: {line}"));
            }
            Ok(_) => {}
        }
    }
    assert!(problems.is_empty(), "golden mismatches (rerun with MOSY_BLESS=1 if intended): {problems:#?}");
}

#[test]
fn every_golden_file_has_a_case() {
    let names: Vec<String> = cases().into_iter().map(|(n, _)| format!("{n}.svg")).collect();
    let Ok(entries) = std::fs::read_dir(golden_dir()) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        assert!(names.contains(&file), "stale golden file {file}");
    }
}
