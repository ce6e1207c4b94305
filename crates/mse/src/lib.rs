//! Multiple systems estimation (MSE): how many victims did no provider see?
//!
//! When the same persons are registered, in part independently, by several lists (providers or
//! groups of providers), the overlaps between the lists tell how many persons none of them saw.
//! The standard method, implemented here after `shared/reference/mse.md`, is Poisson log-linear
//! modelling of the capture-history table:
//!
//! - [`CaptureHistories`]: the table (counts by pattern of lists), read from CSV by
//!   [`read_csv`]; lists can be merged or dropped; [`CaptureHistories::overlaps`] gives the
//!   pairwise overlap table.
//! - [`Model`]: a hierarchical log-linear model by its interaction terms;
//!   [`hierarchical_models`] enumerates all of them up to a maximum order.
//! - [`fit()`]: Newton/IRLS fit with step halving and the extended MLE (terms whose overlap is
//!   empty are estimated at −∞ and their cells dropped); non-convergence is an error.
//! - [`check_existence`]: the Fienberg–Rinaldo linear program and the rank check (codes 0–3).
//! - [`choose`] with a [`Selection`]: stepwise by Poisson p-value, stepwise by AIC, lowest BIC
//!   over all hierarchical models.
//! - [`estimate`]: all of it, with a Wald, profile-likelihood or BCa-bootstrap interval
//!   ([`IntervalMethod`]), runner-up models, [`Warning`]s and the [`Assumptions`].
//!
//! Determinism: the same input, options and seed give the same output, whatever the number of
//! threads: each bootstrap resample has its own generator (the seed, on stream = resample index).
//!
//! Dependencies: `microlp` (pure-Rust simplex, already used by `sdc`) solves the existence
//! linear program; the statistics (IRLS, special functions, BCa) are written here by hand.

mod csv;
mod data;
mod estimate;
mod exist;
mod fit;
mod interval;
mod model;
mod select;
mod special;
mod synthetic;

pub use crate::csv::{MAX_INPUT_BYTES, ParseError, read_csv};
pub use crate::data::{CaptureHistories, MAX_LISTS, MIN_LISTS, OverlapTable};
pub use crate::estimate::{
    Assumptions, Estimate, MIN_LIST_SIZE, MIN_OVERLAP, Options, Warning, estimate, estimate_with_progress,
};
pub use crate::exist::{Existence, check_existence};
pub use crate::fit::{FitSummary, MAX_ITERATIONS, ModelFit, TOLERANCE, fit};
pub use crate::interval::{BootstrapSummary, IntervalMethod, profile, wald};
pub use crate::model::{Model, hierarchical_models};
pub use crate::select::{
    Choice, MAX_BIC_MODELS, RUNNER_UPS, Selection, choose, default_max_order, default_top_models,
};
pub use crate::synthetic::{SyntheticList, synthetic};

/// Why an estimate could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer than 2 or more than 10 lists.
    #[error("{found} lists; between {MIN_LISTS} and {MAX_LISTS} are supported")]
    ListCount {
        /// Lists given.
        found: usize,
    },
    /// Malformed counts.
    #[error("invalid capture histories: {0}")]
    Counts(&'static str),
    /// Invalid merge or drop of lists.
    #[error("invalid list merge: {0}")]
    Merge(&'static str),
    /// Invalid model.
    #[error("invalid model: {0}")]
    Model(&'static str),
    /// Nobody observed.
    #[error("no person is observed: nothing to estimate from")]
    NoObservations,
    /// The model's estimate does not exist or is not identifiable on these data.
    #[error("the model {model} cannot be estimated from these data (existence code {code})")]
    NotEstimable {
        /// The model.
        model: String,
        /// Existence code (1: no estimate exists; 2: not identifiable; 3: both).
        code: u8,
    },
    /// The design is singular.
    #[error("the model {model} is not identifiable from these data")]
    NotIdentifiable {
        /// The model.
        model: String,
    },
    /// Newton's method did not converge.
    #[error("the fit of model {model} did not converge in {iterations} iterations")]
    NotConverged {
        /// The model.
        model: String,
        /// Iterations done.
        iterations: usize,
    },
    /// The BIC search would enumerate too many models.
    #[error("more than {limit} models to search: lower the maximum order")]
    TooManyModels {
        /// The limit.
        limit: usize,
    },
    /// No model of the search could be fitted.
    #[error("no model can be estimated from these data")]
    NoModel,
    /// The interval failed.
    #[error("interval: {0}")]
    Interval(&'static str),
    /// An internal failure (a worker thread panicked).
    #[error("internal error: {0}")]
    Internal(&'static str),
}
