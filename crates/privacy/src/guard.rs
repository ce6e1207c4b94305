//! The personal-data guard (privacy.md §4): the hub scans every imported cell and refuses rows
//! that hold a direct identifier.
//!
//! [`scan_value`] detects, with checksums wherever the identifier has one:
//!
//! - e-mail addresses (`local@domain.tld`);
//! - phone numbers: international (`+CC …` or `00CC …`, 8–15 digits) and Portuguese national
//!   numbers (9 digits starting with 2 or 9), with spaces, dashes, dots or brackets;
//! - IBANs (country length and ISO 13616 mod-97, with or without spaces);
//! - payment card numbers (13–19 digits, issuer prefix 2–6, Luhn);
//! - passport / ID-card machine-readable zones (ICAO 9303 TD1, TD2 and TD3 lines with their
//!   7-3-1 check digits, and name lines with `<<`);
//! - national identity numbers: Portuguese NIF (mod 11), Portuguese Cartão de Cidadão
//!   (`DDDDDDDD C AAT`, alphanumeric Luhn), Spanish DNI/NIE (mod 23 letter), Romanian CNP
//!   (13 digits, date fields and check digit). No generic "document number" pattern: without
//!   context it would flag too many opaque references.
//!
//! Numbers count only as a whole run of digits and separators that is not glued to a letter,
//! so dates (`2023-01-05`), timestamps, record references (`V-2023-000123`), NUTS codes, ages,
//! years and counts are never flagged.
//!
//! [`looks_like_personal_name`] is a heuristic for cells of coded fields: 2–4 capitalised words
//! (plus particles like `da`, `dos`), at least two of them known given names or surnames of the
//! embedded lists ([`crate::names`] plus common European names), one of them a given name.
//!
//! Speed: one byte pass decides what can be present (an `@`, a `<`, at least 7 digits); values
//! that can hold nothing (most codes) return after it. No regular expressions.
//!
//! Nothing here logs or returns the scanned value.

use std::fmt;
use std::sync::LazyLock;

use crate::names::{VARIANTS, all_given_names, all_surnames};

/// A kind of direct identifier found in a cell.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum IdentifierKind {
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// An IBAN.
    Iban,
    /// A payment card number.
    PaymentCard,
    /// A line of a passport or ID-card machine-readable zone.
    PassportMrz,
    /// A national identity or tax number.
    NationalId,
    /// What looks like a person's name.
    PersonalName,
}

impl IdentifierKind {
    /// Every kind.
    pub const ALL: [IdentifierKind; 7] = [
        IdentifierKind::Email,
        IdentifierKind::Phone,
        IdentifierKind::Iban,
        IdentifierKind::PaymentCard,
        IdentifierKind::PassportMrz,
        IdentifierKind::NationalId,
        IdentifierKind::PersonalName,
    ];

    /// Stable rule code (`pii.email` …).
    pub fn code(self) -> &'static str {
        match self {
            IdentifierKind::Email => "pii.email",
            IdentifierKind::Phone => "pii.phone",
            IdentifierKind::Iban => "pii.iban",
            IdentifierKind::PaymentCard => "pii.payment_card",
            IdentifierKind::PassportMrz => "pii.passport_mrz",
            IdentifierKind::NationalId => "pii.national_id",
            IdentifierKind::PersonalName => "pii.personal_name",
        }
    }

    /// Human message (never includes the value).
    pub fn message(self) -> &'static str {
        match self {
            IdentifierKind::Email => "the cell holds an e-mail address",
            IdentifierKind::Phone => "the cell holds a phone number",
            IdentifierKind::Iban => "the cell holds a bank account number (IBAN)",
            IdentifierKind::PaymentCard => "the cell holds a payment card number",
            IdentifierKind::PassportMrz => {
                "the cell holds a machine-readable zone of a passport or identity card"
            }
            IdentifierKind::NationalId => "the cell holds a national identity or tax number",
            IdentifierKind::PersonalName => "the cell looks like a person's name",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The first direct identifier found in `value`, if any (names excluded: see
/// [`looks_like_personal_name`] and [`scan_coded_value`]).
pub fn scan_value(value: &str) -> Option<IdentifierKind> {
    let b = value.as_bytes();
    if b.len() < 6 || key_list(b) {
        return None;
    }
    scan_bytes(b)
}

/// Whether `b` is linkage keys as providers send them: tokens of exactly 32 hex digits joined
/// by single `,` or `|`. No detector can fire on such a value (no `@` or `<`; a token is one run
/// of 32 letters and digits, too long for an IBAN, a Cartão de Cidadão or a DNI, and for the
/// IBANs of the countries whose codes are hex letters — AD, AE, BA, BE, DE, all shorter than 32
/// — not ending where the token ends; every run of digits in a token is either glued to a hex
/// letter or the whole token, which is too long for any number; no spaces, so no name), so
/// [`scan_value`] answers it at once instead of walking a run per digit (tested against the
/// general scan in this module's tests).
fn key_list(b: &[u8]) -> bool {
    if b.len() < 32 || !(b.len() + 1).is_multiple_of(33) {
        return false;
    }
    // Branch-free per byte, so that the loop vectorises.
    let hex = |c: u8| (c.wrapping_sub(b'0') < 10) | ((c | 0x20).wrapping_sub(b'a') < 6);
    b.chunks(33).all(|token| {
        let (key, sep) = token.split_at(token.len().min(32));
        key.iter().fold(true, |ok, &c| ok & hex(c)) && matches!(sep, [] | [b','] | [b'|'])
    })
}

/// The detectors of [`scan_value`] over a value of at least 6 bytes.
fn scan_bytes(b: &[u8]) -> Option<IdentifierKind> {
    // Separate passes: each is vectorised.
    if b.contains(&b'@') && has_email(b) {
        return Some(IdentifierKind::Email);
    }
    if b.contains(&b'<') && has_mrz(b) {
        return Some(IdentifierKind::PassportMrz);
    }
    if b.iter().filter(|c| c.is_ascii_digit()).count() < 7 {
        return None;
    }
    if let Some(kind) = compact_identifier(b) {
        return Some(kind);
    }
    if has_iban(b) {
        return Some(IdentifierKind::Iban);
    }
    numeric_runs(b)
}

/// [`scan_value`], then [`looks_like_personal_name`]: for cells of coded fields.
pub fn scan_coded_value(value: &str) -> Option<IdentifierKind> {
    scan_value(value).or_else(|| looks_like_personal_name(value).then_some(IdentifierKind::PersonalName))
}

// ---------------------------------------------------------------------------------------------
// Cache of verdicts per column

/// [`scan_coded_value`] with its verdicts remembered per column.
///
/// An export repeats a few hundred distinct values per coded column over millions of rows, so
/// most cells are checked once per distinct value. The verdict is a pure function of the value,
/// so a cached verdict is exactly the uncached one. Memory is bounded: at most
/// [`GuardCache::VALUES_PER_COLUMN`] values of at most [`GuardCache::MAX_VALUE_BYTES`] bytes per
/// column are kept, and a column whose values seldom repeat (references, keys) stops being looked
/// up after [`GuardCache::PROBATION`] cells. The table is an open-addressing hash table over a
/// fixed hash (deterministic), probed but never iterated. Nothing is logged.
#[derive(Debug, Clone, Default)]
pub struct GuardCache {
    columns: Vec<ColumnVerdicts>,
}

#[derive(Debug, Clone, Default)]
struct ColumnVerdicts {
    /// Open-addressing slots: 0 empty, else 1 + index into `entries`.
    slots: Vec<u16>,
    entries: Vec<(Box<str>, Option<IdentifierKind>)>,
    lookups: u32,
    hits: u32,
    /// The column's values seldom repeat: scanned directly.
    bypass: bool,
}

impl GuardCache {
    /// Most values remembered per column.
    pub const VALUES_PER_COLUMN: usize = 2048;
    /// Longest value remembered, in bytes.
    pub const MAX_VALUE_BYTES: usize = 64;
    /// Cells of a column looked up before deciding whether its values repeat enough (half of
    /// the look-ups must hit) to keep looking them up.
    pub const PROBATION: u32 = 8192;

    /// An empty cache for rows of `columns` columns.
    pub fn new(columns: usize) -> GuardCache {
        GuardCache { columns: vec![ColumnVerdicts::default(); columns] }
    }

    /// [`scan_coded_value`] of `value`, a cell of column `column`.
    pub fn check(&mut self, column: usize, value: &str) -> Option<IdentifierKind> {
        match self.columns.get_mut(column) {
            // Values under 6 bytes are answered faster than looked up.
            Some(c) if !c.bypass && (6..=Self::MAX_VALUE_BYTES).contains(&value.len()) => c.check(value),
            _ => scan_coded_value(value),
        }
    }
}

impl ColumnVerdicts {
    const SLOTS: usize = 2 * GuardCache::VALUES_PER_COLUMN;

    fn check(&mut self, value: &str) -> Option<IdentifierKind> {
        if self.slots.is_empty() {
            self.slots = vec![0; Self::SLOTS];
        }
        self.lookups += 1;
        let mask = Self::SLOTS - 1;
        let mut i = (word_hash(value.as_bytes()) as usize) & mask;
        loop {
            let slot = usize::from(self.slots[i]);
            if slot == 0 {
                break;
            }
            if let Some((v, verdict)) = self.entries.get(slot - 1)
                && &**v == value
            {
                self.hits += 1;
                return *verdict;
            }
            i = (i + 1) & mask;
        }
        let verdict = scan_coded_value(value);
        if self.entries.len() < GuardCache::VALUES_PER_COLUMN {
            self.entries.push((value.into(), verdict));
            self.slots[i] = u16::try_from(self.entries.len()).unwrap_or(0);
        }
        if self.lookups == GuardCache::PROBATION && self.hits < GuardCache::PROBATION / 2 {
            self.bypass = true;
            self.slots = Vec::new();
            self.entries = Vec::new();
        }
        verdict
    }
}

/// A fast, fixed hash of a short value, eight bytes at a time (multiply-rotate, as FxHash);
/// only ever used to probe, never to order anything.
fn word_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
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

// ---------------------------------------------------------------------------------------------
// E-mail

fn is_email_delim(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(c, b',' | b';' | b'<' | b'>' | b'(' | b')' | b'[' | b']' | b'"' | b':' | b'|')
}

fn has_email(b: &[u8]) -> bool {
    for (i, &c) in b.iter().enumerate() {
        if c != b'@' {
            continue;
        }
        let start = b[..i].iter().rposition(|&c| is_email_delim(c)).map_or(0, |p| p + 1);
        let end = b[i + 1..].iter().position(|&c| is_email_delim(c)).map_or(b.len(), |p| i + 1 + p);
        if email_local_ok(&b[start..i]) && email_domain_ok(&b[i + 1..end]) {
            return true;
        }
    }
    false
}

fn email_local_ok(local: &[u8]) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && local.first() != Some(&b'.')
        && local.last() != Some(&b'.')
        && local.iter().all(|&c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{}~-".contains(&c))
}

fn email_domain_ok(domain: &[u8]) -> bool {
    let domain = domain.strip_suffix(b".").unwrap_or(domain);
    if domain.len() < 4 || domain.len() > 253 {
        return false;
    }
    let labels: Vec<&[u8]> = domain.split(|&c| c == b'.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&[u8]| {
        !l.is_empty()
            && l.len() <= 63
            && l.first() != Some(&b'-')
            && l.last() != Some(&b'-')
            && l.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    };
    let tld_ok = labels.last().is_some_and(|t| t.len() >= 2 && t.iter().all(u8::is_ascii_alphabetic));
    tld_ok && labels.iter().all(label_ok)
}

// ---------------------------------------------------------------------------------------------
// Machine-readable zones (ICAO 9303)

fn mrz_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// ICAO 9303 check digit (weights 7, 3, 1) of `field` equals `check`.
fn mrz_check(field: &[u8], check: u8) -> bool {
    let mut sum = 0u32;
    for (i, &c) in field.iter().enumerate() {
        let Some(v) = mrz_value(c) else { return false };
        sum += v * [7, 3, 1][i % 3];
    }
    let expected = sum % 10;
    match check {
        b'0'..=b'9' => u32::from(check - b'0') == expected,
        // An empty optional field may carry a filler as its check digit.
        b'<' => field.iter().all(|&c| c == b'<'),
        _ => false,
    }
}

fn has_mrz(b: &[u8]) -> bool {
    b.split(|&c| c == b'\n' || c == b'\r').any(|line| mrz_line(line.trim_ascii()))
}

fn mrz_line(l: &[u8]) -> bool {
    if !matches!(l.len(), 30 | 36 | 44)
        || !l.iter().all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'<')
    {
        return false;
    }
    if !l.contains(&b'<') {
        return false;
    }
    let has_digit = l.iter().any(u8::is_ascii_digit);
    if !has_digit {
        // Name lines: `P<UTOERIKSSON<<ANNA<MARIA<<<…`, `ERIKSSON<<ANNA<MARIA<<<…`.
        return l.windows(3).any(|w| w[0].is_ascii_uppercase() && w[1] == b'<' && w[2] == b'<');
    }
    match l.len() {
        // TD3 line 2 (passports): number, birth date and expiry date with their check digits.
        44 => mrz_check(&l[0..9], l[9]) && mrz_check(&l[13..19], l[19]) && mrz_check(&l[21..27], l[27]),
        // TD2 line 2: the same layout on 36 characters.
        36 => mrz_check(&l[0..9], l[9]) && mrz_check(&l[13..19], l[19]) && mrz_check(&l[21..27], l[27]),
        // TD1 (ID cards): line 1 (document code, state, number + check) or line 2 (dates).
        _ => {
            let line1 = l[0].is_ascii_uppercase()
                && l[2..5].iter().all(|&c| c.is_ascii_uppercase() || c == b'<')
                && l[5..14].iter().any(u8::is_ascii_digit)
                && mrz_check(&l[5..14], l[14]);
            let line2 = l[0..6].iter().all(u8::is_ascii_digit)
                && mrz_check(&l[0..6], l[6])
                && matches!(l[7], b'M' | b'F' | b'<' | b'X')
                && mrz_check(&l[8..14], l[14]);
            line1 || line2
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Alphanumeric identifiers written as the whole cell: IBAN, Cartão de Cidadão, DNI/NIE

/// The value without spaces, dashes and dots, uppercased, if it is only letters and digits
/// (at most 40 of them).
fn compact(b: &[u8]) -> Option<([u8; 40], usize)> {
    let mut out = [0u8; 40];
    let mut n = 0;
    for &c in b.trim_ascii() {
        if matches!(c, b' ' | b'-' | b'.') {
            continue;
        }
        if !c.is_ascii_alphanumeric() || n == out.len() {
            return None;
        }
        out[n] = c.to_ascii_uppercase();
        n += 1;
    }
    Some((out, n))
}

fn compact_identifier(b: &[u8]) -> Option<IdentifierKind> {
    let (buf, n) = compact(b)?;
    let c = &buf[..n];
    if iban_ok(c) {
        return Some(IdentifierKind::Iban);
    }
    if cartao_cidadao_ok(c) || dni_nie_ok(c) {
        return Some(IdentifierKind::NationalId);
    }
    None
}

/// Portuguese Cartão de Cidadão: 9 digits (civil number + check), 2 version characters, a check
/// digit; alphanumeric Luhn (letters A=10 … Z=35, every second character from the right doubled,
/// minus 9 when above 9).
fn cartao_cidadao_ok(c: &[u8]) -> bool {
    if c.len() != 12 || !c[..9].iter().all(u8::is_ascii_digit) || !c[11].is_ascii_digit() {
        return false;
    }
    if !c[9..11].iter().all(u8::is_ascii_alphanumeric) || !c[9..11].iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &ch) in c.iter().rev().enumerate() {
        let Some(mut v) = alnum_value(ch) else { return false };
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn alnum_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        _ => None,
    }
}

/// Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), letter = number mod 23.
fn dni_nie_ok(c: &[u8]) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    if c.len() != 9 || !c[8].is_ascii_uppercase() {
        return false;
    }
    let lead = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        d @ b'0'..=b'9' => u32::from(d - b'0'),
        _ => return false,
    };
    if !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let number = c[1..8].iter().fold(lead, |acc, &d| acc * 10 + u32::from(d - b'0'));
    LETTERS[(number % 23) as usize] == c[8]
}

/// IBAN lengths by country (ISO 13616 registry).
#[rustfmt::skip]
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24), (b"AE", 23), (b"AL", 28), (b"AT", 20), (b"AZ", 28), (b"BA", 20), (b"BE", 16), (b"BG", 22),
    (b"BH", 22), (b"BR", 29), (b"BY", 28), (b"CH", 21), (b"CR", 22), (b"CY", 28), (b"CZ", 24), (b"DE", 22),
    (b"DK", 18), (b"DO", 28), (b"EE", 20), (b"EG", 29), (b"ES", 24), (b"FI", 18), (b"FO", 18), (b"FR", 27),
    (b"GB", 22), (b"GE", 22), (b"GI", 23), (b"GL", 18), (b"GR", 27), (b"GT", 28), (b"HR", 21), (b"HU", 28),
    (b"IE", 22), (b"IL", 23), (b"IQ", 23), (b"IS", 26), (b"IT", 27), (b"JO", 30), (b"KW", 30), (b"KZ", 20),
    (b"LB", 28), (b"LC", 32), (b"LI", 21), (b"LT", 20), (b"LU", 20), (b"LV", 21), (b"LY", 25), (b"MC", 27),
    (b"MD", 24), (b"ME", 22), (b"MK", 19), (b"MR", 27), (b"MT", 31), (b"MU", 30), (b"NL", 18), (b"NO", 15),
    (b"PK", 24), (b"PL", 28), (b"PS", 29), (b"PT", 25), (b"QA", 29), (b"RO", 24), (b"RS", 22), (b"SA", 24),
    (b"SC", 31), (b"SD", 18), (b"SE", 24), (b"SI", 19), (b"SK", 24), (b"SM", 27), (b"ST", 25), (b"SV", 28),
    (b"TL", 23), (b"TN", 24), (b"TR", 26), (b"UA", 29), (b"VA", 22), (b"VG", 24), (b"XK", 20),
];

fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(cc, _)| cc.as_slice() == country).map(|&(_, n)| n)
}

/// A compact, uppercase IBAN: known country, its length, check digits, mod 97 = 1.
fn iban_ok(c: &[u8]) -> bool {
    if c.len() < 15 || !c[0].is_ascii_uppercase() || !c[1].is_ascii_uppercase() {
        return false;
    }
    if !c[2].is_ascii_digit() || !c[3].is_ascii_digit() || iban_length(&c[..2]) != Some(c.len()) {
        return false;
    }
    let mut rem = 0u32;
    for &ch in c[4..].iter().chain(&c[..4]) {
        let Some(v) = alnum_value(ch) else { return false };
        rem = if v < 10 { (rem * 10 + v) % 97 } else { (rem * 100 + v) % 97 };
    }
    rem == 1
}

/// An IBAN inside a longer text: at a word start, two letters and two digits, then the country's
/// length in letters and digits, with single spaces allowed between them.
fn has_iban(b: &[u8]) -> bool {
    for i in 0..b.len().saturating_sub(14) {
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if !word_start
            || !b[i].is_ascii_alphabetic()
            || !b[i + 1].is_ascii_alphabetic()
            || !b[i + 2].is_ascii_digit()
            || !b[i + 3].is_ascii_digit()
        {
            continue;
        }
        let cc = [b[i].to_ascii_uppercase(), b[i + 1].to_ascii_uppercase()];
        let Some(len) = iban_length(&cc) else { continue };
        let mut buf = [0u8; 34];
        let mut n = 0;
        let mut j = i;
        while j < b.len() && n < len {
            let c = b[j];
            if c.is_ascii_alphanumeric() {
                buf[n] = c.to_ascii_uppercase();
                n += 1;
            } else if c != b' ' || j + 1 >= b.len() || !b[j + 1].is_ascii_alphanumeric() {
                break;
            }
            j += 1;
        }
        let ends = j >= b.len() || !b[j].is_ascii_alphanumeric();
        if n == len && ends && iban_ok(&buf[..n]) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Numbers: phones, cards, NIF, CNP

fn is_run_sep(c: u8) -> bool {
    matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')')
}

/// Scans maximal runs of digits and separators (a `+` may open one) that are not glued to a
/// letter or another character of an identifier on either side.
fn numeric_runs(b: &[u8]) -> Option<IdentifierKind> {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_digit() || c == b'+') {
            i += 1;
            continue;
        }
        let start = i;
        let plus = c == b'+';
        let mut j = if plus { i + 1 } else { i };
        // The character before the run: only a boundary if it is not part of an identifier,
        // e.g. the `-` of `V-2023-000123` is glued to `V`. A glued run is skipped whole.
        let glued_before = start > 0 && {
            let p = b[start - 1];
            p.is_ascii_alphanumeric()
                || p == b'_'
                || (is_run_sep(p) && p != b' ' && start > 1 && b[start - 2].is_ascii_alphanumeric())
        };
        if glued_before {
            while j < b.len() && (b[j].is_ascii_digit() || is_run_sep(b[j])) {
                j += 1;
            }
            i = j.max(i + 1);
            continue;
        }
        let mut digits = [0u8; 20];
        let mut n = 0usize;
        let mut too_long = false;
        while j < b.len() && (b[j].is_ascii_digit() || is_run_sep(b[j])) {
            if b[j].is_ascii_digit() {
                if n < digits.len() {
                    digits[n] = b[j] - b'0';
                }
                n += 1;
                too_long |= n > digits.len();
            }
            j += 1;
        }
        // Trailing separators are not part of the number.
        let mut end = j;
        while end > start && is_run_sep(b[end - 1]) {
            end -= 1;
        }
        let glued_after = end < b.len() && {
            let a = b[end];
            a.is_ascii_alphanumeric() || a == b'_' || a == b':' || a == b'+'
        };
        i = j.max(i + 1);
        if n == 0 || too_long || glued_after {
            continue;
        }
        if let Some(kind) = classify_number(&digits[..n], plus) {
            return Some(kind);
        }
    }
    None
}

fn classify_number(d: &[u8], plus: bool) -> Option<IdentifierKind> {
    let n = d.len();
    if plus {
        return (8..=15).contains(&n).then_some(IdentifierKind::Phone).filter(|_| d[0] != 0);
    }
    if d[0] == 0 && d.get(1) == Some(&0) && (11..=17).contains(&n) && d[2] != 0 {
        return Some(IdentifierKind::Phone);
    }
    match n {
        9 => {
            let mobile = d[0] == 9 && matches!(d[1], 1 | 2 | 3 | 6);
            if mobile {
                Some(IdentifierKind::Phone)
            } else if nif_ok(d) {
                Some(IdentifierKind::NationalId)
            } else if d[0] == 2 || d[0] == 9 {
                Some(IdentifierKind::Phone)
            } else {
                None
            }
        }
        13 if cnp_ok(d) => Some(IdentifierKind::NationalId),
        13..=19 if (2..=6).contains(&d[0]) && !compact_timestamp(d) && luhn_ok(d) => {
            Some(IdentifierKind::PaymentCard)
        }
        _ => None,
    }
}

/// Portuguese NIF: first digit 1–3, 5, 6, 8, 9 (or 45); weights 9..2; check = 11 − sum mod 11
/// (0 when that is 10 or 11).
fn nif_ok(d: &[u8]) -> bool {
    if d.len() != 9 || !(matches!(d[0], 1 | 2 | 3 | 5 | 6 | 8 | 9) || (d[0] == 4 && d[1] == 5)) {
        return false;
    }
    let sum: u32 = d[..8].iter().enumerate().map(|(i, &x)| u32::from(x) * (9 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        10 | 11 => 0,
        c => c,
    };
    u32::from(d[8]) == check
}

/// Romanian CNP: sex/century digit 1–9, YYMMDD with a plausible month and day, county 01–52,
/// check digit by weights 2,7,9,1,4,6,3,5,8,2,7,9 mod 11 (10 → 1).
fn cnp_ok(d: &[u8]) -> bool {
    const W: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
    if d.len() != 13 || d[0] == 0 {
        return false;
    }
    let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
    let (month, day, county) = (two(3), two(5), two(7));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=52).contains(&county) {
        return false;
    }
    let sum: u32 = d[..12].iter().zip(W).map(|(&x, w)| u32::from(x) * w).sum();
    let check = match sum % 11 {
        10 => 1,
        c => c,
    };
    u32::from(d[12]) == check
}

/// `YYYYMMDDhhmmss` (a timestamp without separators), which must not pass for a card number.
fn compact_timestamp(d: &[u8]) -> bool {
    let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
    d.len() == 14
        && matches!(two(0), 19 | 20)
        && (1..=12).contains(&two(4))
        && (1..=31).contains(&two(6))
        && two(8) < 24
        && two(10) < 60
        && two(12) < 60
}

fn luhn_ok(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = u32::from(x);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

// ---------------------------------------------------------------------------------------------
// Personal names

/// Common given names beyond the nationality pools (European and international).
#[rustfmt::skip]
const EXTRA_GIVEN: &[&str] = &[
    "Adam", "Agnieszka", "Alberto", "Alejandro", "Alice", "Amélie", "Andrea", "Andrew", "Angela", "Anne",
    "Antonio", "Barbara", "Carmen", "Catherine", "Charles", "Christian", "Christine", "David", "Dolores",
    "Dorota", "Elizabeth", "Emily", "Emma", "Eva", "Francesca", "François", "Georg", "George", "Giovanni",
    "Giuseppe", "Hans", "Isabella", "Jacques", "James", "Jan", "Javier", "Jean", "Jennifer", "Jesús",
    "Johann", "Josef", "Juan", "Julie", "Karl", "Katarzyna", "Laura", "Lucas", "Lucía", "Magdalena", "Marek",
    "Margaret", "Marie", "Mark", "Martin", "Mary", "Matteo", "Michel", "Mohammad", "Mohammed", "Muhammad",
    "Md", "Monika", "Nicolas", "Olivia", "Patrick", "Petra", "Philippe", "Piotr", "Pierre", "Robert", "Sarah",
    "Sophie", "Stefan", "Susan", "Thomas", "Tomasz", "William", "Wojciech",
];

/// Words that make a capitalised phrase a place or label rather than a name.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "SAINT", "SAINTE", "SAN", "SANTA", "SANTO", "SAO", "SANKT", "ST", "ISLAND", "ISLANDS", "ILHA", "ILHAS",
    "REPUBLIC", "REPUBLICA", "KINGDOM", "NORTE", "SUL", "NORTH", "SOUTH", "EAST", "WEST", "CENTRO", "CENTRAL",
    "REGIAO", "REGION", "DISTRICT", "DISTRITO", "CITY", "CIDADE", "VILA", "PORTO", "PORT", "NOVA", "NOVO",
    "NEW", "MOUNT", "MONTE", "COAST", "RIO", "LAGO", "LAKE", "VALE", "VALLEY", "FORT", "GRAND", "GRANDE",
    "ALTO", "BAIXO", "UPPER", "LOWER", "GREATER", "INNER", "OUTER",
];

struct NameLists {
    given: Vec<String>,
    surnames: Vec<String>,
}

static NAMES: LazyLock<NameLists> = LazyLock::new(|| {
    let fold_all = |it: &mut dyn Iterator<Item = &str>| {
        let mut v: Vec<String> = it.map(fold).filter(|f| f.len() >= 2).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let given_pool: Vec<&str> = all_given_names().collect();
    // Spelling variants count as given names or surnames like the name they vary.
    let (given_variants, surname_variants): (Vec<&[&str]>, Vec<&[&str]>) =
        VARIANTS.iter().copied().partition(|g| g.first().is_some_and(|f| given_pool.contains(f)));
    let given = fold_all(
        &mut given_pool
            .iter()
            .copied()
            .chain(EXTRA_GIVEN.iter().copied())
            .chain(given_variants.into_iter().flatten().copied()),
    );
    let surnames = fold_all(&mut all_surnames().chain(surname_variants.into_iter().flatten().copied()));
    NameLists { given, surnames }
});

/// Uppercase ASCII letters of a word (transliterated).
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    if word.is_ascii() {
        out.extend(word.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()));
    } else {
        let ascii = deunicode::deunicode_with_tofu(word, "");
        out.extend(ascii.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()));
    }
    out
}

fn is_particle(word: &str) -> bool {
    matches!(
        word,
        "da" | "das"
            | "de"
            | "del"
            | "della"
            | "di"
            | "do"
            | "dos"
            | "du"
            | "e"
            | "el"
            | "al"
            | "van"
            | "von"
            | "der"
            | "den"
            | "bin"
            | "ben"
            | "y"
            | "la"
            | "le"
    )
}

/// A capitalised word: an uppercase letter, then all lowercase or all uppercase letters
/// (hyphenated and apostrophe parts each the same).
fn name_shaped(word: &str) -> bool {
    word.split(['-', '\'', '\u{2019}']).all(|part| {
        let mut chars = part.chars();
        let Some(first) = chars.next() else { return false };
        if !first.is_alphabetic() || !first.is_uppercase() {
            return false;
        }
        let rest: Vec<char> = chars.collect();
        rest.iter().all(|c| c.is_alphabetic())
            && (rest.iter().all(|c| c.is_lowercase()) || rest.iter().all(|c| c.is_uppercase()))
    })
}

/// Whether `value` looks like a person's name: 2–4 capitalised words besides particles, no
/// digits or other signs, at least two of them known given names or surnames with one a given
/// name, the first word known, and no word of place names (`Santa`, `Ilhas`, `North` …).
pub fn looks_like_personal_name(value: &str) -> bool {
    let v = value.trim();
    if v.len() < 5 || v.len() > 80 || !v.contains(' ') {
        return false;
    }
    if v.chars().any(|c| !(c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '\u{2019}')) {
        return false;
    }
    let words: Vec<&str> = v.split_whitespace().filter(|w| !is_particle(w)).collect();
    if !(2..=4).contains(&words.len()) || !words.iter().all(|w| name_shaped(w)) {
        return false;
    }
    let lists = &*NAMES;
    let mut known = 0;
    let mut given = 0;
    for (i, w) in words.iter().enumerate() {
        let f = fold(w);
        if NOT_NAMES.contains(&f.as_str()) {
            return false;
        }
        let is_given = lists.given.binary_search(&f).is_ok();
        let is_surname = lists.surnames.binary_search(&f).is_ok();
        if i == 0 && !is_given && !is_surname {
            return false;
        }
        known += usize::from(is_given || is_surname);
        given += usize::from(is_given);
    }
    known >= 2 && given >= 1
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// `numeric_runs` as first written (every run scanned before its boundaries are checked).
    fn reference_numeric_runs(b: &[u8]) -> Option<IdentifierKind> {
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if !(c.is_ascii_digit() || c == b'+') {
                i += 1;
                continue;
            }
            let start = i;
            let plus = c == b'+';
            let mut j = if plus { i + 1 } else { i };
            let mut digits = [0u8; 20];
            let mut n = 0usize;
            let mut too_long = false;
            while j < b.len() && (b[j].is_ascii_digit() || is_run_sep(b[j])) {
                if b[j].is_ascii_digit() {
                    if n < digits.len() {
                        digits[n] = b[j] - b'0';
                    }
                    n += 1;
                    too_long |= n > digits.len();
                }
                j += 1;
            }
            let mut end = j;
            while end > start && is_run_sep(b[end - 1]) {
                end -= 1;
            }
            let glued_before = start > 0 && {
                let p = b[start - 1];
                p.is_ascii_alphanumeric()
                    || p == b'_'
                    || (is_run_sep(p) && p != b' ' && start > 1 && b[start - 2].is_ascii_alphanumeric())
            };
            let glued_after = end < b.len() && {
                let a = b[end];
                a.is_ascii_alphanumeric() || a == b'_' || a == b':' || a == b'+'
            };
            i = j.max(i + 1);
            if n == 0 || too_long || glued_before || glued_after {
                continue;
            }
            if let Some(kind) = classify_number(&digits[..n], plus) {
                return Some(kind);
            }
        }
        None
    }

    fn random_text(rng: &mut ChaCha8Rng, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
    }

    #[test]
    fn numeric_runs_match_the_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let alphabet = b"0123456789012345678901234567890123456789+ -./()_:aZ,|";
        for _ in 0..200_000 {
            let len = rng.random_range(0..40);
            let text = random_text(&mut rng, alphabet, len);
            assert_eq!(numeric_runs(text.as_bytes()), reference_numeric_runs(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn key_lists_are_answered_exactly_as_the_general_scan() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut tokens: Vec<String> = Vec::new();
        for alphabet in
            [&b"0123456789abcdef"[..], b"0123456789", b"0123456789ABCDEF", b"0123456789abcdefABCDEF"]
        {
            for _ in 0..2_000 {
                tokens.push(random_text(&mut rng, alphabet, 32));
            }
        }
        // Tokens shaped like the IBANs of hex-letter countries, and digit runs at both ends.
        for prefix in ["ad12", "ae34", "ba56", "be78", "de89", "DE89", "BE00"] {
            for _ in 0..200 {
                tokens.push(format!("{prefix}{}", random_text(&mut rng, b"0123456789", 28)));
            }
        }
        tokens.push("0".repeat(32));
        tokens.push(format!("{}{}", "1".repeat(20), "a".repeat(12)));
        tokens.push(format!("{}{}", "a".repeat(12), "9".repeat(20)));
        for k in 0..20_000 {
            let n = 1 + k % 4;
            let sep = if k % 3 == 0 { "|" } else { "," };
            let list: Vec<&str> =
                (0..n).map(|_| tokens[rng.random_range(0..tokens.len())].as_str()).collect();
            let value = list.join(sep);
            assert!(key_list(value.as_bytes()), "{value}");
            assert_eq!(scan_bytes(value.as_bytes()), None, "{value}");
            assert_eq!(scan_value(&value), None);
        }
        for not_keys in
            ["", "abc", &"a".repeat(31), &"a".repeat(33), &format!("{},", "a".repeat(32)), &"g".repeat(32)]
        {
            assert!(!key_list(not_keys.as_bytes()), "{not_keys}");
        }
    }

    #[test]
    fn cached_verdicts_are_the_uncached_ones() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let samples = [
            "maria.silva@example.pt",
            "+351 912 345 678",
            "PT50 0002 0123 1234 5678 9015 4",
            "4111 1111 1111 1111",
            "João Pedro Silva",
            "Exploração sexual",
            "V-2023-000123",
            "28/04/2019",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "",
            "UNK",
        ];
        let mut values: Vec<String> = samples.iter().map(|s| (*s).to_owned()).collect();
        // More distinct values than a column keeps, some longer than it keeps.
        for i in 0..6_000 {
            values.push(format!("{i:09}"));
            let len = rng.random_range(0..90);
            values.push(random_text(&mut rng, b"0123456789 -abcXYZ@.<", len));
        }
        let mut cache = GuardCache::new(3);
        for round in 0..3 {
            for (k, v) in values.iter().enumerate() {
                let column = (k + round) % 4; // column 3 is outside the cache
                assert_eq!(cache.check(column, v), scan_coded_value(v), "{v:?}");
            }
        }
        // A column of repeated codes stays cached; one of unique values is bypassed.
        let mut cache = GuardCache::new(2);
        for i in 0..20_000 {
            let code = samples[i % samples.len()];
            assert_eq!(cache.check(0, code), scan_coded_value(code));
            let unique = format!("V-{i:08}");
            assert_eq!(cache.check(1, &unique), scan_coded_value(&unique));
        }
        assert!(!cache.columns[0].bypass && cache.columns[0].entries.len() <= GuardCache::VALUES_PER_COLUMN);
        assert!(cache.columns[1].bypass && cache.columns[1].entries.is_empty());
    }
}
