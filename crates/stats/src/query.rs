//! Queries and the cross-tabulation kernel.
//!
//! A query is resolved against one fact table into, per dimension, a lookup table from stored
//! value to category, and per filter a table of allowed stored values. The kernel then walks the
//! rows (or persons) in chunks: a mask pass per filter, a key pass per dimension
//! (`key += lut[value] * stride`), and one scatter pass into dense counts and cell keys. Each pass
//! is a tight loop over one column; the rows are split between the available cores.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use model::ModelCode;
use model::codes::{
    CourtDecisionType, DecisionInstance, ExploitationForm, ProsecutionStatus, ProviderType, VictimStatus,
};

use crate::Error;
use crate::build::NO_DAY;
use crate::dict::{Dicts, Field, UNK, date_of, day_of};
use crate::dims::{Dim, Granularity};
use crate::facts::{Column, EngineStats, Facts, Persons};

mod histories;

pub use histories::{Histories, ListDef, MAX_HISTORY_LISTS};

/// What a table counts (domain.md §6.1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Measure {
    /// Victim registrations (one per provider and person), by registration date.
    Registrations,
    /// De-duplicated persons, by the date of their earliest registration; a person's attributes
    /// are those of that registration, its status the strongest of its registrations.
    Persons,
    /// Suspects (police data), by date of first formal contact.
    Suspects,
    /// Prosecuted persons (per case), by initiation date.
    Prosecuted,
    /// Finalised prosecutions (P3_04), by finalisation date.
    FinalisedProsecutions,
    /// Convicted persons: conviction of trafficking at first instance, by decision date.
    Convicted,
}

impl Measure {
    /// Every measure.
    pub const ALL: &'static [Measure] = &[
        Measure::Registrations,
        Measure::Persons,
        Measure::Suspects,
        Measure::Prosecuted,
        Measure::FinalisedProsecutions,
        Measure::Convicted,
    ];

    /// The measure's id.
    pub fn id(self) -> &'static str {
        match self {
            Measure::Registrations => "registrations",
            Measure::Persons => "persons",
            Measure::Suspects => "suspects",
            Measure::Prosecuted => "prosecuted",
            Measure::FinalisedProsecutions => "finalised_prosecutions",
            Measure::Convicted => "convicted",
        }
    }

    /// Parses a measure id.
    pub fn parse(text: &str) -> Result<Measure, Error> {
        Measure::ALL
            .iter()
            .copied()
            .find(|m| m.id() == text.trim())
            .ok_or_else(|| Error::UnknownMeasure(text.trim().to_string()))
    }

    /// The counting rule in words (for the metadata of every output).
    pub fn rule(self) -> &'static str {
        match self {
            Measure::Registrations => {
                "victim registrations with a registered status (identified or presumed; NOT_CONFIRMED excluded \
                 unless all statuses are asked for), by registration date"
            }
            Measure::Persons => {
                "persons de-duplicated across providers (linkage keys and explicit links), counted once, by the \
                 date of their earliest registration; attributes of the earliest registration, strongest status; \
                 by provider a person counts under every provider that registered them"
            }
            Measure::Suspects => "suspect records, by date of first formal contact",
            Measure::Prosecuted => "prosecuted persons per case, by initiation date",
            Measure::FinalisedProsecutions => "prosecutions with status FINALISED, by finalisation date",
            Measure::Convicted => {
                "persons convicted of trafficking (decision CONVICTION, convicted_of_thb) at first instance, \
                 per case, by decision date"
            }
        }
    }

    fn facts(self) -> Source {
        match self {
            Measure::Registrations => Source::Victims,
            Measure::Persons => Source::Persons,
            Measure::Suspects => Source::Suspects,
            Measure::Prosecuted | Measure::FinalisedProsecutions => Source::Prosecutions,
            Measure::Convicted => Source::Decisions,
        }
    }
}

/// How multi-valued fields (forms of exploitation) are counted.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum Counting {
    /// Once, under the main value (tables add up).
    #[default]
    SingleCount,
    /// Under every value (tables do not add up; totals count each unit once).
    MultiCount,
}

impl Counting {
    /// The id used in outputs.
    pub fn id(self) -> &'static str {
        match self {
            Counting::SingleCount => "single-count",
            Counting::MultiCount => "multi-count",
        }
    }
}

/// An inclusive date range.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DateRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

impl DateRange {
    /// A whole year.
    pub fn year(year: i32) -> DateRange {
        DateRange {
            from: NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
            to: NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
        }
    }

    /// A quarter.
    pub fn quarter(period: model::Period) -> DateRange {
        DateRange { from: period.first_day(), to: period.last_day() }
    }
}

/// Keep only units whose category on `dim` is one of `codes`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Filter {
    /// The dimension filtered on.
    pub dim: Dim,
    /// The allowed category codes.
    pub codes: Vec<String>,
}

/// A cross-tabulation request.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Query {
    /// What to count.
    pub measure: Measure,
    /// Up to eight dimensions (reports use up to three; disclosure control uses more).
    pub dims: Vec<Dim>,
    /// Filters (all must hold).
    pub filters: Vec<Filter>,
    /// Only events in this range (of the measure's date).
    pub period: Option<DateRange>,
    /// Single- or multi-count of forms of exploitation.
    pub counting: Counting,
    /// Count victims of every status, NOT_CONFIRMED included.
    pub all_statuses: bool,
}

impl Query {
    /// A query for `measure` by `dims`, with no filter.
    pub fn new(measure: Measure, dims: &[Dim]) -> Query {
        Query {
            measure,
            dims: dims.to_vec(),
            filters: Vec::new(),
            period: None,
            counting: Counting::SingleCount,
            all_statuses: false,
        }
    }

    /// Adds a filter.
    pub fn filter(mut self, dim: Dim, codes: &[&str]) -> Query {
        self.filters.push(Filter { dim, codes: codes.iter().map(|c| c.to_string()).collect() });
        self
    }

    /// Restricts to a date range.
    pub fn period(mut self, range: DateRange) -> Query {
        self.period = Some(range);
        self
    }

    /// Sets the counting of multi-valued fields.
    pub fn counting(mut self, counting: Counting) -> Query {
        self.counting = counting;
        self
    }
}

/// The interior of a cross-tabulation: dense counts over the categories of each dimension.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CrossTab {
    /// The dimensions.
    pub dims: Vec<Dim>,
    /// Category codes of each dimension.
    pub categories: Vec<Vec<String>>,
    /// Counts, row-major (the last dimension varies fastest).
    pub counts: Vec<u64>,
    /// Cell keys (wrapping sums of record keys), same layout.
    pub keys: Vec<u32>,
    /// Whether some dimension counted a unit under several categories.
    pub multi: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    Victims,
    Persons,
    Suspects,
    Prosecutions,
    Decisions,
}

/// How a dimension yields categories for a unit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Multi {
    /// One category: `lut[value]`.
    No,
    /// Every set bit of the forms bitset.
    Forms,
    /// Every provider of the person's registrations.
    PersonProviders,
}

#[derive(Clone, Debug)]
struct Resolved {
    field: Field,
    /// Read from the person table instead of the lead registration.
    person_status: bool,
    lut: Vec<u16>,
    categories: Vec<String>,
    multi: Multi,
}

/// The statistics engine (see the crate documentation).
#[derive(Clone, Debug)]
pub struct Engine {
    dicts: Dicts,
    victims: Facts,
    persons: Persons,
    suspects: Facts,
    prosecutions: Facts,
    decisions: Facts,
    data_version: String,
    threads: usize,
}

const CHUNK: usize = crate::facts::ZONE;
/// Largest dense table the kernel allocates (cells).
const MAX_CELLS: usize = 1 << 24;

impl Engine {
    pub(crate) fn new(
        dicts: Dicts,
        victims: Facts,
        persons: Persons,
        suspects: Facts,
        prosecutions: Facts,
        decisions: Facts,
        data_version: String,
    ) -> Engine {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        Engine { dicts, victims, persons, suspects, prosecutions, decisions, data_version, threads }
    }

    /// Sets how many threads queries use (default: the available cores, at most 8).
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.max(1);
    }

    /// Sizes of the engine's tables.
    pub fn stats(&self) -> EngineStats {
        EngineStats::of(&self.victims, &self.persons, &[&self.suspects, &self.prosecutions, &self.decisions])
    }

    /// The data version the engine was built from.
    pub fn data_version(&self) -> &str {
        &self.data_version
    }

    /// The reporting country (Eurostat code).
    pub fn reporting_country(&self) -> &str {
        &self.dicts.reporting_country
    }

    /// Provider ids known to the engine, in dictionary order.
    pub fn providers(&self) -> &[String] {
        &self.dicts.providers
    }

    /// The type of each provider, same order as [`Engine::providers`].
    pub fn provider_types(&self) -> &[ProviderType] {
        &self.dicts.provider_types
    }

    /// The first and last event date of a measure's records, if any.
    pub fn date_span(&self, measure: Measure) -> Option<(NaiveDate, NaiveDate)> {
        let (facts, field) = self.facts_and_day(measure);
        let col = facts.col(field)?;
        let mut lo = u16::MAX;
        let mut hi = 0u16;
        for r in 0..facts.len {
            let d = col.get(r);
            if d != NO_DAY {
                lo = lo.min(d);
                hi = hi.max(d);
            }
        }
        (lo <= hi).then(|| (date_of(lo), date_of(hi)))
    }

    fn facts_and_day(&self, measure: Measure) -> (&Facts, Field) {
        match measure.facts() {
            Source::Victims | Source::Persons => (&self.victims, Field::Day),
            Source::Suspects => (&self.suspects, Field::Day),
            Source::Prosecutions if measure == Measure::FinalisedProsecutions => {
                (&self.prosecutions, Field::FinalisedDay)
            }
            Source::Prosecutions => (&self.prosecutions, Field::Day),
            Source::Decisions => (&self.decisions, Field::Day),
        }
    }

    /// The categories a dimension has for a measure (codes, dictionary order), e.g. to list the
    /// choices of a report builder.
    pub fn categories(&self, measure: Measure, dim: Dim, counting: Counting) -> Result<Vec<String>, Error> {
        let (facts, day) = self.facts_and_day(measure);
        let range = self.default_range(facts, day, None);
        Ok(self.resolve(measure, facts, dim, day, range, counting)?.categories)
    }

    fn default_range(&self, facts: &Facts, day: Field, period: Option<DateRange>) -> (u16, u16) {
        if let Some(p) = period {
            return (day_of(p.from), day_of(p.to));
        }
        let Some(col) = facts.col(day) else { return (0, 0) };
        let mut lo = u16::MAX;
        let mut hi = 0u16;
        for r in 0..facts.len {
            let d = col.get(r);
            if d != NO_DAY {
                lo = lo.min(d);
                hi = hi.max(d);
            }
        }
        if lo > hi { (0, 0) } else { (lo, hi) }
    }

    fn resolve(
        &self,
        measure: Measure,
        facts: &Facts,
        dim: Dim,
        day: Field,
        range: (u16, u16),
        counting: Counting,
    ) -> Result<Resolved, Error> {
        let persons = measure == Measure::Persons;
        let not_available = || Error::DimNotAvailable { dim: dim.id(), measure: measure.id() };
        let field = match dim {
            Dim::Period(_) => day,
            d => d.field(),
        };
        if facts.col(field).is_none() {
            return Err(not_available());
        }
        let field_codes = self.dicts.codes(field);
        let identity = |codes: Vec<String>| Resolved {
            field,
            person_status: false,
            lut: (0..codes.len() as u16).collect(),
            categories: codes,
            multi: Multi::No,
        };
        let mut resolved = match dim {
            Dim::ProviderType => {
                let categories: Vec<String> =
                    ProviderType::ALL.iter().map(|t| t.code().to_string()).collect();
                let lut = self
                    .dicts
                    .provider_types
                    .iter()
                    .map(|t| ProviderType::ALL.iter().position(|x| x == t).unwrap_or(0) as u16)
                    .collect();
                Resolved { field, person_status: false, lut, categories, multi: Multi::No }
            }
            Dim::VictimCategory => {
                let categories = vec!["IDENTIFIED".to_string(), "PRESUMED".to_string(), "_Z".to_string()];
                let lut = VictimStatus::ALL
                    .iter()
                    .map(|s| match s {
                        VictimStatus::Confirmed => 0,
                        VictimStatus::NotConfirmed => 2,
                        _ => 1,
                    })
                    .collect();
                Resolved { field, person_status: false, lut, categories, multi: Multi::No }
            }
            Dim::ExploitationGroup => Resolved {
                field,
                person_status: false,
                lut: self.dicts.form_group.clone(),
                categories: self.dicts.form_groups.clone(),
                multi: Multi::No,
            },
            Dim::CitizenshipGroup => {
                let categories: Vec<String> =
                    ["NAT", "EU27_2020_FOR", "NEU27_2020_FOR", UNK].iter().map(|s| s.to_string()).collect();
                let lut = self
                    .dicts
                    .countries
                    .iter()
                    .zip(&self.dicts.country_eu27)
                    .map(|(c, eu)| {
                        if c == UNK {
                            3
                        } else if *c == self.dicts.reporting_country {
                            0
                        } else if *eu {
                            1
                        } else {
                            2
                        }
                    })
                    .collect();
                Resolved { field, person_status: false, lut, categories, multi: Multi::No }
            }
            Dim::Nuts(level) | Dim::DetectionNuts(level) | Dim::OffenceNuts(level) => {
                let len = level.code_len();
                let mut categories: Vec<String> =
                    field_codes.iter().filter(|c| c.len() == len && *c != UNK).cloned().collect();
                categories.push(UNK.to_string());
                let unk = (categories.len() - 1) as u16;
                let lut = field_codes
                    .iter()
                    .map(|c| {
                        if c.len() < len || c == UNK {
                            unk
                        } else {
                            categories.iter().position(|x| *x == c[..len]).map_or(unk, |i| i as u16)
                        }
                    })
                    .collect();
                Resolved { field, person_status: false, lut, categories, multi: Multi::No }
            }
            Dim::Period(g) => period_lut(field, range, g),
            _ => identity(field_codes),
        };
        if counting == Counting::MultiCount && matches!(dim, Dim::Exploitation | Dim::ExploitationGroup) {
            resolved.field = Field::Forms;
            if dim == Dim::Exploitation {
                resolved.lut = (0..ExploitationForm::ALL.len() as u16).collect();
            }
            resolved.multi = Multi::Forms;
        }
        if persons && matches!(dim, Dim::Provider | Dim::ProviderType) {
            resolved.multi = Multi::PersonProviders;
        }
        if persons && matches!(dim, Dim::Status | Dim::VictimCategory) {
            resolved.person_status = true;
        }
        Ok(resolved)
    }

    /// Answers a query: the interior of the cross-tabulation (no margins).
    pub fn crosstab(&self, q: &Query) -> Result<CrossTab, Error> {
        if q.dims.len() > 8 {
            return Err(Error::TooLarge(format!("{} dimensions (at most 8)", q.dims.len())));
        }
        for (i, d) in q.dims.iter().enumerate() {
            if q.dims[..i].contains(d) {
                return Err(Error::Repeated(d.id()));
            }
        }
        let (facts, day) = self.facts_and_day(q.measure);
        let range = self.default_range(facts, day, q.period);
        let dims: Vec<Resolved> = q
            .dims
            .iter()
            .map(|d| self.resolve(q.measure, facts, *d, day, range, q.counting))
            .collect::<Result<_, _>>()?;
        let filters = self.resolve_filters(q, facts, day, range)?;
        let cells = dims.iter().try_fold(1usize, |acc, d| acc.checked_mul(d.categories.len().max(1)));
        let cells = match cells {
            Some(c) if c <= MAX_CELLS => c,
            _ => return Err(Error::TooLarge("more than 16 million cells".to_string())),
        };
        let mut strides = vec![1usize; dims.len()];
        for i in (0..dims.len().saturating_sub(1)).rev() {
            strides[i] = strides[i + 1] * dims[i + 1].categories.len();
        }
        let units = if q.measure == Measure::Persons { self.persons.len() } else { facts.len };
        let plan = Plan {
            engine: self,
            facts,
            persons: q.measure == Measure::Persons,
            dims: &dims,
            strides: &strides,
            filters: &filters,
            day,
            range: (range.0, range.1),
            cells,
        };
        let (counts, keys) = plan.run(units, self.threads);
        Ok(CrossTab {
            dims: q.dims.clone(),
            categories: dims.iter().map(|d| d.categories.clone()).collect(),
            counts,
            keys,
            multi: dims.iter().any(|d| d.multi != Multi::No),
        })
    }

    /// The query's filters (explicit and implicit), resolved against its fact table.
    fn resolve_filters(
        &self,
        q: &Query,
        facts: &Facts,
        day: Field,
        range: (u16, u16),
    ) -> Result<Vec<Resolved>, Error> {
        let mut filters = Vec::new();
        for f in &q.filters {
            let r = self.resolve(q.measure, facts, f.dim, day, range, q.counting)?;
            let mut allowed_cat = vec![false; r.categories.len()];
            for code in &f.codes {
                match r.categories.iter().position(|c| c == code) {
                    Some(i) => allowed_cat[i] = true,
                    None => return Err(Error::UnknownCode { dim: f.dim.id(), code: code.clone() }),
                }
            }
            filters.push(self.allowed(r, &allowed_cat));
        }
        filters.extend(self.implicit_filters(q)?);
        Ok(filters)
    }

    /// A filter: the stored values (or, for bitsets, bits) whose category is allowed.
    fn allowed(&self, r: Resolved, allowed_cat: &[bool]) -> Resolved {
        let lut = r.lut.iter().map(|c| u16::from(allowed_cat[*c as usize])).collect();
        Resolved { lut, categories: vec!["no".into(), "yes".into()], ..r }
    }

    fn implicit_filters(&self, q: &Query) -> Result<Vec<Resolved>, Error> {
        let mut out = Vec::new();
        let enum_filter =
            |field: Field, len: usize, ok: &dyn Fn(usize) -> bool, person_status: bool| Resolved {
                field,
                person_status,
                lut: (0..len).map(|i| u16::from(ok(i))).collect(),
                categories: vec!["no".into(), "yes".into()],
                multi: Multi::No,
            };
        match q.measure {
            Measure::Registrations | Measure::Persons if !q.all_statuses => out.push(enum_filter(
                Field::Status,
                VictimStatus::ALL.len(),
                &|i| VictimStatus::ALL[i].is_registered(),
                q.measure == Measure::Persons,
            )),
            Measure::FinalisedProsecutions => out.push(enum_filter(
                Field::ProsecutionStatus,
                ProsecutionStatus::ALL.len(),
                &|i| ProsecutionStatus::ALL[i] == ProsecutionStatus::Finalised,
                false,
            )),
            Measure::Convicted => {
                out.push(enum_filter(
                    Field::DecisionType,
                    CourtDecisionType::ALL.len(),
                    &|i| CourtDecisionType::ALL[i] == CourtDecisionType::Conviction,
                    false,
                ));
                out.push(enum_filter(Field::ConvictedThb, 2, &|i| i == 0, false));
                out.push(enum_filter(
                    Field::Instance,
                    DecisionInstance::ALL.len(),
                    &|i| DecisionInstance::ALL[i] == DecisionInstance::First,
                    false,
                ));
            }
            _ => {}
        }
        Ok(out)
    }
}

fn period_lut(field: Field, range: (u16, u16), g: Granularity) -> Resolved {
    let (lo, hi) = range;
    let mut categories: Vec<String> = Vec::new();
    let mut lut = vec![0u16; usize::from(u16::MAX) + 1];
    let mut last = String::new();
    for day in lo..=hi {
        let date = date_of(day);
        let code = match g {
            Granularity::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Granularity::Quarter => format!("{:04}-Q{}", date.year(), (date.month() - 1) / 3 + 1),
            Granularity::Year => format!("{:04}", date.year()),
        };
        if code != last {
            categories.push(code.clone());
            last = code;
        }
        lut[usize::from(day)] = (categories.len() - 1) as u16;
    }
    if categories.is_empty() {
        categories.push(UNK.to_string());
    }
    Resolved { field, person_status: false, lut, categories, multi: Multi::No }
}

/// Everything the kernel needs for one query.
struct Plan<'a> {
    engine: &'a Engine,
    facts: &'a Facts,
    persons: bool,
    dims: &'a [Resolved],
    strides: &'a [usize],
    filters: &'a [Resolved],
    day: Field,
    range: (u16, u16),
    cells: usize,
}

impl Plan<'_> {
    fn run(&self, units: usize, threads: usize) -> (Vec<u64>, Vec<u32>) {
        // Chunks whose zone map meets the period (all chunks when there is no map).
        let zones = if self.persons {
            Some(self.engine.persons.zones.as_slice())
        } else {
            self.facts.zones(self.day)
        };
        let (lo, hi) = self.range;
        let chunks: Vec<usize> = (0..units.div_ceil(CHUNK))
            .filter(|z| zones.and_then(|m| m.get(*z)).is_none_or(|(a, b)| *a <= hi && *b >= lo))
            .collect();
        let threads = if chunks.len() * CHUNK < 200_000 { 1 } else { threads };
        if threads <= 1 {
            return self.run_chunks(&chunks, units);
        }
        let per = chunks.len().div_ceil(threads);
        let parts: Vec<(Vec<u64>, Vec<u32>)> = std::thread::scope(|s| {
            let handles: Vec<_> =
                chunks.chunks(per.max(1)).map(|part| s.spawn(move || self.run_chunks(part, units))).collect();
            handles.into_iter().map(|h| h.join().expect("kernel threads do not panic")).collect()
        });
        let mut iter = parts.into_iter();
        let (mut counts, mut keys) =
            iter.next().unwrap_or_else(|| (vec![0; self.cells], vec![0; self.cells]));
        for (c, k) in iter {
            for (a, b) in counts.iter_mut().zip(c) {
                *a += b;
            }
            for (a, b) in keys.iter_mut().zip(k) {
                *a = a.wrapping_add(b);
            }
        }
        (counts, keys)
    }

    fn run_chunks(&self, chunks: &[usize], units: usize) -> (Vec<u64>, Vec<u32>) {
        let mut acc = (vec![0u64; self.cells], vec![0u32; self.cells]);
        for z in chunks {
            self.run_range(z * CHUNK..((z + 1) * CHUNK).min(units), &mut acc);
        }
        acc
    }

    fn run_range(&self, units: Range<usize>, acc: &mut (Vec<u64>, Vec<u32>)) {
        let (counts, cell_keys) = acc;
        let mut mask = [0u8; CHUNK];
        let mut key = [0u32; CHUNK];
        let mut rows = [0u32; CHUNK];
        let multi: Vec<usize> =
            self.dims.iter().enumerate().filter(|(_, d)| d.multi != Multi::No).map(|(i, _)| i).collect();
        let mut start = units.start;
        while start < units.end {
            let end = (start + CHUNK).min(units.end);
            let m = end - start;
            if self.persons {
                rows[..m].copy_from_slice(&self.engine.persons.lead[start..end]);
            }
            key[..m].fill(0);
            self.mask(start, &rows[..m], &mut mask[..m]);
            for (d, stride) in self.dims.iter().zip(self.strides) {
                if d.multi != Multi::No {
                    continue;
                }
                let lut = &d.lut;
                let stride = *stride as u32;
                self.each(d.field, d.person_status, start, &rows[..m], |j, v| {
                    key[j] += u32::from(lut[usize::from(v)]) * stride;
                });
            }
            let rk = &self.facts.keys;
            if multi.is_empty() {
                if self.persons {
                    for j in 0..m {
                        let k = key[j] as usize;
                        counts[k] += u64::from(mask[j]);
                        cell_keys[k] = cell_keys[k]
                            .wrapping_add(rk[rows[j] as usize] & 0u32.wrapping_sub(u32::from(mask[j])));
                    }
                } else {
                    for j in 0..m {
                        let k = key[j] as usize;
                        counts[k] += u64::from(mask[j]);
                        cell_keys[k] =
                            cell_keys[k].wrapping_add(rk[start + j] & 0u32.wrapping_sub(u32::from(mask[j])));
                    }
                }
            } else {
                let mut sets: Vec<Vec<u32>> = vec![Vec::new(); multi.len()];
                for j in 0..m {
                    if mask[j] == 0 {
                        continue;
                    }
                    let unit = start + j;
                    let row = if self.persons { rows[j] as usize } else { unit };
                    for (s, &di) in sets.iter_mut().zip(&multi) {
                        s.clear();
                        let d = &self.dims[di];
                        let stride = self.strides[di] as u32;
                        match d.multi {
                            Multi::Forms => {
                                let bits = self.get(Field::Forms, row);
                                for (b, cat) in d.lut.iter().enumerate().take(16) {
                                    if bits & (1 << b) != 0 {
                                        let off = u32::from(*cat) * stride;
                                        if !s.contains(&off) {
                                            s.push(off);
                                        }
                                    }
                                }
                            }
                            Multi::PersonProviders => {
                                for r in self.person_rows(unit) {
                                    let off = u32::from(d.lut[usize::from(self.provider(r))]) * stride;
                                    if !s.contains(&off) {
                                        s.push(off);
                                    }
                                }
                            }
                            Multi::No => {}
                        }
                    }
                    let rkey = rk[row];
                    // Every combination of the multi-valued dimensions' categories.
                    let mut idx = vec![0usize; sets.len()];
                    if sets.iter().any(Vec::is_empty) {
                        continue;
                    }
                    loop {
                        let k = key[j] as usize
                            + idx.iter().zip(&sets).map(|(i, s)| s[*i] as usize).sum::<usize>();
                        counts[k] += 1;
                        cell_keys[k] = cell_keys[k].wrapping_add(rkey);
                        let mut level = 0;
                        loop {
                            if level == idx.len() {
                                break;
                            }
                            idx[level] += 1;
                            if idx[level] < sets[level].len() {
                                break;
                            }
                            idx[level] = 0;
                            level += 1;
                        }
                        if level == idx.len() {
                            break;
                        }
                    }
                }
            }
            start = end;
        }
    }

    /// Sets `mask[j]` to 1 for the units of the chunk starting at `start` (lead rows in `rows`
    /// for persons) that are in the date range and pass every filter, to 0 for the others.
    fn mask(&self, start: usize, rows: &[u32], mask: &mut [u8]) {
        mask.fill(1);
        // Date range on the measure's date.
        let (lo, hi) = self.range;
        self.each(self.day, false, start, rows, |j, v| {
            mask[j] &= u8::from(v >= lo && v <= hi);
        });
        for f in self.filters {
            match f.multi {
                Multi::No => {
                    let lut = &f.lut;
                    self.each(f.field, f.person_status, start, rows, |j, v| {
                        mask[j] &= lut[usize::from(v)] as u8;
                    });
                }
                Multi::Forms => {
                    let bits = f.lut.iter().enumerate().fold(0u16, |a, (i, ok)| a | (ok << i));
                    self.each(Field::Forms, false, start, rows, |j, v| {
                        mask[j] &= u8::from(v & bits != 0);
                    });
                }
                Multi::PersonProviders => {
                    for (j, mask) in mask.iter_mut().enumerate() {
                        if *mask == 0 {
                            continue;
                        }
                        let p = start + j;
                        let any = self.person_rows(p).any(|r| f.lut[usize::from(self.provider(r))] == 1);
                        *mask &= u8::from(any);
                    }
                }
            }
        }
    }

    fn provider(&self, row: usize) -> u16 {
        self.get(Field::Provider, row)
    }

    fn person_rows(&self, p: usize) -> Range<usize> {
        self.engine.persons.rows(p, self.facts.len)
    }

    fn get(&self, field: Field, row: usize) -> u16 {
        self.facts.col(field).map_or(0, |c| c.get(row))
    }

    /// Calls `f(j, value)` for the `j`-th unit of the chunk starting at `start`: rows directly, or
    /// (for persons) the lead rows in `rows`, or the person table's own status.
    fn each(
        &self,
        field: Field,
        person_status: bool,
        start: usize,
        rows: &[u32],
        mut f: impl FnMut(usize, u16),
    ) {
        if self.persons && person_status {
            let status = &self.engine.persons.status[start..start + rows.len()];
            for (j, s) in status.iter().enumerate() {
                f(j, u16::from(*s));
            }
            return;
        }
        let Some(col) = self.facts.col(field) else { return };
        if self.persons {
            match col {
                Column::U8(v) => {
                    for (j, r) in rows.iter().enumerate() {
                        f(j, u16::from(v[*r as usize]));
                    }
                }
                Column::U16(v) => {
                    for (j, r) in rows.iter().enumerate() {
                        f(j, v[*r as usize]);
                    }
                }
            }
        } else {
            let end = start + rows.len();
            match col {
                Column::U8(v) => {
                    for (j, x) in v[start..end].iter().enumerate() {
                        f(j, u16::from(*x));
                    }
                }
                Column::U16(v) => {
                    for (j, x) in v[start..end].iter().enumerate() {
                        f(j, *x);
                    }
                }
            }
        }
    }
}

/// Who registered whom: persons shared between providers (the overlap of the *total* report).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Overlap {
    /// The providers compared.
    pub providers: Vec<String>,
    /// Registrations of each provider (registered statuses).
    pub registrations: Vec<u64>,
    /// `both[i][j]`: persons registered by provider i and by provider j (`both[i][i]`: persons
    /// registered by i).
    pub both: Vec<Vec<u64>>,
    /// Cell keys of `both`.
    pub both_keys: Vec<Vec<u32>>,
    /// `exactly[k]`: persons registered by exactly `k + 1` of the providers.
    pub exactly: Vec<u64>,
    /// Cell keys of `exactly`.
    pub exactly_keys: Vec<u32>,
    /// Persons registered by at least one of the providers (the de-duplicated total).
    pub persons: u64,
    /// Registrations of each provider that belong to a person also registered by another
    /// provider (duplicates found by linkage).
    pub linked: Vec<u64>,
}

impl Engine {
    /// Persons shared between `providers` (all providers when empty), counting persons whose
    /// earliest registration falls in `period` and whose strongest status is registered.
    pub fn overlap(&self, providers: &[String], period: Option<DateRange>) -> Result<Overlap, Error> {
        let chosen: Vec<String> =
            if providers.is_empty() { self.providers().to_vec() } else { providers.to_vec() };
        let mut slot = vec![usize::MAX; self.providers().len()];
        for (i, p) in chosen.iter().enumerate() {
            match self.providers().iter().position(|x| x == p) {
                Some(ix) => slot[ix] = i,
                None => return Err(Error::UnknownCode { dim: "provider", code: p.clone() }),
            }
        }
        let n = chosen.len();
        let (lo, hi) = self.default_range(&self.victims, Field::Day, period);
        let day = self.victims.col(Field::Day).expect("registrations have a day");
        let prov = self.victims.col(Field::Provider).expect("registrations have a provider");
        let status = self.victims.col(Field::Status).expect("registrations have a status");
        let mut out = Overlap {
            providers: chosen,
            registrations: vec![0; n],
            both: vec![vec![0; n]; n],
            both_keys: vec![vec![0; n]; n],
            exactly: vec![0; n],
            exactly_keys: vec![0; n],
            persons: 0,
            linked: vec![0; n],
        };
        let mut seen: Vec<usize> = Vec::new();
        for p in 0..self.persons.len() {
            let rows = self.persons.rows(p, self.victims.len);
            let lead = rows.start;
            let in_period = (lo..=hi).contains(&day.get(lead));
            let registered = VictimStatus::ALL[usize::from(self.persons.status[p])].is_registered();
            seen.clear();
            for r in rows.clone() {
                let s = slot[usize::from(prov.get(r))];
                if s == usize::MAX {
                    continue;
                }
                let reg_day = day.get(r);
                if (lo..=hi).contains(&reg_day)
                    && VictimStatus::ALL[usize::from(status.get(r))].is_registered()
                {
                    out.registrations[s] += 1;
                    if rows.len() > 1 {
                        out.linked[s] += 1;
                    }
                }
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            if !(in_period && registered) || seen.is_empty() {
                continue;
            }
            let key = self.victims.keys[lead];
            out.persons += 1;
            out.exactly[seen.len() - 1] += 1;
            out.exactly_keys[seen.len() - 1] = out.exactly_keys[seen.len() - 1].wrapping_add(key);
            for &a in &seen {
                for &b in &seen {
                    out.both[a][b] += 1;
                    out.both_keys[a][b] = out.both_keys[a][b].wrapping_add(key);
                }
            }
        }
        Ok(out)
    }
}
