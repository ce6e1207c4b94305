//! Integration tests of the sdc crate: classic differencing cases, property tests, the cell key
//! method and a moderately sized release.

mod ckm;
mod classic;
mod properties;
mod scale;
mod support;
