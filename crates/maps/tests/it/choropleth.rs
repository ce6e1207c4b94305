//! Choropleth SVG: golden files, classification, formatting and the self-containment rules.

use maps::{Cell, ChoroplethSpec, Fit, Lang, format_number, natural_breaks, render_choropleth};

use crate::{assert_self_contained, fixture_boundaries, golden};

fn pt_spec() -> ChoroplethSpec {
    let mut spec = ChoroplethSpec::new("Vítimas registadas por região NUTS 2");
    spec.subtitle = Some("Portugal, 2024 (dados fictícios)".to_owned());
    spec.note = Some("Fonte: dados de teste.\nRegiões desenhadas à mão.".to_owned());
    spec.legend_title = Some("Pessoas".to_owned());
    spec.lang = Lang::Pt;
    spec.decimals = 1;
    spec.classes = 3;
    spec.values.insert("PT11".into(), Cell { value: Some(1234.5), flag: Some("p".into()) });
    spec.values.insert("PT16".into(), Cell::confidential());
    spec.values.insert("PT17".into(), Cell::value(87.25));
    spec.values.insert("PT18".into(), Cell::value(12.0));
    spec
}

#[test]
fn golden_portuguese_lonlat_fixture() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let svg = render_choropleth(&b, &pt_spec());
    assert_self_contained(&svg);
    assert!(svg.contains("<title>Norte (PT11): 1\u{202f}234,5 (p)</title>"), "{svg}");
    assert!(svg.contains("<title>Centro (PT16): confidencial</title>"));
    assert!(svg.contains(r#"fill="url(#mosy-map-hatch)""#));
    assert!(svg.contains(">Confidencial</text>"));
    assert!(svg.contains("Fora do mapa: PT18"));
    assert!(svg.contains(r#"lang="pt""#));
    assert!(!svg.contains("Sem dados"), "every region has a cell");
    golden("choropleth_pt.svg", &svg);
}

#[test]
fn golden_english_laea_fixture() {
    let b = fixture_boundaries("nuts_pt_3035.geojson");
    let mut spec = ChoroplethSpec::new("Registered victims by NUTS 2 region <test> & more");
    spec.values.insert("PT11".into(), Cell::value(1500.0));
    spec.values.insert("PT16".into(), Cell::default());
    spec.values.insert("PT17".into(), Cell::value(40.0));
    spec.id_prefix = "map one!".into();
    let svg = render_choropleth(&b, &spec);
    assert_self_contained(&svg);
    assert!(svg.contains("Registered victims by NUTS 2 region &lt;test&gt; &amp; more"));
    assert!(svg.contains("<title>Centro (PT16): no data</title>"));
    assert!(svg.contains(">No data</text>"));
    assert!(svg.contains(">1,500</text>"));
    assert!(svg.contains(r#"id="mapone-clip""#));
    golden("choropleth_en.svg", &svg);
}

#[test]
fn rendering_is_deterministic() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let a = render_choropleth(&b, &pt_spec());
    // Insert the values in another order.
    let mut spec = pt_spec();
    let values: Vec<_> = spec.values.clone().into_iter().rev().collect();
    spec.values.clear();
    spec.values.extend(values);
    assert_eq!(a, render_choropleth(&b, &spec));
    assert_eq!(a, render_choropleth(&fixture_boundaries("nuts_pt_4326.geojson"), &pt_spec()));
}

#[test]
fn fit_to_data_or_all() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let mut spec = ChoroplethSpec::new("t");
    spec.values.insert("PT17".into(), Cell::value(1.0));
    let data = render_choropleth(&b, &spec);
    spec.fit = Fit::All;
    let all = render_choropleth(&b, &spec);
    assert_ne!(data, all);
    // Regions without a cell are pale context, not "no data".
    assert!(!data.contains("No data"));
    assert!(data.contains("<title>Norte (PT11)</title>") || !data.contains("PT11"));
}

#[test]
fn empty_inputs_do_not_panic() {
    let empty = maps::Boundaries { crs: maps::DisplayCrs::Laea, regions: Vec::new() };
    let svg = render_choropleth(&empty, &ChoroplethSpec::new(""));
    assert_self_contained(&svg);
    let mut spec = ChoroplethSpec::new("x");
    spec.values.insert("PT11".into(), Cell::value(f64::NAN));
    spec.classes = 0;
    assert_self_contained(&render_choropleth(&fixture_boundaries("nuts_pt_3035.geojson"), &spec));
}

#[test]
fn jenks_breaks() {
    let v = [1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 20.0, 21.0, 22.0];
    assert_eq!(natural_breaks(&v, 3), [(1.0, 3.0), (10.0, 12.0), (20.0, 22.0)]);
    assert_eq!(natural_breaks(&v, 1), [(1.0, 22.0)]);
    assert_eq!(natural_breaks(&[5.0, 5.0, 5.0], 4), [(5.0, 5.0)]);
    assert!(natural_breaks(&[], 5).is_empty());
    assert_eq!(natural_breaks(&[f64::NAN, 1.0, f64::INFINITY, 3.0], 5), [(1.0, 1.0), (3.0, 3.0)]);
    // Equal values never straddle classes.
    let v = [1.0, 1.0, 1.0, 1.0, 2.0, 9.0, 9.0, 10.0];
    let b = natural_breaks(&v, 2);
    assert_eq!(b, [(1.0, 2.0), (9.0, 10.0)]);
    assert_eq!(natural_breaks(&[3.0, 1.0, 2.0], 20).len(), 3);
    // At most 9 classes; many distinct values are grouped, still ordered and disjoint.
    let many: Vec<f64> = (0..5000).map(|i| f64::from((i * 7919) % 5003) * 1.5).collect();
    let b = natural_breaks(&many, 12);
    assert_eq!(b.len(), 9);
    for w in b.windows(2) {
        assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0);
    }
    assert_eq!(b, natural_breaks(&many, 9));
}

#[test]
fn numbers() {
    assert_eq!(format_number(1234.5, 1, Lang::En), "1,234.5");
    assert_eq!(format_number(1234.5, 1, Lang::Pt), "1\u{202f}234,5");
    assert_eq!(format_number(1_234_567.0, 0, Lang::En), "1,234,567");
    assert_eq!(format_number(-1234.56, 1, Lang::Pt), "\u{2212}1\u{202f}234,6");
    assert_eq!(format_number(-0.04, 1, Lang::En), "0.0");
    assert_eq!(format_number(999.0, 0, Lang::En), "999");
    assert_eq!(format_number(f64::NAN, 0, Lang::En), "\u{2013}");
}
