//! Spatial weights from region boundaries: which regions are neighbours.
//!
//! Regions are given as polygon rings of planar `(x, y)` points ([`RegionShape`]; use metres,
//! e.g. the LAEA coordinates of `maps::Boundaries`, so that the tolerance is a distance).
//! Two contiguity rules are offered ([`Contiguity`]):
//!
//! - **Queen**: the boundaries come within `tolerance` of each other at one point at least (a
//!   shared vertex, or a vertex lying on the other's edge, or crossing edges).
//! - **Rook**: the boundaries share a stretch of edge longer than `tolerance` (two segments
//!   lying within `tolerance` of one line and overlapping along it).
//!
//! The search is not a comparison of every pair of polygons: every boundary segment is put in
//! the cells of a uniform grid that it passes within `tolerance` of (cell side: the mean
//! segment length, at least four times the tolerance), and only segments of different regions
//! that share a cell are compared. The result is symmetric, sorted, and the same for the same
//! input. Regions without any neighbour are *islands* ([`Weights::islands`]); the local
//! statistics leave them out.

use crate::{Error, Result};

/// One region's boundary: its code and every ring of every polygon (outer rings and holes;
/// closed or not).
#[derive(Debug, Clone, PartialEq)]
pub struct RegionShape {
    /// The region code (unique within one call).
    pub code: String,
    /// Rings of planar points.
    pub rings: Vec<Vec<(f64, f64)>>,
}

impl RegionShape {
    /// The rings of a region of `maps::Boundaries` (whole metres in the display CRS).
    pub fn from_region(region: &maps::Region) -> Self {
        let rings = region
            .polygons
            .iter()
            .flat_map(|p| p.rings.iter())
            .map(|r| r.iter().map(|p| (f64::from(p.x), f64::from(p.y))).collect())
            .collect();
        RegionShape { code: region.code.clone(), rings }
    }
}

/// Every region of `boundaries` as a [`RegionShape`], in the order of `boundaries` (by code).
pub fn shapes_from_boundaries(boundaries: &maps::Boundaries) -> Vec<RegionShape> {
    boundaries.regions.iter().map(RegionShape::from_region).collect()
}

/// Which contact makes two regions neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contiguity {
    /// At least one boundary point in common (within the tolerance).
    Queen,
    /// A boundary stretch in common, longer than the tolerance.
    Rook,
}

/// How neighbour weights are scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Every neighbour weighs 1.
    Binary,
    /// Every neighbour of region `i` weighs `1 / k_i` (`k_i` neighbours), so each row sums to 1.
    RowStandardised,
}

/// Symmetric neighbour lists over a set of region codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    codes: Vec<String>,
    neighbours: Vec<Vec<usize>>,
    /// (code, index) sorted by code, for look-ups.
    by_code: Vec<(String, usize)>,
}

impl Weights {
    /// Neighbours from explicit pairs of region indices into `codes` (each pair once or twice,
    /// in either order).
    ///
    /// # Errors
    /// [`Error::DuplicateCode`], or [`Error::InvalidInput`] for an index out of range or a
    /// region paired with itself.
    pub fn from_pairs(codes: Vec<String>, pairs: &[(usize, usize)]) -> Result<Self> {
        let n = codes.len();
        let mut neighbours = vec![Vec::new(); n];
        for &(a, b) in pairs {
            if a >= n || b >= n {
                return Err(Error::InvalidInput("a neighbour pair refers to a region out of range"));
            }
            if a == b {
                return Err(Error::InvalidInput("a region cannot be its own neighbour"));
            }
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
        for list in &mut neighbours {
            list.sort_unstable();
            list.dedup();
        }
        let mut by_code: Vec<(String, usize)> = codes.iter().cloned().zip(0..).collect();
        by_code.sort();
        if let Some(w) = by_code.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::DuplicateCode(w[0].0.clone()));
        }
        Ok(Weights { codes, neighbours, by_code })
    }

    /// Contiguity weights from region boundaries (see the module documentation).
    ///
    /// # Errors
    /// [`Error::DuplicateCode`]; [`Error::InvalidInput`] for a negative or non-finite tolerance
    /// or a non-finite coordinate.
    pub fn from_shapes(shapes: &[RegionShape], contiguity: Contiguity, tolerance: f64) -> Result<Self> {
        if !(tolerance.is_finite() && tolerance >= 0.0) {
            return Err(Error::InvalidInput("the tolerance must be a finite distance ≥ 0"));
        }
        let codes: Vec<String> = shapes.iter().map(|s| s.code.clone()).collect();
        let segments = collect_segments(shapes)?;
        let pairs = contacts(&segments, contiguity, tolerance);
        Weights::from_pairs(codes, &pairs)
    }

    /// Region codes, in the order of the input.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// Number of regions.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// True when there is no region.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Index of a region code.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.binary_search_by(|(c, _)| c.as_str().cmp(code)).ok().map(|k| self.by_code[k].1)
    }

    /// Neighbours of region `i` (sorted indices).
    pub fn neighbours(&self, i: usize) -> &[usize] {
        &self.neighbours[i]
    }

    /// Neighbour codes of region `i` (sorted by index).
    pub fn neighbour_codes(&self, i: usize) -> Vec<&str> {
        self.neighbours[i].iter().map(|&j| self.codes[j].as_str()).collect()
    }

    /// The weight of `j` in the row of `i` under a scheme (0 when not neighbours).
    pub fn weight(&self, i: usize, j: usize, scheme: Scheme) -> f64 {
        if self.neighbours[i].binary_search(&j).is_err() {
            return 0.0;
        }
        match scheme {
            Scheme::Binary => 1.0,
            Scheme::RowStandardised => 1.0 / self.neighbours[i].len() as f64,
        }
    }

    /// Indices of the regions without any neighbour.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.neighbours[i].is_empty()).collect()
    }

    /// Codes of the regions without any neighbour.
    pub fn island_codes(&self) -> Vec<&str> {
        self.islands().into_iter().map(|i| self.codes[i].as_str()).collect()
    }

    /// Number of neighbour pairs (each pair once).
    pub fn pair_count(&self) -> usize {
        self.neighbours.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// Mean number of neighbours per region.
    pub fn mean_neighbours(&self) -> f64 {
        if self.is_empty() { 0.0 } else { 2.0 * self.pair_count() as f64 / self.len() as f64 }
    }
}

/// A boundary segment of one region.
#[derive(Debug, Clone, Copy)]
struct Segment {
    region: u32,
    a: (f64, f64),
    b: (f64, f64),
}

fn collect_segments(shapes: &[RegionShape]) -> Result<Vec<Segment>> {
    let mut out = Vec::new();
    for (r, shape) in shapes.iter().enumerate() {
        let region = u32::try_from(r).map_err(|_| Error::InvalidInput("too many regions"))?;
        for ring in &shape.rings {
            if ring.iter().any(|&(x, y)| !(x.is_finite() && y.is_finite())) {
                return Err(Error::InvalidInput("a boundary coordinate is not a finite number"));
            }
            let start = out.len();
            for w in ring.windows(2) {
                if w[0] != w[1] {
                    out.push(Segment { region, a: w[0], b: w[1] });
                }
            }
            if let (Some(&first), Some(&last)) = (ring.first(), ring.last()) {
                if first != last && ring.len() > 2 {
                    out.push(Segment { region, a: last, b: first });
                }
                if out.len() == start {
                    // A ring of one repeated point: keep it as a point.
                    out.push(Segment { region, a: first, b: first });
                }
            }
        }
    }
    Ok(out)
}

/// Region pairs `(i, j)`, `i < j`, in contact under the rule (sorted, unique).
fn contacts(segments: &[Segment], contiguity: Contiguity, tol: f64) -> Vec<(usize, usize)> {
    if segments.is_empty() {
        return Vec::new();
    }
    let mean_len = segments.iter().map(|s| dist(s.a, s.b)).sum::<f64>() / segments.len() as f64;
    let cell = mean_len.max(4.0 * tol).max(1e-9);
    let (mut min_x, mut min_y) = (f64::INFINITY, f64::INFINITY);
    for s in segments {
        min_x = min_x.min(s.a.0).min(s.b.0);
        min_y = min_y.min(s.a.1).min(s.b.1);
    }
    let key = |v: f64, min: f64| ((v - min) / cell).floor() as i64;
    let half_diag = cell * std::f64::consts::FRAC_1_SQRT_2;
    // (cell x, cell y, segment) for every cell a segment passes within `tol` of.
    let mut entries: Vec<(i64, i64, u32)> = Vec::with_capacity(segments.len() * 3);
    for (k, s) in segments.iter().enumerate() {
        let x0 = key(s.a.0.min(s.b.0) - tol, min_x);
        let x1 = key(s.a.0.max(s.b.0) + tol, min_x);
        let y0 = key(s.a.1.min(s.b.1) - tol, min_y);
        let y1 = key(s.a.1.max(s.b.1) + tol, min_y);
        let single = x0 == x1 && y0 == y1;
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                if !single {
                    // Skip cells of the bounding box that the segment does not come near.
                    let centre = (min_x + (cx as f64 + 0.5) * cell, min_y + (cy as f64 + 0.5) * cell);
                    if point_segment_dist(centre, s.a, s.b) > half_diag + tol {
                        continue;
                    }
                }
                entries.push((cx, cy, k as u32));
            }
        }
    }
    entries.sort_unstable();
    let mut pairs = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let mut end = start + 1;
        while end < entries.len() && entries[end].0 == entries[start].0 && entries[end].1 == entries[start].1
        {
            end += 1;
        }
        let run = &entries[start..end];
        for (p, &(_, _, i)) in run.iter().enumerate() {
            let si = &segments[i as usize];
            for &(_, _, j) in &run[p + 1..] {
                let sj = &segments[j as usize];
                if si.region == sj.region {
                    continue;
                }
                let touch = match contiguity {
                    Contiguity::Queen => segment_dist(si, sj) <= tol,
                    Contiguity::Rook => shared_length(si, sj, tol) > tol,
                };
                if touch {
                    let (a, b) = (si.region.min(sj.region) as usize, si.region.max(sj.region) as usize);
                    pairs.push((a, b));
                }
            }
        }
        start = end;
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

fn point_segment_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return dist(p, a);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    dist(p, (a.0 + t * dx, a.1 + t * dy))
}

fn cross(o: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

/// Distance between two segments (0 when they cross).
fn segment_dist(s: &Segment, t: &Segment) -> f64 {
    let d1 = cross(s.a, s.b, t.a);
    let d2 = cross(s.a, s.b, t.b);
    let d3 = cross(t.a, t.b, s.a);
    let d4 = cross(t.a, t.b, s.b);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return 0.0;
    }
    point_segment_dist(s.a, t.a, t.b)
        .min(point_segment_dist(s.b, t.a, t.b))
        .min(point_segment_dist(t.a, s.a, s.b))
        .min(point_segment_dist(t.b, s.a, s.b))
}

/// Length along which the two segments run within `tol` of each other's line and overlap.
fn shared_length(s: &Segment, t: &Segment, tol: f64) -> f64 {
    fn along(s: &Segment, t: &Segment, tol: f64) -> f64 {
        let len = dist(s.a, s.b);
        if len == 0.0 {
            return 0.0;
        }
        let u = ((s.b.0 - s.a.0) / len, (s.b.1 - s.a.1) / len);
        let off = |p: (f64, f64)| (u.0 * (p.1 - s.a.1) - u.1 * (p.0 - s.a.0)).abs();
        if off(t.a) > tol || off(t.b) > tol {
            return 0.0;
        }
        let t0 = u.0 * (t.a.0 - s.a.0) + u.1 * (t.a.1 - s.a.1);
        let t1 = u.0 * (t.b.0 - s.a.0) + u.1 * (t.b.1 - s.a.1);
        (t0.max(t1).min(len) - t0.min(t1).max(0.0)).max(0.0)
    }
    along(s, t, tol).max(along(t, s, tol))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, x: f64, y: f64) -> RegionShape {
        RegionShape {
            code: code.into(),
            rings: vec![vec![(x, y), (x + 1.0, y), (x + 1.0, y + 1.0), (x, y + 1.0), (x, y)]],
        }
    }

    #[test]
    fn t_junction_and_corner() {
        // A spans x 0..2 on top; B and C sit below it; B's corner at (1, 0) meets A's edge in its
        // middle, where A has no vertex. D touches C only at a corner.
        let a = RegionShape {
            code: "A".into(),
            rings: vec![vec![(0.0, 1.0), (2.0, 1.0), (2.0, 2.0), (0.0, 2.0), (0.0, 1.0)]],
        };
        let shapes = vec![a, square("B", 0.0, 0.0), square("C", 1.0, 0.0), square("D", 2.0, -1.0)];
        let queen = Weights::from_shapes(&shapes, Contiguity::Queen, 1e-9).expect("weights");
        assert_eq!(queen.neighbours(0), &[1, 2]);
        assert_eq!(queen.neighbours(2), &[0, 1, 3]);
        let rook = Weights::from_shapes(&shapes, Contiguity::Rook, 1e-9).expect("weights");
        assert_eq!(rook.neighbours(2), &[0, 1]);
        assert_eq!(rook.island_codes(), vec!["D"]);
    }

    #[test]
    fn tolerance_bridges_small_gaps() {
        let shapes = vec![square("A", 0.0, 0.0), square("B", 1.001, 0.0)];
        assert_eq!(Weights::from_shapes(&shapes, Contiguity::Queen, 1e-4).expect("w").pair_count(), 0);
        assert_eq!(Weights::from_shapes(&shapes, Contiguity::Queen, 0.01).expect("w").pair_count(), 1);
        assert_eq!(Weights::from_shapes(&shapes, Contiguity::Rook, 0.01).expect("w").pair_count(), 1);
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let shapes = vec![square("A", 0.0, 0.0), square("A", 1.0, 0.0)];
        assert_eq!(
            Weights::from_shapes(&shapes, Contiguity::Queen, 0.0),
            Err(Error::DuplicateCode("A".into()))
        );
    }
}
