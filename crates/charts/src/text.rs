//! Text measurement without fonts, label truncation, and the fixed wording in each language.
//!
//! Widths are estimated from per-character advance classes of a wide sans-serif face (DejaVu
//! Sans, the usual Linux `sans-serif`); narrower faces such as Arial or Helvetica only leave more
//! room, so labels never overlap whichever font the viewer resolves.

use crate::Lang;

/// Estimated advance of `c` in em.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | ' ' | '-' | '/' => 0.4,
        '\u{202F}' => 0.2,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.95,
        '\u{2013}' | '\u{2212}' | '+' | '=' | '<' | '>' => 0.84,
        '\u{2014}' | '\u{2026}' => 1.0,
        '0'..='9' => 0.64,
        'A'..='Z' => 0.72,
        c if c.is_ascii() => 0.6,
        c if c.is_alphabetic() && c.is_uppercase() => 0.72,
        _ => 0.62,
    }
}

/// Estimated width in pixels of `s` at font size `size` (regular weight).
pub(crate) fn width(s: &str, size: f64) -> f64 {
    s.chars().map(advance).sum::<f64>() * size
}

/// Estimated width in pixels of `s` in bold.
pub(crate) fn width_bold(s: &str, size: f64) -> f64 {
    width(s, size) * 1.1
}

/// `s` with runs of whitespace and control characters collapsed to one space, trimmed.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// `s` shortened with an ellipsis to fit `max` pixels at `size`; the flag says whether it was.
pub(crate) fn fit(s: &str, max: f64, size: f64) -> (String, bool) {
    if width(s, size) <= max {
        return (s.to_owned(), false);
    }
    let budget = max - width("\u{2026}", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in s.chars() {
        let w = advance(c) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('\u{2026}');
    (out, true)
}

/// `s` broken into lines of at most `max` pixels at `size`, at spaces; a word longer than a
/// line is shortened with an ellipsis.
pub(crate) fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if width(&candidate, size) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, max, size).0).collect()
}

/// The fixed wording of charts in one language.
pub(crate) struct Words {
    pub(crate) no_data: &'static str,
    pub(crate) confidential: &'static str,
    pub(crate) confidential_note: &'static str,
    pub(crate) projection: &'static str,
    pub(crate) interval: &'static str,
    pub(crate) bar_chart: &'static str,
    pub(crate) stacked_chart: &'static str,
    pub(crate) line_chart: &'static str,
    pub(crate) pyramid: &'static str,
    pub(crate) trend: &'static str,
    pub(crate) last: &'static str,
    pub(crate) total: &'static str,
    pub(crate) to: &'static str,
    pub(crate) male: &'static str,
    pub(crate) female: &'static str,
    pub(crate) age: &'static str,
    pub(crate) sex_unknown: &'static str,
    pub(crate) not_shown: &'static str,
    pub(crate) values: &'static str,
}

const EN: Words = Words {
    no_data: "no data",
    confidential: "confidential",
    confidential_note: "confidential (suppressed to protect persons)",
    projection: "projection",
    interval: "prediction interval",
    bar_chart: "Bar chart",
    stacked_chart: "Stacked bar chart",
    line_chart: "Line chart",
    pyramid: "Population pyramid",
    trend: "Trend",
    last: "last",
    total: "total",
    to: "to",
    male: "Male",
    female: "Female",
    age: "Age",
    sex_unknown: "Sex unknown",
    not_shown: "not shown",
    values: "values",
};

const PT: Words = Words {
    no_data: "sem dados",
    confidential: "confidencial",
    confidential_note: "confidencial (suprimido para proteger as pessoas)",
    projection: "projeção",
    interval: "intervalo de previsão",
    bar_chart: "Gráfico de barras",
    stacked_chart: "Gráfico de barras empilhadas",
    line_chart: "Gráfico de linhas",
    pyramid: "Pirâmide etária",
    trend: "Tendência",
    last: "último",
    total: "total",
    to: "a",
    male: "Masculino",
    female: "Feminino",
    age: "Idade",
    sex_unknown: "Sexo desconhecido",
    not_shown: "não representado",
    values: "valores",
};

/// The wording for `lang`.
pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Pt => &PT,
    }
}
