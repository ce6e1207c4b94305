//! Delimited text (CSV, TSV, …) read with `csv_core` into reused buffers.
//!
//! `csv_core` rather than `csv::Reader`: the latter grows a record until the record ends, so a
//! single hostile multi-gigabyte cell would be held in memory before it could be refused. Here the
//! output buffer only grows while the cell being read is within [`Limits::max_cell_bytes`] and the
//! row within [`Limits::max_columns`], so memory is bounded by the longest allowed row.
//!
//! Encoding and delimiter are detected on a sample of the first MiB (see [`detect_encoding`] and
//! [`detect_delimiter`]); each row is then decoded once into a reused `String` (a copy for UTF-8,
//! `encoding_rs` for Windows-1252) from which values are handed out as `&str` slices.

use std::fs::File;
use std::io::{BufRead, BufReader, Chain, Cursor, Read};
use std::path::{Path, PathBuf};

use csv_core::ReadRecordResult;

use super::{Cells, Encoding, Limits, ReadError, ReadOptions, RowSource, check_headers, open_file};

/// Bytes sampled at the start of the file for detection.
const SAMPLE_BYTES: usize = 1 << 20;
/// Records looked at for delimiter detection.
const SAMPLE_RECORDS: usize = 50;
/// The delimiters detected, in order of preference on ties.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

type Input = BufReader<Chain<Cursor<Vec<u8>>, File>>;

/// A CSV file being read.
pub(super) struct CsvSource {
    path: PathBuf,
    headers: Vec<String>,
    input: Input,
    core: csv_core::Reader,
    limits: Limits,
    encoding: Encoding,
    encoding_detected: bool,
    delimiter: u8,
    delimiter_detected: bool,
    /// Raw bytes of the current record, and where each field ends in it.
    raw: Vec<u8>,
    raw_ends: Vec<usize>,
    /// The current record decoded.
    cells: Cells,
    row: u64,
    done: bool,
}

impl CsvSource {
    /// Opens the file, detects what is not set, reads and checks the header.
    pub(super) fn open(path: &Path, opts: &ReadOptions) -> Result<CsvSource, ReadError> {
        let limits = opts.limits;
        let mut file = open_file(path, &limits)?;
        let mut sample = Vec::new();
        (&mut file)
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut sample)
            .map_err(|source| ReadError::Io { file: path.to_owned(), source })?;
        let whole_file = sample.len() < SAMPLE_BYTES;
        if looks_utf16(&sample) {
            return Err(ReadError::Utf16 { file: path.to_owned() });
        }
        let bom = if sample.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let (encoding, encoding_detected) = match opts.encoding {
            Some(e) => (e, false),
            None if bom > 0 => (Encoding::Utf8, true),
            None => (detect_encoding(&sample, whole_file), true),
        };
        let (delimiter, delimiter_detected) = match opts.delimiter {
            Some(d) => (d, false),
            None => (detect_delimiter(&sample[bom..], whole_file), true),
        };
        let mut cursor = Cursor::new(sample);
        cursor.set_position(bom as u64);
        let input = BufReader::with_capacity(64 << 10, cursor.chain(file));
        let core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        let mut source = CsvSource {
            path: path.to_owned(),
            headers: Vec::new(),
            input,
            core,
            limits,
            encoding,
            encoding_detected,
            delimiter,
            delimiter_detected,
            raw: vec![0; 4096],
            raw_ends: vec![0; 64.min(limits.max_columns + 1)],
            cells: Cells::default(),
            row: 0,
            done: false,
        };
        if !source.read_record()? {
            return Err(ReadError::Empty { file: path.to_owned() });
        }
        source.headers = source.cells.to_vec();
        check_headers(path, &source.headers)?;
        source.cells.clear();
        tracing::debug!(
            delimiter = %char::from(delimiter).escape_default(),
            encoding = encoding.name(),
            columns = source.headers.len(),
            "CSV header read"
        );
        Ok(source)
    }

    /// Reads the next record into `cells`; Ok(false) at the end. `self.row` is the row being read
    /// (0 = header) for errors.
    fn read_record(&mut self) -> Result<bool, ReadError> {
        let mut out_len = 0;
        let mut n_ends = 0;
        loop {
            let input =
                self.input.fill_buf().map_err(|source| ReadError::Io { file: self.path.clone(), source })?;
            let (res, n_in, n_out, n_end) =
                self.core.read_record(input, &mut self.raw[out_len..], &mut self.raw_ends[n_ends..]);
            self.input.consume(n_in);
            out_len += n_out;
            // Check the fields finished by this call, so that the buffer never holds an
            // over-long cell for long and stays bounded by the limits.
            for i in n_ends..n_ends + n_end {
                let start = if i == 0 { 0 } else { self.raw_ends.get(i - 1).copied().unwrap_or(0) };
                let end = self.raw_ends.get(i).copied().unwrap_or(0);
                if end.saturating_sub(start) > self.limits.max_cell_bytes {
                    return Err(self.cell_too_large(i + 1));
                }
            }
            n_ends += n_end;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.grow_raw(out_len, n_ends)?,
                ReadRecordResult::OutputEndsFull => self.grow_ends(n_ends)?,
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Ok(false),
            }
        }
        if n_ends > self.limits.max_columns {
            return Err(self.too_many_columns());
        }
        self.decode(out_len, n_ends)?;
        Ok(true)
    }

    /// The output buffer is full: grow it unless the cell being read is already too long.
    fn grow_raw(&mut self, out_len: usize, n_ends: usize) -> Result<(), ReadError> {
        let field_start = if n_ends == 0 { 0 } else { self.raw_ends.get(n_ends - 1).copied().unwrap_or(0) };
        if out_len - field_start > self.limits.max_cell_bytes {
            return Err(self.cell_too_large(n_ends + 1));
        }
        // Bounded: every finished cell was checked against the cell limit when it ended, and
        // there are at most `max_columns + 1` of them (`grow_ends`), so the buffer stays under
        // twice `(max_columns + 2) * max_cell_bytes`.
        let new_len = self.raw.len().saturating_mul(2).max(4096);
        self.raw.resize(new_len, 0);
        Ok(())
    }

    /// The field-end buffer is full: grow it unless the row already has too many columns.
    fn grow_ends(&mut self, n_ends: usize) -> Result<(), ReadError> {
        if n_ends > self.limits.max_columns {
            return Err(self.too_many_columns());
        }
        let new_len = self.raw_ends.len().saturating_mul(2).clamp(8, self.limits.max_columns + 1);
        let new_len = new_len.max(n_ends + 1);
        self.raw_ends.resize(new_len, 0);
        Ok(())
    }

    /// Decodes the raw record into `cells`.
    fn decode(&mut self, out_len: usize, n_ends: usize) -> Result<(), ReadError> {
        let raw = self.raw.get(..out_len).unwrap_or_default();
        let ends = self.raw_ends.get(..n_ends).unwrap_or_default();
        self.cells.clear();
        match self.encoding {
            Encoding::Utf8 => {
                let Ok(text) = std::str::from_utf8(raw) else {
                    return Err(ReadError::Encoding { file: self.path.clone(), row: self.row });
                };
                // Valid as a whole; each field is valid iff no field boundary splits a character.
                if !ends.iter().all(|&e| text.is_char_boundary(e)) {
                    return Err(ReadError::Encoding { file: self.path.clone(), row: self.row });
                }
                self.cells.text.push_str(text);
                self.cells.ends.extend_from_slice(ends);
            }
            Encoding::Windows1252 => {
                // Most rows are ASCII, which is the same in both encodings: copy them whole.
                if let Ok(ascii) = std::str::from_utf8(raw)
                    && ascii.is_ascii()
                {
                    self.cells.text.push_str(ascii);
                    self.cells.ends.extend_from_slice(ends);
                    return Ok(());
                }
                let mut start = 0;
                for &end in ends {
                    let field = raw.get(start..end).unwrap_or_default();
                    decode_1252(field, &mut self.cells.text);
                    self.cells.end_value();
                    start = end;
                }
            }
        }
        Ok(())
    }

    fn too_many_columns(&self) -> ReadError {
        ReadError::TooManyColumns { file: self.path.clone(), row: self.row, limit: self.limits.max_columns }
    }

    fn cell_too_large(&self, column: usize) -> ReadError {
        ReadError::CellTooLarge {
            file: self.path.clone(),
            row: self.row,
            column,
            limit: self.limits.max_cell_bytes,
        }
    }
}

impl RowSource for CsvSource {
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
        if self.row >= self.limits.max_rows {
            // One more record would be over the limit: refuse only if there is one.
            self.row += 1;
            let more = self.read_record();
            self.row -= 1;
            self.done = true;
            self.cells.clear();
            return match more {
                Ok(false) => Ok(false),
                Ok(true) | Err(_) => {
                    Err(ReadError::TooManyRows { file: self.path.clone(), limit: self.limits.max_rows })
                }
            };
        }
        self.row += 1;
        match self.read_record() {
            Ok(true) => Ok(true),
            Ok(false) => {
                self.row -= 1;
                self.done = true;
                self.cells.clear();
                Ok(false)
            }
            Err(e) => {
                self.done = true;
                self.cells.clear();
                Err(e)
            }
        }
    }

    fn row(&self) -> u64 {
        self.row
    }

    fn len(&self) -> usize {
        self.cells.len()
    }

    fn value(&self, i: usize) -> &str {
        self.cells.get(i)
    }

    fn copy_row(&self, batch: &mut super::RowBatch) {
        // The decoded row at once, rather than value by value.
        batch.push_cells(self.row, &self.cells);
    }

    fn describe(&self) -> String {
        let how = |detected: bool| if detected { "detected" } else { "set" };
        format!(
            "CSV, delimiter {} ({}), encoding {} ({})",
            delimiter_name(self.delimiter),
            how(self.delimiter_detected),
            self.encoding.name(),
            how(self.encoding_detected),
        )
    }
}

/// Appends `field`, in Windows-1252, to `out` as UTF-8.
fn decode_1252(field: &[u8], out: &mut String) {
    if let Ok(ascii) = std::str::from_utf8(field)
        && ascii.is_ascii()
    {
        out.push_str(ascii);
        return;
    }
    let mut decoder = encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling();
    let mut rest = field;
    loop {
        // Every byte decodes to at most 3 UTF-8 bytes; reserve, then decode what fits.
        out.reserve(decoder.max_utf8_buffer_length(rest.len()).unwrap_or(rest.len().saturating_mul(3)));
        let (result, read, _) = decoder.decode_to_string(rest, out, true);
        rest = rest.get(read..).unwrap_or_default();
        if result == encoding_rs::CoderResult::InputEmpty {
            break;
        }
    }
}

/// A readable name for a delimiter byte.
fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".to_owned(),
        b' ' => "space".to_owned(),
        d if d.is_ascii_graphic() => format!("'{}'", char::from(d)),
        d => format!("0x{d:02X}"),
    }
}

/// UTF-16 text: a UTF-16 byte order mark, or a sample in which a quarter of the bytes are NUL.
fn looks_utf16(sample: &[u8]) -> bool {
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return true;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    !sample.is_empty() && nul * 4 >= sample.len()
}

/// UTF-8 if the sample is valid UTF-8 (a character cut by the end of a partial sample counts as
/// valid), else Windows-1252.
pub(crate) fn detect_encoding(sample: &[u8], whole_file: bool) -> Encoding {
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        // `error_len() == None`: the sample ends inside a character.
        Err(e) if !whole_file && e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Windows1252,
    }
}

/// The candidate delimiter that appears in the header line and whose count is the same in most of
/// the next records (quotes respected; ties go to the header count, then to the order `,` `;` tab
/// `|`). `,` if none appears in the header.
pub(crate) fn detect_delimiter(sample: &[u8], whole_file: bool) -> u8 {
    let mut records: Vec<[usize; 4]> = Vec::new();
    let mut current = [0usize; 4];
    let mut in_quotes = false;
    let mut has_content = false;
    for &b in sample {
        if b == b'"' {
            in_quotes = !in_quotes;
            has_content = true;
        } else if in_quotes {
        } else if b == b'\n' || b == b'\r' {
            if has_content {
                records.push(current);
                if records.len() >= SAMPLE_RECORDS {
                    break;
                }
            }
            current = [0; 4];
            has_content = false;
        } else {
            has_content = true;
            if let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
                current[k] += 1;
            }
        }
    }
    // A last line without a line break counts only if it is really the end of the file.
    if has_content && whole_file && records.len() < SAMPLE_RECORDS {
        records.push(current);
    }
    let Some((header, rest)) = records.split_first() else { return b',' };
    (0..DELIMITERS.len())
        .filter(|&k| header[k] > 0)
        .max_by_key(|&k| {
            let consistent = rest.iter().filter(|r| r[k] == header[k]).count();
            (consistent, header[k], std::cmp::Reverse(k))
        })
        .map_or(b',', |k| DELIMITERS[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_is_the_most_consistent_one() {
        assert_eq!(detect_delimiter(b"a;b;c\n1;2,5;3\n4;5;6\n", true), b';');
        assert_eq!(detect_delimiter(b"a,b\n\"x;y\",2\n", true), b',');
        assert_eq!(detect_delimiter(b"a\tb|c\n1\t2|3|4\n5\t6|7|8\n", true), b'\t');
        assert_eq!(detect_delimiter(b"single\n1\n", true), b',');
        assert_eq!(detect_delimiter(b"", true), b',');
        assert_eq!(detect_delimiter(b"a|b|c", true), b'|');
    }

    #[test]
    fn encoding_is_utf8_if_the_sample_is() {
        assert_eq!(detect_encoding("ação".as_bytes(), true), Encoding::Utf8);
        assert_eq!(detect_encoding(b"a\xe7\xe3o", true), Encoding::Windows1252);
        assert_eq!(detect_encoding(b"a\xc3", false), Encoding::Utf8);
        assert_eq!(detect_encoding(b"a\xc3", true), Encoding::Windows1252);
    }

    #[test]
    fn windows_1252_decodes_every_byte() {
        let mut out = String::new();
        decode_1252(b"Concei\xe7\xe3o \x80 \x81", &mut out);
        assert_eq!(out, "Conceição € \u{81}");
    }
}
