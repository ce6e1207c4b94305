//! SVG flow maps: curved arrows between region centroids over a light base map.
//!
//! - A flow is a quadratic Bézier from the origin's to the destination's centroid, bent to the
//!   right of its direction, so A→B and B→A never overlap.
//! - Stroke width is proportional to the square root of the value (the largest flow is 16 px,
//!   none is thinner than 1 px); the legend shows three rounded reference values.
//! - A flow within one region (origin = destination: exploited in the own country) is a circle
//!   at the centroid whose area is proportional to the value.
//! - Confidential flows (flag `c`) and flows without a value are thin dashed grey arrows (or
//!   dashed circles) without a value.
//! - Flows with the same origin and destination are added up (confidential if any part is).
//! - Zero and negative values are not drawn. Codes missing from the boundaries are listed in a
//!   note under the map.
//! - The `label_top` largest flows carry their value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::choropleth::Fit;
use crate::format::{Lang, format_number};
use crate::geom::{Bbox, Boundaries, Region};
use crate::svg::{self, Legend, Mark, View, esc, num};

/// One flow between two region codes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flow {
    /// Origin code (country of citizenship or recruitment, ...).
    pub origin: String,
    /// Destination code (country of exploitation, ...).
    pub destination: String,
    /// The value (persons); `None` when withheld or unknown.
    pub value: Option<f64>,
    /// Eurostat-style flags: `c` marks it confidential.
    pub flag: Option<String>,
}

impl Flow {
    /// A flow with a value.
    pub fn new(origin: impl Into<String>, destination: impl Into<String>, value: f64) -> Flow {
        Flow { origin: origin.into(), destination: destination.into(), value: Some(value), flag: None }
    }

    /// A confidential flow (flag `c`, no value).
    pub fn confidential(origin: impl Into<String>, destination: impl Into<String>) -> Flow {
        Flow {
            origin: origin.into(),
            destination: destination.into(),
            value: None,
            flag: Some("c".to_owned()),
        }
    }
}

/// What to draw in [`render_flows`].
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSpec {
    /// Title (also the SVG `<title>`).
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Note under the map; `\n` starts a new line.
    pub note: Option<String>,
    /// Heading of the legend (unit).
    pub legend_title: Option<String>,
    /// The flows, in any order.
    pub flows: Vec<Flow>,
    /// How many of the largest flows carry a value label.
    pub label_top: usize,
    /// Decimals of shown values.
    pub decimals: u8,
    /// Language of numbers and fixed words.
    pub lang: Lang,
    /// View box: [`Fit::Data`] fits the regions at either end of a drawn flow.
    pub fit: Fit,
    /// Prefix of the ids in the SVG; `[A-Za-z0-9_-]`.
    pub id_prefix: String,
}

impl FlowSpec {
    /// A spec with the title and defaults: 5 labels, 0 decimals, English, fit to data.
    pub fn new(title: impl Into<String>) -> FlowSpec {
        FlowSpec {
            title: title.into(),
            subtitle: None,
            note: None,
            legend_title: None,
            flows: Vec::new(),
            label_top: 5,
            decimals: 0,
            lang: Lang::En,
            fit: Fit::Data,
            id_prefix: "mosy-flows".to_owned(),
        }
    }
}

const FLOW: &str = "#b2182b";
const MUTED: &str = "#636363";
const MAX_W: f64 = 16.0;
const MIN_W: f64 = 1.0;
const MAX_R: f64 = 18.0;

struct Agg {
    value: f64,
    confidential: bool,
}

struct Drawn<'a> {
    from: &'a Region,
    to: &'a Region,
    value: Option<f64>,
}

fn width(v: f64, vmax: f64) -> f64 {
    (MAX_W * (v / vmax).sqrt()).max(MIN_W)
}

fn radius(v: f64, vmax: f64) -> f64 {
    (MAX_R * (v / vmax).sqrt()).max(3.0)
}

/// `x` rounded down to one significant digit (420 → 400, 26.25 → 20).
fn nice_floor(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return 0.0;
    }
    let e = 10f64.powf(x.log10().floor());
    (x / e).floor().max(1.0) * e
}

fn reference_values(vmax: f64, decimals: u8) -> Vec<f64> {
    let min = if decimals == 0 { 1.0 } else { 10f64.powi(-i32::from(decimals)) };
    let mut refs: Vec<f64> = Vec::new();
    for div in [1.0, 4.0, 16.0] {
        let r = nice_floor(vmax / div);
        if r >= min && refs.last().is_none_or(|l| *l > r) {
            refs.push(r);
        }
    }
    if refs.is_empty() {
        refs.push(vmax);
    }
    refs
}

/// Renders a flow map as a standalone SVG document (800 px wide, no external references).
/// The same input always gives the same bytes.
pub fn render_flows(b: &Boundaries, spec: &FlowSpec) -> String {
    let p = svg::id_prefix(&spec.id_prefix);
    let words = spec.lang.words();

    let mut agg: BTreeMap<(&str, &str), Agg> = BTreeMap::new();
    for f in &spec.flows {
        let conf = f.flag.as_deref().is_some_and(|fl| fl.contains(['c', 'C']));
        let v = f.value.filter(|v| v.is_finite());
        let e = agg
            .entry((f.origin.as_str(), f.destination.as_str()))
            .or_insert(Agg { value: 0.0, confidential: false });
        match v {
            Some(v) if !conf => e.value += v,
            _ => e.confidential = true,
        }
    }
    let mut missing: BTreeSet<&str> = BTreeSet::new();
    let mut drawn: Vec<Drawn> = Vec::new();
    for ((o, d), a) in &agg {
        if !a.confidential && a.value <= 0.0 {
            continue;
        }
        let (from, to) = (b.region(o), b.region(d));
        if from.is_none() {
            missing.insert(o);
        }
        if to.is_none() {
            missing.insert(d);
        }
        if let (Some(from), Some(to)) = (from, to) {
            drawn.push(Drawn { from, to, value: (!a.confidential).then_some(a.value) });
        }
    }
    // Largest first (drawn underneath), then confidential ones on top.
    drawn.sort_by(|x, y| match (x.value, y.value) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let vmax = drawn.iter().filter_map(|d| d.value).fold(0.0, f64::max);

    let mut fit = Bbox::empty();
    if spec.fit == Fit::Data {
        for d in &drawn {
            fit.union(&d.from.bbox());
            fit.union(&d.to.bbox());
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
        r#"<defs><clipPath id="{p}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        num(view.x),
        num(view.y),
        num(view.w),
        num(view.h)
    );
    let _ = writeln!(body, r#"<g clip-path="url(#{p}-clip)">"#);
    let ends: BTreeSet<&str> =
        drawn.iter().flat_map(|d| [d.from.code.as_str(), d.to.code.as_str()]).collect();
    let _ = writeln!(
        body,
        r##"<g stroke="#fff" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">"##
    );
    for r in &b.regions {
        if !r.bbox().intersects(&view.world) {
            continue;
        }
        let d = view.path(r);
        if d.is_empty() {
            continue;
        }
        let fill = if ends.contains(r.code.as_str()) { "#d4d4d4" } else { "#ebebeb" };
        let _ = writeln!(
            body,
            r#"<path data-code="{}" fill="{fill}" d="{d}"><title>{}</title></path>"#,
            esc(&r.code),
            esc(&r.name)
        );
    }
    body.push_str("</g>\n");

    let value_text = |v: Option<f64>| match v {
        Some(v) => format_number(v, spec.decimals, spec.lang),
        None => words.confidential.to_lowercase(),
    };
    let mut labels: Vec<(f64, f64, f64, String)> = Vec::new();
    let mut n_conf = 0usize;
    let mut any_self = false;
    for d in &drawn {
        let (x0, y0) = view.px(f64::from(d.from.centroid.x), f64::from(d.from.centroid.y));
        let (x2, y2) = view.px(f64::from(d.to.centroid.x), f64::from(d.to.centroid.y));
        if d.value.is_none() {
            n_conf += 1;
        }
        if d.from.code == d.to.code {
            any_self = true;
            let _ = write!(body, "<g><title>{}: {}</title>", esc(&d.from.name), esc(&value_text(d.value)));
            match d.value {
                Some(v) => {
                    let r = radius(v, vmax);
                    let _ = write!(
                        body,
                        r#"<circle cx="{}" cy="{}" r="{}" fill="{FLOW}" fill-opacity="0.3" stroke="{FLOW}" stroke-width="1"/>"#,
                        num(x0),
                        num(y0),
                        num(r)
                    );
                    labels.push((v, x0, y0 - r - 3.0, value_text(d.value)));
                }
                None => {
                    let _ = write!(
                        body,
                        r#"<circle cx="{}" cy="{}" r="4" fill="none" stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 2"/>"#,
                        num(x0),
                        num(y0)
                    );
                }
            }
            body.push_str("</g>\n");
            continue;
        }
        let (dx, dy) = (x2 - x0, y2 - y0);
        let len = dx.hypot(dy);
        if len < 2.0 {
            continue;
        }
        let w = d.value.map_or(MIN_W, |v| width(v, vmax));
        // Bend to the right of the direction of travel (y down).
        let (cx, cy) = ((x0 + x2) / 2.0 - dy * 0.2, (y0 + y2) / 2.0 + dx * 0.2);
        let (tx, ty) = (x2 - cx, y2 - cy);
        let tl = tx.hypot(ty).max(1e-9);
        let (ux, uy) = (tx / tl, ty / tl);
        let (tipx, tipy) = (x2 - ux * 2.0, y2 - uy * 2.0);
        let head = (4.0 + 1.1 * w).min(0.4 * len);
        let half = (2.0 + 0.8 * w).min(0.3 * len);
        let (bx, by) = (tipx - ux * head, tipy - uy * head);
        let colour = if d.value.is_some() { FLOW } else { MUTED };
        let _ = write!(
            body,
            "<g><title>{} \u{2192} {}: {}</title>",
            esc(&d.from.name),
            esc(&d.to.name),
            esc(&value_text(d.value))
        );
        let dash = if d.value.is_none() { r#" stroke-dasharray="4 3""# } else { "" };
        let opacity = if d.value.is_some() { r#" stroke-opacity="0.75""# } else { "" };
        let _ = write!(
            body,
            r#"<path d="M{},{}Q{},{} {},{}" fill="none" stroke="{colour}" stroke-width="{}"{opacity}{dash}/>"#,
            num(x0),
            num(y0),
            num(cx),
            num(cy),
            num(bx),
            num(by),
            num(w)
        );
        let _ = write!(
            body,
            r#"<path d="M{},{}L{},{} {},{}Z" fill="{colour}"/>"#,
            num(tipx),
            num(tipy),
            num(bx - uy * half),
            num(by + ux * half),
            num(bx + uy * half),
            num(by - ux * half)
        );
        body.push_str("</g>\n");
        if let Some(v) = d.value {
            let (mx, my) = (0.25 * x0 + 0.5 * cx + 0.25 * bx, 0.25 * y0 + 0.5 * cy + 0.25 * by);
            labels.push((v, mx, my + 4.0, value_text(d.value)));
        }
    }
    // `drawn` is sorted by value, so the first labels are the largest.
    for (_, x, y, t) in labels.iter().take(spec.label_top) {
        let _ = writeln!(
            body,
            r##"<text x="{}" y="{}" font-size="11" font-weight="bold" text-anchor="middle" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            num(*x),
            num(*y),
            esc(t)
        );
    }
    body.push_str("</g>\n");

    let mut legend = Legend { title: spec.legend_title.clone(), items: Vec::new() };
    if vmax > 0.0 {
        for r in reference_values(vmax, spec.decimals) {
            let mark = Mark::Line { width: width(r, vmax), colour: FLOW, dashed: false };
            legend.items.push((mark, format_number(r, spec.decimals, spec.lang)));
        }
    }
    if any_self {
        legend.items.push((Mark::Circle { r: 8.0, colour: FLOW, dashed: false }, words.within.to_owned()));
    }
    if n_conf > 0 {
        let mark = Mark::Line { width: 1.0, colour: MUTED, dashed: true };
        legend.items.push((mark, words.confidential.to_owned()));
    }
    let below = view.legend(&mut body, &legend);

    let mut lines: Vec<String> = Vec::new();
    if let Some(n) = &spec.note {
        lines.extend(n.lines().map(str::to_owned));
    }
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().copied().collect();
        lines.push(format!("{}: {}", words.not_on_map, list.join(", ")));
    }
    let bottom = svg::notes(&mut body, &lines, below + 4.0);

    let mut desc = format!("{}: {} {}", words.flows_desc, drawn.len(), words.flows);
    if n_conf > 0 {
        let _ = write!(desc, "; {}: {n_conf}", words.confidential_count);
    }
    if !missing.is_empty() {
        let _ = write!(desc, "; {}: {}", words.not_on_map.to_lowercase(), missing.len());
    }
    desc.push('.');
    svg::document(&p, spec.lang.tag(), &spec.title, &desc, &body, bottom + 16.0)
}
