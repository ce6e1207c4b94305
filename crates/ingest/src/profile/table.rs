//! Small building blocks of the mapping hot path: a deterministic open-addressing hash table for
//! value look-ups (std hash containers are banned for their random iteration order; this one
//! is only ever probed, never iterated), precompiled date formats with a hand-written parser for
//! the usual numeric layouts, and missing-value markers checked without allocating.

use chrono::NaiveDate;
use chrono::format::{Item, Parsed, StrftimeItems};

use super::norm::eq_fold;

/// A fast, fixed hash, eight bytes at a time (multiply-rotate, as FxHash): source labels run to
/// dozens of bytes, which a byte-at-a-time hash walks with a multiply per byte.
fn word_hash(s: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = s.len() as u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    // Fold the high bits, which the multiply mixes best, into the low bits the mask keeps.
    h ^ (h >> 29)
}

/// A string → string table built once, probed many times (first insertion of a key wins).
#[derive(Debug, Default)]
pub(crate) struct Table {
    slots: Vec<u32>,
    entries: Vec<(Box<str>, Box<str>)>,
}

impl Table {
    /// Builds the table; for duplicate keys the first entry wins.
    pub(crate) fn build(pairs: impl IntoIterator<Item = (String, Box<str>)>) -> Table {
        let pairs: Vec<(String, Box<str>)> = pairs.into_iter().collect();
        let cap = (pairs.len() * 2).next_power_of_two().max(8);
        let mut t = Table { slots: vec![0; cap], entries: Vec::with_capacity(pairs.len()) };
        for (k, v) in pairs {
            if t.get(&k).is_some() {
                continue;
            }
            let mask = t.slots.len() - 1;
            let mut i = (word_hash(k.as_bytes()) as usize) & mask;
            while t.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            t.entries.push((k.into_boxed_str(), v));
            t.slots[i] = u32::try_from(t.entries.len()).unwrap_or(u32::MAX);
        }
        t
    }

    /// The value for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = (word_hash(key.as_bytes()) as usize) & mask;
        loop {
            let s = self.slots[i] as usize;
            if s == 0 {
                return None;
            }
            let (k, v) = self.entries.get(s - 1)?;
            if &**k == key {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }

    /// Number of keys.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Tok {
    Day,
    Month,
    Year,
    Lit(u8),
}

/// A date format, precompiled.
#[derive(Clone, Debug)]
pub(crate) enum DateFormat {
    /// Only `%d`, `%m`, `%Y` and ASCII literals: parsed by hand (day and month 1-2 digits, year 4).
    Numeric(Vec<Tok>),
    /// Anything else: chrono's parser over precompiled items.
    Chrono(Vec<Item<'static>>),
}

impl DateFormat {
    /// Compiles a strftime format; `None` if chrono cannot read it.
    pub(crate) fn compile(f: &str) -> Option<DateFormat> {
        let mut toks = Vec::new();
        let b = f.as_bytes();
        let mut i = 0;
        let mut numeric = f.is_ascii();
        while numeric && i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'%', Some(b'd')) => toks.push(Tok::Day),
                (b'%', Some(b'm')) => toks.push(Tok::Month),
                (b'%', Some(b'Y')) => toks.push(Tok::Year),
                (b'%', _) => numeric = false,
                (c, _) => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        let has = |want: fn(&Tok) -> bool| toks.iter().filter(|t| want(t)).count() == 1;
        if numeric
            && has(|t| matches!(t, Tok::Day))
            && has(|t| matches!(t, Tok::Month))
            && has(|t| matches!(t, Tok::Year))
        {
            return Some(DateFormat::Numeric(toks));
        }
        let items = StrftimeItems::new(f).parse_to_owned().ok()?;
        if items.iter().any(|i| matches!(i, Item::Error)) {
            return None;
        }
        Some(DateFormat::Chrono(items))
    }

    /// Parses `s` as a date in this format.
    pub(crate) fn parse(&self, s: &str) -> Option<NaiveDate> {
        match self {
            DateFormat::Numeric(toks) => {
                let b = s.as_bytes();
                let (mut i, mut d, mut m, mut y) = (0usize, 0u32, 0u32, 0i32);
                for t in toks {
                    match *t {
                        Tok::Lit(c) => {
                            if b.get(i) != Some(&c) {
                                return None;
                            }
                            i += 1;
                        }
                        Tok::Day | Tok::Month => {
                            let (n, used) = digits(&b[i..], 2)?;
                            if matches!(t, Tok::Day) {
                                d = n
                            } else {
                                m = n
                            }
                            i += used;
                        }
                        Tok::Year => {
                            let (n, used) = digits(&b[i..], 4)?;
                            if used != 4 {
                                return None;
                            }
                            y = i32::try_from(n).ok()?;
                            i += used;
                        }
                    }
                }
                if i != b.len() {
                    return None;
                }
                NaiveDate::from_ymd_opt(y, m, d)
            }
            DateFormat::Chrono(items) => {
                let mut parsed = Parsed::new();
                chrono::format::parse(&mut parsed, s, items.iter()).ok()?;
                parsed.to_naive_date().ok()
            }
        }
    }
}

/// Up to `max` leading ASCII digits (at least one): (value, digits used).
fn digits(b: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut n = 0u32;
    let mut used = 0;
    while used < max && used < b.len() && b[used].is_ascii_digit() {
        n = n * 10 + u32::from(b[used] - b'0');
        used += 1;
    }
    (used > 0).then_some((n, used))
}

/// Missing-value markers, compared case-insensitively after trimming.
#[derive(Clone, Debug)]
pub(crate) struct Missing {
    /// ASCII markers, lower-cased.
    ascii: Vec<Box<str>>,
    /// Other markers, as written.
    other: Vec<Box<str>>,
    /// Longest ASCII marker, bytes.
    max_ascii: usize,
}

impl Missing {
    pub(crate) fn new(markers: &[String]) -> Missing {
        let mut ascii = Vec::new();
        let mut other = Vec::new();
        for m in markers.iter().map(|m| m.trim()).filter(|m| !m.is_empty()) {
            if m.is_ascii() {
                ascii.push(m.to_ascii_lowercase().into_boxed_str());
            } else {
                other.push(m.into());
            }
        }
        let max_ascii = ascii.iter().map(|m| m.len()).max().unwrap_or(0);
        Missing { ascii, other, max_ascii }
    }

    /// Whether the trimmed value `v` is missing.
    pub(crate) fn is(&self, v: &str) -> bool {
        if v.is_empty() {
            return true;
        }
        if v.len() <= self.max_ascii
            && self.ascii.iter().any(|m| m.len() == v.len() && m.eq_ignore_ascii_case(v))
        {
            return true;
        }
        self.other.iter().any(|m| v.len() <= 3 * m.len() + 3 && m.len() <= 3 * v.len() + 3 && eq_fold(v, m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_finds_what_was_put() {
        let t = Table::build((0..500).map(|i| (format!("k{i}"), format!("v{i}").into())));
        assert_eq!(t.len(), 500);
        assert_eq!(t.get("k7"), Some("v7"));
        assert_eq!(t.get("k499"), Some("v499"));
        assert_eq!(t.get("k500"), None);
        let t = Table::build([("a".to_owned(), "1".into()), ("a".to_owned(), "2".into())]);
        assert_eq!(t.get("a"), Some("1"));
        assert_eq!(Table::default().get("a"), None);
    }

    #[test]
    fn numeric_and_chrono_formats_agree() {
        for (f, s) in [
            ("%d/%m/%Y", "10/03/2025"),
            ("%d/%m/%Y", "1/3/2025"),
            ("%Y-%m-%d", "2025-03-10"),
            ("%d.%m.%Y", "10.03.2025"),
            ("%d/%m/%Y", "31/02/2025"),
            ("%d/%m/%Y", "10/03/2025x"),
            ("%Y-%m-%d", "2025-3-1"),
        ] {
            let fast = DateFormat::compile(f).and_then(|d| d.parse(s));
            let slow = NaiveDate::parse_from_str(s, f).ok();
            assert_eq!(fast, slow, "{f} {s}");
        }
        // stricter than chrono on purpose: `%Y` needs four digits (chrono reads `25` as year 25)
        let numeric = DateFormat::compile("%d/%m/%Y");
        assert_eq!(numeric.and_then(|d| d.parse("10/03/25")), None);
        assert!(matches!(DateFormat::compile("%d %B %Y"), Some(DateFormat::Chrono(_))));
        let d = DateFormat::compile("%d %B %Y").and_then(|d| d.parse("10 March 2025"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2025, 3, 10));
        assert!(DateFormat::compile("%d/%Q/%Y").is_none());
    }

    #[test]
    fn missing_markers() {
        let m = Missing::new(&["".into(), "N/D".into(), "-99".into(), "Não sabe".into()]);
        for v in ["", "n/d", "N/D", "-99", "NÃO SABE", "não sabe"] {
            assert!(m.is(v), "{v}");
        }
        for v in ["N/A", "-9", "nao sabe", "Roménia", "n/d2"] {
            assert!(!m.is(v), "{v}");
        }
    }
}
