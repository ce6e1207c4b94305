//! Map projections: ETRS89-LAEA Europe (EPSG:3035, forward and inverse, GRS80 ellipsoid) and
//! Equal Earth (spherical form, for world maps).
//!
//! LAEA follows IOGP Guidance Note 7-2, method 9820 (Lambert Azimuthal Equal Area), with the
//! EPSG:3035 parameters: latitude of origin 52°N, longitude of origin 10°E, false easting
//! 4 321 000 m, false northing 3 210 000 m. Coordinates are (easting, northing), as GISCO writes
//! them in GeoJSON. Equal Earth follows Šavrič, Patterson and Jenny (2018) on a sphere of radius
//! 6 371 008.8 m (the mean Earth radius); it is the spherical form, not the ellipsoidal EPSG:8857.

use serde::{Deserialize, Serialize};

/// The planar coordinate system of stored boundaries; units are metres in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DisplayCrs {
    /// ETRS89-LAEA Europe, EPSG:3035: the default for European maps.
    Laea,
    /// Equal Earth on a sphere: world maps.
    EqualEarth,
}

impl DisplayCrs {
    /// The byte that stands for this CRS in [`crate::Boundaries::to_bytes`].
    pub(crate) fn tag(self) -> u8 {
        match self {
            DisplayCrs::Laea => 1,
            DisplayCrs::EqualEarth => 2,
        }
    }

    pub(crate) fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(DisplayCrs::Laea),
            2 => Some(DisplayCrs::EqualEarth),
            _ => None,
        }
    }

    /// Projects a longitude/latitude in degrees into this CRS.
    pub fn forward(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            DisplayCrs::Laea => laea_forward(lon, lat),
            DisplayCrs::EqualEarth => equal_earth_forward(lon, lat),
        }
    }
}

/// The coordinate system of imported GeoJSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SourceCrs {
    /// Longitude, latitude in degrees (EPSG:4326, ETRS89 EPSG:4258, OGC CRS84).
    LonLat,
    /// ETRS89-LAEA Europe (EPSG:3035), easting then northing in metres.
    Laea,
}

/// GRS80 semi-major axis in metres.
const A: f64 = 6_378_137.0;
/// GRS80 flattening.
const F: f64 = 1.0 / 298.257_222_101;
const LAT0: f64 = 52.0;
const LON0: f64 = 10.0;
/// False easting of EPSG:3035.
pub const LAEA_FALSE_EASTING: f64 = 4_321_000.0;
/// False northing of EPSG:3035.
pub const LAEA_FALSE_NORTHING: f64 = 3_210_000.0;

struct LaeaConsts {
    e: f64,
    e2: f64,
    qp: f64,
    rq: f64,
    d: f64,
    sin_b0: f64,
    cos_b0: f64,
}

fn q_of(sin_phi: f64, e: f64, e2: f64) -> f64 {
    let es = e * sin_phi;
    (1.0 - e2) * (sin_phi / (1.0 - es * es) - (1.0 / (2.0 * e)) * ((1.0 - es) / (1.0 + es)).ln())
}

static LAEA: std::sync::LazyLock<LaeaConsts> = std::sync::LazyLock::new(laea_consts);

fn laea_consts() -> LaeaConsts {
    let e2 = F * (2.0 - F);
    let e = e2.sqrt();
    let qp = q_of(1.0, e, e2);
    let phi0 = LAT0.to_radians();
    let q0 = q_of(phi0.sin(), e, e2);
    let b0 = (q0 / qp).clamp(-1.0, 1.0).asin();
    let rq = A * (qp / 2.0).sqrt();
    let d = A * (phi0.cos() / (1.0 - e2 * phi0.sin().powi(2)).sqrt()) / (rq * b0.cos());
    LaeaConsts { e, e2, qp, rq, d, sin_b0: b0.sin(), cos_b0: b0.cos() }
}

/// EPSG:3035 forward projection: longitude, latitude (degrees, ETRS89/WGS84) to easting,
/// northing (metres).
///
/// ```
/// let (x, y) = maps::proj::laea_forward(10.0, 52.0);
/// assert!((x - 4_321_000.0).abs() < 1e-6 && (y - 3_210_000.0).abs() < 1e-6);
/// ```
pub fn laea_forward(lon: f64, lat: f64) -> (f64, f64) {
    let c = &*LAEA;
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    let dlam = (lon - LON0).to_radians();
    let q = q_of(phi.sin(), c.e, c.e2);
    let beta = (q / c.qp).clamp(-1.0, 1.0).asin();
    let denom = 1.0 + c.sin_b0 * beta.sin() + c.cos_b0 * beta.cos() * dlam.cos();
    if denom <= 1e-15 {
        // The antipode of the origin has no single image; put it on the bounding circle.
        return (LAEA_FALSE_EASTING, LAEA_FALSE_NORTHING - 2.0 * c.rq / c.d);
    }
    let b = c.rq * (2.0 / denom).sqrt();
    let x = LAEA_FALSE_EASTING + b * c.d * beta.cos() * dlam.sin();
    let y = LAEA_FALSE_NORTHING + (b / c.d) * (c.cos_b0 * beta.sin() - c.sin_b0 * beta.cos() * dlam.cos());
    (x, y)
}

/// EPSG:3035 inverse projection: easting, northing (metres) to longitude, latitude (degrees).
///
/// Returns `None` for a point outside the projected globe.
pub fn laea_inverse(x: f64, y: f64) -> Option<(f64, f64)> {
    if !x.is_finite() || !y.is_finite() {
        return None;
    }
    let c = &*LAEA;
    let dx = x - LAEA_FALSE_EASTING;
    let dy = y - LAEA_FALSE_NORTHING;
    let rho = ((dx / c.d).powi(2) + (c.d * dy).powi(2)).sqrt();
    if rho < 1e-9 {
        return Some((LON0, LAT0));
    }
    let ratio = rho / (2.0 * c.rq);
    if ratio > 1.0 + 1e-12 {
        return None;
    }
    let cc = 2.0 * ratio.min(1.0).asin();
    let beta = (cc.cos() * c.sin_b0 + c.d * dy * cc.sin() * c.cos_b0 / rho).clamp(-1.0, 1.0).asin();
    let lam = (dx * cc.sin()).atan2(c.d * rho * c.cos_b0 * cc.cos() - c.d * c.d * dy * c.sin_b0 * cc.sin());
    let e2 = c.e2;
    let e4 = e2 * e2;
    let e6 = e4 * e2;
    let phi = beta
        + (e2 / 3.0 + 31.0 * e4 / 180.0 + 517.0 * e6 / 5040.0) * (2.0 * beta).sin()
        + (23.0 * e4 / 360.0 + 251.0 * e6 / 3780.0) * (4.0 * beta).sin()
        + (761.0 * e6 / 45360.0) * (6.0 * beta).sin();
    let mut lon = LON0 + lam.to_degrees();
    if lon > 180.0 {
        lon -= 360.0;
    } else if lon < -180.0 {
        lon += 360.0;
    }
    Some((lon, phi.to_degrees()))
}

/// Sphere radius of the Equal Earth projection (mean Earth radius, metres).
pub const EQUAL_EARTH_RADIUS: f64 = 6_371_008.8;

const EE_A1: f64 = 1.340_264;
const EE_A2: f64 = -0.081_106;
const EE_A3: f64 = 0.000_893;
const EE_A4: f64 = 0.003_796;

/// Equal Earth forward projection (spherical): longitude, latitude (degrees) to x, y (metres),
/// centred on the Greenwich meridian.
pub fn equal_earth_forward(lon: f64, lat: f64) -> (f64, f64) {
    let lam = lon.clamp(-180.0, 180.0).to_radians();
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    let m = 3f64.sqrt() / 2.0;
    let theta = (m * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = EQUAL_EARTH_RADIUS * lam * theta.cos()
        / (m * (EE_A1 + 3.0 * EE_A2 * t2 + t6 * (7.0 * EE_A3 + 9.0 * EE_A4 * t2)));
    let y = EQUAL_EARTH_RADIUS * theta * (EE_A1 + EE_A2 * t2 + t6 * (EE_A3 + EE_A4 * t2));
    (x, y)
}
