//! Validation reports: every problem of an import or preparation with file, row, column, field,
//! rule and a hint, a summary per rule, and CSV / JSON export.
//!
//! A report never holds a source value: only positions, names of columns and fields (schema,
//! not data) and rule identifiers.

use std::collections::BTreeMap;
use std::io::{self, Write};

/// Most issues kept in full; later ones are only counted per rule.
pub const MAX_KEPT_ISSUES: usize = 10_000;

/// One problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The file (as given by the user).
    pub file: String,
    /// 1-based data row, when the problem is in a row.
    pub row: Option<u64>,
    /// Source column (header name), when known.
    pub column: Option<String>,
    /// Model field, when known.
    pub field: Option<String>,
    /// Rule identifier, e.g. `age.range`, `map.unmapped_value`, `pii.email`.
    pub rule: String,
    /// What to do about it (never the value).
    pub hint: String,
}

/// All problems of one run, with counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    issues: Vec<Issue>,
    by_rule: BTreeMap<String, u64>,
    total: u64,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows that passed every rule.
    pub rows_valid: u64,
}

impl Report {
    /// Adds a problem.
    pub fn push(&mut self, issue: Issue) {
        *self.by_rule.entry(issue.rule.clone()).or_default() += 1;
        self.total += 1;
        if self.issues.len() < MAX_KEPT_ISSUES {
            self.issues.push(issue);
        }
    }

    /// Problems kept in full (the first [`MAX_KEPT_ISSUES`]).
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Number of problems, including those only counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Whether there is no problem.
    pub fn is_clean(&self) -> bool {
        self.total == 0
    }

    /// Count per rule, sorted by rule.
    pub fn by_rule(&self) -> &BTreeMap<String, u64> {
        &self.by_rule
    }

    /// Whether any problem is a personal-data finding (`pii.*`).
    pub fn has_personal_data(&self) -> bool {
        self.by_rule.keys().any(|r| r.starts_with("pii."))
    }

    /// CSV: `file,row,column,field,rule,hint`.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["file", "row", "column", "field", "rule", "hint"])?;
        for i in &self.issues {
            let row = i.row.map(|r| r.to_string()).unwrap_or_default();
            w.write_record([
                i.file.as_str(),
                row.as_str(),
                i.column.as_deref().unwrap_or(""),
                i.field.as_deref().unwrap_or(""),
                i.rule.as_str(),
                i.hint.as_str(),
            ])?;
        }
        w.flush()
    }

    /// JSON: `{rows_read, rows_valid, total_issues, by_rule: {...}, issues: [...], truncated}`.
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        let issues: Vec<serde_json::Value> = self
            .issues
            .iter()
            .map(|i| {
                serde_json::json!({
                    "file": i.file, "row": i.row, "column": i.column, "field": i.field,
                    "rule": i.rule, "hint": i.hint,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "total_issues": self.total,
            "by_rule": self.by_rule,
            "issues": issues,
            "truncated": self.total > self.issues.len() as u64,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }

    /// A short human summary: counts per rule and the first problems.
    pub fn write_text(&self, out: &mut dyn Write, first: usize) -> io::Result<()> {
        writeln!(
            out,
            "{} row(s) read, {} valid, {} problem(s)",
            self.rows_read, self.rows_valid, self.total
        )?;
        for (rule, n) in &self.by_rule {
            writeln!(out, "  {rule}: {n}")?;
        }
        for i in self.issues.iter().take(first) {
            writeln!(out, "{}", display(i))?;
        }
        if self.total as usize > first {
            writeln!(
                out,
                "… {} more (export the full report with --report FILE.csv or FILE.json)",
                self.total as usize - first.min(self.total as usize)
            )?;
        }
        Ok(())
    }
}

/// One issue on one line: `file: row R, column `C`, field `F`: rule: hint`.
pub fn display(i: &Issue) -> String {
    let mut s = i.file.clone();
    if let Some(r) = i.row {
        s.push_str(&format!(": row {r}"));
    }
    if let Some(c) = &i.column {
        s.push_str(&format!(", column `{c}`"));
    }
    if let Some(f) = &i.field {
        s.push_str(&format!(", field `{f}`"));
    }
    s.push_str(&format!(": {}: {}", i.rule, i.hint));
    s
}
