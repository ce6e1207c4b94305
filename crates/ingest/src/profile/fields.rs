//! What each canonical column of the four record types holds, as far as mapping is concerned:
//! its kind (identifier, date, code of which list, set, citizenship …) and whether the model
//! requires it. The names are those of [`model::ModelRecord::COLUMNS`].

use chrono::{DateTime, NaiveDate};
use model::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionOutcome, ProsecutionStatus, ProviderType, RecordType, SentenceType, Sex, VictimStatus,
    YesNoUnknown,
};
use model::{
    CaseRef, Codelists, CourtDecision, LinkageKey, ModelCode, ModelRecord, NationalCode, Prosecution,
    ProviderId, RecordRef, Suspect, VictimRegistration,
};

/// Syntax of an opaque identifier column.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum IdentKind {
    Record,
    Case,
    Provider,
    National,
    LinkageKey,
}

impl IdentKind {
    fn valid(self, s: &str) -> bool {
        match self {
            IdentKind::Record => RecordRef::new(s).is_some(),
            IdentKind::Case => CaseRef::new(s).is_some(),
            IdentKind::Provider => ProviderId::new(s).is_some(),
            IdentKind::National => NationalCode::new(s).is_some(),
            IdentKind::LinkageKey => LinkageKey::parse(s).is_some(),
        }
    }
}

/// What a canonical column holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// One opaque identifier (free text restricted to identifier syntax).
    Ident(IdentKind),
    /// A set of opaque identifiers.
    IdentSet(IdentKind),
    /// A date (`YYYY-MM-DD`).
    Date,
    /// An RFC 3339 UTC timestamp.
    Timestamp,
    /// A whole number.
    Number,
    /// An age in years.
    Age,
    /// `true` / `false`.
    Bool,
    /// One code of the named codelist.
    Code(&'static str),
    /// A set of codes of the named codelist.
    CodeSet(&'static str),
    /// Ordered citizenships: country codes, `STLS`, `UNK`.
    Citizenship,
    /// A country code or `UNK`.
    KnownCountry,
}

impl Kind {
    /// Holds several values (`|`-joined in the canonical form).
    pub(crate) fn is_multi(self) -> bool {
        matches!(self, Kind::IdentSet(_) | Kind::CodeSet(_) | Kind::Citizenship)
    }

    /// Holds codes (value maps, crosswalks, flags and coverage counts apply).
    pub(crate) fn is_coded(self) -> bool {
        matches!(self, Kind::Bool | Kind::Code(_) | Kind::CodeSet(_) | Kind::Citizenship | Kind::KnownCountry)
    }

    /// Holds countries (`country = true` applies).
    pub(crate) fn is_country(self) -> bool {
        matches!(self, Kind::Citizenship | Kind::KnownCountry)
    }

    /// Holds a date or a timestamp (date formats apply).
    pub(crate) fn is_temporal(self) -> bool {
        matches!(self, Kind::Date | Kind::Timestamp)
    }

    /// The codelist whose codes are valid values (for coded kinds).
    pub(crate) fn list(self) -> Option<&'static str> {
        match self {
            Kind::Code(l) | Kind::CodeSet(l) => Some(l),
            Kind::Citizenship | Kind::KnownCountry => Some("country"),
            _ => None,
        }
    }

    /// Short description for error messages.
    pub(crate) fn describe(self) -> String {
        match self {
            Kind::Ident(_) => "an opaque identifier (letters, digits and _ . : / -)".into(),
            Kind::IdentSet(_) => "`|`-joined opaque identifiers".into(),
            Kind::Date => "a date YYYY-MM-DD".into(),
            Kind::Timestamp => "an RFC 3339 timestamp".into(),
            Kind::Number | Kind::Age => "a whole number".into(),
            Kind::Bool => "`true` or `false`".into(),
            Kind::Code(l) => format!("a code of codelist `{l}`"),
            Kind::CodeSet(l) => format!("`|`-joined codes of codelist `{l}`"),
            Kind::Citizenship => "`|`-joined country codes, `STLS` or `UNK`".into(),
            Kind::KnownCountry => "a country code or `UNK`".into(),
        }
    }

    /// Whether `one` is a valid single value of this kind (one part of a multi-valued field).
    pub(crate) fn valid_one(self, one: &str, lists: &Codelists) -> bool {
        match self {
            Kind::Ident(k) | Kind::IdentSet(k) => k.valid(one),
            Kind::Date => one.len() == 10 && NaiveDate::parse_from_str(one, "%Y-%m-%d").is_ok(),
            Kind::Timestamp => DateTime::parse_from_rfc3339(one).is_ok(),
            Kind::Number | Kind::Age => {
                !one.is_empty() && one.len() <= 10 && one.bytes().all(|b| b.is_ascii_digit())
            }
            Kind::Bool => one == "true" || one == "false",
            Kind::Code(list) | Kind::CodeSet(list) => code_ok(list, one, lists),
            Kind::Citizenship => one == "UNK" || one == "STLS" || code_ok("country", one, lists),
            Kind::KnownCountry => one == "UNK" || code_ok("country", one, lists),
        }
    }

    /// Whether `value` (possibly `|`-joined for multi-valued kinds) is valid.
    pub(crate) fn valid(self, value: &str, lists: &Codelists) -> bool {
        if self.is_multi() {
            !value.is_empty() && value.split('|').all(|p| self.valid_one(p, lists))
        } else {
            self.valid_one(value, lists)
        }
    }
}

/// Whether `code` is a code of `list` usable on a record. The model's own lists are checked
/// against their enums (aggregate-only codes `T` and `TOTAL` are refused); the others against
/// the bundle.
pub(crate) fn code_ok(list: &str, code: &str, lists: &Codelists) -> bool {
    match model_code_ok(list, code) {
        Some(ok) => ok,
        None => lists.get(list).is_some_and(|l| l.contains(code)),
    }
}

fn model_code_ok(list: &str, code: &str) -> Option<bool> {
    Some(match list {
        "sex" => Sex::from_code(code).is_some_and(|s| s != Sex::Total),
        "age_group" => AgeGroup::from_code(code).is_some_and(|a| a != AgeGroup::Total),
        "victim_status" => VictimStatus::from_code(code).is_some(),
        "provider_type" => ProviderType::from_code(code).is_some(),
        "yes_no_unknown" => YesNoUnknown::from_code(code).is_some(),
        "country_role" => CountryRole::from_code(code).is_some(),
        "exploitation_form" => ExploitationForm::from_code(code).is_some(),
        "person_type" => PersonType::from_code(code).is_some(),
        "prosecution_status" => ProsecutionStatus::from_code(code).is_some(),
        "prosecution_outcome" => ProsecutionOutcome::from_code(code).is_some(),
        "court_decision_type" => CourtDecisionType::from_code(code).is_some(),
        "decision_instance" => DecisionInstance::from_code(code).is_some(),
        "sentence_type" => SentenceType::from_code(code).is_some(),
        _ => return None,
    })
}

/// The canonical columns of a record type.
pub(crate) fn columns(rt: RecordType) -> &'static [&'static str] {
    match rt {
        RecordType::Victim => VictimRegistration::COLUMNS,
        RecordType::Suspect => Suspect::COLUMNS,
        RecordType::Prosecution => Prosecution::COLUMNS,
        RecordType::CourtDecision => CourtDecision::COLUMNS,
    }
}

/// Kind of a canonical column of `rt`, and whether the model requires it on every record.
/// Sex and age group of offender-side records are required only for natural persons, so a
/// profile need not produce them.
pub(crate) fn kind(rt: RecordType, name: &str) -> Option<(Kind, bool)> {
    use IdentKind as I;
    let victim = rt == RecordType::Victim;
    Some(match name {
        "record_ref" => (Kind::Ident(I::Record), true),
        "provider_id" => (Kind::Ident(I::Provider), true),
        "case_ref" => (Kind::Ident(I::Case), true),
        "suspect_record_ref" | "prosecution_record_ref" => (Kind::Ident(I::Record), false),
        "linked_record_refs" | "victim_record_refs" => (Kind::IdentSet(I::Record), false),
        "case_refs" => (Kind::IdentSet(I::Case), false),
        "exploitation_national_code" | "linkage_key_id" => (Kind::Ident(I::National), false),
        "offence_code" => (Kind::Ident(I::National), true),
        "linkage_keys" => (Kind::IdentSet(I::LinkageKey), false),
        "registration_date" | "status_date" | "first_contact_date" | "initiated_date" | "decision_date" => {
            (Kind::Date, true)
        }
        "finalised_date" => (Kind::Date, false),
        "updated_at" => (Kind::Timestamp, true),
        "record_version" => (Kind::Number, true),
        "sentence_months" => (Kind::Number, false),
        "age_at_registration" => (Kind::Age, false),
        "convicted_of_thb" => (Kind::Bool, true),
        "status" => (Kind::Code(if victim { "victim_status" } else { "prosecution_status" }), true),
        "identifying_authority_type" => (Kind::Code("provider_type"), false),
        "sex" => (Kind::Code("sex"), victim),
        "gender" => (Kind::Code("gender_htcds"), false),
        "age_group" => (Kind::Code("age_group"), victim),
        "minor_at_exploitation" => (Kind::Code("yes_no_unknown"), false),
        "citizenship" => (Kind::Citizenship, true),
        "country_of_recruitment" => (Kind::KnownCountry, false),
        "country_of_exploitation" => (Kind::KnownCountry, true),
        "place_of_exploitation_nuts" | "place_of_detection_nuts" | "place_nuts" => {
            (Kind::Code("nuts"), false)
        }
        "district" => (Kind::Code("pt_district"), false),
        "country_role" => (Kind::Code("country_role"), true),
        "forms_of_exploitation" => (Kind::CodeSet("exploitation_form"), true),
        "main_exploitation" => (Kind::Code("exploitation_form"), true),
        "labour_sector" => (Kind::Code("labour_sector"), false),
        "sexual_exploitation_type" => (Kind::CodeSet("sexual_exploitation_type"), false),
        "means_of_control" => (Kind::CodeSet("means_of_control"), false),
        "recruitment_method" => (Kind::CodeSet("recruitment_method"), false),
        "recruiter_relation" => (Kind::Code("recruiter_relation"), false),
        "trafficking_duration" => (Kind::Code("trafficking_duration_ctdc"), false),
        "support_types" => (Kind::CodeSet("support_type_htcds"), false),
        "assistance_received"
        | "reflection_period_granted"
        | "residence_permit_granted"
        | "organised_crime" => (Kind::Code("yes_no_unknown"), true),
        "person_type" => (Kind::Code("person_type"), true),
        "role_in_process" => (Kind::CodeSet("trafficker_role"), false),
        "outcome" => (Kind::Code("prosecution_outcome"), false),
        "instance" => (Kind::Code("decision_instance"), true),
        "decision_type" => (Kind::Code("court_decision_type"), true),
        "sentence_type" => (Kind::Code("sentence_type"), false),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_canonical_column_has_a_kind() {
        for rt in RecordType::ALL {
            for c in columns(*rt) {
                assert!(kind(*rt, c).is_some(), "{rt:?} {c}");
            }
            assert!(columns(*rt).len() <= 64, "issue bit masks hold 64 fields");
        }
    }

    #[test]
    fn model_lists_agree_with_the_bundle() {
        let lists = Codelists::embedded();
        for rt in RecordType::ALL {
            for c in columns(*rt) {
                if let Some((k, _)) = kind(*rt, c)
                    && let Some(list) = k.list()
                {
                    assert!(lists.get(list).is_some(), "{list}");
                }
            }
        }
    }
}
