//! The embedded world outlines and the Europe frame.

use maps::proj::laea_inverse;
use maps::{DisplayCrs, LonLatBox, europe, eurostat_from_iso, iso_from_eurostat, world};

#[test]
fn embedded_file_is_small() {
    let len =
        std::fs::metadata(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/geo/world.txt")).unwrap().len();
    assert!(len < 200_000, "{len}");
}

#[test]
fn world_has_the_countries_under_eurostat_codes() {
    let w = world();
    assert_eq!(w.crs, DisplayCrs::EqualEarth);
    assert!(w.regions.len() > 200, "{}", w.regions.len());
    for code in [
        "PT", "ES", "FR", "DE", "EL", "UK", "IT", "RO", "BG", "XK", "CY", "SO", "MT", "LU", "LI", "CV", "ST",
        "BR", "NG", "US", "AU", "CN", "AQ",
    ] {
        let r = w.region(code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(!r.polygons.is_empty(), "{code}");
        assert_eq!(r.level, Some(0));
    }
    for iso_only in ["GR", "GB"] {
        assert!(w.region(iso_only).is_none(), "{iso_only}");
    }
    assert_eq!(w.region("PT").unwrap().name, "Portugal");
    // No ring jumps across the map (the antimeridian is cut): every ring except Antarctica's is
    // narrower than half the world.
    let (full, _) = maps::proj::equal_earth_forward(180.0, 0.0);
    for r in w.regions.iter().filter(|r| r.code != "AQ") {
        for ring in r.polygons.iter().flat_map(|p| &p.rings) {
            let (lo, hi) = ring.iter().fold((i32::MAX, i32::MIN), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
            assert!(f64::from(hi - lo) < full, "{}: {lo}..{hi}", r.code);
        }
    }
}

#[test]
fn code_mapping() {
    assert_eq!(eurostat_from_iso("GR"), "EL");
    assert_eq!(eurostat_from_iso("GB"), "UK");
    assert_eq!(eurostat_from_iso("PT"), "PT");
    assert_eq!(iso_from_eurostat("EL"), "GR");
    assert_eq!(iso_from_eurostat("UK"), "GB");
    assert_eq!(iso_from_eurostat("XK"), "XK");
}

#[test]
fn europe_is_framed() {
    let e = europe();
    assert_eq!(e.crs, DisplayCrs::Laea);
    for code in
        ["PT", "ES", "FR", "DE", "EL", "IT", "PL", "IS", "CY", "MT", "LU", "NO", "UK", "UA", "TR", "XK"]
    {
        assert!(e.region(code).is_some(), "{code} missing");
    }
    for code in ["AU", "US", "BR", "CV", "CN", "ZA"] {
        assert!(e.region(code).is_none(), "{code} present");
    }
    let frame = LonLatBox::EUROPE;
    for r in &e.regions {
        for p in r.polygons.iter().flat_map(|p| &p.rings).flatten() {
            let (lon, lat) = laea_inverse(f64::from(p.x), f64::from(p.y)).unwrap();
            assert!(
                lon > frame.west - 0.01
                    && lon < frame.east + 0.01
                    && lat > frame.south - 0.01
                    && lat < frame.north + 0.01,
                "{} point {lon} {lat} outside the frame",
                r.code
            );
        }
    }
    // Label points land in the right place.
    for (code, lon, lat) in [
        ("PT", (-9.6, -6.1), (36.9, 42.2)),
        ("DE", (5.8, 15.1), (47.2, 55.1)),
        ("FR", (-4.8, 8.3), (42.3, 51.1)),
    ] {
        let c = e.region(code).unwrap().centroid;
        let (x, y) = laea_inverse(f64::from(c.x), f64::from(c.y)).unwrap();
        assert!(x > lon.0 && x < lon.1 && y > lat.0 && y < lat.1, "{code}: {x} {y}");
    }
}
