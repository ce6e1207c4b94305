//! Fuzz target: arbitrary bytes as an `.xlsx` file, read whole (first sheet, then the sheet named
//! "Sheet1"). Must never panic, hang or exhaust memory (one known calamine overflow, contained
//! on the reader's worker thread, is tolerated: see `tolerate_calamine_overflow_on_worker`).

#![no_main]

use ingest::read::ReadOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    mosy_fuzz::tolerate_calamine_overflow_on_worker();
    let first = ReadOptions::standard();
    let named = ReadOptions { sheet: Some("Sheet1".to_owned()), ..ReadOptions::standard() };
    mosy_fuzz::read_as(data, "xlsx", &[first, named]);
});
