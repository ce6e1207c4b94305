//! Writes sample maps from the built-in outlines: a world and a Europe choropleth and a
//! Europe flow map, to the directory given (default `/tmp`).
//!
//! `cargo run -p maps --example world -- [DIR]`

use maps::{Cell, ChoroplethSpec, Fit, Flow, FlowSpec, Lang, europe, render_choropleth, render_flows, world};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "/tmp".to_owned());
    let w = world();
    let mut spec = ChoroplethSpec::new("Victims by citizenship (synthetic values)");
    spec.fit = Fit::All;
    spec.legend_title = Some("Persons".to_owned());
    for (i, r) in w.regions.iter().enumerate() {
        if r.code == "AQ" {
            continue;
        }
        let cell = if i % 11 == 0 {
            Cell::confidential()
        } else if i % 13 == 0 {
            Cell::default()
        } else {
            Cell::value((i * 37 % 500) as f64)
        };
        spec.values.insert(r.code.clone(), cell);
    }
    std::fs::write(format!("{dir}/maps-world.svg"), render_choropleth(&w, &spec))?;

    let e = europe();
    let mut spec = ChoroplethSpec::new("Vítimas registadas por país (valores sintéticos)");
    spec.lang = Lang::Pt;
    spec.decimals = 1;
    spec.legend_title = Some("Por 100 000 habitantes".to_owned());
    for (i, c) in [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
        "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]
    .iter()
    .enumerate()
    {
        let cell = if *c == "LU" {
            Cell::confidential()
        } else if *c == "CY" {
            Cell::default()
        } else {
            Cell::value(i as f64 * 123.45 % 97.0)
        };
        spec.values.insert((*c).to_owned(), cell);
    }
    spec.values.insert("XX".to_owned(), Cell::value(3.0));
    std::fs::write(format!("{dir}/maps-europe.svg"), render_choropleth(&e, &spec))?;

    let mut spec = FlowSpec::new("Victims by citizenship and country of exploitation (synthetic)");
    spec.legend_title = Some("Persons".to_owned());
    spec.note = Some("Circles: victims exploited in their own country.".to_owned());
    spec.flows = vec![
        Flow::new("RO", "DE", 420.0),
        Flow::new("RO", "IT", 250.0),
        Flow::new("BG", "DE", 130.0),
        Flow::new("PT", "ES", 60.0),
        Flow::new("ES", "PT", 45.0),
        Flow::new("NG", "IT", 300.0),
        Flow::new("BR", "PT", 80.0),
        Flow::new("PT", "PT", 150.0),
        Flow::new("FR", "FR", 90.0),
        Flow::new("UA", "PL", 75.0),
        Flow::confidential("MT", "IT"),
        Flow::confidential("LU", "LU"),
        Flow::new("HU", "AT", 20.0),
    ];
    std::fs::write(format!("{dir}/maps-flows.svg"), render_flows(&e, &spec))?;
    Ok(())
}
