//! Local and global spatial statistics on one value per region: Getis-Ord Gi* ([`getis_ord`]),
//! local Moran's I ([`local_moran`]) and global Moran's I ([`global_moran`]), each with
//! permutation p-values from a seeded generator; and rates per population ([`rates`]) that are
//! never computed on suppressed counts.
//!
//! **Missing values.** Values are `Option<f64>`, one per region of the [`Weights`], `None` when
//! the count is suppressed (disclosure control) or unknown. Such regions are *left out of the
//! analysis*: they get no statistic, they do not count in the mean, variance or `n`, and they
//! are removed from their neighbours' lists, so the neighbours' weights are renormalised over
//! the neighbours that remain (row-standardised rows still sum to 1). A region left with no
//! neighbour gets no local statistic either ([`Class::NotComputed`]). Nothing computed for a
//! shown region therefore depends on a suppressed value other than through the choice of which
//! regions are in the analysis.
//!
//! **Permutations.** Local p-values use *conditional* randomisation: the value of region `i` is
//! held fixed and its `k_i` neighbours' values are drawn without replacement from the other
//! `n − 1` values. The pseudo p-value is folded (one-sided in the direction of the observed
//! statistic): `p = (1 + min(#{sim ≥ obs}, #{sim ≤ obs})) / (1 + permutations)`, so with 999
//! permutations the smallest p-value is 0.001. (PySAL counts `sim < obs` on the low side; ties
//! count here against significance on both sides, which matters for small integer counts.) Region `i` draws from its own ChaCha8
//! stream (`seed`, stream = `i`, its index in the weights), so results do not depend on the
//! number of threads. With `permutations = 0` the normal-approximation p-value is used instead.
//!
//! No correction for multiple testing is applied: at `alpha = 0.05` about one region in twenty
//! is flagged by chance alone; say so where the map is shown.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::special::two_sided_p;
use crate::weights::{Scheme, Weights};
use crate::{Error, Result};

/// Default number of permutations.
pub const DEFAULT_PERMUTATIONS: usize = 999;

/// Options of the spatial statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalOptions {
    /// Permutations for the pseudo p-values (default 999; 0 uses the normal approximation).
    pub permutations: usize,
    /// Seed of the random generator.
    pub seed: u64,
    /// Significance level for the classification (default 0.05).
    pub alpha: f64,
    /// Weight scheme. Gi* (self included) and local Moran's I are usually run with
    /// [`Scheme::Binary`] and [`Scheme::RowStandardised`] respectively; the default is
    /// `None` = that usual choice for each statistic.
    pub scheme: Option<Scheme>,
    /// Worker threads (`None`: the available parallelism).
    pub threads: Option<usize>,
}

impl Default for LocalOptions {
    fn default() -> Self {
        LocalOptions { permutations: DEFAULT_PERMUTATIONS, seed: 1, alpha: 0.05, scheme: None, threads: None }
    }
}

/// The classification of one region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Gi*: a significant cluster of high values.
    HotSpot,
    /// Gi*: a significant cluster of low values.
    ColdSpot,
    /// Local Moran: high value among high neighbours (significant).
    HighHigh,
    /// Local Moran: low value among low neighbours (significant).
    LowLow,
    /// Local Moran: high value among low neighbours (significant outlier).
    HighLow,
    /// Local Moran: low value among high neighbours (significant outlier).
    LowHigh,
    /// Not significant at the chosen level.
    NotSignificant,
    /// No statistic: the value is missing (suppressed), no neighbour has a value, or (Gi*) the
    /// region and its neighbours are all the regions (the z-score is 0 / 0).
    NotComputed,
}

/// The local statistic of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalResult {
    /// Region code.
    pub code: String,
    /// The value analysed (`None`: missing, left out).
    pub value: Option<f64>,
    /// Neighbours with a value (those used).
    pub neighbours_used: usize,
    /// The statistic: the Gi* z-score, or local Moran's `I_i`.
    pub statistic: Option<f64>,
    /// Gi*: the same as `statistic`; local Moran: `(I_i − mean of the permuted) / their sd`.
    pub z: Option<f64>,
    /// Two-sided p-value of `z` under the normal approximation (Gi* only; `None` for Moran).
    pub p_normal: Option<f64>,
    /// Folded permutation pseudo p-value (`None` without permutations).
    pub p_sim: Option<f64>,
    /// The classification at the chosen level.
    pub class: Class,
}

/// A local analysis of every region.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalAnalysis {
    /// One result per region, in the order of the weights.
    pub regions: Vec<LocalResult>,
    /// Regions with a value (the `n` of the analysis).
    pub n: usize,
    /// Codes of regions left out for a missing value.
    pub missing: Vec<String>,
    /// Codes of regions with a value but no neighbour with a value (no statistic).
    pub without_neighbours: Vec<String>,
    /// Mean of the values used.
    pub mean: f64,
    /// Population standard deviation of the values used.
    pub sd: f64,
    /// The scheme used.
    pub scheme: Scheme,
    /// Permutations, seed and level used.
    pub permutations: usize,
    /// Seed used.
    pub seed: u64,
    /// Significance level used.
    pub alpha: f64,
}

/// Global Moran's I.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalMoran {
    /// The statistic.
    pub i: f64,
    /// Its expectation under no autocorrelation, `−1 / (n − 1)`.
    pub expected: f64,
    /// Variance under the normality assumption.
    pub variance: f64,
    /// `(I − E[I]) / sd`.
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p_normal: f64,
    /// Folded permutation pseudo p-value (`None` without permutations).
    pub p_sim: Option<f64>,
    /// Regions used.
    pub n: usize,
    /// The scheme used.
    pub scheme: Scheme,
}

/// Rates per `per` persons: `count / population × per`, `None` when the count is suppressed
/// (`None`) or the population is missing or not positive. Rates on suppressed counts are never
/// computed, so they can never be shown.
///
/// # Errors
/// [`Error::InvalidInput`] when the slices differ in length or `per` is not positive.
pub fn rates(counts: &[Option<u64>], population: &[Option<f64>], per: f64) -> Result<Vec<Option<f64>>> {
    if counts.len() != population.len() {
        return Err(Error::InvalidInput("counts and population differ in length"));
    }
    if !(per > 0.0 && per.is_finite()) {
        return Err(Error::InvalidInput("the rate base must be a positive number"));
    }
    Ok(counts
        .iter()
        .zip(population)
        .map(|(&c, &p)| match (c, p) {
            (Some(c), Some(p)) if p > 0.0 && p.is_finite() => Some(c as f64 / p * per),
            _ => None,
        })
        .collect())
}

/// The regions with a value and their neighbour lists among them.
struct Sub {
    /// Original index of each used region.
    used: Vec<usize>,
    /// Values of the used regions.
    x: Vec<f64>,
    /// Neighbours (compact indices) of each used region.
    nb: Vec<Vec<usize>>,
    mean: f64,
    sd: f64,
}

fn subset(weights: &Weights, values: &[Option<f64>]) -> Result<Sub> {
    if values.len() != weights.len() {
        return Err(Error::InvalidInput("one value per region of the weights is needed"));
    }
    if values.iter().flatten().any(|v| !v.is_finite()) {
        return Err(Error::InvalidInput("a value is not a finite number"));
    }
    let mut pos = vec![usize::MAX; values.len()];
    let mut used = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if v.is_some() {
            pos[i] = used.len();
            used.push(i);
        }
    }
    let n = used.len();
    if n < 3 {
        return Err(Error::TooFewRegions { found: n, minimum: 3 });
    }
    let x: Vec<f64> = used.iter().map(|&i| values[i].unwrap_or_default()).collect();
    let nb = used
        .iter()
        .map(|&i| weights.neighbours(i).iter().filter(|&&j| pos[j] != usize::MAX).map(|&j| pos[j]).collect())
        .collect();
    let mean = x.iter().sum::<f64>() / n as f64;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
    if var.is_nan() || var <= 1e-12 * (mean * mean).max(1e-300) {
        return Err(Error::NoVariation);
    }
    Ok(Sub { used, x, nb, mean, sd: var.sqrt() })
}

/// Runs `f` over `0..count` on `threads` scoped threads in contiguous chunks; output in order.
pub(crate) fn par_map<T: Send>(
    count: usize,
    threads: usize,
    f: &(dyn Fn(usize) -> T + Sync),
) -> Result<Vec<T>> {
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        return Ok((0..count).map(f).collect());
    }
    let chunk = count.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let range = (k * chunk).min(count)..((k + 1) * chunk).min(count);
                s.spawn(move || range.map(f).collect::<Vec<T>>())
            })
            .collect();
        let mut out = Vec::with_capacity(count);
        for h in handles {
            out.extend(h.join().map_err(|_| Error::Internal("a worker thread panicked"))?);
        }
        Ok(out)
    })
}

pub(crate) fn threads(option: Option<usize>) -> usize {
    option.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// Draws `k` distinct indices of `0..n` other than `i` into `out`, using (and restoring) the
/// identity array `scratch` of length `n − 1` (partial Fisher–Yates, swaps undone afterwards so
/// that every draw starts from the identity).
fn draw_others(rng: &mut ChaCha8Rng, scratch: &mut [usize], i: usize, k: usize, out: &mut Vec<usize>) {
    let m = scratch.len();
    out.clear();
    let mut swaps = [0usize; 64];
    let mut long_swaps = Vec::new();
    for s in 0..k {
        let r = rng.random_range(s..m);
        scratch.swap(s, r);
        if s < swaps.len() {
            swaps[s] = r;
        } else {
            long_swaps.push(r);
        }
        let v = scratch[s];
        out.push(if v >= i { v + 1 } else { v });
    }
    for s in (0..k).rev() {
        let r = if s < swaps.len() { swaps[s] } else { long_swaps[s - swaps.len()] };
        scratch.swap(s, r);
    }
}

/// Counts of permuted statistics at or above and at or below the observed one (ties within a
/// relative 1e-10 count on both sides).
#[derive(Default)]
struct Tally {
    above: usize,
    below: usize,
}

impl Tally {
    fn add(&mut self, sim: f64, obs: f64) {
        let eps = 1e-10 * obs.abs().max(1.0);
        if sim >= obs - eps {
            self.above += 1;
        }
        if sim <= obs + eps {
            self.below += 1;
        }
    }

    /// Folded pseudo p-value.
    fn p(&self, permutations: usize) -> f64 {
        (self.above.min(self.below) as f64 + 1.0) / (permutations as f64 + 1.0)
    }
}

/// Getis-Ord Gi* (the region itself included among its neighbours) for every region, as a
/// z-score: `Gi* = (Σⱼ wᵢⱼ xⱼ − x̄ Wᵢ) / (s √((n Σⱼ wᵢⱼ² − Wᵢ²) / (n − 1)))` with the sums over
/// the region and its neighbours, `Wᵢ = Σⱼ wᵢⱼ`, `x̄` and `s` the mean and population standard
/// deviation of all `n` values. Binary weights by default (`wᵢᵢ = 1`); row-standardised
/// weights give each of the `k + 1` members `1 / (k + 1)`. Hot spot: `z > 0` and `p ≤ alpha`;
/// cold spot: `z < 0` and `p ≤ alpha` (`p` the permutation p-value when there are
/// permutations).
///
/// # Errors
/// [`Error::InvalidInput`] (lengths, non-finite values, `alpha`), [`Error::TooFewRegions`] (fewer
/// than 3 values), [`Error::NoVariation`] (all values equal).
pub fn getis_ord(weights: &Weights, values: &[Option<f64>], options: &LocalOptions) -> Result<LocalAnalysis> {
    check_alpha(options.alpha)?;
    let scheme = options.scheme.unwrap_or(Scheme::Binary);
    let sub = subset(weights, values)?;
    let n = sub.x.len();
    let nf = n as f64;
    let perms = options.permutations;
    let one = |c: usize| -> (Option<f64>, Option<f64>) {
        let k = sub.nb[c].len();
        if k == 0 {
            return (None, None);
        }
        let w = match scheme {
            Scheme::Binary => 1.0,
            Scheme::RowStandardised => 1.0 / (k as f64 + 1.0),
        };
        let wsum = w * (k as f64 + 1.0);
        let w2sum = w * w * (k as f64 + 1.0);
        let spread = nf * w2sum - wsum * wsum;
        if spread <= 1e-12 * wsum * wsum {
            // The region and its neighbours are every region: Gi* is 0 / 0.
            return (None, None);
        }
        let den = sub.sd * (spread / (nf - 1.0)).sqrt();
        let z_of = |sum_nb: f64| (w * (sub.x[c] + sum_nb) - sub.mean * wsum) / den;
        let obs = z_of(sub.nb[c].iter().map(|&j| sub.x[j]).sum());
        if perms == 0 {
            return (Some(obs), None);
        }
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(sub.used[c] as u64);
        let mut scratch: Vec<usize> = (0..n - 1).collect();
        let mut draw = Vec::with_capacity(k);
        let mut tally = Tally::default();
        for _ in 0..perms {
            draw_others(&mut rng, &mut scratch, c, k, &mut draw);
            tally.add(z_of(draw.iter().map(|&j| sub.x[j]).sum()), obs);
        }
        (Some(obs), Some(tally.p(perms)))
    };
    let raw = par_map(n, threads(options.threads), &one)?;
    let mut results: Vec<Option<(f64, Option<f64>, usize)>> = vec![None; weights.len()];
    for (c, (z, p)) in raw.into_iter().enumerate() {
        if let Some(z) = z {
            results[sub.used[c]] = Some((z, p, sub.nb[c].len()));
        }
    }
    let regions = weights
        .codes()
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let used = sub.used.binary_search(&i).ok();
            match results[i] {
                Some((z, p_sim, k)) => {
                    let p_normal = two_sided_p(z);
                    let p = p_sim.unwrap_or(p_normal);
                    let class = if p > options.alpha {
                        Class::NotSignificant
                    } else if z > 0.0 {
                        Class::HotSpot
                    } else if z < 0.0 {
                        Class::ColdSpot
                    } else {
                        Class::NotSignificant
                    };
                    LocalResult {
                        code: code.clone(),
                        value: values[i],
                        neighbours_used: k,
                        statistic: Some(z),
                        z: Some(z),
                        p_normal: Some(p_normal),
                        p_sim,
                        class,
                    }
                }
                None => LocalResult {
                    code: code.clone(),
                    value: values[i],
                    neighbours_used: used.map_or(0, |c| sub.nb[c].len()),
                    statistic: None,
                    z: None,
                    p_normal: None,
                    p_sim: None,
                    class: Class::NotComputed,
                },
            }
        })
        .collect();
    Ok(finish(weights, values, &sub, regions, scheme, options))
}

/// Local Moran's I for every region: `Iᵢ = (zᵢ / m₂) Σⱼ wᵢⱼ zⱼ` with `z = x − x̄` and
/// `m₂ = Σ z² / n`; row-standardised weights by default. The class is the quadrant of
/// `(zᵢ, Σⱼ wᵢⱼ zⱼ)` (high-high, low-low, high-low, low-high) when the permutation p-value is
/// at most `alpha`. Without permutations no p-value exists and every computed region is
/// [`Class::NotSignificant`].
///
/// # Errors
/// As [`getis_ord`].
pub fn local_moran(
    weights: &Weights,
    values: &[Option<f64>],
    options: &LocalOptions,
) -> Result<LocalAnalysis> {
    check_alpha(options.alpha)?;
    let scheme = options.scheme.unwrap_or(Scheme::RowStandardised);
    let sub = subset(weights, values)?;
    let n = sub.x.len();
    let z: Vec<f64> = sub.x.iter().map(|v| v - sub.mean).collect();
    let m2 = sub.sd * sub.sd;
    let perms = options.permutations;
    // (I, lag, z_sim, p_sim)
    let one = |c: usize| -> Option<(f64, f64, Option<f64>, Option<f64>)> {
        let k = sub.nb[c].len();
        if k == 0 {
            return None;
        }
        let w = match scheme {
            Scheme::Binary => 1.0,
            Scheme::RowStandardised => 1.0 / k as f64,
        };
        let lag = w * sub.nb[c].iter().map(|&j| z[j]).sum::<f64>();
        let obs = z[c] / m2 * lag;
        if perms == 0 {
            return Some((obs, lag, None, None));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        rng.set_stream(sub.used[c] as u64);
        let mut scratch: Vec<usize> = (0..n - 1).collect();
        let mut draw = Vec::with_capacity(k);
        let (mut tally, mut s1, mut s2) = (Tally::default(), 0.0, 0.0);
        for _ in 0..perms {
            draw_others(&mut rng, &mut scratch, c, k, &mut draw);
            let sim = z[c] / m2 * w * draw.iter().map(|&j| z[j]).sum::<f64>();
            tally.add(sim, obs);
            s1 += sim;
            s2 += sim * sim;
        }
        let pf = perms as f64;
        let mean = s1 / pf;
        let sd = ((s2 / pf - mean * mean).max(0.0) * pf / (pf - 1.0).max(1.0)).sqrt();
        let zs = if sd > 0.0 { Some((obs - mean) / sd) } else { None };
        Some((obs, lag, zs, Some(tally.p(perms))))
    };
    let raw = par_map(n, threads(options.threads), &one)?;
    let regions = weights
        .codes()
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let c = sub.used.binary_search(&i).ok();
            match c.and_then(|c| raw[c].map(|r| (c, r))) {
                Some((c, (stat, lag, zs, p_sim))) => {
                    let significant = p_sim.is_some_and(|p| p <= options.alpha);
                    let class = match (significant, z[c] > 0.0, lag > 0.0) {
                        (false, _, _) => Class::NotSignificant,
                        (true, true, true) => Class::HighHigh,
                        (true, false, false) => Class::LowLow,
                        (true, true, false) => Class::HighLow,
                        (true, false, true) => Class::LowHigh,
                    };
                    LocalResult {
                        code: code.clone(),
                        value: values[i],
                        neighbours_used: sub.nb[c].len(),
                        statistic: Some(stat),
                        z: zs,
                        p_normal: None,
                        p_sim,
                        class,
                    }
                }
                None => LocalResult {
                    code: code.clone(),
                    value: values[i],
                    neighbours_used: c.map_or(0, |c| sub.nb[c].len()),
                    statistic: None,
                    z: None,
                    p_normal: None,
                    p_sim: None,
                    class: Class::NotComputed,
                },
            }
        })
        .collect();
    Ok(finish(weights, values, &sub, regions, scheme, options))
}

/// Global Moran's I over the regions with a value: `I = (n / S₀) Σᵢⱼ wᵢⱼ zᵢ zⱼ / Σᵢ zᵢ²`, with
/// its normal-approximation test (variance under normality, Cliff and Ord) and a permutation
/// test (the values permuted over all regions; permutation `b` uses ChaCha8 stream
/// `2⁶³ + b`). Regions whose neighbours all lack a value have an empty row and count in `n`.
///
/// # Errors
/// As [`getis_ord`]; also [`Error::TooFewRegions`] when no region has a neighbour.
pub fn global_moran(
    weights: &Weights,
    values: &[Option<f64>],
    options: &LocalOptions,
) -> Result<GlobalMoran> {
    let scheme = options.scheme.unwrap_or(Scheme::RowStandardised);
    let sub = subset(weights, values)?;
    let n = sub.x.len();
    let nf = n as f64;
    let w_of = |c: usize| match scheme {
        Scheme::Binary => 1.0,
        Scheme::RowStandardised => 1.0 / sub.nb[c].len() as f64,
    };
    let s0: f64 = (0..n).filter(|&c| !sub.nb[c].is_empty()).map(|c| w_of(c) * sub.nb[c].len() as f64).sum();
    if s0 == 0.0 {
        return Err(Error::TooFewRegions { found: 0, minimum: 1 });
    }
    let z: Vec<f64> = sub.x.iter().map(|v| v - sub.mean).collect();
    let zz: f64 = z.iter().map(|v| v * v).sum();
    let stat = |z: &[f64], order: &[usize]| -> f64 {
        let mut s = 0.0;
        for c in 0..n {
            if sub.nb[c].is_empty() {
                continue;
            }
            let lag: f64 = sub.nb[c].iter().map(|&j| z[order[j]]).sum();
            s += w_of(c) * z[order[c]] * lag;
        }
        nf / s0 * s / zz
    };
    let identity: Vec<usize> = (0..n).collect();
    let i = stat(&z, &identity);
    // S1 = ½ Σᵢⱼ (wᵢⱼ + wⱼᵢ)², S2 = Σᵢ (wᵢ. + w.ᵢ)².
    let mut s1 = 0.0;
    let mut col = vec![0.0; n];
    for c in 0..n {
        for &j in &sub.nb[c] {
            let wij = w_of(c);
            let wji = w_of(j);
            s1 += 0.5 * (wij + wji) * (wij + wji);
            col[j] += wij;
        }
    }
    let s2: f64 = (0..n)
        .map(|c| {
            let row = if sub.nb[c].is_empty() { 0.0 } else { w_of(c) * sub.nb[c].len() as f64 };
            (row + col[c]) * (row + col[c])
        })
        .sum();
    let expected = -1.0 / (nf - 1.0);
    let variance =
        (nf * nf * s1 - nf * s2 + 3.0 * s0 * s0) / ((nf * nf - 1.0) * s0 * s0) - expected * expected;
    let zscore = (i - expected) / variance.sqrt();
    let p_sim = if options.permutations == 0 {
        None
    } else {
        let one = |b: usize| -> f64 {
            let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
            rng.set_stream((1u64 << 63) + b as u64);
            let mut order: Vec<usize> = (0..n).collect();
            for s in (1..n).rev() {
                order.swap(s, rng.random_range(0..=s));
            }
            stat(&z, &order)
        };
        let sims = par_map(options.permutations, threads(options.threads), &one)?;
        let mut tally = Tally::default();
        sims.iter().for_each(|&s| tally.add(s, i));
        Some(tally.p(options.permutations))
    };
    Ok(GlobalMoran { i, expected, variance, z: zscore, p_normal: two_sided_p(zscore), p_sim, n, scheme })
}

fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha < 1.0 { Ok(()) } else { Err(Error::InvalidInput("alpha must lie in (0, 1)")) }
}

fn finish(
    weights: &Weights,
    values: &[Option<f64>],
    sub: &Sub,
    regions: Vec<LocalResult>,
    scheme: Scheme,
    options: &LocalOptions,
) -> LocalAnalysis {
    let missing =
        weights.codes().iter().zip(values).filter(|(_, v)| v.is_none()).map(|(c, _)| c.clone()).collect();
    let without_neighbours = sub
        .used
        .iter()
        .zip(&sub.nb)
        .filter(|(_, nb)| nb.is_empty())
        .map(|(&i, _)| weights.codes()[i].clone())
        .collect();
    LocalAnalysis {
        regions,
        n: sub.x.len(),
        missing,
        without_neighbours,
        mean: sub.mean,
        sd: sub.sd,
        scheme,
        permutations: options.permutations,
        seed: options.seed,
        alpha: options.alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_distinct_and_exclude_self() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut scratch: Vec<usize> = (0..9).collect();
        let mut out = Vec::new();
        for _ in 0..200 {
            draw_others(&mut rng, &mut scratch, 4, 5, &mut out);
            let mut s = out.clone();
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), 5);
            assert!(!out.contains(&4) && out.iter().all(|&v| v < 10));
            assert_eq!(scratch, (0..9).collect::<Vec<_>>());
        }
    }

    #[test]
    fn rates_skip_suppressed_counts() {
        let r = rates(&[Some(5), None, Some(2)], &[Some(1000.0), Some(10.0), Some(0.0)], 1e5).expect("rates");
        assert_eq!(r, vec![Some(500.0), None, None]);
    }
}
