//! Population pyramids: age groups (youngest at the bottom) by sex, males left, females right.
//!
//! Both halves share one scale starting at zero at the central column of age labels, so bar
//! lengths compare across sexes. Negative numbers have no meaning here and are drawn as bars of
//! no length (their labels and tooltips still state them). Suppressed values get a hatched marker
//! next to the centre with their flag; the unknown-sex total is written under the chart.

use crate::bars::{Axis, draw_grid, horizontal_ticks};
use crate::format::decimals_for;
use crate::frame::{
    Cell, Header, LABEL_SIZE, MARK, Note, NumFmt, PAD, SUB_SIZE, desc_head, desc_key, draw_footer, draw_mark,
    empty, footer_height, header_height, short_flag, size, tip,
};
use crate::svg::{AXIS, Doc, INK, MUTED, N};
use crate::text::{clean, fit, width, width_bold, words};
use crate::{Measure, PALETTE, PyramidSpec};

/// Colour of the male half.
const MALE: &str = PALETTE[0];
/// Colour of the female half.
const FEMALE: &str = PALETTE[1];

/// Renders a population pyramid.
pub(crate) fn render(spec: &PyramidSpec) -> String {
    let (w, h) = size(spec.width, spec.height);
    let lang = spec.lang;
    let wd = words(lang);
    let n = spec.age_groups.len();
    let sides: [Vec<Cell<'_>>; 2] = [
        (0..n).map(|i| Cell::of(spec.male.get(i))).collect(),
        (0..n).map(|i| Cell::of(spec.female.get(i))).collect(),
    ];
    let header = Header { title: &spec.title, subtitle: spec.subtitle.as_deref(), legend: &[] };
    let drawn = sides.iter().flatten().any(|c| matches!(c, Cell::Num(..) | Cell::Suppressed(_)));
    if !drawn {
        return empty(wd.pyramid, &header, lang, w, h);
    }
    let nums: Vec<f64> = sides.iter().flatten().filter_map(|c| c.num()).collect();
    let percent = spec.measure == Measure::Percent;
    let decimals = if percent { 1 } else { decimals_for(nums.iter().copied()) };
    let fmt = NumFmt { lang, decimals, percent };
    let unknown = spec.unknown_sex.as_ref().map(|v| Cell::of(Some(v)));
    let suppressed = sides.iter().flatten().chain(unknown.iter()).any(|c| matches!(c, Cell::Suppressed(_)));
    let hi = nums.iter().fold(0.0f64, |a, &b| a.max(b));

    let names = [wd.male, wd.female];
    let mut desc = desc_head(wd.pyramid, &spec.title, spec.subtitle.as_deref(), spec.value_label.as_deref());
    for (side, cells) in sides.iter().enumerate() {
        let parts: Vec<String> =
            (0..n).map(|i| format!("{}: {}", clean(&spec.age_groups[i]), fmt.spoken(cells[i]))).collect();
        desc.push_str(&format!(" {} \u{2013} {}.", names[side], parts.join("; ")));
    }
    let mut notes = Vec::new();
    if let Some(cell) = unknown.filter(|c| !matches!(c, Cell::Missing(None))) {
        let unknown_fmt = NumFmt { decimals: if percent { 1 } else { decimals_for(cell.num()) }, ..fmt };
        let text = format!("{} ({}): {}", wd.sex_unknown, wd.not_shown, unknown_fmt.spoken(cell));
        desc.push_str(&format!(" {text}."));
        notes.push(Note::Text(text));
    }
    if suppressed {
        desc.push_str(&desc_key(wd));
        notes.push(Note::Confidential);
    }

    let mut doc = Doc::open("pyramid", w, h, lang, &spec.title, &desc);
    header.draw(&mut doc, w);
    let top = header_height(&header, w);
    let bottom = h - footer_height(&notes, lang, w);
    let value_label = spec.value_label.as_deref().map(clean).filter(|s| !s.is_empty());

    let ages: Vec<String> = spec.age_groups.iter().map(|a| clean(a)).collect();
    let natural = ages.iter().map(|a| width(a, LABEL_SIZE)).fold(width(wd.age, LABEL_SIZE), f64::max);
    let gutter = (natural.min(w * 0.2) + 20.0).max(44.0);
    let centre = w / 2.0;
    let (g_left, g_right) = (centre - gutter / 2.0, centre + gutter / 2.0);
    let half = g_left - PAD;

    // Side headings.
    let head_y = top + 10.0;
    let bold = |c: &str| format!("font-size=\"{}\" font-weight=\"bold\" fill=\"{c}\"", N(SUB_SIZE));
    let (male, _) = fit(wd.male, half - 8.0, SUB_SIZE);
    let (female, _) = fit(wd.female, half - 8.0, SUB_SIZE);
    doc.text(g_left - 4.0, head_y, &male, &format!("{} text-anchor=\"end\"", bold(MALE)));
    doc.text(g_right + 4.0, head_y, &female, &format!("{} text-anchor=\"start\"", bold(FEMALE)));
    let age_style = format!("font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"middle\"", N(LABEL_SIZE));
    if width_bold(wd.age, LABEL_SIZE) <= gutter {
        doc.text(centre, head_y, wd.age, &age_style);
    }

    let plot_top = head_y + 10.0;
    let plot_bottom = bottom - 22.0 - if value_label.is_some() { 16.0 } else { 0.0 };
    let slot = (plot_bottom - plot_top) / n as f64;
    let thick = (slot * 0.84).min(36.0);
    let labels_on = thick >= 9.0;
    let widest = if labels_on {
        sides
            .iter()
            .flatten()
            .filter_map(|&c| fmt.label(c))
            .map(|l| width(&l, LABEL_SIZE))
            .fold(0.0, f64::max)
    } else {
        0.0
    };
    let mark_room = if suppressed { MARK + 14.0 } else { 0.0 };
    let pad = (widest + 6.0).max(mark_room).min(half * 0.4);
    let ticks = horizontal_ticks(0.0, hi, half - pad, !percent && decimals == 0, fmt);
    let tick_fmt = NumFmt { decimals: ticks.decimals(), ..fmt };
    let axes = [
        Axis { vertical: false, px_min: g_left, px_max: g_left - (half - pad), min: 0.0, max: ticks.max },
        Axis { vertical: false, px_min: g_right, px_max: g_right + (half - pad), min: 0.0, max: ticks.max },
    ];
    for axis in &axes {
        draw_grid(&mut doc, axis, &ticks, tick_fmt, plot_top, plot_bottom);
    }
    if let Some(label) = &value_label {
        let (shown, _) = fit(label, w - 2.0 * PAD, LABEL_SIZE);
        doc.text_full(centre, plot_bottom + 32.0, &shown, label, &age_style);
    }

    let label_style =
        |anchor: &str| format!("font-size=\"{}\" fill=\"{INK}\" text-anchor=\"{anchor}\"", N(LABEL_SIZE));
    let colours = [MALE, FEMALE];
    for i in 0..n {
        let y = plot_bottom - (i as f64 + 1.0) * slot + (slot - thick) / 2.0;
        let cy = y + thick / 2.0;
        let (shown, _) = fit(&ages[i], gutter - 6.0, LABEL_SIZE);
        doc.text_full(centre, cy + 4.0, &shown, &ages[i], &label_style("middle"));
        for (side, axis) in axes.iter().enumerate() {
            let cell = sides[side][i];
            let outward = if side == 0 { -1.0 } else { 1.0 };
            let anchor = if side == 0 { "end" } else { "start" };
            let t = tip(&spec.age_groups[i], names[side], &fmt.spoken(cell));
            match cell {
                Cell::Num(v, _) => {
                    let end = axis.pos(v.max(0.0));
                    let (x0, x1) = (end.min(axis.px_min), end.max(axis.px_min));
                    doc.rect(x0, y, x1 - x0, thick, &format!("fill=\"{}\"", colours[side]), Some(&t));
                    if let Some(label) = fmt.label(cell).filter(|_| labels_on) {
                        doc.text(end + outward * 4.0, cy + 4.0, &label, &label_style(anchor));
                    }
                }
                Cell::Suppressed(flag) => {
                    let mx = if side == 0 { axis.px_min - MARK - 1.0 } else { axis.px_min + 1.0 };
                    draw_mark(&mut doc, mx, cy - MARK / 2.0, "#595959", &t);
                    let lx = if side == 0 { mx - 3.0 } else { mx + MARK + 3.0 };
                    doc.text(
                        lx,
                        cy + 4.0,
                        &short_flag(flag),
                        &format!("{} font-weight=\"bold\" font-style=\"italic\"", label_style(anchor)),
                    );
                }
                Cell::Missing(_) => {
                    if labels_on {
                        let lx = axis.px_min + outward * 4.0;
                        let style = format!(
                            "font-size=\"{}\" fill=\"{MUTED}\" text-anchor=\"{anchor}\"",
                            N(LABEL_SIZE)
                        );
                        doc.text_tip(lx, cy + 4.0, "\u{2013}", &t, &style);
                    }
                }
            }
        }
    }
    for x in [g_left, g_right] {
        doc.line(x, plot_top, x, plot_bottom, &format!("stroke=\"{AXIS}\" stroke-width=\"1\""));
    }
    draw_footer(&mut doc, &notes, lang, w, h);
    doc.finish()
}
