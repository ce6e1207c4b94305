//! The cache of rendered reports: the same request on the same data gives the same bytes (outputs
//! are deterministic), so a repeated report is served from memory. Keys hold everything that
//! determines the bytes (the spec with its audience, filters and language, the format and the
//! data version); the cache is bounded by the bytes it holds and forgets the least recently used.

use std::collections::BTreeMap;
use std::sync::Arc;

/// The bytes the report cache may hold.
pub(crate) const REPORT_CACHE_BYTES: usize = 64 << 20;

/// Least-recently-used cache of rendered reports, bounded in bytes.
pub(crate) struct ReportCache {
    limit: usize,
    held: usize,
    tick: u64,
    entries: BTreeMap<String, (u64, Arc<Vec<u8>>)>,
}

impl ReportCache {
    /// An empty cache holding at most `limit` bytes.
    pub(crate) fn new(limit: usize) -> ReportCache {
        ReportCache { limit, held: 0, tick: 0, entries: BTreeMap::new() }
    }

    /// The bytes under `key`, if kept (and marks them recently used).
    pub(crate) fn get(&mut self, key: &str) -> Option<Arc<Vec<u8>>> {
        self.tick += 1;
        let tick = self.tick;
        self.entries.get_mut(key).map(|(used, bytes)| {
            *used = tick;
            bytes.clone()
        })
    }

    /// Keeps `bytes` under `key`, forgetting the least recently used entries to stay in bounds.
    /// Outputs larger than a quarter of the bound are not kept.
    pub(crate) fn put(&mut self, key: String, bytes: Arc<Vec<u8>>) {
        let size = bytes.len() + key.len();
        if size > self.limit / 4 {
            return;
        }
        self.tick += 1;
        if let Some((_, old)) = self.entries.insert(key.clone(), (self.tick, bytes)) {
            self.held -= old.len() + key.len();
        }
        self.held += size;
        while self.held > self.limit {
            let Some(oldest) = self.entries.iter().min_by_key(|(_, (used, _))| *used).map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((_, gone)) = self.entries.remove(&oldest) {
                self.held -= gone.len() + oldest.len();
            }
        }
    }

    /// How many outputs are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_within_bounds_and_forgets_the_least_recently_used() {
        let mut c = ReportCache::new(400);
        c.put("a".into(), Arc::new(vec![0; 99]));
        c.put("b".into(), Arc::new(vec![1; 99]));
        c.put("c".into(), Arc::new(vec![2; 99]));
        assert!(c.get("a").is_some());
        c.put("d".into(), Arc::new(vec![3; 99]));
        c.put("e".into(), Arc::new(vec![4; 99]));
        assert_eq!(c.len(), 4);
        assert!(c.get("b").is_none(), "b was the least recently used");
        assert!(c.get("a").is_some());
        assert_eq!(c.get("e").map(|b| b[0]), Some(4));
        c.put("big".into(), Arc::new(vec![9; 200]));
        assert!(c.get("big").is_none(), "too large to keep");
    }

    #[test]
    fn replacing_a_key_keeps_the_count_of_bytes() {
        let mut c = ReportCache::new(1000);
        for _ in 0..20 {
            c.put("k".into(), Arc::new(vec![0; 200]));
        }
        assert_eq!(c.held, 201);
    }
}
