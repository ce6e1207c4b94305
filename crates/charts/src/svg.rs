//! A minimal SVG writer: the accessible root element, fixed-precision coordinates, escaped text.
//!
//! Element ids are `mosy-<kind>-<16 hex digits>` from an FNV-1a hash of the chart's kind, size,
//! title and description (which lists every value), so several charts can be inlined in one page
//! without id clashes while the output stays deterministic.

use std::fmt;

use crate::Lang;
use crate::format::escape;

/// Dark text colour.
pub(crate) const INK: &str = "#1a1a1a";
/// Secondary text colour (subtitle, ticks, notes); 7:1 contrast on white.
pub(crate) const MUTED: &str = "#595959";
/// Grid line colour.
pub(crate) const GRID: &str = "#e0e0e0";
/// Axis (zero line) colour.
pub(crate) const AXIS: &str = "#4d4d4d";

/// A coordinate or length with at most two decimals, trailing zeros trimmed, never `-0`.
pub(crate) struct N(pub(crate) f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = if self.0.is_finite() { self.0 } else { 0.0 };
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" || s.is_empty() { f.write_str("0") } else { f.write_str(s) }
    }
}

/// FNV-1a, 64 bits.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// An SVG document being written.
pub(crate) struct Doc {
    out: String,
    id: String,
}

impl Doc {
    /// Opens the root with its title, description, hatch pattern and white background.
    pub(crate) fn open(kind: &str, w: f64, h: f64, lang: Lang, title: &str, desc: &str) -> Doc {
        let mut doc = Doc::open_plain(kind, w, h, lang, title, desc);
        let id = doc.id.clone();
        doc.put(format_args!(
            "<defs><pattern id=\"{id}-hatch\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" \
             patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#ffffff\"/>\
             <rect width=\"1.6\" height=\"5\" fill=\"#666666\"/></pattern></defs>\n"
        ));
        doc.put(format_args!("<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", N(w), N(h)));
        doc
    }

    /// Opens the root with its title and description only (transparent, no patterns).
    pub(crate) fn open_plain(kind: &str, w: f64, h: f64, lang: Lang, title: &str, desc: &str) -> Doc {
        let size = format!("{}x{}", N(w), N(h));
        let id = format!("mosy-{kind}-{:016x}", fnv(&[kind, &size, lang.tag(), title, desc]));
        let mut doc = Doc { out: String::with_capacity(8192), id };
        let id = doc.id.clone();
        doc.put(format_args!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             role=\"img\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\" lang=\"{lang}\" \
             font-family=\"sans-serif\">\n",
            w = N(w),
            h = N(h),
            lang = lang.tag(),
        ));
        doc.put(format_args!("<title id=\"{id}-t\">{}</title>\n", escape(title)));
        doc.put(format_args!("<desc id=\"{id}-d\">{}</desc>\n", escape(desc)));
        doc
    }

    fn put(&mut self, args: fmt::Arguments<'_>) {
        self.out.push_str(&fmt::format(args));
    }

    /// The `fill` value of the hatch pattern for suppressed values.
    pub(crate) fn hatch(&self) -> String {
        format!("url(#{}-hatch)", self.id)
    }

    /// Appends markup written by the caller (already escaped).
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// A text element; `attrs` are literal attributes, `s` is escaped.
    pub(crate) fn text(&mut self, x: f64, y: f64, s: &str, attrs: &str) {
        self.put(format_args!("<text x=\"{}\" y=\"{}\" {attrs}>{}</text>\n", N(x), N(y), escape(s)));
    }

    /// A text element showing `shown`; when it differs from `full` (truncated), the pair is
    /// wrapped in a group whose `<title>` carries the full text.
    pub(crate) fn text_full(&mut self, x: f64, y: f64, shown: &str, full: &str, attrs: &str) {
        if shown == full {
            self.text(x, y, shown, attrs);
        } else {
            self.put(format_args!("<g><title>{}</title>", escape(full)));
            self.put(format_args!(
                "<text x=\"{}\" y=\"{}\" {attrs}>{}</text></g>\n",
                N(x),
                N(y),
                escape(shown)
            ));
        }
    }

    /// A text element with a tooltip (both escaped).
    pub(crate) fn text_tip(&mut self, x: f64, y: f64, s: &str, tip: &str, attrs: &str) {
        self.put(format_args!(
            "<text x=\"{}\" y=\"{}\" {attrs}><title>{}</title>{}</text>\n",
            N(x),
            N(y),
            escape(tip),
            escape(s)
        ));
    }

    /// A rectangle with an optional tooltip (escaped).
    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str, tip: Option<&str>) {
        self.put(format_args!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}",
            N(x),
            N(y),
            N(w.max(0.0)),
            N(h.max(0.0))
        ));
        match tip {
            Some(t) => self.put(format_args!("><title>{}</title></rect>\n", escape(t))),
            None => self.out.push_str("/>\n"),
        }
    }

    /// A circle with an optional tooltip (escaped).
    pub(crate) fn circle(&mut self, x: f64, y: f64, r: f64, attrs: &str, tip: Option<&str>) {
        self.put(format_args!("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}", N(x), N(y), N(r)));
        match tip {
            Some(t) => self.put(format_args!("><title>{}</title></circle>\n", escape(t))),
            None => self.out.push_str("/>\n"),
        }
    }

    /// A straight line.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        self.put(format_args!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {attrs}/>\n",
            N(x1),
            N(y1),
            N(x2),
            N(y2)
        ));
    }

    /// Closes the root and returns the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Path data `M x y L x y …` through `points`.
pub(crate) fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{}{cmd}{} {}", if i == 0 { "" } else { " " }, N(*x), N(*y)));
    }
    d
}

/// Whether white text reads better than dark text on `fill` (a `#rrggbb` colour).
pub(crate) fn light_text_on(fill: &str) -> bool {
    let hex = fill.trim_start_matches('#');
    let channel = |i: usize| {
        let v = hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    // Contrast with white vs with #1a1a1a (luminance about 0.0103).
    (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.0603)
}
