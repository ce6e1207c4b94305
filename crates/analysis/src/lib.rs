//! Statistics for decision making (issue 8): where occurrences cluster, what they go with, and
//! where they are heading.
//!
//! - [`Weights`]: neighbours from region boundaries ([`RegionShape`] rings, or
//!   [`shapes_from_boundaries`] of `maps::Boundaries`), queen or rook [`Contiguity`] with a
//!   distance tolerance, found through a grid of boundary segments; binary or row-standardised
//!   ([`Scheme`]); islands reported.
//! - [`getis_ord`] (Gi* hot and cold spots), [`local_moran`] (clusters and outliers) and
//!   [`global_moran`], with seeded conditional-permutation p-values ([`LocalOptions`]); missing
//!   (suppressed) values are left out and neighbours renormalised; [`rates`] never computes a
//!   rate on a suppressed count.
//! - [`fit_glm`]: Poisson and negative-binomial (NB2) regression with a log-population offset,
//!   coefficients, standard errors, Wald intervals, rate ratios, deviance, AIC and Pearson
//!   dispersion ([`GlmFit`]); non-convergence is an error.
//! - [`project`]: trend projection of a count series by the best of ETS and NB-GLM candidates
//!   on a back-test, with simulated prediction intervals, back-test MAPE and MASE, or a refusal
//!   that says why ([`Error::SeriesTooShort`], [`Error::SeriesTooSparse`]).
//!
//! Nothing here reads files, the database or the network: the caller passes values in.
//!
//! Determinism: the same input, options and seed give the same output, whatever the number of
//! threads: every random draw comes from a ChaCha8 generator seeded by the caller's seed, on a
//! stream of its own (the region's index, the permutation's or the simulated path's number).
//!
//! Dependencies: `rand`/`rand_chacha` (the workspace's seeded generators), `rand_distr` (normal,
//! gamma and Poisson draws for simulated intervals; small, maintained with `rand`, already used
//! by `synth`) and `maps` (only to convert its region type). The numerics (IRLS, Cholesky,
//! special functions, Nelder–Mead, ETS) are written here by hand.

mod ets;
mod glm;
mod linalg;
mod local;
mod projection;
mod special;
mod weights;

pub use crate::glm::{
    Coefficient, Covariate, Dispersion, Family, GlmFit, GlmOptions, GlmWarning, THETA_MAX, fit_glm,
};
pub use crate::local::{
    Class, DEFAULT_PERMUTATIONS, GlobalMoran, LocalAnalysis, LocalOptions, LocalResult, getis_ord,
    global_moran, local_moran, rates,
};
pub use crate::projection::{
    Candidate, MAX_ZERO_SHARE, MIN_LENGTH, MIN_TOTAL, Method, Projection, ProjectionOptions, project,
};
pub use crate::weights::{Contiguity, RegionShape, Scheme, Weights, shapes_from_boundaries};

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Malformed input (lengths, values, options).
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// Two regions with one code.
    #[error("region code `{0}` appears more than once")]
    DuplicateCode(String),
    /// Too few regions (or rows) with a value.
    #[error("{found} regions or rows with a value; at least {minimum} are needed")]
    TooFewRegions {
        /// Found.
        found: usize,
        /// Needed.
        minimum: usize,
    },
    /// All values are equal: no spatial pattern can be tested.
    #[error("all values are equal: there is no variation to analyse")]
    NoVariation,
    /// The covariates are collinear (or a column is constant with the intercept).
    #[error("the covariates are collinear: the model cannot be identified")]
    Singular,
    /// An iterative fit did not converge.
    #[error("{what} did not converge in {iterations} iterations")]
    NotConverged {
        /// Which fit.
        what: &'static str,
        /// Iterations done.
        iterations: usize,
    },
    /// The series is too short to project.
    #[error("the series has {length} periods; a projection needs at least {minimum}")]
    SeriesTooShort {
        /// Periods given.
        length: usize,
        /// Periods needed.
        minimum: usize,
    },
    /// The series is too sparse to project.
    #[error("the series is too sparse to project: {0}")]
    SeriesTooSparse(String),
    /// No candidate method could be fitted.
    #[error("no projection method could be fitted to this series")]
    NoProjection,
    /// An internal failure (a worker thread panicked).
    #[error("internal error: {0}")]
    Internal(&'static str),
}

/// Result of this crate.
pub type Result<T> = std::result::Result<T, Error>;
