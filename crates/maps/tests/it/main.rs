//! Integration tests of the `maps` crate: import, projections, simplification, storage, the
//! embedded world outlines and the SVG renderers (golden files under `tests/golden/`; run with
//! `MOSY_BLESS=1` to rewrite them).

mod choropleth;
mod codec;
mod flows;
mod import;
mod proj;
mod simplify;
mod world;

use std::path::PathBuf;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `tests/fixtures/NAME`.
pub(crate) fn fixture(name: &str) -> String {
    let path = crate_dir().join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The fixture imported without simplification.
pub(crate) fn fixture_boundaries(name: &str) -> maps::Boundaries {
    let options = maps::ImportOptions { simplify: maps::Simplify::Off, ..Default::default() };
    maps::import_geojson(&fixture(name), &options).expect("fixture imports").boundaries
}

/// Compares `actual` with `tests/golden/NAME` byte for byte, or rewrites it when `MOSY_BLESS=1`.
pub(crate) fn golden(name: &str, actual: &str) {
    let path = crate_dir().join("tests/golden").join(name);
    if std::env::var("MOSY_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {} ({e}); run with MOSY_BLESS=1 to create it", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or_else(|| "length".to_owned(), |i| format!("line {}", i + 1));
        panic!("{} differs at {line}; check, then rerun with MOSY_BLESS=1", path.display());
    }
}

/// Checks the SVG rules every map must follow.
pub(crate) fn assert_self_contained(svg: &str) {
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" "#));
    assert_eq!(svg.matches("http").count(), 1, "only the SVG namespace may name a URL");
    for banned in ["href", "@import", "url(http", "<image", "<script", "<style", "font-face"] {
        assert!(!svg.contains(banned), "SVG contains {banned}");
    }
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains("<desc id="));
    assert!(svg.contains(r#"font-family="sans-serif""#));
    // Path coordinates have at most one decimal.
    for d in svg.split(" d=\"").skip(1) {
        let d = &d[..d.find('"').expect("closed attribute")];
        for number in d.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            if let Some((_, frac)) = number.split_once('.') {
                assert!(frac.len() <= 1, "coordinate {number} has more than one decimal");
            }
        }
    }
}
