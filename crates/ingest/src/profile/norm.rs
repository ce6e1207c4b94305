//! Normalisation of source values and header names before they are compared: trim, collapse
//! inner whitespace, and (unless the profile asks for exactness) fold case and strip diacritics
//! (Unicode NFD, combining marks dropped), so `EXPLORAÇÃO  LABORAL` and `exploracao laboral`
//! compare equal.
//!
//! The hot path ([`Norm::with`]) normalises into a per-thread reused buffer, so mapping a cell
//! allocates nothing once the buffer has grown to the longest value seen.

use std::cell::RefCell;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// How values are compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Norm {
    /// Fold case.
    pub(crate) fold_case: bool,
    /// Strip diacritics.
    pub(crate) strip_accents: bool,
}

thread_local! {
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

impl Norm {
    /// Case- and accent-insensitive (used for header names and missing markers).
    pub(crate) const LOOSE: Norm = Norm { fold_case: true, strip_accents: true };

    /// Appends the normalised form of `s` to `out`.
    pub(crate) fn push(self, s: &str, out: &mut String) {
        let s = s.trim();
        let mut space = false;
        let mut emit = |c: char, out: &mut String| {
            if c.is_whitespace() {
                space = true;
                return;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            if self.fold_case {
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            } else {
                out.push(c);
            }
        };
        if s.is_ascii() {
            for c in s.chars() {
                emit(c, out);
            }
        } else if self.strip_accents {
            for c in s.nfd().filter(|c| !is_combining_mark(*c)) {
                emit(c, out);
            }
        } else {
            for c in s.nfc() {
                emit(c, out);
            }
        }
    }

    /// The normalised form of `s` as a new string (for building lookup tables).
    pub(crate) fn key(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        self.push(s, &mut out);
        out
    }

    /// Calls `f` with the normalised form of `s`, built in a reused per-thread buffer.
    pub(crate) fn with<R>(self, s: &str, f: impl FnOnce(&str) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                self.push(s, &mut buf);
                f(&buf)
            }
            // Re-entered (cannot happen with the callers in this module): fall back to a fresh buffer.
            Err(_) => f(&self.key(s)),
        })
    }
}

/// Case-insensitive equality of two trimmed strings without allocating.
pub(crate) fn eq_fold(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_whitespace() {
        let n = Norm::LOOSE;
        assert_eq!(n.key("  EXPLORAÇÃO   LABORAL "), "exploracao laboral");
        assert_eq!(n.key("Roménia"), "romenia");
        assert_eq!(n.key("Índia"), "india");
        let exact = Norm { fold_case: false, strip_accents: false };
        assert_eq!(exact.key(" Roménia "), "Roménia");
        let case_only = Norm { fold_case: true, strip_accents: false };
        assert_eq!(case_only.key("ÍNDIA"), "índia");
        assert_eq!(n.with("São  Tomé", str::to_owned), "sao tome");
        assert!(eq_fold("N/D", "n/d"));
        assert!(eq_fold("NÃO", "não"));
        assert!(!eq_fold("NA", "N/A"));
    }
}
