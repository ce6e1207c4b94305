//! The TOML form of a profile (serde types with `deny_unknown_fields`) and its compilation into
//! a checked [`Plan`]: one producer per canonical column, every target code checked against the
//! codelist bundle, every dependency of a derivation present. See `docs/profiles.md`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use model::codes::{ExploitationForm, RecordType};
use model::{Codelists, ModelCode};
use serde::Deserialize;

use super::ProfileError;
use super::fields::{self, Kind};
use super::norm::Norm;
use super::table::DateFormat;

/// Version of the profile format this code reads (`[profile] format`).
pub(crate) const FORMAT: u32 = 1;

/// Missing-value markers used when `[source] missing` is not given (the empty cell always is one).
pub(crate) const DEFAULT_MISSING: &[&str] = &[""];
/// Date formats used when neither the field nor `[source]` gives any.
pub(crate) const DEFAULT_DATE_FORMATS: &[&str] = &["%Y-%m-%d"];
/// Flag values meaning "set" when `flag_true` is not given.
pub(crate) const DEFAULT_FLAG_TRUE: &[&str] = &["1", "true", "yes", "y", "x", "sim", "s", "verdadeiro"];
/// Flag values meaning "not set" when `flag_false` is not given.
pub(crate) const DEFAULT_FLAG_FALSE: &[&str] = &["0", "false", "no", "n", "não", "falso"];

// ---------------------------------------------------------------------------------------------
// Raw TOML

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    profile: RawHeader,
    #[serde(default)]
    source: RawSource,
    #[serde(default)]
    constants: BTreeMap<String, toml::Value>,
    #[serde(default)]
    fields: BTreeMap<String, RawField>,
    identity: Option<RawIdentity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: String,
    version: String,
    record_type: String,
    description: Option<String>,
    format: Option<u32>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSource {
    missing: Option<Vec<String>>,
    date_formats: Option<Vec<String>>,
    #[serde(rename = "match")]
    matching: Option<RawMatch>,
    #[serde(default)]
    ignore: Vec<String>,
    delimiter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    #[serde(default)]
    case_sensitive: bool,
    #[serde(default)]
    accent_sensitive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    column: Option<String>,
    values: Option<BTreeMap<String, toml::Value>>,
    crosswalk: Option<String>,
    #[serde(default)]
    country: bool,
    split: Option<String>,
    date_format: Option<String>,
    date_formats: Option<Vec<String>>,
    date_from_year: Option<String>,
    flags: Option<BTreeMap<String, toml::Value>>,
    flag_true: Option<Vec<String>>,
    flag_false: Option<Vec<String>>,
    derive: Option<String>,
    priority: Option<Vec<String>>,
    age_column: Option<String>,
    home: Option<String>,
    copy: Option<String>,
    default: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIdentity {
    given_names: Option<String>,
    family_names: Option<String>,
    birth_date: Option<RawDateColumn>,
    birth_year: Option<String>,
    sex: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDateColumn {
    Name(String),
    Detailed(RawDateColumnDetailed),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDateColumnDetailed {
    column: String,
    date_format: Option<String>,
    date_formats: Option<Vec<String>>,
}

// ---------------------------------------------------------------------------------------------
// Compiled plan

/// A checked profile.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) record_type: RecordType,
    pub(crate) description: Option<String>,
    pub(crate) source: SourcePlan,
    /// One per canonical column, in `COLUMNS` order.
    pub(crate) fields: Vec<FieldPlan>,
    pub(crate) identity: Option<IdentityPlan>,
}

#[derive(Clone, Debug)]
pub(crate) struct SourcePlan {
    /// Missing-value markers, trimmed (compared case-insensitively).
    pub(crate) missing: Vec<String>,
    pub(crate) norm: Norm,
    pub(crate) ignore: Vec<String>,
    pub(crate) delimiter: Option<u8>,
}

#[derive(Clone, Debug)]
pub(crate) struct FieldPlan {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) required: bool,
    pub(crate) producer: Producer,
    pub(crate) default: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum Producer {
    /// Not produced: the field stays empty.
    None,
    /// A fixed canonical value from `[constants]`.
    Constant(String),
    /// A source column.
    Column(ColumnPlan),
    /// Boolean flag columns, each adding codes when set.
    Flags(FlagsPlan),
    /// Derived from other fields; the column (if any) is the fallback.
    Derive(Derive, Option<ColumnPlan>),
    /// The final value of another canonical field (index).
    Copy(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct ColumnPlan {
    pub(crate) column: String,
    /// Source value (as written in the profile) → canonical target (possibly `|`-joined).
    pub(crate) values: Vec<(String, String)>,
    pub(crate) crosswalk: Option<String>,
    pub(crate) country: bool,
    pub(crate) split: Option<String>,
    pub(crate) date_formats: Vec<String>,
    pub(crate) date_from_year: Option<(u32, u32)>,
}

#[derive(Clone, Debug)]
pub(crate) struct FlagsPlan {
    /// Flag column → canonical target (possibly `|`-joined).
    pub(crate) flags: Vec<(String, String)>,
    pub(crate) truthy: Vec<String>,
    pub(crate) falsy: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) enum Derive {
    /// `age_at_registration` from `[identity] birth_date` and `registration_date`.
    AgeFromBirthDate,
    /// `age_group` from an age (the mapped `age_at_registration`, or `age_column`).
    AgeGroupFromAge { age_column: Option<String> },
    /// `main_exploitation` from `forms_of_exploitation`.
    FirstForm { priority: Vec<ExploitationForm> },
    /// `country_role` from `country_of_exploitation` and the home country.
    CountryRoleFromExploitation { home: String },
}

impl Derive {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Derive::AgeFromBirthDate => "age_from_birth_date",
            Derive::AgeGroupFromAge { .. } => "age_group_from_age",
            Derive::FirstForm { .. } => "first_form",
            Derive::CountryRoleFromExploitation { .. } => "country_role_from_exploitation",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct IdentityPlan {
    pub(crate) given_names: Option<String>,
    pub(crate) family_names: Option<String>,
    pub(crate) birth_date: Option<(String, Vec<String>)>,
    pub(crate) birth_year: Option<String>,
    pub(crate) sex: Option<String>,
}

impl IdentityPlan {
    /// Columns holding personal identity attributes (names, birth date, birth year): never
    /// accepted at the hub, never read by a canonical field, never listed by coverage.
    pub(crate) fn personal_columns(&self) -> Vec<&str> {
        let mut out = Vec::new();
        out.extend(self.given_names.as_deref());
        out.extend(self.family_names.as_deref());
        out.extend(self.birth_date.as_ref().map(|(c, _)| c.as_str()));
        out.extend(self.birth_year.as_deref());
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Compilation

fn invalid(key: impl Into<String>, message: impl Into<String>) -> ProfileError {
    ProfileError::Invalid { key: key.into(), message: message.into() }
}

/// A scalar TOML value (string, integer, boolean) as text.
fn scalar(key: &str, v: &toml::Value) -> Result<String, ProfileError> {
    match v {
        toml::Value::String(s) => Ok(s.trim().to_owned()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        _ => Err(invalid(key, "must be a string (or an integer / boolean)")),
    }
}

fn check_formats(key: &str, formats: &[String]) -> Result<(), ProfileError> {
    if formats.is_empty() {
        return Err(invalid(key, "must list at least one date format"));
    }
    for f in formats {
        if f.trim().is_empty() || DateFormat::compile(f).is_none() {
            return Err(invalid(key, "is not a valid chrono strftime date format"));
        }
    }
    Ok(())
}

fn check_identifier(key: &str, s: &str) -> Result<(), ProfileError> {
    let ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.len() <= 64
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(invalid(key, "must be 1-64 letters, digits, `_`, `-` or `.`, starting with a letter or digit"))
    }
}

fn check_target(
    key: &str,
    field: &str,
    kind: Kind,
    code: &str,
    lists: &Codelists,
) -> Result<(), ProfileError> {
    if kind.valid(code, lists) {
        Ok(())
    } else {
        Err(ProfileError::BadTarget {
            key: key.to_owned(),
            field: field.to_owned(),
            code: code.to_owned(),
            expected: kind.describe(),
        })
    }
}

/// Parses and checks a profile.
pub(crate) fn compile(text: &str, lists: &Codelists) -> Result<Plan, ProfileError> {
    let raw: RawProfile = toml::from_str(text).map_err(|e| syntax_error(text, &e))?;
    let h = &raw.profile;
    if let Some(f) = h.format
        && f != FORMAT
    {
        return Err(invalid("profile.format", format!("this mosy reads profile format {FORMAT} only")));
    }
    check_identifier("profile.id", &h.id)?;
    check_identifier("profile.version", &h.version)?;
    let record_type = RecordType::from_code(h.record_type.trim()).ok_or_else(|| {
        invalid("profile.record_type", "must be VICTIM, SUSPECT, PROSECUTION or COURT_DECISION")
    })?;

    // [source]
    let src = &raw.source;
    let norm = match &src.matching {
        Some(m) => Norm { fold_case: !m.case_sensitive, strip_accents: !m.accent_sensitive },
        None => Norm::LOOSE,
    };
    let mut missing: Vec<String> = match &src.missing {
        Some(m) => m.iter().map(|s| s.trim().to_owned()).collect(),
        None => DEFAULT_MISSING.iter().map(|s| (*s).to_owned()).collect(),
    };
    if !missing.iter().any(String::is_empty) {
        missing.push(String::new());
    }
    let source_formats: Vec<String> = match &src.date_formats {
        Some(f) => {
            check_formats("source.date_formats", f)?;
            f.clone()
        }
        None => DEFAULT_DATE_FORMATS.iter().map(|s| (*s).to_owned()).collect(),
    };
    let delimiter = match &src.delimiter {
        None => None,
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) if d == "\\t" => Some(b'\t'),
        Some(_) => return Err(invalid("source.delimiter", "must be one ASCII character (or \\t)")),
    };
    let source = SourcePlan {
        missing,
        norm,
        ignore: src.ignore.iter().map(|s| s.trim().to_owned()).collect(),
        delimiter,
    };

    // [identity]
    let identity = match &raw.identity {
        None => None,
        Some(r) => {
            let birth_date = match &r.birth_date {
                None => None,
                Some(RawDateColumn::Name(c)) => Some((c.trim().to_owned(), source_formats.clone())),
                Some(RawDateColumn::Detailed(d)) => {
                    let formats = field_formats(
                        "identity.birth_date",
                        d.date_format.as_ref(),
                        d.date_formats.as_ref(),
                        &source_formats,
                    )?;
                    Some((d.column.trim().to_owned(), formats))
                }
            };
            let plan = IdentityPlan {
                given_names: r.given_names.as_ref().map(|s| s.trim().to_owned()),
                family_names: r.family_names.as_ref().map(|s| s.trim().to_owned()),
                birth_date,
                birth_year: r.birth_year.as_ref().map(|s| s.trim().to_owned()),
                sex: r.sex.as_ref().map(|s| s.trim().to_owned()),
            };
            if plan.personal_columns().is_empty() && plan.sex.is_none() {
                return Err(invalid("identity", "names no column"));
            }
            Some(plan)
        }
    };

    let columns = fields::columns(record_type);
    let mut plans: Vec<FieldPlan> = Vec::with_capacity(columns.len());
    for name in columns {
        let (kind, required) = fields::kind(record_type, name)
            .ok_or_else(|| invalid(format!("fields.{name}"), "internal: column without a kind"))?;
        plans.push(FieldPlan { name, kind, required, producer: Producer::None, default: None });
    }
    let index = |name: &str| columns.iter().position(|c| *c == name);
    let rt_code = record_type.code();

    // [constants]
    for (name, value) in &raw.constants {
        let key = format!("constants.{name}");
        let i = index(name)
            .ok_or_else(|| invalid(&key, format!("`{name}` is not a column of record type {rt_code}")))?;
        let v = scalar(&key, value)?;
        check_target(&key, name, plans[i].kind, &v, lists)?;
        plans[i].producer = Producer::Constant(v);
    }

    // [fields.*]
    let mut copies: Vec<(usize, String)> = Vec::new();
    for (name, f) in &raw.fields {
        let key = format!("fields.{name}");
        let i = index(name)
            .ok_or_else(|| invalid(&key, format!("`{name}` is not a column of record type {rt_code}")))?;
        if matches!(plans[i].producer, Producer::Constant(_)) {
            return Err(invalid(&key, "is also given in [constants]; a field has exactly one source"));
        }
        let kind = plans[i].kind;
        let name = plans[i].name;
        let producer = compile_field(&key, name, kind, f, &source_formats, lists, &mut copies, i)?;
        plans[i].producer = producer;
        if let Some(d) = &f.default {
            let dk = format!("{key}.default");
            let v = scalar(&dk, d)?;
            check_target(&dk, name, kind, &v, lists)?;
            plans[i].default = Some(v);
        }
    }

    // copies
    for (i, from) in copies {
        let key = format!("fields.{}.copy", plans[i].name);
        let j = index(&from)
            .ok_or_else(|| invalid(&key, format!("`{from}` is not a column of record type {rt_code}")))?;
        if j == i || matches!(plans[j].producer, Producer::Copy(_) | Producer::None) {
            return Err(invalid(
                &key,
                "must name a field that is produced by a column, flags, a derivation or a constant",
            ));
        }
        let (a, b) = (plans[j].kind, plans[i].kind);
        if !(a == b || (a == Kind::Date && b == Kind::Timestamp)) {
            return Err(invalid(
                &key,
                "the copied field must be of the same kind (or a date copied into a timestamp)",
            ));
        }
        plans[i].producer = Producer::Copy(j);
    }

    // derivation dependencies
    for i in 0..plans.len() {
        let Producer::Derive(d, _) = &plans[i].producer else { continue };
        let key = format!("fields.{}.derive", plans[i].name);
        let needs: Vec<&str> = match d {
            Derive::AgeFromBirthDate => {
                if identity.as_ref().is_none_or(|p| p.birth_date.is_none()) {
                    return Err(invalid(&key, "age_from_birth_date needs [identity] birth_date"));
                }
                vec!["registration_date"]
            }
            Derive::AgeGroupFromAge { age_column: Some(_) } => vec![],
            Derive::AgeGroupFromAge { age_column: None } => vec!["age_at_registration"],
            Derive::FirstForm { .. } => vec!["forms_of_exploitation"],
            Derive::CountryRoleFromExploitation { .. } => vec!["country_of_exploitation"],
        };
        for need in needs {
            let ok =
                index(need).is_some_and(|j| !matches!(plans[j].producer, Producer::None | Producer::Copy(_)));
            if !ok {
                return Err(invalid(
                    &key,
                    format!("{} needs `{need}` to be produced by a column, flags or constant", d.name()),
                ));
            }
        }
    }

    // required coverage
    for p in &plans {
        if p.required && matches!(p.producer, Producer::None) {
            return Err(ProfileError::MissingRequired { field: p.name, record_type: rt_code });
        }
    }

    // identity columns never feed a canonical field
    if let Some(id) = &identity {
        let personal = id.personal_columns();
        for p in &plans {
            let used = producer_columns(&p.producer);
            if used.iter().any(|c| personal.contains(c)) {
                return Err(invalid(
                    format!("fields.{}", p.name),
                    "reads an [identity] name or birth column; identity attributes never become model fields",
                ));
            }
        }
    }

    Ok(Plan {
        id: h.id.clone(),
        version: h.version.clone(),
        record_type,
        description: h.description.clone(),
        source,
        fields: plans,
        identity,
    })
}

/// Source columns a producer reads.
pub(crate) fn producer_columns(p: &Producer) -> Vec<&str> {
    match p {
        Producer::Column(c) => vec![c.column.as_str()],
        Producer::Flags(f) => f.flags.iter().map(|(c, _)| c.as_str()).collect(),
        Producer::Derive(d, c) => {
            let mut out: Vec<&str> = c.iter().map(|c| c.column.as_str()).collect();
            if let Derive::AgeGroupFromAge { age_column: Some(a) } = d {
                out.push(a);
            }
            out
        }
        Producer::None | Producer::Constant(_) | Producer::Copy(_) => vec![],
    }
}

fn field_formats(
    key: &str,
    one: Option<&String>,
    many: Option<&Vec<String>>,
    source: &[String],
) -> Result<Vec<String>, ProfileError> {
    match (one, many) {
        (Some(_), Some(_)) => Err(invalid(key, "give `date_format` or `date_formats`, not both")),
        (Some(f), None) => {
            let v = vec![f.clone()];
            check_formats(&format!("{key}.date_format"), &v)?;
            Ok(v)
        }
        (None, Some(v)) => {
            check_formats(&format!("{key}.date_formats"), v)?;
            Ok(v.clone())
        }
        (None, None) => Ok(source.to_vec()),
    }
}

#[allow(clippy::too_many_arguments)]
fn compile_field(
    key: &str,
    name: &'static str,
    kind: Kind,
    f: &RawField,
    source_formats: &[String],
    lists: &Codelists,
    copies: &mut Vec<(usize, String)>,
    index: usize,
) -> Result<Producer, ProfileError> {
    let has_column_opts = f.values.is_some()
        || f.crosswalk.is_some()
        || f.country
        || f.split.is_some()
        || f.date_format.is_some()
        || f.date_formats.is_some()
        || f.date_from_year.is_some();
    let producers =
        [f.column.is_some() && f.derive.is_none(), f.flags.is_some(), f.derive.is_some(), f.copy.is_some()];
    let n = producers.iter().filter(|b| **b).count();
    if n == 0 {
        return Err(invalid(
            key,
            "needs one of `column`, `flags`, `derive` or `copy` (a fixed value goes in [constants])",
        ));
    }
    if n > 1 {
        return Err(invalid(key, "has more than one of `column`, `flags`, `derive`, `copy`"));
    }
    if has_column_opts && f.column.is_none() {
        return Err(invalid(
            key,
            "column options (values, crosswalk, country, split, date formats) need `column`",
        ));
    }
    if (f.flag_true.is_some() || f.flag_false.is_some()) && f.flags.is_none() {
        return Err(invalid(key, "`flag_true` / `flag_false` need `flags`"));
    }
    if f.priority.is_some() && f.derive.as_deref() != Some("first_form") {
        return Err(invalid(format!("{key}.priority"), "only applies to derive = \"first_form\""));
    }
    if f.age_column.is_some() && f.derive.as_deref() != Some("age_group_from_age") {
        return Err(invalid(format!("{key}.age_column"), "only applies to derive = \"age_group_from_age\""));
    }
    if f.home.is_some() && f.derive.as_deref() != Some("country_role_from_exploitation") {
        return Err(invalid(
            format!("{key}.home"),
            "only applies to derive = \"country_role_from_exploitation\"",
        ));
    }

    let column = match &f.column {
        Some(c) => Some(compile_column(key, name, kind, c, f, source_formats, lists)?),
        None => None,
    };

    if let Some(from) = &f.copy {
        copies.push((index, from.trim().to_owned()));
        return Ok(Producer::Copy(index));
    }

    if let Some(flags) = &f.flags {
        if !kind.is_coded() || kind == Kind::Bool {
            return Err(invalid(format!("{key}.flags"), "flags only produce codes"));
        }
        if flags.is_empty() {
            return Err(invalid(format!("{key}.flags"), "lists no flag column"));
        }
        let mut out = Vec::new();
        for (col, target) in flags {
            let k = format!("{key}.flags");
            let t = scalar(&k, target)?;
            check_target(&k, name, kind, &t, lists)?;
            out.push((col.trim().to_owned(), t));
        }
        let words = |v: &Option<Vec<String>>, d: &[&str]| -> Vec<String> {
            match v {
                Some(v) => v.iter().map(|s| s.trim().to_owned()).collect(),
                None => d.iter().map(|s| (*s).to_owned()).collect(),
            }
        };
        let truthy = words(&f.flag_true, DEFAULT_FLAG_TRUE);
        let falsy = words(&f.flag_false, DEFAULT_FLAG_FALSE);
        let norm = Norm::LOOSE;
        let t: BTreeSet<String> = truthy.iter().map(|s| norm.key(s)).collect();
        if falsy.iter().any(|s| t.contains(&norm.key(s))) || truthy.iter().any(String::is_empty) {
            return Err(invalid(
                format!("{key}.flag_true"),
                "a value cannot be both true and false, nor empty",
            ));
        }
        return Ok(Producer::Flags(FlagsPlan { flags: out, truthy, falsy }));
    }

    if let Some(d) = &f.derive {
        let dk = format!("{key}.derive");
        let derive = match (d.as_str(), name) {
            ("age_from_birth_date", "age_at_registration") => Derive::AgeFromBirthDate,
            ("age_group_from_age", "age_group") => {
                Derive::AgeGroupFromAge { age_column: f.age_column.as_ref().map(|s| s.trim().to_owned()) }
            }
            ("first_form", "main_exploitation") => {
                let mut priority = Vec::new();
                for p in f.priority.iter().flatten() {
                    let form =
                        ExploitationForm::from_code(p.trim()).ok_or_else(|| ProfileError::BadTarget {
                            key: format!("{key}.priority"),
                            field: name.to_owned(),
                            code: p.clone(),
                            expected: "a code of codelist `exploitation_form`".into(),
                        })?;
                    priority.push(form);
                }
                Derive::FirstForm { priority }
            }
            ("country_role_from_exploitation", "country_role") => {
                let home = f.home.as_deref().map(str::trim).unwrap_or_default();
                if !fields::code_ok("country", home, lists) {
                    return Err(invalid(
                        format!("{key}.home"),
                        "country_role_from_exploitation needs `home`, the reporting country's code",
                    ));
                }
                Derive::CountryRoleFromExploitation { home: home.to_owned() }
            }
            (
                "age_from_birth_date"
                | "age_group_from_age"
                | "first_form"
                | "country_role_from_exploitation",
                _,
            ) => return Err(invalid(dk, format!("`{d}` cannot produce field `{name}`"))),
            _ => {
                return Err(invalid(
                    dk,
                    "unknown derivation (age_from_birth_date, age_group_from_age, first_form, country_role_from_exploitation)",
                ));
            }
        };
        return Ok(Producer::Derive(derive, column));
    }

    column.map(Producer::Column).ok_or_else(|| invalid(key, "needs `column`"))
}

fn compile_column(
    key: &str,
    name: &str,
    kind: Kind,
    column: &str,
    f: &RawField,
    source_formats: &[String],
    lists: &Codelists,
) -> Result<ColumnPlan, ProfileError> {
    if column.trim().is_empty() {
        return Err(invalid(format!("{key}.column"), "is empty"));
    }
    let mut values = Vec::new();
    if let Some(v) = &f.values {
        if !kind.is_coded() {
            return Err(invalid(format!("{key}.values"), "value maps only apply to coded fields"));
        }
        for (from, to) in v {
            let k = format!("{key}.values");
            let t = scalar(&k, to)?;
            check_target(&k, name, kind, &t, lists)?;
            values.push((from.trim().to_owned(), t));
        }
    }
    if let Some(cw) = &f.crosswalk {
        let k = format!("{key}.crosswalk");
        let walk = lists
            .crosswalk(cw)
            .ok_or_else(|| invalid(&k, "no crosswalk of that id in the codelist bundle"))?;
        if kind.list() != Some(walk.to.as_str()) || kind == Kind::Bool {
            return Err(invalid(
                &k,
                format!("the crosswalk maps onto `{}`, not onto this field's codelist", walk.to),
            ));
        }
    }
    if f.country && !kind.is_country() {
        return Err(invalid(format!("{key}.country"), "only applies to citizenship and country fields"));
    }
    let split = match &f.split {
        None => None,
        Some(_) if !kind.is_multi() => {
            return Err(invalid(format!("{key}.split"), "only applies to multi-valued fields"));
        }
        Some(s) if s.is_empty() => return Err(invalid(format!("{key}.split"), "is empty")),
        Some(s) => Some(s.clone()),
    };
    let temporal_opts = f.date_format.is_some() || f.date_formats.is_some() || f.date_from_year.is_some();
    if temporal_opts && !kind.is_temporal() {
        return Err(invalid(key, "date options only apply to date and timestamp fields"));
    }
    let date_formats = if kind.is_temporal() {
        field_formats(key, f.date_format.as_ref(), f.date_formats.as_ref(), source_formats)?
    } else {
        Vec::new()
    };
    let date_from_year =
        match &f.date_from_year {
            None => None,
            Some(md) => {
                let parsed = md
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
                    .filter(|&(m, d)| NaiveDate::from_ymd_opt(2001, m, d).is_some());
                Some(parsed.ok_or_else(|| {
                    invalid(format!("{key}.date_from_year"), "must be MM-DD, e.g. \"07-01\"")
                })?)
            }
        };
    Ok(ColumnPlan {
        column: column.trim().to_owned(),
        values,
        crosswalk: f.crosswalk.clone(),
        country: f.country,
        split,
        date_formats,
        date_from_year,
    })
}

/// A TOML syntax or shape error, located by line and enclosing table (never echoing data).
fn syntax_error(text: &str, e: &toml::de::Error) -> ProfileError {
    let offset = e.span().map_or(text.len(), |s| s.start.min(text.len()));
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    let mut table = String::new();
    for l in before.lines() {
        let t = l.trim();
        if t.starts_with('[') {
            table = t.trim_start_matches('[').split(']').next().unwrap_or_default().trim().to_owned();
        }
    }
    let this_line = text.lines().nth(line - 1).unwrap_or_default().trim();
    let key = if this_line.starts_with('[') {
        String::new()
    } else {
        this_line.split_once('=').map(|(k, _)| k.trim().trim_matches('"').to_owned()).unwrap_or_default()
    };
    let path = match (table.is_empty(), key.is_empty()) {
        (true, true) => "(top level)".to_owned(),
        (true, false) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    };
    ProfileError::Syntax { line, column, key: path, message: e.message().trim().to_owned() }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
