//! Engine tests: every count is checked against a naive computation over the same records.

mod histories;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use model::codes::{
    CourtDecisionType, DecisionInstance, ExploitationForm, PersonType, ProsecutionStatus, ProviderType, Sex,
    VictimStatus,
};
use model::records::Citizenship;
use model::{Codelists, ModelCode, VictimRegistration};
use stats::{
    Counting, DateRange, Dim, Engine, EngineBuilder, Granularity, Measure, NutsLevel, Query, TOTAL,
    VictimInput,
};
use synth::{Dataset, Params};

struct Fixture {
    data: Dataset,
    person: Vec<u32>,
    engine: Engine,
}

/// Person of each registration: registrations sharing their smallest linkage key (the synthetic
/// generator gives every registration of one person the same stand-in keys), else alone.
fn persons(victims: &[VictimRegistration]) -> Vec<u32> {
    let mut by_key: BTreeMap<String, u32> = BTreeMap::new();
    let mut next = 0u32;
    victims
        .iter()
        .map(|v| {
            let key = v
                .linkage_keys
                .iter()
                .next()
                .map(|k| k.to_string())
                .unwrap_or_else(|| format!("{}/{}", v.provider_id, v.record_ref));
            *by_key.entry(key).or_insert_with(|| {
                next += 1;
                next
            })
        })
        .collect()
}

fn fixture() -> Fixture {
    let lists = Codelists::embedded();
    let params = Params {
        seed: 7,
        victims: 4000,
        first_year: 2022,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    };
    let data = synth::generate(&params, lists);
    let person = persons(&data.victims);
    let mut b = EngineBuilder::new(lists, "PT", &data.providers, [7; 16]);
    for (v, p) in data.victims.iter().zip(&person) {
        b.victim(VictimInput { record: v, person: *p });
    }
    data.suspects.iter().for_each(|s| b.suspect(s));
    data.prosecutions.iter().for_each(|p| b.prosecution(p));
    data.court_decisions.iter().for_each(|d| b.court_decision(d));
    Fixture { data, person, engine: b.build() }
}

fn provider_type(f: &Fixture, id: &model::ProviderId) -> ProviderType {
    f.data.providers.iter().find(|p| &p.id == id).map(|p| p.provider_type).unwrap()
}

#[test]
fn registrations_by_sex_and_age_with_a_filter_and_period() {
    let f = fixture();
    let q = Query::new(Measure::Registrations, &[Dim::Sex, Dim::AgeGroup])
        .filter(Dim::ProviderType, &["POLICE", "NGO"])
        .period(DateRange::year(2024));
    let t = f.engine.crosstab(&q).unwrap();
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for v in &f.data.victims {
        if v.registration_date.year() == 2024
            && v.status.is_registered()
            && matches!(provider_type(&f, &v.provider_id), ProviderType::Police | ProviderType::Ngo)
        {
            *expected.entry((v.sex.code().to_string(), v.age_group.code().to_string())).or_default() += 1;
        }
    }
    let mut got: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (i, sex) in t.categories[0].iter().enumerate() {
        for (j, age) in t.categories[1].iter().enumerate() {
            let n = t.counts[i * t.categories[1].len() + j];
            if n > 0 {
                got.insert((sex.clone(), age.clone()), n);
            }
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
}

#[test]
fn persons_count_each_person_once_with_the_earliest_registration() {
    let f = fixture();
    // Naive: group registrations by person; lead = earliest registration.
    let mut by_person: BTreeMap<u32, Vec<&VictimRegistration>> = BTreeMap::new();
    for (v, p) in f.data.victims.iter().zip(&f.person) {
        by_person.entry(*p).or_default().push(v);
    }
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    let mut multi_provider = 0;
    for regs in by_person.values() {
        let lead = regs.iter().min_by_key(|v| v.registration_date).unwrap();
        let strongest = regs.iter().map(|v| v.status.strength()).max().unwrap();
        if strongest == VictimStatus::NotConfirmed.strength() {
            continue;
        }
        if lead.registration_date.year() != 2025 {
            continue;
        }
        let group = match lead.citizenship.first() {
            Some(Citizenship::Country(c)) if c.as_str() == "PT" => "NAT".to_string(),
            Some(Citizenship::Country(c)) => {
                if Codelists::embedded().country_iso(c.as_str()).is_some_and(|i| i.eu27) {
                    "EU27_2020_FOR".to_string()
                } else {
                    "NEU27_2020_FOR".to_string()
                }
            }
            Some(Citizenship::Stateless) => "NEU27_2020_FOR".to_string(),
            _ => "UNK".to_string(),
        };
        *expected.entry(group).or_default() += 1;
        if regs.iter().map(|v| &v.provider_id).collect::<BTreeSet<_>>().len() > 1 {
            multi_provider += 1;
        }
    }
    assert!(multi_provider > 0, "the fixture has persons registered by several providers");
    let t = f
        .engine
        .table(&Query::new(Measure::Persons, &[Dim::CitizenshipGroup]).period(DateRange::year(2025)))
        .unwrap();
    for (code, n) in &expected {
        assert_eq!(t.cell(&[code]).unwrap().count, *n, "{code}");
    }
    assert_eq!(t.total().count, expected.values().sum::<u64>());
    // Persons are fewer than registrations over the same period.
    let regs =
        f.engine.table(&Query::new(Measure::Registrations, &[]).period(DateRange::year(2025))).unwrap();
    assert!(regs.total().count > t.total().count);
}

#[test]
fn persons_by_provider_count_under_every_provider_and_the_total_once() {
    let f = fixture();
    let t = f.engine.table(&Query::new(Measure::Persons, &[Dim::Provider])).unwrap();
    assert!(t.multi);
    let sum: u64 = (0..t.axes[0].len() - 1).map(|i| t.cells[i].count).sum();
    let persons: BTreeSet<u32> = f
        .data
        .victims
        .iter()
        .zip(&f.person)
        .filter(|(v, _)| v.status.is_registered())
        .map(|(_, p)| *p)
        .collect();
    // The total counts persons (strongest status registered), the sum counts registrations'
    // providers: bigger.
    assert!(sum > t.total().count);
    assert!(t.total().count <= persons.len() as u64);
    // Each provider's column equals its distinct persons among its own registrations whose
    // person counts (strongest status registered).
    let mut strongest: BTreeMap<u32, u8> = BTreeMap::new();
    for (v, p) in f.data.victims.iter().zip(&f.person) {
        let s = strongest.entry(*p).or_default();
        *s = (*s).max(v.status.strength());
    }
    for (i, code) in t.axes[0].codes.iter().enumerate().take(t.axes[0].len() - 1) {
        let expected: BTreeSet<u32> = f
            .data
            .victims
            .iter()
            .zip(&f.person)
            .filter(|(v, p)| v.provider_id.as_str() == code && strongest[p] > 0)
            .map(|(_, p)| *p)
            .collect();
        assert_eq!(t.cells[i].count, expected.len() as u64, "{code}");
    }
}

#[test]
fn multi_count_forms_count_every_form_and_totals_once() {
    let f = fixture();
    let q = Query::new(Measure::Registrations, &[Dim::Exploitation]).counting(Counting::MultiCount);
    let t = f.engine.table(&q).unwrap();
    let registered: Vec<&VictimRegistration> =
        f.data.victims.iter().filter(|v| v.status.is_registered()).collect();
    for form in ExploitationForm::ALL {
        let n = registered.iter().filter(|v| v.exploitation.forms.contains(form)).count() as u64;
        assert_eq!(t.cell(&[form.code()]).unwrap().count, n, "{form}");
    }
    assert_eq!(t.total().count, registered.len() as u64);
    let single = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Exploitation])).unwrap();
    let sum: u64 = (0..single.axes[0].len() - 1).map(|i| single.cells[i].count).sum();
    assert_eq!(sum, single.total().count, "single-count tables add up");
    assert!(t.multi && !single.multi);
}

#[test]
fn margins_add_up_and_cell_keys_are_consistent_across_tables() {
    let f = fixture();
    let a = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Sex, Dim::AgeGroup])).unwrap();
    let b = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Sex, Dim::ExploitationGroup])).unwrap();
    for sex in ["F", "M", "UNK", TOTAL] {
        let ca = a.cell(&[sex, TOTAL]).unwrap();
        let cb = b.cell(&[sex, TOTAL]).unwrap();
        assert_eq!(ca.count, cb.count, "{sex}");
        assert_eq!(ca.key, cb.key, "the same units give the same cell key");
    }
    let rows: u64 = ["F", "M", "UNK", "T"].iter().filter_map(|s| a.cell(&[s, TOTAL])).map(|c| c.count).sum();
    assert_eq!(rows, a.total().count);
}

#[test]
fn nuts_roll_up_and_periods() {
    let f = fixture();
    let t2 = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Nuts(NutsLevel::Two)])).unwrap();
    let t1 = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Nuts(NutsLevel::One)])).unwrap();
    assert_eq!(t1.total().count, t2.total().count);
    // Every NUTS 1 figure is the sum of its NUTS 2 children (plus records known only at NUTS 1).
    for (i, code) in t1.axes[0].codes.iter().enumerate().take(t1.axes[0].len() - 1) {
        if code == "UNK" {
            continue;
        }
        let children: u64 = t2.axes[0]
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.len() == 4 && c.starts_with(code.as_str()))
            .map(|(j, _)| t2.cells[j].count)
            .sum();
        assert!(children <= t1.cells[i].count, "{code}");
    }
    let q =
        f.engine.table(&Query::new(Measure::Registrations, &[Dim::Period(Granularity::Quarter)])).unwrap();
    let y = f.engine.table(&Query::new(Measure::Registrations, &[Dim::Period(Granularity::Year)])).unwrap();
    for year in ["2022", "2023", "2024", "2025"] {
        let quarters: u64 = q.axes[0]
            .codes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.starts_with(year))
            .map(|(j, _)| q.cells[j].count)
            .sum();
        assert_eq!(Some(quarters), y.cell(&[year]).map(|c| c.count), "{year}");
    }
}

#[test]
fn offender_measures_follow_the_counting_rules() {
    let f = fixture();
    let year = DateRange::year(2024);
    let suspects = f.engine.table(&Query::new(Measure::Suspects, &[Dim::Sex]).period(year)).unwrap();
    let n = f.data.suspects.iter().filter(|s| s.first_contact_date.year() == 2024).count() as u64;
    assert_eq!(suspects.total().count, n);
    let natural_m = f
        .data
        .suspects
        .iter()
        .filter(|s| s.first_contact_date.year() == 2024 && s.offender.sex == Some(Sex::M))
        .count() as u64;
    assert_eq!(suspects.cell(&["M"]).unwrap().count, natural_m);
    let legal = f
        .data
        .suspects
        .iter()
        .filter(|s| s.first_contact_date.year() == 2024 && s.offender.person_type == PersonType::Legal)
        .count() as u64;
    assert_eq!(suspects.cell(&["_Z"]).map_or(0, |c| c.count), legal);

    let fin = f.engine.table(&Query::new(Measure::FinalisedProsecutions, &[]).period(year)).unwrap();
    let n = f
        .data
        .prosecutions
        .iter()
        .filter(|p| {
            p.status == ProsecutionStatus::Finalised && p.finalised_date.is_some_and(|d| d.year() == 2024)
        })
        .count() as u64;
    assert_eq!(fin.total().count, n);

    let conv = f.engine.table(&Query::new(Measure::Convicted, &[Dim::Sex]).period(year)).unwrap();
    let n = f
        .data
        .court_decisions
        .iter()
        .filter(|d| {
            d.decision_date.year() == 2024
                && d.decision_type == CourtDecisionType::Conviction
                && d.convicted_of_thb
                && d.instance == DecisionInstance::First
        })
        .count() as u64;
    assert_eq!(conv.total().count, n);
    assert!(n > 0, "the fixture has convictions in 2024");
}

#[test]
fn query_errors_name_the_dimension_and_never_panic() {
    let f = fixture();
    let e = f.engine.crosstab(&Query::new(Measure::Suspects, &[Dim::District])).unwrap_err();
    assert_eq!(e.to_string(), "dimension `district` is not available for measure `suspects`");
    let e = f
        .engine
        .crosstab(&Query::new(Measure::Registrations, &[Dim::Sex]).filter(Dim::Sex, &["X"]))
        .unwrap_err();
    assert_eq!(e.to_string(), "filter on `sex`: unknown code `X`");
    let e = f.engine.crosstab(&Query::new(Measure::Registrations, &[Dim::Sex, Dim::Sex])).unwrap_err();
    assert_eq!(e.to_string(), "dimension `sex` is used twice");
    assert!(Dim::parse("nope").is_err() && Measure::parse("nope").is_err());
    assert_eq!(Dim::parse("nuts2").unwrap(), Dim::Nuts(NutsLevel::Two));
}

#[test]
fn the_same_input_gives_the_same_tables_and_memory_stays_small() {
    let a = fixture();
    let b = fixture();
    let q = Query::new(Measure::Persons, &[Dim::Sex, Dim::Exploitation, Dim::Period(Granularity::Year)]);
    assert_eq!(a.engine.table(&q).unwrap(), b.engine.table(&q).unwrap());
    let stats = a.engine.stats();
    assert_eq!(stats.registrations, a.data.victims.len());
    assert!(stats.bytes_per_registration() < 40.0, "{}", stats.bytes_per_registration());
    assert!(stats.bytes_per_record() < 40.0, "{}", stats.bytes_per_record());
    // One thread or many: the same answer.
    let mut single = a.engine.clone();
    single.set_threads(1);
    assert_eq!(single.table(&q).unwrap(), a.engine.table(&q).unwrap());
}
