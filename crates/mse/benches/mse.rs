//! Benchmarks of issue 7: (a) the BIC search over all 6,893 hierarchical models of 5 lists up to
//! order 4 on the Western US data; (b) a 1,000-resample BCa bootstrap with stepwise choice on a
//! deterministic synthetic 6-list table.

use criterion::{Criterion, criterion_group, criterion_main};
use mse::{IntervalMethod, Options, Selection, SyntheticList, choose, estimate, read_csv, synthetic};

fn six_lists() -> mse::CaptureHistories {
    let l = |name: &str, p: f64, depends_on| SyntheticList { name: name.into(), p, depends_on };
    let lists = [
        l("police", 0.25, None),
        l("ngo", 0.15, Some((0, 0.35))),
        l("labour", 0.2, None),
        l("health", 0.12, Some((2, 0.3))),
        l("shelter", 0.1, None),
        l("hotline", 0.08, Some((1, 0.2))),
    ];
    synthetic(2000, &lists, 42).expect("synthetic data")
}

fn benches(c: &mut Criterion) {
    let western = read_csv(&include_bytes!("../test_data/western_us_5lists.csv")[..]).expect("data");
    let mut g = c.benchmark_group("mse");
    g.sample_size(10);
    g.bench_function("bic_5_lists_order_4", |b| {
        b.iter(|| choose(&western, &Selection::Bic { max_order: Some(4), top_models: None }).expect("bic"))
    });
    let six = six_lists();
    let opts = Options {
        selection: Selection::stepwise_p(),
        interval: IntervalMethod::Bootstrap { resamples: 1000, seed: 1 },
        ..Options::default()
    };
    g.bench_function("bootstrap_1000_stepwise_6_lists", |b| {
        b.iter(|| estimate(&six, &opts).expect("estimate"))
    });
    g.finish();
}

criterion_group!(mse_benches, benches);
criterion_main!(mse_benches);
