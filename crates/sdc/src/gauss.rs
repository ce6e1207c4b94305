//! Gauss secondary suppression (Langsrud's method) over one inner-cell space.
//!
//! Cells are 0/1 vectors over the inner cells. The *targets* are the distinct vectors of the
//! cells to protect (`Primary`, `VirtualPrimary`); each keeps its residue modulo the span of the
//! published cells. A target is disclosed exactly when its residue is zero. `Forced` cells enter
//! the published span first; then the candidates, in [`candidate_order`], each enter it unless
//! that would zero a target residue (the candidate's residue is parallel to a target's residue) or
//! break the singleton rule, in which case the candidate is suppressed as `Secondary`.

use std::collections::{BTreeMap, BTreeSet};

use crate::Error;
use crate::linalg::{Basis, Coef, Overflow, SVec, coef_at, eliminate, indicator};
use crate::problem::{Problem, Role, SingletonRule, Status, initial_status};

/// Failure of one elimination run: an overflow (retry wider) or a final error.
enum Failure {
    Overflow,
    Error(Error),
}

impl From<Overflow> for Failure {
    fn from(_: Overflow) -> Self {
        Failure::Overflow
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

/// Decides the status of every cell: primary by the rule, secondary by Gauss elimination.
///
/// Deterministic: the same problem always gives the same statuses.
///
/// # Errors
/// [`Error::InvalidCell`] / [`Error::TooManyInnerCells`] for a malformed problem,
/// [`Error::EmptyPrimary`] for a primary cell with no inner cell (a structural zero cannot be
/// hidden), [`Error::AlreadyDisclosed`] when `Forced` cells alone already disclose a protected
/// cell, [`Error::Overflow`] if exact arithmetic overflows even `i128`.
pub fn protect(problem: &Problem) -> Result<Vec<Status>, Error> {
    problem.validate()?;
    let values = problem.values();
    let status = initial_status(problem, &values);
    let order = candidate_order_with(problem, &values, &status);
    match run::<i64>(problem, &values, status.clone(), &order) {
        Ok(s) => Ok(s),
        Err(Failure::Error(e)) => Err(e),
        Err(Failure::Overflow) => match run::<i128>(problem, &values, status, &order) {
            Ok(s) => Ok(s),
            Err(Failure::Error(e)) => Err(e),
            Err(Failure::Overflow) => Err(Error::Overflow),
        },
    }
}

/// The order in which the safe `Candidate` cells are offered for publication.
///
/// Cells earlier in the order are published preferentially; the last ones are the first to be
/// sacrificed as secondary suppressions. As in SSBtools' `CandidatesDefault`, the order is by
/// decreasing value, so totals and large cells are published and small interior cells are
/// suppressed; ties go first to cells computed from more (and larger) inner cells (the sum over the
/// cell's inner cells of `value + 1` of every cell containing them), then to the lower index.
pub fn candidate_order(problem: &Problem) -> Vec<usize> {
    let values = problem.values();
    let status = initial_status(problem, &values);
    candidate_order_with(problem, &values, &status)
}

fn candidate_order_with(problem: &Problem, values: &[u64], status: &[Status]) -> Vec<usize> {
    let mut weight = vec![0u128; problem.inner.len()];
    for (spec, &v) in problem.cells.iter().zip(values) {
        for &i in &spec.inner {
            if let Some(w) = weight.get_mut(i as usize) {
                *w = w.saturating_add(u128::from(v) + 1);
            }
        }
    }
    let mut keyed: Vec<(u64, u128, usize)> = problem
        .cells
        .iter()
        .enumerate()
        .filter(|(c, spec)| spec.role == Role::Candidate && status[*c] == Status::Published)
        .map(|(c, spec)| {
            let tie = spec
                .inner
                .iter()
                .map(|&i| weight.get(i as usize).copied().unwrap_or(0))
                .fold(0u128, u128::saturating_add);
            (values[c], tie, c)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    keyed.into_iter().map(|k| k.2).collect()
}

/// The distinct vectors to protect and their residues modulo the published span.
struct Targets<T> {
    residues: Vec<SVec<T>>,
    singleton: Vec<bool>,
    cells: Vec<Vec<usize>>,
    by_residue: BTreeMap<SVec<T>, Vec<usize>>,
    /// Number of target residues non-zero at each inner row (pivot choice).
    row_count: Vec<u32>,
    check_singletons: bool,
}

type Update<T> = Vec<(usize, SVec<T>)>;

impl<T: Coef> Targets<T> {
    fn new(problem: &Problem, values: &[u64], status: &[Status]) -> Result<Self, Error> {
        let mut index: BTreeMap<&[u32], usize> = BTreeMap::new();
        let mut t = Targets {
            residues: Vec::new(),
            singleton: Vec::new(),
            cells: Vec::new(),
            by_residue: BTreeMap::new(),
            row_count: vec![0; problem.inner.len()],
            check_singletons: false,
        };
        for (cell, st) in status.iter().enumerate() {
            if !st.is_protected() {
                continue;
            }
            let inner = problem.cells[cell].inner.as_slice();
            if inner.is_empty() {
                return Err(Error::EmptyPrimary { cell });
            }
            let id = *index.entry(inner).or_insert_with(|| {
                let id = t.residues.len();
                t.residues.push(indicator(inner));
                t.singleton.push(values[cell] == 1);
                t.cells.push(Vec::new());
                id
            });
            t.cells[id].push(cell);
        }
        for (id, r) in t.residues.iter().enumerate() {
            t.by_residue.entry(r.clone()).or_default().push(id);
            for &(row, _) in r {
                t.row_count[row as usize] += 1;
            }
        }
        t.check_singletons =
            problem.singleton == SingletonRule::KnownSingleton && t.singleton.iter().any(|&s| s);
        Ok(t)
    }

    /// Whether publishing a vector with residue `r` would zero some target residue.
    fn would_zero(&self, r: &SVec<T>) -> bool {
        self.by_residue.contains_key(r)
    }

    /// The pivot row for `r`: the row in fewest target residues, then smallest |coefficient|.
    fn pivot(&self, r: &[(u32, T)]) -> Result<u32, Overflow> {
        let mut best: Option<(u32, T, u32)> = None;
        for &(row, c) in r {
            let key = (self.row_count[row as usize], c.abs()?, row);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        }
        Ok(best.map_or(0, |b| b.2))
    }

    /// The new residues of the targets that `r` (pivot `p`) changes.
    fn update(&self, r: &[(u32, T)], p: u32) -> Result<Update<T>, Overflow> {
        let mut out = Vec::new();
        for (id, res) in self.residues.iter().enumerate() {
            if coef_at(res, p).is_some() {
                out.push((id, eliminate(res, r, p)?));
            }
        }
        Ok(out)
    }

    /// Whether, after `upd`, some singleton target and another target have parallel residues.
    fn singleton_conflict(&self, upd: &Update<T>) -> bool {
        if !self.check_singletons {
            return false;
        }
        let changed: BTreeSet<usize> = upd.iter().map(|u| u.0).collect();
        let mut fresh: BTreeMap<&SVec<T>, Vec<usize>> = BTreeMap::new();
        for (id, r) in upd {
            fresh.entry(r).or_default().push(*id);
        }
        for (id, r) in upd {
            let old = self.by_residue.get(r).into_iter().flatten().filter(|o| !changed.contains(o));
            let new = fresh.get(r).into_iter().flatten().filter(|&o| o != id);
            if old.chain(new).any(|&o| self.singleton[*id] || self.singleton[o]) {
                return true;
            }
        }
        false
    }

    fn commit(&mut self, upd: Update<T>) {
        for (id, r) in upd {
            let old = std::mem::replace(&mut self.residues[id], r.clone());
            if let Some(ids) = self.by_residue.get_mut(&old) {
                ids.retain(|&o| o != id);
                if ids.is_empty() {
                    self.by_residue.remove(&old);
                }
            }
            for &(row, _) in &old {
                self.row_count[row as usize] -= 1;
            }
            for &(row, _) in &r {
                self.row_count[row as usize] += 1;
            }
            self.by_residue.entry(r).or_default().push(id);
        }
    }

    /// Cells already disclosed (exactly, or to a singleton's contributor) by the published span.
    fn disclosed(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for (r, ids) in &self.by_residue {
            let bad = r.is_empty()
                || (self.check_singletons && ids.len() > 1 && ids.iter().any(|&i| self.singleton[i]));
            if bad {
                out.extend(ids.iter().flat_map(|&i| self.cells[i].iter().copied()));
            }
        }
        out.sort_unstable();
        out
    }
}

fn run<T: Coef>(
    problem: &Problem,
    values: &[u64],
    mut status: Vec<Status>,
    order: &[usize],
) -> Result<Vec<Status>, Failure> {
    let mut targets = Targets::<T>::new(problem, values, &status)?;
    if targets.residues.is_empty() {
        return Ok(status);
    }
    let mut basis = Basis::<T>::new(problem.inner.len());
    for spec in problem.cells.iter().filter(|s| s.role == Role::Forced) {
        let r = basis.reduce(indicator(&spec.inner))?;
        if r.is_empty() {
            continue;
        }
        let p = targets.pivot(&r)?;
        let upd = targets.update(&r, p)?;
        targets.commit(upd);
        basis.push(r, p);
    }
    let disclosed = targets.disclosed();
    if !disclosed.is_empty() {
        return Err(Error::AlreadyDisclosed { cells: disclosed }.into());
    }
    for &cell in order {
        let r = basis.reduce(indicator(&problem.cells[cell].inner))?;
        if r.is_empty() {
            continue; // already determined by the published cells: publishing adds nothing
        }
        if targets.would_zero(&r) {
            status[cell] = Status::Secondary;
            continue;
        }
        let p = targets.pivot(&r)?;
        let upd = targets.update(&r, p)?;
        if targets.singleton_conflict(&upd) {
            status[cell] = Status::Secondary;
            continue;
        }
        targets.commit(upd);
        basis.push(r, p);
    }
    Ok(status)
}

/// Suppressed cells (`Primary`, `Secondary`, `VirtualPrimary`) whose value is a linear
/// combination of the published cells and of the cells in `known` (exact disclosure).
///
/// `known` models extra attacker knowledge, e.g. one singleton's value. Cells listed in `known`
/// are not reported.
///
/// # Errors
/// As [`protect`] for a malformed problem, [`Error::StatusLength`] for a wrong status list.
pub fn determined_knowing(
    problem: &Problem,
    status: &[Status],
    known: &[usize],
) -> Result<Vec<usize>, Error> {
    problem.validate()?;
    problem.check_status(status)?;
    if let Some(&cell) = known.iter().find(|&&c| c >= problem.cells.len()) {
        return Err(Error::InvalidCell { cell, reason: "known cell out of range" });
    }
    match determined_with::<i64>(problem, status, known) {
        Ok(d) => Ok(d),
        Err(Overflow) => determined_with::<i128>(problem, status, known).map_err(|_| Error::Overflow),
    }
}

/// Suppressed cells whose value is a linear combination of the published cells.
///
/// # Errors
/// See [`determined_knowing`].
pub fn determined(problem: &Problem, status: &[Status]) -> Result<Vec<usize>, Error> {
    determined_knowing(problem, status, &[])
}

/// The basis of the published cells and the cells in `known`.
fn known_basis<T: Coef>(
    problem: &Problem,
    status: &[Status],
    known: &BTreeSet<usize>,
) -> Result<Basis<T>, Overflow> {
    let mut basis = Basis::<T>::new(problem.inner.len());
    for (cell, spec) in problem.cells.iter().enumerate() {
        if status[cell].is_published() || known.contains(&cell) {
            let r = basis.reduce(indicator(&spec.inner))?;
            if let Some(&(p, _)) = r.first() {
                basis.push(r, p);
            }
        }
    }
    Ok(basis)
}

fn determined_with<T: Coef>(
    problem: &Problem,
    status: &[Status],
    known: &[usize],
) -> Result<Vec<usize>, Overflow> {
    let known_set: BTreeSet<usize> = known.iter().copied().collect();
    let basis = known_basis::<T>(problem, status, &known_set)?;
    let mut out = Vec::new();
    for (cell, spec) in problem.cells.iter().enumerate() {
        if status[cell].is_suppressed()
            && !known_set.contains(&cell)
            && basis.reduce(indicator(&spec.inner))?.is_empty()
        {
            out.push(cell);
        }
    }
    Ok(out)
}

/// For each inner cell, whether its count is determined by the published and `known` cells.
/// The caller has validated the problem and the status length.
pub(crate) fn determined_inner(
    problem: &Problem,
    status: &[Status],
    known: &BTreeSet<usize>,
) -> Result<Vec<bool>, Error> {
    fn with<T: Coef>(
        problem: &Problem,
        status: &[Status],
        known: &BTreeSet<usize>,
    ) -> Result<Vec<bool>, Overflow> {
        let basis = known_basis::<T>(problem, status, known)?;
        let mut out = Vec::with_capacity(problem.inner.len());
        for i in 0..problem.inner.len() {
            let row = u32::try_from(i).map_err(|_| Overflow)?;
            out.push(basis.reduce(indicator(&[row]))?.is_empty());
        }
        Ok(out)
    }
    with::<i64>(problem, status, known)
        .or_else(|_| with::<i128>(problem, status, known))
        .map_err(|_| Error::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::CellSpec;

    /// A problem of `n` inner cells (8 small singletons) and 120 dense random 0/1 cells.
    fn dense(n: u32) -> Problem {
        let mut x: u64 = 12345;
        let mut next = move || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        let inner: Vec<u64> = (0..n).map(|i| if i < 8 { 1 + next() % 4 } else { 5 + next() % 20 }).collect();
        let mut cells: Vec<CellSpec> = (0..8).map(|i| CellSpec::new(vec![i], Role::Candidate)).collect();
        for _ in 0..120 {
            let members: Vec<u32> = (0..n).filter(|_| next() % 2 == 0).collect();
            cells.push(CellSpec::new(members, Role::Candidate));
        }
        Problem::new(inner, cells)
    }

    /// Dense random 0/1 cells make fraction-free elimination coefficients grow like
    /// determinants: `i64` overflows, the `i128` rerun succeeds, and the result is still safe.
    #[test]
    fn overflow_falls_back_to_i128() {
        let problem = dense(48);
        let values = problem.values();
        let status = initial_status(&problem, &values);
        let order = candidate_order_with(&problem, &values, &status);
        assert!(matches!(run::<i64>(&problem, &values, status.clone(), &order), Err(Failure::Overflow)));
        let Ok(wide) = run::<i128>(&problem, &values, status, &order) else {
            panic!("i128 run failed");
        };
        let s = protect(&problem).unwrap();
        assert_eq!(s, wide);
        assert!(s.contains(&Status::Secondary));
        let det = determined(&problem, &s).unwrap();
        assert!(det.iter().all(|&c| !s[c].is_protected()));
    }

    /// Beyond `i128`, an error, never a wrong answer.
    #[test]
    fn overflow_beyond_i128_is_an_error() {
        assert_eq!(protect(&dense(90)), Err(Error::Overflow));
    }
}
