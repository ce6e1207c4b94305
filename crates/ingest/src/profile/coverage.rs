//! [`Coverage`]: how well a profile covers a whole file (`mosy profile check`).
//!
//! Runs only at the provider, offline, on the provider's own data. Per mapped field it counts
//! the resulting codes and lists every distinct source value that maps to nothing, with its
//! count, so the provider can complete the profile's value maps. Values are listed only for
//! coded fields and flag columns: never for identity columns (names, birth date) nor for free
//! columns (references, dates, numbers).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use model::ModelCode as _;

use super::mapper::{MapIssue, MapRule, Mapper};

#[derive(Debug, Default)]
struct FieldCoverage {
    name: &'static str,
    source: String,
    coded: bool,
    codes: BTreeMap<String, u64>,
    empty: u64,
    /// (source column, source value) → count.
    unmapped: BTreeMap<(String, String), u64>,
    issues: BTreeMap<&'static str, u64>,
}

/// Coverage of a profile over a whole file.
#[derive(Debug)]
pub struct Coverage {
    profile: String,
    rows: u64,
    rows_with_issues: u64,
    fields: Vec<FieldCoverage>,
    unused: Vec<String>,
    ignored: Vec<String>,
}

fn bump<K: Ord>(map: &mut BTreeMap<K, u64>, key: K) {
    *map.entry(key).or_insert(0) += 1;
}

impl Coverage {
    /// An empty report for the file `mapper` is bound to.
    pub fn new(mapper: &Mapper<'_>) -> Coverage {
        let fields = mapper
            .field_names()
            .enumerate()
            .filter_map(|(i, name)| {
                Some(FieldCoverage {
                    name,
                    source: mapper.field_source(i)?,
                    coded: mapper.field_is_coded(i),
                    ..FieldCoverage::default()
                })
            })
            .collect();
        let p = mapper.profile();
        Coverage {
            profile: format!("{} version {} ({})", p.id(), p.version(), p.record_type().code()),
            rows: 0,
            rows_with_issues: 0,
            fields,
            unused: mapper.unused_columns().into_iter().map(str::to_owned).collect(),
            ignored: mapper.ignored_columns().into_iter().map(str::to_owned).collect(),
        }
    }

    /// Adds one mapped row: `out` and `issues` as filled by [`Mapper::map_row`] for `value`.
    pub fn add_row<'v>(
        &mut self,
        mapper: &Mapper<'_>,
        value: &dyn Fn(usize) -> &'v str,
        out: &[String],
        issues: &[MapIssue],
    ) {
        self.rows += 1;
        if !issues.is_empty() {
            self.rows_with_issues += 1;
        }
        for fc in &mut self.fields {
            let Some(i) = mapper.field_index(fc.name) else { continue };
            let v = out.get(i).map_or("", String::as_str);
            if v.is_empty() {
                fc.empty += 1;
            } else if fc.coded {
                for code in v.split('|') {
                    match fc.codes.get_mut(code) {
                        Some(n) => *n += 1,
                        None => {
                            fc.codes.insert(code.to_owned(), 1);
                        }
                    }
                }
            }
        }
        for issue in issues {
            let Some(fc) = self.fields.iter_mut().find(|f| f.name == issue.field) else { continue };
            bump(&mut fc.issues, issue.rule.code());
            let listable_rule =
                matches!(issue.rule, MapRule::UnmappedValue | MapRule::UnknownCountry | MapRule::BadFlag);
            let (Some(field), Some(column)) = (mapper.field_index(issue.field), issue.column.as_deref())
            else {
                continue;
            };
            let Some(col) = mapper.column_position(column) else { continue };
            if !listable_rule || !fc.coded || !mapper.column_listable(col) {
                continue;
            }
            mapper.unmapped_parts(field, col, value, &mut |part| {
                bump(&mut fc.unmapped, (column.to_owned(), part.to_owned()));
            });
        }
    }

    /// Rows seen.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows with at least one mapping issue.
    pub fn rows_with_issues(&self) -> u64 {
        self.rows_with_issues
    }

    /// Header columns neither mapped nor ignored.
    pub fn unused_columns(&self) -> &[String] {
        &self.unused
    }

    /// Distinct unmapped source values of a field, with their counts, sorted by value.
    pub fn unmapped_values(&self, field: &str) -> Vec<(&str, u64)> {
        self.fields
            .iter()
            .filter(|f| f.name == field)
            .flat_map(|f| f.unmapped.iter().map(|((_, v), n)| (v.as_str(), *n)))
            .collect()
    }

    /// Counts per resulting code of a coded field, sorted by code.
    pub fn code_counts(&self, field: &str) -> Vec<(&str, u64)> {
        self.fields
            .iter()
            .filter(|f| f.name == field)
            .flat_map(|f| f.codes.iter().map(|(c, n)| (c.as_str(), *n)))
            .collect()
    }

    /// The report as plain text.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "Profile {}", self.profile);
        let _ = writeln!(s, "rows: {}, rows with mapping issues: {}", self.rows, self.rows_with_issues);
        if self.unused.is_empty() {
            let _ = writeln!(s, "unused columns: none");
        } else {
            let names: Vec<String> = self.unused.iter().map(|c| format!("`{c}`")).collect();
            let _ =
                writeln!(s, "unused columns (neither mapped nor in [source] ignore): {}", names.join(", "));
        }
        if !self.ignored.is_empty() {
            let names: Vec<String> = self.ignored.iter().map(|c| format!("`{c}`")).collect();
            let _ = writeln!(s, "ignored columns (refused by a hub import): {}", names.join(", "));
        }
        for f in &self.fields {
            let _ = writeln!(s, "\n{} ← {}", f.name, f.source);
            if f.coded && !f.codes.is_empty() {
                let codes: Vec<String> = f.codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
                let _ = writeln!(s, "  codes: {}", codes.join(", "));
            }
            if f.empty > 0 {
                let _ = writeln!(s, "  empty: {}", f.empty);
            }
            if !f.issues.is_empty() {
                let issues: Vec<String> = f.issues.iter().map(|(r, n)| format!("{r} {n}")).collect();
                let _ = writeln!(s, "  issues: {}", issues.join(", "));
            }
            if !f.unmapped.is_empty() {
                let _ = writeln!(s, "  unmapped source values (add them to `values`):");
                for ((col, v), n) in &f.unmapped {
                    let _ = writeln!(s, "    `{col}` = {v:?}: {n} row(s)");
                }
            }
        }
        s
    }
}
