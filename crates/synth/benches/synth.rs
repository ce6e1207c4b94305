//! Throughput of the generator: 100,000 victim registrations (with their suspects, prosecutions
//! and court decisions) generated only, and generated and written as CSV to `io::sink()`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use model::{Codelists, CourtDecision, Prosecution, Suspect, VictimRegistration};
use synth::{Generator, Params, Sink};

const VICTIMS: u64 = 100_000;

fn params() -> Params {
    let as_of = NaiveDate::from_ymd_opt(2025, 3, 31).expect("valid date");
    Params { seed: 1, victims: VICTIMS, first_year: 2015, last_year: 2024, as_of }
}

/// Drops every record.
struct Null;

impl Sink for Null {
    type Error = synth::Error;
    fn victim(&mut self, record: VictimRegistration) -> Result<(), synth::Error> {
        black_box(record);
        Ok(())
    }
    fn suspect(&mut self, record: Suspect) -> Result<(), synth::Error> {
        black_box(record);
        Ok(())
    }
    fn prosecution(&mut self, record: Prosecution) -> Result<(), synth::Error> {
        black_box(record);
        Ok(())
    }
    fn court_decision(&mut self, record: CourtDecision) -> Result<(), synth::Error> {
        black_box(record);
        Ok(())
    }
}

fn bench(c: &mut Criterion) {
    let lists = Codelists::embedded();
    let p = params();
    let mut group = c.benchmark_group("synth");
    group.sample_size(10);
    group.throughput(Throughput::Elements(VICTIMS));
    group.bench_function("generate_100k_victims", |b| {
        b.iter(|| {
            let g = Generator::new(&p, lists).expect("valid parameters");
            g.run(&mut Null).expect("null sink")
        })
    });
    group.bench_function("csv_100k_victims_to_sink", |b| {
        b.iter(|| {
            synth::write_csv_to(&p, lists, std::io::sink(), std::io::sink(), std::io::sink(), std::io::sink())
                .expect("sink never fails")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
