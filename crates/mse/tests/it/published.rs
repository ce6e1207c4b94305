//! The published test cases: point estimates within 0.5, existence codes exactly.

use mse::{CaptureHistories, Model, Selection, check_existence, choose, fit, read_csv};

pub(crate) fn load(name: &str) -> CaptureHistories {
    let path = format!("{}/test_data/{name}", env!("CARGO_MANIFEST_DIR"));
    read_csv(std::fs::File::open(path).unwrap()).unwrap()
}

#[track_caller]
fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want} ± {tol}");
}

#[test]
fn korea() {
    let ch = load("korea_palembang_3lists.csv");
    assert_eq!(ch.observed(), 123);
    let main = fit(&ch, &Model::main_effects(3)).unwrap();
    close(main.total, 141.993, 0.0005);
    let bic = choose(&ch, &Selection::bic()).unwrap();
    eprintln!("korea bic {} {}", bic.fit.model.display_with(ch.lists()), bic.fit.total);
    assert_eq!(bic.fit.model.display_with(ch.lists()), "b*c + c*d");
    close(bic.fit.total, 157.0, 0.5);
    let sw = choose(&ch, &Selection::stepwise_p()).unwrap();
    eprintln!("korea stepwise {} {}", sw.fit.model.display_with(ch.lists()), sw.fit.total);
    assert_eq!(sw.fit.model.display_with(ch.lists()), "b*c + d");
    close(sw.fit.total, 268.78, 0.005);
}

#[test]
fn kosovo() {
    let ch = load("kosovo_1999_4lists.csv");
    assert_eq!(ch.observed(), 4400);
    close(fit(&ch, &Model::main_effects(4)).unwrap().total, 7394.587, 0.0005);
    let b3 = choose(&ch, &Selection::Bic { max_order: Some(3), top_models: None }).unwrap();
    eprintln!("kosovo bic3 {} {}", b3.fit.model.display_with(ch.lists()), b3.fit.total);
    close(b3.fit.total, 10357.0, 0.5);
    assert_eq!(b3.fit.model.order(), 3);
    assert_eq!(b3.fit.model.terms().len(), 6);
    let b2 = choose(&ch, &Selection::Bic { max_order: Some(2), top_models: None }).unwrap();
    eprintln!("kosovo bic2 {} {}", b2.fit.model.display_with(ch.lists()), b2.fit.total);
    close(b2.fit.total, 14342.0, 0.5);
    // All pairs except ABA:HRW (lists 2 and 4).
    assert_eq!(b2.fit.model.terms().len(), 5);
    assert!(!b2.fit.model.contains(0b1010));
}

#[test]
fn western_us() {
    let ch = load("western_us_5lists.csv");
    assert_eq!(ch.observed(), 345);
    close(fit(&ch, &Model::main_effects(5)).unwrap().total, 2007.142, 0.0005);
    let sw = choose(&ch, &Selection::stepwise_p()).unwrap();
    eprintln!("western stepwise {} {}", sw.fit.model.display_with(ch.lists()), sw.fit.total);
    assert_eq!(sw.fit.model.terms(), &[0b10001]);
    close(sw.fit.total, 2483.0, 0.5);
}

#[test]
fn artificial_existence_codes() {
    let ch = load("artificial_3lists.csv");
    assert_eq!(ch.observed(), 96);
    let code = |h: &str| check_existence(&ch, &Model::from_hierarchy(3, h).unwrap()).code();
    assert_eq!(code("[12,13,23]"), 2);
    assert_eq!(code("[12,3]"), 1);
    assert_eq!(code("[13,23]"), 0);
}
