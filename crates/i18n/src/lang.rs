//! Language tags: a small, `Copy` BCP 47 tag of the form `language[-Script][-REGION]`
//! (`pt`, `pt-BR`, `sr-Latn`), the name of a message file without `.toml`.
//!
//! The set of languages is open: a tag is any well-formed tag, and which ones the hub speaks is
//! decided by the files in `data/i18n`, not by this type.

use std::fmt;

/// Longest tag: a 3-letter language, a 4-letter script and a 3-digit region with their hyphens.
const MAX: usize = 12;

/// A language tag (`language[-Script][-REGION]`), normalised: language in lower case, script in
/// title case, region in upper case. `pt_BR` and `PT-br` both read as `pt-BR`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang {
    /// ASCII bytes of the tag, zero-padded (so that ordering is the tag's ordering).
    bytes: [u8; MAX],
    /// Length of the tag in bytes.
    len: u8,
}

/// A text that is not a language tag of the supported form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a language tag of the form `pt`, `pt-BR` or `sr-Latn` (a 2- or 3-letter ISO 639 language, \
     optionally a 4-letter script and a 2-letter or 3-digit region, joined by `-`)"
)]
pub struct LangError;

impl Lang {
    /// English: the reference language and the fallback of every other one.
    pub const EN: Lang = Lang::two(b'e', b'n');
    /// Portuguese (European Portuguese in this hub).
    pub const PT: Lang = Lang::two(b'p', b't');

    const fn two(a: u8, b: u8) -> Lang {
        let mut bytes = [0; MAX];
        bytes[0] = a;
        bytes[1] = b;
        Lang { bytes, len: 2 }
    }

    /// Reads a tag, accepting `-` or `_` between subtags and any letter case.
    pub fn parse(tag: &str) -> Result<Lang, LangError> {
        let mut parts = tag.split(['-', '_']);
        let language = parts.next().ok_or(LangError)?;
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(LangError);
        }
        let mut out = language.to_ascii_lowercase();
        let mut next = parts.next();
        if let Some(script) = next.filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic())) {
            out.push('-');
            out.push_str(&script[..1].to_ascii_uppercase());
            out.push_str(&script[1..].to_ascii_lowercase());
            next = parts.next();
        }
        if let Some(region) = next.filter(|r| {
            (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
                || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
        }) {
            out.push('-');
            out.push_str(&region.to_ascii_uppercase());
            next = parts.next();
        }
        if next.is_some() {
            return Err(LangError);
        }
        let mut bytes = [0; MAX];
        bytes[..out.len()].copy_from_slice(out.as_bytes());
        Ok(Lang { bytes, len: out.len() as u8 })
    }

    /// The tag, such as `pt` or `pt-BR` (for `lang` attributes, file names and settings).
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever stored, so the slice is always UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("en")
    }

    /// The language subtag alone: `pt` for `pt-BR`.
    pub fn language(&self) -> &str {
        self.as_str().split('-').next().unwrap_or("en")
    }

    /// The region subtag, if any: `BR` for `pt-BR`.
    pub fn region(&self) -> Option<&str> {
        self.as_str().split('-').skip(1).find(|s| s.len() != 4)
    }

    /// The tag without its last subtag (`sr-Latn-RS` → `sr-Latn` → `sr`), or `None` for a bare
    /// language: the chain of more general languages a message is looked up in.
    pub fn parent(&self) -> Option<Lang> {
        let s = self.as_str();
        let cut = s.rfind('-')?;
        Lang::parse(&s[..cut]).ok()
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::EN
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

impl std::str::FromStr for Lang {
    type Err = LangError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::parse(s)
    }
}
