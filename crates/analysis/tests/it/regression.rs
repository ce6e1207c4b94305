//! Poisson and negative-binomial regression against a simulated truth: counts per region drawn
//! from NB2 with a population offset and two covariates; the fitted intervals must contain the
//! true coefficients.

use analysis::{Covariate, Dispersion, Error, Family, GlmOptions, GlmWarning, fit_glm};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

/// True intercept (log rate per person), effect of `x1` (continuous) and `x2` (0/1).
const TRUTH: [f64; 3] = [-9.0, 0.3, -0.5];

/// `n` regions: counts, populations, covariates. `theta = None` draws Poisson counts.
fn simulate(n: usize, theta: Option<f64>, seed: u64) -> (Vec<Option<u64>>, Vec<f64>, Vec<Covariate>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut counts = Vec::with_capacity(n);
    let mut pop = Vec::with_capacity(n);
    let (mut x1, mut x2) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let p: f64 = rng.random_range(20_000.0..500_000.0);
        let a: f64 = StandardNormal.sample(&mut rng);
        let b = if rng.random::<f64>() < 0.4 { 1.0 } else { 0.0 };
        let mu = p * (TRUTH[0] + TRUTH[1] * a + TRUTH[2] * b).exp();
        let lambda = match theta {
            Some(t) => Gamma::new(t, mu / t).expect("gamma").sample(&mut rng),
            None => mu,
        };
        let y = if lambda > 0.0 { Poisson::new(lambda).expect("poisson").sample(&mut rng) } else { 0.0 };
        counts.push(Some(y as u64));
        pop.push(p);
        x1.push(a);
        x2.push(b);
    }
    let covs = vec![Covariate { name: "x1".into(), values: x1 }, Covariate { name: "x2".into(), values: x2 }];
    (counts, pop, covs)
}

#[test]
fn negative_binomial_recovers_the_truth() {
    let (mut counts, pop, covs) = simulate(400, Some(3.0), 11);
    counts[5] = None; // a suppressed count is left out
    for dispersion in [Dispersion::MaximumLikelihood, Dispersion::Moments] {
        let fit = fit_glm(&counts, &pop, &covs, Family::NegativeBinomial(dispersion), &GlmOptions::default())
            .expect("fit");
        assert_eq!((fit.n, fit.dropped, fit.df_residual), (399, 1, 396));
        for (c, truth) in fit.coefficients.iter().zip(TRUTH) {
            assert!(c.lower <= truth && truth <= c.upper, "{dispersion:?} {}: {truth} not in {c:?}", c.name);
            assert!((c.rate_ratio - c.estimate.exp()).abs() < 1e-12);
        }
        let theta = fit.theta.expect("theta");
        assert!((1.8..5.0).contains(&theta), "θ = {theta}");
        // The Pearson dispersion of a good NB fit is about 1.
        assert!((0.7..1.4).contains(&fit.pearson_dispersion), "{}", fit.pearson_dispersion);
        assert!(fit.deviance < fit.null_deviance);
        assert!((fit.aic - (-2.0 * fit.log_likelihood + 2.0 * 4.0)).abs() < 1e-9);
    }
    // The Poisson model on the same data is overdispersed and says so.
    let poisson = fit_glm(&counts, &pop, &covs, Family::Poisson, &GlmOptions::default()).expect("fit");
    assert!(poisson.warnings.iter().any(|w| matches!(w, GlmWarning::Overdispersed { .. })));
}

#[test]
fn poisson_recovers_the_truth_and_nb_sees_no_overdispersion() {
    let (counts, pop, covs) = simulate(300, None, 5);
    let fit = fit_glm(&counts, &pop, &covs, Family::Poisson, &GlmOptions::default()).expect("fit");
    for (c, truth) in fit.coefficients.iter().zip(TRUTH) {
        assert!(c.lower <= truth && truth <= c.upper, "{}: {truth} not in {c:?}", c.name);
    }
    assert!(fit.warnings.is_empty(), "{:?}", fit.warnings);
    let nb = fit_glm(
        &counts,
        &pop,
        &covs,
        Family::NegativeBinomial(Dispersion::MaximumLikelihood),
        &GlmOptions::default(),
    )
    .expect("fit");
    // Either θ runs off to the cap, or it is large and the coefficients agree with Poisson.
    assert!(nb.theta.expect("θ") > 50.0, "{:?}", nb.theta);
    for (a, b) in nb.coefficients.iter().zip(&fit.coefficients) {
        assert!((a.estimate - b.estimate).abs() < 0.05 * b.std_error.max(0.01) + 0.01);
    }
}

#[test]
fn failures_are_reported() {
    let (counts, pop, covs) = simulate(100, Some(3.0), 2);
    let short = GlmOptions { max_iterations: 1, ..GlmOptions::default() };
    assert!(matches!(
        fit_glm(&counts, &pop, &covs, Family::Poisson, &short),
        Err(Error::NotConverged { .. })
    ));
    let twice = vec![covs[0].clone(), Covariate { name: "copy".into(), values: covs[0].values.clone() }];
    assert_eq!(
        fit_glm(&counts, &pop, &twice, Family::Poisson, &GlmOptions::default()).err(),
        Some(Error::Singular)
    );
    let mut bad = pop.clone();
    bad[0] = 0.0;
    assert!(matches!(
        fit_glm(&counts, &bad, &covs, Family::Poisson, &GlmOptions::default()),
        Err(Error::InvalidInput(_))
    ));
}
