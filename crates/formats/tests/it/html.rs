//! The HTML page: well-formed, self-contained (no URL but the SVG namespace), a chart per charted
//! section, escaped text, withheld cells, change column, print styles.

use formats::HtmlContext;
use reports::Visual;

use crate::markup::{self, Element};
use crate::{fixtures, util};

/// The URLs of a page other than the SVG namespace in `xmlns` attributes.
pub(crate) fn foreign_urls(html: &str) -> Vec<String> {
    let cleaned = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    let lower = cleaned.to_lowercase();
    let mut out = Vec::new();
    for pat in [
        "http:",
        "https:",
        "//",
        "url(",
        "src=",
        "href=\"http",
        "@import",
        "<link",
        "<script",
        "<iframe",
        "<img",
    ] {
        for (i, _) in lower.match_indices(pat) {
            if pat == "url(" && lower[i + 4..].starts_with('#') {
                continue;
            }
            let ctx = &lower[i.saturating_sub(30)..(i + 40).min(lower.len())];
            out.push(format!("{pat}: …{ctx}…"));
        }
    }
    out
}

/// Top-level sections of the page with their charted-ness.
pub(crate) fn sections(root: &Element) -> Vec<&Element> {
    root.find("section").into_iter().filter(|s| s.has_class("report-section")).collect()
}

#[test]
fn every_page_is_well_formed_and_self_contained() {
    for (name, report) in fixtures::all() {
        let html = formats::html(&report, &util::ctx(&report));
        let root = markup::parse(&html).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(root.attr("lang"), Some(report.meta.lang.as_str()));
        assert!(foreign_urls(&html).is_empty(), "{name}: {:?}", foreign_urls(&html));
        assert!(html.contains("@media print"), "print styles");
        assert!(html.contains("Content-Security-Policy"));
    }
}

#[test]
fn a_chart_per_charted_section() {
    for (name, report) in fixtures::all() {
        let html = formats::html(&report, &util::ctx(&report));
        let root = markup::parse(&html).expect("well-formed");
        let secs = sections(&root);
        assert_eq!(secs.len(), report.sections.len(), "{name}");
        for (s, el) in report.sections.iter().zip(secs) {
            let charted = s.visual != Visual::Table && s.table.as_ref().is_some_and(|t| !t.axes.is_empty());
            let svgs =
                el.find("figure").iter().flat_map(|f| f.elements()).filter(|e| e.name == "svg").count();
            assert_eq!(svgs, usize::from(charted), "{name}/{}", s.id);
        }
    }
}

#[test]
fn maps_need_boundaries_for_regions_not_for_countries() {
    let report = fixtures::geo();
    let html = formats::html(&report, &HtmlContext::for_report(&report));
    let root = markup::parse(&html).expect("well-formed");
    let secs = sections(&root);
    assert!(secs[0].find("svg").is_empty(), "no region map without boundaries");
    assert!(secs[0].find("p").iter().any(|p| p.has_class("missing-map")));
    assert_eq!(secs[1].find("figure").len(), 1, "flows use the built-in country outlines");
    // With boundaries, the regions of the data are on the map.
    let html = formats::html(&report, &util::ctx(&report));
    let root = markup::parse(&html).expect("well-formed");
    let map = &sections(&root)[0].find("svg")[0].text();
    assert!(map.contains("Norte"), "{map}");
}

#[test]
fn withheld_cells_show_c_with_a_reason() {
    let report = fixtures::key_indicators();
    let html = formats::html(&report, &util::ctx(&report));
    let root = markup::parse(&html).expect("well-formed");
    let tds: Vec<&Element> = root.find("td").into_iter().filter(|t| t.has_class("c")).collect();
    let withheld: usize = report
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .map(|t| t.cells.iter().filter(|c| c.value.is_none()).count())
        .sum();
    assert_eq!(tds.len(), withheld);
    assert!(tds.iter().all(|t| t.text() == "c"));
    let titles: Vec<&str> = tds.iter().filter_map(|t| t.attr("title")).collect();
    assert!(titles.contains(&"withheld: a small count (primary suppression)"));
    assert!(titles.iter().all(|t| !t.chars().any(|c| c.is_ascii_digit())), "no number in a title");
    // Totals are styled.
    assert!(root.find("tr").iter().any(|r| r.has_class("total")));
    assert!(root.find("th").iter().any(|r| r.has_class("total")));
}

#[test]
fn numbers_in_the_report_language() {
    let report = fixtures::time_frame();
    let html = formats::html(&report, &util::ctx(&report));
    let root = markup::parse(&html).expect("well-formed");
    let cells: Vec<String> =
        root.find("td").iter().filter(|t| t.has_class("num")).map(|t| t.text()).collect();
    assert!(cells.iter().any(|c| c.contains('\u{202F}')), "Portuguese grouping: {cells:?}");
    assert!(html.contains("<html lang=\"pt\">"));
    assert!(html.contains("Variação"));
}

#[test]
fn change_against_the_previous_period() {
    let report = fixtures::time_frame();
    let t = report.sections[0].table.as_ref().expect("table");
    let total = |period: &str| t.cell(&[period, "_T"]).and_then(|c| c.value).expect("value");
    let html = formats::html(&report, &HtmlContext { lang: charts::Lang::En, regions: None });
    let root = markup::parse(&html).expect("well-formed");
    let changes: Vec<String> =
        root.find("td").iter().filter(|t| t.has_class("chg")).map(|t| t.text()).collect();
    assert_eq!(changes.len(), 6);
    assert_eq!(changes[0], "", "first period");
    let d = total("2024-Q2") as i64 - total("2024-Q1") as i64;
    let pct = d as f64 / total("2024-Q1") as f64 * 100.0;
    let sign = if d > 0 { "+" } else { "" };
    assert_eq!(
        changes[1],
        format!(
            "{sign}{} ({sign}{}%)",
            charts::format::number(d as f64, 0, charts::Lang::En),
            charts::format::number(pct, 1, charts::Lang::En)
        )
    );
    let q4 = charts::format::number(total("2024-Q4") as f64, 0, charts::Lang::En);
    assert_eq!(changes[2], format!("+{q4}"), "2024-Q3 had nobody: against 0, without a percentage");
    assert!(changes[3].starts_with('−') || changes[3].starts_with('+'), "{changes:?}");
    assert_eq!(changes[5], "", "total row");
}

#[test]
fn change_is_blank_when_a_value_is_withheld() {
    let mut report = fixtures::time_frame();
    let t = report.sections[0].table.as_mut().expect("table");
    let idx = t.index(&[1, 3]);
    t.cells[idx].value = None;
    t.cells[idx].flag = stats::Flag::Primary;
    let html = formats::html(&report, &util::ctx(&report));
    let root = markup::parse(&html).expect("well-formed");
    let changes: Vec<String> =
        root.find("td").iter().filter(|t| t.has_class("chg")).map(|t| t.text()).collect();
    assert_eq!(changes[1], "", "2024-Q2 withheld");
}

#[test]
fn text_is_escaped() {
    let report = fixtures::quality();
    let html = formats::html(&report, &util::ctx(&report));
    assert!(html.contains("Associação &quot;Porto Seguro&quot;, &lt;Norte&gt; &amp; Ilhas"));
    assert!(html.contains("<title>Data quality (2025) &lt;draft&gt; &amp; &quot;final&quot;</title>"));
    assert!(!html.contains("<Norte>") && !html.contains("<draft>"));
    let root = markup::parse(&html).expect("well-formed");
    let heads: Vec<String> = root.find("h1").iter().map(|h| h.text()).collect();
    assert_eq!(heads, ["Data quality (2025) <draft> & \"final\""]);
}

#[test]
fn cell_key_reports_mark_every_value_alike() {
    let report = fixtures::time_frame();
    let html = formats::html(&report, &util::ctx(&report));
    let root = markup::parse(&html).expect("well-formed");
    let tables = root.find("table");
    assert!(tables.iter().all(|t| t.attr("title").is_some_and(|x| x.contains("chave de célula"))));
    assert!(root.find("td").iter().all(|t| t.attr("title").is_none()), "no cell is told apart");
    assert!(root.find("caption").iter().any(|c| c.has_class("ckm")));
}
