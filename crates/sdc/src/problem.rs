//! The suppression problem: inner cells, published cells over them, roles, rules and statuses.

use crate::Error;

/// The primary (threshold) rule of frequency tables: `FREQ(k)` in tau-ARGUS terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThresholdRule {
    /// Minimum frequency: a cell with value in `1..k` (1 to k-1) is unsafe. Default 5.
    pub k: u64,
    /// Also treat cells of value 0 as unsafe (group attribute disclosure). Default `false`.
    ///
    /// Only meaningful when the zero-count inner cells are listed in [`Problem::inner`]: a cell
    /// whose inner list is empty is a *structural* zero that no suppression can hide, and is
    /// rejected with [`Error::EmptyPrimary`].
    pub protect_zeros: bool,
}

impl Default for ThresholdRule {
    fn default() -> Self {
        ThresholdRule { k: 5, protect_zeros: false }
    }
}

impl ThresholdRule {
    /// Whether a value fails the rule.
    pub fn is_unsafe(&self, value: u64) -> bool {
        (value == 0 && self.protect_zeros) || (value >= 1 && value < self.k)
    }
}

/// How the singleton problem is handled (see the crate documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SingletonRule {
    /// Protect against an attacker who, in addition to the published cells, knows the value of any
    /// **one** primary cell of value 1 (its lone contributor): no other primary cell may be a
    /// linear combination of the published cells and that singleton.
    #[default]
    KnownSingleton,
    /// No singleton protection (for comparisons and negative-control tests only).
    None,
}

/// The role of a cell in a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// To publish if safe; suppressed if it fails the rule (primary) or is needed as secondary.
    Candidate,
    /// Already published earlier, value known to everyone: never suppressed, always part of the
    /// attacker's knowledge.
    Forced,
    /// Already suppressed in an earlier release: never published now. Protected like a primary
    /// when its value fails the rule; otherwise it is simply kept unpublished (its value may
    /// become derivable, as the value of any safe cell may).
    Suppressed,
    /// Never published (e.g. the records added between two data vintages, or an implied table such
    /// as "adults" = "all" − "minors"); protected when its value fails the rule.
    Virtual,
}

/// One cell of some table (interior, subtotal or total), or an earlier or virtual cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellSpec {
    /// The inner cells it sums: strictly increasing indices into [`Problem::inner`].
    pub inner: Vec<u32>,
    /// Its role in this release.
    pub role: Role,
}

impl CellSpec {
    /// A cell with the given inner cells (sorted and deduplicated here) and role.
    pub fn new(mut inner: Vec<u32>, role: Role) -> Self {
        inner.sort_unstable();
        inner.dedup();
        CellSpec { inner, role }
    }
}

/// A release: every cell of every table over one inner-cell space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Counts of the inner cells (the full cross-classification of every dimension used by any
    /// table of the release). Omitted inner cells are *structural zeros*, known to the attacker;
    /// listed inner cells of count 0 are zeros the attacker does not know.
    pub inner: Vec<u64>,
    /// The cells.
    pub cells: Vec<CellSpec>,
    /// The primary rule.
    pub rule: ThresholdRule,
    /// The singleton rule.
    pub singleton: SingletonRule,
}

impl Problem {
    /// A problem with the default rules (k = 5, zeros not protected, singleton protection on).
    pub fn new(inner: Vec<u64>, cells: Vec<CellSpec>) -> Self {
        Problem { inner, cells, rule: ThresholdRule::default(), singleton: SingletonRule::default() }
    }

    /// The value of cell `cell` (sum of its inner counts; saturating).
    pub fn value(&self, cell: usize) -> u64 {
        self.cells[cell]
            .inner
            .iter()
            .map(|&i| self.inner.get(i as usize).copied().unwrap_or(0))
            .fold(0u64, u64::saturating_add)
    }

    /// The values of all cells.
    pub fn values(&self) -> Vec<u64> {
        (0..self.cells.len()).map(|c| self.value(c)).collect()
    }

    /// Checks that every cell lists strictly increasing inner indices within range.
    pub fn validate(&self) -> Result<(), Error> {
        if u32::try_from(self.inner.len()).is_err() {
            return Err(Error::TooManyInnerCells);
        }
        for (cell, spec) in self.cells.iter().enumerate() {
            if spec.inner.windows(2).any(|w| w[0] >= w[1]) {
                return Err(Error::InvalidCell { cell, reason: "inner indices not strictly increasing" });
            }
            if spec.inner.last().is_some_and(|&i| i as usize >= self.inner.len()) {
                return Err(Error::InvalidCell { cell, reason: "inner index out of range" });
            }
        }
        Ok(())
    }

    /// Checks that `status` has one entry per cell.
    pub(crate) fn check_status(&self, status: &[Status]) -> Result<(), Error> {
        if status.len() == self.cells.len() {
            Ok(())
        } else {
            Err(Error::StatusLength { expected: self.cells.len(), found: status.len() })
        }
    }
}

/// The outcome for one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Published (every `Forced` cell, and every safe `Candidate` not needed as secondary).
    Published,
    /// Suppressed because it fails the rule (a `Candidate`, or a `Suppressed` cell that fails it).
    Primary,
    /// Suppressed to protect the primary cells (or a safe `Suppressed` cell kept unpublished).
    Secondary,
    /// A `Virtual` cell that passes the rule: not published, not protected.
    Virtual,
    /// A `Virtual` cell that fails the rule: not published, protected like a primary cell.
    VirtualPrimary,
}

impl Status {
    /// Whether the attacker knows the value (published now or earlier).
    pub fn is_published(self) -> bool {
        self == Status::Published
    }

    /// Whether the cell is suppressed and audited: `Primary`, `Secondary` or `VirtualPrimary`.
    pub fn is_suppressed(self) -> bool {
        matches!(self, Status::Primary | Status::Secondary | Status::VirtualPrimary)
    }

    /// Whether the value must not be disclosed: `Primary` or `VirtualPrimary`.
    pub fn is_protected(self) -> bool {
        matches!(self, Status::Primary | Status::VirtualPrimary)
    }
}

/// The status every cell gets from the rule alone (`Candidate`s still undecided are `Published`).
pub(crate) fn initial_status(problem: &Problem, values: &[u64]) -> Vec<Status> {
    problem
        .cells
        .iter()
        .zip(values)
        .map(|(spec, &v)| {
            let small = problem.rule.is_unsafe(v);
            match (spec.role, small) {
                (Role::Forced, _) | (Role::Candidate, false) => Status::Published,
                (Role::Candidate, true) | (Role::Suppressed, true) => Status::Primary,
                (Role::Suppressed, false) => Status::Secondary,
                (Role::Virtual, true) => Status::VirtualPrimary,
                (Role::Virtual, false) => Status::Virtual,
            }
        })
        .collect()
}
