//! Coverage of the estimate report on synthetic hub data with a known population (the study's
//! code is the example `estimate_coverage`, which runs the larger version).

#[allow(dead_code)]
#[path = "../../examples/estimate_coverage.rs"]
mod study;

#[test]
fn hub_estimates_cover_the_true_population() {
    let (covered, draws, seen) = study::coverage(1500, 30, "wald");
    eprintln!("hub coverage (wald, stepwise, N = 1500, {seen:.0} seen on average): {covered}/{draws}");
    assert!(covered as f64 / draws as f64 >= 0.8, "coverage {covered}/{draws}");
}
