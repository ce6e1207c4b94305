//! Integration tests of the `mse` crate: the published figures of `shared/reference/mse.md`.

mod bootstrap;
mod coverage;
mod published;
mod units;
