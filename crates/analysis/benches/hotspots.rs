//! Criterion benchmark: Getis-Ord Gi* with 999 permutations on a synthetic 37 × 37 grid of unit
//! squares (1,369 regions, about the 1,345 NUTS 3 regions), neighbours built from the squares.

use analysis::{Contiguity, LocalOptions, RegionShape, Weights, getis_ord};
use criterion::{Criterion, criterion_group, criterion_main};

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

fn benches(c: &mut Criterion) {
    let shapes = grid(37);
    let values: Vec<Option<f64>> = (0..shapes.len()).map(|i| Some(((i * 7919) % 101) as f64)).collect();
    let mut g = c.benchmark_group("hotspots");
    g.sample_size(10);
    g.bench_function("queen_weights_37x37", |b| {
        b.iter(|| Weights::from_shapes(&shapes, Contiguity::Queen, 1e-6).expect("weights"))
    });
    let w = Weights::from_shapes(&shapes, Contiguity::Queen, 1e-6).expect("weights");
    g.bench_function("gi_star_999_37x37", |b| {
        b.iter(|| getis_ord(&w, &values, &LocalOptions::default()).expect("gi*"))
    });
    g.finish();
}

criterion_group!(hotspot_benches, benches);
criterion_main!(hotspot_benches);
