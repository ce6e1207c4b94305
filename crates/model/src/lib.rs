//! The mosy common data model for data on trafficking in human beings.
//!
//! This crate is pure: no files, no network, no SQL. It defines
//! - typed codes ([`Code`], the model enums in [`codes`]) and the versioned codelist bundle
//!   ([`Codelists`]) with its crosswalks to Eurostat, UNODC GLOTIP, IOM HTCDS and CTDC;
//! - the entities of domain.md §4 ([`records`]): providers, submissions, victim registrations,
//!   suspects, prosecutions and court decisions, none of which can hold an identity attribute;
//! - their rules ([`validate`]) and canonical text form ([`text`]), with errors that name the
//!   record, the field and the rule but never echo a value.

pub mod code;
pub mod codelists;
pub mod codes;
pub mod ids;
pub mod period;
pub mod records;
pub mod rules;
pub mod text;
pub mod validate;

pub use code::{Code, ListKind, ModelCode};
pub use codelists::{Codelists, Lang};
pub use ids::{CaseRef, LinkageKey, NationalCode, ProviderId, RecordRef};
pub use period::Period;
pub use records::{
    Citizenship, CourtDecision, DataProvider, Exploitation, Known, Offender, Prosecution, Submission,
    SubmissionStatus, Suspect, VictimRegistration,
};
pub use rules::{Rule, ValidationError, Violation};
pub use text::ModelRecord;
pub use validate::{Batch, Context, Valid};

/// Version of the common data model implemented here (recorded on every submission).
pub const SCHEMA_VERSION: &str = "1.0.0";
