//! The capture-history table: for each non-empty set of lists (a bitmask, bit `i` = list `i`), the
//! number of observed persons seen by exactly those lists. Merging and dropping lists, the
//! pairwise list-overlap table.

use crate::Error;

/// Fewest lists a table may have.
pub const MIN_LISTS: usize = 2;
/// Most lists a table may have (2^10 − 1 = 1,023 observable cells).
pub const MAX_LISTS: usize = 10;

/// Capture histories over `t = lists.len()` lists: `counts[mask]` persons were seen by exactly the
/// lists whose bits are set in `mask`; `counts[0]` (nobody saw them) is always 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureHistories {
    lists: Vec<String>,
    counts: Vec<u64>,
}

impl CaptureHistories {
    /// A table from list names and `2^t` counts indexed by pattern mask.
    ///
    /// # Errors
    /// [`Error::ListCount`] for fewer than 2 or more than 10 lists, [`Error::Counts`] when the
    /// count vector has the wrong length, `counts[0] ≠ 0`, or the total overflows.
    pub fn new(lists: Vec<String>, counts: Vec<u64>) -> Result<Self, Error> {
        let t = lists.len();
        if !(MIN_LISTS..=MAX_LISTS).contains(&t) {
            return Err(Error::ListCount { found: t });
        }
        if counts.len() != 1 << t {
            return Err(Error::Counts("the count vector must have 2^t entries"));
        }
        if counts[0] != 0 {
            return Err(Error::Counts("the all-zero pattern (nobody saw them) cannot be observed"));
        }
        counts.iter().try_fold(0u64, |a, &c| a.checked_add(c)).ok_or(Error::Counts("total overflows"))?;
        Ok(Self { lists, counts })
    }

    /// A table from `(mask, count)` pairs; repeated masks are summed.
    ///
    /// # Errors
    /// As [`CaptureHistories::new`], and [`Error::Counts`] for a mask outside `1..2^t`.
    pub fn from_patterns(
        lists: Vec<String>,
        patterns: impl IntoIterator<Item = (u32, u64)>,
    ) -> Result<Self, Error> {
        let t = lists.len();
        if !(MIN_LISTS..=MAX_LISTS).contains(&t) {
            return Err(Error::ListCount { found: t });
        }
        let mut counts = vec![0u64; 1 << t];
        for (mask, c) in patterns {
            let m = mask as usize;
            if m == 0 || m >= counts.len() {
                return Err(Error::Counts("pattern mask out of range"));
            }
            counts[m] = counts[m].checked_add(c).ok_or(Error::Counts("total overflows"))?;
        }
        Self::new(lists, counts)
    }

    /// The list names.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// Number of lists `t`.
    pub fn t(&self) -> usize {
        self.lists.len()
    }

    /// Counts indexed by pattern mask (`2^t` entries, entry 0 is 0).
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Number of persons observed by at least one list.
    pub fn observed(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `nstar[S]`: persons seen by (at least) every list in `S`, for every mask `S`.
    pub(crate) fn superset_sums(&self) -> Vec<u64> {
        let mut s = self.counts.clone();
        for bit in 0..self.t() {
            let b = 1usize << bit;
            for m in 0..s.len() {
                if m & b == 0 {
                    s[m] += s[m | b];
                }
            }
        }
        s
    }

    /// Merges lists: each group of old list indices becomes one new list (a person is on it if on
    /// any of its members), named by `names`. The groups must partition the lists.
    ///
    /// # Errors
    /// [`Error::Merge`] when the groups are not a partition or the names do not match them.
    pub fn merge(&self, groups: &[Vec<usize>], names: &[String]) -> Result<Self, Error> {
        if groups.len() != names.len() {
            return Err(Error::Merge("one name per group is needed"));
        }
        let mut seen = vec![false; self.t()];
        for g in groups {
            if g.is_empty() {
                return Err(Error::Merge("a group is empty"));
            }
            for &i in g {
                if i >= self.t() {
                    return Err(Error::Merge("list index out of range"));
                }
                if seen[i] {
                    return Err(Error::Merge("a list is in two groups"));
                }
                seen[i] = true;
            }
        }
        if seen.iter().any(|s| !s) {
            return Err(Error::Merge("every list must be in a group"));
        }
        let group_masks: Vec<usize> = groups.iter().map(|g| g.iter().fold(0, |m, &i| m | 1 << i)).collect();
        let patterns = self.counts.iter().enumerate().filter(|(m, c)| *m > 0 && **c > 0).map(|(m, &c)| {
            let new = group_masks
                .iter()
                .enumerate()
                .fold(0u32, |acc, (j, gm)| if m & gm != 0 { acc | 1 << j } else { acc });
            (new, c)
        });
        Self::from_patterns(names.to_vec(), patterns)
    }

    /// Drops list `i`. Persons seen only by that list are no longer observed.
    ///
    /// # Errors
    /// [`Error::Merge`] for an index out of range, [`Error::ListCount`] when fewer than 2 lists
    /// would remain.
    pub fn drop_list(&self, i: usize) -> Result<Self, Error> {
        if i >= self.t() {
            return Err(Error::Merge("list index out of range"));
        }
        let lists: Vec<String> =
            self.lists.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, n)| n.clone()).collect();
        let low = (1usize << i) - 1;
        let patterns = self.counts.iter().enumerate().filter_map(|(m, &c)| {
            let new = (m & low) | ((m >> (i + 1)) << i);
            (new != 0 && c > 0).then_some((new as u32, c))
        });
        Self::from_patterns(lists, patterns)
    }

    /// The list-overlap table: list sizes and pairwise overlaps.
    pub fn overlaps(&self) -> OverlapTable {
        let t = self.t();
        let nstar = self.superset_sums();
        let mut pairwise = vec![vec![0u64; t]; t];
        for (i, row) in pairwise.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = nstar[(1 << i) | (1 << j)];
            }
        }
        let only: Vec<u64> = (0..t).map(|i| self.counts[1 << i]).collect();
        let on_two_or_more =
            self.counts.iter().enumerate().filter(|(m, _)| m.count_ones() >= 2).map(|(_, c)| c).sum();
        OverlapTable { lists: self.lists.clone(), pairwise, only, on_two_or_more }
    }
}

/// Pairwise overlaps of the lists (publish through disclosure control like any other table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverlapTable {
    /// List names.
    pub lists: Vec<String>,
    /// `pairwise[i][j]`: persons on both list `i` and list `j` (the diagonal is the list size).
    pub pairwise: Vec<Vec<u64>>,
    /// Persons seen by list `i` only.
    pub only: Vec<u64>,
    /// Persons seen by two lists or more.
    pub on_two_or_more: u64,
}

impl OverlapTable {
    /// Size of list `i`.
    pub fn size(&self, i: usize) -> u64 {
        self.pairwise[i][i]
    }
}
