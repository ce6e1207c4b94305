//! Exact sparse integer linear algebra for the Gauss method.
//!
//! Vectors are sorted `(row, coefficient)` lists over the inner-cell space. Every arithmetic step
//! is checked: an overflow is reported as [`Overflow`] and never wraps. The caller first runs with
//! `i64` coefficients and, on overflow, runs again with `i128` (see `crate::gauss`).
//!
//! Vectors are kept *normalised*: the coefficients are divided by their greatest common divisor
//! and the first coefficient is positive. Two non-zero normalised vectors are parallel exactly
//! when they are equal, which turns "is this residue a multiple of that one" into a map look-up.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// An integer overflow happened in exact arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Overflow;

/// Integer coefficient type of the exact elimination (`i64`, then `i128` as a fallback).
pub(crate) trait Coef: Copy + Ord + std::fmt::Debug {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// Zero test.
    fn is_zero(self) -> bool;
    /// Checked product.
    fn mul(self, other: Self) -> Result<Self, Overflow>;
    /// Checked difference.
    fn sub(self, other: Self) -> Result<Self, Overflow>;
    /// Checked negation.
    fn neg(self) -> Result<Self, Overflow>;
    /// Exact division (the caller guarantees divisibility).
    fn div(self, other: Self) -> Self;
    /// Greatest common divisor of the absolute values (positive unless both are zero).
    fn gcd(self, other: Self) -> Result<Self, Overflow>;
    /// Absolute value.
    fn abs(self) -> Result<Self, Overflow>;
}

macro_rules! impl_coef {
    ($t:ty) => {
        impl Coef for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            fn is_zero(self) -> bool {
                self == 0
            }
            fn mul(self, other: Self) -> Result<Self, Overflow> {
                self.checked_mul(other).ok_or(Overflow)
            }
            fn sub(self, other: Self) -> Result<Self, Overflow> {
                self.checked_sub(other).ok_or(Overflow)
            }
            fn neg(self) -> Result<Self, Overflow> {
                self.checked_neg().ok_or(Overflow)
            }
            fn div(self, other: Self) -> Self {
                self / other
            }
            fn gcd(self, other: Self) -> Result<Self, Overflow> {
                let (mut a, mut b) = (self.unsigned_abs(), other.unsigned_abs());
                while b != 0 {
                    (a, b) = (b, a % b);
                }
                Self::try_from(a).map_err(|_| Overflow)
            }
            fn abs(self) -> Result<Self, Overflow> {
                self.checked_abs().ok_or(Overflow)
            }
        }
    };
}
impl_coef!(i64);
impl_coef!(i128);

/// A sparse vector: `(row, coefficient)` pairs sorted by row, no zero coefficients.
pub(crate) type SVec<T> = Vec<(u32, T)>;

/// The 0/1 vector of a sorted list of inner-cell indices.
pub(crate) fn indicator<T: Coef>(rows: &[u32]) -> SVec<T> {
    rows.iter().map(|&r| (r, T::ONE)).collect()
}

/// The coefficient of `v` at `row` (`None` if zero).
pub(crate) fn coef_at<T: Coef>(v: &[(u32, T)], row: u32) -> Option<T> {
    v.binary_search_by_key(&row, |e| e.0).ok().map(|i| v[i].1)
}

/// `ca * a - cb * b`, zeros dropped.
fn combine<T: Coef>(a: &[(u32, T)], ca: T, b: &[(u32, T)], cb: T) -> Result<SVec<T>, Overflow> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && a[i].0 < b[j].0);
        let take_b = i >= a.len() || (j < b.len() && b[j].0 < a[i].0);
        if take_a {
            out.push((a[i].0, ca.mul(a[i].1)?));
            i += 1;
        } else if take_b {
            out.push((b[j].0, cb.mul(b[j].1)?.neg()?));
            j += 1;
        } else {
            let c = ca.mul(a[i].1)?.sub(cb.mul(b[j].1)?)?;
            if !c.is_zero() {
                out.push((a[i].0, c));
            }
            i += 1;
            j += 1;
        }
    }
    Ok(out)
}

/// Divides by the gcd of all coefficients and makes the first coefficient positive.
pub(crate) fn normalise<T: Coef>(v: &mut SVec<T>) -> Result<(), Overflow> {
    let Some(&(_, first)) = v.first() else {
        return Ok(());
    };
    let mut g = first.abs()?;
    for &(_, c) in v.iter() {
        if g == T::ONE {
            break;
        }
        g = g.gcd(c)?;
    }
    let negate = first < T::ZERO;
    if g != T::ONE || negate {
        let g = if negate { g.neg()? } else { g };
        for e in v.iter_mut() {
            e.1 = e.1.div(g);
        }
    }
    Ok(())
}

/// Eliminates `row` from `v` using `b` (whose coefficient at `row` is non-zero); normalised.
pub(crate) fn eliminate<T: Coef>(v: &[(u32, T)], b: &[(u32, T)], row: u32) -> Result<SVec<T>, Overflow> {
    let (Some(cv), Some(cb)) = (coef_at(v, row), coef_at(b, row)) else {
        return Ok(v.to_vec());
    };
    let g = cv.gcd(cb)?;
    let mut out = combine(v, cb.div(g), b, cv.div(g))?;
    normalise(&mut out)?;
    Ok(out)
}

/// A basis of published vectors in echelon form: vector `i` is zero at the pivots of `0..i`.
pub(crate) struct Basis<T> {
    vecs: Vec<SVec<T>>,
    pivots: Vec<u32>,
    /// `pivot_of_row[row]` is the basis index whose pivot is `row`, or `u32::MAX`.
    pivot_of_row: Vec<u32>,
}

impl<T: Coef> Basis<T> {
    /// An empty basis over `rows` inner cells.
    pub(crate) fn new(rows: usize) -> Self {
        Basis { vecs: Vec::new(), pivots: Vec::new(), pivot_of_row: vec![u32::MAX; rows] }
    }

    /// The residue of `v` modulo the span of the basis (normalised; empty iff `v` is in the span).
    ///
    /// Pivots are eliminated in basis order (a min-heap of basis indices), which is correct because
    /// eliminating with vector `i` can only introduce pivots of later vectors.
    pub(crate) fn reduce(&self, mut v: SVec<T>) -> Result<SVec<T>, Overflow> {
        let mut heap: BinaryHeap<Reverse<u32>> =
            v.iter().filter_map(|&(r, _)| self.basis_index(r)).map(Reverse).collect();
        let mut last = None;
        while let Some(Reverse(i)) = heap.pop() {
            if last == Some(i) {
                continue;
            }
            last = Some(i);
            let b = &self.vecs[i as usize];
            let p = self.pivots[i as usize];
            if coef_at(&v, p).is_none() {
                continue;
            }
            v = eliminate(&v, b, p)?;
            heap.extend(b.iter().filter_map(|&(r, _)| self.basis_index(r)).filter(|&j| j > i).map(Reverse));
        }
        normalise(&mut v)?;
        Ok(v)
    }

    fn basis_index(&self, row: u32) -> Option<u32> {
        let i = self.pivot_of_row[row as usize];
        (i != u32::MAX).then_some(i)
    }

    /// Adds a reduced, non-empty vector with pivot `row` (a row where it is non-zero).
    pub(crate) fn push(&mut self, v: SVec<T>, row: u32) {
        debug_assert!(coef_at(&v, row).is_some());
        let index = u32::try_from(self.vecs.len()).unwrap_or(u32::MAX - 1);
        self.pivot_of_row[row as usize] = index;
        self.pivots.push(row);
        self.vecs.push(v);
    }

    /// The rank of the basis.
    #[cfg(test)]
    pub(crate) fn rank(&self) -> usize {
        self.vecs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_divides_and_fixes_sign() {
        let mut v: SVec<i64> = vec![(1, -4), (3, 6), (7, -2)];
        normalise(&mut v).unwrap();
        assert_eq!(v, vec![(1, 2), (3, -3), (7, 1)]);
    }

    #[test]
    fn reduce_detects_span() {
        let mut basis = Basis::<i64>::new(4);
        for rows in [&[0u32, 1][..], &[1, 2], &[2, 3]] {
            let r = basis.reduce(indicator(rows)).unwrap();
            let row = r[0].0;
            basis.push(r, row);
        }
        assert_eq!(basis.rank(), 3);
        // e0 + e3 = (e0+e1) - (e1+e2) + (e2+e3)
        assert!(basis.reduce(indicator(&[0, 3])).unwrap().is_empty());
        assert!(!basis.reduce(indicator(&[0])).unwrap().is_empty());
    }

    #[test]
    fn overflow_is_reported() {
        let a: SVec<i64> = vec![(0, i64::MAX / 2 + 1), (1, 3)];
        let b: SVec<i64> = vec![(0, 3), (1, i64::MAX / 2 + 1)];
        assert_eq!(eliminate(&a, &b, 0), Err(Overflow));
        assert_eq!(i64::MIN.gcd(0), Err(Overflow));
    }
}
