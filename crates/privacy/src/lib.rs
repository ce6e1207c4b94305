//! Identity protection for mosy.
//!
//! - [`Identity`]: the identity attributes a provider's raw export holds (names, birth date).
//!   They exist only in memory at the provider, inside `mosy prepare`; no model type can hold them.

use chrono::NaiveDate;
use model::codes::Sex;

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
