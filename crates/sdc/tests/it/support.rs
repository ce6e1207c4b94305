//! Test support: building linked tables over one inner space, and the safety checks every
//! protected release must pass.

use sdc::{
    CellSpec, Problem, Role, SingletonRule, Status, audit, audit_knowing, determined, determined_knowing,
};

/// One classification dimension: leaf codes `0..leaves` and groups (subtotals, the total).
#[derive(Debug, Clone)]
pub(crate) struct Dim {
    pub(crate) leaves: usize,
    pub(crate) groups: Vec<Vec<usize>>,
}

impl Dim {
    /// `n` leaves and their total.
    pub(crate) fn flat(n: usize) -> Dim {
        Dim { leaves: n, groups: vec![(0..n).collect()] }
    }

    /// Leaves grouped into the given groups (each a list of leaves), plus the total.
    pub(crate) fn hier(groups: &[&[usize]]) -> Dim {
        let leaves = groups.iter().map(|g| g.len()).sum();
        let mut all: Vec<Vec<usize>> = groups.iter().map(|g| g.to_vec()).collect();
        all.push((0..leaves).collect());
        Dim { leaves, groups: all }
    }

    /// All categories with their names: the leaves ("0", "1", ...) as one-leaf groups, then the
    /// groups ("G0", "G1", ..., and "*" for the total).
    pub(crate) fn categories(&self) -> Vec<(String, Vec<usize>)> {
        let leaves = (0..self.leaves).map(|l| (l.to_string(), vec![l]));
        let groups = self.groups.iter().enumerate().map(|(j, g)| {
            let name = if g.len() == self.leaves { "*".to_string() } else { format!("G{j}") };
            (name, g.clone())
        });
        leaves.chain(groups).collect()
    }
}

/// A release under construction.
pub(crate) struct Release {
    pub(crate) dims: Vec<Dim>,
    /// Leaf codes of each listed inner cell.
    pub(crate) codes: Vec<Vec<usize>>,
    pub(crate) counts: Vec<u64>,
    pub(crate) cells: Vec<CellSpec>,
    pub(crate) labels: Vec<String>,
    pub(crate) k: u64,
    pub(crate) singleton: SingletonRule,
}

impl Release {
    /// Inner cells over the cross product of the dims; zero counts are omitted (structural).
    pub(crate) fn new(dims: Vec<Dim>, count: impl Fn(&[usize]) -> u64) -> Release {
        let mut codes = vec![Vec::new()];
        for d in &dims {
            codes = codes
                .into_iter()
                .flat_map(|c| {
                    (0..d.leaves).map(move |l| {
                        let mut c = c.clone();
                        c.push(l);
                        c
                    })
                })
                .collect();
        }
        let (codes, counts): (Vec<_>, Vec<_>) = codes
            .into_iter()
            .map(|c| {
                let n = count(&c);
                (c, n)
            })
            .filter(|(_, n)| *n > 0)
            .unzip();
        Release {
            dims,
            codes,
            counts,
            cells: Vec::new(),
            labels: Vec::new(),
            k: 5,
            singleton: SingletonRule::default(),
        }
    }

    /// Adds one cell: the inner cells whose leaf codes satisfy `pred`.
    pub(crate) fn cell(&mut self, label: String, role: Role, pred: impl Fn(&[usize]) -> bool) -> usize {
        let inner: Vec<u32> =
            self.codes.iter().enumerate().filter(|(_, c)| pred(c)).map(|(i, _)| i as u32).collect();
        self.cells.push(CellSpec::new(inner, role));
        self.labels.push(label);
        self.cells.len() - 1
    }

    /// Adds a table over `table_dims` (every combination of categories, so interior cells,
    /// subtotals and totals), restricted to the inner cells whose dim `d` leaf is in `leaves`
    /// for every `(d, leaves)` of `restrict`. Returns the cell indices.
    pub(crate) fn table(
        &mut self,
        name: &str,
        table_dims: &[usize],
        restrict: &[(usize, Vec<usize>)],
        role: Role,
    ) -> Vec<usize> {
        let mut combos: Vec<Vec<(String, Vec<usize>)>> = vec![Vec::new()];
        for &d in table_dims {
            let cats = self.dims[d].categories();
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
        let mut out = Vec::new();
        for combo in combos {
            let names: Vec<&str> = combo.iter().map(|c| c.0.as_str()).collect();
            let label = format!("{name}({})", names.join(","));
            let restrict = restrict.to_vec();
            let dims = table_dims.to_vec();
            let id = self.cell(label, role, move |c| {
                dims.iter().zip(&combo).all(|(&d, cat)| cat.1.contains(&c[d]))
                    && restrict.iter().all(|(d, leaves)| leaves.contains(&c[*d]))
            });
            out.push(id);
        }
        out
    }

    /// The problem (k and singleton rule as set on the release).
    pub(crate) fn problem(&self) -> Problem {
        let mut p = Problem::new(self.counts.clone(), self.cells.clone());
        p.rule.k = self.k;
        p.singleton = self.singleton;
        p
    }

    /// The index of the cell with this label.
    pub(crate) fn id(&self, label: &str) -> usize {
        self.labels.iter().position(|l| l == label).unwrap_or_else(|| panic!("no cell {label}"))
    }
}

/// Whether the inner lists of two cells are equal (the same quantity).
fn same(problem: &Problem, a: usize, b: usize) -> bool {
    problem.cells[a].inner == problem.cells[b].inner
}

/// The checks every protected release must pass; `lp` also runs the LP audits.
///
/// * no published `Candidate` fails the rule;
/// * no protected cell is determined exactly by the published cells;
/// * for every singleton, no other protected cell is determined by the published cells and it;
/// * with `lp`: no suppressed cell has an LP interval narrower than 1, also when the attacker
///   knows any one singleton (cells identical to that singleton excepted).
pub(crate) fn assert_safe(problem: &Problem, status: &[Status], lp: bool) {
    let values = problem.values();
    for (c, spec) in problem.cells.iter().enumerate() {
        if spec.role == Role::Candidate && status[c] == Status::Published {
            assert!(!problem.rule.is_unsafe(values[c]), "published candidate {c} has a small value");
        }
        match spec.role {
            Role::Forced => assert_eq!(status[c], Status::Published),
            Role::Suppressed | Role::Virtual => assert!(status[c] != Status::Published),
            Role::Candidate => {}
        }
    }
    let det = determined(problem, status).unwrap();
    let bad: Vec<usize> = det.iter().copied().filter(|&c| status[c].is_protected()).collect();
    assert!(bad.is_empty(), "protected cells determined: {bad:?}");
    let singletons: Vec<usize> =
        (0..problem.cells.len()).filter(|&c| status[c].is_protected() && values[c] == 1).collect();
    if problem.singleton == SingletonRule::KnownSingleton {
        for &s in &singletons {
            let det = determined_knowing(problem, status, &[s]).unwrap();
            let bad: Vec<usize> =
                det.into_iter().filter(|&c| status[c].is_protected() && !same(problem, c, s)).collect();
            assert!(bad.is_empty(), "knowing singleton {s} determines {bad:?}");
        }
    }
    if lp {
        let a = audit(problem, status).unwrap();
        for c in &a.cells {
            assert!(c.width() >= 1.0 - 1e-6, "cell {} pinned: [{}, {}]", c.cell, c.min, c.max);
            assert!(c.min <= c.true_value as f64 + 1e-6 && c.max >= c.true_value as f64 - 1e-6);
        }
        if problem.singleton == SingletonRule::KnownSingleton {
            for &s in &singletons {
                let a = audit_knowing(problem, status, &[s]).unwrap();
                for c in a.cells.iter().filter(|c| c.status.is_protected() && !same(problem, c.cell, s)) {
                    assert!(c.width() >= 1.0 - 1e-6, "knowing {s}: cell {} pinned", c.cell);
                }
            }
        }
    }
}

/// Statuses as [`sdc::protect`] would give them from the rule alone (no secondary suppression):
/// the negative control.
pub(crate) fn primary_only(problem: &Problem) -> Vec<Status> {
    problem
        .cells
        .iter()
        .enumerate()
        .map(|(c, spec)| {
            let small = problem.rule.is_unsafe(problem.value(c));
            match (spec.role, small) {
                (Role::Forced, _) | (Role::Candidate, false) => Status::Published,
                (Role::Candidate | Role::Suppressed, true) => Status::Primary,
                (Role::Suppressed, false) => Status::Secondary,
                (Role::Virtual, true) => Status::VirtualPrimary,
                (Role::Virtual, false) => Status::Virtual,
            }
        })
        .collect()
}

/// Suppressed cells with their labels, for failure messages.
pub(crate) fn suppressed(release: &Release, status: &[Status]) -> Vec<String> {
    status
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_suppressed())
        .map(|(c, s)| format!("{}={:?}", release.labels[c], s))
        .collect()
}
