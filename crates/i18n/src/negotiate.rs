//! Choosing a language from an `Accept-Language` header (RFC 9110 §12.5.4, ranges of RFC 4647).
//!
//! The header is a list of language ranges with optional weights (`pt-PT, pt;q=0.9, en;q=0.8`).
//! Ranges are tried by descending weight (equal weights in header order); for each, an available
//! language is found by, in order: the same tag; the range with subtags removed from the end
//! (`pt-PT` → `pt`); an available tag the range is a prefix of (`pt` → `pt-BR`); an available tag
//! with the same language subtag (`pt-PT` → `pt-BR`). `*` stands for any language not named
//! elsewhere, English first. A weight of 0 means "not acceptable": languages matched by such a
//! range are never chosen for another range. Malformed entries are skipped, and only the first
//! [`MAX_RANGES`] entries are read. When nothing matches, the answer is English.

use crate::lang::Lang;

/// How many entries of a header are read at most.
pub const MAX_RANGES: usize = 32;

/// One language range with its weight in thousandths.
struct Range<'a> {
    range: &'a str,
    weight: u16,
}

/// A weight `q=` value: `0`, `0.5`, `1.000` (at most three decimals, at most 1), in thousandths.
fn qvalue(text: &str) -> Option<u16> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value =
        frac.bytes().fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0')) * 10u16.pow(3 - frac.len() as u32);
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}

/// `1*8ALPHA *("-" 1*8alphanum)` or `*`.
fn is_range(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let mut parts = text.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn ranges(header: &str) -> Vec<Range<'_>> {
    let mut out = Vec::new();
    for entry in header.split(',').take(MAX_RANGES) {
        let mut params = entry.split(';');
        let range = params.next().unwrap_or("").trim();
        if range.is_empty() || !is_range(range) {
            continue;
        }
        let mut weight = Some(1000);
        for param in params {
            let param = param.trim();
            if let Some(q) = param.strip_prefix("q=").or_else(|| param.strip_prefix("Q=")) {
                weight = qvalue(q);
            } else {
                weight = None;
            }
        }
        if let Some(weight) = weight {
            out.push(Range { range, weight });
        }
    }
    out
}

/// Whether the range `range` matches `tag` by RFC 4647 basic filtering: equal, or a prefix
/// ending at a hyphen, ignoring case.
fn matches(range: &str, tag: &str) -> bool {
    range == "*"
        || tag.eq_ignore_ascii_case(range)
        || (tag.len() > range.len()
            && tag.as_bytes()[range.len()] == b'-'
            && tag[..range.len()].eq_ignore_ascii_case(range))
}

/// The best available language for one range, among `candidates`.
fn best(range: &str, candidates: &[Lang]) -> Option<Lang> {
    // The same tag, then the range made more general.
    let mut general = Some(range);
    while let Some(r) = general {
        if let Some(l) = candidates.iter().find(|l| l.as_str().eq_ignore_ascii_case(r)) {
            return Some(*l);
        }
        general = r.rfind('-').map(|cut| &r[..cut]);
    }
    // A more specific available tag.
    if let Some(l) = candidates.iter().find(|l| matches(range, l.as_str())) {
        return Some(*l);
    }
    // The same language subtag.
    let language = range.split('-').next().unwrap_or(range);
    candidates.iter().find(|l| l.language().eq_ignore_ascii_case(language)).copied()
}

/// The language of `available` best fitting the `Accept-Language` header `header` (which may be
/// empty); English when none fits.
pub fn negotiate(header: &str, available: &[Lang]) -> Lang {
    let mut ranges = ranges(header);
    // Stable: equal weights keep header order.
    ranges.sort_by_key(|r| std::cmp::Reverse(r.weight));
    let excluded: Vec<Lang> = available
        .iter()
        .copied()
        .filter(|l| ranges.iter().any(|r| r.weight == 0 && r.range != "*" && matches(r.range, l.as_str())))
        .collect();
    let named = |l: &Lang| ranges.iter().any(|r| r.range != "*" && matches(r.range, l.as_str()));
    let candidates: Vec<Lang> = available.iter().copied().filter(|l| !excluded.contains(l)).collect();
    for r in ranges.iter().filter(|r| r.weight > 0) {
        if r.range == "*" {
            let mut rest: Vec<Lang> = candidates.iter().copied().filter(|l| !named(l)).collect();
            rest.sort_by_key(|l| *l != Lang::EN);
            if let Some(l) = rest.first() {
                return *l;
            }
            continue;
        }
        if let Some(l) = best(r.range, &candidates) {
            return l;
        }
    }
    Lang::EN
}
