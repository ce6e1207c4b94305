//! The estimate report: multiple systems estimation over the hub's lists of providers.

use std::collections::BTreeMap;

use model::Codelists;
use reports::{Audience, GridValue, Labeller, QualityInputs, Report, ReportKind, ReportSpec};
use stats::TOTAL;

use crate::attack::synthetic_engine;

fn kind(list_by: Option<&str>, selection: &str, interval: &str) -> ReportKind {
    ReportKind::Estimate {
        lists: Vec::new(),
        list_by: list_by.map(str::to_string),
        selection: selection.into(),
        max_order: None,
        interval: interval.into(),
        resamples: None,
        seed: None,
    }
}

fn run(engine: &stats::Engine, spec: &ReportSpec) -> Result<Report, reports::Error> {
    let lang = if spec.lang == "pt" { model::Lang::Pt } else { model::Lang::En };
    let labels = Labeller::new(Codelists::embedded(), lang, BTreeMap::new());
    reports::run(engine, spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z")
}

fn grid<'a>(r: &'a Report, id: &str) -> &'a reports::Grid {
    r.sections.iter().find(|s| s.id == id).and_then(|s| s.grid.as_ref()).unwrap()
}

fn int(v: &GridValue) -> u64 {
    match v {
        GridValue::Int(n) => *n,
        other => panic!("not a whole number: {other:?}"),
    }
}

#[test]
fn an_estimate_by_provider_type_has_every_section_and_adds_up() {
    let engine = synthetic_engine(5, 3000);
    let mut spec = ReportSpec::new(kind(Some("provider_type"), "stepwise", "wald"), Some("2025"));
    spec.audience = Audience::National;
    let r = run(&engine, &spec).unwrap();
    let ids: Vec<&str> = r.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["estimate", "models", "lists", "overlap", "histories", "warnings", "assumptions"]);
    let est = grid(&r, "estimate");
    let observed = int(&est.rows[0][1]);
    let total = int(&est.rows[1][1]);
    let hidden = int(&est.rows[2][1]);
    assert!(total >= observed && total.abs_diff(observed + hidden) <= 1, "{observed} {total} {hidden}");
    let (lo, hi) = (int(&est.rows[1][2]), int(&est.rows[1][3]));
    assert!(lo <= total && total <= hi && lo >= observed, "[{lo}, {hi}]");
    // The count tables: persons observed = the lists' total = the histories' total.
    let table = |id: &str| r.sections.iter().find(|s| s.id == id).and_then(|s| s.table.as_ref()).unwrap();
    assert_eq!(table("lists").total().count, observed);
    assert_eq!(table("histories").total().count, observed);
    let hist = table("histories");
    let sum: u64 = hist.cells[..hist.cells.len() - 1].iter().map(|c| c.count).sum();
    assert_eq!(sum, observed);
    // The overlap table is symmetric with the list sizes on its diagonal.
    let ov = table("overlap");
    let n = ov.axes[0].len() - 1;
    for i in 0..n {
        assert_eq!(ov.cells[i * (n + 1) + i].count, table("lists").cells[i].count);
        for j in 0..n {
            assert_eq!(ov.cells[i * (n + 1) + j].count, ov.cells[j * (n + 1) + i].count);
        }
    }
    assert_eq!(ov.axes[0].codes.last().unwrap(), TOTAL);
    // The chosen model first, runner-ups after; the assumptions in words.
    assert_eq!(grid(&r, "models").rows[0][0], GridValue::Text("chosen".into()));
    assert_eq!(grid(&r, "assumptions").rows.len(), 4);
    // The same request gives the same report.
    let again = run(&engine, &spec).unwrap();
    assert_eq!(grid(&again, "estimate"), est);
    assert_eq!(grid(&again, "models"), grid(&r, "models"));
}

#[test]
fn protected_audiences_get_perturbed_tables_and_rounded_unperturbed_estimates() {
    let engine = synthetic_engine(5, 3000);
    let ptable = sdc::PTable::new(sdc::PTableParams::default()).unwrap();
    let mut spec = ReportSpec::new(kind(Some("provider_type"), "aic", "profile"), Some("2025"));
    spec.lang = "pt".into();
    let mut r = run(&engine, &spec).unwrap();
    reports::protect(&mut r, Audience::Public, &ptable).unwrap();
    assert_eq!(r.meta.disclosure.method, reports::Method::CellKey);
    let est = grid(&r, "estimate");
    assert_eq!(est.rows[0][1], GridValue::Missing, "the exact observed count is not repeated");
    assert_eq!(int(&est.rows[1][1]) % 10, 0, "rounded to tens");
    for id in ["lists", "overlap", "histories"] {
        let s = r.sections.iter().find(|s| s.id == id).unwrap();
        assert!(s.table.as_ref().unwrap().cells.iter().all(|c| c.value.is_some()));
        assert!(s.notes.iter().any(|n| n.contains("chave de célula")), "{id}: {:?}", s.notes);
    }
    let notes = &r.sections[0].notes;
    assert!(notes.iter().any(|n| n.contains("não é perturbada")), "{notes:?}");
    // A report computed for an exact audience cannot be handed to a protected one.
    let mut spec = ReportSpec::new(kind(Some("provider_type"), "stepwise", "wald"), Some("2025"));
    spec.audience = Audience::National;
    let mut r = run(&engine, &spec).unwrap();
    assert!(reports::protect(&mut r, Audience::Eu, &ptable).is_err());
}

#[test]
fn lists_of_providers_the_spec_round_trip_and_errors() {
    let engine = synthetic_engine(5, 3000);
    let providers = engine.providers().to_vec();
    let groups = vec![providers[..4].to_vec(), providers[4..9].to_vec(), providers[9..].to_vec()];
    let k = ReportKind::Estimate {
        lists: groups,
        list_by: None,
        selection: "aic".into(),
        max_order: None,
        interval: "bootstrap".into(),
        resamples: Some(60),
        seed: Some(7),
    };
    let mut spec = ReportSpec::new(k, None);
    spec.audience = Audience::National;
    let json = serde_json::to_string(&spec).unwrap();
    assert!(json.contains("\"kind\":\"estimate\""), "{json}");
    assert_eq!(serde_json::from_str::<ReportSpec>(&json).unwrap(), spec);
    // A minimal request from the web API.
    let min: ReportSpec = serde_json::from_str(r#"{"kind":"estimate","period":"2025"}"#).unwrap();
    assert_eq!(min.kind.id(), "estimate");
    let a = run(&engine, &spec).unwrap();
    let b = run(&engine, &spec).unwrap();
    assert_eq!(grid(&a, "estimate"), grid(&b, "estimate"), "seeded bootstrap");
    assert_eq!(a.sections[2].table.as_ref().unwrap().axes[0].len(), 4, "three lists and the total");
    // Errors name the parameter.
    let bad = |k: ReportKind| {
        let spec = ReportSpec { audience: Audience::National, ..ReportSpec::new(k, Some("2025")) };
        run(&engine, &spec).unwrap_err().to_string()
    };
    assert!(bad(kind(Some("provider_type"), "nope", "wald")).contains("unknown model selection `nope`"));
    assert!(bad(kind(Some("provider_type"), "stepwise", "nope")).contains("unknown interval `nope`"));
    assert!(bad(kind(Some("colour"), "stepwise", "wald")).contains("unknown list_by `colour`"));
    let one = ReportKind::Estimate {
        lists: vec![vec![providers[0].clone()]],
        list_by: None,
        selection: String::new(),
        max_order: None,
        interval: String::new(),
        resamples: None,
        seed: None,
    };
    assert!(bad(one).contains("at least 2"));
}

#[test]
fn an_estimate_from_a_capture_history_table() {
    let text = "b,c,d,count\n1,0,0,10\n0,1,0,20\n1,1,0,5\n0,0,1,30\n1,0,1,3\n0,1,1,6\n1,1,1,1\n";
    let ch = mse::read_csv(text.as_bytes()).unwrap();
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let mut spec = ReportSpec::new(kind(None, "main_effects", "wald"), None);
    spec.audience = Audience::National;
    let r = reports::run_histories(ch.clone(), &spec, &labels, "table.csv", "2026-01-01T00:00:00Z", &|_| {})
        .unwrap();
    assert_eq!(int(&grid(&r, "estimate").rows[0][1]), 75);
    assert_eq!(r.meta.data_version, "table.csv");
    let direct = mse::estimate(
        &ch,
        &mse::Options { selection: mse::Selection::MainEffects, ..mse::Options::default() },
    )
    .unwrap();
    assert_eq!(int(&grid(&r, "estimate").rows[1][1]), direct.total.round() as u64);
    spec.period = Some("2025".into());
    assert!(reports::run_histories(ch, &spec, &labels, "t", "x", &|_| {}).is_err());
}
