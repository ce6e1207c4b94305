//! Numbers and dates in the words of each language: the same numbers as `charts::format` (and so
//! as the report outputs), with the separators and date patterns of the message files.

use chrono::{NaiveDate, NaiveDateTime};
use i18n::{Catalog, Lang};

const VALUES: [f64; 18] = [
    0.0,
    -0.0,
    0.04,
    -0.04,
    1.0,
    -1.0,
    12.5,
    999.0,
    1000.0,
    -1000.0,
    1234.5678,
    -1234.56,
    99_999.95,
    1_000_000.0,
    123_456_789.123,
    f64::NAN,
    f64::INFINITY,
    -0.5,
];

#[test]
fn decimals_are_those_of_charts_in_both_languages() {
    let c = Catalog::embedded();
    for (lang, chart) in [(Lang::EN, charts::Lang::En), (Lang::PT, charts::Lang::Pt)] {
        for v in VALUES {
            for decimals in 0..=3 {
                assert_eq!(
                    c.format_decimal(lang, v, decimals),
                    charts::format::number(v, decimals, chart),
                    "{lang} {v} {decimals}"
                );
            }
            assert_eq!(c.format_percent(lang, v, 1), charts::format::percent(v, 1, chart), "{lang} {v}%");
        }
    }
}

#[test]
fn integers_are_exact_and_grouped_like_charts() {
    let c = Catalog::embedded();
    for (lang, chart) in [(Lang::EN, charts::Lang::En), (Lang::PT, charts::Lang::Pt)] {
        for n in [0i64, 1, -1, 12, 999, 1000, -1000, 9999, 10_000, 123_456, -1_234_567, 1_000_000_000] {
            assert_eq!(c.format_int(lang, n), charts::format::number(n as f64, 0, chart), "{lang} {n}");
        }
    }
    assert_eq!(c.format_int(Lang::EN, i64::MIN), "\u{2212}9,223,372,036,854,775,808");
    assert_eq!(
        c.format_int(Lang::PT, 9_007_199_254_740_993),
        "9\u{202F}007\u{202F}199\u{202F}254\u{202F}740\u{202F}993"
    );
    assert_eq!(c.format_int(Lang::PT, -1234), "\u{2212}1\u{202F}234");
}

#[test]
fn dates_in_english_and_portuguese() {
    let c = Catalog::embedded();
    let date = NaiveDate::from_ymd_opt(2024, 3, 5).expect("date");
    assert_eq!(c.format_date(Lang::EN, date), "2024-03-05");
    assert_eq!(c.format_date(Lang::PT, date), "05/03/2024");
    assert_eq!(c.format_date_long(Lang::EN, date), "5 March 2024");
    assert_eq!(c.format_date_long(Lang::PT, date), "5 de março de 2024");
    let at: NaiveDateTime = date.and_hms_opt(9, 7, 30).expect("time");
    assert_eq!(c.format_datetime(Lang::EN, at), "2024-03-05 09:07");
    assert_eq!(c.format_datetime(Lang::PT, at), "05/03/2024, 09:07");
    assert_eq!(c.month_name(Lang::PT, 12), "dezembro");
    // A language without a file formats as English.
    let de = Lang::parse("de").expect("tag");
    assert_eq!(c.format_date(de, date), "2024-03-05");
    assert_eq!(c.format_int(de, 12345), "12,345");
}

#[test]
fn periods_are_messages_with_the_date_placeholders() {
    let c = Catalog::embedded();
    assert_eq!(c.t(Lang::PT, "period.quarter", &[("q", &1), ("yyyy", &2024)]), "1.º trimestre de 2024");
    assert_eq!(c.t(Lang::EN, "period.quarter", &[("q", &1), ("yyyy", &2024)]), "Q1 2024");
    let month = c.month_name(Lang::PT, 3);
    assert_eq!(c.t(Lang::PT, "period.month", &[("month", &month), ("yyyy", &2024)]), "março de 2024");
}
