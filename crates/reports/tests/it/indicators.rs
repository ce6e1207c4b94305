//! The 21 EU key indicators on a small hand-made fixture, against values computed by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::codes::{
    AgeGroup, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType, ProsecutionStatus,
    ProviderType, Sex, VictimStatus, YesNoUnknown,
};
use model::records::{Citizenship, Known, Offender};
use model::{Code, Codelists, CourtDecision, DataProvider, Prosecution, Suspect, VictimRegistration};
use reports::{Labeller, QualityInputs, ReportKind, ReportSpec};
use stats::{Engine, EngineBuilder, TOTAL, VictimInput};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn country(c: &str) -> Code<model::code::Country> {
    Code::parse(c, Codelists::embedded()).unwrap()
}

fn citizenship(c: &str) -> Vec<Citizenship> {
    match c {
        "UNK" => vec![Citizenship::Unknown],
        c => vec![Citizenship::Country(country(c))],
    }
}

/// Templates from the synthetic generator, overwritten field by field.
struct Templates {
    providers: Vec<DataProvider>,
    victim: VictimRegistration,
    suspect: Suspect,
    prosecution: Prosecution,
    decision: CourtDecision,
}

fn templates() -> Templates {
    let lists = Codelists::embedded();
    let params =
        synth::Params { seed: 3, victims: 400, first_year: 2024, last_year: 2025, as_of: day(2026, 3, 31) };
    let d = synth::generate(&params, lists);
    Templates {
        providers: d.providers.clone(),
        victim: d.victims[0].clone(),
        suspect: d.suspects[0].clone(),
        prosecution: d.prosecutions[0].clone(),
        decision: d.court_decisions[0].clone(),
    }
}

fn provider_of(t: &Templates, kind: ProviderType) -> model::ProviderId {
    t.providers.iter().find(|p| p.provider_type == kind).unwrap().id.clone()
}

#[allow(clippy::too_many_arguments)]
fn victim(
    t: &Templates,
    n: u32,
    provider: ProviderType,
    date: NaiveDate,
    status: VictimStatus,
    sex: Sex,
    age: AgeGroup,
    cit: &str,
    recruit: &str,
    form: ExploitationForm,
    flags: [YesNoUnknown; 3],
) -> VictimRegistration {
    let mut v = t.victim.clone();
    v.record_ref = model::RecordRef::new(&format!("V{n}")).unwrap();
    v.provider_id = provider_of(t, provider);
    v.registration_date = date;
    v.status = status;
    v.sex = sex;
    v.age_group = age;
    v.citizenship = citizenship(cit);
    v.country_of_recruitment =
        Some(if recruit == "UNK" { Known::Unknown } else { Known::Known(country(recruit)) });
    v.country_of_exploitation = Known::Known(country("PT"));
    v.exploitation = model::records::Exploitation { forms: [form].into_iter().collect(), main: form };
    [v.assistance_received, v.reflection_period_granted, v.residence_permit_granted] = flags;
    v
}

fn offender(kind: PersonType, sex: Option<Sex>, cit: &str, form: ExploitationForm) -> Offender {
    Offender {
        person_type: kind,
        sex,
        age_group: sex.map(|_| AgeGroup::Adult),
        citizenship: citizenship(cit),
        exploitation: model::records::Exploitation { forms: [form].into_iter().collect(), main: form },
    }
}

/// The fixture of the module documentation; returns the engine.
fn engine() -> Engine {
    use AgeGroup::*;
    use ExploitationForm::*;
    use ProviderType::*;
    use VictimStatus::*;
    use YesNoUnknown::{No as N, Unknown as U, Yes as Y};
    let t = templates();
    // (registration, person)
    let victims = vec![
        // P1: police then NGO; lead = police (earliest), strongest CONFIRMED.
        (
            victim(
                &t,
                1,
                Police,
                day(2025, 2, 10),
                Confirmed,
                Sex::F,
                Under18,
                "PT",
                "PT",
                Sexual,
                [Y, N, N],
            ),
            1,
        ),
        (victim(&t, 2, Ngo, day(2025, 3, 1), Pending, Sex::F, Under18, "PT", "PT", Sexual, [N, N, N]), 1),
        // P2
        (victim(&t, 3, Ngo, day(2025, 5, 5), Signalled, Sex::M, Adult, "RO", "RO", Labour, [Y, Y, N]), 2),
        // P3: not confirmed: never counted.
        (
            victim(
                &t,
                4,
                Police,
                day(2025, 7, 1),
                NotConfirmed,
                Sex::M,
                Adult,
                "RO",
                "RO",
                Labour,
                [N, N, N],
            ),
            3,
        ),
        // P4: 2024.
        (
            victim(&t, 5, Police, day(2024, 12, 20), Confirmed, Sex::F, Adult, "BR", "BR", Sexual, [Y, N, N]),
            4,
        ),
        // P5
        (
            victim(
                &t,
                6,
                LabourInspectorate,
                day(2025, 9, 9),
                Declined,
                Sex::M,
                Adult,
                "BR",
                "BR",
                Labour,
                [N, N, Y],
            ),
            5,
        ),
        // P6: everything unknown; begging.
        (
            victim(
                &t,
                7,
                Police,
                day(2025, 11, 11),
                Confirmed,
                Sex::Unknown,
                AgeGroup::Unknown,
                "UNK",
                "UNK",
                Begging,
                [U, U, U],
            ),
            6,
        ),
        // P7: first registered in 2024 (NGO), again in 2025 (police): counted in 2024 only.
        (victim(&t, 8, Ngo, day(2024, 11, 1), Pending, Sex::M, Adult, "UA", "UA", Labour, [N, N, N]), 7),
        (victim(&t, 9, Police, day(2025, 1, 15), Confirmed, Sex::M, Adult, "UA", "UA", Labour, [Y, N, N]), 7),
    ];
    let mut suspects = Vec::new();
    for (i, (date, kind, sex, cit, form, organised)) in [
        (day(2025, 4, 1), PersonType::Natural, Some(Sex::F), "PT", Sexual, Y),
        (day(2025, 6, 1), PersonType::Natural, Some(Sex::M), "RO", Labour, N),
        (day(2025, 8, 1), PersonType::Legal, None, "PT", Labour, Y),
        (day(2024, 8, 1), PersonType::Natural, Some(Sex::M), "PT", Labour, Y),
    ]
    .into_iter()
    .enumerate()
    {
        let mut s = t.suspect.clone();
        s.record_ref = model::RecordRef::new(&format!("S{i}")).unwrap();
        s.first_contact_date = date;
        s.offender = offender(kind, sex, cit, form);
        s.organised_crime = organised;
        suspects.push(s);
    }
    let mut prosecutions = Vec::new();
    for (i, (start, kind, sex, cit, form, fin)) in [
        (day(2025, 3, 1), PersonType::Natural, Some(Sex::M), "BR", Labour, Some(day(2025, 10, 1))),
        (day(2024, 5, 1), PersonType::Natural, Some(Sex::F), "PT", Sexual, Some(day(2025, 2, 1))),
        (day(2025, 6, 1), PersonType::Legal, None, "PT", Labour, None),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = t.prosecution.clone();
        p.record_ref = model::RecordRef::new(&format!("P{i}")).unwrap();
        p.initiated_date = start;
        p.offender = offender(kind, sex, cit, form);
        p.status = if fin.is_some() { ProsecutionStatus::Finalised } else { ProsecutionStatus::Ongoing };
        p.finalised_date = fin;
        prosecutions.push(p);
    }
    let mut decisions = Vec::new();
    for (i, (kind, sex, form, dtype, thb, instance)) in [
        (
            PersonType::Natural,
            Some(Sex::M),
            Labour,
            CourtDecisionType::Conviction,
            true,
            DecisionInstance::First,
        ),
        (
            PersonType::Natural,
            Some(Sex::M),
            Labour,
            CourtDecisionType::Conviction,
            true,
            DecisionInstance::Appeal,
        ),
        (
            PersonType::Natural,
            Some(Sex::F),
            Sexual,
            CourtDecisionType::Acquittal,
            false,
            DecisionInstance::First,
        ),
        (
            PersonType::Natural,
            Some(Sex::F),
            Sexual,
            CourtDecisionType::Conviction,
            false,
            DecisionInstance::First,
        ),
        (PersonType::Legal, None, Sexual, CourtDecisionType::Conviction, true, DecisionInstance::First),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = t.decision.clone();
        d.record_ref = model::RecordRef::new(&format!("D{i}")).unwrap();
        d.decision_date = day(2025, 5, 1 + i as u32);
        d.offender = offender(kind, sex, "PT", form);
        d.decision_type = dtype;
        d.convicted_of_thb = thb;
        d.instance = instance;
        decisions.push(d);
    }
    let mut b = EngineBuilder::new(Codelists::embedded(), "PT", &t.providers, [1; 16]);
    for (v, p) in &victims {
        b.victim(VictimInput { record: v, person: *p });
    }
    suspects.iter().for_each(|s| b.suspect(s));
    prosecutions.iter().for_each(|p| b.prosecution(p));
    decisions.iter().for_each(|d| b.court_decision(d));
    b.build()
}

/// Non-zero cells of a section as `codes… → count`, codes joined with `/`.
fn cells(report: &reports::Report, id: &str) -> BTreeMap<String, u64> {
    let s = report.sections.iter().find(|s| s.id == id).unwrap();
    let t = s.table.as_ref().unwrap();
    let mut out = BTreeMap::new();
    for (i, c) in t.cells.iter().enumerate() {
        if c.count == 0 {
            continue;
        }
        let coords = t.coords(i);
        let key: Vec<&str> = coords.iter().zip(&t.axes).map(|(c, a)| a.codes[*c].as_str()).collect();
        out.insert(if key.is_empty() { TOTAL.to_string() } else { key.join("/") }, c.count);
    }
    out
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn every_key_indicator_matches_the_hand_computed_values() {
    let engine = engine();
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let spec = ReportSpec::new(ReportKind::KeyIndicators, Some("2025"));
    let r = reports::run(&engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap();
    assert_eq!(r.sections.len(), 21);
    const T: &str = TOTAL;
    let t2 = |a: &str, b: &str| format!("{a}/{b}");
    // Persons in 2025: P1, P2, P5, P6.
    assert_eq!(
        cells(&r, "V1_01"),
        expect(&[("POLICE", 2), ("NGO", 2), ("LABOUR_INSP", 1), (T, 4)]),
        "P1 counts under police and NGO; P7's 2025 police registration does not count (first registered in 2024)"
    );
    assert_eq!(cells(&r, "V1_02"), expect(&[("Y_LT18", 1), ("Y_GE18", 2), ("UNK", 1), (T, 4)]));
    assert_eq!(cells(&r, "V1_03"), expect(&[("F", 1), ("M", 2), ("UNK", 1), (T, 4)]));
    let v104 = cells(&r, "V1_04");
    assert_eq!(v104[&t2("F", "Y_LT18")], 1);
    assert_eq!(v104[&t2("M", "Y_GE18")], 2);
    assert_eq!(v104[&t2("UNK", "UNK")], 1);
    assert_eq!(v104[&t2(T, T)], 4);
    assert_eq!(
        cells(&r, "V1_05"),
        expect(&[("ICCS02041", 1), ("ICCS02042", 2), ("ICCS02043_02044", 1), (T, 4)])
    );
    let v106 = cells(&r, "V1_06");
    assert_eq!(v106[&t2("M", "ICCS02042")], 2);
    assert_eq!(v106[&t2("UNK", "ICCS02043_02044")], 1);
    let v107 = cells(&r, "V1_07");
    assert_eq!(v107[&t2("F", "NAT")], 1);
    assert_eq!(v107[&t2("M", "EU27_2020_FOR")], 1);
    assert_eq!(v107[&t2("M", "NEU27_2020_FOR")], 1);
    assert_eq!(v107[&t2("UNK", "UNK")], 1);
    let v108 = cells(&r, "V1_08");
    assert_eq!(v108[&t2("F", "PT")], 1);
    assert_eq!(v108[&t2("M", "RO")], 1);
    assert_eq!(v108[&t2("M", "BR")], 1);
    assert_eq!(cells(&r, "V1_09"), expect(&[("F", 1), ("M", 1), (T, 2)]), "P1 (lead registration) and P2");
    assert_eq!(cells(&r, "V1_10"), expect(&[("M", 1), (T, 1)]));
    assert_eq!(cells(&r, "V1_11"), expect(&[("M", 1), (T, 1)]));
    // Suspects: natural persons by sex; organised crime includes the legal person.
    assert_eq!(cells(&r, "S2_01"), expect(&[("F", 1), ("M", 1), (T, 2)]));
    assert_eq!(cells(&r, "S2_02"), expect(&[(T, 2)]));
    assert_eq!(cells(&r, "S2_03"), expect(&[("ICCS02041", 1), ("ICCS02042", 2), (T, 3)]));
    let s204 = cells(&r, "S2_04");
    assert_eq!(s204[&t2("F", "NAT")], 1);
    assert_eq!(s204[&t2("M", "EU27_2020_FOR")], 1);
    assert_eq!(s204[&t2(T, T)], 2);
    // Prosecutions: initiated in 2025 (P3_01–03), finalised in 2025 (P3_04).
    assert_eq!(cells(&r, "P3_01"), expect(&[("M", 1), (T, 1)]));
    let p302 = cells(&r, "P3_02");
    assert_eq!(p302[&t2("M", "NEU27_2020_FOR")], 1);
    assert_eq!(cells(&r, "P3_03"), expect(&[("ICCS02042", 2), (T, 2)]));
    assert_eq!(cells(&r, "P3_04"), expect(&[(T, 2)]));
    // Convictions of trafficking at first instance.
    assert_eq!(cells(&r, "C4_01"), expect(&[("M", 1), (T, 1)]));
    assert_eq!(cells(&r, "C4_02"), expect(&[("ICCS02041", 1), ("ICCS02042", 1), (T, 2)]));
    // Quarterly: P1 counts in Q1 2025, nobody of P7 (first registered in 2024).
    let spec = ReportSpec::new(ReportKind::KeyIndicators, Some("2025-Q1"));
    let q1 =
        reports::run(&engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap();
    assert_eq!(cells(&q1, "V1_03"), expect(&[("F", 1), (T, 1)]));
    let spec = ReportSpec::new(ReportKind::KeyIndicators, Some("2024"));
    let y24 =
        reports::run(&engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap();
    assert_eq!(cells(&y24, "V1_03"), expect(&[("F", 1), ("M", 1), (T, 2)]), "P4 and P7");
}
