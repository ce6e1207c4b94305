//! Person de-duplication across providers: registrations that share a linkage key, or are
//! linked explicitly (`linked_record_refs`), form one person (union-find in `privacy::cluster`).
//! The person takes the strongest status (CONFIRMED > PENDING > DECLINED > SIGNALLED >
//! NOT_CONFIRMED) and the earliest registration date (domain.md §6.1).

use std::collections::{BTreeMap, BTreeSet};

use store::{LinkInput, PersonRow, Store};

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

/// Recomputes the persons of every live registration and stores both views.
#[tracing::instrument(skip_all)]
pub fn recompute(store: &mut Store) -> Result<PersonStats> {
    let inputs = store.victim_link_inputs()?;
    let (persons, members) = build(&inputs);
    store.replace_persons(&persons, &members)?;
    let multi_provider = persons.iter().filter(|p| p.providers > 1).count() as u64;
    Ok(PersonStats { registrations: inputs.len() as u64, persons: persons.len() as u64, multi_provider })
}

/// Clusters `inputs` (sorted by provider and reference) into persons.
pub fn build(inputs: &[LinkInput]) -> (Vec<PersonRow>, Vec<(model::ProviderId, model::RecordRef, u32)>) {
    // Explicit links: `PROVIDER:REF` names one record; a bare `REF` names any other provider's
    // record with that reference (references are provider-scoped).
    let mut by_ref: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_key: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (i, r) in inputs.iter().enumerate() {
        by_ref.entry(r.record_ref.as_str()).or_default().push(i);
        by_key.insert((r.provider_id.as_str(), r.record_ref.as_str()), i);
    }
    let mut links = Vec::new();
    for (i, r) in inputs.iter().enumerate() {
        for l in &r.linked_record_refs {
            let text = l.as_str();
            let exact = text.split_once(':').and_then(|(p, rest)| by_key.get(&(p, rest)).copied());
            match exact {
                Some(j) => links.push((i, j)),
                None => {
                    for &j in by_ref.get(text).map(Vec::as_slice).unwrap_or_default() {
                        if inputs[j].provider_id != r.provider_id {
                            links.push((i, j));
                        }
                    }
                }
            }
        }
    }
    let keys = inputs.iter().enumerate().flat_map(|(i, r)| r.linkage_keys.iter().map(move |k| (i, *k)));
    let person_of = privacy::cluster::cluster(inputs.len(), keys, links);

    let n = person_of.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut rows: Vec<Option<PersonRow>> = vec![None; n];
    let mut providers: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); n];
    let mut members = Vec::with_capacity(inputs.len());
    for (r, &p) in inputs.iter().zip(&person_of) {
        let slot = &mut rows[p as usize];
        match slot {
            None => {
                *slot = Some(PersonRow {
                    person_id: p,
                    status: r.status,
                    first_registration_date: r.registration_date,
                    registrations: 1,
                    providers: 0,
                })
            }
            Some(row) => {
                if r.status.strength() > row.status.strength() {
                    row.status = r.status;
                }
                row.first_registration_date = row.first_registration_date.min(r.registration_date);
                row.registrations += 1;
            }
        }
        providers[p as usize].insert(r.provider_id.as_str());
        members.push((r.provider_id.clone(), r.record_ref.clone(), p));
    }
    let persons = rows
        .into_iter()
        .zip(providers)
        .filter_map(|(row, provs)| {
            row.map(|mut r| {
                r.providers = provs.len() as u32;
                r
            })
        })
        .collect();
    (persons, members)
}
