//! The message file parser: one `data/i18n/<lang>.toml` into [`Messages`].
//!
//! A file is TOML whose keys are flattened into dotted keys (`nav.dashboard = "Dashboard"` and
//! `[nav] dashboard = "Dashboard"` are the same message). A value is either a string, or a table
//! of plural forms whose keys are CLDR plural categories (`zero`, `one`, `two`, `few`, `many`,
//! `other`; `other` is required):
//!
//! ```toml
//! language.name = "English"
//! nav.dashboard = "Dashboard"
//! layout.signed_in_as = "Signed in as {name}"
//! audit.events.one = "{n} event"
//! audit.events.other = "{n} events"
//! ```
//!
//! `{name}` is a placeholder (letters, digits and `_`); `{{` and `}}` write literal braces.
//! The plural category names are therefore reserved: a table with one of them holds plural forms
//! only. Every file must name its language in that language (`language.name`).
//!
//! This module is also compiled into the crate's build script, which parses every file so that
//! a malformed one fails the build with the file name, the key and the reason.

use std::collections::{BTreeMap, BTreeSet};

/// A CLDR plural category.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum PluralCategory {
    /// `zero` (for example Latvian 0, 10, 11).
    Zero,
    /// `one` (English and European Portuguese: exactly 1).
    One,
    /// `two`.
    Two,
    /// `few`.
    Few,
    /// `many` (in Portuguese, French, Spanish and Italian: whole millions).
    Many,
    /// `other`: every language has it, and it is the fallback of a missing form.
    Other,
}

impl PluralCategory {
    /// Every category, in CLDR order.
    pub const ALL: [PluralCategory; 6] = [
        PluralCategory::Zero,
        PluralCategory::One,
        PluralCategory::Two,
        PluralCategory::Few,
        PluralCategory::Many,
        PluralCategory::Other,
    ];

    /// The CLDR name (`one`, `other`, …), also the key of the form in a message file.
    pub fn as_str(self) -> &'static str {
        match self {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// The category of a CLDR name.
    pub fn from_name(name: &str) -> Option<PluralCategory> {
        PluralCategory::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// One piece of a message text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Literal text.
    Text(String),
    /// A `{name}` placeholder.
    Arg(String),
}

/// A message text split into literal text and `{name}` placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    source: String,
    segments: Vec<Segment>,
}

impl Pattern {
    /// Splits `text` into literal text and placeholders.
    pub fn parse(text: &str) -> Result<Pattern, EntryProblem> {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        let mut position = 0usize;
        while let Some((_, c)) = chars.next() {
            position += 1;
            match c {
                '{' if chars.peek().is_some_and(|&(_, n)| n == '{') => {
                    chars.next();
                    position += 1;
                    literal.push('{');
                }
                '{' => {
                    let at = position;
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, n)) => {
                                position += 1;
                                name.push(n);
                            }
                            None => return Err(EntryProblem::Unclosed { at }),
                        }
                    }
                    position += 1;
                    if !is_placeholder_name(&name) {
                        return Err(EntryProblem::BadPlaceholder { at });
                    }
                    if !literal.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut literal)));
                    }
                    segments.push(Segment::Arg(name));
                }
                '}' if chars.peek().is_some_and(|&(_, n)| n == '}') => {
                    chars.next();
                    position += 1;
                    literal.push('}');
                }
                '}' => return Err(EntryProblem::StrayBrace { at: position }),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            segments.push(Segment::Text(literal));
        }
        Ok(Pattern { source: text.to_owned(), segments })
    }

    /// The text as written in the file.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The names of the placeholders.
    pub fn placeholders(&self) -> BTreeSet<&str> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                Segment::Arg(name) => Some(name.as_str()),
                Segment::Text(_) => None,
            })
            .collect()
    }

    /// The pieces of the text.
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`.
fn is_placeholder_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// One message: a text, or plural forms chosen by a count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A text.
    Text(Pattern),
    /// Plural forms by category; `Other` is always present.
    Plural(BTreeMap<PluralCategory, Pattern>),
}

impl Message {
    /// Whether the message has plural forms.
    pub fn is_plural(&self) -> bool {
        matches!(self, Message::Plural(_))
    }

    /// The placeholders of the message (of all its forms together).
    pub fn placeholders(&self) -> BTreeSet<&str> {
        match self {
            Message::Text(p) => p.placeholders(),
            Message::Plural(forms) => forms.values().flat_map(Pattern::placeholders).collect(),
        }
    }

    /// The texts of the message: one for a text, one per form for plural forms.
    pub fn patterns(&self) -> Vec<&Pattern> {
        match self {
            Message::Text(p) => vec![p],
            Message::Plural(forms) => forms.values().collect(),
        }
    }

    /// The plural categories the message has forms for (empty for a text).
    pub fn forms(&self) -> Vec<PluralCategory> {
        match self {
            Message::Text(_) => Vec::new(),
            Message::Plural(forms) => forms.keys().copied().collect(),
        }
    }

    /// The text for `category`: its form, else `other` (a text serves every category). `None`
    /// only for plural forms without `other`, which the parser never makes.
    pub fn pattern(&self, category: PluralCategory) -> Option<&Pattern> {
        match self {
            Message::Text(p) => Some(p),
            Message::Plural(forms) => forms.get(&category).or_else(|| forms.get(&PluralCategory::Other)),
        }
    }
}

/// What is wrong with one entry of a message file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// A number, boolean, array or date where a message belongs.
    #[error("expected a string or a table of plural forms, found {0}")]
    NotText(&'static str),
    /// An empty string.
    #[error("the message is empty")]
    Empty,
    /// Plural forms without `other`.
    #[error("a plural message needs an `other` form")]
    NoOther,
    /// Plural forms next to keys that are not plural categories.
    #[error(
        "plural forms (zero, one, two, few, many, other) cannot share a table with other keys such as `{0}`"
    )]
    Mixed(String),
    /// A key part with characters other than letters, digits, `_` and `-`.
    #[error("key part `{0}` may only hold ASCII letters, digits, `_` and `-`")]
    BadKey(String),
    /// A `{` without its `}`.
    #[error("the `{{` at character {at} is not closed (write `{{{{` for a literal brace)")]
    Unclosed {
        /// Position of the brace, counting characters from 1.
        at: usize,
    },
    /// A `{…}` whose name is not a placeholder name.
    #[error(
        "the placeholder at character {at} is not a name of letters, digits and `_` (write `{{{{` for a literal brace)"
    )]
    BadPlaceholder {
        /// Position of the opening brace, counting characters from 1.
        at: usize,
    },
    /// A `}` that closes nothing.
    #[error("the `}}` at character {at} closes no placeholder (write `}}}}` for a literal brace)")]
    StrayBrace {
        /// Position of the brace, counting characters from 1.
        at: usize,
    },
}

/// Why a message file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not TOML (the message gives line and column).
    #[error("not valid TOML: {0}")]
    Toml(String),
    /// One entry is not a message.
    #[error("`{key}`: {problem}")]
    Entry {
        /// The dotted key.
        key: String,
        /// What is wrong with it.
        problem: EntryProblem,
    },
    /// No `language.name`.
    #[error("no `language.name`: every file names its language in that language (such as \"Português\")")]
    MissingName,
}

/// The messages of one language, by dotted key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Messages {
    entries: BTreeMap<String, Message>,
}

/// The key of a language's own name.
pub const LANGUAGE_NAME: &str = "language.name";

impl Messages {
    /// Parses the text of a message file.
    pub fn parse(text: &str) -> Result<Messages, ParseError> {
        let table: toml::Table =
            text.parse().map_err(|e: toml::de::Error| ParseError::Toml(e.to_string()))?;
        let mut entries = BTreeMap::new();
        flatten("", &table, &mut entries)?;
        match entries.get(LANGUAGE_NAME) {
            Some(Message::Text(_)) => Ok(Messages { entries }),
            _ => Err(ParseError::MissingName),
        }
    }

    /// The language's name in itself (`language.name`).
    pub fn name(&self) -> &str {
        match self.entries.get(LANGUAGE_NAME) {
            Some(Message::Text(p)) => p.source(),
            _ => "",
        }
    }

    /// The message of `key`.
    pub fn get(&self, key: &str) -> Option<&Message> {
        self.entries.get(key)
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Every message with its key, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Message)> {
        self.entries.iter().map(|(k, m)| (k.as_str(), m))
    }

    /// The number of messages.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no message.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn entry_error(key: &str, problem: EntryProblem) -> ParseError {
    ParseError::Entry { key: key.to_owned(), problem }
}

fn type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

fn text(key: &str, value: &str) -> Result<Pattern, ParseError> {
    if value.is_empty() {
        return Err(entry_error(key, EntryProblem::Empty));
    }
    Pattern::parse(value).map_err(|p| entry_error(key, p))
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, Message>) -> Result<(), ParseError> {
    for (part, value) in table {
        let key = if prefix.is_empty() { part.clone() } else { format!("{prefix}.{part}") };
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(entry_error(&key, EntryProblem::BadKey(part.clone())));
        }
        match value {
            toml::Value::String(s) => {
                out.insert(key.clone(), Message::Text(text(&key, s)?));
            }
            toml::Value::Table(t) if t.keys().any(|k| PluralCategory::from_name(k).is_some()) => {
                if let Some(stray) = t.keys().find(|k| PluralCategory::from_name(k).is_none()) {
                    return Err(entry_error(&key, EntryProblem::Mixed(stray.clone())));
                }
                let mut forms = BTreeMap::new();
                for (name, form) in t {
                    let form_key = format!("{key}.{name}");
                    let toml::Value::String(s) = form else {
                        return Err(entry_error(&form_key, EntryProblem::NotText(type_name(form))));
                    };
                    let category = PluralCategory::from_name(name).unwrap_or(PluralCategory::Other);
                    forms.insert(category, text(&form_key, s)?);
                }
                if !forms.contains_key(&PluralCategory::Other) {
                    return Err(entry_error(&key, EntryProblem::NoOther));
                }
                out.insert(key, Message::Plural(forms));
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            other => return Err(entry_error(&key, EntryProblem::NotText(type_name(other)))),
        }
    }
    Ok(())
}
