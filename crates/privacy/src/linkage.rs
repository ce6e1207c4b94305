//! Linkage keys: keyed HMACs over several normalised match keys ("multi-pass deterministic
//! linkage", privacy.md §1.2), computed at the provider by `mosy prepare`.
//!
//! # Messages
//!
//! Names are normalised by [`normalise_name`]; `G` is the first given-name token, `F` the last
//! family-name token, `all` every token of both fields; `phon(t)` is [`phonetic`] and `init(t)`
//! the first letter of `phon(t)`. "sorted" means sorted and de-duplicated, joined by one space.
//! Dates are `YYYYMMDD`, years `YYYY`, sex `F`/`M`. Each key's message is ASCII text:
//!
//! | key | message | survives |
//! |---|---|---|
//! | `K1` | `K1\|sorted(phon(all))\|YYYYMMDD` | name order swaps, vowel typos, doubled letters, transliteration variants, dropped particles |
//! | `K2` | `K2\|G\|init(F)\|YYYYMMDD` and `K2\|F\|init(G)\|YYYYMMDD` | a typo in either name (not in its first letter), dropped second names |
//! | `K3` | `K3\|sorted(phon(G), phon(F))\|MMDD\|A⌊Y/2⌋\|sex` and `…\|B⌊(Y+1)/2⌋\|sex` | a birth year off by one (any two years at most one apart share a bucket) |
//! | `K4` | `K4\|sorted(phon(G), phon(F))\|YYYY` + the day and month in ascending order, only when the day is at most 12 | day and month swapped |
//! | `K5` | `K5\|sorted(phon(all))\|YYYY\|sex` (partial-date key) | a 1 January default, a missing day |
//!
//! The [`model::LinkageKey`] is the first 16 bytes of `HMAC-SHA-256(subkey_i, message)`, with
//! `subkey_i` derived from the provider's master secret (see [`crate::secret`]), and with the top
//! bits of the first byte used as markers: bit 7 is clear on full keys (`K1`–`K4`); on the
//! partial-date key `K5` bit 7 is set and bit 6 tells whether this registration's own birth date
//! is doubtful (only the year known, or 1 January). The hub's [`crate::cluster`] lets a partial
//! key link a doubtful registration to the one person with an exact date, never two
//! exact-date registrations to each other: two "Olena Melnyk, 1985" with different full birth
//! dates are different persons. The marker bits reveal to the hub only that a registration's
//! birth date is doubtful.
//!
//! # What a registration gets
//!
//! - no name token at all, or neither a birth date nor a birth year: no key (the registration
//!   stays unlinked rather than linking on too little);
//! - only the birth year: `K5` (and none that needs the day);
//! - a birth date of 1 January (often a default for an unknown date): every key, with `K5`
//!   marked doubtful, so it also links to a registration of the true date;
//! - unknown sex: `K3` and `K5` are skipped;
//! - only given names or only family names: `K1` and `K5`.
//!
//! The key set was chosen on synthetic registrations ([`crate::testkit`]) for pairwise precision
//! ≥ 0.98 and recall ≥ 0.90 from 5,000 to 50,000 persons; keys on one name + birth date + sex
//! (without anything of the other name) were dropped because they chain distinct persons with
//! common names at scale.

use std::collections::BTreeSet;

use chrono::Datelike;
use hmac::Mac;
use model::codes::Sex;
use model::ids::LinkageKey;

use crate::Identity;
use crate::cluster::{DOUBTFUL_BIT, PARTIAL_BIT};
use crate::normalise::{normalise_name, phonetic, sorted_joined};
use crate::secret::LinkageSecret;

/// One match key of the key set.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum KeyKind {
    /// `K1`: phonetic codes of all name tokens, sorted, + full birth date.
    PhoneticNamesDob,
    /// `K2`: one name exact + the phonetic initial of the other + full birth date, both ways.
    NameInitialDob,
    /// `K3`: phonetic first given + last family, sorted, + month and day + two-year bucket + sex.
    PhoneticPairDayMonthSex,
    /// `K4`: phonetic first given + last family, sorted, + year + day and month unordered.
    PhoneticPairSwappedDob,
    /// `K5` (partial-date): phonetic codes of all name tokens, sorted, + birth year + sex.
    PhoneticNamesYearSex,
}

impl KeyKind {
    /// Number of kinds.
    pub const COUNT: usize = 5;

    /// The key set, in order.
    pub const ALL: [KeyKind; KeyKind::COUNT] = [
        KeyKind::PhoneticNamesDob,
        KeyKind::NameInitialDob,
        KeyKind::PhoneticPairDayMonthSex,
        KeyKind::PhoneticPairSwappedDob,
        KeyKind::PhoneticNamesYearSex,
    ];

    /// Label used in the message and the HKDF info (`K1` …).
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::PhoneticNamesDob => "K1",
            KeyKind::NameInitialDob => "K2",
            KeyKind::PhoneticPairDayMonthSex => "K3",
            KeyKind::PhoneticPairSwappedDob => "K4",
            KeyKind::PhoneticNamesYearSex => "K5",
        }
    }

    /// Whether the key is a partial-date key (no full birth date in it).
    pub fn is_partial(self) -> bool {
        matches!(self, KeyKind::PhoneticNamesYearSex)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// The normalised attributes the keys are built from. Deliberately not `Debug`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Normalised {
    /// Given-name tokens.
    pub given: Vec<String>,
    /// Family-name tokens.
    pub family: Vec<String>,
    /// Full birth date as (year, month, day).
    pub dob: Option<(i32, u32, u32)>,
    /// Birth year (of the birth date when there is one).
    pub year: Option<i32>,
    /// `F` or `M`.
    pub sex: Option<&'static str>,
}

impl Normalised {
    /// Normalises an identity (rules in [`crate::normalise`]).
    pub fn of(identity: &Identity) -> Normalised {
        let dob = identity.birth_date.map(|d| (d.year(), d.month(), d.day()));
        let year = dob.map(|(y, _, _)| y).or(identity.birth_year);
        let sex = match identity.sex {
            Some(Sex::F) => Some("F"),
            Some(Sex::M) => Some("M"),
            _ => None,
        };
        Normalised {
            given: normalise_name(&identity.given_names),
            family: normalise_name(&identity.family_names),
            dob,
            year,
            sex,
        }
    }

    /// Whether the birth date is doubtful: only the year is known, or it is 1 January.
    pub fn doubtful_date(&self) -> bool {
        match self.dob {
            None => true,
            Some((_, m, d)) => m == 1 && d == 1,
        }
    }

    /// The messages of key `kind` (empty when the attributes it needs are unknown).
    pub fn messages(&self, kind: KeyKind) -> Vec<String> {
        let label = kind.label();
        let all: Vec<&str> = self.given.iter().chain(&self.family).map(String::as_str).collect();
        let Some(year) = self.year else {
            return Vec::new();
        };
        if all.is_empty() {
            return Vec::new();
        }
        let phon_all = || {
            let codes: Vec<String> = all.iter().map(|t| phonetic(t)).collect();
            let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
            sorted_joined(&refs)
        };
        let pair = self.given.first().zip(self.family.last());
        let phon_pair = || pair.map(|(g, f)| sorted_joined(&[&phonetic(g), &phonetic(f)]));
        let dob = self.dob;
        let mut out = Vec::new();
        match kind {
            KeyKind::PhoneticNamesDob => {
                if let Some((y, m, d)) = dob {
                    out.push(format!("{label}|{}|{y:04}{m:02}{d:02}", phon_all()));
                }
            }
            KeyKind::NameInitialDob => {
                if let (Some((g, f)), Some((y, m, d))) = (pair, dob) {
                    let (ig, if_) = (initial(g), initial(f));
                    out.push(format!("{label}|{g}|{if_}|{y:04}{m:02}{d:02}"));
                    out.push(format!("{label}|{f}|{ig}|{y:04}{m:02}{d:02}"));
                }
            }
            KeyKind::PhoneticPairDayMonthSex => {
                if let (Some(p), Some((y, m, d)), Some(sex)) = (phon_pair(), dob, self.sex) {
                    out.push(format!("{label}|{p}|{m:02}{d:02}|A{}|{sex}", y.div_euclid(2)));
                    out.push(format!("{label}|{p}|{m:02}{d:02}|B{}|{sex}", (y + 1).div_euclid(2)));
                }
            }
            KeyKind::PhoneticPairSwappedDob => {
                if let (Some(p), Some((y, m, d))) = (phon_pair(), dob)
                    && d <= 12
                {
                    let (lo, hi) = if m <= d { (m, d) } else { (d, m) };
                    out.push(format!("{label}|{p}|{y:04}{lo:02}{hi:02}"));
                }
            }
            KeyKind::PhoneticNamesYearSex => {
                if let Some(sex) = self.sex {
                    out.push(format!("{label}|{}|{year:04}|{sex}", phon_all()));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// First letter of the phonetic code (vowels as `A`), or `-` for an empty token.
fn initial(token: &str) -> char {
    phonetic(token).chars().next().unwrap_or('-')
}

/// The linkage keys of one identity under `secret` (empty when there is not enough identity).
pub fn linkage_keys(identity: &Identity, secret: &LinkageSecret) -> BTreeSet<LinkageKey> {
    linkage_keys_of(identity, secret, &KeyKind::ALL)
}

/// The keys of the given kinds only (for evaluating key sets).
pub fn linkage_keys_of(
    identity: &Identity,
    secret: &LinkageSecret,
    kinds: &[KeyKind],
) -> BTreeSet<LinkageKey> {
    let normalised = Normalised::of(identity);
    let doubtful = normalised.doubtful_date();
    let mut out = BTreeSet::new();
    for &kind in kinds {
        for message in normalised.messages(kind) {
            out.insert(marked(keyed_digest(secret, kind, &message), kind, doubtful));
        }
    }
    out
}

/// `HMAC-SHA-256(subkey(kind), message)` truncated to 16 bytes, without marker bits.
pub fn keyed_digest(secret: &LinkageSecret, kind: KeyKind, message: &str) -> [u8; 16] {
    let mut mac = secret.mac(kind);
    mac.update(message.as_bytes());
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// Sets the marker bits of a digest of `kind` (see the module documentation).
pub fn marked(mut digest: [u8; 16], kind: KeyKind, doubtful: bool) -> LinkageKey {
    if kind.is_partial() {
        digest[0] = (digest[0] & !(PARTIAL_BIT | DOUBTFUL_BIT))
            | PARTIAL_BIT
            | if doubtful { DOUBTFUL_BIT } else { 0 };
    } else {
        digest[0] &= !PARTIAL_BIT;
    }
    LinkageKey::from_bytes(digest)
}
