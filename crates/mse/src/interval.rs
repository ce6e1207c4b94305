//! Intervals for the total: Wald on the log scale of the hidden figure, profile likelihood over
//! `N` with Cormack's multinomial term, and the BCa bootstrap that repeats the model choice in
//! every resample (Chan, Silverman & Vincent 2021; Silverman, Chan & Vincent 2024).
//!
//! **Bootstrap.** Resample `b` draws `n_observed` persons with replacement from the observed
//! persons (a multinomial over the observed cells) with a ChaCha8 generator seeded by the seed
//! and put on stream `b`, so each resample is the same whatever the number of threads. The model
//! choice is repeated on it (for BIC: over the best models on the original data, see
//! [`crate::Selection::Bic`]). The acceleration comes from the delete-one jackknife over persons
//! (one per observed cell, weighted by its count); the bias correction from the share of
//! resamples below the point estimate; the limits are type-8 quantiles, as `bcaconfvalues` of
//! the R packages.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Error;
use crate::data::CaptureHistories;
use crate::fit::{Data, IrlsError, Layout, ModelFit, irls};
use crate::model::Model;
use crate::select::{Choice, Selection, choose_data, default_top_models};
use crate::special::{ln_gamma, normal_cdf, normal_quantile, quantile_type8};

/// How the interval for the total is computed.
#[derive(Clone, Debug, PartialEq)]
pub enum IntervalMethod {
    /// No interval.
    None,
    /// `n + exp(β̂₀ ± z·se(β̂₀))`.
    Wald,
    /// Profile likelihood over the total (Rcapture's `closedpCI.t`).
    Profile,
    /// BCa bootstrap repeating the model choice in each resample.
    Bootstrap {
        /// Number of resamples (1,000 in the papers).
        resamples: usize,
        /// Seed of the random generator.
        seed: u64,
    },
}

/// Details of a bootstrap run.
#[derive(Clone, Debug, PartialEq)]
pub struct BootstrapSummary {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples whose model choice or fit failed (left out).
    pub failed: usize,
    /// Jackknife fits that failed (left out of the acceleration).
    pub jackknife_failed: usize,
    /// BCa acceleration `â`.
    pub acceleration: f64,
    /// BCa bias correction `ẑ₀`.
    pub bias_correction: f64,
    /// The totals of the successful resamples, sorted.
    pub replicates: Vec<f64>,
}

pub(crate) fn z_of(level: f64) -> f64 {
    normal_quantile(0.5 + level / 2.0)
}

/// Wald interval for the total.
pub fn wald(fit: &ModelFit, level: f64) -> (f64, f64) {
    let z = z_of(level);
    let b0 = fit.hidden.ln();
    let n = fit.observed as f64;
    (n + (b0 - z * fit.se_log_hidden).exp(), n + (b0 + z * fit.se_log_hidden).exp())
}

/// Profile likelihood of the total, for one model.
struct Profile {
    x: Vec<f64>,
    y: Vec<f64>,
    n_rows: usize,
    p: usize,
    observed: f64,
    start: Vec<f64>,
}

impl Profile {
    fn new(data: &Data<'_>, fit: &ModelFit) -> Self {
        let layout = Layout::new(data.ch.t(), &data.nstar, &fit.model);
        // The unobserved cell 0 first (only the intercept is 1 on it), then the kept cells.
        let mut full = layout.clone();
        full.cells.insert(0, 0);
        let x = full.design();
        let mut y: Vec<f64> = full.cells.iter().map(|&c| data.ch.counts()[c as usize] as f64).collect();
        y[0] = fit.hidden;
        let start = fit.coefficients.iter().map(|(_, b)| *b).collect();
        Self { n_rows: full.cells.len(), p: full.cols.len(), x, y, observed: fit.observed as f64, start }
    }

    /// Profile log-likelihood at hidden figure `h` (total `n + h`).
    fn at(&mut self, h: f64) -> Option<f64> {
        self.y[0] = h;
        let res = match irls(&self.x, self.n_rows, self.p, &self.y, Some(&self.start)) {
            Ok(r) => r,
            Err(IrlsError::Singular | IrlsError::NotConverged(_)) => return None,
        };
        let ll: f64 = self
            .y
            .iter()
            .zip(&res.mu)
            .map(|(&y, &m)| if y > 0.0 { y * m.ln() } else { 0.0 } - m - ln_gamma(y + 1.0))
            .sum();
        self.start = res.beta;
        let n = self.observed + h;
        Some(ll - (n * n.ln() - n - ln_gamma(n + 1.0)))
    }
}

/// Profile-likelihood interval for the total; the upper limit is infinite when the likelihood
/// does not drop enough within a factor 10⁶ of the estimate.
///
/// # Errors
/// [`Error::Interval`] when the profile cannot be evaluated.
pub fn profile(ch: &CaptureHistories, fit: &ModelFit, level: f64) -> Result<(f64, f64), Error> {
    profile_data(&Data::new(ch), fit, level)
}

pub(crate) fn profile_data(data: &Data<'_>, fit: &ModelFit, level: f64) -> Result<(f64, f64), Error> {
    let mut pr = Profile::new(data, fit);
    let fail = || Error::Interval("the profile likelihood could not be evaluated");
    let mut f = |u: f64| pr.at(u.exp());
    // Maximise over u = log(hidden) by golden-section search around the estimate.
    let u0 = fit.hidden.max(1e-8).ln();
    let (mut a, mut b) = (u0 - 3.0, u0 + 3.0);
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let mut fc = f(c).ok_or_else(fail)?;
    let mut fd = f(d).ok_or_else(fail)?;
    for _ in 0..80 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c).ok_or_else(fail)?;
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d).ok_or_else(fail)?;
        }
        if b - a < 1e-9 {
            break;
        }
    }
    let (umax, lmax) = if fc > fd { (c, fc) } else { (d, fd) };
    let z = z_of(level);
    let crit = lmax - 0.5 * z * z;
    let n = fit.observed as f64;
    // Lower limit.
    let mut lo = umax - 1.0;
    let lower = loop {
        let v = f(lo).ok_or_else(fail)?;
        if v < crit {
            break Some(lo);
        }
        lo -= 1.0;
        if lo < umax - 40.0 {
            break None;
        }
    };
    let lower = match lower {
        None => n,
        Some(mut l) => {
            let mut h = umax;
            for _ in 0..100 {
                let mid = 0.5 * (l + h);
                if f(mid).ok_or_else(fail)? < crit {
                    l = mid
                } else {
                    h = mid
                }
                if h - l < 1e-10 {
                    break;
                }
            }
            n + (0.5 * (l + h)).exp()
        }
    };
    let mut hi = umax + 1.0;
    let upper = loop {
        let v = f(hi).ok_or_else(fail)?;
        if v < crit {
            break Some(hi);
        }
        hi += 1.0;
        if hi > umax + 14.0 {
            break None;
        }
    };
    let upper = match upper {
        None => f64::INFINITY,
        Some(mut h) => {
            let mut l = umax;
            for _ in 0..100 {
                let mid = 0.5 * (l + h);
                if f(mid).ok_or_else(fail)? < crit {
                    h = mid
                } else {
                    l = mid
                }
                if h - l < 1e-10 {
                    break;
                }
            }
            n + (0.5 * (l + h)).exp()
        }
    };
    Ok((lower, upper))
}

/// Runs `f(i)` for `i in 0..count` over `threads` threads in contiguous chunks; results in index
/// order, so they do not depend on the thread count.
fn par_map<T: Send>(
    count: usize,
    threads: usize,
    f: &(dyn Fn(usize) -> T + Sync),
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<T>, Error> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let step = |i: usize| {
        let r = f(i);
        let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(d);
        r
    };
    let threads = threads.clamp(1, count.max(1));
    if threads == 1 {
        return Ok((0..count).map(step).collect());
    }
    let chunk = count.div_ceil(threads);
    std::thread::scope(|s| {
        let step = &step;
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let range = (k * chunk).min(count)..((k + 1) * chunk).min(count);
                s.spawn(move || range.map(step).collect::<Vec<T>>())
            })
            .collect();
        let mut out = Vec::with_capacity(count);
        for h in handles {
            out.extend(h.join().map_err(|_| Error::Internal("a bootstrap thread panicked"))?);
        }
        Ok(out)
    })
}

/// The total estimated on other counts (same lists) by the same procedure, `None` if it fails.
fn total_on(
    lists: &[String],
    counts: Vec<u64>,
    selection: &Selection,
    restrict: Option<&[Model]>,
) -> Option<f64> {
    let ch = CaptureHistories::new(lists.to_vec(), counts).ok()?;
    let data = Data::new(&ch);
    choose_data(&data, selection, 1, restrict).ok().map(|c| c.fit.total).filter(|v| v.is_finite())
}

/// BCa bootstrap interval for the total, repeating the model choice in each resample.
///
/// # Errors
/// [`Error::Interval`] when no resample succeeds or the acceleration cannot be computed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bootstrap(
    ch: &CaptureHistories,
    selection: &Selection,
    original: &Choice,
    resamples: usize,
    seed: u64,
    level: f64,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<((f64, f64), BootstrapSummary), Error> {
    if resamples < 2 {
        return Err(Error::Interval("the bootstrap needs at least 2 resamples"));
    }
    let restrict: Option<Vec<Model>> = match selection {
        Selection::Bic { top_models, .. } => {
            let k = top_models.unwrap_or_else(|| default_top_models(ch.t()));
            Some(original.ranked.iter().take(k).cloned().collect())
        }
        _ => None,
    };
    let restrict = restrict.as_deref();
    let counts = ch.counts();
    let n = ch.observed();
    let mut cum = Vec::with_capacity(counts.len());
    let mut acc = 0u64;
    for &c in counts {
        acc += c;
        cum.push(acc);
    }
    let lists = ch.lists();
    let one = |b: usize| -> Option<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(b as u64);
        let mut draw = vec![0u64; counts.len()];
        for _ in 0..n {
            let u = rng.random_range(0..n);
            // First cell whose cumulative count exceeds u.
            let cell = cum.partition_point(|&c| c <= u);
            draw[cell] += 1;
        }
        total_on(lists, draw, selection, restrict)
    };
    let boots = par_map(resamples, threads, &one, progress)?;
    // Jackknife: remove one person from each observed cell.
    let cells: Vec<usize> = (1..counts.len()).filter(|&c| counts[c] > 0).collect();
    let jack_one = |k: usize| -> Option<f64> {
        let mut c = counts.to_vec();
        c[cells[k]] -= 1;
        total_on(lists, c, selection, restrict)
    };
    let jacks = par_map(cells.len(), threads, &jack_one, &|_| {})?;
    let failed = boots.iter().filter(|b| b.is_none()).count();
    let mut reps: Vec<f64> = boots.into_iter().flatten().collect();
    if reps.is_empty() {
        return Err(Error::Interval("every bootstrap resample failed"));
    }
    reps.sort_by(f64::total_cmp);
    let jackknife_failed = jacks.iter().filter(|j| j.is_none()).count();
    let (mut sw, mut swj) = (0.0, 0.0);
    for (k, j) in jacks.iter().enumerate() {
        if let Some(v) = j {
            let w = counts[cells[k]] as f64;
            sw += w;
            swj += w * v;
        }
    }
    let mean = if sw > 0.0 { swj / sw } else { 0.0 };
    let (mut s2, mut s3) = (0.0, 0.0);
    for (k, j) in jacks.iter().enumerate() {
        if let Some(v) = j {
            let w = counts[cells[k]] as f64;
            let d = mean - v;
            s2 += w * d * d;
            s3 += w * d * d * d;
        }
    }
    let acceleration = if s2 > 0.0 { s3 / (6.0 * s2.powf(1.5)) } else { 0.0 };
    let popest = original.fit.total;
    let bsz = reps.len() as f64;
    let below = reps.iter().filter(|&&r| r < popest).count() as f64 / bsz;
    let bias_correction = normal_quantile(below.clamp(0.5 / bsz, 1.0 - 0.5 / bsz));
    let limit = |alpha: f64| {
        let za = normal_quantile(alpha);
        let za0 = za + bias_correction;
        let q = normal_cdf(bias_correction + za0 / (1.0 - acceleration * za0));
        quantile_type8(&reps, q)
    };
    let tail = (1.0 - level) / 2.0;
    let interval = (limit(tail), limit(1.0 - tail));
    Ok((
        interval,
        BootstrapSummary {
            resamples,
            failed,
            jackknife_failed,
            acceleration,
            bias_correction,
            replicates: reps,
        },
    ))
}
