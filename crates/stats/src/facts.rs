//! Fact tables: one column of small integers per stored field, plus a 32-bit record key per row.

use crate::dict::{FIELDS, Field};

/// One stored column: `u8` when the field's dictionary has at most 256 codes, else `u16`.
#[derive(Clone, Debug)]
pub(crate) enum Column {
    U8(Vec<u8>),
    U16(Vec<u16>),
}

impl Column {
    pub(crate) fn new(values: Vec<u16>, dict_len: usize) -> Column {
        if dict_len <= 256 && values.iter().all(|v| *v <= 255) {
            Column::U8(values.into_iter().map(|v| v as u8).collect())
        } else {
            Column::U16(values)
        }
    }

    pub(crate) fn get(&self, row: usize) -> u16 {
        match self {
            Column::U8(v) => u16::from(v[row]),
            Column::U16(v) => v[row],
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Column::U8(v) => v.len(),
            Column::U16(v) => v.len() * 2,
        }
    }
}

/// Units per zone of a zone map (the kernel's chunk size).
pub(crate) const ZONE: usize = 2048;

/// Smallest and largest value of a day column per zone of [`ZONE`] units ("no date" left out).
pub(crate) fn zone_map(len: usize, get: impl Fn(usize) -> u16) -> Vec<(u16, u16)> {
    (0..len.div_ceil(ZONE))
        .map(|z| {
            let mut lo = u16::MAX;
            let mut hi = 0;
            for u in z * ZONE..((z + 1) * ZONE).min(len) {
                let d = get(u);
                if d != crate::build::NO_DAY {
                    lo = lo.min(d);
                    hi = hi.max(d);
                }
            }
            (lo, hi)
        })
        .collect()
}

/// A fact table: registrations, suspects, prosecutions or court decisions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    pub len: usize,
    pub cols: Vec<Option<Column>>,
    /// Keyed record key of each row (cell key method).
    pub keys: Vec<u32>,
    /// Zone maps of the day columns (`Field::Day`, `Field::FinalisedDay`).
    pub zones: Vec<(crate::dict::Field, Vec<(u16, u16)>)>,
}

impl Facts {
    pub(crate) fn new(len: usize) -> Facts {
        Facts { len, cols: vec![None; FIELDS], keys: Vec::new(), zones: Vec::new() }
    }

    /// Builds the zone maps of the day columns.
    pub(crate) fn index_days(&mut self) {
        for field in [Field::Day, Field::FinalisedDay] {
            if let Some(col) = self.col(field) {
                let zones = zone_map(self.len, |u| col.get(u));
                self.zones.push((field, zones));
            }
        }
    }

    /// The zone map of a day column.
    pub(crate) fn zones(&self, field: Field) -> Option<&[(u16, u16)]> {
        self.zones.iter().find(|(f, _)| *f == field).map(|(_, z)| z.as_slice())
    }

    pub(crate) fn col(&self, field: Field) -> Option<&Column> {
        self.cols[field as usize].as_ref()
    }

    pub(crate) fn set(&mut self, field: Field, col: Column) {
        self.cols[field as usize] = Some(col);
    }

    fn bytes(&self) -> usize {
        self.cols.iter().flatten().map(Column::bytes).sum::<usize>() + self.keys.len() * 4
    }
}

/// Persons: a thin table over the registrations, which are sorted so that a person's
/// registrations are adjacent and its earliest one (the *lead*) comes first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Persons {
    /// Row of the lead registration of each person, increasing; the person's registrations are
    /// `lead[p]..lead[p + 1]` (or to the end).
    pub lead: Vec<u32>,
    /// Index of the strongest status among the person's registrations.
    pub status: Vec<u8>,
    /// Zone map of the persons' earliest registration day.
    pub zones: Vec<(u16, u16)>,
}

impl Persons {
    pub(crate) fn len(&self) -> usize {
        self.lead.len()
    }

    pub(crate) fn rows(&self, p: usize, total_rows: usize) -> std::ops::Range<usize> {
        let start = self.lead[p] as usize;
        let end = self.lead.get(p + 1).map_or(total_rows, |e| *e as usize);
        start..end
    }

    fn bytes(&self) -> usize {
        self.lead.len() * 4 + self.status.len()
    }
}

/// Size figures of a built engine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EngineStats {
    /// Victim registrations.
    pub registrations: usize,
    /// De-duplicated persons.
    pub persons: usize,
    /// Suspect, prosecution and court-decision rows.
    pub offender_rows: usize,
    /// Bytes held by the columns (all tables).
    pub bytes: usize,
    /// Bytes held by the registrations and persons alone.
    pub victim_bytes: usize,
}

impl EngineStats {
    pub(crate) fn of(victims: &Facts, persons: &Persons, others: &[&Facts]) -> EngineStats {
        EngineStats {
            registrations: victims.len,
            persons: persons.len(),
            offender_rows: others.iter().map(|f| f.len).sum(),
            bytes: victims.bytes() + persons.bytes() + others.iter().map(|f| f.bytes()).sum::<usize>(),
            victim_bytes: victims.bytes() + persons.bytes(),
        }
    }

    /// Bytes of all tables per record of any type (registrations, suspects, prosecutions,
    /// court decisions).
    pub fn bytes_per_record(&self) -> f64 {
        self.bytes as f64 / (self.registrations + self.offender_rows).max(1) as f64
    }

    /// Bytes of the registration and person tables per victim registration.
    pub fn bytes_per_registration(&self) -> f64 {
        self.victim_bytes as f64 / self.registrations.max(1) as f64
    }
}
