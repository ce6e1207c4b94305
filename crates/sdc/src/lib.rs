//! Statistical disclosure control (SDC) for the tables mosy publishes.
//!
//! National statistics on trafficking in human beings must be published without exposing anyone.
//! This crate offers two independent protections (never mix them for the same figures: a cell
//! published exactly in one product and perturbed in another leaks the noise):
//!
//! 1. **Cell suppression** for fixed release tables: a threshold rule (primary suppression) and
//!    Gauss secondary suppression across *all* tables of a release ([`protect`]), checked by an
//!    exact linear-algebra test ([`determined`]) and an LP attacker audit ([`audit()`]).
//! 2. **Cell key method** for flexible tables: keyed, consistent perturbation ([`ckm`]).
//!
//! # The suppression model
//!
//! The caller enumerates the non-empty *inner cells* — the full cross-classification of every
//! dimension used by any table of the release (plus, for revisions, a "vintage status" dimension)
//! — with their counts, and lists every cell of every table (interior cells, subtotals, totals) as
//! the sorted inner cells it sums ([`CellSpec`]). Cells from earlier releases enter as
//! [`Role::Forced`] (published: known to everyone) or [`Role::Suppressed`]; cells that are never
//! published but must not be revealed by differencing enter as [`Role::Virtual`]: the records
//! added between two vintages, the months of a year minus the published quarters, or an implied
//! table such as *adults = all − minors*. Protection is global: one matrix for all tables, so a
//! cell that needs protection in one table is protected in all of them.
//!
//! **Primary cells**: `Candidate`, `Suppressed` and `Virtual` cells whose value fails the
//! [`ThresholdRule`] (value in `1..k`, default `k = 5`; and 0 with `protect_zeros`).
//!
//! **Secondary suppression** (Langsrud 2024, as in SSBtools' `GaussSuppression`): the `Forced`
//! cells are taken as published first; then the safe candidates are offered in
//! [`candidate_order`] — decreasing value, so totals and large cells are published preferentially
//! and small interior cells are the first to be sacrificed (SSBtools' `CandidatesDefault`
//! convention). A candidate is published unless its vector, reduced by the published ones, would
//! make some protected cell a linear combination of published cells; then it is suppressed as
//! `Secondary`. The elimination is exact: sparse integer vectors in `i64` with gcd normalisation
//! and checked arithmetic, rerun in `i128` on overflow, and an error if even that overflows.
//!
//! **Singletons** ([`SingletonRule::KnownSingleton`], default): a primary cell of value 1 is known
//! to its lone contributor (the victim, or the provider who registered them), who could subtract
//! it from a published sum of suppressed cells — e.g. a row with a suppressed 1 and a suppressed 3
//! beside a published total. The rule: for every singleton `s` and every other protected cell `p`,
//! `p` must not be a linear combination of the published cells and `s`. In the elimination this
//! means that the residues of `s` and `p` must never become parallel; a candidate that would make
//! them so is suppressed. This covers every sum of suppressed cells containing one singleton, as
//! SSBtools' "anySum" aims to, exactly rather than by virtual sum cells. Coalitions of several
//! contributors are not covered.
//!
//! **Zeros** are *structural*: an inner cell that is not listed is known by the attacker to be
//! zero. This is the conservative assumption (fewer unknowns for the attacker): the protection
//! found holds a fortiori when zeros are not known. Zero-count inner cells may be listed to make
//! them unknown; [`ThresholdRule::protect_zeros`] then also protects zero cells.
//!
//! **Earlier releases**: `Forced` cells that on their own already disclose a protected cell
//! (exactly or to a singleton's contributor) make [`protect`] fail with
//! [`Error::AlreadyDisclosed`]: nothing done now can repair that, and the caller must decide
//! (typically: the cell is public, so publish it as `Forced`).
//!
//! # Example
//!
//! A 2×2 table with margins over four inner cells, one of which holds a single victim:
//!
//! ```
//! use sdc::{CellSpec, Problem, Role, Status, audit, protect};
//!
//! let inner = vec![1, 6, 7, 8]; // (r0,c0), (r0,c1), (r1,c0), (r1,c1)
//! let cell = |inner: &[u32]| CellSpec::new(inner.to_vec(), Role::Candidate);
//! let cells = vec![
//!     cell(&[0]), cell(&[1]), cell(&[2]), cell(&[3]), // interior
//!     cell(&[0, 1]), cell(&[2, 3]), cell(&[0, 2]), cell(&[1, 3]), // margins
//!     cell(&[0, 1, 2, 3]), // total
//! ];
//! let problem = Problem::new(inner, cells);
//! let status = protect(&problem)?;
//! assert_eq!(status[0], Status::Primary);
//! assert!(status[1..4].iter().all(|s| *s == Status::Secondary)); // the whole rectangle
//! assert!(status[4..].iter().all(|s| *s == Status::Published)); // margins and total
//! assert!(audit(&problem, &status)?.pinned().is_empty());
//! # Ok::<(), sdc::Error>(())
//! ```
//!
//! # Checking a pattern
//!
//! [`determined`] (exact: suppressed cells in the span of the published ones) and
//! [`determined_knowing`] (the same with extra attacker knowledge, e.g. a singleton) are cheap.
//! [`audit()`] / [`audit_knowing`] solve two LPs per distinct suppressed cell; inner counts that
//! the published cells determine are substituted first and each LP is a warm-started edit of one
//! base solve, but the cost still grows quickly with size (release build: about 15 s for 900
//! inner cells and 300 suppressed cells, 75 s for 1,850 and 600). Gauss suppression itself takes
//! well under a second for 5,000 inner cells and 6,000 cells (`examples/release.rs`).
//!
//! # Limits
//!
//! * The Gauss method prevents **exact** disclosure only: no protected cell is a linear function of
//!   the published ones. It gives no protection interval (no safety range): the attacker may still
//!   narrow a cell down. [`audit()`] computes the intervals (LP relaxation, inner counts real ≥ 0)
//!   and [`Audit::pinned`] / [`Audit::exposed_small`] flag narrow ones; integer reasoning could
//!   narrow them slightly further.
//! * Cells are plain sums of inner cells (0/1 coefficients); differences between tables are
//!   protected through `Virtual` cells, which the caller must declare.
//! * The candidate order is a heuristic: the pattern is safe, not minimal.
//! * Exact elimination can overflow `i128` only for dense, unstructured cells (random subsets of
//!   many inner cells); table structures keep coefficients tiny. [`protect`] then returns
//!   [`Error::Overflow`], never a wrong pattern.
//! * Secondary suppression is deterministic, so the pattern itself is reproducible by anyone with
//!   the data; it reveals nothing beyond which cells are suppressed.

pub mod audit;
pub mod ckm;
pub mod gauss;
mod linalg;
pub mod problem;

pub use audit::{Audit, AuditCell, PINNED_WIDTH, audit, audit_knowing};
pub use ckm::{CellKey, PTable, PTableEntry, PTableParams, PTableRow, RecordKey, record_key};
pub use gauss::{candidate_order, determined, determined_knowing, protect};
pub use problem::{CellSpec, Problem, Role, SingletonRule, Status, ThresholdRule};

/// Errors of this crate. Messages name cells by index, never by value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A cell's inner list is malformed.
    #[error("cell {cell}: {reason}")]
    InvalidCell {
        /// The cell index.
        cell: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// More than `u32::MAX` inner cells.
    #[error("too many inner cells (at most 2^32 - 1)")]
    TooManyInnerCells,
    /// The status list does not have one entry per cell.
    #[error("status list has {found} entries, the problem has {expected} cells")]
    StatusLength {
        /// Number of cells.
        expected: usize,
        /// Number of statuses given.
        found: usize,
    },
    /// A primary cell has no inner cell: a structural zero cannot be hidden.
    #[error("cell {cell} must be protected but sums no inner cell (structural zero)")]
    EmptyPrimary {
        /// The cell index.
        cell: usize,
    },
    /// Forced (earlier published) cells alone already disclose these protected cells.
    #[error("protected cells {cells:?} are already disclosed by forced cells")]
    AlreadyDisclosed {
        /// The cell indices.
        cells: Vec<usize>,
    },
    /// Exact arithmetic overflowed even with 128-bit integers.
    #[error("integer overflow in exact elimination")]
    Overflow,
    /// The LP solver failed (for a cell, or on the published equations as a whole).
    #[error("LP audit failed (cell {cell:?}): {message}")]
    Lp {
        /// The cell index, if the failure concerns one cell.
        cell: Option<usize>,
        /// The solver's message.
        message: String,
    },
    /// Invalid p-table parameters.
    #[error("invalid p-table parameters: {0}")]
    InvalidParams(&'static str),
    /// The p-table row for this count could not be solved.
    #[error("p-table row {row} did not converge")]
    PTable {
        /// The original count of the row.
        row: u64,
    },
}
