//! Record rules: valid records pass; each broken rule is reported with record, field and rule.

use model::codes::*;
use model::text::parse_and_validate;
use model::*;

use crate::support::*;

fn rule_codes(e: &ValidationError) -> Vec<(&'static str, &'static str)> {
    e.violations.iter().map(|v| (v.field, v.rule.code())).collect()
}

#[test]
fn valid_records_pass() {
    validate::victim(victim(), &ctx()).expect("victim");
    validate::suspect(suspect(), &ctx()).expect("suspect");
    validate::prosecution(prosecution(), &ctx()).expect("prosecution");
    validate::court_decision(court_decision(), &ctx()).expect("court decision");
}

#[test]
fn wrong_code_is_rejected_naming_field_and_list() {
    let mut vals = values(&victim());
    set(&mut vals, VictimRegistration::COLUMNS, "sex", "Masculino");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let err = parse_and_validate::<VictimRegistration>(&refs, 7, lists(), &ctx()).expect_err("wrong code");
    assert_eq!(rule_codes(&err), [("sex", "code.not_in_codelist")]);
    let text = err.to_string();
    assert!(
        text.contains("`V-2025-000001`") && text.contains("row 7") && text.contains("field `sex`"),
        "{text}"
    );
    assert!(text.contains("codelist `sex`"), "{text}");
    assert!(!text.contains("Masculino"), "the value must never be echoed: {text}");
}

#[test]
fn age_130_is_rejected() {
    let mut vals = values(&victim());
    set(&mut vals, VictimRegistration::COLUMNS, "age_at_registration", "130");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let err = parse_and_validate::<VictimRegistration>(&refs, 1, lists(), &ctx()).expect_err("age");
    assert_eq!(rule_codes(&err), [("age_at_registration", "age.range")]);

    let mut v = victim();
    v.age_at_registration = Some(130);
    let err = validate::victim(v, &ctx()).expect_err("age");
    assert_eq!(rule_codes(&err), [("age_at_registration", "age.range")]);
}

#[test]
fn age_group_must_match_age() {
    let mut v = victim();
    v.age_at_registration = Some(15);
    let err = validate::victim(v, &ctx()).expect_err("mismatch");
    assert_eq!(rule_codes(&err), [("age_group", "age.group_mismatch")]);
}

#[test]
fn confirmed_without_authority_is_rejected() {
    let mut v = victim();
    v.identifying_authority_type = None;
    let err = validate::victim(v, &ctx()).expect_err("authority");
    assert_eq!(rule_codes(&err), [("identifying_authority_type", "status.confirmed_needs_authority")]);
    assert_eq!(err.record_type, RecordType::Victim);
    assert_eq!(err.record_ref.as_ref().map(RecordRef::as_str), Some("V-2025-000001"));
}

#[test]
fn main_exploitation_outside_the_forms_is_rejected() {
    let mut v = victim();
    v.exploitation.main = ExploitationForm::Sexual;
    let err = validate::victim(v, &ctx()).expect_err("main");
    assert_eq!(rule_codes(&err), [("main_exploitation", "exploitation.main_not_in_forms")]);
}

#[test]
fn several_violations_are_all_reported() {
    let mut v = victim();
    v.identifying_authority_type = None;
    v.status_date = d(2025, 1, 1);
    v.exploitation.forms.insert(ExploitationForm::Unknown);
    v.labour_sector = None;
    v.country_role = CountryRole::Origin;
    let err = validate::victim(v, &ctx()).expect_err("many");
    let codes = rule_codes(&err);
    for expected in [
        ("status_date", "date.status_before_registration"),
        ("identifying_authority_type", "status.confirmed_needs_authority"),
        ("forms_of_exploitation", "exploitation.unknown_with_known"),
        ("country_role", "country_role.origin"),
    ] {
        assert!(codes.contains(&expected), "{expected:?} missing in {codes:?}");
    }
}

#[test]
fn explicit_unknown_differs_from_absent() {
    let mut vals = values(&victim());
    set(&mut vals, VictimRegistration::COLUMNS, "country_of_recruitment", "UNK");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let v = VictimRegistration::parse(&refs, lists()).expect("UNK recruitment");
    assert_eq!(v.country_of_recruitment, Some(Known::Unknown));
    set(&mut vals, VictimRegistration::COLUMNS, "country_of_recruitment", "");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let v = VictimRegistration::parse(&refs, lists()).expect("absent recruitment");
    assert_eq!(v.country_of_recruitment, None);
    set(&mut vals, VictimRegistration::COLUMNS, "country_of_exploitation", "");
    let refs: Vec<&str> = vals.iter().map(String::as_str).collect();
    let err = VictimRegistration::parse(&refs, lists()).expect_err("required");
    assert_eq!(err, [Violation { field: "country_of_exploitation", rule: Rule::Required }]);
}

#[test]
fn geography_rules() {
    let mut v = victim();
    v.place_of_exploitation_nuts = model::Code::parse("ES511", lists());
    let err = validate::victim(v, &ctx()).expect_err("nuts");
    assert_eq!(rule_codes(&err), [("place_of_exploitation_nuts", "nuts.outside_country")]);

    let mut v = victim();
    v.country_of_exploitation = Known::Known(country("ES"));
    v.place_of_exploitation_nuts = None;
    let err = validate::victim(v, &ctx()).expect_err("destination");
    assert_eq!(rule_codes(&err), [("country_role", "country_role.destination")]);
}

#[test]
fn aggregate_codes_are_refused_on_records() {
    let mut v = victim();
    v.sex = Sex::Total;
    let err = validate::victim(v, &ctx()).expect_err("total");
    assert_eq!(rule_codes(&err), [("sex", "code.aggregate_only")]);
}

#[test]
fn dates_after_extraction_are_refused() {
    let mut v = victim();
    v.registration_date = d(2026, 6, 1);
    v.status_date = d(2026, 6, 1);
    let err = validate::victim(v, &ctx()).expect_err("future");
    assert!(rule_codes(&err).contains(&("registration_date", "date.future")));
}

#[test]
fn provider_register_rules() {
    let register = provider_register();
    let ctx = Context { providers: Some(&register), ..ctx() };
    validate::victim(victim(), &ctx).expect("registered provider");
    let err = validate::prosecution(prosecution(), &ctx).expect_err("unknown provider");
    assert_eq!(rule_codes(&err), [("provider_id", "provider.unknown")]);
    let mut s = suspect();
    s.first_contact_date = d(2005, 1, 1);
    let err = validate::suspect(s, &ctx).expect_err("before valid_from");
    assert_eq!(rule_codes(&err), [("provider_id", "provider.not_valid_on_date")]);
}

#[test]
fn offender_rules() {
    let mut s = suspect();
    s.offender.sex = None;
    let err = validate::suspect(s, &ctx()).expect_err("sex");
    assert_eq!(rule_codes(&err), [("sex", "person.natural_needs_value")]);

    let mut s = suspect();
    s.offender.person_type = PersonType::Legal;
    let err = validate::suspect(s, &ctx()).expect_err("legal person");
    assert_eq!(
        rule_codes(&err),
        [("sex", "person.legal_has_value"), ("age_group", "person.legal_has_value")]
    );
}

#[test]
fn prosecution_rules() {
    let mut p = prosecution();
    p.outcome = None;
    let err = validate::prosecution(p, &ctx()).expect_err("outcome");
    assert_eq!(rule_codes(&err), [("outcome", "prosecution.finalised_incomplete")]);

    let mut p = prosecution();
    p.status = ProsecutionStatus::Ongoing;
    let err = validate::prosecution(p, &ctx()).expect_err("ongoing");
    assert_eq!(
        rule_codes(&err),
        [
            ("finalised_date", "prosecution.ongoing_with_outcome"),
            ("outcome", "prosecution.ongoing_with_outcome")
        ]
    );

    let mut p = prosecution();
    p.finalised_date = Some(d(2025, 1, 1));
    let err = validate::prosecution(p, &ctx()).expect_err("before");
    assert_eq!(rule_codes(&err), [("finalised_date", "prosecution.finalised_before_initiated")]);
}

#[test]
fn court_decision_rules() {
    let mut c = court_decision();
    c.decision_type = CourtDecisionType::Acquittal;
    let err = validate::court_decision(c, &ctx()).expect_err("acquittal");
    assert_eq!(
        rule_codes(&err),
        [
            ("convicted_of_thb", "decision.thb_needs_conviction"),
            ("sentence_type", "decision.sentence_needs_conviction")
        ]
    );
    let mut c = court_decision();
    c.sentence_type = Some(SentenceType::Fine);
    let err = validate::court_decision(c, &ctx()).expect_err("months");
    assert_eq!(rule_codes(&err), [("sentence_months", "decision.months_need_prison")]);
}
