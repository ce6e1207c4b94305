//! Streaming readers for provider exports: CSV (any common delimiter, UTF-8 or Windows-1252),
//! XLSX and JSON Lines, behind one [`RowSource`] trait, hardened against hostile files.
//!
//! Every reader streams: memory is bounded by the [`Limits`] (the longest row), not by the file
//! size. Files are untrusted: sizes, column counts, cell lengths and row counts are capped, an
//! XLSX archive is inspected for zip bombs before it is unpacked, and nothing in a file can make
//! a reader panic. Errors ([`ReadError`]) name the file, row and column, never a value.
//!
//! ```no_run
//! use ingest::read::{ReadOptions, open};
//! let mut rows = open("export.csv".as_ref(), &ReadOptions::standard())?;
//! while rows.advance()? {
//!     for i in 0..rows.headers().len() {
//!         let _value: &str = rows.value(i);
//!     }
//! }
//! # Ok::<(), ingest::read::ReadError>(())
//! ```

mod delimited;
mod error;
mod jsonl;
mod xlsx;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{BombReason, ReadError};
pub use xlsx::XLSX_WORKER_THREAD;

/// Which text encoding a CSV file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// Windows-1252 (a superset of the printable Latin-1 range).
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Hard limits against hostile files. `Limits::standard()` gives the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (4 GiB).
    pub max_file_bytes: u64,
    /// Most columns in the header or any row (512).
    pub max_columns: usize,
    /// Longest value, in bytes as stored in the file (16 KiB).
    pub max_cell_bytes: usize,
    /// Most data rows (50 million).
    pub max_rows: u64,
    /// Largest declared uncompressed size of an XLSX archive, per entry and in total (1 GiB).
    pub max_xlsx_uncompressed_bytes: u64,
    /// Largest uncompressed/compressed ratio of an XLSX zip entry (100); entries under 1 MiB
    /// uncompressed are exempt, since tiny repetitive parts compress extremely well.
    pub max_xlsx_ratio: u64,
}

impl Limits {
    /// The default limits.
    pub fn standard() -> Limits {
        Limits {
            max_file_bytes: 4 << 30,
            max_columns: 512,
            max_cell_bytes: 16 << 10,
            max_rows: 50_000_000,
            max_xlsx_uncompressed_bytes: 1 << 30,
            max_xlsx_ratio: 100,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::standard()
    }
}

/// How to read a file: everything is detected unless set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// XLSX sheet name; `None` = the first sheet.
    pub sheet: Option<String>,
    /// CSV delimiter; `None` = detect among `,` `;` tab `|`.
    pub delimiter: Option<u8>,
    /// CSV encoding; `None` = detect (UTF-8 if the first MiB is valid UTF-8, else Windows-1252).
    pub encoding: Option<Encoding>,
    /// Hard limits.
    pub limits: Limits,
}

impl ReadOptions {
    /// Detect everything, standard limits.
    pub fn standard() -> ReadOptions {
        ReadOptions { sheet: None, delimiter: None, encoding: None, limits: Limits::standard() }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions::standard()
    }
}

/// A streaming table: a header row, then data rows. Implemented for CSV, XLSX and JSON Lines.
/// Sources are `Send`, so that a file can be read on its own thread.
#[allow(clippy::len_without_is_empty)] // `len` is the width of the current row, not a collection size
pub trait RowSource: Send {
    /// The file being read.
    fn file(&self) -> &Path;
    /// Column names, trimmed, non-empty and distinct.
    fn headers(&self) -> &[String];
    /// Advances to the next data row; Ok(false) at the end.
    fn advance(&mut self) -> Result<bool, ReadError>;
    /// 1-based data row number of the current row (the header is not counted).
    fn row(&self) -> u64;
    /// Number of values in the current row.
    fn len(&self) -> usize;
    /// Value of column i of the current row, "" if the row is shorter. Trimmed of surrounding whitespace.
    fn value(&self, i: usize) -> &str;
    /// What was detected / chosen (for reports): format, delimiter, encoding, sheet.
    fn describe(&self) -> String;
    /// Appends the current row's values to `batch` (see [`RowBatch::push_current`]).
    fn copy_row(&self, batch: &mut RowBatch) {
        batch.push_values(self);
    }
}

/// Rows copied out of a [`RowSource`] in one reused buffer, so that they can be checked and mapped
/// on other threads while the source reads on. Values are handed out trimmed, as
/// [`RowSource::value`] gives them.
#[derive(Debug, Default, Clone)]
pub struct RowBatch {
    /// Every value of every row, back to back.
    text: String,
    /// Where each value ends in `text`.
    ends: Vec<u32>,
    /// Per row: its 1-based data row number and the index of its first value in `ends`.
    rows: Vec<(u64, u32)>,
    /// Values per row.
    width: usize,
}

impl RowBatch {
    /// An empty batch of rows of `width` values.
    pub fn new(width: usize) -> RowBatch {
        RowBatch { width, ..RowBatch::default() }
    }

    /// Empties the batch (keeping its buffers).
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.rows.clear();
    }

    /// Copies the first `width` values of the source's current row (`""` past its end).
    pub fn push_current(&mut self, src: &dyn RowSource) {
        src.copy_row(self);
    }

    /// Copies the first `width` values one by one.
    fn push_values(&mut self, src: &(impl RowSource + ?Sized)) {
        let first = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.rows.push((src.row(), first));
        for i in 0..self.width {
            self.text.push_str(src.value(i));
            self.ends.push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        }
    }

    /// Copies the first `width` values of row `number` held, untrimmed, as [`Cells`].
    fn push_cells(&mut self, number: u64, cells: &Cells) {
        let first = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.rows.push((number, first));
        let n = cells.len().min(self.width);
        let upto = if n == 0 { 0 } else { cells.ends.get(n - 1).copied().unwrap_or(0) };
        let offset = self.text.len();
        self.text.push_str(cells.text.get(..upto).unwrap_or_default());
        for &end in cells.ends.iter().take(n) {
            self.ends.push(u32::try_from(offset + end).unwrap_or(u32::MAX));
        }
        let last = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        for _ in n..self.width {
            self.ends.push(last);
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the batch holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Bytes of values held.
    pub fn bytes(&self) -> usize {
        self.text.len()
    }

    /// Row `k` of the batch.
    pub fn row(&self, k: usize) -> BatchRow<'_> {
        let (number, first) = self.rows.get(k).copied().unwrap_or((0, 0));
        BatchRow { batch: self, number, first: first as usize }
    }
}

/// One row of a [`RowBatch`].
#[derive(Debug, Clone, Copy)]
pub struct BatchRow<'b> {
    batch: &'b RowBatch,
    number: u64,
    first: usize,
}

impl<'b> BatchRow<'b> {
    /// 1-based data row number in its file.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Value `i` (trimmed; `""` past the batch's width).
    pub fn value(&self, i: usize) -> &'b str {
        if i >= self.batch.width {
            return "";
        }
        let k = self.first + i;
        let end = self.batch.ends.get(k).map_or(0, |&e| e as usize);
        let start = if k == 0 { 0 } else { self.batch.ends.get(k - 1).map_or(0, |&e| e as usize) };
        trim(self.batch.text.get(start..end).unwrap_or_default())
    }
}

/// Opens a file by extension: .csv/.tsv/.txt → CSV, .xlsx → XLSX, .jsonl/.ndjson → JSON Lines;
/// anything else → [`ReadError::UnsupportedFormat`]. The header is read (and checked) here.
pub fn open(path: &Path, opts: &ReadOptions) -> Result<Box<dyn RowSource>, ReadError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let source: Box<dyn RowSource> = match ext.as_str() {
        "csv" | "tsv" | "txt" => Box::new(delimited::CsvSource::open(path, opts)?),
        "xlsx" => Box::new(xlsx::XlsxSource::open(path, opts)?),
        "jsonl" | "ndjson" => Box::new(jsonl::JsonLinesSource::open(path, opts)?),
        _ => return Err(ReadError::UnsupportedFormat { file: path.to_owned() }),
    };
    tracing::debug!(columns = source.headers().len(), format = %source.describe(), "file opened");
    Ok(source)
}

/// Opens `path` as a regular file no larger than the limit.
fn open_file(path: &Path, limits: &Limits) -> Result<std::fs::File, ReadError> {
    let io = |source| ReadError::Io { file: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file")));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(ReadError::FileTooLarge { file: path.to_owned(), limit: limits.max_file_bytes });
    }
    Ok(file)
}

/// Checks header names (already trimmed): none empty, none repeated.
fn check_headers(path: &Path, names: &[String]) -> Result<(), ReadError> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(ReadError::EmptyHeader { file: path.to_owned(), column: i + 1 });
        }
        if let Some(first) = seen.insert(name, i + 1) {
            return Err(ReadError::DuplicateHeader { file: path.to_owned(), column: i + 1, first });
        }
    }
    Ok(())
}

/// `s` without surrounding whitespace; the common case (printable ASCII at both ends) is checked
/// first, since `str::trim` walks Unicode whitespace tables.
fn trim(s: &str) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b.is_ascii());
    if printable(s.as_bytes().first()) && printable(s.as_bytes().last()) { s } else { s.trim() }
}

/// The values of one row kept in one reused buffer: `text` holds the values back to back and
/// `ends[i]` is where value `i` ends.
#[derive(Debug, Default)]
struct Cells {
    text: String,
    ends: Vec<usize>,
}

impl Cells {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Marks the end of the value just appended to `text`.
    fn end_value(&mut self) {
        self.ends.push(self.text.len());
    }

    /// Value `i`, trimmed; "" past the end.
    fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else { return "" };
        let start = if i == 0 { 0 } else { self.ends.get(i - 1).copied().unwrap_or(0) };
        trim(self.text.get(start..end).unwrap_or(""))
    }

    /// All values, trimmed, as owned strings (for the header).
    fn to_vec(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).to_owned()).collect()
    }
}
