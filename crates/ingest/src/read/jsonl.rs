//! JSON Lines: one JSON object per line, keys are columns.
//!
//! The header is the union of the keys of the first [`HEADER_LINES`] non-blank lines, in the
//! order first seen (a first pass over the file, which is then rewound, so nothing is buffered).
//! A later line with a key outside the header is an error naming the key (keys are schema, not
//! values). Values: strings as is, numbers as written, booleans true/false, null "", arrays of
//! scalars joined with `|`; an object (or an array holding an array or object) is an error.
//! Blank lines are skipped and not counted as rows.
//!
//! serde_json's messages can quote values (`invalid type: string "…"`), so they are never shown:
//! errors are built from the error category and column, or from what the visitor recorded.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Limits, ReadError, ReadOptions, RowSource, check_headers, open_file};

/// Lines whose keys make the header.
pub(crate) const HEADER_LINES: u64 = 1000;

/// A JSON Lines file being read.
pub(super) struct JsonLinesSource {
    path: PathBuf,
    headers: Vec<String>,
    columns: BTreeMap<String, usize>,
    input: BufReader<File>,
    limits: Limits,
    max_line: usize,
    line: Vec<u8>,
    /// Values of the current row back to back, and each column's span in it (absent = empty).
    text: String,
    spans: Vec<Option<(usize, usize)>>,
    row: u64,
    done: bool,
}

impl JsonLinesSource {
    /// Opens the file, collects the header from the first lines, rewinds.
    pub(super) fn open(path: &Path, opts: &ReadOptions) -> Result<JsonLinesSource, ReadError> {
        let limits = opts.limits;
        let file = open_file(path, &limits)?;
        // A line holds at most `max_columns` values of `max_cell_bytes`, escapes, keys and
        // punctuation: allow twice that.
        let max_line =
            limits.max_columns.saturating_mul(limits.max_cell_bytes).saturating_mul(2).max(64 << 10);
        let mut source = JsonLinesSource {
            path: path.to_owned(),
            headers: Vec::new(),
            columns: BTreeMap::new(),
            input: BufReader::with_capacity(64 << 10, file),
            limits,
            max_line,
            line: Vec::new(),
            text: String::new(),
            spans: Vec::new(),
            row: 0,
            done: false,
        };
        while source.row < HEADER_LINES && source.next_line()? {
            source.parse(true)?;
        }
        if source.headers.is_empty() {
            return Err(ReadError::Empty { file: path.to_owned() });
        }
        check_headers(path, &source.headers)?;
        source.input.rewind().map_err(|e| source.io(e))?;
        source.row = 0;
        source.clear_row();
        tracing::debug!(columns = source.headers.len(), "JSON Lines header read");
        Ok(source)
    }

    fn io(&self, source: std::io::Error) -> ReadError {
        ReadError::Io { file: self.path.clone(), source }
    }

    fn clear_row(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.spans.resize(self.headers.len(), None);
    }

    /// Reads the next non-blank line into `self.line` and counts it; Ok(false) at the end.
    fn next_line(&mut self) -> Result<bool, ReadError> {
        loop {
            self.line.clear();
            let mut any = false;
            loop {
                let buf = self
                    .input
                    .fill_buf()
                    .map_err(|e| ReadError::Io { file: self.path.clone(), source: e })?;
                if buf.is_empty() {
                    break;
                }
                any = true;
                let (take, newline) = match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (i, true),
                    None => (buf.len(), false),
                };
                if self.line.len() + take > self.max_line {
                    return Err(ReadError::LineTooLong {
                        file: self.path.clone(),
                        row: self.row + 1,
                        limit: self.max_line,
                    });
                }
                self.line.extend_from_slice(buf.get(..take).unwrap_or_default());
                self.input.consume(take + usize::from(newline));
                if newline {
                    break;
                }
            }
            if !any {
                return Ok(false);
            }
            let content = self.line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.line);
            if content.iter().any(|b| !b.is_ascii_whitespace()) {
                self.row += 1;
                return Ok(true);
            }
        }
    }

    /// Parses `self.line` as row `self.row`: collecting header keys, or filling the row's values.
    fn parse(&mut self, collect: bool) -> Result<(), ReadError> {
        let line = self.line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&self.line);
        if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ReadError::JsonNotObject { file: self.path.clone(), row: self.row });
        }
        let mut problem = None;
        let mode = if collect {
            Mode::Collect { headers: &mut self.headers, columns: &mut self.columns }
        } else {
            self.text.clear();
            self.spans.clear();
            self.spans.resize(self.headers.len(), None);
            Mode::Fill { columns: &self.columns, text: &mut self.text, spans: &mut self.spans }
        };
        let seed = RowSeed { mode, problem: &mut problem, limits: &self.limits };
        let mut de = serde_json::Deserializer::from_slice(line);
        let result = seed.deserialize(&mut de).and_then(|()| de.end());
        let file = self.path.clone();
        let row = self.row;
        match (problem, result) {
            (Some(p), _) => Err(p.into_error(file, row, &self.limits)),
            (None, Ok(())) => Ok(()),
            (None, Err(e)) => Err(ReadError::Json { file, row, message: json_message(&e) }),
        }
    }
}

impl RowSource for JsonLinesSource {
    fn file(&self) -> &Path {
        &self.path
    }

    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn advance(&mut self) -> Result<bool, ReadError> {
        if self.done {
            return Ok(false);
        }
        let result = self.next_line().and_then(|more| {
            if !more {
                return Ok(false);
            }
            if self.row > self.limits.max_rows {
                return Err(ReadError::TooManyRows { file: self.path.clone(), limit: self.limits.max_rows });
            }
            self.parse(false).map(|()| true)
        });
        match result {
            Ok(true) => Ok(true),
            other => {
                self.done = true;
                self.clear_row();
                other
            }
        }
    }

    fn row(&self) -> u64 {
        self.row
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn value(&self, i: usize) -> &str {
        match self.spans.get(i) {
            Some(Some((start, end))) => super::trim(self.text.get(*start..*end).unwrap_or("")),
            _ => "",
        }
    }

    fn describe(&self) -> String {
        format!("JSON Lines, UTF-8, header from the keys of the first {HEADER_LINES} lines")
    }
}

/// A fixed, value-free message for a serde_json error.
fn json_message(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "the line ends inside a JSON value".to_owned(),
        serde_json::error::Category::Syntax => format!("not valid JSON (column {})", e.column()),
        serde_json::error::Category::Data | serde_json::error::Category::Io => {
            format!("unexpected JSON value (column {})", e.column())
        }
    }
}

/// What went wrong inside the visitor, recorded before serde's error (which may quote values).
enum Problem {
    Nested(String),
    UnknownKey(String),
    DuplicateKey(String),
    TooManyKeys,
    CellTooLarge(usize),
    BadValue(String),
}

impl Problem {
    fn into_error(self, file: PathBuf, row: u64, limits: &Limits) -> ReadError {
        match self {
            Problem::Nested(key) => ReadError::JsonNestedValue { file, row, key },
            Problem::UnknownKey(key) => ReadError::Json {
                file,
                row,
                message: format!("key {key:?} is not among the keys of the first {HEADER_LINES} lines"),
            },
            Problem::DuplicateKey(key) => {
                ReadError::Json { file, row, message: format!("key {key:?} appears twice") }
            }
            Problem::TooManyKeys => ReadError::TooManyColumns { file, row, limit: limits.max_columns },
            Problem::CellTooLarge(column) => {
                ReadError::CellTooLarge { file, row, column, limit: limits.max_cell_bytes }
            }
            Problem::BadValue(key) => {
                ReadError::Json { file, row, message: format!("the value of key {key:?} is not valid JSON") }
            }
        }
    }
}

/// Collecting header keys (first pass) or filling a row's values.
enum Mode<'a> {
    Collect {
        headers: &'a mut Vec<String>,
        columns: &'a mut BTreeMap<String, usize>,
    },
    Fill {
        columns: &'a BTreeMap<String, usize>,
        text: &'a mut String,
        spans: &'a mut [Option<(usize, usize)>],
    },
}

/// Deserializes one line's object.
struct RowSeed<'a, 'p> {
    mode: Mode<'a>,
    problem: &'p mut Option<Problem>,
    limits: &'a Limits,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen_in_line: Vec<String> = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let value: &'de RawValue = map.next_value()?;
            let key = key.trim();
            let problem = match &mut self.mode {
                Mode::Collect { headers, columns } => {
                    if seen_in_line.iter().any(|k| k == key) {
                        Some(Problem::DuplicateKey(key.to_owned()))
                    } else {
                        seen_in_line.push(key.to_owned());
                        let check = check_value(key, value, &mut String::new());
                        if check.is_none() && !columns.contains_key(key) {
                            if headers.len() >= self.limits.max_columns {
                                Some(Problem::TooManyKeys)
                            } else {
                                columns.insert(key.to_owned(), headers.len());
                                headers.push(key.to_owned());
                                None
                            }
                        } else {
                            check
                        }
                    }
                }
                Mode::Fill { columns, text, spans } => match columns.get(key) {
                    None => Some(Problem::UnknownKey(key.to_owned())),
                    Some(&i) if spans.get(i).is_some_and(Option::is_some) => {
                        Some(Problem::DuplicateKey(key.to_owned()))
                    }
                    Some(&i) => {
                        let start = text.len();
                        match check_value(key, value, text) {
                            Some(p) => Some(p),
                            None if text.len() - start > self.limits.max_cell_bytes => {
                                Some(Problem::CellTooLarge(i + 1))
                            }
                            None => {
                                if let Some(span) = spans.get_mut(i) {
                                    *span = Some((start, text.len()));
                                }
                                None
                            }
                        }
                    }
                },
            };
            if let Some(p) = problem {
                *self.problem = Some(p);
                return Err(de::Error::custom("row problem"));
            }
        }
        Ok(())
    }
}

/// Appends the text of `value` to `out`; a problem if it is nested or not valid.
fn check_value(key: &str, value: &RawValue, out: &mut String) -> Option<Problem> {
    let raw = value.get();
    match raw.as_bytes().first() {
        Some(b'{') => Some(Problem::Nested(key.to_owned())),
        Some(b'[') => {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw) else {
                return Some(Problem::BadValue(key.to_owned()));
            };
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push('|');
                }
                if matches!(item.get().as_bytes().first(), Some(b'{' | b'[')) {
                    return Some(Problem::Nested(key.to_owned()));
                }
                if let Some(p) = check_value(key, item, out) {
                    return Some(p);
                }
            }
            None
        }
        Some(b'"') => {
            let mut de = serde_json::Deserializer::from_str(raw);
            match de.deserialize_str(AppendStr(out)) {
                Ok(()) => None,
                Err(_) => Some(Problem::BadValue(key.to_owned())),
            }
        }
        Some(b'n') => None,
        // Numbers as written, true, false.
        Some(_) => {
            out.push_str(raw);
            None
        }
        None => Some(Problem::BadValue(key.to_owned())),
    }
}

/// A map key, borrowed from the line when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Appends a JSON string's content to a buffer.
struct AppendStr<'a>(&'a mut String);

impl<'de> Visitor<'de> for AppendStr<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}
