//! Plain-text rendering of command results: aligned tables, labels in the chosen language.

use std::collections::BTreeMap;
use std::io::{self, Write};

use app::demo::{DemoOptions, DemoOutcome};
use model::codelists::CodeList;
use model::codes::{ExploitationForm, RecordType, Sex};
use model::{Codelists, DataProvider, Lang, ModelCode, ProviderId};

/// A simple text table: first column left-aligned, the others right-aligned.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    left: Vec<usize>,
}

impl Table {
    fn new(header: impl IntoIterator<Item = String>) -> Table {
        Table { header: header.into_iter().collect(), rows: Vec::new(), left: vec![0] }
    }

    /// Left-aligns these columns too (text columns); numbers stay right-aligned.
    fn left(mut self, cols: &[usize]) -> Table {
        self.left.extend_from_slice(cols);
        self
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows.push(cells.into_iter().collect());
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let n = self.header.len();
        let mut widths = vec![0usize; n];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let line = |out: &mut dyn Write, r: &[String]| -> io::Result<()> {
            let mut text = String::new();
            for (i, c) in r.iter().enumerate().take(n) {
                let pad = " ".repeat(widths[i] - c.chars().count());
                let sep = if i == 0 { "" } else { "  " };
                if self.left.contains(&i) {
                    text.push_str(&format!("{sep}{c}{pad}"));
                } else {
                    text.push_str(&format!("{sep}{pad}{c}"));
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(out, &self.header)?;
        let total: usize = widths.iter().sum::<usize>() + 2 * (n.saturating_sub(1));
        writeln!(out, "{}", "-".repeat(total))?;
        for r in &self.rows {
            line(out, r)?;
        }
        Ok(())
    }
}

fn label<'a>(lists: &'a Codelists, list: &str, code: &'a str, lang: Lang) -> &'a str {
    lists.label(list, code, lang).unwrap_or(code)
}

/// Prints what `mosy demo` did.
pub(crate) fn demo(
    out: &mut dyn Write,
    opts: &DemoOptions,
    o: &DemoOutcome,
    providers: &[DataProvider],
    lists: &Codelists,
    lang: Lang,
) -> io::Result<()> {
    let pt = lang == Lang::Pt;
    writeln!(
        out,
        "mosy demo: synthetic Portugal {}–{}, seed {}, {} victim registrations requested",
        opts.first_year, opts.last_year, opts.seed, opts.victims
    )?;
    writeln!(out, "hub database:    {}", o.database)?;
    writeln!(out, "synthetic files: {}", o.synthetic_dir.display())?;
    writeln!(
        out,
        "loaded: {} providers, {} submissions; {} victim registrations, {} suspects, {} prosecutions, {} court decisions",
        o.load.providers,
        o.load.submissions,
        o.load.records[0],
        o.load.records[1],
        o.load.records[2],
        o.load.records[3]
    )?;
    let (r, p, m) = (o.persons.registrations, o.persons.persons, o.persons.multi_provider);
    if pt {
        writeln!(out, "pessoas: {r} registos formam {p} pessoas ({m} registadas por mais de um fornecedor)")?;
    } else {
        writeln!(
            out,
            "persons: {r} registrations form {p} persons ({m} registered by more than one provider)"
        )?;
    }

    writeln!(out, "\n{}", if pt { "Registos por fornecedor de dados" } else { "Records per data provider" })?;
    let mut counts: BTreeMap<&ProviderId, [u64; 4]> = BTreeMap::new();
    for (p, t, n) in &o.summary.records {
        let i = RecordType::ALL.iter().position(|x| x == t).unwrap_or(0);
        counts.entry(p).or_default()[i] += n;
    }
    let mut t = Table::new(
        std::iter::once(if pt { "fornecedor" } else { "provider" }.to_owned())
            .chain(std::iter::once(if pt { "tipo" } else { "type" }.to_owned()))
            .chain(RecordType::ALL.iter().map(|r| label(lists, "record_type", r.code(), lang).to_owned())),
    )
    .left(&[1]);
    let mut totals = [0u64; 4];
    for p in providers {
        let c = counts.get(&p.id).copied().unwrap_or_default();
        for (tot, n) in totals.iter_mut().zip(c) {
            *tot += n;
        }
        t.row(
            [p.id.to_string(), label(lists, "provider_type", p.provider_type.code(), lang).to_owned()]
                .into_iter()
                .chain(c.iter().map(u64::to_string)),
        );
    }
    t.row(["Total".to_owned(), String::new()].into_iter().chain(totals.iter().map(u64::to_string)));
    t.write(out)?;

    if let Some(year) = o.summary.year {
        writeln!(
            out,
            "\n{} {year}",
            if pt {
                "Registos de vítimas por sexo e forma principal de exploração,"
            } else {
                "Victim registrations by sex and main form of exploitation,"
            }
        )?;
        let sexes = [Sex::F, Sex::M, Sex::Unknown];
        let mut cells: BTreeMap<ExploitationForm, [u64; 3]> = BTreeMap::new();
        for (s, f, n) in &o.summary.victims_by_sex_and_form {
            if let Some(i) = sexes.iter().position(|x| x == s) {
                cells.entry(*f).or_default()[i] += n;
            }
        }
        let mut t = Table::new(
            std::iter::once(if pt { "forma de exploração" } else { "form of exploitation" }.to_owned())
                .chain(sexes.iter().map(|s| label(lists, "sex", s.code(), lang).to_owned()))
                .chain(std::iter::once("Total".to_owned())),
        );
        let mut col = [0u64; 3];
        for (f, c) in &cells {
            for (tot, n) in col.iter_mut().zip(c) {
                *tot += n;
            }
            t.row(
                std::iter::once(label(lists, "exploitation_form", f.code(), lang).to_owned())
                    .chain(c.iter().map(u64::to_string))
                    .chain(std::iter::once(c.iter().sum::<u64>().to_string())),
            );
        }
        t.row(
            std::iter::once("Total".to_owned())
                .chain(col.iter().map(u64::to_string))
                .chain(std::iter::once(col.iter().sum::<u64>().to_string())),
        );
        t.write(out)?;
        writeln!(
            out,
            "{}",
            if pt {
                "(registos, não pessoas: uma vítima registada por dois fornecedores conta aqui duas vezes; as pessoas deduplicadas estão acima; quadros por pessoa: mosy report key-indicators --period ANO)"
            } else {
                "(registrations, not persons: a victim registered by two providers counts twice here; the de-duplicated persons are above; person-level tables: mosy report key-indicators --period YEAR)"
            }
        )?;
    }
    Ok(())
}

/// Prints every codelist with version and size.
pub(crate) fn codelist_list(out: &mut dyn Write, lists: &Codelists) -> io::Result<()> {
    writeln!(out, "codelist bundle {} {}", lists.bundle(), lists.version())?;
    let mut t = Table::new(["id", "version", "agency", "codes", "pt labels", "title"].map(str::to_owned))
        .left(&[1, 2, 4, 5]);
    for l in lists.lists() {
        t.row([
            l.id.clone(),
            l.version.clone(),
            l.agency.clone(),
            l.entries().len().to_string(),
            if l.labels_pt { "yes" } else { "" }.to_owned(),
            l.title.clone(),
        ]);
    }
    t.write(out)?;
    writeln!(out, "\ncrosswalks")?;
    let mut t = Table::new(["id", "from", "to", "pairs", "total"].map(str::to_owned)).left(&[1, 2, 4]);
    for c in lists.crosswalks() {
        t.row([
            c.id.clone(),
            c.from.clone(),
            c.to.clone(),
            c.pairs().len().to_string(),
            if c.total { "yes" } else { "no" }.to_owned(),
        ]);
    }
    t.write(out)
}

/// Prints the codes of one list.
pub(crate) fn codelist_show(out: &mut dyn Write, list: &CodeList, lang: Lang) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({}, {}): {}",
        list.id,
        list.version,
        list.agency,
        list.entries().len(),
        list.title
    )?;
    for e in list.entries() {
        writeln!(out, "{:<12} {}", e.code, e.label(lang))?;
    }
    Ok(())
}
