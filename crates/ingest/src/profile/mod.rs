//! Mapping profiles: turn a provider's own export into the common model.
//!
//! A [`Profile`] is a small TOML document (format in `docs/profiles.md`) that maps the columns
//! and values of one provider table onto the canonical columns of ONE record type
//! ([`model::ModelRecord::COLUMNS`]): source columns with value maps, bundle crosswalks and
//! country look-ups, boolean flag columns, derivations (age group from age, main form from the
//! forms, age from a birth date at the provider), copies and constants. Profiles are versioned,
//! stored at the hub and usable offline by a provider.
//!
//! A [`Mapper`] binds a profile to one file's header and maps rows to canonical values, which
//! then go through [`model::text::parse_and_validate`] like any canonical file. Mapping problems
//! are [`MapIssue`]s naming the source column, the model field and the rule, never the value.
//! [`Coverage`] summarises a profile over a whole file for the provider (`mosy profile check`).
//!
//! Identity attributes (`[identity]`: names, birth date) are read only at the provider, by
//! `mosy prepare`, through [`Mapper::identity`]; a hub-mode mapper refuses files that carry them.

mod coverage;
mod fields;
mod mapper;
mod norm;
mod spec;
mod table;

use std::fmt;

use model::codes::RecordType;
use model::{Codelists, ModelCode as _};

pub use coverage::Coverage;
pub use mapper::{MapIssue, MapRule, Mapper};

/// A parsed and checked mapping profile.
#[derive(Clone, Debug)]
pub struct Profile {
    plan: spec::Plan,
}

impl Profile {
    /// Parses a profile and checks it against the codelist bundle: unknown keys, required fields
    /// not produced, target codes outside their codelist, unusable derivations are all errors.
    pub fn parse(text: &str, lists: &Codelists) -> Result<Profile, ProfileError> {
        let plan = spec::compile(text, lists)?;
        tracing::debug!(
            profile = %plan.id,
            version = %plan.version,
            record_type = plan.record_type.code(),
            "profile loaded"
        );
        Ok(Profile { plan })
    }

    /// The record type the profile produces.
    pub fn record_type(&self) -> RecordType {
        self.plan.record_type
    }

    /// Profile id.
    pub fn id(&self) -> &str {
        &self.plan.id
    }

    /// Profile version.
    pub fn version(&self) -> &str {
        &self.plan.version
    }

    /// Free description, if any.
    pub fn description(&self) -> Option<&str> {
        self.plan.description.as_deref()
    }

    /// Field delimiter of the source file (`[source] delimiter`), when the profile gives one.
    pub fn delimiter(&self) -> Option<u8> {
        self.plan.source.delimiter
    }

    /// Whether the profile has an `[identity]` section (read only by `mosy prepare`).
    pub fn has_identity(&self) -> bool {
        self.plan.identity.is_some()
    }

    /// The canonical columns this profile fills, in `COLUMNS` order.
    pub fn columns(&self) -> Vec<&'static str> {
        self.plan.fields.iter().map(|f| f.name).collect()
    }

    /// The source column a model field is read from (its own column, or a derivation's
    /// fallback column), so that a rule broken by the field can name the provider's column.
    pub fn source_column(&self, field: &str) -> Option<&str> {
        let plan = self.plan.fields.iter().find(|f| f.name == field)?;
        match &plan.producer {
            spec::Producer::Column(c) | spec::Producer::Derive(_, Some(c)) => Some(c.column.as_str()),
            _ => None,
        }
    }
}

/// Why a profile cannot be loaded or bound to a file. Names TOML keys, lines and the profile's
/// own column names; never a value of the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// Not valid TOML, or a key/type the format does not know.
    #[error("profile line {line}, column {column} (`{key}`): {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters) on that line.
        column: usize,
        /// Enclosing table and key, e.g. `fields.sex.valeus`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A key has a value the format does not accept.
    #[error("profile `{key}`: {message}")]
    Invalid {
        /// Key path.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A field the model requires is produced by nothing.
    #[error(
        "profile: field `{field}` is required for {record_type} records but no column, flag, derivation, copy or constant produces it"
    )]
    MissingRequired {
        /// Canonical field.
        field: &'static str,
        /// Record type code.
        record_type: &'static str,
    },
    /// A target code (value map, flag, constant, default) is not valid for its field.
    #[error("profile `{key}`: target `{code}` is not valid for field `{field}` (expected {expected})")]
    BadTarget {
        /// Key path.
        key: String,
        /// Canonical field.
        field: String,
        /// The target code as written in the profile.
        code: String,
        /// What the field accepts.
        expected: String,
    },
    /// A column the profile reads is not in the file's header.
    #[error("file header: column `{column}` (read by profile `{key}`) is missing")]
    MissingColumn {
        /// The profile's column name.
        column: String,
        /// The key that reads it.
        key: String,
    },
    /// A column the profile reads appears more than once in the header.
    #[error("file header: column `{column}` appears more than once")]
    DuplicateColumn {
        /// The profile's column name.
        column: String,
    },
    /// Hub mode: a header column is not mapped by the profile (names the position only).
    #[error(
        "file header: column {position} is not mapped by the profile; the hub accepts only columns that map onto the model"
    )]
    UnmappedColumn {
        /// 1-based column position.
        position: usize,
    },
    /// Hub mode: the file carries a personal identity column of the profile.
    #[error(
        "file header: column {position} (`{column}`) is an identity column of the profile; identity attributes never reach the hub (run `mosy prepare` at the provider)"
    )]
    IdentityColumn {
        /// The profile's column name.
        column: String,
        /// 1-based column position.
        position: usize,
    },
    /// Hub mode: a field derives from identity attributes, which only the provider reads.
    #[error(
        "profile `fields.{field}`: derives from [identity] columns, which only `mosy prepare` reads at the provider"
    )]
    NeedsIdentity {
        /// Canonical field.
        field: &'static str,
    },
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} v{} ({})", self.plan.id, self.plan.version, self.plan.record_type.code())
    }
}
