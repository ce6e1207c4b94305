//! Person de-duplication across providers: registrations that share a linkage key, or are
//! linked explicitly (`linked_record_refs`), form one person (union-find in `privacy::cluster`).
//! The person takes the strongest status (CONFIRMED > PENDING > DECLINED > SIGNALLED >
//! NOT_CONFIRMED) and the earliest registration date (domain.md §6.1).

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

    let n = person_of.iter().map(|&p| p as usize + 1).max().unwrap_or(0);
    let mut rows: Vec<Option<PersonRow>> = vec![None; n];
    // Inputs are sorted by provider: number providers in order of appearance.
    let mut provider_no = 0u32;
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(inputs.len());
    let mut members = Vec::with_capacity(inputs.len());
    for (k, (r, &p)) in inputs.iter().zip(&person_of).enumerate() {
        if k > 0 && inputs[k - 1].provider_id != r.provider_id {
            provider_no += 1;
        }
        pairs.push((p, provider_no));
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
        members.push((&*r.provider_id, &r.record_ref, p));
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (p, _) in pairs {
        if let Some(row) = rows[p as usize].as_mut() {
            row.providers += 1;
        }
    }
    (rows.into_iter().flatten().collect(), members)
}
