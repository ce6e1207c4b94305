//! Measures the bulk paths: imports 1M synthetic victim registrations, one submission per
//! (provider, quarter) as `app::load` groups them, reads the de-duplication inputs back and
//! replaces the persons.
//!
//! `cargo run --release -p store --example import_bench [victims] [database]`: SQLite in a
//! temporary directory by default, or the `Store::open` location given (a fresh PostgreSQL
//! schema, say); prints rows per second.

use std::collections::BTreeMap;
use std::time::Instant;

use model::codes::SubmissionAction;
use model::{
    Batch, Codelists, Context, CourtDecision, ModelRecord, Period, Prosecution, ProviderId, Submission,
    SubmissionStatus, Suspect, VictimRegistration,
};
use store::Store;

/// Keeps the victims only.
#[derive(Default)]
struct Victims(Vec<VictimRegistration>);

impl synth::Sink for Victims {
    type Error = synth::Error;
    fn victim(&mut self, record: VictimRegistration) -> Result<(), synth::Error> {
        self.0.push(record);
        Ok(())
    }
    fn suspect(&mut self, _: Suspect) -> Result<(), synth::Error> {
        Ok(())
    }
    fn prosecution(&mut self, _: Prosecution) -> Result<(), synth::Error> {
        Ok(())
    }
    fn court_decision(&mut self, _: CourtDecision) -> Result<(), synth::Error> {
        Ok(())
    }
}

/// CPU seconds (user + system) of this process so far, from `/proc/self/stat` (Linux; 0 elsewhere):
/// on a shared machine a steadier measure than wall time.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Prints wall and CPU time of a phase over `rows`.
fn report(phase: &str, rows: usize, wall: Instant, cpu: f64) {
    let wall = wall.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    println!(
        "{phase}: {rows} rows, wall {wall:.2} s ({:.0} rows/s), cpu {cpu:.2} s ({:.0} rows/cpu-s)",
        rows as f64 / wall,
        rows as f64 / cpu.max(0.01)
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args().nth(1).map_or(Ok(1_000_000), |a| a.parse())?;
    let lists = Codelists::embedded();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?;
    let params = synth::Params { seed: 7, victims: n, first_year: 2008, last_year: 2025, as_of };
    let generator = synth::Generator::new(&params, lists)?;
    let mut victims = Victims::default();
    generator.run(&mut victims)?;
    let register: BTreeMap<ProviderId, model::DataProvider> =
        generator.providers().iter().map(|p| (p.id.clone(), p.clone())).collect();
    let country = model::Code::parse("PT", lists).ok_or("PT")?;
    let ctx = Context { reporting_country: country, as_of, providers: Some(&register) };
    let key_id = model::NationalCode::new("K1").ok_or("key id")?;

    let mut groups: BTreeMap<(ProviderId, Period), Batch> = BTreeMap::new();
    for (i, mut v) in victims.0.into_iter().enumerate() {
        // Two linkage keys on most records, as a provider with the privacy tool would send.
        if i % 5 != 0 {
            let key = |salt: u64| {
                let x = (i as u64 / 3).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt;
                let mut b = [0u8; 16];
                b[..8].copy_from_slice(&x.to_le_bytes());
                b[8..].copy_from_slice(&x.rotate_left(17).to_le_bytes());
                model::LinkageKey::from_bytes(b)
            };
            v.linkage_key_id = Some(key_id.clone());
            v.linkage_keys = [key(1), key(2)].into_iter().collect();
        }
        let key = (v.provider_id.clone(), Period::of_date(v.registration_date));
        let valid = v.validate(&ctx).map_err(|e| e.to_string())?;
        groups.entry(key).or_default().victims.push(valid);
    }

    let dir = tempfile::tempdir()?;
    let location = match std::env::args().nth(2) {
        Some(location) => location,
        None => dir.path().join("bench.db").to_string_lossy().into_owned(),
    };
    let mut store = Store::open(&location)?;
    for p in generator.providers() {
        store.upsert_provider(p)?;
    }
    let (start, cpu) = (Instant::now(), cpu_seconds());
    for (i, ((provider_id, period), batch)) in groups.iter().enumerate() {
        let mut sha256 = [0u8; 32];
        sha256[..8].copy_from_slice(&(i as u64).to_le_bytes());
        let sub = Submission {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            provider_id: provider_id.clone(),
            period: *period,
            schema_version: model::SCHEMA_VERSION.to_owned(),
            codelist_version: lists.version().to_owned(),
            submitted_at: chrono::Utc::now(),
            action: SubmissionAction::Replace,
            record_count: u32::try_from(batch.len())?,
            sha256,
        };
        store.import_submission(&sub, sha256, SubmissionStatus::Accepted, batch)?;
    }
    report(&format!("import_submission ({} submissions)", groups.len()), n as usize, start, cpu);

    let (start, cpu) = (Instant::now(), cpu_seconds());
    let inputs = store.victim_link_inputs()?;
    report("victim_link_inputs", inputs.len(), start, cpu);

    // One person per two consecutive registrations: a stand-in for the real de-duplication.
    let members: Vec<_> = inputs
        .iter()
        .enumerate()
        .map(|(i, l)| (&*l.provider_id, &l.record_ref, u32::try_from(i / 2).unwrap_or(u32::MAX)))
        .collect();
    let persons: Vec<_> = inputs
        .chunks(2)
        .enumerate()
        .map(|(i, c)| store::PersonRow {
            person_id: u32::try_from(i).unwrap_or(u32::MAX),
            status: c[0].status,
            first_registration_date: c[0].registration_date,
            registrations: u32::try_from(c.len()).unwrap_or(0),
            providers: 1,
        })
        .collect();
    let (start, cpu) = (Instant::now(), cpu_seconds());
    store.replace_persons(&persons, &members)?;
    report(&format!("replace_persons ({} persons)", persons.len()), members.len(), start, cpu);
    let start = Instant::now();
    let counts = store.person_counts()?;
    println!("person_counts: {counts:?} in {:.3} s", start.elapsed().as_secs_f64());
    if let Ok(meta) = std::fs::metadata(&location) {
        println!("database file {} MB", meta.len() / 1_000_000);
    }
    drop(store);
    drop(dir);
    // Skip freeing a million records: the process ends here.
    std::process::exit(0)
}
