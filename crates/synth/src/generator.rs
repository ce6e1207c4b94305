//! The record generator: one seeded pass that walks the months of the requested years and makes
//! groups of victims exploited together, their registrations by one to three providers, and,
//! for investigated groups, the suspects, prosecutions and court decisions of the case.
//!
//! Memory is bounded by the size of one group (at most a few dozen persons), never by the number
//! of records: a group's victim registrations are buffered only until the case that links them
//! is known, then handed to the [`Sink`] with the case's offender-side records.
//!
//! Determinism: a single `ChaCha8Rng` seeded from [`Params::seed`] drives every choice, in a
//! fixed order; month quotas are computed from the parameters alone. There is no clock and no
//! other source of randomness. Record and case references are unique across providers
//! (`V-2023-000123`, `S-…`, `P-…`, `D-…`, cases `C-…`), so a bare reference in
//! `linked_record_refs` or `victim_record_refs` is never ambiguous.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use model::code::{Country, Nuts, PtDistrict};
use model::codes::{
    AgeGroup, CountryRole, CourtDecisionType, DecisionInstance, ExploitationForm, PersonType,
    ProsecutionOutcome, ProsecutionStatus, ProviderType, RecordType, SentenceType, Sex, VictimStatus,
    YesNoUnknown,
};
use model::{
    CaseRef, Citizenship, Code, Codelists, CourtDecision, DataProvider, Exploitation, Known, Offender,
    Prosecution, ProviderId, RecordRef, Suspect, VictimRegistration,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson};

use crate::providers::{self, AIMA_START, NETWORK_START, Prov, SEF_END, ymd};
use crate::vocab::{Mask, Profile, Region, Vocab, Weighted, sample_mask};
use crate::{Error, Params, Sink, Summary};

/// Makes the records of one [`Params`]; see the module documentation.
///
/// [`Generator::run`] can be called any number of times, from any thread: every run yields the
/// same records in the same order.
pub struct Generator {
    params: Params,
    vocab: Vocab,
    providers: Vec<DataProvider>,
    ids: Vec<ProviderId>,
    seats: Vec<Option<Code<Nuts>>>,
    reg_start: NaiveDate,
    reg_end: NaiveDate,
    limit: NaiveDate,
}

/// Forms with their share of victim *persons* (per mille), labour excluded (it depends on year
/// and month, see [`labour_weight`]).
const OTHER_FORMS: &[(ExploitationForm, f64)] = &[
    (ExploitationForm::Sexual, 190.0),
    (ExploitationForm::Servitude, 20.0),
    (ExploitationForm::Begging, 25.0),
    (ExploitationForm::Criminal, 15.0),
    (ExploitationForm::Marriage, 6.0),
    (ExploitationForm::Slavery, 4.0),
    (ExploitationForm::Other, 5.0),
    (ExploitationForm::Unknown, 15.0),
];

/// Labour exploitation per mille of persons: rising from half in 2010 to about 3/4 (OTSH 2023:
/// 82.7 % of presumed victims), times a harvest-season factor (June to October).
fn labour_weight(year: i32, month: u32) -> f64 {
    let base = (500.0 + 20.0 * f64::from(year - 2010)).clamp(500.0, 720.0);
    const SEASON: [f64; 12] = [0.8, 0.8, 0.9, 1.0, 1.1, 1.4, 1.6, 1.6, 1.6, 1.4, 0.9, 0.8];
    base * SEASON[(month as usize).saturating_sub(1).min(11)]
}

/// Relative yearly volume: about +10 % a year, with the 2020–2021 pandemic dip.
fn growth(year: i32) -> f64 {
    let covid = match year {
        2020 => 0.75,
        2021 => 0.85,
        _ => 1.0,
    };
    1.10f64.powi(year - 2010) * covid
}

/// Persons per group (victims exploited together and found together), by form.
fn group_sizes(form: ExploitationForm) -> &'static [(u16, u32)] {
    match form {
        ExploitationForm::Labour | ExploitationForm::Slavery => &[
            (1, 500),
            (2, 150),
            (3, 100),
            (4, 70),
            (5, 50),
            (6, 30),
            (8, 30),
            (10, 20),
            (15, 20),
            (20, 15),
            (30, 10),
            (40, 5),
        ],
        ExploitationForm::Sexual => &[(1, 750), (2, 150), (3, 60), (4, 30), (6, 10)],
        ExploitationForm::Begging => &[(1, 500), (2, 250), (3, 150), (5, 100)],
        ExploitationForm::Criminal => &[(1, 600), (2, 250), (3, 150)],
        _ => &[(1, 900), (2, 100)],
    }
}

fn mean_size(form: ExploitationForm) -> f64 {
    let t = group_sizes(form);
    let total: u32 = t.iter().map(|&(_, w)| w).sum();
    t.iter().map(|&(s, w)| f64::from(s) * f64::from(w)).sum::<f64>() / f64::from(total.max(1))
}

/// Per mille chance that a victim is a minor, by main form.
fn minor_share(form: ExploitationForm) -> u32 {
    match form {
        ExploitationForm::Sexual => 220,
        ExploitationForm::Labour => 70,
        ExploitationForm::Begging => 450,
        ExploitationForm::Criminal => 350,
        ExploitationForm::Servitude => 150,
        ExploitationForm::Marriage => 550,
        ExploitationForm::Slavery => 50,
        _ => 100,
    }
}

/// Sex of victims by main form: (F, M, UNK) per mille.
fn victim_sex(form: ExploitationForm) -> [u32; 3] {
    match form {
        ExploitationForm::Sexual => [900, 85, 15],
        ExploitationForm::Labour => [170, 820, 10],
        ExploitationForm::Servitude => [750, 240, 10],
        ExploitationForm::Begging => [520, 460, 20],
        ExploitationForm::Criminal => [400, 580, 20],
        ExploitationForm::Marriage => [950, 40, 10],
        ExploitationForm::Slavery => [300, 690, 10],
        ExploitationForm::Unknown => [450, 450, 100],
        _ => [500, 480, 20],
    }
}

/// A second form of exploitation (10 % of groups), by main form.
fn second_forms(form: ExploitationForm) -> &'static [(ExploitationForm, u32)] {
    use ExploitationForm::*;
    match form {
        Labour => &[(Servitude, 40), (Criminal, 20), (Sexual, 20), (Begging, 20)],
        Sexual => &[(Labour, 50), (Marriage, 20), (Criminal, 30)],
        Begging => &[(Criminal, 70), (Servitude, 30)],
        Servitude => &[(Labour, 60), (Sexual, 40)],
        Criminal => &[(Begging, 50), (Sexual, 50)],
        Marriage => &[(Sexual, 60), (Servitude, 40)],
        Slavery | Other => &[(Labour, 1)],
        _ => &[],
    }
}

/// One month of registrations.
struct Month {
    first: NaiveDate,
    last: NaiveDate,
    year: i32,
    month: u32,
    weight: f64,
}

impl Generator {
    /// Prepares a generator: checks the parameters and looks every code up in `lists`.
    ///
    /// Registrations fall in `first_year..=last_year`, but never before 2008 (when the provider
    /// network starts reporting) nor on or after `as_of`; later events (status changes,
    /// prosecutions, decisions) fall before `as_of` too. The parameters are refused when that
    /// leaves no day, or when `first_year > last_year`.
    pub fn new(params: &Params, lists: &Codelists) -> Result<Generator, Error> {
        if params.first_year > params.last_year {
            return Err(Error::Params(format!(
                "first_year {} is after last_year {}",
                params.first_year, params.last_year
            )));
        }
        if !(1990..=2999).contains(&params.first_year) || !(1990..=2999).contains(&params.last_year) {
            return Err(Error::Params("years must lie between 1990 and 2999".into()));
        }
        let limit = params.as_of.pred_opt().ok_or_else(|| Error::Params("as_of is out of range".into()))?;
        let start = ymd(NETWORK_START)
            .max(NaiveDate::from_ymd_opt(params.first_year, 1, 1).unwrap_or(NaiveDate::MIN));
        let end = limit.min(NaiveDate::from_ymd_opt(params.last_year, 12, 31).unwrap_or(NaiveDate::MAX));
        if start > end {
            return Err(Error::Params(format!(
                "no registration day between {start} and the day before as_of ({limit}); registrations start in 2008"
            )));
        }
        let vocab = Vocab::new(lists)?;
        let providers = providers::build(lists)?;
        let ids = providers.iter().map(|p| p.id.clone()).collect();
        let seats = providers.iter().map(|p| p.nuts).collect();
        Ok(Generator { params: *params, vocab, providers, ids, seats, reg_start: start, reg_end: end, limit })
    }

    /// The provider network the records refer to.
    pub fn providers(&self) -> &[DataProvider] {
        &self.providers
    }

    /// Generates every record into `sink`, in a fixed order, and returns the counts.
    pub fn run<S: Sink>(&self, sink: &mut S) -> Result<Summary, S::Error> {
        let months = self.months();
        let total: f64 = months.iter().map(|m| m.weight).sum();
        let n = self.params.victims;
        let mut state = State::new(self);
        let mut cum = 0.0;
        let mut done = 0u64;
        tracing::debug!(
            victims = n,
            months = months.len(),
            seed = self.params.seed,
            "generating synthetic data"
        );
        for (i, m) in months.iter().enumerate() {
            cum += m.weight;
            let target = if i + 1 == months.len() || total <= 0.0 {
                n
            } else {
                ((n as f64) * cum / total).round() as u64
            };
            let quota = target.saturating_sub(done).min(n - done);
            done += quota;
            if quota > 0 {
                state.month(m, quota, sink)?;
            }
        }
        state.summary.providers = self.providers.len() as u64;
        tracing::debug!(summary = ?state.summary, "synthetic data generated");
        Ok(state.summary)
    }

    fn months(&self) -> Vec<Month> {
        let mut out = Vec::new();
        let (mut y, mut m) = (self.reg_start.year(), self.reg_start.month());
        while let Some(month_first) = NaiveDate::from_ymd_opt(y, m, 1) {
            if month_first > self.reg_end {
                break;
            }
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            let next_first = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(NaiveDate::MAX);
            let month_last = next_first.pred_opt().unwrap_or(month_first);
            let first = month_first.max(self.reg_start);
            let last = month_last.min(self.reg_end);
            let days_in_month = (month_last - month_first).num_days() as f64 + 1.0;
            let days = (last - first).num_days() as f64 + 1.0;
            let persons = labour_weight(y, m) + OTHER_FORMS.iter().map(|&(_, w)| w).sum::<f64>();
            out.push(Month {
                first,
                last,
                year: y,
                month: m,
                weight: growth(y) * persons * days / days_in_month,
            });
            (y, m) = (ny, nm);
        }
        out
    }
}

/// A group's shared situation.
struct Group {
    main: ExploitationForm,
    second: Option<ExploitationForm>,
    profile: Profile,
    nat: u8,
    role: CountryRole,
    exploited_in: Known<Code<Country>>,
    place: Option<Code<Nuts>>,
    district: Option<Code<PtDistrict>>,
    sector: Option<Code<model::code::LabourSector>>,
    minor_share: u32,
    base: NaiveDate,
}

/// One person's attributes, shared by all their registrations.
struct Person {
    sex: Sex,
    gender: Option<Code<model::code::GenderHtcds>>,
    age: Option<u8>,
    age_group: AgeGroup,
    minor_at_exploitation: Option<YesNoUnknown>,
    citizenship: [Option<Citizenship>; 2],
    /// Main citizenship is a non-EU foreign country (or stateless).
    non_eu: bool,
    pt: bool,
    recruited_in: Option<Known<Code<Country>>>,
    genuine: bool,
    moc: Mask,
    recruit: Mask,
    sexual: Mask,
    relation: Option<Code<model::code::RecruiterRelation>>,
    duration: Option<Code<model::code::TraffickingDuration>>,
    national_other: bool,
    /// Stand-ins for the keyed match keys a provider computes from the person's identity
    /// (`mosy prepare`): random per person, so registrations of one person share them.
    keys: [[u8; 16]; 4],
}

/// A registration waiting for its group's case.
struct Pending {
    record: VictimRegistration,
    provider: Prov,
}

const KIND_V: usize = 0;
const KIND_S: usize = 1;
const KIND_P: usize = 2;
const KIND_D: usize = 3;
const KIND_C: usize = 4;
const PREFIX: [&str; 5] = ["V", "S", "P", "D", "C"];

/// Mutable state of one run.
struct State<'g> {
    g: &'g Generator,
    rng: ChaCha8Rng,
    base_year: i32,
    counters: Vec<[u64; 5]>,
    buf: String,
    pending: Vec<Pending>,
    summary: Summary,
    /// Investigation / trial / appeal durations (days).
    gamma_90: Gamma<f64>,
    gamma_150: Gamma<f64>,
    gamma_200: Gamma<f64>,
    gamma_60: Gamma<f64>,
    age_adult: Gamma<f64>,
    age_young: Gamma<f64>,
    sizes: Vec<(ExploitationForm, Weighted<u16>)>,
    sef_end: NaiveDate,
    aima_start: NaiveDate,
}

fn gamma(shape: f64, scale: f64) -> Gamma<f64> {
    Gamma::new(shape, scale).expect("shape and scale are positive constants")
}

/// A whole number of days drawn from `d`.
fn days<R: Rng + ?Sized>(rng: &mut R, d: &Gamma<f64>) -> u64 {
    d.sample(rng).max(0.0) as u64
}

fn add_days(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn chance<R: Rng + ?Sized>(rng: &mut R, per_mille: u32) -> bool {
    rng.random_range(0..1000) < per_mille
}

fn yes_no_unk<R: Rng + ?Sized>(rng: &mut R, [y, n, _u]: [u32; 3]) -> YesNoUnknown {
    let x = rng.random_range(0..1000);
    if x < y {
        YesNoUnknown::Yes
    } else if x < y + n {
        YesNoUnknown::No
    } else {
        YesNoUnknown::Unknown
    }
}

fn age_group_of(age: u8) -> AgeGroup {
    if age < 18 { AgeGroup::Under18 } else { AgeGroup::Adult }
}

impl<'g> State<'g> {
    fn new(g: &'g Generator) -> Self {
        let base_year = g.reg_start.year();
        let years = (g.limit.year() - base_year + 1).max(1) as usize;
        let sizes = [
            ExploitationForm::Labour,
            ExploitationForm::Slavery,
            ExploitationForm::Sexual,
            ExploitationForm::Begging,
            ExploitationForm::Criminal,
            ExploitationForm::Unknown,
        ]
        .into_iter()
        .filter_map(|f| Weighted::new(group_sizes(f).iter().copied()).map(|t| (f, t)))
        .collect();
        State {
            g,
            rng: ChaCha8Rng::seed_from_u64(g.params.seed),
            base_year,
            counters: vec![[0; 5]; years],
            buf: String::with_capacity(32),
            pending: Vec::with_capacity(128),
            summary: Summary::default(),
            gamma_90: gamma(2.0, 90.0),
            gamma_150: gamma(2.0, 150.0),
            gamma_200: gamma(2.0, 200.0),
            gamma_60: gamma(2.0, 60.0),
            age_adult: gamma(2.0, 8.0),
            age_young: gamma(1.6, 5.0),
            sizes,
            sef_end: ymd(SEF_END),
            aima_start: ymd(AIMA_START),
        }
    }

    fn group_size(&mut self, form: ExploitationForm) -> u16 {
        let key = match form {
            ExploitationForm::Labour
            | ExploitationForm::Slavery
            | ExploitationForm::Sexual
            | ExploitationForm::Begging
            | ExploitationForm::Criminal => form,
            _ => ExploitationForm::Unknown,
        };
        match self.sizes.iter().find(|(f, _)| *f == key) {
            Some((_, t)) => t.sample(&mut self.rng),
            None => 1,
        }
    }

    fn next_ref(&mut self, kind: usize, date: NaiveDate) -> (i32, u64) {
        let year = date.year();
        let i = (year - self.base_year).clamp(0, self.counters.len() as i32 - 1) as usize;
        self.counters[i][kind] += 1;
        (year, self.counters[i][kind])
    }

    fn format_ref(&mut self, kind: usize, date: NaiveDate) {
        let (year, seq) = self.next_ref(kind, date);
        self.buf.clear();
        let _ = write!(self.buf, "{}-{year}-{seq:06}", PREFIX[kind]);
    }

    fn record_ref(&mut self, kind: usize, date: NaiveDate) -> RecordRef {
        self.format_ref(kind, date);
        RecordRef::new(&self.buf).expect("generated references are `X-YYYY-NNNNNN`, a valid opaque reference")
    }

    fn case_ref(&mut self, date: NaiveDate) -> CaseRef {
        self.format_ref(KIND_C, date);
        CaseRef::new(&self.buf)
            .expect("generated case references are `C-YYYY-NNNNNN`, a valid opaque reference")
    }

    /// A working-hours timestamp on `date`.
    fn stamp(&mut self, date: NaiveDate) -> DateTime<Utc> {
        let secs = self.rng.random_range(8 * 3600..19 * 3600);
        (date.and_time(NaiveTime::MIN) + TimeDelta::seconds(secs)).and_utc()
    }

    /// A day of `[first, last]`, weekdays three times as likely as weekends.
    fn day_in(&mut self, first: NaiveDate, last: NaiveDate) -> NaiveDate {
        let span = (last - first).num_days().max(0) as u64;
        let mut d = first;
        for _ in 0..4 {
            d = add_days(first, self.rng.random_range(0..=span));
            if d.weekday().number_from_monday() <= 5 || chance(&mut self.rng, 330) {
                break;
            }
        }
        d
    }

    /// Substitutes SEF and AIMA for each other according to the date.
    fn valid(&self, p: Prov, date: NaiveDate) -> Prov {
        match p {
            Prov::Sef if date > self.sef_end => Prov::Aima,
            Prov::Aima if date < self.aima_start => Prov::Sef,
            p => p,
        }
    }

    fn month<S: Sink>(&mut self, m: &Month, quota: u64, sink: &mut S) -> Result<(), S::Error> {
        let mut pairs: Vec<(ExploitationForm, u32)> = Vec::with_capacity(OTHER_FORMS.len() + 1);
        let labour = labour_weight(m.year, m.month);
        pairs
            .push((ExploitationForm::Labour, (labour / mean_size(ExploitationForm::Labour) * 1000.0) as u32));
        for &(f, w) in OTHER_FORMS {
            pairs.push((f, (w / mean_size(f) * 1000.0) as u32));
        }
        let Some(forms) = Weighted::new(pairs) else { return Ok(()) };
        let mut left = quota;
        while left > 0 {
            let form = forms.sample(&mut self.rng);
            left -= self.group(form, m, left, sink)?;
        }
        Ok(())
    }

    /// One group of victims and its case; returns the number of registrations made (≥ 1).
    fn group<S: Sink>(
        &mut self,
        main: ExploitationForm,
        m: &Month,
        left: u64,
        sink: &mut S,
    ) -> Result<u64, S::Error> {
        let g = self.g;
        let v = &g.vocab;
        let rng = &mut self.rng;
        let profile = Profile::of(main);
        let second = if main != ExploitationForm::Unknown && chance(rng, 100) {
            Weighted::new(second_forms(main).iter().copied()).map(|t| t.sample(rng))
        } else {
            None
        };
        let nat = v.nat_table(main).sample(rng);
        let pt_nat = v.nats[usize::from(nat)].pt;
        let (role, exploited_in, mut place) = if pt_nat {
            if chance(rng, 350) {
                let c = v.abroad.sample(rng);
                let place = if c == v.es { v.es_place.sample(rng) } else { None };
                (CountryRole::Origin, Known::Known(c), place)
            } else {
                (CountryRole::Destination, Known::Known(v.pt), None)
            }
        } else {
            let x = rng.random_range(0..1000);
            if x < 930 {
                (CountryRole::Destination, Known::Known(v.pt), None)
            } else if x < 970 {
                let c = if chance(rng, 200) { Known::Unknown } else { Known::Known(v.transit.sample(rng)) };
                (CountryRole::Transit, c, None)
            } else if x < 990 {
                (CountryRole::Origin, Known::Known(v.abroad.sample(rng)), None)
            } else {
                (CountryRole::Unknown, Known::Unknown, None)
            }
        };
        let labour_form = [Some(main), second].into_iter().flatten().find(|f| f.is_labour_like());
        let sector = match labour_form {
            Some(f) if chance(rng, 950) => Some(match f {
                ExploitationForm::Servitude => v.sector_servitude.sample(rng),
                ExploitationForm::Slavery => v.sector_slavery.sample(rng),
                _ => v.sector_labour.sample(rng),
            }),
            _ => None,
        };
        let mut district = None;
        if role == CountryRole::Destination && chance(rng, 950) {
            let region = match profile {
                Profile::Labour if sector == Some(v.sector_agri) => Region::Agri,
                Profile::Labour => Region::Urban,
                Profile::Sexual => Region::Sexual,
                Profile::Street => Region::Street,
                Profile::Domestic => Region::Domestic,
            };
            let p = &v.places[usize::from(v.region(region).sample(rng))];
            place = Some(p.nuts);
            if let Some(d) = &p.districts
                && chance(rng, 850)
            {
                district = Some(d.sample(rng));
            }
        }
        let base = self.day_in(m.first, m.last);
        let group = Group {
            main,
            second,
            profile,
            nat,
            role,
            exploited_in,
            place,
            district,
            sector,
            minor_share: minor_share(main),
            base,
        };

        self.pending.clear();
        let size = self.group_size(main);
        let mut made = 0u64;
        let mut persons = 0u64;
        for _ in 0..size {
            if made >= left {
                break;
            }
            let n = match self.rng.random_range(0..1000) {
                0..820 => 1,
                820..960 => 2,
                _ => 3,
            }
            .min(left - made);
            self.person(&group, n as usize);
            made += n;
            persons += 1;
        }
        self.case(&group, persons, sink)?;
        Ok(made.max(1))
    }

    fn new_person(&mut self, gr: &Group) -> Person {
        let g = self.g;
        let v = &g.vocab;
        let rng = &mut self.rng;
        let [f, mm, _] = victim_sex(gr.main);
        let x = rng.random_range(0..1000);
        let sex = if x < f {
            Sex::F
        } else if x < f + mm {
            Sex::M
        } else {
            Sex::Unknown
        };
        let gender = if chance(rng, 200) {
            Some(match sex {
                Sex::F => v.gender_f,
                Sex::M if gr.main == ExploitationForm::Sexual && chance(rng, 150) => v.gender_tf,
                Sex::M => v.gender_m,
                _ => v.gender_unk,
            })
        } else {
            None
        };
        let minor = chance(rng, gr.minor_share);
        let exact = match gr.main {
            ExploitationForm::Begging | ExploitationForm::Criminal if minor => rng.random_range(4..18),
            _ if minor => {
                [13, 14, 14, 15, 15, 15, 16, 16, 16, 16, 17, 17, 17, 17, 17][rng.random_range(0..15)]
            }
            ExploitationForm::Sexual | ExploitationForm::Marriage => {
                18 + (self.age_young.sample(rng) as u32).min(50) as u8
            }
            _ => 18 + (self.age_adult.sample(rng) as u32).min(57) as u8,
        };
        let (age, age_group) = match rng.random_range(0..1000) {
            0..780 => (Some(exact), age_group_of(exact)),
            780..920 => (None, age_group_of(exact)),
            _ => (None, AgeGroup::Unknown),
        };
        let minor_at_exploitation = if chance(rng, 350) {
            None
        } else if age_group == AgeGroup::Unknown {
            Some(YesNoUnknown::Unknown)
        } else if exact < 18 || (exact < 21 && chance(rng, 250)) {
            Some(YesNoUnknown::Yes)
        } else {
            Some(YesNoUnknown::No)
        };
        let nat_i = if gr.role == CountryRole::Destination && chance(rng, 200) {
            v.nat_table(gr.main).sample(rng)
        } else {
            gr.nat
        };
        let nat = v.nats[usize::from(nat_i)];
        let special = rng.random_range(0..1000);
        let (citizenship, non_eu, pt) = if special < 20 {
            ([Some(Citizenship::Unknown), None], false, false)
        } else if special < 23 {
            ([Some(Citizenship::Stateless), None], true, false)
        } else {
            let dual = match nat.dual {
                Some((c, w)) if chance(rng, w) => Some(Citizenship::Country(c)),
                _ => None,
            };
            ([Some(v.citizenship(nat_i)), dual], !nat.pt && !nat.eu, nat.pt)
        };
        let recruited_in = match rng.random_range(0..1000) {
            0..60 => None,
            60..100 => Some(Known::Unknown),
            _ if pt => Some(Known::Known(v.pt)),
            100..200 if gr.role == CountryRole::Destination => Some(Known::Known(v.pt)),
            _ => match citizenship[0] {
                Some(Citizenship::Country(c)) => Some(Known::Known(c)),
                _ => Some(Known::Unknown),
            },
        };
        let moc = if chance(rng, 750) {
            let k = match rng.random_range(0..100) {
                0..30 => 1,
                30..65 => 2,
                65..90 => 3,
                _ => 4,
            };
            sample_mask(v.moc_table(gr.profile), k, rng)
        } else {
            Mask::default()
        };
        let recruit = if chance(rng, 600) {
            sample_mask(v.recruit_table(gr.profile), if chance(rng, 800) { 1 } else { 2 }, rng)
        } else {
            Mask::default()
        };
        let has_sexual = gr.main == ExploitationForm::Sexual || gr.second == Some(ExploitationForm::Sexual);
        let sexual = if has_sexual && chance(rng, 850) {
            sample_mask(&v.sexual_type_table, if chance(rng, 900) { 1 } else { 2 }, rng)
        } else {
            Mask::default()
        };
        let relation = chance(rng, 550).then(|| v.relation_table(gr.profile).sample(rng));
        let duration = chance(rng, 600).then(|| v.duration_table(gr.profile).sample(rng));
        let has_other = gr.main == ExploitationForm::Other || gr.second == Some(ExploitationForm::Other);
        let national_other = has_other && chance(rng, 600);
        Person {
            sex,
            gender,
            age,
            age_group,
            minor_at_exploitation,
            citizenship,
            non_eu,
            pt,
            recruited_in,
            genuine: chance(rng, 800),
            moc,
            recruit,
            sexual,
            relation,
            duration,
            national_other,
            // Bit 7 of a key's first byte marks the year-only key kind (privacy::linkage):
            // these stand for exact-date keys, so it stays clear.
            keys: std::array::from_fn(|_| {
                let mut k: [u8; 16] = rng.random();
                k[0] &= 0x7f;
                k
            }),
        }
    }

    /// Makes one person's `n` registrations into `self.pending`.
    fn person(&mut self, gr: &Group, n: usize) {
        let p = self.new_person(gr);
        self.summary.victim_persons += 1;
        let linked = n > 1 && chance(&mut self.rng, 500);
        if n > 1 {
            self.summary.victim_persons_multi += 1;
            if linked {
                self.summary.victim_persons_linked += 1;
            }
        }
        let mut date = add_days(gr.base, self.rng.random_range(0..=10)).min(self.g.reg_end);
        let mut used: [Option<Prov>; 3] = [None; 3];
        let mut refs: [Option<RecordRef>; 3] = [None, None, None];
        for k in 0..n.min(3) {
            if k > 0 {
                let lag = 1 + self.rng.random_range(0..20) + self.rng.random_range(0..40);
                date = add_days(date, lag).min(self.g.reg_end);
            }
            let prov = self.pick_provider(gr, &p, k, &used, date);
            used[k] = Some(prov);
            let mut links = BTreeSet::new();
            if linked && k > 0 {
                if let Some(r) = &refs[k - 1] {
                    links.insert(r.clone());
                }
                if k == 2
                    && chance(&mut self.rng, 400)
                    && let Some(r) = &refs[0]
                {
                    links.insert(r.clone());
                }
            }
            let record = self.registration(gr, &p, prov, k, date, links);
            refs[k] = Some(record.record_ref.clone());
            self.pending.push(Pending { record, provider: prov });
        }
    }

    fn pick_provider(
        &mut self,
        gr: &Group,
        p: &Person,
        k: usize,
        used: &[Option<Prov>; 3],
        date: NaiveDate,
    ) -> Prov {
        let g = self.g;
        let fp = &g.vocab.first_provider;
        let minor = p.age_group == AgeGroup::Under18;
        let prof = gr.profile as usize;
        let prev = if k > 0 { used[k - 1] } else { None };
        for _ in 0..8 {
            let rng = &mut self.rng;
            let cand = match prev {
                None => match gr.role {
                    CountryRole::Origin => fp.origin.sample(rng),
                    CountryRole::Transit => fp.transit.sample(rng),
                    _ if minor && chance(rng, 400) => fp.minors.sample(rng),
                    _ => fp.by_profile[prof].sample(rng),
                },
                Some(q) => {
                    let identifies = q.spec().can_formally_identify;
                    if identifies == chance(rng, 300) {
                        fp.police[prof].sample(rng)
                    } else {
                        fp.support.sample(rng)
                    }
                }
            };
            let cand = self.valid(cand, date);
            if !used.contains(&Some(cand)) {
                return cand;
            }
        }
        [Prov::Apav, Prov::Rapvt, Prov::Apf, Prov::Iom]
            .into_iter()
            .find(|c| !used.contains(&Some(*c)))
            .unwrap_or(Prov::Akto)
    }

    /// Status history up to the extraction date: (status, status date, record version).
    fn status(&mut self, prov: Prov, genuine: bool, reg: NaiveDate) -> (VictimStatus, NaiveDate, u32) {
        let limit = self.g.limit;
        let (mut status, mut date, mut version) = (VictimStatus::Signalled, reg, 1u32);
        if prov.spec().can_formally_identify {
            if chance(&mut self.rng, 850) {
                let d = add_days(reg, self.rng.random_range(0..=45));
                if d > limit {
                    return (status, date, version);
                }
                (status, date, version) = (VictimStatus::Pending, d, version + 1);
            }
            if chance(&mut self.rng, 700) {
                let lag = 20 + days(&mut self.rng, &self.gamma_90);
                let d = add_days(date, lag);
                if d <= limit {
                    status = if !genuine {
                        VictimStatus::NotConfirmed
                    } else if chance(&mut self.rng, 920) {
                        VictimStatus::Confirmed
                    } else {
                        VictimStatus::Declined
                    };
                    (date, version) = (d, version + 1);
                }
            }
        } else if !genuine {
            if chance(&mut self.rng, 600) {
                let d = add_days(reg, 30 + days(&mut self.rng, &self.gamma_60));
                if d <= limit {
                    (status, date, version) = (VictimStatus::NotConfirmed, d, 2);
                }
            }
        } else {
            let x = self.rng.random_range(0..1000);
            if x < 210 {
                let (s, d) = if x < 60 {
                    (VictimStatus::Declined, add_days(reg, self.rng.random_range(1..=60)))
                } else {
                    (VictimStatus::Pending, add_days(reg, self.rng.random_range(1..=30)))
                };
                if d <= limit {
                    (status, date, version) = (s, d, 2);
                }
            }
        }
        (status, date, version)
    }

    fn registration(
        &mut self,
        gr: &Group,
        p: &Person,
        prov: Prov,
        k: usize,
        date: NaiveDate,
        linked_record_refs: BTreeSet<RecordRef>,
    ) -> VictimRegistration {
        let record_ref = self.record_ref(KIND_V, date);
        let spec = prov.spec();
        let (status, status_date, mut record_version) = self.status(prov, p.genuine, date);
        let mut updated = status_date;
        if chance(&mut self.rng, 100) {
            updated = add_days(updated, self.rng.random_range(1..=200)).min(self.g.limit);
            record_version += 1;
        }
        let updated_at = self.stamp(updated);
        let g = self.g;
        let v = &g.vocab;
        let rng = &mut self.rng;
        let identifying_authority_type = (status == VictimStatus::Confirmed).then_some(spec.provider_type);
        // Later registrations may see the person a year older.
        let age = match p.age {
            Some(a) if k > 0 && chance(rng, 150) => Some(a.saturating_add(1).min(120)),
            a => a,
        };
        let age_group = age.map_or(p.age_group, age_group_of);
        // Later providers record a little less.
        let keep = |rng: &mut ChaCha8Rng| k == 0 || chance(rng, 900);
        let detection = if spec.provider_type == ProviderType::Consular {
            None
        } else if gr.role == CountryRole::Destination {
            match rng.random_range(0..100) {
                0..75 if gr.place.is_some() => gr.place,
                0..90 => g.seats[prov as usize],
                _ => None,
            }
        } else if chance(rng, 500) {
            Some(v.places[usize::from(v.home_region.sample(rng))].nuts)
        } else {
            None
        };
        let mut forms = BTreeSet::new();
        forms.insert(gr.main);
        if let Some(s) = gr.second {
            forms.insert(s);
        }
        let class = match spec.provider_type {
            ProviderType::Police | ProviderType::Border => [400, 250, 350],
            ProviderType::LabourInspectorate | ProviderType::Immigration => [250, 300, 450],
            ProviderType::Consular => [700, 100, 200],
            _ => [800, 100, 100],
        };
        let assistance_received = yes_no_unk(rng, class);
        let mut support_types = BTreeSet::new();
        if assistance_received == YesNoUnknown::Yes && chance(rng, 850) {
            let si = v.support_idx;
            let minor = age_group == AgeGroup::Under18;
            let labour = forms.iter().any(|f| f.is_labour_like());
            let sexual = forms.contains(&ExploitationForm::Sexual);
            for (i, pm) in [
                (si.social_care, 700),
                (si.health, 500),
                (si.legal, 500),
                (si.financial, 300),
                (si.livelihood, 200),
                (si.education, if minor { 600 } else { 50 }),
                (si.labour_rehab, if labour { 350 } else { 0 }),
                (si.sexual_rehab, if sexual { 450 } else { 0 }),
                (si.rights_training, 100),
            ] {
                if chance(rng, pm) {
                    support_types.insert(v.support[usize::from(i)]);
                }
            }
            if support_types.is_empty() {
                support_types.insert(v.support[usize::from(si.social_care)]);
            }
        }
        let strong = spec.can_formally_identify || prov == Prov::Rapvt;
        let reflection_period_granted = if p.non_eu {
            yes_no_unk(rng, if strong { [300, 400, 300] } else { [100, 300, 600] })
        } else {
            yes_no_unk(rng, [0, 600, 400])
        };
        let residence_permit_granted = if p.non_eu {
            yes_no_unk(rng, if status == VictimStatus::Confirmed { [550, 200, 250] } else { [100, 400, 500] })
        } else if p.pt {
            yes_no_unk(rng, [0, 800, 200])
        } else {
            yes_no_unk(rng, [0, 700, 300])
        };
        let moc = if keep(rng) { p.moc } else { Mask::default() };
        let recruit = if keep(rng) { p.recruit } else { Mask::default() };
        let relation = if keep(rng) { p.relation } else { None };
        let duration = if keep(rng) { p.duration } else { None };
        // 9 in 10 registrations carry linkage keys; each key survives the provider's data entry
        // (a typo in a name changes some keys) with probability 0.85, at least one is kept.
        let linkage = chance(rng, 900).then(|| {
            let mut set: BTreeSet<model::LinkageKey> = p
                .keys
                .iter()
                .filter(|_| chance(rng, 850))
                .map(|k| model::LinkageKey::from_bytes(*k))
                .collect();
            if set.is_empty() {
                set.insert(model::LinkageKey::from_bytes(p.keys[0]));
            }
            set
        });
        VictimRegistration {
            record_ref,
            provider_id: g.ids[prov as usize].clone(),
            registration_date: date,
            status,
            status_date,
            identifying_authority_type,
            linked_record_refs,
            sex: p.sex,
            gender: p.gender,
            age_at_registration: age,
            age_group,
            minor_at_exploitation: p.minor_at_exploitation,
            citizenship: p.citizenship.iter().flatten().copied().collect(),
            country_of_recruitment: p.recruited_in,
            country_of_exploitation: gr.exploited_in,
            place_of_exploitation_nuts: gr.place,
            place_of_detection_nuts: detection,
            district: gr.district,
            country_role: gr.role,
            exploitation: Exploitation { forms, main: gr.main },
            exploitation_national_code: p.national_other.then(|| v.national_other.clone()),
            labour_sector: gr.sector,
            sexual_exploitation_type: p.sexual.indices().map(|i| v.sexual_types[usize::from(i)]).collect(),
            means_of_control: moc.indices().map(|i| v.moc[usize::from(i)]).collect(),
            recruitment_method: recruit.indices().map(|i| v.recruit[usize::from(i)]).collect(),
            recruiter_relation: relation,
            trafficking_duration: duration,
            assistance_received,
            support_types,
            reflection_period_granted,
            residence_permit_granted,
            case_refs: BTreeSet::new(),
            record_version,
            updated_at,
            linkage_key_id: linkage.as_ref().map(|_| v.linkage_key_id.clone()),
            linkage_keys: linkage.unwrap_or_default(),
        }
    }

    /// Decides whether the group's exploitation became a police case, makes its suspects,
    /// prosecutions and court decisions, and hands everything to `sink`.
    fn case<S: Sink>(&mut self, gr: &Group, persons: u64, sink: &mut S) -> Result<(), S::Error> {
        let g = self.g;
        let by_police = self
            .pending
            .iter()
            .find(|p| p.provider.spec().submits.contains(&RecordType::Suspect))
            .map(|p| (p.provider, p.record.registration_date));
        let q = if by_police.is_some() { 0.75 } else { 0.30 };
        let investigated = self.rng.random::<f64>() < q;
        let mut suspects = 0u64;
        let mut case = None;
        if investigated {
            let (prov, base) = match by_police {
                Some(found) => found,
                None => {
                    let p = g.vocab.case_provider[gr.profile as usize].sample(&mut self.rng);
                    (p, gr.base)
                }
            };
            let mut contact = add_days(base, self.rng.random_range(0..=120)).min(g.limit);
            let prov = match prov {
                Prov::Sef if base > self.sef_end => Prov::Pj,
                Prov::Sef => {
                    contact = contact.min(self.sef_end);
                    Prov::Sef
                }
                p => p,
            };
            let lambda = (0.6 * persons as f64 / q - 1.0).max(0.0);
            let extra = if lambda > 0.0 {
                Poisson::new(lambda).map(|d| d.sample(&mut self.rng) as u64).unwrap_or(0)
            } else {
                0
            };
            suspects = (1 + extra).min(60);
            let case_ref = self.case_ref(contact);
            let mut victims = BTreeSet::new();
            for p in self.pending.iter_mut().filter(|p| p.provider == prov) {
                p.record.case_refs.insert(case_ref.clone());
                if victims.len() < model::text::MAX_SET_VALUES && chance(&mut self.rng, 850) {
                    victims.insert(p.record.record_ref.clone());
                }
            }
            case = Some((prov, contact, case_ref, victims));
        }
        self.summary.victims += self.pending.len() as u64;
        for p in self.pending.drain(..) {
            sink.victim(p.record)?;
        }
        if let Some((prov, contact, case_ref, victims)) = case {
            for i in 0..suspects {
                self.suspect(gr, prov, contact, &case_ref, &victims, i, suspects, sink)?;
            }
        }
        Ok(())
    }

    fn offender(&mut self, gr: &Group, legal: bool) -> Offender {
        let g = self.g;
        let v = &g.vocab;
        let rng = &mut self.rng;
        let mut forms = BTreeSet::new();
        forms.insert(gr.main);
        if let Some(s) = gr.second {
            forms.insert(s);
        }
        let exploitation = Exploitation { forms, main: gr.main };
        if legal {
            let c = if chance(rng, 900) { v.pt } else { v.es };
            return Offender {
                person_type: PersonType::Legal,
                sex: None,
                age_group: None,
                citizenship: vec![Citizenship::Country(c)],
                exploitation,
            };
        }
        let [m, f] = match gr.profile {
            Profile::Labour => [850, 130],
            Profile::Sexual => [650, 330],
            Profile::Street => [550, 430],
            Profile::Domestic => [700, 280],
        };
        let x = rng.random_range(0..1000);
        let sex = if x < m {
            Sex::M
        } else if x < m + f {
            Sex::F
        } else {
            Sex::Unknown
        };
        let age_group = if chance(rng, 960) { AgeGroup::Adult } else { AgeGroup::Unknown };
        let x = rng.random_range(0..1000);
        let first = if x < 450 {
            v.citizenship(gr.nat)
        } else if x < 800 {
            Citizenship::Country(v.pt)
        } else if x < 980 {
            v.citizenship(v.nat_table(gr.main).sample(rng))
        } else {
            Citizenship::Unknown
        };
        let mut citizenship = vec![first];
        if let Citizenship::Country(c) = first
            && c != v.pt
            && chance(rng, 30)
        {
            citizenship.push(Citizenship::Country(v.pt));
        }
        Offender {
            person_type: PersonType::Natural,
            sex: Some(sex),
            age_group: Some(age_group),
            citizenship,
            exploitation,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn suspect<S: Sink>(
        &mut self,
        gr: &Group,
        prov: Prov,
        contact: NaiveDate,
        case_ref: &CaseRef,
        victims: &BTreeSet<RecordRef>,
        i: u64,
        n: u64,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let g = self.g;
        let legal_pm = match (gr.profile, prov) {
            (Profile::Labour, Prov::Act) => 250,
            (Profile::Labour, _) => 40,
            _ => 5,
        };
        let legal = i > 0 && chance(&mut self.rng, legal_pm);
        let offender = self.offender(gr, legal);
        let mut first_contact = contact;
        if i > 0 && chance(&mut self.rng, 500) {
            first_contact = add_days(contact, self.rng.random_range(1..=30)).min(g.limit);
            if prov == Prov::Sef {
                first_contact = first_contact.min(self.sef_end);
            }
        }
        let record_ref = self.record_ref(KIND_S, first_contact);
        let rng = &mut self.rng;
        let organised_crime = yes_no_unk(
            rng,
            match n {
                1 => [100, 650, 250],
                2 => [350, 450, 200],
                _ => [650, 200, 150],
            },
        );
        let mut role_in_process = BTreeSet::new();
        if chance(rng, 700) {
            if i == 0 {
                role_in_process.insert(g.vocab.role_exploiter);
            }
            role_in_process.insert(g.vocab.roles.sample(rng));
            if chance(rng, 250) {
                role_in_process.insert(g.vocab.roles.sample(rng));
            }
        }
        let offence_code = if gr.main == ExploitationForm::Slavery {
            &g.vocab.offence_slavery
        } else {
            &g.vocab.offence_thb
        }
        .clone();
        let place_nuts = match gr.place {
            Some(p) if gr.role == CountryRole::Destination && p.as_str().starts_with("PT") => Some(p),
            _ if chance(rng, 500) => g.seats[prov as usize],
            _ => None,
        };
        // Prosecution: indictment after an inquiry of a year or more.
        let lag = 120 + days(&mut self.rng, &self.gamma_150);
        let initiated = add_days(first_contact, lag);
        let prosecuted = initiated <= g.limit && chance(&mut self.rng, if legal { 350 } else { 500 });
        let record_version = if prosecuted { 2 } else { 1 };
        let updated_day = if prosecuted { initiated } else { first_contact };
        let updated_at = self.stamp(updated_day);
        let offence_for_prosecution = offence_code.clone();
        let suspect = Suspect {
            record_ref,
            provider_id: g.ids[prov as usize].clone(),
            case_ref: case_ref.clone(),
            first_contact_date: first_contact,
            offender: offender.clone(),
            organised_crime,
            role_in_process,
            offence_code,
            place_nuts,
            victim_record_refs: victims.clone(),
            record_version,
            updated_at,
        };
        let suspect_ref = suspect.record_ref.clone();
        self.summary.suspects += 1;
        sink.suspect(suspect)?;
        if prosecuted {
            self.prosecution(initiated, offender, offence_for_prosecution, case_ref, suspect_ref, sink)?;
        }
        Ok(())
    }

    fn prosecution<S: Sink>(
        &mut self,
        initiated: NaiveDate,
        offender: Offender,
        offence_code: model::NationalCode,
        case_ref: &CaseRef,
        suspect_ref: RecordRef,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let g = self.g;
        let record_ref = self.record_ref(KIND_P, initiated);
        let finalised = add_days(initiated, 90 + days(&mut self.rng, &self.gamma_200));
        let legal = offender.person_type == PersonType::Legal;
        let (status, finalised_date, outcome) = if finalised <= g.limit {
            let x = self.rng.random_range(0..1000);
            let conv = if legal { 400 } else { 480 };
            let outcome = if x < conv {
                ProsecutionOutcome::Conviction
            } else if x < 780 {
                ProsecutionOutcome::Acquittal
            } else if x < 860 {
                ProsecutionOutcome::Dismissed
            } else if x < 950 {
                ProsecutionOutcome::Reclassified
            } else {
                ProsecutionOutcome::Other
            };
            (ProsecutionStatus::Finalised, Some(finalised), Some(outcome))
        } else {
            (ProsecutionStatus::Ongoing, None, None)
        };
        let updated_at = self.stamp(finalised_date.unwrap_or(initiated));
        let suspect_record_ref = chance(&mut self.rng, 920).then_some(suspect_ref);
        let prosecution = Prosecution {
            record_ref,
            provider_id: g.ids[Prov::Mp as usize].clone(),
            case_ref: case_ref.clone(),
            suspect_record_ref,
            initiated_date: initiated,
            offender,
            offence_code,
            status,
            finalised_date,
            outcome,
            record_version: if status == ProsecutionStatus::Finalised { 2 } else { 1 },
            updated_at,
        };
        self.summary.prosecutions += 1;
        let decision = match (finalised_date, outcome) {
            (Some(d), Some(ProsecutionOutcome::Conviction)) => {
                Some((d, CourtDecisionType::Conviction, chance(&mut self.rng, 950)))
            }
            (Some(d), Some(ProsecutionOutcome::Reclassified)) => {
                Some((d, CourtDecisionType::Conviction, false))
            }
            (Some(d), Some(ProsecutionOutcome::Acquittal)) => Some((d, CourtDecisionType::Acquittal, false)),
            _ => None,
        };
        let offender = decision.map(|_| prosecution.offender.clone());
        let prosecution_ref = prosecution.record_ref.clone();
        sink.prosecution(prosecution)?;
        if let (Some((date, kind, thb)), Some(offender)) = (decision, offender) {
            self.decisions(date, kind, thb, offender, case_ref, &prosecution_ref, sink)?;
        }
        Ok(())
    }

    fn sentence(
        &mut self,
        kind: CourtDecisionType,
        thb: bool,
        legal: bool,
    ) -> (Option<SentenceType>, Option<u16>) {
        if kind != CourtDecisionType::Conviction {
            return (None, None);
        }
        let rng = &mut self.rng;
        if legal {
            return (Some(if chance(rng, 900) { SentenceType::Fine } else { SentenceType::Other }), None);
        }
        let x = rng.random_range(0..1000);
        let (prison, susp, fine) = if thb { (550, 930, 970) } else { (200, 800, 1000) };
        if x < prison {
            let base = if thb { 36.0 } else { 12.0 };
            let months = (base + self.gamma_60.sample(rng) / 2.5).min(240.0) as u16;
            (Some(SentenceType::Prison), Some(months.max(12)))
        } else if x < susp {
            (Some(SentenceType::PrisonSuspended), Some([12, 18, 24, 30, 36, 48, 60][rng.random_range(0..7)]))
        } else if x < fine {
            (Some(SentenceType::Fine), None)
        } else {
            (Some(SentenceType::Other), None)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn decisions<S: Sink>(
        &mut self,
        first_date: NaiveDate,
        first_kind: CourtDecisionType,
        thb: bool,
        offender: Offender,
        case_ref: &CaseRef,
        prosecution_ref: &RecordRef,
        sink: &mut S,
    ) -> Result<(), S::Error> {
        let g = self.g;
        let legal = offender.person_type == PersonType::Legal;
        let mut date = first_date;
        let mut kind = first_kind;
        let mut thb = thb;
        let (mut sentence_type, mut months) = self.sentence(kind, thb, legal);
        let appeal_pm = if kind == CourtDecisionType::Conviction { 400 } else { 200 };
        let appealed = chance(&mut self.rng, appeal_pm);
        let mut instances = vec![DecisionInstance::First];
        if appealed {
            instances.push(DecisionInstance::Appeal);
            if chance(&mut self.rng, 250) {
                instances.push(DecisionInstance::Final);
            }
        }
        for instance in instances {
            if instance != DecisionInstance::First {
                date = add_days(date, 120 + days(&mut self.rng, &self.gamma_90));
                if date > g.limit {
                    break;
                }
                let x = self.rng.random_range(0..1000);
                let reduced = chance(&mut self.rng, 200);
                match kind {
                    CourtDecisionType::Conviction if x < 750 => {
                        // Upheld, sometimes with a shorter sentence.
                        months = months.map(|m| if reduced { (m * 4 / 5).max(12) } else { m });
                    }
                    CourtDecisionType::Conviction if x < 850 => {
                        (kind, thb, sentence_type, months) =
                            (CourtDecisionType::Acquittal, false, None, None);
                    }
                    CourtDecisionType::Conviction => {
                        (kind, thb, sentence_type, months) = (CourtDecisionType::Other, false, None, None);
                    }
                    _ if x < 300 => {
                        kind = CourtDecisionType::Conviction;
                        thb = true;
                        (sentence_type, months) = self.sentence(kind, thb, legal);
                    }
                    _ => {}
                }
            }
            let record_ref = self.record_ref(KIND_D, date);
            let updated_at = self.stamp(date);
            let prosecution_record_ref = chance(&mut self.rng, 950).then(|| prosecution_ref.clone());
            let d = CourtDecision {
                record_ref,
                provider_id: g.ids[Prov::Dgpj as usize].clone(),
                case_ref: case_ref.clone(),
                prosecution_record_ref,
                decision_date: date,
                instance,
                decision_type: kind,
                convicted_of_thb: thb && kind == CourtDecisionType::Conviction,
                offender: offender.clone(),
                sentence_type,
                sentence_months: months,
                record_version: 1,
                updated_at,
            };
            self.summary.court_decisions += 1;
            sink.court_decision(d)?;
        }
        Ok(())
    }
}
