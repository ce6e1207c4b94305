//! Synthetic national data on trafficking in human beings, shaped like Portugal's.
//!
//! The crate makes a seeded, reproducible set of records in the mosy common data model: the
//! fixed Portuguese provider network ([`providers`]), victim registrations, suspects,
//! prosecutions and court decisions. Every record passes the model's validation rules and
//! none holds personal data: there are no names, birth dates, addresses or document numbers
//! anywhere in the model, and the generator invents none.
//!
//! One [`Generator`] produces every record and hands each to a [`Sink`]. [`generate`] collects
//! them in memory (tests, demo sizes); [`write_csv`] streams them to CSV files in the model's
//! canonical text form with memory that does not grow with the number of records. Both give
//! exactly the same records for the same [`Params`].
//!
//! What the data looks like (see the tables in `vocab.rs`): mostly labour exploitation with a
//! harvest-season peak, sexual exploitation concentrated in Lisbon, Porto and the Algarve,
//! agriculture in Alentejo, Algarve, Oeste and Ribatejo, South-Asian, Eastern-European and
//! Brazilian victims as well as Portuguese nationals exploited in Spain and elsewhere; about one
//! person in six registered by two or three providers (half of them linked through
//! `linked_record_refs`), police cases with co-suspects, prosecutions and court decisions.

mod generator;
mod output;
mod providers;
mod vocab;

use chrono::NaiveDate;
use model::{Codelists, CourtDecision, DataProvider, Prosecution, Suspect, VictimRegistration};

pub use generator::Generator;
pub use output::{PROVIDER_COLUMNS, write_csv, write_csv_to, write_providers};

/// What to generate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Params {
    /// Seed of the random generator: same seed, same data, byte for byte.
    pub seed: u64,
    /// Number of victim *registrations* (records), not persons.
    pub victims: u64,
    /// First year of registrations.
    pub first_year: i32,
    /// Last year of registrations (inclusive).
    pub last_year: i32,
    /// Extraction date: every generated date lies before it.
    pub as_of: NaiveDate,
}

/// Everything generated, in memory.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Dataset {
    /// The provider network.
    pub providers: Vec<DataProvider>,
    /// Victim registrations.
    pub victims: Vec<VictimRegistration>,
    /// Suspects.
    pub suspects: Vec<Suspect>,
    /// Prosecutions.
    pub prosecutions: Vec<Prosecution>,
    /// Court decisions.
    pub court_decisions: Vec<CourtDecision>,
}

/// Counts of what was generated.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Summary {
    /// Victim registrations.
    pub victims: u64,
    /// Distinct victim persons behind the registrations (ground truth for de-duplication).
    pub victim_persons: u64,
    /// Persons registered by two or three providers.
    pub victim_persons_multi: u64,
    /// Multi-registered persons whose registrations are all connected by `linked_record_refs`.
    pub victim_persons_linked: u64,
    /// Suspects.
    pub suspects: u64,
    /// Prosecutions.
    pub prosecutions: u64,
    /// Court decisions.
    pub court_decisions: u64,
    /// Providers.
    pub providers: u64,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The parameters describe nothing that can be generated.
    #[error("invalid parameters: {0}")]
    Params(String),
    /// The codelist bundle lacks a code the generator writes.
    #[error("codelist `{list}` lacks the code `{code}` that the generator uses")]
    MissingCode {
        /// The codelist.
        list: &'static str,
        /// The code.
        code: &'static str,
    },
    /// A built-in identifier is not valid (a bug in the generator's tables).
    #[error("built-in identifier `{0}` is not a valid identifier")]
    Identifier(&'static str),
    /// A file could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV writer thread stopped before the end.
    #[error("a CSV writer thread stopped unexpectedly")]
    WriterStopped,
    /// A CSV file could not be written.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: csv::Error,
    },
}

/// Receives the generated records, one at a time, in generation order.
pub trait Sink {
    /// Error of the sink; generator errors convert into it.
    type Error: From<Error>;
    /// A victim registration.
    fn victim(&mut self, record: VictimRegistration) -> Result<(), Self::Error>;
    /// A suspect.
    fn suspect(&mut self, record: Suspect) -> Result<(), Self::Error>;
    /// A prosecution.
    fn prosecution(&mut self, record: Prosecution) -> Result<(), Self::Error>;
    /// A court decision.
    fn court_decision(&mut self, record: CourtDecision) -> Result<(), Self::Error>;
}

impl Sink for Dataset {
    type Error = Error;
    fn victim(&mut self, record: VictimRegistration) -> Result<(), Error> {
        self.victims.push(record);
        Ok(())
    }
    fn suspect(&mut self, record: Suspect) -> Result<(), Error> {
        self.suspects.push(record);
        Ok(())
    }
    fn prosecution(&mut self, record: Prosecution) -> Result<(), Error> {
        self.prosecutions.push(record);
        Ok(())
    }
    fn court_decision(&mut self, record: CourtDecision) -> Result<(), Error> {
        self.court_decisions.push(record);
        Ok(())
    }
}

/// The fixed Portuguese provider network (18 providers), coded with `lists`.
///
/// Empty (and logged) only if `lists` lacks one of the country or NUTS codes it uses, which the
/// embedded bundle never does.
pub fn providers(lists: &Codelists) -> Vec<DataProvider> {
    providers::build(lists).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot build the provider network");
        Vec::new()
    })
}

/// Generates the whole dataset in memory.
///
/// For demo sizes and tests; use [`write_csv`] or a [`Generator`] with your own [`Sink`] for
/// large ones. Invalid parameters (see [`Generator::new`]) give an empty dataset and an error
/// in the log; [`try_generate`] returns the error instead.
pub fn generate(params: &Params, lists: &Codelists) -> Dataset {
    try_generate(params, lists).unwrap_or_else(|e| {
        tracing::error!(error = %e, "synthetic data generation failed");
        Dataset { providers: providers(lists), ..Dataset::default() }
    })
}

/// Generates the whole dataset in memory, or says why it cannot.
pub fn try_generate(params: &Params, lists: &Codelists) -> Result<Dataset, Error> {
    let generator = Generator::new(params, lists)?;
    let mut data = Dataset { providers: generator.providers().to_vec(), ..Dataset::default() };
    generator.run(&mut data)?;
    Ok(data)
}
