//! What every chart shares: value classification, labels and tooltips, the header (title,
//! subtitle, legend), the footer (notes such as the confidentiality key) and the "no data" chart.

use crate::format::{number, percent};
use crate::svg::{Doc, INK, MUTED, N};
use crate::text::{self, Words, clean, fit, width, width_bold, words};
use crate::{Lang, Value};

/// Outer padding in pixels.
pub(crate) const PAD: f64 = 16.0;
/// Font size of the title.
pub(crate) const TITLE_SIZE: f64 = 16.0;
/// Font size of the subtitle and legend.
pub(crate) const SUB_SIZE: f64 = 12.0;
/// Font size of tick, category and value labels and notes.
pub(crate) const LABEL_SIZE: f64 = 11.0;
/// Line height of legend rows and notes.
const ROW: f64 = 18.0;
/// Side of a suppressed-value marker.
pub(crate) const MARK: f64 = 10.0;

/// A value as charts see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    /// A published number with an optional flag.
    Num(f64, Option<&'a str>),
    /// Suppressed; carries the flag as given (normally `c`).
    Suppressed(&'a str),
    /// Missing, with an optional flag.
    Missing(Option<&'a str>),
}

impl<'a> Cell<'a> {
    /// Classifies `v` (absent values are missing).
    pub(crate) fn of(v: Option<&'a Value>) -> Cell<'a> {
        let Some(v) = v else { return Cell::Missing(None) };
        let flag = v.flag.as_deref().map(str::trim).filter(|f| !f.is_empty());
        match v.value {
            Some(x) if x.is_finite() => Cell::Num(x, flag),
            None if v.is_suppressed() => Cell::Suppressed(flag.unwrap_or("c")),
            _ => Cell::Missing(flag),
        }
    }

    /// The number, if any.
    pub(crate) fn num(self) -> Option<f64> {
        match self {
            Cell::Num(x, _) => Some(x),
            _ => None,
        }
    }
}

/// A flag as displayed: cleaned and at most four characters.
pub(crate) fn short_flag(flag: &str) -> String {
    clean(flag).chars().take(4).collect()
}

/// How the numbers of a chart are written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NumFmt {
    pub(crate) lang: Lang,
    pub(crate) decimals: usize,
    pub(crate) percent: bool,
}

impl NumFmt {
    /// `v` formatted.
    pub(crate) fn fmt(self, v: f64) -> String {
        if self.percent { percent(v, self.decimals, self.lang) } else { number(v, self.decimals, self.lang) }
    }

    /// The label of `cell` on the chart: number and flag, the flag alone, or nothing.
    pub(crate) fn label(self, cell: Cell<'_>) -> Option<String> {
        match cell {
            Cell::Num(v, None) => Some(self.fmt(v)),
            Cell::Num(v, Some(f)) => Some(format!("{} {}", self.fmt(v), short_flag(f))),
            Cell::Suppressed(f) => Some(short_flag(f)),
            Cell::Missing(_) => None,
        }
    }

    /// The spoken form of `cell` for tooltips and descriptions.
    pub(crate) fn spoken(self, cell: Cell<'_>) -> String {
        let w = words(self.lang);
        match cell {
            Cell::Num(v, None) => self.fmt(v),
            Cell::Num(v, Some(f)) => format!("{} ({})", self.fmt(v), clean(f)),
            Cell::Suppressed(f) => format!("{} ({})", clean(f), w.confidential),
            Cell::Missing(None) => w.no_data.to_owned(),
            Cell::Missing(Some(f)) => format!("{} ({})", w.no_data, clean(f)),
        }
    }
}

/// A legend swatch.
#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A filled square.
    Box(&'static str),
    /// A line with a point.
    Line(&'static str),
    /// A dashed line with a hollow point.
    Dashed(&'static str),
    /// A light band.
    Band(&'static str),
}

/// A legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    pub(crate) label: String,
    pub(crate) swatch: Swatch,
}

/// Legend entries placed in rows: (row, x, shown label, full label, swatch).
fn legend_layout(items: &[LegendItem], w: f64) -> Vec<(usize, f64, String, String, Swatch)> {
    let avail = w - 2.0 * PAD;
    let mut out = Vec::new();
    let (mut row, mut x) = (0usize, PAD);
    for item in items {
        let full = clean(&item.label);
        let (shown, _) = fit(&full, (avail * 0.45).max(40.0), SUB_SIZE);
        let item_w = 22.0 + width(&shown, SUB_SIZE);
        if x > PAD && x + item_w > w - PAD {
            row += 1;
            x = PAD;
        }
        out.push((row, x, shown, full, item.swatch.clone()));
        x += item_w + 18.0;
    }
    out
}

/// The header of a chart.
pub(crate) struct Header<'a> {
    pub(crate) title: &'a str,
    pub(crate) subtitle: Option<&'a str>,
    pub(crate) legend: &'a [LegendItem],
}

impl Header<'_> {
    /// Draws title, subtitle and legend; returns the y below them.
    pub(crate) fn draw(&self, doc: &mut Doc, w: f64) -> f64 {
        let mut y = PAD + 13.0;
        let title = clean(self.title);
        let (shown, _) = fit_bold(&title, w - 2.0 * PAD, TITLE_SIZE);
        doc.text_full(
            PAD,
            y,
            &shown,
            &title,
            &format!("font-size=\"{}\" font-weight=\"bold\" fill=\"{INK}\"", N(TITLE_SIZE)),
        );
        if let Some(sub) = self.subtitle.map(clean).filter(|s| !s.is_empty()) {
            y += 18.0;
            let (shown, _) = fit(&sub, w - 2.0 * PAD, SUB_SIZE);
            doc.text_full(PAD, y, &shown, &sub, &format!("font-size=\"{}\" fill=\"{MUTED}\"", N(SUB_SIZE)));
        }
        if !self.legend.is_empty() {
            y += 12.0;
            let placed = legend_layout(self.legend, w);
            for (row, x, shown, full, swatch) in &placed {
                let cy = y + 9.0 + *row as f64 * ROW;
                draw_swatch(doc, *x, cy, swatch);
                doc.text_full(
                    x + 18.0,
                    cy + 4.0,
                    shown,
                    full,
                    &format!("font-size=\"{}\" fill=\"{INK}\"", N(SUB_SIZE)),
                );
            }
            let rows = placed.last().map_or(0, |p| p.0 + 1);
            y += rows as f64 * ROW;
        }
        y + 8.0
    }
}

fn fit_bold(s: &str, max: f64, size: f64) -> (String, bool) {
    if width_bold(s, size) <= max { (s.to_owned(), false) } else { fit(s, max / 1.1, size) }
}

/// Draws a legend swatch centred vertically on `cy`, starting at `x` (12 px wide).
fn draw_swatch(doc: &mut Doc, x: f64, cy: f64, swatch: &Swatch) {
    match swatch {
        Swatch::Box(c) => doc.rect(x, cy - 6.0, 12.0, 12.0, &format!("fill=\"{c}\" class=\"swatch\""), None),
        Swatch::Line(c) => {
            doc.line(x - 2.0, cy, x + 14.0, cy, &format!("stroke=\"{c}\" stroke-width=\"2\""));
            doc.circle(
                x + 6.0,
                cy,
                3.0,
                &format!("fill=\"{c}\" stroke=\"#ffffff\" stroke-width=\"1\" class=\"swatch\""),
                None,
            );
        }
        Swatch::Dashed(c) => {
            doc.line(
                x - 2.0,
                cy,
                x + 14.0,
                cy,
                &format!("stroke=\"{c}\" stroke-width=\"2\" stroke-dasharray=\"4 2\""),
            );
            doc.circle(
                x + 6.0,
                cy,
                3.0,
                &format!("fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"1.5\" class=\"swatch\""),
                None,
            );
        }
        Swatch::Band(c) => {
            doc.rect(
                x,
                cy - 6.0,
                12.0,
                12.0,
                &format!("fill=\"{c}\" fill-opacity=\"0.2\" class=\"swatch\""),
                None,
            );
        }
    }
}

/// Height the header will take, without drawing it.
pub(crate) fn header_height(header: &Header<'_>, w: f64) -> f64 {
    let mut y = PAD + 13.0;
    if header.subtitle.is_some_and(|s| !clean(s).is_empty()) {
        y += 18.0;
    }
    if !header.legend.is_empty() {
        y += 12.0;
        let rows = legend_layout(header.legend, w).last().map_or(0, |p| p.0 + 1);
        y += rows as f64 * ROW;
    }
    y + 8.0
}

/// A note under the chart.
pub(crate) enum Note {
    /// The key of the suppression flag, with a hatched swatch.
    Confidential,
    /// Free text.
    Text(String),
}

/// The text of `note` in `lang` and the indent of its lines (room for the swatch).
fn note_text(note: &Note, lang: Lang) -> (String, f64) {
    match note {
        Note::Confidential => (format!("c = {}", words(lang).confidential_note), 16.0),
        Note::Text(t) => (clean(t), 0.0),
    }
}

/// The lines of every note, wrapped to the width `w`: (note index, indent, line).
fn note_lines(notes: &[Note], lang: Lang, w: f64) -> Vec<(usize, f64, String)> {
    let mut out = Vec::new();
    for (i, note) in notes.iter().enumerate() {
        let (text, indent) = note_text(note, lang);
        for line in text::wrap(&text, w - 2.0 * PAD - indent, LABEL_SIZE) {
            out.push((i, indent, line));
        }
    }
    out
}

/// Height of the footer holding `notes` (including the bottom padding) in a chart `w` wide.
pub(crate) fn footer_height(notes: &[Note], lang: Lang, w: f64) -> f64 {
    let lines = note_lines(notes, lang, w).len();
    if lines == 0 { PAD - 4.0 } else { PAD + lines as f64 * NOTE_ROW + 6.0 }
}

/// Line height of notes.
const NOTE_ROW: f64 = 15.0;

/// Draws `notes` at the bottom of a `w` × `h` chart.
pub(crate) fn draw_footer(doc: &mut Doc, notes: &[Note], lang: Lang, w: f64, h: f64) {
    let mut y = h - footer_height(notes, lang, w) + 6.0 + 12.0;
    let style = format!("font-size=\"{}\" fill=\"{MUTED}\"", N(LABEL_SIZE));
    let mut previous = None;
    for (i, indent, line) in note_lines(notes, lang, w) {
        if previous != Some(i) && matches!(notes[i], Note::Confidential) {
            let hatch = doc.hatch();
            doc.rect(
                PAD,
                y - 9.0,
                MARK,
                MARK,
                &format!("fill=\"{hatch}\" stroke=\"#595959\" stroke-width=\"0.8\""),
                None,
            );
        }
        previous = Some(i);
        doc.text(PAD + indent, y, &line, &style);
        y += NOTE_ROW;
    }
}

/// Draws a suppressed-value marker: a hatched square at (`x`, `y`) (top-left) outlined in `stroke`.
pub(crate) fn draw_mark(doc: &mut Doc, x: f64, y: f64, stroke: &str, tip: &str) {
    let hatch = doc.hatch();
    doc.rect(
        x,
        y,
        MARK,
        MARK,
        &format!("fill=\"{hatch}\" stroke=\"{stroke}\" stroke-width=\"1\" class=\"suppressed\""),
        Some(tip),
    );
}

/// Chart size in pixels, with the documented minimum.
pub(crate) fn size(width: u32, height: u32) -> (f64, f64) {
    (f64::from(width.max(160)), f64::from(height.max(120)))
}

/// Tooltip text "category – series: value".
pub(crate) fn tip(category: &str, series: &str, spoken: &str) -> String {
    let category = clean(category);
    let series = clean(series);
    if series.is_empty() {
        format!("{category}: {spoken}")
    } else {
        format!("{category} \u{2013} {series}: {spoken}")
    }
}

/// Start of a description: "Kind: title. subtitle. axis label."
pub(crate) fn desc_head(kind: &str, title: &str, subtitle: Option<&str>, axis: Option<&str>) -> String {
    let mut d = format!("{kind}: {}.", clean(title).trim_end_matches('.'));
    for part in [subtitle, axis].into_iter().flatten() {
        let part = clean(part);
        if !part.is_empty() {
            d.push(' ');
            d.push_str(part.trim_end_matches('.'));
            d.push('.');
        }
    }
    d
}

/// The description's confidentiality key.
pub(crate) fn desc_key(w: &Words) -> String {
    format!(" c = {}.", w.confidential_note)
}

/// A chart saying "no data": header and a centred message.
pub(crate) fn empty(kind: &str, header: &Header<'_>, lang: Lang, w: f64, h: f64) -> String {
    let wd = text::words(lang);
    let desc = format!("{} {}.", desc_head(kind, header.title, header.subtitle, None), wd.no_data);
    let mut doc = Doc::open("empty", w, h, lang, header.title, &desc);
    let bare = Header { legend: &[], ..*header };
    let top = bare.draw(&mut doc, w);
    let cy = top + (h - top - PAD) / 2.0;
    doc.rect(
        PAD,
        top + 4.0,
        w - 2.0 * PAD,
        (h - top - PAD - 4.0).max(0.0),
        "fill=\"#f7f7f7\" stroke=\"#e0e0e0\" stroke-width=\"1\" rx=\"4\"",
        None,
    );
    doc.text(
        w / 2.0,
        cy + 5.0,
        wd.no_data,
        &format!("font-size=\"14\" fill=\"{MUTED}\" text-anchor=\"middle\""),
    );
    doc.finish()
}
