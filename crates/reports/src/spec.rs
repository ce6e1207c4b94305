//! Report requests: what to compute, for which period, for whom. Serialisable, so that the
//! request travels in every output's metadata and through the web API unchanged.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use stats::{Counting, DateRange, Dim, Filter, Granularity, Measure, NutsLevel};

use crate::Error;

/// Who a report is for; decides the disclosure control.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// A data provider, about its own data: exact.
    Provider,
    /// Authorised national analysts: exact.
    National,
    /// The public: protected.
    #[default]
    Public,
    /// The European level: protected.
    Eu,
}

impl Audience {
    /// Whether outputs for this audience are protected.
    pub fn is_protected(self) -> bool {
        matches!(self, Audience::Public | Audience::Eu)
    }

    /// Parses `provider`, `national`, `public`, `eu`.
    pub fn parse(text: &str) -> Result<Audience, Error> {
        match text.trim() {
            "provider" => Ok(Audience::Provider),
            "national" => Ok(Audience::National),
            "public" => Ok(Audience::Public),
            "eu" => Ok(Audience::Eu),
            other => Err(Error::Spec(format!("unknown audience `{other}` (provider, national, public, eu)"))),
        }
    }

    /// The id.
    pub fn id(self) -> &'static str {
        match self {
            Audience::Provider => "provider",
            Audience::National => "national",
            Audience::Public => "public",
            Audience::Eu => "eu",
        }
    }
}

/// Regional level of a geo-statistical report.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeoLevel {
    /// Country of exploitation.
    Country,
    /// NUTS 1 region of exploitation.
    Nuts1,
    /// NUTS 2 region of exploitation.
    Nuts2,
    /// NUTS 3 region of exploitation.
    Nuts3,
    /// District (PT).
    District,
}

impl GeoLevel {
    /// The engine dimension.
    pub fn dim(self) -> Dim {
        match self {
            GeoLevel::Country => Dim::CountryOfExploitation,
            GeoLevel::Nuts1 => Dim::Nuts(NutsLevel::One),
            GeoLevel::Nuts2 => Dim::Nuts(NutsLevel::Two),
            GeoLevel::Nuts3 => Dim::Nuts(NutsLevel::Three),
            GeoLevel::District => Dim::District,
        }
    }

    /// Parses `country`, `nuts1`, `nuts2`, `nuts3`, `district`.
    pub fn parse(text: &str) -> Result<GeoLevel, Error> {
        match text.trim() {
            "country" => Ok(GeoLevel::Country),
            "nuts1" => Ok(GeoLevel::Nuts1),
            "nuts2" => Ok(GeoLevel::Nuts2),
            "nuts3" => Ok(GeoLevel::Nuts3),
            "district" => Ok(GeoLevel::District),
            other => {
                Err(Error::Spec(format!("unknown level `{other}` (country, nuts1, nuts2, nuts3, district)")))
            }
        }
    }
}

/// The kind of report and its own parameters.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportKind {
    /// A cross-tab of 1–3 chosen variables with totals.
    Simple {
        /// Measure id.
        measure: String,
        /// Dimension ids (1–3).
        dims: Vec<String>,
    },
    /// From one to all providers: registrations per provider, their sum, the de-duplicated person
    /// total and the overlap.
    Total {
        /// Provider ids (empty: all).
        providers: Vec<String>,
    },
    /// A variable over time at a granularity, with change against the previous period.
    TimeFrame {
        /// Measure id.
        measure: String,
        /// Dimension id (optional: the total only).
        dim: Option<String>,
        /// `month`, `quarter` or `year`.
        granularity: String,
    },
    /// By region, as table and choropleth, plus origin → destination flows.
    Geo {
        /// Measure id.
        measure: String,
        /// Regional level.
        level: GeoLevel,
        /// Origin of flows: `citizenship` or `country_of_recruitment`.
        origin: String,
    },
    /// The 21 EU common key indicators.
    KeyIndicators,
    /// Completeness, timeliness, rejections and duplicates per provider.
    DataQuality,
    /// Multiple systems estimation of the victims no provider saw, from the overlaps of lists of
    /// providers.
    Estimate {
        /// Lists as groups of provider ids (empty: one list per provider, or by `list_by`).
        #[serde(default)]
        lists: Vec<Vec<String>>,
        /// `provider` or `provider_type`: one list per provider or per provider type.
        #[serde(default)]
        list_by: Option<String>,
        /// Model choice: `stepwise` (default), `aic`, `bic` or `main_effects`.
        #[serde(default)]
        selection: String,
        /// Highest interaction order of the BIC search (default by the number of lists).
        #[serde(default)]
        max_order: Option<u8>,
        /// Interval: `wald` (default), `profile` or `bootstrap`.
        #[serde(default)]
        interval: String,
        /// Bootstrap resamples (default 1,000).
        #[serde(default)]
        resamples: Option<u32>,
        /// Bootstrap seed (default 1).
        #[serde(default)]
        seed: Option<u64>,
    },
    /// Hot and cold spots over regions (issue 8): counts or rates per population by region,
    /// Getis-Ord Gi* or local Moran's I with seeded permutation p-values, and global Moran's I.
    Hotspots {
        /// Measure id.
        measure: String,
        /// Regional level (nuts1, nuts2, nuts3, district).
        level: GeoLevel,
        /// `gi` (Getis-Ord Gi*, default) or `moran` (local Moran's I).
        #[serde(default)]
        statistic: String,
        /// Permutations for the p-values (default 999).
        #[serde(default)]
        permutations: Option<u32>,
        /// Seed of the permutations (default 1).
        #[serde(default)]
        seed: Option<u64>,
    },
    /// Association of region counts with region indicators: a Poisson or negative-binomial
    /// regression with a log-population offset.
    Association {
        /// Measure id.
        measure: String,
        /// Regional level.
        level: GeoLevel,
        /// Indicator names used as covariates.
        covariates: Vec<String>,
        /// `negbin` (default) or `poisson`.
        #[serde(default)]
        model: String,
    },
    /// A time-frame series projected with prediction intervals and its back-test.
    Projection {
        /// Measure id.
        measure: String,
        /// Dimension id (optional: one series per category besides the total).
        #[serde(default)]
        dim: Option<String>,
        /// `month`, `quarter` or `year`.
        granularity: String,
        /// Periods to project (default 4).
        #[serde(default)]
        horizon: Option<u32>,
        /// Seed of the simulated intervals (default 1).
        #[serde(default)]
        seed: Option<u64>,
    },
}

impl ReportKind {
    /// The kind's id.
    pub fn id(&self) -> &'static str {
        match self {
            ReportKind::Simple { .. } => "simple",
            ReportKind::Total { .. } => "total",
            ReportKind::TimeFrame { .. } => "time_frame",
            ReportKind::Geo { .. } => "geo",
            ReportKind::KeyIndicators => "key_indicators",
            ReportKind::DataQuality => "data_quality",
            ReportKind::Estimate { .. } => "estimate",
            ReportKind::Hotspots { .. } => "hotspots",
            ReportKind::Association { .. } => "association",
            ReportKind::Projection { .. } => "projection",
        }
    }

    /// Whether this is one of the analysis kinds (hotspots, association, projection), whose
    /// statistics are computed from the counts as published to the report's audience.
    pub fn is_analysis(&self) -> bool {
        matches!(
            self,
            ReportKind::Hotspots { .. } | ReportKind::Association { .. } | ReportKind::Projection { .. }
        )
    }

    /// The parameters of an estimate report.
    pub fn estimate_params(&self) -> Option<crate::estimate::EstimateParams> {
        match self {
            ReportKind::Estimate { lists, list_by, selection, max_order, interval, resamples, seed } => {
                Some(crate::estimate::EstimateParams {
                    lists: lists.clone(),
                    list_by: list_by.clone(),
                    selection: selection.clone(),
                    max_order: *max_order,
                    interval: interval.clone(),
                    resamples: *resamples,
                    seed: *seed,
                })
            }
            _ => None,
        }
    }
}

/// A report request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ReportSpec {
    /// What to compute.
    #[serde(flatten)]
    pub kind: ReportKind,
    /// `2025`, `2025-Q2`, `2025-03` or `2024-01-01..2025-06-30` (absent: all data).
    pub period: Option<String>,
    /// Filters: dimension id → allowed codes.
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<String>>,
    /// Count forms of exploitation under every form (`true`) or the main form only.
    #[serde(default)]
    pub multi_count: bool,
    /// Who it is for.
    #[serde(default)]
    pub audience: Audience,
    /// Label language (`en`, `pt`).
    #[serde(default = "default_lang")]
    pub lang: String,
}

fn default_lang() -> String {
    "en".to_string()
}

impl ReportSpec {
    /// A request with no filter, for the public, in English.
    pub fn new(kind: ReportKind, period: Option<&str>) -> ReportSpec {
        ReportSpec {
            kind,
            period: period.map(str::to_string),
            filters: BTreeMap::new(),
            multi_count: false,
            audience: Audience::Public,
            lang: default_lang(),
        }
    }

    /// The date range of the period.
    pub fn range(&self) -> Result<Option<DateRange>, Error> {
        self.period.as_deref().map(parse_period).transpose()
    }

    /// The filters as engine filters.
    pub fn engine_filters(&self) -> Result<Vec<Filter>, Error> {
        self.filters
            .iter()
            .map(|(dim, codes)| Ok(Filter { dim: Dim::parse(dim)?, codes: codes.clone() }))
            .collect()
    }

    /// Single- or multi-count.
    pub fn counting(&self) -> Counting {
        if self.multi_count { Counting::MultiCount } else { Counting::SingleCount }
    }
}

/// Parses a measure id.
pub(crate) fn measure(text: &str) -> Result<Measure, Error> {
    Ok(Measure::parse(text)?)
}

/// Parses `month`, `quarter`, `year`.
pub(crate) fn granularity(text: &str) -> Result<Granularity, Error> {
    match text.trim() {
        "month" => Ok(Granularity::Month),
        "quarter" => Ok(Granularity::Quarter),
        "year" => Ok(Granularity::Year),
        other => Err(Error::Spec(format!("unknown granularity `{other}` (month, quarter, year)"))),
    }
}

/// Parses a period: `2025`, `2025-Q2`, `2025-03`, or `FROM..TO` with ISO dates.
pub fn parse_period(text: &str) -> Result<DateRange, Error> {
    let bad =
        || Error::Spec(format!("period `{text}`: expected YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"));
    let t = text.trim();
    if let Some((from, to)) = t.split_once("..") {
        let from = NaiveDate::parse_from_str(from.trim(), "%Y-%m-%d").map_err(|_| bad())?;
        let to = NaiveDate::parse_from_str(to.trim(), "%Y-%m-%d").map_err(|_| bad())?;
        if to < from {
            return Err(bad());
        }
        return Ok(DateRange { from, to });
    }
    if let Ok(p) = t.parse::<model::Period>() {
        return Ok(DateRange::quarter(p));
    }
    if t.len() == 4 {
        let year: i32 = t.parse().map_err(|_| bad())?;
        if (1990..=2200).contains(&year) {
            return Ok(DateRange::year(year));
        }
        return Err(bad());
    }
    if t.len() == 7 {
        let from = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d").map_err(|_| bad())?;
        let next = if from.month0() == 11 {
            NaiveDate::from_ymd_opt(from.year_ce().1 as i32 + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year_ce().1 as i32, from.month0() + 2, 1)
        }
        .ok_or_else(bad)?;
        return Ok(DateRange { from, to: next.pred_opt().ok_or_else(bad)? });
    }
    Err(bad())
}

use chrono::Datelike;
