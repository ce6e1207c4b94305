//! Bar charts, grouped or stacked, vertical or horizontal.
//!
//! The value axis always includes zero (bars start at zero and negative values hang below or to
//! the left of it). Labels are placed at the end of bars when there is room for them; the plot
//! keeps a margin at each end of the value axis so that they never leave it. Suppressed values
//! get a hatched marker on the zero line (or on top of the stack) and their flag, never a bar.

use crate::format::decimals_for;
use crate::frame::{
    Cell, Header, LABEL_SIZE, LegendItem, MARK, Note, NumFmt, PAD, Swatch, desc_head, desc_key, draw_footer,
    draw_mark, empty, footer_height, header_height, size, tip,
};
use crate::svg::{AXIS, Doc, GRID, INK, MUTED, N, light_text_on};
use crate::text::{clean, fit, width, words};
use crate::ticks::{Ticks, nice_ticks};
use crate::{ChartSpec, Orientation, PALETTE};

/// How several series share a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Side by side.
    Grouped,
    /// On top of each other.
    Stacked,
}

/// The value axis: maps values to pixels (x for horizontal bars, y for vertical ones).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Axis {
    pub(crate) vertical: bool,
    /// Pixel of `min`.
    pub(crate) px_min: f64,
    /// Pixel of `max`.
    pub(crate) px_max: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

impl Axis {
    /// Pixel of value `v`.
    pub(crate) fn pos(&self, v: f64) -> f64 {
        let span = self.max - self.min;
        let t = if span > 0.0 { (v - self.min) / span } else { 0.0 };
        self.px_min + t * (self.px_max - self.px_min)
    }

    /// Rectangle (x, y, w, h) of a bar across `band_start..band_start+band_len` from `a` to `b`.
    fn rect(&self, band_start: f64, band_len: f64, a: f64, b: f64) -> (f64, f64, f64, f64) {
        let (pa, pb) = (self.pos(a), self.pos(b));
        let (lo, len) = (pa.min(pb), (pa - pb).abs());
        if self.vertical { (band_start, lo, band_len, len) } else { (lo, band_start, len, band_len) }
    }

    /// Position and anchor of a label just beyond value `v` on a band centred at `c`.
    fn beyond(&self, c: f64, v: f64, positive: bool, gap: f64) -> (f64, f64, &'static str) {
        let p = self.pos(v);
        match (self.vertical, positive) {
            (true, true) => (c, p - gap - 1.0, "middle"),
            (true, false) => (c, p + gap + 9.0, "middle"),
            (false, true) => (p + gap + 1.0, c + 4.0, "start"),
            (false, false) => (p - gap - 1.0, c + 4.0, "end"),
        }
    }

    /// Top-left corner of a suppressed marker next to value `v` on a band centred at `c`.
    fn mark(&self, c: f64, v: f64, positive: bool) -> (f64, f64) {
        let p = self.pos(v);
        match (self.vertical, positive) {
            (true, true) => (c - MARK / 2.0, p - MARK - 1.0),
            (true, false) => (c - MARK / 2.0, p + 1.0),
            (false, true) => (p + 1.0, c - MARK / 2.0),
            (false, false) => (p - MARK - 1.0, c - MARK / 2.0),
        }
    }
}

/// Draws grid lines, tick labels and (last) nothing else for `axis` across `cross_from..cross_to`.
pub(crate) fn draw_grid(
    doc: &mut Doc,
    axis: &Axis,
    ticks: &Ticks,
    fmt: NumFmt,
    cross_from: f64,
    cross_to: f64,
) {
    let style = format!("font-size=\"{}\" fill=\"{MUTED}\"", N(LABEL_SIZE));
    for &t in &ticks.values {
        let p = axis.pos(t);
        if axis.vertical {
            doc.line(cross_from, p, cross_to, p, &format!("stroke=\"{GRID}\" stroke-width=\"1\""));
            doc.text(cross_from - 6.0, p + 4.0, &fmt.fmt(t), &format!("{style} text-anchor=\"end\""));
        } else {
            doc.line(p, cross_from, p, cross_to, &format!("stroke=\"{GRID}\" stroke-width=\"1\""));
            doc.text(p, cross_to + 15.0, &fmt.fmt(t), &format!("{style} text-anchor=\"middle\""));
        }
    }
}

/// Draws the zero line of `axis` across `cross_from..cross_to`.
pub(crate) fn draw_zero(doc: &mut Doc, axis: &Axis, cross_from: f64, cross_to: f64) {
    if axis.min <= 0.0 && axis.max >= 0.0 {
        let p = axis.pos(0.0);
        let style = format!("stroke=\"{AXIS}\" stroke-width=\"1\"");
        if axis.vertical {
            doc.line(cross_from, p, cross_to, p, &style);
        } else {
            doc.line(p, cross_from, p, cross_to, &style);
        }
    }
}

/// Ticks for a horizontal value axis of `len` pixels whose labels do not collide.
pub(crate) fn horizontal_ticks(lo: f64, hi: f64, len: f64, integer: bool, fmt: NumFmt) -> Ticks {
    let mut target = ((len / 70.0).floor() as usize).clamp(2, 8);
    loop {
        let ticks = nice_ticks(lo, hi, target, integer);
        let tick_fmt = NumFmt { decimals: ticks.decimals(), ..fmt };
        let widest = ticks.values.iter().map(|&t| width(&tick_fmt.fmt(t), LABEL_SIZE)).fold(0.0, f64::max);
        let spacing = len / (ticks.values.len().max(2) - 1) as f64;
        if spacing >= widest + 12.0 || target <= 1 {
            return ticks;
        }
        target -= 1;
    }
}

/// Renders a bar chart.
pub(crate) fn render(spec: &ChartSpec, orientation: Orientation, mode: Mode) -> String {
    let (w, h) = size(spec.width, spec.height);
    let lang = spec.lang;
    let wd = words(lang);
    let kind = match mode {
        Mode::Grouped => wd.bar_chart,
        Mode::Stacked => wd.stacked_chart,
    };
    let n_cat = spec.categories.len();
    let n_ser = spec.series.len();
    let cells: Vec<Vec<Cell<'_>>> =
        spec.series.iter().map(|s| (0..n_cat).map(|c| Cell::of(s.values.get(c))).collect()).collect();
    let drawn = cells.iter().flatten().any(|c| matches!(c, Cell::Num(..) | Cell::Suppressed(_)));
    let legend: Vec<LegendItem> = if n_ser > 1 {
        spec.series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendItem {
                label: s.name.clone(),
                swatch: Swatch::Box(PALETTE[i % PALETTE.len()]),
            })
            .collect()
    } else {
        Vec::new()
    };
    let header = Header { title: &spec.title, subtitle: spec.subtitle.as_deref(), legend: &legend };
    if !drawn {
        return empty(kind, &header, lang, w, h);
    }

    let nums: Vec<f64> = cells.iter().flatten().filter_map(|c| c.num()).collect();
    let fmt = NumFmt { lang, decimals: decimals_for(nums.iter().copied()), percent: false };
    let suppressed = cells.iter().flatten().any(|c| matches!(c, Cell::Suppressed(_)));

    // Stack sums per category (positive, negative), and whether a category has a suppressed part.
    let stacks: Vec<(f64, f64, bool)> = (0..n_cat)
        .map(|c| {
            let mut acc = (0.0, 0.0, false);
            for row in &cells {
                match row[c] {
                    Cell::Num(v, _) if v >= 0.0 => acc.0 += v,
                    Cell::Num(v, _) => acc.1 += v,
                    Cell::Suppressed(_) => acc.2 = true,
                    Cell::Missing(_) => {}
                }
            }
            acc
        })
        .collect();
    let (lo, hi) = match mode {
        Mode::Grouped => {
            (nums.iter().fold(0.0, |a: f64, &b| a.min(b)), nums.iter().fold(0.0, |a: f64, &b| a.max(b)))
        }
        Mode::Stacked => {
            (stacks.iter().fold(0.0, |a: f64, s| a.min(s.1)), stacks.iter().fold(0.0, |a: f64, s| a.max(s.0)))
        }
    };

    // Description: every value, per series, then stack totals.
    let mut desc = desc_head(kind, &spec.title, spec.subtitle.as_deref(), spec.y_label.as_deref());
    for (s, series) in spec.series.iter().enumerate() {
        let name = clean(&series.name);
        desc.push(' ');
        if !name.is_empty() {
            desc.push_str(&format!("{name} \u{2013} "));
        }
        let parts: Vec<String> = (0..n_cat)
            .map(|c| format!("{}: {}", clean(&spec.categories[c]), fmt.spoken(cells[s][c])))
            .collect();
        desc.push_str(&parts.join("; "));
        desc.push('.');
    }
    if mode == Mode::Stacked && n_ser > 1 {
        let parts: Vec<String> = (0..n_cat)
            .map(|c| {
                let (p, n, sup) = stacks[c];
                let v = if sup { format!("c ({})", wd.confidential) } else { fmt.fmt(p + n) };
                format!("{}: {v}", clean(&spec.categories[c]))
            })
            .collect();
        desc.push_str(&format!(" {} \u{2013} {}.", wd.total, parts.join("; ")));
    }
    if suppressed {
        desc.push_str(&desc_key(wd));
    }

    let notes = if suppressed { vec![Note::Confidential] } else { Vec::new() };
    let mut doc = Doc::open("bars", w, h, lang, &spec.title, &desc);
    header.draw(&mut doc, w);
    let mut top = header_height(&header, w);
    let bottom = h - footer_height(&notes, lang, w);
    let vertical = orientation == Orientation::Vertical;
    let integer = fmt.decimals == 0;
    let y_label = spec.y_label.as_deref().map(clean).filter(|s| !s.is_empty());
    let label_style = format!("font-size=\"{}\" fill=\"{INK}\"", N(LABEL_SIZE));
    let cat_labels: Vec<String> = spec.categories.iter().map(|c| clean(c)).collect();

    // End-of-bar label texts: for grouped bars every value, for stacks the totals.
    let end_labels: Vec<(String, bool)> = match mode {
        Mode::Grouped => {
            cells.iter().flatten().filter_map(|&c| Some((fmt.label(c)?, c.num()? >= 0.0))).collect()
        }
        Mode::Stacked => stacks
            .iter()
            .flat_map(|&(p, n, sup)| {
                let mut v = Vec::new();
                if !sup && p > 0.0 {
                    v.push((fmt.fmt(p), true));
                }
                if n < 0.0 {
                    v.push((fmt.fmt(n), false));
                }
                v
            })
            .collect(),
    };
    let widest_end = |positive: bool| {
        end_labels.iter().filter(|l| l.1 == positive).map(|l| width(&l.0, LABEL_SIZE)).fold(0.0, f64::max)
    };
    let mark_room = if mode == Mode::Stacked && suppressed { MARK + 2.0 } else { 0.0 };

    let (axis, band_axis_from, band_len, cross) = if vertical {
        if let Some(label) = &y_label {
            let (shown, _) = fit(label, w - 2.0 * PAD, LABEL_SIZE);
            doc.text_full(
                PAD,
                top + 8.0,
                &shown,
                label,
                &format!("font-size=\"{}\" fill=\"{MUTED}\"", N(LABEL_SIZE)),
            );
            top += 16.0;
        }
        let pad_hi = if hi > 0.0 { 15.0 + mark_room } else { 8.0 };
        let pad_lo = if lo < 0.0 { 15.0 } else { 0.0 };
        let est = (bottom - 22.0 - top - pad_hi - pad_lo).max(20.0);
        let t = nice_ticks(lo, hi, ((est / 45.0).floor() as usize).clamp(2, 8), integer);
        let tick_fmt = NumFmt { decimals: t.decimals(), ..fmt };
        let widest_tick = t.values.iter().map(|&v| width(&tick_fmt.fmt(v), LABEL_SIZE)).fold(0.0, f64::max);
        let mut left = PAD + widest_tick + 8.0;
        let right = w - PAD;
        let mut slot = (right - left) / n_cat as f64;
        // Category labels: flat (truncated to the slot) or rotated when slots are narrow.
        let natural = cat_labels.iter().map(|l| width(l, LABEL_SIZE)).fold(0.0, f64::max);
        let rotated = natural > slot - 6.0 && slot - 6.0 < 48.0;
        let rot_len = natural.min(120.0).min((bottom - top) * 0.3);
        if rotated {
            // The first rotated label reaches left of its slot: keep it on the canvas.
            let reach = rot_len * 0.71 + 3.0 - slot / 2.0;
            if PAD / 2.0 + reach > left {
                left = PAD / 2.0 + reach;
                slot = (right - left) / n_cat as f64;
            }
        }
        let label_h = if rotated { rot_len * 0.71 + 16.0 } else { 20.0 };
        let plot_bottom = bottom - label_h;
        let a = Axis {
            vertical: true,
            px_min: plot_bottom - pad_lo,
            px_max: top + pad_hi,
            min: t.min,
            max: t.max,
        };
        draw_grid(&mut doc, &a, &t, tick_fmt, left, right);
        for (c, label) in cat_labels.iter().enumerate() {
            let cx = left + (c as f64 + 0.5) * slot;
            if rotated {
                let (shown, _) = fit(label, rot_len, LABEL_SIZE);
                let (x, y) = (cx + 3.0, plot_bottom + 12.0);
                let attrs =
                    format!("{label_style} text-anchor=\"end\" transform=\"rotate(-45 {} {})\"", N(x), N(y));
                doc.text_full(x, y, &shown, label, &attrs);
            } else {
                let (shown, _) = fit(label, slot - 6.0, LABEL_SIZE);
                doc.text_full(
                    cx,
                    plot_bottom + 15.0,
                    &shown,
                    label,
                    &format!("{label_style} text-anchor=\"middle\""),
                );
            }
        }
        (a, left, slot, (left, right))
    } else {
        let natural = cat_labels.iter().map(|l| width(l, LABEL_SIZE)).fold(0.0, f64::max);
        let label_w = natural.min(w * 0.3);
        let left = PAD + label_w + 8.0;
        let right = w - PAD;
        let plot_top = top + 2.0;
        let plot_bottom = bottom - 22.0 - if y_label.is_some() { 16.0 } else { 0.0 };
        let slot = (plot_bottom - plot_top) / n_cat as f64;
        // Category labels shrink (down to 7 px) when the rows are tight.
        let cat_size = LABEL_SIZE.min(slot - 1.0).max(7.0);
        let cat_style = format!("font-size=\"{}\" fill=\"{INK}\" text-anchor=\"end\"", N(cat_size));
        let mut pad_hi = if hi > 0.0 { widest_end(true) + 6.0 + mark_room } else { 0.0 };
        if suppressed {
            pad_hi += MARK + 12.0;
        }
        let pad_lo = if lo < 0.0 { widest_end(false) + 6.0 } else { 0.0 };
        let pad_hi = pad_hi.min((right - left) * 0.35);
        let pad_lo = pad_lo.min((right - left) * 0.35);
        let t = horizontal_ticks(lo, hi, right - left - pad_hi - pad_lo, integer, fmt);
        let tick_fmt = NumFmt { decimals: t.decimals(), ..fmt };
        let a =
            Axis { vertical: false, px_min: left + pad_lo, px_max: right - pad_hi, min: t.min, max: t.max };
        draw_grid(&mut doc, &a, &t, tick_fmt, plot_top, plot_bottom);
        if let Some(label) = &y_label {
            let (shown, _) = fit(label, right - left, LABEL_SIZE);
            let x = (a.px_min + a.px_max) / 2.0;
            doc.text_full(
                x,
                plot_bottom + 32.0,
                &shown,
                label,
                &format!("font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"middle\"", N(LABEL_SIZE)),
            );
        }
        for (c, label) in cat_labels.iter().enumerate() {
            let cy = plot_top + (c as f64 + 0.5) * slot;
            let (shown, _) = fit(label, label_w, cat_size);
            doc.text_full(left - 8.0, cy + cat_size * 0.36, &shown, label, &cat_style);
        }
        (a, plot_top, slot, (plot_top, plot_bottom))
    };

    let positive_side = hi > 0.0 || lo >= 0.0;
    let ctx = Ctx { axis, fmt, vertical, positive_side };
    for (c, (category, &stack)) in spec.categories.iter().zip(&stacks).enumerate() {
        let slot = Slot { c, start: band_axis_from + c as f64 * band_len, len: band_len, category };
        match mode {
            Mode::Grouped => ctx.grouped(&mut doc, spec, &cells, &slot),
            Mode::Stacked => ctx.stacked(&mut doc, spec, &cells, stack, &slot),
        }
    }
    draw_zero(&mut doc, &axis, cross.0, cross.1);
    draw_footer(&mut doc, &notes, lang, w, h);
    doc.finish()
}

/// The band of one category along the category axis.
#[derive(Clone, Copy)]
struct Slot<'a> {
    /// Category index.
    c: usize,
    /// First pixel of the band.
    start: f64,
    /// Length of the band in pixels.
    len: f64,
    /// Category label as given.
    category: &'a str,
}

/// Drawing context of the bars.
struct Ctx {
    axis: Axis,
    fmt: NumFmt,
    vertical: bool,
    /// Whether suppressed markers go on the positive side of zero.
    positive_side: bool,
}

impl Ctx {
    fn label_style(&self, anchor: &str, fill: &str, bold: bool) -> String {
        format!(
            "font-size=\"{}\" fill=\"{fill}\" text-anchor=\"{anchor}\"{}",
            N(LABEL_SIZE),
            if bold { " font-weight=\"bold\"" } else { "" }
        )
    }

    /// A hatched marker at zero (or at `base`) with the flag beyond it.
    fn suppressed_mark(&self, doc: &mut Doc, centre: f64, base: f64, flag: &str, tooltip: &str) {
        let positive = self.positive_side;
        let (mx, my) = self.axis.mark(centre, base, positive);
        draw_mark(doc, mx, my, "#595959", tooltip);
        let (lx, ly, anchor) = if self.vertical {
            if positive { (centre, my - 3.0, "middle") } else { (centre, my + MARK + 10.0, "middle") }
        } else if positive {
            (mx + MARK + 3.0, centre + 4.0, "start")
        } else {
            (mx - 3.0, centre + 4.0, "end")
        };
        let style = format!("{} font-style=\"italic\"", self.label_style(anchor, INK, true));
        doc.text(lx, ly, &crate::frame::short_flag(flag), &style);
    }

    /// Whether a label of width `label_w` fits along a band of `room` pixels (thickness for
    /// horizontal bars, where the value axis keeps room for it).
    fn fits(&self, label_w: f64, room: f64) -> bool {
        if self.vertical { label_w <= room } else { room >= 9.0 }
    }

    fn grouped(&self, doc: &mut Doc, spec: &ChartSpec, cells: &[Vec<Cell<'_>>], slot: &Slot<'_>) {
        let Slot { c, start: band_start, len: band_len, category } = *slot;
        let n_ser = cells.len();
        let (frac, cap) =
            if n_ser == 1 { (0.62, if self.vertical { 80.0 } else { 28.0 }) } else { (0.8, 40.0) };
        let bar = (band_len * frac / n_ser as f64).min(if self.vertical { cap } else { cap.min(24.0) });
        let gap = if n_ser > 1 && bar > 6.0 { (bar * 0.15).min(2.0) } else { 0.0 };
        let first = band_start + band_len / 2.0 - bar * n_ser as f64 / 2.0;
        for (s, row) in cells.iter().enumerate() {
            let start = first + s as f64 * bar + gap / 2.0;
            let thick = bar - gap;
            let centre = start + thick / 2.0;
            let colour = PALETTE[s % PALETTE.len()];
            let cell = row[c];
            let tooltip = tip(category, &spec.series[s].name, &self.fmt.spoken(cell));
            let room =
                if self.vertical { if n_ser == 1 { band_len - 4.0 } else { bar + 1.0 } } else { thick };
            match cell {
                Cell::Num(v, _) => {
                    let (x, y, rw, rh) = self.axis.rect(start, thick, 0.0, v);
                    doc.rect(x, y, rw, rh, &format!("fill=\"{colour}\""), Some(&tooltip));
                    let label = self.fmt.label(cell).unwrap_or_default();
                    if self.fits(width(&label, LABEL_SIZE), room) {
                        let (lx, ly, anchor) = self.axis.beyond(centre, v, v >= 0.0, 3.0);
                        doc.text(lx, ly, &label, &self.label_style(anchor, INK, false));
                    }
                }
                Cell::Suppressed(flag) => self.suppressed_mark(doc, centre, 0.0, flag, &tooltip),
                Cell::Missing(_) => {
                    if self.fits(width("\u{2013}", LABEL_SIZE), room) {
                        let (lx, ly, anchor) = self.axis.beyond(centre, 0.0, self.positive_side, 3.0);
                        doc.text_tip(lx, ly, "\u{2013}", &tooltip, &self.label_style(anchor, MUTED, false));
                    }
                }
            }
        }
    }

    fn stacked(
        &self,
        doc: &mut Doc,
        spec: &ChartSpec,
        cells: &[Vec<Cell<'_>>],
        stack: (f64, f64, bool),
        slot: &Slot<'_>,
    ) {
        let Slot { c, start: band_start, len: band_len, category } = *slot;
        let thick = (band_len * 0.62).min(if self.vertical { 80.0 } else { 28.0 });
        let start = band_start + (band_len - thick) / 2.0;
        let centre = start + thick / 2.0;
        let (mut pos, mut neg) = (0.0, 0.0);
        let (mut n_pos, mut n_neg) = (0usize, 0usize);
        let mut flags: Vec<&str> = Vec::new();
        let mut suppressed_tips: Vec<String> = Vec::new();
        for (s, row) in cells.iter().enumerate() {
            let colour = PALETTE[s % PALETTE.len()];
            let cell = row[c];
            let tooltip = tip(category, &spec.series[s].name, &self.fmt.spoken(cell));
            match cell {
                Cell::Num(v, _) => {
                    let (from, to) = if v >= 0.0 { (pos, pos + v) } else { (neg + v, neg) };
                    if v >= 0.0 {
                        pos += v;
                        n_pos += 1;
                    } else {
                        neg += v;
                        n_neg += 1;
                    }
                    let (x, y, rw, rh) = self.axis.rect(start, thick, from, to);
                    doc.rect(
                        x,
                        y,
                        rw,
                        rh,
                        &format!("fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\""),
                        Some(&tooltip),
                    );
                    if let Some(label) = self.fmt.label(cell) {
                        let lw = width(&label, LABEL_SIZE);
                        let seg = if self.vertical { rh } else { rw };
                        let fits = if self.vertical {
                            seg >= 12.0 && lw <= thick - 4.0
                        } else {
                            seg >= lw + 6.0 && thick >= 13.0
                        };
                        if fits {
                            let fill = if light_text_on(colour) { "#ffffff" } else { INK };
                            let (lx, ly) = (x + rw / 2.0, y + rh / 2.0 + 4.0);
                            doc.text(lx, ly, &label, &self.label_style("middle", fill, false));
                        }
                    }
                }
                Cell::Suppressed(flag) => {
                    flags.push(flag);
                    suppressed_tips.push(tooltip);
                }
                Cell::Missing(_) => {}
            }
        }
        let room = if self.vertical { band_len - 4.0 } else { thick };
        if stack.2 {
            // The stack's total is unknown: a marker on top of the known part, no total.
            let base = if self.positive_side { pos } else { neg };
            let flag = flags.first().copied().unwrap_or("c");
            self.suppressed_mark(doc, centre, base, flag, &suppressed_tips.join("; "));
        } else if n_pos > 1 && pos > 0.0 {
            let label = self.fmt.fmt(pos);
            if self.fits(width(&label, LABEL_SIZE), room) {
                let (lx, ly, anchor) = self.axis.beyond(centre, pos, true, 3.0);
                doc.text(lx, ly, &label, &self.label_style(anchor, INK, true));
            }
        }
        if n_neg > 1 {
            let label = self.fmt.fmt(neg);
            if self.fits(width(&label, LABEL_SIZE), room) {
                let (lx, ly, anchor) = self.axis.beyond(centre, neg, false, 3.0);
                doc.text(lx, ly, &label, &self.label_style(anchor, INK, true));
            }
        }
    }
}
