//! Projection formulas against known points and properties.

use maps::proj::{EQUAL_EARTH_RADIUS, equal_earth_forward, laea_forward, laea_inverse};

#[test]
fn laea_origin_is_the_false_origin() {
    let (x, y) = laea_forward(10.0, 52.0);
    assert!((x - 4_321_000.0).abs() < 1e-6 && (y - 3_210_000.0).abs() < 1e-6, "{x} {y}");
}

#[test]
fn laea_iogp_example() {
    // IOGP Guidance Note 7-2, Lambert Azimuthal Equal Area (EPSG:3035) worked example.
    let (x, y) = laea_forward(5.0, 50.0);
    assert!((x - 3_962_799.45).abs() < 0.01, "{x}");
    assert!((y - 2_999_718.85).abs() < 0.01, "{y}");
}

#[test]
fn laea_axes() {
    // East of the centre meridian: larger easting; north: larger northing.
    let (x_e, _) = laea_forward(20.0, 52.0);
    let (_, y_n) = laea_forward(10.0, 60.0);
    assert!(x_e > 4_321_000.0 && y_n > 3_210_000.0);
    // Lisbon is about 2.6–2.7 Mm east, 1.8–1.9 Mm north.
    let (x, y) = laea_forward(-9.14, 38.72);
    assert!((2_600_000.0..2_700_000.0).contains(&x) && (1_800_000.0..1_950_000.0).contains(&y), "{x} {y}");
}

#[test]
fn laea_inverse_round_trips() {
    for (lon, lat) in
        [(-9.14, 38.72), (24.94, 60.17), (33.0, 35.0), (-21.9, 64.1), (10.0, 52.0), (-61.0, 16.0)]
    {
        let (x, y) = laea_forward(lon, lat);
        let (lon2, lat2) = laea_inverse(x, y).unwrap();
        assert!((lon - lon2).abs() < 1e-7 && (lat - lat2).abs() < 1e-7, "{lon} {lat} -> {lon2} {lat2}");
    }
    assert!(laea_inverse(1e9, 1e9).is_none());
    assert!(laea_inverse(f64::NAN, 0.0).is_none());
}

#[test]
fn equal_earth_known_values() {
    assert_eq!(equal_earth_forward(0.0, 0.0), (0.0, 0.0));
    let (x, _) = equal_earth_forward(180.0, 0.0);
    let expected = EQUAL_EARTH_RADIUS * std::f64::consts::PI / (3f64.sqrt() / 2.0 * 1.340_264);
    assert!((x - expected).abs() < 1e-6 && (x - 17_243_959.0).abs() < 1_000.0, "{x}");
    let (a, b) = equal_earth_forward(-30.0, -45.0);
    let (c, d) = equal_earth_forward(30.0, 45.0);
    assert!((a + c).abs() < 1e-6 && (b + d).abs() < 1e-6);
}

fn cell_area(lon: f64, lat: f64) -> f64 {
    let pts = [(lon, lat), (lon + 1.0, lat), (lon + 1.0, lat + 1.0), (lon, lat + 1.0)];
    let p: Vec<(f64, f64)> = pts.iter().map(|&(a, b)| equal_earth_forward(a, b)).collect();
    let mut s = 0.0;
    for i in 0..4 {
        let (x0, y0) = p[i];
        let (x1, y1) = p[(i + 1) % 4];
        s += x0 * y1 - x1 * y0;
    }
    s.abs() / 2.0
}

#[test]
fn equal_earth_is_equal_area() {
    let r = EQUAL_EARTH_RADIUS;
    for lat in [0.0f64, 30.0, 60.0, 80.0] {
        let sphere = r * r * 1f64.to_radians() * ((lat + 1.0).to_radians().sin() - lat.to_radians().sin());
        let planar = cell_area(40.0, lat);
        assert!((planar / sphere - 1.0).abs() < 0.005, "lat {lat}: {planar} vs {sphere}");
    }
}
