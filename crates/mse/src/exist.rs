//! The existence and identifiability check (Fienberg & Rinaldo 2012, as in Chan, Silverman &
//! Vincent 2021).
//!
//! With `A` the design rows of the kept cells (cells not containing a term at −∞) and the columns
//! of the estimated terms, maximise `s` subject to `Aᵀy = Aᵀn`, `y ≥ s·1`, `y ≥ 0`, `s ≥ 0`. An
//! optimum of `s = 0` means no strictly positive table has the observed margins: the extended
//! MLE does not exist (code 1). A rank-deficient kept-cell design is not identifiable (code 2);
//! both give 3; 0 is fine. When every kept cell is observed (`n > 0`), `y = n` is strictly
//! positive and the linear program is skipped.

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use crate::data::CaptureHistories;
use crate::fit::{Data, Layout, rank};
use crate::model::Model;

/// Outcome of the existence and identifiability check, with the codes of the R packages
/// SparseMSE and MultipleSystemsEstimation (`checkident`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Existence {
    /// The extended maximum-likelihood estimate exists.
    pub exists: bool,
    /// The kept-cell design has full column rank.
    pub identifiable: bool,
}

impl Existence {
    /// 0: fine; 1: no extended MLE; 2: not identifiable; 3: both.
    pub fn code(&self) -> u8 {
        u8::from(!self.exists) + 2 * u8::from(!self.identifiable)
    }

    /// Both conditions hold.
    pub fn ok(&self) -> bool {
        self.exists && self.identifiable
    }
}

/// Checks whether the model's extended MLE exists and is identifiable on these data.
pub fn check_existence(ch: &CaptureHistories, model: &Model) -> Existence {
    check_data(&Data::new(ch), model)
}

/// Objective values at or below this count as zero.
const LP_ZERO: f64 = 1e-7;

pub(crate) fn check_data(data: &Data<'_>, model: &Model) -> Existence {
    let t = data.ch.t();
    let layout = Layout::new(t, &data.nstar, model);
    let x = layout.design();
    let n = layout.cells.len();
    let p = layout.cols.len();
    let identifiable = rank(&x, n, p) == p;
    let exists = exists(data, &layout, &x);
    Existence { exists, identifiable }
}

/// Whether the model passes both checks; skips the linear program when the design is already
/// rank-deficient.
pub(crate) fn estimable(data: &Data<'_>, model: &Model) -> bool {
    let layout = Layout::new(data.ch.t(), &data.nstar, model);
    let x = layout.design();
    rank(&x, layout.cells.len(), layout.cols.len()) == layout.cols.len() && exists(data, &layout, &x)
}

/// The extended MLE exists. Fast paths: when every kept cell is observed, `y = n` is strictly
/// positive; when the rows of the observed cells alone have full column rank, no direction of
/// the parameters can leave them unchanged while lowering the zero cells (the recession-direction
/// form of the same condition). Otherwise the linear program decides.
fn exists(data: &Data<'_>, layout: &Layout, x: &[f64]) -> bool {
    let counts = data.ch.counts();
    let p = layout.cols.len();
    if layout.cells.iter().all(|&c| counts[c as usize] > 0) {
        return true;
    }
    let positive: Vec<f64> = layout
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| counts[**c as usize] > 0)
        .flat_map(|(i, _)| x[i * p..(i + 1) * p].iter().copied())
        .collect();
    if rank(&positive, positive.len() / p.max(1), p) == p {
        return true;
    }
    lp_objective(layout, counts).is_some_and(|s| s > LP_ZERO)
}

/// The optimum `s` of the Fienberg–Rinaldo program, `None` if the solver fails.
fn lp_objective(layout: &Layout, counts: &[u64]) -> Option<f64> {
    let mut lp = Problem::new(OptimizationDirection::Maximize);
    let total: u64 = layout.cells.iter().map(|&c| counts[c as usize]).sum();
    let bound = total as f64 + 1.0;
    let ys: Vec<_> = layout.cells.iter().map(|_| lp.add_var(0.0, (0.0, bound))).collect();
    let s = lp.add_var(1.0, (0.0, bound));
    for &col in &layout.cols {
        let mut expr = Vec::new();
        let mut rhs = 0.0;
        for (k, &c) in layout.cells.iter().enumerate() {
            if c & col == col {
                expr.push((ys[k], 1.0));
                rhs += counts[c as usize] as f64;
            }
        }
        lp.add_constraint(expr.as_slice(), ComparisonOp::Eq, rhs);
    }
    for &y in &ys {
        lp.add_constraint([(y, 1.0), (s, -1.0)], ComparisonOp::Ge, 0.0);
    }
    let outcome = lp.solve().ok()?;
    outcome.solution().map(|sol| sol.objective())
}
