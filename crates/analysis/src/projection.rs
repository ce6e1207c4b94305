//! Trend projection of a count series (per month, quarter or year) with prediction intervals
//! and a back-test, or a refusal that says why.
//!
//! **Candidates** (in this fixed order; ties go to the earlier):
//! 1. ETS(A,Ad,N): exponential smoothing, additive damped trend ([`Method::EtsDamped`]);
//! 2. ETS(A,Ad,A): the same with additive seasonality, when seasonal ([`Method::EtsDampedSeasonal`]);
//! 3. a negative-binomial GLM (NB2, `θ` by maximum likelihood; it becomes the Poisson model when
//!    the series is not overdispersed) with a log-linear trend ([`Method::GlmTrend`]);
//! 4. the same GLM plus one dummy per season, when seasonal ([`Method::GlmTrendSeasonal`]).
//!
//! **Criterion**: the back-test. The last `H` values are held out (`H` = the horizon, at least 2
//! and at most a quarter of the series, or [`ProjectionOptions::holdout`]); each candidate is
//! fitted to the rest and projects `H` periods; the candidate with the lowest mean absolute
//! error on the held-out values is chosen (the same order as MASE, which scales it by the
//! in-sample error of the seasonal naive forecast). The chosen method is then refitted on the
//! whole series. AIC is not used: the ETS (Gaussian) and GLM (count) likelihoods are not
//! comparable. The back-test MAPE (over held-out periods with a non-zero count) and MASE are
//! reported with the projection so that users can judge it.
//!
//! **Intervals** are simulated ([`ProjectionOptions::simulations`] paths, each on its own
//! ChaCha8 stream of the seed, so the same input and seed give the same bounds): for ETS, normal
//! errors carried through the recursions; for the GLM, coefficients drawn from their estimated
//! normal distribution and counts from the negative binomial (gamma–Poisson) around them.
//! Simulated values below 0 count as 0 (counts are never negative).
//!
//! **Refusals** ([`Error::SeriesTooShort`], [`Error::SeriesTooSparse`]):
//! - fewer than [`MIN_LENGTH`] periods (the back-test needs at least 2 held out and 8 to fit);
//! - fewer than [`MIN_TOTAL`] counted cases in all, or more than half of the periods at zero.
//!
//! Seasonal candidates are tried only when the period is at least 2 and the part fitted in the
//! back-test holds at least two full seasons plus two periods (`n − H ≥ 2m + 2`).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

use crate::glm::{Covariate, Dispersion, Family, GlmOptions, THETA_MAX, fit_glm};
use crate::linalg::cholesky;
use crate::special::quantile_sorted;
use crate::{Error, Result, ets};

/// Fewest periods for a projection.
pub const MIN_LENGTH: usize = 10;
/// Fewest cases in the whole series for a projection.
pub const MIN_TOTAL: f64 = 20.0;
/// Largest share of periods at zero for a projection.
pub const MAX_ZERO_SHARE: f64 = 0.5;

/// A projection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// ETS(A,Ad,N).
    EtsDamped,
    /// ETS(A,Ad,A).
    EtsDampedSeasonal,
    /// Negative-binomial GLM, log-linear trend.
    GlmTrend,
    /// Negative-binomial GLM, log-linear trend and season dummies.
    GlmTrendSeasonal,
}

impl Method {
    /// A plain-language name.
    pub fn label(self) -> &'static str {
        match self {
            Method::EtsDamped => "exponential smoothing, damped trend (ETS A,Ad,N)",
            Method::EtsDampedSeasonal => "exponential smoothing, damped trend and season (ETS A,Ad,A)",
            Method::GlmTrend => "negative-binomial regression on a trend",
            Method::GlmTrendSeasonal => "negative-binomial regression on a trend and seasons",
        }
    }
}

/// Options of [`project`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionOptions {
    /// Periods to project (default 4).
    pub horizon: usize,
    /// Prediction-interval level (default 0.95).
    pub level: f64,
    /// Simulated paths for the intervals (default 2,000).
    pub simulations: usize,
    /// Seed of the random generator.
    pub seed: u64,
    /// Periods held out in the back-test (`None`: the horizon, within 2 and `n / 4`).
    pub holdout: Option<usize>,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        ProjectionOptions { horizon: 4, level: 0.95, simulations: 2000, seed: 1, holdout: None }
    }
}

/// A candidate's back-test.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The method.
    pub method: Method,
    /// Mean absolute error on the held-out periods (`None`: the fit failed).
    pub mae: Option<f64>,
    /// Mean absolute percentage error (%) over held-out periods with a non-zero count.
    pub mape: Option<f64>,
    /// Mean absolute scaled error.
    pub mase: Option<f64>,
    /// Why the fit failed, if it did.
    pub failure: Option<String>,
}

/// A projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The chosen method.
    pub method: Method,
    /// Season length used (1: none).
    pub period: usize,
    /// Projected values, `h = 1..=horizon`.
    pub point: Vec<f64>,
    /// Lower prediction bounds.
    pub lower: Vec<f64>,
    /// Upper prediction bounds.
    pub upper: Vec<f64>,
    /// Interval level.
    pub level: f64,
    /// Periods held out in the back-test.
    pub holdout: usize,
    /// Back-test MAPE (%) of the chosen method.
    pub backtest_mape: Option<f64>,
    /// Back-test MASE of the chosen method.
    pub backtest_mase: Option<f64>,
    /// Every candidate tried, in the fixed order.
    pub candidates: Vec<Candidate>,
}

/// A fitted candidate that can project.
enum Fitted {
    Ets(ets::Ets),
    Glm { beta: Vec<f64>, cov: Vec<f64>, theta: f64, n: usize, period: usize, seasonal: bool },
}

fn design_row(t: usize, n: usize, period: usize, seasonal: bool) -> Vec<f64> {
    // Time centred and scaled for a well-conditioned fit.
    let mut row = vec![1.0, (t as f64 - n as f64 / 2.0) / n as f64];
    if seasonal {
        for s in 1..period {
            row.push(if t % period == s { 1.0 } else { 0.0 });
        }
    }
    row
}

fn fit_method(y: &[f64], method: Method, period: usize) -> Result<Fitted> {
    match method {
        Method::EtsDamped => Ok(Fitted::Ets(ets::fit(y, 1))),
        Method::EtsDampedSeasonal => Ok(Fitted::Ets(ets::fit(y, period))),
        Method::GlmTrend | Method::GlmTrendSeasonal => {
            let seasonal = method == Method::GlmTrendSeasonal;
            let n = y.len();
            let rows: Vec<Vec<f64>> = (0..n).map(|t| design_row(t, n, period, seasonal)).collect();
            let covariates: Vec<Covariate> = (1..rows[0].len())
                .map(|j| Covariate { name: format!("x{j}"), values: rows.iter().map(|r| r[j]).collect() })
                .collect();
            let counts: Vec<Option<u64>> = y.iter().map(|&v| Some(v.round().max(0.0) as u64)).collect();
            let fit = fit_glm(
                &counts,
                &vec![1.0; n],
                &covariates,
                Family::NegativeBinomial(Dispersion::MaximumLikelihood),
                &GlmOptions::default(),
            )?;
            Ok(Fitted::Glm {
                beta: fit.coefficients.iter().map(|c| c.estimate).collect(),
                cov: fit.covariance,
                theta: fit.theta.unwrap_or(THETA_MAX),
                n,
                period,
                seasonal,
            })
        }
    }
}

impl Fitted {
    fn forecast(&self, horizon: usize) -> Vec<f64> {
        match self {
            Fitted::Ets(e) => e.forecast(horizon).into_iter().map(|v| v.max(0.0)).collect(),
            Fitted::Glm { beta, n, period, seasonal, .. } => (0..horizon)
                .map(|h| {
                    let row = design_row(n + h, *n, *period, *seasonal);
                    row.iter().zip(beta).map(|(x, b)| x * b).sum::<f64>().exp()
                })
                .collect(),
        }
    }

    /// Simulated paths (row per path).
    fn simulate(&self, horizon: usize, paths: usize, seed: u64) -> Vec<Vec<f64>> {
        match self {
            Fitted::Ets(e) => e.simulate(horizon, paths, seed),
            Fitted::Glm { beta, cov, theta, n, period, seasonal } => {
                let p = beta.len();
                let l = cholesky(cov, p).unwrap_or_else(|| {
                    // Fall back to the diagonal (independent coefficients).
                    (0..p * p).map(|k| if k / p == k % p { cov[k].max(0.0).sqrt() } else { 0.0 }).collect()
                });
                let rows: Vec<Vec<f64>> =
                    (0..horizon).map(|h| design_row(n + h, *n, *period, *seasonal)).collect();
                (0..paths)
                    .map(|s| {
                        let mut rng = ChaCha8Rng::seed_from_u64(seed);
                        rng.set_stream(s as u64);
                        let z: Vec<f64> = (0..p).map(|_| StandardNormal.sample(&mut rng)).collect();
                        let b: Vec<f64> = (0..p)
                            .map(|i| beta[i] + (0..=i).map(|k| l[i * p + k] * z[k]).sum::<f64>())
                            .collect();
                        rows.iter()
                            .map(|row| {
                                let mu = row.iter().zip(&b).map(|(x, b)| x * b).sum::<f64>().exp().min(1e12);
                                let lambda = if *theta < THETA_MAX {
                                    Gamma::new(*theta, mu / theta).map_or(mu, |g| g.sample(&mut rng))
                                } else {
                                    mu
                                };
                                if lambda > 0.0 {
                                    Poisson::new(lambda).map_or(lambda, |d| d.sample(&mut rng))
                                } else {
                                    0.0
                                }
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    }
}

/// Projects `values` (counts, one per period, oldest first; `period` = season length: 12 for
/// months, 4 for quarters, 1 for years) — see the module documentation.
///
/// # Errors
/// [`Error::InvalidInput`] (negative or non-finite values, options out of range),
/// [`Error::SeriesTooShort`], [`Error::SeriesTooSparse`], [`Error::NoProjection`] when no
/// candidate can be fitted.
pub fn project(values: &[f64], period: usize, options: &ProjectionOptions) -> Result<Projection> {
    if values.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(Error::InvalidInput("series values must be finite counts ≥ 0"));
    }
    if period == 0 || options.horizon == 0 || options.simulations < 10 {
        return Err(Error::InvalidInput("period and horizon must be ≥ 1 and simulations ≥ 10"));
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::InvalidInput("the interval level must lie in (0, 1)"));
    }
    let n = values.len();
    if n < MIN_LENGTH {
        return Err(Error::SeriesTooShort { length: n, minimum: MIN_LENGTH });
    }
    let total: f64 = values.iter().sum();
    let zeros = values.iter().filter(|&&v| v == 0.0).count();
    if total < MIN_TOTAL {
        return Err(Error::SeriesTooSparse(format!("{total} cases in all; at least {MIN_TOTAL} are needed")));
    }
    if zeros as f64 > MAX_ZERO_SHARE * n as f64 {
        return Err(Error::SeriesTooSparse(format!("{zeros} of {n} periods have no case; at most half may")));
    }
    let holdout = options.holdout.unwrap_or(options.horizon).clamp(2, n / 4);
    let train = &values[..n - holdout];
    let test = &values[n - holdout..];
    let seasonal = period >= 2 && train.len() >= 2 * period + 2;
    let methods: Vec<Method> = if seasonal {
        vec![Method::EtsDamped, Method::EtsDampedSeasonal, Method::GlmTrend, Method::GlmTrendSeasonal]
    } else {
        vec![Method::EtsDamped, Method::GlmTrend]
    };
    // MASE scale: in-sample MAE of the seasonal naive forecast on the fitted part.
    let lag = if seasonal { period } else { 1 };
    let scale =
        train.windows(lag + 1).map(|w| (w[lag] - w[0]).abs()).sum::<f64>() / (train.len() - lag) as f64;
    let candidates: Vec<Candidate> = methods
        .iter()
        .map(|&method| match fit_method(train, method, period) {
            Ok(f) => {
                let fc = f.forecast(holdout);
                let mae = fc.iter().zip(test).map(|(f, y)| (f - y).abs()).sum::<f64>() / holdout as f64;
                let nonzero: Vec<f64> =
                    fc.iter().zip(test).filter(|(_, y)| **y > 0.0).map(|(f, y)| (f - y).abs() / y).collect();
                let mape =
                    (!nonzero.is_empty()).then(|| 100.0 * nonzero.iter().sum::<f64>() / nonzero.len() as f64);
                let mase = (scale > 0.0).then(|| mae / scale);
                Candidate { method, mae: Some(mae).filter(|m| m.is_finite()), mape, mase, failure: None }
            }
            Err(e) => Candidate { method, mae: None, mape: None, mase: None, failure: Some(e.to_string()) },
        })
        .collect();
    let mut order: Vec<&Candidate> = candidates.iter().filter(|c| c.mae.is_some()).collect();
    order.sort_by(|a, b| a.mae.unwrap_or(f64::INFINITY).total_cmp(&b.mae.unwrap_or(f64::INFINITY)));
    // Refit on the whole series; if the best fails there, take the next.
    for chosen in order {
        let Ok(fitted) = fit_method(values, chosen.method, period) else { continue };
        let point = fitted.forecast(options.horizon);
        let paths = fitted.simulate(options.horizon, options.simulations, options.seed);
        let (mut lower, mut upper) =
            (Vec::with_capacity(options.horizon), Vec::with_capacity(options.horizon));
        let a = (1.0 - options.level) / 2.0;
        for h in 0..options.horizon {
            let mut col: Vec<f64> = paths.iter().map(|p| p[h].max(0.0)).filter(|v| v.is_finite()).collect();
            col.sort_by(f64::total_cmp);
            lower.push(quantile_sorted(&col, a));
            upper.push(quantile_sorted(&col, 1.0 - a));
        }
        return Ok(Projection {
            method: chosen.method,
            period: if seasonal { period } else { 1 },
            point,
            lower,
            upper,
            level: options.level,
            holdout,
            backtest_mape: chosen.mape,
            backtest_mase: chosen.mase,
            candidates: candidates.clone(),
        });
    }
    Err(Error::NoProjection)
}
