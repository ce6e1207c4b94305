//! `mosy demo`: a fresh hub database with a synthetic Portugal, loaded and summarised.

use std::path::{Path, PathBuf};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_owned(), source }
}

use chrono::NaiveDate;
use model::Codelists;
use store::Store;

use crate::load::{LoadReport, load_dir};
use crate::summary::{Summary, summary};
use crate::{Error, Result};

/// Where the demo puts its hub and how big the synthetic country is.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Data directory (synthetic files go to `<dir>/synthetic`, the SQLite hub to `<dir>/mosy.sqlite`).
    pub data_dir: PathBuf,
    /// A PostgreSQL URL instead of the embedded SQLite file; it must hold no submissions yet.
    pub database_url: Option<String>,
    /// Generator seed.
    pub seed: u64,
    /// Victim registrations to generate.
    pub victims: u64,
    /// First year of data.
    pub first_year: i32,
    /// Last year of data (inclusive).
    pub last_year: i32,
}

/// What the demo did.
#[derive(Clone, Debug)]
pub struct DemoOutcome {
    /// Where the hub database is (path or redacted URL).
    pub database: String,
    /// Where the synthetic files are.
    pub synthetic_dir: PathBuf,
    /// What was loaded.
    pub load: LoadReport,
    /// The overview.
    pub summary: Summary,
    /// Victim registrations de-duplicated into persons.
    pub persons: crate::persons::PersonStats,
}

/// Runs the demo.
#[tracing::instrument(skip_all)]
pub fn run(opts: &DemoOptions) -> Result<DemoOutcome> {
    let lists = Codelists::embedded();
    std::fs::create_dir_all(&opts.data_dir).map_err(io(&opts.data_dir))?;
    let as_of = NaiveDate::from_ymd_opt(opts.last_year + 1, 1, 1).unwrap_or(NaiveDate::MAX);
    let synthetic_dir = opts.data_dir.join("synthetic");
    std::fs::create_dir_all(&synthetic_dir).map_err(io(&synthetic_dir))?;
    let params = synth::Params {
        seed: opts.seed,
        victims: opts.victims,
        first_year: opts.first_year,
        last_year: opts.last_year,
        as_of,
    };
    synth::write_csv(&params, lists, &synthetic_dir)?;

    let (mut store, database) = match &opts.database_url {
        Some(url) => {
            let store = Store::open_postgres(url)?;
            (store, store::redact_url(url))
        }
        None => {
            let path = opts.data_dir.join("mosy.sqlite");
            for suffix in ["", "-wal", "-shm"] {
                let p = PathBuf::from(format!("{}{suffix}", path.display()));
                if p.exists() {
                    std::fs::remove_file(&p).map_err(io(&p))?;
                }
            }
            (Store::open_sqlite(&path)?, path.display().to_string())
        }
    };
    if !store.submissions()?.is_empty() {
        return Err(Error::NotFresh);
    }
    store.sync_codelists(lists)?;
    let load = load_dir(&mut store, &synthetic_dir, lists, "PT", as_of)?;
    let persons = crate::persons::recompute(&mut store)?;
    let summary = summary(&mut store)?;
    Ok(DemoOutcome { database, synthetic_dir, load, summary, persons })
}
