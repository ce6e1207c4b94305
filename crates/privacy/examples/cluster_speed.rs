//! Speed of person clustering: `cargo run --release -p privacy --example cluster_speed --
//! [records] [keys-per-record]` (default 1,000,000 records with 4 keys each). Keys are random,
//! except that 30% of the records repeat keys of an earlier record (a re-registration) and 5% of
//! the keys are partial-date keys; 1% of the records carry an explicit link.

use std::io::Write;
use std::time::Instant;

use model::ids::LinkageKey;
use privacy::cluster::cluster;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let per: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut keys: Vec<(usize, LinkageKey)> = Vec::with_capacity(n * per);
    for i in 0..n {
        let earlier = (i > 0 && rng.random_bool(0.3)).then(|| rng.random_range(0..i));
        for k in 0..per {
            let key = match earlier {
                // Re-use one key of the earlier record, the others fresh.
                Some(j) if k == 0 => keys[j * per].1,
                _ => {
                    let mut b: [u8; 16] = rng.random();
                    b[0] = if rng.random_bool(0.05) { b[0] | 0x80 } else { b[0] & 0x7f };
                    LinkageKey::from_bytes(b)
                }
            };
            keys.push((i, key));
        }
    }
    let links: Vec<(usize, usize)> =
        (0..n / 100).map(|_| (rng.random_range(0..n), rng.random_range(0..n))).collect();
    let total_keys = keys.len();
    let start = Instant::now();
    let persons = cluster(n, keys, links);
    let elapsed = start.elapsed();
    let count = persons.iter().max().map_or(0, |&p| p as usize + 1);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{n} records, {total_keys} keys: {count} persons in {:.3} s", elapsed.as_secs_f64())
}
