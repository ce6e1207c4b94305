//! Integration tests of the output formats: golden files of every format, the long CSV, JSON,
//! XLSX read back, SDMX-CSV and the SDMX-ML structure, the HTML page, and that protected outputs
//! never carry an exact count or a cell key.

mod csv;
mod fixtures;
mod golden;
mod html;
mod json;
mod markup;
mod protected;
mod real;
mod sdmx;
mod util;
mod xlsx;
