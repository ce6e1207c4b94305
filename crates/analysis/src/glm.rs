//! Poisson and negative-binomial (NB2) regression of counts with a log-population offset:
//! `log E[yᵢ] = log(populationᵢ) + β₀ + Σₖ βₖ xᵢₖ`, so `exp(βₖ)` is a *rate ratio*.
//!
//! Fitting: iteratively reweighted least squares (Fisher scoring; for the log link it is
//! Newton's method) with step halving whenever the deviance rises or becomes non-finite;
//! converged when the relative deviance change is below [`GlmOptions::tolerance`] (as R's
//! `glm.fit`). For NB2 (`Var = μ + μ²/θ`) the dispersion `θ` is either fixed, estimated by
//! maximum likelihood (Newton's method on the profile score, alternating with IRLS as R's
//! `MASS::glm.nb`), or by the moment estimator (Pearson χ² equal to the residual degrees of
//! freedom, as `MASS::theta.mm`). A fit that does not converge is [`Error::NotConverged`]:
//! never a silent answer. When the data show no overdispersion, `θ` runs off to infinity (the
//! Poisson model); it is then capped at [`THETA_MAX`] and a [`GlmWarning`] says so.
//!
//! Rows whose count is `None` (suppressed) are left out and counted in [`GlmFit::dropped`].
//! Standard errors come from the inverse Fisher information at the estimate (for NB2 with `θ`
//! treated as known, as `glm.nb` does); intervals are Wald intervals.

use crate::linalg::{cholesky, cholesky_inverse, cholesky_solve};
use crate::special::{digamma, ln_gamma, normal_quantile, trigamma, two_sided_p};
use crate::{Error, Result};

/// Largest `θ` reported: beyond it the negative binomial is the Poisson model in practice.
pub const THETA_MAX: f64 = 1e6;

/// How the NB2 dispersion `θ` is obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dispersion {
    /// Maximum likelihood.
    MaximumLikelihood,
    /// Moment estimator: the Pearson χ² equals the residual degrees of freedom.
    Moments,
    /// A known `θ > 0`.
    Fixed(f64),
}

/// The error distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Family {
    /// Poisson (variance = mean).
    Poisson,
    /// Negative binomial NB2 (variance = μ + μ²/θ).
    NegativeBinomial(Dispersion),
}

/// A named explanatory variable, one value per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Covariate {
    /// Name shown in the output.
    pub name: String,
    /// Values (finite).
    pub values: Vec<f64>,
}

/// Fitting options.
#[derive(Debug, Clone, PartialEq)]
pub struct GlmOptions {
    /// Most IRLS iterations (default 100).
    pub max_iterations: usize,
    /// Relative deviance change that counts as converged (default 1e-10).
    pub tolerance: f64,
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
}

impl Default for GlmOptions {
    fn default() -> Self {
        GlmOptions { max_iterations: 100, tolerance: 1e-10, level: 0.95 }
    }
}

/// One coefficient, plainly.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    /// `(Intercept)` or the covariate's name.
    pub name: String,
    /// Estimate on the log scale.
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// Wald z.
    pub z: f64,
    /// Two-sided p-value of z.
    pub p_value: f64,
    /// Wald interval, log scale.
    pub lower: f64,
    /// Wald interval, log scale.
    pub upper: f64,
    /// `exp(estimate)`: the rate ratio per unit (for the intercept: the base rate per person).
    pub rate_ratio: f64,
    /// `exp(lower)`.
    pub rate_ratio_lower: f64,
    /// `exp(upper)`.
    pub rate_ratio_upper: f64,
}

/// Something the reader of a fit should know.
#[derive(Debug, Clone, PartialEq)]
pub enum GlmWarning {
    /// `θ` reached [`THETA_MAX`]: no overdispersion; the Poisson model fits as well.
    NoOverdispersion,
    /// The Poisson model shows overdispersion (Pearson dispersion above 1.5): its standard
    /// errors are too small; prefer the negative binomial.
    Overdispersed {
        /// Pearson χ² / residual df.
        dispersion: f64,
    },
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct GlmFit {
    /// The family and how `θ` was obtained.
    pub family: Family,
    /// `θ` of NB2 (`None` for Poisson).
    pub theta: Option<f64>,
    /// Standard error of `θ` (maximum likelihood only).
    pub theta_std_error: Option<f64>,
    /// Coefficients, intercept first.
    pub coefficients: Vec<Coefficient>,
    /// Covariance of the estimates (row-major, `p × p`).
    pub covariance: Vec<f64>,
    /// Fitted means of the rows used, in row order.
    pub fitted: Vec<f64>,
    /// Rows used.
    pub n: usize,
    /// Rows left out for a missing (suppressed) count.
    pub dropped: usize,
    /// Residual degrees of freedom `n − p`.
    pub df_residual: usize,
    /// Residual deviance.
    pub deviance: f64,
    /// Deviance of the intercept-only model (same offset and `θ`).
    pub null_deviance: f64,
    /// Log-likelihood.
    pub log_likelihood: f64,
    /// `−2 log L + 2 × (p + 1 if θ was estimated)`.
    pub aic: f64,
    /// Pearson χ².
    pub pearson_chi2: f64,
    /// Pearson χ² / residual df (about 1 when the variance function fits).
    pub pearson_dispersion: f64,
    /// IRLS iterations of the final fit (all alternations for an estimated `θ`).
    pub iterations: usize,
    /// Warnings.
    pub warnings: Vec<GlmWarning>,
}

/// Fits the model (see the module documentation).
///
/// # Errors
/// [`Error::InvalidInput`] (lengths, non-positive population, non-finite values, a fixed
/// `θ ≤ 0`), [`Error::TooFewRegions`] (no more rows than coefficients), [`Error::Singular`]
/// (collinear covariates), [`Error::NotConverged`].
pub fn fit_glm(
    counts: &[Option<u64>],
    population: &[f64],
    covariates: &[Covariate],
    family: Family,
    options: &GlmOptions,
) -> Result<GlmFit> {
    let rows = counts.len();
    if population.len() != rows || covariates.iter().any(|c| c.values.len() != rows) {
        return Err(Error::InvalidInput("counts, population and covariates differ in length"));
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::InvalidInput("the confidence level must lie in (0, 1)"));
    }
    if let Family::NegativeBinomial(Dispersion::Fixed(t)) = family
        && !(t > 0.0 && t.is_finite())
    {
        return Err(Error::InvalidInput("a fixed θ must be a positive number"));
    }
    let keep: Vec<usize> = (0..rows).filter(|&r| counts[r].is_some()).collect();
    let n = keep.len();
    let p = covariates.len() + 1;
    if n <= p {
        return Err(Error::TooFewRegions { found: n, minimum: p + 1 });
    }
    let mut x = Vec::with_capacity(n * p);
    let mut y = Vec::with_capacity(n);
    let mut offset = Vec::with_capacity(n);
    for &r in &keep {
        if !(population[r] > 0.0 && population[r].is_finite()) {
            return Err(Error::InvalidInput("every population must be a positive number"));
        }
        x.push(1.0);
        for c in covariates {
            if !c.values[r].is_finite() {
                return Err(Error::InvalidInput("a covariate value is not a finite number"));
            }
            x.push(c.values[r]);
        }
        y.push(counts[r].unwrap_or_default() as f64);
        offset.push(population[r].ln());
    }
    let data = Data { x, y, offset, p };
    let mut warnings = Vec::new();
    let (theta, theta_se, fit, iterations) = match family {
        Family::Poisson => {
            let f = irls(&data, f64::INFINITY, None, options)?;
            let it = f.iterations;
            (f64::INFINITY, None, f, it)
        }
        Family::NegativeBinomial(Dispersion::Fixed(t)) => {
            let f = irls(&data, t, None, options)?;
            let it = f.iterations;
            (t, None, f, it)
        }
        Family::NegativeBinomial(method) => {
            // Start from the Poisson fit, then alternate θ | μ and β | θ.
            let mut f = irls(&data, f64::INFINITY, None, options)?;
            let mut total = f.iterations;
            let mut theta = initial_theta(&data.y, &f.mu);
            let mut converged = false;
            for _ in 0..50 {
                let t_new = match method {
                    Dispersion::MaximumLikelihood => theta_ml(&data.y, &f.mu, theta)?,
                    _ => theta_moments(&data.y, &f.mu, n - p),
                };
                let g = irls(&data, t_new, Some(&f.beta), options)?;
                total += g.iterations;
                let d_change = (g.deviance - f.deviance).abs() / (g.deviance.abs() + 0.1);
                let t_change = (t_new - theta).abs() / theta;
                theta = t_new;
                f = g;
                if d_change < 1e-8 && (t_change < 1e-6 || theta >= THETA_MAX) {
                    converged = true;
                    break;
                }
            }
            if !converged {
                return Err(Error::NotConverged { what: "negative binomial θ", iterations: total });
            }
            if theta >= THETA_MAX {
                warnings.push(GlmWarning::NoOverdispersion);
            }
            let se = match method {
                Dispersion::MaximumLikelihood if theta < THETA_MAX => {
                    let info = theta_information(&data.y, &f.mu, theta);
                    (info > 0.0).then(|| 1.0 / info.sqrt())
                }
                _ => None,
            };
            (theta, se, f, total)
        }
    };
    let nb = theta.is_finite();
    let null = {
        let intercept = Data { x: vec![1.0; n], y: data.y.clone(), offset: data.offset.clone(), p: 1 };
        irls(&intercept, theta, None, options)?
    };
    let pearson_chi2: f64 =
        data.y.iter().zip(&fit.mu).map(|(&y, &m)| (y - m) * (y - m) / variance(m, theta)).sum();
    let df_residual = n - p;
    let pearson_dispersion = pearson_chi2 / df_residual as f64;
    if !nb && pearson_dispersion > 1.5 {
        warnings.push(GlmWarning::Overdispersed { dispersion: pearson_dispersion });
    }
    let log_likelihood = log_lik(&data.y, &fit.mu, theta);
    let estimated_theta =
        matches!(family, Family::NegativeBinomial(Dispersion::MaximumLikelihood | Dispersion::Moments));
    let k = p + usize::from(estimated_theta);
    let zq = normal_quantile(0.5 + options.level / 2.0);
    let names = std::iter::once("(Intercept)".to_owned()).chain(covariates.iter().map(|c| c.name.clone()));
    let coefficients = names
        .enumerate()
        .map(|(j, name)| {
            let estimate = fit.beta[j];
            let std_error = fit.cov[j * p + j].sqrt();
            let z = estimate / std_error;
            let (lower, upper) = (estimate - zq * std_error, estimate + zq * std_error);
            Coefficient {
                name,
                estimate,
                std_error,
                z,
                p_value: two_sided_p(z),
                lower,
                upper,
                rate_ratio: estimate.exp(),
                rate_ratio_lower: lower.exp(),
                rate_ratio_upper: upper.exp(),
            }
        })
        .collect();
    Ok(GlmFit {
        family,
        theta: nb.then_some(theta),
        theta_std_error: theta_se,
        coefficients,
        covariance: fit.cov,
        fitted: fit.mu,
        n,
        dropped: rows - n,
        df_residual,
        deviance: fit.deviance,
        null_deviance: null.deviance,
        log_likelihood,
        aic: -2.0 * log_likelihood + 2.0 * k as f64,
        pearson_chi2,
        pearson_dispersion,
        iterations,
        warnings,
    })
}

/// The rows used: row-major design (intercept first), counts, offsets.
pub(crate) struct Data {
    pub(crate) x: Vec<f64>,
    pub(crate) y: Vec<f64>,
    pub(crate) offset: Vec<f64>,
    pub(crate) p: usize,
}

/// One IRLS fit for a known `θ` (infinite: Poisson).
pub(crate) struct Irls {
    pub(crate) beta: Vec<f64>,
    pub(crate) cov: Vec<f64>,
    pub(crate) mu: Vec<f64>,
    pub(crate) deviance: f64,
    pub(crate) iterations: usize,
}

fn variance(mu: f64, theta: f64) -> f64 {
    if theta.is_finite() { mu + mu * mu / theta } else { mu }
}

/// Unit deviance summed.
fn deviance(y: &[f64], mu: &[f64], theta: f64) -> f64 {
    let mut d = 0.0;
    for (&y, &m) in y.iter().zip(mu) {
        let a = if y > 0.0 { y * (y / m).ln() } else { 0.0 };
        d += if theta.is_finite() { a - (y + theta) * ((y + theta) / (m + theta)).ln() } else { a - (y - m) };
    }
    2.0 * d
}

pub(crate) fn log_lik(y: &[f64], mu: &[f64], theta: f64) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| {
            if theta.is_finite() {
                ln_gamma(y + theta) - ln_gamma(theta) - ln_gamma(y + 1.0)
                    + theta * (theta / (theta + m)).ln()
                    + if y > 0.0 { y * (m / (theta + m)).ln() } else { 0.0 }
            } else {
                (if y > 0.0 { y * m.ln() } else { 0.0 }) - m - ln_gamma(y + 1.0)
            }
        })
        .sum()
}

pub(crate) fn irls(data: &Data, theta: f64, start: Option<&[f64]>, options: &GlmOptions) -> Result<Irls> {
    let (n, p) = (data.y.len(), data.p);
    let eta_of = |beta: &[f64]| -> Vec<f64> {
        (0..n).map(|i| data.offset[i] + (0..p).map(|j| data.x[i * p + j] * beta[j]).sum::<f64>()).collect()
    };
    let weight = |m: f64| m / (1.0 + if theta.is_finite() { m / theta } else { 0.0 });
    let mut beta: Option<Vec<f64>> = start.map(<[f64]>::to_vec);
    // Without a start, begin at the observed counts moved off zero (as `glm.fit`).
    let mut eta: Vec<f64> = match &beta {
        Some(b) => eta_of(b),
        None => data.y.iter().map(|&y| (y + 0.5).ln()).collect(),
    };
    let mut mu: Vec<f64> = eta.iter().map(|e| e.exp()).collect();
    let mut dev = deviance(&data.y, &mu, theta);
    let ok = |m: &[f64], d: f64| d.is_finite() && m.iter().all(|v| v.is_finite() && *v > 0.0);
    for iteration in 1..=options.max_iterations {
        let mut xtwx = vec![0.0; p * p];
        let mut xtwz = vec![0.0; p];
        for i in 0..n {
            let w = weight(mu[i]);
            let z = eta[i] - data.offset[i] + (data.y[i] - mu[i]) / mu[i];
            let row = &data.x[i * p..(i + 1) * p];
            for a in 0..p {
                xtwz[a] += row[a] * w * z;
                for b in 0..=a {
                    xtwx[a * p + b] += row[a] * w * row[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[b * p + a] = xtwx[a * p + b];
            }
        }
        let l = cholesky(&xtwx, p).ok_or(Error::Singular)?;
        let target = cholesky_solve(&l, p, &xtwz);
        let (cand, e, m, d) = match &beta {
            None => {
                let e = eta_of(&target);
                let m: Vec<f64> = e.iter().map(|v| v.exp()).collect();
                let d = deviance(&data.y, &m, theta);
                if !ok(&m, d) {
                    return Err(Error::NotConverged { what: "IRLS (first step)", iterations: iteration });
                }
                (target, e, m, d)
            }
            Some(old) => {
                // Step control: halve the step towards the new estimate while the deviance
                // rises or overflows.
                let mut step = 1.0;
                let mut accepted = None;
                for _ in 0..40 {
                    let cand: Vec<f64> = old.iter().zip(&target).map(|(b, t)| b + step * (t - b)).collect();
                    let e = eta_of(&cand);
                    let m: Vec<f64> = e.iter().map(|v| v.exp()).collect();
                    let d = deviance(&data.y, &m, theta);
                    if ok(&m, d) && d <= dev + 1e-12 * (dev.abs() + 1.0) {
                        accepted = Some((cand, e, m, d));
                        break;
                    }
                    step /= 2.0;
                }
                accepted.ok_or(Error::NotConverged { what: "IRLS step halving", iterations: iteration })?
            }
        };
        let converged = beta.is_some() && (d - dev).abs() / (d.abs() + 0.1) < options.tolerance;
        beta = Some(cand);
        eta = e;
        mu = m;
        dev = d;
        if converged {
            let mut info = vec![0.0; p * p];
            for (i, &m) in mu.iter().enumerate() {
                let w = weight(m);
                let row = &data.x[i * p..(i + 1) * p];
                for a in 0..p {
                    for b in 0..p {
                        info[a * p + b] += row[a] * w * row[b];
                    }
                }
            }
            let l = cholesky(&info, p).ok_or(Error::Singular)?;
            let beta = beta.unwrap_or_default();
            return Ok(Irls { cov: cholesky_inverse(&l, p), beta, mu, deviance: dev, iterations: iteration });
        }
    }
    Err(Error::NotConverged { what: "IRLS", iterations: options.max_iterations })
}

/// Starting `θ` from the Poisson fit (MASS: `n / Σ (y/μ − 1)²`), capped.
fn initial_theta(y: &[f64], mu: &[f64]) -> f64 {
    let s: f64 = y.iter().zip(mu).map(|(&y, &m)| (y / m - 1.0).powi(2)).sum();
    if s > 0.0 { (y.len() as f64 / s).clamp(1e-3, THETA_MAX) } else { THETA_MAX }
}

fn theta_score(y: &[f64], mu: &[f64], t: f64) -> f64 {
    y.iter()
        .zip(mu)
        .map(|(&y, &m)| digamma(y + t) - digamma(t) + t.ln() + 1.0 - (t + m).ln() - (y + t) / (t + m))
        .sum()
}

fn theta_information(y: &[f64], mu: &[f64], t: f64) -> f64 {
    -y.iter()
        .zip(mu)
        .map(|(&y, &m)| {
            trigamma(y + t) - trigamma(t) + 1.0 / t - 2.0 / (t + m) + (y + t) / ((t + m) * (t + m))
        })
        .sum::<f64>()
}

/// Maximum-likelihood `θ` given the means: Newton's method on `log θ` with bisection fallback.
fn theta_ml(y: &[f64], mu: &[f64], start: f64) -> Result<f64> {
    // The score is decreasing in θ near the optimum; if it is still positive at THETA_MAX the
    // likelihood increases towards the Poisson limit.
    if theta_score(y, mu, THETA_MAX) > 0.0 {
        return Ok(THETA_MAX);
    }
    let mut lo = 1e-8_f64;
    let mut hi = THETA_MAX;
    let mut t = start.clamp(lo * 10.0, hi / 10.0);
    for _ in 0..200 {
        let s = theta_score(y, mu, t);
        if s > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let info = theta_information(y, mu, t);
        let mut next = if info > 0.0 { t + s / info } else { f64::NAN };
        if !(next > lo && next < hi) {
            next = (lo * hi).sqrt();
        }
        if (next - t).abs() <= 1e-10 * t {
            return Ok(next);
        }
        t = next;
        if hi / lo < 1.0 + 1e-12 {
            return Ok(t);
        }
    }
    Err(Error::NotConverged { what: "maximum-likelihood θ", iterations: 200 })
}

/// Moment `θ`: Σ (y − μ)² / (μ + μ²/θ) = df, by bisection on `log θ`.
fn theta_moments(y: &[f64], mu: &[f64], df: usize) -> f64 {
    let df = df as f64;
    let chi2 = |t: f64| -> f64 { y.iter().zip(mu).map(|(&y, &m)| (y - m) * (y - m) / variance(m, t)).sum() };
    if chi2(THETA_MAX) <= df {
        return THETA_MAX;
    }
    let (mut lo, mut hi) = (1e-8_f64.ln(), THETA_MAX.ln());
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if chi2(mid.exp()) > df {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (0.5 * (lo + hi)).exp()
}
