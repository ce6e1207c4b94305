//! The attacker: given everything the quarterly releases and the annual release of a year
//! published, solve (LP over the inner cells, crate `sdc`) for every withheld cell. No withheld
//! cell may be pinned to its value; without the cross-release memory, the same attack succeeds
//! (so the test can fail).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use model::Codelists;
use reports::release::{PublishedCell, suppress};
use reports::{Audience, Labeller, QualityInputs, Report, ReportKind, ReportSpec};
use stats::{Dim, Engine, EngineBuilder, Flag, Granularity, Measure, Query, TOTAL, VictimInput};

pub(crate) fn synthetic_engine(seed: u64, victims: u64) -> Engine {
    let lists = Codelists::embedded();
    let params = synth::Params {
        seed,
        victims,
        first_year: 2024,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    };
    let d = synth::generate(&params, lists);
    let mut by_key: BTreeMap<String, u32> = BTreeMap::new();
    let mut b = EngineBuilder::new(lists, "PT", &d.providers, [9; 16]);
    for v in &d.victims {
        let key =
            v.linkage_keys.iter().next().map(|k| k.to_string()).unwrap_or_else(|| v.record_ref.to_string());
        let next = by_key.len() as u32;
        let person = *by_key.entry(key).or_insert(next);
        b.victim(VictimInput { record: v, person });
    }
    d.suspects.iter().for_each(|s| b.suspect(s));
    d.prosecutions.iter().for_each(|p| b.prosecution(p));
    d.court_decisions.iter().for_each(|c| b.court_decision(c));
    b.build()
}

fn ki(engine: &Engine, period: &str) -> Report {
    let labels = Labeller::new(Codelists::embedded(), model::Lang::En, BTreeMap::new());
    let spec = ReportSpec::new(ReportKind::KeyIndicators, Some(period));
    reports::run(engine, &spec, &labels, &QualityInputs::default(), "2026-01-01T00:00:00Z").unwrap()
}

/// Releases Q1..Q4 then the year, each remembering the earlier ones (or not).
fn releases(engine: &Engine, remember: bool) -> Vec<(String, Report)> {
    let mut history: Vec<PublishedCell> = Vec::new();
    let mut out = Vec::new();
    for period in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2025"] {
        let mut r = ki(engine, period);
        let h = if remember { history.clone() } else { Vec::new() };
        let published = suppress(&mut r, engine, Audience::Eu, 5, &h).unwrap();
        history.extend(published);
        out.push((period.to_string(), r));
    }
    out
}

/// The tables the attacker combines: persons by sex, age group, Eurostat form, citizenship group
/// and country of recruitment (V1_02–V1_08).
const LINKED: &[&str] = &["V1_02", "V1_03", "V1_04", "V1_05", "V1_06", "V1_07", "V1_08"];

/// Builds the attacker's problem over inner cells = persons by sex × age × form group ×
/// citizenship group × country of recruitment × quarter of 2025, with every cell of the linked
/// tables of every release, and returns its audit.
fn attack(engine: &Engine, releases: &[(String, Report)]) -> sdc::Audit {
    let dims = [
        Dim::Sex,
        Dim::AgeGroup,
        Dim::ExploitationGroup,
        Dim::CitizenshipGroup,
        Dim::CountryOfRecruitment,
        Dim::Period(Granularity::Quarter),
    ];
    let last = dims.len() - 1;
    let q = Query::new(Measure::Persons, &dims).period(stats::DateRange::year(2025));
    let inner_tab = engine.crosstab(&q).unwrap();
    let mut inner = Vec::new();
    let mut inner_coords: Vec<Vec<String>> = Vec::new();
    for (flat, count) in inner_tab.counts.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        let mut rest = flat;
        let mut coords = vec![String::new(); dims.len()];
        for i in (0..dims.len()).rev() {
            let n = inner_tab.categories[i].len();
            coords[i] = inner_tab.categories[i][rest % n].clone();
            rest /= n;
        }
        inner.push(*count);
        inner_coords.push(coords);
    }
    let mut cells = Vec::new();
    let mut status = Vec::new();
    for (period, report) in releases {
        for s in report.sections.iter().filter(|s| LINKED.contains(&s.id.as_str())) {
            let t = s.table.as_ref().unwrap();
            for (i, c) in t.cells.iter().enumerate() {
                let coords = t.coords(i);
                let members: Vec<u32> = inner_coords
                    .iter()
                    .enumerate()
                    .filter(|(_, ic)| {
                        let in_period = period.len() == 4 || ic[last] == *period;
                        in_period
                            && t.axes.iter().zip(&coords).all(|(a, ci)| {
                                let code = &a.codes[*ci];
                                if code == TOTAL {
                                    return true;
                                }
                                let slot = dims.iter().position(|d| *d == a.dim).unwrap();
                                ic[slot] == *code
                            })
                    })
                    .map(|(j, _)| j as u32)
                    .collect();
                let st = match c.flag {
                    Flag::Exact => sdc::Status::Published,
                    Flag::Primary => sdc::Status::Primary,
                    Flag::Secondary => sdc::Status::Secondary,
                    Flag::Perturbed => panic!("releases are not perturbed"),
                };
                // The published value must be the sum of the inner cells (consistent data).
                let sum: u64 = members.iter().map(|m| inner[*m as usize]).sum();
                assert_eq!(sum, c.count, "{} {period} cell {i}", s.id);
                cells.push(sdc::CellSpec::new(members, sdc::Role::Candidate));
                status.push(st);
            }
        }
    }
    let problem = sdc::Problem::new(inner, cells);
    sdc::audit(&problem, &status).unwrap()
}

#[test]
fn no_withheld_cell_can_be_pinned_from_this_and_earlier_releases() {
    let engine = synthetic_engine(11, 1200);
    let rel = releases(&engine, true);
    let mut withheld = 0;
    for (period, r) in &rel {
        for s in &r.sections {
            let t = s.table.as_ref().unwrap();
            for c in &t.cells {
                if let Some(v) = c.value {
                    assert!(v == 0 || v >= 5, "{} {period}: published {v}", s.id);
                } else {
                    withheld += 1;
                }
            }
        }
    }
    assert!(withheld > 20, "the fixture must have small counts to protect ({withheld} withheld)");
    let audit = attack(&engine, &rel);
    assert!(!audit.cells.is_empty());
    let pinned: Vec<_> = audit.pinned().into_iter().map(|c| (c.cell, c.true_value, c.min, c.max)).collect();
    assert!(pinned.is_empty(), "pinned: {pinned:?}");
}

#[test]
fn without_memory_of_earlier_releases_the_attack_succeeds() {
    let engine = synthetic_engine(11, 1200);
    let rel = releases(&engine, false);
    let audit = attack(&engine, &rel);
    assert!(!audit.pinned().is_empty(), "the negative control must find a disclosure");
}

#[test]
fn a_release_is_reproducible_byte_for_byte_and_keeps_published_cells() {
    let engine = synthetic_engine(11, 1200);
    let a = releases(&engine, true);
    let b = releases(&engine, true);
    for ((pa, ra), (_, rb)) in a.iter().zip(&b) {
        for (sa, sb) in ra.sections.iter().zip(&rb.sections) {
            assert_eq!(sa.table, sb.table, "{pa} {}", sa.id);
        }
    }
    // Releasing the year again with its own history changes nothing.
    let mut history = Vec::new();
    let mut first = ki(&engine, "2025");
    history.extend(suppress(&mut first, &engine, Audience::Eu, 5, &[]).unwrap());
    let mut again = ki(&engine, "2025");
    suppress(&mut again, &engine, Audience::Eu, 5, &history).unwrap();
    for (x, y) in first.sections.iter().zip(&again.sections) {
        let (tx, ty) = (x.table.as_ref().unwrap(), y.table.as_ref().unwrap());
        let vx: Vec<_> = tx.cells.iter().map(|c| (c.value, c.flag)).collect();
        let vy: Vec<_> = ty.cells.iter().map(|c| (c.value, c.flag)).collect();
        assert_eq!(vx, vy, "{}", x.id);
    }
}
