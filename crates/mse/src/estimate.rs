//! The whole estimation: checks on the data, model choice, interval, warnings and the
//! assumptions in plain words.

use std::fmt;

use crate::Error;
use crate::data::{CaptureHistories, OverlapTable};
use crate::fit::{Data, FitSummary};
use crate::interval::{BootstrapSummary, IntervalMethod, bootstrap, profile_data, wald};
use crate::model::{Model, bits};
use crate::select::{Selection, choose_data};

/// A list with fewer persons than this draws a [`Warning::SmallList`] by default.
pub const MIN_LIST_SIZE: u64 = 10;
/// Fewer persons than this on two lists or more draw a [`Warning::FewOverlaps`] by default.
pub const MIN_OVERLAP: u64 = 20;

/// What to estimate and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Model choice.
    pub selection: Selection,
    /// Interval for the total.
    pub interval: IntervalMethod,
    /// Confidence level of the interval (default 0.95).
    pub level: f64,
    /// Worker threads for the BIC search and the bootstrap (`None`: all cores). Results do not
    /// depend on it.
    pub threads: Option<usize>,
    /// Lists smaller than this are warned about (default [`MIN_LIST_SIZE`]).
    pub min_list_size: u64,
    /// Fewer persons than this on two lists or more are warned about (default [`MIN_OVERLAP`]).
    pub min_overlap: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            selection: Selection::stepwise_p(),
            interval: IntervalMethod::Wald,
            level: 0.95,
            threads: None,
            min_list_size: MIN_LIST_SIZE,
            min_overlap: MIN_OVERLAP,
        }
    }
}

/// Something the reader of an estimate should know.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// Few persons are on two lists or more: the estimate rests on little information.
    FewOverlaps {
        /// Persons on two lists or more.
        overlapping: u64,
        /// The threshold.
        minimum: u64,
    },
    /// Pairs of lists with no person in common.
    EmptyOverlaps {
        /// The pairs, by name.
        pairs: Vec<(String, String)>,
    },
    /// A list is small.
    SmallList {
        /// List name.
        list: String,
        /// Persons on it.
        size: u64,
        /// The threshold.
        minimum: u64,
    },
    /// The chosen model has interactions estimated at −∞ (no person in the overlap).
    BoundaryTerms {
        /// The terms, as `a*b`.
        terms: Vec<String>,
    },
    /// Models left out of the choice because their estimate does not exist or is not
    /// identifiable.
    ModelsNotEstimable {
        /// How many.
        count: usize,
    },
    /// Models left out of the choice because their fit did not converge.
    NotConverged {
        /// How many.
        count: usize,
    },
    /// Bootstrap resamples in which the model choice failed.
    BootstrapFailures {
        /// Failed resamples.
        failed: usize,
        /// Resamples drawn.
        resamples: usize,
    },
    /// Jackknife estimates (for the bootstrap acceleration) that failed.
    JackknifeFailures {
        /// How many.
        failed: usize,
    },
    /// The interval could not be computed.
    NoInterval {
        /// Why.
        reason: String,
    },
    /// The upper limit of the interval is unbounded.
    UnboundedInterval,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FewOverlaps { overlapping, minimum } => write!(
                f,
                "Only {overlapping} persons were seen by more than one list (fewer than {minimum}); \
                 the estimate rests on little information and may be unreliable."
            ),
            Self::EmptyOverlaps { pairs } => {
                let p: Vec<String> = pairs.iter().map(|(a, b)| format!("{a} and {b}")).collect();
                write!(f, "These lists have no person in common: {}.", p.join("; "))
            }
            Self::SmallList { list, size, minimum } => write!(
                f,
                "List {list} has only {size} persons (fewer than {minimum}); consider merging it with a similar list."
            ),
            Self::BoundaryTerms { terms } => write!(
                f,
                "The chosen model includes interactions between lists with no person in common ({}); \
                 they are estimated at their limit.",
                terms.join(", ")
            ),
            Self::ModelsNotEstimable { count } => write!(
                f,
                "{count} models were left out because the data cannot estimate them \
                 (the estimate does not exist or is not identifiable)."
            ),
            Self::NotConverged { count } => {
                write!(f, "{count} models were left out because their fit did not converge.")
            }
            Self::BootstrapFailures { failed, resamples } => write!(
                f,
                "In {failed} of {resamples} bootstrap resamples no model could be fitted; they were left out."
            ),
            Self::JackknifeFailures { failed } => {
                write!(
                    f,
                    "{failed} jackknife estimates failed and were left out of the interval's correction."
                )
            }
            Self::NoInterval { reason } => write!(f, "No interval could be computed: {reason}."),
            Self::UnboundedInterval => {
                write!(f, "The data do not bound the estimate from above: the upper limit is infinite.")
            }
        }
    }
}

/// The assumptions of multiple systems estimation, in plain words.
#[derive(Clone, Copy, Debug)]
pub struct Assumptions;

impl Assumptions {
    /// Closed population.
    pub const CLOSED_POPULATION: &'static str = "Closed population: the lists cover the same population in the \
        same period; nobody enters or leaves the population in between in a way that depends on the lists.";
    /// Perfect linkage.
    pub const PERFECT_LINKAGE: &'static str = "Perfect linkage: the same person is recognised as the same person \
        on every list, and different persons are never merged. Missed links inflate the estimate; false links \
        deflate it.";
    /// The model captures the dependence.
    pub const DEPENDENCE_MODELLED: &'static str = "The model captures the dependence between lists: being seen by \
        one provider may make being seen by another more or less likely (referrals, shared cases), and the chosen \
        interactions must describe this well enough. Dependence that no observed overlap reveals cannot be \
        corrected.";
    /// Homogeneity within strata.
    pub const HOMOGENEITY: &'static str = "Homogeneity: within the group estimated (or each stratum, such as a \
        form of exploitation or region), persons have similar chances of being seen by each list, or differences \
        are captured by the interactions. Estimate separate groups separately when they differ strongly.";
    /// All four, in order.
    pub const ALL: [&'static str; 4] =
        [Self::CLOSED_POPULATION, Self::PERFECT_LINKAGE, Self::DEPENDENCE_MODELLED, Self::HOMOGENEITY];
}

/// An estimate of the total population, with what a report needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// List names.
    pub lists: Vec<String>,
    /// Persons observed by at least one list.
    pub observed: u64,
    /// Estimated total (observed + hidden).
    pub total: f64,
    /// Estimated persons seen by no list.
    pub hidden: f64,
    /// Interval for the total (for the hidden figure subtract `observed`).
    pub interval: Option<(f64, f64)>,
    /// Confidence level of the interval.
    pub level: f64,
    /// How the interval was computed.
    pub interval_method: IntervalMethod,
    /// How the model was chosen.
    pub selection: Selection,
    /// The chosen model.
    pub model: Model,
    /// The chosen model's figures (deviance, df, AIC, BIC, and the selection's criterion).
    pub fit: FitSummary,
    /// Standard error of `log(hidden)`.
    pub se_log_hidden: f64,
    /// Terms of the chosen model estimated at −∞.
    pub boundary_terms: Vec<u32>,
    /// Runner-up models with their criteria, best first.
    pub runner_ups: Vec<FitSummary>,
    /// The list-overlap table.
    pub overlaps: OverlapTable,
    /// Bootstrap details, for the bootstrap interval.
    pub bootstrap: Option<BootstrapSummary>,
    /// Warnings, in plain words through `Display`.
    pub warnings: Vec<Warning>,
}

/// Estimates the total population from capture histories.
///
/// # Errors
/// [`Error::NoObservations`], [`Error::NotEstimable`] for a fixed model the data cannot
/// estimate, [`Error::NoModel`], [`Error::NotConverged`], and the errors of the model set.
pub fn estimate(ch: &CaptureHistories, options: &Options) -> Result<Estimate, Error> {
    estimate_with_progress(ch, options, &|_| {})
}

/// As [`estimate`], calling `progress` with the number of bootstrap resamples done.
///
/// # Errors
/// As [`estimate`].
pub fn estimate_with_progress(
    ch: &CaptureHistories,
    options: &Options,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Estimate, Error> {
    if ch.observed() == 0 {
        return Err(Error::NoObservations);
    }
    if !(options.level > 0.0 && options.level < 1.0) {
        return Err(Error::Interval("the level must be between 0 and 1"));
    }
    let threads =
        options.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let names = ch.lists();
    let overlaps = ch.overlaps();
    let mut warnings = data_warnings(&overlaps, options);
    let data = Data::new(ch);
    let choice = choose_data(&data, &options.selection, threads, None)?;
    if choice.skipped > 0 {
        warnings.push(Warning::ModelsNotEstimable { count: choice.skipped });
    }
    if choice.not_converged > 0 {
        warnings.push(Warning::NotConverged { count: choice.not_converged });
    }
    let boundary: Vec<u32> = choice.fit.neg_inf_terms.clone();
    if !boundary.is_empty() {
        let terms = boundary
            .iter()
            .map(|&m| bits(m).map(|i| names[i].clone()).collect::<Vec<_>>().join("*"))
            .collect();
        warnings.push(Warning::BoundaryTerms { terms });
    }
    let mut boot = None;
    let interval = match &options.interval {
        IntervalMethod::None => None,
        IntervalMethod::Wald => Some(wald(&choice.fit, options.level)),
        IntervalMethod::Profile => match profile_data(&data, &choice.fit, options.level) {
            Ok(iv) => Some(iv),
            Err(e) => {
                warnings.push(Warning::NoInterval { reason: e.to_string() });
                None
            }
        },
        IntervalMethod::Bootstrap { resamples, seed } => {
            match bootstrap(
                ch,
                &options.selection,
                &choice,
                *resamples,
                *seed,
                options.level,
                threads,
                progress,
            ) {
                Ok((iv, summary)) => {
                    if summary.failed > 0 {
                        warnings.push(Warning::BootstrapFailures {
                            failed: summary.failed,
                            resamples: *resamples,
                        });
                    }
                    if summary.jackknife_failed > 0 {
                        warnings.push(Warning::JackknifeFailures { failed: summary.jackknife_failed });
                    }
                    boot = Some(summary);
                    Some(iv)
                }
                Err(e) => {
                    warnings.push(Warning::NoInterval { reason: e.to_string() });
                    None
                }
            }
        }
    };
    if interval.is_some_and(|(_, hi)| !hi.is_finite()) {
        warnings.push(Warning::UnboundedInterval);
    }
    let fit = &choice.fit;
    Ok(Estimate {
        lists: names.to_vec(),
        observed: fit.observed,
        total: fit.total,
        hidden: fit.hidden,
        interval,
        level: options.level,
        interval_method: options.interval.clone(),
        selection: options.selection.clone(),
        model: fit.model.clone(),
        fit: fit.summary(choice.criterion),
        se_log_hidden: fit.se_log_hidden,
        boundary_terms: boundary,
        runner_ups: choice.runner_ups,
        overlaps,
        bootstrap: boot,
        warnings,
    })
}

fn data_warnings(ov: &OverlapTable, options: &Options) -> Vec<Warning> {
    let mut w = Vec::new();
    let t = ov.lists.len();
    for i in 0..t {
        if ov.size(i) < options.min_list_size {
            w.push(Warning::SmallList {
                list: ov.lists[i].clone(),
                size: ov.size(i),
                minimum: options.min_list_size,
            });
        }
    }
    if ov.on_two_or_more < options.min_overlap {
        w.push(Warning::FewOverlaps { overlapping: ov.on_two_or_more, minimum: options.min_overlap });
    }
    let mut pairs = Vec::new();
    for i in 0..t {
        for j in i + 1..t {
            if ov.pairwise[i][j] == 0 {
                pairs.push((ov.lists[i].clone(), ov.lists[j].clone()));
            }
        }
    }
    if !pairs.is_empty() {
        w.push(Warning::EmptyOverlaps { pairs });
    }
    w
}
