//! Numbers and dates in the words of a language, from the `format.*` and `date.month.*` keys of its
//! message file, so that a new language brings its own separators and date patterns.
//!
//! Numbers are those of `charts::format` (U+2212 minus sign, every 4+ digit integer part grouped,
//! no sign on a value that rounds to zero, an en dash for a non-finite value), with the
//! separators of the language: English `1,234.5`, Portuguese `1 234,5` with U+202F NARROW
//! NO-BREAK SPACE, the same as the charts and the report outputs.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use crate::Catalog;
use crate::lang::Lang;

/// Key of the thousands separator.
pub const GROUP_SEPARATOR: &str = "format.group_separator";
/// Key of the decimal separator.
pub const DECIMAL_SEPARATOR: &str = "format.decimal_separator";
/// Key of the percentage pattern (`{n}`: the number).
pub const PERCENT: &str = "format.percent";
/// Key of the short date pattern (`{yyyy}`, `{mm}`, `{dd}`, `{m}`, `{d}`, `{month}`).
pub const DATE: &str = "format.date";
/// Key of the long date pattern (same placeholders as [`DATE`]).
pub const DATE_LONG: &str = "format.date_long";
/// Key of the date and time pattern (`{date}`: the short date, `{hh}`, `{mi}`, `{ss}`).
pub const DATETIME: &str = "format.datetime";

impl Catalog {
    /// The text of `key` in `lang` (with fallbacks) as written in the file, without substitution.
    fn raw(&self, lang: Lang, key: &str) -> &str {
        self.lookup(lang, key)
            .and_then(|(_, m)| m.pattern(crate::PluralCategory::Other))
            .map_or("", |p| p.source())
    }

    /// Writes an English-formatted number (`−1,234.5`) with the separators of `lang`.
    fn localise(&self, lang: Lang, english: &str) -> String {
        let group = self.raw(lang, GROUP_SEPARATOR);
        let decimal = self.raw(lang, DECIMAL_SEPARATOR);
        let mut out = String::with_capacity(english.len() + 8);
        for c in english.chars() {
            match c {
                ',' => out.push_str(group),
                '.' => out.push_str(decimal),
                c => out.push(c),
            }
        }
        out
    }

    /// A whole number with grouped thousands: `−1,234,567` in English, `−1 234 567` in Portuguese.
    pub fn format_int(&self, lang: Lang, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let mut english = String::with_capacity(digits.len() + 8);
        if n < 0 {
            english.push('\u{2212}');
        }
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                english.push(',');
            }
            english.push(d);
        }
        self.localise(lang, &english)
    }

    /// `x` with exactly `decimals` decimals (at most 6) and grouped thousands:
    /// `format_decimal(pt, -1234.56, 1)` is `−1 234,6`.
    pub fn format_decimal(&self, lang: Lang, x: f64, decimals: usize) -> String {
        self.localise(lang, &charts::format::number(x, decimals, charts::Lang::En))
    }

    /// A percentage (`x` is already in percent): `12.5%` in English, `12,5 %` in Portuguese.
    pub fn format_percent(&self, lang: Lang, x: f64, decimals: usize) -> String {
        let n = self.format_decimal(lang, x, decimals);
        self.t(lang, PERCENT, &[("n", &n)])
    }

    /// A date in the short form of `lang`: `2024-03-31` in English, `31/03/2024` in Portuguese.
    pub fn format_date(&self, lang: Lang, date: NaiveDate) -> String {
        self.date_with(lang, DATE, date)
    }

    /// A date in words: `31 March 2024` in English, `31 de março de 2024` in Portuguese.
    pub fn format_date_long(&self, lang: Lang, date: NaiveDate) -> String {
        self.date_with(lang, DATE_LONG, date)
    }

    /// A date and time (to the minute, as the pattern says): `2024-03-31 14:05` in English,
    /// `31/03/2024, 14:05` in Portuguese. The time zone is the caller's.
    pub fn format_datetime(&self, lang: Lang, at: NaiveDateTime) -> String {
        let date = self.format_date(lang, at.date());
        let (hh, mi, ss) =
            (format!("{:02}", at.hour()), format!("{:02}", at.minute()), format!("{:02}", at.second()));
        self.t(lang, DATETIME, &[("date", &date), ("hh", &hh), ("mi", &mi), ("ss", &ss)])
    }

    /// The name of month `month` (1–12) in `lang` (`date.month.<month>`), as used inside a date
    /// (Portuguese month names are written in lower case).
    pub fn month_name(&self, lang: Lang, month: u32) -> String {
        self.t(lang, &format!("date.month.{month}"), &[])
    }

    fn date_with(&self, lang: Lang, key: &str, date: NaiveDate) -> String {
        let yyyy = format!("{:04}", date.year());
        let (mm, dd) = (format!("{:02}", date.month()), format!("{:02}", date.day()));
        let (m, d) = (date.month(), date.day());
        let month = self.month_name(lang, m);
        self.t(
            lang,
            key,
            &[("yyyy", &yyyy), ("mm", &mm), ("dd", &dd), ("m", &m), ("d", &d), ("month", &month)],
        )
    }
}
