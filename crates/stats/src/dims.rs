//! Dimensions: the coded fields of the records and those derived from them by a lookup table.

use std::fmt;

use crate::dict::Field;

/// Calendar granularity of a period dimension.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Granularity {
    /// `YYYY-MM`.
    Month,
    /// `YYYY-Qn`.
    Quarter,
    /// `YYYY`.
    Year,
}

/// NUTS level of a regional roll-up (codes of a finer level are cut to this length; coarser ones
/// become `UNK` at this level).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum NutsLevel {
    /// NUTS 1 (`PT1`).
    One,
    /// NUTS 2 (`PT11`).
    Two,
    /// NUTS 3 (`PT11A`).
    Three,
}

impl NutsLevel {
    /// Code length at this level.
    pub fn code_len(self) -> usize {
        match self {
            NutsLevel::One => 3,
            NutsLevel::Two => 4,
            NutsLevel::Three => 5,
        }
    }
}

/// A dimension of a cross-tabulation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Dim {
    /// The registering / reporting provider (for persons: every provider that registered them).
    Provider,
    /// The type of that provider (V1_01).
    ProviderType,
    /// Sex.
    Sex,
    /// Age group.
    AgeGroup,
    /// Victim status (for persons: the strongest).
    Status,
    /// Identified (CONFIRMED) or presumed (the other registered statuses).
    VictimCategory,
    /// Form of exploitation: the main form (single-count) or every form (multi-count).
    Exploitation,
    /// Eurostat group (ICCS) of the form of exploitation.
    ExploitationGroup,
    /// Main (first) citizenship.
    Citizenship,
    /// Citizenship group: NAT, EU27_2020_FOR, NEU27_2020_FOR, STLS, UNK.
    CitizenshipGroup,
    /// Country of recruitment.
    CountryOfRecruitment,
    /// Country of exploitation.
    CountryOfExploitation,
    /// NUTS region of exploitation at a level.
    Nuts(NutsLevel),
    /// NUTS region of detection at a level.
    DetectionNuts(NutsLevel),
    /// National district (PT).
    District,
    /// Role of the reporting country (destination, origin, transit).
    CountryRole,
    /// Labour sector.
    LabourSector,
    /// Received assistance (V1_09).
    Assistance,
    /// Reflection period granted (V1_10).
    ReflectionPeriod,
    /// Residence permit granted (V1_11).
    ResidencePermit,
    /// Minor at the time of exploitation.
    MinorAtExploitation,
    /// Reference period of the measure's event date.
    Period(Granularity),
    /// Natural or legal person (offender-side records).
    PersonType,
    /// Involved in organised crime (suspects).
    OrganisedCrime,
    /// Ongoing or finalised (prosecutions).
    ProsecutionStatus,
    /// Outcome of a finalised prosecution.
    ProsecutionOutcome,
    /// Court instance.
    Instance,
    /// Conviction, acquittal, other.
    DecisionType,
    /// Sentence type.
    SentenceType,
    /// NUTS region of the offence (suspects) at a level.
    OffenceNuts(NutsLevel),
}

/// Every dimension, for listing and parsing.
pub const ALL_DIMS: &[Dim] = &[
    Dim::Provider,
    Dim::ProviderType,
    Dim::Sex,
    Dim::AgeGroup,
    Dim::Status,
    Dim::VictimCategory,
    Dim::Exploitation,
    Dim::ExploitationGroup,
    Dim::Citizenship,
    Dim::CitizenshipGroup,
    Dim::CountryOfRecruitment,
    Dim::CountryOfExploitation,
    Dim::Nuts(NutsLevel::One),
    Dim::Nuts(NutsLevel::Two),
    Dim::Nuts(NutsLevel::Three),
    Dim::DetectionNuts(NutsLevel::One),
    Dim::DetectionNuts(NutsLevel::Two),
    Dim::DetectionNuts(NutsLevel::Three),
    Dim::District,
    Dim::CountryRole,
    Dim::LabourSector,
    Dim::Assistance,
    Dim::ReflectionPeriod,
    Dim::ResidencePermit,
    Dim::MinorAtExploitation,
    Dim::Period(Granularity::Month),
    Dim::Period(Granularity::Quarter),
    Dim::Period(Granularity::Year),
    Dim::PersonType,
    Dim::OrganisedCrime,
    Dim::ProsecutionStatus,
    Dim::ProsecutionOutcome,
    Dim::Instance,
    Dim::DecisionType,
    Dim::SentenceType,
    Dim::OffenceNuts(NutsLevel::One),
    Dim::OffenceNuts(NutsLevel::Two),
    Dim::OffenceNuts(NutsLevel::Three),
];

impl Dim {
    /// The dimension's id (used on the command line, in outputs and in the API).
    pub fn id(self) -> &'static str {
        match self {
            Dim::Provider => "provider",
            Dim::ProviderType => "provider_type",
            Dim::Sex => "sex",
            Dim::AgeGroup => "age_group",
            Dim::Status => "status",
            Dim::VictimCategory => "victim_category",
            Dim::Exploitation => "exploitation",
            Dim::ExploitationGroup => "exploitation_group",
            Dim::Citizenship => "citizenship",
            Dim::CitizenshipGroup => "citizenship_group",
            Dim::CountryOfRecruitment => "country_of_recruitment",
            Dim::CountryOfExploitation => "country_of_exploitation",
            Dim::Nuts(NutsLevel::One) => "nuts1",
            Dim::Nuts(NutsLevel::Two) => "nuts2",
            Dim::Nuts(NutsLevel::Three) => "nuts3",
            Dim::DetectionNuts(NutsLevel::One) => "detection_nuts1",
            Dim::DetectionNuts(NutsLevel::Two) => "detection_nuts2",
            Dim::DetectionNuts(NutsLevel::Three) => "detection_nuts3",
            Dim::District => "district",
            Dim::CountryRole => "country_role",
            Dim::LabourSector => "labour_sector",
            Dim::Assistance => "assistance",
            Dim::ReflectionPeriod => "reflection_period",
            Dim::ResidencePermit => "residence_permit",
            Dim::MinorAtExploitation => "minor_at_exploitation",
            Dim::Period(Granularity::Month) => "month",
            Dim::Period(Granularity::Quarter) => "quarter",
            Dim::Period(Granularity::Year) => "year",
            Dim::PersonType => "person_type",
            Dim::OrganisedCrime => "organised_crime",
            Dim::ProsecutionStatus => "prosecution_status",
            Dim::ProsecutionOutcome => "prosecution_outcome",
            Dim::Instance => "instance",
            Dim::DecisionType => "decision_type",
            Dim::SentenceType => "sentence_type",
            Dim::OffenceNuts(NutsLevel::One) => "offence_nuts1",
            Dim::OffenceNuts(NutsLevel::Two) => "offence_nuts2",
            Dim::OffenceNuts(NutsLevel::Three) => "offence_nuts3",
        }
    }

    /// Parses a dimension id.
    pub fn parse(text: &str) -> Result<Dim, crate::Error> {
        ALL_DIMS
            .iter()
            .copied()
            .find(|d| d.id() == text.trim())
            .ok_or_else(|| crate::Error::UnknownDim(text.trim().to_string()))
    }

    /// The codelist that labels this dimension's codes (`None`: providers and periods, labelled
    /// by the caller).
    pub fn codelist(self) -> Option<&'static str> {
        Some(match self {
            Dim::Provider | Dim::Period(_) => return None,
            Dim::ProviderType => "provider_type",
            Dim::Sex => "sex",
            Dim::AgeGroup => "age_group",
            Dim::Status => "victim_status",
            Dim::VictimCategory => "registered_victim_category",
            Dim::Exploitation => "exploitation_form",
            Dim::ExploitationGroup => "exploitation_group_eurostat",
            Dim::Citizenship | Dim::CountryOfRecruitment | Dim::CountryOfExploitation => "country",
            Dim::CitizenshipGroup => "citizenship_group",
            Dim::Nuts(_) | Dim::DetectionNuts(_) | Dim::OffenceNuts(_) => "nuts",
            Dim::District => "pt_district",
            Dim::CountryRole => "country_role",
            Dim::LabourSector => "labour_sector",
            Dim::Assistance
            | Dim::ReflectionPeriod
            | Dim::ResidencePermit
            | Dim::MinorAtExploitation
            | Dim::OrganisedCrime => "yes_no_unknown",
            Dim::PersonType => "person_type",
            Dim::ProsecutionStatus => "prosecution_status",
            Dim::ProsecutionOutcome => "prosecution_outcome",
            Dim::Instance => "decision_instance",
            Dim::DecisionType => "court_decision_type",
            Dim::SentenceType => "sentence_type",
        })
    }

    /// Whether the dimension has an open list of categories (countries, regions, providers,
    /// periods): categories with nothing in them are left out of tables.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Dim::Provider
                | Dim::Citizenship
                | Dim::CountryOfRecruitment
                | Dim::CountryOfExploitation
                | Dim::Nuts(_)
                | Dim::DetectionNuts(_)
                | Dim::OffenceNuts(_)
                | Dim::District
                | Dim::LabourSector
                | Dim::Period(_)
        )
    }

    /// The stored field the dimension reads.
    pub(crate) fn field(self) -> Field {
        match self {
            Dim::Provider | Dim::ProviderType => Field::Provider,
            Dim::Sex => Field::Sex,
            Dim::AgeGroup => Field::Age,
            Dim::Status | Dim::VictimCategory => Field::Status,
            Dim::Exploitation | Dim::ExploitationGroup => Field::MainForm,
            Dim::Citizenship | Dim::CitizenshipGroup => Field::Citizenship,
            Dim::CountryOfRecruitment => Field::Recruitment,
            Dim::CountryOfExploitation => Field::ExploitationCountry,
            Dim::Nuts(_) => Field::ExploitationNuts,
            Dim::DetectionNuts(_) => Field::DetectionNuts,
            Dim::District => Field::District,
            Dim::CountryRole => Field::Role,
            Dim::LabourSector => Field::Sector,
            Dim::Assistance => Field::Assistance,
            Dim::ReflectionPeriod => Field::Reflection,
            Dim::ResidencePermit => Field::Residence,
            Dim::MinorAtExploitation => Field::Minor,
            Dim::Period(_) => Field::Day,
            Dim::PersonType => Field::PersonType,
            Dim::OrganisedCrime => Field::Organised,
            Dim::ProsecutionStatus => Field::ProsecutionStatus,
            Dim::ProsecutionOutcome => Field::Outcome,
            Dim::Instance => Field::Instance,
            Dim::DecisionType => Field::DecisionType,
            Dim::SentenceType => Field::Sentence,
            Dim::OffenceNuts(_) => Field::OffenceNuts,
        }
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
