//! Coverage studies with a known truth: (a) prediction intervals of [`analysis::project`] on
//! monthly Poisson counts with a 1 %/month trend and a ±40 % season; (b) Wald intervals of the
//! negative-binomial regression on simulated regions. Run in release:
//! `cargo run --release -p analysis --example coverage [REPS]`.

use analysis::{Covariate, Dispersion, Family, GlmOptions, Method, ProjectionOptions, fit_glm, project};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Poisson, StandardNormal};

fn mean(t: usize) -> f64 {
    (3.5 + 0.01 * t as f64 + 0.4 * (2.0 * std::f64::consts::PI * t as f64 / 12.0).sin()).exp()
}

fn main() {
    let reps: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let (history, horizon) = (60, 12);
    for level in [0.8, 0.95] {
        let options = ProjectionOptions { horizon, level, simulations: 2000, ..ProjectionOptions::default() };
        let mut inside = vec![0usize; horizon];
        let mut chosen = std::collections::BTreeMap::<Method, usize>::new();
        let (mut mape, mut mase) = (0.0, 0.0);
        for rep in 0..reps {
            let mut rng = ChaCha8Rng::seed_from_u64(10_000 + rep);
            let y: Vec<f64> = (0..history + horizon)
                .map(|t| Poisson::new(mean(t)).expect("poisson").sample(&mut rng))
                .collect();
            let p = project(&y[..history], 12, &options).expect("projection");
            *chosen.entry(p.method).or_default() += 1;
            mape += p.backtest_mape.unwrap_or(f64::NAN);
            mase += p.backtest_mase.unwrap_or(f64::NAN);
            for h in 0..horizon {
                if p.lower[h] <= y[history + h] && y[history + h] <= p.upper[h] {
                    inside[h] += 1;
                }
            }
        }
        let all = inside.iter().sum::<usize>() as f64 / (reps as f64 * horizon as f64);
        let by_h: Vec<String> = inside.iter().map(|&c| format!("{:.2}", c as f64 / reps as f64)).collect();
        println!(
            "projection, {reps} series of {history} months, h = 1..{horizon}, level {level}: coverage {all:.3} \
             (by h: {}); chosen {chosen:?}; mean back-test MAPE {:.1} %, MASE {:.2}",
            by_h.join(" "),
            mape / reps as f64,
            mase / reps as f64
        );
    }
    // (b) NB regression coverage.
    let truth = [-9.0, 0.3, -0.5];
    let mut covered = [0usize; 3];
    let glm_reps = reps.min(500);
    for rep in 0..glm_reps {
        let mut rng = ChaCha8Rng::seed_from_u64(50_000 + rep);
        let n = 300;
        let (mut y, mut pop, mut x1, mut x2) = (vec![], vec![], vec![], vec![]);
        for _ in 0..n {
            let p: f64 = rng.random_range(20_000.0..500_000.0);
            let a: f64 = StandardNormal.sample(&mut rng);
            let b = if rng.random::<f64>() < 0.4 { 1.0 } else { 0.0 };
            let mu = p * (truth[0] + truth[1] * a + truth[2] * b).exp();
            let lambda = Gamma::new(3.0, mu / 3.0).expect("gamma").sample(&mut rng);
            y.push(Some(Poisson::new(lambda.max(1e-12)).expect("poisson").sample(&mut rng) as u64));
            pop.push(p);
            x1.push(a);
            x2.push(b);
        }
        let covs = [Covariate { name: "x1".into(), values: x1 }, Covariate { name: "x2".into(), values: x2 }];
        let fit = fit_glm(
            &y,
            &pop,
            &covs,
            Family::NegativeBinomial(Dispersion::MaximumLikelihood),
            &GlmOptions::default(),
        )
        .expect("fit");
        for (k, c) in fit.coefficients.iter().enumerate() {
            if c.lower <= truth[k] && truth[k] <= c.upper {
                covered[k] += 1;
            }
        }
    }
    println!(
        "NB2 regression, {glm_reps} data sets of 300 regions (θ = 3): 95 % Wald coverage intercept {:.3}, \
         x1 {:.3}, x2 {:.3}",
        covered[0] as f64 / glm_reps as f64,
        covered[1] as f64 / glm_reps as f64,
        covered[2] as f64 / glm_reps as f64
    );
}
