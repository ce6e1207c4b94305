//! The words of the mosy web interface in every language of `data/i18n/`.
//!
//! Every `data/i18n/<lang>.toml` found at build time is embedded by the build script, which also
//! parses each one, so a malformed file fails the build naming the file, the key and the reason.
//! **Adding a language means adding a file** (`fr.toml`, `pt-BR.toml`): it is found, embedded,
//! offered by [`Catalog::languages`] and chosen by [`Catalog::negotiate`] without code changes;
//! its number and date formats come from its own `format.*` keys and its plural rule from CLDR
//! ([`plural_category`]). The tests require every file to have exactly the keys of `en.toml`,
//! with the same placeholders ([`Catalog::problems`]).
//!
//! The file format is described in [`Messages`]: flat dotted keys, `{name}` placeholders and plural
//! forms by CLDR category. Codelist labels are not here: they are columns of `data/codelists`,
//! read by `model::Codelists::label`.
//!
//! - [`Catalog::t`]: a message with its placeholders filled; a key missing in the language is
//!   looked up in the more general language (`pt-BR` → `pt`), then in English, and a key missing
//!   there too is returned as it is, so a gap is visible but never breaks a page.
//! - [`Catalog::plural`]: the form for a count by the language's CLDR rule; `{n}` is the count,
//!   formatted for the language.
//! - [`negotiate`]: the language of an `Accept-Language` header.
//! - [`Catalog::format_int`], [`Catalog::format_decimal`], [`Catalog::format_percent`],
//!   [`Catalog::format_date`], [`Catalog::format_date_long`], [`Catalog::format_datetime`]: numbers
//!   as `charts::format` writes them, with the language's separators.
//!
//! The output is plain text: escaping it for HTML is the server's job.
//!
//! ```
//! use i18n::{Catalog, Lang};
//!
//! let catalog = Catalog::embedded();
//! let pt = catalog.negotiate("pt-PT,pt;q=0.9,en;q=0.8");
//! assert_eq!(pt, Lang::PT);
//! assert_eq!(catalog.t(pt, "nav.dashboard", &[]), "Painel");
//! assert_eq!(catalog.plural(Lang::EN, "audit.events", 1234, &[]), "1,234 events");
//! assert_eq!(catalog.format_decimal(pt, 1234.5, 1), "1\u{202F}234,5");
//! ```
#![warn(missing_docs)]

mod format;
mod lang;
mod message;
mod negotiate;
mod plural;

mod embedded {
    //! The message files, embedded by the build script.
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::sync::LazyLock;

pub use format::{DATE, DATE_LONG, DATETIME, DECIMAL_SEPARATOR, GROUP_SEPARATOR, PERCENT};
pub use lang::{Lang, LangError};
pub use message::{EntryProblem, LANGUAGE_NAME, Message, Messages, ParseError, Pattern, PluralCategory};
pub use negotiate::{MAX_RANGES, negotiate};
pub use plural::{optional_categories, plural_categories, plural_category};

use message::Segment;

/// Named values for the placeholders of a message: `&[("name", &user), ("n", &count)]`.
pub type Args<'a> = [(&'a str, &'a dyn fmt::Display)];

/// The messages of every language, English always among them.
#[derive(Clone, Debug)]
pub struct Catalog {
    langs: BTreeMap<Lang, Messages>,
}

/// An available language and its name in itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Language<'a> {
    /// The tag.
    pub lang: Lang,
    /// The language's own name (`language.name`), such as "Português".
    pub name: &'a str,
}

/// Why a set of message files cannot make a catalog.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// A file is not a message file.
    #[error("{file}: {source}")]
    File {
        /// The file name (`<lang>.toml`).
        file: String,
        /// What is wrong.
        #[source]
        source: ParseError,
    },
    /// A file name is not a language tag.
    #[error("{file}: the name is not a language tag: {source}")]
    Tag {
        /// The file name.
        file: String,
        /// What is wrong.
        #[source]
        source: LangError,
    },
    /// Two files for one language (such as `pt_PT.toml` and `pt-PT.toml`).
    #[error("two files for the language `{0}`")]
    Duplicate(Lang),
    /// No `en.toml`.
    #[error("no English messages (en.toml): English is every language's fallback")]
    NoEnglish,
}

/// A difference between a language file and `en.toml`, or a message that reads wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The language whose file has the problem.
    pub lang: Lang,
    /// The key.
    pub key: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with one key of a language file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// In `en.toml` but not in this file.
    Missing,
    /// In this file but not in `en.toml`.
    Extra,
    /// Plural forms on one side, a single text on the other.
    KindMismatch,
    /// Placeholders differ from English.
    Placeholders {
        /// In English, not here.
        missing: Vec<String>,
        /// Here, not in English.
        extra: Vec<String>,
    },
    /// A plural form the language does not have (such as `few` in Portuguese).
    UnknownForm(PluralCategory),
    /// A plural form the language needs (such as `one` in Portuguese).
    MissingForm(PluralCategory),
    /// Only white space (allowed for the `format.*` keys, where it may be a separator).
    Blank,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.toml: `{}`: ", self.lang, self.key)?;
        match &self.kind {
            ProblemKind::Missing => f.write_str("missing (it is in en.toml)"),
            ProblemKind::Extra => f.write_str("not in en.toml"),
            ProblemKind::KindMismatch => f.write_str("plural forms in one file, a single text in the other"),
            ProblemKind::Placeholders { missing, extra } => {
                write!(f, "placeholders differ from en.toml: missing {missing:?}, extra {extra:?}")
            }
            ProblemKind::UnknownForm(c) => write!(f, "the language has no plural form `{}`", c.as_str()),
            ProblemKind::MissingForm(c) => write!(f, "the plural form `{}` is missing", c.as_str()),
            ProblemKind::Blank => f.write_str("the message is only white space"),
        }
    }
}

impl Catalog {
    /// The catalog of the files embedded at build time (parsed once).
    pub fn embedded() -> &'static Catalog {
        static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
            Catalog::from_sources(embedded::FILES.iter().copied())
                .unwrap_or_else(|e| panic!("the build script checked every message file, yet: {e}"))
        });
        &CATALOG
    }

    /// A catalog from `(file name, text)` pairs such as `("pt.toml", "language.name = …")`; the
    /// name without `.toml` is the language tag.
    pub fn from_sources<'a>(
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, LoadError> {
        let mut langs = BTreeMap::new();
        for (file, text) in sources {
            let stem = file.strip_suffix(".toml").unwrap_or(file);
            let lang =
                Lang::parse(stem).map_err(|source| LoadError::Tag { file: file.to_owned(), source })?;
            let messages =
                Messages::parse(text).map_err(|source| LoadError::File { file: file.to_owned(), source })?;
            if langs.insert(lang, messages).is_some() {
                return Err(LoadError::Duplicate(lang));
            }
        }
        if !langs.contains_key(&Lang::EN) {
            return Err(LoadError::NoEnglish);
        }
        Ok(Catalog { langs })
    }

    /// The available languages with their own names, in tag order.
    pub fn languages(&self) -> Vec<Language<'_>> {
        self.langs.iter().map(|(lang, m)| Language { lang: *lang, name: m.name() }).collect()
    }

    /// The available language tags, in order.
    pub fn available(&self) -> Vec<Lang> {
        self.langs.keys().copied().collect()
    }

    /// The messages of `lang`, if it has a file.
    pub fn messages(&self, lang: Lang) -> Option<&Messages> {
        self.langs.get(&lang)
    }

    /// The available language serving `lang`: itself, else its more general form (`pt-BR` →
    /// `pt`), else English. For a user's stored preference.
    pub fn resolve(&self, lang: Lang) -> Lang {
        self.chain(lang).into_iter().find(|l| self.langs.contains_key(l)).unwrap_or(Lang::EN)
    }

    /// The language of an `Accept-Language` header among the available ones ([`negotiate`]).
    pub fn negotiate(&self, accept_language: &str) -> Lang {
        negotiate(accept_language, &self.available())
    }

    /// `lang`, its more general forms, then English.
    fn chain(&self, lang: Lang) -> Vec<Lang> {
        let mut out = vec![lang];
        let mut at = lang;
        while let Some(parent) = at.parent() {
            out.push(parent);
            at = parent;
        }
        if !out.contains(&Lang::EN) {
            out.push(Lang::EN);
        }
        out
    }

    /// The message of `key` in the first language of `lang`'s fallback chain that has it, with that
    /// language.
    fn lookup(&self, lang: Lang, key: &str) -> Option<(Lang, &Message)> {
        self.chain(lang).into_iter().find_map(|l| self.langs.get(&l).and_then(|m| m.get(key)).map(|m| (l, m)))
    }

    /// The message `key` in `lang` with its placeholders filled from `args`; a placeholder without
    /// a value stays as `{name}`. Falls back to the more general language, then English, then the
    /// key itself. For plural forms, the `other` form.
    pub fn t(&self, lang: Lang, key: &str, args: &Args<'_>) -> String {
        self.lookup(lang, key)
            .and_then(|(_, m)| m.pattern(PluralCategory::Other))
            .map_or_else(|| key.to_owned(), |p| render(p, args, None))
    }

    /// The form of the plural message `key` for the count `n` by the CLDR rule of the language the
    /// message is found in, with `{n}` the count formatted for that language (unless `args` gives
    /// `n`) and the other placeholders from `args`. Fallbacks as [`Catalog::t`]; a form missing
    /// from the message gives its `other` form, and a single text serves every count.
    pub fn plural(&self, lang: Lang, key: &str, n: i64, args: &Args<'_>) -> String {
        let Some((found, message)) = self.lookup(lang, key) else {
            return key.to_owned();
        };
        let category = plural_category(found, n.unsigned_abs());
        match message.pattern(category) {
            Some(p) => render(p, args, Some(&self.format_int(found, n))),
            None => key.to_owned(),
        }
    }

    /// Every difference between a language file and `en.toml` (missing and extra keys, a single
    /// text against plural forms, different placeholders), every plural form a language does not
    /// have or needs, and every message of only white space; empty for a sound catalog.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let Some(english) = self.langs.get(&Lang::EN) else {
            return out;
        };
        for (lang, messages) in &self.langs {
            let mut problem = |key: &str, kind: ProblemKind| {
                out.push(Problem { lang: *lang, key: key.to_owned(), kind });
            };
            for (key, message) in messages.iter() {
                match english.get(key) {
                    None => problem(key, ProblemKind::Extra),
                    Some(en) if en.is_plural() != message.is_plural() => {
                        problem(key, ProblemKind::KindMismatch)
                    }
                    Some(en) => {
                        let (theirs, ours) = (en.placeholders(), message.placeholders());
                        if theirs != ours {
                            let missing = theirs.difference(&ours).map(|s| s.to_string()).collect();
                            let extra = ours.difference(&theirs).map(|s| s.to_string()).collect();
                            problem(key, ProblemKind::Placeholders { missing, extra });
                        }
                    }
                }
                let forms: BTreeSet<PluralCategory> = message.forms().into_iter().collect();
                if message.is_plural() {
                    for form in &forms {
                        if !plural_categories(*lang).contains(form) {
                            problem(key, ProblemKind::UnknownForm(*form));
                        }
                    }
                    for needed in plural_categories(*lang) {
                        if !forms.contains(needed) && !optional_categories(*lang).contains(needed) {
                            problem(key, ProblemKind::MissingForm(*needed));
                        }
                    }
                }
                if !key.starts_with("format.")
                    && message.patterns().iter().any(|p| p.source().trim().is_empty())
                {
                    problem(key, ProblemKind::Blank);
                }
            }
            for key in english.keys().filter(|k| messages.get(k).is_none()) {
                problem(key, ProblemKind::Missing);
            }
        }
        out
    }
}

/// The text of `pattern` with its placeholders filled from `args`, and `{n}` from `count` when
/// `args` has no `n`.
fn render(pattern: &Pattern, args: &Args<'_>, count: Option<&str>) -> String {
    let mut out = String::with_capacity(pattern.source().len() + 16);
    for segment in pattern.segments() {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Arg(name) => {
                if let Some((_, value)) = args.iter().find(|(k, _)| k == name) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "{value}");
                } else if let (Some(count), "n") = (count, name.as_str()) {
                    out.push_str(count);
                } else {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
    }
    out
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Lang::parse(&text).map_err(serde::de::Error::custom)
    }
}
