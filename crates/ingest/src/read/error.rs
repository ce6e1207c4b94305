//! The error type of the streaming readers: every variant names the file and, where it helps, the
//! data row, the column number or a key of the file's schema — never a cell value, which may be
//! personal data.

use std::path::PathBuf;

/// Why an XLSX archive was refused before it was unpacked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BombReason {
    /// The declared uncompressed size of one entry is over the limit.
    #[error("declares {declared} bytes uncompressed, over the limit of {limit}")]
    EntryTooLarge {
        /// Declared uncompressed size.
        declared: u64,
        /// The limit.
        limit: u64,
    },
    /// The declared uncompressed sizes of all entries add up to more than the limit.
    #[error("brings the declared uncompressed total over the limit of {limit} bytes")]
    TotalTooLarge {
        /// The limit.
        limit: u64,
    },
    /// The entry inflates more than the allowed ratio.
    #[error("declares {declared} bytes uncompressed from {compressed} compressed, over the ratio of {limit}")]
    Ratio {
        /// Declared uncompressed size.
        declared: u64,
        /// Compressed size.
        compressed: u64,
        /// The largest ratio allowed.
        limit: u64,
    },
    /// The archive has more entries than any workbook needs.
    #[error("is one of more than {limit} entries")]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
}

/// A problem reading a provider file. Row numbers are 1-based data rows (the header is not
/// counted); row 0 means the header row.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be opened or read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The extension is not one of the supported formats.
    #[error("{file}: unsupported file type (expected .csv, .tsv, .txt, .xlsx, .jsonl or .ndjson)")]
    UnsupportedFormat {
        /// The file.
        file: PathBuf,
    },
    /// The file has no header row.
    #[error("{file}: the file is empty (no header row)")]
    Empty {
        /// The file.
        file: PathBuf,
    },
    /// The file is UTF-16 text, which is not read.
    #[error("{file}: the file is UTF-16 text; save it as UTF-8 (or Windows-1252)")]
    Utf16 {
        /// The file.
        file: PathBuf,
    },
    /// A row is not valid in the file's encoding (UTF-8 detected or chosen from the start).
    #[error("{file}: {}: not valid UTF-8", at(*row))]
    Encoding {
        /// The file.
        file: PathBuf,
        /// Data row (0 = header).
        row: u64,
    },
    /// The CSV structure cannot be read.
    #[error("{file}: {}: not valid CSV", at(*row))]
    Csv {
        /// The file.
        file: PathBuf,
        /// Data row (0 = header).
        row: u64,
    },
    /// A row has more columns than allowed.
    #[error("{file}: {}: more than {limit} columns", at(*row))]
    TooManyColumns {
        /// The file.
        file: PathBuf,
        /// Data row (0 = header).
        row: u64,
        /// The limit.
        limit: usize,
    },
    /// A value is longer than allowed.
    #[error("{file}: {}, column {column}: value longer than {limit} bytes", at(*row))]
    CellTooLarge {
        /// The file.
        file: PathBuf,
        /// Data row (0 = header).
        row: u64,
        /// 1-based column number.
        column: usize,
        /// The limit.
        limit: usize,
    },
    /// A JSON line is longer than any allowed row could be.
    #[error("{file}: {}: line longer than {limit} bytes", at(*row))]
    LineTooLong {
        /// The file.
        file: PathBuf,
        /// Data row.
        row: u64,
        /// The limit.
        limit: usize,
    },
    /// The file has more data rows than allowed.
    #[error("{file}: more than {limit} data rows")]
    TooManyRows {
        /// The file.
        file: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// The file is larger than allowed.
    #[error("{file}: the file is larger than {limit} bytes")]
    FileTooLarge {
        /// The file.
        file: PathBuf,
        /// The limit.
        limit: u64,
    },
    /// An XLSX archive was refused before unpacking (a possible zip bomb).
    #[error("{file}: refused as a possible zip bomb: entry {entry:?} {reason}")]
    XlsxBomb {
        /// The file.
        file: PathBuf,
        /// Name of the zip entry.
        entry: String,
        /// What is over the limits.
        reason: BombReason,
    },
    /// The workbook cannot be read (the message never holds cell values).
    #[error("{file}: not a readable XLSX workbook: {message}")]
    Xlsx {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The sheet asked for is not in the workbook.
    #[error("{file}: the workbook has no sheet named {sheet:?}")]
    NoSuchSheet {
        /// The file.
        file: PathBuf,
        /// The sheet name from the options.
        sheet: String,
    },
    /// A header name is empty.
    #[error("{file}: header column {column} has no name")]
    EmptyHeader {
        /// The file.
        file: PathBuf,
        /// 1-based column number.
        column: usize,
    },
    /// A header name appears twice.
    #[error("{file}: header column {column} repeats the name of column {first}")]
    DuplicateHeader {
        /// The file.
        file: PathBuf,
        /// 1-based column number of the repetition.
        column: usize,
        /// 1-based column number of the first occurrence.
        first: usize,
    },
    /// A JSON line cannot be read (the message never holds values; it may name a key).
    #[error("{file}: {}: {message}", at(*row))]
    Json {
        /// The file.
        file: PathBuf,
        /// Data row.
        row: u64,
        /// What is wrong.
        message: String,
    },
    /// A JSON line is not an object.
    #[error("{file}: {}: not a JSON object", at(*row))]
    JsonNotObject {
        /// The file.
        file: PathBuf,
        /// Data row.
        row: u64,
    },
    /// A JSON value is an object (or an array holding one), not a scalar.
    #[error("{file}: {}: the value of key {key:?} is nested (objects are not read)", at(*row))]
    JsonNestedValue {
        /// The file.
        file: PathBuf,
        /// Data row.
        row: u64,
        /// The key.
        key: String,
    },
}

/// "header" for row 0, else "row N".
fn at(row: u64) -> String {
    if row == 0 { "header".to_owned() } else { format!("row {row}") }
}
