//! Fitting one model: the Poisson log-linear GLM over the observable cells by Newton's method
//! (IRLS, identical for the canonical log link) with step halving, and the extended MLE for
//! terms whose overlap is empty.
//!
//! The design column of a term `S` is 1 on every cell containing all lists of `S`. If a term of
//! the model (an interaction, or a main effect of an empty list) has no observed person on all
//! its lists, its estimate is −∞: every cell containing it is dropped from the fit (fitted value
//! 0) and the rest is fitted normally. The unobserved cell is estimated by `exp(β̂₀)`.
//!
//! Convergence: the relative change of the deviance below 1e-10 within 100 iterations; otherwise
//! the fit reports [`Error::NotConverged`] — never a silent answer.

use crate::Error;
use crate::data::CaptureHistories;
use crate::model::Model;
use crate::special::ln_gamma;

/// Most Newton iterations before a fit is declared not converged.
pub const MAX_ITERATIONS: usize = 100;
/// Relative deviance change that counts as converged.
pub const TOLERANCE: f64 = 1e-10;

/// Which cells and columns enter the fit of a model on some data.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Kept cells (pattern masks).
    pub(crate) cells: Vec<u32>,
    /// Estimated columns: 0 = intercept, single bits = main effects, then interactions.
    pub(crate) cols: Vec<u32>,
    /// Terms (main effects or interactions) estimated at −∞.
    pub(crate) neg_inf: Vec<u32>,
}

impl Layout {
    pub(crate) fn new(t: usize, nstar: &[u64], model: &Model) -> Self {
        let mut cols = vec![0u32];
        let mut neg_inf = Vec::new();
        let terms = (0..t).map(|i| 1u32 << i).chain(model.terms().iter().copied());
        for s in terms {
            if nstar[s as usize] == 0 {
                neg_inf.push(s);
            } else {
                cols.push(s);
            }
        }
        let cells = (1u32..(1 << t)).filter(|&c| !neg_inf.iter().any(|&s| s & !c == 0)).collect();
        Self { cells, cols, neg_inf }
    }

    /// Row-major design matrix (cells × columns).
    pub(crate) fn design(&self) -> Vec<f64> {
        let mut x = Vec::with_capacity(self.cells.len() * self.cols.len());
        for &c in &self.cells {
            for &s in &self.cols {
                x.push(if c & s == s { 1.0 } else { 0.0 });
            }
        }
        x
    }
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFit {
    /// The model.
    pub model: Model,
    /// Persons observed.
    pub observed: u64,
    /// Estimated persons seen by no list, `exp(β̂₀)`.
    pub hidden: f64,
    /// `observed + hidden`.
    pub total: f64,
    /// Standard error of `β̂₀ = log(hidden)`.
    pub se_log_hidden: f64,
    /// Estimated coefficients: (term mask, value); mask 0 is the intercept.
    pub coefficients: Vec<(u32, f64)>,
    /// Terms estimated at −∞ (extended MLE): their cells are fitted as 0.
    pub neg_inf_terms: Vec<u32>,
    /// Fitted values indexed by pattern mask (entry 0 is `hidden`; dropped cells 0).
    pub fitted: Vec<f64>,
    /// Maximised Poisson log-likelihood over the kept cells.
    pub log_likelihood: f64,
    /// Deviance against the saturated model over the kept cells.
    pub deviance: f64,
    /// Residual degrees of freedom: kept cells − estimated parameters.
    pub df: usize,
    /// Parameters counted in AIC and BIC: intercept, main effects and every interaction,
    /// including those at −∞.
    pub parameters: usize,
    /// `2k − 2ℓ`.
    pub aic: f64,
    /// `k log(observed) − 2ℓ`.
    pub bic: f64,
    /// Newton iterations used.
    pub iterations: usize,
}

impl ModelFit {
    /// The coefficient of a term, `−∞` when at the boundary, `None` when not in the model.
    pub fn coefficient(&self, term: u32) -> Option<f64> {
        if self.neg_inf_terms.contains(&term) {
            return Some(f64::NEG_INFINITY);
        }
        self.coefficients.iter().find(|(m, _)| *m == term).map(|(_, v)| *v)
    }

    /// The figures of this fit for a table of models, with the criterion that ranked it.
    pub fn summary(&self, criterion: f64) -> FitSummary {
        FitSummary {
            model: self.model.clone(),
            total: self.total,
            hidden: self.hidden,
            deviance: self.deviance,
            df: self.df,
            aic: self.aic,
            bic: self.bic,
            parameters: self.parameters,
            criterion,
        }
    }
}

/// One model's figures, for the table of runner-up models.
#[derive(Clone, Debug, PartialEq)]
pub struct FitSummary {
    /// The model.
    pub model: Model,
    /// Estimated total.
    pub total: f64,
    /// Estimated hidden figure.
    pub hidden: f64,
    /// Deviance.
    pub deviance: f64,
    /// Residual degrees of freedom.
    pub df: usize,
    /// AIC.
    pub aic: f64,
    /// BIC.
    pub bic: f64,
    /// Parameters counted (including those at −∞).
    pub parameters: usize,
    /// The criterion of the selection procedure that ranked it (p-value, AIC or BIC).
    pub criterion: f64,
}

/// Result of an IRLS run.
#[derive(Clone, Debug)]
pub(crate) struct Irls {
    pub(crate) beta: Vec<f64>,
    pub(crate) mu: Vec<f64>,
    /// Inverse Fisher information (p × p, row-major).
    pub(crate) cov: Vec<f64>,
    pub(crate) iterations: usize,
}

pub(crate) enum IrlsError {
    Singular,
    NotConverged(usize),
}

fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y.iter().zip(mu).map(|(&y, &m)| if y > 0.0 { y * (y / m).ln() - (y - m) } else { m }).sum::<f64>()
}

/// Poisson log-linear regression by Newton's method with step halving.
pub(crate) fn irls(
    x: &[f64],
    n: usize,
    p: usize,
    y: &[f64],
    start: Option<&[f64]>,
) -> Result<Irls, IrlsError> {
    irls_limited(x, n, p, y, start, MAX_ITERATIONS)
}

/// As [`irls`] with a given iteration limit.
pub(crate) fn irls_limited(
    x: &[f64],
    n: usize,
    p: usize,
    y: &[f64],
    start: Option<&[f64]>,
    max_iterations: usize,
) -> Result<Irls, IrlsError> {
    let mut beta = vec![0.0; p];
    let mut eta: Vec<f64>;
    let mut mu: Vec<f64>;
    let mut have_beta = false;
    if let Some(b) = start.filter(|b| b.len() == p) {
        beta.copy_from_slice(b);
        eta = linear(x, n, p, &beta);
        mu = eta.iter().map(|e| e.min(700.0).exp()).collect();
        have_beta = true;
    } else {
        mu = y.iter().map(|&v| v + 0.1).collect();
        eta = mu.iter().map(|m| m.ln()).collect();
    }
    let mut dev = deviance(y, &mu);
    let mut xtwx = vec![0.0; p * p];
    let mut rhs = vec![0.0; p];
    for iter in 1..=max_iterations {
        // Normal equations of the working model: (XᵀWX) β = XᵀW z, z = η + (y − μ)/μ.
        xtwx.iter_mut().for_each(|v| *v = 0.0);
        rhs.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            let w = mu[i];
            let z = eta[i] + (y[i] - mu[i]) / mu[i];
            let row = &x[i * p..(i + 1) * p];
            for a in 0..p {
                if row[a] == 0.0 {
                    continue;
                }
                let wa = w * row[a];
                rhs[a] += wa * z;
                for b in a..p {
                    xtwx[a * p + b] += wa * row[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                xtwx[a * p + b] = xtwx[b * p + a];
            }
        }
        let chol = cholesky(&xtwx, p).ok_or(IrlsError::Singular)?;
        let mut new_beta = chol_solve(&chol, p, &rhs);
        let mut new_eta = linear(x, n, p, &new_beta);
        let mut new_mu: Vec<f64> = new_eta.iter().map(|e| e.min(700.0).exp()).collect();
        let mut new_dev = deviance(y, &new_mu);
        if have_beta {
            let mut halvings = 0;
            while !(new_dev.is_finite() && new_dev <= dev * (1.0 + 1e-12) + 1e-12) && halvings < 40 {
                for (nb, ob) in new_beta.iter_mut().zip(&beta) {
                    *nb = 0.5 * (*nb + ob);
                }
                new_eta = linear(x, n, p, &new_beta);
                new_mu = new_eta.iter().map(|e| e.min(700.0).exp()).collect();
                new_dev = deviance(y, &new_mu);
                halvings += 1;
            }
            if !new_dev.is_finite() {
                return Err(IrlsError::NotConverged(iter));
            }
        }
        let change = (new_dev - dev).abs() / (new_dev.abs() + 0.1);
        beta = new_beta;
        eta = new_eta;
        mu = new_mu;
        dev = new_dev;
        let converged = have_beta && change < TOLERANCE;
        have_beta = true;
        if converged {
            // Covariance at the final estimate.
            xtwx.iter_mut().for_each(|v| *v = 0.0);
            for i in 0..n {
                let row = &x[i * p..(i + 1) * p];
                for a in 0..p {
                    for b in a..p {
                        xtwx[a * p + b] += mu[i] * row[a] * row[b];
                    }
                }
            }
            for a in 0..p {
                for b in 0..a {
                    xtwx[a * p + b] = xtwx[b * p + a];
                }
            }
            let chol = cholesky(&xtwx, p).ok_or(IrlsError::Singular)?;
            let cov = chol_inverse(&chol, p);
            return Ok(Irls { beta, mu, cov, iterations: iter });
        }
    }
    Err(IrlsError::NotConverged(max_iterations))
}

fn linear(x: &[f64], n: usize, p: usize, beta: &[f64]) -> Vec<f64> {
    (0..n).map(|i| x[i * p..(i + 1) * p].iter().zip(beta).map(|(a, b)| a * b).sum()).collect()
}

/// Lower Cholesky factor of a symmetric positive-definite matrix, `None` if (numerically) not.
fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    let scale = (0..p).map(|i| a[i * p + i].abs()).fold(0.0, f64::max).max(1e-300);
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if s <= scale * 1e-13 {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    Some(l)
}

fn chol_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = b.to_vec();
    for i in 0..p {
        for k in 0..i {
            y[i] -= l[i * p + k] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    for i in (0..p).rev() {
        for k in i + 1..p {
            y[i] -= l[k * p + i] * y[k];
        }
        y[i] /= l[i * p + i];
    }
    y
}

fn chol_inverse(l: &[f64], p: usize) -> Vec<f64> {
    let mut inv = vec![0.0; p * p];
    let mut e = vec![0.0; p];
    for j in 0..p {
        e.iter_mut().for_each(|v| *v = 0.0);
        e[j] = 1.0;
        let col = chol_solve(l, p, &e);
        for i in 0..p {
            inv[i * p + j] = col[i];
        }
    }
    inv
}

/// Column rank of a row-major matrix (Gaussian elimination with partial pivoting).
pub(crate) fn rank(x: &[f64], n: usize, p: usize) -> usize {
    let mut a = x.to_vec();
    let mut r = 0;
    for c in 0..p {
        if r == n {
            break;
        }
        let (piv, val) =
            (r..n).map(|i| (i, a[i * p + c].abs())).fold((r, -1.0), |b, v| if v.1 > b.1 { v } else { b });
        if val < 1e-9 {
            continue;
        }
        for k in 0..p {
            a.swap(r * p + k, piv * p + k);
        }
        for i in r + 1..n {
            let f = a[i * p + c] / a[r * p + c];
            if f != 0.0 {
                for k in c..p {
                    a[i * p + k] -= f * a[r * p + k];
                }
            }
        }
        r += 1;
    }
    r
}

/// The data with its superset sums, shared by every fit on it.
#[derive(Clone, Debug)]
pub(crate) struct Data<'a> {
    pub(crate) ch: &'a CaptureHistories,
    pub(crate) nstar: Vec<u64>,
}

impl<'a> Data<'a> {
    pub(crate) fn new(ch: &'a CaptureHistories) -> Self {
        Self { ch, nstar: ch.superset_sums() }
    }
}

/// Fits a model after the existence and identifiability check.
///
/// # Errors
/// [`Error::NotEstimable`] when the check fails, [`Error::NotIdentifiable`] when the design is
/// numerically singular, [`Error::NotConverged`].
pub fn fit(ch: &CaptureHistories, model: &Model) -> Result<ModelFit, Error> {
    let data = Data::new(ch);
    let ex = crate::exist::check_data(&data, model);
    if !ex.ok() {
        return Err(Error::NotEstimable { model: model.display_with(ch.lists()), code: ex.code() });
    }
    fit_data(&data, model)
}

pub(crate) fn fit_data(data: &Data<'_>, model: &Model) -> Result<ModelFit, Error> {
    fit_limited(data, model, MAX_ITERATIONS)
}

pub(crate) fn fit_limited(data: &Data<'_>, model: &Model, max_iterations: usize) -> Result<ModelFit, Error> {
    let ch = data.ch;
    let t = ch.t();
    if model.lists() != t {
        return Err(Error::Model("the model is for another number of lists"));
    }
    let layout = Layout::new(t, &data.nstar, model);
    let x = layout.design();
    let n = layout.cells.len();
    let p = layout.cols.len();
    let y: Vec<f64> = layout.cells.iter().map(|&c| ch.counts()[c as usize] as f64).collect();
    let res = irls_limited(&x, n, p, &y, None, max_iterations).map_err(|e| match e {
        IrlsError::Singular => Error::NotIdentifiable { model: model.to_string() },
        IrlsError::NotConverged(it) => Error::NotConverged { model: model.to_string(), iterations: it },
    })?;
    let observed = ch.observed();
    let loglik: f64 = y
        .iter()
        .zip(&res.mu)
        .map(|(&y, &m)| if y > 0.0 { y * m.ln() } else { 0.0 } - m - ln_gamma(y + 1.0))
        .sum();
    let dev = deviance(&y, &res.mu);
    let k = model.parameters();
    let hidden = res.beta[0].exp();
    let mut fitted = vec![0.0; 1 << t];
    fitted[0] = hidden;
    for (&c, &m) in layout.cells.iter().zip(&res.mu) {
        fitted[c as usize] = m;
    }
    Ok(ModelFit {
        model: model.clone(),
        observed,
        hidden,
        total: observed as f64 + hidden,
        se_log_hidden: res.cov[0].max(0.0).sqrt(),
        coefficients: layout.cols.iter().copied().zip(res.beta.iter().copied()).collect(),
        neg_inf_terms: layout.neg_inf.clone(),
        fitted,
        log_likelihood: loglik,
        deviance: dev,
        df: n.saturating_sub(p),
        parameters: k,
        aic: 2.0 * k as f64 - 2.0 * loglik,
        bic: k as f64 * (observed.max(1) as f64).ln() - 2.0 * loglik,
        iterations: res.iterations,
    })
}

/// Wald p-value (two-sided, normal) of an estimated coefficient; 1 for a term at −∞.
pub(crate) fn wald_p(fit: &ModelFit, data: &Data<'_>, term: u32) -> f64 {
    if fit.neg_inf_terms.contains(&term) {
        return 1.0;
    }
    let layout = Layout::new(data.ch.t(), &data.nstar, &fit.model);
    let Some(j) = layout.cols.iter().position(|&c| c == term) else { return 1.0 };
    let x = layout.design();
    let y: Vec<f64> = layout.cells.iter().map(|&c| data.ch.counts()[c as usize] as f64).collect();
    let beta: Vec<f64> = fit.coefficients.iter().map(|(_, b)| *b).collect();
    let Ok(res) = irls(&x, layout.cells.len(), layout.cols.len(), &y, Some(&beta)) else { return 1.0 };
    let p = layout.cols.len();
    let se = res.cov[j * p + j].max(0.0).sqrt();
    if se == 0.0 || !se.is_finite() {
        return 1.0;
    }
    let z = (res.beta[j] / se).abs();
    2.0 * (1.0 - crate::special::normal_cdf(z))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_convergence_is_reported() {
        let ch = CaptureHistories::from_patterns(
            vec!["a".into(), "b".into(), "c".into()],
            [(1, 50), (2, 40), (4, 30), (3, 12), (5, 9), (6, 7), (7, 3)],
        )
        .unwrap();
        let data = Data::new(&ch);
        let m = Model::from_hierarchy(3, "[12,13]").unwrap();
        let err = fit_limited(&data, &m, 2).unwrap_err();
        assert!(matches!(err, Error::NotConverged { iterations: 2, .. }), "{err:?}");
        assert!(err.to_string().contains("did not converge"));
        assert!(fit_limited(&data, &m, MAX_ITERATIONS).is_ok());
    }
}
