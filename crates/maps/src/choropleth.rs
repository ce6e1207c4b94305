//! SVG choropleth maps: values per region code classed by Jenks natural breaks and coloured with
//! a sequential, colour-blind-safe ramp (ColorBrewer YlGnBu, Cynthia Brewer, Apache-2.0), with
//! grey for no data and a hatch for confidential (suppressed) values.
//!
//! Classification: Fisher–Jenks optimal natural breaks (minimum within-class sum of squared
//! deviations) over the distinct finite values, weighted by how often each occurs, so equal
//! values never straddle two classes. Ties go to the earliest break, so it is deterministic.
//! The number of classes is `classes` clamped to 1..=9 and to the number of distinct values.
//! Above 2,000 distinct values they are first merged into 2,000 consecutive groups.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::format::{Lang, format_number};
use crate::geom::{Bbox, Boundaries};
use crate::svg::{self, Legend, Mark, View, esc, num};

/// A value with its flag.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// The value; `None` for no data (or withheld).
    pub value: Option<f64>,
    /// Eurostat-style flags: any `c` (or `C`) marks the value confidential, so it is never
    /// shown; other flags (`p`, `e`, ...) are shown after the value in tooltips.
    pub flag: Option<String>,
}

impl Cell {
    /// A plain value.
    pub fn value(v: f64) -> Cell {
        Cell { value: Some(v), flag: None }
    }

    /// A confidential (suppressed) cell: flag `c`, no value.
    pub fn confidential() -> Cell {
        Cell { value: None, flag: Some("c".to_owned()) }
    }

    /// True when the flag holds `c` or `C`.
    pub fn is_confidential(&self) -> bool {
        self.flag.as_deref().is_some_and(|f| f.contains(['c', 'C']))
    }

    /// The value to show: finite and not confidential.
    pub(crate) fn shown(&self) -> Option<f64> {
        if self.is_confidential() { None } else { self.value.filter(|v| v.is_finite()) }
    }

    /// Flags other than `c`, for tooltips.
    pub(crate) fn other_flags(&self) -> String {
        self.flag.as_deref().unwrap_or("").chars().filter(|c| !matches!(c, 'c' | 'C')).collect()
    }
}

/// Which regions the view box is fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    /// Regions that have an entry in the data (value, no value or confidential); all regions
    /// when none has.
    #[default]
    Data,
    /// All regions of the boundaries.
    All,
}

/// What to draw in [`render_choropleth`].
#[derive(Debug, Clone, PartialEq)]
pub struct ChoroplethSpec {
    /// Title (also the SVG `<title>`).
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Note under the map (source, definitions); `\n` starts a new line.
    pub note: Option<String>,
    /// Heading of the legend (unit).
    pub legend_title: Option<String>,
    /// Values by region code. These regions are the subject of the map: one with a cell but no
    /// value is "no data" (grey, in the legend); a region without a cell is drawn as pale
    /// context (neighbours, for orientation) and left out of the legend.
    pub values: BTreeMap<String, Cell>,
    /// Number of classes wanted (1 to 9).
    pub classes: usize,
    /// Decimals of shown values.
    pub decimals: u8,
    /// Language of numbers and fixed words.
    pub lang: Lang,
    /// View box fitting.
    pub fit: Fit,
    /// Prefix of the ids in the SVG (for several maps on one page); `[A-Za-z0-9_-]`.
    pub id_prefix: String,
}

impl ChoroplethSpec {
    /// A spec with the title and defaults: 5 classes, 0 decimals, English, fit to data.
    pub fn new(title: impl Into<String>) -> ChoroplethSpec {
        ChoroplethSpec {
            title: title.into(),
            subtitle: None,
            note: None,
            legend_title: None,
            values: BTreeMap::new(),
            classes: 5,
            decimals: 0,
            lang: Lang::En,
            fit: Fit::Data,
            id_prefix: "mosy-map".to_owned(),
        }
    }
}

/// Colours of ColorBrewer YlGnBu for 3 to 9 classes (1 and 2 classes use the 3-class ends).
fn ramp(k: usize) -> &'static [&'static str] {
    match k {
        0 | 1 => &["#41b6c4"],
        2 => &["#edf8b1", "#2c7fb8"],
        3 => &["#edf8b1", "#7fcdbb", "#2c7fb8"],
        4 => &["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        5 => &["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        6 => &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        7 => &["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
        8 => &["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
        _ => &[
            "#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58",
        ],
    }
}

/// Fill of regions without data.
const NO_DATA: &str = "#d9d9d9";
/// Fill of regions that are not in the data (neighbours shown for orientation).
const CONTEXT: &str = "#f0f0f0";
const MAX_GROUPS: usize = 2000;

/// Jenks natural breaks: the classes as (lowest, highest) value, ascending. Non-finite values
/// are ignored; empty input gives no class. See the module documentation.
pub fn natural_breaks(values: &[f64], classes: usize) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    // Distinct values with weights: (lo, hi, mean, weight).
    let mut items: Vec<(f64, f64, f64, f64)> = Vec::new();
    for x in v {
        match items.last_mut() {
            Some(last) if last.0 == x => last.3 += 1.0,
            _ => items.push((x, x, x, 1.0)),
        }
    }
    if items.len() > MAX_GROUPS {
        let m = items.len();
        let mut grouped = Vec::with_capacity(MAX_GROUPS);
        for g in 0..MAX_GROUPS {
            let part = &items[g * m / MAX_GROUPS..(g + 1) * m / MAX_GROUPS];
            let w: f64 = part.iter().map(|i| i.3).sum();
            let mean = part.iter().map(|i| i.2 * i.3).sum::<f64>() / w;
            grouped.push((part[0].0, part[part.len() - 1].1, mean, w));
        }
        items = grouped;
    }
    let m = items.len();
    if m == 0 {
        return Vec::new();
    }
    let k = classes.clamp(1, 9).min(m);
    // Prefix sums, shifted by the first value for precision.
    let shift = items[0].2;
    let (mut pw, mut ps, mut pq) = (vec![0.0; m + 1], vec![0.0; m + 1], vec![0.0; m + 1]);
    for (i, it) in items.iter().enumerate() {
        let x = it.2 - shift;
        pw[i + 1] = pw[i] + it.3;
        ps[i + 1] = ps[i] + it.3 * x;
        pq[i + 1] = pq[i] + it.3 * x * x;
    }
    // Sum of squared deviations of items i..=j.
    let ssd = |i: usize, j: usize| {
        let w = pw[j + 1] - pw[i];
        let s = ps[j + 1] - ps[i];
        (pq[j + 1] - pq[i] - s * s / w).max(0.0)
    };
    let mut cost: Vec<f64> = (0..m).map(|j| ssd(0, j)).collect();
    let mut starts: Vec<Vec<usize>> = vec![vec![0; m]];
    for c in 1..k {
        let mut next = vec![f64::INFINITY; m];
        let mut start = vec![0; m];
        for j in c..m {
            for i in c..=j {
                let t = cost[i - 1] + ssd(i, j);
                if t < next[j] {
                    next[j] = t;
                    start[j] = i;
                }
            }
        }
        cost = next;
        starts.push(start);
    }
    let mut bounds = Vec::with_capacity(k);
    let mut end = m - 1;
    for c in (0..k).rev() {
        let s = if c == 0 { 0 } else { starts[c][end] };
        bounds.push((items[s].0, items[end].1));
        if s == 0 {
            break;
        }
        end = s - 1;
    }
    bounds.reverse();
    bounds
}

fn class_of(v: f64, bounds: &[(f64, f64)]) -> usize {
    bounds.iter().position(|b| v <= b.1).unwrap_or(bounds.len().saturating_sub(1))
}

pub(crate) fn hatch_def(p: &str) -> String {
    format!(
        r##"<pattern id="{p}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#737373" stroke-width="2"/></pattern>"##
    )
}

/// Renders a choropleth as a standalone SVG document (800 px wide, no external references,
/// system sans-serif font). The same input always gives the same bytes.
///
/// Draw one level at a time: filter boundaries that hold several NUTS levels with
/// [`Boundaries::at_level`] first.
pub fn render_choropleth(b: &Boundaries, spec: &ChoroplethSpec) -> String {
    let p = svg::id_prefix(&spec.id_prefix);
    let words = spec.lang.words();
    // Classes come from the values of regions on the map only.
    let shown: Vec<f64> = spec
        .values
        .iter()
        .filter(|(code, _)| b.region(code).is_some())
        .filter_map(|(_, c)| c.shown())
        .collect();
    let bounds = natural_breaks(&shown, spec.classes);
    let colours = ramp(bounds.len());

    let mut fit = Bbox::empty();
    if spec.fit == Fit::Data {
        for r in b.regions.iter().filter(|r| spec.values.contains_key(&r.code)) {
            fit.union(&r.bbox());
        }
    }
    if fit.is_empty() {
        fit = b.bbox();
    }

    let mut body = String::new();
    let top = svg::header(&mut body, &spec.title, spec.subtitle.as_deref());
    let view = View::fit(&fit, top);
    let _ = writeln!(
        body,
        r#"<defs><clipPath id="{p}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>{}</defs>"#,
        num(view.x),
        num(view.y),
        num(view.w),
        num(view.h),
        hatch_def(&p)
    );
    let _ = writeln!(
        body,
        r##"<g clip-path="url(#{p}-clip)" stroke="#fff" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">"##
    );
    let (mut n_no_data, mut n_conf) = (0usize, 0usize);
    for r in &b.regions {
        if !r.bbox().intersects(&view.world) {
            continue;
        }
        let d = view.path(r);
        if d.is_empty() {
            continue;
        }
        let cell = spec.values.get(&r.code);
        let (fill, text) = match cell {
            Some(c) if c.is_confidential() => {
                n_conf += 1;
                (format!("url(#{p}-hatch)"), words.confidential.to_lowercase())
            }
            Some(c) => match c.shown() {
                Some(v) => {
                    let flags = c.other_flags();
                    let mut t = format_number(v, spec.decimals, spec.lang);
                    if !flags.is_empty() {
                        let _ = write!(t, " ({flags})");
                    }
                    (colours[class_of(v, &bounds).min(colours.len() - 1)].to_owned(), t)
                }
                None => {
                    n_no_data += 1;
                    (NO_DATA.to_owned(), words.no_data.to_lowercase())
                }
            },
            None => (CONTEXT.to_owned(), String::new()),
        };
        let tip = if text.is_empty() {
            format!("{} ({})", r.name, r.code)
        } else {
            format!("{} ({}): {text}", r.name, r.code)
        };
        let _ = writeln!(
            body,
            r#"<path data-code="{}" fill="{fill}" d="{d}"><title>{}</title></path>"#,
            esc(&r.code),
            esc(&tip)
        );
    }
    body.push_str("</g>\n");

    let mut legend = Legend { title: spec.legend_title.clone(), items: Vec::new() };
    for (i, (lo, hi)) in bounds.iter().enumerate().rev() {
        let (a, z) =
            (format_number(*lo, spec.decimals, spec.lang), format_number(*hi, spec.decimals, spec.lang));
        let label = if a == z { a } else { format!("{a} \u{2013} {z}") };
        legend.items.push((Mark::Swatch(colours[i.min(colours.len() - 1)].to_owned()), label));
    }
    if n_no_data > 0 {
        legend.items.push((Mark::Swatch(NO_DATA.to_owned()), words.no_data.to_owned()));
    }
    if n_conf > 0 {
        legend.items.push((Mark::Swatch(format!("url(#{p}-hatch)")), words.confidential.to_owned()));
    }
    let below = view.legend(&mut body, &legend);

    let mut lines: Vec<String> = Vec::new();
    if let Some(n) = &spec.note {
        lines.extend(n.lines().map(str::to_owned));
    }
    let missing: Vec<&str> =
        spec.values.keys().filter(|c| b.region(c).is_none()).map(String::as_str).collect();
    if !missing.is_empty() {
        lines.push(format!("{}: {}", words.not_on_map, missing.join(", ")));
    }
    let bottom = svg::notes(&mut body, &lines, below + 4.0);

    let mut desc = format!("{}: {} {}", words.choropleth_desc, shown.len(), words.regions);
    if let (Some(first), Some(last)) = (bounds.first(), bounds.last()) {
        let _ = write!(
            desc,
            "; {} {}, {} {} {} {}",
            bounds.len(),
            words.classes,
            words.from_to.0,
            format_number(first.0, spec.decimals, spec.lang),
            words.from_to.1,
            format_number(last.1, spec.decimals, spec.lang)
        );
    }
    if n_no_data > 0 {
        let _ = write!(desc, "; {}: {n_no_data}", words.without_data);
    }
    if n_conf > 0 {
        let _ = write!(desc, "; {}: {n_conf}", words.confidential_count);
    }
    desc.push('.');
    svg::document(&p, spec.lang.tag(), &spec.title, &desc, &body, bottom + 16.0)
}
