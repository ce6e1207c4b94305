//! Times Gauss suppression on a synthetic release: `cargo run --release -p sdc --example release
//! [countries] [audit]` (default 60 countries: about 4,700 inner cells and 6,100 cells in four
//! linked tables with hierarchies, about 1,000 of them primary; `audit` also runs the LP audit).

use std::time::Instant;

use sdc::{CellSpec, Problem, Role, Status, audit, determined, protect};

/// Deterministic counts: 3 in 16 zero, most others 1.
fn count(c: &[usize]) -> u64 {
    let mut h = c.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, &x| {
        (h ^ x as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9).rotate_left(17)
    });
    h ^= h >> 29;
    match h % 16 {
        0..=2 => 0,
        3..=13 => 1,
        _ => 1 + (h >> 8) % 6,
    }
}

/// Categories of a dimension with `leaves` leaves in groups of `group`: leaves, groups, total.
fn categories(leaves: usize, group: usize) -> Vec<Vec<usize>> {
    let mut cats: Vec<Vec<usize>> = (0..leaves).map(|l| vec![l]).collect();
    if group < leaves {
        cats.extend((0..leaves / group).map(|g| (g * group..(g + 1) * group).collect()));
    }
    cats.push((0..leaves).collect());
    cats
}

fn main() {
    let countries: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(60);
    // geography (regions of 6), sex, age (minors/adults), nationality (2 groups of 6)
    let dims = [(countries, 6), (2, 2), (4, 2), (12, 6)];
    let mut codes = vec![Vec::new()];
    for &(n, _) in &dims {
        codes = codes
            .into_iter()
            .flat_map(|c: Vec<usize>| {
                (0..n).map(move |l| {
                    let mut c = c.clone();
                    c.push(l);
                    c
                })
            })
            .collect();
    }
    let (codes, inner): (Vec<Vec<usize>>, Vec<u64>) =
        codes.into_iter().map(|c| (c.clone(), count(&c))).filter(|x| x.1 > 0).unzip();
    let mut cells = Vec::new();
    for table in [&[0usize, 1, 2][..], &[0, 3], &[1, 2, 3], &[0, 1, 3]] {
        let mut combos: Vec<Vec<Vec<usize>>> = vec![Vec::new()];
        for &d in table {
            let cats = categories(dims[d].0, dims[d].1);
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    cats.iter().map(move |cat| {
                        let mut c = c.clone();
                        c.push(cat.clone());
                        c
                    })
                })
                .collect();
        }
        for combo in combos {
            let members: Vec<u32> = codes
                .iter()
                .enumerate()
                .filter(|(_, c)| table.iter().zip(&combo).all(|(&d, cat)| cat.contains(&c[d])))
                .map(|(i, _)| i as u32)
                .collect();
            cells.push(CellSpec::new(members, Role::Candidate));
        }
    }
    let problem = Problem::new(inner, cells);
    println!("{} inner cells, {} cells", problem.inner.len(), problem.cells.len());
    let t = Instant::now();
    let status = protect(&problem).expect("protect");
    let elapsed = t.elapsed();
    let n = |s: Status| status.iter().filter(|&&x| x == s).count();
    println!(
        "protect: {:.2?} ({} primary, {} secondary, {} published)",
        elapsed,
        n(Status::Primary),
        n(Status::Secondary),
        n(Status::Published)
    );
    let t = Instant::now();
    let det = determined(&problem, &status).expect("determined");
    let bad = det.iter().filter(|&&c| status[c].is_protected()).count();
    println!("exact check: {:.2?} ({bad} protected cells determined)", t.elapsed());
    if std::env::args().any(|a| a == "audit") {
        let t = Instant::now();
        let a = audit(&problem, &status).expect("audit");
        println!(
            "LP audit: {:.2?} ({} suppressed cells, {} pinned, {} exposed small, narrowest protected interval {:?})",
            t.elapsed(),
            a.cells.len(),
            a.pinned().len(),
            a.exposed_small().len(),
            a.min_protected_width()
        );
    }
}
