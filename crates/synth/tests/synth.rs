//! Tests of the synthetic data generator: validity of every record, determinism, agreement of
//! the in-memory and CSV paths, and plausibility of the distributions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use model::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionStatus, ProviderType, RecordType, Sex, VictimStatus,
};
use model::validate::{self, Context};
use model::{Citizenship, Code, Codelists, DataProvider, ModelRecord, ProviderId, RecordRef};
use synth::{Dataset, Generator, Params, Summary};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn params(seed: u64, victims: u64) -> Params {
    Params { seed, victims, first_year: 2017, last_year: 2024, as_of: date(2025, 3, 31) }
}

fn lists() -> &'static Codelists {
    Codelists::embedded()
}

fn generate_with_summary(p: &Params) -> (Dataset, Summary) {
    let g = Generator::new(p, lists()).expect("valid parameters");
    let mut data = Dataset { providers: g.providers().to_vec(), ..Dataset::default() };
    let summary = g.run(&mut data).expect("in-memory generation cannot fail");
    (data, summary)
}

fn register(providers: &[DataProvider]) -> BTreeMap<ProviderId, DataProvider> {
    providers.iter().map(|p| (p.id.clone(), p.clone())).collect()
}

/// Writes a record and parses it back: the canonical text form must round-trip.
fn round_trip<R: ModelRecord + PartialEq + std::fmt::Debug>(r: &R) {
    let mut values = Vec::new();
    r.write(&mut |v| values.push(v.to_owned()));
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    let parsed = R::parse(&refs, lists())
        .unwrap_or_else(|v| panic!("{:?} does not parse back: {v:?}", r.record_ref()));
    assert_eq!(&parsed, r);
}

#[test]
fn every_record_passes_validation() {
    let p = params(7, 20_000);
    let data = synth::generate(&p, lists());
    let register = register(&data.providers);
    let ctx = Context {
        reporting_country: Code::parse("PT", lists()).expect("PT"),
        as_of: p.as_of,
        providers: Some(&register),
    };
    assert_eq!(data.victims.len(), 20_000);
    assert!(!data.suspects.is_empty() && !data.prosecutions.is_empty() && !data.court_decisions.is_empty());

    for v in &data.victims {
        round_trip(v);
        validate::victim(v.clone(), &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(v.registration_date.year() >= p.first_year && v.registration_date.year() <= p.last_year);
        assert!(v.status_date < p.as_of && v.updated_at.date_naive() < p.as_of);
        assert!(v.updated_at.date_naive() >= v.status_date);
        if v.status != VictimStatus::Signalled || v.record_version > 1 {
            assert!(v.record_version > 1 || v.status_date == v.registration_date);
        }
    }
    for s in &data.suspects {
        round_trip(s);
        validate::suspect(s.clone(), &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.first_contact_date < p.as_of);
    }
    for r in &data.prosecutions {
        round_trip(r);
        validate::prosecution(r.clone(), &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(r.finalised_date.is_none_or(|d| d < p.as_of));
    }
    for d in &data.court_decisions {
        round_trip(d);
        validate::court_decision(d.clone(), &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.decision_date < p.as_of);
    }
}

#[test]
fn references_are_unique_and_links_resolve() {
    let data = synth::generate(&params(11, 20_000), lists());
    let victims: BTreeMap<&RecordRef, &model::VictimRegistration> =
        data.victims.iter().map(|v| (&v.record_ref, v)).collect();
    assert_eq!(victims.len(), data.victims.len(), "victim references are unique across providers");
    let mut linked = 0;
    for v in &data.victims {
        for l in &v.linked_record_refs {
            let other = victims.get(l).expect("linked record exists");
            assert_ne!(other.provider_id, v.provider_id, "links go to another provider");
            assert!(other.registration_date <= v.registration_date, "links point to earlier registrations");
            assert_eq!(
                (other.sex, &other.citizenship, &other.exploitation),
                (v.sex, &v.citizenship, &v.exploitation)
            );
            linked += 1;
        }
    }
    assert!(linked > 0);
    let suspects: BTreeMap<&RecordRef, &model::Suspect> =
        data.suspects.iter().map(|s| (&s.record_ref, s)).collect();
    assert_eq!(suspects.len(), data.suspects.len());
    let mut cases: BTreeMap<&str, BTreeSet<&ProviderId>> = BTreeMap::new();
    for s in &data.suspects {
        cases.entry(s.case_ref.as_str()).or_default().insert(&s.provider_id);
        for r in &s.victim_record_refs {
            let v = victims.get(r).expect("suspect's victim exists");
            assert_eq!(v.provider_id, s.provider_id, "suspects link victims of the same provider");
            assert!(v.case_refs.contains(&s.case_ref));
        }
    }
    assert!(cases.values().all(|p| p.len() == 1), "a case belongs to one police body");
    assert!(cases.len() < data.suspects.len(), "some cases have co-suspects");
    let prosecutions: BTreeMap<&RecordRef, &model::Prosecution> =
        data.prosecutions.iter().map(|r| (&r.record_ref, r)).collect();
    assert_eq!(prosecutions.len(), data.prosecutions.len());
    for r in &data.prosecutions {
        if let Some(s) = &r.suspect_record_ref {
            let s = suspects.get(s).expect("prosecuted suspect exists");
            assert_eq!((&s.case_ref, &s.offender), (&r.case_ref, &r.offender));
            assert!(s.first_contact_date <= r.initiated_date);
        }
    }
    let mut refs = BTreeSet::new();
    for d in &data.court_decisions {
        assert!(refs.insert(&d.record_ref));
        if let Some(p) = &d.prosecution_record_ref {
            let p = prosecutions.get(p).expect("decided prosecution exists");
            assert_eq!(p.status, ProsecutionStatus::Finalised);
            assert!(p.finalised_date.is_some_and(|f| f <= d.decision_date));
            assert_eq!(p.case_ref, d.case_ref);
        }
    }
}

fn read_dir_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    ["providers.csv", "victims.csv", "suspects.csv", "prosecutions.csv", "court_decisions.csv"]
        .into_iter()
        .map(|n| (n.to_owned(), std::fs::read(dir.join(n)).expect("file written")))
        .collect()
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_differs() {
    let p = params(2024, 5_000);
    let (a, b, c) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = synth::write_csv(&p, lists(), a.path()).expect("write a");
    let sb = synth::write_csv(&p, lists(), b.path()).expect("write b");
    let sc = synth::write_csv(&Params { seed: 2025, ..p }, lists(), c.path()).expect("write c");
    assert_eq!(sa, sb);
    assert_eq!(sa.victims, 5_000);
    assert_eq!(sc.victims, 5_000);
    let (fa, fb, fc) = (read_dir_files(a.path()), read_dir_files(b.path()), read_dir_files(c.path()));
    assert_eq!(fa, fb, "same parameters, same bytes");
    assert_ne!(fa["victims.csv"], fc["victims.csv"]);
    assert_ne!(fa["suspects.csv"], fc["suspects.csv"]);
    assert_eq!(fa["providers.csv"], fc["providers.csv"], "the provider network is fixed");
}

fn csv_of<R: ModelRecord>(records: &[R]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(R::COLUMNS).unwrap();
    for r in records {
        r.write(&mut |v| w.write_field(v).unwrap());
        w.write_record(None::<&[u8]>).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn in_memory_and_csv_give_the_same_records() {
    let p = params(99, 3_000);
    let data = synth::generate(&p, lists());
    let dir = tempfile::tempdir().unwrap();
    let summary = synth::write_csv(&p, lists(), dir.path()).expect("write");
    let files = read_dir_files(dir.path());
    assert_eq!(files["victims.csv"], csv_of(&data.victims));
    assert_eq!(files["suspects.csv"], csv_of(&data.suspects));
    assert_eq!(files["prosecutions.csv"], csv_of(&data.prosecutions));
    assert_eq!(files["court_decisions.csv"], csv_of(&data.court_decisions));
    assert_eq!(summary.victims as usize, data.victims.len());
    assert_eq!(summary.suspects as usize, data.suspects.len());
    assert_eq!(summary.prosecutions as usize, data.prosecutions.len());
    assert_eq!(summary.court_decisions as usize, data.court_decisions.len());
    assert_eq!(summary.providers as usize, data.providers.len());
}

#[test]
fn provider_network_is_portuguese_and_complete() {
    let providers = synth::providers(lists());
    assert!((10..=20).contains(&providers.len()));
    let by_id: BTreeMap<&str, &DataProvider> = providers.iter().map(|p| (p.id.as_str(), p)).collect();
    assert_eq!(by_id.len(), providers.len());
    let pj = by_id["PT-PJ"];
    assert!(pj.provider_type == ProviderType::Police && pj.can_formally_identify);
    assert!(by_id["PT-MP"].submits == BTreeSet::from([RecordType::Prosecution]));
    assert!(by_id["PT-DGPJ"].submits == BTreeSet::from([RecordType::CourtDecision]));
    for id in ["PT-GNR", "PT-PSP", "PT-AIMA", "PT-ACT", "PT-NGO-APAV", "PT-NGO-AKTO", "PT-IOM"] {
        assert!(by_id.contains_key(id), "{id}");
    }
    let types: BTreeSet<ProviderType> = providers.iter().map(|p| p.provider_type).collect();
    assert!(types.len() >= 9);
    assert!(
        providers.iter().all(|p| p.country.as_str() == "PT" && p.nuts.is_some_and(|n| n.as_str().len() == 5))
    );
    assert!(providers.iter().all(|p| p.valid_from <= date(2010, 1, 1) || p.id.as_str() == "PT-AIMA"));
    assert!(providers.iter().any(|p| p.valid_to.is_some()) && providers.iter().any(|p| p.valid_to.is_none()));

    let mut out = Vec::new();
    synth::write_providers(&providers, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(synth::PROVIDER_COLUMNS.join(",").as_str()));
    assert!(text.contains("PT-PJ,Polícia Judiciária,POLICE,PT,PT1A0,true,VICTIM|SUSPECT,2008-01-01,\n"));
    assert_eq!(lines.count(), providers.len());
}

#[test]
fn parameters_are_checked() {
    let p = params(1, 10);
    assert!(Generator::new(&Params { first_year: 2025, last_year: 2024, ..p }, lists()).is_err());
    assert!(Generator::new(&Params { as_of: date(2008, 1, 1), ..p }, lists()).is_err());
    assert!(Generator::new(&Params { first_year: 1990, last_year: 2005, ..p }, lists()).is_err());
    assert!(synth::try_generate(&Params { first_year: 2025, last_year: 2024, ..p }, lists()).is_err());
    let empty = synth::generate(&Params { first_year: 2025, last_year: 2024, ..p }, lists());
    assert!(empty.victims.is_empty() && !empty.providers.is_empty());
    let zero = synth::generate(&Params { victims: 0, ..p }, lists());
    assert!(zero.victims.is_empty() && zero.suspects.is_empty());
}

#[test]
fn extraction_date_inside_the_last_year_bounds_every_date() {
    let p = Params { seed: 5, victims: 4_000, first_year: 2022, last_year: 2024, as_of: date(2024, 6, 30) };
    let data = synth::generate(&p, lists());
    assert_eq!(data.victims.len(), 4_000);
    assert!(data.victims.iter().all(|v| v.registration_date < p.as_of && v.status_date < p.as_of));
    assert!(data.suspects.iter().all(|s| s.first_contact_date < p.as_of));
    assert!(data.prosecutions.iter().all(|r| r.initiated_date < p.as_of));
    assert!(data.court_decisions.iter().all(|d| d.decision_date < p.as_of));
    assert!(
        data.victims
            .iter()
            .filter(|v| v.provider_id.as_str() == "PT-SEF")
            .all(|v| v.registration_date <= date(2023, 10, 28))
    );
    assert!(
        data.victims
            .iter()
            .filter(|v| v.provider_id.as_str() == "PT-AIMA")
            .all(|v| v.registration_date >= date(2023, 10, 29))
    );
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn distributions_are_plausible() {
    let p = params(3, 20_000);
    let (data, summary) = generate_with_summary(&p);
    let v = &data.victims;
    let n = v.len();

    let labour = v.iter().filter(|r| r.exploitation.main == ExploitationForm::Labour).count();
    assert!((0.50..=0.85).contains(&share(labour, n)), "labour share {}", share(labour, n));
    let sexual: Vec<_> = v.iter().filter(|r| r.exploitation.main == ExploitationForm::Sexual).collect();
    assert!((0.08..=0.30).contains(&share(sexual.len(), n)), "sexual share {}", share(sexual.len(), n));
    let sexual_f = sexual.iter().filter(|r| r.sex == Sex::F).count();
    assert!(share(sexual_f, sexual.len()) > 0.70, "F among sexual {}", share(sexual_f, sexual.len()));
    let labour_m =
        v.iter().filter(|r| r.exploitation.main == ExploitationForm::Labour && r.sex == Sex::M).count();
    assert!(share(labour_m, labour) > 0.65);
    assert!(v.iter().any(|r| r.exploitation.forms.len() > 1));
    assert!(v.iter().any(|r| r.exploitation.main == ExploitationForm::Unknown));

    let minors = v.iter().filter(|r| r.age_group == AgeGroup::Under18).count();
    assert!((0.07..=0.18).contains(&share(minors, n)), "minors {}", share(minors, n));
    let with_age = v.iter().filter(|r| r.age_at_registration.is_some()).count();
    assert!(share(with_age, n) > 0.6);
    assert!(v.iter().any(|r| r.age_group == AgeGroup::Unknown));

    let multi = share(summary.victim_persons_multi as usize, summary.victim_persons as usize);
    assert!((0.10..=0.25).contains(&multi), "persons with several registrations {multi}");
    let linked = share(summary.victim_persons_linked as usize, summary.victim_persons_multi as usize);
    assert!((0.35..=0.65).contains(&linked), "linked share {linked}");
    assert_eq!(summary.victims as usize, n);

    let pt = v
        .iter()
        .filter(|r| r.citizenship[0] == Citizenship::Country(Code::parse("PT", lists()).unwrap()))
        .count();
    assert!((0.05..=0.35).contains(&share(pt, n)));
    assert!(v.iter().any(|r| r.citizenship.len() == 2));
    assert!(v.iter().any(|r| r.citizenship == [Citizenship::Stateless]));
    assert!(v.iter().any(|r| r.citizenship == [Citizenship::Unknown]));

    let origin: Vec<_> = v.iter().filter(|r| r.country_role == CountryRole::Origin).collect();
    assert!(
        !origin.is_empty()
            && origin.iter().any(|r| r.country_of_exploitation.known().is_some_and(|c| c.as_str() == "ES"))
    );
    assert!(v.iter().any(|r| r.country_role == CountryRole::Transit));
    let dest = v.iter().filter(|r| r.country_role == CountryRole::Destination).count();
    assert!(share(dest, n) > 0.75);

    // Agriculture is placed in the south and Oeste/Ribatejo; sexual exploitation in the cities.
    let agri: Vec<_> = v.iter().filter(|r| r.labour_sector.is_some_and(|s| s.as_str() == "A")).collect();
    assert!(share(agri.len(), labour) > 0.5);
    let agri: Vec<_> = agri
        .into_iter()
        .filter(|r| r.place_of_exploitation_nuts.is_some_and(|n| n.as_str().starts_with("PT")))
        .collect();
    let south = agri
        .iter()
        .filter(|r| {
            r.place_of_exploitation_nuts
                .is_some_and(|n| ["PT1C", "PT15", "PT1D"].iter().any(|p| n.as_str().starts_with(p)))
        })
        .count();
    assert!(share(south, agri.len()) > 0.6, "agriculture in the south {}", share(south, agri.len()));
    let cities = sexual
        .iter()
        .filter(|r| {
            r.place_of_exploitation_nuts.is_some_and(|n| ["PT1A0", "PT11A", "PT150"].contains(&n.as_str()))
        })
        .count();
    assert!(share(cities, sexual.len()) > 0.45);
    let beja = v.iter().filter(|r| r.place_of_exploitation_nuts.is_some_and(|n| n.as_str() == "PT1C2"));
    assert!(beja.filter_map(|r| r.district).all(|d| d.as_str() == "PT-02"));

    // Harvest season: more labour registrations per month from June to October.
    let mut by_month = [0usize; 12];
    for r in v.iter().filter(|r| r.exploitation.main == ExploitationForm::Labour) {
        by_month[r.registration_date.month0() as usize] += 1;
    }
    let summer: usize = by_month[5..10].iter().sum();
    let winter: usize = by_month[0..3].iter().sum::<usize>() + by_month[10..12].iter().sum::<usize>();
    assert!(summer as f64 / 5.0 > 1.3 * winter as f64 / 5.0);
    // Growth over the years.
    let year = |y: i32| v.iter().filter(|r| r.registration_date.year() == y).count();
    assert!(year(2024) > year(2017));

    let statuses: BTreeSet<VictimStatus> = v.iter().map(|r| r.status).collect();
    assert_eq!(statuses.len(), 5, "every status occurs");
    let signalled = v.iter().filter(|r| r.status == VictimStatus::Signalled).count();
    assert!(share(signalled, n) > 0.3);
    assert!(
        v.iter().filter(|r| r.status == VictimStatus::Confirmed).all(|r| matches!(
            r.identifying_authority_type,
            Some(ProviderType::Police | ProviderType::Border)
        ))
    );
    assert!(v.iter().any(|r| r.record_version > 1));
    let permits_eu_or_pt = v
        .iter()
        .filter(|r| r.residence_permit_granted == model::codes::YesNoUnknown::Yes)
        .filter(|r| match r.citizenship[0] {
            Citizenship::Country(c) => lists().country_iso(c.as_str()).is_some_and(|i| i.eu27),
            _ => false,
        })
        .count();
    assert_eq!(permits_eu_or_pt, 0, "no residence permits for EU citizens");

    // Offender side.
    let s = &data.suspects;
    let per_person = share(s.len(), summary.victim_persons as usize);
    assert!((0.4..=0.8).contains(&per_person), "suspects per victim person {per_person}");
    let natural: Vec<_> = s.iter().filter(|x| x.offender.person_type == PersonType::Natural).collect();
    assert!(natural.len() < s.len(), "some legal persons");
    let male = natural.iter().filter(|x| x.offender.sex == Some(Sex::M)).count();
    assert!(share(male, natural.len()) > 0.65);
    let allowed: BTreeSet<&str> = ["PT-PJ", "PT-GNR", "PT-PSP", "PT-SEF", "PT-ACT"].into();
    assert!(s.iter().all(|x| allowed.contains(x.provider_id.as_str())));
    assert!(s.iter().any(|x| !x.victim_record_refs.is_empty()));
    let prosecuted = share(data.prosecutions.len(), s.len());
    assert!((0.25..=0.55).contains(&prosecuted), "prosecuted share {prosecuted}");
    let pr = &data.prosecutions;
    assert!(pr.iter().any(|x| x.status == ProsecutionStatus::Ongoing));
    assert!(pr.iter().any(|x| x.status == ProsecutionStatus::Finalised));
    let d = &data.court_decisions;
    let first_conv: Vec<_> = d
        .iter()
        .filter(|x| x.instance == DecisionInstance::First && x.decision_type == CourtDecisionType::Conviction)
        .collect();
    assert!(share(first_conv.iter().filter(|x| x.convicted_of_thb).count(), first_conv.len()) > 0.6);
    assert!(d.iter().any(|x| x.instance == DecisionInstance::Appeal));
    assert!(d.iter().any(|x| x.decision_type == CourtDecisionType::Acquittal));
    assert!(d.iter().filter_map(|x| x.sentence_months).all(|m| (12..=240).contains(&m)));
}
