//! The analysis kinds (issue 8): hotspots over a grid of district boundaries, association with
//! region indicators, projections; determinism and disclosure control.

use std::collections::BTreeMap;

use model::Codelists;
use reports::{
    AnalysisInputs, Audience, GeoLevel, GridValue, IndicatorValue, Labeller, Report, ReportKind, ReportSpec,
};

use crate::attack::synthetic_engine;

/// PT-01…PT-18 as a 3 × 6 grid of 0.5° squares; PT-20 and PT-30 far away (islands).
fn boundaries() -> maps::Boundaries {
    let square = |code: &str, lon: f64, lat: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}}}"#,
            e = lon + 0.5,
            n = lat + 0.5
        )
    };
    let mut f: Vec<String> = (0..18)
        .map(|i| {
            square(&format!("PT-{:02}", i + 1), -9.0 + 0.5 * f64::from(i % 3), 38.0 + 0.5 * f64::from(i / 3))
        })
        .collect();
    f.push(square("PT-20", -20.0, 38.0));
    f.push(square("PT-30", -17.0, 35.0));
    let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","));
    let options = maps::ImportOptions {
        code_property: "code".into(),
        frame: Some(maps::LonLatBox::EUROPE),
        ..maps::ImportOptions::default()
    };
    maps::import_geojson(&text, &options).expect("imports").boundaries
}

fn indicators() -> Vec<IndicatorValue> {
    let mut v = Vec::new();
    for (i, code) in (1..=18).chain([20, 30]).enumerate() {
        let i = i as f64;
        let mut add = |indicator: &str, value: f64| {
            v.push(IndicatorValue {
                region: format!("PT-{code:02}"),
                period: "2025".into(),
                indicator: indicator.into(),
                value,
            });
        };
        add("population", 200_000.0 + 50_000.0 * ((i * 7.0) % 20.0));
        add("unemployment", 4.0 + (i * 3.0) % 9.0);
    }
    v
}

fn spec(kind: ReportKind, audience: Audience) -> ReportSpec {
    let mut s = ReportSpec::new(kind, Some("2025"));
    s.audience = audience;
    s
}

fn run(spec: &ReportSpec, inputs: &AnalysisInputs) -> Result<Report, reports::Error> {
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let engine = synthetic_engine(5, 3000);
    reports::run_analysis(&engine, spec, &labels, inputs, "2026-01-01T00:00:00Z")
}

fn grid<'a>(r: &'a Report, id: &str) -> &'a reports::Grid {
    r.sections.iter().find(|s| s.id == id).and_then(|s| s.grid.as_ref()).unwrap_or_else(|| panic!("{id}"))
}

fn hotspots(statistic: &str) -> ReportKind {
    ReportKind::Hotspots {
        measure: "persons".into(),
        level: GeoLevel::District,
        statistic: statistic.into(),
        permutations: Some(199),
        seed: Some(11),
    }
}

#[test]
fn hotspots_per_district_are_seeded_and_use_published_counts() {
    let inputs = AnalysisInputs { boundaries: Some(boundaries()), ..AnalysisInputs::default() };
    let exact = run(&spec(hotspots("gi"), Audience::National), &inputs).expect("runs");
    let ids: Vec<&str> = exact.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["regions", "hotspots", "global_moran"]);
    let g = grid(&exact, "hotspots");
    assert_eq!(g.rows.len(), 20, "every district of the boundaries");
    // The islands have no neighbour and no statistic.
    let azores = g.rows.iter().find(|r| r[1] == GridValue::Text("PT-20".into())).expect("PT-20");
    assert_eq!(azores[azores.len() - 1], GridValue::Text("not computed".into()));
    // The same seed, the same report.
    let again = run(&spec(hotspots("gi"), Audience::National), &inputs).expect("runs");
    assert_eq!(grid(&again, "hotspots"), g);
    assert_eq!(grid(&again, "global_moran"), grid(&exact, "global_moran"));

    // For the public: counts perturbed, statistics from the published counts, protect agrees.
    let mut public = run(&spec(hotspots("moran"), Audience::Public), &inputs).expect("runs");
    let table = public.sections[0].table.clone().expect("count table");
    let pg = grid(&public, "hotspots").clone();
    for row in &pg.rows {
        let GridValue::Text(code) = &row[1] else { panic!("code") };
        let published = table.cell(&[code.as_str()]).map_or(Some(0), |c| c.value);
        assert_eq!(row[2], published.map_or(GridValue::Missing, GridValue::Int), "{code}");
    }
    let ptable = sdc::PTable::new(sdc::PTableParams::default()).expect("ptable");
    reports::protect(&mut public, Audience::Public, &ptable).expect("protects");
    assert_eq!(public.sections[0].table.as_ref().map(|t| t.cells.clone()), Some(table.cells));
    assert_eq!(grid(&public, "hotspots"), &pg);
    // Computed for an exact audience, it cannot be given to the public.
    let mut exact = exact;
    assert!(reports::protect(&mut exact, Audience::Public, &ptable).is_err());
}

#[test]
fn rates_need_a_population_and_hotspots_need_boundaries() {
    let inputs = AnalysisInputs {
        boundaries: Some(boundaries()),
        indicators: indicators(),
        ..AnalysisInputs::default()
    };
    let r = run(&spec(hotspots("gi"), Audience::National), &inputs).expect("runs");
    let g = grid(&r, "hotspots");
    assert!(g.columns.iter().any(|c| c == "Rate per 100,000"), "{:?}", g.columns);
    assert!(r.sections[1].notes.iter().any(|n| n.contains("period 2025")));
    let e = run(&spec(hotspots("gi"), Audience::National), &AnalysisInputs::default()).unwrap_err();
    assert!(e.to_string().contains("mosy geo import"), "{e}");
    let e = run(&spec(hotspots("nope"), Audience::National), &inputs).unwrap_err();
    assert!(e.to_string().contains("unknown statistic"), "{e}");
}

#[test]
fn association_shows_coefficients_rate_ratios_and_fit() {
    let inputs = AnalysisInputs { indicators: indicators(), ..AnalysisInputs::default() };
    let kind = ReportKind::Association {
        measure: "persons".into(),
        level: GeoLevel::District,
        covariates: vec!["unemployment".into()],
        model: "poisson".into(),
    };
    let r = run(&spec(kind.clone(), Audience::National), &inputs).expect("runs");
    let c = grid(&r, "coefficients");
    assert_eq!(c.rows.len(), 2);
    assert_eq!(c.rows[1][0], GridValue::Text("unemployment".into()));
    assert!(c.columns.iter().any(|h| h == "Rate ratio"));
    let fit = grid(&r, "fit");
    assert_eq!(fit.rows[0][1], GridValue::Text("Poisson".into()));
    // The spec travels as JSON and back.
    let s = spec(kind, Audience::National);
    let back: ReportSpec = serde_json::from_str(&serde_json::to_string(&s).expect("json")).expect("parses");
    assert_eq!(back, s);
    assert_eq!(s.kind.id(), "association");
}

#[test]
fn projections_have_intervals_and_back_tests_or_say_why_not() {
    let kind = |g: &str| ReportKind::Projection {
        measure: "persons".into(),
        dim: None,
        granularity: g.into(),
        horizon: Some(3),
        seed: Some(2),
    };
    let mut s = spec(kind("month"), Audience::National);
    s.period = None;
    let r = run(&s, &AnalysisInputs::default()).expect("runs");
    let band = r.sections[0].projection.as_ref().expect("a projection");
    assert_eq!(band.periods.len(), 3);
    assert!(band.lower.iter().zip(&band.upper).all(|(l, u)| l <= u));
    assert_eq!(grid(&r, "projection").rows.len(), 3);
    assert!(grid(&r, "backtest").rows.iter().any(|row| row[4] == GridValue::Text("chosen".into())));
    assert_eq!(run(&s, &AnalysisInputs::default()).expect("runs").sections[1].grid, r.sections[1].grid);
    // Two years are too short a series.
    let mut s = spec(kind("year"), Audience::National);
    s.period = None;
    let r = run(&s, &AnalysisInputs::default()).expect("runs");
    assert!(r.sections[0].projection.is_none());
    assert!(r.sections[0].notes.iter().any(|n| n.starts_with("No projection:") && n.contains("at least 10")));
}
