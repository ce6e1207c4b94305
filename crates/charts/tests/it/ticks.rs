//! The nice-tick algorithm.

use charts::ticks::{nice_step, nice_ticks};

/// Whether `step` is 1, 2 or 5 × 10^n.
fn is_nice(step: f64) -> bool {
    let exp = step.log10().floor();
    let m = step / 10f64.powf(exp);
    [1.0, 2.0, 5.0, 10.0].iter().any(|n| (m - n).abs() < 1e-6)
}

#[test]
fn nice_steps() {
    assert_eq!(nice_step(1.0), 1.0);
    assert_eq!(nice_step(1.2), 2.0);
    assert_eq!(nice_step(2.0), 2.0);
    assert_eq!(nice_step(3.0), 5.0);
    assert_eq!(nice_step(7.0), 10.0);
    assert_eq!(nice_step(246.8), 500.0);
    assert_eq!(nice_step(0.03), 0.05);
    assert_eq!(nice_step(0.1), 0.1);
    assert_eq!(nice_step(1000.0), 1000.0);
    assert_eq!(nice_step(0.0), 1.0);
    assert_eq!(nice_step(f64::NAN), 1.0);
}

#[test]
fn ticks_start_at_zero_for_positive_data() {
    let t = nice_ticks(0.0, 87.0, 5, true);
    assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(t.decimals(), 0);
    let t = nice_ticks(0.0, 1745.0, 6, true);
    assert_eq!((t.min, t.max, t.step), (0.0, 2000.0, 500.0));
}

#[test]
fn ticks_run_through_zero_for_negative_data() {
    let t = nice_ticks(-16.6, 19.8, 6, false);
    assert_eq!(t.step, 10.0);
    assert_eq!((t.min, t.max), (-20.0, 20.0));
    assert!(t.values.contains(&0.0));
    let t = nice_ticks(-37.0, 0.0, 4, true);
    assert_eq!(t.values, vec![-40.0, -30.0, -20.0, -10.0, 0.0]);
}

#[test]
fn decimal_ticks_are_exact() {
    let t = nice_ticks(0.0, 0.3, 3, false);
    assert_eq!(t.values, vec![0.0, 0.1, 0.2, 0.3]);
    assert_eq!(t.decimals(), 1);
    let t = nice_ticks(0.0, 0.14, 3, false);
    assert_eq!(t.step, 0.05);
    assert_eq!(t.values, vec![0.0, 0.05, 0.1, 0.15]);
    assert_eq!(t.decimals(), 2);
    let t = nice_ticks(0.0, 0.12, 5, false);
    assert_eq!(t.values, vec![0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12], "the finer step fits tighter");
}

#[test]
fn the_finer_step_is_taken_when_it_fits_tighter() {
    // 1,021 with five intervals: 0–1,500 by 500 wastes a third; 0–1,200 by 200 fits.
    let t = nice_ticks(0.0, 1021.0, 5, true);
    assert_eq!((t.min, t.max, t.step), (0.0, 1200.0, 200.0));
    // …but not when it would need many more intervals than asked for.
    let t = nice_ticks(0.0, 87.0, 5, true);
    assert_eq!(t.step, 20.0);
}

#[test]
fn counts_never_get_fractional_ticks() {
    let t = nice_ticks(0.0, 3.0, 8, true);
    assert_eq!(t.values, vec![0.0, 1.0, 2.0, 3.0]);
    let t = nice_ticks(0.0, 3.0, 8, false);
    assert_eq!(t.step, 0.5);
}

#[test]
fn degenerate_ranges() {
    let t = nice_ticks(0.0, 0.0, 5, true);
    assert_eq!(t.values, vec![0.0, 1.0]);
    let t = nice_ticks(f64::NAN, f64::INFINITY, 5, false);
    assert!(t.min <= 0.0 && t.max >= 1.0);
    let t = nice_ticks(10.0, 0.0, 5, true);
    assert_eq!((t.min, t.max), (0.0, 10.0), "reversed bounds are swapped");
    assert!(nice_ticks(0.0, 1.0, 0, false).values.len() >= 2);
}

#[test]
fn ticks_cover_the_range_with_nice_steps() {
    let ranges =
        [(0.0, 1.0), (0.0, 7.3), (-3.2, 4.8), (0.0, 123_456.0), (-0.004, 0.017), (0.0, 999.0), (-5e6, 2e6)];
    for &(lo, hi) in &ranges {
        for target in 2..=10 {
            let t = nice_ticks(lo, hi, target, false);
            assert!(is_nice(t.step), "{lo}..{hi}/{target}: step {}", t.step);
            assert!(t.min <= lo && t.max >= hi, "{lo}..{hi}/{target}: {t:?}");
            assert!(t.values.len() <= target + 3, "{lo}..{hi}/{target}: {} ticks", t.values.len());
            for pair in t.values.windows(2) {
                assert!((pair[1] - pair[0] - t.step).abs() < t.step * 1e-6);
            }
        }
    }
}
