//! Tables: a cross-tabulation with its margins (totals), the unit every report, disclosure
//! control and output format works on.

use crate::Error;
use crate::dims::Dim;
use crate::query::{Counting, CrossTab, Engine, Measure, Query};

/// The code of the total category of every axis.
pub const TOTAL: &str = "_T";

/// How a published cell came to be what it is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum Flag {
    /// The exact count.
    #[default]
    Exact,
    /// Withheld: a small count (primary suppression, SDMX CONF_STATUS `A`).
    Primary,
    /// Withheld so that a small count cannot be derived (secondary suppression, CONF_STATUS `D`).
    Secondary,
    /// Perturbed by the cell key method (the value shown is not the exact count).
    Perturbed,
}

impl Flag {
    /// Whether the value is withheld.
    pub fn is_suppressed(self) -> bool {
        matches!(self, Flag::Primary | Flag::Secondary)
    }
}

/// One dimension of a table with its categories; the last category is [`TOTAL`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Axis {
    /// The dimension.
    pub dim: Dim,
    /// Category codes, then [`TOTAL`].
    pub codes: Vec<String>,
}

impl Axis {
    /// Number of entries including the total.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the axis has no entries (never: the total is always there).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Index of the total entry.
    pub fn total(&self) -> usize {
        self.codes.len() - 1
    }
}

/// A cell: the exact count, its cell key, and what is published.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Cell {
    /// The exact count (never leaves the hub in a protected output).
    pub count: u64,
    /// Wrapping sum of the record keys of the units in the cell (cell key method).
    pub key: u32,
    /// The published value (`None`: withheld).
    pub value: Option<u64>,
    /// How the published value relates to the count.
    pub flag: Flag,
}

/// A table: axes and cells in row-major order (the last axis varies fastest); every axis ends
/// with its total, so margins are ordinary cells.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Table {
    /// The query that produced the table.
    pub query: Query,
    /// The axes.
    pub axes: Vec<Axis>,
    /// The cells.
    pub cells: Vec<Cell>,
    /// Whether some unit counts under several categories (multi-count): margins are then counted,
    /// not summed.
    pub multi: bool,
}

impl Table {
    /// The measure.
    pub fn measure(&self) -> Measure {
        self.query.measure
    }

    /// The counting rule.
    pub fn counting(&self) -> Counting {
        self.query.counting
    }

    /// Index of a cell from one entry index per axis.
    pub fn index(&self, coords: &[usize]) -> usize {
        coords.iter().zip(&self.axes).fold(0, |acc, (c, a)| acc * a.len() + c)
    }

    /// Entry indexes of a cell index.
    pub fn coords(&self, mut index: usize) -> Vec<usize> {
        let mut out = vec![0; self.axes.len()];
        for (i, a) in self.axes.iter().enumerate().rev() {
            out[i] = index % a.len();
            index /= a.len();
        }
        out
    }

    /// The cell at the given codes (one per axis; [`TOTAL`] for a margin).
    pub fn cell(&self, codes: &[&str]) -> Option<&Cell> {
        if codes.len() != self.axes.len() {
            return None;
        }
        let mut coords = Vec::with_capacity(codes.len());
        for (code, axis) in codes.iter().zip(&self.axes) {
            coords.push(axis.codes.iter().position(|c| c == code)?);
        }
        self.cells.get(self.index(&coords))
    }

    /// The grand total.
    pub fn total(&self) -> &Cell {
        self.cells.last().expect("a table has at least its grand total")
    }

    /// Whether a cell lies in the interior (no axis at its total).
    pub fn is_interior(&self, index: usize) -> bool {
        self.coords(index).iter().zip(&self.axes).all(|(c, a)| *c != a.total())
    }

    /// Publishes every cell exactly (the national / provider audience).
    pub fn publish_exact(&mut self) {
        for c in &mut self.cells {
            c.value = Some(c.count);
            c.flag = Flag::Exact;
        }
    }
}

impl Engine {
    /// Answers a query with margins: every axis gets a total; open dimensions (countries,
    /// regions, providers, periods) keep only categories with something in them, closed ones
    /// keep every category but the aggregate and not-applicable codes (`T`, `TOTAL`, `_Z`). Cells are published exactly until disclosure control says otherwise.
    pub fn table(&self, q: &Query) -> Result<Table, Error> {
        let inner = self.crosstab(q)?;
        let d = inner.dims.len();
        let sizes: Vec<usize> = inner.categories.iter().map(|c| c.len() + 1).collect();
        let full: usize = sizes.iter().product();
        let mut cells = vec![Cell::default(); full];
        let index = |coords: &[usize]| coords.iter().zip(&sizes).fold(0, |acc, (c, s)| acc * s + c);
        if !inner.multi {
            // Additive: every margin is the sum of the cells below it.
            for (flat, (count, key)) in inner.counts.iter().zip(&inner.keys).enumerate() {
                let coords = inner_coords(&inner, flat);
                for mask in 0..(1usize << d) {
                    let target: Vec<usize> = coords
                        .iter()
                        .enumerate()
                        .map(|(i, c)| if mask & (1 << i) != 0 { sizes[i] - 1 } else { *c })
                        .collect();
                    let cell = &mut cells[index(&target)];
                    cell.count += count;
                    cell.key = cell.key.wrapping_add(*key);
                }
            }
        } else {
            // Multi-count: each margin is counted on its own, so a unit counts once in a total.
            for mask in 0..(1usize << d) {
                let kept: Vec<usize> = (0..d).filter(|i| mask & (1 << i) == 0).collect();
                let sub = if kept.len() == d {
                    inner.clone()
                } else {
                    let mut sq = q.clone();
                    sq.dims = kept.iter().map(|i| q.dims[*i]).collect();
                    self.crosstab(&sq)?
                };
                for (flat, (count, key)) in sub.counts.iter().zip(&sub.keys).enumerate() {
                    let sub_coords = inner_coords(&sub, flat);
                    let mut target: Vec<usize> = sizes.iter().map(|s| s - 1).collect();
                    for (k, i) in kept.iter().enumerate() {
                        target[*i] = sub_coords[k];
                    }
                    let cell = &mut cells[index(&target)];
                    cell.count = *count;
                    cell.key = *key;
                }
            }
        }
        let mut axes: Vec<Axis> = inner
            .dims
            .iter()
            .zip(&inner.categories)
            .map(|(dim, cats)| Axis {
                dim: *dim,
                codes: cats.iter().cloned().chain(std::iter::once(TOTAL.to_string())).collect(),
            })
            .collect();
        // Keep, per axis, the entries to show.
        let keep: Vec<Vec<usize>> = (0..d)
            .map(|i| {
                (0..sizes[i])
                    .filter(|&c| {
                        if c == sizes[i] - 1 {
                            return true;
                        }
                        // Aggregate and not-applicable codes (sex `T`, age `TOTAL`, `_Z`) only
                        // when something is in them; closed lists otherwise keep every category.
                        let code = inner.categories[i][c].as_str();
                        let always = !inner.dims[i].is_open() && !matches!(code, "T" | "TOTAL" | "_Z");
                        let mut coords: Vec<usize> = sizes.iter().map(|s| s - 1).collect();
                        coords[i] = c;
                        always || cells[index(&coords)].count > 0
                    })
                    .collect()
            })
            .collect();
        let new_sizes: Vec<usize> = keep.iter().map(Vec::len).collect();
        let new_full: usize = new_sizes.iter().product();
        let mut kept_cells = Vec::with_capacity(new_full);
        for flat in 0..new_full {
            let mut rest = flat;
            let mut coords = vec![0; d];
            for i in (0..d).rev() {
                coords[i] = keep[i][rest % new_sizes[i]];
                rest /= new_sizes[i];
            }
            let mut cell = cells[index(&coords)];
            cell.value = Some(cell.count);
            kept_cells.push(cell);
        }
        for (axis, k) in axes.iter_mut().zip(&keep) {
            axis.codes = k.iter().map(|c| axis.codes[*c].clone()).collect();
        }
        Ok(Table { query: q.clone(), axes, cells: kept_cells, multi: inner.multi })
    }
}

fn inner_coords(t: &CrossTab, mut flat: usize) -> Vec<usize> {
    let mut out = vec![0; t.categories.len()];
    for i in (0..t.categories.len()).rev() {
        let n = t.categories[i].len();
        out[i] = flat % n;
        flat /= n;
    }
    out
}
