//! Cell key method (CKM): consistent, keyed perturbation of counts.
//!
//! Every unit (a deduplicated victim) gets a permanent secret [`RecordKey`], a 64-bit integer
//! computed as HMAC-SHA-256(secret, unit id) truncated to 64 bits. A cell's [`CellKey`] is the
//! wrapping sum (mod 2⁶⁴) of the record keys of its units, so the same set of units gives the same
//! key in every table, and the [`PTable`] maps (count, cell key) to the same perturbed value:
//! differencing overlapping tables yields noise, not individuals.
//!
//! The p-table is generated here (no R `ptable` package): for each original count `i` the noise
//! `v` takes values in `-D..=D` with target `j = i + v ≥ 0` outside the blocked range `1..=js`,
//! and probabilities of maximum entropy `p_v ∝ exp(a·v + b·v²)` subject to `Σp = 1`, `Σp·v = 0`
//! (unbiased) and `Σp·v² = V`, solved by a damped Newton method on the convex dual. Zero stays
//! zero. Rows `i ≥ ncat = js + D + 1` all have the full support `-D..=D` and share one shape.
//!
//! Unbiasedness holds in every row (requiring `js < D` guarantees targets on both sides). The
//! variance `V` cannot always be met in the small rows, whose support is cut by the blocked range
//! and by `j ≥ 0`: there the variance is moved inside the feasible range and the achieved value
//! is reported in [`PTableRow::variance`]. With the defaults (`D = 3`, `V = 2`, `js = 2`) this
//! concerns rows 1 (support {-1, 2, 3}: variance at least 2, taken as 2.02) and 2 (support
//! {-2, 1, 2, 3}: at least 2, taken as 2.08).
//!
//! Do not publish `D` or the p-table ("especially risky"); tables perturbed with CKM are not
//! additive and must not be re-added into totals.

use std::ops::{Add, AddAssign};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Error;

/// A unit's permanent secret key (uniform on 0..2⁶⁴).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordKey(pub u64);

/// The record key of a unit: HMAC-SHA-256 keyed with `secret` over `unit_id`, first 8 bytes
/// big-endian. Keep `secret` out of the published data and stable across vintages.
pub fn record_key(secret: &[u8], unit_id: &[u8]) -> RecordKey {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(unit_id);
    let digest = mac.finalize().into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    RecordKey(u64::from_be_bytes(first))
}

/// A cell's key: the wrapping sum of its units' record keys (0 for an empty cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct CellKey(pub u64);

impl CellKey {
    /// The key as a fraction in `[0, 1)` (`key / 2⁶⁴`).
    pub fn fraction(self) -> f64 {
        self.0 as f64 / 18_446_744_073_709_551_616.0
    }
}

impl Add<RecordKey> for CellKey {
    type Output = CellKey;
    fn add(self, rhs: RecordKey) -> CellKey {
        CellKey(self.0.wrapping_add(rhs.0))
    }
}

impl Add for CellKey {
    type Output = CellKey;
    fn add(self, rhs: CellKey) -> CellKey {
        CellKey(self.0.wrapping_add(rhs.0))
    }
}

impl AddAssign<RecordKey> for CellKey {
    fn add_assign(&mut self, rhs: RecordKey) {
        self.0 = self.0.wrapping_add(rhs.0);
    }
}

impl FromIterator<RecordKey> for CellKey {
    fn from_iter<I: IntoIterator<Item = RecordKey>>(iter: I) -> Self {
        iter.into_iter().fold(CellKey(0), |k, r| k + r)
    }
}

impl<'a> FromIterator<&'a RecordKey> for CellKey {
    fn from_iter<I: IntoIterator<Item = &'a RecordKey>>(iter: I) -> Self {
        iter.into_iter().copied().collect()
    }
}

/// Parameters of a count p-table (as R `ptable::create_cnt_ptable(D, V, js)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PTableParams {
    /// Maximum deviation `D` (keep secret). Must be ≥ 1 and ≤ 64.
    pub d: u32,
    /// Noise variance `V` (0 < V < D²).
    pub v: f64,
    /// Counts `1..=js` are never published (must be < D).
    pub js: u32,
}

impl Default for PTableParams {
    /// `D = 3`, `V = 2`, `js = 2`.
    fn default() -> Self {
        PTableParams { d: 3, v: 2.0, js: 2 }
    }
}

/// One possible noise value of a p-table row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PTableEntry {
    /// The noise `v` (target `j = i + v`).
    pub v: i64,
    /// Its probability.
    pub p: f64,
    /// Cumulative upper bound: a cell key fraction below it (and at or above the previous
    /// entry's) selects this entry.
    pub p_ub: f64,
    /// The same bound scaled by 2⁶⁴, as used on integer cell keys (the last entry's is 2⁶⁴).
    threshold: u128,
}

/// The distribution of the noise for one original count.
#[derive(Debug, Clone, PartialEq)]
pub struct PTableRow {
    /// The original count `i`; the last row applies to every count `≥ i`.
    pub i: u64,
    /// Possible noise values, increasing.
    pub entries: Vec<PTableEntry>,
    /// Achieved mean noise (0 up to rounding).
    pub mean: f64,
    /// Achieved noise variance (`V`, or the nearest feasible value, see the module docs).
    pub variance: f64,
}

/// A count p-table.
#[derive(Debug, Clone, PartialEq)]
pub struct PTable {
    params: PTableParams,
    rows: Vec<PTableRow>,
}

impl PTable {
    /// Generates the p-table.
    ///
    /// # Errors
    /// [`Error::InvalidParams`] when `D` is 0 or above 64, `js ≥ D`, or `V` is not in `(0, D²)`;
    /// [`Error::PTable`] if the Newton solve of a row fails to converge.
    pub fn new(params: PTableParams) -> Result<PTable, Error> {
        let PTableParams { d, v, js } = params;
        if d == 0 || d > 64 {
            return Err(Error::InvalidParams("D must be in 1..=64"));
        }
        if js >= d {
            return Err(Error::InvalidParams("js must be below D"));
        }
        let d2 = f64::from(d) * f64::from(d);
        if !(v.is_finite() && v > 0.0 && v < d2) {
            return Err(Error::InvalidParams("V must be in (0, D²)"));
        }
        let ncat = u64::from(js) + u64::from(d) + 1;
        let mut rows = vec![PTableRow {
            i: 0,
            entries: vec![PTableEntry { v: 0, p: 1.0, p_ub: 1.0, threshold: 1u128 << 64 }],
            mean: 0.0,
            variance: 0.0,
        }];
        for i in 1..=ncat {
            let support: Vec<i64> = (-i64::from(d)..=i64::from(d))
                .filter(|&s| {
                    let j = i as i64 + s;
                    j == 0 || j > i64::from(js)
                })
                .collect();
            let (lo, hi) = variance_range(&support);
            let margin = 0.02 * (hi - lo);
            let target = v.clamp(lo + margin, hi - margin);
            let p = max_entropy(&support, target).ok_or(Error::PTable { row: i })?;
            rows.push(make_row(i, &support, &p));
        }
        Ok(PTable { params, rows })
    }

    /// The parameters.
    pub fn params(&self) -> PTableParams {
        self.params
    }

    /// The rows `0..=ncat` (the last applies to all larger counts). For tests and internal
    /// metadata only: never publish them.
    pub fn rows(&self) -> &[PTableRow] {
        &self.rows
    }

    /// The row used for an original count.
    pub fn row(&self, count: u64) -> &PTableRow {
        let last = self.rows.len() - 1;
        &self.rows[usize::try_from(count).map_or(last, |c| c.min(last))]
    }

    /// The noise added to `count` for a cell with key `key`.
    pub fn noise(&self, count: u64, key: CellKey) -> i64 {
        let row = self.row(count);
        let k = u128::from(key.0);
        row.entries.iter().find(|e| k < e.threshold).or(row.entries.last()).map_or(0, |e| e.v)
    }

    /// The perturbed count: never in `1..=js`, 0 for 0, equal for equal (count, key).
    pub fn perturb(&self, count: u64, key: CellKey) -> u64 {
        let out = i128::from(count) + i128::from(self.noise(count, key));
        u64::try_from(out.max(0)).unwrap_or(u64::MAX)
    }
}

/// Range of `E[v²]` over distributions on `support` with `E[v] = 0` (support has both signs).
fn variance_range(support: &[i64]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = 0.0f64;
    if support.contains(&0) {
        lo = 0.0;
    }
    for &a in support.iter().filter(|&&a| a < 0) {
        for &b in support.iter().filter(|&&b| b > 0) {
            let m = (-a * b) as f64;
            lo = lo.min(m);
            hi = hi.max(m);
        }
    }
    (lo, hi)
}

/// Maximum-entropy probabilities on `support` with mean 0 and second moment `target`.
fn max_entropy(support: &[i64], target: f64) -> Option<Vec<f64>> {
    let vs: Vec<f64> = support.iter().map(|&s| s as f64).collect();
    // Dual objective g(a, b) = ln Σ exp(a·v + b·v²) − b·target, convex; gradient = moments − goal.
    let log_z = |a: f64, b: f64| {
        let e: Vec<f64> = vs.iter().map(|&v| a * v + b * v * v).collect();
        let m = e.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        m + e.iter().map(|x| (x - m).exp()).sum::<f64>().ln()
    };
    let probs = |a: f64, b: f64| {
        let lz = log_z(a, b);
        vs.iter().map(|&v| (a * v + b * v * v - lz).exp()).collect::<Vec<f64>>()
    };
    let (mut a, mut b) = (0.0f64, 0.0f64);
    for _ in 0..500 {
        let p = probs(a, b);
        let m1: f64 = p.iter().zip(&vs).map(|(p, v)| p * v).sum();
        let m2: f64 = p.iter().zip(&vs).map(|(p, v)| p * v * v).sum();
        let m3: f64 = p.iter().zip(&vs).map(|(p, v)| p * v * v * v).sum();
        let m4: f64 = p.iter().zip(&vs).map(|(p, v)| p * v * v * v * v).sum();
        let (g1, g2) = (m1, m2 - target);
        let scale = target.max(1.0);
        if g1.abs() < 1e-13 * scale && g2.abs() < 1e-12 * scale {
            return Some(p);
        }
        let (h11, h12, h22) = (m2 - m1 * m1, m3 - m1 * m2, m4 - m2 * m2);
        let det = h11 * h22 - h12 * h12;
        if !(det.is_finite() && det > 0.0) {
            return None;
        }
        let da = -(h22 * g1 - h12 * g2) / det;
        let db = -(h11 * g2 - h12 * g1) / det;
        let g = |a: f64, b: f64| log_z(a, b) - b * target;
        let g0 = g(a, b);
        let slope = g1 * da + g2 * db;
        let mut t = 1.0;
        // Damped far from the optimum; near it (tiny Newton decrement, below what the objective
        // can resolve in floating point) the full Newton step converges quadratically.
        while slope < -1e-14 && g(a + t * da, b + t * db) > g0 + 1e-4 * t * slope && t > 1e-12 {
            t *= 0.5;
        }
        if t <= 1e-12 {
            // No further progress in floating point: accept if the moments are met closely.
            let close = g1.abs() < 1e-10 * scale && g2.abs() < 1e-10 * scale;
            return close.then_some(p);
        }
        a += t * da;
        b += t * db;
    }
    // Iteration limit (full steps oscillating at round-off level): same acceptance test.
    let p = probs(a, b);
    let m1: f64 = p.iter().zip(&vs).map(|(p, v)| p * v).sum();
    let m2: f64 = p.iter().zip(&vs).map(|(p, v)| p * v * v).sum();
    let scale = target.max(1.0);
    (m1.abs() < 1e-10 * scale && (m2 - target).abs() < 1e-10 * scale).then_some(p)
}

fn make_row(i: u64, support: &[i64], p: &[f64]) -> PTableRow {
    let total: f64 = p.iter().sum();
    let mut cum = 0.0;
    let n = support.len();
    let entries: Vec<PTableEntry> = support
        .iter()
        .zip(p)
        .enumerate()
        .map(|(k, (&v, &p))| {
            let p = p / total;
            cum += p;
            let p_ub = if k + 1 == n { 1.0 } else { cum.min(1.0) };
            // Largest f64 below 2^64 times p_ub fits in u128; the last entry takes all the rest.
            let threshold =
                if k + 1 == n { 1u128 << 64 } else { (p_ub * 18_446_744_073_709_551_616.0) as u128 };
            PTableEntry { v, p, p_ub, threshold }
        })
        .collect();
    let mean: f64 = entries.iter().map(|e| e.p * e.v as f64).sum();
    let variance: f64 = entries.iter().map(|e| e.p * (e.v as f64 - mean).powi(2)).sum();
    PTableRow { i, entries, mean, variance }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rows_meet_constraints() {
        let t = PTable::new(PTableParams::default()).unwrap();
        assert_eq!(t.rows().len(), 7);
        for row in t.rows() {
            let sum: f64 = row.entries.iter().map(|e| e.p).sum();
            assert!((sum - 1.0).abs() < 1e-12);
            assert!(row.mean.abs() < 1e-9, "row {} mean {}", row.i, row.mean);
        }
        assert!((t.rows()[1].variance - 2.02).abs() < 1e-9);
        assert!((t.rows()[2].variance - 2.08).abs() < 1e-9);
        for row in &t.rows()[3..] {
            assert!((row.variance - 2.0).abs() < 1e-9, "row {}", row.i);
        }
    }

    #[test]
    fn rejects_bad_params() {
        for p in [
            PTableParams { d: 0, v: 1.0, js: 0 },
            PTableParams { d: 3, v: 1.0, js: 3 },
            PTableParams { d: 3, v: 9.0, js: 2 },
            PTableParams { d: 3, v: f64::NAN, js: 2 },
        ] {
            assert!(matches!(PTable::new(p), Err(Error::InvalidParams(_))));
        }
    }
}
