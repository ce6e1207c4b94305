//! Imports a GeoJSON boundary file, reports time and sizes, and writes a sample choropleth.
//!
//! `cargo run --release -p maps --example import -- FILE.geojson [LEVEL] [OUT.svg] [WORDS...]`
//! Extra words: `noframe` (keep overseas parts), `all` (fit to all regions), `pt` (Portuguese),
//! `only=PREFIX` (values only for codes starting with PREFIX). The values are synthetic
//! (code-derived) and every seventh region is confidential.

use std::time::Instant;

use maps::{Cell, ChoroplethSpec, Fit, ImportOptions, Lang, LonLatBox, import_geojson, render_choropleth};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: import FILE.geojson [LEVEL] [OUT.svg]")?;
    let level: Option<u8> = args.get(2).map(|l| l.parse()).transpose()?;
    let out = args.get(3).cloned().unwrap_or_else(|| "/tmp/maps-import.svg".to_owned());
    let text = std::fs::read_to_string(path)?;
    let frame = if args.iter().any(|a| a == "noframe") { None } else { Some(LonLatBox::EUROPE) };
    let options = ImportOptions { frame, ..ImportOptions::default() };
    let t = Instant::now();
    let imported = import_geojson(&text, &options)?;
    let import_time = t.elapsed();
    let bytes = imported.boundaries.to_bytes();
    println!(
        "{} input bytes, {} regions, {} -> {} vertices, {} binary bytes, import {:.3} s, crs {:?}",
        text.len(),
        imported.boundaries.regions.len(),
        imported.vertices_in,
        imported.vertices_out,
        bytes.len(),
        import_time.as_secs_f64(),
        imported.source_crs
    );
    println!("outside frame: {:?}", imported.outside_frame);
    let layer = match level {
        Some(l) => imported.boundaries.at_level(l),
        None => imported.boundaries,
    };
    let mut spec = ChoroplethSpec::new("Registered victims by region (synthetic values)");
    spec.subtitle = Some("NUTS, 2024".to_owned());
    spec.note = Some(
        "Data source: GISCO – Eurostat (European Commission). Administrative boundaries: © EuroGeographics."
            .to_owned(),
    );
    spec.legend_title = Some("Persons".to_owned());
    spec.lang = if args.iter().any(|a| a == "pt") { Lang::Pt } else { Lang::En };
    spec.fit = if args.iter().any(|a| a == "all") { Fit::All } else { Fit::Data };
    let prefix = args.iter().find_map(|a| a.strip_prefix("only=")).unwrap_or("");
    for (i, r) in layer.regions.iter().enumerate() {
        if !r.code.starts_with(prefix) {
            continue;
        }
        let v = r.code.bytes().map(u64::from).fold(7u64, |a, b| (a * 31 + b) % 9973) as f64;
        let cell = if i % 7 == 3 { Cell::confidential() } else { Cell::value(v * 1.5) };
        spec.values.insert(r.code.clone(), cell);
    }
    let t = Instant::now();
    let svg = render_choropleth(&layer, &spec);
    println!("render {:.3} s, {} SVG bytes -> {out}", t.elapsed().as_secs_f64(), svg.len());
    std::fs::write(out, svg)?;
    Ok(())
}
