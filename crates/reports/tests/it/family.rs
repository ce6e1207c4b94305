//! Every report kind on synthetic data, and the properties of protected outputs.

use std::collections::BTreeMap;

use model::Codelists;
use reports::{Audience, GeoLevel, Labeller, QualityInputs, Report, ReportKind, ReportSpec, SubmissionFact};
use stats::{Flag, TOTAL};

use crate::attack::synthetic_engine;

fn run(engine: &stats::Engine, kind: ReportKind, period: Option<&str>) -> Report {
    let labels = Labeller::new(Codelists::embedded(), model::Lang::Pt, BTreeMap::new());
    let spec = ReportSpec::new(kind, period);
    reports::run(engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap()
}

fn ptable() -> sdc::PTable {
    sdc::PTable::new(sdc::PTableParams::default()).unwrap()
}

#[test]
fn simple_reports_have_margins_and_labels_in_the_chosen_language() {
    let engine = synthetic_engine(5, 800);
    let kind = ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into(), "age_group".into()] };
    let r = run(&engine, kind, Some("2025"));
    let s = &r.sections[0];
    assert_eq!(s.visual, reports::Visual::Pyramid);
    let t = s.table.as_ref().unwrap();
    assert_eq!(t.axes[0].codes.last().unwrap(), TOTAL);
    assert!(s.labels[0].contains(&"Feminino".to_string()), "{:?}", s.labels[0]);
    let rows: u64 =
        t.axes[0].codes[..t.axes[0].len() - 1].iter().map(|c| t.cell(&[c, TOTAL]).unwrap().count).sum();
    assert_eq!(rows, t.total().count);
    let bad = ReportKind::Simple { measure: "persons".into(), dims: vec![] };
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let e = reports::run(&engine, &ReportSpec::new(bad, None), &labels, &QualityInputs::default(), "x")
        .unwrap_err();
    assert!(e.to_string().contains("1 to 3 variables"));
}

#[test]
fn the_total_report_shows_the_sum_the_persons_and_the_overlap() {
    let engine = synthetic_engine(5, 1500);
    let r = run(&engine, ReportKind::Total { providers: vec![] }, Some("2025"));
    let ids: Vec<&str> = r.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["registrations", "persons", "overlap", "registered_by"]);
    let regs = r.sections[0].table.as_ref().unwrap();
    let persons = r.sections[1].table.as_ref().unwrap();
    let overlap = r.sections[2].table.as_ref().unwrap();
    let by = r.sections[3].table.as_ref().unwrap();
    let n = regs.axes[0].len() - 1;
    let sum: u64 = regs.cells[..n].iter().map(|c| c.count).sum();
    assert_eq!(sum, regs.total().count);
    assert!(persons.total().count < sum, "linked persons are counted once");
    assert_eq!(by.total().count, persons.total().count);
    let multi: u64 = by.cells[1..n].iter().map(|c| c.count).sum();
    assert!(multi > 0, "some persons were registered by several providers");
    // Symmetric overlap with the per-provider persons on the diagonal.
    for i in 0..n {
        for j in 0..n {
            assert_eq!(overlap.cells[i * (n + 1) + j].count, overlap.cells[j * (n + 1) + i].count);
        }
        assert_eq!(overlap.cells[i * (n + 1) + i].count, persons.cells[i].count);
    }
    // One provider only: its persons, no overlap.
    let one = engine.providers()[0].clone();
    let r = run(&engine, ReportKind::Total { providers: vec![one] }, Some("2025"));
    let by = r.sections[3].table.as_ref().unwrap();
    assert_eq!(by.cells[0].count, by.total().count);
}

#[test]
fn time_frame_geo_and_quality_reports() {
    let engine = synthetic_engine(5, 1500);
    let kind = ReportKind::TimeFrame {
        measure: "registrations".into(),
        dim: Some("sex".into()),
        granularity: "quarter".into(),
    };
    let r = run(&engine, kind, Some("2024-01-01..2025-12-31"));
    let t = r.sections[0].table.as_ref().unwrap();
    assert_eq!(t.axes[0].len(), 9, "8 quarters and the total");
    assert!(r.sections[0].change);
    let kind =
        ReportKind::Geo { measure: "persons".into(), level: GeoLevel::Nuts2, origin: "citizenship".into() };
    let r = run(&engine, kind, Some("2025"));
    assert_eq!(r.sections[0].visual, reports::Visual::Choropleth);
    assert!(r.sections[0].table.as_ref().unwrap().axes[0].codes.iter().any(|c| c.starts_with("PT1")));
    assert_eq!(r.sections[1].visual, reports::Visual::Flows);
    // Regions and flows are too many dimensions to solve jointly: released table by table.
    let mut released = r.clone();
    reports::release::suppress(&mut released, &engine, Audience::Public, 5, &[]).unwrap();
    for s in &released.sections {
        for c in &s.table.as_ref().unwrap().cells {
            assert!(c.value.is_none_or(|v| v == 0 || v >= 5), "{}", s.id);
        }
    }
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let p = engine.providers()[0].clone();
    let inputs = QualityInputs {
        submissions: vec![
            SubmissionFact {
                provider: p.clone(),
                period: "2025-Q1".into(),
                status: "approved".into(),
                received: chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
                records: 10,
                rejected_rows: Some(2),
            },
            SubmissionFact {
                provider: p.clone(),
                period: "2025-Q2".into(),
                status: "rejected".into(),
                received: chrono::NaiveDate::from_ymd_opt(2025, 7, 10).unwrap(),
                records: 10,
                rejected_rows: Some(10),
            },
        ],
        expected_periods: vec!["2025-Q1".into(), "2025-Q2".into()],
        deadline_days: 45,
    };
    let spec = ReportSpec::new(ReportKind::DataQuality, Some("2025"));
    let r = reports::run(&engine, &spec, &labels, &inputs, "x").unwrap();
    let timeliness = r.sections[1].grid.as_ref().unwrap();
    let row = &timeliness.rows[0];
    use reports::GridValue::*;
    assert_eq!(row[1], Int(2));
    assert_eq!(row[2], Text("2025-Q2".into()), "the rejected quarter is missing");
    assert_eq!(row[3], Int(1), "Q1 arrived 91 days after the quarter");
    assert_eq!(row[4], Int(1));
    assert_eq!(row[5], Int(12));
    // Quality reports are for analysts only.
    let mut r2 = r.clone();
    assert!(reports::protect(&mut r2, Audience::Public, &ptable()).is_err());
}

#[test]
fn cell_key_protection_never_publishes_small_counts_and_is_consistent() {
    for seed in [1, 2, 3] {
        let engine = synthetic_engine(seed, 600);
        for dims in [vec!["sex", "exploitation"], vec!["nuts3"], vec!["citizenship", "sex"]] {
            let kind = ReportKind::Simple {
                measure: "persons".into(),
                dims: dims.iter().map(|d| d.to_string()).collect(),
            };
            let mut r = run(&engine, kind, Some("2025"));
            reports::protect(&mut r, Audience::Public, &ptable()).unwrap();
            assert_eq!(r.meta.disclosure.method, reports::Method::CellKey);
            let t = r.sections[0].table.as_ref().unwrap();
            for c in &t.cells {
                let v = c.value.unwrap();
                assert!(v == 0 || v > 2, "seed {seed} {dims:?}: published {v}");
                if c.count == 0 {
                    assert_eq!(v, 0, "zeros stay zeros");
                }
                assert_eq!(c.flag == Flag::Perturbed, v != c.count);
            }
        }
        // The same cell in two tables gets the same value.
        let engine = synthetic_engine(seed, 600);
        let mut a = run(
            &engine,
            ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into()] },
            Some("2025"),
        );
        let mut b = run(
            &engine,
            ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into(), "age_group".into()] },
            Some("2025"),
        );
        reports::protect(&mut a, Audience::Public, &ptable()).unwrap();
        reports::protect(&mut b, Audience::Public, &ptable()).unwrap();
        let (ta, tb) = (a.sections[0].table.as_ref().unwrap(), b.sections[0].table.as_ref().unwrap());
        for sex in ["F", "M", "UNK", TOTAL] {
            assert_eq!(ta.cell(&[sex]).unwrap().value, tb.cell(&[sex, TOTAL]).unwrap().value, "{sex}");
        }
    }
}

#[test]
fn released_key_indicators_publish_no_small_count_for_several_seeds() {
    for seed in [21, 22, 23] {
        let engine = synthetic_engine(seed, 700);
        let mut r = run(&engine, ReportKind::KeyIndicators, Some("2025"));
        reports::release::suppress(&mut r, &engine, Audience::Public, 5, &[]).unwrap();
        for s in &r.sections {
            let t = s.table.as_ref().unwrap();
            for c in &t.cells {
                match c.value {
                    Some(v) => assert!(v == 0 || v >= 5, "seed {seed} {}: {v}", s.id),
                    None => assert!(c.flag.is_suppressed()),
                }
            }
            // A row with exactly one withheld cell and a published total would give it away.
            if !t.multi && t.axes.len() == 1 {
                let n = t.axes[0].len() - 1;
                let withheld = t.cells[..n].iter().filter(|c| c.value.is_none()).count();
                if t.total().value.is_some() {
                    assert_ne!(withheld, 1, "seed {seed} {}: a lone withheld cell", s.id);
                }
            }
        }
    }
}
