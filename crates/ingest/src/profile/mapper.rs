//! [`Mapper`]: a profile bound to one file's header. Everything that can be prepared once per
//! file is prepared in [`Mapper::new`] (column positions, normalised look-up tables for value
//! maps, crosswalks, country names and codes), so that [`Mapper::map_row`] does a few B-tree
//! look-ups per cell and, once the output buffers have grown, no allocation on clean rows.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, Timelike as _};
use model::codes::{ExploitationForm, Sex};
use model::text::trim;
use model::{Codelists, ModelCode};

use super::fields::{self, Kind};
use super::norm::Norm;
use super::spec::{ColumnPlan, Derive, FlagsPlan, Producer};
use super::table::{DateFormat, Missing, Table};
use super::{Profile, ProfileError};

/// What went wrong while mapping one cell or one field of a row.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum MapRule {
    /// A coded value with no entry in the value map, crosswalk or codelist.
    UnmappedValue,
    /// Not a date in any of the profile's formats.
    BadDate,
    /// Not a whole number.
    BadNumber,
    /// A flag column holding neither a true nor a false value.
    BadFlag,
    /// Not a known country code or name.
    UnknownCountry,
    /// A field the model requires is empty after mapping.
    MissingRequired,
    /// A derivation could not be computed from its inputs.
    DeriveFailed,
}

impl MapRule {
    /// Stable rule identifier.
    pub fn code(self) -> &'static str {
        match self {
            MapRule::UnmappedValue => "map.unmapped_value",
            MapRule::BadDate => "map.bad_date",
            MapRule::BadNumber => "map.bad_number",
            MapRule::BadFlag => "map.bad_flag",
            MapRule::UnknownCountry => "map.unknown_country",
            MapRule::MissingRequired => "map.missing_required",
            MapRule::DeriveFailed => "map.derive_failed",
        }
    }
}

impl fmt::Display for MapRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One mapping problem of one row. Names the source column, the model field and the rule, and
/// says how to fix it; never holds the source value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MapIssue {
    /// Source header name (as written in the profile), when one column is concerned.
    pub column: Option<String>,
    /// Canonical model field.
    pub field: &'static str,
    /// The rule.
    pub rule: MapRule,
    /// How to fix it (no values).
    pub hint: String,
}

impl fmt::Display for MapIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.column {
            write!(f, "column `{c}` → ")?;
        }
        write!(f, "field `{}`: rule {}: {}", self.field, self.rule.code(), self.hint)
    }
}

/// A normalised look-up table from source values to canonical targets.
#[derive(Debug)]
struct Lookup {
    /// Exact (trimmed) spellings whose normalised form gives the same target: the fast path.
    exact: Table,
    /// Normalised spelling → target.
    norm: Table,
}

impl Lookup {
    fn build<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>, norm: Norm) -> Lookup {
        let entries: Vec<(&str, &str)> = entries.into_iter().collect();
        let n = Table::build(entries.iter().map(|(raw, t)| (norm.key(raw), Box::<str>::from(*t))));
        let exact = Table::build(
            entries
                .iter()
                .filter(|(raw, t)| n.get(&norm.key(raw)) == Some(*t))
                .map(|(raw, t)| (raw.trim().to_owned(), Box::<str>::from(*t))),
        );
        Lookup { exact, norm: n }
    }

    fn get(&self, norm: Norm, v: &str) -> Option<&str> {
        if let Some(t) = self.exact.get(v) {
            return Some(t);
        }
        norm.with(v, |k| self.norm.get(k))
    }
}

/// A set of words (flag values) compared like values.
#[derive(Debug)]
struct Words {
    lookup: Lookup,
}

impl Words {
    fn new(words: &[String], norm: Norm) -> Words {
        Words { lookup: Lookup::build(words.iter().map(|w| (w.as_str(), "")), norm) }
    }

    fn contains(&self, norm: Norm, v: &str) -> bool {
        self.lookup.get(norm, v).is_some()
    }
}

/// A separator of multi-valued source cells.
#[derive(Debug)]
enum Sep {
    Char(char),
    Str(Box<str>),
}

impl Sep {
    fn new(s: &str) -> Sep {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Sep::Char(c),
            _ => Sep::Str(s.into()),
        }
    }

    fn split<'a>(&'a self, s: &'a str) -> Parts<'a> {
        match self {
            Sep::Char(c) => Parts::Char(s.split(*c)),
            Sep::Str(p) => Parts::Str(s.split(&**p)),
        }
    }
}

/// The parts of a multi-valued cell (no allocation).
enum Parts<'a> {
    Char(std::str::Split<'a, char>),
    Str(std::str::Split<'a, &'a str>),
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        match self {
            Parts::Char(i) => i.next(),
            Parts::Str(i) => i.next(),
        }
    }
}

fn compile_formats(formats: &[String]) -> Vec<DateFormat> {
    formats.iter().filter_map(|f| DateFormat::compile(f)).collect()
}

#[derive(Debug)]
enum Parse {
    /// Identifiers: passed through trimmed.
    Text,
    /// Whole numbers.
    Number,
    /// Dates.
    Date { formats: Vec<DateFormat>, from_year: Option<(u32, u32)> },
    /// Timestamps (RFC 3339, or a date at midnight UTC, or a date-time taken as UTC).
    Timestamp { formats: Vec<DateFormat>, raw: Vec<String> },
    /// Codes through a look-up table; `country` selects the rule reported on a miss.
    Coded { lookup: Lookup, country: bool },
}

#[derive(Debug)]
struct BoundColumn {
    idx: usize,
    name: Box<str>,
    split: Option<Sep>,
    parse: Parse,
    hint: String,
}

#[derive(Debug)]
struct BoundFlags {
    cols: Vec<(usize, Box<str>, Box<str>)>,
    truthy: Words,
    falsy: Words,
}

#[derive(Debug)]
enum AgeSource {
    Field(usize),
    Column(usize, Box<str>),
}

#[derive(Debug)]
enum BoundDerive {
    AgeFromBirthDate { birth: usize, birth_name: Box<str>, formats: Vec<DateFormat>, registration: usize },
    AgeGroupFromAge { age: AgeSource },
    FirstForm { forms: usize, priority: Vec<ExploitationForm> },
    CountryRole { exploitation: usize, home: Box<str> },
}

#[derive(Debug)]
enum How {
    None,
    Constant(Box<str>),
    Column(BoundColumn),
    Flags(BoundFlags),
    Derive(BoundDerive, Option<BoundColumn>),
    Copy(usize),
}

#[derive(Debug)]
struct Bound {
    name: &'static str,
    kind: Kind,
    required: bool,
    default: Option<Box<str>>,
    how: How,
}

impl Bound {
    fn column_name(&self) -> Option<&str> {
        match &self.how {
            How::Column(c) | How::Derive(_, Some(c)) => Some(&c.name),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct BoundIdentity {
    given_names: Option<usize>,
    family_names: Option<usize>,
    birth_date: Option<(usize, Vec<DateFormat>)>,
    birth_year: Option<usize>,
    sex: Option<(usize, Lookup)>,
}

/// A profile bound to one file's header.
pub struct Mapper<'p> {
    profile: &'p Profile,
    headers: Vec<String>,
    fields: Vec<Bound>,
    order: Vec<usize>,
    identity: Option<BoundIdentity>,
    used: Vec<bool>,
    ignored: Vec<bool>,
    unlistable: Vec<bool>,
    missing: Missing,
    norm: Norm,
    positions: BTreeMap<String, usize>,
}

impl fmt::Debug for Mapper<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapper")
            .field("profile", &self.profile.id())
            .field("columns", &self.headers.len())
            .finish()
    }
}

fn clean_header(h: &str) -> &str {
    h.trim_start_matches('\u{feff}').trim()
}

struct HeaderIndex<'a> {
    headers: &'a [String],
}

impl HeaderIndex<'_> {
    /// Position of `name`: exact match first, then a unique case-/accent-insensitive match.
    fn find(&self, name: &str, key: &str) -> Result<usize, ProfileError> {
        let exact: Vec<usize> = (0..self.headers.len()).filter(|&i| self.headers[i] == name).collect();
        match exact.len() {
            1 => return Ok(exact[0]),
            0 => {}
            _ => return Err(ProfileError::DuplicateColumn { column: name.to_owned() }),
        }
        let k = Norm::LOOSE.key(name);
        let loose: Vec<usize> =
            (0..self.headers.len()).filter(|&i| Norm::LOOSE.key(&self.headers[i]) == k).collect();
        match loose.len() {
            1 => Ok(loose[0]),
            0 => Err(ProfileError::MissingColumn { column: name.to_owned(), key: key.to_owned() }),
            _ => Err(ProfileError::DuplicateColumn { column: name.to_owned() }),
        }
    }

    fn present(&self, name: &str) -> Option<usize> {
        let k = Norm::LOOSE.key(name);
        (0..self.headers.len()).find(|&i| self.headers[i] == name || Norm::LOOSE.key(&self.headers[i]) == k)
    }
}

/// Every way a country may be written: model code, ISO alpha-2, ISO alpha-3, English and
/// Portuguese codelist labels (in that order of precedence).
fn country_entries(lists: &Codelists) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let entries = lists.get("country").map(|l| l.entries()).unwrap_or_default();
    for e in entries {
        out.push((e.code.as_str(), e.code.as_str()));
    }
    for c in lists.countries_iso() {
        if !c.alpha2.is_empty() {
            out.push((c.alpha2.as_str(), c.eurostat.as_str()));
        }
    }
    for c in lists.countries_iso() {
        if !c.alpha3.is_empty() {
            out.push((c.alpha3.as_str(), c.eurostat.as_str()));
        }
    }
    for e in entries {
        out.push((e.label_en.as_str(), e.code.as_str()));
        if let Some(pt) = &e.label_pt {
            out.push((pt.as_str(), e.code.as_str()));
        }
    }
    out
}

fn plain_codes(kind: Kind, lists: &Codelists) -> Vec<&str> {
    match kind {
        Kind::Bool => vec!["true", "false"],
        Kind::Citizenship => vec!["UNK", "STLS"],
        Kind::KnownCountry => vec!["UNK"],
        Kind::Code(l) | Kind::CodeSet(l) => lists
            .get(l)
            .map(|list| {
                list.entries()
                    .iter()
                    .map(|e| e.code.as_str())
                    .filter(|c| fields::code_ok(l, c, lists))
                    .collect()
            })
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn coded_lookup(plan: &ColumnPlan, kind: Kind, lists: &Codelists, norm: Norm) -> Lookup {
    let mut entries: Vec<(&str, &str)> = plan.values.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    if let Some(cw) = plan.crosswalk.as_deref().and_then(|id| lists.crosswalk(id)) {
        entries.extend(cw.pairs().iter().map(|(a, b)| (a.as_str(), b.as_str())));
    }
    if plan.country {
        entries.extend(country_entries(lists));
    }
    let codes = plain_codes(kind, lists);
    entries.extend(codes.iter().map(|c| (*c, *c)));
    if kind.is_country() {
        let countries = lists.get("country").map(|l| l.entries()).unwrap_or_default();
        entries.extend(countries.iter().map(|e| (e.code.as_str(), e.code.as_str())));
    }
    Lookup::build(entries, norm)
}

fn coded_hint(plan: &ColumnPlan, kind: Kind) -> String {
    let mut s = String::from("no entry in the profile's `values`");
    if let Some(cw) = &plan.crosswalk {
        let _ = write!(s, ", crosswalk `{cw}`");
    }
    if plan.country {
        s.push_str(", country codes (model, ISO alpha-2, alpha-3) or English/Portuguese country names");
    }
    if let Some(l) = kind.list() {
        let _ = write!(s, " or codelist `{l}`");
    }
    s.push_str("; add the source value to `values`");
    s
}

fn bind_column(
    plan: &ColumnPlan,
    kind: Kind,
    key: &str,
    hx: &HeaderIndex<'_>,
    lists: &Codelists,
    norm: Norm,
) -> Result<BoundColumn, ProfileError> {
    let idx = hx.find(&plan.column, key)?;
    let (parse, hint) = match kind {
        Kind::Ident(_) | Kind::IdentSet(_) => (Parse::Text, String::new()),
        Kind::Number | Kind::Age => (Parse::Number, "not a whole number".to_owned()),
        Kind::Date => (
            Parse::Date { formats: compile_formats(&plan.date_formats), from_year: plan.date_from_year },
            format!(
                "not a date in the profile's formats ({}){}",
                plan.date_formats.join(", "),
                if plan.date_from_year.is_some() { " nor a 4-digit year" } else { "" }
            ),
        ),
        Kind::Timestamp => (
            Parse::Timestamp { formats: compile_formats(&plan.date_formats), raw: plan.date_formats.clone() },
            format!(
                "not an RFC 3339 timestamp nor a date in the profile's formats ({})",
                plan.date_formats.join(", ")
            ),
        ),
        _ => (
            Parse::Coded { lookup: coded_lookup(plan, kind, lists, norm), country: plan.country },
            coded_hint(plan, kind),
        ),
    };
    Ok(BoundColumn {
        idx,
        name: plan.column.as_str().into(),
        split: plan.split.as_deref().map(Sep::new),
        parse,
        hint,
    })
}

fn bind_flags(
    plan: &FlagsPlan,
    key: &str,
    hx: &HeaderIndex<'_>,
    norm: Norm,
) -> Result<BoundFlags, ProfileError> {
    let mut cols = Vec::new();
    for (c, t) in &plan.flags {
        cols.push((hx.find(c, key)?, c.as_str().into(), t.as_str().into()));
    }
    Ok(BoundFlags { cols, truthy: Words::new(&plan.truthy, norm), falsy: Words::new(&plan.falsy, norm) })
}

fn bit(i: usize) -> u64 {
    1u64 << (i & 63)
}

impl<'p> Mapper<'p> {
    /// Binds `profile` to a file header. Fails if a column the profile needs is absent (naming
    /// the column) or ambiguous. With `for_hub`, also fails if the header holds a personal
    /// identity column of the profile, a column the profile does not map (ignored columns
    /// included: nothing outside the model may reach the hub), or if a field can only be derived
    /// from identity attributes.
    pub fn new(
        profile: &'p Profile,
        headers: &[String],
        lists: &'p Codelists,
        for_hub: bool,
    ) -> Result<Mapper<'p>, ProfileError> {
        let plan = &profile.plan;
        let headers: Vec<String> = headers.iter().map(|h| clean_header(h).to_owned()).collect();
        let hx = HeaderIndex { headers: &headers };
        let norm = plan.source.norm;
        let columns = fields::columns(plan.record_type);
        let index = |name: &str| columns.iter().position(|c| *c == name);

        let mut unlistable = vec![false; headers.len()];
        if let Some(id) = &plan.identity {
            for name in id.personal_columns() {
                if let Some(p) = hx.present(name) {
                    if for_hub {
                        return Err(ProfileError::IdentityColumn {
                            column: name.to_owned(),
                            position: p + 1,
                        });
                    }
                    unlistable[p] = true;
                }
            }
            if let Some(p) = id.sex.as_deref().and_then(|s| hx.present(s)) {
                unlistable[p] = true;
            }
        }

        let mut fields_out = Vec::with_capacity(plan.fields.len());
        for fp in &plan.fields {
            let key = format!("fields.{}", fp.name);
            let how = match &fp.producer {
                Producer::None => How::None,
                Producer::Constant(c) => How::Constant(c.as_str().into()),
                Producer::Column(c) => {
                    How::Column(bind_column(c, fp.kind, &format!("{key}.column"), &hx, lists, norm)?)
                }
                Producer::Flags(f) => How::Flags(bind_flags(f, &format!("{key}.flags"), &hx, norm)?),
                Producer::Copy(j) => How::Copy(*j),
                Producer::Derive(d, fallback) => {
                    let fb = match fallback {
                        Some(c) => Some(bind_column(c, fp.kind, &format!("{key}.column"), &hx, lists, norm)?),
                        None => None,
                    };
                    let bound = match d {
                        Derive::AgeFromBirthDate => {
                            let birth = plan.identity.as_ref().and_then(|i| i.birth_date.as_ref());
                            match (birth, for_hub) {
                                (Some((col, formats)), false) => Some(BoundDerive::AgeFromBirthDate {
                                    birth: hx.find(col, "identity.birth_date")?,
                                    birth_name: col.as_str().into(),
                                    formats: compile_formats(formats),
                                    registration: index("registration_date").unwrap_or(0),
                                }),
                                _ if fb.is_some() => None,
                                _ => return Err(ProfileError::NeedsIdentity { field: fp.name }),
                            }
                        }
                        Derive::AgeGroupFromAge { age_column } => {
                            let age = match age_column {
                                Some(c) => AgeSource::Column(
                                    hx.find(c, &format!("{key}.age_column"))?,
                                    c.as_str().into(),
                                ),
                                None => AgeSource::Field(index("age_at_registration").unwrap_or(0)),
                            };
                            Some(BoundDerive::AgeGroupFromAge { age })
                        }
                        Derive::FirstForm { priority } => Some(BoundDerive::FirstForm {
                            forms: index("forms_of_exploitation").unwrap_or(0),
                            priority: priority.clone(),
                        }),
                        Derive::CountryRoleFromExploitation { home } => Some(BoundDerive::CountryRole {
                            exploitation: index("country_of_exploitation").unwrap_or(0),
                            home: home.as_str().into(),
                        }),
                    };
                    match (bound, fb) {
                        (Some(b), fb) => How::Derive(b, fb),
                        (None, Some(c)) => How::Column(c),
                        (None, None) => How::None,
                    }
                }
            };
            fields_out.push(Bound {
                name: fp.name,
                kind: fp.kind,
                required: fp.required,
                default: fp.default.as_deref().map(Into::into),
                how,
            });
        }

        let mut used = vec![false; headers.len()];
        for b in &fields_out {
            match &b.how {
                How::Column(c) => used[c.idx] = true,
                How::Flags(f) => f.cols.iter().for_each(|(i, _, _)| used[*i] = true),
                How::Derive(d, fb) => {
                    if let Some(c) = fb {
                        used[c.idx] = true;
                    }
                    match d {
                        BoundDerive::AgeFromBirthDate { birth, .. } => used[*birth] = true,
                        BoundDerive::AgeGroupFromAge { age: AgeSource::Column(i, _) } => used[*i] = true,
                        _ => {}
                    }
                }
                How::None | How::Constant(_) | How::Copy(_) => {}
            }
        }

        let identity = match (&plan.identity, for_hub) {
            (Some(id), false) => {
                let find = |c: &Option<String>, key: &str| -> Result<Option<usize>, ProfileError> {
                    c.as_deref().map(|c| hx.find(c, key)).transpose()
                };
                let sex = match &id.sex {
                    Some(c) => {
                        let idx = hx.find(c, "identity.sex")?;
                        let sex_field = plan.fields.iter().find(|f| f.name == "sex");
                        let values = match sex_field.map(|f| &f.producer) {
                            Some(Producer::Column(cp)) => cp.clone(),
                            _ => ColumnPlan {
                                column: c.clone(),
                                values: Vec::new(),
                                crosswalk: None,
                                country: false,
                                split: None,
                                date_formats: Vec::new(),
                                date_from_year: None,
                            },
                        };
                        Some((idx, coded_lookup(&values, Kind::Code("sex"), lists, norm)))
                    }
                    None => None,
                };
                let bound = BoundIdentity {
                    given_names: find(&id.given_names, "identity.given_names")?,
                    family_names: find(&id.family_names, "identity.family_names")?,
                    birth_date: match &id.birth_date {
                        Some((c, f)) => Some((hx.find(c, "identity.birth_date")?, compile_formats(f))),
                        None => None,
                    },
                    birth_year: find(&id.birth_year, "identity.birth_year")?,
                    sex,
                };
                for i in [
                    bound.given_names,
                    bound.family_names,
                    bound.birth_year,
                    bound.birth_date.as_ref().map(|b| b.0),
                ]
                .into_iter()
                .flatten()
                {
                    used[i] = true;
                }
                if let Some((i, _)) = &bound.sex {
                    used[*i] = true;
                }
                Some(bound)
            }
            _ => None,
        };

        let mut ignored = vec![false; headers.len()];
        for name in &plan.source.ignore {
            if let Some(p) = hx.present(name) {
                ignored[p] = true;
            }
        }

        if for_hub && let Some(p) = used.iter().position(|u| !u) {
            return Err(ProfileError::UnmappedColumn { position: p + 1 });
        }

        // evaluation order: plain producers, then derivations (age before age group), then copies
        let rank = |b: &Bound| match &b.how {
            How::Derive(BoundDerive::AgeFromBirthDate { .. }, _) => 1,
            How::Derive(BoundDerive::AgeGroupFromAge { .. }, _) => 2,
            How::Derive(..) => 3,
            How::Copy(_) => 4,
            _ => 0,
        };
        let mut order: Vec<usize> = (0..fields_out.len()).collect();
        order.sort_by_key(|&i| rank(&fields_out[i]));

        let mut positions = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            positions.entry(h.clone()).or_insert(i);
        }
        for b in &fields_out {
            if let Some(c) = b.column_name()
                && let Some(p) = hx.present(c)
            {
                positions.entry(c.to_owned()).or_insert(p);
            }
        }

        tracing::debug!(
            profile = %plan.id,
            columns = headers.len(),
            used = used.iter().filter(|u| **u).count(),
            hub = for_hub,
            "profile bound to header"
        );
        Ok(Mapper {
            profile,
            headers,
            fields: fields_out,
            order,
            identity,
            used,
            ignored,
            unlistable,
            missing: Missing::new(&plan.source.missing),
            norm,
            positions,
        })
    }

    fn is_missing(&self, v: &str) -> bool {
        self.missing.is(v)
    }

    /// Maps one row: `value(i)` gives the source value of header column `i`. Fills `out` with the
    /// canonical values in `COLUMNS` order of the record type (previous contents are replaced;
    /// the strings' buffers are reused). Problems are appended to `issues`, in field order.
    pub fn map_row<'v>(
        &self,
        value: &dyn Fn(usize) -> &'v str,
        out: &mut Vec<String>,
        issues: &mut Vec<MapIssue>,
    ) {
        let n = self.fields.len();
        out.truncate(n);
        out.resize_with(n, String::new);
        for s in out.iter_mut() {
            s.clear();
        }
        let start = issues.len();
        let mut blocked: u64 = 0;
        for &i in &self.order {
            let f = &self.fields[i];
            let mut issue = |column: Option<&str>, rule: MapRule, hint: &str| {
                issues.push(MapIssue {
                    column: column.map(str::to_owned),
                    field: f.name,
                    rule,
                    hint: hint.to_owned(),
                });
            };
            match &f.how {
                How::None => {}
                How::Constant(c) => out[i].push_str(c),
                How::Column(c) => {
                    if let Err(rule) = self.map_column(c, f.kind, value, &mut out[i]) {
                        issue(Some(&c.name), rule, &c.hint);
                        blocked |= bit(i);
                    }
                }
                How::Flags(fl) => {
                    let mut set = 0usize;
                    for (col, name, target) in &fl.cols {
                        let v = trim(value(*col));
                        if self.is_missing(v) || fl.falsy.contains(self.norm, v) {
                            continue;
                        }
                        if fl.truthy.contains(self.norm, v) {
                            set += 1;
                            push_codes(&mut out[i], target, f.kind.is_multi());
                        } else {
                            issue(
                                Some(name),
                                MapRule::BadFlag,
                                "neither a true value (`flag_true`), a false value (`flag_false`) nor a missing marker",
                            );
                            blocked |= bit(i);
                        }
                    }
                    if set > 1 && !f.kind.is_multi() {
                        issue(
                            None,
                            MapRule::BadFlag,
                            "several flag columns are set for a single-valued field",
                        );
                        blocked |= bit(i);
                    }
                    if blocked & bit(i) != 0 {
                        out[i].clear();
                    }
                }
                How::Copy(j) => {
                    if blocked & bit(*j) != 0 {
                        blocked |= bit(i);
                    } else {
                        let (src, dst) = pair(out, *j, i);
                        dst.push_str(src);
                        if f.kind == Kind::Timestamp && src.len() == 10 {
                            dst.push_str("T00:00:00Z");
                        }
                    }
                }
                How::Derive(d, fallback) => {
                    match self.derive(d, i, value, out, blocked) {
                        Derived::Done => {}
                        Derived::Blocked => blocked |= bit(i),
                        Derived::Failed(column, hint) => {
                            issue(column, MapRule::DeriveFailed, hint);
                            blocked |= bit(i);
                        }
                        Derived::BadAge(column) => {
                            issue(Some(column), MapRule::BadNumber, "not a whole number");
                            blocked |= bit(i);
                        }
                        Derived::NoInput => {
                            if let Some(c) = fallback
                                && let Err(rule) = self.map_column(c, f.kind, value, &mut out[i])
                            {
                                issue(Some(&c.name), rule, &c.hint);
                                blocked |= bit(i);
                            }
                        }
                    }
                    if out[i].is_empty()
                        && blocked & bit(i) == 0
                        && f.default.is_none()
                        && matches!(d, BoundDerive::AgeGroupFromAge { .. })
                    {
                        out[i].push_str("UNK");
                    }
                }
            }
            if out[i].is_empty()
                && blocked & bit(i) == 0
                && let Some(d) = &f.default
            {
                out[i].push_str(d);
            }
        }
        for (i, f) in self.fields.iter().enumerate() {
            if f.required && out[i].is_empty() && blocked & bit(i) == 0 {
                issues.push(MapIssue {
                    column: f.column_name().map(str::to_owned),
                    field: f.name,
                    rule: MapRule::MissingRequired,
                    hint: "the model requires a value: fill the source, add a missing-value `default`, or map it differently"
                        .to_owned(),
                });
            }
        }
        if issues.len() - start > 1 {
            let pos = |name: &str| self.fields.iter().position(|f| f.name == name).unwrap_or(usize::MAX);
            issues[start..].sort_by_key(|x| pos(x.field));
        }
    }

    /// Maps one source cell into `dst`. A missing value leaves `dst` empty.
    fn map_column<'v>(
        &self,
        c: &BoundColumn,
        kind: Kind,
        value: &dyn Fn(usize) -> &'v str,
        dst: &mut String,
    ) -> Result<(), MapRule> {
        let raw = trim(value(c.idx));
        if self.is_missing(raw) {
            return Ok(());
        }
        let res = match &c.parse {
            Parse::Text => {
                match &c.split {
                    Some(sep) => {
                        for part in sep.split(raw).map(trim).filter(|p| !self.is_missing(p)) {
                            push_codes(dst, part, true);
                        }
                    }
                    None => dst.push_str(raw),
                }
                Ok(())
            }
            Parse::Number => match parse_number(raw) {
                Some(n) => {
                    let _ = write!(dst, "{n}");
                    Ok(())
                }
                None => Err(MapRule::BadNumber),
            },
            Parse::Date { formats, from_year } => match parse_date(raw, formats, *from_year) {
                Some(d) => {
                    write_date(dst, d);
                    Ok(())
                }
                None => Err(MapRule::BadDate),
            },
            Parse::Timestamp { formats, raw: raw_formats } => {
                if DateTime::parse_from_rfc3339(raw).is_ok() {
                    dst.push_str(raw);
                    Ok(())
                } else if let Some(d) = parse_date(raw, formats, None) {
                    write_date(dst, d);
                    dst.push_str("T00:00:00Z");
                    Ok(())
                } else if let Some(t) =
                    raw_formats.iter().find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
                {
                    write_date(dst, t.date());
                    let _ = write!(dst, "T{:02}:{:02}:{:02}Z", t.hour(), t.minute(), t.second());
                    Ok(())
                } else {
                    Err(MapRule::BadDate)
                }
            }
            Parse::Coded { lookup, country } => {
                let miss = if *country { MapRule::UnknownCountry } else { MapRule::UnmappedValue };
                match &c.split {
                    Some(sep) => {
                        let mut failed = false;
                        for part in sep.split(raw).map(trim).filter(|p| !self.is_missing(p)) {
                            match lookup.get(self.norm, part) {
                                Some(t) => push_codes(dst, t, kind.is_multi()),
                                None => failed = true,
                            }
                        }
                        if failed { Err(miss) } else { Ok(()) }
                    }
                    None => match lookup.get(self.norm, raw) {
                        Some(t) => {
                            push_codes(dst, t, kind.is_multi());
                            Ok(())
                        }
                        None => Err(miss),
                    },
                }
            }
        };
        if res.is_err() {
            dst.clear();
        }
        res
    }

    fn derive<'s, 'v>(
        &'s self,
        d: &'s BoundDerive,
        i: usize,
        value: &dyn Fn(usize) -> &'v str,
        out: &mut [String],
        blocked: u64,
    ) -> Derived<'s> {
        match d {
            BoundDerive::AgeFromBirthDate { birth, birth_name, formats, registration } => {
                if blocked & bit(*registration) != 0 {
                    return Derived::Blocked;
                }
                let raw = value(*birth).trim();
                if self.is_missing(raw) || out[*registration].is_empty() {
                    return Derived::NoInput;
                }
                let Some(born) = parse_date(raw, formats, None) else {
                    return Derived::Failed(
                        Some(birth_name),
                        "the birth date is not a date in the [identity] birth_date formats",
                    );
                };
                let Ok(reg) = NaiveDate::parse_from_str(&out[*registration], "%Y-%m-%d") else {
                    return Derived::Blocked;
                };
                if born > reg {
                    return Derived::Failed(
                        Some(birth_name),
                        "the birth date is after the registration date",
                    );
                }
                let years = reg.years_since(born).unwrap_or(0);
                let _ = write!(out[i], "{years}");
                Derived::Done
            }
            BoundDerive::AgeGroupFromAge { age } => {
                let age_value = match age {
                    AgeSource::Field(j) => {
                        if blocked & bit(*j) != 0 {
                            return Derived::Blocked;
                        }
                        parse_number(&out[*j])
                    }
                    AgeSource::Column(c, name) => {
                        let raw = trim(value(*c));
                        if self.is_missing(raw) {
                            None
                        } else {
                            match parse_number(raw) {
                                Some(n) => Some(n),
                                None => return Derived::BadAge(name),
                            }
                        }
                    }
                };
                match age_value {
                    Some(a) => {
                        out[i].push_str(if a < 18 { "Y_LT18" } else { "Y_GE18" });
                        Derived::Done
                    }
                    None => Derived::NoInput,
                }
            }
            BoundDerive::FirstForm { forms, priority } => {
                if blocked & bit(*forms) != 0 {
                    return Derived::Blocked;
                }
                let (set, dst) = pair(out, *forms, i);
                if set.is_empty() {
                    return Derived::NoInput;
                }
                let main = if !set.contains('|') {
                    Some(set)
                } else {
                    let has = |code: &str| set.split('|').any(|p| p == code);
                    priority.iter().chain(ExploitationForm::ALL.iter()).map(|f| f.code()).find(|c| has(c))
                };
                match main {
                    Some(m) => {
                        dst.push_str(m);
                        Derived::Done
                    }
                    None => Derived::Failed(None, "none of the forms is a code of `exploitation_form`"),
                }
            }
            BoundDerive::CountryRole { exploitation, home } => {
                if blocked & bit(*exploitation) != 0 {
                    return Derived::Blocked;
                }
                let role = match out[*exploitation].as_str() {
                    "" => return Derived::NoInput,
                    "UNK" => "UNK",
                    c if c == &**home => "DESTINATION",
                    _ => "ORIGIN",
                };
                out[i].push_str(role);
                Derived::Done
            }
        }
    }

    /// Identity attributes of the row, for `mosy prepare` at the provider. `None` when the
    /// profile has no `[identity]` or the mapper was bound for the hub.
    pub fn identity<'v>(&self, value: &dyn Fn(usize) -> &'v str) -> Option<privacy::Identity> {
        let id = self.identity.as_ref()?;
        let text = |c: Option<usize>| -> String {
            c.map(|c| value(c).trim()).filter(|v| !self.is_missing(v)).unwrap_or_default().to_owned()
        };
        let birth_date = id.birth_date.as_ref().and_then(|(c, formats)| {
            let v = value(*c).trim();
            if self.is_missing(v) { None } else { parse_date(v, formats, None) }
        });
        let birth_year = birth_date.map(|d| d.year()).or_else(|| {
            id.birth_year.and_then(|c| {
                let v = value(c).trim();
                (v.len() == 4).then(|| v.parse::<i32>().ok()).flatten()
            })
        });
        let sex = match &id.sex {
            Some((c, lookup)) => {
                let v = value(*c).trim();
                if self.is_missing(v) { None } else { lookup.get(self.norm, v).and_then(Sex::from_code) }
            }
            None => self.mapped_sex(value),
        };
        Some(privacy::Identity {
            given_names: text(id.given_names),
            family_names: text(id.family_names),
            birth_date,
            birth_year,
            sex,
        })
    }

    fn mapped_sex<'v>(&self, value: &dyn Fn(usize) -> &'v str) -> Option<Sex> {
        let f = self.fields.iter().find(|f| f.name == "sex")?;
        match &f.how {
            How::Constant(c) => Sex::from_code(c),
            How::Column(c) => {
                let mut s = String::new();
                self.map_column(c, f.kind, value, &mut s).ok()?;
                if s.is_empty() { f.default.as_deref().and_then(Sex::from_code) } else { Sex::from_code(&s) }
            }
            _ => None,
        }
    }

    /// Source columns the mapper reads, in header order.
    pub fn used_columns(&self) -> Vec<&str> {
        self.headers.iter().zip(&self.used).filter(|(_, u)| **u).map(|(h, _)| h.as_str()).collect()
    }

    /// Source columns neither read nor listed in `[source] ignore`, in header order.
    pub fn unused_columns(&self) -> Vec<&str> {
        (0..self.headers.len())
            .filter(|&i| !self.used[i] && !self.ignored[i])
            .map(|i| self.headers[i].as_str())
            .collect()
    }

    /// Source columns listed in `[source] ignore` and present in the header.
    pub fn ignored_columns(&self) -> Vec<&str> {
        (0..self.headers.len()).filter(|&i| self.ignored[i]).map(|i| self.headers[i].as_str()).collect()
    }

    /// The profile.
    pub fn profile(&self) -> &Profile {
        self.profile
    }

    // ---- for Coverage ----

    pub(crate) fn field_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }

    pub(crate) fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    pub(crate) fn field_is_coded(&self, i: usize) -> bool {
        self.fields.get(i).is_some_and(|f| f.kind.is_coded())
    }

    /// How a field is produced, in words (for reports).
    pub(crate) fn field_source(&self, i: usize) -> Option<String> {
        let f = self.fields.get(i)?;
        Some(match &f.how {
            How::None => return None,
            How::Constant(_) => "constant".to_owned(),
            How::Column(c) => format!("column `{}`", c.name),
            How::Flags(fl) => {
                let names: Vec<&str> = fl.cols.iter().map(|(_, n, _)| &**n).collect();
                format!("flags `{}`", names.join("`, `"))
            }
            How::Derive(d, fb) => {
                let name = match d {
                    BoundDerive::AgeFromBirthDate { .. } => "age_from_birth_date",
                    BoundDerive::AgeGroupFromAge { .. } => "age_group_from_age",
                    BoundDerive::FirstForm { .. } => "first_form",
                    BoundDerive::CountryRole { .. } => "country_role_from_exploitation",
                };
                match fb {
                    Some(c) => format!("derive {name}, else column `{}`", c.name),
                    None => format!("derive {name}"),
                }
            }
            How::Copy(j) => format!("copy of `{}`", self.fields[*j].name),
        })
    }

    /// Whether values of header column `col` may be listed in a coverage report: never for the
    /// profile's identity columns (names, birth date, birth year, identity sex).
    pub(crate) fn column_listable(&self, col: usize) -> bool {
        !self.unlistable.get(col).copied().unwrap_or(true)
    }

    pub(crate) fn column_position(&self, name: &str) -> Option<usize> {
        self.positions.get(name).copied()
    }

    /// Calls `f` with every part of the cell that the field's mapping cannot resolve (coded
    /// fields and flag columns only).
    pub(crate) fn unmapped_parts<'v>(
        &self,
        field: usize,
        col: usize,
        value: &dyn Fn(usize) -> &'v str,
        f: &mut dyn FnMut(&str),
    ) {
        let Some(b) = self.fields.get(field) else { return };
        let raw = value(col).trim();
        if self.is_missing(raw) {
            return;
        }
        match &b.how {
            How::Column(c) | How::Derive(_, Some(c)) if c.idx == col => {
                if let Parse::Coded { lookup, .. } = &c.parse {
                    match &c.split {
                        Some(sep) => {
                            for part in sep.split(raw).map(str::trim).filter(|p| !self.is_missing(p)) {
                                if lookup.get(self.norm, part).is_none() {
                                    f(part);
                                }
                            }
                        }
                        None => {
                            if lookup.get(self.norm, raw).is_none() {
                                f(raw);
                            }
                        }
                    }
                }
            }
            How::Flags(fl)
                if fl.cols.iter().any(|(c, _, _)| *c == col)
                    && !fl.truthy.contains(self.norm, raw)
                    && !fl.falsy.contains(self.norm, raw) =>
            {
                f(raw);
            }
            _ => {}
        }
    }
}

enum Derived<'a> {
    Done,
    /// An input field has an issue of its own: nothing more to report.
    Blocked,
    /// No input: use the fallback column, the default, or leave empty.
    NoInput,
    Failed(Option<&'a str>, &'static str),
    BadAge(&'a str),
}

/// `(&out[from], &mut out[to])` for two distinct indices.
fn pair(out: &mut [String], from: usize, to: usize) -> (&str, &mut String) {
    if from < to {
        let (a, b) = out.split_at_mut(to);
        (&a[from], &mut b[0])
    } else {
        let (a, b) = out.split_at_mut(from);
        (&b[0], &mut a[to])
    }
}

/// Appends `target` (possibly `|`-joined) to a field value; multi-valued fields skip duplicates.
fn push_codes(dst: &mut String, target: &str, multi: bool) {
    if !multi {
        dst.clear();
        dst.push_str(target);
        return;
    }
    if dst.is_empty() && !target.contains('|') {
        // The first value of the field: nothing to skip.
        dst.push_str(target);
        return;
    }
    for part in target.split('|') {
        if dst.split('|').any(|p| p == part) {
            continue;
        }
        if !dst.is_empty() {
            dst.push('|');
        }
        dst.push_str(part);
    }
}

/// A whole number: digits, optionally followed by a zero fraction (`34.0`, as spreadsheets write).
fn parse_number(s: &str) -> Option<u64> {
    let int = match s.split_once(['.', ',']) {
        Some((i, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => i,
        Some(_) => return None,
        None => s,
    };
    if int.is_empty() || int.len() > 10 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    int.parse().ok()
}

fn parse_date(s: &str, formats: &[DateFormat], from_year: Option<(u32, u32)>) -> Option<NaiveDate> {
    if let Some((m, d)) = from_year
        && s.len() == 4
        && s.bytes().all(|b| b.is_ascii_digit())
    {
        return s.parse::<i32>().ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d));
    }
    formats.iter().find_map(|f| f.parse(s))
}

/// Writes `YYYY-MM-DD` (years 0-9999; others through the formatter).
fn write_date(dst: &mut String, d: NaiveDate) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        let _ = write!(dst, "{y:04}-{m:02}-{day:02}");
        return;
    }
    let y = y.unsigned_abs();
    for n in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
        dst.push(char::from(b'0' + n as u8));
    }
    for n in [m, day] {
        dst.push('-');
        dst.push(char::from(b'0' + (n / 10) as u8));
        dst.push(char::from(b'0' + (n % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_sets() {
        assert_eq!(parse_number("34"), Some(34));
        assert_eq!(parse_number("34.0"), Some(34));
        assert_eq!(parse_number("34.5"), None);
        assert_eq!(parse_number("-3"), None);
        assert_eq!(parse_number("trinta"), None);
        let mut s = String::new();
        push_codes(&mut s, "LABOUR", true);
        push_codes(&mut s, "SEXUAL|LABOUR", true);
        assert_eq!(s, "LABOUR|SEXUAL");
    }

    #[test]
    fn dates_from_formats_and_years() {
        let f = compile_formats(&["%d/%m/%Y".to_owned()]);
        assert_eq!(parse_date("10/03/2025", &f, None), NaiveDate::from_ymd_opt(2025, 3, 10));
        assert_eq!(parse_date("31/02/2025", &f, None), None);
        assert_eq!(parse_date("2021", &f, Some((7, 1))), NaiveDate::from_ymd_opt(2021, 7, 1));
        assert_eq!(parse_date("2021", &f, None), None);
    }
}
