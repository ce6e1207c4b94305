//! Integration tests of the `analysis` crate: spatial statistics on a hand-computed fixture grid,
//! regression against a simulated truth, projection coverage on a series with known trend and
//! season.

mod projection;
mod regression;
mod spatial;
