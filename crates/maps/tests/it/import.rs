//! GeoJSON import: fixtures in EPSG:4326 and EPSG:3035, CRS detection, frames and errors.

use maps::proj::laea_forward;
use maps::{
    DisplayCrs, ImportError, ImportOptions, LonLatBox, Point, Simplify, SourceCrs, import_geojson, nuts_level,
};

use crate::{fixture, fixture_boundaries};

fn off() -> ImportOptions {
    ImportOptions { simplify: Simplify::Off, ..ImportOptions::default() }
}

fn collection(features: &str) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
}

fn square(code: &str, x: f64, y: f64, size: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"NUTS_ID":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x2},{y}],[{x2},{y2}],[{x},{y2}],[{x},{y}]]]}}}}"#,
        x2 = x + size,
        y2 = y + size
    )
}

#[test]
fn lonlat_fixture_detected_and_projected_to_laea() {
    let imported = import_geojson(&fixture("nuts_pt_4326.geojson"), &off()).unwrap();
    assert_eq!(imported.source_crs, SourceCrs::LonLat);
    let b = &imported.boundaries;
    assert_eq!(b.crs, DisplayCrs::Laea);
    let codes: Vec<&str> = b.regions.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["PT11", "PT16", "PT17"]);
    let skipped: Vec<(usize, &str)> =
        imported.skipped.iter().map(|s| (s.index, s.geometry.as_str())).collect();
    assert_eq!(skipped, [(1, "Point"), (4, "LineString")]);

    let norte = b.region("PT11").unwrap();
    assert_eq!(norte.name, "Norte");
    assert_eq!(norte.level, Some(2));
    let (x, y) = laea_forward(-8.8, 41.0);
    assert_eq!(norte.polygons[0].rings[0][0], Point { x: x.round() as i32, y: y.round() as i32 });

    let lisboa = b.region("PT17").unwrap();
    assert_eq!(lisboa.name, "Área Metropolitana de Lisboa");
    assert_eq!(lisboa.polygons.len(), 2);
    let centro = b.region("PT16").unwrap();
    assert_eq!(centro.polygons[0].rings.len(), 2, "the hole is kept");
    for r in &b.regions {
        for p in &r.polygons {
            for ring in &p.rings {
                assert!(ring.len() >= 4);
                assert_eq!(ring.first(), ring.last());
            }
        }
        let bb = r.bbox();
        let c = r.centroid;
        assert!(f64::from(c.x) > bb.min_x && f64::from(c.x) < bb.max_x, "{}", r.code);
        assert!(f64::from(c.y) > bb.min_y && f64::from(c.y) < bb.max_y, "{}", r.code);
    }
    // Lisboa's label point lies in its larger part (the triangle), not in the peninsula.
    let tri = lisboa.polygons.iter().map(|p| p.rings[0].clone()).max_by_key(|r| {
        let xs: Vec<i32> = r.iter().map(|p| p.y).collect();
        xs.iter().max().copied().unwrap_or(0)
    });
    let tri = tri.unwrap();
    let top = tri.iter().map(|p| p.y).max().unwrap();
    let bottom = tri.iter().map(|p| p.y).min().unwrap();
    assert!(lisboa.centroid.y > bottom && lisboa.centroid.y < top);
    assert_eq!(imported.vertices_in, 6 + 6 + 5 + 4 + 5);
}

#[test]
fn laea_fixture_crs_member_and_identity() {
    let imported = import_geojson(&fixture("nuts_pt_3035.geojson"), &off()).unwrap();
    assert_eq!(imported.source_crs, SourceCrs::Laea);
    let b = &imported.boundaries;
    let codes: Vec<&str> = b.regions.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["PT11", "PT16", "PT17"], "sorted by code");
    let norte = b.region("PT11").unwrap();
    // Rounded to whole metres (2710000.5 rounds away from zero).
    assert_eq!(norte.polygons[0].rings[0][0], Point { x: 2_710_001, y: 2_170_000 });
    // The centroid of PT16 avoids its hole.
    let c = b.region("PT16").unwrap().centroid;
    let in_hole = (2_780_000..=2_820_000).contains(&c.x) && (2_070_000..=2_120_000).contains(&c.y);
    assert!(!in_hole, "centroid {c:?} is in the hole");
}

#[test]
fn explicit_crs_override_wins() {
    // The LAEA fixture read as lon/lat is out of range: the override is obeyed.
    let options = ImportOptions { source_crs: Some(SourceCrs::LonLat), ..off() };
    let err = import_geojson(&fixture("nuts_pt_3035.geojson"), &options).unwrap_err();
    assert!(matches!(err, ImportError::InvalidCoordinate { index: 0, .. }), "{err:?}");
    // Lon/lat numbers read as LAEA metres lie on the projected globe: accepted as told.
    let options = ImportOptions { source_crs: Some(SourceCrs::Laea), ..off() };
    let imported = import_geojson(&fixture("nuts_pt_4326.geojson"), &options).unwrap();
    assert_eq!(imported.source_crs, SourceCrs::Laea);
}

#[test]
fn crs_member_names() {
    for (name, crs) in [
        ("urn:ogc:def:crs:EPSG::4326", SourceCrs::LonLat),
        ("EPSG:4326", SourceCrs::LonLat),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", SourceCrs::LonLat),
        ("EPSG:4258", SourceCrs::LonLat),
        ("urn:ogc:def:crs:EPSG::3035", SourceCrs::Laea),
    ] {
        let json = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{name}"}}}},"features":[{}]}}"#,
            square("PT11", 10.0, 50.0, 1.0)
        );
        assert_eq!(import_geojson(&json, &off()).unwrap().source_crs, crs, "{name}");
    }
    let json = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:3857"}}}},"features":[{}]}}"#,
        square("PT11", 10.0, 50.0, 1.0)
    );
    let err = import_geojson(&json, &off()).unwrap_err();
    assert_eq!(err, ImportError::UnsupportedCrs("EPSG:3857".into()));
}

#[test]
fn equal_earth_display_from_both_sources() {
    let options = ImportOptions { display_crs: DisplayCrs::EqualEarth, ..off() };
    let from_ll = import_geojson(&fixture("nuts_pt_4326.geojson"), &options).unwrap();
    assert_eq!(from_ll.boundaries.crs, DisplayCrs::EqualEarth);
    let (x, y) = maps::proj::equal_earth_forward(-8.8, 41.0);
    let p = from_ll.boundaries.region("PT11").unwrap().polygons[0].rings[0][0];
    assert_eq!(p, Point { x: x.round() as i32, y: y.round() as i32 });
    let from_laea = import_geojson(&fixture("nuts_pt_3035.geojson"), &options).unwrap();
    let c = from_laea.boundaries.region("PT11").unwrap().centroid;
    // Around 8°W 41.5°N in Equal Earth metres.
    assert!((-900_000..-600_000).contains(&c.x) && (4_900_000..5_300_000).contains(&c.y), "{c:?}");
}

#[test]
fn frame_drops_far_overseas_parts() {
    let json = collection(&[
        // A MultiPolygon with a European part and a Caribbean part.
        r#"{"type":"Feature","properties":{"NUTS_ID":"FR1"},"geometry":{"type":"MultiPolygon","coordinates":[
            [[[2,48],[3,48],[3,49],[2,49],[2,48]]],
            [[[-61.5,16],[-61,16],[-61,16.5],[-61.5,16.5],[-61.5,16]]]]}}"#
            .to_owned(),
        square("FRY1", -61.8, 16.0, 0.5),
        square("PT20", -28.0, 38.0, 0.5),
    ]
    .join(","));
    let options = ImportOptions { frame: Some(LonLatBox::EUROPE), ..off() };
    let imported = import_geojson(&json, &options).unwrap();
    assert_eq!(imported.outside_frame, ["FRY1", "PT20"]);
    let fr = imported.boundaries.region("FR1").unwrap();
    assert_eq!(fr.polygons.len(), 1, "the Caribbean part is dropped");
    // The same frame works on LAEA input.
    let laea = import_geojson(&fixture("nuts_pt_3035.geojson"), &options).unwrap();
    assert_eq!(laea.boundaries.regions.len(), 3);
    assert!(laea.outside_frame.is_empty());
}

#[test]
fn lenient_details() {
    // BOM, integer codes, missing name (code used), unclosed ring, extra z coordinate.
    let json = format!(
        "\u{feff}{}",
        collection(
            r#"{"type":"Feature","properties":{"NUTS_ID":620},"geometry":{"type":"Polygon","coordinates":[[[-8,40,5],[-7,40,5],[-7,41,5],[-8,41,5]]]}}"#
        )
    );
    let b = import_geojson(&json, &off()).unwrap().boundaries;
    let r = &b.regions[0];
    assert_eq!((r.code.as_str(), r.name.as_str(), r.level), ("620", "620", None));
    assert_eq!(r.polygons[0].rings[0].len(), 5, "closed");
}

#[test]
fn nuts_levels() {
    for (code, level) in [
        ("PT", Some(0)),
        ("EL", Some(0)),
        ("PT1", Some(1)),
        ("PT11", Some(2)),
        ("PT1A", Some(2)),
        ("PT11A", Some(3)),
        ("PTZZZ", Some(3)),
        ("pt11", None),
        ("PT11AB", None),
        ("P", None),
        ("1234", None),
        ("PT-1", None),
    ] {
        assert_eq!(nuts_level(code), level, "{code}");
    }
}

fn err(json: &str) -> ImportError {
    import_geojson(json, &off()).unwrap_err()
}

#[test]
fn errors_name_the_feature() {
    assert!(matches!(err("{"), ImportError::Json(_)));
    assert!(matches!(err("[]"), ImportError::NotFeatureCollection(_)));
    let e = err(r#"{"type":"Feature","geometry":null,"properties":{}}"#);
    assert_eq!(e.to_string(), "not a GeoJSON FeatureCollection: type is `Feature`");
    assert!(matches!(err(r#"{"type":"FeatureCollection"}"#), ImportError::NotFeatureCollection(_)));

    let ok = square("PT11", -8.0, 40.0, 1.0);
    let missing = r#"{"type":"Feature","properties":{"NAME_LATN":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"#;
    let e = err(&collection(&format!("{ok},{missing}")));
    assert_eq!(e, ImportError::MissingCode { index: 1, property: "NUTS_ID".into() });
    assert_eq!(e.to_string(), "feature 1: missing code property `NUTS_ID`");

    let text_coord = r#"{"type":"Feature","properties":{"NUTS_ID":"PT16"},"geometry":{"type":"Polygon","coordinates":[[[0,0],["1",0],[1,1],[0,0]]]}}"#;
    let e = err(&collection(&format!("{ok},{ok2},{text_coord}", ok2 = square("PT17", 0.0, 0.0, 1.0))));
    assert!(matches!(&e, ImportError::InvalidCoordinate { index: 2, .. }), "{e:?}");
    assert!(e.to_string().starts_with("feature 2: invalid coordinate: polygon ring 0 position 1"));

    let short = r#"{"type":"Feature","properties":{"NUTS_ID":"PT16"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}"#;
    let e = err(&collection(short));
    assert!(matches!(&e, ImportError::InvalidGeometry { index: 0, .. }), "{e:?}");
    assert!(e.to_string().contains("at least 4"));

    let nested = r#"{"type":"Feature","properties":{"NUTS_ID":"PT16"},"geometry":{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"#;
    assert!(matches!(err(&collection(nested)), ImportError::InvalidCoordinate { index: 0, .. }));

    let no_coords = r#"{"type":"Feature","properties":{"NUTS_ID":"PT16"},"geometry":{"type":"Polygon"}}"#;
    assert!(matches!(err(&collection(no_coords)), ImportError::InvalidGeometry { index: 0, .. }));

    let lon = square("PT16", 179.5, 10.0, 1.0);
    let json = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4326"}}}},"features":[{ok},{lon}]}}"#
    );
    let e = err(&json);
    assert!(matches!(&e, ImportError::InvalidCoordinate { index: 1, .. }), "{e:?}");

    let dup = err(&collection(&format!("{ok},{ok}")));
    assert_eq!(dup, ImportError::DuplicateCode { index: 1, code: "PT11".into(), first: 0 });

    let point =
        r#"{"type":"Feature","properties":{"NUTS_ID":"PT"},"geometry":{"type":"Point","coordinates":[0,0]}}"#;
    assert_eq!(err(&collection(point)), ImportError::NoPolygons { skipped: 1 });
    assert!(matches!(err(&collection("1")), ImportError::NotAFeature { index: 0 }));
}

#[test]
fn vertex_limit() {
    let features: Vec<String> =
        (0..4).map(|i| square(&format!("PT1{i}"), -8.0, 37.0 + f64::from(i), 0.5)).collect();
    let json = collection(&features.join(","));
    let options = ImportOptions { max_vertices: 12, ..off() };
    assert_eq!(
        import_geojson(&json, &options).unwrap_err(),
        ImportError::TooManyVertices { index: 2, limit: 12 }
    );
    let options = ImportOptions { max_vertices: 20, ..off() };
    assert_eq!(import_geojson(&json, &options).unwrap().boundaries.regions.len(), 4);
}

#[test]
fn import_is_deterministic() {
    let a = fixture_boundaries("nuts_pt_4326.geojson").to_bytes();
    let b = fixture_boundaries("nuts_pt_4326.geojson").to_bytes();
    assert_eq!(a, b);
}
