//! The statistics commands: `mosy report KIND`, `mosy estimate`, `mosy analyse KIND`, `mosy release`,
//! `mosy geo`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use app::reporting::{self, Format};
use model::Codelists;
use reports::{Audience, GeoLevel, ReportKind, ReportSpec};

use crate::{HubArgs, open_store};

/// Options shared by every report kind.
#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Period: `2025`, `2025-Q2`, `2025-03` or `2024-01-01..2025-06-30` (default: all data).
    #[arg(long)]
    period: Option<String>,
    /// Filter `DIM=CODE[,CODE…]` (repeatable), e.g. `--filter sex=F --filter provider_type=POLICE,NGO`.
    #[arg(long = "filter", value_name = "DIM=CODES")]
    filters: Vec<String>,
    /// Count forms of exploitation under every form (multi-count) instead of the main form.
    #[arg(long)]
    multi_count: bool,
    /// Who the report is for: `national` and `provider` get exact counts; `public` and `eu` get the
    /// cell key method.
    #[arg(long, default_value = "national")]
    audience: String,
    /// For `--audience provider`: the provider whose own data the report covers.
    #[arg(long)]
    provider: Option<String>,
    /// Label language (`en`, `pt`).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Output formats, comma-separated: text, csv, json, xlsx, sdmx, html, or `all`
    /// (default: text tables on stdout, csv with `-o`).
    #[arg(long)]
    format: Option<String>,
    /// Output file stem (`report` → report.csv, report.html…); without it, the report goes to stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    hub: HubArgs,
}

/// The kinds of report.
#[derive(clap::Subcommand)]
pub(crate) enum ReportCommand {
    /// A cross-tab of 1–3 variables with totals.
    Simple {
        /// What to count: registrations, persons, suspects, prosecuted, finalised_prosecutions, convicted.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// Variables, comma-separated (e.g. `sex,age_group`); `mosy report dims` lists them.
        #[arg(long)]
        dims: String,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// From one to all providers: registrations per provider, their sum, persons de-duplicated,
    /// and the overlap between providers.
    Total {
        /// Provider ids, comma-separated (default: all).
        #[arg(long)]
        providers: Option<String>,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// A variable over time with the change against the previous period.
    TimeFrame {
        /// What to count.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// Variable (optional).
        #[arg(long)]
        dim: Option<String>,
        /// month, quarter or year.
        #[arg(long, default_value = "quarter")]
        granularity: String,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// By region (table and map) and origin → destination flows.
    Geo {
        /// What to count.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// country, nuts1, nuts2, nuts3 or district.
        #[arg(long, default_value = "nuts2")]
        level: String,
        /// Origin of flows: citizenship or country_of_recruitment.
        #[arg(long, default_value = "citizenship")]
        origin: String,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// The 21 EU common key indicators for a quarter or a year.
    KeyIndicators {
        #[command(flatten)]
        args: ReportArgs,
    },
    /// Completeness, timeliness, rejections and duplicates per provider (analysts only).
    DataQuality {
        #[command(flatten)]
        args: ReportArgs,
    },
    /// The victims no provider saw: multiple systems estimation from the overlaps of the lists
    /// (same as `mosy estimate`).
    Estimate(EstimateArgs),
    /// Lists the dimensions and measures reports accept.
    Dims,
}

/// Options of `mosy estimate` (and `mosy report estimate`).
#[derive(clap::Args)]
pub(crate) struct EstimateArgs {
    /// Lists as groups of provider ids: `;` between lists, `,` inside a list, e.g.
    /// `PT-PJ,PT-SEF;PT-ACT` (default: one list per provider).
    #[arg(long, conflicts_with = "list_by")]
    lists: Option<String>,
    /// One list per `provider` or per `provider_type`.
    #[arg(long)]
    list_by: Option<String>,
    /// Model choice: stepwise (by p-value), aic, bic or main_effects.
    #[arg(long, default_value = "stepwise")]
    selection: String,
    /// Highest interaction order of the BIC search.
    #[arg(long)]
    max_order: Option<u8>,
    /// Interval: wald, profile or bootstrap.
    #[arg(long, default_value = "wald")]
    interval: String,
    /// Bootstrap resamples (default 1000).
    #[arg(long)]
    resamples: Option<u32>,
    /// Bootstrap seed (default 1).
    #[arg(long)]
    seed: Option<u64>,
    /// Estimate from this capture-history table (CSV: one 0/1 column per list and `count`)
    /// instead of the hub.
    #[arg(long, conflicts_with_all = ["lists", "list_by"])]
    histories: Option<PathBuf>,
    #[command(flatten)]
    args: ReportArgs,
}

impl EstimateArgs {
    fn kind(&self) -> ReportKind {
        ReportKind::Estimate {
            lists: self
                .lists
                .as_deref()
                .map(|t| t.split(';').map(list).filter(|g| !g.is_empty()).collect())
                .unwrap_or_default(),
            list_by: self.list_by.clone(),
            selection: self.selection.clone(),
            max_order: self.max_order,
            interval: self.interval.clone(),
            resamples: self.resamples,
            seed: self.seed,
        }
    }
}

/// A progress bar of bootstrap resamples on standard error (drawn only on a terminal).
fn resample_bar(kind: &ReportKind) -> Option<indicatif::ProgressBar> {
    let ReportKind::Estimate { interval, resamples, .. } = kind else { return None };
    if interval != "bootstrap" {
        return None;
    }
    let n = resamples.unwrap_or(reports::DEFAULT_RESAMPLES);
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(u64::from(n)), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} resamples  {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Runs `mosy estimate …`: from the hub, or from a capture-history table with `--histories`.
pub(crate) fn estimate(out: &mut impl Write, e: EstimateArgs, lists: &Codelists) -> Result<()> {
    let kind = e.kind();
    let Some(path) = e.histories.clone() else {
        return run_report(out, kind, e.args, lists);
    };
    let (spec, text, formats) = spec_of(kind, &e.args)?;
    let file = std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let histories = mse::read_csv(file).with_context(|| format!("capture histories {}", path.display()))?;
    let source = format!(
        "capture-history table {}",
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    );
    let bar = resample_bar(&spec.kind);
    let progress = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    let report =
        reporting::estimate_from_table(lists, histories, &spec, &source, chrono::Utc::now(), &progress)?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match &e.args.output {
        None if text => print_report(out, &report)?,
        None => {
            let f = formats.first().copied().unwrap_or(Format::Csv);
            out.write_all(&reporting::render_with(&report, f, None)?)?;
        }
        Some(stem) => {
            for f in formats {
                let path = stem.with_extension(f.extension());
                reporting::write_atomic(&path, &reporting::render_with(&report, f, None)?)?;
                writeln!(out, "wrote {}", path.display())?;
            }
        }
    }
    Ok(())
}

/// The analyses (`mosy analyse …`).
#[derive(clap::Subcommand)]
pub(crate) enum AnalyseCommand {
    /// Hot and cold spots over regions: Getis-Ord Gi* or local Moran's I with seeded permutation
    /// p-values (neighbours from the boundaries imported with `mosy geo import`), global Moran's I;
    /// rates per 100,000 with `--population`.
    Hotspots {
        /// What to count.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// nuts1, nuts2, nuts3 or district.
        #[arg(long, default_value = "nuts3")]
        level: String,
        /// gi (Getis-Ord Gi*) or moran (local Moran's I).
        #[arg(long, default_value = "gi")]
        statistic: String,
        /// Permutations for the p-values.
        #[arg(long, default_value_t = 999)]
        permutations: u32,
        /// Seed of the permutations.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Region indicators (CSV: region,period,indicator,value); its `population` gives rates.
        #[arg(long)]
        population: Option<PathBuf>,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// Region counts against region indicators: Poisson or negative-binomial regression with a
    /// log-population offset.
    Association {
        /// What to count.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// nuts1, nuts2, nuts3 or district.
        #[arg(long, default_value = "nuts3")]
        level: String,
        /// Region indicators (CSV: region,period,indicator,value), with `population`.
        #[arg(long)]
        indicators: PathBuf,
        /// Indicators used as covariates, comma-separated.
        #[arg(long)]
        covariates: String,
        /// negbin or poisson.
        #[arg(long, default_value = "negbin")]
        model: String,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// A series over time projected with prediction intervals and its back-test (or why not).
    Projection {
        /// What to count.
        #[arg(long, default_value = "persons")]
        measure: String,
        /// Variable: one series per category besides the total (optional).
        #[arg(long)]
        dim: Option<String>,
        /// month, quarter or year.
        #[arg(long, default_value = "quarter")]
        granularity: String,
        /// Periods to project.
        #[arg(long, default_value_t = 4)]
        horizon: u32,
        /// Seed of the simulated intervals.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        args: ReportArgs,
    },
}

/// Runs `mosy analyse …`.
pub(crate) fn analyse(out: &mut impl Write, command: AnalyseCommand, lists: &Codelists) -> Result<()> {
    let (kind, args, indicators) = match command {
        AnalyseCommand::Hotspots { measure, level, statistic, permutations, seed, population, args } => (
            ReportKind::Hotspots {
                measure,
                level: GeoLevel::parse(&level)?,
                statistic,
                permutations: Some(permutations),
                seed: Some(seed),
            },
            args,
            population,
        ),
        AnalyseCommand::Association { measure, level, indicators, covariates, model, args } => (
            ReportKind::Association {
                measure,
                level: GeoLevel::parse(&level)?,
                covariates: list(&covariates),
                model,
            },
            args,
            Some(indicators),
        ),
        AnalyseCommand::Projection { measure, dim, granularity, horizon, seed, args } => (
            ReportKind::Projection { measure, dim, granularity, horizon: Some(horizon), seed: Some(seed) },
            args,
            None,
        ),
    };
    run_report_with(out, kind, args, lists, indicators.as_deref())
}

/// Releases.
#[derive(clap::Subcommand)]
pub(crate) enum ReleaseCommand {
    /// Freezes a protected release of the key indicators (suppression, consistent with every
    /// earlier release) and writes its outputs.
    Create {
        /// `2025` or `2025-Q2`.
        #[arg(long)]
        period: String,
        /// `eu` or `public`.
        #[arg(long, default_value = "eu")]
        audience: String,
        /// Label language.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Directory to write the release's files to (SDMX-CSV, JSON, HTML, XLSX, CSV).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Lists the releases.
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Sends a published release (its frozen SDMX-CSV) to an EU hub, which stores it as the next
    /// revision of this country and period.
    Push {
        /// Release id.
        id: String,
        /// The EU hub's address (`https://…`); default: the hub setting `eu.hub_url`.
        #[arg(long = "to")]
        to: Option<String>,
        /// The hub token the EU hub issued for this hub; default: the hub setting `eu.hub_token`.
        #[arg(long, env = "MOSY_EU_HUB_TOKEN", hide_env_values = true)]
        token: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Writes a published release's SDMX-CSV to a file, to hand it over to an EU hub
    /// (`mosy eu import FILE --country CC` there).
    Export {
        /// Release id.
        id: String,
        /// The file to write.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Prints a release's frozen SDMX-CSV (or JSON), byte for byte as published.
    Show {
        /// Release id.
        id: String,
        /// sdmx or json.
        #[arg(long, default_value = "sdmx")]
        format: String,
        #[command(flatten)]
        hub: HubArgs,
    },
}

/// Map boundaries.
#[derive(clap::Subcommand)]
pub(crate) enum GeoCommand {
    /// Imports region boundaries (GeoJSON, EPSG:4326 or 3035) for maps, replacing earlier ones.
    Import {
        /// The GeoJSON file.
        file: PathBuf,
        /// Property holding the region code.
        #[arg(long, default_value = "NUTS_ID")]
        code_property: String,
        /// Property holding the region name.
        #[arg(long)]
        name_property: Option<String>,
        #[command(flatten)]
        hub: HubArgs,
    },
    /// Lists the imported boundary sets.
    List {
        #[command(flatten)]
        hub: HubArgs,
    },
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn formats(text: &str) -> Result<Vec<Format>> {
    if text.trim() == "all" {
        return Ok(Format::ALL.to_vec());
    }
    list(text).iter().map(|f| Ok(Format::parse(f)?)).collect()
}

/// Runs `mosy report …`.
pub(crate) fn report(out: &mut impl Write, command: ReportCommand, lists: &Codelists) -> Result<()> {
    let (kind, args) = match command {
        ReportCommand::Dims => {
            writeln!(
                out,
                "measures: {}",
                stats::Measure::ALL.iter().map(|m| m.id()).collect::<Vec<_>>().join(", ")
            )?;
            for d in stats::ALL_DIMS {
                writeln!(out, "{:<26} {}", d.id(), d.codelist().unwrap_or(""))?;
            }
            return Ok(());
        }
        ReportCommand::Simple { measure, dims, args } => {
            (ReportKind::Simple { measure, dims: list(&dims) }, args)
        }
        ReportCommand::Total { providers, args } => {
            (ReportKind::Total { providers: providers.as_deref().map(list).unwrap_or_default() }, args)
        }
        ReportCommand::TimeFrame { measure, dim, granularity, args } => {
            (ReportKind::TimeFrame { measure, dim, granularity }, args)
        }
        ReportCommand::Geo { measure, level, origin, args } => {
            (ReportKind::Geo { measure, level: GeoLevel::parse(&level)?, origin }, args)
        }
        ReportCommand::KeyIndicators { args } => (ReportKind::KeyIndicators, args),
        ReportCommand::DataQuality { args } => (ReportKind::DataQuality, args),
        ReportCommand::Estimate(e) => return estimate(out, e, lists),
    };
    run_report(out, kind, args, lists)
}

/// The request of a report command: the spec, whether text goes to stdout, the formats.
fn spec_of(kind: ReportKind, args: &ReportArgs) -> Result<(ReportSpec, bool, Vec<Format>)> {
    let audience = Audience::parse(&args.audience)?;
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &args.filters {
        let Some((dim, codes)) = f.split_once('=') else {
            bail!("--filter {f}: expected DIM=CODE[,CODE…]")
        };
        filters.entry(dim.trim().to_string()).or_default().extend(list(codes));
    }
    if audience == Audience::Provider {
        let Some(p) = &args.provider else {
            bail!("--audience provider needs --provider ID (its own data only)")
        };
        filters.insert("provider".into(), vec![p.clone()]);
    }
    let spec = ReportSpec {
        kind,
        period: args.period.clone(),
        filters,
        multi_count: args.multi_count,
        audience,
        lang: args.lang.clone(),
    };
    let text = args.format.as_deref().is_none_or(|f| f == "text");
    let formats = if text { vec![Format::Csv] } else { formats(args.format.as_deref().unwrap_or("csv"))? };
    Ok((spec, text, formats))
}

/// Runs one report over the hub and writes it.
fn run_report(out: &mut impl Write, kind: ReportKind, args: ReportArgs, lists: &Codelists) -> Result<()> {
    run_report_with(out, kind, args, lists, None)
}

/// Runs one report over the hub and writes it; analysis kinds read region indicators from
/// `indicators` (a CSV file: the hub does not store indicators yet).
fn run_report_with(
    out: &mut impl Write,
    kind: ReportKind,
    args: ReportArgs,
    lists: &Codelists,
    indicators: Option<&std::path::Path>,
) -> Result<()> {
    let (spec, text, formats) = spec_of(kind, &args)?;
    let mut store = open_store(&args.hub.data_dir, args.hub.database_url.as_deref())?;
    let engine = reporting::engine(&mut store, lists)?;
    let bar = resample_bar(&spec.kind);
    let progress = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    let report = if spec.kind.is_analysis() {
        reporting::analysis_report(&mut store, &engine, lists, &spec, indicators, chrono::Utc::now())?
    } else {
        reporting::report_with_progress(&mut store, &engine, lists, &spec, chrono::Utc::now(), &progress)?
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match &args.output {
        None if text => print_report(out, &report)?,
        None => {
            let bytes =
                reporting::render(&mut store, &report, formats.first().copied().unwrap_or(Format::Csv))?;
            out.write_all(&bytes)?;
        }
        Some(stem) => {
            for f in formats {
                let path = stem.with_extension(f.extension());
                let bytes = reporting::render(&mut store, &report, f)?;
                reporting::write_atomic(&path, &bytes)?;
                writeln!(out, "wrote {}", path.display())?;
            }
        }
    }
    Ok(())
}

/// Runs `mosy release …`.
pub(crate) fn release(out: &mut impl Write, command: ReleaseCommand, lists: &Codelists) -> Result<()> {
    match command {
        ReleaseCommand::Create { period, audience, lang, output, hub } => {
            let audience = Audience::parse(&audience)?;
            let lang: model::Lang = lang.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let engine = reporting::engine(&mut store, lists)?;
            let r =
                reporting::release(&mut store, &engine, lists, &period, audience, lang, chrono::Utc::now())?;
            writeln!(
                out,
                "release {}: {} cells, {} withheld (threshold {}), data {}",
                r.row.id,
                r.cells,
                r.withheld,
                reporting::threshold(&mut store)?,
                r.row.data_version
            )?;
            if let Some(dir) = output {
                std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
                for f in Format::ALL {
                    let path = dir.join(format!("{}.{}", r.row.id, f.extension()));
                    let bytes = match f {
                        Format::Sdmx => r.row.sdmx_csv.clone().into_bytes(),
                        Format::Json => r.row.report_json.clone().into_bytes(),
                        f => reporting::render(&mut store, &r.report, *f)?,
                    };
                    reporting::write_atomic(&path, &bytes)?;
                    writeln!(out, "wrote {}", path.display())?;
                }
            }
        }
        ReleaseCommand::List { hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            for r in store.releases()? {
                writeln!(
                    out,
                    "{:<20}  {:<8}  {:<7}  {}  {}",
                    r.id,
                    r.period,
                    r.audience,
                    r.created_at.format("%Y-%m-%d %H:%M"),
                    r.data_version
                )?;
            }
        }
        ReleaseCommand::Push { id, to, token, hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let url = match to {
                Some(u) => u,
                None => store
                    .setting(app::eu::HUB_URL_SETTING)?
                    .context("give the EU hub's address with --to (or set the hub setting eu.hub_url)")?,
            };
            let token = match token {
                Some(t) => t,
                None => store
                    .setting(app::eu::HUB_TOKEN_SETTING)?
                    .context("give the hub token with --token or MOSY_EU_HUB_TOKEN")?,
            };
            let pushed = app::eu::push(&mut store, &id, &url, &token)?;
            writeln!(
                out,
                "release {id} stored by the EU hub as revision {} ({} observations)",
                pushed.revision, pushed.observations
            )?;
        }
        ReleaseCommand::Export { id, out: path, hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let export = app::eu::export(&mut store, &id)?;
            reporting::write_atomic(&path, export.sdmx_csv.as_bytes())?;
            writeln!(
                out,
                "wrote {} (release {}, period {}, country {})",
                path.display(),
                export.release_id,
                export.period,
                export.country
            )?;
        }
        ReleaseCommand::Show { id, format, hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let Some(r) = store.releases()?.into_iter().find(|r| r.id == id) else {
                bail!("no release {id}")
            };
            match format.as_str() {
                "sdmx" => out.write_all(r.sdmx_csv.as_bytes())?,
                "json" => out.write_all(r.report_json.as_bytes())?,
                other => bail!("unknown format {other} (sdmx, json)"),
            }
        }
    }
    Ok(())
}

/// Runs `mosy geo …`.
pub(crate) fn geo(out: &mut impl Write, command: GeoCommand) -> Result<()> {
    match command {
        GeoCommand::Import { file, code_property, name_property, hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            let r =
                reporting::import_boundaries(&mut store, &file, &code_property, name_property.as_deref())?;
            writeln!(
                out,
                "imported {} regions ({} → {} vertices, {} features skipped, {} bytes)",
                r.regions, r.vertices.0, r.vertices.1, r.skipped, r.bytes
            )?;
        }
        GeoCommand::List { hub } => {
            let mut store = open_store(&hub.data_dir, hub.database_url.as_deref())?;
            for (name, regions, at) in store.boundary_sets()? {
                writeln!(out, "{name:<10}  {regions:>6} regions  imported {at}")?;
            }
        }
    }
    Ok(())
}

/// Prints a report as text tables: the first axis down, the second across (further axes as
/// separate blocks are left to the file formats), withheld cells as `c`, perturbed values as is.
pub(crate) fn print_report(out: &mut impl Write, report: &reports::Report) -> Result<()> {
    writeln!(out, "{}", report.title)?;
    writeln!(out, "{}", report.meta.disclosure.note)?;
    for s in &report.sections {
        writeln!(out, "\n{}", s.title)?;
        if let Some(grid) = &s.grid {
            writeln!(out, "{}", grid.columns.join(" | "))?;
            for row in &grid.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|v| match v {
                        reports::GridValue::Text(t) => t.clone(),
                        reports::GridValue::Int(n) => n.to_string(),
                        reports::GridValue::Share(x) => format!("{:.1}%", x * 100.0),
                        reports::GridValue::Missing => "-".to_string(),
                    })
                    .collect();
                writeln!(out, "{}", cells.join(" | "))?;
            }
        }
        let Some(t) = &s.table else {
            for n in &s.notes {
                writeln!(out, "  {n}")?;
            }
            continue;
        };
        let value = |i: usize| match t.cells[i].value {
            Some(v) => v.to_string(),
            None => "c".to_string(),
        };
        match t.axes.len() {
            0 => writeln!(out, "  {}", value(0))?,
            1 => {
                let w = s.labels[0].iter().map(|l| l.chars().count()).max().unwrap_or(0).min(60);
                for (i, label) in s.labels[0].iter().enumerate() {
                    writeln!(out, "  {:<w$}  {:>9}", truncate(label, w), value(i))?;
                }
            }
            _ => {
                let cols = t.axes[1].len();
                let per_block: usize = t.axes[2..].iter().map(|a| a.len()).product();
                let w = s.labels[0].iter().map(|l| l.chars().count()).max().unwrap_or(0).min(40);
                let heads: Vec<String> = s.labels[1].iter().map(|l| truncate(l, 12)).collect();
                write!(out, "  {:<w$}", "")?;
                for h in &heads {
                    write!(out, "  {h:>12}")?;
                }
                writeln!(out)?;
                for (r, label) in s.labels[0].iter().enumerate() {
                    write!(out, "  {:<w$}", truncate(label, w))?;
                    for c in 0..cols {
                        // Further axes at their totals.
                        let i = (r * cols + c) * per_block + per_block - 1;
                        write!(out, "  {:>12}", value(i))?;
                    }
                    writeln!(out)?;
                }
            }
        }
        for n in &s.notes {
            writeln!(out, "  {n}")?;
        }
    }
    Ok(())
}

/// At most `n` characters, with an ellipsis when cut.
fn truncate(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut s: String = text.chars().take(n.saturating_sub(1)).collect();
    s.push('…');
    s
}
