//! Every kind of report computed from a synthetic engine, in both languages, exact and protected,
//! through every format: nothing fails, pages are well-formed with a chart per charted section,
//! workbooks read back, the key indicators give SDMX observations.

use reports::{Audience, Visual};

use crate::html::{foreign_urls, sections};
use crate::{fixtures, markup, util};

#[test]
fn every_kind_in_every_format() {
    let (engine, names) = fixtures::engine();
    let ptable = fixtures::ptable();
    for lang in [model::Lang::En, model::Lang::Pt] {
        for exact in fixtures::computed(&engine, &names, lang) {
            let mut versions = vec![exact.clone()];
            if exact.sections.iter().all(|s| s.grid.is_none()) {
                let mut p = exact.clone();
                reports::protect(&mut p, Audience::Public, &ptable).expect("protect");
                versions.push(p);
            }
            for report in versions {
                let name =
                    format!("{} {:?} {}", report.spec.kind.id(), lang, report.meta.disclosure.audience);
                let csv = formats::csv(&report);
                assert!(csv.lines().count() > 1, "{name}");
                let json: serde_json::Value = serde_json::from_str(&formats::json(&report)).expect("JSON");
                assert_eq!(json["sections"].as_array().map(Vec::len), Some(report.sections.len()), "{name}");
                let xlsx = formats::xlsx(&report).expect("xlsx");
                assert_eq!(util::sheets(&xlsx).len(), report.sections.len() + 1, "{name}");
                let html = formats::html(&report, &util::ctx(&report));
                let root = markup::parse(&html).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(foreign_urls(&html).is_empty(), "{name}: {:?}", foreign_urls(&html));
                for (s, el) in report.sections.iter().zip(sections(&root)) {
                    let charted =
                        s.visual != Visual::Table && s.table.as_ref().is_some_and(|t| !t.axes.is_empty());
                    let svgs = el
                        .find("figure")
                        .iter()
                        .flat_map(|f| f.elements())
                        .filter(|e| e.name == "svg")
                        .count();
                    assert_eq!(svgs, usize::from(charted), "{name}/{}", s.id);
                }
                let sdmx = formats::sdmx_csv(&report, "PT_OTSH:DF_THB_KEY(1.0)").expect("sdmx");
                let observations = sdmx.lines().count() - 1;
                if report.spec.kind.id() == "key_indicators" {
                    let cells: usize =
                        report.sections.iter().filter_map(|s| s.table.as_ref()).map(|t| t.cells.len()).sum();
                    assert_eq!(observations, cells, "{name}");
                } else {
                    assert_eq!(observations, 0, "{name}");
                }
            }
        }
    }
}

#[test]
fn sdmx_observations_use_only_codes_of_the_structure() {
    let (engine, names) = fixtures::engine();
    let id = "PT_OTSH:DF_THB_KEY(1.0)";
    let xml =
        formats::sdmx_structure(id, model::Codelists::embedded(), fixtures::GENERATED_AT).expect("structure");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let list_codes = |list: &str| -> Vec<String> {
        doc.descendants()
            .find(|n| n.tag_name().name() == "Codelist" && n.attribute("id") == Some(list))
            .map(|l| l.children().filter_map(|c| c.attribute("id").map(str::to_string)).collect())
            .unwrap_or_default()
    };
    // The codelist of each column, from the DSD.
    let mut lists: Vec<(String, Vec<String>)> = Vec::new();
    for comp in doc.descendants().filter(|n| matches!(n.tag_name().name(), "Dimension" | "Attribute")) {
        let cl = comp
            .descendants()
            .find(|n| n.tag_name().name() == "Ref" && n.attribute("class") == Some("Codelist"))
            .and_then(|r| r.attribute("id"))
            .expect("an enumerated component");
        lists.push((comp.attribute("id").expect("id").to_string(), list_codes(cl)));
    }
    let report = fixtures::computed(&engine, &names, model::Lang::En)
        .into_iter()
        .find(|r| r.spec.kind.id() == "key_indicators")
        .expect("key indicators");
    let text = formats::sdmx_csv(&report, id).expect("sdmx");
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().expect("header").iter().map(str::to_string).collect();
    let mut checked = 0;
    for rec in r.records() {
        let rec = rec.expect("record");
        for (column, codes) in &lists {
            let i = header.iter().position(|h| h == column).expect("column");
            assert!(codes.iter().any(|c| c == &rec[i]), "{column}={} is not in its codelist", &rec[i]);
            checked += 1;
        }
    }
    assert!(checked > 0);
}
