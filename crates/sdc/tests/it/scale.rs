//! A moderately sized release (about 1,000 inner cells and 1,000 cells in three linked tables with
//! hierarchies) is protected, and passes the exact checks. Times nothing (see
//! `examples/release.rs` for timings).

use sdc::{Role, Status, candidate_order, protect};

use crate::support::{Dim, Release, assert_safe};

/// Deterministic counts: 3 in 16 zero, most others 1.
fn count(c: &[usize]) -> u64 {
    let mut h = c.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9).rotate_left(17)
    });
    h ^= h >> 29;
    match h % 16 {
        0..=2 => 0,
        3..=13 => 1,
        _ => 1 + (h >> 8) % 6,
    }
}

#[test]
fn moderately_sized_release() {
    let regions: Vec<Vec<usize>> = (0..6).map(|g| (4 * g..4 * g + 4).collect()).collect();
    let regions: Vec<&[usize]> = regions.iter().map(Vec::as_slice).collect();
    let dims = vec![
        Dim::hier(&regions),                  // 24 countries in 6 regions
        Dim::flat(2),                         // sex
        Dim::hier(&[&[0, 1], &[2, 3]]),       // age: minors, adults
        Dim::hier(&[&[0, 1, 2], &[3, 4, 5]]), // nationality
    ];
    let mut r = Release::new(dims, count);
    r.table("GSA", &[0, 1, 2], &[], Role::Candidate);
    r.table("GN", &[0, 3], &[], Role::Candidate);
    r.table("SAN", &[1, 2, 3], &[], Role::Candidate);
    let p = r.problem();
    assert!(p.inner.len() > 900, "{} inner cells", p.inner.len());
    assert!(p.cells.len() > 600, "{} cells", p.cells.len());
    let s = protect(&p).unwrap();
    let primary = s.iter().filter(|&&x| x == Status::Primary).count();
    let secondary = s.iter().filter(|&&x| x == Status::Secondary).count();
    assert!(primary > 20 && secondary > 0, "{primary} primary, {secondary} secondary");
    assert!(candidate_order(&p).len() + primary == p.cells.len());
    assert_safe(&p, &s, false);
}
