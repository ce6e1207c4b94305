//! Building the engine from validated records: rows are encoded into dictionary indexes as they
//! arrive, then sorted (registrations by person, earliest first) and split into columns.

use std::hash::Hasher;

use model::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionOutcome, ProsecutionStatus, SentenceType, Sex, VictimStatus, YesNoUnknown,
};
use model::records::{Citizenship, Known, Offender};
use model::{Codelists, CourtDecision, DataProvider, ModelCode, Prosecution, Suspect, VictimRegistration};
use siphasher::sip::SipHasher13;

use crate::dict::{Dicts, Field, day_of, enum_index, na_index};
use crate::facts::{Column, Facts, Persons};
use crate::query::Engine;

/// Fields stored for victim registrations, in row order.
pub(crate) const VICTIM_FIELDS: &[Field] = &[
    Field::Provider,
    Field::Day,
    Field::Status,
    Field::Sex,
    Field::Age,
    Field::Citizenship,
    Field::Recruitment,
    Field::ExploitationCountry,
    Field::ExploitationNuts,
    Field::DetectionNuts,
    Field::District,
    Field::Role,
    Field::MainForm,
    Field::Forms,
    Field::Sector,
    Field::Assistance,
    Field::Reflection,
    Field::Residence,
    Field::Minor,
];

pub(crate) const SUSPECT_FIELDS: &[Field] = &[
    Field::Provider,
    Field::Day,
    Field::PersonType,
    Field::Sex,
    Field::Age,
    Field::Citizenship,
    Field::MainForm,
    Field::Forms,
    Field::Organised,
    Field::OffenceNuts,
];

pub(crate) const PROSECUTION_FIELDS: &[Field] = &[
    Field::Provider,
    Field::Day,
    Field::FinalisedDay,
    Field::PersonType,
    Field::Sex,
    Field::Age,
    Field::Citizenship,
    Field::MainForm,
    Field::Forms,
    Field::ProsecutionStatus,
    Field::Outcome,
];

pub(crate) const DECISION_FIELDS: &[Field] = &[
    Field::Provider,
    Field::Day,
    Field::PersonType,
    Field::Sex,
    Field::Age,
    Field::Citizenship,
    Field::MainForm,
    Field::Forms,
    Field::Instance,
    Field::DecisionType,
    Field::ConvictedThb,
    Field::Sentence,
];

/// "No date" in a day column (e.g. the finalisation day of an ongoing prosecution).
pub(crate) const NO_DAY: u16 = u16::MAX;

/// A victim registration with the person it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct VictimInput<'a> {
    /// The registration.
    pub record: &'a VictimRegistration,
    /// The person (de-duplication cluster) it belongs to; any numbering, equal for one person.
    pub person: u32,
}

/// Rows of one fact table while they arrive: a fixed number of `u16` values per row.
#[derive(Debug, Default)]
struct Rows {
    width: usize,
    vals: Vec<u16>,
    keys: Vec<u32>,
}

impl Rows {
    fn new(width: usize) -> Rows {
        Rows { width, vals: Vec::new(), keys: Vec::new() }
    }

    fn len(&self) -> usize {
        self.keys.len()
    }

    fn into_facts(self, fields: &[Field], dicts: &Dicts, order: Option<&[u32]>) -> Facts {
        let n = self.len();
        let mut facts = Facts::new(n);
        for (i, field) in fields.iter().enumerate() {
            let values: Vec<u16> = match order {
                Some(order) => order.iter().map(|&r| self.vals[r as usize * self.width + i]).collect(),
                None => (0..n).map(|r| self.vals[r * self.width + i]).collect(),
            };
            let dict_len = match field {
                Field::Day | Field::FinalisedDay | Field::Forms => usize::MAX,
                f => dicts.codes(*f).len(),
            };
            facts.set(*field, Column::new(values, dict_len));
        }
        facts.index_days();
        facts.keys = match order {
            Some(order) => order.iter().map(|&r| self.keys[r as usize]).collect(),
            None => self.keys,
        };
        facts
    }
}

/// Collects records and builds an [`Engine`].
#[derive(Debug)]
pub struct EngineBuilder {
    dicts: Dicts,
    key: (u64, u64),
    victims: Rows,
    persons: Vec<u32>,
    suspects: Rows,
    prosecutions: Rows,
    decisions: Rows,
    data_version: String,
}

impl EngineBuilder {
    /// A builder for a hub of `reporting_country` with its provider register. `ckm_key` keys the
    /// record keys of the cell key method (a hub secret: without it nobody can predict the noise).
    pub fn new(
        lists: &Codelists,
        reporting_country: &str,
        providers: &[DataProvider],
        ckm_key: [u8; 16],
    ) -> EngineBuilder {
        let k0 = u64::from_le_bytes(ckm_key[..8].try_into().expect("8 bytes"));
        let k1 = u64::from_le_bytes(ckm_key[8..].try_into().expect("8 bytes"));
        EngineBuilder {
            dicts: Dicts::new(lists, reporting_country, providers),
            key: (k0, k1),
            victims: Rows::new(VICTIM_FIELDS.len()),
            persons: Vec::new(),
            suspects: Rows::new(SUSPECT_FIELDS.len()),
            prosecutions: Rows::new(PROSECUTION_FIELDS.len()),
            decisions: Rows::new(DECISION_FIELDS.len()),
            data_version: String::new(),
        }
    }

    /// Names the data the engine is built from (e.g. the latest approved submission), for the
    /// metadata of every output.
    pub fn data_version(&mut self, version: impl Into<String>) -> &mut Self {
        self.data_version = version.into();
        self
    }

    fn record_key(&self, provider: &str, record: &str) -> u32 {
        let mut h = SipHasher13::new_with_keys(self.key.0, self.key.1);
        h.write(provider.as_bytes());
        h.write_u8(0xff);
        h.write(record.as_bytes());
        (h.finish() >> 32) as u32
    }

    fn provider(&mut self, id: &model::ProviderId) -> u16 {
        // A provider missing from the register still counts, as a provider of unknown type.
        self.dicts.provider_index_or_add(id.as_str())
    }

    fn citizenship(&self, c: &[Citizenship]) -> u16 {
        match c.first() {
            Some(Citizenship::Country(code)) => self.dicts.country_index(code.as_str()),
            Some(Citizenship::Stateless) => self.dicts.country_index("STLS"),
            _ => self.dicts.country_index("UNK"),
        }
    }

    fn country(&self, c: Option<&Known<model::Code<model::code::Country>>>) -> u16 {
        match c {
            Some(Known::Known(code)) => self.dicts.country_index(code.as_str()),
            _ => self.dicts.country_index("UNK"),
        }
    }

    fn nuts(&self, n: Option<&model::Code<model::code::Nuts>>) -> u16 {
        self.dicts.nuts_index(n.map_or("UNK", |c| c.as_str()))
    }

    fn forms(forms: &std::collections::BTreeSet<ExploitationForm>) -> u16 {
        forms.iter().fold(0u16, |acc, f| acc | (1 << enum_index(*f)))
    }

    /// Adds one victim registration.
    pub fn victim(&mut self, input: VictimInput<'_>) {
        let v = input.record;
        let key = self.record_key(v.provider_id.as_str(), v.record_ref.as_str());
        let row = [
            self.provider(&v.provider_id),
            day_of(v.registration_date),
            enum_index::<VictimStatus>(v.status),
            enum_index::<Sex>(v.sex),
            enum_index::<AgeGroup>(v.age_group),
            self.citizenship(&v.citizenship),
            self.country(v.country_of_recruitment.as_ref()),
            self.country(Some(&v.country_of_exploitation)),
            self.nuts(v.place_of_exploitation_nuts.as_ref()),
            self.nuts(v.place_of_detection_nuts.as_ref()),
            self.dicts.district_index(v.district.as_ref().map_or("UNK", |d| d.as_str())),
            enum_index::<CountryRole>(v.country_role),
            enum_index::<ExploitationForm>(v.exploitation.main),
            Self::forms(&v.exploitation.forms),
            self.dicts.sector_index(v.labour_sector.as_ref().map_or("UNK", |s| s.as_str())),
            enum_index::<YesNoUnknown>(v.assistance_received),
            enum_index::<YesNoUnknown>(v.reflection_period_granted),
            enum_index::<YesNoUnknown>(v.residence_permit_granted),
            enum_index::<YesNoUnknown>(v.minor_at_exploitation.unwrap_or(YesNoUnknown::Unknown)),
        ];
        self.victims.vals.extend_from_slice(&row);
        self.victims.keys.push(key);
        self.persons.push(input.person);
    }

    fn offender(&self, o: &Offender) -> [u16; 6] {
        [
            enum_index::<PersonType>(o.person_type),
            o.sex.map_or(na_index::<Sex>(), enum_index::<Sex>),
            o.age_group.map_or(na_index::<AgeGroup>(), enum_index::<AgeGroup>),
            self.citizenship(&o.citizenship),
            enum_index::<ExploitationForm>(o.exploitation.main),
            Self::forms(&o.exploitation.forms),
        ]
    }

    /// Adds one suspect.
    pub fn suspect(&mut self, s: &Suspect) {
        let key = self.record_key(s.provider_id.as_str(), s.record_ref.as_str());
        let o = self.offender(&s.offender);
        let row = [
            self.provider(&s.provider_id),
            day_of(s.first_contact_date),
            o[0],
            o[1],
            o[2],
            o[3],
            o[4],
            o[5],
            enum_index::<YesNoUnknown>(s.organised_crime),
            self.nuts(s.place_nuts.as_ref()),
        ];
        self.suspects.vals.extend_from_slice(&row);
        self.suspects.keys.push(key);
    }

    /// Adds one prosecuted person (per case).
    pub fn prosecution(&mut self, p: &Prosecution) {
        let key = self.record_key(p.provider_id.as_str(), p.record_ref.as_str());
        let o = self.offender(&p.offender);
        let row = [
            self.provider(&p.provider_id),
            day_of(p.initiated_date),
            p.finalised_date.map_or(NO_DAY, day_of),
            o[0],
            o[1],
            o[2],
            o[3],
            o[4],
            o[5],
            enum_index::<ProsecutionStatus>(p.status),
            p.outcome.map_or(na_index::<ProsecutionOutcome>(), enum_index::<ProsecutionOutcome>),
        ];
        self.prosecutions.vals.extend_from_slice(&row);
        self.prosecutions.keys.push(key);
    }

    /// Adds one court decision (per person, case and instance).
    pub fn court_decision(&mut self, d: &CourtDecision) {
        let key = self.record_key(d.provider_id.as_str(), d.record_ref.as_str());
        let o = self.offender(&d.offender);
        let row = [
            self.provider(&d.provider_id),
            day_of(d.decision_date),
            o[0],
            o[1],
            o[2],
            o[3],
            o[4],
            o[5],
            enum_index::<DecisionInstance>(d.instance),
            enum_index::<CourtDecisionType>(d.decision_type),
            if d.convicted_of_thb { 0 } else { 1 },
            d.sentence_type.map_or(na_index::<SentenceType>(), enum_index::<SentenceType>),
        ];
        self.decisions.vals.extend_from_slice(&row);
        self.decisions.keys.push(key);
    }

    /// Sorts, packs and returns the engine.
    pub fn build(self) -> Engine {
        let EngineBuilder {
            dicts, victims, persons, suspects, prosecutions, decisions, data_version, ..
        } = self;
        // Registrations of one person adjacent, earliest first (then provider, then record key:
        // deterministic for the same input).
        let width = victims.width;
        let day_at = |r: usize| victims.vals[r * width + 1];
        let provider_at = |r: usize| victims.vals[r * width];
        let mut order: Vec<u32> = (0..victims.len() as u32).collect();
        order.sort_by_key(|&r| {
            let r = r as usize;
            (persons[r], day_at(r), provider_at(r), victims.keys[r])
        });
        // Persons in the order of their earliest registration (then person number), so that a
        // period is a contiguous run of persons and registrations are nearly in date order: the
        // kernel skips whole chunks outside a query's period.
        let mut runs: Vec<(u16, u32, u32)> = Vec::new(); // (lead day, start, len) over `order`
        for (row, &r) in order.iter().enumerate() {
            if row == 0 || persons[order[row - 1] as usize] != persons[r as usize] {
                runs.push((day_at(r as usize), row as u32, 0));
            }
            if let Some(last) = runs.last_mut() {
                last.2 += 1;
            }
        }
        runs.sort_by_key(|(day, start, _)| (*day, *start));
        let mut sorted = Vec::with_capacity(order.len());
        for (_, start, len) in &runs {
            sorted.extend_from_slice(&order[*start as usize..(*start + *len) as usize]);
        }
        drop(runs);
        let order = sorted;
        let mut person = Persons::default();
        let status_col = VICTIM_FIELDS.iter().position(|f| *f == Field::Status).expect("status is stored");
        for (row, &r) in order.iter().enumerate() {
            let r = r as usize;
            let status = victims.vals[r * width + status_col];
            let strength = VictimStatus::ALL[status as usize].strength();
            let new_person = row == 0 || persons[order[row - 1] as usize] != persons[r];
            if new_person {
                person.lead.push(row as u32);
                person.status.push(status as u8);
            } else {
                let last = person.status.last_mut().expect("a person was started");
                if strength > VictimStatus::ALL[*last as usize].strength() {
                    *last = status as u8;
                }
            }
        }
        drop(persons);
        let victims = victims.into_facts(VICTIM_FIELDS, &dicts, Some(&order));
        drop(order);
        if let Some(day) = victims.col(Field::Day) {
            person.zones = crate::facts::zone_map(person.lead.len(), |p| day.get(person.lead[p] as usize));
        }
        let by_day = |rows: &Rows| {
            let mut order: Vec<u32> = (0..rows.len() as u32).collect();
            order.sort_by_key(|&r| (rows.vals[r as usize * rows.width + 1], r));
            order
        };
        let (so, po, dor) = (by_day(&suspects), by_day(&prosecutions), by_day(&decisions));
        let suspects = suspects.into_facts(SUSPECT_FIELDS, &dicts, Some(&so));
        let prosecutions = prosecutions.into_facts(PROSECUTION_FIELDS, &dicts, Some(&po));
        let decisions = decisions.into_facts(DECISION_FIELDS, &dicts, Some(&dor));
        Engine::new(dicts, victims, person, suspects, prosecutions, decisions, data_version)
    }
}
