//! Reading data files into the common model.
//!
//! This first version reads the model's own canonical CSV form (one column per model field,
//! see [`model::text`]): the files `mosy synth` writes and the provider register. Columns are
//! matched by name, in any order; a missing or unknown column is a file-level error, a bad row
//! is a [`model::ValidationError`] naming the row, field and rule. Values are never echoed.

mod canonical;
pub mod profile;
mod providers;
pub mod read;

pub use canonical::{ReadOutcome, read_records};
pub use providers::{PROVIDER_COLUMNS, ProviderRowError, read_providers};
pub use read::{ReadError, ReadOptions, RowSource};

use std::path::PathBuf;

/// A file-level problem: the file cannot be read as a whole.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file cannot be opened or read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// CSV syntax error or invalid UTF-8.
    #[error("{file}: row {row}: not valid CSV in UTF-8")]
    Csv {
        /// The file.
        file: PathBuf,
        /// 1-based line of the record (header = 1).
        row: u64,
    },
    /// A model column is missing from the header.
    #[error("{file}: column `{column}` is missing from the header")]
    MissingColumn {
        /// The file.
        file: PathBuf,
        /// The column.
        column: &'static str,
    },
    /// A header column is not a field of the model (nothing outside the model is accepted).
    #[error("{file}: column {position} of the header is not a field of the common model")]
    UnknownColumn {
        /// The file.
        file: PathBuf,
        /// 1-based column position (the name is not echoed: it could be anything).
        position: usize,
    },
    /// The same column appears twice.
    #[error("{file}: column `{column}` appears twice in the header")]
    DuplicateColumn {
        /// The file.
        file: PathBuf,
        /// The column.
        column: &'static str,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Maps a file header onto the expected columns: `positions[i]` is the file column of `expected[i]`.
fn map_header(
    file: &std::path::Path,
    header: &csv::StringRecord,
    expected: &[&'static str],
) -> Result<Vec<usize>> {
    let mut positions = vec![usize::MAX; expected.len()];
    for (pos, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        match expected.iter().position(|c| *c == name) {
            Some(i) if positions[i] != usize::MAX => {
                return Err(Error::DuplicateColumn { file: file.to_owned(), column: expected[i] });
            }
            Some(i) => positions[i] = pos,
            None => return Err(Error::UnknownColumn { file: file.to_owned(), position: pos + 1 }),
        }
    }
    if let Some(i) = positions.iter().position(|&p| p == usize::MAX) {
        return Err(Error::MissingColumn { file: file.to_owned(), column: expected[i] });
    }
    Ok(positions)
}
