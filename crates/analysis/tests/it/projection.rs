//! Projection of monthly counts with a known trend and season: interval coverage over repeated
//! simulations, refusals, determinism.

use analysis::{Error, Method, ProjectionOptions, project};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

/// Mean of month `t`: `exp(3.5 + 0.01 t + 0.4 sin(2π t / 12))` (about 33 cases, growing 1 %
/// a month, ±40 % over the year).
fn mean(t: usize) -> f64 {
    (3.5 + 0.01 * t as f64 + 0.4 * (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin()).exp()
}

/// Poisson counts for months `0..len`.
fn series(len: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|t| Poisson::new(mean(t)).expect("poisson").sample(&mut rng)).collect()
}

#[test]
fn prediction_intervals_cover_the_future() {
    let (history, horizon, reps) = (60, 6, 24);
    let options =
        ProjectionOptions { horizon, level: 0.9, simulations: 1000, ..ProjectionOptions::default() };
    let (mut inside, mut total) = (0, 0);
    let mut seasonal_chosen = 0;
    for rep in 0..reps {
        let y = series(history + horizon, 1000 + rep);
        let p = project(&y[..history], 12, &options).expect("projection");
        assert!(p.backtest_mape.is_some() && p.backtest_mase.is_some());
        if matches!(p.method, Method::EtsDampedSeasonal | Method::GlmTrendSeasonal) {
            seasonal_chosen += 1;
        }
        for h in 0..horizon {
            assert!(p.lower[h] <= p.point[h] + 1e-9 && p.point[h] <= p.upper[h] + 1e-9);
            total += 1;
            if p.lower[h] <= y[history + h] && y[history + h] <= p.upper[h] {
                inside += 1;
            }
        }
    }
    let coverage = inside as f64 / total as f64;
    // Nominal 90 %; 144 checks, so ±5 % is about 2 standard errors. Allow a little more.
    assert!((0.8..=0.99).contains(&coverage), "coverage {coverage}");
    assert!(seasonal_chosen * 2 > reps, "a seasonal method should usually win: {seasonal_chosen}/{reps}");
}

#[test]
fn refusals_say_why() {
    let o = ProjectionOptions::default();
    assert_eq!(project(&[5.0; 9], 12, &o), Err(Error::SeriesTooShort { length: 9, minimum: 10 }));
    let sparse = [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 9.0, 0.0, 12.0, 0.0, 0.0, 4.0];
    let e = project(&sparse, 1, &o).expect_err("sparse");
    assert_eq!(
        e.to_string(),
        "the series is too sparse to project: 8 of 12 periods have no case; at most half may"
    );
    let few = [1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0];
    assert!(matches!(project(&few, 1, &o), Err(Error::SeriesTooSparse(_))));
    assert!(matches!(project(&[1.0, -1.0], 1, &o), Err(Error::InvalidInput(_))));
}

#[test]
fn same_seed_same_projection() {
    let y = series(36, 3);
    let o = ProjectionOptions { horizon: 4, ..ProjectionOptions::default() };
    let a = project(&y, 4, &o).expect("projection");
    assert_eq!(a, project(&y, 4, &o).expect("projection"));
    assert_eq!(a.candidates.len(), 4);
    assert_eq!(a.holdout, 4);
    let b = project(&y, 4, &ProjectionOptions { seed: 2, ..o }).expect("projection");
    assert_eq!(a.point, b.point);
    assert_ne!(a.upper, b.upper);
}
