//! The canonical text form of records: one column per model field, in a fixed order, as used
//! by the model's own CSV files (`mosy synth` output, canonical imports).
//!
//! Conventions: empty = absent; multi-valued fields join their values with `|` (sets are
//! written sorted, citizenship keeps its order because the first value is the main one);
//! dates `YYYY-MM-DD`; timestamps RFC 3339 UTC; booleans `true`/`false`; `UNK` is an explicit
//! unknown. Parsing checks every field-level rule and collects all violations of a row.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::code::{Code, ListKind, ModelCode};
use crate::codelists::Codelists;
use crate::codes::RecordType;
use crate::ids::{CaseRef, LinkageKey, NationalCode, ProviderId, RecordRef};
use crate::records::{
    Citizenship, CourtDecision, Exploitation, Known, Offender, Prosecution, Suspect, VictimRegistration,
};
use crate::rules::{Rule, ValidationError, Violation};
use crate::validate::{self, Context, Valid};

/// Columns of the provider register file (`providers.csv`), in canonical order: written by the
/// synthetic generator, read by `ingest`.
pub const PROVIDER_COLUMNS: &[&str] = &[
    "provider_id",
    "name",
    "provider_type",
    "country",
    "nuts",
    "can_formally_identify",
    "submits",
    "valid_from",
    "valid_to",
];

/// Most values accepted in one multi-valued field.
pub const MAX_SET_VALUES: usize = 32;

/// A record type of the common model in its canonical text form.
pub trait ModelRecord: Sized {
    /// Which record type.
    const TYPE: RecordType;
    /// Canonical columns, in order.
    const COLUMNS: &'static [&'static str];
    /// Parses one row whose values are in [`Self::COLUMNS`] order.
    fn parse(values: &[&str], lists: &Codelists) -> Result<Self, Vec<Violation>>;
    /// Writes the record's values in [`Self::COLUMNS`] order.
    fn write(&self, out: &mut dyn FnMut(&str));
    /// Checks the cross-field rules.
    fn validate(self, ctx: &Context<'_>) -> Result<Valid<Self>, ValidationError>;
    /// The opaque record reference.
    fn record_ref(&self) -> &RecordRef;
    /// The provider.
    fn provider_id(&self) -> &ProviderId;
    /// The date that places the record in a reference period.
    fn reference_date(&self) -> NaiveDate;
}

/// Parses a row (in canonical column order) and validates it; errors carry the row number.
pub fn parse_and_validate<R: ModelRecord>(
    values: &[&str],
    row: u64,
    lists: &Codelists,
    ctx: &Context<'_>,
) -> Result<Valid<R>, ValidationError> {
    match R::parse(values, lists) {
        Ok(rec) => R::validate(rec, ctx).map_err(|mut e| {
            e.row = Some(row);
            e
        }),
        Err(violations) => {
            let record_ref = values.first().and_then(|v| RecordRef::new(v.trim()));
            Err(ValidationError { record_type: R::TYPE, row: Some(row), record_ref, violations })
        }
    }
}

struct Fields<'a> {
    values: &'a [&'a str],
    columns: &'static [&'static str],
    pos: usize,
    lists: &'a Codelists,
    out: Vec<Violation>,
}

impl<'a> Fields<'a> {
    fn new(values: &'a [&'a str], columns: &'static [&'static str], lists: &'a Codelists) -> Self {
        let mut out = Vec::new();
        if values.len() != columns.len() {
            out.push(Violation { field: "*", rule: Rule::ColumnCount });
        }
        Fields { values, columns, pos: 0, lists, out }
    }

    fn next(&mut self) -> (&'static str, &'a str) {
        let field = self.columns.get(self.pos).copied().unwrap_or("*");
        let value = self.values.get(self.pos).map_or("", |v| trim(v));
        self.pos += 1;
        (field, value)
    }

    fn opt<T>(&mut self, parse: impl FnOnce(&Self, &str) -> Result<T, Rule>) -> Option<T> {
        let (field, value) = self.next();
        if value.is_empty() {
            return None;
        }
        match parse(self, value) {
            Ok(v) => Some(v),
            Err(rule) => {
                self.out.push(Violation { field, rule });
                None
            }
        }
    }

    fn req<T>(&mut self, parse: impl FnOnce(&Self, &str) -> Result<T, Rule>) -> Option<T> {
        let (field, value) = self.peek();
        if value.is_empty() {
            self.pos += 1;
            self.out.push(Violation { field, rule: Rule::Required });
            return None;
        }
        self.opt(parse)
    }

    fn peek(&self) -> (&'static str, &'a str) {
        let field = self.columns.get(self.pos).copied().unwrap_or("*");
        (field, self.values.get(self.pos).map_or("", |v| trim(v)))
    }

    fn list<T: Eq>(&mut self, required: bool, parse: impl Fn(&Self, &str) -> Result<T, Rule>) -> Vec<T> {
        let (field, value) = self.next();
        let mut out = Vec::new();
        if value.is_empty() {
            if required {
                self.out.push(Violation { field, rule: Rule::Required });
            }
            return out;
        }
        let mut failed = None;
        for part in value.split('|') {
            match parse(self, trim(part)) {
                Ok(v) if out.contains(&v) => failed = failed.or(Some(Rule::DuplicateValue)),
                Ok(v) => out.push(v),
                Err(rule) => failed = failed.or(Some(rule)),
            }
        }
        if out.len() > MAX_SET_VALUES {
            failed = failed.or(Some(Rule::TooManyValues));
        }
        if let Some(rule) = failed {
            self.out.push(Violation { field, rule });
        }
        out
    }

    fn set<T: Ord>(&mut self, required: bool, parse: impl Fn(&Self, &str) -> Result<T, Rule>) -> BTreeSet<T> {
        self.list(required, parse).into_iter().collect()
    }
}

fn model<C: ModelCode>(_: &Fields<'_>, s: &str) -> Result<C, Rule> {
    C::from_code(s).ok_or(Rule::NotInCodelist(C::LIST))
}

fn code<L: ListKind>(f: &Fields<'_>, s: &str) -> Result<Code<L>, Rule> {
    Code::<L>::parse(s, f.lists).ok_or(Rule::NotInCodelist(L::ID))
}

fn known_country(f: &Fields<'_>, s: &str) -> Result<Known<Code<crate::code::Country>>, Rule> {
    if s == "UNK" { Ok(Known::Unknown) } else { code(f, s).map(Known::Known) }
}

fn citizenship(f: &Fields<'_>, s: &str) -> Result<Citizenship, Rule> {
    match s {
        "UNK" => Ok(Citizenship::Unknown),
        "STLS" => Ok(Citizenship::Stateless),
        _ => code(f, s).map(Citizenship::Country),
    }
}

/// `s.trim()`, without looking at the characters when the value starts and ends with a
/// printable ASCII character (every whitespace character is ASCII up to a space, or not ASCII).
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let printable = |c: &u8| (b'!'..0x80).contains(c);
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if printable(f) && printable(l) => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

fn date(_: &Fields<'_>, s: &str) -> Result<NaiveDate, Rule> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(Rule::InvalidDate);
    }
    // All digits (the usual case): the numbers straight to the calendar check, as chrono's
    // `%Y-%m-%d` would take them; anything else through chrono.
    let digits = [0, 1, 2, 3, 5, 6, 8, 9];
    if digits.iter().all(|&i| b[i].is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
        let year = i32::try_from(n(0..4)).map_err(|_| Rule::InvalidDate)?;
        return NaiveDate::from_ymd_opt(year, n(5..7), n(8..10)).ok_or(Rule::InvalidDate);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Rule::InvalidDate)
}

fn timestamp(_: &Fields<'_>, s: &str) -> Result<DateTime<Utc>, Rule> {
    DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).map_err(|_| Rule::InvalidTimestamp)
}

fn uint<T: TryFrom<u64>>(_: &Fields<'_>, s: &str) -> Result<T, Rule> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Rule::InvalidInteger);
    }
    let n: u64 = s.parse().map_err(|_| Rule::InvalidInteger)?;
    T::try_from(n).map_err(|_| Rule::InvalidInteger)
}

fn age(f: &Fields<'_>, s: &str) -> Result<u8, Rule> {
    let n: u64 = uint(f, s)?;
    u8::try_from(n).ok().filter(|&a| a <= 120).ok_or(Rule::AgeOutOfRange)
}

fn boolean(_: &Fields<'_>, s: &str) -> Result<bool, Rule> {
    match s {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Rule::InvalidBool),
    }
}

fn record_ref(_: &Fields<'_>, s: &str) -> Result<RecordRef, Rule> {
    RecordRef::new(s).ok_or(Rule::InvalidIdentifier)
}

fn case_ref(_: &Fields<'_>, s: &str) -> Result<CaseRef, Rule> {
    CaseRef::new(s).ok_or(Rule::InvalidIdentifier)
}

fn provider_id(_: &Fields<'_>, s: &str) -> Result<ProviderId, Rule> {
    ProviderId::new(s).ok_or(Rule::InvalidIdentifier)
}

fn linkage_key(_: &Fields<'_>, s: &str) -> Result<LinkageKey, Rule> {
    LinkageKey::parse(s).ok_or(Rule::InvalidLinkageKey)
}

fn national_code(_: &Fields<'_>, s: &str) -> Result<NationalCode, Rule> {
    NationalCode::new(s).ok_or(Rule::InvalidIdentifier)
}

/// Unwraps parsed fields once it is known that no violation was recorded.
macro_rules! build {
    ($fields:ident, $body:expr) => {{
        if !$fields.out.is_empty() {
            return Err($fields.out);
        }
        let built: Option<_> = (|| Some($body))();
        built.ok_or_else(|| vec![Violation { field: "*", rule: Rule::Required }])
    }};
}

struct Out<'a> {
    sink: &'a mut dyn FnMut(&str),
    buf: String,
}

/// A value written in its canonical text form straight into a buffer: the hot path of every
/// import (no formatting machinery), giving exactly what its `Display` gives.
pub(crate) trait Canon {
    /// Appends the canonical text.
    fn canon(&self, out: &mut String);
}

impl<L: ListKind> Canon for Code<L> {
    fn canon(&self, out: &mut String) {
        out.push_str(self.as_str());
    }
}

impl<T: Canon> Canon for &T {
    fn canon(&self, out: &mut String) {
        (**self).canon(out);
    }
}

impl<T: Canon> Canon for Known<T> {
    fn canon(&self, out: &mut String) {
        match self {
            Known::Known(v) => v.canon(out),
            Known::Unknown => out.push_str("UNK"),
        }
    }
}

impl Canon for Citizenship {
    fn canon(&self, out: &mut String) {
        match self {
            Citizenship::Country(c) => c.canon(out),
            Citizenship::Stateless => out.push_str("STLS"),
            Citizenship::Unknown => out.push_str("UNK"),
        }
    }
}

macro_rules! canon_ids {
    ($($t:ty),*) => {$(
        impl Canon for $t {
            fn canon(&self, out: &mut String) {
                out.push_str(self.as_str());
            }
        }
    )*};
}
canon_ids!(RecordRef, CaseRef, NationalCode);

impl Canon for LinkageKey {
    fn canon(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 32];
        for (i, b) in self.as_bytes().iter().enumerate() {
            hex[2 * i] = HEX[usize::from(b >> 4)];
            hex[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
    }
}

macro_rules! canon_uints {
    ($($t:ty),*) => {$(
        impl Canon for $t {
            fn canon(&self, out: &mut String) {
                push_uint(out, u64::from(*self));
            }
        }
    )*};
}
canon_uints!(u8, u16, u32);

/// Appends `n` in decimal, as `Display` does.
fn push_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// Appends two decimal digits.
fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends `YYYY-MM-DD` (years 0 to 9999; others as `{:04}`).
fn push_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike as _;
    let y = d.year();
    if (0..=9999).contains(&y) {
        let y = y.unsigned_abs();
        push_2(out, y / 100);
        push_2(out, y % 100);
    } else {
        use std::fmt::Write as _;
        let _ = write!(out, "{y:04}");
    }
    out.push('-');
    push_2(out, d.month());
    out.push('-');
    push_2(out, d.day());
}

impl Out<'_> {
    fn s(&mut self, v: &str) {
        (self.sink)(v);
    }
    fn opt<T: Canon>(&mut self, v: Option<T>) {
        match v {
            Some(v) => self.display(v),
            None => (self.sink)(""),
        }
    }
    fn display<T: Canon>(&mut self, v: T) {
        self.buf.clear();
        v.canon(&mut self.buf);
        (self.sink)(&self.buf);
    }
    fn join<T: Canon>(&mut self, items: impl IntoIterator<Item = T>) {
        self.buf.clear();
        for (i, v) in items.into_iter().enumerate() {
            if i > 0 {
                self.buf.push('|');
            }
            v.canon(&mut self.buf);
        }
        (self.sink)(&self.buf);
    }
    fn date(&mut self, d: NaiveDate) {
        self.buf.clear();
        push_date(&mut self.buf, d);
        (self.sink)(&self.buf);
    }
    fn opt_date(&mut self, d: Option<NaiveDate>) {
        match d {
            Some(d) => self.date(d),
            None => (self.sink)(""),
        }
    }
    fn ts(&mut self, t: DateTime<Utc>) {
        use chrono::{Datelike as _, Timelike as _};
        let d = t.date_naive();
        // Whole seconds of years 0 to 9999 written here; the rest (leap seconds, far years) by
        // chrono, which gives the same text for these.
        if (0..=9999).contains(&d.year()) && t.nanosecond() < 1_000_000_000 {
            self.buf.clear();
            push_date(&mut self.buf, d);
            self.buf.push('T');
            push_2(&mut self.buf, t.hour());
            self.buf.push(':');
            push_2(&mut self.buf, t.minute());
            self.buf.push(':');
            push_2(&mut self.buf, t.second());
            self.buf.push('Z');
            (self.sink)(&self.buf);
        } else {
            let s = t.to_rfc3339_opts(SecondsFormat::Secs, true);
            (self.sink)(&s);
        }
    }
}

fn write_offender(o: &Offender, out: &mut Out<'_>) {
    out.s(o.person_type.code());
    out.opt(o.sex);
    out.opt(o.age_group);
    out.join(&o.citizenship);
    out.join(&o.exploitation.forms);
    out.s(o.exploitation.main.code());
}

fn parse_offender(f: &mut Fields<'_>) -> Option<Offender> {
    let person_type = f.req(model);
    let sex = f.opt(model);
    let age_group = f.opt(model);
    let citizenship = f.list(true, citizenship);
    let forms = f.set(true, model);
    let main = f.req(model);
    Some(Offender {
        person_type: person_type?,
        sex,
        age_group,
        citizenship,
        exploitation: Exploitation { forms, main: main? },
    })
}

impl ModelRecord for VictimRegistration {
    const TYPE: RecordType = RecordType::Victim;
    const COLUMNS: &'static [&'static str] = &[
        "record_ref",
        "provider_id",
        "registration_date",
        "status",
        "status_date",
        "identifying_authority_type",
        "linked_record_refs",
        "sex",
        "gender",
        "age_at_registration",
        "age_group",
        "minor_at_exploitation",
        "citizenship",
        "country_of_recruitment",
        "country_of_exploitation",
        "place_of_exploitation_nuts",
        "place_of_detection_nuts",
        "district",
        "country_role",
        "forms_of_exploitation",
        "main_exploitation",
        "exploitation_national_code",
        "labour_sector",
        "sexual_exploitation_type",
        "means_of_control",
        "recruitment_method",
        "recruiter_relation",
        "trafficking_duration",
        "assistance_received",
        "support_types",
        "reflection_period_granted",
        "residence_permit_granted",
        "case_refs",
        "record_version",
        "updated_at",
        "linkage_key_id",
        "linkage_keys",
    ];

    fn parse(values: &[&str], lists: &Codelists) -> Result<Self, Vec<Violation>> {
        let mut f = Fields::new(values, Self::COLUMNS, lists);
        let record_ref_v = f.req(record_ref);
        let provider = f.req(provider_id);
        let registration_date = f.req(date);
        let status = f.req(model);
        let status_date = f.req(date);
        let identifying_authority_type = f.opt(model);
        let linked_record_refs = f.set(false, record_ref);
        let sex = f.req(model);
        let gender = f.opt(code);
        let age_at_registration = f.opt(age);
        let age_group = f.req(model);
        let minor_at_exploitation = f.opt(model);
        let citizenship_v = f.list(true, citizenship);
        let country_of_recruitment = f.opt(known_country);
        let country_of_exploitation = f.req(known_country);
        let place_of_exploitation_nuts = f.opt(code);
        let place_of_detection_nuts = f.opt(code);
        let district = f.opt(code);
        let country_role = f.req(model);
        let forms = f.set(true, model);
        let main = f.req(model);
        let exploitation_national_code = f.opt(national_code);
        let labour_sector = f.opt(code);
        let sexual_exploitation_type = f.set(false, code);
        let means_of_control = f.set(false, code);
        let recruitment_method = f.set(false, code);
        let recruiter_relation = f.opt(code);
        let trafficking_duration = f.opt(code);
        let assistance_received = f.req(model);
        let support_types = f.set(false, code);
        let reflection_period_granted = f.req(model);
        let residence_permit_granted = f.req(model);
        let case_refs = f.set(false, case_ref);
        let record_version = f.req(uint);
        let updated_at = f.req(timestamp);
        let linkage_key_id = f.opt(national_code);
        let linkage_keys = f.set(false, linkage_key);
        build!(
            f,
            VictimRegistration {
                record_ref: record_ref_v?,
                provider_id: provider?,
                registration_date: registration_date?,
                status: status?,
                status_date: status_date?,
                identifying_authority_type,
                linked_record_refs,
                sex: sex?,
                gender,
                age_at_registration,
                age_group: age_group?,
                minor_at_exploitation,
                citizenship: citizenship_v,
                country_of_recruitment,
                country_of_exploitation: country_of_exploitation?,
                place_of_exploitation_nuts,
                place_of_detection_nuts,
                district,
                country_role: country_role?,
                exploitation: Exploitation { forms, main: main? },
                exploitation_national_code,
                labour_sector,
                sexual_exploitation_type,
                means_of_control,
                recruitment_method,
                recruiter_relation,
                trafficking_duration,
                assistance_received: assistance_received?,
                support_types,
                reflection_period_granted: reflection_period_granted?,
                residence_permit_granted: residence_permit_granted?,
                case_refs,
                record_version: record_version?,
                updated_at: updated_at?,
                linkage_key_id,
                linkage_keys,
            }
        )
    }

    fn write(&self, sink: &mut dyn FnMut(&str)) {
        let mut o = Out { sink, buf: String::new() };
        o.s(self.record_ref.as_str());
        o.s(self.provider_id.as_str());
        o.date(self.registration_date);
        o.s(self.status.code());
        o.date(self.status_date);
        o.opt(self.identifying_authority_type);
        o.join(&self.linked_record_refs);
        o.s(self.sex.code());
        o.opt(self.gender);
        o.opt(self.age_at_registration);
        o.s(self.age_group.code());
        o.opt(self.minor_at_exploitation);
        o.join(&self.citizenship);
        o.opt(self.country_of_recruitment);
        o.display(self.country_of_exploitation);
        o.opt(self.place_of_exploitation_nuts);
        o.opt(self.place_of_detection_nuts);
        o.opt(self.district);
        o.s(self.country_role.code());
        o.join(&self.exploitation.forms);
        o.s(self.exploitation.main.code());
        o.opt(self.exploitation_national_code.as_ref());
        o.opt(self.labour_sector);
        o.join(&self.sexual_exploitation_type);
        o.join(&self.means_of_control);
        o.join(&self.recruitment_method);
        o.opt(self.recruiter_relation);
        o.opt(self.trafficking_duration);
        o.s(self.assistance_received.code());
        o.join(&self.support_types);
        o.s(self.reflection_period_granted.code());
        o.s(self.residence_permit_granted.code());
        o.join(&self.case_refs);
        o.display(self.record_version);
        o.ts(self.updated_at);
        o.opt(self.linkage_key_id.as_ref());
        o.join(&self.linkage_keys);
    }

    fn validate(self, ctx: &Context<'_>) -> Result<Valid<Self>, ValidationError> {
        validate::victim(self, ctx)
    }
    fn record_ref(&self) -> &RecordRef {
        &self.record_ref
    }
    fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }
    fn reference_date(&self) -> NaiveDate {
        self.registration_date
    }
}

impl ModelRecord for Suspect {
    const TYPE: RecordType = RecordType::Suspect;
    const COLUMNS: &'static [&'static str] = &[
        "record_ref",
        "provider_id",
        "case_ref",
        "first_contact_date",
        "person_type",
        "sex",
        "age_group",
        "citizenship",
        "forms_of_exploitation",
        "main_exploitation",
        "organised_crime",
        "role_in_process",
        "offence_code",
        "place_nuts",
        "victim_record_refs",
        "record_version",
        "updated_at",
    ];

    fn parse(values: &[&str], lists: &Codelists) -> Result<Self, Vec<Violation>> {
        let mut f = Fields::new(values, Self::COLUMNS, lists);
        let record_ref_v = f.req(record_ref);
        let provider = f.req(provider_id);
        let case = f.req(case_ref);
        let first_contact_date = f.req(date);
        let offender = parse_offender(&mut f);
        let organised_crime = f.req(model);
        let role_in_process = f.set(false, code);
        let offence_code = f.req(national_code);
        let place_nuts = f.opt(code);
        let victim_record_refs = f.set(false, record_ref);
        let record_version = f.req(uint);
        let updated_at = f.req(timestamp);
        build!(
            f,
            Suspect {
                record_ref: record_ref_v?,
                provider_id: provider?,
                case_ref: case?,
                first_contact_date: first_contact_date?,
                offender: offender?,
                organised_crime: organised_crime?,
                role_in_process,
                offence_code: offence_code?,
                place_nuts,
                victim_record_refs,
                record_version: record_version?,
                updated_at: updated_at?,
            }
        )
    }

    fn write(&self, sink: &mut dyn FnMut(&str)) {
        let mut o = Out { sink, buf: String::new() };
        o.s(self.record_ref.as_str());
        o.s(self.provider_id.as_str());
        o.s(self.case_ref.as_str());
        o.date(self.first_contact_date);
        write_offender(&self.offender, &mut o);
        o.s(self.organised_crime.code());
        o.join(&self.role_in_process);
        o.s(self.offence_code.as_str());
        o.opt(self.place_nuts);
        o.join(&self.victim_record_refs);
        o.display(self.record_version);
        o.ts(self.updated_at);
    }

    fn validate(self, ctx: &Context<'_>) -> Result<Valid<Self>, ValidationError> {
        validate::suspect(self, ctx)
    }
    fn record_ref(&self) -> &RecordRef {
        &self.record_ref
    }
    fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }
    fn reference_date(&self) -> NaiveDate {
        self.first_contact_date
    }
}

impl ModelRecord for Prosecution {
    const TYPE: RecordType = RecordType::Prosecution;
    const COLUMNS: &'static [&'static str] = &[
        "record_ref",
        "provider_id",
        "case_ref",
        "suspect_record_ref",
        "initiated_date",
        "person_type",
        "sex",
        "age_group",
        "citizenship",
        "forms_of_exploitation",
        "main_exploitation",
        "offence_code",
        "status",
        "finalised_date",
        "outcome",
        "record_version",
        "updated_at",
    ];

    fn parse(values: &[&str], lists: &Codelists) -> Result<Self, Vec<Violation>> {
        let mut f = Fields::new(values, Self::COLUMNS, lists);
        let record_ref_v = f.req(record_ref);
        let provider = f.req(provider_id);
        let case = f.req(case_ref);
        let suspect_record_ref = f.opt(record_ref);
        let initiated_date = f.req(date);
        let offender = parse_offender(&mut f);
        let offence_code = f.req(national_code);
        let status = f.req(model);
        let finalised_date = f.opt(date);
        let outcome = f.opt(model);
        let record_version = f.req(uint);
        let updated_at = f.req(timestamp);
        build!(
            f,
            Prosecution {
                record_ref: record_ref_v?,
                provider_id: provider?,
                case_ref: case?,
                suspect_record_ref,
                initiated_date: initiated_date?,
                offender: offender?,
                offence_code: offence_code?,
                status: status?,
                finalised_date,
                outcome,
                record_version: record_version?,
                updated_at: updated_at?,
            }
        )
    }

    fn write(&self, sink: &mut dyn FnMut(&str)) {
        let mut o = Out { sink, buf: String::new() };
        o.s(self.record_ref.as_str());
        o.s(self.provider_id.as_str());
        o.s(self.case_ref.as_str());
        o.opt(self.suspect_record_ref.as_ref());
        o.date(self.initiated_date);
        write_offender(&self.offender, &mut o);
        o.s(self.offence_code.as_str());
        o.s(self.status.code());
        o.opt_date(self.finalised_date);
        o.opt(self.outcome);
        o.display(self.record_version);
        o.ts(self.updated_at);
    }

    fn validate(self, ctx: &Context<'_>) -> Result<Valid<Self>, ValidationError> {
        validate::prosecution(self, ctx)
    }
    fn record_ref(&self) -> &RecordRef {
        &self.record_ref
    }
    fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }
    fn reference_date(&self) -> NaiveDate {
        self.initiated_date
    }
}

impl ModelRecord for CourtDecision {
    const TYPE: RecordType = RecordType::CourtDecision;
    const COLUMNS: &'static [&'static str] = &[
        "record_ref",
        "provider_id",
        "case_ref",
        "prosecution_record_ref",
        "decision_date",
        "instance",
        "decision_type",
        "convicted_of_thb",
        "person_type",
        "sex",
        "age_group",
        "citizenship",
        "forms_of_exploitation",
        "main_exploitation",
        "sentence_type",
        "sentence_months",
        "record_version",
        "updated_at",
    ];

    fn parse(values: &[&str], lists: &Codelists) -> Result<Self, Vec<Violation>> {
        let mut f = Fields::new(values, Self::COLUMNS, lists);
        let record_ref_v = f.req(record_ref);
        let provider = f.req(provider_id);
        let case = f.req(case_ref);
        let prosecution_record_ref = f.opt(record_ref);
        let decision_date = f.req(date);
        let instance = f.req(model);
        let decision_type = f.req(model);
        let convicted_of_thb = f.req(boolean);
        let offender = parse_offender(&mut f);
        let sentence_type = f.opt(model);
        let sentence_months = f.opt(uint);
        let record_version = f.req(uint);
        let updated_at = f.req(timestamp);
        build!(
            f,
            CourtDecision {
                record_ref: record_ref_v?,
                provider_id: provider?,
                case_ref: case?,
                prosecution_record_ref,
                decision_date: decision_date?,
                instance: instance?,
                decision_type: decision_type?,
                convicted_of_thb: convicted_of_thb?,
                offender: offender?,
                sentence_type,
                sentence_months,
                record_version: record_version?,
                updated_at: updated_at?,
            }
        )
    }

    fn write(&self, sink: &mut dyn FnMut(&str)) {
        let mut o = Out { sink, buf: String::new() };
        o.s(self.record_ref.as_str());
        o.s(self.provider_id.as_str());
        o.s(self.case_ref.as_str());
        o.opt(self.prosecution_record_ref.as_ref());
        o.date(self.decision_date);
        o.s(self.instance.code());
        o.s(self.decision_type.code());
        o.s(if self.convicted_of_thb { "true" } else { "false" });
        write_offender(&self.offender, &mut o);
        o.opt(self.sentence_type);
        o.opt(self.sentence_months);
        o.display(self.record_version);
        o.ts(self.updated_at);
    }

    fn validate(self, ctx: &Context<'_>) -> Result<Valid<Self>, ValidationError> {
        validate::court_decision(self, ctx)
    }
    fn record_ref(&self) -> &RecordRef {
        &self.record_ref
    }
    fn provider_id(&self) -> &ProviderId {
        &self.provider_id
    }
    fn reference_date(&self) -> NaiveDate {
        self.decision_date
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numbers_dates_and_timestamps_match_display() {
        for n in [0u64, 7, 10, 99, 120, 4_294_967_295, u64::MAX] {
            let mut s = String::new();
            push_uint(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        let days = [(1990, 1, 1), (2019, 12, 31), (0, 1, 1), (9999, 12, 31), (-5, 3, 4), (12_345, 6, 7)];
        for (y, m, d) in days {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
            let mut s = String::new();
            push_date(&mut s, date);
            assert_eq!(s, format!("{:04}-{:02}-{:02}", y, m, d));
            let mut written = Vec::new();
            let mut sink = |v: &str| written.push(v.to_owned());
            let mut out = Out { sink: &mut sink, buf: String::new() };
            for (h, mi, se, nano) in [(0, 0, 0, 0), (23, 59, 59, 999_999_999), (23, 59, 59, 1_500_000_000)] {
                let t = date.and_hms_nano_opt(h, mi, se, nano).expect("a time").and_utc();
                out.ts(t);
            }
            for (t, text) in [(0, 0, 0, 0), (23, 59, 59, 999_999_999), (23, 59, 59, 1_500_000_000)]
                .iter()
                .map(|&(h, mi, se, nano)| date.and_hms_nano_opt(h, mi, se, nano).expect("a time").and_utc())
                .zip(&written)
            {
                assert_eq!(text, &t.to_rfc3339_opts(SecondsFormat::Secs, true));
            }
        }
    }

    #[test]
    fn dates_parse_as_chrono_does() {
        let f = Fields::new(&[], &[], Codelists::embedded());
        for s in [
            "2019-01-09",
            "2019-02-29",
            "2020-02-29",
            "2019-13-01",
            "2019-00-10",
            "2019-01-32",
            "0000-01-01",
            "-123-05-06",
            "+123-05-06",
            "2019-1a-01",
            "20190-1-01",
            "2019-01-1 ",
            "9999-12-31",
        ] {
            let chrono = if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
            } else {
                None
            };
            assert_eq!(date(&f, s).ok(), chrono, "{s}");
        }
    }

    #[test]
    fn trim_is_str_trim() {
        for s in
            ["", " ", "a", " a", "a ", "\ta\n", "\u{a0}a", "a\u{3000}", "é", " é ", "a b", "\u{85}x\u{85}"]
        {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
