//! Person de-duplication across providers: registrations that share a linkage key, or are
//! linked explicitly (`linked_record_refs`), form one person (union-find in `privacy::cluster`).
//! The person takes the strongest status (CONFIRMED > PENDING > DECLINED > SIGNALLED >
//! NOT_CONFIRMED) and the earliest registration date (domain.md §6.1).
//!
//! Persons are derived data, rebuilt from every live registration inside the write transaction
//! that changed the registrations ([`recompute_in`], run by every import before it commits), so
//! the stored persons always match the registrations. The rebuild reads the registrations' link
//! columns straight from the store into compact arrays (a few dozen bytes per registration: no
//! allocation per registration), so a million registrations cluster in about a second;
//! [`build`] is the same clustering over [`LinkInput`]s, the reference the fast path is tested
//! against.

use chrono::NaiveDate;
use model::codes::VictimStatus;
use store::{Import, LinkInput, LinkRow, PersonRow, Store};

use crate::Result;

/// What a recomputation found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PersonStats {
    /// Victim registrations considered.
    pub registrations: u64,
    /// Distinct persons.
    pub persons: u64,
    /// Persons registered by more than one provider.
    pub multi_provider: u64,
}

/// Recomputes the persons of every live registration and stores both views, in one write
/// transaction.
#[tracing::instrument(skip_all)]
pub fn recompute(store: &mut Store) -> Result<PersonStats> {
    let mut tx = store.begin_import()?;
    let stats = recompute_in(&mut tx)?;
    tx.commit()?;
    Ok(stats)
}

/// Recomputes the persons of every live registration inside an open import (after its records
/// are written), replacing both views in its transaction.
#[tracing::instrument(skip_all)]
pub fn recompute_in(import: &mut Import<'_>) -> Result<PersonStats> {
    let mut regs = Registrations::default();
    import.for_each_victim_link(|row| {
        regs.push(row);
        Ok(())
    })?;
    store_persons(import, regs)
}

/// [`recompute_in`] for an import that collected the link columns of the registrations it
/// inserted as it wrote them (`inserted`): only the other registrations are read back.
#[tracing::instrument(skip_all)]
pub(crate) fn recompute_after(import: &mut Import<'_>, inserted: Registrations) -> Result<PersonStats> {
    let mut regs = inserted;
    import.for_each_victim_link_not_inserted(|row| {
        regs.push(row);
        Ok(())
    })?;
    store_persons(import, regs)
}

/// Clusters every registration and replaces both person views.
fn store_persons(import: &mut Import<'_>, mut regs: Registrations) -> Result<PersonStats> {
    tracing::debug!(registrations = regs.len(), "link columns read");
    let clustered = regs.cluster();
    let n = clustered.person_of.len();
    tracing::debug!(persons = clustered.persons.len(), "registrations clustered");
    import.replace_persons(&clustered.persons, n, clustered.members())?;
    let multi_provider = clustered.persons.iter().filter(|p| p.providers > 1).count() as u64;
    Ok(PersonStats { registrations: n as u64, persons: clustered.persons.len() as u64, multi_provider })
}

/// The link columns of every registration, in the order read, in flat arrays.
#[derive(Default, Debug)]
pub(crate) struct Registrations {
    /// Distinct provider ids, in order of first appearance.
    providers: Vec<String>,
    /// Per registration: its provider (index into `providers`).
    provider: Vec<u32>,
    /// Every record reference, back to back.
    refs: String,
    /// Per registration: where its reference ends in `refs`.
    ref_ends: Vec<u32>,
    /// Per registration: status and registration date.
    status: Vec<VictimStatus>,
    date: Vec<NaiveDate>,
    /// (key bytes, registration) for every linkage key.
    keys: Vec<([u8; 16], u32)>,
    /// (registration, reference) for every explicit link (rare).
    links: Vec<(u32, String)>,
}

/// Persons and the person of every registration, in (provider, reference) order.
struct Clustered<'r> {
    regs: &'r Registrations,
    /// Registrations (read index) in (provider, reference) order.
    order: Vec<u32>,
    /// The person of each registration, in that order.
    person_of: Vec<u32>,
    persons: Vec<PersonRow>,
}

impl Registrations {
    /// Adds one registration.
    pub(crate) fn push(&mut self, row: &LinkRow<'_>) {
        let i = u32::try_from(self.provider.len()).unwrap_or(u32::MAX);
        // Rows of one provider mostly come together.
        let provider = match self.provider.last() {
            Some(&p) if self.providers[p as usize] == row.provider_id => p,
            _ => match self.providers.iter().position(|p| p == row.provider_id) {
                Some(p) => p as u32,
                None => {
                    self.providers.push(row.provider_id.to_owned());
                    (self.providers.len() - 1) as u32
                }
            },
        };
        self.provider.push(provider);
        self.refs.push_str(row.record_ref);
        self.ref_ends.push(u32::try_from(self.refs.len()).unwrap_or(u32::MAX));
        self.status.push(row.status);
        self.date.push(row.registration_date);
        self.keys.extend(row.keys().map(|k| (*k.as_bytes(), i)));
        self.links.extend(row.links().map(|l| (i, l.to_owned())));
    }

    fn len(&self) -> usize {
        self.provider.len()
    }

    fn record_ref(&self, i: u32) -> &str {
        let i = i as usize;
        let end = self.ref_ends[i] as usize;
        let start = if i == 0 { 0 } else { self.ref_ends[i - 1] as usize };
        &self.refs[start..end]
    }

    fn provider_id(&self, i: u32) -> &str {
        &self.providers[self.provider[i as usize] as usize]
    }

    /// Clusters the registrations exactly as [`build`] does over the same registrations sorted
    /// by (provider, reference): the same order, keys, links and numbering.
    fn cluster(&mut self) -> Clustered<'_> {
        let n = self.len();
        // Providers ranked by id, so that registrations sort by (provider rank, reference).
        let mut by_id: Vec<u32> = (0..self.providers.len() as u32).collect();
        by_id.sort_by(|&a, &b| self.providers[a as usize].cmp(&self.providers[b as usize]));
        let mut provider_rank = vec![0u32; by_id.len()];
        for (rank, &p) in by_id.iter().enumerate() {
            provider_rank[p as usize] = rank as u32;
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        // Stable and adaptive: the rows mostly come in order already.
        order.sort_by(|&a, &b| {
            (provider_rank[self.provider[a as usize] as usize], self.record_ref(a))
                .cmp(&(provider_rank[self.provider[b as usize] as usize], self.record_ref(b)))
        });
        let mut position = vec![0u32; n];
        for (pos, &i) in order.iter().enumerate() {
            position[i as usize] = pos as u32;
        }

        // Explicit links: `PROVIDER:REF` names one record; a bare `REF` names any other provider's
        // record with that reference (references are provider-scoped).
        let exact = |provider: &str, reference: &str| {
            order
                .binary_search_by(|&i| (self.provider_id(i), self.record_ref(i)).cmp(&(provider, reference)))
                .ok()
        };
        let mut links = Vec::new();
        for (i, text) in &self.links {
            let own = self.provider_id(*i);
            let from = position[*i as usize] as usize;
            match text.split_once(':').and_then(|(p, rest)| exact(p, rest)) {
                Some(j) => links.push((from, j)),
                None => {
                    for &p in &by_id {
                        let p = self.providers[p as usize].as_str();
                        if p != own
                            && let Some(j) = exact(p, text)
                        {
                            links.push((from, j));
                        }
                    }
                }
            }
        }
        let mut keys = std::mem::take(&mut self.keys);
        for (_, i) in &mut keys {
            *i = position[*i as usize];
        }
        drop(position);
        let person_of = privacy::cluster::cluster_pairs(n, keys, links);

        let persons = person_rows(
            order.iter().zip(&person_of).map(|(&i, &p)| {
                (self.provider[i as usize], self.status[i as usize], self.date[i as usize], p)
            }),
            &person_of,
        );
        Clustered { regs: self, order, person_of, persons }
    }
}

impl Clustered<'_> {
    /// (provider id, record reference, person) of every registration, in (provider, reference) order.
    fn members(&self) -> impl Iterator<Item = (&str, &str, u32)> + Clone + '_ {
        self.order
            .iter()
            .zip(&self.person_of)
            .map(|(&i, &p)| (self.regs.provider_id(i), self.regs.record_ref(i), p))
    }
}

/// The person rows of registrations given in (provider, reference) order as (provider,
/// status, registration date, person): the strongest status, the earliest date, the number of
/// registrations and of distinct providers, in person order.
fn person_rows(
    registrations: impl Iterator<Item = (u32, VictimStatus, NaiveDate, u32)>,
    person_of: &[u32],
) -> Vec<PersonRow> {
    let n = person_of.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut rows: Vec<Option<PersonRow>> = vec![None; n];
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(person_of.len());
    for (provider, status, date, p) in registrations {
        pairs.push((p, provider));
        let slot = &mut rows[p as usize];
        match slot {
            None => {
                *slot = Some(PersonRow {
                    person_id: p,
                    status,
                    first_registration_date: date,
                    registrations: 1,
                    providers: 0,
                })
            }
            Some(row) => {
                if status.strength() > row.status.strength() {
                    row.status = status;
                }
                row.first_registration_date = row.first_registration_date.min(date);
                row.registrations += 1;
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (p, _) in pairs {
        if let Some(row) = rows[p as usize].as_mut() {
            row.providers += 1;
        }
    }
    rows.into_iter().flatten().collect()
}

/// Clusters `inputs` (sorted by provider and reference) into persons; members borrow from `inputs`.
///
/// Memory stays a few dozen bytes per registration beyond the inputs: links are resolved by
/// binary search on the sorted inputs, and providers per person are counted from sorted
/// (person, provider) pairs.
pub fn build(inputs: &[LinkInput]) -> (Vec<PersonRow>, Vec<(&model::ProviderId, &model::RecordRef, u32)>) {
    // Explicit links: `PROVIDER:REF` names one record; a bare `REF` names any other provider's
    // record with that reference (references are provider-scoped).
    let exact = |provider: &str, reference: &str| {
        inputs
            .binary_search_by(|r| (r.provider_id.as_str(), r.record_ref.as_str()).cmp(&(provider, reference)))
            .ok()
    };
    // The distinct providers, in order (inputs are sorted by provider): a bare reference is looked
    // up at each of them by binary search, so no index of all references is built.
    let mut providers: Vec<&str> = Vec::new();
    for r in inputs {
        if providers.last() != Some(&r.provider_id.as_str()) {
            providers.push(r.provider_id.as_str());
        }
    }
    let mut links = Vec::new();
    for (i, r) in inputs.iter().enumerate().filter(|(_, r)| !r.linked_record_refs.is_empty()) {
        for l in &r.linked_record_refs {
            let text = l.as_str();
            match text.split_once(':').and_then(|(p, rest)| exact(p, rest)) {
                Some(j) => links.push((i, j)),
                None => {
                    for p in providers.iter().filter(|p| **p != r.provider_id.as_str()) {
                        if let Some(j) = exact(p, text) {
                            links.push((i, j));
                        }
                    }
                }
            }
        }
    }
    let keys = inputs.iter().enumerate().flat_map(|(i, r)| r.linkage_keys.iter().map(move |k| (i, *k)));
    let person_of = privacy::cluster::cluster(inputs.len(), keys, links);

    // Inputs are sorted by provider: number providers in order of appearance.
    let mut provider_no = 0u32;
    let mut registrations = Vec::with_capacity(inputs.len());
    let mut members = Vec::with_capacity(inputs.len());
    for (k, (r, &p)) in inputs.iter().zip(&person_of).enumerate() {
        if k > 0 && inputs[k - 1].provider_id != r.provider_id {
            provider_no += 1;
        }
        registrations.push((provider_no, r.status, r.registration_date, p));
        members.push((&*r.provider_id, &r.record_ref, p));
    }
    (person_rows(registrations.into_iter(), &person_of), members)
}
