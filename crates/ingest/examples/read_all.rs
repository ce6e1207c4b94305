//! Reads every value of a file through `ingest::read::open` and prints the row count, the total
//! length of the values and the time taken (a throughput check for the streaming readers).
//!
//! `cargo run --release -p ingest --example read_all -- FILE [SHEET]`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: read_all FILE [SHEET]");
        std::process::exit(2);
    };
    let mut opts = ingest::read::ReadOptions::standard();
    opts.sheet = args.next();
    let started = Instant::now();
    let mut source = ingest::read::open(path.as_ref(), &opts)?;
    let columns = source.headers().len();
    let (mut rows, mut bytes) = (0u64, 0usize);
    while source.advance()? {
        rows += 1;
        for i in 0..columns {
            bytes += source.value(i).len();
        }
    }
    println!(
        "{}: {rows} rows x {columns} columns, {bytes} value bytes in {:.3} s",
        source.describe(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
