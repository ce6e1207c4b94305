//! The boundary model: [`Boundaries`] of [`Region`]s made of [`Polygon`]s with integer (metre)
//! coordinates in one planar [`DisplayCrs`], plus the planar geometry helpers (area, centroid,
//! label point, bounding box) used by the importer and the renderers.

use serde::{Deserialize, Serialize};

use crate::proj::DisplayCrs;

/// A point in the display CRS, in whole metres (x east, y north).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Point {
    /// Easting in metres.
    pub x: i32,
    /// Northing in metres.
    pub y: i32,
}

/// A polygon: the outer ring first, then holes. Every ring is closed (first point = last point)
/// and has at least 4 points; fill with the even-odd rule (ring orientation is not normalised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Polygon {
    /// Outer ring, then holes.
    pub rings: Vec<Vec<Point>>,
}

/// One region (a NUTS region, a country, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// The region code (`PT11`, `EL`, ...), unique within its [`Boundaries`].
    pub code: String,
    /// Display name (Latin script).
    pub name: String,
    /// NUTS level derived from the code length (see [`nuts_level`]); `None` for other codes.
    pub level: Option<u8>,
    /// Anchor for labels and flow lines: the area-weighted centroid of the largest polygon, or,
    /// when that falls outside the polygon, the middle of its widest horizontal chord.
    pub centroid: Point,
    /// The polygons (parts) of the region.
    pub polygons: Vec<Polygon>,
}

/// A set of regions in one display CRS, sorted by code with unique codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boundaries {
    /// The planar CRS of every coordinate.
    pub crs: DisplayCrs,
    /// Regions sorted by code.
    pub regions: Vec<Region>,
}

/// An axis-aligned bounding box in display units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    /// Smallest x.
    pub min_x: f64,
    /// Smallest y.
    pub min_y: f64,
    /// Largest x.
    pub max_x: f64,
    /// Largest y.
    pub max_y: f64,
}

impl Bbox {
    /// An empty box that any [`Bbox::add`] replaces.
    pub fn empty() -> Self {
        Bbox {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }

    /// True when no point was added.
    pub fn is_empty(&self) -> bool {
        self.min_x > self.max_x || self.min_y > self.max_y
    }

    /// Grows the box to contain (x, y).
    pub fn add(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    /// Grows the box to contain `other`.
    pub fn union(&mut self, other: &Bbox) {
        if !other.is_empty() {
            self.add(other.min_x, other.min_y);
            self.add(other.max_x, other.max_y);
        }
    }

    /// Width (0 for an empty box).
    pub fn width(&self) -> f64 {
        if self.is_empty() { 0.0 } else { self.max_x - self.min_x }
    }

    /// Height (0 for an empty box).
    pub fn height(&self) -> f64 {
        if self.is_empty() { 0.0 } else { self.max_y - self.min_y }
    }

    /// True when the boxes overlap or touch.
    pub fn intersects(&self, other: &Bbox) -> bool {
        !self.is_empty()
            && !other.is_empty()
            && self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }
}

/// The NUTS level of a code: 2 capital letters and 0 to 3 digits or capital letters give
/// `Some(length − 2)` (`PT` → 0, `PT1` → 1, `PT11` → 2, `PT11A` → 3); anything else `None`.
pub fn nuts_level(code: &str) -> Option<u8> {
    let b = code.as_bytes();
    if !(2..=5).contains(&b.len()) || !b[..2].iter().all(u8::is_ascii_uppercase) {
        return None;
    }
    if !b[2..].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()) {
        return None;
    }
    u8::try_from(b.len() - 2).ok()
}

impl Region {
    /// Bounding box of all polygons.
    pub fn bbox(&self) -> Bbox {
        let mut b = Bbox::empty();
        for p in &self.polygons {
            for r in &p.rings {
                for pt in r {
                    b.add(f64::from(pt.x), f64::from(pt.y));
                }
            }
        }
        b
    }

    /// Number of stored points.
    pub fn vertex_count(&self) -> usize {
        self.polygons.iter().flat_map(|p| &p.rings).map(Vec::len).sum()
    }
}

impl Boundaries {
    /// The region with `code`, if any.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.binary_search_by(|r| r.code.as_str().cmp(code)).ok().and_then(|i| self.regions.get(i))
    }

    /// The regions for which `keep` is true, in the same CRS.
    pub fn filter(&self, keep: impl Fn(&Region) -> bool) -> Boundaries {
        Boundaries { crs: self.crs, regions: self.regions.iter().filter(|r| keep(r)).cloned().collect() }
    }

    /// The regions of one NUTS level (GISCO files hold all levels in one file).
    pub fn at_level(&self, level: u8) -> Boundaries {
        self.filter(|r| r.level == Some(level))
    }

    /// Bounding box of all regions.
    pub fn bbox(&self) -> Bbox {
        let mut b = Bbox::empty();
        for r in &self.regions {
            b.union(&r.bbox());
        }
        b
    }

    /// Number of stored points.
    pub fn vertex_count(&self) -> usize {
        self.regions.iter().map(Region::vertex_count).sum()
    }
}

/// A ring in floating-point display coordinates, closed (first = last).
pub(crate) type FRing = Vec<[f64; 2]>;

/// Signed shoelace area of a closed ring (positive when counter-clockwise, y up).
pub(crate) fn ring_area(r: &[[f64; 2]]) -> f64 {
    let mut s = 0.0;
    for w in r.windows(2) {
        s += w[0][0] * w[1][1] - w[1][0] * w[0][1];
    }
    s / 2.0
}

/// Area of a polygon (outer minus holes), always ≥ 0.
pub(crate) fn polygon_area(rings: &[FRing]) -> f64 {
    let mut it = rings.iter();
    let outer = it.next().map_or(0.0, |r| ring_area(r).abs());
    let holes: f64 = it.map(|r| ring_area(r).abs()).sum();
    (outer - holes).max(0.0)
}

/// Even-odd point-in-polygon test over all rings.
pub(crate) fn point_in_polygon(p: [f64; 2], rings: &[FRing]) -> bool {
    let mut inside = false;
    for r in rings {
        for w in r.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a[1] > p[1]) != (b[1] > p[1]) {
                let x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                if p[0] < x {
                    inside = !inside;
                }
            }
        }
    }
    inside
}

/// Area-weighted centroid of a polygon (holes subtract); `None` for a zero-area polygon.
fn polygon_centroid(rings: &[FRing]) -> Option<[f64; 2]> {
    let (mut sx, mut sy, mut sa) = (0.0, 0.0, 0.0);
    for (i, r) in rings.iter().enumerate() {
        let a = ring_area(r);
        if a == 0.0 {
            continue;
        }
        // Outer ring counts positive, holes negative, whatever their orientation.
        let sign = if (i == 0) == (a > 0.0) { 1.0 } else { -1.0 };
        // Shift to the first vertex for precision with large coordinates.
        let o = r[0];
        let (mut cx, mut cy) = (0.0, 0.0);
        for w in r.windows(2) {
            let (x0, y0) = (w[0][0] - o[0], w[0][1] - o[1]);
            let (x1, y1) = (w[1][0] - o[0], w[1][1] - o[1]);
            let c = x0 * y1 - x1 * y0;
            cx += (x0 + x1) * c;
            cy += (y0 + y1) * c;
        }
        let cx = cx / (6.0 * a) + o[0];
        let cy = cy / (6.0 * a) + o[1];
        let w = sign * a.abs();
        sx += cx * w;
        sy += cy * w;
        sa += w;
    }
    if sa.abs() < f64::MIN_POSITIVE || !sx.is_finite() || !sy.is_finite() {
        None
    } else {
        Some([sx / sa, sy / sa])
    }
}

/// The middle of the widest inside interval of the horizontal line at `y`.
fn widest_chord(y: f64, rings: &[FRing]) -> Option<[f64; 2]> {
    let mut xs: Vec<f64> = Vec::new();
    for r in rings {
        for w in r.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a[1] > y) != (b[1] > y) {
                xs.push(a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1]));
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    let mut best: Option<(f64, f64)> = None;
    for pair in xs.chunks_exact(2) {
        let len = pair[1] - pair[0];
        if best.is_none_or(|(l, _)| len > l) {
            best = Some((len, (pair[0] + pair[1]) / 2.0));
        }
    }
    best.map(|(_, x)| [x, y])
}

/// Label point of a region: see [`Region::centroid`]. `polygons` must not be empty.
pub(crate) fn label_point(polygons: &[Vec<FRing>]) -> [f64; 2] {
    let mut best: Option<(f64, &Vec<FRing>)> = None;
    for p in polygons {
        let a = polygon_area(p);
        if best.is_none_or(|(ba, _)| a > ba) {
            best = Some((a, p));
        }
    }
    let Some((_, poly)) = best else {
        return [0.0, 0.0];
    };
    let first = poly.first().and_then(|r| r.first()).copied().unwrap_or([0.0, 0.0]);
    let c = polygon_centroid(poly).unwrap_or(first);
    if point_in_polygon(c, poly) {
        return c;
    }
    let mut bb = Bbox::empty();
    for pt in poly.first().into_iter().flatten() {
        bb.add(pt[0], pt[1]);
    }
    widest_chord(c[1], poly).or_else(|| widest_chord((bb.min_y + bb.max_y) / 2.0, poly)).unwrap_or(first)
}

/// Converts integer rings to floating point.
pub(crate) fn to_f(poly: &Polygon) -> Vec<FRing> {
    poly.rings.iter().map(|r| r.iter().map(|p| [f64::from(p.x), f64::from(p.y)]).collect()).collect()
}
