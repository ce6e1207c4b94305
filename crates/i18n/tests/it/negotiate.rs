//! `Accept-Language` negotiation (RFC 9110 §12.5.4): weights, order, subtags, `*`, `q=0` and
//! malformed headers.

use i18n::{Catalog, Lang, MAX_RANGES, negotiate};

fn tag(t: &str) -> Lang {
    Lang::parse(t).expect("tag")
}

fn pick(header: &str, available: &[&str]) -> String {
    let available: Vec<Lang> = available.iter().map(|t| tag(t)).collect();
    negotiate(header, &available).to_string()
}

#[test]
fn browser_headers_against_english_and_portuguese() {
    let cases = [
        ("", "en"),
        ("pt-PT,pt;q=0.9,en;q=0.8", "pt"),
        ("pt-PT", "pt"),
        ("pt-BR", "pt"),
        ("PT-br", "pt"),
        ("pt", "pt"),
        ("en-GB,en;q=0.9", "en"),
        ("en-US,en;q=0.9,pt;q=0.8", "en"),
        ("fr-FR, fr;q=0.9, pt;q=0.5, en;q=0.4", "pt"),
        ("de, fr", "en"),
        ("en;q=0.1, pt;q=0.9", "pt"),
        ("en, pt", "en"),
        ("pt, en", "pt"),
        ("*", "en"),
        ("fr, *;q=0.5", "en"),
        ("pt;q=0", "en"),
        ("en;q=0, pt;q=0.1", "pt"),
        ("en;q=0, *", "pt"),
        ("pt;q=0, pt-BR", "en"),
        (" pt ; q=0.5 , en ; q=0.4 ", "pt"),
        ("pt;q=1.000, en", "pt"),
        ("en;q=0.001, pt;q=0.000", "en"),
    ];
    for (header, expected) in cases {
        assert_eq!(pick(header, &["en", "pt"]), expected, "{header:?}");
    }
}

#[test]
fn malformed_entries_are_skipped() {
    let cases = [
        ("pt;q=2, en;q=0.5", "en"),
        ("pt;q=abc", "en"),
        ("pt;q=0.5555, en;q=0.1", "en"),
        ("pt;q=1.5", "en"),
        ("pt;level=1, en;q=0.2", "en"),
        ("p!t, pt;q=0.5", "pt"),
        (",,, ;q=1, pt", "pt"),
        ("toolongsubtag, pt;q=0.3", "pt"),
        ("\u{fffd}\u{0}", "en"),
    ];
    for (header, expected) in cases {
        assert_eq!(pick(header, &["en", "pt"]), expected, "{header:?}");
    }
}

#[test]
fn regional_files_are_preferred_when_they_fit() {
    let available = ["en", "pt", "pt-BR"];
    assert_eq!(pick("pt-BR", &available), "pt-BR");
    assert_eq!(pick("pt-PT", &available), "pt");
    assert_eq!(pick("pt", &available), "pt");
    assert_eq!(pick("pt-AO", &available), "pt");
    // Only a regional file: a general range finds it.
    assert_eq!(pick("pt", &["en", "pt-BR"]), "pt-BR");
    assert_eq!(pick("pt-PT", &["en", "pt-BR"]), "pt-BR");
    // An exact match at a lower weight does not beat a closer language at a higher one.
    assert_eq!(pick("pt-BR, en;q=0.5", &["en", "pt"]), "pt");
    assert_eq!(pick("sr-Latn-RS", &["en", "sr-Latn"]), "sr-Latn");
}

#[test]
fn english_when_nothing_fits_even_if_not_available() {
    assert_eq!(pick("de", &["pt"]), "en");
    assert_eq!(pick("*", &["pt"]), "pt");
    assert_eq!(pick("pt", &[]), "en");
}

#[test]
fn only_the_first_ranges_are_read() {
    let mut header = vec!["de"; MAX_RANGES];
    header.push("pt");
    assert_eq!(pick(&header.join(","), &["en", "pt"]), "en");
    let long = "x,".repeat(100_000) + "pt";
    assert_eq!(pick(&long, &["en", "pt"]), "en");
}

#[test]
fn the_embedded_catalog_negotiates_among_its_files() {
    let c = Catalog::embedded();
    assert_eq!(c.negotiate("pt-PT,pt;q=0.9"), Lang::PT);
    assert_eq!(c.negotiate("de-DE"), Lang::EN);
    assert_eq!(c.negotiate(""), Lang::EN);
}
