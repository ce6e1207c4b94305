//! Cell key method: p-table constraints, blocked small counts, zeros, determinism, consistency
//! across tables, and the empirical noise distribution.

use std::collections::BTreeMap;

use sdc::{CellKey, PTable, PTableParams, RecordKey, record_key};

/// Deterministic uniform 64-bit keys (SplitMix64).
fn keys(seed: u64, n: usize) -> Vec<CellKey> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            CellKey(z ^ (z >> 31))
        })
        .collect()
}

fn params() -> Vec<PTableParams> {
    vec![
        PTableParams::default(),
        PTableParams { d: 3, v: 1.5, js: 2 },
        PTableParams { d: 2, v: 1.0, js: 1 },
        PTableParams { d: 5, v: 3.0, js: 2 },
        PTableParams { d: 8, v: 3.0, js: 2 },
        PTableParams { d: 4, v: 1.5, js: 3 },
        PTableParams { d: 1, v: 0.5, js: 0 },
    ]
}

/// Every row of every table: a distribution over allowed targets, unbiased, variance V where
/// feasible (always in the rows with the full support), increasing cumulative bounds.
#[test]
fn every_row_meets_its_constraints() {
    for params in params() {
        let t = PTable::new(params).unwrap();
        let d = i64::from(params.d);
        assert_eq!(t.rows().len() as u32, params.js + params.d + 2, "{params:?}");
        for row in t.rows() {
            let sum: f64 = row.entries.iter().map(|e| e.p).sum();
            assert!((sum - 1.0).abs() < 1e-12, "{params:?} row {}", row.i);
            let mean: f64 = row.entries.iter().map(|e| e.p * e.v as f64).sum();
            let var: f64 = row.entries.iter().map(|e| e.p * (e.v as f64).powi(2)).sum();
            assert!(mean.abs() < 1e-9, "{params:?} row {} mean {mean}", row.i);
            assert!((var - row.variance).abs() < 1e-9);
            let mut last = 0.0;
            for e in &row.entries {
                let j = row.i as i64 + e.v;
                assert!(e.v.abs() <= d && j >= 0, "{params:?} row {} v {}", row.i, e.v);
                assert!(j == 0 || j > i64::from(params.js), "{params:?} row {} j {j}", row.i);
                assert!(e.p > 0.0 && e.p_ub >= last);
                last = e.p_ub;
            }
            assert_eq!(last, 1.0);
            if row.i == 0 {
                assert_eq!(row.entries.len(), 1);
                assert_eq!(row.entries[0].v, 0);
            }
            // Rows whose support is complete (and the last row, used for all larger counts)
            // meet V exactly; the small rows are within the feasible range and documented.
            if row.i > u64::from(params.js + params.d) {
                assert_eq!(row.entries.len() as i64, 2 * d + 1);
                assert!((row.variance - params.v).abs() < 1e-9, "{params:?}");
            } else if row.i > 0 {
                assert!(row.variance > 0.0);
            }
        }
    }
}

/// Counts 1..=js are never output; zeros stay zero; the output is within D.
#[test]
fn blocked_counts_and_zeros() {
    for params in params() {
        let t = PTable::new(params).unwrap();
        for key in keys(1, 3000) {
            assert_eq!(t.perturb(0, key), 0);
            for count in 1..40u64 {
                let out = t.perturb(count, key);
                assert!(out == 0 || out > u64::from(params.js), "{params:?} {count} -> {out}");
                assert!(out.abs_diff(count) <= u64::from(params.d));
            }
        }
    }
}

/// Same inputs, same outputs; the p-table itself is reproducible.
#[test]
fn deterministic() {
    let a = PTable::new(PTableParams::default()).unwrap();
    let b = PTable::new(PTableParams::default()).unwrap();
    assert_eq!(a, b);
    let ks = keys(2, 500);
    let first: Vec<u64> = ks.iter().map(|&k| a.perturb(17, k)).collect();
    let second: Vec<u64> = ks.iter().map(|&k| b.perturb(17, k)).collect();
    assert_eq!(first, second);
}

/// Record keys: keyed (the secret matters), stable (fixed vector), and cell keys do not depend
/// on the order of the records.
#[test]
fn record_and_cell_keys() {
    let k = record_key(b"test secret", b"unit-1");
    assert_eq!(k, record_key(b"test secret", b"unit-1"));
    assert_ne!(k, record_key(b"other secret", b"unit-1"));
    assert_ne!(k, record_key(b"test secret", b"unit-2"));
    // HMAC-SHA-256("test secret", "unit-1"), first 8 bytes big-endian.
    assert_eq!(k, RecordKey(RECORD_KEY_VECTOR));
    let rs: Vec<RecordKey> = (0..50).map(|i| record_key(b"s", format!("u{i}").as_bytes())).collect();
    let forward: CellKey = rs.iter().collect();
    let backward: CellKey = rs.iter().rev().collect();
    assert_eq!(forward, backward);
    let mut acc = CellKey::default();
    for &r in &rs {
        acc += r;
    }
    assert_eq!(acc, forward);
    assert!((0.0..1.0).contains(&forward.fraction()));
}

const RECORD_KEY_VECTOR: u64 = 5_638_795_024_731_447_855;

/// The same cell (same contributors) gets the same perturbed value in every table.
#[test]
fn same_cell_same_value_in_every_table() {
    let table = PTable::new(PTableParams::default()).unwrap();
    // Units with (sex, nationality, age group).
    let units: Vec<(RecordKey, [usize; 3])> = (0..400u32)
        .map(|i| {
            let attrs = [(i % 2) as usize, (i * 7 % 5) as usize, (i * 3 % 4) as usize];
            (record_key(b"secret", format!("victim-{i}").as_bytes()), attrs)
        })
        .collect();
    // Table 1: sex × nationality with margins; table 2: nationality × age with margins (units
    // visited in reverse order). Key = (table dims, codes), None for a total.
    let tabulate = |dims: [usize; 2], reverse: bool| {
        let mut cells: BTreeMap<[Option<usize>; 3], (u64, CellKey)> = BTreeMap::new();
        let order: Vec<&(RecordKey, [usize; 3])> =
            if reverse { units.iter().rev().collect() } else { units.iter().collect() };
        for (key, attrs) in order {
            for mask in 0..4u8 {
                let mut cell = [None; 3];
                for (bit, &d) in dims.iter().enumerate() {
                    if mask & (1 << bit) != 0 {
                        cell[d] = Some(attrs[d]);
                    }
                }
                let e = cells.entry(cell).or_insert((0, CellKey::default()));
                e.0 += 1;
                e.1 += *key;
            }
        }
        cells
    };
    let t1 = tabulate([0, 1], false);
    let t2 = tabulate([1, 2], true);
    let mut shared = 0;
    for (cell, (n1, k1)) in &t1 {
        if let Some((n2, k2)) = t2.get(cell) {
            assert_eq!((n1, k1), (n2, k2));
            assert_eq!(table.perturb(*n1, *k1), table.perturb(*n2, *k2));
            shared += 1;
        }
    }
    assert_eq!(shared, 6, "the nationality margin and the grand total");
}

/// Over many cells, the noise is unbiased with variance V (rows ≥ ncat) and each row's
/// empirical distribution matches its probabilities.
#[test]
fn empirical_noise_distribution() {
    let n = 40_000;
    for params in [PTableParams::default(), PTableParams { d: 5, v: 3.0, js: 2 }] {
        let t = PTable::new(params).unwrap();
        for count in [1u64, 2, 4, 7, 25, 1000] {
            let ks = keys(count, n);
            let noise: Vec<f64> = ks.iter().map(|&k| t.perturb(count, k) as f64 - count as f64).collect();
            let mean = noise.iter().sum::<f64>() / n as f64;
            let var = noise.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
            let row = t.row(count);
            assert!(mean.abs() < 0.03, "{params:?} count {count}: mean {mean}");
            assert!((var - row.variance).abs() < 0.06 * row.variance, "{params:?} {count}: {var}");
            if count >= u64::from(params.js + params.d + 1) {
                assert!((row.variance - params.v).abs() < 1e-9);
            }
            for e in &row.entries {
                let freq = noise.iter().filter(|&&x| x == e.v as f64).count() as f64 / n as f64;
                assert!((freq - e.p).abs() < 0.01, "{params:?} {count} v {}: {freq} vs {}", e.v, e.p);
            }
        }
    }
}

/// Adding one record to a cell changes its key: the published difference is not simply +1.
#[test]
fn one_more_record_is_not_revealed_by_the_difference() {
    let t = PTable::new(PTableParams::default()).unwrap();
    let extra = keys(99, 2000);
    let mut plus_one = 0;
    for (k, e) in keys(5, 2000).into_iter().zip(extra) {
        let before = t.perturb(20, k);
        let after = t.perturb(21, k + RecordKey(e.0));
        if after == before + 1 {
            plus_one += 1;
        }
    }
    assert!(plus_one < 600, "{plus_one} of 2000 differences are exactly +1");
}
