//! The published BCa bootstrap intervals (1,000 resamples, model choice repeated in each):
//! random, so compared roughly — each limit within 15% of the published one.

use mse::{IntervalMethod, Options, Selection, estimate};

use crate::published::load;

#[track_caller]
fn check(file: &str, selection: Selection, point: f64, published: (f64, f64)) {
    let ch = load(file);
    let opts = Options {
        selection,
        interval: IntervalMethod::Bootstrap { resamples: 1000, seed: 20_240_044 },
        ..Options::default()
    };
    let e = estimate(&ch, &opts).unwrap();
    let (lo, hi) = e.interval.unwrap();
    let b = e.bootstrap.as_ref().unwrap();
    eprintln!(
        "{file} {}: total {:.1} BCa ({lo:.0}, {hi:.0}) vs published ({}, {}); failed {} a={:.4} z0={:.4}",
        e.model.display_with(ch.lists()),
        e.total,
        published.0,
        published.1,
        b.failed,
        b.acceleration,
        b.bias_correction
    );
    assert!((e.total - point).abs() <= 0.5);
    assert!(lo < published.1 && hi > published.0, "no overlap");
    assert!((lo / published.0 - 1.0).abs() < 0.15, "lower limit {lo} vs {}", published.0);
    assert!((hi / published.1 - 1.0).abs() < 0.15, "upper limit {hi} vs {}", published.1);
}

#[test]
fn korea_bic() {
    check("korea_palembang_3lists.csv", Selection::bic(), 157.0, (128.0, 349.0));
}

#[test]
fn kosovo_bic_order_3() {
    check(
        "kosovo_1999_4lists.csv",
        Selection::Bic { max_order: Some(3), top_models: None },
        10357.0,
        (6947.0, 18010.0),
    );
}

#[test]
fn kosovo_bic_order_2() {
    check(
        "kosovo_1999_4lists.csv",
        Selection::Bic { max_order: Some(2), top_models: None },
        14342.0,
        (12451.0, 16273.0),
    );
}

#[test]
fn western_stepwise() {
    check("western_us_5lists.csv", Selection::stepwise_p(), 2483.0, (1293.0, 3670.0));
}
