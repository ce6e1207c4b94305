//! Integration tests of the model crate: codelist integrity, record rules, canonical text form.

mod codelists;
mod rules;
mod support;
mod text;
