//! Throughput of the personal-data guard over the canonical synthetic victims file.
//!
//! `cargo run --release -p privacy --example guard_throughput -- [victims.csv]`: uses the given
//! file, else `/tmp/s1m/victims.csv` if present, else writes 200,000 synthetic victims to a
//! temporary directory. Cells are loaded into memory first; only the scan is timed.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use model::Codelists;
use privacy::guard::{looks_like_personal_name, scan_value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let path = match std::env::args().nth(1).map(PathBuf::from) {
        Some(p) => p,
        None if std::path::Path::new("/tmp/s1m/victims.csv").exists() => {
            PathBuf::from("/tmp/s1m/victims.csv")
        }
        None => {
            let as_of = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).ok_or("date")?;
            let params =
                synth::Params { seed: 1, victims: 200_000, first_year: 2015, last_year: 2024, as_of };
            synth::write_csv(&params, Codelists::embedded(), tmp.path())?;
            tmp.path().join("victims.csv")
        }
    };
    let mut out = std::io::stdout().lock();
    let start = Instant::now();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_path(&path)?;
    let mut text = String::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        for cell in record.iter() {
            let from = text.len();
            text.push_str(cell);
            spans.push((from, text.len()));
        }
    }
    writeln!(out, "{}: {} cells loaded in {:.2?}", path.display(), spans.len(), start.elapsed())?;

    for (label, names) in [("scan_value", false), ("scan_value + looks_like_personal_name", true)] {
        let start = Instant::now();
        let mut hits = 0usize;
        for &(from, to) in &spans {
            let v = &text[from..to];
            if v.is_empty() {
                continue;
            }
            let hit = scan_value(v).is_some() || (names && looks_like_personal_name(v));
            hits += usize::from(hit);
        }
        let secs = start.elapsed().as_secs_f64();
        writeln!(
            out,
            "{label:<40} {:>6.1} M cells/s ({:.2} s, {hits} hits)",
            spans.len() as f64 / secs / 1e6,
            secs
        )?;
    }
    Ok(())
}
