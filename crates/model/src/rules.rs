//! Validation rules and the errors that name them.
//!
//! Every problem is a [`Violation`]: a field (the model's column name) and a [`Rule`]. Messages
//! describe the rule and never repeat the offending value, because a wrongly mapped column may
//! carry personal data. A [`ValidationError`] adds which record (type, row, opaque reference).

use std::fmt;

use crate::codes::RecordType;
use crate::ids::RecordRef;

/// A rule of the common model. `code()` is the stable identifier used in reports.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Rule {
    /// A required field is empty.
    Required,
    /// The value is not a code of the named codelist.
    NotInCodelist(&'static str),
    /// The code exists but only for aggregates (`T`, `TOTAL`).
    AggregateOnlyCode(&'static str),
    /// Not a `YYYY-MM-DD` date.
    InvalidDate,
    /// Not an RFC 3339 timestamp.
    InvalidTimestamp,
    /// Not a non-negative integer.
    InvalidInteger,
    /// Not `true` or `false`.
    InvalidBool,
    /// Not a valid opaque reference / identifier.
    InvalidIdentifier,
    /// The same value twice in a multi-valued field.
    DuplicateValue,
    /// More values than a multi-valued field allows.
    TooManyValues,
    /// Age outside 0–120.
    AgeOutOfRange,
    /// Age group does not match the age.
    AgeGroupMismatch,
    /// CONFIRMED without an identifying authority.
    ConfirmedWithoutAuthority,
    /// No form of exploitation.
    NoForm,
    /// Main form not among the forms.
    MainFormNotInForms,
    /// `UNK` together with known forms.
    UnknownFormWithKnown,
    /// `UNK` or `STLS` together with other citizenships.
    UnknownCitizenshipWithOthers,
    /// Status changed before the registration.
    StatusBeforeRegistration,
    /// A date after the extraction date.
    DateInFuture,
    /// A date before 1 January 1990, outside any plausible reporting.
    DateTooEarly,
    /// DESTINATION while the country of exploitation is not the reporting country.
    DestinationNotReportingCountry,
    /// ORIGIN while the country of exploitation is the reporting country.
    OriginButExploitedAtHome,
    /// A NUTS region outside the country it should be in.
    NutsOutsideCountry,
    /// A district outside the reporting country's district list.
    DistrictNotInReportingCountry,
    /// A labour sector without a labour-like form.
    LabourSectorWithoutLabourForm,
    /// A sexual exploitation type without SEXUAL.
    SexualTypeWithoutSexualForm,
    /// A national exploitation code without OTHER.
    NationalCodeWithoutOtherForm,
    /// A record linked to itself.
    SelfLink,
    /// Record version 0.
    RecordVersionZero,
    /// Sex or age group missing for a natural person.
    RequiredForNaturalPerson,
    /// Sex or age group given for a legal person.
    NotForLegalPerson,
    /// FINALISED without its date or outcome.
    FinalisedIncomplete,
    /// ONGOING with a finalised date or outcome.
    OngoingWithOutcome,
    /// Finalised before initiated.
    FinalisedBeforeInitiated,
    /// Convicted of THB but the decision is not a conviction.
    ThbConvictionWithoutConviction,
    /// A sentence without a conviction.
    SentenceWithoutConviction,
    /// Sentence months without a prison sentence.
    MonthsWithoutPrison,
    /// Sentence months outside 1–1200.
    MonthsOutOfRange,
    /// Provider not registered at the hub.
    UnknownProvider,
    /// Provider not allowed to send this record type.
    RecordTypeNotAllowed,
    /// Provider not valid on the record's date.
    ProviderNotValidOnDate,
    /// Wrong number of columns in a row.
    ColumnCount,
    /// Not a linkage key (32 lowercase hex digits).
    InvalidLinkageKey,
    /// Linkage keys without the id of the key they were made with, or the reverse.
    LinkageKeyIdMismatch,
}

impl Rule {
    /// Stable rule identifier.
    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::NotInCodelist(_) => "code.not_in_codelist",
            Rule::AggregateOnlyCode(_) => "code.aggregate_only",
            Rule::InvalidDate => "format.date",
            Rule::InvalidTimestamp => "format.timestamp",
            Rule::InvalidInteger => "format.integer",
            Rule::InvalidBool => "format.bool",
            Rule::InvalidIdentifier => "format.identifier",
            Rule::DuplicateValue => "set.duplicate",
            Rule::TooManyValues => "set.too_many",
            Rule::AgeOutOfRange => "age.range",
            Rule::AgeGroupMismatch => "age.group_mismatch",
            Rule::ConfirmedWithoutAuthority => "status.confirmed_needs_authority",
            Rule::NoForm => "exploitation.none",
            Rule::MainFormNotInForms => "exploitation.main_not_in_forms",
            Rule::UnknownFormWithKnown => "exploitation.unknown_with_known",
            Rule::UnknownCitizenshipWithOthers => "citizenship.unknown_with_others",
            Rule::StatusBeforeRegistration => "date.status_before_registration",
            Rule::DateInFuture => "date.future",
            Rule::DateTooEarly => "date.too_early",
            Rule::DestinationNotReportingCountry => "country_role.destination",
            Rule::OriginButExploitedAtHome => "country_role.origin",
            Rule::NutsOutsideCountry => "nuts.outside_country",
            Rule::DistrictNotInReportingCountry => "district.reporting_country",
            Rule::LabourSectorWithoutLabourForm => "labour_sector.needs_labour_form",
            Rule::SexualTypeWithoutSexualForm => "sexual_type.needs_sexual_form",
            Rule::NationalCodeWithoutOtherForm => "national_code.needs_other_form",
            Rule::SelfLink => "link.self",
            Rule::RecordVersionZero => "record_version.zero",
            Rule::RequiredForNaturalPerson => "person.natural_needs_value",
            Rule::NotForLegalPerson => "person.legal_has_value",
            Rule::FinalisedIncomplete => "prosecution.finalised_incomplete",
            Rule::OngoingWithOutcome => "prosecution.ongoing_with_outcome",
            Rule::FinalisedBeforeInitiated => "prosecution.finalised_before_initiated",
            Rule::ThbConvictionWithoutConviction => "decision.thb_needs_conviction",
            Rule::SentenceWithoutConviction => "decision.sentence_needs_conviction",
            Rule::MonthsWithoutPrison => "decision.months_need_prison",
            Rule::MonthsOutOfRange => "decision.months_range",
            Rule::UnknownProvider => "provider.unknown",
            Rule::RecordTypeNotAllowed => "provider.record_type",
            Rule::ProviderNotValidOnDate => "provider.not_valid_on_date",
            Rule::ColumnCount => "row.column_count",
            Rule::InvalidLinkageKey => "format.linkage_key",
            Rule::LinkageKeyIdMismatch => "linkage.key_id",
        }
    }

    /// What the rule requires, in words (never the offending value).
    pub fn message(self) -> String {
        match self {
            Rule::Required => "a value is required".into(),
            Rule::NotInCodelist(list) => format!("the value is not a code of codelist `{list}`"),
            Rule::AggregateOnlyCode(list) => {
                format!("the code of codelist `{list}` is for aggregates only, not for records")
            }
            Rule::InvalidDate => "must be a date written YYYY-MM-DD".into(),
            Rule::InvalidTimestamp => "must be an RFC 3339 timestamp (YYYY-MM-DDTHH:MM:SSZ)".into(),
            Rule::InvalidInteger => "must be a whole number".into(),
            Rule::InvalidBool => "must be `true` or `false`".into(),
            Rule::InvalidIdentifier => {
                "must be an opaque reference: letters, digits and _ . : / - only, starting with a letter or digit"
                    .into()
            }
            Rule::DuplicateValue => "the same value appears twice".into(),
            Rule::TooManyValues => "too many values".into(),
            Rule::AgeOutOfRange => "age must be between 0 and 120".into(),
            Rule::AgeGroupMismatch => "age group must agree with age_at_registration (under 18 = Y_LT18)".into(),
            Rule::ConfirmedWithoutAuthority => "status CONFIRMED requires identifying_authority_type".into(),
            Rule::NoForm => "at least one form of exploitation is required (UNK when unknown)".into(),
            Rule::MainFormNotInForms => "main_exploitation must be one of forms_of_exploitation".into(),
            Rule::UnknownFormWithKnown => "UNK cannot be combined with known forms".into(),
            Rule::UnknownCitizenshipWithOthers => "UNK or STLS cannot be combined with other citizenships".into(),
            Rule::StatusBeforeRegistration => "status_date cannot be before registration_date".into(),
            Rule::DateInFuture => "the date is after the extraction date".into(),
            Rule::DateTooEarly => "the date is before 1990-01-01".into(),
            Rule::DestinationNotReportingCountry => {
                "country_role DESTINATION requires country_of_exploitation = the reporting country".into()
            }
            Rule::OriginButExploitedAtHome => {
                "country_role ORIGIN means exploitation abroad, but country_of_exploitation is the reporting country"
                    .into()
            }
            Rule::NutsOutsideCountry => "the NUTS region lies outside the country it must be in".into(),
            Rule::DistrictNotInReportingCountry => "districts are only for the reporting country PT".into(),
            Rule::LabourSectorWithoutLabourForm => {
                "labour_sector needs LABOUR, SERVITUDE or SLAVERY among the forms".into()
            }
            Rule::SexualTypeWithoutSexualForm => "sexual_exploitation_type needs SEXUAL among the forms".into(),
            Rule::NationalCodeWithoutOtherForm => "exploitation_national_code needs OTHER among the forms".into(),
            Rule::SelfLink => "a record cannot be linked to itself".into(),
            Rule::RecordVersionZero => "record_version starts at 1".into(),
            Rule::RequiredForNaturalPerson => "required when person_type is NAT_PERSON".into(),
            Rule::NotForLegalPerson => "must be empty when person_type is LEG_PERSON".into(),
            Rule::FinalisedIncomplete => "status FINALISED requires finalised_date and outcome".into(),
            Rule::OngoingWithOutcome => "status ONGOING cannot have finalised_date or outcome".into(),
            Rule::FinalisedBeforeInitiated => "finalised_date cannot be before initiated_date".into(),
            Rule::ThbConvictionWithoutConviction => "convicted_of_thb requires decision_type CONVICTION".into(),
            Rule::SentenceWithoutConviction => "a sentence requires decision_type CONVICTION".into(),
            Rule::MonthsWithoutPrison => "sentence_months requires sentence_type PRISON or PRISON_SUSP".into(),
            Rule::MonthsOutOfRange => "sentence_months must be between 1 and 1200".into(),
            Rule::UnknownProvider => "the provider is not registered at this hub".into(),
            Rule::RecordTypeNotAllowed => "the provider is not registered to send this record type".into(),
            Rule::ProviderNotValidOnDate => "the provider was not active on the record's reference date".into(),
            Rule::ColumnCount => "the row does not have the expected number of columns".into(),
            Rule::InvalidLinkageKey => "must be linkage keys of 32 lowercase hex digits".into(),
            Rule::LinkageKeyIdMismatch => "linkage_keys and linkage_key_id must be given together".into(),
        }
    }
}

/// One broken rule on one field.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Violation {
    /// The model field (column name).
    pub field: &'static str,
    /// The rule.
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: rule {}: {}", self.field, self.rule.code(), self.rule.message())
    }
}

/// All violations of one record.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub struct ValidationError {
    /// Record type.
    pub record_type: RecordType,
    /// 1-based data row in its file, when it came from one.
    pub row: Option<u64>,
    /// The record's opaque reference, when it could be read.
    pub record_ref: Option<RecordRef>,
    /// What is wrong (at least one).
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.record_type {
            RecordType::Victim => "victim registration",
            RecordType::Suspect => "suspect",
            RecordType::Prosecution => "prosecution",
            RecordType::CourtDecision => "court decision",
        };
        write!(f, "{kind}")?;
        if let Some(r) = &self.record_ref {
            write!(f, " `{r}`")?;
        }
        if let Some(row) = self.row {
            write!(f, " (row {row})")?;
        }
        for (i, v) in self.violations.iter().enumerate() {
            write!(f, "{}{v}", if i == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}
