//! Coverage on synthetic data with a known population: 2,000 persons, five lists, two of them
//! dependent on an earlier one (referrals). The larger study runs in `examples/mse_bench.rs`.

use mse::{IntervalMethod, Options, Selection, SyntheticList, estimate, synthetic};

pub(crate) fn population() -> Vec<SyntheticList> {
    let l = |name: &str, p: f64, depends_on| SyntheticList { name: name.into(), p, depends_on };
    vec![
        l("police", 0.25, None),
        l("ngo", 0.15, Some((0, 0.35))),
        l("labour", 0.2, None),
        l("health", 0.12, Some((2, 0.3))),
        l("shelter", 0.1, None),
    ]
}

#[test]
fn wald_intervals_cover_the_truth() {
    let truth = 2000.0;
    let draws = 40;
    let mut covered = 0;
    for seed in 0..draws {
        let ch = synthetic(2000, &population(), seed).unwrap();
        let e = estimate(
            &ch,
            &Options {
                selection: Selection::stepwise_p(),
                interval: IntervalMethod::Wald,
                ..Options::default()
            },
        )
        .unwrap();
        let (lo, hi) = e.interval.unwrap();
        if lo <= truth && truth <= hi {
            covered += 1;
        }
    }
    eprintln!("coverage {covered}/{draws}");
    assert!(covered as f64 / draws as f64 >= 0.8, "coverage {covered}/{draws}");
}
