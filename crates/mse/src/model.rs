//! Hierarchical log-linear models over `t` lists, given by their interaction terms, and the
//! enumeration of all hierarchical models up to a maximum order.
//!
//! A term is a bitmask of two or more lists (bit `i` = list `i`); the intercept and all main
//! effects are always in the model. A model is *hierarchical* when every subset (of two lists or
//! more) of one of its terms is also a term.
//!
//! **Notation.** [`Model`]'s `Display` writes the generating class (the maximal terms, and the
//! lists in no interaction) as products of list letters joined by ` + `: list 1 is `A`, list 2 is
//! `B`, …; so the model with the interactions 1:2 and 2:3 of three lists is `A*B + B*C`, the
//! main-effects model is `A + B + C`. [`Model::display_with`] uses list names instead
//! (`police*ngo + labour`). [`Model::hierarchy`] gives the bracket notation of the R package
//! MultipleSystemsEstimation (`[12,23]`, `[12,3]`), and [`Model::from_hierarchy`] reads it.

use std::fmt;

use crate::Error;

/// A hierarchical log-linear model: its interaction terms (each a bitmask of ≥ 2 lists).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Model {
    lists: usize,
    /// Sorted by (order, mask).
    terms: Vec<u32>,
}

fn term_key(m: u32) -> (u32, u32) {
    (m.count_ones(), m)
}

impl Model {
    /// The main-effects (independence) model over `lists` lists.
    pub fn main_effects(lists: usize) -> Self {
        Self { lists, terms: Vec::new() }
    }

    /// A model from its interaction terms (duplicates ignored).
    ///
    /// # Errors
    /// [`Error::Model`] for a term of fewer than two lists, outside the lists, or a set of terms
    /// that is not hierarchical.
    pub fn new(lists: usize, terms: impl IntoIterator<Item = u32>) -> Result<Self, Error> {
        let mut terms: Vec<u32> = terms.into_iter().collect();
        terms.sort_by_key(|&m| term_key(m));
        terms.dedup();
        for &m in &terms {
            if m.count_ones() < 2 {
                return Err(Error::Model("an interaction term needs two lists or more"));
            }
            if lists < 32 && m >> lists != 0 {
                return Err(Error::Model("an interaction term names a list that does not exist"));
            }
        }
        let model = Self { lists, terms };
        if !model.is_hierarchical() {
            return Err(Error::Model("the model is not hierarchical: add every sub-interaction"));
        }
        Ok(model)
    }

    /// The smallest hierarchical model containing the given terms (all their sub-interactions).
    ///
    /// # Errors
    /// As [`Model::new`].
    pub fn closure(lists: usize, generators: impl IntoIterator<Item = u32>) -> Result<Self, Error> {
        let mut all = Vec::new();
        for g in generators {
            // Every subset of g with ≥ 2 bits.
            let mut s = g;
            loop {
                if s.count_ones() >= 2 {
                    all.push(s);
                }
                if s == 0 {
                    break;
                }
                s = (s - 1) & g;
            }
        }
        Self::new(lists, all)
    }

    /// Reads the bracket notation `[12,13,23]` or `[12,3]` (lists numbered from 1; digits 1–9,
    /// then `0` for list 10).
    ///
    /// # Errors
    /// [`Error::Model`] for malformed text.
    pub fn from_hierarchy(lists: usize, text: &str) -> Result<Self, Error> {
        let inner = text
            .trim()
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .ok_or(Error::Model("expected [..]"))?;
        let mut gens = Vec::new();
        for part in inner.split(',') {
            let mut m = 0u32;
            for ch in part.trim().chars() {
                let d = match ch {
                    '1'..='9' => ch as u32 - '0' as u32,
                    '0' => 10,
                    _ => return Err(Error::Model("expected list numbers")),
                };
                if d as usize > lists {
                    return Err(Error::Model("list number out of range"));
                }
                m |= 1 << (d - 1);
            }
            gens.push(m);
        }
        Self::closure(lists, gens)
    }

    /// Adds a term (and nothing else): the result must still be hierarchical.
    ///
    /// # Errors
    /// As [`Model::new`].
    pub fn with_term(&self, term: u32) -> Result<Self, Error> {
        Self::new(self.lists, self.terms.iter().copied().chain([term]))
    }

    /// Number of lists.
    pub fn lists(&self) -> usize {
        self.lists
    }

    /// The interaction terms, by increasing order then mask.
    pub fn terms(&self) -> &[u32] {
        &self.terms
    }

    /// Whether `term` is an interaction of the model.
    pub fn contains(&self, term: u32) -> bool {
        self.terms.binary_search_by_key(&term_key(term), |&m| term_key(m)).is_ok()
    }

    /// Highest interaction order (1 for the main-effects model).
    pub fn order(&self) -> usize {
        self.terms.iter().map(|m| m.count_ones() as usize).max().unwrap_or(1)
    }

    /// Number of parameters: intercept, main effects and interactions.
    pub fn parameters(&self) -> usize {
        1 + self.lists + self.terms.len()
    }

    fn is_hierarchical(&self) -> bool {
        self.terms.iter().all(|&m| {
            m.count_ones() == 2 || (0..32).filter(|b| m & (1 << b) != 0).all(|b| self.contains(m & !(1 << b)))
        })
    }

    /// The generating class: maximal interaction terms, then the lists in no interaction.
    pub fn generators(&self) -> Vec<u32> {
        let mut gens: Vec<u32> = self
            .terms
            .iter()
            .copied()
            .filter(|&m| !self.terms.iter().any(|&o| o != m && o & m == m))
            .collect();
        let covered = self.terms.iter().fold(0, |a, &m| a | m);
        for i in 0..self.lists {
            if covered & (1 << i) == 0 {
                gens.push(1 << i);
            }
        }
        gens.sort_by_key(|&m| (first_bits(m), m.count_ones()));
        gens
    }

    /// The model written with list names: `police*ngo + labour`.
    pub fn display_with(&self, names: &[String]) -> String {
        self.render(|i| names.get(i).cloned().unwrap_or_else(|| letter(i)))
    }

    fn render(&self, name: impl Fn(usize) -> String) -> String {
        self.generators()
            .iter()
            .map(|&g| bits(g).map(&name).collect::<Vec<_>>().join("*"))
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// Bracket notation of the R package MultipleSystemsEstimation: `[12,23]`.
    pub fn hierarchy(&self) -> String {
        let parts: Vec<String> = self
            .generators()
            .iter()
            .map(|&g| bits(g).map(|i| if i == 9 { '0' } else { char::from(b'1' + i as u8) }).collect())
            .collect();
        format!("[{}]", parts.join(","))
    }
}

fn first_bits(m: u32) -> Vec<u32> {
    bits(m).map(|i| i as u32).collect()
}

pub(crate) fn bits(m: u32) -> impl Iterator<Item = usize> {
    (0..32).filter(move |b| m & (1 << b) != 0)
}

fn letter(i: usize) -> String {
    if i < 26 { char::from(b'A' + i as u8).to_string() } else { format!("L{}", i + 1) }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(letter))
    }
}

/// Every hierarchical model over `lists` lists whose interactions have order ≤ `max_order`
/// (main effects always present), the main-effects model first. Returns an error when there
/// would be more than `limit` models.
///
/// # Errors
/// [`Error::TooManyModels`] past `limit`.
pub fn hierarchical_models(lists: usize, max_order: usize, limit: usize) -> Result<Vec<Model>, Error> {
    let max_order = max_order.min(lists);
    let mut candidates: Vec<u32> =
        (0u32..(1 << lists)).filter(|m| (2..=max_order as u32).contains(&m.count_ones())).collect();
    candidates.sort_by_key(|&m| term_key(m));
    let mut out = Vec::new();
    let mut chosen = Vec::new();
    let mut included = vec![false; 1 << lists];
    enumerate(&candidates, 0, &mut chosen, &mut included, lists, &mut out, limit)?;
    Ok(out)
}

fn enumerate(
    cands: &[u32],
    k: usize,
    chosen: &mut Vec<u32>,
    included: &mut [bool],
    lists: usize,
    out: &mut Vec<Model>,
    limit: usize,
) -> Result<(), Error> {
    if k == cands.len() {
        if out.len() >= limit {
            return Err(Error::TooManyModels { limit });
        }
        out.push(Model { lists, terms: chosen.clone() });
        return Ok(());
    }
    let m = cands[k];
    // Without the term.
    enumerate(cands, k + 1, chosen, included, lists, out, limit)?;
    // With it, when all its sub-interactions one order down are in.
    let ok = m.count_ones() == 2 || bits(m).all(|b| included[(m & !(1 << b)) as usize]);
    if ok {
        included[m as usize] = true;
        chosen.push(m);
        enumerate(cands, k + 1, chosen, included, lists, out, limit)?;
        chosen.pop();
        included[m as usize] = false;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_hierarchical_models() {
        assert_eq!(hierarchical_models(3, 2, usize::MAX).unwrap().len(), 8);
        assert_eq!(hierarchical_models(4, 3, usize::MAX).unwrap().len(), 113);
        assert_eq!(hierarchical_models(4, 2, usize::MAX).unwrap().len(), 64);
        assert_eq!(hierarchical_models(5, 4, usize::MAX).unwrap().len(), 6_893);
        assert_eq!(hierarchical_models(6, 2, usize::MAX).unwrap().len(), 32_768);
        assert!(matches!(hierarchical_models(6, 3, 1000), Err(Error::TooManyModels { .. })));
    }

    #[test]
    fn notation() {
        let m = Model::from_hierarchy(3, "[12,3]").unwrap();
        assert_eq!(m.to_string(), "A*B + C");
        assert_eq!(m.hierarchy(), "[12,3]");
        let m = Model::from_hierarchy(4, "[123,14,24]").unwrap();
        assert_eq!(m.to_string(), "A*B*C + A*D + B*D");
        assert_eq!(m.terms().len(), 6);
        assert_eq!(Model::main_effects(3).to_string(), "A + B + C");
        assert!(Model::new(3, [0b111]).is_err());
        let names: Vec<String> = ["b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(Model::from_hierarchy(3, "[12,23]").unwrap().display_with(&names), "b*c + c*d");
    }
}
