//! LP attacker audit (sdcTable `attack()` equivalent).
//!
//! The attacker knows the value of every `Published` cell (which includes every `Forced` cell)
//! and, optionally, some extra cells (e.g. a singleton's contributor knows its cell). The inner
//! counts are unknown reals `x ≥ 0` (listed inner cells only: omitted ones are structural zeros).
//! For every suppressed cell the audit computes the minimum and maximum of its value over that
//! polytope with the pure-Rust simplex solver `microlp`.

use std::collections::{BTreeMap, BTreeSet};

use microlp::{ComparisonOp, OptimizationDirection, Problem as Lp, Solution, Variable};

use crate::Error;
use crate::problem::{Problem, Status};

/// Width below which a suppressed cell counts as pinned (its value is effectively known).
pub const PINNED_WIDTH: f64 = 0.5;

/// Tolerance of the LP bounds.
const EPS: f64 = 1e-6;

/// The attacker's interval for one suppressed cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditCell {
    /// Cell index in [`Problem::cells`].
    pub cell: usize,
    /// Its status (`Primary`, `Secondary` or `VirtualPrimary`).
    pub status: Status,
    /// The true value.
    pub true_value: u64,
    /// LP minimum of the value.
    pub min: f64,
    /// LP maximum of the value (`f64::INFINITY` when unbounded).
    pub max: f64,
}

impl AuditCell {
    /// `max - min`.
    pub fn width(&self) -> f64 {
        self.max - self.min
    }

    /// Whether the interval is narrower than [`PINNED_WIDTH`].
    pub fn is_pinned(&self) -> bool {
        self.width() < PINNED_WIDTH
    }
}

/// The result of [`audit`]: one interval per suppressed cell, in cell order.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// The intervals.
    pub cells: Vec<AuditCell>,
    /// The rule's `k`, for [`Audit::exposed_small`].
    pub k: u64,
}

impl Audit {
    /// Suppressed cells whose value the attacker knows (interval narrower than [`PINNED_WIDTH`]).
    pub fn pinned(&self) -> Vec<&AuditCell> {
        self.cells.iter().filter(|c| c.is_pinned()).collect()
    }

    /// Suppressed cells the attacker knows to be small but non-zero: every integer in the interval
    /// lies in `1..k` (group attribute disclosure of a small group).
    pub fn exposed_small(&self) -> Vec<&AuditCell> {
        self.cells
            .iter()
            .filter(|c| {
                let lo = (c.min - EPS).ceil();
                let hi = (c.max + EPS).floor();
                lo >= 1.0 && hi <= self.k.saturating_sub(1) as f64
            })
            .collect()
    }

    /// The narrowest interval among the protected (`Primary`, `VirtualPrimary`) cells.
    pub fn min_protected_width(&self) -> Option<f64> {
        self.cells.iter().filter(|c| c.status.is_protected()).map(AuditCell::width).min_by(f64::total_cmp)
    }
}

/// Audits every suppressed cell against an attacker knowing all published cells.
///
/// # Errors
/// [`Error::StatusLength`], a malformed problem, or [`Error::Lp`] when the solver fails
/// (e.g. the published values are inconsistent).
pub fn audit(problem: &Problem, status: &[Status]) -> Result<Audit, Error> {
    audit_knowing(problem, status, &[])
}

/// As [`audit`], with the attacker also knowing the values of the cells in `known` (these cells
/// are not reported).
///
/// # Errors
/// See [`audit`].
pub fn audit_knowing(problem: &Problem, status: &[Status], known: &[usize]) -> Result<Audit, Error> {
    problem.validate()?;
    problem.check_status(status)?;
    if let Some(&cell) = known.iter().find(|&&c| c >= problem.cells.len()) {
        return Err(Error::InvalidCell { cell, reason: "known cell out of range" });
    }
    let known: BTreeSet<usize> = known.iter().copied().collect();
    let system = System::new(problem, status, &known)?;
    let mut cells = Vec::new();
    let mut memo: BTreeMap<&[u32], (f64, f64)> = BTreeMap::new();
    for (cell, spec) in problem.cells.iter().enumerate() {
        if !status[cell].is_suppressed() || known.contains(&cell) {
            continue;
        }
        let key = spec.inner.as_slice();
        let (min, max) = match memo.get(key) {
            Some(&b) => b,
            None => {
                let b = system.bounds(problem, key, cell)?;
                memo.insert(key, b);
                b
            }
        };
        cells.push(AuditCell { cell, status: status[cell], true_value: problem.value(cell), min, max });
    }
    Ok(Audit { cells, k: problem.rule.k })
}

/// The attacker's equations, simplified: inner counts that the published cells determine exactly
/// (found by exact elimination) are substituted. The LP over the remaining unknowns is solved
/// once per direction with an extra variable `t` at its bound; each cell is then one edit of
/// that solution (the constraint `t = value of the cell`), re-solved from the warm basis.
struct System {
    fixed: Vec<bool>,
    /// Unknowns that appear in some equation (the others are unbounded above).
    constrained: Vec<bool>,
    /// LP variable of each unknown inner cell.
    vars: Vec<Option<Variable>>,
    t: Variable,
    /// The solved base LPs: minimise `t` (at 0) and maximise `t` (at its upper bound).
    base: Option<[Solution; 2]>,
}

impl System {
    fn new(problem: &Problem, status: &[Status], known: &BTreeSet<usize>) -> Result<System, Error> {
        let fixed = crate::gauss::determined_inner(problem, status, known)?;
        let mut equations: BTreeMap<Vec<u32>, f64> = BTreeMap::new();
        for (cell, spec) in problem.cells.iter().enumerate() {
            if !(status[cell].is_published() || known.contains(&cell)) {
                continue;
            }
            let free: Vec<u32> = spec.inner.iter().copied().filter(|&i| !fixed[i as usize]).collect();
            if free.is_empty() {
                continue;
            }
            let fixed_sum: u64 = spec
                .inner
                .iter()
                .filter(|&&i| fixed[i as usize])
                .map(|&i| problem.inner[i as usize])
                .fold(0, u64::saturating_add);
            equations.insert(free, problem.value(cell) as f64 - fixed_sum as f64);
        }
        let mut constrained = vec![false; problem.inner.len()];
        for free in equations.keys() {
            for &i in free {
                constrained[i as usize] = true;
            }
        }
        // Every constrained unknown is at most the right-hand side of an equation containing it.
        let big = equations.values().copied().fold(0.0f64, f64::max) + 1.0;
        let mut vars = vec![None; problem.inner.len()];
        let mut base = Vec::new();
        let mut t = None;
        for direction in [OptimizationDirection::Minimize, OptimizationDirection::Maximize] {
            let mut lp = Lp::new(direction);
            for (i, v) in vars.iter_mut().enumerate() {
                if !fixed[i] {
                    *v = Some(lp.add_var(0.0, (0.0, f64::INFINITY)));
                }
            }
            let tv = lp.add_var(1.0, (0.0, big));
            t = Some(tv);
            for (members, rhs) in &equations {
                lp.add_constraint(
                    members.iter().filter_map(|&i| vars[i as usize]).map(|v| (v, 1.0)),
                    ComparisonOp::Eq,
                    *rhs,
                );
            }
            if equations.is_empty() && vars.iter().all(Option::is_none) {
                break;
            }
            let solution = lp
                .solve()
                .map_err(|e| Error::Lp { cell: None, message: e.to_string() })?
                .into_solution()
                .map_err(|_| Error::Lp { cell: None, message: "solve interrupted".into() })?;
            base.push(solution);
        }
        let base = <[Solution; 2]>::try_from(base).ok();
        let t = t.ok_or(Error::Lp { cell: None, message: "no LP".into() })?;
        Ok(System { fixed, constrained, vars, t, base })
    }

    /// LP minimum and maximum of the value of a cell summing `target`.
    fn bounds(&self, problem: &Problem, target: &[u32], cell: usize) -> Result<(f64, f64), Error> {
        let constant = target
            .iter()
            .filter(|&&i| self.fixed[i as usize])
            .map(|&i| problem.inner[i as usize])
            .fold(0u64, u64::saturating_add) as f64;
        let free: Vec<Variable> = target.iter().filter_map(|&i| self.vars[i as usize]).collect();
        let Some(base) = &self.base else {
            return Ok((constant, constant));
        };
        if free.is_empty() {
            return Ok((constant, constant));
        }
        let unbounded_above =
            target.iter().any(|&i| !self.fixed[i as usize] && !self.constrained[i as usize]);
        let mut out = [0.0; 2];
        for (slot, solution) in base.iter().enumerate() {
            if slot == 1 && unbounded_above {
                out[1] = f64::INFINITY;
                continue;
            }
            let expr = free.iter().map(|&v| (v, 1.0)).chain(std::iter::once((self.t, -1.0)));
            let outcome = solution
                .clone()
                .add_constraint(expr.collect::<Vec<_>>(), ComparisonOp::Eq, 0.0)
                .map_err(|e| Error::Lp { cell: Some(cell), message: e.to_string() })?;
            out[slot] = match outcome.solution() {
                Some(sol) => sol.objective(),
                None => return Err(Error::Lp { cell: Some(cell), message: "solve interrupted".into() }),
            };
        }
        Ok((out[0] + constant, out[1] + constant))
    }
}
