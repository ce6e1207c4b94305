//! Number formatting and escaping.

use charts::Lang;
use charts::format::{decimals_for, escape, number, percent};

const NNBSP: char = '\u{202F}';

#[test]
fn english_numbers() {
    assert_eq!(number(1234.5, 1, Lang::En), "1,234.5");
    assert_eq!(number(1_234_567.0, 0, Lang::En), "1,234,567");
    assert_eq!(number(999.0, 0, Lang::En), "999");
    assert_eq!(number(0.0, 2, Lang::En), "0.00");
    assert_eq!(number(-16.64, 1, Lang::En), "\u{2212}16.6");
    assert_eq!(number(-0.04, 1, Lang::En), "0.0", "no sign on a number rounding to zero");
    assert_eq!(number(-1000.0, 0, Lang::En), "\u{2212}1,000");
    assert_eq!(number(f64::NAN, 0, Lang::En), "\u{2013}");
}

#[test]
fn portuguese_numbers() {
    assert_eq!(number(1234.5, 1, Lang::Pt), format!("1{NNBSP}234,5"));
    assert_eq!(number(1_234_567.25, 2, Lang::Pt), format!("1{NNBSP}234{NNBSP}567,25"));
    assert_eq!(number(-12.0, 0, Lang::Pt), "\u{2212}12");
    assert_eq!(Lang::Pt.group_separator(), NNBSP);
    assert_eq!(Lang::Pt.decimal_separator(), ',');
}

#[test]
fn percentages() {
    assert_eq!(percent(12.5, 1, Lang::En), "12.5%");
    assert_eq!(percent(12.5, 1, Lang::Pt), format!("12,5{NNBSP}%"));
}

#[test]
fn decimals_follow_the_data() {
    assert_eq!(decimals_for([1.0, 20.0, 300.0]), 0);
    assert_eq!(decimals_for([1.5, 20.0]), 1);
    assert_eq!(decimals_for([0.25, 0.5]), 2);
    assert_eq!(decimals_for([f64::NAN, 3.0]), 0);
    assert_eq!(decimals_for(std::iter::empty()), 0);
}

#[test]
fn escaping_covers_markup_and_quotes() {
    assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
    assert_eq!(escape("a\u{0}b\u{1b}c\td"), "abc\td", "control characters are dropped");
    assert_eq!(escape("Região Norte – 2024"), "Região Norte – 2024");
}
