//! Computing each kind of report from the engine into exact tables (disclosure control comes
//! after, in `protect`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use stats::{Axis, Cell, Dim, Engine, Flag, Granularity, Measure, Query, TOTAL, Table};

use crate::analyse::AnalysisInputs;
use crate::indicators::INDICATORS;
use crate::labels::Labeller;
use crate::protect::Disclosure;
use crate::spec::{self, ReportKind, ReportSpec};
use crate::{Error, Grid, GridValue, Metadata, Report, Section, Visual};

/// One submission as the data-quality report sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SubmissionFact {
    /// Provider id.
    pub provider: String,
    /// Quarter (`2025-Q1`).
    pub period: String,
    /// Lifecycle status id (`validated`, `accepted`, `rejected`, `approved`, `superseded`).
    pub status: String,
    /// Day received.
    pub received: NaiveDate,
    /// Records in the submission.
    pub records: u64,
    /// Rows refused at intake (when the hub accepted the valid rows only), if known.
    pub rejected_rows: Option<u64>,
}

/// What the data-quality report needs besides the engine.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct QualityInputs {
    /// Every submission revision.
    pub submissions: Vec<SubmissionFact>,
    /// Quarters every provider should have submitted.
    pub expected_periods: Vec<String>,
    /// Days after the end of a quarter by which its submission is due.
    pub deadline_days: i64,
}

/// Computes a report (exact; call [`crate::protect`] before showing it to a protected audience).
pub fn run(
    engine: &Engine,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    quality: &QualityInputs,
    generated_at: &str,
) -> Result<Report, Error> {
    run_with_progress(engine, spec, labels, quality, generated_at, &|_| {})
}

/// As [`run`], calling `progress` with the bootstrap resamples done (estimate reports).
pub fn run_with_progress(
    engine: &Engine,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    quality: &QualityInputs,
    generated_at: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Report, Error> {
    run_inner(engine, spec, labels, quality, &AnalysisInputs::default(), generated_at, progress)
}

/// Computes a report of an analysis kind (hotspots, association, projection) with what it
/// needs besides the engine: region boundaries, region indicators. For a protected audience the
/// counts are protected here (the cell key method) and every statistic is computed from the
/// published values; [`crate::protect`] must still be called (it changes nothing more in them).
/// Other kinds are run as by [`run`].
pub fn run_analysis(
    engine: &Engine,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    inputs: &AnalysisInputs,
    generated_at: &str,
) -> Result<Report, Error> {
    run_inner(engine, spec, labels, &QualityInputs::default(), inputs, generated_at, &|_| {})
}

fn run_inner(
    engine: &Engine,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    quality: &QualityInputs,
    inputs: &AnalysisInputs,
    generated_at: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Report, Error> {
    let range = spec.range()?;
    let filters = spec.engine_filters()?;
    let base = |measure: Measure, dims: &[Dim]| {
        let mut q = Query::new(measure, dims);
        q.filters = filters.clone();
        q.period = range;
        q.counting = spec.counting();
        q
    };
    let period_text =
        spec.period.clone().unwrap_or_else(|| labels.text("all periods", "todos os períodos").into());
    let mut rules: Vec<String> = Vec::new();
    let (title, sections) = match &spec.kind {
        ReportKind::Simple { measure, dims } => {
            let measure = spec::measure(measure)?;
            if dims.is_empty() || dims.len() > 3 {
                return Err(Error::Spec("a simple report has 1 to 3 variables".into()));
            }
            let dims: Vec<Dim> = dims.iter().map(|d| Dim::parse(d)).collect::<Result<_, _>>()?;
            rules.push(measure.rule().to_string());
            let table = engine.table(&base(measure, &dims))?;
            let visual = match dims.as_slice() {
                [Dim::Sex, Dim::AgeGroup] | [Dim::AgeGroup, Dim::Sex] => Visual::Pyramid,
                [_] => Visual::Bars,
                [_, _] => Visual::StackedBars,
                _ => Visual::Table,
            };
            let title = format!(
                "{} — {} ({})",
                labels.measure(measure),
                dims.iter().map(|d| labels.dim(*d)).collect::<Vec<_>>().join(" × "),
                period_text
            );
            (title.clone(), vec![section("simple", &title, table, labels, visual)])
        }
        ReportKind::Total { providers } => {
            rules.push(Measure::Registrations.rule().to_string());
            rules.push(Measure::Persons.rule().to_string());
            total(engine, providers, range, labels, &period_text)?
        }
        ReportKind::TimeFrame { measure, dim, granularity } => {
            let measure = spec::measure(measure)?;
            let g = spec::granularity(granularity)?;
            let mut dims = vec![Dim::Period(g)];
            if let Some(d) = dim {
                dims.push(Dim::parse(d)?);
            }
            rules.push(measure.rule().to_string());
            let table = engine.table(&base(measure, &dims))?;
            let title = format!(
                "{} {} ({})",
                labels.measure(measure),
                labels.text("over time", "ao longo do tempo"),
                period_text
            );
            let mut s = section("time_frame", &title, table, labels, Visual::Lines);
            s.change = true;
            s.notes.push(
                labels
                    .text(
                        "Change: against the previous period of the same series, computed from the published values.",
                        "Variação: face ao período anterior da mesma série, calculada sobre os valores publicados.",
                    )
                    .to_string(),
            );
            (title, vec![s])
        }
        ReportKind::Geo { measure, level, origin } => {
            let measure = spec::measure(measure)?;
            rules.push(measure.rule().to_string());
            let region = level.dim();
            let table = engine.table(&base(measure, &[region]))?;
            let title = format!("{} — {} ({})", labels.measure(measure), labels.dim(region), period_text);
            let origin_dim = match origin.as_str() {
                "citizenship" => Dim::Citizenship,
                "country_of_recruitment" | "recruitment" => Dim::CountryOfRecruitment,
                other => {
                    return Err(Error::Spec(format!(
                        "unknown flow origin `{other}` (citizenship, country_of_recruitment)"
                    )));
                }
            };
            let flows = engine.table(&base(measure, &[origin_dim, Dim::CountryOfExploitation]))?;
            let flow_title = format!(
                "{} → {} ({})",
                labels.dim(origin_dim),
                labels.dim(Dim::CountryOfExploitation),
                period_text
            );
            (
                title.clone(),
                vec![
                    section("regions", &title, table, labels, Visual::Choropleth),
                    section("flows", &flow_title, flows, labels, Visual::Flows),
                ],
            )
        }
        ReportKind::KeyIndicators => {
            let range =
                range.ok_or_else(|| Error::Spec("key indicators need a period (year or quarter)".into()))?;
            for m in [
                Measure::Persons,
                Measure::Suspects,
                Measure::Prosecuted,
                Measure::FinalisedProsecutions,
                Measure::Convicted,
            ] {
                rules.push(m.rule().to_string());
            }
            rules.push(
                "registered victims = identified + presumed (status other than NOT_CONFIRMED); offender-side \
                 indicators by sex and citizenship count natural persons, legal persons are reported apart"
                    .to_string(),
            );
            let mut sections = Vec::new();
            for ind in INDICATORS {
                let mut q = ind.query();
                q.period = Some(range);
                let table = engine.table(&q)?;
                let title = format!(
                    "{} {}",
                    ind.code,
                    labels.lists().label("key_indicator", ind.code, labels.lang()).unwrap_or(ind.code)
                );
                let visual = match ind.dims {
                    [] => Visual::Table,
                    [Dim::Sex, Dim::AgeGroup] => Visual::Pyramid,
                    [_] => Visual::Bars,
                    _ => Visual::StackedBars,
                };
                let mut s = section(ind.code, &title, table, labels, visual);
                s.sdmx = Some(ind.sdmx());
                if ind.code == "V1_01" {
                    s.notes.push(
                        labels
                            .text(
                                "A person registered by several types of organisation counts under each: the \
                                 rows add up to more than the total.",
                                "Uma pessoa registada por vários tipos de entidade conta em cada um: a soma das \
                                 linhas excede o total.",
                            )
                            .to_string(),
                    );
                }
                sections.push(s);
            }
            let title = format!(
                "{} ({})",
                labels.text("EU common key indicators", "Indicadores-chave comuns da UE"),
                period_text
            );
            (title, sections)
        }
        ReportKind::DataQuality => {
            rules.push(
                "completeness = share of registrations with the field unknown (UNK), all statuses".into(),
            );
            quality_report(engine, range, labels, quality, &period_text)?
        }
        ReportKind::Estimate { .. } => {
            let params = spec.kind.estimate_params().ok_or_else(|| Error::Spec("not an estimate".into()))?;
            rules.push(Measure::Persons.rule().to_string());
            let input =
                crate::estimate::hub_input(engine, &params, &filters, range, spec.counting(), labels)?;
            let sections =
                crate::estimate::sections(&input, &params, labels, spec.audience.is_protected(), progress)?;
            (estimate_title(labels, &period_text), sections)
        }
        ReportKind::Hotspots { .. } | ReportKind::Association { .. } | ReportKind::Projection { .. } => {
            crate::analyse::run(engine, spec, labels, inputs, &period_text, &mut rules)?
        }
    };
    Ok(assemble(
        title,
        spec,
        sections,
        rules,
        engine.data_version(),
        engine.reporting_country(),
        labels,
        generated_at,
    ))
}

fn estimate_title(labels: &Labeller<'_>, period_text: &str) -> String {
    format!(
        "{} ({period_text})",
        labels.text(
            "Estimated number of victims, seen and unseen",
            "Número estimado de vítimas, conhecidas e ocultas"
        )
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn assemble(
    title: String,
    spec: &ReportSpec,
    sections: Vec<Section>,
    rules: Vec<String>,
    data_version: &str,
    reporting_country: &str,
    labels: &Labeller<'_>,
    generated_at: &str,
) -> Report {
    Report {
        title,
        spec: spec.clone(),
        sections,
        meta: Metadata {
            data_version: data_version.to_string(),
            spec: serde_json::to_value(spec).unwrap_or(serde_json::Value::Null),
            disclosure: Disclosure::exact(),
            counting_rules: rules,
            generated_at: generated_at.to_string(),
            reporting_country: reporting_country.to_string(),
            codelists: labels.lists().version().to_string(),
            lang: spec.lang.clone(),
        },
    }
}

/// An estimate report from a capture-history table given directly (`spec.kind` must be
/// [`ReportKind::Estimate`]; its lists, period and filters do not apply: the table is the data).
/// `source` names the data (in the metadata, as the data version).
pub fn run_histories(
    histories: mse::CaptureHistories,
    spec: &ReportSpec,
    labels: &Labeller<'_>,
    source: &str,
    generated_at: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Report, Error> {
    let params = spec.kind.estimate_params().ok_or_else(|| Error::Spec("not an estimate report".into()))?;
    if !params.lists.is_empty()
        || params.list_by.is_some()
        || spec.period.is_some()
        || !spec.filters.is_empty()
    {
        return Err(Error::Spec(
            "a capture-history table is the data: lists, list_by, period and filters do not apply".into(),
        ));
    }
    let input = crate::estimate::table_input(histories);
    let sections =
        crate::estimate::sections(&input, &params, labels, spec.audience.is_protected(), progress)?;
    let title =
        estimate_title(labels, labels.text("capture-history table", "tabela de historiais de captura"));
    let rules = vec![
        labels
            .text(
                "persons by the lists that saw them, as given in the capture-history table",
                "pessoas pelas listas que as viram, como dadas na tabela de historiais de captura",
            )
            .to_string(),
    ];
    Ok(assemble(title, spec, sections, rules, source, "", labels, generated_at))
}

/// A section over a table, labelled.
pub(crate) fn section(id: &str, title: &str, table: Table, labels: &Labeller<'_>, visual: Visual) -> Section {
    let entry_labels =
        table.axes.iter().map(|a| a.codes.iter().map(|c| labels.code(a.dim, c)).collect()).collect();
    let axis_labels = table.axes.iter().map(|a| labels.dim(a.dim)).collect();
    let mut notes = Vec::new();
    if table.multi {
        notes.push(
            labels
                .text(
                    "Multi-count: a unit counts under every category that applies; totals count it once.",
                    "Contagem múltipla: cada unidade conta em todas as categorias aplicáveis; os totais contam-na \
                     uma vez.",
                )
                .to_string(),
        );
    }
    Section {
        id: id.to_string(),
        title: title.to_string(),
        table: Some(table),
        grid: None,
        labels: entry_labels,
        axis_labels,
        visual,
        notes,
        sdmx: None,
        change: false,
        model_output: false,
        projection: None,
    }
}

/// A table built by hand (not by the engine's cross-tab), over provider axes.
fn hand_table(query: Query, axes: Vec<Axis>, cells: Vec<(u64, u32)>) -> Table {
    Table {
        query,
        axes,
        cells: cells
            .into_iter()
            .map(|(count, key)| Cell { count, key, value: Some(count), flag: Flag::Exact })
            .collect(),
        multi: true,
    }
}

fn total(
    engine: &Engine,
    providers: &[String],
    range: Option<stats::DateRange>,
    labels: &Labeller<'_>,
    period_text: &str,
) -> Result<(String, Vec<Section>), Error> {
    let o = engine.overlap(providers, range)?;
    let n = o.providers.len();
    let mut q = Query::new(Measure::Persons, &[Dim::Provider]);
    q.period = range;
    q.filters.push(stats::Filter { dim: Dim::Provider, codes: o.providers.clone() });
    // Registrations and persons per provider, with the sum and the de-duplicated total.
    let regs = {
        let mut rq = Query::new(Measure::Registrations, &[Dim::Provider]);
        rq.period = range;
        rq.filters.push(stats::Filter { dim: Dim::Provider, codes: o.providers.clone() });
        let mut t = engine.table(&rq)?;
        // Keep the chosen providers in the chosen order, even when empty.
        let mut cells = Vec::new();
        for p in &o.providers {
            let c =
                t.cell(&[p]).copied().unwrap_or(Cell { count: 0, key: 0, value: Some(0), flag: Flag::Exact });
            cells.push((c.count, c.key));
        }
        let total = *t.total();
        cells.push((total.count, total.key));
        t.axes[0].codes = o.providers.iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect();
        t.cells = cells
            .into_iter()
            .map(|(count, key)| Cell { count, key, value: Some(count), flag: Flag::Exact })
            .collect();
        t
    };
    let persons = {
        let axes = vec![Axis {
            dim: Dim::Provider,
            codes: o.providers.iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect(),
        }];
        let mut cells: Vec<(u64, u32)> = (0..n).map(|i| (o.both[i][i], o.both_keys[i][i])).collect();
        let key = o.exactly_keys.iter().fold(0u32, |a, k| a.wrapping_add(*k));
        cells.push((o.persons, key));
        hand_table(q.clone(), axes, cells)
    };
    let pairs = {
        let axes = (0..2)
            .map(|_| Axis {
                dim: Dim::Provider,
                codes: o.providers.iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect(),
            })
            .collect();
        let mut cells = Vec::new();
        for i in 0..=n {
            for j in 0..=n {
                cells.push(match (i < n, j < n) {
                    (true, true) => (o.both[i][j], o.both_keys[i][j]),
                    (true, false) => (o.both[i][i], o.both_keys[i][i]),
                    (false, true) => (o.both[j][j], o.both_keys[j][j]),
                    (false, false) => {
                        (o.persons, o.exactly_keys.iter().fold(0u32, |a, k| a.wrapping_add(*k)))
                    }
                });
            }
        }
        let mut pq = q.clone();
        pq.dims = vec![Dim::Provider, Dim::Provider];
        hand_table(pq, axes, cells)
    };
    let title = format!(
        "{} ({}, {})",
        labels.text("Victims by data provider", "Vítimas por entidade"),
        if providers.is_empty() {
            labels.text("all providers", "todas as entidades").to_string()
        } else {
            format!("{n} {}", labels.text("providers", "entidades"))
        },
        period_text
    );
    let mut s1 = section("registrations", labels.measure(Measure::Registrations), regs, labels, Visual::Bars);
    s1.notes.push(
        labels
            .text(
                "Total = the sum of the providers' registrations (a person registered by two providers counts twice).",
                "Total = soma dos registos das entidades (uma pessoa registada por duas entidades conta duas vezes).",
            )
            .to_string(),
    );
    let mut s2 = section("persons", labels.measure(Measure::Persons), persons, labels, Visual::Bars);
    s2.notes.push(
        labels
            .text(
                "Total = persons registered by at least one of the providers, counted once.",
                "Total = pessoas registadas por pelo menos uma das entidades, contadas uma vez.",
            )
            .to_string(),
    );
    let mut s3 = section(
        "overlap",
        labels.text("Persons registered by both providers", "Pessoas registadas por ambas as entidades"),
        pairs,
        labels,
        Visual::Table,
    );
    s3.notes.push(
        labels
            .text(
                "Row i, column j: persons registered by provider i and by provider j; the diagonal and the margins: \
                 persons registered by the provider.",
                "Linha i, coluna j: pessoas registadas pela entidade i e pela entidade j; diagonal e margens: pessoas \
                 registadas pela entidade.",
            )
            .to_string(),
    );
    let exactly = {
        let axes = vec![Axis {
            dim: Dim::Provider,
            codes: (1..=n).map(|k| k.to_string()).chain(std::iter::once(TOTAL.to_string())).collect(),
        }];
        let mut cells: Vec<(u64, u32)> = (0..n).map(|k| (o.exactly[k], o.exactly_keys[k])).collect();
        cells.push((o.persons, o.exactly_keys.iter().fold(0u32, |a, k| a.wrapping_add(*k))));
        let mut t = hand_table(q, axes, cells);
        t.multi = false;
        t
    };
    let mut s4 = section(
        "registered_by",
        labels.text(
            "Persons by number of providers that registered them",
            "Pessoas por número de entidades que as registaram",
        ),
        exactly,
        labels,
        Visual::Bars,
    );
    s4.axis_labels = vec![labels.text("Number of providers", "Número de entidades").to_string()];
    s4.labels = vec![
        s4.table
            .as_ref()
            .map(|t| {
                t.axes[0].codes.iter().map(|c| if c == TOTAL { "Total".into() } else { c.clone() }).collect()
            })
            .unwrap_or_default(),
    ];
    Ok((title, vec![s1, s2, s3, s4]))
}

/// Fields whose completeness the data-quality report measures.
const QUALITY_DIMS: &[Dim] = &[
    Dim::Sex,
    Dim::AgeGroup,
    Dim::Citizenship,
    Dim::Exploitation,
    Dim::CountryOfRecruitment,
    Dim::Nuts(stats::NutsLevel::Three),
    Dim::District,
];

fn quality_report(
    engine: &Engine,
    range: Option<stats::DateRange>,
    labels: &Labeller<'_>,
    inputs: &QualityInputs,
    period_text: &str,
) -> Result<(String, Vec<Section>), Error> {
    let providers = engine.providers().to_vec();
    let o = engine.overlap(&[], range)?;
    let mut columns = vec![
        labels.dim(Dim::Provider),
        labels.text("Registrations", "Registos").to_string(),
        labels.text("Linked to another provider", "Ligados a outra entidade").to_string(),
    ];
    let mut shares: Vec<Vec<GridValue>> = vec![Vec::new(); providers.len()];
    for dim in QUALITY_DIMS {
        columns.push(format!("{} {}", labels.text("Unknown:", "Desconhecido:"), labels.dim(*dim)));
        let mut q = Query::new(Measure::Registrations, &[Dim::Provider, *dim]);
        q.period = range;
        q.all_statuses = true;
        let t = engine.crosstab(&q)?;
        let cats = &t.categories[1];
        let unk = cats.iter().position(|c| c == "UNK");
        for (pi, p) in t.categories[0].iter().enumerate() {
            let row = &t.counts[pi * cats.len()..(pi + 1) * cats.len()];
            let total: u64 = row.iter().sum();
            let unknown = unk.map_or(0, |u| row[u]);
            if let Some(slot) = providers.iter().position(|x| x == p) {
                shares[slot].push(if total == 0 {
                    GridValue::Missing
                } else {
                    GridValue::Share(unknown as f64 / total as f64)
                });
            }
        }
    }
    let mut rows = Vec::new();
    for (i, p) in providers.iter().enumerate() {
        let mut row = vec![
            GridValue::Text(labels.code(Dim::Provider, p)),
            GridValue::Int(o.registrations[i]),
            GridValue::Int(o.linked[i]),
        ];
        row.extend(shares[i].iter().cloned());
        rows.push(row);
    }
    let mut completeness = grid_section(
        "completeness",
        labels.text("Completeness and duplicates per provider", "Completude e duplicados por entidade"),
        Grid { columns, rows },
    );
    completeness.notes.push(
        labels
            .text(
                "Share of registrations where the field is unknown. Linked: registrations of persons also registered by another provider.",
                "Proporção de registos com o campo desconhecido. Ligados: registos de pessoas também registadas por outra entidade.",
            )
            .to_string(),
    );
    // Timeliness and rejections.
    let mut by_provider: BTreeMap<&str, Vec<&SubmissionFact>> = BTreeMap::new();
    for s in &inputs.submissions {
        by_provider.entry(s.provider.as_str()).or_default().push(s);
    }
    let columns = vec![
        labels.dim(Dim::Provider),
        labels.text("Submissions", "Submissões").to_string(),
        labels.text("Missing periods", "Períodos em falta").to_string(),
        labels.text("Late", "Atrasadas").to_string(),
        labels.text("Rejected", "Rejeitadas").to_string(),
        labels.text("Rejected rows", "Linhas rejeitadas").to_string(),
    ];
    let mut rows = Vec::new();
    for p in &providers {
        let subs = by_provider.get(p.as_str()).cloned().unwrap_or_default();
        let live: Vec<&&SubmissionFact> = subs.iter().filter(|s| s.status != "superseded").collect();
        let missing: Vec<&String> = inputs
            .expected_periods
            .iter()
            .filter(|e| !live.iter().any(|s| &s.period == *e && s.status != "rejected"))
            .collect();
        let late = subs
            .iter()
            .filter(|s| {
                s.period
                    .parse::<model::Period>()
                    .is_ok_and(|per| (s.received - per.last_day()).num_days() > inputs.deadline_days)
            })
            .count() as u64;
        let rejected = subs.iter().filter(|s| s.status == "rejected").count() as u64;
        let rejected_rows: Option<u64> =
            subs.iter().map(|s| s.rejected_rows).try_fold(0u64, |a, r| r.map(|r| a + r));
        rows.push(vec![
            GridValue::Text(labels.code(Dim::Provider, p)),
            GridValue::Int(subs.len() as u64),
            GridValue::Text(missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
            GridValue::Int(late),
            GridValue::Int(rejected),
            rejected_rows.map_or(GridValue::Missing, GridValue::Int),
        ]);
    }
    let mut timeliness = grid_section(
        "timeliness",
        labels.text("Submissions per provider", "Submissões por entidade"),
        Grid { columns, rows },
    );
    timeliness.notes.push(format!(
        "{} {} {}",
        labels.text("Late: received more than", "Atrasadas: recebidas mais de"),
        inputs.deadline_days,
        labels.text("days after the end of the quarter.", "dias após o fim do trimestre.")
    ));
    let title = format!("{} ({period_text})", labels.text("Data quality", "Qualidade dos dados"));
    Ok((title, vec![completeness, timeliness]))
}

/// A section holding a grid of values (not a count table).
pub(crate) fn grid_section(id: &str, title: &str, grid: Grid) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        table: None,
        grid: Some(grid),
        labels: Vec::new(),
        axis_labels: Vec::new(),
        visual: Visual::Table,
        notes: Vec::new(),
        sdmx: None,
        change: false,
        model_output: false,
        projection: None,
    }
}

/// A grid section of model outputs (estimates, statistics): never perturbed by `protect`.
pub(crate) fn model_section(id: &str, title: &str, grid: Grid) -> Section {
    Section { model_output: true, ..grid_section(id, title, grid) }
}

/// The period granularity of a time-frame table, if any (used by outputs for change columns).
pub fn period_axis(table: &Table) -> Option<(usize, Granularity)> {
    table.axes.iter().enumerate().find_map(|(i, a)| match a.dim {
        Dim::Period(g) => Some((i, g)),
        _ => None,
    })
}
