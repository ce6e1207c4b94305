//! Properties every chart must have: well-formed, deterministic, escaped, self-contained,
//! accessible, honest about suppressed and missing values.

use charts::{
    ChartSpec, Lang, Orientation, PALETTE, Series, Value, bars, lines, pyramid, sparkline, stacked_bars,
};

use crate::fixtures;
use crate::golden::cases;
use crate::xml::{Element, tree};

/// Bars drawn for data: rectangles filled with a palette colour (legend swatches excluded).
fn data_rects(root: &Element) -> Vec<&Element> {
    root.find("rect")
        .into_iter()
        .filter(|r| r.attr("fill").is_some_and(|f| PALETTE.contains(&f)) && r.attr("class") != Some("swatch"))
        .collect()
}

#[test]
fn every_chart_is_well_formed_and_accessible() {
    for (name, svg) in cases() {
        let root = tree(&svg);
        assert_eq!(root.name, "svg", "{name}");
        assert_eq!(root.attr("xmlns"), Some("http://www.w3.org/2000/svg"), "{name}");
        assert_eq!(root.attr("role"), Some("img"), "{name}");
        let title = root.find("title").first().map(|t| t.text()).unwrap_or_default();
        assert!(!title.is_empty(), "{name}: no title");
        assert!(!root.find("desc").is_empty(), "{name}: no desc");
        let labelled = root.attr("aria-labelledby").expect("aria-labelledby");
        assert!(
            root.all().iter().any(|e| e.attr("id") == Some(labelled)),
            "{name}: dangling aria-labelledby"
        );
        assert_eq!(root.attr("font-family"), Some("sans-serif"), "{name}");
    }
}

#[test]
fn only_sans_serif_and_no_external_references() {
    for (name, svg) in cases() {
        assert_eq!(svg.matches("http").count(), 1, "{name}: only the SVG namespace may be a URL");
        assert!(svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{name}");
        for banned in
            ["href", "@import", "<image", "<script", "<style", "<foreignObject", "url(http", "data:"]
        {
            assert!(!svg.contains(banned), "{name}: contains {banned}");
        }
        for e in tree(&svg).all() {
            if let Some(f) = e.attr("font-family") {
                assert_eq!(f, "sans-serif", "{name}");
            }
            if let Some(fill) = e.attr("fill").filter(|f| f.starts_with("url(")) {
                assert!(fill.starts_with("url(#"), "{name}: {fill}");
            }
        }
    }
}

#[test]
fn rendering_is_deterministic() {
    let first = cases();
    let second = cases();
    assert_eq!(first, second);
    let ids: Vec<String> = first
        .iter()
        .map(|(_, svg)| tree(svg).find("title")[0].attr("id").unwrap_or_default().to_owned())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids must differ between charts inlined in one page");
}

fn hostile(lang: Lang) -> ChartSpec {
    let evil = "<script>&\"";
    ChartSpec {
        title: format!("{evil} title'"),
        subtitle: Some(evil.to_owned()),
        categories: vec![evil.to_owned(), "plain".to_owned()],
        series: vec![
            Series { name: evil.to_owned(), values: vec![Value::new(3.0).with_flag(evil), Value::new(5.0)] },
            Series { name: "B".to_owned(), values: vec![Value::new(2.0), Value::new(1.0)] },
        ],
        y_label: Some(evil.to_owned()),
        lang,
        width: 480,
        height: 300,
    }
}

#[test]
fn text_from_data_is_escaped() {
    let spec = hostile(Lang::En);
    let mut svgs = vec![
        bars(&spec, Orientation::Vertical),
        bars(&spec, Orientation::Horizontal),
        stacked_bars(&spec, Orientation::Vertical),
        stacked_bars(&spec, Orientation::Horizontal),
        lines(&spec, None),
    ];
    let mut p = fixtures::pyramid_counts(Lang::En);
    p.age_groups[0] = "<script>&\"".to_owned();
    p.title = "<script>&\"".to_owned();
    svgs.push(pyramid(&p));
    for svg in svgs {
        assert!(!svg.contains("<script"), "raw markup from data");
        assert!(!svg.contains("&\""), "raw ampersand or quote from data");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;"), "escaped form missing");
        let root = tree(&svg);
        let texts: Vec<String> = root.all().iter().map(|e| e.text()).collect();
        assert!(texts.iter().any(|t| t.contains("<script>&\"")), "the unescaped text round-trips");
    }
}

#[test]
fn suppressed_values_are_never_bars_and_show_their_flag() {
    let spec = fixtures::victims_by_year(Lang::En);
    for svg in [bars(&spec, Orientation::Vertical), bars(&spec, Orientation::Horizontal)] {
        let root = tree(&svg);
        let rects = data_rects(&root);
        // Seven years: one suppressed, one missing, five numbers.
        assert_eq!(rects.len(), 5);
        assert!(rects.iter().all(|r| !r.tooltip().unwrap_or_default().contains("confidential")));
        let marks: Vec<&Element> =
            root.find("rect").into_iter().filter(|r| r.attr("class") == Some("suppressed")).collect();
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].tooltip().as_deref(), Some("2021 \u{2013} Victims: c (confidential)"));
        assert!(marks[0].attr("fill").is_some_and(|f| f.starts_with("url(#") && f.ends_with("-hatch)")));
        let texts: Vec<String> = root.find("text").iter().map(|t| t.own_text()).collect();
        assert!(texts.iter().any(|t| t == "c"), "flag letter shown");
        assert!(texts.iter().any(|t| t == "c = confidential (suppressed to protect persons)"), "note shown");
        let desc = root.find("desc")[0].text();
        assert!(desc.contains("2021: c (confidential)") && desc.contains("2023: no data"), "{desc}");
    }
}

#[test]
fn suppressed_values_in_stacks_lines_and_pyramids() {
    let stacked = tree(&stacked_bars(&fixtures::by_citizenship(Lang::En), Orientation::Vertical));
    assert_eq!(data_rects(&stacked).len(), 17, "18 cells, one suppressed");
    assert_eq!(stacked.find("rect").iter().filter(|r| r.attr("class") == Some("suppressed")).count(), 1);
    let totals: Vec<String> = stacked.find("text").iter().map(|t| t.own_text()).collect();
    assert!(!totals.contains(&"436".to_owned()), "no total for a stack with a suppressed part");

    let line = tree(&lines(&fixtures::trend(Lang::En), None));
    let points = line.find("circle").into_iter().filter(|c| c.attr("class") != Some("swatch")).count();
    assert_eq!(points, 18, "20 cells, one suppressed, one missing");
    assert_eq!(line.find("rect").iter().filter(|r| r.attr("class") == Some("suppressed")).count(), 1);

    let pyr = tree(&pyramid(&fixtures::pyramid_counts(Lang::Pt)));
    assert_eq!(data_rects(&pyr).len(), 19);
    let texts: Vec<String> = pyr.find("text").iter().map(|t| t.own_text()).collect();
    assert!(texts.iter().any(|t| t == "c = confidencial (suprimido para proteger as pessoas)"));
    assert!(texts.iter().any(|t| t == "Sexo desconhecido (não representado): 23"));
}

#[test]
fn every_bar_and_point_has_a_tooltip() {
    for (name, svg) in cases() {
        let root = tree(&svg);
        for e in data_rects(&root) {
            let t = e.tooltip().unwrap_or_default();
            assert!(t.contains(": "), "{name}: bar without tooltip");
        }
        if name.starts_with("lines") {
            for c in root.find("circle").into_iter().filter(|c| c.attr("class") != Some("swatch")) {
                assert!(c.tooltip().is_some_and(|t| t.contains(": ")), "{name}: point without tooltip");
            }
        }
    }
    let root = tree(&bars(&fixtures::victims_by_sex(Lang::Pt), Orientation::Vertical));
    let tips: Vec<String> = data_rects(&root).iter().filter_map(|r| r.tooltip()).collect();
    assert!(tips.contains(&"2024 \u{2013} Feminino: 744".to_owned()), "{tips:?}");
}

#[test]
fn value_labels_and_legend() {
    let root = tree(&bars(&fixtures::victims_by_year(Lang::En), Orientation::Vertical));
    let texts: Vec<String> = root.find("text").iter().map(|t| t.own_text()).collect();
    for label in ["1,184", "1,320", "1,745 p"] {
        assert!(texts.contains(&label.to_owned()), "missing label {label}: {texts:?}");
    }
    assert!(!texts.contains(&"Victims".to_owned()), "no legend for one series");
    let grouped = tree(&bars(&fixtures::victims_by_sex(Lang::En), Orientation::Vertical));
    let texts: Vec<String> = grouped.find("text").iter().map(|t| t.own_text()).collect();
    for name in ["Female", "Male", "Unknown"] {
        assert!(texts.contains(&name.to_owned()), "legend entry {name}");
    }
}

#[test]
fn long_labels_are_truncated_with_the_full_text_kept() {
    let root = tree(&bars(&fixtures::forms_of_exploitation(Lang::En), Orientation::Horizontal));
    let full = "Other forms of exploitation, including forced marriage and illegal adoption";
    let g = root
        .find("g")
        .into_iter()
        .find(|g| g.tooltip().as_deref() == Some(full))
        .expect("a group carrying the full label");
    let shown = g.own_text();
    assert!(shown.ends_with('\u{2026}') && shown.len() < full.len(), "{shown}");
}

#[test]
fn negative_bars_hang_from_the_zero_line() {
    let spec = fixtures::change_rates(Lang::En);
    for orientation in [Orientation::Vertical, Orientation::Horizontal] {
        let root = tree(&bars(&spec, orientation));
        let zero =
            root.find("line").into_iter().find(|l| l.attr("stroke") == Some("#4d4d4d")).expect("zero line");
        for r in data_rects(&root) {
            let negative = r.tooltip().unwrap_or_default().contains('\u{2212}');
            if orientation == Orientation::Vertical {
                let (top, bottom, z) = (r.num("y"), r.num("y") + r.num("height"), zero.num("y1"));
                let edge = if negative { top } else { bottom };
                assert!((edge - z).abs() < 0.02, "bar edge {edge} vs zero {z}");
            } else {
                let (left, right, z) = (r.num("x"), r.num("x") + r.num("width"), zero.num("x1"));
                let edge = if negative { right } else { left };
                assert!((edge - z).abs() < 0.02, "bar edge {edge} vs zero {z}");
            }
        }
    }
    let root = tree(&lines(&spec, None));
    let desc = root.find("desc")[0].text();
    assert!(desc.contains("2020: \u{2212}16.6"), "{desc}");
}

#[test]
fn empty_input_says_no_data() {
    let mut all_missing = fixtures::victims_by_year(Lang::Pt);
    all_missing.series[0].values = vec![Value::missing(); 7];
    let mut no_series = fixtures::victims_by_year(Lang::En);
    no_series.series.clear();
    let cases = [
        (bars(&fixtures::empty(Lang::En), Orientation::Horizontal), "no data"),
        (stacked_bars(&fixtures::empty(Lang::Pt), Orientation::Vertical), "sem dados"),
        (lines(&fixtures::empty(Lang::En), None), "no data"),
        (bars(&all_missing, Orientation::Vertical), "sem dados"),
        (lines(&no_series, None), "no data"),
    ];
    for (svg, words) in cases {
        let root = tree(&svg);
        assert!(root.find("text").iter().any(|t| t.own_text() == words), "{svg}");
        assert!(data_rects(&root).is_empty());
    }
    let mut p = fixtures::pyramid_counts(Lang::En);
    p.age_groups.clear();
    assert!(pyramid(&p).contains(">no data</text>"));
    let s = sparkline(&[None, None], 80, 16);
    assert!(tree(&s).find("title")[0].text().contains("no data"));
    assert!(tree(&sparkline(&[], 0, 0)).attr("width") == Some("8"));
}

#[test]
fn sparkline_marks_the_last_point_and_lists_values() {
    let svg = sparkline(&fixtures::spark_values(), 120, 24);
    let root = tree(&svg);
    let title = root.find("title")[0].text();
    assert!(title.contains("1,745") && title.contains("no data"), "{title}");
    let last = root.find("circle").into_iter().last().expect("last point");
    assert!((last.num("cx") - 117.5).abs() < 0.01);
    assert_eq!(root.find("path").len(), 2, "the gap splits the line");
    assert!(root.find("text").is_empty() && root.find("line").is_empty(), "no axes");
}

#[test]
fn projection_is_dashed_with_a_band_after_the_history() {
    let (spec, band) = fixtures::projection(Lang::Pt);
    let root = tree(&lines(&spec, Some(&band)));
    assert_eq!(root.find("polygon").len(), 1);
    let dashed: Vec<&Element> =
        root.find("path").into_iter().filter(|p| p.attr("stroke-dasharray").is_some()).collect();
    assert_eq!(dashed.len(), 1);
    let desc = root.find("desc")[0].text();
    assert!(desc.contains("projeção") && desc.contains("intervalo de previsão"), "{desc}");
    // Odd band input: mismatched lengths and out-of-range indices are tolerated.
    let odd = charts::Band {
        from_index: 12,
        point: vec![1.0, 2.0, 3.0],
        lower: vec![0.5],
        upper: vec![f64::NAN, 4.0],
    };
    tree(&lines(&spec, Some(&odd)));
}

#[test]
fn extreme_inputs_stay_well_formed() {
    let mut spec = fixtures::victims_by_year(Lang::En);
    spec.width = 0;
    spec.height = 0;
    spec.series[0].values[0] = Value::new(f64::NAN);
    spec.series[0].values[1] = Value::new(1e12);
    spec.categories.push("extra category without values".to_owned());
    tree(&bars(&spec, Orientation::Vertical));
    tree(&stacked_bars(&spec, Orientation::Horizontal));
    tree(&lines(&spec, None));
    let many: Vec<String> = (0..60).map(|i| format!("Category number {i}")).collect();
    let spec = ChartSpec {
        categories: many.clone(),
        series: vec![Series {
            name: "x".into(),
            values: (0..60).map(|i| Value::new(f64::from(i) * 1.5)).collect(),
        }],
        ..fixtures::victims_by_year(Lang::Pt)
    };
    for svg in [bars(&spec, Orientation::Vertical), lines(&spec, None), bars(&spec, Orientation::Horizontal)]
    {
        assert!(svg.contains('\u{2026}') || svg.contains("rotate("));
        tree(&svg);
    }
    assert!(!sparkline(&[Some(1.0)], 40, 12).is_empty());
    tree(&sparkline(&[Some(3.0), Some(3.0), Some(f64::INFINITY)], 40, 12));
}

/// A tiny deterministic generator (64-bit LCG), so the test needs no RNG crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn value(&mut self) -> Value {
        match self.below(12) {
            0 => Value::suppressed(),
            1 => Value::missing(),
            2 => Value::new(f64::NAN),
            3 => Value::new(-(self.below(5000) as f64) / 7.0),
            4 => Value::new(self.below(1_000_000_000) as f64),
            5 => Value::new(0.0).with_flag("e"),
            _ => Value::new(self.below(2000) as f64),
        }
    }

    fn label(&mut self) -> String {
        const PARTS: [&str; 8] =
            ["Norte", "<b>", "&amp;", "\"q\"", "Região Autónoma", "x", "\u{7}", "a very long label indeed"];
        (0..=self.below(3)).map(|_| PARTS[self.below(8) as usize]).collect::<Vec<_>>().join(" ")
    }
}

#[test]
fn random_inputs_always_give_well_formed_svg() {
    let mut g = Lcg(42);
    for round in 0..150 {
        let n_cat = g.below(14) as usize;
        let n_ser = g.below(5) as usize;
        let spec = ChartSpec {
            title: g.label(),
            subtitle: if g.below(2) == 0 { Some(g.label()) } else { None },
            categories: (0..n_cat).map(|_| g.label()).collect(),
            series: (0..n_ser)
                .map(|_| Series { name: g.label(), values: (0..g.below(16)).map(|_| g.value()).collect() })
                .collect(),
            y_label: if g.below(2) == 0 { Some(g.label()) } else { None },
            lang: if g.below(2) == 0 { Lang::En } else { Lang::Pt },
            width: g.below(1000) as u32,
            height: g.below(700) as u32,
        };
        let band = charts::Band {
            from_index: g.below(16) as usize,
            point: (0..g.below(5)).map(|_| g.below(3000) as f64).collect(),
            lower: (0..g.below(5)).map(|_| g.below(3000) as f64 - 500.0).collect(),
            upper: (0..g.below(5)).map(|_| g.below(3000) as f64 + 500.0).collect(),
        };
        let pyr = charts::PyramidSpec {
            title: g.label(),
            subtitle: None,
            age_groups: (0..n_cat).map(|_| g.label()).collect(),
            male: (0..n_cat).map(|_| g.value()).collect(),
            female: (0..g.below(14)).map(|_| g.value()).collect(),
            unknown_sex: if g.below(2) == 0 { Some(g.value()) } else { None },
            measure: if g.below(2) == 0 { charts::Measure::Count } else { charts::Measure::Percent },
            value_label: Some(g.label()),
            lang: spec.lang,
            width: spec.width,
            height: spec.height,
        };
        let spark: Vec<Option<f64>> = (0..g.below(30)).map(|_| g.value().value).collect();
        for svg in [
            bars(&spec, Orientation::Vertical),
            bars(&spec, Orientation::Horizontal),
            stacked_bars(&spec, Orientation::Vertical),
            stacked_bars(&spec, Orientation::Horizontal),
            lines(&spec, Some(&band)),
            lines(&spec, None),
            pyramid(&pyr),
            sparkline(&spark, spec.width / 4, spec.height / 10),
        ] {
            let root = crate::xml::parse(&svg).unwrap_or_else(|e| panic!("round {round}: {e}\n{svg}"));
            assert_eq!(svg.matches("http").count(), 1, "round {round}");
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "round {round}: non-finite number written");
            for e in root.all() {
                for (k, v) in &e.attrs {
                    if ["x", "y", "width", "height", "cx", "cy", "r", "x1", "x2", "y1", "y2"]
                        .contains(&k.as_str())
                    {
                        assert!(v.parse::<f64>().is_ok_and(f64::is_finite), "round {round}: {k}={v}");
                    }
                }
            }
        }
    }
}
