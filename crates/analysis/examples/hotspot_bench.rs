//! Times the hotspot analysis of issue 8 (Gi* with 999 permutations; median of 5 runs) on a
//! synthetic 37 × 37 grid (1,369 regions, reproducible) and, when a path is given, on the NUTS 3
//! regions of a GISCO GeoJSON file read at run time (never copied into the project: its licence
//! does not allow it). Run in release:
//! `cargo run --release -p analysis --example hotspot_bench [NUTS_RG_20M_2024_3035.geojson] [TOLERANCE_M]`.

use std::time::{Duration, Instant};

use analysis::{
    Class, Contiguity, LocalOptions, RegionShape, Weights, getis_ord, global_moran, local_moran,
    shapes_from_boundaries,
};
use maps::{ImportOptions, Simplify, import_geojson};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Synthetic values: a smooth bump plus code-derived noise, so that there are real clusters.
fn values(shapes: &[RegionShape]) -> Vec<Option<f64>> {
    let centres: Vec<(f64, f64)> = shapes
        .iter()
        .map(|s| {
            let pts: Vec<&(f64, f64)> = s.rings.iter().flatten().collect();
            let n = pts.len().max(1) as f64;
            (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n)
        })
        .collect();
    let (mx, my) = (
        centres.iter().map(|c| c.0).sum::<f64>() / centres.len() as f64,
        centres.iter().map(|c| c.1).sum::<f64>() / centres.len() as f64,
    );
    let spread = centres.iter().map(|c| (c.0 - mx).hypot(c.1 - my)).fold(0.0, f64::max).max(1e-9);
    centres
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let d = (c.0 - mx).hypot(c.1 - my) / spread;
            Some(20.0 * (-8.0 * d * d).exp() + ((i * 7919) % 13) as f64)
        })
        .collect()
}

fn report(label: &str, shapes: &[RegionShape], tolerance: f64) {
    let build = time(5, || Weights::from_shapes(shapes, Contiguity::Queen, tolerance).expect("weights"));
    let w = Weights::from_shapes(shapes, Contiguity::Queen, tolerance).expect("weights");
    let rook = Weights::from_shapes(shapes, Contiguity::Rook, tolerance).expect("weights");
    println!(
        "{label}: {} regions; queen {} pairs (mean {:.2} neighbours, {} islands), rook {} pairs; \
         queen weights built in {:?}",
        w.len(),
        w.pair_count(),
        w.mean_neighbours(),
        w.islands().len(),
        rook.pair_count(),
        build
    );
    let v = values(shapes);
    for threads in [1, 2] {
        let o = LocalOptions { threads: Some(threads), ..LocalOptions::default() };
        let t = time(5, || getis_ord(&w, &v, &o).expect("gi*"));
        let a = getis_ord(&w, &v, &o).expect("gi*");
        let hot = a.regions.iter().filter(|r| r.class == Class::HotSpot).count();
        let cold = a.regions.iter().filter(|r| r.class == Class::ColdSpot).count();
        let tl = time(5, || local_moran(&w, &v, &o).expect("moran"));
        let tg = time(5, || global_moran(&w, &v, &o).expect("moran"));
        println!(
            "  {threads} thread(s): Gi* 999 permutations {t:?} ({hot} hot, {cold} cold, {} without \
             neighbours); local Moran {tl:?}; global Moran {tg:?}",
            a.without_neighbours.len()
        );
    }
}

fn grid(side: usize) -> Vec<RegionShape> {
    let mut out = Vec::new();
    for r in 0..side {
        for c in 0..side {
            let (x, y) = (c as f64, r as f64);
            out.push(RegionShape {
                code: format!("R{r:02}C{c:02}"),
                rings: vec![vec![(x, y), (x + 1.0, y), (x + 1.0, y + 1.0), (x, y + 1.0), (x, y)]],
            });
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    report("synthetic 37 × 37 grid", &grid(37), 1e-6);
    let args: Vec<String> = std::env::args().collect();
    if let Some(path) = args.get(1) {
        let tolerance: f64 = args.get(2).map(|t| t.parse()).transpose()?.unwrap_or(1.0);
        let text = std::fs::read_to_string(path)?;
        let t = Instant::now();
        // No simplification: neighbours from the boundaries as published (LAEA metres).
        let options = ImportOptions { simplify: Simplify::Off, ..ImportOptions::default() };
        let imported = import_geojson(&text, &options)?;
        let level3 = imported.boundaries.at_level(3);
        let shapes = shapes_from_boundaries(&level3);
        println!("import of {path}: {:?}, {} vertices", t.elapsed(), imported.vertices_out);
        report(&format!("NUTS 3 (tolerance {tolerance} m)"), &shapes, tolerance);
        let w = Weights::from_shapes(&shapes, Contiguity::Queen, tolerance)?;
        println!("  islands: {}", w.island_codes().join(" "));
    }
    Ok(())
}
