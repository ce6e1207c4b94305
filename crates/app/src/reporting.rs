//! Reports, releases and map boundaries at the hub: the statistics engine built from the store,
//! reports run and protected for their audience, releases frozen and remembered, outputs written
//! in every format (estimates of hidden victims among them, also from a capture-history table
//! given directly; analyses of hotspots, association and projections with region indicators read
//! from a CSV file), and region boundaries imported once for maps.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use model::{Codelists, Lang};
use reports::release::PublishedCell;
use reports::{Audience, Labeller, QualityInputs, Report, ReportKind, ReportSpec, SubmissionFact};
use sha2::{Digest, Sha256};
use stats::{Engine, EngineBuilder, VictimInput};
use store::{ReleaseRow, Store};

use crate::{Error, Result};

/// Hub setting holding the key of the cell key method's record keys (hex, 16 bytes).
pub const CKM_KEY_SETTING: &str = "sdc.ckm_key";
/// Hub setting naming the reporting country (Eurostat code); default: the providers' country.
pub const COUNTRY_SETTING: &str = "hub.country";
/// Hub setting: the threshold of the primary rule (default 5).
pub const THRESHOLD_SETTING: &str = "sdc.threshold";
/// SDMX structure of the national key-indicator dataflow.
pub const STRUCTURE_ID: &str = "MOSY:DF_THB_KEY(1.0)";

/// The hub's cell-key secret, created on first use from the system's randomness.
pub fn ckm_key(store: &mut Store) -> Result<[u8; 16]> {
    if let Some(hex) = store.setting(CKM_KEY_SETTING)? {
        let bytes = hex::decode(hex.trim()).map_err(|_| Error::Setting(CKM_KEY_SETTING.into()))?;
        return bytes.try_into().map_err(|_| Error::Setting(CKM_KEY_SETTING.into()));
    }
    let mut key = [0u8; 16];
    getrandom::fill(&mut key)
        .map_err(|_| Error::Setting("no system randomness for the cell key secret".into()))?;
    store.set_setting(CKM_KEY_SETTING, &hex::encode(key))?;
    Ok(key)
}

/// The threshold k of the primary rule.
pub fn threshold(store: &mut Store) -> Result<u64> {
    match store.setting(THRESHOLD_SETTING)? {
        Some(v) => {
            v.trim().parse().ok().filter(|k| *k >= 2).ok_or_else(|| Error::Setting(THRESHOLD_SETTING.into()))
        }
        None => Ok(5),
    }
}

/// The reporting country: the hub setting, else the country of the registered providers.
pub fn reporting_country(store: &mut Store, providers: &[model::DataProvider]) -> Result<String> {
    if let Some(c) = store.setting(COUNTRY_SETTING)? {
        return Ok(c.trim().to_string());
    }
    Ok(providers.first().map_or_else(|| "PT".to_string(), |p| p.country.as_str().to_string()))
}

/// A short, stable name of the data in the store: the number of submissions and a hash of
/// their ids and statuses (changes with every import, approval or revision).
pub fn data_version(store: &mut Store) -> Result<String> {
    let infos = store.submission_infos()?;
    let mut h = Sha256::new();
    let mut ids: Vec<String> =
        infos.iter().map(|i| format!("{} {:?} {}", i.submission.id, i.status, i.revision)).collect();
    ids.sort();
    for id in &ids {
        h.update(id.as_bytes());
        h.update(b"\n");
    }
    let last = infos.iter().map(|i| i.submission.submitted_at).max();
    Ok(format!(
        "{} submissions{}; {}",
        infos.len(),
        last.map(|t| format!(", last {}", t.format("%Y-%m-%d"))).unwrap_or_default(),
        &hex::encode(h.finalize())[..12]
    ))
}

/// Builds the statistics engine from everything in the store.
pub fn engine(store: &mut Store, lists: &Codelists) -> Result<Engine> {
    let providers = store.providers(lists)?;
    let country = reporting_country(store, &providers)?;
    let key = ckm_key(store)?;
    let version = data_version(store)?;
    let memberships = store.victim_memberships()?;
    let person_of: BTreeMap<(String, String), u32> =
        memberships.into_iter().map(|(p, r, person)| ((p, r), person)).collect();
    let mut next = person_of.values().copied().max().map_or(0, |m| m + 1);
    let mut b = EngineBuilder::new(lists, &country, &providers, key);
    b.data_version(version);
    for v in store.victims(lists)? {
        let person =
            match person_of.get(&(v.provider_id.as_str().to_string(), v.record_ref.as_str().to_string())) {
                Some(p) => *p,
                None => {
                    next += 1;
                    next
                }
            };
        b.victim(VictimInput { record: &v, person });
    }
    store.suspects(lists)?.iter().for_each(|s| b.suspect(s));
    store.prosecutions(lists)?.iter().for_each(|p| b.prosecution(p));
    store.court_decisions(lists)?.iter().for_each(|d| b.court_decision(d));
    Ok(b.build())
}

fn labeller<'a>(store: &mut Store, lists: &'a Codelists, lang: Lang) -> Result<Labeller<'a>> {
    let names = store.providers(lists)?.into_iter().map(|p| (p.id.as_str().to_string(), p.name)).collect();
    Ok(Labeller::new(lists, lang, names))
}

/// What the data-quality report needs from the store.
pub fn quality_inputs(store: &mut Store) -> Result<QualityInputs> {
    let infos = store.submission_infos()?;
    let mut periods: Vec<String> = infos.iter().map(|i| i.submission.period.to_string()).collect();
    periods.sort();
    periods.dedup();
    Ok(QualityInputs {
        submissions: infos
            .iter()
            .map(|i| SubmissionFact {
                provider: i.submission.provider_id.as_str().to_string(),
                period: i.submission.period.to_string(),
                status: i.status.as_str().to_string(),
                received: i.submission.submitted_at.date_naive(),
                records: u64::from(i.submission.record_count),
                rejected_rows: None,
            })
            .collect(),
        expected_periods: periods,
        deadline_days: 45,
    })
}

/// Runs a report and applies its audience's disclosure control (exact for providers and
/// national analysts, the cell key method for the public and the EU).
pub fn report(
    store: &mut Store,
    engine: &Engine,
    lists: &Codelists,
    spec: &ReportSpec,
    generated_at: DateTime<Utc>,
) -> Result<Report> {
    report_with_progress(store, engine, lists, spec, generated_at, &|_| {})
}

/// As [`report`], calling `progress` with the bootstrap resamples done (estimate reports).
pub fn report_with_progress(
    store: &mut Store,
    engine: &Engine,
    lists: &Codelists,
    spec: &ReportSpec,
    generated_at: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Report> {
    if spec.kind.is_analysis() {
        return analysis_report(store, engine, lists, spec, None, generated_at);
    }
    let lang = lang_of(spec)?;
    let labels = labeller(store, lists, lang)?;
    let inputs = if matches!(spec.kind, ReportKind::DataQuality) {
        quality_inputs(store)?
    } else {
        QualityInputs::default()
    };
    let stamp = generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut r = reports::run_with_progress(engine, spec, &labels, &inputs, &stamp, progress)
        .map_err(|e| Error::Report(e.to_string()))?;
    protect(&mut r, spec.audience)?;
    Ok(r)
}

/// Runs an analysis report (hotspots, association, projection) and protects it for its audience:
/// neighbours from the region boundaries stored at the hub (`mosy geo import`), region indicators
/// (population, unemployment, …) from `indicators`, a CSV file of `region,period,indicator,value`
/// given by the caller (the hub does not store indicators yet). For a protected audience the
/// statistics are computed from the published counts.
pub fn analysis_report(
    store: &mut Store,
    engine: &Engine,
    lists: &Codelists,
    spec: &ReportSpec,
    indicators: Option<&Path>,
    generated_at: DateTime<Utc>,
) -> Result<Report> {
    let lang = lang_of(spec)?;
    let labels = labeller(store, lists, lang)?;
    let boundaries =
        if matches!(spec.kind, ReportKind::Hotspots { .. }) { stored_regions(store)? } else { None };
    let indicators = match indicators {
        Some(path) => {
            let file =
                std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
            reports::read_indicators(std::io::BufReader::new(file))
                .map_err(|e| Error::Report(format!("{}: {e}", path.display())))?
        }
        None => Vec::new(),
    };
    let ptable = sdc::PTable::new(sdc::PTableParams::default()).map_err(|e| Error::Report(e.to_string()))?;
    let inputs = reports::AnalysisInputs { boundaries, indicators, ptable: Some(ptable) };
    let stamp = generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut r = reports::run_analysis(engine, spec, &labels, &inputs, &stamp)
        .map_err(|e| Error::Report(e.to_string()))?;
    protect(&mut r, spec.audience)?;
    Ok(r)
}

fn lang_of(spec: &ReportSpec) -> Result<Lang> {
    spec.lang.parse().map_err(|_| Error::Report(format!("unknown language `{}`", spec.lang)))
}

fn protect(r: &mut Report, audience: Audience) -> Result<()> {
    let ptable = sdc::PTable::new(sdc::PTableParams::default()).map_err(|e| Error::Report(e.to_string()))?;
    reports::protect(r, audience, &ptable).map_err(|e| Error::Report(e.to_string()))
}

/// An estimate report from a capture-history table given directly (`mosy estimate --histories`):
/// no hub is read; `source` names the table in the metadata. Protected like any report by
/// `spec.audience` (the table's cells have no record keys: the cell key method then perturbs
/// them by their counts alone).
pub fn estimate_from_table(
    lists: &Codelists,
    histories: mse::CaptureHistories,
    spec: &ReportSpec,
    source: &str,
    generated_at: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Report> {
    let labels = Labeller::new(lists, lang_of(spec)?, BTreeMap::new());
    let stamp = generated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut r = reports::run_histories(histories, spec, &labels, source, &stamp, progress)
        .map_err(|e| Error::Report(e.to_string()))?;
    protect(&mut r, spec.audience)?;
    Ok(r)
}

/// Output formats of a report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// Long CSV with metadata rows.
    Csv,
    /// JSON.
    Json,
    /// XLSX workbook with a metadata sheet.
    Xlsx,
    /// SDMX-CSV 2.0 (key indicators).
    Sdmx,
    /// Self-contained HTML with charts and maps.
    Html,
}

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[Format::Csv, Format::Json, Format::Xlsx, Format::Sdmx, Format::Html];

    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Sdmx => "sdmx.csv",
            Format::Html => "html",
        }
    }

    /// Parses `csv`, `json`, `xlsx`, `sdmx`, `html`.
    pub fn parse(text: &str) -> Result<Format> {
        match text.trim() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            "sdmx" => Ok(Format::Sdmx),
            "html" => Ok(Format::Html),
            other => Err(Error::Report(format!("unknown format `{other}` (csv, json, xlsx, sdmx, html)"))),
        }
    }
}

/// Name of the boundary set holding regions for maps.
pub const REGIONS: &str = "regions";

/// Renders a report in one format (HTML maps with the hub's stored region boundaries).
pub fn render(store: &mut Store, report: &Report, format: Format) -> Result<Vec<u8>> {
    let regions = if format == Format::Html { stored_regions(store)? } else { None };
    render_with(report, format, regions)
}

/// The region boundaries stored at the hub, if any.
pub fn stored_regions(store: &mut Store) -> Result<Option<maps::Boundaries>> {
    match store.boundaries(REGIONS)? {
        Some(bytes) => Ok(Some(
            maps::Boundaries::from_bytes(&bytes)
                .map_err(|e| Error::Report(format!("stored region boundaries: {e}")))?,
        )),
        None => Ok(None),
    }
}

/// Renders a report in one format without a hub (HTML maps without region boundaries).
pub fn render_with(report: &Report, format: Format, regions: Option<maps::Boundaries>) -> Result<Vec<u8>> {
    let err = |e: formats::Error| Error::Report(e.to_string());
    Ok(match format {
        Format::Csv => formats::csv(report).into_bytes(),
        Format::Json => formats::json(report).into_bytes(),
        Format::Xlsx => formats::xlsx(report).map_err(err)?,
        Format::Sdmx => formats::sdmx_csv(report, STRUCTURE_ID).map_err(err)?.into_bytes(),
        Format::Html => {
            let lang = if report.meta.lang == "pt" { charts::Lang::Pt } else { charts::Lang::En };
            formats::html(report, &formats::HtmlContext { regions, lang }).into_bytes()
        }
    })
}

/// Writes `bytes` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let tmp: PathBuf = path.with_extension("partial");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// A release made: its stored row and the protected report.
#[derive(Debug)]
pub struct Released {
    /// The stored release.
    pub row: ReleaseRow,
    /// The protected report.
    pub report: Report,
    /// Cells published (value) or withheld.
    pub cells: usize,
    /// Cells withheld.
    pub withheld: usize,
}

/// Makes and publishes a release of the key indicators for `period` to `audience` (see
/// [`draft_release`] and [`publish_release`]; the publication is by `system`).
///
/// # Errors
/// As [`draft_release`].
pub fn release(
    store: &mut Store,
    engine: &Engine,
    lists: &Codelists,
    period: &str,
    audience: Audience,
    lang: Lang,
    created_at: DateTime<Utc>,
) -> Result<Released> {
    let made = draft_release(store, engine, lists, period, audience, lang, created_at)?;
    publish_release(store, &made.row.id, "system", created_at)?;
    Ok(made)
}

/// Publishes a draft release. Refused when another release was published after the draft was
/// made (its suppression did not take that release into account: make a new draft).
///
/// # Errors
/// [`Error::Report`] when there is no such draft or it is outdated; the store's.
pub fn publish_release(store: &mut Store, id: &str, by: &str, at: DateTime<Utc>) -> Result<()> {
    let Some(draft) = store.releases()?.into_iter().find(|r| r.id == id) else {
        return Err(Error::Report(format!("no release {id}")));
    };
    let publications = store.release_publications()?;
    if publications.iter().any(|p| p.release_id == id) {
        return Err(Error::Report(format!("release {id} is published already")));
    }
    let made = draft.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let later = publications.iter().any(|p| {
        DateTime::parse_from_rfc3339(&p.published_at).is_ok_and(|t| t.with_timezone(&Utc) > draft.created_at)
    });
    if later {
        return Err(Error::Report(format!(
            "a release was published after draft {id} was made ({made}): discard it and make a new draft"
        )));
    }
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    if !store.publish_release(id, &stamp, by)? {
        return Err(Error::Report(format!("release {id} is published already")));
    }
    tracing::info!(release = %id, "release published");
    Ok(())
}

/// Makes a draft release of the key indicators for `period` to `audience`: protected by
/// suppression, consistent with every published release, stored with its outputs and cells
/// (frozen: later changes of the data do not change it). A draft constrains nothing and is seen
/// by hub staff only until it is published.
pub fn draft_release(
    store: &mut Store,
    engine: &Engine,
    lists: &Codelists,
    period: &str,
    audience: Audience,
    lang: Lang,
    created_at: DateTime<Utc>,
) -> Result<Released> {
    if !audience.is_protected() {
        return Err(Error::Report("releases are for the public or the EU (--audience public|eu)".into()));
    }
    reports::parse_period(period).map_err(|e| Error::Report(e.to_string()))?;
    let k = threshold(store)?;
    let labels = labeller(store, lists, lang)?;
    let mut spec = ReportSpec::new(ReportKind::KeyIndicators, Some(period));
    spec.lang = if lang == Lang::Pt { "pt" } else { "en" }.to_string();
    spec.audience = audience;
    let stamp = created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut report = reports::run(engine, &spec, &labels, &QualityInputs::default(), &stamp)
        .map_err(|e| Error::Report(e.to_string()))?;
    let history: Vec<PublishedCell> = store
        .release_cells()?
        .into_iter()
        .map(|(base, period, value)| PublishedCell { base, period, value })
        .collect();
    let cells = reports::release::suppress(&mut report, engine, audience, k, &history)
        .map_err(|e| Error::Report(e.to_string()))?;
    let n = store.releases()?.iter().filter(|r| r.period == period && r.audience == audience.id()).count();
    let id = format!("{period}-{}-{}", audience.id(), n + 1);
    let sdmx = formats::sdmx_csv(&report, STRUCTURE_ID).map_err(|e| Error::Report(e.to_string()))?;
    let row = ReleaseRow {
        id,
        period: period.to_string(),
        audience: audience.id().to_string(),
        created_at,
        data_version: engine.data_version().to_string(),
        spec: serde_json::to_string(&report.spec).unwrap_or_default(),
        sdmx_csv: sdmx,
        report_json: formats::json(&report),
    };
    let stored: Vec<store::ReleaseCell> =
        cells.iter().map(|c| (c.base.clone(), c.period.clone(), c.value)).collect();
    let withheld = cells.iter().filter(|c| c.value.is_none()).count();
    store.insert_release(&row, &stored)?;
    tracing::info!(release = %row.id, cells = cells.len(), withheld, "release stored");
    Ok(Released { row, report, cells: cells.len(), withheld })
}

/// What a boundary import did.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BoundaryImport {
    /// Regions stored.
    pub regions: usize,
    /// Vertices before and after simplification.
    pub vertices: (usize, usize),
    /// Features skipped (not polygons).
    pub skipped: usize,
    /// Bytes stored.
    pub bytes: usize,
}

/// Imports region boundaries (GeoJSON, EPSG:4326 or 3035) for maps, replacing earlier ones.
pub fn import_boundaries(
    store: &mut Store,
    path: &Path,
    code_property: &str,
    name_property: Option<&str>,
) -> Result<BoundaryImport> {
    let text =
        std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let options = maps::ImportOptions {
        code_property: code_property.to_string(),
        name_property: name_property.map(str::to_string),
        frame: Some(maps::LonLatBox::EUROPE),
        ..maps::ImportOptions::default()
    };
    let imported = maps::import_geojson(&text, &options)
        .map_err(|e| Error::Report(format!("{}: {e}", path.display())))?;
    let bytes = imported.boundaries.to_bytes();
    let regions = imported.boundaries.regions.len();
    store.put_boundaries(REGIONS, u32::try_from(regions).unwrap_or(u32::MAX), &bytes)?;
    Ok(BoundaryImport {
        regions,
        vertices: (imported.vertices_in, imported.vertices_out),
        skipped: imported.skipped.len(),
        bytes: bytes.len(),
    })
}
