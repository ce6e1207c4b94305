//! Report tests: key indicators by hand, the report family on synthetic data, and the attacker.

mod analysis;
mod attack;
mod coverage;
mod estimate;
mod family;
mod indicators;
