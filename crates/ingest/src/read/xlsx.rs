//! XLSX workbooks: the zip archive is inspected for bombs, then one sheet is streamed with
//! calamine's cell reader.
//!
//! Before calamine sees the file, every zip entry's declared sizes are checked against
//! [`Limits::max_xlsx_uncompressed_bytes`] (per entry and in total) and
//! [`Limits::max_xlsx_ratio`], from the central directory alone, without inflating anything. The
//! `zip` crate (≥ 9) then stops any entry that inflates past its declared size, so the declared
//! sizes bound what calamine can unpack.
//!
//! calamine's cell reader borrows the workbook, so it runs on a worker thread that owns both and
//! sends rows in batches over a bounded channel: memory stays bounded by a few batches (plus the
//! workbook's shared strings, which calamine keeps in memory), whatever the sheet's size. Sparse
//! cells are never expanded into a dense range, so a cell at XFD1048576 costs nothing.
//!
//! The header is the first row that has a value; trailing empty cells are dropped. A data row's
//! number is its sheet row minus the header's sheet row, so row N is N rows below the header as
//! the user sees it in a spreadsheet; rows without any value are skipped.

use std::fs::File;
use std::io::{BufReader, Seek};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError};

use super::{BombReason, Cells, Limits, ReadError, ReadOptions, RowSource, check_headers, open_file};

/// Entries below this uncompressed size are exempt from the ratio check.
const RATIO_EXEMPT_BYTES: u64 = 1 << 20;
/// Most zip entries accepted (a workbook has tens, hundreds with many sheets or images).
const MAX_ENTRIES: usize = 10_000;
/// A batch is sent when it has this many rows …
const BATCH_ROWS: usize = 1024;
/// … or this much text.
const BATCH_BYTES: usize = 1 << 20;
/// Batches in flight between the worker and the reader.
const CHANNEL_BATCHES: usize = 2;
/// Name of the worker threads. Everything calamine does runs on them, so a panic inside calamine
/// (0.38 has unchecked arithmetic on cell references, tafia/calamine#709) ends the worker, not
/// the caller, who gets [`ReadError::Xlsx`].
pub const XLSX_WORKER_THREAD: &str = "ingest-xlsx-reader";

/// Rows sent by the worker: values back to back in `cells`, `rows[j] = (row number, index in
/// cells.ends one past the row's last value)`.
#[derive(Debug, Default)]
struct Batch {
    cells: Cells,
    rows: Vec<(u64, usize)>,
}

/// What the worker sends: the header, batches of rows, then the
/// end or an error. A worker that stops without either has panicked (see [`XLSX_WORKER_THREAD`]).
enum Message {
    Header { sheet: String, headers: Vec<String> },
    Rows(Batch),
    Failed(ReadError),
    End,
}

/// An XLSX sheet being read.
pub(super) struct XlsxSource {
    path: PathBuf,
    sheet: String,
    headers: Vec<String>,
    receiver: Option<Receiver<Message>>,
    worker: Option<JoinHandle<()>>,
    batch: Batch,
    /// Index in `batch.rows` of the current row.
    current: usize,
    /// Range of the current row's values in `batch.cells.ends`.
    first_value: usize,
    end_value: usize,
    row: u64,
    done: bool,
}

impl XlsxSource {
    /// Checks the archive, starts the worker (which opens the workbook) and reads the header.
    pub(super) fn open(path: &Path, opts: &ReadOptions) -> Result<XlsxSource, ReadError> {
        let limits = opts.limits;
        let mut file = open_file(path, &limits)?;
        check_archive(path, &mut file, &limits)?;
        file.rewind().map_err(|source| ReadError::Io { file: path.to_owned(), source })?;
        let (sender, receiver) = sync_channel(CHANNEL_BATCHES);
        let worker = {
            let (file_path, wanted) = (path.to_owned(), opts.sheet.clone());
            std::thread::Builder::new()
                .name(XLSX_WORKER_THREAD.to_owned())
                .spawn(move || {
                    let message = match stream_sheet(&file_path, file, wanted, &limits, &sender) {
                        Ok(()) => Message::End,
                        Err(e) => Message::Failed(e),
                    };
                    // The reader may be gone (dropped early): nothing left to do then.
                    let _ = sender.send(message);
                })
                .map_err(|source| ReadError::Io { file: path.to_owned(), source })?
        };
        let mut source = XlsxSource {
            path: path.to_owned(),
            sheet: String::new(),
            headers: Vec::new(),
            receiver: Some(receiver),
            worker: Some(worker),
            batch: Batch::default(),
            current: 0,
            first_value: 0,
            end_value: 0,
            row: 0,
            done: false,
        };
        match source.receive()? {
            Message::Header { sheet, headers } => {
                source.sheet = sheet;
                source.headers = headers;
            }
            Message::Failed(e) => return Err(e),
            Message::Rows(_) | Message::End => return Err(source.stopped()),
        }
        check_headers(path, &source.headers)?;
        tracing::debug!(columns = source.headers.len(), "XLSX header read");
        Ok(source)
    }

    fn receive(&mut self) -> Result<Message, ReadError> {
        let message = self.receiver.as_ref().and_then(|r| r.recv().ok());
        message.ok_or_else(|| self.stopped())
    }

    fn stopped(&self) -> ReadError {
        ReadError::Xlsx {
            file: self.path.clone(),
            message: "the XLSX parser failed on this workbook".to_owned(),
        }
    }

    fn select(&mut self, j: usize) {
        self.current = j;
        self.first_value = if j == 0 { 0 } else { self.batch.rows.get(j - 1).map_or(0, |r| r.1) };
        let (row, end) = self.batch.rows.get(j).copied().unwrap_or((0, self.first_value));
        self.row = row;
        self.end_value = end;
    }

    fn finish(&mut self) {
        self.done = true;
        self.batch = Batch::default();
        self.select(0);
    }
}

impl Drop for XlsxSource {
    fn drop(&mut self) {
        // Dropping the receiver makes the worker's next send fail, and the worker returns.
        self.receiver = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl RowSource for XlsxSource {
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
        if self.current + 1 < self.batch.rows.len() {
            self.select(self.current + 1);
            return Ok(true);
        }
        loop {
            match self.receive() {
                Ok(Message::Rows(batch)) if !batch.rows.is_empty() => {
                    self.batch = batch;
                    self.select(0);
                    return Ok(true);
                }
                Ok(Message::Rows(_)) => {}
                Ok(Message::End) => {
                    self.finish();
                    return Ok(false);
                }
                Ok(Message::Failed(e)) | Err(e) => {
                    self.finish();
                    return Err(e);
                }
                Ok(Message::Header { .. }) => {
                    self.finish();
                    return Err(self.stopped());
                }
            }
        }
    }

    fn row(&self) -> u64 {
        self.row
    }

    fn len(&self) -> usize {
        self.end_value - self.first_value
    }

    fn value(&self, i: usize) -> &str {
        if i >= self.len() {
            return "";
        }
        self.batch.cells.get(self.first_value + i)
    }

    fn describe(&self) -> String {
        format!("XLSX, sheet {:?}", self.sheet)
    }
}

/// Refuses archives whose declared sizes are over the limits, reading only the central directory.
fn check_archive(path: &Path, file: &mut File, limits: &Limits) -> Result<(), ReadError> {
    let not_zip = |_| ReadError::Xlsx { file: path.to_owned(), message: "not a zip archive".to_owned() };
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(not_zip)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(not_zip)?;
        let bomb = |reason| ReadError::XlsxBomb {
            file: path.to_owned(),
            entry: String::from_utf8_lossy(entry.name_raw()).into_owned(),
            reason,
        };
        if i >= MAX_ENTRIES {
            return Err(bomb(BombReason::TooManyEntries { limit: MAX_ENTRIES }));
        }
        let (declared, compressed) = (entry.size(), entry.compressed_size());
        if declared > limits.max_xlsx_uncompressed_bytes {
            return Err(bomb(BombReason::EntryTooLarge {
                declared,
                limit: limits.max_xlsx_uncompressed_bytes,
            }));
        }
        if declared > RATIO_EXEMPT_BYTES && declared > compressed.saturating_mul(limits.max_xlsx_ratio) {
            return Err(bomb(BombReason::Ratio { declared, compressed, limit: limits.max_xlsx_ratio }));
        }
        total = total.saturating_add(declared);
        if total > limits.max_xlsx_uncompressed_bytes {
            return Err(bomb(BombReason::TotalTooLarge { limit: limits.max_xlsx_uncompressed_bytes }));
        }
    }
    Ok(())
}

/// Runs on the worker: opens the workbook, finds the sheet, sends the header, then batches of
/// rows, checking the limits.
fn stream_sheet(
    path: &Path,
    file: File,
    wanted: Option<String>,
    limits: &Limits,
    sender: &SyncSender<Message>,
) -> Result<(), ReadError> {
    let mut workbook: Xlsx<BufReader<File>> =
        Xlsx::new(BufReader::new(file)).map_err(|e| xlsx_error(path, e))?;
    let sheet = match wanted {
        Some(name) => {
            if !workbook.sheet_names().contains(&name) {
                return Err(ReadError::NoSuchSheet { file: path.to_owned(), sheet: name });
            }
            name
        }
        None => workbook
            .sheets_metadata()
            .iter()
            .find(|s| s.typ == SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .ok_or_else(|| ReadError::Xlsx { file: path.to_owned(), message: "no worksheet".to_owned() })?,
    };
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(|e| xlsx_error(path, e))?;
    let mut state = SheetState {
        path,
        limits,
        sender,
        sheet,
        header_row: None,
        row: Cells::default(),
        row_number: None,
        last_value: 0,
        rows: 0,
        batch: Batch::default(),
    };
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(path, e))? {
        let (r, c) = cell.get_position();
        if state.row_number != Some(r) {
            if state.row_number.is_some_and(|n| r < n) {
                return Err(ReadError::Xlsx {
                    file: path.to_owned(),
                    message: "rows out of order".to_owned(),
                });
            }
            if !state.end_row()? {
                return Ok(());
            }
            state.row_number = Some(r);
        }
        state.add_cell(c, cell.get_value())?;
    }
    if !state.end_row()? || !state.flush()? {
        return Ok(());
    }
    if state.header_row.is_none() {
        return Err(ReadError::Empty { file: path.to_owned() });
    }
    Ok(())
}

/// The worker's state while streaming a sheet.
struct SheetState<'a> {
    path: &'a Path,
    limits: &'a Limits,
    sender: &'a SyncSender<Message>,
    /// The sheet's name (sent with the header).
    sheet: String,
    /// Sheet row (0-based) of the header, once found.
    header_row: Option<u32>,
    /// The row being assembled, its sheet row, and how many of its values are up to the last
    /// non-empty one.
    row: Cells,
    row_number: Option<u32>,
    last_value: usize,
    /// Data rows sent so far.
    rows: u64,
    batch: Batch,
}

impl SheetState<'_> {
    /// Data row number of the row being assembled (0 while it is the header).
    fn data_row(&self) -> u64 {
        match (self.header_row, self.row_number) {
            (Some(h), Some(r)) => u64::from(r.saturating_sub(h)),
            _ => 0,
        }
    }

    fn add_cell(&mut self, column: u32, value: &DataRef<'_>) -> Result<(), ReadError> {
        let column = column as usize;
        if column >= self.limits.max_columns {
            let limit = self.limits.max_columns;
            return Err(ReadError::TooManyColumns {
                file: self.path.to_owned(),
                row: self.data_row(),
                limit,
            });
        }
        if column < self.row.len() {
            return Err(ReadError::Xlsx {
                file: self.path.to_owned(),
                message: format!("cells out of order in column {}", column + 1),
            });
        }
        while self.row.len() < column {
            self.row.end_value();
        }
        let start = self.row.text.len();
        render(value, &mut self.row.text);
        if self.row.text.len() - start > self.limits.max_cell_bytes {
            let limit = self.limits.max_cell_bytes;
            return Err(ReadError::CellTooLarge {
                file: self.path.to_owned(),
                row: self.data_row(),
                column: column + 1,
                limit,
            });
        }
        let empty = self.row.text.get(start..).is_none_or(|t| t.trim().is_empty());
        self.row.end_value();
        if !empty {
            self.last_value = self.row.len();
        }
        Ok(())
    }

    /// Ends the row being assembled: the header, a data row, or nothing if it has no value.
    /// Ok(false) if the reader is gone.
    fn end_row(&mut self) -> Result<bool, ReadError> {
        let width = self.last_value;
        self.last_value = 0;
        if width == 0 {
            self.row.clear();
            return Ok(true);
        }
        self.row.ends.truncate(width);
        if self.header_row.is_none() {
            self.header_row = self.row_number;
            let headers = self.row.to_vec();
            self.row.clear();
            let sheet = std::mem::take(&mut self.sheet);
            return Ok(self.sender.send(Message::Header { sheet, headers }).is_ok());
        }
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            return Err(ReadError::TooManyRows { file: self.path.to_owned(), limit: self.limits.max_rows });
        }
        let offset = self.batch.cells.text.len();
        self.batch.cells.text.push_str(&self.row.text);
        self.batch.cells.ends.extend(self.row.ends.iter().map(|e| e + offset));
        self.batch.rows.push((self.data_row(), self.batch.cells.ends.len()));
        self.row.clear();
        if self.batch.rows.len() >= BATCH_ROWS || self.batch.cells.text.len() >= BATCH_BYTES {
            return self.flush();
        }
        Ok(true)
    }

    /// Sends the batch; Ok(false) if the reader is gone.
    fn flush(&mut self) -> Result<bool, ReadError> {
        if self.batch.rows.is_empty() {
            return Ok(true);
        }
        let batch = std::mem::take(&mut self.batch);
        Ok(self.sender.send(Message::Rows(batch)).is_ok())
    }
}

/// Appends a cell's text: strings as is, integers without ".0", floats in their shortest form,
/// booleans true/false, dates YYYY-MM-DD, date-times YYYY-MM-DDTHH:MM:SS, errors as Excel
/// writes them (#N/A …), empty as "".
fn render(value: &DataRef<'_>, out: &mut String) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::SharedString(s) => {
            out.push_str(s);
            Ok(())
        }
        DataRef::Int(i) => write!(out, "{i}"),
        DataRef::Float(f) => write!(out, "{f}"),
        DataRef::Bool(b) => write!(out, "{b}"),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                write!(out, "{y:04}-{mo:02}-{d:02}")
            } else {
                write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTime(dt) => write!(out, "{}", dt.as_f64()),
        DataRef::Error(e) => write!(out, "{e}"),
        DataRef::Empty => Ok(()),
    };
}

/// Maps a calamine error to a message that cannot hold a cell value (some calamine messages
/// quote the offending text).
fn xlsx_error(path: &Path, e: XlsxError) -> ReadError {
    let message = match e {
        XlsxError::Io(source) => return ReadError::Io { file: path.to_owned(), source },
        XlsxError::WorksheetNotFound(sheet) => {
            return ReadError::NoSuchSheet { file: path.to_owned(), sheet };
        }
        XlsxError::Zip(_) => "the zip archive is damaged",
        XlsxError::Password => "the workbook is password protected",
        XlsxError::Xml(_) | XlsxError::XmlAttr(_) | XlsxError::Encoding(_) => "malformed XML",
        XlsxError::XmlEof(_) => "an XML part ends too early",
        XlsxError::Parse(_) | XlsxError::ParseFloat(_) | XlsxError::ParseInt(_) => {
            "a number cannot be parsed"
        }
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => "a part of the workbook is missing",
        XlsxError::NotAWorksheet(_) => "the sheet is not a worksheet (a chart sheet?)",
        XlsxError::CellTAttribute(_) => "a cell has an unknown type",
        XlsxError::CellError(_) => "a cell holds an unknown error value",
        XlsxError::Alphanumeric(_)
        | XlsxError::NumericColumn(_)
        | XlsxError::RangeWithoutColumnComponent
        | XlsxError::RangeWithoutRowComponent
        | XlsxError::ColumnNumberOverflow
        | XlsxError::RowNumberOverflow
        | XlsxError::DimensionCount(_) => "a cell reference is not valid",
        _ => "the workbook structure is not valid",
    };
    ReadError::Xlsx { file: path.to_owned(), message: message.to_owned() }
}
