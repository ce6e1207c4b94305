//! Times the two benchmarks of issue 7 (median of 5 runs) and runs a coverage study on synthetic
//! data with a known population. Run in release:
//! `cargo run --release -p mse --example mse_bench [draws]`.

use std::time::{Duration, Instant};

use mse::{IntervalMethod, Options, Selection, SyntheticList, choose, estimate, read_csv, synthetic};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn list(name: &str, p: f64, depends_on: Option<(usize, f64)>) -> SyntheticList {
    SyntheticList { name: name.into(), p, depends_on }
}

fn main() {
    let draws: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let western = read_csv(&include_bytes!("../test_data/western_us_5lists.csv")[..]).expect("data");
    let bic = Selection::Bic { max_order: Some(4), top_models: None };
    let c = choose(&western, &bic).expect("bic");
    println!(
        "(a) BIC over 6,893 models, 5 lists, order ≤ 4: {:?} (median of 5); best {} total {:.1}, {} left out",
        time(5, || choose(&western, &bic).expect("bic")),
        c.fit.model,
        c.fit.total,
        c.skipped
    );
    let six = synthetic(
        2000,
        &[
            list("police", 0.25, None),
            list("ngo", 0.15, Some((0, 0.35))),
            list("labour", 0.2, None),
            list("health", 0.12, Some((2, 0.3))),
            list("shelter", 0.1, None),
            list("hotline", 0.08, Some((1, 0.2))),
        ],
        42,
    )
    .expect("synthetic");
    let opts = Options {
        selection: Selection::stepwise_p(),
        interval: IntervalMethod::Bootstrap { resamples: 1000, seed: 1 },
        ..Options::default()
    };
    let e = estimate(&six, &opts).expect("estimate");
    println!(
        "(b) bootstrap, 1,000 resamples, stepwise, 6 lists ({} observed): {:?} (median of 5, {} threads); total {:.1} {:?}",
        six.observed(),
        time(5, || estimate(&six, &opts).expect("estimate")),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        e.total,
        e.interval
    );

    // Coverage: N = 2,000, five lists, two dependent on an earlier one.
    let pop = [
        list("police", 0.25, None),
        list("ngo", 0.15, Some((0, 0.35))),
        list("labour", 0.2, None),
        list("health", 0.12, Some((2, 0.3))),
        list("shelter", 0.1, None),
    ];
    let truth = 2000.0;
    let methods: [(&str, Selection, IntervalMethod); 4] = [
        ("stepwise p + Wald", Selection::stepwise_p(), IntervalMethod::Wald),
        ("AIC stepwise + profile", Selection::stepwise_aic(), IntervalMethod::Profile),
        (
            "BIC (order 2) + Wald",
            Selection::Bic { max_order: Some(2), top_models: None },
            IntervalMethod::Wald,
        ),
        (
            "stepwise p + BCa (200 resamples)",
            Selection::stepwise_p(),
            IntervalMethod::Bootstrap { resamples: 200, seed: 3 },
        ),
    ];
    for (name, selection, interval) in methods {
        let n = if matches!(interval, IntervalMethod::Bootstrap { .. }) { draws.min(100) } else { draws };
        let (mut covered, mut width, mut bias) = (0, 0.0, 0.0);
        for seed in 0..n {
            let ch = synthetic(2000, &pop, 1000 + seed).expect("synthetic");
            let e = estimate(
                &ch,
                &Options { selection: selection.clone(), interval: interval.clone(), ..Options::default() },
            )
            .expect("estimate");
            let (lo, hi) = e.interval.unwrap_or((f64::NAN, f64::NAN));
            if lo <= truth && truth <= hi {
                covered += 1;
            }
            width += hi - lo;
            bias += e.total - truth;
        }
        println!(
            "coverage {name}: {covered}/{n} = {:.1}%, mean width {:.0}, mean error {:+.1}",
            100.0 * covered as f64 / n as f64,
            width / n as f64,
            bias / n as f64
        );
    }
}
