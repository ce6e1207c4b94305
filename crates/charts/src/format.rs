//! Locale-aware number formatting and XML escaping.
//!
//! - English: `1,234.5`, `−12`, `12.5%`.
//! - Portuguese: `1 234,5`, `−12`, `12,5 %`, where the group separator (and the space before `%`)
//!   is U+202F NARROW NO-BREAK SPACE, as in ISO 80000 and the Portuguese norm; a no-break space
//!   never splits a number across lines when the text is copied into a document.
//!
//! Negative numbers use U+2212 MINUS SIGN; a number that rounds to zero never shows a sign.
//! Every 4+ digit integer part is grouped, in both languages, so columns of labels line up.

/// Language of number formatting and fixed chart wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Portuguese.
    Pt,
}

impl Lang {
    /// The thousands separator: `,` in English, U+202F narrow no-break space in Portuguese.
    pub fn group_separator(self) -> char {
        match self {
            Lang::En => ',',
            Lang::Pt => '\u{202F}',
        }
    }

    /// The decimal separator: `.` in English, `,` in Portuguese.
    pub fn decimal_separator(self) -> char {
        match self {
            Lang::En => '.',
            Lang::Pt => ',',
        }
    }

    /// The BCP 47 tag written to the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }
}

/// `value` with exactly `decimals` decimals (at most 6), grouped thousands, in `lang`.
///
/// Non-finite values give an en dash. Example: `number(-1234.56, 1, Lang::Pt)` is `−1 234,6`.
pub fn number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return "\u{2013}".to_owned();
    }
    let decimals = decimals.min(6);
    let plain = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let nonzero = plain.bytes().any(|b| matches!(b, b'1'..=b'9'));
    let mut out = String::with_capacity(plain.len() + 8);
    if value < 0.0 && nonzero {
        out.push('\u{2212}');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(lang.group_separator());
        }
        out.push(*d);
    }
    if let Some(frac) = frac {
        out.push(lang.decimal_separator());
        out.push_str(frac);
    }
    out
}

/// A percentage: `12.5%` in English, `12,5 %` (narrow no-break space) in Portuguese.
pub fn percent(value: f64, decimals: usize, lang: Lang) -> String {
    let n = number(value, decimals, lang);
    match lang {
        Lang::En => format!("{n}%"),
        Lang::Pt => format!("{n}\u{202F}%"),
    }
}

/// Decimals for labels of `values`: 0 when all are whole numbers, else 1 when the largest
/// magnitude is at least 10, else 2. Non-finite values are ignored.
pub fn decimals_for(values: impl IntoIterator<Item = f64>) -> usize {
    let mut whole = true;
    let mut largest: f64 = 0.0;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        if (v - v.round()).abs() > 1e-9 {
            whole = false;
        }
        largest = largest.max(v.abs());
    }
    if whole {
        0
    } else if largest >= 10.0 {
        1
    } else {
        2
    }
}

/// `text` escaped for XML content and attribute values (`&`, `<`, `>`, `"`, `'`), with characters
/// XML 1.0 cannot carry (control characters other than tab, newline and carriage return, and
/// U+FFFE/U+FFFF) dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
