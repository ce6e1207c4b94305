//! From projected floating-point features to [`Boundaries`]: simplification, rounding to whole
//! metres, removal of collapsed rings, and centroids. Shared by the GeoJSON importer and the
//! embedded world outlines.

use crate::geom::{Boundaries, FRing, Point, Polygon, Region, label_point, nuts_level, to_f};
use crate::proj::DisplayCrs;
use crate::simplify::simplify;

/// A feature whose polygons are already in display coordinates (closed rings).
pub(crate) struct RawFeature {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) polygons: Vec<Vec<FRing>>,
}

/// The result of [`build`].
pub(crate) struct Built {
    pub(crate) boundaries: Boundaries,
    /// Codes of regions whose every polygon collapsed when rounded (smaller than a metre).
    pub(crate) collapsed: Vec<String>,
}

/// Twice the signed area of an integer ring (exact).
fn ring_area2(r: &[Point]) -> i128 {
    r.windows(2)
        .map(|w| i128::from(w[0].x) * i128::from(w[1].y) - i128::from(w[1].x) * i128::from(w[0].y))
        .sum()
}

/// Rounds a ring to whole metres; `None` when it collapses (fewer than 3 distinct points or zero
/// area).
fn quantise_ring(r: &FRing) -> Option<Vec<Point>> {
    let mut out: Vec<Point> = Vec::with_capacity(r.len());
    for p in r {
        let q = Point { x: p[0].round() as i32, y: p[1].round() as i32 };
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    out.push(out[0]);
    (ring_area2(&out) != 0).then_some(out)
}

fn quantise_polygon(rings: &[FRing]) -> Option<Polygon> {
    let outer = quantise_ring(rings.first()?)?;
    let mut out = vec![outer];
    out.extend(rings.iter().skip(1).filter_map(quantise_ring));
    Some(Polygon { rings: out })
}

/// Builds boundaries; `tol` is the Douglas–Peucker tolerance in display units (0 = none).
pub(crate) fn build(crs: DisplayCrs, features: Vec<RawFeature>, tol: f64) -> Built {
    let simplified = if tol > 0.0 {
        let polys: Vec<Vec<Vec<FRing>>> = features.iter().map(|f| f.polygons.clone()).collect();
        Some(simplify(&polys, tol))
    } else {
        None
    };
    let mut regions = Vec::with_capacity(features.len());
    let mut collapsed = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        let source = simplified.as_ref().and_then(|s| s.get(i)).unwrap_or(&f.polygons);
        let mut polygons: Vec<Polygon> = source.iter().filter_map(|p| quantise_polygon(p)).collect();
        if polygons.is_empty() {
            // Too small for the tolerance: keep the largest part unsimplified rather than lose
            // the region.
            let largest = f
                .polygons
                .iter()
                .max_by(|a, b| crate::geom::polygon_area(a).total_cmp(&crate::geom::polygon_area(b)));
            polygons.extend(largest.and_then(|p| quantise_polygon(p)));
        }
        if polygons.is_empty() {
            collapsed.push(f.code);
            continue;
        }
        let fpolys: Vec<Vec<FRing>> = polygons.iter().map(to_f).collect();
        let c = label_point(&fpolys);
        let level = nuts_level(&f.code);
        regions.push(Region {
            code: f.code,
            name: f.name,
            level,
            centroid: Point { x: c[0].round() as i32, y: c[1].round() as i32 },
            polygons,
        });
    }
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    Built { boundaries: Boundaries { crs, regions }, collapsed }
}
