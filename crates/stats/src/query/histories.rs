//! Capture histories for multiple systems estimation: for a period and filters, the
//! de-duplicated persons counted by the exact set of *lists* (a provider or a group of providers)
//! that registered them.
//!
//! The population is that of the `persons` measure (a person counts when its earliest
//! registration falls in the period, its strongest status is registered and its attributes pass
//! the filters); a list *saw* a person when one of its providers registered the person with a
//! registration date inside the period. Persons seen only by providers outside every list are
//! not observed by the lists (counted apart in [`Histories::unlisted`]).

use model::ModelCode;
use model::codes::VictimStatus;

use super::{CHUNK, Counting, DateRange, Engine, Filter, Measure, Plan, Query};
use crate::Error;
use crate::dict::Field;

/// Most lists a capture-history table may have (2^10 patterns).
pub const MAX_HISTORY_LISTS: usize = 10;

/// One list of a capture-history table: a provider or a group of providers.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct ListDef {
    /// The list's name in outputs.
    pub name: String,
    /// Provider ids on the list (at least one; a provider is on one list at most).
    pub providers: Vec<String>,
}

/// Persons by the exact set of lists that registered them.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Histories {
    /// The lists, in bit order: list `i` is bit `i` of a pattern.
    pub lists: Vec<String>,
    /// `counts[mask]`: persons registered by exactly the lists in `mask` (`2^t` entries; entry 0
    /// is always 0, the persons nobody saw being unknown).
    pub counts: Vec<u64>,
    /// Cell keys of `counts` (wrapping sums of the persons' record keys), for the cell key
    /// method: the key of a union of patterns is the wrapping sum of their keys.
    pub keys: Vec<u32>,
    /// Persons of the population registered in the period by no list's provider.
    pub unlisted: u64,
}

impl Histories {
    /// Persons seen by at least one list.
    pub fn observed(&self) -> u64 {
        self.counts.iter().sum()
    }
}

impl Engine {
    /// The capture histories of the persons of `period` passing `filters` over `lists` (see the
    /// module documentation). Deterministic: persons are visited in the engine's order.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown provider, a provider on two lists or an unknown filter
    /// code; [`Error::TooLarge`] for more than [`MAX_HISTORY_LISTS`] lists or an empty list;
    /// the errors of the filters' dimensions.
    pub fn histories(
        &self,
        lists: &[ListDef],
        filters: &[Filter],
        period: Option<DateRange>,
        counting: Counting,
    ) -> Result<Histories, Error> {
        if lists.is_empty() || lists.len() > MAX_HISTORY_LISTS {
            return Err(Error::TooLarge(format!("{} lists (1 to {MAX_HISTORY_LISTS})", lists.len())));
        }
        let mut bit = vec![0u16; self.providers().len()];
        for (i, list) in lists.iter().enumerate() {
            if list.providers.is_empty() {
                return Err(Error::TooLarge(format!("list {} has no provider", i + 1)));
            }
            for p in &list.providers {
                let ix = self
                    .providers()
                    .iter()
                    .position(|x| x == p)
                    .ok_or_else(|| Error::UnknownCode { dim: "provider", code: p.clone() })?;
                if bit[ix] != 0 {
                    return Err(Error::UnknownCode { dim: "provider (on two lists)", code: p.clone() });
                }
                bit[ix] = 1 << i;
            }
        }
        let mut q = Query::new(Measure::Persons, &[]);
        q.filters = filters.to_vec();
        q.period = period;
        q.counting = counting;
        let (facts, day) = self.facts_and_day(Measure::Persons);
        let range = self.default_range(facts, day, period);
        let resolved = self.resolve_filters(&q, facts, day, range)?;
        let plan = Plan {
            engine: self,
            facts,
            persons: true,
            dims: &[],
            strides: &[],
            filters: &resolved,
            day,
            range,
            cells: 1,
        };
        let t = lists.len();
        let mut out = Histories {
            lists: lists.iter().map(|l| l.name.clone()).collect(),
            counts: vec![0; 1 << t],
            keys: vec![0; 1 << t],
            unlisted: 0,
        };
        let days = facts.col(Field::Day).expect("registrations have a day");
        let prov = facts.col(Field::Provider).expect("registrations have a provider");
        let (lo, hi) = range;
        let units = self.persons.len();
        let mut mask = [0u8; CHUNK];
        let mut start = 0;
        while start < units {
            let end = (start + CHUNK).min(units);
            let rows = &self.persons.lead[start..end];
            plan.mask(start, rows, &mut mask[..end - start]);
            for (j, ok) in mask[..end - start].iter().enumerate() {
                if *ok == 0 {
                    continue;
                }
                let p = start + j;
                debug_assert!(VictimStatus::ALL[usize::from(self.persons.status[p])].is_registered());
                let mut pattern = 0usize;
                for r in self.persons.rows(p, facts.len) {
                    if (lo..=hi).contains(&days.get(r)) {
                        pattern |= usize::from(bit[usize::from(prov.get(r))]);
                    }
                }
                if pattern == 0 {
                    out.unlisted += 1;
                    continue;
                }
                out.counts[pattern] += 1;
                out.keys[pattern] = out.keys[pattern].wrapping_add(facts.keys[rows[j] as usize]);
            }
            start = end;
        }
        Ok(out)
    }
}
