//! CLDR plural rules for whole numbers (operands `n = i`, `v = 0`), by language.
//!
//! The rules follow the CLDR plural rules (cardinal) of the EU's official languages and a few
//! others; a message file in one of them needs no code. A language without a rule here is given
//! the English rule (`one` for 1, `other` otherwise), which is right for most European languages.
//!
//! Portuguese: the hub's `pt` is **European** Portuguese, so `pt` (and `pt-PT`, `pt-AO`, …) take the
//! CLDR `pt_PT` rule, `one` for exactly 1 (`0 vítimas`, `1 vítima`), while `pt-BR` takes the CLDR
//! `pt` rule, `one` for 0 and 1. In both, as in Spanish, French, Italian and Catalan, whole
//! millions are `many` (`1 milhão de vítimas`); a message without a `many` form uses `other`.

use crate::lang::Lang;
use crate::message::PluralCategory;
use crate::message::PluralCategory::{Few, Many, One, Other, Two, Zero};

/// A family of languages sharing a rule for whole numbers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rule {
    /// No plural forms (Chinese, Japanese, …).
    None,
    /// one: 1 (English, German, Dutch, Swedish, Danish, Finnish, Estonian, Greek, Hungarian, Bulgarian).
    OneIsOne,
    /// one: 1; many: whole millions (Spanish, Italian, Catalan, European Portuguese).
    OneMillions,
    /// one: 0 and 1; many: whole millions (French, Brazilian Portuguese).
    ZeroOneMillions,
    /// one: 1; few: 2–4 (Czech, Slovak).
    Czech,
    /// one: 1; few: 2–4, 22–24, … but not 12–14; many: the rest.
    Polish,
    /// one: 1, 21, … but not 11; few: 2–4, 22–24, … but not 12–14 (Croatian, Bosnian, Serbian).
    Croatian,
    /// one: 1, 21, … but not 11; few: 2–4, … but not 12–14; many: the rest (Russian, Ukrainian, Belarusian).
    Russian,
    /// one: …01; two: …02; few: …03–…04.
    Slovenian,
    /// one: 1; few: 0 and …01–…19 except 1.
    Romanian,
    /// one: 1, 21, … but not 11–19; few: 2–9, 22–29, … but not 12–19.
    Lithuanian,
    /// zero: 0, 10–20, 30, …; one: 1, 21, … but not 11.
    Latvian,
    /// one: 1; two: 2; few: 3–6; many: 7–10.
    Irish,
    /// one: 1; two: 2; few: 0 and …03–…10; many: …11–…19.
    Maltese,
}

fn rule(lang: Lang) -> Rule {
    match lang.language() {
        "zh" | "ja" | "ko" | "vi" | "th" | "id" | "ms" | "lo" | "km" | "my" => Rule::None,
        "pt" if lang.region() == Some("BR") => Rule::ZeroOneMillions,
        "pt" | "es" | "it" | "ca" => Rule::OneMillions,
        "fr" => Rule::ZeroOneMillions,
        "cs" | "sk" => Rule::Czech,
        "pl" => Rule::Polish,
        "hr" | "bs" | "sr" => Rule::Croatian,
        "ru" | "uk" | "be" => Rule::Russian,
        "sl" => Rule::Slovenian,
        "ro" | "mo" => Rule::Romanian,
        "lt" => Rule::Lithuanian,
        "lv" => Rule::Latvian,
        "ga" => Rule::Irish,
        "mt" => Rule::Maltese,
        _ => Rule::OneIsOne,
    }
}

/// The plural category of the whole number `n` in `lang`.
pub fn plural_category(lang: Lang, n: u64) -> PluralCategory {
    let (m10, m100) = (n % 10, n % 100);
    match rule(lang) {
        Rule::None => Other,
        Rule::OneIsOne => {
            if n == 1 {
                One
            } else {
                Other
            }
        }
        Rule::OneMillions | Rule::ZeroOneMillions => {
            let one = if rule(lang) == Rule::OneMillions { n == 1 } else { n <= 1 };
            if one {
                One
            } else if n != 0 && n.is_multiple_of(1_000_000) {
                Many
            } else {
                Other
            }
        }
        Rule::Czech => match n {
            1 => One,
            2..=4 => Few,
            _ => Other,
        },
        Rule::Polish => {
            if n == 1 {
                One
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                Few
            } else {
                Many
            }
        }
        Rule::Croatian | Rule::Russian => {
            if m10 == 1 && m100 != 11 {
                One
            } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                Few
            } else if rule(lang) == Rule::Russian {
                Many
            } else {
                Other
            }
        }
        Rule::Slovenian => match m100 {
            1 => One,
            2 => Two,
            3 | 4 => Few,
            _ => Other,
        },
        Rule::Romanian => {
            if n == 1 {
                One
            } else if n == 0 || (1..=19).contains(&m100) {
                Few
            } else {
                Other
            }
        }
        Rule::Lithuanian => {
            if (11..=19).contains(&m100) {
                Other
            } else if m10 == 1 {
                One
            } else if m10 >= 2 {
                Few
            } else {
                Other
            }
        }
        Rule::Latvian => {
            if m10 == 0 || (11..=19).contains(&m100) {
                Zero
            } else if m10 == 1 {
                One
            } else {
                Other
            }
        }
        Rule::Irish => match n {
            1 => One,
            2 => Two,
            3..=6 => Few,
            7..=10 => Many,
            _ => Other,
        },
        Rule::Maltese => {
            if n == 1 {
                One
            } else if n == 2 {
                Two
            } else if n == 0 || (3..=10).contains(&m100) {
                Few
            } else if (11..=19).contains(&m100) {
                Many
            } else {
                Other
            }
        }
    }
}

/// The plural categories `lang` distinguishes (CLDR, including those that only decimals or
/// compact numbers reach): the forms a message file of that language may have.
pub fn plural_categories(lang: Lang) -> &'static [PluralCategory] {
    match rule(lang) {
        Rule::None => &[Other],
        Rule::OneIsOne => &[One, Other],
        Rule::OneMillions | Rule::ZeroOneMillions => &[One, Many, Other],
        Rule::Czech | Rule::Polish | Rule::Russian | Rule::Lithuanian => &[One, Few, Many, Other],
        Rule::Croatian | Rule::Romanian => &[One, Few, Other],
        Rule::Slovenian => &[One, Two, Few, Other],
        Rule::Latvian => &[Zero, One, Other],
        Rule::Irish | Rule::Maltese => &[One, Two, Few, Many, Other],
    }
}

/// The categories of `lang` a plural message may leave out, because whole counts reach them only
/// where `other` reads well (whole millions in Romance languages) or never (decimals in Czech and
/// Lithuanian, non-integers in Polish and Russian).
pub fn optional_categories(lang: Lang) -> &'static [PluralCategory] {
    match rule(lang) {
        Rule::OneMillions | Rule::ZeroOneMillions | Rule::Czech | Rule::Lithuanian => &[Many],
        Rule::Polish | Rule::Russian => &[Other],
        _ => &[],
    }
}
