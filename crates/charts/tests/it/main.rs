//! Integration tests of the charts crate: golden SVGs, well-formedness, determinism, escaping,
//! suppressed values, empty input, negative values, number formatting and axis ticks.

mod fixtures;
mod format;
mod golden;
mod properties;
mod ticks;
mod xml;
