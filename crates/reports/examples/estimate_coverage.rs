//! Coverage of the estimate report on synthetic hub data with a known population: persons seen
//! by five providers with known, partly dependent probabilities (two providers see more often
//! those another one saw: referrals); the unseen are hidden; the engine is built from the seen
//! registrations only (linked into persons), and the report estimates the total. Over repeated
//! seeded draws, the fraction of intervals covering the truth is the coverage.
//!
//! `cargo run --release -p reports --example estimate_coverage` runs the larger study; the
//! integration tests run a modest one with the same code.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::{Codelists, ProviderId, RecordRef};
use reports::{Audience, GridValue, Labeller, QualityInputs, ReportKind, ReportSpec};
use stats::{EngineBuilder, VictimInput};

fn population() -> Vec<mse::SyntheticList> {
    let l = |name: &str, p: f64, depends_on| mse::SyntheticList { name: name.into(), p, depends_on };
    vec![
        l("a", 0.25, None),
        l("b", 0.15, Some((0, 0.35))),
        l("c", 0.2, None),
        l("d", 0.12, Some((2, 0.3))),
        l("e", 0.1, None),
    ]
}

/// One draw: the hub of the persons seen, and the estimate's interval for the total.
fn draw(truth: u64, seed: u64, interval: &str) -> (u64, Option<(u64, u64)>) {
    let lists = Codelists::embedded();
    let params = synth::Params {
        seed: 1,
        victims: 10,
        first_year: 2025,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    };
    let data = synth::generate(&params, lists);
    let template = data.victims[0].clone();
    let providers: Vec<String> = data.providers.iter().take(5).map(|p| p.id.as_str().to_string()).collect();
    // Who saw whom: the capture patterns of the whole population; the unseen are not in it.
    let ch = mse::synthetic(truth, &population(), seed).unwrap();
    let mut b = EngineBuilder::new(lists, "PT", &data.providers, [seed as u8; 16]);
    let mut person = 0u32;
    let mut row = 0u32;
    for (mask, &count) in ch.counts().iter().enumerate() {
        for _ in 0..count {
            person += 1;
            for (i, p) in providers.iter().enumerate() {
                if mask & (1 << i) == 0 {
                    continue;
                }
                row += 1;
                let mut v = template.clone();
                v.provider_id = ProviderId::new(p).unwrap();
                v.record_ref = RecordRef::new(&format!("R{row}")).unwrap();
                v.registration_date =
                    NaiveDate::from_yo_opt(2025, 1 + (person * 7 + i as u32) % 360).unwrap();
                v.status_date = v.registration_date;
                v.status = model::codes::VictimStatus::Confirmed;
                b.victim(VictimInput { record: &v, person });
            }
        }
    }
    let engine = b.build();
    let kind = ReportKind::Estimate {
        lists: providers.iter().map(|p| vec![p.clone()]).collect(),
        list_by: None,
        selection: "stepwise".into(),
        max_order: None,
        interval: interval.into(),
        resamples: None,
        seed: None,
    };
    let mut spec = ReportSpec::new(kind, Some("2025"));
    spec.audience = Audience::National;
    let labels = Labeller::new(lists, model::Lang::En, BTreeMap::new());
    let r = reports::run(&engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap();
    let g = r.sections[0].grid.as_ref().unwrap();
    let observed = match g.rows[0][1] {
        GridValue::Int(n) => n,
        _ => panic!("observed"),
    };
    assert_eq!(observed, ch.observed(), "the hub sees exactly the persons drawn");
    let iv = match (&g.rows[1][2], &g.rows[1][3]) {
        (GridValue::Int(lo), GridValue::Int(hi)) => Some((*lo, *hi)),
        (GridValue::Int(lo), GridValue::Text(_)) => Some((*lo, u64::MAX)),
        _ => None,
    };
    (observed, iv)
}

/// Intervals covering the truth over `draws` seeded draws, the draws, and the persons seen on
/// average.
pub(crate) fn coverage(truth: u64, draws: u64, interval: &str) -> (u64, u64, f64) {
    let mut covered = 0;
    let mut observed = 0;
    for seed in 0..draws {
        let (o, iv) = draw(truth, 1000 + seed, interval);
        observed += o;
        if iv.is_some_and(|(lo, hi)| lo <= truth && truth <= hi) {
            covered += 1;
        }
    }
    (covered, draws, observed as f64 / draws as f64)
}

fn main() {
    for (truth, draws, interval) in [
        (2000, 1000, "wald"),
        (2000, 1000, "profile"),
        (500, 1000, "wald"),
        (5000, 500, "wald"),
        (2000, 50, "bootstrap"),
    ] {
        let started = std::time::Instant::now();
        let (covered, draws, seen) = coverage(truth, draws, interval);
        println!(
            "N = {truth}, stepwise, {interval}: {covered}/{draws} = {:.1}% ({seen:.0} seen on average, {:.1} s)",
            100.0 * covered as f64 / draws as f64,
            started.elapsed().as_secs_f64()
        );
    }
}
