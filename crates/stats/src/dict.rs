//! Stored fields and their dictionaries: every coded field is kept as a small integer that
//! indexes the field's dictionary (codes in codelist order, then `STLS`/`UNK`/`_Z` extras).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionOutcome, ProsecutionStatus, SentenceType, Sex, VictimStatus, YesNoUnknown,
};
use model::{Codelists, ModelCode};

/// Code used for "unknown or not given" in dictionaries of optional fields.
pub(crate) const UNK: &str = "UNK";
/// Code used for "not applicable" (e.g. the sex of a legal person).
pub(crate) const NOT_APPLICABLE: &str = "_Z";

/// The first day the engine can represent; days are kept as `u16` offsets from it.
pub(crate) fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid date")
}

/// Days since [`epoch`], saturating into `u16` (records are validated to lie after 1990).
pub(crate) fn day_of(date: NaiveDate) -> u16 {
    let days = (date - epoch()).num_days();
    days.clamp(0, i64::from(u16::MAX)) as u16
}

/// The date of a day number.
pub(crate) fn date_of(day: u16) -> NaiveDate {
    epoch() + chrono::Days::new(u64::from(day))
}

/// A stored column of a fact table.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Field {
    Provider,
    Day,
    FinalisedDay,
    Status,
    Sex,
    Age,
    Citizenship,
    Recruitment,
    ExploitationCountry,
    ExploitationNuts,
    DetectionNuts,
    District,
    Role,
    MainForm,
    Forms,
    Sector,
    Assistance,
    Reflection,
    Residence,
    Minor,
    PersonType,
    Organised,
    ProsecutionStatus,
    Outcome,
    Instance,
    DecisionType,
    ConvictedThb,
    Sentence,
    OffenceNuts,
}

/// Number of [`Field`] variants (columns are indexed by `Field as usize`).
pub(crate) const FIELDS: usize = Field::OffenceNuts as usize + 1;

/// The code dictionaries shared by all fact tables.
#[derive(Clone, Debug)]
pub(crate) struct Dicts {
    pub providers: Vec<String>,
    pub provider_types: Vec<model::codes::ProviderType>,
    pub countries: Vec<String>,
    pub country_eu27: Vec<bool>,
    pub nuts: Vec<String>,
    pub districts: Vec<String>,
    pub sectors: Vec<String>,
    pub reporting_country: String,
    /// Eurostat group of each form of exploitation (index into `form_groups`).
    pub form_group: Vec<u16>,
    /// Eurostat exploitation group codes.
    pub form_groups: Vec<String>,
    last_provider: Option<u16>,
    country_ix: BTreeMap<String, u16>,
    nuts_ix: BTreeMap<String, u16>,
}

fn enum_codes<C: ModelCode>() -> Vec<String> {
    C::ALL.iter().map(|c| c.code().to_string()).collect()
}

fn list_codes(lists: &Codelists, id: &str) -> Vec<String> {
    let mut codes: Vec<String> =
        lists.get(id).map(|l| l.entries().iter().map(|e| e.code.clone()).collect()).unwrap_or_default();
    codes.retain(|c| c != UNK);
    codes.push(UNK.to_string());
    codes
}

impl Dicts {
    pub(crate) fn new(
        lists: &Codelists,
        reporting_country: &str,
        providers: &[model::DataProvider],
    ) -> Dicts {
        let mut sorted: Vec<&model::DataProvider> = providers.iter().collect();
        sorted.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut countries: Vec<String> = lists
            .get("country")
            .map(|l| l.entries().iter().map(|e| e.code.clone()).collect())
            .unwrap_or_default();
        countries.retain(|c| c != UNK && c != "STLS");
        countries.push("STLS".to_string());
        countries.push(UNK.to_string());
        let country_eu27 =
            countries.iter().map(|c| lists.country_iso(c).is_some_and(|iso| iso.eu27)).collect();
        let form_groups: Vec<String> =
            ["ICCS02041", "ICCS02042", "ICCS02043_02044", UNK].iter().map(|s| s.to_string()).collect();
        let walk = lists.crosswalk("exploitation_form__eurostat");
        let form_group = ExploitationForm::ALL
            .iter()
            .map(|f| {
                let to = walk.and_then(|w| w.map(f.code())).unwrap_or(UNK);
                form_groups.iter().position(|g| g == to).unwrap_or(form_groups.len() - 1) as u16
            })
            .collect();
        let nuts = list_codes(lists, "nuts");
        let country_ix = countries.iter().enumerate().map(|(i, c)| (c.clone(), i as u16)).collect();
        let nuts_ix = nuts.iter().enumerate().map(|(i, c)| (c.clone(), i as u16)).collect();
        Dicts {
            form_group,
            form_groups,
            country_ix,
            nuts_ix,
            providers: sorted.iter().map(|p| p.id.as_str().to_string()).collect(),
            provider_types: sorted.iter().map(|p| p.provider_type).collect(),
            countries,
            country_eu27,
            nuts,
            districts: list_codes(lists, "pt_district"),
            sectors: list_codes(lists, "labour_sector"),
            reporting_country: reporting_country.to_string(),
            last_provider: None,
        }
    }

    /// The codes of a field's dictionary (days have none: they are numbers).
    pub(crate) fn codes(&self, field: Field) -> Vec<String> {
        match field {
            Field::Provider => self.providers.clone(),
            Field::Day | Field::FinalisedDay => Vec::new(),
            Field::Status => enum_codes::<VictimStatus>(),
            Field::Sex => with_na(enum_codes::<Sex>()),
            Field::Age => with_na(enum_codes::<AgeGroup>()),
            Field::Citizenship | Field::Recruitment | Field::ExploitationCountry => self.countries.clone(),
            Field::ExploitationNuts | Field::DetectionNuts | Field::OffenceNuts => self.nuts.clone(),
            Field::District => self.districts.clone(),
            Field::Role => enum_codes::<CountryRole>(),
            Field::MainForm | Field::Forms => enum_codes::<ExploitationForm>(),
            Field::Sector => self.sectors.clone(),
            Field::Assistance | Field::Reflection | Field::Residence | Field::Minor | Field::Organised => {
                enum_codes::<YesNoUnknown>()
            }
            Field::PersonType => enum_codes::<PersonType>(),
            Field::ProsecutionStatus => enum_codes::<ProsecutionStatus>(),
            Field::Outcome => with_na(enum_codes::<ProsecutionOutcome>()),
            Field::Instance => enum_codes::<DecisionInstance>(),
            Field::DecisionType => enum_codes::<CourtDecisionType>(),
            Field::ConvictedThb => vec!["Y".to_string(), "N".to_string()],
            Field::Sentence => with_na(enum_codes::<SentenceType>()),
        }
    }

    pub(crate) fn provider_index(&self, id: &str) -> Option<u16> {
        self.providers.iter().position(|p| p == id).map(|i| i as u16)
    }

    pub(crate) fn provider_index_or_add(&mut self, id: &str) -> u16 {
        if let Some(last) = self.last_provider.filter(|l| self.providers[*l as usize] == id) {
            return last;
        }
        let ix = match self.provider_index(id) {
            Some(ix) => ix,
            None => {
                self.providers.push(id.to_string());
                self.provider_types.push(model::codes::ProviderType::Unknown);
                (self.providers.len() - 1) as u16
            }
        };
        self.last_provider = Some(ix);
        ix
    }

    pub(crate) fn country_index(&self, code: &str) -> u16 {
        self.country_ix.get(code).copied().unwrap_or(self.countries.len() as u16 - 1)
    }

    pub(crate) fn nuts_index(&self, code: &str) -> u16 {
        self.nuts_ix.get(code).copied().unwrap_or(self.nuts.len() as u16 - 1)
    }

    pub(crate) fn district_index(&self, code: &str) -> u16 {
        self.districts.iter().position(|c| c == code).unwrap_or(self.districts.len() - 1) as u16
    }

    pub(crate) fn sector_index(&self, code: &str) -> u16 {
        self.sectors.iter().position(|c| c == code).unwrap_or(self.sectors.len() - 1) as u16
    }
}

fn with_na(mut codes: Vec<String>) -> Vec<String> {
    codes.push(NOT_APPLICABLE.to_string());
    codes
}

/// The index of a model enum value in its dictionary.
pub(crate) fn enum_index<C: ModelCode + PartialEq>(value: C) -> u16 {
    C::ALL.iter().position(|c| *c == value).unwrap_or(0) as u16
}

/// The "not applicable" index of an enum field that has one (`_Z`, after the enum's codes).
pub(crate) fn na_index<C: ModelCode>() -> u16 {
    C::ALL.len() as u16
}
