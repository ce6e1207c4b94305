//! The short overview of a hub database that `mosy demo` prints.

use model::ProviderId;
use model::codes::{ExploitationForm, RecordType, Sex};
use store::Store;

use crate::Result;

/// Records per provider and type, and victims by sex and form for the last year with data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Records per (provider, record type).
    pub records: Vec<(ProviderId, RecordType, u64)>,
    /// Submissions stored.
    pub submissions: usize,
    /// The year of the cross-table (last year with a victim registration), if any.
    pub year: Option<i32>,
    /// Victim registrations of `year` by sex × main form of exploitation.
    pub victims_by_sex_and_form: Vec<(Sex, ExploitationForm, u64)>,
}

/// Reads the summary from the store.
pub fn summary(store: &mut Store) -> Result<Summary> {
    let records = store.record_counts()?;
    let submissions = store.submissions()?.len();
    let year = store.last_victim_date()?.map(|d| chrono::Datelike::year(&d));
    let victims_by_sex_and_form = match year {
        Some(y) => store.victim_counts_by_sex_and_form(y)?,
        None => Vec::new(),
    };
    Ok(Summary { records, submissions, year, victims_by_sex_and_form })
}
