//! Fuzz target: arbitrary bytes as a `.csv` file, read whole with detection, then with the
//! encoding and delimiter forced (Windows-1252, `;`). Must never panic.

#![no_main]

use ingest::read::{Encoding, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let detected = ReadOptions::standard();
    let forced = ReadOptions {
        encoding: Some(Encoding::Windows1252),
        delimiter: Some(b';'),
        ..ReadOptions::standard()
    };
    mosy_fuzz::read_as(data, "csv", &[detected, forced]);
});
