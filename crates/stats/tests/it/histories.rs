//! Capture histories on a small hand-built engine: every pattern checked by hand.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::codes::{ExploitationForm, VictimStatus};
use model::records::Exploitation;
use model::{Codelists, ProviderId, RecordRef, VictimRegistration};
use stats::{
    Counting, DateRange, Dim, Engine, EngineBuilder, Error, Filter, ListDef, Measure, Query, VictimInput,
};
use synth::Params;

/// One registration of the hand-built hub: (person, provider index, date, status, main form).
type Reg = (u32, usize, &'static str, VictimStatus, ExploitationForm);

struct Hub {
    engine: Engine,
    providers: Vec<String>,
}

fn hub(regs: &[Reg]) -> Hub {
    let lists = Codelists::embedded();
    let params = Params {
        seed: 1,
        victims: 20,
        first_year: 2024,
        last_year: 2024,
        as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
    };
    let data = synth::generate(&params, lists);
    let template = data.victims[0].clone();
    let providers: Vec<String> = data.providers.iter().take(4).map(|p| p.id.as_str().to_string()).collect();
    let records: Vec<(VictimRegistration, u32)> = regs
        .iter()
        .enumerate()
        .map(|(i, (person, provider, date, status, form))| {
            let mut v = template.clone();
            v.provider_id = ProviderId::new(&providers[*provider]).unwrap();
            v.record_ref = RecordRef::new(&format!("R{i}")).unwrap();
            v.registration_date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            v.status_date = v.registration_date;
            v.status = *status;
            v.exploitation = Exploitation { forms: BTreeSet::from([*form]), main: *form };
            (v, *person)
        })
        .collect();
    let mut b = EngineBuilder::new(lists, "PT", &data.providers, [3; 16]);
    for (v, person) in &records {
        b.victim(VictimInput { record: v, person: *person });
    }
    Hub { engine: b.build(), providers }
}

const C: VictimStatus = VictimStatus::Confirmed;
const N: VictimStatus = VictimStatus::NotConfirmed;
const S: ExploitationForm = ExploitationForm::Sexual;
const L: ExploitationForm = ExploitationForm::Labour;

/// Persons 1–9 of the fixture; providers 0–2 are the lists, provider 3 is on none.
const REGS: &[Reg] = &[
    (1, 0, "2024-03-01", C, S), // person 1: lists 0 and 1
    (1, 1, "2024-05-01", C, S),
    (2, 0, "2024-04-01", C, S), // person 2: list 0 only
    (3, 1, "2024-02-01", C, S), // person 3: list 1 (list 2 saw them after the period)
    (3, 2, "2025-01-10", C, S),
    (4, 2, "2024-06-01", N, S), // person 4: not confirmed, not counted
    (5, 0, "2023-12-01", C, S), // person 5: earliest registration before the period
    (5, 1, "2024-01-15", C, S),
    (6, 3, "2024-07-01", C, S), // person 6: registered by a provider on no list
    (7, 0, "2024-08-01", C, L), // person 7: lists 0 and 2, labour exploitation
    (7, 2, "2024-09-01", C, L),
    (8, 1, "2024-10-01", C, S), // person 8: lists 1 and 2 (the second registration not confirmed)
    (8, 2, "2024-10-02", N, S),
    (9, 0, "2024-11-01", C, S), // person 9: all three lists
    (9, 1, "2024-11-02", C, S),
    (9, 2, "2024-11-03", C, S),
];

fn singletons(h: &Hub) -> Vec<ListDef> {
    (0..3).map(|i| ListDef { name: format!("L{i}"), providers: vec![h.providers[i].clone()] }).collect()
}

#[test]
fn persons_count_by_the_exact_set_of_lists_that_registered_them_in_the_period() {
    let h = hub(REGS);
    let y = Some(DateRange::year(2024));
    let got = h.engine.histories(&singletons(&h), &[], y, Counting::SingleCount).unwrap();
    assert_eq!(got.lists, ["L0", "L1", "L2"]);
    let mut want = vec![0u64; 8];
    want[0b011] = 1; // person 1
    want[0b001] = 1; // person 2
    want[0b010] = 1; // person 3
    want[0b101] = 1; // person 7
    want[0b110] = 1; // person 8
    want[0b111] = 1; // person 9
    assert_eq!(got.counts, want);
    assert_eq!(got.unlisted, 1, "person 6");
    assert_eq!(got.observed(), 6);
    // The same persons as the persons measure (its total key is the sum of the patterns' keys).
    let persons = h.engine.table(&Query::new(Measure::Persons, &[]).period(DateRange::year(2024))).unwrap();
    assert_eq!(persons.total().count, got.observed() + got.unlisted);
    let with_all = {
        let mut lists = singletons(&h);
        lists[2].providers.push(h.providers[3].clone());
        h.engine.histories(&lists, &[], y, Counting::SingleCount).unwrap()
    };
    assert_eq!(with_all.unlisted, 0);
    assert_eq!(with_all.keys.iter().fold(0u32, |a, k| a.wrapping_add(*k)), persons.total().key);
    // Deterministic.
    assert_eq!(h.engine.histories(&singletons(&h), &[], y, Counting::SingleCount).unwrap(), got);
}

#[test]
fn filters_groups_of_providers_and_all_periods() {
    let h = hub(REGS);
    let y = Some(DateRange::year(2024));
    // A form of exploitation: person 7 (labour) is left out.
    let sexual = [Filter { dim: Dim::Exploitation, codes: vec!["SEXUAL".into()] }];
    let got = h.engine.histories(&singletons(&h), &sexual, y, Counting::SingleCount).unwrap();
    assert_eq!(got.counts[0b101], 0);
    assert_eq!(got.observed(), 5);
    // Lists 0 and 1 merged: persons 1, 2, 3 on the group only; 7, 8, 9 on both.
    let merged = vec![
        ListDef { name: "G".into(), providers: vec![h.providers[0].clone(), h.providers[1].clone()] },
        ListDef { name: "L2".into(), providers: vec![h.providers[2].clone()] },
    ];
    let got = h.engine.histories(&merged, &[], y, Counting::SingleCount).unwrap();
    assert_eq!(got.counts, vec![0, 3, 0, 3]);
    // All periods: person 3 is seen by list 2 too, person 5 counts (lists 0 and 1).
    let all = h.engine.histories(&singletons(&h), &[], None, Counting::SingleCount).unwrap();
    assert_eq!(all.counts[0b110], 2, "persons 3 and 8");
    assert_eq!(all.counts[0b011], 2, "persons 1 and 5");
    assert_eq!(all.counts[0b010], 0);
}

#[test]
fn bad_list_definitions_are_named() {
    let h = hub(REGS);
    let one = |p: &str| ListDef { name: p.into(), providers: vec![p.into()] };
    let e = h.engine.histories(&[one("NOPE")], &[], None, Counting::SingleCount).unwrap_err();
    assert_eq!(e, Error::UnknownCode { dim: "provider", code: "NOPE".into() });
    let p0 = h.providers[0].clone();
    let e = h.engine.histories(&[one(&p0), one(&p0)], &[], None, Counting::SingleCount).unwrap_err();
    assert!(e.to_string().contains("two lists"), "{e}");
    let many: Vec<ListDef> = (0..11).map(|i| ListDef { name: i.to_string(), providers: vec![] }).collect();
    assert!(matches!(h.engine.histories(&many, &[], None, Counting::SingleCount), Err(Error::TooLarge(_))));
    let bad = [Filter { dim: Dim::Sex, codes: vec!["X".into()] }];
    assert!(h.engine.histories(&singletons(&h), &bad, None, Counting::SingleCount).is_err());
}
