//! Shared SVG writing: fixed 1-decimal number output, XML escaping, the page layout (header,
//! map box, legend column, notes) and region paths.

use std::fmt::Write as _;

use crate::geom::{Bbox, Region};

/// Left edge of the map box.
const MAP_X: f64 = 16.0;
/// Width and height limit of the map box when the legend is beside it.
const MAP_MAX: f64 = 560.0;
/// Width of the map box when the legend is below it (wide maps).
const MAP_WIDE: f64 = 768.0;
/// Height limit of the map box for wide maps.
const MAP_WIDE_MAX_H: f64 = 520.0;
/// Left edge of the legend column.
const LEGEND_X: f64 = 596.0;
/// Maps at least this much wider than high get the full width and the legend below.
const WIDE_ASPECT: f64 = 1.3;

/// A number with at most one decimal, never `-0`: `12`, `12.5`, `-3.1`.
pub(crate) fn num(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    let a = t.unsigned_abs();
    let (int, frac) = (a / 10, a % 10);
    if frac == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") }
}

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Keeps `[A-Za-z0-9_-]` of an id prefix (default `mosy-map` when nothing is left).
pub(crate) fn id_prefix(p: &str) -> String {
    let s: String = p.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_alphabetic()) { format!("mosy-map{s}") } else { s }
}

/// Greedy word wrap at `max` characters.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Maps display coordinates (y north) to pixels (y down).
pub(crate) struct View {
    min_x: f64,
    max_y: f64,
    scale: f64,
    ox: f64,
    oy: f64,
    /// The world box shown.
    pub(crate) world: Bbox,
    /// Pixel size of the map.
    pub(crate) w: f64,
    pub(crate) h: f64,
    /// Pixel position of the map box.
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// Legend below the map rather than beside it.
    wide: bool,
}

impl View {
    /// Fits `bbox` (padded by 3 %) into the map box whose top is at `top`: beside the legend
    /// (560 × 560 px at most), or across the page (768 px wide) when the box is wide.
    pub(crate) fn fit(bbox: &Bbox, top: f64) -> View {
        let mut b = *bbox;
        if b.is_empty() {
            b = Bbox { min_x: 0.0, min_y: 0.0, max_x: 1.0, max_y: 1.0 };
        }
        let pad = 0.03 * b.width().max(b.height()).max(1.0);
        let b =
            Bbox { min_x: b.min_x - pad, min_y: b.min_y - pad, max_x: b.max_x + pad, max_y: b.max_y + pad };
        let wide = b.width() >= WIDE_ASPECT * b.height();
        let (box_w, box_h) = if wide { (MAP_WIDE, MAP_WIDE_MAX_H) } else { (MAP_MAX, MAP_MAX) };
        let scale = (box_w / b.width()).min(box_h / b.height());
        let (w, h) = (b.width() * scale, b.height() * scale);
        let ox = MAP_X + (box_w - w) / 2.0;
        View { min_x: b.min_x, max_y: b.max_y, scale, ox, oy: top, world: b, w, h, x: ox, y: top, wide }
    }

    /// Draws the legend beside or below the map; returns the lowest y used by map and legend.
    pub(crate) fn legend(&self, out: &mut String, legend: &Legend) -> f64 {
        let bottom = self.y + self.h;
        if self.wide {
            legend.rows(out, MAP_X, bottom + 10.0, MAP_WIDE).max(bottom)
        } else {
            legend.column(out, LEGEND_X, self.y).max(bottom)
        }
    }

    /// Pixel position of a display point.
    pub(crate) fn px(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.min_x) * self.scale + self.ox, (self.max_y - y) * self.scale + self.oy)
    }

    /// The SVG path of a region (all rings, 1-decimal pixel coordinates; rings that vanish at
    /// this scale are left out). Empty when nothing is visible.
    pub(crate) fn path(&self, r: &Region) -> String {
        let mut d = String::new();
        for ring in r.polygons.iter().flat_map(|p| &p.rings) {
            let mut pts: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
            for p in ring {
                let (x, y) = self.px(f64::from(p.x), f64::from(p.y));
                let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
                if pts.last() != Some(&q) {
                    pts.push(q);
                }
            }
            while pts.len() > 1 && pts.first() == pts.last() {
                pts.pop();
            }
            if pts.len() < 3 {
                continue;
            }
            for (i, (x, y)) in pts.iter().enumerate() {
                d.push(match i {
                    0 => 'M',
                    1 => 'L',
                    _ => ' ',
                });
                let _ = write!(d, "{},{}", num(*x as f64 / 10.0), num(*y as f64 / 10.0));
            }
            d.push('Z');
        }
        d
    }
}

/// The page header (title and subtitle); returns the y below it.
pub(crate) fn header(out: &mut String, title: &str, subtitle: Option<&str>) -> f64 {
    let mut y = 16.0;
    for line in wrap(title, 70) {
        y += 20.0;
        let _ = writeln!(
            out,
            r##"<text x="16" y="{}" font-size="18" font-weight="bold" fill="#222">{}</text>"##,
            num(y),
            esc(&line)
        );
    }
    for line in subtitle.map(|s| wrap(s, 100)).unwrap_or_default() {
        y += 17.0;
        let _ = writeln!(
            out,
            r##"<text x="16" y="{}" font-size="13" fill="#444">{}</text>"##,
            num(y),
            esc(&line)
        );
    }
    y + 12.0
}

/// Note lines under the map; returns the y below them.
pub(crate) fn notes(out: &mut String, lines: &[String], top: f64) -> f64 {
    let mut y = top;
    for line in lines.iter().flat_map(|l| wrap(l, 125)) {
        y += 15.0;
        let _ = writeln!(
            out,
            r##"<text x="16" y="{}" font-size="11" fill="#555">{}</text>"##,
            num(y),
            esc(&line)
        );
    }
    y
}

/// The whole SVG document around `body`, `height` pixels high.
pub(crate) fn document(prefix: &str, lang: &str, title: &str, desc: &str, body: &str, height: f64) -> String {
    let h = num(height.ceil());
    let mut s = String::with_capacity(body.len() + 512);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="{h}" viewBox="0 0 800 {h}" role="img" aria-labelledby="{p}-title {p}-desc" lang="{lang}" font-family="sans-serif">"#,
        p = prefix
    );
    let _ = writeln!(s, r#"<title id="{prefix}-title">{}</title>"#, esc(title));
    let _ = writeln!(s, r#"<desc id="{prefix}-desc">{}</desc>"#, esc(desc));
    let _ = writeln!(s, r##"<rect width="800" height="{h}" fill="#fff"/>"##);
    s.push_str(body);
    s.push_str("</svg>\n");
    s
}

/// The symbol of a legend entry.
pub(crate) enum Mark {
    /// A filled box (colour or `url(#...)` pattern).
    Swatch(String),
    /// A line of this width and colour, dashed or not.
    Line { width: f64, colour: &'static str, dashed: bool },
    /// A circle of this radius (filled as self-flows are, or dashed for confidential).
    Circle { r: f64, colour: &'static str, dashed: bool },
}

impl Mark {
    fn size(&self) -> (f64, f64) {
        match self {
            Mark::Swatch(_) => (18.0, 12.0),
            Mark::Line { width, .. } => (40.0, width.max(12.0)),
            Mark::Circle { r, .. } => ((2.0 * r).max(18.0), (2.0 * r).max(12.0)),
        }
    }

    /// Draws the mark with its top-left corner at (x, y) in a cell of height `h`.
    fn draw(&self, out: &mut String, x: f64, y: f64, h: f64) {
        let mid = y + h / 2.0;
        match self {
            Mark::Swatch(fill) => {
                let _ = write!(
                    out,
                    r##"<rect x="{}" y="{}" width="18" height="12" fill="{}" stroke="#999" stroke-width="0.5"/>"##,
                    num(x),
                    num(mid - 6.0),
                    esc(fill)
                );
            }
            Mark::Line { width, colour, dashed } => {
                let extra = if *dashed { r#" stroke-dasharray="4 3""# } else { r#" stroke-opacity="0.75""# };
                let _ = write!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{}"{extra}/>"#,
                    num(x),
                    num(mid),
                    num(x + 40.0),
                    num(mid),
                    num(*width)
                );
            }
            Mark::Circle { r, colour, dashed } => {
                let (w, _) = self.size();
                let style = if *dashed {
                    r#"fill="none" stroke-dasharray="2 2""#.to_owned()
                } else {
                    format!(r#"fill="{colour}" fill-opacity="0.3""#)
                };
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="{}" {style} stroke="{colour}" stroke-width="1"/>"#,
                    num(x + w / 2.0),
                    num(mid),
                    num(*r)
                );
            }
        }
    }
}

/// A legend: optional title and entries.
pub(crate) struct Legend {
    pub(crate) title: Option<String>,
    pub(crate) items: Vec<(Mark, String)>,
}

/// Rough width of text at 12 px in the system sans-serif.
fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 7.0
}

impl Legend {
    fn title(&self, out: &mut String, x: f64, mut y: f64, max_chars: usize) -> f64 {
        if let Some(t) = &self.title {
            for line in wrap(t, max_chars) {
                y += 14.0;
                let _ = writeln!(
                    out,
                    r##"<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#222">{}</text>"##,
                    num(x),
                    num(y),
                    esc(&line)
                );
            }
            y += 6.0;
        }
        y
    }

    fn label(out: &mut String, x: f64, y: f64, h: f64, text: &str) {
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="12" fill="#222">{}</text>"##,
            num(x),
            num(y + h / 2.0 + 4.0),
            esc(text)
        );
    }

    /// Stacks the entries in a column at `x`; returns the y below.
    fn column(&self, out: &mut String, x: f64, top: f64) -> f64 {
        let mut y = self.title(out, x, top, 28);
        let mark_w = self.items.iter().map(|(m, _)| m.size().0).fold(18.0, f64::max);
        for (mark, text) in &self.items {
            let h = mark.size().1;
            mark.draw(out, x, y, h);
            Self::label(out, x + mark_w + 8.0, y, h, text);
            y += h + 8.0;
        }
        y
    }

    /// Lays the entries out in rows within `width`; returns the y below.
    fn rows(&self, out: &mut String, x0: f64, top: f64, width: f64) -> f64 {
        let mut y = self.title(out, x0, top, 100);
        let (mut x, mut row_h) = (x0, 0.0f64);
        for (mark, text) in &self.items {
            let (mw, mh) = mark.size();
            let w = mw + 6.0 + text_width(text) + 18.0;
            if x > x0 && x + w > x0 + width {
                y += row_h + 8.0;
                (x, row_h) = (x0, 0.0);
            }
            mark.draw(out, x, y, mh);
            Self::label(out, x + mw + 6.0, y, mh, text);
            x += w;
            row_h = row_h.max(mh);
        }
        if self.items.is_empty() { y } else { y + row_h + 8.0 }
    }
}
