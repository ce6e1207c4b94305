//! What every format shares: the published view of a cell, labels, the row × column layout of a
//! table, and period arithmetic for the change against the previous period.

use reports::{Method, Report, Section};
use stats::{Cell, Flag, TOTAL, Table};

/// Why a cell is withheld.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Withheld {
    /// A small count (primary suppression).
    Primary,
    /// To protect small counts elsewhere (secondary suppression).
    Secondary,
    /// No published value, for another reason.
    Other,
}

impl Withheld {
    /// The SDMX `CONF_STATUS`.
    pub(crate) fn conf_status(self) -> &'static str {
        match self {
            Withheld::Primary => "A",
            Withheld::Secondary => "D",
            Withheld::Other => "C",
        }
    }

    /// The id used in JSON.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Withheld::Primary => "primary",
            Withheld::Secondary => "secondary",
            Withheld::Other => "withheld",
        }
    }
}

/// What a cell publishes. Built from `value` and `flag` only: the exact count and the cell key
/// are never read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Shown {
    /// A published value.
    Value(u64),
    /// No value.
    Withheld(Withheld),
}

impl Shown {
    /// The published value of `cell`.
    pub(crate) fn of(cell: &Cell) -> Shown {
        match (cell.flag, cell.value) {
            (Flag::Primary, _) => Shown::Withheld(Withheld::Primary),
            (Flag::Secondary, _) => Shown::Withheld(Withheld::Secondary),
            (_, Some(v)) => Shown::Value(v),
            (_, None) => Shown::Withheld(Withheld::Other),
        }
    }

    /// The value, if published.
    pub(crate) fn value(self) -> Option<u64> {
        match self {
            Shown::Value(v) => Some(v),
            Shown::Withheld(_) => None,
        }
    }
}

/// Whether the report's values are protected by the cell key method: then every published value
/// is marked the same way (see the crate documentation).
pub(crate) fn noisy(report: &Report) -> bool {
    report.meta.disclosure.method == Method::CellKey
        || report
            .sections
            .iter()
            .filter_map(|s| s.table.as_ref())
            .any(|t| t.cells.iter().any(|c| c.flag == Flag::Perturbed))
}

/// Whether any cell of the report is withheld.
pub(crate) fn any_withheld(report: &Report) -> bool {
    report
        .sections
        .iter()
        .filter_map(|s| s.table.as_ref())
        .any(|t| t.cells.iter().any(|c| Shown::of(c).value().is_none()))
}

/// The flag letter of a shown cell in a report (`None`: published as counted).
pub(crate) fn flag_letter(shown: Shown, noisy: bool) -> Option<&'static str> {
    match shown {
        Shown::Withheld(_) => Some("c"),
        Shown::Value(_) if noisy => Some("k"),
        Shown::Value(_) => None,
    }
}

/// The label of entry `entry` of axis `axis` (the code when the section has no label for it).
pub(crate) fn entry_label<'a>(section: &'a Section, table: &'a Table, axis: usize, entry: usize) -> &'a str {
    section
        .labels
        .get(axis)
        .and_then(|l| l.get(entry))
        .map(String::as_str)
        .unwrap_or_else(|| table.axes[axis].codes[entry].as_str())
}

/// The label of axis `axis` (the dimension id when the section has none).
pub(crate) fn axis_label<'a>(section: &'a Section, table: &'a Table, axis: usize) -> &'a str {
    section.axis_labels.get(axis).map(String::as_str).unwrap_or_else(|| table.axes[axis].dim.id())
}

/// Whether entry `entry` of `axis` is the axis total.
pub(crate) fn is_total(table: &Table, axis: usize, entry: usize) -> bool {
    table.axes[axis].codes[entry] == TOTAL
}

/// The report's language for the fixed wording.
pub(crate) fn lang_of(report: &Report) -> charts::Lang {
    if report.meta.lang.trim().eq_ignore_ascii_case("pt") { charts::Lang::Pt } else { charts::Lang::En }
}

/// The label of the measure a table counts, in `lang`.
pub(crate) fn measure_label(table: &Table, lang: charts::Lang) -> &'static str {
    let lists = model::Codelists::embedded();
    let l = match lang {
        charts::Lang::En => model::Lang::En,
        charts::Lang::Pt => model::Lang::Pt,
    };
    reports::Labeller::new(lists, l, std::collections::BTreeMap::new()).measure(table.measure())
}

/// How a table is laid out as rows and columns: the row axes (one header column each, every
/// combination of their entries a row, row-major) and at most one column axis.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Axes shown as row headers, in order.
    pub(crate) row_axes: Vec<usize>,
    /// The axis across the columns (`None`: one value column).
    pub(crate) col_axis: Option<usize>,
    /// Each row: one entry index per row axis.
    pub(crate) rows: Vec<Vec<usize>>,
    /// The period axis, when the section shows the change against the previous period.
    pub(crate) period_axis: Option<usize>,
}

impl Layout {
    /// The layout of `table`: the axis with the fewest entries across, the others down in order;
    /// a change section puts its period axis first down (and the last other axis across).
    pub(crate) fn of(section: &Section, table: &Table) -> Layout {
        let n = table.axes.len();
        let period = if section.change { reports::period_axis(table).map(|(i, _)| i) } else { None };
        let (row_axes, col_axis) = match (n, period) {
            (0, _) => (Vec::new(), None),
            (1, _) => (vec![0], None),
            (_, Some(p)) => {
                let col = if p == n - 1 { n - 2 } else { n - 1 };
                let mut rows = vec![p];
                rows.extend((0..n).filter(|i| *i != p && *i != col));
                (rows, Some(col))
            }
            (_, None) => {
                // The axis with the fewest entries goes across (the last one on a tie), so that
                // long lists (countries, forms) read down the rows.
                let col = (0..n).rev().min_by_key(|a| table.axes[*a].len()).unwrap_or(n - 1);
                ((0..n).filter(|a| *a != col).collect(), Some(col))
            }
        };
        let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
        for &a in &row_axes {
            rows = rows
                .into_iter()
                .flat_map(|r| {
                    (0..table.axes[a].len()).map(move |e| {
                        let mut r = r.clone();
                        r.push(e);
                        r
                    })
                })
                .collect();
        }
        Layout { row_axes, col_axis, rows, period_axis: period }
    }

    /// Number of value columns.
    pub(crate) fn columns(&self, table: &Table) -> usize {
        self.col_axis.map_or(1, |c| table.axes[c].len())
    }

    /// The cell index of row `row` and value column `col`.
    pub(crate) fn index(&self, table: &Table, row: &[usize], col: usize) -> usize {
        let mut coords = vec![0; table.axes.len()];
        for (a, e) in self.row_axes.iter().zip(row) {
            coords[*a] = *e;
        }
        if let Some(c) = self.col_axis {
            coords[c] = col;
        }
        table.index(&coords)
    }

    /// Whether a row is a total row (some row axis at its total).
    pub(crate) fn is_total_row(&self, table: &Table, row: &[usize]) -> bool {
        self.row_axes.iter().zip(row).any(|(a, e)| is_total(table, *a, *e))
    }

    /// Whether value column `col` is the total column.
    pub(crate) fn is_total_col(&self, table: &Table, col: usize) -> bool {
        self.col_axis.is_some_and(|c| is_total(table, c, col))
    }

    /// The change of row `row` against the previous period, on the last value column (the total
    /// across, or the only value): `(previous, current)` published values, `None` when the row
    /// is not a period, the previous period lies before the table, or either value is withheld.
    ///
    /// A period inside the table's span that is missing from the axis had nobody in it (tables
    /// leave out the periods whose total is zero, and zeros are published as they are): its
    /// values are 0.
    pub(crate) fn change(&self, table: &Table, row: &[usize]) -> Option<(u64, u64)> {
        let p = self.period_axis?;
        let pos = self.row_axes.iter().position(|a| *a == p)?;
        let codes = &table.axes[p].codes;
        let prev_code = previous_period(&codes[row[pos]])?;
        let col = self.columns(table) - 1;
        let now = Shown::of(&table.cells[self.index(table, row, col)]).value()?;
        let before = match codes.iter().position(|c| *c == prev_code) {
            Some(prev_entry) => {
                let mut prev_row = row.to_vec();
                prev_row[pos] = prev_entry;
                Shown::of(&table.cells[self.index(table, &prev_row, col)]).value()?
            }
            None => {
                let first = codes.iter().filter(|c| *c != TOTAL).min()?;
                if prev_code.len() != first.len() || prev_code.as_str() < first.as_str() {
                    return None;
                }
                0
            }
        };
        Some((before, now))
    }
}

/// The period before a period code: `2025` → `2024`, `2025-Q1` → `2024-Q4`, `2025-01` →
/// `2024-12`; `None` for anything else (the total, unknown formats).
pub(crate) fn previous_period(code: &str) -> Option<String> {
    let (year, rest) = match code.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (code, None),
    };
    if year.len() != 4 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    match rest {
        None => Some(format!("{}", year - 1)),
        Some(q) if q.len() == 2 && q.starts_with('Q') => match q[1..].parse::<u8>().ok()? {
            1 => Some(format!("{}-Q4", year - 1)),
            n @ 2..=4 => Some(format!("{year}-Q{}", n - 1)),
            _ => None,
        },
        Some(m) if m.len() == 2 => match m.parse::<u8>().ok()? {
            1 => Some(format!("{}-12", year - 1)),
            n @ 2..=12 => Some(format!("{year}-{:02}", n - 1)),
            _ => None,
        },
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::previous_period;

    #[test]
    fn previous_periods() {
        assert_eq!(previous_period("2025").as_deref(), Some("2024"));
        assert_eq!(previous_period("2025-Q1").as_deref(), Some("2024-Q4"));
        assert_eq!(previous_period("2025-Q3").as_deref(), Some("2025-Q2"));
        assert_eq!(previous_period("2025-01").as_deref(), Some("2024-12"));
        assert_eq!(previous_period("2025-11").as_deref(), Some("2025-10"));
        assert_eq!(previous_period("_T"), None);
        assert_eq!(previous_period("2025-Q5"), None);
        assert_eq!(previous_period("2025-13"), None);
    }
}
