//! Line charts over periods (with an optional projection band) and sparklines.
//!
//! Lines break where a value is missing or suppressed; suppressed periods get a hatched marker
//! (outlined in the series colour) above the x axis with the flag. The value axis always includes
//! zero, so counts start at zero and change rates are drawn around a zero line. Period labels are
//! thinned (counting back from the latest period) when they would collide.

use crate::bars::{Axis, draw_grid, draw_zero};
use crate::format::decimals_for;
use crate::frame::{
    Cell, Header, LABEL_SIZE, LegendItem, MARK, Note, NumFmt, PAD, Swatch, desc_head, desc_key, draw_footer,
    draw_mark, empty, footer_height, header_height, short_flag, size, tip,
};
use crate::svg::{Doc, INK, MUTED, N, path};
use crate::text::{clean, fit, width, words};
use crate::ticks::nice_ticks;
use crate::{Band, ChartSpec, Lang, PALETTE};

/// One projected period: index, point, lower, upper.
type Projected = (usize, f64, f64, f64);

/// The usable entries of `band` for `n_cat` categories.
fn projected(band: Option<&Band>, n_cat: usize) -> Vec<Projected> {
    let Some(b) = band else { return Vec::new() };
    let len = b.point.len().min(b.lower.len()).min(b.upper.len());
    (0..len)
        .filter_map(|i| {
            let idx = b.from_index.checked_add(i)?;
            let (p, l, u) = (b.point[i], b.lower[i], b.upper[i]);
            (idx < n_cat && p.is_finite() && l.is_finite() && u.is_finite()).then_some((
                idx,
                p,
                l.min(u),
                l.max(u),
            ))
        })
        .collect()
}

/// Renders a line chart.
pub(crate) fn render(spec: &ChartSpec, band: Option<&Band>) -> String {
    let (w, h) = size(spec.width, spec.height);
    let lang = spec.lang;
    let wd = words(lang);
    let n_cat = spec.categories.len();
    let n_ser = spec.series.len();
    let cells: Vec<Vec<Cell<'_>>> =
        spec.series.iter().map(|s| (0..n_cat).map(|c| Cell::of(s.values.get(c))).collect()).collect();
    let proj = projected(band, n_cat);
    let has_band = !proj.is_empty();
    let colour = |s: usize| PALETTE[s % PALETTE.len()];
    let mut legend: Vec<LegendItem> = Vec::new();
    if n_ser > 1 || has_band {
        for (s, series) in spec.series.iter().enumerate() {
            legend.push(LegendItem { label: series.name.clone(), swatch: Swatch::Line(colour(s)) });
        }
    }
    if has_band {
        legend.push(LegendItem { label: wd.projection.to_owned(), swatch: Swatch::Dashed(colour(0)) });
        legend.push(LegendItem { label: wd.interval.to_owned(), swatch: Swatch::Band(colour(0)) });
    }
    let header = Header { title: &spec.title, subtitle: spec.subtitle.as_deref(), legend: &legend };
    let drawn = has_band || cells.iter().flatten().any(|c| matches!(c, Cell::Num(..) | Cell::Suppressed(_)));
    if !drawn {
        return empty(wd.line_chart, &header, lang, w, h);
    }

    let nums: Vec<f64> = cells.iter().flatten().filter_map(|c| c.num()).collect();
    let decimals = if nums.is_empty() {
        decimals_for(proj.iter().map(|p| p.1))
    } else {
        decimals_for(nums.iter().copied())
    };
    let fmt = NumFmt { lang, decimals, percent: false };
    let suppressed = cells.iter().flatten().any(|c| matches!(c, Cell::Suppressed(_)));
    let all = nums.iter().copied().chain(proj.iter().flat_map(|p| [p.1, p.2, p.3]));
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));

    let mut desc = desc_head(wd.line_chart, &spec.title, spec.subtitle.as_deref(), spec.y_label.as_deref());
    for (s, series) in spec.series.iter().enumerate() {
        let name = clean(&series.name);
        desc.push(' ');
        if !name.is_empty() {
            desc.push_str(&format!("{name} \u{2013} "));
        }
        let parts: Vec<String> = (0..n_cat)
            .filter(|&c| {
                !(has_band && s == 0 && c >= proj[0].0 && matches!(cells[s][c], Cell::Missing(None)))
            })
            .map(|c| format!("{}: {}", clean(&spec.categories[c]), fmt.spoken(cells[s][c])))
            .collect();
        desc.push_str(&parts.join("; "));
        desc.push('.');
    }
    if has_band {
        let parts: Vec<String> = proj
            .iter()
            .map(|&(i, p, l, u)| format!("{}: {}", clean(&spec.categories[i]), projection_text(fmt, p, l, u)))
            .collect();
        desc.push_str(&format!(" {} \u{2013} {}.", wd.projection, parts.join("; ")));
    }
    if suppressed {
        desc.push_str(&desc_key(wd));
    }

    let notes = if suppressed { vec![Note::Confidential] } else { Vec::new() };
    let mut doc = Doc::open("lines", w, h, lang, &spec.title, &desc);
    header.draw(&mut doc, w);
    let mut top = header_height(&header, w);
    let bottom = h - footer_height(&notes, lang, w);
    if let Some(label) = spec.y_label.as_deref().map(clean).filter(|s| !s.is_empty()) {
        let (shown, _) = fit(&label, w - 2.0 * PAD, LABEL_SIZE);
        doc.text_full(
            PAD,
            top + 8.0,
            &shown,
            &label,
            &format!("font-size=\"{}\" fill=\"{MUTED}\"", N(LABEL_SIZE)),
        );
        top += 16.0;
    }
    let plot_top = top + 12.0;
    let plot_bottom = bottom - 20.0;
    let target = (((plot_bottom - plot_top) / 45.0).floor() as usize).clamp(2, 8);
    let ticks = nice_ticks(lo, hi, target, decimals == 0);
    let tick_fmt = NumFmt { decimals: ticks.decimals(), ..fmt };
    let widest_tick = ticks.values.iter().map(|&v| width(&tick_fmt.fmt(v), LABEL_SIZE)).fold(0.0, f64::max);
    let left = PAD + widest_tick + 8.0;
    let right = w - PAD;
    let slot = (right - left) / n_cat as f64;
    let x_of = |i: usize| left + (i as f64 + 0.5) * slot;
    let axis = Axis { vertical: true, px_min: plot_bottom, px_max: plot_top, min: ticks.min, max: ticks.max };

    if has_band {
        // The projected periods on a light background, separated from the history.
        let from = proj[0].0;
        let xd = left + from as f64 * slot;
        doc.rect(xd, plot_top, right - xd, plot_bottom - plot_top, "fill=\"#f4f4f4\"", None);
    }
    draw_grid(&mut doc, &axis, &ticks, tick_fmt, left, right);
    if has_band {
        let from = proj[0].0;
        let xd = left + from as f64 * slot;
        doc.line(
            xd,
            plot_top,
            xd,
            plot_bottom,
            &format!("stroke=\"{MUTED}\" stroke-width=\"1\" stroke-dasharray=\"3 3\""),
        );
        let (shown, _) = fit(wd.projection, (right - xd - 8.0).max(0.0), LABEL_SIZE);
        if shown.chars().count() > 1 {
            doc.text(
                xd + 4.0,
                plot_top + 11.0,
                &shown,
                &format!("font-size=\"{}\" fill=\"{MUTED}\" font-style=\"italic\"", N(LABEL_SIZE)),
            );
        }
    }

    // Period labels, thinned from the latest period backwards.
    let labels: Vec<String> = spec.categories.iter().map(|c| clean(c)).collect();
    let natural = labels.iter().map(|l| width(l, LABEL_SIZE)).fold(0.0, f64::max);
    let every = (((natural + 10.0) / slot).ceil() as usize).max(1);
    let style = format!("font-size=\"{}\" fill=\"{INK}\" text-anchor=\"middle\"", N(LABEL_SIZE));
    for (i, label) in labels.iter().enumerate() {
        if (n_cat - 1 - i).is_multiple_of(every) {
            let (shown, _) = fit(label, every as f64 * slot - 8.0, LABEL_SIZE);
            // Keep the first and last labels on the canvas.
            let half = width(&shown, LABEL_SIZE) / 2.0;
            let x = x_of(i).min(w - 4.0 - half).max(4.0 + half);
            doc.text_full(x, plot_bottom + 15.0, &shown, label, &style);
        }
    }
    draw_zero(&mut doc, &axis, left, right);

    if has_band {
        let c = colour(0);
        // The band fans out from the last observed point of the first series, if there is one.
        let from = proj[0].0;
        let anchor = if from > 0 { cells.first().and_then(|row| row[from - 1].num()) } else { None };
        let anchor = anchor.map(|v| (x_of(from - 1), axis.pos(v)));
        let upper: Vec<(f64, f64)> =
            anchor.into_iter().chain(proj.iter().map(|p| (x_of(p.0), axis.pos(p.3)))).collect();
        let lower: Vec<(f64, f64)> = proj.iter().rev().map(|p| (x_of(p.0), axis.pos(p.2))).collect();
        if upper.len() > 1 {
            let pts: Vec<String> =
                upper.iter().chain(&lower).map(|(x, y)| format!("{},{}", N(*x), N(*y))).collect();
            doc.raw(&format!("<polygon points=\"{}\" fill=\"{c}\" fill-opacity=\"0.2\"/>\n", pts.join(" ")));
        } else {
            let (x, yu) = upper[0];
            let yl = lower[0].1;
            // A single projected period without history: an interval bar.
            doc.line(x, yu, x, yl, &format!("stroke=\"{c}\" stroke-opacity=\"0.35\" stroke-width=\"8\""));
        }
        let pts: Vec<(f64, f64)> =
            anchor.into_iter().chain(proj.iter().map(|p| (x_of(p.0), axis.pos(p.1)))).collect();
        if pts.len() > 1 {
            doc.raw(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" stroke-dasharray=\"5 3\" \
                 stroke-linejoin=\"round\"/>\n",
                path(&pts)
            ));
        }
        let name = spec.series.first().map(|s| clean(&s.name)).unwrap_or_default();
        for &(i, p, l, u) in &proj {
            let series =
                if name.is_empty() { wd.projection.to_owned() } else { format!("{name}, {}", wd.projection) };
            let t = tip(&spec.categories[i], &series, &projection_text(fmt, p, l, u));
            doc.circle(
                x_of(i),
                axis.pos(p),
                3.0,
                &format!("fill=\"#ffffff\" stroke=\"{c}\" stroke-width=\"1.5\""),
                Some(&t),
            );
        }
    }

    let radius = if n_cat > 40 { 2.0 } else { 3.0 };
    for (s, row) in cells.iter().enumerate() {
        let c = colour(s);
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            match cell.num() {
                Some(v) => run.push((x_of(i), axis.pos(v))),
                None => {
                    if !run.is_empty() {
                        runs.push(std::mem::take(&mut run));
                    }
                }
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
        for r in runs.iter().filter(|r| r.len() > 1) {
            doc.raw(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" stroke-linejoin=\"round\" \
                 stroke-linecap=\"round\"/>\n",
                path(r)
            ));
        }
    }
    for (s, row) in cells.iter().enumerate() {
        let c = colour(s);
        let name = &spec.series[s].name;
        for (i, &cell) in row.iter().enumerate() {
            let t = tip(&spec.categories[i], name, &fmt.spoken(cell));
            match cell {
                Cell::Num(v, _) => doc.circle(
                    x_of(i),
                    axis.pos(v),
                    radius,
                    &format!("fill=\"{c}\" stroke=\"#ffffff\" stroke-width=\"1\""),
                    Some(&t),
                ),
                Cell::Suppressed(flag) => {
                    let y = plot_bottom - MARK - 2.0 - s as f64 * (MARK + 3.0);
                    draw_mark(&mut doc, x_of(i) - MARK / 2.0, y, c, &t);
                    doc.text(
                        x_of(i) + MARK / 2.0 + 2.0,
                        y + MARK - 1.0,
                        &short_flag(flag),
                        &format!(
                            "font-size=\"{}\" fill=\"{INK}\" font-weight=\"bold\" font-style=\"italic\"",
                            N(LABEL_SIZE)
                        ),
                    );
                }
                Cell::Missing(_) => {}
            }
        }
    }
    draw_footer(&mut doc, &notes, lang, w, h);
    doc.finish()
}

/// "1,234 (prediction interval: 1,100 to 1,400)".
fn projection_text(fmt: NumFmt, p: f64, l: f64, u: f64) -> String {
    let wd = words(fmt.lang);
    format!("{} ({}: {} {} {})", fmt.fmt(p), wd.interval, fmt.fmt(l), wd.to, fmt.fmt(u))
}

/// Renders a sparkline (at least 8 × 8 pixels).
pub(crate) fn sparkline(values: &[Option<f64>], width: u32, height: u32, lang: Lang) -> String {
    let (w, h) = (f64::from(width.max(8)), f64::from(height.max(8)));
    let wd = words(lang);
    let finite: Vec<Option<f64>> = values.iter().map(|v| v.filter(|x| x.is_finite())).collect();
    let fmt = NumFmt { lang, decimals: decimals_for(finite.iter().flatten().copied()), percent: false };
    let last = finite.iter().rev().flatten().next().copied();
    let Some(last) = last else {
        let t = format!("{}: {}", wd.trend, wd.no_data);
        let mut doc = Doc::open_plain("spark", w, h, lang, &t, &t);
        doc.line(
            2.0,
            h / 2.0,
            w - 2.0,
            h / 2.0,
            "stroke=\"#bdbdbd\" stroke-width=\"1\" stroke-dasharray=\"2 2\"",
        );
        return doc.finish();
    };
    let listed: Vec<String> =
        finite.iter().map(|v| v.map_or_else(|| wd.no_data.to_owned(), |x| fmt.fmt(x))).collect();
    let title = format!("{} ({} {}): {}", wd.trend, finite.len(), wd.values, listed.join("; "));
    let desc = format!("{title}. {}: {}.", capitalise(wd.last), fmt.fmt(last));
    let mut doc = Doc::open_plain("spark", w, h, lang, &title, &desc);
    let (lo, hi) =
        finite.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let pad = 2.5;
    let n = finite.len();
    let x_of = |i: usize| if n > 1 { pad + i as f64 * (w - 2.0 * pad) / (n - 1) as f64 } else { w / 2.0 };
    let y_of = |v: f64| if hi > lo { h - pad - (v - lo) / (hi - lo) * (h - 2.0 * pad) } else { h / 2.0 };
    let colour = PALETTE[0];
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, v) in finite.iter().enumerate() {
        match v {
            Some(v) => runs.last_mut().map_or((), |r| r.push((x_of(i), y_of(*v)))),
            None => runs.push(Vec::new()),
        }
    }
    for r in &runs {
        match r.len() {
            0 => {}
            1 => doc.circle(r[0].0, r[0].1, 1.0, &format!("fill=\"{colour}\""), None),
            _ => doc.raw(&format!(
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-linejoin=\"round\" \
                 stroke-linecap=\"round\"/>\n",
                path(r)
            )),
        }
    }
    let last_i = finite.iter().rposition(Option::is_some).unwrap_or(0);
    doc.circle(x_of(last_i), y_of(last), 2.25, &format!("fill=\"{colour}\""), None);
    doc.finish()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
