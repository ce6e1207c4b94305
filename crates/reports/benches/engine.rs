//! Engine and release benchmark (issue 4): N synthetic victim registrations (default 10 million)
//! streamed from the generator into the statistics engine; then a 3-dimension cross-tab with one
//! filter, and the full EU key-indicator release for one year (21 tables, suppression), each timed
//! over several runs. Writes the records' queried columns to a CSV so that DuckDB can run the
//! equivalent GROUP BY on the same data in the same run (`bench/stats.sh`).
//!
//! `cargo bench -p reports --bench engine -- [N] [CSV]` prints one JSON object per figure.

use std::hash::Hasher;
use std::io::Write;
use std::time::Instant;

use chrono::NaiveDate;
use model::records::Citizenship;
use model::{Codelists, CourtDecision, ModelCode, Prosecution, Suspect, VictimRegistration};
use stats::{DateRange, Dim, EngineBuilder, Measure, Query, VictimInput};

/// Streams generated records into the engine builder and (optionally) the CSV.
struct Sink<'a> {
    builder: &'a mut EngineBuilder,
    csv: Option<std::io::BufWriter<std::fs::File>>,
}

fn person_of(v: &VictimRegistration) -> u32 {
    // The generator gives every registration of one person the same stand-in linkage keys: the
    // smallest key identifies the person (a 32-bit hash of it; rare collisions do not matter here).
    let mut h = siphasher::sip::SipHasher13::new_with_keys(1, 2);
    match v.linkage_keys.iter().next() {
        Some(k) => h.write(k.to_string().as_bytes()),
        None => {
            h.write(v.provider_id.as_str().as_bytes());
            h.write(v.record_ref.as_str().as_bytes());
        }
    }
    h.finish() as u32
}

impl synth::Sink for Sink<'_> {
    type Error = synth::Error;
    fn victim(&mut self, v: VictimRegistration) -> Result<(), synth::Error> {
        if let Some(w) = &mut self.csv {
            let citizenship = match v.citizenship.first() {
                Some(Citizenship::Country(c)) => c.as_str().to_string(),
                Some(Citizenship::Stateless) => "STLS".to_string(),
                _ => "UNK".to_string(),
            };
            writeln!(
                w,
                "{},{},{},{},{},{},{},{}",
                v.provider_id,
                v.registration_date,
                v.status.code(),
                v.sex.code(),
                v.age_group.code(),
                v.exploitation.main.code(),
                citizenship,
                v.country_of_exploitation
            )
            .expect("write the reference CSV");
        }
        let person = person_of(&v);
        self.builder.victim(VictimInput { record: &v, person });
        Ok(())
    }
    fn suspect(&mut self, s: Suspect) -> Result<(), synth::Error> {
        self.builder.suspect(&s);
        Ok(())
    }
    fn prosecution(&mut self, p: Prosecution) -> Result<(), synth::Error> {
        self.builder.prosecution(&p);
        Ok(())
    }
    fn court_decision(&mut self, d: CourtDecision) -> Result<(), synth::Error> {
        self.builder.court_decision(&d);
        Ok(())
    }
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Times the full key-indicator release of 2024 (computation of the 21 tables and suppression).
fn release(engine: &stats::Engine) {
    let labels = reports::Labeller::new(Codelists::embedded(), model::Lang::En, Default::default());
    let spec = reports::ReportSpec::new(reports::ReportKind::KeyIndicators, Some("2024"));
    let mut times = Vec::new();
    let mut withheld = 0;
    let mut cells = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut r = reports::run(engine, &spec, &labels, &reports::QualityInputs::default(), "bench")
            .expect("the key indicators run");
        let out = reports::release::suppress(&mut r, engine, reports::Audience::Eu, 5, &[]).expect("release");
        times.push(t.elapsed().as_secs_f64());
        cells = out.len();
        withheld = out.iter().filter(|c| c.value.is_none()).count();
    }
    println!(
        "{{\"op\":\"key_indicator_release_2024\",\"tables\":21,\"cells\":{cells},\"withheld\":{withheld},\"runs\":{},\
         \"median_s\":{:.3},\"min_s\":{:.3}}}",
        times.len(),
        median(times.clone()),
        times.iter().copied().fold(f64::INFINITY, f64::min)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    let csv_path = args.get(1).cloned();
    let lists = Codelists::embedded();
    let params = synth::Params {
        seed: 42,
        victims: n,
        first_year: 2016,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).expect("valid date"),
    };
    let generator = synth::Generator::new(&params, lists).expect("generator parameters are valid");
    let mut builder = EngineBuilder::new(lists, "PT", generator.providers(), [42; 16]);
    let started = Instant::now();
    let csv = csv_path.as_ref().map(|p| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(p).expect("create the reference CSV"));
        writeln!(
            w,
            "provider,registration_date,status,sex,age_group,main_exploitation,citizenship,country_of_exploitation"
        )
        .expect("write");
        w
    });
    let mut sink = Sink { builder: &mut builder, csv };
    generator.run(&mut sink).expect("generation succeeds");
    if let Some(mut w) = sink.csv.take() {
        w.flush().expect("flush the reference CSV");
    }
    let generated = started.elapsed().as_secs_f64();
    let built_at = Instant::now();
    let engine = builder.build();
    let build = built_at.elapsed().as_secs_f64();
    let stats = engine.stats();
    println!(
        "{{\"op\":\"build\",\"registrations\":{},\"persons\":{},\"offender_rows\":{},\"generate_s\":{generated:.2},\
         \"build_s\":{build:.2},\"engine_bytes\":{},\"bytes_per_record\":{:.1},\"victim_bytes_per_registration\":{:.1},\
         \"rss_mib\":{},\"peak_rss_mib\":{}}}",
        stats.registrations,
        stats.persons,
        stats.offender_rows,
        stats.bytes,
        stats.bytes_per_record(),
        stats.bytes_per_registration(),
        rss_kib("VmRSS:") / 1024,
        rss_kib("VmHWM:") / 1024
    );
    let queries = [
        (
            "crosstab_3d_filter",
            Query::new(Measure::Registrations, &[Dim::Sex, Dim::AgeGroup, Dim::Exploitation])
                .filter(Dim::CountryOfExploitation, &["PT"])
                .period(DateRange::year(2024)),
        ),
        (
            "persons_3d_filter",
            Query::new(Measure::Persons, &[Dim::Sex, Dim::AgeGroup, Dim::Exploitation])
                .filter(Dim::CountryOfExploitation, &["PT"])
                .period(DateRange::year(2024)),
        ),
    ];
    release(&engine);
    for (name, q) in &queries {
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..11 {
            let t = Instant::now();
            let ct = engine.crosstab(q).expect("the benchmark query is valid");
            times.push(t.elapsed().as_secs_f64());
            total = ct.counts.iter().sum::<u64>();
        }
        let t = Instant::now();
        let table = engine.table(q).expect("the benchmark query is valid");
        let with_margins = t.elapsed().as_secs_f64();
        assert_eq!(table.total().count, total);
        println!(
            "{{\"op\":\"{name}\",\"rows\":{},\"counted\":{total},\"runs\":{},\"median_s\":{:.5},\"min_s\":{:.5},\
             \"with_margins_s\":{with_margins:.5}}}",
            stats.registrations,
            times.len(),
            median(times.clone()),
            times.iter().copied().fold(f64::INFINITY, f64::min)
        );
    }
}
