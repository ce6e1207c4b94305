//! Simplification keeps rings valid and shared borders shared.

use std::collections::BTreeSet;

use maps::{ImportOptions, Point, Simplify, import_geojson};

fn ring_json(points: &[(f64, f64)]) -> String {
    let mut pts: Vec<String> = points.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    pts.push(format!("[{},{}]", points[0].0, points[0].1));
    format!("[{}]", pts.join(","))
}

fn feature(code: &str, rings: &[Vec<(f64, f64)>]) -> String {
    let rings: Vec<String> = rings.iter().map(|r| ring_json(r)).collect();
    format!(
        r#"{{"type":"Feature","properties":{{"NUTS_ID":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
        rings.join(",")
    )
}

fn layer(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:3035"}}}},"features":[{}]}}"#,
        features.join(",")
    )
}

/// A wiggly border from (3_000_000, 2_000_000) north to y = 2_400_000.
fn border() -> Vec<(f64, f64)> {
    (0..=400)
        .map(|i| {
            let y = 2_000_000.0 + f64::from(i) * 1_000.0;
            let x =
                3_000_000.0 + 20_000.0 * (f64::from(i) / 17.0).sin() + 3_000.0 * (f64::from(i) / 3.0).cos();
            (x.round(), y)
        })
        .collect()
}

/// An island: a noisy circle of `n` points.
fn island(cx: f64, cy: f64, r: f64, n: u32) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let a = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
            let rr = r * (1.0 + 0.05 * (f64::from(i) * 7.0).sin());
            ((cx + rr * a.cos()).round(), (cy + rr * a.sin()).round())
        })
        .collect()
}

fn two_regions_and_an_island() -> String {
    let b = border();
    // West: left corners, then the border going north.
    let mut west = vec![(2_800_000.0, 2_400_000.0), (2_800_000.0, 2_000_000.0)];
    west.extend(b.iter().copied());
    // East: the border going south, then the right corners.
    let mut east: Vec<(f64, f64)> = b.iter().rev().copied().collect();
    east.extend([(3_200_000.0, 2_000_000.0), (3_200_000.0, 2_400_000.0)]);
    layer(&[
        feature("AA1", &[west]),
        feature("BB1", &[east]),
        feature("CC1", &[island(3_500_000.0, 2_200_000.0, 60_000.0, 300)]),
    ])
}

#[test]
fn shared_border_stays_shared_and_rings_stay_valid() {
    let json = two_regions_and_an_island();
    let options = ImportOptions { simplify: Simplify::Relative(0.005), ..ImportOptions::default() };
    let imported = import_geojson(&json, &options).unwrap();
    assert!(
        imported.vertices_out * 3 < imported.vertices_in,
        "{} -> {}",
        imported.vertices_in,
        imported.vertices_out
    );
    for r in &imported.boundaries.regions {
        for p in &r.polygons {
            for ring in &p.rings {
                assert!(ring.len() >= 4, "{}", r.code);
                assert_eq!(ring.first(), ring.last());
                let area2: i64 = ring
                    .windows(2)
                    .map(|w| i64::from(w[0].x) * i64::from(w[1].y) - i64::from(w[1].x) * i64::from(w[0].y))
                    .sum();
                assert_ne!(area2, 0, "{}", r.code);
            }
        }
    }
    let pts = |code: &str, drop_x: i32| -> BTreeSet<Point> {
        let r = imported.boundaries.region(code).unwrap();
        r.polygons[0].rings[0].iter().copied().filter(|p| p.x != drop_x).collect()
    };
    let west = pts("AA1", 2_800_000);
    let east = pts("BB1", 3_200_000);
    assert_eq!(west, east, "both sides of the border keep the same vertices");
    assert!(west.len() > 3 && west.len() < 200, "{}", west.len());
}

#[test]
fn simplification_is_deterministic() {
    let json = two_regions_and_an_island();
    let options = ImportOptions { simplify: Simplify::Metres(2_000.0), ..ImportOptions::default() };
    let a = import_geojson(&json, &options).unwrap().boundaries.to_bytes();
    let b = import_geojson(&json, &options).unwrap().boundaries.to_bytes();
    assert_eq!(a, b);
}

#[test]
fn collapsed_rings_are_dropped_but_regions_kept() {
    let small = |x: f64, y: f64| vec![(x, y), (x + 100.0, y), (x + 100.0, y + 100.0), (x, y + 100.0)];
    let big_with_islet = format!(
        r#"{{"type":"Feature","properties":{{"NUTS_ID":"BIG"}},"geometry":{{"type":"MultiPolygon","coordinates":[[{}],[{}]]}}}}"#,
        ring_json(&island(3_000_000.0, 2_000_000.0, 100_000.0, 50)),
        ring_json(&small(3_300_000.0, 2_000_000.0))
    );
    let json = layer(&[
        big_with_islet,
        feature("TINY", &[small(3_500_000.0, 2_500_000.0)]),
        feature(
            "DUST",
            &[vec![
                (3_600_000.0, 2_600_000.0),
                (3_600_000.3, 2_600_000.0),
                (3_600_000.3, 2_600_000.3),
                (3_600_000.0, 2_600_000.3),
            ]],
        ),
    ]);
    let options = ImportOptions { simplify: Simplify::Metres(5_000.0), ..ImportOptions::default() };
    let imported = import_geojson(&json, &options).unwrap();
    let b = &imported.boundaries;
    assert_eq!(b.region("BIG").unwrap().polygons.len(), 1, "the islet collapsed");
    let tiny = b.region("TINY").unwrap();
    assert_eq!(tiny.polygons[0].rings[0].len(), 5, "a region that would vanish keeps its shape");
    assert!(b.region("DUST").is_none());
    assert_eq!(imported.collapsed, ["DUST"]);
}
