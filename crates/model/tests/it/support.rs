//! Shared builders: a valid record of each type, to be broken one field at a time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeZone, Utc};
use model::code::{Country, Nuts, PtDistrict};
use model::codes::*;
use model::*;

pub(crate) fn lists() -> &'static Codelists {
    Codelists::embedded()
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

pub(crate) fn country(c: &str) -> Code<Country> {
    Code::parse(c, lists()).expect("test country exists")
}

pub(crate) fn ctx() -> Context<'static> {
    Context { reporting_country: country("PT"), as_of: d(2026, 1, 1), providers: None }
}

pub(crate) fn provider_register() -> BTreeMap<ProviderId, DataProvider> {
    let p = DataProvider {
        id: ProviderId::new("PT-PJ").expect("id"),
        name: "Polícia Judiciária".into(),
        provider_type: ProviderType::Police,
        country: country("PT"),
        nuts: None,
        can_formally_identify: true,
        submits: [RecordType::Victim, RecordType::Suspect].into_iter().collect(),
        valid_from: d(2010, 1, 1),
        valid_to: None,
    };
    [(p.id.clone(), p)].into_iter().collect()
}

pub(crate) fn offender() -> Offender {
    Offender {
        person_type: PersonType::Natural,
        sex: Some(Sex::M),
        age_group: Some(AgeGroup::Adult),
        citizenship: vec![Citizenship::Country(country("RO"))],
        exploitation: Exploitation {
            forms: [ExploitationForm::Labour].into_iter().collect(),
            main: ExploitationForm::Labour,
        },
    }
}

pub(crate) fn victim() -> VictimRegistration {
    VictimRegistration {
        record_ref: RecordRef::new("V-2025-000001").expect("ref"),
        provider_id: ProviderId::new("PT-PJ").expect("id"),
        registration_date: d(2025, 3, 10),
        status: VictimStatus::Confirmed,
        status_date: d(2025, 5, 2),
        identifying_authority_type: Some(ProviderType::Police),
        linked_record_refs: BTreeSet::new(),
        sex: Sex::M,
        gender: None,
        age_at_registration: Some(34),
        age_group: AgeGroup::Adult,
        minor_at_exploitation: Some(YesNoUnknown::No),
        citizenship: vec![Citizenship::Country(country("NP")), Citizenship::Country(country("IN"))],
        country_of_recruitment: Some(Known::Known(country("NP"))),
        country_of_exploitation: Known::Known(country("PT")),
        place_of_exploitation_nuts: Code::<Nuts>::parse("PT1C2", lists()),
        place_of_detection_nuts: Code::<Nuts>::parse("PT1C2", lists()),
        district: Code::<PtDistrict>::parse("PT-02", lists()),
        country_role: CountryRole::Destination,
        exploitation: Exploitation {
            forms: [ExploitationForm::Labour, ExploitationForm::Servitude].into_iter().collect(),
            main: ExploitationForm::Labour,
        },
        exploitation_national_code: None,
        labour_sector: Code::parse("A", lists()),
        sexual_exploitation_type: BTreeSet::new(),
        means_of_control: ["DebtBondage", "WithholdsDocuments"]
            .iter()
            .map(|c| Code::parse(c, lists()).expect("code"))
            .collect(),
        recruitment_method: BTreeSet::new(),
        recruiter_relation: None,
        trafficking_duration: Code::parse("0--12", lists()),
        assistance_received: YesNoUnknown::Yes,
        support_types: BTreeSet::new(),
        reflection_period_granted: YesNoUnknown::Yes,
        residence_permit_granted: YesNoUnknown::Unknown,
        case_refs: [CaseRef::new("NUIPC-123/25").expect("case")].into_iter().collect(),
        record_version: 2,
        updated_at: Utc.with_ymd_and_hms(2025, 5, 2, 9, 30, 0).single().expect("time"),
        linkage_key_id: None,
        linkage_keys: BTreeSet::new(),
    }
}

pub(crate) fn suspect() -> Suspect {
    Suspect {
        record_ref: RecordRef::new("S-1").expect("ref"),
        provider_id: ProviderId::new("PT-PJ").expect("id"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        first_contact_date: d(2025, 4, 1),
        offender: offender(),
        organised_crime: YesNoUnknown::Yes,
        role_in_process: BTreeSet::new(),
        offence_code: NationalCode::new("PT-CP-160").expect("code"),
        place_nuts: Code::parse("PT1C2", lists()),
        victim_record_refs: [RecordRef::new("V-2025-000001").expect("ref")].into_iter().collect(),
        record_version: 1,
        updated_at: Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).single().expect("time"),
    }
}

pub(crate) fn prosecution() -> Prosecution {
    Prosecution {
        record_ref: RecordRef::new("P-1").expect("ref"),
        provider_id: ProviderId::new("PT-MP").expect("id"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        suspect_record_ref: RecordRef::new("S-1"),
        initiated_date: d(2025, 6, 1),
        offender: offender(),
        offence_code: NationalCode::new("PT-CP-160").expect("code"),
        status: ProsecutionStatus::Finalised,
        finalised_date: Some(d(2025, 11, 30)),
        outcome: Some(ProsecutionOutcome::Conviction),
        record_version: 1,
        updated_at: Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).single().expect("time"),
    }
}

pub(crate) fn court_decision() -> CourtDecision {
    CourtDecision {
        record_ref: RecordRef::new("C-1").expect("ref"),
        provider_id: ProviderId::new("PT-DGPJ").expect("id"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        prosecution_record_ref: RecordRef::new("P-1"),
        decision_date: d(2025, 11, 30),
        instance: DecisionInstance::First,
        decision_type: CourtDecisionType::Conviction,
        convicted_of_thb: true,
        offender: offender(),
        sentence_type: Some(SentenceType::Prison),
        sentence_months: Some(60),
        record_version: 1,
        updated_at: Utc.with_ymd_and_hms(2025, 12, 1, 0, 0, 0).single().expect("time"),
    }
}

/// The canonical text values of a record, owned.
pub(crate) fn values<R: ModelRecord>(r: &R) -> Vec<String> {
    let mut out = Vec::new();
    r.write(&mut |s| out.push(s.to_owned()));
    out
}

/// Replaces one column's value by name.
pub(crate) fn set(values: &mut [String], columns: &[&str], column: &str, value: &str) {
    let i = columns.iter().position(|c| *c == column).expect("column exists");
    values[i] = value.to_owned();
}
