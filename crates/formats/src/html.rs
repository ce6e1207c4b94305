//! The HTML report: one self-contained page.
//!
//! Inline CSS only (print-friendly: A4, a page break before every section, table headers repeated),
//! inline SVG charts (`charts`) and maps (`maps`), no script, no link, no image or font loaded from
//! anywhere, and a Content-Security-Policy that forbids loading anything even if a browser were
//! asked to. Every text from the report is escaped.
//!
//! Per section: the heading, the chart chosen by [`reports::Visual`] (bars, stacked bars, lines,
//! pyramid; lines with the projection band of an analysis report; a choropleth over regions with the boundaries of [`HtmlContext::regions`] or over
//! countries with the built-in outlines; flows between countries), the table (labels; numbers
//! formatted for the language; withheld cells `c` with a title saying why, never the number;
//! totals in bold; for time-frame sections the change against the previous period, computed from
//! the published values), and the notes. The page starts with the metadata (period, audience,
//! disclosure in words, counting rules, data version, generation time) and ends with the legend
//! of symbols.

use std::fmt::Write as _;

use charts::format::{escape, number, percent};
use charts::{ChartSpec, Lang, Orientation, PyramidSpec, Series, Value};
use reports::{GridValue, Report, Section, Visual};
use stats::{Dim, NutsLevel, Table};

use crate::common::{
    Layout, Shown, Withheld, any_withheld, axis_label, entry_label, is_total, measure_label, noisy,
};
use crate::words::{self, Words};

/// What the HTML page needs besides the report.
#[derive(Clone, Debug, Default)]
pub struct HtmlContext {
    /// Imported region boundaries (NUTS and/or districts) for choropleths over regions; without
    /// them such a section shows its table and a note instead of a map. Countries (choropleths
    /// over a country dimension, flows) use the built-in [`maps::europe`] or [`maps::world`].
    pub regions: Option<maps::Boundaries>,
    /// Language of numbers and fixed wording (normally the report's).
    pub lang: Lang,
}

impl HtmlContext {
    /// A context in the report's language, without region boundaries.
    pub fn for_report(report: &Report) -> HtmlContext {
        HtmlContext { regions: None, lang: crate::common::lang_of(report) }
    }
}

const CSS: &str = "\
:root{color-scheme:light}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 .75rem;line-height:1.25}
h2{font-size:1.2rem;margin:2.2rem 0 .75rem;border-bottom:2px solid #0072B2;padding-bottom:.25rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:0;font-size:.92rem}
dl.meta dt{font-weight:600;color:#444}
dl.meta dd{margin:0}
dl.meta ul{margin:0;padding-left:1.1rem}
details{margin-top:.6rem;font-size:.85rem}
details pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5rem;border:1px solid #e0e0e0}
nav ol{font-size:.92rem;margin:.25rem 0}
nav ol.many{columns:2;column-gap:2.5rem}
figure{margin:1rem 0;break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block}
.table-wrap{overflow-x:auto}
table.data{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
table.data th,table.data td{border:1px solid #d0d0d0;padding:.25rem .55rem;vertical-align:top}
table.data thead th{background:#f0f4f8;text-align:left;font-weight:600}
table.data thead th.axis{text-align:center;font-style:italic;font-weight:400}
table.data tbody th{text-align:left;font-weight:400}
table.grid tbody th{min-width:14rem}
table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.data .total,table.data tr.total th,table.data tr.total td{font-weight:700;background:#f2f2f2}
table.data td.c{color:#555;font-style:italic}
table.data td.chg{color:#333}
p.missing-map{font-size:.88rem;color:#333;margin:.25rem 0}
caption.ckm{caption-side:top;text-align:left;font-size:.85rem;color:#444;padding:.2rem 0}
ul.notes{font-size:.88rem;color:#333;padding-left:1.2rem}
section.legend ul{font-size:.9rem;padding-left:1.2rem}
@media print{
@page{size:A4;margin:14mm}
body{font-size:10pt}
main{max-width:none;padding:0}
nav,details{display:none}
section.report-section{break-before:page}
tr{break-inside:avoid}
table.data{font-size:7.5pt}
table.data th,table.data td{padding:.1rem .3rem}
h2{margin-top:0}
thead{display:table-header-group}
.table-wrap{overflow:visible}
a{color:inherit;text-decoration:none}
}
";

/// The report as one self-contained HTML page (see the module documentation).
pub fn html(report: &Report, ctx: &HtmlContext) -> String {
    let lang = ctx.lang;
    let w = words::words(lang);
    let noisy = noisy(report);
    let m = &report.meta;
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(h, "<html lang=\"{}\">", lang.tag());
    h.push_str("<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    h.push_str("<meta name=\"generator\" content=\"mosy\">\n");
    let _ = writeln!(h, "<title>{}</title>", escape(&report.title));
    let _ = write!(h, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n<header>\n");
    let _ = writeln!(h, "<h1>{}</h1>", escape(&report.title));
    h.push_str("<dl class=\"meta\">\n");
    let dd = |h: &mut String, k: &str, v: &str| {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    };
    dd(&mut h, w.period, &words::period(report, lang));
    dd(&mut h, w.audience, &words::audience(&m.disclosure.audience, lang));
    dd(&mut h, w.disclosure, &words::disclosure(&m.disclosure, lang));
    if !m.counting_rules.is_empty() {
        let _ = write!(h, "<dt>{}</dt><dd><ul>", escape(w.counting_rules));
        for r in &m.counting_rules {
            let _ = write!(h, "<li>{}</li>", escape(r));
        }
        h.push_str("</ul></dd>\n");
    }
    dd(&mut h, w.data_version, &m.data_version);
    dd(&mut h, w.generated_at, &m.generated_at);
    dd(&mut h, w.reporting_country, &m.reporting_country);
    dd(&mut h, w.codelists, &m.codelists);
    h.push_str("</dl>\n");
    let spec = serde_json::to_string_pretty(&m.spec).unwrap_or_default();
    let _ = writeln!(
        h,
        "<details><summary>{}</summary><pre>{}</pre></details>",
        escape(w.request),
        escape(&spec)
    );
    h.push_str("</header>\n");

    if report.sections.len() > 1 {
        let class = if report.sections.len() > 6 { " class=\"many\"" } else { "" };
        let _ = write!(h, "<nav>\n<h2>{}</h2>\n<ol{class}>\n", escape(w.contents));
        for (i, s) in report.sections.iter().enumerate() {
            let _ = writeln!(h, "<li><a href=\"#s{}\">{}</a></li>", i + 1, escape(&s.title));
        }
        h.push_str("</ol>\n</nav>\n");
    }

    for (i, s) in report.sections.iter().enumerate() {
        let _ = writeln!(h, "<section class=\"report-section\" id=\"s{}\">", i + 1);
        let _ = writeln!(h, "<h2>{}</h2>", escape(&s.title));
        if let Some(t) = &s.table {
            match chart(s, t, ctx, i + 1) {
                Chart::Svg(svg) => {
                    let _ = writeln!(h, "<figure>\n{}\n</figure>", svg.trim());
                }
                Chart::NoBoundaries => {
                    let _ = writeln!(h, "<p class=\"missing-map\">{}</p>", escape(w.no_boundaries));
                }
                Chart::None => {}
            }
            table(&mut h, s, t, w, lang, noisy);
        }
        if let Some(g) = &s.grid {
            h.push_str("<div class=\"table-wrap\"><table class=\"data grid\">\n<thead><tr>");
            for c in &g.columns {
                let _ = write!(h, "<th scope=\"col\">{}</th>", escape(c));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in &g.rows {
                h.push_str("<tr>");
                for (c, v) in row.iter().enumerate() {
                    let (class, text) = match v {
                        GridValue::Text(t) => ("", escape(t)),
                        GridValue::Int(n) => (" class=\"num\"", number(*n as f64, 0, lang)),
                        GridValue::Share(x) if x.is_finite() => {
                            (" class=\"num\"", percent(x * 100.0, 1, lang))
                        }
                        GridValue::Share(_) | GridValue::Missing => (" class=\"num\"", "–".to_string()),
                    };
                    if c == 0 {
                        let _ = write!(h, "<th scope=\"row\"{class}>{text}</th>");
                    } else {
                        let _ = write!(h, "<td{class}>{text}</td>");
                    }
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody></table></div>\n");
        }
        if !s.notes.is_empty() {
            h.push_str("<ul class=\"notes\">\n");
            for n in &s.notes {
                let _ = writeln!(h, "<li>{}</li>", escape(n));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }

    let _ = write!(h, "<section class=\"legend\">\n<h2>{}</h2>\n<ul>\n", escape(w.symbols));
    if any_withheld(report) {
        let _ = writeln!(h, "<li>{}</li>", escape(w.legend_c));
    }
    if noisy {
        let _ = writeln!(h, "<li>{}</li>", escape(w.legend_k));
    }
    if report.sections.iter().any(|s| s.change) {
        let _ = writeln!(h, "<li>{}</li>", escape(w.legend_change));
    }
    if report
        .sections
        .iter()
        .filter_map(|s| s.grid.as_ref())
        .any(|g| g.rows.iter().flatten().any(|v| *v == GridValue::Missing))
    {
        let _ = writeln!(h, "<li>{}</li>", escape(w.legend_missing));
    }
    h.push_str("</ul>\n</section>\n</main>\n</body>\n</html>\n");
    h
}

/// Writes the table of a section.
fn table(h: &mut String, s: &Section, t: &Table, w: &Words, lang: Lang, noisy: bool) {
    let layout = Layout::of(s, t);
    let label_cols = layout.row_axes.len().max(1);
    let ncols = layout.columns(t);
    if noisy {
        let _ = write!(
            h,
            "<div class=\"table-wrap\"><table class=\"data\" title=\"{0}\">\n<caption class=\"ckm\">≈ {0}</caption>\n<thead>\n",
            escape(w.cell_key)
        );
    } else {
        h.push_str("<div class=\"table-wrap\"><table class=\"data\">\n<thead>\n");
    }
    if let Some(c) = layout.col_axis {
        let _ = write!(
            h,
            "<tr><td colspan=\"{label_cols}\"></td><th scope=\"colgroup\" colspan=\"{ncols}\" class=\"axis\">{}</th>",
            escape(axis_label(s, t, c))
        );
        if s.change {
            h.push_str("<td></td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("<tr>");
    if layout.row_axes.is_empty() {
        h.push_str("<td></td>");
    }
    for a in &layout.row_axes {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(axis_label(s, t, *a)));
    }
    for col in 0..ncols {
        match layout.col_axis {
            Some(c) => {
                let class = if layout.is_total_col(t, col) { "num total" } else { "num" };
                let _ = write!(
                    h,
                    "<th scope=\"col\" class=\"{class}\">{}</th>",
                    escape(entry_label(s, t, c, col))
                );
            }
            None => {
                let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", escape(measure_label(t, lang)));
            }
        }
    }
    if s.change {
        let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", escape(w.change));
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &layout.rows {
        let total_row = layout.is_total_row(t, row) || layout.row_axes.is_empty();
        h.push_str(if total_row { "<tr class=\"total\">" } else { "<tr>" });
        if layout.row_axes.is_empty() {
            let _ = write!(h, "<th scope=\"row\">{}</th>", escape(w.total));
        }
        for (a, e) in layout.row_axes.iter().zip(row) {
            let _ = write!(h, "<th scope=\"row\">{}</th>", escape(entry_label(s, t, *a, *e)));
        }
        for col in 0..ncols {
            let total = if layout.is_total_col(t, col) { " total" } else { "" };
            match Shown::of(&t.cells[layout.index(t, row, col)]) {
                Shown::Value(v) => {
                    let _ = write!(h, "<td class=\"num{total}\">{}</td>", number(v as f64, 0, lang));
                }
                Shown::Withheld(why) => {
                    let text = match why {
                        Withheld::Primary => w.withheld_primary,
                        Withheld::Secondary => w.withheld_secondary,
                        Withheld::Other => w.withheld_other,
                    };
                    let _ = write!(h, "<td class=\"num c{total}\" title=\"{}\">c</td>", escape(text));
                }
            }
        }
        if s.change {
            let text =
                layout.change(t, row).map(|(before, now)| change_text(before, now, lang)).unwrap_or_default();
            let _ = write!(h, "<td class=\"num chg\">{}</td>", escape(&text));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// `+5 (+4.2%)`, `−3 (−10.0%)`, `0 (0.0%)`; without the percentage when the previous value is 0.
fn change_text(before: u64, now: u64, lang: Lang) -> String {
    let diff = now as f64 - before as f64;
    let sign = |x: f64| if x > 0.0 { "+" } else { "" };
    let abs = format!("{}{}", sign(diff), number(diff, 0, lang));
    if before == 0 {
        return abs;
    }
    let pct = diff / before as f64 * 100.0;
    format!("{abs} ({}{})", if pct >= 0.05 { "+" } else { "" }, percent(pct, 1, lang))
}

/// The chart of a section.
enum Chart {
    Svg(String),
    NoBoundaries,
    None,
}

/// The published value of the cell at `at` (axis, entry); the other axes at their totals.
fn value_at(t: &Table, at: &[(usize, usize)]) -> Shown {
    let mut coords: Vec<usize> = t.axes.iter().map(|a| a.total()).collect();
    for (a, e) in at {
        coords[*a] = *e;
    }
    Shown::of(&t.cells[t.index(&coords)])
}

fn chart_value(s: Shown) -> Value {
    match s {
        Shown::Value(v) => Value::new(v as f64),
        Shown::Withheld(_) => Value::suppressed(),
    }
}

fn map_cell(s: Shown) -> maps::Cell {
    match s {
        Shown::Value(v) => maps::Cell::value(v as f64),
        Shown::Withheld(_) => maps::Cell::confidential(),
    }
}

/// Entries of an axis other than its total.
fn entries(t: &Table, axis: usize) -> Vec<usize> {
    (0..t.axes[axis].len()).filter(|e| !is_total(t, axis, *e)).collect()
}

fn map_lang(lang: Lang) -> maps::Lang {
    match lang {
        Lang::En => maps::Lang::En,
        Lang::Pt => maps::Lang::Pt,
    }
}

fn chart(s: &Section, t: &Table, ctx: &HtmlContext, index: usize) -> Chart {
    if t.axes.is_empty() {
        return Chart::None;
    }
    let lang = ctx.lang;
    let measure = measure_label(t, lang);
    match s.visual {
        Visual::Table => Chart::None,
        Visual::Bars | Visual::StackedBars => {
            // Categories along the axis with more entries, series from the other.
            let cat = if t.axes.len() > 1 && t.axes[1].len() > t.axes[0].len() { 1 } else { 0 };
            Chart::Svg(bars(s, t, lang, measure, cat, s.visual == Visual::StackedBars))
        }
        Visual::Lines => {
            let p = reports::period_axis(t).map_or(0, |(i, _)| i);
            let cats = entries(t, p);
            let categories = cats.iter().map(|e| entry_label(s, t, p, *e).to_string()).collect();
            let series = match (0..t.axes.len()).find(|a| *a != p) {
                Some(o) => entries(t, o)
                    .into_iter()
                    .map(|se| Series {
                        name: entry_label(s, t, o, se).to_string(),
                        values: cats.iter().map(|c| chart_value(value_at(t, &[(p, *c), (o, se)]))).collect(),
                    })
                    .collect(),
                None => vec![Series {
                    name: measure.to_string(),
                    values: cats.iter().map(|c| chart_value(value_at(t, &[(p, *c)]))).collect(),
                }],
            };
            let mut categories: Vec<String> = categories;
            // A projection (analysis reports): its periods after the history, drawn as a band.
            let band = s.projection.as_ref().filter(|_| t.axes.len() == 1).map(|b| {
                let from_index = categories.len();
                categories.extend(b.periods.iter().cloned());
                charts::Band {
                    from_index,
                    lower: b.lower.clone(),
                    upper: b.upper.clone(),
                    point: b.point.clone(),
                }
            });
            let spec = ChartSpec {
                title: s.title.clone(),
                subtitle: None,
                categories,
                series,
                y_label: Some(measure.to_string()),
                lang,
                width: 760,
                height: 360,
            };
            Chart::Svg(charts::lines(&spec, band.as_ref()))
        }
        Visual::Pyramid => {
            let sex = t.axes.iter().position(|a| a.dim == Dim::Sex);
            let age = t.axes.iter().position(|a| a.dim == Dim::AgeGroup);
            let (Some(sx), Some(ag)) = (sex, age) else {
                return Chart::Svg(bars(s, t, lang, measure, 0, true));
            };
            let code = |code: &str| t.axes[sx].codes.iter().position(|c| c == code);
            let ages: Vec<usize> = entries(t, ag)
                .into_iter()
                .filter(|e| !matches!(t.axes[ag].codes[*e].as_str(), "UNK" | "TOTAL"))
                .collect();
            let side = |code: Option<usize>| -> Vec<Value> {
                ages.iter()
                    .map(|a| {
                        code.map_or_else(Value::missing, |c| chart_value(value_at(t, &[(sx, c), (ag, *a)])))
                    })
                    .collect()
            };
            let spec = PyramidSpec {
                title: s.title.clone(),
                subtitle: None,
                age_groups: ages.iter().map(|a| entry_label(s, t, ag, *a).to_string()).collect(),
                male: side(code("M")),
                female: side(code("F")),
                unknown_sex: code("UNK").map(|u| chart_value(value_at(t, &[(sx, u)]))),
                measure: charts::Measure::Count,
                value_label: Some(measure.to_string()),
                lang,
                width: 760,
                height: 320,
            };
            Chart::Svg(charts::pyramid(&spec))
        }
        Visual::Choropleth => {
            let dim = t.axes[0].dim;
            let codes: Vec<usize> = entries(t, 0);
            let boundaries = match dim {
                Dim::Nuts(l) | Dim::DetectionNuts(l) | Dim::OffenceNuts(l) => ctx.regions.as_ref().map(|b| {
                    b.at_level(match l {
                        NutsLevel::One => 1,
                        NutsLevel::Two => 2,
                        NutsLevel::Three => 3,
                    })
                }),
                Dim::District => ctx.regions.as_ref().map(|b| b.filter(|r| r.level.is_none())),
                Dim::CountryOfExploitation | Dim::Citizenship | Dim::CountryOfRecruitment => {
                    Some(countries(codes.iter().map(|e| t.axes[0].codes[*e].as_str())))
                }
                _ => None,
            };
            let Some(b) = boundaries.filter(|b| !b.regions.is_empty()) else { return Chart::NoBoundaries };
            let mut spec = maps::ChoroplethSpec::new(s.title.clone());
            spec.legend_title = Some(measure.to_string());
            spec.lang = map_lang(lang);
            spec.id_prefix = format!("map{index}");
            for e in codes {
                spec.values.insert(t.axes[0].codes[e].clone(), map_cell(value_at(t, &[(0, e)])));
            }
            Chart::Svg(maps::render_choropleth(&b, &spec))
        }
        Visual::Flows => {
            if t.axes.len() < 2 {
                return Chart::None;
            }
            let mut spec = maps::FlowSpec::new(s.title.clone());
            spec.legend_title = Some(measure.to_string());
            spec.lang = map_lang(lang);
            spec.id_prefix = format!("flows{index}");
            for o in entries(t, 0) {
                for d in entries(t, 1) {
                    let origin = t.axes[0].codes[o].clone();
                    let destination = t.axes[1].codes[d].clone();
                    match value_at(t, &[(0, o), (1, d)]) {
                        Shown::Value(0) => {}
                        Shown::Value(v) => spec.flows.push(maps::Flow::new(origin, destination, v as f64)),
                        Shown::Withheld(_) => spec.flows.push(maps::Flow::confidential(origin, destination)),
                    }
                }
            }
            let codes: Vec<&str> =
                spec.flows.iter().flat_map(|f| [f.origin.as_str(), f.destination.as_str()]).collect();
            let b = countries(codes.into_iter());
            Chart::Svg(maps::render_flows(&b, &spec))
        }
    }
}

/// Country outlines: Europe when every code that has an outline lies in Europe, else the world.
fn countries<'a>(codes: impl Iterator<Item = &'a str>) -> maps::Boundaries {
    let europe = maps::europe();
    let world = maps::world();
    let all_in_europe = codes.filter(|c| world.region(c).is_some()).all(|c| europe.region(c).is_some());
    if all_in_europe { europe } else { world }
}

/// Bars over axis `cat` (grouped or stacked by the next axis, if any), totals left out.
fn bars(s: &Section, t: &Table, lang: Lang, measure: &str, cat: usize, stacked: bool) -> String {
    let cats = entries(t, cat);
    let categories: Vec<String> = cats.iter().map(|e| entry_label(s, t, cat, *e).to_string()).collect();
    let series = match (0..t.axes.len()).find(|a| *a != cat) {
        Some(o) => entries(t, o)
            .into_iter()
            .map(|se| Series {
                name: entry_label(s, t, o, se).to_string(),
                values: cats.iter().map(|c| chart_value(value_at(t, &[(cat, *c), (o, se)]))).collect(),
            })
            .collect::<Vec<_>>(),
        None => vec![Series {
            name: measure.to_string(),
            values: cats.iter().map(|c| chart_value(value_at(t, &[(cat, *c)]))).collect(),
        }],
    };
    let long = categories.len() > 8 || categories.iter().any(|c| c.chars().count() > 14);
    let orientation = if long { Orientation::Horizontal } else { Orientation::Vertical };
    let height = if long { (categories.len() as u32 * 26 + 110).max(260) } else { 360 };
    let spec = ChartSpec {
        title: s.title.clone(),
        subtitle: None,
        categories,
        y_label: Some(measure.to_string()),
        lang,
        width: 760,
        height,
        series,
    };
    if stacked && spec.series.len() > 1 {
        charts::stacked_bars(&spec, orientation)
    } else {
        charts::bars(&spec, orientation)
    }
}
