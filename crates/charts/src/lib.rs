//! Deterministic, accessible SVG charts for mosy reports and the web app.
//!
//! Every chart is a self-contained `<svg>` string: no scripts, no styles loaded from elsewhere,
//! no web fonts (`font-family="sans-serif"` only) and no URL other than the SVG namespace, so it
//! can be inlined in an offline HTML report or served by a hub in a closed network.
//!
//! - [`bars`] (grouped when there are several series) and [`stacked_bars`], vertical or horizontal;
//! - [`lines`], optionally with a projection [`Band`] (prediction interval) after the history;
//! - [`pyramid`]: a population pyramid of age groups by sex ([`PyramidSpec`]);
//! - [`sparkline`] / [`sparkline_lang`]: a tiny inline trend without axes.
//!
//! **Determinism**: the same input gives byte-identical output. Coordinates are written with at
//! most two decimals, numbers with a fixed number of decimals chosen from the data
//! ([`format::decimals_for`]), and element ids derive from a hash of the content.
//!
//! **Accessibility**: the root has `role="img"`, a `<title>` (the chart title) and a `<desc>`
//! listing every value, so screen readers get the numbers; every bar and point carries a
//! `<title>` tooltip "category – series: value"; colours come from the colour-blind-safe
//! Okabe–Ito palette ([`PALETTE`]); truncated labels keep their full text in a `<title>`.
//!
//! **Confidentiality**: a [`Value`] without a number and with the flag `c` is suppressed. It is
//! never drawn as a bar (not even of height zero): a hatched marker and the flag letter stand in
//! its place and a note "c = confidential (suppressed to protect persons)" is added. A value
//! without a number and without that flag is missing ("no data").
//!
//! All text coming from data (titles, category and series names, flags) is XML-escaped, and
//! characters XML cannot carry (control characters) are dropped.
#![warn(missing_docs)]

mod bars;
pub mod format;
mod frame;
mod lines;
mod pyramid;
mod svg;
mod text;
pub mod ticks;

pub use format::Lang;

/// The colour-blind-safe Okabe–Ito palette, in the order series use it (cycling after eight).
pub const PALETTE: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"];

/// One statistic: a number, or none (missing or suppressed), with an optional flag.
///
/// The flag `c` (case-insensitive) on a value without a number marks it as suppressed
/// (confidential). Other flags (for example `p` provisional, `e` estimated) are shown next to the
/// number in labels and tooltips. A non-finite number is treated as missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Value {
    /// The number, if published.
    pub value: Option<f64>,
    /// A flag letter such as `c` (confidential) or `p` (provisional).
    pub flag: Option<String>,
}

impl Value {
    /// A plain published number.
    pub fn new(value: f64) -> Self {
        Self { value: Some(value), flag: None }
    }

    /// A missing value ("no data").
    pub fn missing() -> Self {
        Self { value: None, flag: None }
    }

    /// A suppressed (confidential) value: no number and the flag `c`.
    pub fn suppressed() -> Self {
        Self { value: None, flag: Some("c".to_owned()) }
    }

    /// The same value with a flag.
    pub fn with_flag(mut self, flag: &str) -> Self {
        self.flag = Some(flag.to_owned());
        self
    }

    /// Whether this value is suppressed: no number and the flag `c`.
    pub fn is_suppressed(&self) -> bool {
        self.value.is_none() && self.flag.as_deref().is_some_and(|f| f.trim().eq_ignore_ascii_case("c"))
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Self::new(value)
    }
}

impl From<Option<f64>> for Value {
    fn from(value: Option<f64>) -> Self {
        Self { value, flag: None }
    }
}

/// One named series of values, one per category (missing trailing values count as missing).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Name shown in the legend and tooltips.
    pub name: String,
    /// Values in the order of [`ChartSpec::categories`].
    pub values: Vec<Value>,
}

/// What a bar, stacked-bar or line chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Chart title (also the SVG `<title>`).
    pub title: String,
    /// Optional line under the title (source, unit, period).
    pub subtitle: Option<String>,
    /// Category labels (periods for [`lines`]).
    pub categories: Vec<String>,
    /// The series; a legend is drawn when there are several.
    pub series: Vec<Series>,
    /// Label of the value axis.
    pub y_label: Option<String>,
    /// Language of number formatting and fixed wording.
    pub lang: Lang,
    /// Width in pixels (at least 160 is used).
    pub width: u32,
    /// Height in pixels (at least 120 is used).
    pub height: u32,
}

/// Direction of the bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Columns: categories along the x axis, values up.
    Vertical,
    /// Bars: categories down the y axis, values to the right (good for long labels).
    Horizontal,
}

/// A projection with its prediction interval, drawn after the history of the first series.
///
/// `point[i]`, `lower[i]` and `upper[i]` belong to category `from_index + i`; the vectors are used
/// up to the shortest of them and the number of categories. Non-finite entries are skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Band {
    /// Index of the first projected category.
    pub from_index: usize,
    /// Lower bound of the prediction interval.
    pub lower: Vec<f64>,
    /// Upper bound of the prediction interval.
    pub upper: Vec<f64>,
    /// Projected (central) values.
    pub point: Vec<f64>,
}

/// What the numbers of a [`PyramidSpec`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Counts of persons.
    #[default]
    Count,
    /// Shares in percent (0–100) of the total; formatted with one decimal and `%`.
    Percent,
}

/// A population pyramid: age groups by sex.
#[derive(Debug, Clone, PartialEq)]
pub struct PyramidSpec {
    /// Chart title.
    pub title: String,
    /// Optional line under the title.
    pub subtitle: Option<String>,
    /// Age group labels, youngest first (drawn at the bottom).
    pub age_groups: Vec<String>,
    /// Values for males, one per age group (drawn on the left).
    pub male: Vec<Value>,
    /// Values for females, one per age group (drawn on the right).
    pub female: Vec<Value>,
    /// Total with unknown sex, noted under the chart (not drawn).
    pub unknown_sex: Option<Value>,
    /// Counts or percentages.
    pub measure: Measure,
    /// Label of the value axis (for example "Victims").
    pub value_label: Option<String>,
    /// Language of number formatting and fixed wording.
    pub lang: Lang,
    /// Width in pixels (at least 160 is used).
    pub width: u32,
    /// Height in pixels (at least 120 is used).
    pub height: u32,
}

/// Bar chart of `spec`; several series are grouped side by side. The value axis starts at zero
/// (and runs through zero when there are negative values).
pub fn bars(spec: &ChartSpec, orientation: Orientation) -> String {
    bars::render(spec, orientation, bars::Mode::Grouped)
}

/// Stacked bar chart of `spec`: the series of a category are stacked (positive values up or
/// right of zero, negative ones down or left), with the total at the end of each side of a stack
/// made of two or more segments. A stack with a suppressed part gets a hatched marker on top
/// instead of a total, since its total is unknown.
pub fn stacked_bars(spec: &ChartSpec, orientation: Orientation) -> String {
    bars::render(spec, orientation, bars::Mode::Stacked)
}

/// Line chart of `spec` with the categories as periods on the x axis; gaps where values are
/// missing. With a `band`, the projection of the first series is drawn dashed with its shaded
/// prediction interval after the history.
pub fn lines(spec: &ChartSpec, band: Option<&Band>) -> String {
    lines::render(spec, band)
}

/// Population pyramid: age groups (youngest at the bottom) with males on the left and females on
/// the right, on a shared scale; the unknown-sex total is noted under the chart.
pub fn pyramid(spec: &PyramidSpec) -> String {
    pyramid::render(spec)
}

/// A tiny inline line of `values` without axes, the last point marked; missing values leave gaps.
/// Its accessible text is in English; see [`sparkline_lang`].
pub fn sparkline(values: &[Option<f64>], width: u32, height: u32) -> String {
    lines::sparkline(values, width, height, Lang::En)
}

/// [`sparkline`] with its accessible text (the listed values) in `lang`.
pub fn sparkline_lang(values: &[Option<f64>], width: u32, height: u32, lang: Lang) -> String {
    lines::sparkline(values, width, height, lang)
}
