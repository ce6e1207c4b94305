//! CLDR plural rules for whole numbers: English, European and Brazilian Portuguese, and the other
//! languages a file may be added for.

use i18n::PluralCategory::{self, Few, Many, One, Other, Two, Zero};
use i18n::{Lang, optional_categories, plural_categories, plural_category};

fn check(tag: &str, cases: &[(u64, PluralCategory)]) {
    let lang = Lang::parse(tag).expect("tag");
    for &(n, expected) in cases {
        assert_eq!(plural_category(lang, n), expected, "{tag} {n}");
        assert!(plural_categories(lang).contains(&expected), "{tag}: {expected:?} not listed");
    }
}

#[test]
fn english() {
    check("en", &[(0, Other), (1, One), (2, Other), (11, Other), (21, Other), (1_000_000, Other)]);
    assert_eq!(plural_categories(Lang::EN), [One, Other]);
}

#[test]
fn european_portuguese_has_one_only_for_exactly_one() {
    check(
        "pt",
        &[(0, Other), (1, One), (2, Other), (21, Other), (101, Other), (1_000_000, Many), (2_000_000, Many)],
    );
    check("pt", &[(1_500_000, Other), (1_000_001, Other)]);
    check("pt-PT", &[(0, Other), (1, One)]);
    check("pt-AO", &[(0, Other), (1, One)]);
    assert_eq!(plural_categories(Lang::PT), [One, Many, Other]);
    assert_eq!(optional_categories(Lang::PT), [Many]);
}

#[test]
fn brazilian_portuguese_and_french_have_one_for_zero_too() {
    check("pt-BR", &[(0, One), (1, One), (2, Other), (1_000_000, Many)]);
    check("fr", &[(0, One), (1, One), (2, Other), (3_000_000, Many)]);
}

#[test]
fn other_languages_of_the_union() {
    check("es", &[(0, Other), (1, One), (2, Other), (1_000_000, Many)]);
    check("it", &[(1, One), (5, Other)]);
    check("de", &[(1, One), (0, Other)]);
    check("cs", &[(1, One), (2, Few), (4, Few), (5, Other), (22, Other)]);
    check(
        "pl",
        &[
            (1, One),
            (2, Few),
            (4, Few),
            (5, Many),
            (12, Many),
            (14, Many),
            (22, Few),
            (25, Many),
            (0, Many),
            (21, Many),
        ],
    );
    check("hr", &[(1, One), (21, One), (11, Other), (2, Few), (12, Other), (24, Few), (5, Other)]);
    check("sl", &[(1, One), (101, One), (2, Two), (3, Few), (4, Few), (5, Other), (11, Other)]);
    check("ro", &[(1, One), (0, Few), (2, Few), (19, Few), (20, Other), (101, Few), (120, Other)]);
    check(
        "lt",
        &[(1, One), (21, One), (11, Other), (2, Few), (9, Few), (12, Other), (10, Other), (20, Other)],
    );
    check(
        "lv",
        &[(0, Zero), (10, Zero), (11, Zero), (19, Zero), (1, One), (21, One), (2, Other), (111, Zero)],
    );
    check("ga", &[(1, One), (2, Two), (3, Few), (6, Few), (7, Many), (10, Many), (11, Other)]);
    check(
        "mt",
        &[
            (1, One),
            (2, Two),
            (0, Few),
            (3, Few),
            (10, Few),
            (11, Many),
            (19, Many),
            (20, Other),
            (102, Other),
            (103, Few),
        ],
    );
    check("uk", &[(1, One), (21, One), (11, Many), (2, Few), (22, Few), (12, Many), (5, Many), (0, Many)]);
    check("ja", &[(0, Other), (1, Other)]);
    // A language without a rule here gets the English one.
    check("eo", &[(1, One), (0, Other), (2, Other)]);
}
