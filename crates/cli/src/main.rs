//! `mosy`: the command line of the mosy THB monitoring hub.
//!
//! The only crate that knows clap. Each subcommand parses its flags, calls one use case of the
//! `app` crate (or a pure crate) and renders the result with [`render`].

mod commands;
mod render;
mod reporting;
mod web;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use model::{Codelists, Lang};

/// mosy — monitoring data on trafficking in human beings.
#[derive(Parser)]
#[command(name = "mosy", version, about = "mosy: monitoring data on trafficking in human beings (THB)", long_about = None)]
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
    /// Linkage secrets (at the provider).
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Mapping profiles.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// At the provider, offline: strip identities from a raw export and write a submission file
    /// with model fields and keyed linkage keys only.
    Prepare {
        /// The provider's mapping profile (with an [identity] section).
        #[arg(long)]
        profile: PathBuf,
        /// The provider's linkage secret (`mosy key generate`).
        #[arg(long)]
        key_file: PathBuf,
        /// The raw export.
        raw: PathBuf,
        /// The submission file to write.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Write the full validation report here (.csv or .json).
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// At the hub: import one provider's files as submissions (one per quarter), all or nothing.
    Import {
        /// The submitting provider.
        #[arg(long)]
        provider: String,
        /// Its mapping profile; without it the files must be in the model's own columns.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// `reject-all`: any problem rejects the import; `accept-valid`: store the valid rows.
        /// Default: the hub's setting (`mosy hub set-policy`), reject-all if never set.
        #[arg(long)]
        policy: Option<app::intake::Policy>,
        /// Write the full validation report here (.csv or .json).
        #[arg(long)]
        report: Option<PathBuf>,
        /// The hub's country.
        #[arg(long, default_value = "PT")]
        country: String,
        /// Files to import.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Hub settings.
    Hub {
        #[command(subcommand)]
        command: HubCommand,
    },
    /// The hub's register of data providers.
    Provider {
        #[command(subcommand)]
        command: ProviderCommand,
    },
    /// Submissions and their lifecycle.
    Submission {
        #[command(subcommand)]
        command: SubmissionCommand,
    },
    /// Recompute persons (de-duplication across providers) and print the counts.
    Persons {
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Reports: simple, total, time-frame, geo, key indicators, data quality, estimate.
    Report {
        #[command(subcommand)]
        command: reporting::ReportCommand,
    },
    /// Estimate the victims no provider saw (multiple systems estimation over lists of providers,
    /// or over a capture-history table with --histories).
    Estimate(reporting::EstimateArgs),
    /// Analysis for decision making: hot and cold spots over regions, association of region
    /// counts with region indicators, projections of a series.
    #[command(alias = "analyze")]
    Analyse {
        #[command(subcommand)]
        command: reporting::AnalyseCommand,
    },
    /// Protected releases of the key indicators (SDMX), frozen once made.
    Release {
        #[command(subcommand)]
        command: reporting::ReleaseCommand,
    },
    /// Region boundaries for maps.
    Geo {
        #[command(subcommand)]
        command: reporting::GeoCommand,
    },
    /// Run the web application.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// First create a demo hub (synthetic data) with users of every role, and print their passwords.
        #[arg(long)]
        demo: bool,
        /// `national` or `eu` (an EU hub: receives national releases, shows EU totals).
        #[arg(long, default_value = "national")]
        level: String,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// The EU level, at an EU hub: national releases handed over as files, EU totals.
    Eu {
        #[command(subcommand)]
        command: EuCommand,
    },
    /// Users of the web application.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens for machine submission by provider users.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The hash-chained audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
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
enum UserCommand {
    /// Add (or replace) a user; the password is read from stdin, or generated and printed.
    Add {
        /// Login name.
        id: String,
        /// hub_admin, analyst, provider_user or eu_viewer.
        #[arg(long)]
        role: String,
        /// The provider of a provider user.
        #[arg(long)]
        provider: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue a token to a provider user (printed once; only its hash is stored).
    Issue {
        /// The provider user's login name.
        id: String,
        /// What the token is for.
        #[arg(long)]
        label: String,
        /// Days of validity (at most 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// List issued tokens (the start of their hash, never the secret).
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Revoke a token by the 8 hex digits that `token list` shows.
    Revoke {
        /// The token's id as listed.
        id: String,
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the audit chain; exit 1 with the first broken event.
    Verify {
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(clap::Args)]
pub(crate) struct HubArgs {
    /// Data directory of the hub (SQLite file `mosy.sqlite` inside).
    #[arg(long, env = "MOSY_DATA_DIR", default_value = "mosy-data")]
    pub(crate) data_dir: PathBuf,
    /// PostgreSQL URL instead of the embedded SQLite file.
    #[arg(long, env = "MOSY_DATABASE_URL")]
    pub(crate) database_url: Option<String>,
}

#[derive(clap::Args)]
struct ReadArgs {
    /// XLSX sheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Generate a new linkage secret (at the provider; the file never leaves it).
    Generate {
        /// Key id recorded with every linkage key (e.g. `PT-2026-1`).
        #[arg(long)]
        key_id: String,
        /// Output file (refuses to overwrite).
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Report a profile's coverage of a file before anything is imported (runs at the provider).
    Check {
        /// The mapping profile (TOML).
        profile: PathBuf,
        /// The provider's export.
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
    },
}

#[derive(Subcommand)]
enum HubCommand {
    /// Set the hub's default intake policy: `reject-all` (any problem rejects an import) or
    /// `accept-valid` (store the valid rows, report the others).
    SetPolicy {
        /// The policy.
        policy: app::intake::Policy,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Print the hub's settings.
    Show {
        #[command(flatten)]
        hub: HubArgs,
    },
    /// At an EU hub: register the national hub of a country (or give it a new token, which ends
    /// the old one); prints its hub token once.
    Add {
        /// Country code (PT, ES, …).
        country: String,
        /// Display name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// At an EU hub: list the registered national hubs.
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(Subcommand)]
pub(crate) enum EuCommand {
    /// Receive a national release handed over as a file (`mosy release export` at the national hub):
    /// checked like a push, stored as the next revision of the country and period.
    Import {
        /// The SDMX-CSV file.
        file: PathBuf,
        /// The sending country.
        #[arg(long)]
        country: String,
        /// The release period; default: the file's coarsest TIME_PERIOD.
        #[arg(long)]
        period: Option<String>,
        /// The national release id; default: the file name without extension.
        #[arg(long)]
        release: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Print the EU totals of a period: per cell, the sum of the published national values and the
    /// countries withheld or missing.
    Totals {
        /// `2024`, `2024-Q2`.
        #[arg(long)]
        period: String,
        /// One indicator (V1_03, …).
        #[arg(long)]
        indicator: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(Subcommand)]
enum ProviderCommand {
    /// Register or update the providers of a register file (columns provider_id, name,
    /// provider_type, country, nuts, can_formally_identify, submits, valid_from, valid_to).
    Load {
        /// The register file (CSV).
        file: PathBuf,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// List the registered providers.
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
}

#[derive(Subcommand)]
enum SubmissionCommand {
    /// Every submission with revision and status.
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Accept a validated submission.
    Accept {
        /// Submission id.
        id: uuid::Uuid,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Reject a submission.
    Reject {
        /// Submission id.
        id: uuid::Uuid,
        /// Why.
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Approve (lock) an accepted submission.
    Approve {
        /// Submission id.
        id: uuid::Uuid,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Reopen an approved submission so its period can be revised.
    Reopen {
        /// Submission id.
        id: uuid::Uuid,
        /// Why (required).
        #[arg(long)]
        note: String,
        #[command(flatten)]
        hub: HubArgs,
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
        Command::Key { command: KeyCommand::Generate { key_id, out: path } } => {
            let id =
                model::NationalCode::new(&key_id).context("key id: letters, digits and _ . : / - only")?;
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
            let secret = privacy::LinkageSecret::generate(id, bytes);
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
            f.write_all(secret.to_text().as_bytes())?;
            writeln!(
                out,
                "wrote linkage secret `{key_id}` to {}; keep it at the provider, never send it to the hub",
                path.display()
            )?;
        }
        Command::Profile { command: ProfileCommand::Check { profile, file, read } } => {
            let profile = load_profile(&profile, lists)?;
            let text = commands::profile_check(&profile, &file, &read_options(&read), lists)?;
            write!(out, "{text}")?;
        }
        Command::Prepare { profile, key_file, raw, out: target, report, read } => {
            let profile = load_profile(&profile, lists)?;
            let key_text = std::fs::read_to_string(&key_file)
                .with_context(|| format!("cannot read key file {}", key_file.display()))?;
            let secret = privacy::LinkageSecret::parse(&key_text)
                .with_context(|| format!("key file {}", key_file.display()))?;
            let req = app::prepare::PrepareRequest {
                raw,
                profile: &profile,
                secret: &secret,
                out: target.clone(),
                read: read_options(&read),
                reporting_country: country_code("PT", lists)?,
                as_of: chrono::Utc::now().date_naive(),
            };
            let result = app::prepare::prepare(lists, &req)?;
            result.report.write_text(&mut out, 20)?;
            if let Some(path) = report {
                commands::write_report(&result.report, &path)?;
            }
            writeln!(
                out,
                "wrote {} record(s) ({} with linkage keys) to {}",
                result.written,
                result.with_keys,
                target.display()
            )?;
            if !result.report.is_clean() {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Import { provider, profile, policy, report, country, files, read, hub } => {
            let provider = model::ProviderId::new(&provider).context("provider id syntax")?;
            let profile = profile.map(|p| load_profile(&p, lists)).transpose()?;
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            store.sync_codelists(lists)?;
            let policy = match policy {
                Some(p) => p,
                None => app::intake::hub_policy(&mut store)?,
            };
            let req = app::intake::ImportRequest {
                provider,
                files,
                profile: profile.as_ref(),
                policy,
                read: read_options(&read),
                reporting_country: country_code(&country, lists)?,
                as_of: chrono::Utc::now().date_naive(),
                submitted_at: chrono::Utc::now(),
            };
            let bar = commands::progress_bar();
            let result = app::intake::import(&mut store, lists, &req, &mut |n| bar.inc(n))?;
            bar.finish_and_clear();
            if let Some(path) = report {
                commands::write_report(&result.report, &path)?;
            }
            commands::print_import(&mut out, &result)?;
            if !result.committed {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Hub { command: HubCommand::SetPolicy { policy, hub } } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            app::intake::set_hub_policy(&mut store, policy)?;
            writeln!(out, "intake policy: {}", policy.as_str())?;
        }
        Command::Hub { command: HubCommand::Show { hub } } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            writeln!(out, "schema version {}", store.schema_version()?)?;
            writeln!(out, "intake policy: {}", app::intake::hub_policy(&mut store)?.as_str())?;
            for (k, v) in store.settings()? {
                writeln!(out, "{k} = {v}")?;
            }
        }
        Command::Provider { command: ProviderCommand::Load { file, hub } } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            store.sync_codelists(lists)?;
            let providers = app::load::load_providers(&mut store, &file, lists)?;
            writeln!(out, "registered {} provider(s)", providers.len())?;
        }
        Command::Provider { command: ProviderCommand::List { hub } } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            for p in store.providers(lists)? {
                let submits: Vec<&str> = p.submits.iter().map(|t| model::ModelCode::code(*t)).collect();
                writeln!(
                    out,
                    "{:<14}  {:<12}  {}  [{}]",
                    p.id.as_str(),
                    model::ModelCode::code(p.provider_type),
                    p.name,
                    submits.join("|")
                )?;
            }
        }
        Command::Submission { command } => commands::submission(&mut out, command, lists)?,
        Command::Persons { hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let stats = app::persons::recompute(&mut store)?;
            writeln!(
                out,
                "{} registrations, {} persons, {} registered by more than one provider",
                stats.registrations, stats.persons, stats.multi_provider
            )?;
            for (n, persons) in store.persons_by_registration_count()? {
                writeln!(out, "  {persons} person(s) with {n} registration(s)")?;
            }
        }
        Command::Report { command } => reporting::report(&mut out, command, lists)?,
        Command::Estimate(args) => reporting::estimate(&mut out, args, lists)?,
        Command::Analyse { command } => reporting::analyse(&mut out, command, lists)?,
        Command::Release { command } => reporting::release(&mut out, command, lists)?,
        Command::Geo { command } => reporting::geo(&mut out, command)?,
        Command::Serve { bind, demo, level, hub } => {
            let level = match level.as_str() {
                "national" => server::Level::National,
                "eu" => server::Level::Eu,
                other => anyhow::bail!("unknown level {other} (national, eu)"),
            };
            let args =
                web::ServeArgs { bind, demo, level, data_dir: hub.data_dir, database_url: hub.database_url };
            return web::serve(&mut out, args);
        }
        Command::Hub { command: HubCommand::Add { country, name, hub } } => {
            return web::hub_add(&mut out, &country, &name, &hub);
        }
        Command::Hub { command: HubCommand::List { hub } } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            for h in store.eu_hubs()? {
                writeln!(
                    out,
                    "{:<4}  {:<20}  {}  token {}…",
                    h.country,
                    h.created_at,
                    h.name,
                    &h.token_hash[..8]
                )?;
            }
        }
        Command::Eu { command } => return web::eu(&mut out, command),
        Command::User { command: UserCommand::Add { id, role, provider, hub } } => {
            return web::user_add(&mut out, &id, &role, provider.as_deref(), &hub);
        }
        Command::Token { command } => {
            return match command {
                TokenCommand::Issue { id, label, days, hub } => {
                    web::token_issue(&mut out, &id, &label, days, &hub)
                }
                TokenCommand::List { hub } => web::token_list(&mut out, &hub),
                TokenCommand::Revoke { id, hub } => web::token_revoke(&mut out, &id, &hub),
            };
        }
        Command::Audit { command: AuditCommand::Verify { hub } } => return web::audit_verify(&mut out, &hub),
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

fn load_profile(path: &std::path::Path, lists: &Codelists) -> Result<ingest::profile::Profile> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read profile {}", path.display()))?;
    ingest::profile::Profile::parse(&text, lists).with_context(|| format!("profile {}", path.display()))
}

fn read_options(read: &ReadArgs) -> ingest::read::ReadOptions {
    ingest::read::ReadOptions { sheet: read.sheet.clone(), ..ingest::read::ReadOptions::standard() }
}

fn country_code(code: &str, lists: &Codelists) -> Result<model::Code<model::code::Country>> {
    model::Code::parse(code, lists).with_context(|| format!("`{code}` is not a country code"))
}

pub(crate) fn open_store(data_dir: &std::path::Path, database_url: Option<&str>) -> Result<store::Store> {
    Ok(match database_url {
        Some(url) => store::Store::open_postgres(url)?,
        None => {
            std::fs::create_dir_all(data_dir)
                .with_context(|| format!("cannot create {}", data_dir.display()))?;
            store::Store::open_sqlite(&data_dir.join("mosy.sqlite"))?
        }
    })
}
