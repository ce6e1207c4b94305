//! Exponential smoothing with additive errors and an additive damped trend, optionally with
//! additive seasonality: ETS(A,Ad,N) and ETS(A,Ad,A) in the notation of Hyndman et al.,
//! *Forecasting with Exponential Smoothing* (2008).
//!
//! ```text
//! ŷₜ = lₜ₋₁ + φ bₜ₋₁ + sₜ₋ₘ          eₜ = yₜ − ŷₜ
//! lₜ = lₜ₋₁ + φ bₜ₋₁ + α eₜ         bₜ = φ bₜ₋₁ + β eₜ         sₜ = sₜ₋ₘ + γ eₜ
//! ```
//!
//! The initial states are set as R's `HoltWinters` does (a line through the first values, or
//! the first two seasons); `α`, `β`, `γ`, `φ` minimise the sum of squared one-step errors
//! (the Gaussian likelihood) by Nelder–Mead within `0 < α < 1`, `0 < β < α`, `0 < γ < 1 − α`,
//! `0.8 ≤ φ ≤ 0.98`. Prediction intervals are simulated: future errors are drawn
//! `N(0, σ̂²)` with `σ̂² = SSE / (n − parameters)` and carried through the recursions.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// A fitted ETS model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ets {
    pub(crate) alpha: f64,
    pub(crate) beta: f64,
    pub(crate) gamma: f64,
    pub(crate) phi: f64,
    /// Season length (1: none).
    pub(crate) period: usize,
    /// Final level and trend.
    pub(crate) level: f64,
    pub(crate) trend: f64,
    /// The last `period` seasonal states, oldest first (empty without seasonality).
    pub(crate) season: Vec<f64>,
    pub(crate) sigma: f64,
}

struct Init {
    level: f64,
    trend: f64,
    season: Vec<f64>,
}

fn initial_states(y: &[f64], period: usize) -> Init {
    if period > 1 {
        let m = period;
        let mean1 = y[..m].iter().sum::<f64>() / m as f64;
        let mean2 = y[m..2 * m].iter().sum::<f64>() / m as f64;
        let trend = (mean2 - mean1) / m as f64;
        // Level at time 0: the first season's mean taken back to before its first value.
        let level = mean1 - trend * (m as f64 + 1.0) / 2.0;
        let mut season: Vec<f64> = (0..m)
            .map(|j| {
                let a = y[j] - (level + trend * (j as f64 + 1.0));
                let b = y[j + m] - (level + trend * ((j + m) as f64 + 1.0));
                (a + b) / 2.0
            })
            .collect();
        let centre = season.iter().sum::<f64>() / m as f64;
        season.iter_mut().for_each(|s| *s -= centre);
        Init { level, trend, season }
    } else {
        let k = y.len().min(10);
        let tm = (k as f64 + 1.0) / 2.0;
        let ym = y[..k].iter().sum::<f64>() / k as f64;
        let sxy: f64 = (0..k).map(|i| (i as f64 + 1.0 - tm) * (y[i] - ym)).sum();
        let sxx: f64 = (0..k).map(|i| (i as f64 + 1.0 - tm).powi(2)).sum();
        let trend = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        Init { level: ym - trend * tm, trend, season: Vec::new() }
    }
}

fn logistic(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// (α, β, γ, φ) from unconstrained parameters.
fn params(v: &[f64], seasonal: bool) -> (f64, f64, f64, f64) {
    let alpha = 1e-4 + (1.0 - 2e-4) * logistic(v[0]);
    let beta = alpha * (1e-4 + (1.0 - 2e-4) * logistic(v[1]));
    let phi = 0.8 + 0.18 * logistic(v[2]);
    let gamma = if seasonal { (1.0 - alpha) * (1e-4 + (1.0 - 2e-4) * logistic(v[3])) } else { 0.0 };
    (alpha, beta, gamma, phi)
}

/// Runs the recursions; returns SSE and the final states.
fn run(y: &[f64], init: &Init, alpha: f64, beta: f64, gamma: f64, phi: f64) -> (f64, f64, f64, Vec<f64>) {
    let m = init.season.len();
    let (mut l, mut b) = (init.level, init.trend);
    let mut s = init.season.clone();
    let mut sse = 0.0;
    for (t, &yt) in y.iter().enumerate() {
        let st = if m > 0 { s[t % m] } else { 0.0 };
        let e = yt - (l + phi * b + st);
        sse += e * e;
        let l_new = l + phi * b + alpha * e;
        b = phi * b + beta * e;
        l = l_new;
        if m > 0 {
            s[t % m] = st + gamma * e;
        }
    }
    // Rotate so that the states are oldest first relative to the next period.
    if m > 0 {
        let k = y.len() % m;
        s.rotate_left(k);
    }
    (sse, l, b, s)
}

/// Nelder–Mead minimisation from `x0` (standard coefficients, fixed iteration budget).
pub(crate) fn nelder_mead(f: &dyn Fn(&[f64]) -> f64, x0: &[f64], step: f64, max_evals: usize) -> Vec<f64> {
    let d = x0.len();
    let mut simplex: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..d {
        let mut v = x0.to_vec();
        v[i] += step;
        simplex.push(v);
    }
    let mut vals: Vec<f64> = simplex.iter().map(|v| f(v)).collect();
    let mut evals = d + 1;
    while evals < max_evals {
        let mut order: Vec<usize> = (0..=d).collect();
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        simplex = order.iter().map(|&i| simplex[i].clone()).collect();
        vals = order.iter().map(|&i| vals[i]).collect();
        if (vals[d] - vals[0]).abs() <= 1e-10 * (vals[0].abs() + 1e-10) {
            break;
        }
        let centroid: Vec<f64> =
            (0..d).map(|j| simplex[..d].iter().map(|v| v[j]).sum::<f64>() / d as f64).collect();
        let along = |t: f64| -> Vec<f64> {
            (0..d).map(|j| centroid[j] + t * (simplex[d][j] - centroid[j])).collect()
        };
        let xr = along(-1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < vals[0] {
            let xe = along(-2.0);
            let fe = f(&xe);
            evals += 1;
            if fe < fr {
                simplex[d] = xe;
                vals[d] = fe;
            } else {
                simplex[d] = xr;
                vals[d] = fr;
            }
        } else if fr < vals[d - 1] {
            simplex[d] = xr;
            vals[d] = fr;
        } else {
            let (xc, fc) = if fr < vals[d] {
                let x = along(-0.5);
                let v = f(&x);
                (x, v)
            } else {
                let x = along(0.5);
                let v = f(&x);
                (x, v)
            };
            evals += 1;
            if fc < vals[d].min(fr) {
                simplex[d] = xc;
                vals[d] = fc;
            } else {
                for i in 1..=d {
                    simplex[i] =
                        (0..d).map(|j| simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j])).collect();
                    vals[i] = f(&simplex[i]);
                }
                evals += d;
            }
        }
    }
    let best = (0..=d).min_by(|&a, &b| vals[a].total_cmp(&vals[b])).unwrap_or(0);
    simplex[best].clone()
}

/// Fits ETS(A,Ad,N) (`period` 1) or ETS(A,Ad,A) to `y` (at least `2 × period + 2` values when
/// seasonal, 4 otherwise; checked by the caller).
pub(crate) fn fit(y: &[f64], period: usize) -> Ets {
    let seasonal = period > 1;
    let init = initial_states(y, period);
    let objective = |v: &[f64]| -> f64 {
        let (a, b, g, phi) = params(v, seasonal);
        let sse = run(y, &init, a, b, g, phi).0;
        if sse.is_finite() { sse } else { f64::MAX }
    };
    let x0 = if seasonal { vec![-1.0, -1.0, 1.0, -1.0] } else { vec![-1.0, -1.0, 1.0] };
    let best = nelder_mead(&objective, &x0, 1.0, 600);
    let (alpha, beta, gamma, phi) = params(&best, seasonal);
    let (sse, level, trend, season) = run(y, &init, alpha, beta, gamma, phi);
    let k = if seasonal { 4 + 2 + (period - 1) } else { 3 + 2 };
    let dof = (y.len() as f64 - k as f64).max(1.0);
    Ets { alpha, beta, gamma, phi, period, level, trend, season, sigma: (sse / dof).sqrt() }
}

impl Ets {
    /// Mean forecasts for `h = 1..=horizon`.
    pub(crate) fn forecast(&self, horizon: usize) -> Vec<f64> {
        let mut damp = 0.0;
        let mut pw = 1.0;
        (1..=horizon)
            .map(|h| {
                pw *= self.phi;
                damp += pw;
                let s = if self.season.is_empty() { 0.0 } else { self.season[(h - 1) % self.period] };
                self.level + damp * self.trend + s
            })
            .collect()
    }

    /// `paths` simulated futures (row per path), each on its own ChaCha8 stream of `seed`.
    pub(crate) fn simulate(&self, horizon: usize, paths: usize, seed: u64) -> Vec<Vec<f64>> {
        (0..paths)
            .map(|p| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(p as u64);
                let (mut l, mut b) = (self.level, self.trend);
                let mut s = self.season.clone();
                let m = s.len();
                (0..horizon)
                    .map(|h| {
                        let st = if m > 0 { s[h % m] } else { 0.0 };
                        let e = self.sigma * Distribution::<f64>::sample(&StandardNormal, &mut rng);
                        let y = l + self.phi * b + st + e;
                        let l_new = l + self.phi * b + self.alpha * e;
                        b = self.phi * b + self.beta * e;
                        l = l_new;
                        if m > 0 {
                            s[h % m] = st + self.gamma * e;
                        }
                        y
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_a_line_and_a_season() {
        let y: Vec<f64> = (0..40).map(|t| 10.0 + 0.5 * t as f64 + [3.0, -1.0, -2.0, 0.0][t % 4]).collect();
        let e = fit(&y, 4);
        let f = e.forecast(4);
        // The damped trend falls short of the line a little; the season is kept.
        for (h, v) in f.iter().enumerate() {
            let truth = 10.0 + 0.5 * (40 + h) as f64 + [3.0, -1.0, -2.0, 0.0][(40 + h) % 4];
            assert!((v - truth).abs() < 1.5, "h={h}: {v} vs {truth}");
        }
        let q = nelder_mead(&|v: &[f64]| (v[0] - 1.0).powi(2) + (v[1] + 2.0).powi(2), &[0.0, 0.0], 1.0, 500);
        assert!((q[0] - 1.0).abs() < 1e-4 && (q[1] + 2.0).abs() < 1e-4);
    }
}
