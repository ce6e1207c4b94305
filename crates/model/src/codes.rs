//! The model's own codelists as enums (`data/codelists/<list>.csv` holds the same codes and labels).
//!
//! Rules in [`crate::validate`] match on these; lists that only carry descriptive detail
//! (countries, NUTS, HTCDS picklists) stay as [`crate::Code`] values instead.

use crate::code::model_codes;

model_codes! {
    /// Sex (`sex.csv`). `T` is for aggregates only and is refused on records.
    Sex = "sex" { F = "F", M = "M", Unknown = "UNK", Total = "T", }
}

model_codes! {
    /// Age group (`age_group.csv`). `TOTAL` is for aggregates only and is refused on records.
    AgeGroup = "age_group" { Total = "TOTAL", Under18 = "Y_LT18", Adult = "Y_GE18", Unknown = "UNK", }
}

model_codes! {
    /// Status of a victim registration (`victim_status.csv`).
    VictimStatus = "victim_status" {
        Signalled = "SIGNALLED",
        Pending = "PENDING",
        Confirmed = "CONFIRMED",
        NotConfirmed = "NOT_CONFIRMED",
        Declined = "DECLINED",
    }
}

impl VictimStatus {
    /// Whether the registration counts as a registered (identified or presumed) victim (domain.md §6.1).
    pub fn is_registered(self) -> bool {
        !matches!(self, VictimStatus::NotConfirmed)
    }

    /// Strength used when several registrations form one person: CONFIRMED > PENDING > DECLINED >
    /// SIGNALLED > NOT_CONFIRMED (domain.md §6.1).
    pub fn strength(self) -> u8 {
        match self {
            VictimStatus::Confirmed => 4,
            VictimStatus::Pending => 3,
            VictimStatus::Declined => 2,
            VictimStatus::Signalled => 1,
            VictimStatus::NotConfirmed => 0,
        }
    }
}

model_codes! {
    /// Form of exploitation (`exploitation_form.csv`).
    ExploitationForm = "exploitation_form" {
        Sexual = "SEXUAL",
        Labour = "LABOUR",
        Slavery = "SLAVERY",
        Servitude = "SERVITUDE",
        Begging = "BEGGING",
        Criminal = "CRIMINAL",
        Organ = "ORGAN",
        Marriage = "MARRIAGE",
        Adoption = "ADOPTION",
        Surrogacy = "SURROGACY",
        BenefitFraud = "BENEFIT_FRAUD",
        Military = "MILITARY",
        Mixed = "MIXED",
        Other = "OTHER",
        Unknown = "UNK",
    }
}

impl ExploitationForm {
    /// Forms for which a labour sector is meaningful.
    pub fn is_labour_like(self) -> bool {
        matches!(self, ExploitationForm::Labour | ExploitationForm::Servitude | ExploitationForm::Slavery)
    }
}

model_codes! {
    /// Type of data provider (`provider_type.csv`).
    ProviderType = "provider_type" {
        Police = "POLICE",
        Border = "BORDER",
        LabourInspectorate = "LABOUR_INSP",
        Immigration = "IMMIGRATION",
        Prosecution = "PROSECUTION",
        Court = "COURT",
        Ngo = "NGO",
        InternationalOrganisation = "IO",
        Social = "SOCIAL",
        Health = "HEALTH",
        NationalRapporteur = "NREM",
        LocalGovernment = "LOCAL_GOV",
        Hotline = "HOTLINE",
        Consular = "CONSULAR",
        Other = "OTHER",
        Unknown = "UNK",
    }
}

model_codes! {
    /// Role of the reporting country in the trafficking route (`country_role.csv`).
    CountryRole = "country_role" { Destination = "DESTINATION", Origin = "ORIGIN", Transit = "TRANSIT", Unknown = "UNK", }
}

model_codes! {
    /// Yes / no / unknown (`yes_no_unknown.csv`).
    YesNoUnknown = "yes_no_unknown" { Yes = "Y", No = "N", Unknown = "UNK", }
}

model_codes! {
    /// Natural or legal person (`person_type.csv`).
    PersonType = "person_type" { Natural = "NAT_PERSON", Legal = "LEG_PERSON", }
}

model_codes! {
    /// Prosecution status (`prosecution_status.csv`).
    ProsecutionStatus = "prosecution_status" { Ongoing = "ONGOING", Finalised = "FINALISED", }
}

model_codes! {
    /// Outcome of a finalised prosecution (`prosecution_outcome.csv`).
    ProsecutionOutcome = "prosecution_outcome" {
        Conviction = "CONVICTION",
        Acquittal = "ACQUITTAL",
        Dismissed = "DISMISSED",
        Reclassified = "RECLASSIFIED",
        Other = "OTHER",
    }
}

model_codes! {
    /// Type of court decision (`court_decision_type.csv`).
    CourtDecisionType = "court_decision_type" { Conviction = "CONVICTION", Acquittal = "ACQUITTAL", Other = "OTHER", }
}

model_codes! {
    /// Court instance (`decision_instance.csv`).
    DecisionInstance = "decision_instance" { First = "FIRST", Appeal = "APPEAL", Final = "FINAL", }
}

model_codes! {
    /// Sentence type (`sentence_type.csv`).
    SentenceType = "sentence_type" {
        Prison = "PRISON",
        PrisonSuspended = "PRISON_SUSP",
        Fine = "FINE",
        Other = "OTHER",
        None = "NONE",
    }
}

model_codes! {
    /// The four record types of the common model (`record_type.csv`).
    RecordType = "record_type" {
        Victim = "VICTIM",
        Suspect = "SUSPECT",
        Prosecution = "PROSECUTION",
        CourtDecision = "COURT_DECISION",
    }
}

model_codes! {
    /// SDMX-CSV action of a submission (`sdmx_csv_action.csv`).
    SubmissionAction = "sdmx_csv_action" { Information = "I", Append = "A", Merge = "M", Replace = "R", Delete = "D", }
}

model_codes! {
    /// Eurostat registered-victim category (`registered_victim_category.csv`).
    RegisteredVictimCategory = "registered_victim_category" { Identified = "IDENTIFIED", Presumed = "PRESUMED", }
}
