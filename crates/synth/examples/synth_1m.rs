//! Writes one million synthetic victim registrations (and their offender-side records) to a
//! directory, for timing and memory measurement: `cargo run --release -p synth --example
//! synth_1m -- [DIR] [VICTIMS]`. Without DIR a temporary directory is used and removed.

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use model::Codelists;
use synth::Params;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir_arg = args.next().map(PathBuf::from);
    let victims = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1_000_000u64);
    let tmp = tempfile::tempdir()?;
    let dir = dir_arg.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let as_of = NaiveDate::from_ymd_opt(2025, 3, 31).ok_or("bad date")?;
    let params = Params { seed: 1, victims, first_year: 2015, last_year: 2024, as_of };
    let start = Instant::now();
    let summary = synth::write_csv(&params, Codelists::embedded(), &dir)?;
    let elapsed = start.elapsed();
    let bytes: u64 = std::fs::read_dir(&dir)?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    // An example binary reports on stdout; the library itself never prints.
    #[allow(clippy::print_stdout)]
    {
        println!("{summary:?}");
        println!("wrote {} MB to {} in {:.2} s", bytes / 1_000_000, dir.display(), elapsed.as_secs_f64());
    }
    Ok(())
}
