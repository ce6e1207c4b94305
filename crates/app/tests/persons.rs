//! Person building: shared keys and explicit links (bare or `PROVIDER:REF`) join registrations;
//! the person takes the strongest status, the earliest date, and counts distinct providers.

use std::sync::Arc;

use chrono::NaiveDate;
use model::codes::VictimStatus;
use model::{LinkageKey, ProviderId, RecordRef};
use store::LinkInput;

fn input(
    provider: &str,
    reference: &str,
    keys: &[u8],
    links: &[&str],
    status: VictimStatus,
    day: u32,
) -> LinkInput {
    LinkInput {
        provider_id: Arc::new(ProviderId::new(provider).expect("provider")),
        record_ref: RecordRef::new(reference).expect("ref"),
        linkage_keys: keys.iter().map(|k| LinkageKey::from_bytes([*k; 16])).collect(),
        linked_record_refs: links.iter().map(|l| RecordRef::new(l).expect("link")).collect(),
        status,
        registration_date: NaiveDate::from_ymd_opt(2025, 3, day).expect("date"),
    }
}

#[test]
fn keys_and_links_form_persons() {
    use VictimStatus::*;
    // Sorted by (provider, reference), as the store returns them.
    let inputs = vec![
        input("PT-ACT", "A-1", &[], &["PT-PJ:V-1"], Signalled, 9),
        input("PT-NGO", "N-1", &[], &["V-1"], Pending, 3),
        input("PT-NGO", "N-2", &[7], &[], Signalled, 4),
        input("PT-PJ", "V-1", &[], &[], Confirmed, 5),
        input("PT-PJ", "V-2", &[7], &[], Signalled, 2),
        input("PT-PJ", "V-3", &[], &[], NotConfirmed, 1),
    ];
    let (persons, members) = app::persons::build(&inputs);
    assert_eq!(persons.len(), 3);
    let person_of = |p: &str, r: &str| {
        members.iter().find(|(mp, mr, _)| mp.as_str() == p && mr.as_str() == r).map(|m| m.2).expect("member")
    };
    let first = person_of("PT-PJ", "V-1");
    assert_eq!(person_of("PT-ACT", "A-1"), first);
    assert_eq!(person_of("PT-NGO", "N-1"), first);
    assert_eq!(person_of("PT-NGO", "N-2"), person_of("PT-PJ", "V-2"));
    assert_ne!(person_of("PT-PJ", "V-3"), first);
    let p = persons.iter().find(|p| p.person_id == first).expect("person");
    assert_eq!((p.status, p.registrations, p.providers), (Confirmed, 3, 3));
    assert_eq!(p.first_registration_date, NaiveDate::from_ymd_opt(2025, 3, 3).expect("date"));
}
