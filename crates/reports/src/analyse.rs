//! The analyses of issue 8 as reports (crate `analysis` for the numerics):
//!
//! - **hotspots**: counts per region (the geo report's table), optionally rates per 100,000
//!   population from a region-indicator table, neighbours from the region boundaries stored at
//!   the hub (queen contiguity, 1 m tolerance), Getis-Ord Gi* or local Moran's I with seeded
//!   permutation p-values, and global Moran's I;
//! - **association**: counts per region against region indicators, a Poisson or
//!   negative-binomial regression with a log-population offset (coefficients, intervals, rate
//!   ratios and fit);
//! - **projection**: a time-frame series (the total, and each category of an optional
//!   dimension) projected with prediction intervals, the back-test of every candidate method,
//!   or the reason why there is no projection.
//!
//! **Disclosure control.** For a protected audience the count tables are protected here, by the
//! same cell key method as every other table (`protect` later finds them unchanged), and every
//! statistic is computed from the *published* values: a withheld count is a missing value (the
//! analysis crate leaves it out, and no rate is computed on it), so nothing shown depends on an
//! exact count. The statistics are model outputs (`Section::model_output`).
//!
//! Region indicators (population, unemployment, inspections, …) are read from a CSV given by
//! the caller (`region,period,indicator,value`, [`read_indicators`]); the hub does not store
//! them yet. For each indicator the rows of the report's period are used when there are any,
//! else those of the latest period given (the report says which).
//!
//! Determinism: permutations and simulated intervals are seeded (default seed 1), regions are
//! in code order, and numbers are written with fixed decimals: the same input gives the same
//! bytes.

use std::collections::BTreeMap;

use analysis::{Class, Contiguity, LocalOptions, RegionShape, Weights};
use chrono::{Datelike, NaiveDate};
use stats::{Axis, Cell, Dim, Engine, Filter, Flag, Granularity, Measure, Query, TOTAL, Table};

use crate::kinds::model_section;
use crate::labels::Labeller;
use crate::spec::{self, GeoLevel, ReportKind, ReportSpec};
use crate::{Error, Grid, GridValue, ProjectionBand, Section, Visual};

/// Rates are per this many persons.
pub const RATE_BASE: f64 = 100_000.0;
/// Boundaries closer than this (metres, in the stored LAEA coordinates) touch.
pub const CONTIGUITY_TOLERANCE: f64 = 1.0;
/// The indicator holding the population (rates, regression offset).
pub const POPULATION: &str = "population";
/// Most permutations a report may ask for.
pub const MAX_PERMUTATIONS: u32 = 99_999;
/// Most periods a projection may cover.
pub const MAX_HORIZON: u32 = 36;
/// Most rows of an indicator file.
const MAX_INDICATOR_ROWS: usize = 1_000_000;

/// One value of a region indicator.
#[derive(Clone, PartialEq, Debug)]
pub struct IndicatorValue {
    /// Region code (NUTS or district).
    pub region: String,
    /// Period (`2025`, `2025-Q2`, …) as given.
    pub period: String,
    /// Indicator name (`population`, `unemployment`, …).
    pub indicator: String,
    /// The value.
    pub value: f64,
}

/// What the analysis kinds need besides the engine.
#[derive(Clone, Debug, Default)]
pub struct AnalysisInputs {
    /// Region boundaries (hotspots: the neighbours).
    pub boundaries: Option<maps::Boundaries>,
    /// Region indicators (rates, association).
    pub indicators: Vec<IndicatorValue>,
    /// The cell key p-table for protected audiences (default parameters when `None`, as the
    /// hub's ad-hoc reports).
    pub ptable: Option<sdc::PTable>,
}

/// Reads a region-indicator CSV: a header with `region` (or `region_code`, `code`), `period`,
/// `indicator` and `value` columns, in any order; one row per value. Errors name the row, never
/// a value.
pub fn read_indicators(reader: impl std::io::Read) -> Result<Vec<IndicatorValue>, Error> {
    let mut r = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(reader);
    let headers = r.headers().map_err(|e| Error::Spec(format!("indicator file: {e}")))?.clone();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.to_ascii_lowercase().as_str()));
    let (Some(rc), Some(pc), Some(ic), Some(vc)) =
        (find(&["region", "region_code", "code"]), find(&["period"]), find(&["indicator"]), find(&["value"]))
    else {
        return Err(Error::Spec(
            "indicator file: the header needs region, period, indicator and value".into(),
        ));
    };
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, rec) in r.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|_| Error::Spec(format!("indicator file, row {row}: not a valid CSV row")))?;
        if out.len() >= MAX_INDICATOR_ROWS {
            return Err(Error::Spec(format!("indicator file: more than {MAX_INDICATOR_ROWS} rows")));
        }
        let field = |c: usize| rec.get(c).unwrap_or("").to_string();
        let (region, period, indicator) = (field(rc), field(pc), field(ic).to_ascii_lowercase());
        if region.is_empty() || indicator.is_empty() {
            return Err(Error::Spec(format!("indicator file, row {row}: region and indicator are required")));
        }
        let value: f64 =
            field(vc).parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| {
                Error::Spec(format!("indicator file, row {row}: the value is not a number"))
            })?;
        if !seen.insert((region.clone(), period.clone(), indicator.clone())) {
            return Err(Error::Spec(format!(
                "indicator file, row {row}: a second value for the same region, period and indicator"
            )));
        }
        out.push(IndicatorValue { region, period, indicator, value });
    }
    Ok(out)
}

/// Runs an analysis kind: the title and sections.
pub(crate) fn run(
    engine: &Engine,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    inputs: &AnalysisInputs,
    period_text: &str,
    rules: &mut Vec<String>,
) -> Result<(String, Vec<Section>), Error> {
    let cx = Cx { engine, spec, labels, inputs, pt: labels.lang() == model::Lang::Pt };
    match &spec.kind {
        ReportKind::Hotspots { measure, level, statistic, permutations, seed } => {
            let measure = spec::measure(measure)?;
            rules.push(measure.rule().to_string());
            cx.hotspots(measure, *level, statistic, *permutations, *seed, period_text)
        }
        ReportKind::Association { measure, level, covariates, model } => {
            let measure = spec::measure(measure)?;
            rules.push(measure.rule().to_string());
            cx.association(measure, *level, covariates, model, period_text)
        }
        ReportKind::Projection { measure, dim, granularity, horizon, seed } => {
            let measure = spec::measure(measure)?;
            rules.push(measure.rule().to_string());
            cx.projection(measure, dim.as_deref(), granularity, *horizon, *seed, period_text)
        }
        _ => Err(Error::Spec("not an analysis report".into())),
    }
}

fn analysis_err(e: analysis::Error) -> Error {
    Error::Spec(format!("analysis: {e}"))
}

/// Whether `code` is a region of `level` in `country`.
fn at_level(code: &str, level: GeoLevel, country: &str) -> bool {
    let nuts = |n: usize| {
        code.len() == 2 + n && code.starts_with(country) && code.chars().all(|c| c.is_ascii_alphanumeric())
    };
    match level {
        GeoLevel::Nuts1 => nuts(1),
        GeoLevel::Nuts2 => nuts(2),
        GeoLevel::Nuts3 => nuts(3),
        GeoLevel::District => code.strip_prefix(country).is_some_and(|r| r.starts_with('-')),
        GeoLevel::Country => false,
    }
}

/// The published value of a region in a one-axis table (absent: a zero).
fn published(t: &Table, code: &str) -> Option<u64> {
    t.cell(&[code]).map_or(Some(0), |c| c.value)
}

struct Cx<'a, 'l> {
    engine: &'a Engine,
    spec: &'a ReportSpec,
    labels: &'a Labeller<'l>,
    inputs: &'a AnalysisInputs,
    pt: bool,
}

impl Cx<'_, '_> {
    fn t(&self, en: &'static str, pt: &'static str) -> String {
        self.labels.text(en, pt).to_string()
    }

    /// A number with fixed decimals in the report's language.
    fn dec(&self, x: f64, places: usize) -> GridValue {
        if !x.is_finite() {
            return GridValue::Missing;
        }
        let mut s = format!("{x:.places$}");
        if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s.remove(0);
        }
        GridValue::Text(if self.pt { s.replace('.', ",") } else { s })
    }

    fn dec_opt(&self, x: Option<f64>, places: usize) -> GridValue {
        x.map_or(GridValue::Missing, |v| self.dec(v, places))
    }

    fn p_value(&self, p: Option<f64>) -> GridValue {
        match p {
            Some(p) if p < 0.001 => GridValue::Text(if self.pt { "< 0,001" } else { "< 0.001" }.into()),
            Some(p) => self.dec(p, 3),
            None => GridValue::Missing,
        }
    }

    /// A count table over `dims`, protected for the audience when it is a protected one.
    fn counts(&self, measure: Measure, dims: &[Dim], extra: Option<Filter>) -> Result<Table, Error> {
        let mut q = Query::new(measure, dims);
        q.filters = self.spec.engine_filters()?;
        q.filters.extend(extra);
        q.period = self.spec.range()?;
        q.counting = self.spec.counting();
        let mut t = self.engine.table(&q)?;
        if self.spec.audience.is_protected() {
            let ptable = match &self.inputs.ptable {
                Some(p) => p.clone(),
                None => sdc::PTable::new(sdc::PTableParams::default())?,
            };
            crate::protect::perturb_table(&mut t, &ptable);
        }
        Ok(t)
    }

    fn published_note(&self) -> Option<String> {
        self.spec.audience.is_protected().then(|| {
            self.t(
                "Computed from the published (protected) counts, not from exact ones.",
                "Calculado a partir das contagens publicadas (protegidas), não das exatas.",
            )
        })
    }

    /// The values of an indicator for the report's period (else its latest period): the period
    /// used and the values by region.
    fn indicator(&self, name: &str) -> Option<(String, BTreeMap<String, f64>)> {
        let rows: Vec<&IndicatorValue> =
            self.inputs.indicators.iter().filter(|r| r.indicator == name).collect();
        let wanted = self.spec.period.as_deref().filter(|p| rows.iter().any(|r| r.period == *p));
        let period = match wanted {
            Some(p) => p.to_string(),
            None => rows.iter().map(|r| r.period.clone()).max()?,
        };
        let values =
            rows.iter().filter(|r| r.period == period).map(|r| (r.region.clone(), r.value)).collect();
        Some((period, values))
    }

    fn indicator_note(&self, name: &str, period: &str) -> String {
        if self.pt {
            format!("Indicador `{name}`: valores do período {period}.")
        } else {
            format!("Indicator `{name}`: values of period {period}.")
        }
    }

    fn class_label(&self, c: Class) -> String {
        match c {
            Class::HotSpot => self.t("hot spot", "ponto quente"),
            Class::ColdSpot => self.t("cold spot", "ponto frio"),
            Class::HighHigh => self.t("high-high cluster", "agrupamento alto-alto"),
            Class::LowLow => self.t("low-low cluster", "agrupamento baixo-baixo"),
            Class::HighLow => self.t("high-low outlier", "atípico alto-baixo"),
            Class::LowHigh => self.t("low-high outlier", "atípico baixo-alto"),
            Class::NotSignificant => self.t("not significant", "não significativo"),
            Class::NotComputed => self.t("not computed", "não calculado"),
        }
    }

    fn list_note(&self, en: &str, pt: &str, codes: &[String]) -> Option<String> {
        (!codes.is_empty()).then(|| format!("{}: {}.", if self.pt { pt } else { en }, codes.join(", ")))
    }

    fn hotspots(
        &self,
        measure: Measure,
        level: GeoLevel,
        statistic: &str,
        permutations: Option<u32>,
        seed: Option<u64>,
        period_text: &str,
    ) -> Result<(String, Vec<Section>), Error> {
        if level == GeoLevel::Country {
            return Err(Error::Spec("hotspots need a regional level (nuts1, nuts2, nuts3, district)".into()));
        }
        let gi = match statistic.trim() {
            "" | "gi" => true,
            "moran" => false,
            other => return Err(Error::Spec(format!("unknown statistic `{other}` (gi, moran)"))),
        };
        let permutations = permutations.unwrap_or(analysis::DEFAULT_PERMUTATIONS as u32);
        if permutations > MAX_PERMUTATIONS {
            return Err(Error::Spec(format!("permutations: 0 to {MAX_PERMUTATIONS}")));
        }
        let seed = seed.unwrap_or(1);
        let dim = level.dim();
        let table = self.counts(measure, &[dim], None)?;
        let boundaries = self.inputs.boundaries.as_ref().ok_or_else(|| {
            Error::Spec("hotspots need region boundaries: import them with `mosy geo import`".into())
        })?;
        let country = self.engine.reporting_country();
        let shapes: Vec<RegionShape> = boundaries
            .regions
            .iter()
            .filter(|r| at_level(&r.code, level, country))
            .map(RegionShape::from_region)
            .collect();
        if shapes.len() < 3 {
            return Err(Error::Spec(format!(
                "the stored boundaries hold {} regions of this level in {country}; at least 3 are needed",
                shapes.len()
            )));
        }
        let weights =
            Weights::from_shapes(&shapes, Contiguity::Queen, CONTIGUITY_TOLERANCE).map_err(analysis_err)?;
        let codes = weights.codes().to_vec();
        let counts: Vec<Option<u64>> = codes.iter().map(|c| published(&table, c)).collect();
        let population = self.indicator(POPULATION);
        let pops: Option<Vec<Option<f64>>> =
            population.as_ref().map(|(_, m)| codes.iter().map(|c| m.get(c).copied()).collect());
        let rates = match &pops {
            Some(p) => Some(analysis::rates(&counts, p, RATE_BASE).map_err(analysis_err)?),
            None => None,
        };
        let values: Vec<Option<f64>> = match &rates {
            Some(r) => r.clone(),
            None => counts.iter().map(|c| c.map(|v| v as f64)).collect(),
        };
        let options = LocalOptions { permutations: permutations as usize, seed, ..LocalOptions::default() };
        let local = if gi {
            analysis::getis_ord(&weights, &values, &options)
        } else {
            analysis::local_moran(&weights, &values, &options)
        }
        .map_err(analysis_err)?;
        let global = analysis::global_moran(&weights, &values, &options);

        let what = if rates.is_some() {
            self.t("rate per 100,000 population", "taxa por 100 000 habitantes")
        } else {
            self.t("count", "contagem")
        };
        let title = format!(
            "{} — {} {} {} ({period_text})",
            self.t("Hot and cold spots", "Pontos quentes e frios"),
            self.labels.measure(measure),
            self.t("by", "por"),
            self.labels.dim(dim),
        );
        let mut regions = crate::kinds::section(
            "regions",
            &format!("{} — {} ({period_text})", self.labels.measure(measure), self.labels.dim(dim)),
            table.clone(),
            self.labels,
            Visual::Choropleth,
        );
        let outside: Vec<String> = table.axes[0]
            .codes
            .iter()
            .filter(|c| c.as_str() != TOTAL && weights.index_of(c).is_none())
            .cloned()
            .collect();
        regions.notes.extend(self.list_note(
            "Not in the analysis (no boundary of this level in the country, or unknown)",
            "Fora da análise (sem fronteira deste nível no país, ou desconhecido)",
            &outside,
        ));

        let stat_name = if gi {
            self.t("Gi* (z-score)", "Gi* (valor z)")
        } else {
            self.t("Local Moran's I", "I de Moran local")
        };
        let mut columns =
            vec![self.t("Region", "Região"), self.t("Code", "Código"), self.t("Count", "Contagem")];
        if rates.is_some() {
            columns.push(self.t("Population", "População"));
            columns.push(self.t("Rate per 100,000", "Taxa por 100 000"));
        }
        columns.push(stat_name.clone());
        if !gi {
            // Gi* is a z-score already.
            columns.push("z".to_string());
        }
        columns.extend([
            self.t("p-value", "valor p"),
            self.t("Neighbours", "Vizinhos"),
            self.t("Class", "Classe"),
        ]);
        let rows = local
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut row = vec![
                    GridValue::Text(self.labels.code(dim, &r.code)),
                    GridValue::Text(r.code.clone()),
                    counts[i].map_or(GridValue::Missing, GridValue::Int),
                ];
                if let (Some(p), Some(rt)) = (&pops, &rates) {
                    row.push(p[i].map_or(GridValue::Missing, |v| self.dec(v, 0)));
                    row.push(self.dec_opt(rt[i], 2));
                }
                row.push(self.dec_opt(r.statistic, 3));
                if !gi {
                    row.push(self.dec_opt(r.z, 3));
                }
                row.extend([
                    self.p_value(r.p_sim.or(r.p_normal)),
                    GridValue::Int(r.neighbours_used as u64),
                    GridValue::Text(self.class_label(r.class)),
                ]);
                row
            })
            .collect();
        let mut local_s = model_section(
            "hotspots",
            &format!("{} — {what}", if gi { self.t("Getis-Ord Gi*", "Gi* de Getis-Ord") } else { stat_name }),
            Grid { columns, rows },
        );
        let n = &mut local_s.notes;
        n.push(if self.pt {
            format!(
                "Vizinhos: regiões cujas fronteiras se tocam (contiguidade «rainha»). Valores p por {permutations} \
                 permutações condicionais (semente {seed}); nível {:.2}; sem correção para testes múltiplos: \
                 cerca de uma região em vinte é assinalada por acaso.",
                local.alpha
            )
        } else {
            format!(
                "Neighbours: regions whose boundaries touch (queen contiguity). p-values from {permutations} \
                 conditional permutations (seed {seed}); level {:.2}; no correction for multiple testing: about \
                 one region in twenty is flagged by chance alone.",
                local.alpha
            )
        });
        if let Some((period, _)) = &population {
            n.push(self.indicator_note(POPULATION, period));
            n.push(self.t(
                "No rate is computed on a withheld count or without a population; such regions are left out.",
                "Não se calcula taxa sobre contagem retida nem sem população; essas regiões ficam fora.",
            ));
        }
        n.extend(self.list_note("Left out (no value)", "Fora da análise (sem valor)", &local.missing));
        n.extend(self.list_note(
            "No neighbour with a value (no statistic)",
            "Sem vizinho com valor (sem estatística)",
            &local.without_neighbours,
        ));
        let islands: Vec<String> = weights.island_codes().iter().map(|c| (*c).to_string()).collect();
        n.extend(self.list_note("Without neighbours (islands)", "Sem vizinhos (ilhas)", &islands));
        n.extend(self.published_note());

        let mut global_s = match &global {
            Ok(g) => model_section(
                "global_moran",
                &self.t("Global Moran's I", "I de Moran global"),
                Grid {
                    columns: vec![self.t("Statistic", "Estatística"), self.t("Value", "Valor")],
                    rows: vec![
                        vec![GridValue::Text("I".into()), self.dec(g.i, 4)],
                        vec![GridValue::Text("E[I]".into()), self.dec(g.expected, 4)],
                        vec![GridValue::Text("z".into()), self.dec(g.z, 3)],
                        vec![
                            GridValue::Text(self.t("p-value (normal)", "valor p (normal)")),
                            self.p_value(Some(g.p_normal)),
                        ],
                        vec![
                            GridValue::Text(self.t("p-value (permutations)", "valor p (permutações)")),
                            self.p_value(g.p_sim),
                        ],
                        vec![GridValue::Text(self.t("Regions", "Regiões")), GridValue::Int(g.n as u64)],
                    ],
                },
            ),
            Err(e) => model_section(
                "global_moran",
                &self.t("Global Moran's I", "I de Moran global"),
                Grid {
                    columns: vec![self.t("Statistic", "Estatística"), self.t("Value", "Valor")],
                    rows: vec![vec![GridValue::Text("I".into()), GridValue::Text(e.to_string())]],
                },
            ),
        };
        global_s.notes.push(self.t(
            "Positive I: similar values cluster in space; negative: neighbours tend to differ; near E[I]: no pattern.",
            "I positivo: valores semelhantes agrupam-se no espaço; negativo: vizinhos tendem a diferir; perto de \
             E[I]: sem padrão.",
        ));
        Ok((title, vec![regions, local_s, global_s]))
    }

    fn association(
        &self,
        measure: Measure,
        level: GeoLevel,
        covariates: &[String],
        model: &str,
        period_text: &str,
    ) -> Result<(String, Vec<Section>), Error> {
        if level == GeoLevel::Country {
            return Err(Error::Spec(
                "association needs a regional level (nuts1, nuts2, nuts3, district)".into(),
            ));
        }
        let family = match model.trim() {
            "" | "negbin" => analysis::Family::NegativeBinomial(analysis::Dispersion::MaximumLikelihood),
            "poisson" => analysis::Family::Poisson,
            other => return Err(Error::Spec(format!("unknown model `{other}` (negbin, poisson)"))),
        };
        let covariates: Vec<String> =
            covariates.iter().map(|c| c.trim().to_ascii_lowercase()).filter(|c| !c.is_empty()).collect();
        if covariates.is_empty() {
            return Err(Error::Spec(
                "give at least one covariate (an indicator of the indicator file)".into(),
            ));
        }
        if self.inputs.indicators.is_empty() {
            return Err(Error::Spec("association needs region indicators (an indicator file)".into()));
        }
        let dim = level.dim();
        let table = self.counts(measure, &[dim], None)?;
        let country = self.engine.reporting_country();
        let (pop_period, pop) = self.indicator(POPULATION).ok_or_else(|| {
            Error::Spec("the indicators have no `population`: it is the offset of the model".into())
        })?;
        let mut covs = Vec::new();
        for name in &covariates {
            let got = self
                .indicator(name)
                .ok_or_else(|| Error::Spec(format!("no indicator `{name}` in the indicator file")))?;
            covs.push((name.clone(), got));
        }
        let mut used = Vec::new();
        let mut incomplete = Vec::new();
        for (code, p) in pop.iter().filter(|(c, _)| at_level(c, level, country)) {
            if *p > 0.0 && covs.iter().all(|(_, (_, m))| m.contains_key(code)) {
                used.push(code.clone());
            } else {
                incomplete.push(code.clone());
            }
        }
        let counts: Vec<Option<u64>> = used.iter().map(|c| published(&table, c)).collect();
        let population: Vec<f64> = used.iter().map(|c| pop[c]).collect();
        let x: Vec<analysis::Covariate> = covs
            .iter()
            .map(|(name, (_, m))| analysis::Covariate {
                name: name.clone(),
                values: used.iter().map(|c| m[c]).collect(),
            })
            .collect();
        let fit = analysis::fit_glm(&counts, &population, &x, family, &analysis::GlmOptions::default())
            .map_err(analysis_err)?;

        let title = format!(
            "{} — {} {} {} ({period_text})",
            self.t("Association with region indicators", "Associação com indicadores regionais"),
            self.labels.measure(measure),
            self.t("by", "por"),
            self.labels.dim(dim),
        );
        let mut regions = crate::kinds::section(
            "regions",
            &format!("{} — {} ({period_text})", self.labels.measure(measure), self.labels.dim(dim)),
            table,
            self.labels,
            Visual::Choropleth,
        );
        regions.notes.extend(self.list_note(
            "Left out of the model (population not positive or an indicator missing)",
            "Fora do modelo (população não positiva ou indicador em falta)",
            &incomplete,
        ));
        let level_pc = format!("{:.0}%", analysis::GlmOptions::default().level * 100.0);
        let columns = vec![
            self.t("Term", "Termo"),
            self.t("Estimate", "Estimativa"),
            self.t("Std. error", "Erro padrão"),
            "z".to_string(),
            self.t("p-value", "valor p"),
            format!("{} {level_pc}", self.t("Lower", "Inferior")),
            format!("{} {level_pc}", self.t("Upper", "Superior")),
            self.t("Rate ratio", "Razão de taxas"),
            format!("{} {level_pc}", self.t("RR lower", "RT inferior")),
            format!("{} {level_pc}", self.t("RR upper", "RT superior")),
        ];
        let rows = fit
            .coefficients
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    GridValue::Text(if i == 0 {
                        self.t("(intercept)", "(constante)")
                    } else {
                        c.name.clone()
                    }),
                    self.dec(c.estimate, 4),
                    self.dec(c.std_error, 4),
                    self.dec(c.z, 2),
                    self.p_value(Some(c.p_value)),
                    self.dec(c.lower, 4),
                    self.dec(c.upper, 4),
                    self.dec(c.rate_ratio, 4),
                    self.dec(c.rate_ratio_lower, 4),
                    self.dec(c.rate_ratio_upper, 4),
                ]
            })
            .collect();
        let mut coef =
            model_section("coefficients", &self.t("Coefficients", "Coeficientes"), Grid { columns, rows });
        coef.notes.push(self.t(
            "Offset: log(population), so the model is of rates. Rate ratio: how many times the rate is \
             multiplied for one unit more of the indicator, the others held fixed (the intercept's is the rate per \
             person when every indicator is 0). An association, not a cause.",
            "Desvio (offset): log(população), pelo que o modelo é de taxas. Razão de taxas: quantas vezes a taxa é \
             multiplicada por mais uma unidade do indicador, os outros fixos (a da constante é a taxa por pessoa \
             com todos os indicadores a 0). Uma associação, não uma causa.",
        ));
        coef.notes.push(self.indicator_note(POPULATION, &pop_period));
        for (name, (period, _)) in &covs {
            coef.notes.push(self.indicator_note(name, period));
        }
        coef.notes.extend(self.published_note());
        let family_text = match fit.family {
            analysis::Family::Poisson => self.t("Poisson", "Poisson"),
            analysis::Family::NegativeBinomial(_) => {
                self.t("negative binomial (NB2)", "binomial negativa (NB2)")
            }
        };
        let row = |label: String, v: GridValue| vec![GridValue::Text(label), v];
        let mut fit_rows = vec![row(self.t("Model", "Modelo"), GridValue::Text(family_text))];
        if let Some(theta) = fit.theta {
            fit_rows.push(row(self.t("θ (dispersion)", "θ (dispersão)"), self.dec(theta, 3)));
        }
        fit_rows.extend([
            row(self.t("Regions used", "Regiões usadas"), GridValue::Int(fit.n as u64)),
            row(
                self.t("Left out (withheld count)", "Fora (contagem retida)"),
                GridValue::Int(fit.dropped as u64),
            ),
            row(self.t("Residual df", "GL residuais"), GridValue::Int(fit.df_residual as u64)),
            row(self.t("Deviance", "Desvio"), self.dec(fit.deviance, 2)),
            row(self.t("Null deviance", "Desvio nulo"), self.dec(fit.null_deviance, 2)),
            row(self.t("Log-likelihood", "Log-verosimilhança"), self.dec(fit.log_likelihood, 2)),
            row("AIC".to_string(), self.dec(fit.aic, 2)),
            row(self.t("Pearson dispersion", "Dispersão de Pearson"), self.dec(fit.pearson_dispersion, 3)),
            row(self.t("Iterations", "Iterações"), GridValue::Int(fit.iterations as u64)),
        ]);
        let mut fit_s = model_section(
            "fit",
            &self.t("Fit", "Ajustamento"),
            Grid { columns: vec![self.t("Measure", "Medida"), self.t("Value", "Valor")], rows: fit_rows },
        );
        for w in &fit.warnings {
            fit_s.notes.push(match w {
                analysis::GlmWarning::NoOverdispersion => self.t(
                    "No overdispersion: the Poisson model fits as well.",
                    "Sem sobredispersão: o modelo de Poisson ajusta-se igualmente.",
                ),
                analysis::GlmWarning::Overdispersed { dispersion } => {
                    if self.pt {
                        format!(
                            "Sobredispersão (dispersão de Pearson {dispersion:.2}): os erros padrão de Poisson são \
                             pequenos demais; prefira a binomial negativa."
                        )
                    } else {
                        format!(
                            "Overdispersion (Pearson dispersion {dispersion:.2}): the Poisson standard errors are too \
                             small; prefer the negative binomial."
                        )
                    }
                }
            });
        }
        Ok((title, vec![regions, coef, fit_s]))
    }

    fn projection(
        &self,
        measure: Measure,
        dim: Option<&str>,
        granularity: &str,
        horizon: Option<u32>,
        seed: Option<u64>,
        period_text: &str,
    ) -> Result<(String, Vec<Section>), Error> {
        let g = spec::granularity(granularity)?;
        let horizon = horizon.unwrap_or(4);
        if !(1..=MAX_HORIZON).contains(&horizon) {
            return Err(Error::Spec(format!("horizon: 1 to {MAX_HORIZON} periods")));
        }
        let season = match g {
            Granularity::Month => 12,
            Granularity::Quarter => 4,
            Granularity::Year => 1,
        };
        let options = analysis::ProjectionOptions {
            horizon: horizon as usize,
            seed: seed.unwrap_or(1),
            ..analysis::ProjectionOptions::default()
        };
        let pdim = Dim::Period(g);
        let mut series: Vec<(String, String, Option<Filter>)> =
            vec![("total".to_string(), self.t("Total", "Total"), None)];
        if let Some(d) = dim {
            let d = Dim::parse(d)?;
            let t = self.counts(measure, &[pdim, d], None)?;
            for code in t.axes[1].codes.iter().filter(|c| c.as_str() != TOTAL) {
                series.push((
                    code.clone(),
                    self.labels.code(d, code),
                    Some(Filter { dim: d, codes: vec![code.clone()] }),
                ));
            }
        }
        let range = self.spec.range()?;
        let mut sections = Vec::new();
        for (id, label, filter) in series {
            let table = self.counts(measure, &[pdim], filter)?;
            let suffix = if id == "total" { String::new() } else { format!("_{id}") };
            let (table, periods) = full_periods(table, range, g);
            let values: Option<Vec<f64>> = periods
                .iter()
                .map(|p| table.cell(&[p.as_str()]).and_then(|c| c.value).map(|v| v as f64))
                .collect();
            let title = format!(
                "{label}: {} {} ({period_text})",
                self.labels.measure(measure),
                self.t("with its projection", "com a sua projeção")
            );
            let mut s =
                crate::kinds::section(&format!("series{suffix}"), &title, table, self.labels, Visual::Lines);
            let result = match values {
                Some(v) => analysis::project(&v, season, &options),
                None => Err(analysis::Error::SeriesTooSparse("a period's count is withheld".into())),
            };
            match result {
                Ok(p) => {
                    let last = periods.last().cloned().unwrap_or_default();
                    let next = next_periods(&last, g, p.point.len());
                    let level_pc = format!("{:.0}%", p.level * 100.0);
                    let rows = next
                        .iter()
                        .enumerate()
                        .map(|(i, per)| {
                            vec![
                                GridValue::Text(per.clone()),
                                self.dec(p.point[i], 1),
                                self.dec(p.lower[i], 1),
                                self.dec(p.upper[i], 1),
                            ]
                        })
                        .collect();
                    let mut proj = model_section(
                        &format!("projection{suffix}"),
                        &format!("{label}: {}", self.t("projection", "projeção")),
                        Grid {
                            columns: vec![
                                self.t("Period", "Período"),
                                self.t("Projection", "Projeção"),
                                format!("{} {level_pc}", self.t("Lower", "Inferior")),
                                format!("{} {level_pc}", self.t("Upper", "Superior")),
                            ],
                            rows,
                        },
                    );
                    proj.notes.push(if self.pt {
                        format!(
                            "Método: {} — o de menor erro absoluto médio nos últimos {} períodos retidos \
                             (retroteste). Intervalos de previsão a {level_pc} por {} trajetórias simuladas \
                             (semente {}).",
                            p.method.label(),
                            p.holdout,
                            options.simulations,
                            options.seed
                        )
                    } else {
                        format!(
                            "Method: {} — the lowest mean absolute error on the last {} periods held out \
                             (back-test). {level_pc} prediction intervals from {} simulated paths (seed {}).",
                            p.method.label(),
                            p.holdout,
                            options.simulations,
                            options.seed
                        )
                    });
                    proj.notes.push(format!(
                        "{} MAPE {}, MASE {}.",
                        self.t("Back-test of the chosen method:", "Retroteste do método escolhido:"),
                        p.backtest_mape.map_or("–".to_string(), |m| format!("{m:.1}%")),
                        p.backtest_mase.map_or("–".to_string(), |m| format!("{m:.2}")),
                    ));
                    proj.notes.extend(self.published_note());
                    let back_rows = p
                        .candidates
                        .iter()
                        .map(|c| {
                            vec![
                                GridValue::Text(c.method.label().to_string()),
                                self.dec_opt(c.mae, 2),
                                self.dec_opt(c.mape, 1),
                                self.dec_opt(c.mase, 2),
                                GridValue::Text(if c.method == p.method {
                                    self.t("chosen", "escolhido")
                                } else if let Some(f) = &c.failure {
                                    f.clone()
                                } else {
                                    String::new()
                                }),
                            ]
                        })
                        .collect();
                    let back = model_section(
                        &format!("backtest{suffix}"),
                        &format!("{label}: {}", self.t("back-test of the methods", "retroteste dos métodos")),
                        Grid {
                            columns: vec![
                                self.t("Method", "Método"),
                                "MAE".into(),
                                "MAPE (%)".into(),
                                "MASE".into(),
                                self.t("Note", "Nota"),
                            ],
                            rows: back_rows,
                        },
                    );
                    s.projection = Some(ProjectionBand {
                        periods: next,
                        point: p.point.clone(),
                        lower: p.lower.clone(),
                        upper: p.upper.clone(),
                        level: p.level,
                    });
                    sections.extend([s, proj, back]);
                }
                Err(
                    e @ (analysis::Error::SeriesTooShort { .. }
                    | analysis::Error::SeriesTooSparse(_)
                    | analysis::Error::NoProjection),
                ) => {
                    let reason = self.refusal(&e);
                    s.notes.push(format!("{} {reason}", self.t("No projection:", "Sem projeção:")));
                    let proj = model_section(
                        &format!("projection{suffix}"),
                        &format!("{label}: {}", self.t("projection", "projeção")),
                        Grid {
                            columns: vec![self.t("Projection", "Projeção"), self.t("Reason", "Motivo")],
                            rows: vec![vec![
                                GridValue::Text(self.t("none", "nenhuma")),
                                GridValue::Text(reason),
                            ]],
                        },
                    );
                    sections.extend([s, proj]);
                }
                Err(e) => return Err(analysis_err(e)),
            }
        }
        let title = format!(
            "{} — {} ({period_text})",
            self.t("Projection", "Projeção"),
            self.labels.measure(measure)
        );
        Ok((title, sections))
    }

    fn refusal(&self, e: &analysis::Error) -> String {
        match (e, self.pt) {
            (analysis::Error::SeriesTooShort { length, minimum }, true) => {
                format!("a série tem {length} períodos; uma projeção precisa de pelo menos {minimum}")
            }
            (analysis::Error::SeriesTooSparse(why), true) => format!("a série é demasiado esparsa ({why})"),
            (analysis::Error::NoProjection, true) => "nenhum método se ajustou a esta série".into(),
            (e, _) => e.to_string(),
        }
    }
}

/// First day of the period holding `d`.
fn period_start(d: NaiveDate, g: Granularity) -> NaiveDate {
    let month = match g {
        Granularity::Month => d.month(),
        Granularity::Quarter => (d.month() - 1) / 3 * 3 + 1,
        Granularity::Year => 1,
    };
    NaiveDate::from_ymd_opt(d.year(), month, 1).unwrap_or(d)
}

fn advance(d: NaiveDate, g: Granularity) -> NaiveDate {
    let months = match g {
        Granularity::Month => 1,
        Granularity::Quarter => 3,
        Granularity::Year => 12,
    };
    d.checked_add_months(chrono::Months::new(months)).unwrap_or(d)
}

/// The code of the period starting on `d` (as the engine writes it).
fn period_code(d: NaiveDate, g: Granularity) -> String {
    match g {
        Granularity::Month => format!("{:04}-{:02}", d.year(), d.month()),
        Granularity::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        Granularity::Year => format!("{:04}", d.year()),
    }
}

/// The start of the period of a code (`2025`, `2025-Q2`, `2025-03`).
fn parse_code(code: &str, g: Granularity) -> Option<NaiveDate> {
    let year: i32 = code.get(..4)?.parse().ok()?;
    let month = match g {
        Granularity::Year => 1,
        Granularity::Quarter => (code.get(6..)?.parse::<u32>().ok()? - 1) * 3 + 1,
        Granularity::Month => code.get(5..)?.parse().ok()?,
    };
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The `n` periods after `last`.
fn next_periods(last: &str, g: Granularity, n: usize) -> Vec<String> {
    let Some(mut d) = parse_code(last, g) else { return Vec::new() };
    (0..n)
        .map(|_| {
            d = advance(d, g);
            period_code(d, g)
        })
        .collect()
}

/// The table over every period from the first to the last (of `range` when given, else of the
/// data), periods without a unit as zeros; and the period codes in order.
fn full_periods(t: Table, range: Option<stats::DateRange>, g: Granularity) -> (Table, Vec<String>) {
    let codes: Vec<&String> = t.axes[0].codes.iter().filter(|c| c.as_str() != TOTAL).collect();
    let bounds = match range {
        Some(r) => Some((period_start(r.from, g), period_start(r.to, g))),
        None => {
            let dates: Vec<NaiveDate> = codes.iter().filter_map(|c| parse_code(c, g)).collect();
            dates.iter().min().copied().zip(dates.iter().max().copied())
        }
    };
    let mut periods = Vec::new();
    if let Some((mut d, last)) = bounds {
        while d <= last && periods.len() < 10_000 {
            periods.push(period_code(d, g));
            d = advance(d, g);
        }
    }
    let zero = Cell { count: 0, key: 0, value: Some(0), flag: Flag::Exact };
    let mut cells: Vec<Cell> =
        periods.iter().map(|p| t.cell(&[p.as_str()]).copied().unwrap_or(zero)).collect();
    cells.push(*t.total());
    let axes = vec![Axis {
        dim: t.axes[0].dim,
        codes: periods.iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect(),
    }];
    (Table { query: t.query.clone(), axes, cells, multi: t.multi }, periods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_written_as_the_engine_writes_them() {
        assert_eq!(next_periods("2025-Q3", Granularity::Quarter, 3), ["2025-Q4", "2026-Q1", "2026-Q2"]);
        assert_eq!(next_periods("2025-11", Granularity::Month, 2), ["2025-12", "2026-01"]);
        assert_eq!(next_periods("2024", Granularity::Year, 1), ["2025"]);
    }

    #[test]
    fn regions_of_a_level() {
        assert!(at_level("PT1A0", GeoLevel::Nuts3, "PT"));
        assert!(!at_level("PT1A", GeoLevel::Nuts3, "PT"));
        assert!(at_level("PT1A", GeoLevel::Nuts2, "PT"));
        assert!(!at_level("ES111", GeoLevel::Nuts3, "PT"));
        assert!(at_level("PT-11", GeoLevel::District, "PT"));
        assert!(!at_level("PT-11", GeoLevel::Nuts3, "PT"));
    }

    #[test]
    fn indicator_files_are_read_and_checked() {
        let text = "region,period,indicator,value\nPT-01,2025,population,1000\nPT-02,2025,Population,2000\n";
        let v = read_indicators(text.as_bytes()).expect("reads");
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].indicator, "population");
        let dup = "code,period,indicator,value\nPT-01,2025,population,1\nPT-01,2025,population,2\n";
        assert!(read_indicators(dup.as_bytes()).unwrap_err().to_string().contains("row 3"));
        let bad = "region,period,indicator,value\nPT-01,2025,population,secret\n";
        let e = read_indicators(bad.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("row 2") && !e.contains("secret"), "{e}");
    }
}
