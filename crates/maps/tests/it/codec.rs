//! The binary storage format: round trips and hostile input.

use maps::{Boundaries, DisplayCrs, Point, Polygon, Region, world};

use crate::fixture_boundaries;

fn square_region(code: &str) -> Region {
    let ring =
        vec![Point { x: 0, y: 0 }, Point { x: 10, y: 0 }, Point { x: 10, y: 10 }, Point { x: 0, y: 0 }];
    Region {
        code: code.to_owned(),
        name: format!("Região {code}"),
        level: maps::nuts_level(code),
        centroid: Point { x: 7, y: 3 },
        polygons: vec![Polygon { rings: vec![ring] }],
    }
}

#[test]
fn round_trip_fixture_and_world() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let bytes = b.to_bytes();
    assert!(bytes.starts_with(b"MOSYMAP\0\x01\x01"));
    assert_eq!(Boundaries::from_bytes(&bytes).unwrap(), b);

    let w = world();
    let bytes = w.to_bytes();
    assert_eq!(Boundaries::from_bytes(&bytes).unwrap(), w);
    assert!(bytes.len() < 250_000, "{}", bytes.len());
}

#[test]
fn lookups_and_filters() {
    let b = fixture_boundaries("nuts_pt_3035.geojson");
    assert!(b.region("PT16").is_some());
    assert!(b.region("PT18").is_none());
    assert_eq!(b.at_level(2).regions.len(), 3);
    assert!(b.at_level(3).regions.is_empty());
    let only = b.filter(|r| r.code != "PT17");
    assert_eq!(only.regions.len(), 2);
    assert_eq!(b.vertex_count(), 6 + 6 + 5 + 4 + 5);
}

#[test]
fn every_truncation_and_byte_flip_is_an_error_or_valid() {
    let b = Boundaries { crs: DisplayCrs::Laea, regions: vec![square_region("PT11"), square_region("PT16")] };
    let bytes = b.to_bytes();
    for n in 0..bytes.len() {
        assert!(Boundaries::from_bytes(&bytes[..n]).is_err(), "prefix of {n} bytes");
    }
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] ^= flip;
            // Must not panic; what decodes is valid and survives a round trip.
            if let Ok(d) = Boundaries::from_bytes(&bad) {
                assert_eq!(Boundaries::from_bytes(&d.to_bytes()).unwrap(), d);
            }
        }
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(Boundaries::from_bytes(&trailing).unwrap_err().problem, "trailing bytes");
}

#[test]
fn structural_errors() {
    let e = Boundaries::from_bytes(b"GIF89a").unwrap_err();
    assert_eq!(e.to_string(), "boundaries bytes, offset 0: not mosy boundaries (bad magic)");
    let mut v = b"MOSYMAP\0".to_vec();
    v.extend([2, 1, 0]);
    assert_eq!(Boundaries::from_bytes(&v).unwrap_err().problem, "unsupported format version");

    let unsorted =
        Boundaries { crs: DisplayCrs::Laea, regions: vec![square_region("PT16"), square_region("PT11")] };
    assert_eq!(
        Boundaries::from_bytes(&unsorted.to_bytes()).unwrap_err().problem,
        "region codes not sorted and unique"
    );

    let mut open = square_region("PT11");
    open.polygons[0].rings[0][3] = Point { x: 1, y: 1 };
    let b = Boundaries { crs: DisplayCrs::EqualEarth, regions: vec![open] };
    assert_eq!(Boundaries::from_bytes(&b.to_bytes()).unwrap_err().problem, "ring not closed");

    // A huge count with few bytes left is refused before allocating.
    let mut v = b"MOSYMAP\0\x01\x01".to_vec();
    v.extend([0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert_eq!(Boundaries::from_bytes(&v).unwrap_err().problem, "count larger than the remaining bytes");
}
