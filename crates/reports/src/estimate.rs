//! The estimate report: how many victims did no provider see? Multiple systems estimation
//! (crate `mse`) over the capture histories of the hub's de-duplicated persons
//! ([`stats::Engine::histories`]), or over a capture-history table given directly.
//!
//! Sections: the estimate (observed persons, estimated total and hidden figure with their
//! interval), the chosen and runner-up models with their criteria, the persons per list, the
//! list-overlap table and the capture histories (count tables, protected by audience like every
//! other table), the warnings and the assumptions in plain words.
//!
//! The estimate is a model output, not a count: it is not perturbed. For protected audiences
//! the observed count is not repeated beside it (it is the protected total of the list tables),
//! and the model figures are rounded (totals to tens, criteria to one decimal) so that the exact
//! count cannot be read back from them.

use serde::Serialize;
use stats::{
    Axis, Cell, Counting, DateRange, Dim, Engine, Filter, Flag, ListDef, Measure, Query, TOTAL, Table,
};

use crate::kinds::model_section;
use crate::labels::Labeller;
use crate::{Error, Grid, GridValue, Section, Visual};

/// Resamples of the bootstrap interval when none are given (as in the papers).
pub const DEFAULT_RESAMPLES: u32 = 1000;
/// Seed of the bootstrap interval when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// Most bootstrap resamples a report may ask for.
pub const MAX_RESAMPLES: u32 = 100_000;

/// The estimate's own parameters (those of [`crate::ReportKind::Estimate`]).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct EstimateParams {
    /// Groups of provider ids (empty: one list per provider, or by `list_by`).
    pub lists: Vec<Vec<String>>,
    /// `provider` or `provider_type`.
    pub list_by: Option<String>,
    /// `stepwise`, `aic`, `bic` or `main_effects`.
    pub selection: String,
    /// Highest interaction order of the BIC search.
    pub max_order: Option<u8>,
    /// `wald`, `profile` or `bootstrap`.
    pub interval: String,
    /// Bootstrap resamples.
    pub resamples: Option<u32>,
    /// Bootstrap seed.
    pub seed: Option<u64>,
}

impl EstimateParams {
    /// The estimation options these parameters ask for.
    pub fn options(&self) -> Result<mse::Options, Error> {
        let selection = match self.selection.trim() {
            "" | "stepwise" => mse::Selection::stepwise_p(),
            "aic" => mse::Selection::stepwise_aic(),
            "bic" => mse::Selection::Bic { max_order: self.max_order.map(usize::from), top_models: None },
            "main_effects" => mse::Selection::MainEffects,
            other => {
                return Err(Error::Spec(format!(
                    "unknown model selection `{other}` (stepwise, aic, bic, main_effects)"
                )));
            }
        };
        if self.max_order.is_some() && !matches!(selection, mse::Selection::Bic { .. }) {
            return Err(Error::Spec("a maximum order applies to the BIC selection only".into()));
        }
        let interval = match self.interval.trim() {
            "" | "wald" => mse::IntervalMethod::Wald,
            "profile" => mse::IntervalMethod::Profile,
            "bootstrap" => {
                let resamples = self.resamples.unwrap_or(DEFAULT_RESAMPLES);
                if !(1..=MAX_RESAMPLES).contains(&resamples) {
                    return Err(Error::Spec(format!("resamples: 1 to {MAX_RESAMPLES}")));
                }
                mse::IntervalMethod::Bootstrap {
                    resamples: resamples as usize,
                    seed: self.seed.unwrap_or(DEFAULT_SEED),
                }
            }
            other => {
                return Err(Error::Spec(format!("unknown interval `{other}` (wald, profile, bootstrap)")));
            }
        };
        if (self.resamples.is_some() || self.seed.is_some())
            && !matches!(interval, mse::IntervalMethod::Bootstrap { .. })
        {
            return Err(Error::Spec("resamples and seed apply to the bootstrap interval only".into()));
        }
        Ok(mse::Options { selection, interval, ..mse::Options::default() })
    }
}

/// The capture histories, with what the tables need to label and protect them.
#[derive(Clone, Debug)]
pub struct EstimateInput {
    /// The table.
    pub histories: mse::CaptureHistories,
    /// Cell keys by pattern (zeros for a table given directly).
    pub keys: Vec<u32>,
    /// Dimension of the list axis (`provider` or `provider_type`) for labels.
    pub dim: Dim,
    /// Label of each list.
    pub labels: Vec<String>,
    /// Notes on how the lists were made.
    pub notes: Vec<String>,
}

/// The lists of an estimate over the hub: user groups, one per provider or one per provider type.
fn list_defs(engine: &Engine, p: &EstimateParams) -> Result<(Vec<ListDef>, Dim), Error> {
    if !p.lists.is_empty() {
        if p.list_by.is_some() {
            return Err(Error::Spec("give either lists of providers or list_by, not both".into()));
        }
        let defs = p
            .lists
            .iter()
            .map(|g| {
                let providers: Vec<String> =
                    g.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                ListDef { name: providers.join("+"), providers }
            })
            .collect();
        return Ok((defs, Dim::Provider));
    }
    match p.list_by.as_deref().map(str::trim) {
        None | Some("" | "provider") => Ok((
            engine
                .providers()
                .iter()
                .map(|id| ListDef { name: id.clone(), providers: vec![id.clone()] })
                .collect(),
            Dim::Provider,
        )),
        Some("provider_type") => {
            let mut defs: Vec<ListDef> = Vec::new();
            for (id, t) in engine.providers().iter().zip(engine.provider_types()) {
                let code = model::ModelCode::code(*t).to_string();
                match defs.iter_mut().find(|d| d.name == code) {
                    Some(d) => d.providers.push(id.clone()),
                    None => defs.push(ListDef { name: code, providers: vec![id.clone()] }),
                }
            }
            defs.sort_by(|a, b| a.name.cmp(&b.name));
            Ok((defs, Dim::ProviderType))
        }
        Some(other) => Err(Error::Spec(format!("unknown list_by `{other}` (provider, provider_type)"))),
    }
}

/// The capture histories of the hub for an estimate request: lists that saw nobody are left
/// out (with a note).
pub fn hub_input(
    engine: &Engine,
    p: &EstimateParams,
    filters: &[Filter],
    period: Option<DateRange>,
    counting: Counting,
    labels: &Labeller<'_>,
) -> Result<EstimateInput, Error> {
    let (defs, dim) = list_defs(engine, p)?;
    if defs.len() > stats::MAX_HISTORY_LISTS && p.lists.is_empty() {
        // Too many providers for one pattern table: find those that saw someone first.
        let mut seen = Vec::new();
        for chunk in defs.chunks(stats::MAX_HISTORY_LISTS) {
            let h = engine.histories(chunk, filters, period, counting)?;
            for (i, d) in chunk.iter().enumerate() {
                if h.counts.iter().enumerate().any(|(m, c)| *c > 0 && m & (1 << i) != 0) {
                    seen.push(d.clone());
                }
            }
        }
        if seen.len() > mse::MAX_LISTS {
            return Err(Error::Spec(format!(
                "{} providers registered persons in the period: at most {} lists are supported; group \
                 them (list_by provider_type, or lists of providers)",
                seen.len(),
                mse::MAX_LISTS
            )));
        }
        return input_from(engine, &seen, &defs, dim, filters, period, counting, labels);
    }
    let h = engine.histories(&defs, filters, period, counting)?;
    let seen: Vec<ListDef> = defs
        .iter()
        .enumerate()
        .filter(|(i, _)| h.counts.iter().enumerate().any(|(m, c)| *c > 0 && m & (1 << i) != 0))
        .map(|(_, d)| d.clone())
        .collect();
    input_from(engine, &seen, &defs, dim, filters, period, counting, labels)
}

#[allow(clippy::too_many_arguments)]
fn input_from(
    engine: &Engine,
    seen: &[ListDef],
    all: &[ListDef],
    dim: Dim,
    filters: &[Filter],
    period: Option<DateRange>,
    counting: Counting,
    labels: &Labeller<'_>,
) -> Result<EstimateInput, Error> {
    if seen.len() < mse::MIN_LISTS {
        return Err(Error::Spec(format!(
            "{} list(s) registered persons in the period and filters: at least {} are needed",
            seen.len(),
            mse::MIN_LISTS
        )));
    }
    let h = engine.histories(seen, filters, period, counting)?;
    let mut notes = Vec::new();
    let left_out: Vec<String> = all
        .iter()
        .filter(|d| !seen.iter().any(|s| s.name == d.name))
        .map(|d| list_label(labels, dim, d))
        .collect();
    if !left_out.is_empty() {
        notes.push(format!(
            "{} {}",
            labels.text(
                "Lists that registered nobody in the period and filters were left out:",
                "Listas sem registos no período e filtros, deixadas de fora:"
            ),
            left_out.join(", ")
        ));
    }
    if h.unlisted > 0 {
        notes.push(format!(
            "{} {}.",
            labels.text(
                "Persons registered only by providers on no list are not observed by the lists:",
                "Pessoas registadas só por entidades fora das listas não são observadas pelas listas:"
            ),
            h.unlisted
        ));
    }
    notes.push(
        labels
            .text(
                "A list saw a person when one of its providers registered the person in the period; persons are \
                 counted by their earliest registration, with the strongest status registered.",
                "Uma lista viu uma pessoa quando uma das suas entidades a registou no período; as pessoas contam \
                 pelo primeiro registo, com a situação mais forte registada.",
            )
            .to_string(),
    );
    let histories = mse::CaptureHistories::new(h.lists.clone(), h.counts.clone())
        .map_err(|e| Error::Spec(e.to_string()))?;
    Ok(EstimateInput {
        histories,
        keys: h.keys,
        dim,
        labels: seen.iter().map(|d| list_label(labels, dim, d)).collect(),
        notes,
    })
}

fn list_label(labels: &Labeller<'_>, dim: Dim, d: &ListDef) -> String {
    match dim {
        Dim::ProviderType => labels.code(Dim::ProviderType, &d.name),
        _ => d.providers.iter().map(|p| labels.code(Dim::Provider, p)).collect::<Vec<_>>().join(" + "),
    }
}

/// A capture-history table given directly (no keys; lists labelled by their names).
pub fn table_input(histories: mse::CaptureHistories) -> EstimateInput {
    let keys = vec![0; histories.counts().len()];
    let labels = histories.lists().to_vec();
    EstimateInput { histories, keys, dim: Dim::Provider, labels, notes: Vec::new() }
}

/// Runs the estimate and builds the report's sections. `protected`: for a protected audience
/// (the model figures are rounded, the observed count is not repeated).
pub(crate) fn sections(
    input: &EstimateInput,
    p: &EstimateParams,
    labels: &Labeller<'_>,
    protected: bool,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Section>, Error> {
    let options = p.options()?;
    let e = mse::estimate_with_progress(&input.histories, &options, progress)
        .map_err(|e| Error::Spec(format!("estimate: {e}")))?;
    let pt = labels.lang() == model::Lang::Pt;
    let whole = |x: f64| -> GridValue {
        if !x.is_finite() {
            return GridValue::Text("∞".into());
        }
        let r = if protected { (x / 10.0).round() * 10.0 } else { x.round() };
        GridValue::Int(r.max(0.0) as u64)
    };
    let decimal = |x: f64, places: usize| -> GridValue {
        if !x.is_finite() {
            return GridValue::Text(if x > 0.0 { "∞" } else { "−∞" }.into());
        }
        let places = if protected { places.min(1) } else { places };
        let s = format!("{x:.places$}");
        GridValue::Text(if pt { s.replace('.', ",") } else { s })
    };
    let level = format!("{:.0}%", e.level * 100.0);
    let (lo, hi) = e.interval.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    let iv = |x: Option<f64>, shift: f64| x.map_or(GridValue::Missing, |v| whole((v - shift).max(0.0)));
    let observed = e.observed as f64;
    let mut rows = Vec::new();
    rows.push(vec![
        GridValue::Text(
            labels.text("Persons observed by the lists", "Pessoas observadas pelas listas").into(),
        ),
        if protected { GridValue::Missing } else { GridValue::Int(e.observed) },
        GridValue::Missing,
        GridValue::Missing,
    ]);
    rows.push(vec![
        GridValue::Text(labels.text("Estimated total", "Total estimado").into()),
        whole(e.total),
        iv(lo, 0.0),
        iv(hi, 0.0),
    ]);
    rows.push(vec![
        GridValue::Text(
            labels
                .text("Hidden figure (seen by no list)", "Número oculto (não visto por nenhuma lista)")
                .into(),
        ),
        whole(e.hidden),
        iv(lo, observed),
        iv(hi, observed),
    ]);
    let columns = vec![
        labels.text("Figure", "Valor").to_string(),
        labels.text("Estimate", "Estimativa").to_string(),
        format!("{} ({level})", labels.text("Lower limit", "Limite inferior")),
        format!("{} ({level})", labels.text("Upper limit", "Limite superior")),
    ];
    let mut est = model_section(
        "estimate",
        labels.text("Estimated number of victims", "Número estimado de vítimas"),
        Grid { columns, rows },
    );
    let model_text = e.model.display_with(input.histories.lists());
    est.notes.push(format!(
        "{}: {}. {}: {}. {}: {}.",
        labels.text("Model", "Modelo"),
        model_text,
        labels.text("Chosen by", "Escolhido por"),
        selection_name(&e.selection, pt),
        labels.text("Interval", "Intervalo"),
        interval_name(&e.interval_method, pt),
    ));
    est.notes.push(
        labels
            .text(
                "Multiple systems estimation: a Poisson log-linear model of the overlaps between the lists estimates \
                 how many persons none of them saw. The estimate is a model output, not a count: it is not perturbed \
                 by disclosure control; the tables of counts below are protected like any other table.",
                "Estimativa por sistemas múltiplos: um modelo log-linear de Poisson das sobreposições entre as listas \
                 estima quantas pessoas nenhuma delas viu. A estimativa é um resultado de modelo, não uma contagem: \
                 não é perturbada pelo controlo de divulgação; os quadros de contagens abaixo são protegidos como \
                 qualquer outro quadro.",
            )
            .to_string(),
    );
    if protected {
        est.notes.push(
            labels
                .text(
                    "For this audience the estimates are rounded to tens and the exact number observed is not \
                     repeated here (see the protected total of the tables of lists).",
                    "Para este público as estimativas são arredondadas às dezenas e o número exato observado não é \
                     repetido aqui (ver o total protegido dos quadros das listas).",
                )
                .to_string(),
        );
    }
    if let Some(b) = &e.bootstrap {
        est.notes.push(format!(
            "{}: {} ({} {}).",
            labels.text("Bootstrap resamples", "Reamostragens bootstrap"),
            b.resamples,
            b.failed,
            labels.text("failed", "falhadas")
        ));
    }
    est.notes.extend(input.notes.iter().cloned());

    // Models.
    let columns = vec![
        labels.text("Rank", "Ordem").to_string(),
        labels.text("Model", "Modelo").to_string(),
        labels.text("Estimated total", "Total estimado").to_string(),
        labels.text("Hidden figure", "Número oculto").to_string(),
        labels.text("Deviance", "Desvio").to_string(),
        labels.text("Degrees of freedom", "Graus de liberdade").to_string(),
        "AIC".to_string(),
        "BIC".to_string(),
        criterion_name(&e.selection, pt).to_string(),
    ];
    let row = |rank: String, f: &mse::FitSummary| {
        vec![
            GridValue::Text(rank),
            GridValue::Text(f.model.display_with(input.histories.lists())),
            whole(f.total),
            whole(f.hidden),
            decimal(f.deviance, 2),
            GridValue::Int(f.df as u64),
            decimal(f.aic, 2),
            decimal(f.bic, 2),
            decimal(f.criterion, 4),
        ]
    };
    let mut rows = vec![row(labels.text("chosen", "escolhido").into(), &e.fit)];
    rows.extend(e.runner_ups.iter().enumerate().map(|(i, f)| row((i + 2).to_string(), f)));
    let mut models = model_section(
        "models",
        labels.text("Chosen model and runner-up models", "Modelo escolhido e modelos seguintes"),
        Grid { columns, rows },
    );
    models.notes.push(criterion_note(&e.selection, pt).to_string());

    // Count tables over the lists.
    let (lists_table, overlap_table, patterns_table) = count_tables(input);
    let mut s_lists = count_section(
        "lists",
        labels.text("Persons by list", "Pessoas por lista"),
        lists_table,
        input,
        labels,
        1,
    );
    s_lists.visual = Visual::Bars;
    s_lists.notes.push(
        labels
            .text(
                "Total = persons observed by at least one list, counted once.",
                "Total = pessoas observadas por pelo menos uma lista, contadas uma vez.",
            )
            .to_string(),
    );
    let mut s_overlap = count_section(
        "overlap",
        labels.text("Persons on both lists", "Pessoas em ambas as listas"),
        overlap_table,
        input,
        labels,
        2,
    );
    s_overlap.notes.push(
        labels
            .text(
                "Row i, column j: persons on list i and on list j; the diagonal and the margins: persons on the list.",
                "Linha i, coluna j: pessoas na lista i e na lista j; diagonal e margens: pessoas na lista.",
            )
            .to_string(),
    );
    let mut s_patterns = count_section(
        "histories",
        labels.text("Persons by the lists that saw them", "Pessoas pelas listas que as viram"),
        patterns_table,
        input,
        labels,
        0,
    );
    s_patterns.axis_labels = vec![labels.text("Lists that saw them", "Listas que as viram").to_string()];
    if let Some(t) = &s_patterns.table {
        s_patterns.labels = vec![
            t.axes[0]
                .codes
                .iter()
                .map(|c| {
                    if c == TOTAL {
                        "Total".to_string()
                    } else {
                        c.chars()
                            .enumerate()
                            .filter(|(_, b)| *b == '1')
                            .map(|(i, _)| input.labels[i].clone())
                            .collect::<Vec<_>>()
                            .join(" + ")
                    }
                })
                .collect(),
        ];
    }
    s_patterns.notes.push(
        labels
            .text(
                "The capture histories the estimate is computed from: persons seen by exactly these lists (patterns \
                 nobody has are left out). Models name the lists by their codes.",
                "Os historiais de captura de que a estimativa é calculada: pessoas vistas exatamente por estas listas \
                 (padrões sem ninguém omitidos). Os modelos designam as listas pelos seus códigos.",
            )
            .to_string(),
    );

    // Warnings and assumptions.
    let warnings: Vec<Vec<GridValue>> =
        e.warnings.iter().map(|w| vec![GridValue::Text(warning_text(w, pt))]).collect();
    let mut s_warn = model_section(
        "warnings",
        labels.text("Warnings", "Avisos"),
        Grid { columns: vec![labels.text("Warning", "Aviso").to_string()], rows: warnings },
    );
    if e.warnings.is_empty() {
        s_warn.notes.push(labels.text("No warning.", "Sem avisos.").to_string());
    }
    let assumptions = if pt { ASSUMPTIONS_PT.to_vec() } else { mse::Assumptions::ALL.to_vec() };
    let s_assume = model_section(
        "assumptions",
        labels.text("Assumptions of the estimate", "Pressupostos da estimativa"),
        Grid {
            columns: vec![labels.text("Assumption", "Pressuposto").to_string()],
            rows: assumptions.iter().map(|a| vec![GridValue::Text((*a).to_string())]).collect(),
        },
    );
    Ok(vec![est, models, s_lists, s_overlap, s_patterns, s_warn, s_assume])
}

/// A section over a count table of lists (`list_axes`: how many axes are lists, labelled by the
/// list labels).
fn count_section(
    id: &str,
    title: &str,
    table: Table,
    input: &EstimateInput,
    labels: &Labeller<'_>,
    list_axes: usize,
) -> Section {
    let mut s = crate::kinds::section(id, title, table, labels, Visual::Table);
    let with_total =
        |v: &Vec<String>| v.iter().cloned().chain(std::iter::once("Total".to_string())).collect();
    for a in 0..list_axes {
        s.labels[a] = with_total(&input.labels);
        s.axis_labels[a] = labels.text("List", "Lista").to_string();
    }
    s
}

/// Persons per list, the pairwise overlap and the capture histories, as count tables with
/// cell keys (the key of a union of patterns is the wrapping sum of their keys).
fn count_tables(input: &EstimateInput) -> (Table, Table, Table) {
    let ch = &input.histories;
    let t = ch.t();
    let counts = ch.counts();
    // Superset sums of counts and keys: on[S] = persons on every list of S.
    let mut on: Vec<u64> = counts.to_vec();
    let mut keys: Vec<u32> = input.keys.clone();
    for bit in 0..t {
        let b = 1usize << bit;
        for m in 0..on.len() {
            if m & b == 0 {
                on[m] += on[m | b];
                keys[m] = keys[m].wrapping_add(keys[m | b]);
            }
        }
    }
    let observed = (ch.observed(), input.keys.iter().fold(0u32, |a, k| a.wrapping_add(*k)));
    let codes: Vec<String> = ch.lists().iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect();
    let axis = || Axis { dim: input.dim, codes: codes.clone() };
    let query = |dims: Vec<Dim>| {
        let mut q = Query::new(Measure::Persons, &[]);
        q.dims = dims;
        q
    };
    let cell = |(count, key): (u64, u32)| Cell { count, key, value: Some(count), flag: Flag::Exact };
    let size = |i: usize| (on[1 << i], keys[1 << i]);
    let mut cells: Vec<Cell> = (0..t).map(|i| cell(size(i))).collect();
    cells.push(cell(observed));
    let lists = Table { query: query(vec![input.dim]), axes: vec![axis()], cells, multi: true };
    let mut cells = Vec::new();
    for i in 0..=t {
        for j in 0..=t {
            cells.push(cell(match (i < t, j < t) {
                (true, true) => (on[(1 << i) | (1 << j)], keys[(1 << i) | (1 << j)]),
                (true, false) => size(i),
                (false, true) => size(j),
                (false, false) => observed,
            }));
        }
    }
    let overlap =
        Table { query: query(vec![input.dim, input.dim]), axes: vec![axis(), axis()], cells, multi: true };
    let pattern = |m: usize| (0..t).map(|i| if m & (1 << i) != 0 { '1' } else { '0' }).collect::<String>();
    let mut codes = Vec::new();
    let mut cells = Vec::new();
    for m in (1..counts.len()).filter(|m| counts[*m] > 0) {
        codes.push(pattern(m));
        cells.push(cell((counts[m], input.keys[m])));
    }
    codes.push(TOTAL.to_string());
    cells.push(cell(observed));
    let patterns = Table {
        query: query(vec![input.dim]),
        axes: vec![Axis { dim: input.dim, codes }],
        cells,
        multi: false,
    };
    (lists, overlap, patterns)
}

fn selection_name(s: &mse::Selection, pt: bool) -> String {
    let (en, p) = match s {
        mse::Selection::MainEffects => {
            ("main effects only (independent lists)", "só efeitos principais (listas independentes)")
        }
        mse::Selection::Fixed(_) => ("a fixed model", "um modelo fixo"),
        mse::Selection::StepwisePValue { .. } => (
            "stepwise by Poisson p-value (Chan, Silverman & Vincent 2021)",
            "passo a passo por valor-p de Poisson (Chan, Silverman & Vincent 2021)",
        ),
        mse::Selection::StepwiseAic { .. } => (
            "stepwise by AIC (Bales, Hesketh & Silverman 2015)",
            "passo a passo por AIC (Bales, Hesketh & Silverman 2015)",
        ),
        mse::Selection::Bic { .. } => (
            "lowest BIC over all hierarchical models (Silverman, Chan & Vincent 2024)",
            "menor BIC entre todos os modelos hierárquicos (Silverman, Chan & Vincent 2024)",
        ),
    };
    let mut text = if pt { p } else { en }.to_string();
    match s {
        mse::Selection::StepwisePValue { threshold } | mse::Selection::StepwiseAic { threshold } => {
            text.push_str(&format!(", {} {threshold}", if pt { "limiar" } else { "threshold" }));
        }
        mse::Selection::Bic { max_order: Some(o), .. } => {
            text.push_str(&format!(", {} {o}", if pt { "ordem máxima" } else { "maximum order" }));
        }
        _ => {}
    }
    text
}

fn interval_name(m: &mse::IntervalMethod, pt: bool) -> String {
    match m {
        mse::IntervalMethod::None => if pt { "nenhum" } else { "none" }.to_string(),
        mse::IntervalMethod::Wald => "Wald".to_string(),
        mse::IntervalMethod::Profile => {
            if pt { "verosimilhança de perfil" } else { "profile likelihood" }.to_string()
        }
        mse::IntervalMethod::Bootstrap { resamples, seed } => {
            if pt {
                format!(
                    "bootstrap BCa repetindo a escolha do modelo ({resamples} reamostragens, semente {seed})"
                )
            } else {
                format!("BCa bootstrap repeating the model choice ({resamples} resamples, seed {seed})")
            }
        }
    }
}

fn criterion_name(s: &mse::Selection, pt: bool) -> &'static str {
    match s {
        mse::Selection::StepwisePValue { .. } => {
            if pt {
                "Valor-p"
            } else {
                "p-value"
            }
        }
        mse::Selection::StepwiseAic { .. } => "AIC",
        mse::Selection::Bic { .. } => "BIC",
        mse::Selection::MainEffects | mse::Selection::Fixed(_) => {
            if pt {
                "Critério"
            } else {
                "Criterion"
            }
        }
    }
}

fn criterion_note(s: &mse::Selection, pt: bool) -> &'static str {
    match (s, pt) {
        (mse::Selection::StepwisePValue { .. }, false) => {
            "Criterion: the p-value of the last pair added (1 for main effects); for runner-ups, the p-value of the \
             pair that would be added next."
        }
        (mse::Selection::StepwisePValue { .. }, true) => {
            "Critério: valor-p do último par acrescentado (1 para efeitos principais); para os seguintes, o valor-p do \
             par que seria acrescentado a seguir."
        }
        (mse::Selection::StepwiseAic { .. }, false) => {
            "Criterion: AIC of the candidates at the last step; lower is better."
        }
        (mse::Selection::StepwiseAic { .. }, true) => {
            "Critério: AIC dos candidatos no último passo; menor é melhor."
        }
        (mse::Selection::Bic { .. }, false) => "Criterion: BIC over the observed cells; lower is better.",
        (mse::Selection::Bic { .. }, true) => "Critério: BIC sobre as células observadas; menor é melhor.",
        (_, false) => "No model choice: the model is given.",
        (_, true) => "Sem escolha de modelo: o modelo é dado.",
    }
}

/// The assumptions of [`mse::Assumptions::ALL`], in Portuguese.
const ASSUMPTIONS_PT: [&str; 4] = [
    "População fechada: as listas cobrem a mesma população no mesmo período; ninguém entra ou sai da população \
     entretanto de uma forma que dependa das listas.",
    "Ligação perfeita: a mesma pessoa é reconhecida como a mesma em todas as listas, e pessoas diferentes nunca são \
     juntadas. Ligações perdidas inflacionam a estimativa; ligações falsas reduzem-na.",
    "O modelo capta a dependência entre listas: ser visto por uma entidade pode tornar mais ou menos provável ser \
     visto por outra (encaminhamentos, casos partilhados), e as interações escolhidas têm de o descrever \
     suficientemente bem. Uma dependência que nenhuma sobreposição observada revela não pode ser corrigida.",
    "Homogeneidade: dentro do grupo estimado (ou de cada estrato, como uma forma de exploração ou uma região), as \
     pessoas têm probabilidades semelhantes de ser vistas por cada lista, ou as diferenças são captadas pelas \
     interações. Estime à parte grupos que difiram muito.",
];

fn warning_text(w: &mse::Warning, pt: bool) -> String {
    if !pt {
        return w.to_string();
    }
    use mse::Warning as W;
    match w {
        W::FewOverlaps { overlapping, minimum } => format!(
            "Só {overlapping} pessoas estão em duas listas ou mais (menos de {minimum}): a estimativa assenta em \
             pouca informação."
        ),
        W::EmptyOverlaps { pairs } => format!(
            "Estas listas não têm nenhuma pessoa em comum: {}.",
            pairs.iter().map(|(a, b)| format!("{a} e {b}")).collect::<Vec<_>>().join("; ")
        ),
        W::SmallList { list, size, minimum } => format!(
            "A lista {list} tem só {size} pessoas (menos de {minimum}); considere juntá-la a uma lista semelhante."
        ),
        W::BoundaryTerms { terms } => format!(
            "O modelo escolhido inclui interações entre listas sem nenhuma pessoa em comum ({}); são estimadas no \
             seu limite.",
            terms.join(", ")
        ),
        W::ModelsNotEstimable { count } => format!(
            "{count} modelos foram deixados de fora porque os dados não os permitem estimar (a estimativa não existe \
             ou não é identificável)."
        ),
        W::NotConverged { count } => {
            format!("{count} modelos foram deixados de fora porque o ajustamento não convergiu.")
        }
        W::BootstrapFailures { failed, resamples } => format!(
            "Em {failed} de {resamples} reamostragens bootstrap nenhum modelo pôde ser ajustado; foram deixadas de \
             fora."
        ),
        W::JackknifeFailures { failed } => format!(
            "{failed} estimativas jackknife falharam e foram deixadas de fora da correção do intervalo."
        ),
        W::NoInterval { reason } => format!("Não foi possível calcular um intervalo: {reason}."),
        W::UnboundedInterval => {
            "Os dados não limitam a estimativa por cima: o limite superior é infinito.".to_string()
        }
    }
}
