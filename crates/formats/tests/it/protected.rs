//! Protected outputs never carry what a cell does not publish: every format is written from the
//! published value and flag only (changing the exact counts and cell keys changes no byte), a
//! withheld cell has no number in its place in any format, and no `count` or `key` field appears.

use calamine::Data;
use reports::{Audience, Report};
use stats::Flag;

use crate::json::member_names;
use crate::{fixtures, markup, util};

const ID: &str = "PT_OTSH:DF_THB_KEY(1.0)";

/// Every output of a report, as text (the XLSX read back, and its raw XML parts).
fn outputs(report: &Report) -> Vec<(&'static str, String)> {
    let xlsx = formats::xlsx(report).expect("xlsx");
    let mut out = vec![
        ("csv", formats::csv(report)),
        ("json", formats::json(report)),
        ("html", formats::html(report, &util::ctx(report))),
        ("xlsx", util::xlsx_text(&xlsx)),
        ("xlsx bytes", format!("{xlsx:?}")),
    ];
    if report.sections.iter().any(|s| s.sdmx.is_some()) {
        out.push(("sdmx", formats::sdmx_csv(report, ID).expect("sdmx")));
    }
    out
}

/// The report with every exact count and cell key replaced by sentinels.
fn with_sentinels(report: &Report) -> Report {
    let mut r = report.clone();
    let mut n = 0u64;
    for s in &mut r.sections {
        if let Some(t) = &mut s.table {
            for c in &mut t.cells {
                n += 1;
                c.count = 987_000_000 + n;
                c.key = 0xDEAD_0000 + n as u32;
            }
        }
    }
    r
}

fn assert_independent_of_counts_and_keys(name: &str, report: &Report) {
    let a = outputs(report);
    let b = outputs(&with_sentinels(report));
    for ((fmt, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name}: the {fmt} output depends on exact counts or cell keys");
        assert!(!y.contains("98700"), "{name}: a sentinel count in the {fmt} output");
        assert!(!y.contains("373592"), "{name}: a sentinel key in the {fmt} output");
    }
}

fn protected_reports() -> Vec<(String, Report)> {
    let (engine, names) = fixtures::engine();
    let ptable = fixtures::ptable();
    let mut out = Vec::new();
    for report in fixtures::computed(&engine, &names, model::Lang::En) {
        if report.sections.iter().any(|s| s.grid.is_some()) {
            continue;
        }
        let kind = report.spec.kind.id();
        let mut ckm = report.clone();
        reports::protect(&mut ckm, Audience::Public, &ptable).expect("protect");
        out.push((format!("{kind} (cell key)"), ckm));
        // Releases need a period. The geo report is left out: its regions and flows form one
        // population whose joint table (region × citizenship × country × quarter) the engine
        // refuses as too large.
        if report.spec.period.is_some() && kind != "geo" {
            let mut released = report.clone();
            reports::release::suppress(&mut released, &engine, Audience::Eu, 5, &[]).expect("suppress");
            out.push((format!("{kind} (release)"), released));
        }
    }
    out
}

#[test]
fn outputs_do_not_depend_on_exact_counts_or_cell_keys() {
    for (name, report) in fixtures::all() {
        assert_independent_of_counts_and_keys(name, &report);
    }
    for (name, report) in protected_reports() {
        assert_independent_of_counts_and_keys(&name, &report);
    }
}

#[test]
fn withheld_cells_have_no_number_in_their_place_in_any_format() {
    let reports = protected_reports();
    let mut seen = 0;
    for (name, report) in reports.iter().filter(|(n, _)| n.ends_with("(release)")) {
        let withheld: Vec<(String, Vec<String>, u64)> = report
            .sections
            .iter()
            .filter_map(|s| s.table.as_ref().map(|t| (s, t)))
            .flat_map(|(s, t)| {
                t.cells.iter().enumerate().filter(|(_, c)| c.flag.is_suppressed()).map(move |(i, c)| {
                    let codes =
                        t.coords(i).iter().enumerate().map(|(a, e)| t.axes[a].codes[*e].clone()).collect();
                    (s.id.clone(), codes, c.count)
                })
            })
            .collect();
        seen += withheld.len();

        // CSV: the row of the cell has an empty value and the flag c.
        let csv_text = formats::csv(report);
        let mut r = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
        let rows: Vec<Vec<String>> =
            r.records().map(|x| x.expect("record").iter().map(str::to_string).collect()).collect();
        for (section, codes, _) in &withheld {
            let row = rows
                .iter()
                .find(|r| {
                    r[0] == "cell"
                        && r[1] == *section
                        && codes.iter().enumerate().all(|(i, c)| r[4 + 3 * i] == *c)
                })
                .unwrap_or_else(|| panic!("{name}: {section} {codes:?}"));
            assert_eq!((row[15].as_str(), row[16].as_str()), ("", "c"), "{name}: {section} {codes:?}");
        }

        // JSON: value null, flag c; no count or key member.
        let v: serde_json::Value = serde_json::from_str(&formats::json(report)).expect("JSON");
        let mut members = Vec::new();
        member_names(&v, &mut members);
        assert!(!members.iter().any(|m| m == "count" || m == "key"), "{name}");
        for s in v["sections"].as_array().expect("sections") {
            for c in s["table"]["cells"].as_array().into_iter().flatten() {
                if c["flag"] == "c" {
                    assert!(c["value"].is_null(), "{name}: {c}");
                }
            }
        }
        let json_withheld = v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .flat_map(|s| s["table"]["cells"].as_array().cloned().unwrap_or_default())
            .filter(|c| c["flag"] == "c")
            .count();
        assert_eq!(json_withheld, withheld.len(), "{name}");

        // XLSX: as many "c" cells as withheld cells, and no number in their place.
        let sheets = util::sheets(&formats::xlsx(report).expect("xlsx"));
        let cs = sheets
            .iter()
            .filter(|(n, _)| n != "metadata")
            .flat_map(|(_, rows)| rows.iter().flatten())
            .filter(|d| **d == Data::String("c".into()))
            .count();
        assert_eq!(cs, withheld.len(), "{name}");

        // SDMX: withheld observations have an empty OBS_VALUE and CONF_STATUS A or D.
        if report.sections.iter().any(|s| s.sdmx.is_some()) {
            let sdmx = formats::sdmx_csv(report, ID).expect("sdmx");
            let mut r = csv::ReaderBuilder::new().from_reader(sdmx.as_bytes());
            let obs: Vec<Vec<String>> =
                r.records().map(|x| x.expect("record").iter().map(str::to_string).collect()).collect();
            let confidential: Vec<&Vec<String>> = obs.iter().filter(|o| o[17] != "F").collect();
            assert_eq!(confidential.len(), withheld.len(), "{name}");
            assert!(confidential.iter().all(|o| o[14].is_empty() && (o[17] == "A" || o[17] == "D")));
        }

        // HTML: the cell shows c and its title no number.
        let html = formats::html(report, &util::ctx(report));
        let root = markup::parse(&html).expect("well-formed");
        let tds: Vec<_> = root.find("td").into_iter().filter(|t| t.has_class("c")).collect();
        assert_eq!(tds.len(), withheld.len(), "{name}");
        assert!(
            tds.iter().all(
                |t| t.text() == "c" && !t.attr("title").unwrap_or("").chars().any(|c| c.is_ascii_digit())
            )
        );
    }
    assert!(seen > 0, "the releases withhold something");
}

#[test]
fn cell_key_reports_publish_every_cell_and_mark_them_alike() {
    for (name, report) in protected_reports().iter().filter(|(n, _)| n.ends_with("(cell key)")) {
        let perturbed = report
            .sections
            .iter()
            .filter_map(|s| s.table.as_ref())
            .flat_map(|t| &t.cells)
            .filter(|c| c.flag == Flag::Perturbed)
            .count();
        let v: serde_json::Value = serde_json::from_str(&formats::json(report)).expect("JSON");
        let flags: Vec<&serde_json::Value> = v["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .flat_map(|s| s["table"]["cells"].as_array().into_iter().flatten())
            .map(|c| &c["flag"])
            .collect();
        assert!(flags.iter().all(|f| *f == "k"), "{name}: {perturbed} perturbed cells, flags differ");
    }
}
