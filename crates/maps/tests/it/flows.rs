//! Flow map SVG: golden file, bends, self-flows, suppression, missing codes, determinism.

use maps::{Flow, FlowSpec, Lang, render_flows};

use crate::{assert_self_contained, fixture_boundaries, golden};

fn spec() -> FlowSpec {
    let mut spec = FlowSpec::new("Victims by region of recruitment and exploitation (test)");
    spec.legend_title = Some("Persons".to_owned());
    spec.note = Some("Hand-made regions.".to_owned());
    spec.label_top = 2;
    spec.flows = vec![
        Flow::new("PT11", "PT17", 120.0),
        Flow::new("PT17", "PT11", 40.0),
        Flow::new("PT16", "PT16", 75.0),
        Flow::confidential("PT16", "PT11"),
        Flow::new("BR", "PT17", 30.0),
        Flow::new("PT17", "UA", 3.0),
        Flow::new("PT11", "PT16", 0.0),
        Flow::new("PT16", "PT17", 10.0),
    ];
    spec
}

/// The `Q` control point and end of every curve, in document order.
fn curves(svg: &str) -> Vec<(f64, f64, f64, f64, f64, f64)> {
    svg.split(r#"<path d="M"#)
        .skip(1)
        .filter_map(|s| {
            let d = &s[..s.find('"')?];
            let (start, rest) = d.split_once('Q')?;
            let (c, e) = rest.split_once(' ')?;
            let p = |t: &str| -> Option<(f64, f64)> {
                let (x, y) = t.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            };
            let (s0, c0, e0) = (p(start)?, p(c)?, p(e)?);
            Some((s0.0, s0.1, c0.0, c0.1, e0.0, e0.1))
        })
        .collect()
}

#[test]
fn golden_flow_map() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let svg = render_flows(&b, &spec());
    assert_self_contained(&svg);
    assert!(svg.contains("Not on the map: BR, UA"));
    assert!(svg.contains(r#"stroke-dasharray="4 3""#), "confidential flow is dashed");
    assert!(svg.contains("<title>Centro \u{2192} Norte: confidential</title>"));
    assert!(svg.contains("<title>Centro: 75</title><circle"), "self-flow circle");
    assert!(svg.contains(r#"stroke-width="16""#), "the largest flow is 16 px wide");
    assert!(!svg.contains("Centro \u{2192} Norte: 0"), "zero flows are not drawn");
    // Two labels: the two largest (120 and the 75 self-flow).
    assert_eq!(svg.matches(r#"paint-order="stroke">"#).count(), 2);
    assert!(svg.contains(r#"paint-order="stroke">120</text>"#));
    assert!(svg.contains(r#"paint-order="stroke">75</text>"#));
    golden("flows.svg", &svg);
}

#[test]
fn opposite_flows_bend_to_opposite_sides() {
    let b = fixture_boundaries("nuts_pt_4326.geojson");
    let mut s = FlowSpec::new("t");
    s.flows = vec![Flow::new("PT11", "PT17", 10.0), Flow::new("PT17", "PT11", 10.0)];
    let svg = render_flows(&b, &s);
    let c = curves(&svg);
    assert_eq!(c.len(), 2);
    let (a, r) = (c[0], c[1]);
    // Same ends, swapped.
    assert!((a.0 - r.4).abs() < 40.0 && (a.1 - r.5).abs() < 40.0);
    // Control points on either side of the straight line between the centroids.
    let side = |px: f64, py: f64| (a.4 - a.0) * (py - a.1) - (a.5 - a.1) * (px - a.0);
    assert!(side(a.2, a.3) * side(r.2, r.3) < 0.0, "{c:?}");
}

#[test]
fn order_of_input_does_not_matter() {
    let b = fixture_boundaries("nuts_pt_3035.geojson");
    let a = render_flows(&b, &spec());
    let mut reversed = spec();
    reversed.flows.reverse();
    assert_eq!(a, render_flows(&b, &reversed));
}

#[test]
fn duplicates_add_up_and_suppression_wins() {
    let b = fixture_boundaries("nuts_pt_3035.geojson");
    let mut s = FlowSpec::new("t");
    s.lang = Lang::Pt;
    s.flows = vec![
        Flow::new("PT11", "PT17", 1000.0),
        Flow::new("PT11", "PT17", 500.0),
        Flow::new("PT16", "PT17", 5.0),
        Flow::confidential("PT16", "PT17"),
    ];
    let svg = render_flows(&b, &s);
    assert!(svg.contains("<title>Norte \u{2192} Área Metropolitana de Lisboa: 1\u{202f}500</title>"));
    assert!(svg.contains("<title>Centro \u{2192} Área Metropolitana de Lisboa: confidencial</title>"));
    assert!(svg.contains(">Confidencial</text>"));
    assert!(!svg.contains("Fora do mapa"));
}

#[test]
fn no_flows_still_renders_the_base_map() {
    let b = fixture_boundaries("nuts_pt_3035.geojson");
    let svg = render_flows(&b, &FlowSpec::new("Nothing"));
    assert_self_contained(&svg);
    assert_eq!(svg.matches("<path data-code=").count(), 3);
}
