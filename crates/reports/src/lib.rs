//! The report family of the hub and disclosure control by audience (issue 4).
//!
//! A [`ReportSpec`] says what to compute (simple, total, time-frame, geo-statistical, EU key
//! indicators, data quality, the estimate of hidden victims by multiple systems estimation, and
//! the analyses of issue 8: hotspots, association with region indicators, projections);
//! [`run`] computes it from a [`stats::Engine`] into a [`Report`] of exact tables (and
//! [`run_histories`] an estimate from a capture-history table given directly); [`protect`] then
//! applies the audience's disclosure control:
//!
//! - *provider* and *national*: exact counts (authorised users only);
//! - *public* and *EU*, ad-hoc: the cell key method (a keyed, consistent perturbation; no
//!   published 1s or 2s; totals perturbed on their own, so tables do not add up);
//! - *public* and *EU*, **releases**: threshold rule plus Gauss secondary suppression across the
//!   tables of the release, with every cell published or suppressed by earlier releases forced to
//!   stay as it was ([`release`]).
//!
//! Never both methods on the same cells: a report is protected by one method as a whole.

mod analyse;
mod estimate;
mod indicators;
mod kinds;
mod labels;
mod protect;
pub mod release;
mod spec;

pub use analyse::{
    AnalysisInputs, CONTIGUITY_TOLERANCE, IndicatorValue, MAX_HORIZON, MAX_PERMUTATIONS, POPULATION,
    RATE_BASE, read_indicators,
};
pub use estimate::{
    DEFAULT_RESAMPLES, DEFAULT_SEED, EstimateInput, EstimateParams, MAX_RESAMPLES, hub_input, table_input,
};
pub use indicators::{INDICATORS, Indicator, SdmxKey, sdmx_dim};
pub use kinds::{
    QualityInputs, SubmissionFact, period_axis, run, run_analysis, run_histories, run_with_progress,
};
pub use labels::Labeller;
pub use protect::{Disclosure, Method, protect};
pub use spec::{Audience, GeoLevel, ReportKind, ReportSpec, parse_period};

use stats::Table;

/// Errors of the report layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine refused a query.
    #[error(transparent)]
    Engine(#[from] stats::Error),
    /// Disclosure control failed.
    #[error("disclosure control: {0}")]
    Sdc(#[from] sdc::Error),
    /// The request is not valid.
    #[error("invalid report request: {0}")]
    Spec(String),
}

/// How a section is best shown.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visual {
    /// A table only.
    Table,
    /// Bars over the first axis (grouped by the second).
    Bars,
    /// Stacked bars.
    StackedBars,
    /// Lines over periods.
    Lines,
    /// A population pyramid (sex × age group).
    Pyramid,
    /// A choropleth map over the first axis (regions or countries).
    Choropleth,
    /// A flow map: first axis = origin, second = destination.
    Flows,
}

/// One table of a report with its labels and presentation.
#[derive(Clone, Debug)]
pub struct Section {
    /// Stable id (e.g. `V1_03`, `simple`, `flows`).
    pub id: String,
    /// Title in the report's language.
    pub title: String,
    /// The table of counts (exact until [`protect`] runs).
    pub table: Option<Table>,
    /// A table of other values (shares, dates, texts) for analysts: data-quality reports.
    pub grid: Option<Grid>,
    /// Label of every axis entry (same shape as the axes' codes).
    pub labels: Vec<Vec<String>>,
    /// Label of every axis.
    pub axis_labels: Vec<String>,
    /// How to show it.
    pub visual: Visual,
    /// Notes (counting rules specific to the section, what is left out).
    pub notes: Vec<String>,
    /// SDMX coordinates for key-indicator sections.
    pub sdmx: Option<SdmxKey>,
    /// Show the change against the previous period (time-frame reports).
    pub change: bool,
    /// A grid of model outputs (estimates), not counts: published unperturbed to every audience
    /// (rounded when computed for a protected one).
    pub model_output: bool,
    /// A projection of the section's time series (drawn as a band after the history).
    pub projection: Option<ProjectionBand>,
}

/// Projected periods of a time series with their prediction interval (analysis reports).
#[derive(Clone, PartialEq, Debug, serde::Serialize)]
pub struct ProjectionBand {
    /// Labels of the projected periods (`2026-Q1`, …).
    pub periods: Vec<String>,
    /// Projected values.
    pub point: Vec<f64>,
    /// Lower bounds.
    pub lower: Vec<f64>,
    /// Upper bounds.
    pub upper: Vec<f64>,
    /// Interval level (0.95).
    pub level: f64,
}

/// A value of a [`Grid`].
#[derive(Clone, PartialEq, Debug, serde::Serialize)]
#[serde(untagged)]
pub enum GridValue {
    /// Text.
    Text(String),
    /// A whole number.
    Int(u64),
    /// A share in 0..=1.
    Share(f64),
    /// Not available.
    Missing,
}

/// A small table of mixed values with column headings.
#[derive(Clone, PartialEq, Debug, serde::Serialize)]
pub struct Grid {
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<GridValue>>,
}

/// Metadata carried by every output.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Metadata {
    /// The data the report was computed from.
    pub data_version: String,
    /// The request, as JSON.
    pub spec: serde_json::Value,
    /// Disclosure control applied.
    pub disclosure: Disclosure,
    /// Counting rules, in words.
    pub counting_rules: Vec<String>,
    /// When the report was generated (given by the caller, so outputs are reproducible).
    pub generated_at: String,
    /// Reporting country.
    pub reporting_country: String,
    /// Codelist bundle version.
    pub codelists: String,
    /// Language of labels.
    pub lang: String,
}

/// A computed report.
#[derive(Clone, Debug)]
pub struct Report {
    /// Title.
    pub title: String,
    /// The request.
    pub spec: ReportSpec,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Metadata.
    pub meta: Metadata,
}
