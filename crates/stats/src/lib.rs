//! The statistics engine of the hub: an in-memory, columnar, dictionary-encoded view of the
//! records that answers any cross-tabulation (issue 4).
//!
//! - [`EngineBuilder`] takes validated records (victim registrations with the person each belongs
//!   to, suspects, prosecutions, court decisions) and packs them into columns of small integers
//!   (`u8`/`u16` codes, days since 1990-01-01), sorted so that the registrations of one person are
//!   adjacent with the earliest first. Persons are a second, thin table over the registrations.
//! - [`Dim`] names a dimension: any coded field, or one derived from a field through a lookup
//!   table (Eurostat exploitation group, citizenship group, NUTS level 1/2/3, provider type, period
//!   as month/quarter/year).
//! - [`Query`] = a [`Measure`] (registrations, persons, suspects, prosecuted, finalised prosecutions,
//!   convicted) + up to eight dimensions + filters + a date range + single- or multi-count.
//!   [`Engine::crosstab`] answers it with a chunked, vectorisable kernel over the columns, on every
//!   core, and [`Engine::table`] adds the margins (totals), giving a [`Table`].
//! - [`Engine::histories`] gives the capture histories of multiple systems estimation: persons by
//!   the exact set of lists (providers or groups of providers) that registered them.
//! - Every cell also carries a *cell key* (the wrapping sum of the keyed 32-bit record keys of the
//!   units in it) so that the cell key method can perturb it consistently in every table.
//!
//! Counting rules (domain.md §6.1) are the engine's, stated in [`Measure`] and [`Counting`]: a
//! person's attributes are those of its earliest registration, its status the strongest.

mod build;
mod dict;
mod dims;
mod facts;
mod query;
mod table;

pub use build::{EngineBuilder, VictimInput};
pub use dims::{ALL_DIMS, Dim, Granularity, NutsLevel};
pub use facts::EngineStats;
pub use query::{
    Counting, CrossTab, DateRange, Engine, Filter, Histories, ListDef, MAX_HISTORY_LISTS, Measure, Overlap,
    Query,
};
pub use table::{Axis, Cell, Flag, TOTAL, Table};

/// Errors of the engine: all about the query, never about record values.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The dimension does not exist for the records the measure counts.
    #[error("dimension `{dim}` is not available for measure `{measure}`")]
    DimNotAvailable {
        /// The dimension id.
        dim: &'static str,
        /// The measure id.
        measure: &'static str,
    },
    /// A filter names a code that the dimension does not have.
    #[error("filter on `{dim}`: unknown code `{code}`")]
    UnknownCode {
        /// The dimension id.
        dim: &'static str,
        /// The code asked for (a code from a codelist, not a record value).
        code: String,
    },
    /// Unknown dimension name.
    #[error("unknown dimension `{0}`")]
    UnknownDim(String),
    /// Unknown measure name.
    #[error("unknown measure `{0}`")]
    UnknownMeasure(String),
    /// Too many dimensions or cells.
    #[error("table too large: {0}")]
    TooLarge(String),
    /// The same dimension twice.
    #[error("dimension `{0}` is used twice")]
    Repeated(&'static str),
}
