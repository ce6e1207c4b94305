//! Topology-aware Douglas–Peucker simplification of all rings of a layer.
//!
//! Shared borders stay shared: a vertex that occurs in several rings with different neighbours
//! (a junction where three or more regions meet, or where a border leaves a coastline) is never
//! removed, and every stretch between two such vertices is simplified with a direction-independent
//! Douglas–Peucker (segment endpoints are put in coordinate order before measuring, ties go to the
//! smallest point), so the two regions on either side of a border drop the same vertices. A ring
//! with no junction (an island, or a region with no neighbour) is split at its smallest point and
//! at the point farthest from it. Collapsed rings are removed later, when coordinates are rounded.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::geom::FRing;

type Key = (u64, u64);

fn key(p: [f64; 2]) -> Key {
    // +0.0 and −0.0 are the same point.
    ((p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits())
}

fn cmp_pt(a: [f64; 2], b: [f64; 2]) -> Ordering {
    a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1]))
}

struct Node {
    neighbours: (Key, Key),
    junction: bool,
}

/// Distance from `p` to the segment a–b, the same whichever way round a and b are given.
fn seg_dist2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (a, b) = if cmp_pt(a, b) == Ordering::Greater { (b, a) } else { (a, b) };
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

/// Marks in `keep` the vertices of `path` (indices into `pts`) that Douglas–Peucker keeps.
fn douglas_peucker(pts: &[[f64; 2]], path: &[usize], tol2: f64, keep: &mut [bool]) {
    if path.len() < 3 {
        return;
    }
    let mut stack = vec![(0usize, path.len() - 1)];
    while let Some((lo, hi)) = stack.pop() {
        if hi <= lo + 1 {
            continue;
        }
        let (a, b) = (pts[path[lo]], pts[path[hi]]);
        let mut best: Option<(f64, usize)> = None;
        for (m, &i) in path.iter().enumerate().take(hi).skip(lo + 1) {
            let d = seg_dist2(pts[i], a, b);
            let better = match best {
                None => true,
                Some((bd, bm)) => d > bd || (d == bd && cmp_pt(pts[i], pts[path[bm]]) == Ordering::Less),
            };
            if better {
                best = Some((d, m));
            }
        }
        if let Some((d, m)) = best
            && d > tol2
        {
            keep[path[m]] = true;
            stack.push((lo, m));
            stack.push((m, hi));
        }
    }
}

fn simplify_ring(ring: &FRing, tol2: f64, nodes: &BTreeMap<Key, Node>) -> FRing {
    let n = ring.len().saturating_sub(1);
    if n < 4 {
        return ring.clone();
    }
    let pts = &ring[..n];
    let mut fixed: Vec<usize> =
        (0..n).filter(|&i| nodes.get(&key(pts[i])).is_some_and(|nd| nd.junction)).collect();
    if fixed.is_empty() {
        let s = (0..n).min_by(|&a, &b| cmp_pt(pts[a], pts[b])).unwrap_or(0);
        let far = (0..n)
            .max_by(|&a, &b| {
                let (da, db) = (seg_dist2(pts[a], pts[s], pts[s]), seg_dist2(pts[b], pts[s], pts[s]));
                da.total_cmp(&db).then(cmp_pt(pts[b], pts[a]))
            })
            .unwrap_or(s);
        fixed = if s == far { vec![s] } else { vec![s.min(far), s.max(far)] };
    }
    let mut keep = vec![false; n];
    for &f in &fixed {
        keep[f] = true;
    }
    for j in 0..fixed.len() {
        let a = fixed[j];
        let b = fixed[(j + 1) % fixed.len()];
        let len = if b > a { b - a } else { b + n - a };
        let path: Vec<usize> = (0..=len).map(|k| (a + k) % n).collect();
        douglas_peucker(pts, &path, tol2, &mut keep);
    }
    let mut out: FRing = (0..n).filter(|&i| keep[i]).map(|i| pts[i]).collect();
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// Simplifies every ring of every feature with tolerance `tol` (display units). The input rings
/// are closed; the output rings are closed and may have collapsed to fewer than 4 points.
pub(crate) fn simplify(features: &[Vec<Vec<FRing>>], tol: f64) -> Vec<Vec<Vec<FRing>>> {
    let mut nodes: BTreeMap<Key, Node> = BTreeMap::new();
    for ring in features.iter().flatten().flatten() {
        let n = ring.len().saturating_sub(1);
        for i in 0..n {
            let prev = key(ring[(i + n - 1) % n]);
            let next = key(ring[(i + 1) % n]);
            let nb = if prev <= next { (prev, next) } else { (next, prev) };
            nodes
                .entry(key(ring[i]))
                .and_modify(|nd| {
                    if nd.neighbours != nb {
                        nd.junction = true;
                    }
                })
                .or_insert(Node { neighbours: nb, junction: false });
        }
    }
    let tol2 = tol * tol;
    features
        .iter()
        .map(|polys| {
            polys.iter().map(|rings| rings.iter().map(|r| simplify_ring(r, tol2, &nodes)).collect()).collect()
        })
        .collect()
}
