//! Identity protection for mosy.
//!
//! - [`Identity`]: the identity attributes a provider's raw export holds (names, birth date).
//!   They exist only in memory at the provider, inside `mosy prepare`; no model type can hold them.
//! - [`linkage`]: keyed linkage keys over normalised identities ([`linkage_keys`]), computed at
//!   the provider with its [`LinkageSecret`] (key file helpers in [`secret`]).
//! - [`cluster`]: person clustering at the hub (registrations sharing a key are one person).
//! - [`guard`]: the personal-data guard run by the hub over every imported cell.
//! - [`testkit`]: seeded synthetic noisy identities and pairwise linkage quality.
//!
//! The crate is pure: no database, no files (key files are read and written as text by the caller).

pub mod cluster;
pub mod guard;
pub mod linkage;
pub mod names;
pub mod normalise;
pub mod secret;
pub mod testkit;

use chrono::NaiveDate;
use model::codes::Sex;

pub use linkage::{KeyKind, linkage_keys};
pub use normalise::normalise_name;
pub use secret::{KeyError, LinkageSecret};

/// Identity attributes of one person as read from a provider's raw export, before protection.
///
/// Deliberately not `Debug`/`Display`: it must never reach a log or an error message.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// Given name(s), as written in the source.
    pub given_names: String,
    /// Family name(s), as written in the source.
    pub family_names: String,
    /// Full birth date, when known.
    pub birth_date: Option<NaiveDate>,
    /// Birth year, when only the year is known (or derived from `birth_date`).
    pub birth_year: Option<i32>,
    /// Sex, when known.
    pub sex: Option<Sex>,
}
