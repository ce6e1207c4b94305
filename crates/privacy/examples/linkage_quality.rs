//! Linkage quality of the key set on synthetic noisy registrations (privacy.md §1.4).
//!
//! `cargo run --release -p privacy --example linkage_quality -- [persons] [reregistered] [seed]`
//! (default 50,000 persons, 15,000 re-registered). Prints precision, recall and F1 of the full
//! key set and of the set without each key, and the time spent.

use std::io::Write;
use std::time::Instant;

use model::ids::NationalCode;
use privacy::testkit::{Params, evaluate, generate, link, truth};
use privacy::{KeyKind, LinkageSecret};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let persons = arg(0, 50_000);
    let reregistered = arg(1, persons * 3 / 10);
    let seed = arg(2, 20_251_125) as u64;
    let key_id = NationalCode::new("EXAMPLE").ok_or("bad key id")?;
    let secret = LinkageSecret::generate(key_id, [0x5a; 32]);

    let mut out = std::io::stdout().lock();
    let start = Instant::now();
    let registrations = generate(&Params::new(persons, reregistered, seed));
    let truth = truth(&registrations);
    writeln!(
        out,
        "{} registrations of {persons} persons ({reregistered} re-registered), generated in {:.2?}",
        registrations.len(),
        start.elapsed()
    )?;

    let mut report = |label: &str, kinds: &[KeyKind]| -> Result<(), Box<dyn std::error::Error>> {
        let start = Instant::now();
        let clusters = link(&registrations, &secret, kinds);
        let q = evaluate(&clusters, &truth);
        writeln!(
            out,
            "{label:<24} precision {:.4}  recall {:.4}  F1 {:.4}  (true pairs {}, found {}, correct {})  {:.2?}",
            q.precision,
            q.recall,
            q.f1,
            q.true_pairs,
            q.found_pairs,
            q.correct_pairs,
            start.elapsed()
        )?;
        Ok(())
    };
    report("all keys", &KeyKind::ALL)?;
    for left_out in KeyKind::ALL {
        let kinds: Vec<KeyKind> = KeyKind::ALL.into_iter().filter(|k| *k != left_out).collect();
        report(&format!("without {}", left_out.label()), &kinds)?;
    }
    for only in KeyKind::ALL {
        report(&format!("only {}", only.label()), &[only])?;
    }
    Ok(())
}
