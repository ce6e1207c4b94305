//! Cross-field rules of the common model (domain.md §4) and the [`Valid`] wrapper.
//!
//! Field-level rules (codes, formats) are checked while parsing, in [`crate::text`]; the rules
//! here relate fields to each other, to the reporting country, to the extraction date and to the
//! provider register. A record that passes becomes [`Valid<T>`], the only form the store accepts.

use std::collections::BTreeMap;
use std::ops::Deref;

use chrono::NaiveDate;

use crate::code::{Code, Country, Nuts};
use crate::codes::{
    AgeGroup, CountryRole, CourtDecisionType, ExploitationForm, PersonType, ProsecutionStatus, RecordType,
    SentenceType, Sex, VictimStatus,
};
use crate::ids::{ProviderId, RecordRef};
use crate::records::{
    Citizenship, CourtDecision, DataProvider, Exploitation, Known, Offender, Prosecution, Suspect,
    VictimRegistration,
};
use crate::rules::{Rule, ValidationError, Violation};

/// Earliest accepted event date.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// A record that passed every rule of the model. Only this module can make one.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Valid<T>(T);

impl<T> Valid<T> {
    /// The record.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Valid<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the rules need to know besides the record.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The hub's country (Eurostat GEO code).
    pub reporting_country: Code<Country>,
    /// Extraction date: no event may lie after it.
    pub as_of: NaiveDate,
    /// The provider register, when known; without it provider rules are skipped.
    pub providers: Option<&'a BTreeMap<ProviderId, DataProvider>>,
}

/// Collects violations for one record.
struct Check<'a> {
    ctx: &'a Context<'a>,
    out: Vec<Violation>,
}

impl Check<'_> {
    fn fail(&mut self, field: &'static str, rule: Rule) {
        self.out.push(Violation { field, rule });
    }

    fn date(&mut self, field: &'static str, date: NaiveDate) {
        if date > self.ctx.as_of {
            self.fail(field, Rule::DateInFuture);
        }
        if date < EARLIEST_DATE {
            self.fail(field, Rule::DateTooEarly);
        }
    }

    fn provider(&mut self, id: &ProviderId, record_type: RecordType, date: NaiveDate) {
        let Some(providers) = self.ctx.providers else { return };
        match providers.get(id) {
            None => self.fail("provider_id", Rule::UnknownProvider),
            Some(p) => {
                if !p.submits.contains(&record_type) {
                    self.fail("provider_id", Rule::RecordTypeNotAllowed);
                }
                if date < p.valid_from || p.valid_to.is_some_and(|to| date > to) {
                    self.fail("provider_id", Rule::ProviderNotValidOnDate);
                }
            }
        }
    }

    fn exploitation(&mut self, e: &Exploitation) {
        if e.forms.is_empty() {
            self.fail("forms_of_exploitation", Rule::NoForm);
        } else if !e.forms.contains(&e.main) {
            self.fail("main_exploitation", Rule::MainFormNotInForms);
        }
        if e.forms.len() > 1 && e.forms.contains(&ExploitationForm::Unknown) {
            self.fail("forms_of_exploitation", Rule::UnknownFormWithKnown);
        }
    }

    fn citizenship(&mut self, c: &[Citizenship]) {
        if c.is_empty() {
            self.fail("citizenship", Rule::Required);
        }
        // Pairwise, allocating nothing: citizenship lists are short (parsed ones hold at most
        // `text::MAX_SET_VALUES` values).
        let repeated = c.iter().enumerate().any(|(i, x)| c[..i].contains(x));
        if repeated {
            self.fail("citizenship", Rule::DuplicateValue);
        }
        if c.len() > 1 && c.iter().any(|x| matches!(x, Citizenship::Unknown | Citizenship::Stateless)) {
            self.fail("citizenship", Rule::UnknownCitizenshipWithOthers);
        }
    }

    fn nuts_in(&mut self, field: &'static str, nuts: Option<Code<Nuts>>, country: Option<Code<Country>>) {
        if let (Some(n), Some(c)) = (nuts, country)
            && !n.as_str().starts_with(c.as_str())
        {
            self.fail(field, Rule::NutsOutsideCountry);
        }
    }

    fn offender(&mut self, o: &Offender) {
        match o.person_type {
            PersonType::Natural => {
                if o.sex.is_none() {
                    self.fail("sex", Rule::RequiredForNaturalPerson);
                }
                if o.age_group.is_none() {
                    self.fail("age_group", Rule::RequiredForNaturalPerson);
                }
            }
            PersonType::Legal => {
                if o.sex.is_some() {
                    self.fail("sex", Rule::NotForLegalPerson);
                }
                if o.age_group.is_some() {
                    self.fail("age_group", Rule::NotForLegalPerson);
                }
            }
        }
        if o.sex == Some(Sex::Total) {
            self.fail("sex", Rule::AggregateOnlyCode("sex"));
        }
        if o.age_group == Some(AgeGroup::Total) {
            self.fail("age_group", Rule::AggregateOnlyCode("age_group"));
        }
        self.citizenship(&o.citizenship);
        self.exploitation(&o.exploitation);
    }

    fn version(&mut self, v: u32) {
        if v == 0 {
            self.fail("record_version", Rule::RecordVersionZero);
        }
    }

    fn finish<T>(
        self,
        record: T,
        record_type: RecordType,
        record_ref: &RecordRef,
    ) -> Result<Valid<T>, ValidationError> {
        if self.out.is_empty() {
            Ok(Valid(record))
        } else {
            Err(ValidationError {
                record_type,
                row: None,
                record_ref: Some(record_ref.clone()),
                violations: self.out,
            })
        }
    }
}

/// Checks a victim registration.
pub fn victim(
    v: VictimRegistration,
    ctx: &Context<'_>,
) -> Result<Valid<VictimRegistration>, ValidationError> {
    let mut c = Check { ctx, out: Vec::new() };
    c.provider(&v.provider_id, RecordType::Victim, v.registration_date);
    c.date("registration_date", v.registration_date);
    c.date("status_date", v.status_date);
    if v.status_date < v.registration_date {
        c.fail("status_date", Rule::StatusBeforeRegistration);
    }
    if v.status == VictimStatus::Confirmed && v.identifying_authority_type.is_none() {
        c.fail("identifying_authority_type", Rule::ConfirmedWithoutAuthority);
    }
    if v.linked_record_refs.contains(&v.record_ref) {
        c.fail("linked_record_refs", Rule::SelfLink);
    }
    if v.sex == Sex::Total {
        c.fail("sex", Rule::AggregateOnlyCode("sex"));
    }
    if v.age_group == AgeGroup::Total {
        c.fail("age_group", Rule::AggregateOnlyCode("age_group"));
    }
    if let Some(age) = v.age_at_registration {
        if age > 120 {
            c.fail("age_at_registration", Rule::AgeOutOfRange);
        } else {
            let expected = if age < 18 { AgeGroup::Under18 } else { AgeGroup::Adult };
            if v.age_group != expected {
                c.fail("age_group", Rule::AgeGroupMismatch);
            }
        }
    }
    c.citizenship(&v.citizenship);
    let home = ctx.reporting_country;
    match (v.country_role, v.country_of_exploitation) {
        (CountryRole::Destination, Known::Known(x)) if x != home => {
            c.fail("country_role", Rule::DestinationNotReportingCountry)
        }
        (CountryRole::Destination, Known::Unknown) => {
            c.fail("country_role", Rule::DestinationNotReportingCountry)
        }
        (CountryRole::Origin, Known::Known(x)) if x == home => {
            c.fail("country_role", Rule::OriginButExploitedAtHome)
        }
        _ => {}
    }
    c.nuts_in(
        "place_of_exploitation_nuts",
        v.place_of_exploitation_nuts,
        v.country_of_exploitation.known().copied(),
    );
    c.nuts_in("place_of_detection_nuts", v.place_of_detection_nuts, Some(home));
    if v.district.is_some() && home.as_str() != "PT" {
        c.fail("district", Rule::DistrictNotInReportingCountry);
    }
    c.exploitation(&v.exploitation);
    let forms = &v.exploitation.forms;
    if v.labour_sector.is_some() && !forms.iter().any(|f| f.is_labour_like()) {
        c.fail("labour_sector", Rule::LabourSectorWithoutLabourForm);
    }
    if !v.sexual_exploitation_type.is_empty() && !forms.contains(&ExploitationForm::Sexual) {
        c.fail("sexual_exploitation_type", Rule::SexualTypeWithoutSexualForm);
    }
    if v.exploitation_national_code.is_some() && !forms.contains(&ExploitationForm::Other) {
        c.fail("exploitation_national_code", Rule::NationalCodeWithoutOtherForm);
    }
    if v.linkage_keys.is_empty() != v.linkage_key_id.is_none() {
        c.fail("linkage_key_id", Rule::LinkageKeyIdMismatch);
    }
    c.version(v.record_version);
    let r = v.record_ref.clone();
    c.finish(v, RecordType::Victim, &r)
}

/// Checks a suspect record.
pub fn suspect(s: Suspect, ctx: &Context<'_>) -> Result<Valid<Suspect>, ValidationError> {
    let mut c = Check { ctx, out: Vec::new() };
    c.provider(&s.provider_id, RecordType::Suspect, s.first_contact_date);
    c.date("first_contact_date", s.first_contact_date);
    c.offender(&s.offender);
    c.nuts_in("place_nuts", s.place_nuts, Some(ctx.reporting_country));
    if s.victim_record_refs.contains(&s.record_ref) {
        c.fail("victim_record_refs", Rule::SelfLink);
    }
    c.version(s.record_version);
    let r = s.record_ref.clone();
    c.finish(s, RecordType::Suspect, &r)
}

/// Checks a prosecution record.
pub fn prosecution(p: Prosecution, ctx: &Context<'_>) -> Result<Valid<Prosecution>, ValidationError> {
    let mut c = Check { ctx, out: Vec::new() };
    c.provider(&p.provider_id, RecordType::Prosecution, p.initiated_date);
    c.date("initiated_date", p.initiated_date);
    c.offender(&p.offender);
    match p.status {
        ProsecutionStatus::Finalised => {
            if p.finalised_date.is_none() {
                c.fail("finalised_date", Rule::FinalisedIncomplete);
            }
            if p.outcome.is_none() {
                c.fail("outcome", Rule::FinalisedIncomplete);
            }
        }
        ProsecutionStatus::Ongoing => {
            if p.finalised_date.is_some() {
                c.fail("finalised_date", Rule::OngoingWithOutcome);
            }
            if p.outcome.is_some() {
                c.fail("outcome", Rule::OngoingWithOutcome);
            }
        }
    }
    if let Some(f) = p.finalised_date {
        c.date("finalised_date", f);
        if f < p.initiated_date {
            c.fail("finalised_date", Rule::FinalisedBeforeInitiated);
        }
    }
    if p.suspect_record_ref.as_ref() == Some(&p.record_ref) {
        c.fail("suspect_record_ref", Rule::SelfLink);
    }
    c.version(p.record_version);
    let r = p.record_ref.clone();
    c.finish(p, RecordType::Prosecution, &r)
}

/// Checks a court decision record.
pub fn court_decision(d: CourtDecision, ctx: &Context<'_>) -> Result<Valid<CourtDecision>, ValidationError> {
    let mut c = Check { ctx, out: Vec::new() };
    c.provider(&d.provider_id, RecordType::CourtDecision, d.decision_date);
    c.date("decision_date", d.decision_date);
    c.offender(&d.offender);
    let conviction = d.decision_type == CourtDecisionType::Conviction;
    if d.convicted_of_thb && !conviction {
        c.fail("convicted_of_thb", Rule::ThbConvictionWithoutConviction);
    }
    if !conviction && d.sentence_type.is_some_and(|s| s != SentenceType::None) {
        c.fail("sentence_type", Rule::SentenceWithoutConviction);
    }
    if let Some(m) = d.sentence_months {
        if !matches!(d.sentence_type, Some(SentenceType::Prison | SentenceType::PrisonSuspended)) {
            c.fail("sentence_months", Rule::MonthsWithoutPrison);
        }
        if !(1..=1200).contains(&m) {
            c.fail("sentence_months", Rule::MonthsOutOfRange);
        }
    }
    if d.prosecution_record_ref.as_ref() == Some(&d.record_ref) {
        c.fail("prosecution_record_ref", Rule::SelfLink);
    }
    c.version(d.record_version);
    let r = d.record_ref.clone();
    c.finish(d, RecordType::CourtDecision, &r)
}

/// The valid records of one submission, by type.
#[derive(Clone, Default, Debug)]
pub struct Batch {
    /// Victim registrations.
    pub victims: Vec<Valid<VictimRegistration>>,
    /// Suspects.
    pub suspects: Vec<Valid<Suspect>>,
    /// Prosecutions.
    pub prosecutions: Vec<Valid<Prosecution>>,
    /// Court decisions.
    pub court_decisions: Vec<Valid<CourtDecision>>,
}

impl Batch {
    /// Number of records of every type.
    pub fn len(&self) -> usize {
        self.victims.len() + self.suspects.len() + self.prosecutions.len() + self.court_decisions.len()
    }

    /// Whether the batch holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
