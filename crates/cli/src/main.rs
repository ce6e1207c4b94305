//! `mosy`: the command line of the mosy THB monitoring hub.
//!
//! The only crate that knows clap. Each subcommand parses its flags, calls one use case of the
//! `app` crate (or a pure crate) and renders the result with [`render`].

mod render;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use model::{Codelists, Lang};

/// mosy — monitoring data on trafficking in human beings.
#[derive(Parser)]
#[command(name = "mosy", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a fresh hub with a synthetic Portugal, load it and print a summary.
    Demo {
        /// Data directory of the hub.
        #[arg(long, env = "MOSY_DATA_DIR", default_value = "mosy-data")]
        data_dir: PathBuf,
        /// PostgreSQL URL (postgres://user@host:port/db) instead of the embedded SQLite file.
        #[arg(long, env = "MOSY_DATABASE_URL")]
        database_url: Option<String>,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Victim registrations to generate.
        #[arg(long, default_value_t = 50_000)]
        victims: u64,
        /// First year of synthetic data.
        #[arg(long, default_value_t = 2019)]
        first_year: i32,
        /// Last year of synthetic data (inclusive).
        #[arg(long, default_value_t = 2025)]
        last_year: i32,
        /// Language of labels: en or pt.
        #[arg(long, default_value = "en")]
        lang: Lang,
    },
    /// Write a synthetic national dataset as CSV files in the model's own columns.
    Synth {
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Victim registrations to generate.
        #[arg(long, default_value_t = 50_000)]
        victims: u64,
        /// First year of data.
        #[arg(long, default_value_t = 2019)]
        first_year: i32,
        /// Last year of data (inclusive).
        #[arg(long, default_value_t = 2025)]
        last_year: i32,
        /// Output directory (created if missing).
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
    /// Inspect the codelists built into this binary.
    Codelist {
        #[command(subcommand)]
        command: CodelistCommand,
    },
    /// Create or upgrade a hub database and print its schema version.
    Migrate {
        /// Data directory of the hub (SQLite file `mosy.sqlite` inside).
        #[arg(long, env = "MOSY_DATA_DIR", default_value = "mosy-data")]
        data_dir: PathBuf,
        /// PostgreSQL URL instead of the embedded SQLite file.
        #[arg(long, env = "MOSY_DATABASE_URL")]
        database_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum CodelistCommand {
    /// List every codelist with its version and size.
    List,
    /// Show the codes of one codelist.
    Show {
        /// Codelist id (see `mosy codelist list`).
        id: String,
        /// Language of labels: en or pt.
        #[arg(long, default_value = "en")]
        lang: Lang,
    },
    /// Check the integrity of the bundle (duplicates, crosswalks, labels); exit 1 on a problem.
    Check,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOSY_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let lists = Codelists::embedded();
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Demo { data_dir, database_url, seed, victims, first_year, last_year, lang } => {
            let opts =
                app::demo::DemoOptions { data_dir, database_url, seed, victims, first_year, last_year };
            let started = std::time::Instant::now();
            let outcome = app::demo::run(&opts).context("demo failed")?;
            let mut store = open_store(&opts.data_dir, opts.database_url.as_deref())?;
            let providers = store.providers(lists)?;
            render::demo(&mut out, &opts, &outcome, &providers, lists, lang)?;
            writeln!(out, "\nDone in {:.1} s.", started.elapsed().as_secs_f64())?;
        }
        Command::Synth { seed, victims, first_year, last_year, out: dir } => {
            let as_of =
                chrono::NaiveDate::from_ymd_opt(last_year + 1, 1, 1).context("last year out of range")?;
            let params = synth::Params { seed, victims, first_year, last_year, as_of };
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let started = std::time::Instant::now();
            let s = synth::write_csv(&params, lists, &dir)?;
            let secs = started.elapsed().as_secs_f64();
            writeln!(
                out,
                "wrote {} providers, {} victim registrations, {} suspects, {} prosecutions, {} court decisions to {} in {secs:.2} s ({:.0} victim records/s)",
                s.providers,
                s.victims,
                s.suspects,
                s.prosecutions,
                s.court_decisions,
                dir.display(),
                s.victims as f64 / secs.max(1e-9)
            )?;
        }
        Command::Codelist { command } => match command {
            CodelistCommand::List => render::codelist_list(&mut out, lists)?,
            CodelistCommand::Show { id, lang } => {
                let list = lists
                    .get(&id)
                    .with_context(|| format!("no codelist `{id}` (see `mosy codelist list`)"))?;
                render::codelist_show(&mut out, list, lang)?;
            }
            CodelistCommand::Check => {
                let problems = lists.integrity_problems();
                for p in &problems {
                    writeln!(out, "{p}")?;
                }
                if !problems.is_empty() {
                    writeln!(out, "{} problem(s)", problems.len())?;
                    return Ok(ExitCode::FAILURE);
                }
                writeln!(
                    out,
                    "codelist bundle {} {}: {} lists, {} crosswalks, no problems",
                    lists.bundle(),
                    lists.version(),
                    lists.lists().count(),
                    lists.crosswalks().count()
                )?;
            }
        },
        Command::Migrate { data_dir, database_url } => {
            let mut store = open_store(&data_dir, database_url.as_deref())?;
            store.sync_codelists(lists)?;
            writeln!(out, "schema version {}", store.schema_version()?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Output piped into a program that stopped reading (`mosy … | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn open_store(data_dir: &std::path::Path, database_url: Option<&str>) -> Result<store::Store> {
    Ok(match database_url {
        Some(url) => store::Store::open_postgres(url)?,
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("cannot create {}", data_dir.display()))?;
            store::Store::open_sqlite(&data_dir.join("mosy.sqlite"))?
        }
    })
}
