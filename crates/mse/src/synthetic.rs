//! Synthetic capture histories from a known population, for coverage studies, tests and
//! benchmarks: `n` persons, each seen by list `i` with a probability that may depend on whether
//! an earlier list saw them (referrals), seeded and deterministic.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Error;
use crate::data::CaptureHistories;

/// How one list sees persons.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticList {
    /// List name.
    pub name: String,
    /// Probability of being seen.
    pub p: f64,
    /// Optional dependence: (earlier list index, probability when that list saw the person).
    pub depends_on: Option<(usize, f64)>,
}

/// Draws the capture histories of a population of `n` persons; the persons nobody saw are
/// hidden (not in the table).
///
/// # Errors
/// As [`CaptureHistories::new`], or [`Error::Model`] for a dependence on a later list.
pub fn synthetic(n: u64, lists: &[SyntheticList], seed: u64) -> Result<CaptureHistories, Error> {
    if lists.iter().enumerate().any(|(i, l)| l.depends_on.is_some_and(|(j, _)| j >= i)) {
        return Err(Error::Model("a list can only depend on an earlier list"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = vec![0u64; 1 << lists.len().min(crate::MAX_LISTS)];
    for _ in 0..n {
        let mut mask = 0usize;
        for (i, l) in lists.iter().enumerate() {
            let p = match l.depends_on {
                Some((j, q)) if mask & (1 << j) != 0 => q,
                _ => l.p,
            };
            if rng.random::<f64>() < p {
                mask |= 1 << i;
            }
        }
        if mask < counts.len() {
            counts[mask] += 1;
        }
    }
    counts[0] = 0;
    CaptureHistories::new(lists.iter().map(|l| l.name.clone()).collect(), counts)
}
