//! Person clustering: transitive closure, explicit links, numbering, determinism, the rules of
//! partial-date keys, and input checks.

use model::ids::LinkageKey;
use privacy::cluster::{ClusterError, DOUBTFUL_BIT, PARTIAL_BIT, cluster, try_cluster};

fn full(n: u8) -> LinkageKey {
    let mut b = [n; 16];
    b[0] = n & 0x3f;
    LinkageKey::from_bytes(b)
}

fn partial(n: u8, doubtful: bool) -> LinkageKey {
    let mut b = [n; 16];
    b[0] = (n & 0x3f) | PARTIAL_BIT | if doubtful { DOUBTFUL_BIT } else { 0 };
    LinkageKey::from_bytes(b)
}

#[test]
fn shared_keys_and_links_close_transitively() {
    // 0–1 share A, 1–2 share B, 3 alone, 4–5 linked explicitly, 6 alone.
    let keys = [(0, full(1)), (1, full(1)), (1, full(2)), (2, full(2)), (3, full(3)), (6, full(4))];
    let persons = cluster(7, keys, [(4, 5)]);
    assert_eq!(persons, [0, 0, 0, 1, 2, 2, 3]);
    assert_eq!(cluster(0, [], []), Vec::<u32>::new());
    assert_eq!(cluster(3, [], []), [0, 1, 2]);
}

#[test]
fn persons_numbered_by_smallest_record() {
    let keys = [(3, full(9)), (1, full(9)), (4, full(8)), (0, full(8))];
    assert_eq!(cluster(5, keys, []), [0, 1, 2, 1, 0]);
}

#[test]
fn deterministic_whatever_the_input_order() {
    let mut keys: Vec<(usize, LinkageKey)> = (0..2_000).map(|i| (i, full((i % 37) as u8))).collect();
    keys.extend((0..2_000).map(|i| (i, partial((i % 11) as u8, i % 3 == 0))));
    let links: Vec<(usize, usize)> = (0..50).map(|i| (i * 7 % 2_000, i * 13 % 2_000)).collect();
    let a = cluster(2_000, keys.clone(), links.clone());
    keys.reverse();
    let mut shuffled_links = links;
    shuffled_links.reverse();
    let b = cluster(2_000, keys, shuffled_links);
    assert_eq!(a, b);
}

#[test]
fn partial_keys_never_join_two_exact_dates() {
    let keys = [(0, partial(1, false)), (1, partial(1, false))];
    assert_eq!(cluster(2, keys, []), [0, 1]);
}

#[test]
fn partial_key_joins_a_doubtful_date_to_its_one_candidate() {
    let keys = [(0, partial(1, false)), (1, partial(1, true)), (2, partial(1, true))];
    assert_eq!(cluster(3, keys, []), [0, 0, 0]);
    // Two doubtful registrations and no exact one: joined.
    assert_eq!(cluster(2, [(0, partial(2, true)), (1, partial(2, true))], []), [0, 0]);
}

#[test]
fn ambiguous_partial_key_links_nothing() {
    // Exact-date 0 and 1 are different persons; doubtful 2 could be either.
    let keys = [(0, partial(1, false)), (1, partial(1, false)), (2, partial(1, true))];
    assert_eq!(cluster(3, keys, []), [0, 1, 2]);
    // Once 0 and 1 are one person by a full key, the candidate is unique.
    let keys =
        [(0, partial(1, false)), (1, partial(1, false)), (2, partial(1, true)), (0, full(5)), (1, full(5))];
    assert_eq!(cluster(3, keys, []), [0, 0, 0]);
}

#[test]
fn out_of_range_indices() {
    // `cluster` ignores them, `try_cluster` refuses them.
    assert_eq!(cluster(2, [(0, full(1)), (5, full(1))], [(1, 9)]), [0, 1]);
    assert_eq!(
        try_cluster(2, [(0, full(1)), (5, full(1))], []),
        Err(ClusterError::IndexOutOfRange { index: 5, n: 2 })
    );
    assert_eq!(try_cluster(2, [], [(1, 2)]), Err(ClusterError::IndexOutOfRange { index: 2, n: 2 }));
    assert_eq!(try_cluster(2, [(0, full(1)), (1, full(1))], []), Ok(vec![0, 0]));
}

#[test]
fn long_chains_collapse() {
    // 100,000 records chained by shared keys in blocks of 1,000: one person per block.
    let n = 100_000usize;
    let keys = (0..n).flat_map(|i| {
        let block_end = i % 1_000 == 999;
        let mut v = vec![(i, key_u32(i as u32))];
        if !block_end {
            v.push((i + 1, key_u32(i as u32)));
        }
        v
    });
    let persons = cluster(n, keys, []);
    assert_eq!(persons.iter().max().copied(), Some(99));
    assert!(persons.chunks(1_000).enumerate().all(|(b, c)| c.iter().all(|&p| p as usize == b)));
}

fn key_u32(i: u32) -> LinkageKey {
    let mut b = [0u8; 16];
    b[12..].copy_from_slice(&i.to_be_bytes());
    b[1] = 0xa5;
    LinkageKey::from_bytes(b)
}
