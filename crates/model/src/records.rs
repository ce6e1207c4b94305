//! The entities of the common data model (domain.md §4): providers, submissions and the four
//! record types. Records hold only non-personal attributes: no names, birth dates, addresses or
//! document numbers exist anywhere in these types.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::code::{
    Code, Country, GenderHtcds, LabourSector, MeansOfControl, Nuts, PtDistrict, RecruiterRelation,
    RecruitmentMethod, SexualExploitationType, SupportType, TraffickerRole, TraffickingDuration,
};
use crate::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionOutcome, ProsecutionStatus, ProviderType, RecordType, SentenceType, Sex, SubmissionAction,
    VictimStatus, YesNoUnknown,
};
use crate::ids::{CaseRef, LinkageKey, NationalCode, ProviderId, RecordRef};
use crate::period::Period;

/// A required value that may be explicitly unknown (`UNK`), as opposed to an absent optional one.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Known<T> {
    /// A known value.
    Known(T),
    /// Explicitly unknown (`UNK`).
    Unknown,
}

impl<T> Known<T> {
    /// The value, if known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Known::Known(v) => Some(v),
            Known::Unknown => None,
        }
    }
}

impl<T: fmt::Display> fmt::Display for Known<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Known::Known(v) => v.fmt(f),
            Known::Unknown => f.write_str("UNK"),
        }
    }
}

/// One citizenship value: a country, stateless (`STLS`) or unknown (`UNK`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Citizenship {
    /// A country (Eurostat GEO code).
    Country(Code<Country>),
    /// Stateless person.
    Stateless,
    /// Unknown citizenship.
    Unknown,
}

impl fmt::Display for Citizenship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Citizenship::Country(c) => c.fmt(f),
            Citizenship::Stateless => f.write_str("STLS"),
            Citizenship::Unknown => f.write_str("UNK"),
        }
    }
}

/// Forms of exploitation with the one main form used by one-count-per-person tables.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Exploitation {
    /// All forms (at least one; `UNK` alone when unknown).
    pub forms: BTreeSet<ExploitationForm>,
    /// The main form; must be one of `forms`.
    pub main: ExploitationForm,
}

/// A data provider (registering organisation, source of information), domain.md §4.1.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DataProvider {
    /// Stable id, unique per country.
    pub id: ProviderId,
    /// Organisation name (an institution, never a person).
    pub name: String,
    /// Type of organisation.
    pub provider_type: ProviderType,
    /// Country (Eurostat GEO code).
    pub country: Code<Country>,
    /// Seat or area of competence.
    pub nuts: Option<Code<Nuts>>,
    /// Competent authority for formal identification of victims.
    pub can_formally_identify: bool,
    /// Record types it may send.
    pub submits: BTreeSet<RecordType>,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity, if it stopped reporting.
    pub valid_to: Option<NaiveDate>,
}

/// One provider's batch for one quarter, domain.md §4.2.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Submission {
    /// Submission id.
    pub id: uuid::Uuid,
    /// The provider.
    pub provider_id: ProviderId,
    /// The quarter covered.
    pub period: Period,
    /// Version of the common model the records follow.
    pub schema_version: String,
    /// Version of the codelist bundle the records were coded with.
    pub codelist_version: String,
    /// When it was received.
    pub submitted_at: DateTime<Utc>,
    /// SDMX-CSV action semantics.
    pub action: SubmissionAction,
    /// Number of records.
    pub record_count: u32,
    /// SHA-256 of the submitted content.
    pub sha256: [u8; 32],
}

/// A victim registration by one provider, domain.md §4.3.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VictimRegistration {
    /// Provider-scoped opaque id.
    pub record_ref: RecordRef,
    /// The registering provider (source of information, V1_01).
    pub provider_id: ProviderId,
    /// First registration by this provider; reference-period key.
    pub registration_date: NaiveDate,
    /// Current status.
    pub status: VictimStatus,
    /// Date of the last status change.
    pub status_date: NaiveDate,
    /// Who formally identified the victim (required when CONFIRMED).
    pub identifying_authority_type: Option<ProviderType>,
    /// The same person registered by another provider.
    pub linked_record_refs: BTreeSet<RecordRef>,
    /// Sex (`F`, `M`, `UNK`).
    pub sex: Sex,
    /// Optional self-identified gender.
    pub gender: Option<Code<GenderHtcds>>,
    /// Age in years at registration (0–120); never a birth date.
    pub age_at_registration: Option<u8>,
    /// Age group, consistent with the age when both are given.
    pub age_group: AgeGroup,
    /// Minor at the time of exploitation.
    pub minor_at_exploitation: Option<YesNoUnknown>,
    /// Citizenships, first = main (at least one value).
    pub citizenship: Vec<Citizenship>,
    /// Country of recruitment (V1_08).
    pub country_of_recruitment: Option<Known<Code<Country>>>,
    /// Country of exploitation.
    pub country_of_exploitation: Known<Code<Country>>,
    /// NUTS region of exploitation.
    pub place_of_exploitation_nuts: Option<Code<Nuts>>,
    /// NUTS region where signalled or identified.
    pub place_of_detection_nuts: Option<Code<Nuts>>,
    /// National district.
    pub district: Option<Code<PtDistrict>>,
    /// Role of the reporting country.
    pub country_role: CountryRole,
    /// Forms of exploitation and the main one.
    pub exploitation: Exploitation,
    /// National sub-type code when the form is OTHER.
    pub exploitation_national_code: Option<NationalCode>,
    /// Labour sector (with labour-like forms).
    pub labour_sector: Option<Code<LabourSector>>,
    /// Types of sexual exploitation (with SEXUAL).
    pub sexual_exploitation_type: BTreeSet<Code<SexualExploitationType>>,
    /// Means of control.
    pub means_of_control: BTreeSet<Code<MeansOfControl>>,
    /// Methods of recruitment.
    pub recruitment_method: BTreeSet<Code<RecruitmentMethod>>,
    /// Relation to the recruiter.
    pub recruiter_relation: Option<Code<RecruiterRelation>>,
    /// Duration of trafficking.
    pub trafficking_duration: Option<Code<TraffickingDuration>>,
    /// Received assistance (V1_09).
    pub assistance_received: YesNoUnknown,
    /// Types of support received.
    pub support_types: BTreeSet<Code<SupportType>>,
    /// Reflection period granted (V1_10).
    pub reflection_period_granted: YesNoUnknown,
    /// Residence permit granted (V1_11).
    pub residence_permit_granted: YesNoUnknown,
    /// Links to suspect / prosecution cases.
    pub case_refs: BTreeSet<CaseRef>,
    /// Revision number, from 1.
    pub record_version: u32,
    /// Last update at the provider.
    pub updated_at: DateTime<Utc>,
    /// Id of the provider-held key the linkage keys were computed with.
    pub linkage_key_id: Option<NationalCode>,
    /// Keyed match keys over the person's normalised identity (computed at the provider).
    pub linkage_keys: BTreeSet<LinkageKey>,
}

/// Who an offender-side record is about: shared by suspects, prosecutions and court decisions.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Offender {
    /// Natural or legal person.
    pub person_type: PersonType,
    /// Sex; required for natural persons, absent for legal persons.
    pub sex: Option<Sex>,
    /// Age group; required for natural persons, absent for legal persons.
    pub age_group: Option<AgeGroup>,
    /// Citizenship(s), first = main (country of registration for legal persons).
    pub citizenship: Vec<Citizenship>,
    /// Forms of exploitation and the main one.
    pub exploitation: Exploitation,
}

/// A suspected trafficker (police data), domain.md §4.4.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Suspect {
    /// Provider-scoped opaque id.
    pub record_ref: RecordRef,
    /// The reporting provider.
    pub provider_id: ProviderId,
    /// Investigation reference.
    pub case_ref: CaseRef,
    /// Date of first formal contact; reference-period key.
    pub first_contact_date: NaiveDate,
    /// Who the suspect is.
    pub offender: Offender,
    /// Involved in organised crime (S2_02).
    pub organised_crime: YesNoUnknown,
    /// Roles in the trafficking process.
    pub role_in_process: BTreeSet<Code<TraffickerRole>>,
    /// National legal basis.
    pub offence_code: NationalCode,
    /// Region of the offence.
    pub place_nuts: Option<Code<Nuts>>,
    /// Victims linked to the suspect.
    pub victim_record_refs: BTreeSet<RecordRef>,
    /// Revision number, from 1.
    pub record_version: u32,
    /// Last update at the provider.
    pub updated_at: DateTime<Utc>,
}

/// One prosecuted person in one case, domain.md §4.5.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Prosecution {
    /// Provider-scoped opaque id.
    pub record_ref: RecordRef,
    /// The reporting provider.
    pub provider_id: ProviderId,
    /// Case reference.
    pub case_ref: CaseRef,
    /// Link to the suspect record.
    pub suspect_record_ref: Option<RecordRef>,
    /// Indictment / formal charge date; reference-period key.
    pub initiated_date: NaiveDate,
    /// Who is prosecuted.
    pub offender: Offender,
    /// National legal basis.
    pub offence_code: NationalCode,
    /// Ongoing or finalised.
    pub status: ProsecutionStatus,
    /// Date finalised (P3_04), required when FINALISED.
    pub finalised_date: Option<NaiveDate>,
    /// Outcome, required when FINALISED.
    pub outcome: Option<ProsecutionOutcome>,
    /// Revision number, from 1.
    pub record_version: u32,
    /// Last update at the provider.
    pub updated_at: DateTime<Utc>,
}

/// A court decision about one person in one case at one instance, domain.md §4.6.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CourtDecision {
    /// Provider-scoped opaque id.
    pub record_ref: RecordRef,
    /// The reporting provider.
    pub provider_id: ProviderId,
    /// Case reference.
    pub case_ref: CaseRef,
    /// Link to the prosecution record.
    pub prosecution_record_ref: Option<RecordRef>,
    /// Decision date; reference-period key.
    pub decision_date: NaiveDate,
    /// Court instance.
    pub instance: DecisionInstance,
    /// Conviction, acquittal or other.
    pub decision_type: CourtDecisionType,
    /// Convicted of trafficking (false if convicted of another offence only).
    pub convicted_of_thb: bool,
    /// Who the decision is about.
    pub offender: Offender,
    /// Sentence (convictions only).
    pub sentence_type: Option<SentenceType>,
    /// Prison months (prison sentences only).
    pub sentence_months: Option<u16>,
    /// Revision number, from 1.
    pub record_version: u32,
    /// Last update at the provider.
    pub updated_at: DateTime<Utc>,
}

/// Where a submission stands in its lifecycle (received → validated → accepted or rejected →
/// approved; any revision but the newest is superseded).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum SubmissionStatus {
    /// Stored, not yet checked.
    Received,
    /// Checked, waiting for the hub's decision.
    Validated,
    /// Accepted by the hub.
    Accepted,
    /// Rejected by the hub.
    Rejected,
    /// Approved and locked for statistics.
    Approved,
    /// Replaced by a later revision for the same provider and period (kept as history).
    Superseded,
}

impl SubmissionStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [SubmissionStatus; 6] = [
        SubmissionStatus::Received,
        SubmissionStatus::Validated,
        SubmissionStatus::Accepted,
        SubmissionStatus::Rejected,
        SubmissionStatus::Approved,
        SubmissionStatus::Superseded,
    ];

    /// Stable text form (as stored).
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Received => "received",
            SubmissionStatus::Validated => "validated",
            SubmissionStatus::Accepted => "accepted",
            SubmissionStatus::Rejected => "rejected",
            SubmissionStatus::Approved => "approved",
            SubmissionStatus::Superseded => "superseded",
        }
    }

    /// Parses the text form.
    pub fn parse(text: &str) -> Option<SubmissionStatus> {
        SubmissionStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}
