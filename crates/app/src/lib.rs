//! Use cases shared by the command line and (later) the web server.
//!
//! Each use case wires the pure crates (`model`, `synth`, `ingest`) to the `store`; nothing here
//! knows SQL, HTTP serving or command-line syntax (the one HTTP client is [`eu::push`]).
//! - [`load`]: a directory of canonical CSV files into a hub database, grouped into one
//!   submission per provider and quarter, all or nothing per submission.
//! - [`demo`]: a fresh hub with a synthetic country, loaded and summarised.
//! - [`summary`]: the short overview the demo prints.
//! - [`reporting`]: the statistics engine from the store, reports by audience, releases, boundaries.
//! - [`eu`]: the European level: national releases handed over (push, file), checked and stored
//!   at an EU hub with revisions, EU totals that name withheld and missing countries.

pub mod demo;
pub mod eu;
pub mod intake;
pub mod load;
pub mod persons;
pub mod prepare;
pub mod report;
pub mod reporting;
pub mod summary;

use std::path::PathBuf;

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// A report, release or map could not be made.
    #[error("{0}")]
    Report(String),
    /// A hub setting holds an invalid value.
    #[error("hub setting `{0}` is invalid")]
    Setting(String),
    /// A file could not be read as a whole.
    #[error(transparent)]
    Ingest(#[from] ingest::Error),
    /// The synthetic generator failed.
    #[error(transparent)]
    Synth(#[from] synth::Error),
    /// A file system operation failed.
    #[error("{}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Rows broke the model's rules; nothing was stored.
    #[error("{count} invalid row(s) in the input; nothing was stored (first: {first})")]
    InvalidRows {
        /// Number of invalid rows.
        count: usize,
        /// The first problem, with file, row, field and rule.
        first: String,
    },
    /// The target database already holds data.
    #[error("the database already holds submissions; the demo needs a fresh database")]
    NotFresh,
    /// A file could not be read or mapped as a whole.
    #[error(transparent)]
    Read(#[from] ingest::read::ReadError),
    /// A mapping profile is invalid or does not fit the file.
    #[error(transparent)]
    Profile(#[from] ingest::profile::ProfileError),
    /// The provider is not registered at the hub.
    #[error("provider {0} is not registered at this hub")]
    UnknownProvider(String),
    /// A file's header is not the canonical columns of any record type (and no profile was given).
    #[error(
        "{0}: the header is not the model's columns of any record type; give the provider's mapping profile (--profile)"
    )]
    UnknownLayout(PathBuf),
    /// A linkage key file is invalid.
    #[error(transparent)]
    Key(#[from] privacy::KeyError),
    /// The scanning thread of an import panicked (a bug); nothing was stored.
    #[error("the import's scanning thread failed unexpectedly; nothing was stored")]
    ScannerPanicked,
    /// A stored hub setting has a value this program does not understand.
    #[error("hub setting `{0}` holds an unknown value; set it again with `mosy hub set`")]
    BadSetting(String),
    /// A configured code is not in the codelists.
    #[error("`{0}` is not a country code of the codelist `country`")]
    UnknownCountry(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;
