//! Every output format of a [`reports::Report`]: what leaves the hub.
//!
//! - [`csv`]: long format, one row per table cell (RFC 4180, CRLF), self-describing metadata rows;
//! - [`json`]: metadata and sections (axes with codes and labels, cells with value and flag);
//! - [`xlsx`]: a `metadata` sheet and a sheet per section (totals in bold, withheld cells `c` with a
//!   cell note, notes and a legend below), byte-identical for the same report;
//! - [`sdmx_csv`]: SDMX-CSV 2.0 of the key-indicator sections (domain.md §8.2), and
//!   [`sdmx_structure`]: the SDMX-ML 2.1 structure message describing its DSD and dataflow;
//!   [`check_sdmx_csv`]: the check of a received SDMX-CSV against that structure (EU hubs);
//! - [`html`]: one self-contained page (inline CSS, inline SVG charts and maps, nothing loaded
//!   from anywhere: hubs run in closed networks), print-friendly.
//!
//! # Confidentiality
//!
//! Outputs are written from what a cell *publishes* (`Cell::value` and `Cell::flag`) only: the
//! exact `count` and the cell `key` are never read, so they cannot leak into any format, whatever
//! the disclosure method. A cell is withheld when its flag is `Primary` or `Secondary` or when
//! it has no value; it is then written without a number everywhere (not in attributes, comments,
//! tooltips or JSON).
//!
//! Cells of a report protected by the cell key method are marked **uniformly**: every published
//! value carries the flag `k` (CSV, JSON), the same cell note or title (XLSX, HTML) and SDMX
//! `CONF_STATUS` `F` with the period's usual `OBS_STATUS`, whether or not the noise of that cell
//! happened to be zero. Marking only the cells whose value differs from the count would tell a
//! reader which published values are exact, and so undo part of the protection.
//!
//! # Flags
//!
//! | flag | meaning | SDMX `CONF_STATUS` |
//! |---|---|---|
//! | (none) | published as counted | `F` |
//! | `c` | withheld: a small count (primary) | `A` |
//! | `c` | withheld so that small counts cannot be derived (secondary) | `D` |
//! | `c` | withheld for another reason (no published value) | `C` |
//! | `k` | published, protected by the cell key method (may differ slightly from the count) | `F` |
//!
//! # Determinism
//!
//! The same report gives the same bytes in every format: the generation time is taken from
//! `report.meta.generated_at` (also the XLSX creation time), maps are `BTreeMap`s, and rows follow
//! the sections and the row-major order of their tables.

mod common;
mod csv;
mod html;
mod json;
mod sdmx;
mod sdmx_check;
mod words;
mod xlsx;

pub use crate::csv::csv;
pub use html::{HtmlContext, html};
pub use json::json;
pub use sdmx::{SDMX_COLUMNS, StructureId, sdmx_csv, sdmx_structure};
pub use sdmx_check::{
    CHECKS, Expected, MAX_PROBLEMS, SdmxChecked, SdmxObservation, SdmxProblem, check_sdmx_csv,
};
pub use xlsx::xlsx;

/// Errors of the output formats.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The XLSX writer failed.
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// An SDMX structure id is not `AGENCY:ID(VERSION)`.
    #[error("SDMX structure id `{0}`: expected AGENCY:ID(VERSION), e.g. PT_OTSH:DF_THB_KEY(1.0)")]
    StructureId(String),
    /// The report period cannot be an SDMX `TIME_PERIOD`.
    #[error("period `{0}`: SDMX output needs a year (2025), a quarter (2025-Q2) or a month (2025-03)")]
    Period(String),
    /// A key-indicator section cannot be written as SDMX observations.
    #[error("section `{section}`: {problem}")]
    Sdmx {
        /// The section id.
        section: String,
        /// What is wrong.
        problem: String,
    },
    /// A codelist the SDMX structure needs is not in the bundle.
    #[error("codelist `{0}` is missing from the codelist bundle")]
    Codelist(String),
}
