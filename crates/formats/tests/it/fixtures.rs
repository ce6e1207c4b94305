//! Reports for the tests: small ones built by hand (for the golden files: they do not move when
//! the engine or the generator change) and real ones computed by `reports::run` over an engine
//! built from ~300 synthetic victims.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::{Codelists, Lang as ModelLang};
use reports::{
    Audience, Disclosure, GeoLevel, Grid, GridValue, Labeller, Metadata, Method, QualityInputs, Report,
    ReportKind, ReportSpec, SdmxKey, Section, Visual,
};
use stats::{
    Axis, Cell, Dim, EngineBuilder, Flag, Granularity, Measure, NutsLevel, Query, TOTAL, Table, VictimInput,
};

pub(crate) const GENERATED_AT: &str = "2026-03-31T09:30:00Z";

fn labeller(lang: ModelLang) -> Labeller<'static> {
    let providers = BTreeMap::from([
        ("PT-PJ".to_string(), "Polícia Judiciária".to_string()),
        ("PT-NGO1".to_string(), "Associação \"Porto Seguro\", <Norte> & Ilhas".to_string()),
    ]);
    Labeller::new(Codelists::embedded(), lang, providers)
}

/// A table whose margins are the sums of `interior` (row-major over the codes, without totals).
pub(crate) fn additive(measure: Measure, dims: &[Dim], codes: &[&[&str]], interior: &[u64]) -> Table {
    let axes: Vec<Axis> = dims
        .iter()
        .zip(codes)
        .map(|(d, c)| Axis {
            dim: *d,
            codes: c.iter().map(|s| s.to_string()).chain(std::iter::once(TOTAL.to_string())).collect(),
        })
        .collect();
    let inner: Vec<usize> = codes.iter().map(|c| c.len()).collect();
    assert_eq!(inner.iter().product::<usize>(), interior.len(), "interior cells");
    let mut t = Table { query: Query::new(measure, dims), axes, cells: Vec::new(), multi: false };
    let n: usize = t.axes.iter().map(Axis::len).product();
    t.cells = vec![Cell::default(); n];
    for (flat, count) in interior.iter().enumerate() {
        let mut rest = flat;
        let mut coords = vec![0; inner.len()];
        for i in (0..inner.len()).rev() {
            coords[i] = rest % inner[i];
            rest /= inner[i];
        }
        for mask in 0..(1usize << inner.len()) {
            let target: Vec<usize> = coords
                .iter()
                .enumerate()
                .map(|(i, c)| if mask & (1 << i) != 0 { inner[i] } else { *c })
                .collect();
            let idx = t.index(&target);
            t.cells[idx].count += count;
        }
    }
    for (i, c) in t.cells.iter_mut().enumerate() {
        c.key = (i as u32 + 1).wrapping_mul(0x9E37_79B9);
        c.value = Some(c.count);
        c.flag = Flag::Exact;
    }
    t
}

/// Withholds the cell at `codes`.
pub(crate) fn withhold(t: &mut Table, codes: &[&str], flag: Flag) {
    let idx = index(t, codes);
    t.cells[idx].value = None;
    t.cells[idx].flag = flag;
}

fn index(t: &Table, codes: &[&str]) -> usize {
    let coords: Vec<usize> = codes
        .iter()
        .zip(&t.axes)
        .map(|(c, a)| a.codes.iter().position(|x| x == c).unwrap_or_else(|| panic!("code {c}")))
        .collect();
    t.index(&coords)
}

/// Perturbs every cell as the cell key method would look (zeros stay zeros, no 1s or 2s).
pub(crate) fn perturb(t: &mut Table) {
    const NOISE: [i64; 8] = [0, 1, -1, 2, 0, -2, 1, 0];
    for (i, c) in t.cells.iter_mut().enumerate() {
        let mut v = if c.count == 0 { 0 } else { (c.count as i64 + NOISE[i % 8]).max(0) as u64 };
        if (1..=2).contains(&v) {
            v = if c.count >= 2 { 3 } else { 0 };
        }
        c.value = Some(v);
        c.flag = if v == c.count { Flag::Exact } else { Flag::Perturbed };
    }
}

/// A labelled section.
pub(crate) fn section(id: &str, title: &str, table: Table, lang: ModelLang, visual: Visual) -> Section {
    let l = labeller(lang);
    Section {
        id: id.to_string(),
        title: title.to_string(),
        labels: table.axes.iter().map(|a| a.codes.iter().map(|c| l.code(a.dim, c)).collect()).collect(),
        axis_labels: table.axes.iter().map(|a| l.dim(a.dim)).collect(),
        table: Some(table),
        grid: None,
        visual,
        notes: Vec::new(),
        sdmx: None,
        change: false,
        model_output: false,
        projection: None,
    }
}

fn report(
    kind: ReportKind,
    period: Option<&str>,
    lang: &str,
    title: &str,
    sections: Vec<Section>,
    d: Disclosure,
) -> Report {
    let mut spec = ReportSpec::new(kind, period);
    spec.lang = lang.to_string();
    spec.audience = Audience::parse(&d.audience).expect("audience");
    Report {
        title: title.to_string(),
        meta: Metadata {
            data_version: "PT/2026-03-31/r42".to_string(),
            spec: serde_json::to_value(&spec).expect("spec"),
            disclosure: d,
            counting_rules: vec![Measure::Persons.rule().to_string()],
            generated_at: GENERATED_AT.to_string(),
            reporting_country: "PT".to_string(),
            codelists: "1.0.0".to_string(),
            lang: lang.to_string(),
        },
        spec,
        sections,
    }
}

fn suppression(audience: &str) -> Disclosure {
    Disclosure {
        audience: audience.to_string(),
        method: Method::Suppression,
        k: Some(5),
        ckm_variance: None,
        ckm_js: None,
        note: "threshold rule (1 to 4) and Gauss secondary suppression".to_string(),
    }
}

fn cell_key() -> Disclosure {
    Disclosure {
        audience: "public".to_string(),
        method: Method::CellKey,
        k: None,
        ckm_variance: Some(2.0),
        ckm_js: Some(2),
        note: "cell key method: noise of variance 2, counts 1 to 2 never published, zeros kept".to_string(),
    }
}

fn exact(audience: &str) -> Disclosure {
    Disclosure { audience: audience.to_string(), ..Disclosure::exact() }
}

fn key(indicator: &'static str, leg_stat: &'static str, axes: Vec<&'static str>) -> Option<SdmxKey> {
    Some(SdmxKey { indicator, leg_stat, axes })
}

/// Key indicators for the EU, protected by suppression: primary and secondary cells, a table
/// without axes, a pyramid.
pub(crate) fn key_indicators() -> Report {
    let en = ModelLang::En;
    let mut v103 = additive(Measure::Persons, &[Dim::Sex], &[&["F", "M", "UNK"]], &[42, 3, 0]);
    withhold(&mut v103, &["M"], Flag::Primary);
    withhold(&mut v103, &["F"], Flag::Secondary);
    let mut s103 = section("V1_03", "V1_03 Number of victims by gender", v103, en, Visual::Bars);
    s103.sdmx = key("V1_03", "PER_VICT", vec!["SEX"]);

    let mut v104 = additive(
        Measure::Persons,
        &[Dim::Sex, Dim::AgeGroup],
        &[&["F", "M", "UNK"], &["Y_LT18", "Y_GE18", "UNK"]],
        &[4, 38, 0, 0, 3, 0, 0, 0, 0],
    );
    withhold(&mut v104, &["F", "Y_LT18"], Flag::Primary);
    withhold(&mut v104, &["M", "Y_GE18"], Flag::Primary);
    withhold(&mut v104, &["M", TOTAL], Flag::Primary);
    withhold(&mut v104, &[TOTAL, "Y_LT18"], Flag::Primary);
    withhold(&mut v104, &["F", "Y_GE18"], Flag::Secondary);
    withhold(&mut v104, &["F", TOTAL], Flag::Secondary);
    let mut s104 =
        section("V1_04", "V1_04 Number of victims by gender and age group", v104, en, Visual::Pyramid);
    s104.sdmx = key("V1_04", "PER_VICT", vec!["SEX", "AGE"]);

    let mut v105 = additive(
        Measure::Persons,
        &[Dim::ExploitationGroup],
        &[&["ICCS02041", "ICCS02042", "ICCS02043_02044", "UNK"]],
        &[20, 18, 2, 5],
    );
    withhold(&mut v105, &["ICCS02043_02044"], Flag::Primary);
    withhold(&mut v105, &["UNK"], Flag::Secondary);
    let mut s105 =
        section("V1_05", "V1_05 Number of victims by form of exploitation", v105, en, Visual::Bars);
    s105.sdmx = key("V1_05", "PER_VICT", vec!["EXPLOIT"]);

    let s202t = additive(Measure::Suspects, &[], &[], &[17]);
    let mut s202 =
        section("S2_02", "S2_02 Number of suspects involved in organised crime", s202t, en, Visual::Table);
    s202.sdmx = key("S2_02", "PER_SUSP", vec![]);

    let mut r = report(
        ReportKind::KeyIndicators,
        Some("2025"),
        "en",
        "EU common key indicators (2025)",
        vec![s103, s104, s105, s202],
        suppression("eu"),
    );
    for s in &mut r.sections {
        s.notes.push(
            "Protected for release: counts from 1 to 4 withheld (c, primary); further cells withheld (c, secondary)."
                .to_string(),
        );
    }
    r
}

/// The same key indicators for one quarter (FREQ Q, OBS_STATUS P).
pub(crate) fn key_indicators_quarter() -> Report {
    let mut r = key_indicators();
    r.spec.period = Some("2025-Q2".to_string());
    r
}

/// A time frame by quarter and sex, in Portuguese, protected by the cell key method; a quarter
/// without anyone in it is missing from the axis.
pub(crate) fn time_frame() -> Report {
    let pt = ModelLang::Pt;
    let mut t = additive(
        Measure::Persons,
        &[Dim::Period(Granularity::Quarter), Dim::Sex],
        &[&["2024-Q1", "2024-Q2", "2024-Q4", "2025-Q1", "2025-Q2"], &["F", "M", "UNK"]],
        &[14, 9, 0, 17, 11, 1, 1250, 980, 0, 21, 6, 3, 19, 12, 0],
    );
    perturb(&mut t);
    let mut s = section(
        "time_frame",
        "Vítimas (pessoas, sem duplicados) ao longo do tempo (2024-01-01..2025-06-30)",
        t,
        pt,
        Visual::Lines,
    );
    s.change = true;
    s.notes.push(
        "Variação: face ao período anterior da mesma série, calculada sobre os valores publicados."
            .to_string(),
    );
    report(
        ReportKind::TimeFrame {
            measure: "persons".into(),
            dim: Some("sex".into()),
            granularity: "quarter".into(),
        },
        Some("2024-01-01..2025-06-30"),
        "pt",
        "Vítimas (pessoas, sem duplicados) ao longo do tempo (2024-01-01..2025-06-30)",
        vec![s],
        cell_key(),
    )
}

/// Regions (NUTS 2) and flows (citizenship → country of exploitation), exact, for national
/// analysts.
pub(crate) fn geo() -> Report {
    let en = ModelLang::En;
    let regions = additive(
        Measure::Persons,
        &[Dim::Nuts(NutsLevel::Two)],
        &[&["PT11", "PT16", "PT17", "PTXX"]],
        &[12, 7, 20, 1],
    );
    let flows = additive(
        Measure::Persons,
        &[Dim::Citizenship, Dim::CountryOfExploitation],
        &[&["BR", "NP", "PT", "RO"], &["ES", "PT"]],
        &[0, 9, 0, 6, 3, 14, 2, 6],
    );
    let mut s1 = section(
        "regions",
        "Victims (persons, de-duplicated) — Region of exploitation (NUTS 2) (2025)",
        regions,
        en,
        Visual::Choropleth,
    );
    s1.notes.push("PTXX: region not known.".to_string());
    let s2 = section("flows", "Citizenship → Country of exploitation (2025)", flows, en, Visual::Flows);
    report(
        ReportKind::Geo { measure: "persons".into(), level: GeoLevel::Nuts2, origin: "citizenship".into() },
        Some("2025"),
        "en",
        "Victims (persons, de-duplicated) — Region of exploitation (NUTS 2) (2025)",
        vec![s1, s2],
        exact("national"),
    )
}

/// Data quality (grids of mixed values, texts that need escaping) and a three-axis table.
pub(crate) fn quality() -> Report {
    let en = ModelLang::En;
    let completeness = Grid {
        columns: vec![
            "Data provider".into(),
            "Registrations".into(),
            "Linked to another provider".into(),
            "Unknown: Sex".into(),
        ],
        rows: vec![
            vec![
                GridValue::Text("Polícia Judiciária".into()),
                GridValue::Int(1204),
                GridValue::Int(31),
                GridValue::Share(0.0125),
            ],
            vec![
                GridValue::Text("Associação \"Porto Seguro\", <Norte> & Ilhas".into()),
                GridValue::Int(0),
                GridValue::Int(0),
                GridValue::Missing,
            ],
        ],
    };
    let timeliness = Grid {
        columns: vec!["Data provider".into(), "Submissions".into(), "Missing periods".into()],
        rows: vec![
            vec![
                GridValue::Text("Polícia Judiciária".into()),
                GridValue::Int(5),
                GridValue::Text(String::new()),
            ],
            vec![
                GridValue::Text("Associação \"Porto Seguro\", <Norte> & Ilhas".into()),
                GridValue::Int(3),
                GridValue::Text("2025-Q1 2025-Q2".into()),
            ],
        ],
    };
    let grid = |id: &str, title: &str, g: Grid, note: &str| Section {
        id: id.into(),
        title: title.into(),
        table: None,
        grid: Some(g),
        labels: Vec::new(),
        axis_labels: Vec::new(),
        visual: Visual::Table,
        notes: vec![note.into()],
        sdmx: None,
        change: false,
        model_output: false,
        projection: None,
    };
    let three = additive(
        Measure::Registrations,
        &[Dim::Sex, Dim::AgeGroup, Dim::VictimCategory],
        &[&["F", "M"], &["Y_LT18", "Y_GE18"], &["IDENTIFIED", "PRESUMED"]],
        &[3, 5, 40, 61, 1, 0, 22, 35],
    );
    let s3 = section(
        "simple",
        "Victim registrations — Sex × Age group × Victim category (2025)",
        three,
        en,
        Visual::Table,
    );
    report(
        ReportKind::DataQuality,
        Some("2025"),
        "en",
        "Data quality (2025) <draft> & \"final\"",
        vec![
            grid(
                "completeness",
                "Completeness and duplicates per provider",
                completeness,
                "Share of registrations where the field is unknown.",
            ),
            grid(
                "timeliness",
                "Submissions per provider",
                timeliness,
                "Late: received more than 45 days after the end of the quarter.",
            ),
            s3,
        ],
        exact("national"),
    )
}

/// Every hand-made report with its golden file stem.
pub(crate) fn all() -> Vec<(&'static str, Report)> {
    vec![
        ("key_indicators", key_indicators()),
        ("key_indicators_quarter", key_indicators_quarter()),
        ("time_frame", time_frame()),
        ("geo", geo()),
        ("quality", quality()),
    ]
}

/// Three NUTS 2 regions of a hand-made, not real, Portugal (and a NUTS 1 and a district that the
/// maps must leave out), as imported boundaries.
pub(crate) fn regions() -> maps::Boundaries {
    let square = |code: &str, name: &str, w: f64, s: f64, e: f64, n: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"NUTS_ID":"{code}","NAME_LATN":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}"#
        )
    };
    let features = [
        square("PT11", "Norte", -8.8, 41.0, -7.0, 42.1),
        square("PT16", "Centro", -8.9, 39.5, -7.0, 41.0),
        square("PT17", "Lisboa", -9.5, 38.4, -8.6, 39.5),
        square("PT18", "Alentejo", -8.6, 37.8, -7.0, 39.5),
        square("PT1", "Continente", -9.5, 37.0, -6.2, 42.1),
        square("PT-01", "Aveiro", -8.7, 40.4, -8.1, 41.0),
    ];
    let json = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
    maps::import_geojson(&json, &maps::ImportOptions::default()).expect("fixture boundaries").boundaries
}

/// An engine over ~300 synthetic victims, with the providers' names.
pub(crate) fn engine() -> (stats::Engine, BTreeMap<String, String>) {
    let lists = Codelists::embedded();
    let params = synth::Params {
        seed: 11,
        victims: 300,
        first_year: 2023,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
    };
    let data = synth::generate(&params, lists);
    let mut by_key: BTreeMap<String, u32> = BTreeMap::new();
    let mut b = EngineBuilder::new(lists, "PT", &data.providers, [3; 16]);
    b.data_version("synthetic-11");
    for v in &data.victims {
        let key = v
            .linkage_keys
            .iter()
            .next()
            .map(|k| k.to_string())
            .unwrap_or_else(|| format!("{}/{}", v.provider_id, v.record_ref));
        let next = by_key.len() as u32 + 1;
        let person = *by_key.entry(key).or_insert(next);
        b.victim(VictimInput { record: v, person });
    }
    data.suspects.iter().for_each(|s| b.suspect(s));
    data.prosecutions.iter().for_each(|p| b.prosecution(p));
    data.court_decisions.iter().for_each(|d| b.court_decision(d));
    let names = data.providers.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    (b.build(), names)
}

/// Every kind of report computed from the engine, exact.
pub(crate) fn computed(
    engine: &stats::Engine,
    names: &BTreeMap<String, String>,
    lang: ModelLang,
) -> Vec<Report> {
    let labels = Labeller::new(Codelists::embedded(), lang, names.clone());
    let kinds = vec![
        (
            ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into(), "age_group".into()] },
            Some("2025"),
        ),
        (
            ReportKind::Simple { measure: "registrations".into(), dims: vec!["exploitation".into()] },
            Some("2025"),
        ),
        (
            ReportKind::Simple {
                measure: "persons".into(),
                dims: vec!["sex".into(), "citizenship_group".into(), "victim_category".into()],
            },
            None,
        ),
        (ReportKind::Total { providers: Vec::new() }, Some("2025")),
        (
            ReportKind::TimeFrame {
                measure: "persons".into(),
                dim: Some("sex".into()),
                granularity: "quarter".into(),
            },
            None,
        ),
        (
            ReportKind::TimeFrame { measure: "registrations".into(), dim: None, granularity: "year".into() },
            None,
        ),
        (
            ReportKind::Geo {
                measure: "persons".into(),
                level: GeoLevel::Nuts2,
                origin: "citizenship".into(),
            },
            Some("2025"),
        ),
        (
            ReportKind::Geo {
                measure: "persons".into(),
                level: GeoLevel::Country,
                origin: "country_of_recruitment".into(),
            },
            None,
        ),
        (ReportKind::KeyIndicators, Some("2025")),
        (ReportKind::DataQuality, Some("2025")),
    ];
    kinds
        .into_iter()
        .map(|(kind, period)| {
            let mut spec = ReportSpec::new(kind, period);
            spec.lang = match lang {
                ModelLang::En => "en".into(),
                ModelLang::Pt => "pt".into(),
            };
            reports::run(engine, &spec, &labels, &QualityInputs::default(), GENERATED_AT).expect("report")
        })
        .collect()
}

/// The p-table of the cell key method used by the tests.
pub(crate) fn ptable() -> sdc::PTable {
    sdc::PTable::new(sdc::PTableParams::default()).expect("p-table")
}
