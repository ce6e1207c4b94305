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

/// Persons stored by every import (re-clustered inside its transaction, reading back only the
/// registrations it did not write) equal a full rebuild from every live registration, through
/// imports by several providers that share persons (linkage keys and explicit links), a revision
/// that supersedes a provider's earlier submissions, the same file twice, and a rejected
/// submission.
#[test]
fn persons_stored_by_imports_equal_a_full_rebuild() -> anyhow::Result<()> {
    use std::collections::BTreeMap;

    use app::intake::{ImportRequest, Policy};
    use model::{Codelists, SubmissionStatus};
    use store::Store;

    let lists = Codelists::embedded();
    let dir = tempfile::tempdir()?;
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let params = synth::Params { seed: 5, victims: 6_000, first_year: 2023, last_year: 2025, as_of };
    synth::write_csv(&params, lists, dir.path())?;

    // One file per provider; a revised file of the largest provider without every tenth row and
    // with the keys of every seventh row cleared.
    let mut reader = csv::Reader::from_path(dir.path().join("victims.csv"))?;
    let headers = reader.headers()?.clone();
    let provider_column = headers.iter().position(|h| h == "provider_id").expect("provider column");
    let keys_column = headers.iter().position(|h| h == "linkage_keys").expect("keys column");
    let key_id_column = headers.iter().position(|h| h == "linkage_key_id").expect("key id column");
    let mut by_provider: BTreeMap<String, Vec<csv::StringRecord>> = BTreeMap::new();
    for row in reader.records() {
        let row = row?;
        by_provider.entry(row[provider_column].to_owned()).or_default().push(row);
    }
    let mut providers: Vec<(String, usize)> = by_provider.iter().map(|(p, r)| (p.clone(), r.len())).collect();
    providers.sort_by_key(|(p, n)| (std::cmp::Reverse(*n), p.clone()));
    assert!(providers.len() >= 3, "the synthetic country has several providers");
    let write = |name: &str,
                 rows: &mut dyn Iterator<Item = csv::StringRecord>|
     -> anyhow::Result<std::path::PathBuf> {
        let path = dir.path().join(name);
        let mut w = csv::Writer::from_path(&path)?;
        w.write_record(&headers)?;
        for row in rows {
            w.write_record(&row)?;
        }
        w.flush()?;
        Ok(path)
    };
    let files: Vec<std::path::PathBuf> = providers
        .iter()
        .map(|(p, _)| write(&format!("{p}.csv"), &mut by_provider[p].iter().cloned()))
        .collect::<anyhow::Result<_>>()?;
    let revised = write(
        "revised.csv",
        &mut by_provider[&providers[0].0].iter().enumerate().filter(|(i, _)| i % 10 != 3).map(|(i, row)| {
            if i % 7 == 0 {
                let cleared = [keys_column, key_id_column];
                row.iter().enumerate().map(|(c, v)| if cleared.contains(&c) { "" } else { v }).collect()
            } else {
                row.clone()
            }
        }),
    )?;

    let mut store = Store::open_sqlite(&dir.path().join("hub.db"))?;
    store.sync_codelists(lists)?;
    app::load::load_providers(&mut store, &dir.path().join("providers.csv"), lists)?;
    let country = model::Code::parse("PT", lists).expect("PT");
    let import = |store: &mut Store, provider: &str, file: &std::path::Path| -> anyhow::Result<bool> {
        let req = ImportRequest {
            provider: ProviderId::new(provider).expect("provider"),
            files: vec![file.to_owned()],
            profile: None,
            policy: Policy::RejectAll,
            read: ingest::read::ReadOptions::standard(),
            reporting_country: country,
            as_of,
            submitted_at: chrono::Utc::now(),
        };
        let result = app::intake::import(store, lists, &req, &mut |_| {})?;
        assert!(result.committed, "{provider}: {:?}", result.report.issues().first());
        Ok(result.persons.is_some())
    };
    let check = |store: &mut Store, step: &str| -> anyhow::Result<()> {
        let inputs = store.victim_link_inputs()?;
        let (persons, members) = app::persons::build(&inputs);
        let stored = store.persons()?;
        assert!(
            stored == persons,
            "{step}: {} persons stored, {} rebuilt, or they differ",
            stored.len(),
            persons.len()
        );
        let mut expected: Vec<(String, String, u32)> =
            members.iter().map(|(p, r, id)| (p.as_str().to_owned(), r.as_str().to_owned(), *id)).collect();
        expected.sort();
        let stored = store.victim_memberships()?;
        assert!(
            stored == expected,
            "{step}: {} memberships stored, {} rebuilt, or they differ",
            stored.len(),
            expected.len()
        );
        Ok(())
    };

    assert!(import(&mut store, &providers[0].0, &files[0])?);
    check(&mut store, "first provider")?;
    assert!(import(&mut store, &providers[1].0, &files[1])?);
    check(&mut store, "second provider")?;
    let shared = store.persons()?.iter().filter(|p| p.providers > 1).count();
    assert!(shared > 0, "the two providers share persons");
    assert!(import(&mut store, &providers[0].0, &revised)?);
    check(&mut store, "revision of the first provider")?;
    assert!(!import(&mut store, &providers[1].0, &files[1])?, "the same file twice changes nothing");
    check(&mut store, "same file twice")?;
    let rejected = store
        .submission_infos()?
        .into_iter()
        .find(|i| i.submission.provider_id.as_str() == providers[1].0 && i.superseded_by.is_none())
        .expect("a live submission of the second provider");
    store.set_submission_status(rejected.submission.id, SubmissionStatus::Rejected, Some("test"))?;
    for (k, (provider, _)) in providers.iter().enumerate().skip(2) {
        assert!(import(&mut store, provider, &files[k])?);
        check(&mut store, &format!("provider {provider} after a rejection"))?;
    }
    let status = |store: &mut Store| -> anyhow::Result<(u64, u64)> { Ok(store.person_counts()?) };
    let (persons, members) = status(&mut store)?;
    assert!(persons > 0 && members >= persons);
    Ok(())
}
