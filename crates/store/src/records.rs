//! The four record tables: written and read generically through the model's canonical text
//! form ([`model::ModelRecord`]), plus the counting queries over them.
//!
//! A record table's columns are `submission_id`, then the record type's
//! [`Storable::OWN_COLUMNS`] (model columns kept as columns of their own, with the same names),
//! then — when some model columns are not among them — one `packed` column holding the other
//! canonical values in [`ModelRecord::COLUMNS`] order, joined by [`PACK_SEPARATOR`]. Suspects,
//! prosecutions and court decisions keep every model column as its own column
//! (`migrations/*/0001_init.sql`); victim registrations, the bulk of the hub, keep only what
//! queries, revisions and de-duplication read, with their linkage keys as raw bytes
//! (`migrations/*/0004_lean_victims.sql`). [`Layout`] maps one onto the other, and [`Encoded`]
//! is a validated record in that layout, ready to be written.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::OnceLock;

use chrono::NaiveDate;
use model::codes::{ExploitationForm, RecordType, Sex};
use model::{
    Codelists, CourtDecision, ModelCode, ModelRecord, Prosecution, ProviderId, RecordRef, Suspect, Valid,
    VictimRegistration,
};

use crate::dialect::{self, ColumnKind, column_kind};
use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// A record type of the model with its table: the four record types, and only they (a type
/// outside the model cannot be [`model::Valid`], the only form the store accepts).
pub trait Storable: ModelRecord {
    /// The table name.
    const TABLE: &'static str;
    /// The model columns kept as table columns of their own, in table order after
    /// `submission_id` (the record reference first); the other model columns are packed into one
    /// `packed` column. Empty: every model column is a column of its own, in model order.
    const OWN_COLUMNS: &'static [&'static str] = &[];

    /// Appends the raw bytes of the record's linkage keys (16 per key, in ascending order, as the
    /// canonical text lists them) to `out`: what a keys column keeps. Nothing for records
    /// without linkage keys.
    fn linkage_key_bytes(&self, out: &mut Vec<u8>) {
        let _ = out;
    }
}

impl Storable for VictimRegistration {
    const TABLE: &'static str = "victim_registration";
    const OWN_COLUMNS: &'static [&'static str] = &[
        "record_ref",
        "provider_id",
        "registration_date",
        "status",
        "sex",
        "main_exploitation",
        "linked_record_refs",
        "linkage_keys",
    ];

    fn linkage_key_bytes(&self, out: &mut Vec<u8>) {
        out.reserve(16 * self.linkage_keys.len());
        for key in &self.linkage_keys {
            out.extend_from_slice(key.as_bytes());
        }
    }
}

impl Storable for Suspect {
    const TABLE: &'static str = "suspect";
}

impl Storable for Prosecution {
    const TABLE: &'static str = "prosecution";
}

impl Storable for CourtDecision {
    const TABLE: &'static str = "court_decision";
}

/// Joins the packed values of a row. No canonical value can hold it: values are codes, dates,
/// timestamps, numbers and identifiers (letters, digits and `_ . : / - |`).
pub(crate) const PACK_SEPARATOR: char = '\u{1f}';

/// Where one model column is kept.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Slot {
    /// In its own table column: the `n`-th after `submission_id`.
    Own(usize),
    /// In the `packed` column, as its `n`-th value.
    Packed(usize),
}

/// How a record type's canonical columns map onto its table.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// The table.
    pub(crate) table: &'static str,
    /// The model column of each own table column, in table order.
    pub(crate) own: Vec<usize>,
    /// The kind of each own table column.
    pub(crate) kinds: Vec<ColumnKind>,
    /// Where each model column is kept, in model order.
    pub(crate) slots: Vec<Slot>,
    /// How many values are packed (0: no `packed` column).
    pub(crate) packed: usize,
    /// The packed model columns as runs of consecutive columns (first, last), in model order.
    pub(crate) packed_runs: Vec<(usize, usize)>,
    /// Table columns after `submission_id`, in order.
    pub(crate) columns: Vec<&'static str>,
}

/// The name of the column of packed values.
pub(crate) const PACKED_COLUMN: &str = "packed";

impl Layout {
    fn of<R: Storable>() -> Layout {
        let own_names: &[&'static str] = if R::OWN_COLUMNS.is_empty() { R::COLUMNS } else { R::OWN_COLUMNS };
        let own: Vec<usize> =
            own_names.iter().filter_map(|name| R::COLUMNS.iter().position(|c| c == name)).collect();
        let mut slots = Vec::with_capacity(R::COLUMNS.len());
        let mut packed = 0;
        for i in 0..R::COLUMNS.len() {
            match own.iter().position(|&o| o == i) {
                Some(n) => slots.push(Slot::Own(n)),
                None => {
                    slots.push(Slot::Packed(packed));
                    packed += 1;
                }
            }
        }
        let mut columns: Vec<&'static str> = own.iter().map(|&i| R::COLUMNS[i]).collect();
        if packed > 0 {
            columns.push(PACKED_COLUMN);
        }
        let kinds = own.iter().map(|&i| column_kind(R::TABLE, R::COLUMNS[i])).collect();
        let mut packed_runs: Vec<(usize, usize)> = Vec::new();
        for (k, slot) in slots.iter().enumerate() {
            if let Slot::Packed(_) = slot {
                match packed_runs.last_mut() {
                    Some((_, last)) if *last + 1 == k => *last = k,
                    _ => packed_runs.push((k, k)),
                }
            }
        }
        Layout { table: R::TABLE, own, kinds, slots, packed, packed_runs, columns }
    }

    /// The layout of `R`'s table.
    pub(crate) fn get<R: Storable>() -> Cow<'static, Layout> {
        static LAYOUTS: OnceLock<[Layout; 4]> = OnceLock::new();
        let all = LAYOUTS.get_or_init(|| {
            [
                Layout::of::<VictimRegistration>(),
                Layout::of::<Suspect>(),
                Layout::of::<Prosecution>(),
                Layout::of::<CourtDecision>(),
            ]
        });
        match all.iter().find(|l| l.table == R::TABLE) {
            Some(l) => Cow::Borrowed(l),
            // Unreachable for the model's record types; computed for any other.
            None => Cow::Owned(Layout::of::<R>()),
        }
    }

    /// `submission_id` and the table columns, comma-separated.
    pub(crate) fn insert_columns(&self) -> String {
        std::iter::once("submission_id").chain(self.columns.iter().copied()).collect::<Vec<_>>().join(", ")
    }
}

/// A validated record in its stored form: its canonical values (the text of the submission's
/// content hash) and its packed values, encoded once — on any thread — and written as is.
///
/// Made only from a [`Valid`] record, so the store still accepts validated records only.
pub struct Encoded<R> {
    /// Every canonical value followed by [`PACK_SEPARATOR`], then the packed values joined by it.
    text: String,
    /// Where the canonical line ends in `text` (the packed values follow).
    line: usize,
    /// Where each canonical value ends in `text` (before its separator).
    ends: Vec<u32>,
    /// The raw bytes of the linkage keys column, if the layout has one.
    keys: Vec<u8>,
    /// The record's reference date.
    reference_date: NaiveDate,
    _type: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Encoded<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values are record data: never shown.
        f.debug_struct("Encoded").field("values", &self.ends.len()).finish_non_exhaustive()
    }
}

impl<R: Storable> Encoded<R> {
    /// Encodes a validated record.
    ///
    /// Fails with [`Error::Unstorable`] if a value holds the packing separator, which no
    /// canonical value can.
    pub fn new(record: &Valid<R>) -> Result<Encoded<R>> {
        let mut encoded = Encoded {
            text: String::with_capacity(1024),
            line: 0,
            ends: Vec::with_capacity(R::COLUMNS.len()),
            keys: Vec::new(),
            reference_date: NaiveDate::MIN,
            _type: PhantomData,
        };
        encoded.renew(record)?;
        Ok(encoded)
    }

    /// Encodes `record` in place of this one, reusing its buffers: the same result as
    /// [`Encoded::new`], without allocating once the buffers are large enough (a writer hands
    /// records it has stored back to the encoding threads, so that no record allocates).
    ///
    /// On an error this record is left holding no values.
    pub fn renew(&mut self, record: &Valid<R>) -> Result<()> {
        let layout = Layout::get::<R>();
        let Encoded { text, line, ends, keys, reference_date, .. } = self;
        text.clear();
        ends.clear();
        keys.clear();
        *line = 0;
        record.write(&mut |value| {
            text.push_str(value);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            text.push(PACK_SEPARATOR);
        });
        // One separator per value, or a value held one (counted in one pass over the line).
        let separators = text.bytes().filter(|&b| b == PACK_SEPARATOR as u8).count();
        if separators != ends.len() || ends.len() != R::COLUMNS.len() || u32::try_from(text.len()).is_err() {
            text.clear();
            ends.clear();
            return Err(Error::Unstorable {
                table: R::TABLE,
                record_ref: safe_ref(record.record_ref().as_str()),
            });
        }
        *line = text.len();
        if layout.kinds.contains(&ColumnKind::Keys) {
            record.linkage_key_bytes(keys);
        }
        if layout.packed > 0 {
            // Consecutive packed values are copied at once, with the separators between them: the
            // canonical line already joins its values with the packing separator.
            let mut first = true;
            for &(from, to) in &layout.packed_runs {
                if !first {
                    text.push(PACK_SEPARATOR);
                }
                first = false;
                let (start, _) = span(ends, from);
                let (_, end) = span(ends, to);
                text.extend_from_within(start..end.max(start));
            }
        }
        *reference_date = record.reference_date();
        Ok(())
    }
}

/// The byte range of value `k` in a canonical line whose values end at `ends`.
fn span(ends: &[u32], k: usize) -> (usize, usize) {
    let end = ends.get(k).map_or(0, |&e| e as usize);
    let start = if k == 0 { 0 } else { ends.get(k - 1).map_or(0, |&e| e as usize + 1) };
    (start, end.max(start))
}

impl<R> Encoded<R> {
    /// Every canonical value in [`ModelRecord::COLUMNS`] order, each followed by U+001F: what
    /// [`ModelRecord::write`] gives, as one text (for content hashes).
    pub fn canonical_line(&self) -> &str {
        self.text.get(..self.line).unwrap_or_default()
    }

    /// The record's reference date ([`ModelRecord::reference_date`]).
    pub fn reference_date(&self) -> NaiveDate {
        self.reference_date
    }

    /// Canonical value `k` (model order).
    pub(crate) fn value(&self, k: usize) -> &str {
        let (start, end) = span(&self.ends, k);
        self.text.get(start..end).unwrap_or_default()
    }

    /// The raw bytes of the linkage keys column (16 per key; empty if none).
    pub(crate) fn key_bytes(&self) -> &[u8] {
        &self.keys
    }

    /// The packed values, joined.
    pub(crate) fn packed(&self) -> &str {
        self.text.get(self.line..).unwrap_or_default()
    }

    /// The record reference (the first canonical value of every record type).
    pub fn record_ref(&self) -> &str {
        self.value(0)
    }

    /// The provider id (the second canonical value of every record type).
    pub fn provider_id(&self) -> &str {
        self.value(1)
    }
}

/// Raw key bytes read back as hex text (either case, no separators) into canonical `|`-joined
/// lowercase hex; `None` if the length is not a whole number of keys.
pub(crate) fn keys_hex_to_canonical(hex: &str, out: &mut String) -> Option<()> {
    out.clear();
    let b = hex.as_bytes();
    if !b.len().is_multiple_of(32) || !b.is_ascii() {
        return None;
    }
    for (i, chunk) in b.chunks(32).enumerate() {
        if i > 0 {
            out.push('|');
        }
        for &c in chunk {
            if !c.is_ascii_hexdigit() {
                return None;
            }
            out.push(char::from(c.to_ascii_lowercase()));
        }
    }
    Some(())
}

/// The victim table.
pub(crate) const VICTIMS: &str = VictimRegistration::TABLE;

/// SQLite: records (or widens) the rowid range and count of a submission's victim rows.
pub(crate) const SPAN_UPSERT_SQL: &str = "INSERT INTO victim_span (submission_id, first_rowid, last_rowid, row_count) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (submission_id) DO UPDATE SET \
     first_rowid = MIN(first_rowid, excluded.first_rowid), last_rowid = MAX(last_rowid, excluded.last_rowid), \
     row_count = row_count + excluded.row_count";

/// Every record table with its record type, in the model's record-type order.
pub(crate) const TABLES: [(&str, RecordType); 4] = [
    (VictimRegistration::TABLE, RecordType::Victim),
    (Suspect::TABLE, RecordType::Suspect),
    (Prosecution::TABLE, RecordType::Prosecution),
    (CourtDecision::TABLE, RecordType::CourtDecision),
];

/// An opaque reference that is safe to put in an error message, or a placeholder.
pub(crate) fn safe_ref(text: &str) -> String {
    RecordRef::new(text).map_or_else(|| "(unreadable reference)".to_owned(), |r| r.to_string())
}

/// The select list that reads `layout`'s columns back as canonical text (keys as bare hex).
pub(crate) fn select_list(backend: crate::Backend, layout: &Layout) -> String {
    let mut exprs: Vec<String> = layout
        .kinds
        .iter()
        .zip(&layout.columns)
        .map(|(kind, c)| dialect::text_expr(backend, *kind, c))
        .collect();
    if layout.packed > 0 {
        exprs.push(PACKED_COLUMN.to_owned());
    }
    exprs.join(", ")
}

/// Every record of type `R`, sorted by provider id and record reference.
pub(crate) fn read_all<R: Storable>(tx: &mut Tx<'_>, lists: &Codelists) -> Result<Vec<R>> {
    let layout = Layout::get::<R>();
    let sql = format!("SELECT {} FROM {}", select_list(tx.backend(), &layout), R::TABLE);
    let key_column = layout.kinds.iter().position(|k| *k == ColumnKind::Keys);
    let mut out = Vec::new();
    let mut keys = String::new();
    tx.for_each_row(&sql, &[], |row| {
        let corrupt = || Error::Corrupt {
            table: R::TABLE,
            record_ref: safe_ref(row.first().copied().unwrap_or_default()),
        };
        if let Some(n) = key_column {
            // Keys come back as bare hex: made canonical first.
            keys_hex_to_canonical(row.get(n).copied().unwrap_or_default(), &mut keys).ok_or_else(corrupt)?;
        }
        let mut packed = row.get(layout.own.len()).copied().unwrap_or_default().split(PACK_SEPARATOR);
        let mut values: Vec<&str> = Vec::with_capacity(layout.slots.len());
        for slot in &layout.slots {
            values.push(match *slot {
                Slot::Own(n) if Some(n) == key_column => keys.as_str(),
                Slot::Own(n) => row.get(n).copied().ok_or_else(corrupt)?,
                Slot::Packed(_) => packed.next().ok_or_else(corrupt)?,
            });
        }
        if layout.packed > 0 && packed.next().is_some() {
            return Err(corrupt());
        }
        out.push(R::parse(&values, lists).map_err(|_| corrupt())?);
        Ok(())
    })?;
    out.sort_by(|a, b| (a.provider_id(), a.record_ref()).cmp(&(b.provider_id(), b.record_ref())));
    Ok(out)
}

/// Records per (provider, record type), sorted.
pub(crate) fn counts(tx: &mut Tx<'_>) -> Result<Vec<(ProviderId, RecordType, u64)>> {
    let mut out = Vec::new();
    for (table, record_type) in TABLES {
        let sql = format!("SELECT provider_id, CAST(COUNT(*) AS TEXT) FROM {table} GROUP BY provider_id");
        tx.for_each_row(&sql, &[], |row| {
            let corrupt = || Error::Corrupt { table, record_ref: safe_ref(row[0]) };
            let provider = ProviderId::new(row[0]).ok_or_else(corrupt)?;
            let n = row[1].parse().map_err(|_| corrupt())?;
            out.push((provider, record_type, n));
            Ok(())
        })?;
    }
    out.sort();
    Ok(out)
}

/// Victim registrations per sex and main form whose registration date falls in `year`.
pub(crate) const VICTIM_COUNTS_SQL: &str = "SELECT sex, main_exploitation, CAST(COUNT(*) AS TEXT) \
     FROM victim_registration WHERE registration_date >= $1 AND registration_date < $2 \
     GROUP BY sex, main_exploitation";

/// Victim registrations of `year` by sex and main form of exploitation, in the enums' order.
pub(crate) fn victim_counts(tx: &mut Tx<'_>, year: i32) -> Result<Vec<(Sex, ExploitationForm, u64)>> {
    let first = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).ok_or(Error::YearOutOfRange(year));
    let (from, until) = (first(year)?, first(year.checked_add(1).ok_or(Error::YearOutOfRange(year))?)?);
    let mut out = BTreeMap::new();
    tx.for_each_row(VICTIM_COUNTS_SQL, &[Value::Date(from), Value::Date(until)], |row| {
        let corrupt =
            || Error::Corrupt { table: VictimRegistration::TABLE, record_ref: "(aggregate)".to_owned() };
        let sex = Sex::from_code(row[0]).ok_or_else(corrupt)?;
        let form = ExploitationForm::from_code(row[1]).ok_or_else(corrupt)?;
        let n: u64 = row[2].parse().map_err(|_| corrupt())?;
        *out.entry((sex, form)).or_insert(0) += n;
        Ok(())
    })?;
    Ok(out.into_iter().map(|((s, f), n)| (s, f, n)).collect())
}

/// The latest registration date among victims.
pub(crate) const LAST_VICTIM_DATE_SQL: &str =
    "SELECT CAST(MAX(registration_date) AS TEXT) FROM victim_registration";

/// The latest registration date among victims, if any.
pub(crate) fn last_victim_date(tx: &mut Tx<'_>) -> Result<Option<NaiveDate>> {
    let rows = tx.rows(LAST_VICTIM_DATE_SQL, &[])?;
    match rows.first().and_then(|r| r.first()).map(String::as_str) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| Error::Corrupt {
            table: VictimRegistration::TABLE,
            record_ref: "(latest registration_date)".to_owned(),
        }),
    }
}
