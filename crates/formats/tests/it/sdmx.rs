//! SDMX-CSV 2.0 (column order, totals, frequencies, confidentiality statuses) and the SDMX-ML
//! 2.1 structure message (well-formed, the DSD and its codelists).

use formats::{Error, SDMX_COLUMNS, StructureId};
use reports::Method;

use crate::fixtures;

const ID: &str = "PT_OTSH:DF_THB_KEY(1.0)";

fn rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|x| x.expect("record").iter().map(str::to_string).collect()).collect()
}

#[test]
fn columns_exactly_as_the_domain_reference() {
    let text = formats::sdmx_csv(&fixtures::key_indicators(), ID).expect("sdmx");
    let header = text.split("\r\n").next().expect("header");
    assert_eq!(
        header,
        "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,LEG_STAT,SEX,AGE,CITIZEN,EXPLOIT,REG_ORG,VICT_CAT,\
         TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,CONF_STATUS"
    );
    assert_eq!(SDMX_COLUMNS.join(","), header);
    assert!(rows(&text).iter().all(|r| r.len() == 18));
}

#[test]
fn one_observation_per_cell_with_totals_and_statuses() {
    let report = fixtures::key_indicators();
    let text = formats::sdmx_csv(&report, ID).expect("sdmx");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let cells: usize = report.sections.iter().filter_map(|s| s.table.as_ref()).map(|t| t.cells.len()).sum();
    assert_eq!(lines.len(), 1 + cells);
    for expected in [
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_03,PER_VICT,F,TOTAL,TOTAL,TOTAL,TOTAL,TOTAL,2025,,NR,A,D",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_03,PER_VICT,M,TOTAL,TOTAL,TOTAL,TOTAL,TOTAL,2025,,NR,A,A",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_03,PER_VICT,UNK,TOTAL,TOTAL,TOTAL,TOTAL,TOTAL,2025,0,NR,A,F",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_03,PER_VICT,T,TOTAL,TOTAL,TOTAL,TOTAL,TOTAL,2025,45,NR,A,F",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_04,PER_VICT,T,Y_GE18,TOTAL,TOTAL,TOTAL,TOTAL,2025,41,NR,A,F",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_04,PER_VICT,M,Y_LT18,TOTAL,TOTAL,TOTAL,TOTAL,2025,0,NR,A,F",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,V1_05,PER_VICT,T,TOTAL,TOTAL,ICCS02041,TOTAL,TOTAL,2025,20,NR,A,F",
        "dataflow,PT_OTSH:DF_THB_KEY(1.0),I,A,PT,S2_02,PER_SUSP,T,TOTAL,TOTAL,TOTAL,TOTAL,TOTAL,2025,17,NR,A,F",
    ] {
        assert!(lines.contains(&expected), "missing: {expected}\n{text}");
    }
    // Keys are unique.
    let mut keys: Vec<String> = rows(&text).iter().skip(1).map(|r| r[3..14].join(".")).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
}

#[test]
fn quarters_are_provisional() {
    let text = formats::sdmx_csv(&fixtures::key_indicators_quarter(), ID).expect("sdmx");
    let r = rows(&text);
    assert!(r.iter().skip(1).all(|x| x[3] == "Q" && x[13] == "2025-Q2" && x[16] == "P"));
    assert!(text.contains(",V1_04,PER_VICT,M,Y_LT18,TOTAL,TOTAL,TOTAL,TOTAL,2025-Q2,0,NR,P,F\r\n"));
}

#[test]
fn cell_key_values_are_free_with_the_usual_status() {
    let mut report = fixtures::key_indicators();
    for s in &mut report.sections {
        if let Some(t) = &mut s.table {
            t.publish_exact();
            fixtures::perturb(t);
        }
    }
    report.meta.disclosure.method = Method::CellKey;
    let r = rows(&formats::sdmx_csv(&report, ID).expect("sdmx"));
    assert!(r.iter().skip(1).all(|x| x[17] == "F" && x[16] == "A" && !x[14].is_empty()));
}

#[test]
fn only_key_indicator_sections() {
    let text = formats::sdmx_csv(&fixtures::geo(), ID).expect("sdmx");
    assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 1, "header only");
}

#[test]
fn errors() {
    assert!(matches!(
        formats::sdmx_csv(&fixtures::key_indicators(), "DF_THB_KEY"),
        Err(Error::StructureId(_))
    ));
    let mut r = fixtures::key_indicators();
    r.spec.period = Some("2024-01-01..2025-06-30".into());
    assert!(matches!(formats::sdmx_csv(&r, ID), Err(Error::Period(_))));
    let mut r = fixtures::key_indicators();
    if let Some(k) = &mut r.sections[0].sdmx {
        k.axes = vec![""];
    }
    assert!(matches!(formats::sdmx_csv(&r, ID), Err(Error::Sdmx { .. })));
    assert_eq!(
        StructureId::parse(ID).expect("id"),
        StructureId { agency: "PT_OTSH".into(), id: "DF_THB_KEY".into(), version: "1.0".into() }
    );
    for bad in ["PT_OTSH:DF_THB_KEY", "PT OTSH:DF(1.0)", ":DF(1.0)", "A:B(1.x)", "A:B()"] {
        assert!(StructureId::parse(bad).is_err(), "{bad}");
    }
}

fn named<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    local: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(move |n| n.tag_name().name() == local)
}

#[test]
fn structure_is_well_formed_and_describes_the_dsd() {
    let xml =
        formats::sdmx_structure(ID, model::Codelists::embedded(), fixtures::GENERATED_AT).expect("structure");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "Structure");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message")
    );
    let named = |local: &'static str| named(&doc, local);
    let dims: Vec<&str> = named("Dimension").filter_map(|n| n.attribute("id")).collect();
    assert_eq!(
        dims,
        [
            "FREQ",
            "REF_AREA",
            "INDICATOR",
            "LEG_STAT",
            "SEX",
            "AGE",
            "CITIZEN",
            "EXPLOIT",
            "REG_ORG",
            "VICT_CAT"
        ]
    );
    assert_eq!(named("TimeDimension").filter_map(|n| n.attribute("position")).collect::<Vec<_>>(), ["11"]);
    let attrs: Vec<&str> = named("Attribute").filter_map(|n| n.attribute("id")).collect();
    assert_eq!(attrs, ["UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"]);
    assert_eq!(named("PrimaryMeasure").filter_map(|n| n.attribute("id")).next(), Some("OBS_VALUE"));
    let flow = named("Dataflow").next().expect("dataflow");
    assert_eq!(
        (flow.attribute("id"), flow.attribute("agencyID"), flow.attribute("version")),
        (Some("DF_THB_KEY"), Some("PT_OTSH"), Some("1.0"))
    );
    assert_eq!(named("DataStructure").next().and_then(|n| n.attribute("id")), Some("DSD_THB_KEY"));
    // Every enumerated component points at a codelist that is in the message.
    let lists: Vec<&str> = named("Codelist").filter_map(|n| n.attribute("id")).collect();
    for r in named("Enumeration").flat_map(|e| e.children().filter(|c| c.is_element())) {
        assert!(lists.contains(&r.attribute("id").expect("ref id")), "{:?}", r.attribute("id"));
    }
    // Codes the observations use are in their lists, with Portuguese names where the bundle has them.
    let codes = |list: &str| -> Vec<String> {
        named("Codelist")
            .find(|n| n.attribute("id") == Some(list))
            .map(|l| l.children().filter_map(|c| c.attribute("id").map(str::to_string)).collect())
            .unwrap_or_default()
    };
    for (list, code) in [
        ("CL_SEX", "T"),
        ("CL_SEX", "UNK"),
        ("CL_AGE", "TOTAL"),
        ("CL_CITIZEN", "NAT"),
        ("CL_CITIZEN", "BR"),
        ("CL_EXPLOIT", "TOTAL"),
        ("CL_EXPLOIT", "ICCS02041"),
        ("CL_REG_ORG", "TOTAL"),
        ("CL_VICT_CAT", "TOTAL"),
        ("CL_INDICATOR", "S2_02"),
        ("CL_CONF_STATUS", "D"),
        ("CL_OBS_STATUS", "P"),
        ("CL_AREA", "PT"),
        ("CL_FREQ", "Q"),
        ("CL_UNIT", "NR"),
    ] {
        assert!(codes(list).iter().any(|c| c == code), "{list} lacks {code}");
    }
    let female = named("Code").find(|n| n.attribute("id") == Some("F")).expect("F");
    let pt = female
        .children()
        .find(|c| {
            c.tag_name().name() == "Name"
                && c.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("pt")
        })
        .and_then(|c| c.text());
    assert_eq!(pt, Some("Feminino"));
    assert!(xml.contains(&format!("<mes:Prepared>{}</mes:Prepared>", fixtures::GENERATED_AT)));
}
