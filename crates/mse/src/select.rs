//! The three published model-choice procedures.
//!
//! 1. **Stepwise by p-value** (Chan, Silverman & Vincent 2021; threshold 0.02): from main
//!    effects, for each pair `(i, j)` not in the model, `n*` = persons on both lists,
//!    `λ*` = sum of the current fitted values over the cells containing both, and
//!    `p = min(P(X ≤ n*), P(X ≥ n*))` with `X ~ Poisson(λ*)`; `p = 1` when the model with the pair
//!    fails the existence/identifiability check. The pair with the smallest `p` (ties: the first
//!    in the order (1,2), (1,3), …) enters if `p` is below the threshold; refit; repeat.
//! 2. **AIC stepwise** (Bales, Hesketh & Silverman 2015; threshold 0.05): from main effects, add
//!    the pair giving the lowest AIC; stop when that AIC is not lower than the current one or the
//!    new term's Wald p-value exceeds the threshold (keeping the previous model). A zero-overlap
//!    pair's AIC is the limit with its cells removed and its p-value is 1, so it stops the search.
//!    Candidates failing the existence/identifiability check are not considered.
//! 3. **BIC over all hierarchical models** up to a maximum order (Silverman, Chan & Vincent
//!    2024): `BIC = k log(n_observed) − 2ℓ̂`, `k` counting every parameter including those at −∞;
//!    models failing the check are left out.

use crate::Error;
use crate::data::CaptureHistories;
use crate::exist::{check_data, estimable};
use crate::fit::{Data, FitSummary, ModelFit, fit_data, wald_p};
use crate::model::{Model, hierarchical_models};
use crate::special::{poisson_cdf, poisson_sf_incl};

/// Most models the BIC search enumerates.
pub const MAX_BIC_MODELS: usize = 100_000;
/// Runner-up models kept for reports.
pub const RUNNER_UPS: usize = 10;

/// How the model is chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    /// Main effects only (independent lists).
    MainEffects,
    /// A model chosen by the user.
    Fixed(Model),
    /// Stepwise by Poisson p-value (threshold 0.02 in the paper).
    StepwisePValue {
        /// A pair enters while its p-value is below this.
        threshold: f64,
    },
    /// Stepwise by AIC with a Wald p-value stop (threshold 0.05 in the paper).
    StepwiseAic {
        /// The search stops when the new term's Wald p-value exceeds this.
        threshold: f64,
    },
    /// Lowest BIC over all hierarchical models.
    Bic {
        /// Highest interaction order; `None`: 1 for 2 lists, 2 for 3, 3 for 4–5, 2 beyond.
        max_order: Option<usize>,
        /// Models (best by BIC on the original data) searched again in each bootstrap resample;
        /// `None`: all for up to 3 lists, 20 for 4, 100 beyond (the R package's defaults).
        top_models: Option<usize>,
    },
}

impl Selection {
    /// Stepwise by p-value at the published threshold 0.02.
    pub fn stepwise_p() -> Self {
        Self::StepwisePValue { threshold: 0.02 }
    }

    /// AIC stepwise at the published threshold 0.05.
    pub fn stepwise_aic() -> Self {
        Self::StepwiseAic { threshold: 0.05 }
    }

    /// BIC with the default order and bootstrap model set.
    pub fn bic() -> Self {
        Self::Bic { max_order: None, top_models: None }
    }

    /// Short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Self::MainEffects => "main effects only",
            Self::Fixed(_) => "fixed model",
            Self::StepwisePValue { .. } => "stepwise by Poisson p-value",
            Self::StepwiseAic { .. } => "stepwise by AIC",
            Self::Bic { .. } => "lowest BIC over hierarchical models",
        }
    }
}

/// Default maximum order of the BIC search for `t` lists.
pub fn default_max_order(t: usize) -> usize {
    match t {
        2 => 1,
        3 => 2,
        4 | 5 => 3,
        _ => 2,
    }
}

/// Default number of models re-searched in each bootstrap resample of the BIC procedure.
pub fn default_top_models(t: usize) -> usize {
    match t {
        0..=3 => usize::MAX,
        4 => 20,
        _ => 100,
    }
}

/// The outcome of a model choice.
#[derive(Clone, Debug)]
pub struct Choice {
    /// The chosen model's fit.
    pub fit: ModelFit,
    /// The chosen model's criterion (for stepwise by p-value: the p-value of the last term
    /// added, 1 for main effects).
    pub criterion: f64,
    /// Runner-up models, best first, with their criterion (p-value of the pair that would be
    /// added next, AIC of the candidates at the last step, or BIC).
    pub runner_ups: Vec<FitSummary>,
    /// Models left out because they failed the existence/identifiability check.
    pub skipped: usize,
    /// Models left out because their fit did not converge (or was numerically singular).
    pub not_converged: usize,
    /// For the BIC procedure: every eligible model, best first (used by the bootstrap).
    pub(crate) ranked: Vec<Model>,
}

fn pairs(t: usize) -> Vec<u32> {
    let mut v = Vec::new();
    for i in 0..t {
        for j in i + 1..t {
            v.push((1u32 << i) | (1u32 << j));
        }
    }
    v
}

/// Chooses a model on the data.
///
/// # Errors
/// The errors of [`crate::fit()`] for the starting or fixed model; [`Error::NoModel`] when no
/// model of the BIC search can be fitted.
pub fn choose(ch: &CaptureHistories, selection: &Selection) -> Result<Choice, Error> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    choose_data(&Data::new(ch), selection, threads, None)
}

pub(crate) fn choose_data(
    data: &Data<'_>,
    selection: &Selection,
    threads: usize,
    restrict: Option<&[Model]>,
) -> Result<Choice, Error> {
    let t = data.ch.t();
    match selection {
        Selection::MainEffects => fixed(data, &Model::main_effects(t)),
        Selection::Fixed(m) => fixed(data, m),
        Selection::StepwisePValue { threshold } => stepwise_p(data, *threshold),
        Selection::StepwiseAic { threshold } => stepwise_aic(data, *threshold),
        Selection::Bic { max_order, .. } => match restrict {
            Some(models) => bic_over(data, models, 1),
            None => {
                let order = max_order.unwrap_or_else(|| default_max_order(t));
                let models = hierarchical_models(t, order, MAX_BIC_MODELS)?;
                bic_over(data, &models, threads)
            }
        },
    }
}

fn fixed(data: &Data<'_>, model: &Model) -> Result<Choice, Error> {
    let ex = check_data(data, model);
    if !ex.ok() {
        return Err(Error::NotEstimable { model: model.display_with(data.ch.lists()), code: ex.code() });
    }
    let fit = fit_data(data, model)?;
    Ok(Choice {
        fit,
        criterion: f64::NAN,
        runner_ups: Vec::new(),
        skipped: 0,
        not_converged: 0,
        ranked: Vec::new(),
    })
}

/// The Poisson p-values of every pair not in the model, given the current fit.
fn pair_pvalues(data: &Data<'_>, fit: &ModelFit, cands: &[u32]) -> Vec<f64> {
    cands
        .iter()
        .map(|&pair| {
            if fit.model.contains(pair) {
                return f64::INFINITY;
            }
            let nstar = data.nstar[pair as usize];
            let lambda: f64 = fit
                .fitted
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(c, _)| *c as u32 & pair == pair)
                .map(|(_, v)| v)
                .sum();
            let p = poisson_cdf(nstar, lambda).min(poisson_sf_incl(nstar, lambda));
            match fit.model.with_term(pair) {
                Ok(m) if estimable(data, &m) => p,
                _ => 1.0,
            }
        })
        .collect()
}

fn stepwise_p(data: &Data<'_>, threshold: f64) -> Result<Choice, Error> {
    let t = data.ch.t();
    let cands = pairs(t);
    let mut fit = fit_data(data, &Model::main_effects(t))?;
    let mut criterion = 1.0;
    loop {
        let pv = pair_pvalues(data, &fit, &cands);
        let best = pv.iter().enumerate().fold(None, |b: Option<(usize, f64)>, (k, &p)| match b {
            Some((_, bp)) if bp <= p => b,
            _ if p.is_finite() => Some((k, p)),
            _ => b,
        });
        match best {
            Some((k, p)) if p < threshold => {
                let model = fit.model.with_term(cands[k])?;
                fit = fit_data(data, &model)?;
                criterion = p;
            }
            _ => {
                // Runner-ups: the models with the next pair, by p-value.
                let mut order: Vec<(usize, f64)> =
                    pv.iter().copied().enumerate().filter(|(_, p)| p.is_finite()).collect();
                order.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                let mut runner_ups = Vec::new();
                for (k, p) in order {
                    if runner_ups.len() >= RUNNER_UPS {
                        break;
                    }
                    let Ok(m) = fit.model.with_term(cands[k]) else { continue };
                    if !estimable(data, &m) {
                        continue;
                    }
                    if let Ok(f) = fit_data(data, &m) {
                        runner_ups.push(f.summary(p));
                    }
                }
                return Ok(Choice {
                    fit,
                    criterion,
                    runner_ups,
                    skipped: 0,
                    not_converged: 0,
                    ranked: Vec::new(),
                });
            }
        }
    }
}

fn stepwise_aic(data: &Data<'_>, threshold: f64) -> Result<Choice, Error> {
    let t = data.ch.t();
    let cands = pairs(t);
    let mut fit = fit_data(data, &Model::main_effects(t))?;
    let mut skipped = 0;
    let mut not_converged = 0;
    loop {
        let mut tried: Vec<(usize, ModelFit)> = Vec::new();
        for (k, &pair) in cands.iter().enumerate() {
            if fit.model.contains(pair) {
                continue;
            }
            let m = fit.model.with_term(pair)?;
            if !estimable(data, &m) {
                skipped += 1;
                continue;
            }
            match fit_data(data, &m) {
                Ok(f) => tried.push((k, f)),
                Err(_) => not_converged += 1,
            }
        }
        tried.sort_by(|a, b| a.1.aic.total_cmp(&b.1.aic).then(a.0.cmp(&b.0)));
        let stop = match tried.first() {
            None => true,
            Some((k, best)) => best.aic >= fit.aic || wald_p(best, data, cands[*k]) > threshold,
        };
        if stop {
            let runner_ups = tried.iter().take(RUNNER_UPS).map(|(_, f)| f.summary(f.aic)).collect();
            let criterion = fit.aic;
            return Ok(Choice { fit, criterion, runner_ups, skipped, not_converged, ranked: Vec::new() });
        }
        fit = tried.swap_remove(0).1;
    }
}

/// Fits every model that passes the check; the lowest BIC wins (ties: the earlier model).
pub(crate) fn bic_over(data: &Data<'_>, models: &[Model], threads: usize) -> Result<Choice, Error> {
    let threads = threads.clamp(1, models.len().max(1));
    let chunk = models.len().div_ceil(threads).max(1);
    let results: Vec<Fitted> = if threads == 1 {
        models.iter().map(|m| fit_if_ok(data, m)).collect()
    } else {
        let parts: Result<Vec<Vec<Fitted>>, Error> = std::thread::scope(|s| {
            let handles: Vec<_> = models
                .chunks(chunk)
                .map(|ms| s.spawn(move || ms.iter().map(|m| fit_if_ok(data, m)).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| Error::Internal("a worker thread panicked")))
                .collect()
        });
        parts?.into_iter().flatten().collect()
    };
    let skipped = results.iter().filter(|r| matches!(r, Fitted::NotEstimable)).count();
    let not_converged = results.iter().filter(|r| matches!(r, Fitted::Failed)).count();
    let mut ok: Vec<(usize, ModelFit)> = results
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| if let Fitted::Ok(f) = r { Some((i, *f)) } else { None })
        .collect();
    if ok.is_empty() {
        return Err(Error::NoModel);
    }
    ok.sort_by(|a, b| a.1.bic.total_cmp(&b.1.bic).then(a.0.cmp(&b.0)));
    let ranked = ok.iter().map(|(_, f)| f.model.clone()).collect();
    let mut it = ok.into_iter().map(|(_, f)| f);
    let fit = it.next().ok_or(Error::NoModel)?;
    let runner_ups = it.take(RUNNER_UPS).map(|f| f.summary(f.bic)).collect();
    let criterion = fit.bic;
    Ok(Choice { fit, criterion, runner_ups, skipped, not_converged, ranked })
}

enum Fitted {
    Ok(Box<ModelFit>),
    NotEstimable,
    Failed,
}

fn fit_if_ok(data: &Data<'_>, m: &Model) -> Fitted {
    if !estimable(data, m) {
        return Fitted::NotEstimable;
    }
    match fit_data(data, m) {
        Ok(f) => Fitted::Ok(Box::new(f)),
        Err(_) => Fitted::Failed,
    }
}
