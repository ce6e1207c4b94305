//! Normalisation of identity attributes before they are keyed (privacy.md §1.2 step 1).
//!
//! Every provider must normalise the same way, or equal persons get different keys. The rules
//! are therefore fixed, documented here and pinned by test vectors:
//!
//! 1. Transliterate to ASCII with `deunicode` (diacritics stripped, Cyrillic/Greek/Arabic
//!    romanised: "Ștefan" → "Stefan", "Müller" → "Muller", "Олена" → "Olena"); characters without
//!    a transliteration are dropped.
//! 2. Uppercase.
//! 3. Split into tokens at anything that is not a letter (spaces, hyphens, dots, digits …);
//!    apostrophes are removed without splitting ("D'Souza" → "DSOUZA", "O'Brien" → "OBRIEN").
//! 4. Drop name particles ([`PARTICLES`]: DA, DE, DOS, VAN, VON, AL, EL, BIN …) and one-letter
//!    tokens (initials, the conjunctions "e"/"y"), because providers record them inconsistently
//!    ("Maria da Silva" / "Maria Silva", "El Idrissi" / "Idrissi"). If that would leave no token,
//!    the particles are kept (a name made only of particles is still a name).
//!
//! Keys that say "sorted" sort the tokens and remove duplicates, so that the order of the name
//! parts (and which field they were written in) does not matter.
//!
//! [`phonetic`] is a coarse, deterministic phonetic code used by two of the keys to absorb vowel
//! typos, doubled letters and transliteration variants (Mohammed/Muhammad, Olena/Elena,
//! Serhii/Sergey, Aicha/Aisha).

/// Name particles dropped from name tokens (after uppercasing and transliteration).
#[rustfmt::skip]
pub const PARTICLES: &[&str] = &[
    "AL", "BINT", "BINTI", "BIN", "DA", "DAS", "DE", "DEL", "DELA", "DELLA", "DEN", "DER", "DI", "DO", "DOS",
    "DU", "EL", "LA", "LE", "TEN", "TER", "VAN", "VON",
];

/// Normalises a name field into its tokens (rules in the module documentation).
///
/// `normalise_name("José da Costa")` is `["JOSE", "COSTA"]`.
pub fn normalise_name(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode_with_tofu(text, "");
    let mut tokens: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphabetic() {
            current.push(c.to_ascii_uppercase());
        } else if matches!(c, '\'' | '`' | '\u{2019}') {
            // Apostrophes join: D'SOUZA → DSOUZA.
        } else if !current.is_empty() {
            tokens.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    let kept: Vec<String> =
        tokens.iter().filter(|t| t.len() > 1 && !PARTICLES.contains(&t.as_str())).cloned().collect();
    if kept.is_empty() { tokens } else { kept }
}

/// Sorted, de-duplicated tokens joined by one space.
pub(crate) fn sorted_joined(tokens: &[&str]) -> String {
    let mut v: Vec<&str> = tokens.to_vec();
    v.sort_unstable();
    v.dedup();
    v.join(" ")
}

/// A coarse phonetic code of one normalised token (uppercase ASCII letters).
///
/// Rules, in order: digraphs PH→F, TH→T, SH/CH→S, KH→K, X→KS; then the first letter is kept
/// (vowels and Y as `A`, G as `H`), and of the rest vowels, Y, H, W and G are dropped, K and Q
/// become C, Z becomes S, V stays; finally runs of the same letter collapse to one.
///
/// `MOHAMMED`, `MUHAMMAD` and `MOHAMED` all give `MD`; `OLENA` and `ELENA` give `ALN`.
pub fn phonetic(token: &str) -> String {
    let b = token.as_bytes();
    let mut expanded: Vec<u8> = Vec::with_capacity(b.len() + 2);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match (c, next) {
            (b'P', Some(b'H')) => {
                expanded.push(b'F');
                i += 2;
            }
            (b'T', Some(b'H')) => {
                expanded.push(b'T');
                i += 2;
            }
            (b'S' | b'C', Some(b'H')) => {
                expanded.push(b'S');
                i += 2;
            }
            (b'K', Some(b'H')) => {
                expanded.push(b'K');
                i += 2;
            }
            (b'X', _) => {
                expanded.extend_from_slice(b"KS");
                i += 1;
            }
            _ => {
                expanded.push(c);
                i += 1;
            }
        }
    }
    let mut out = String::with_capacity(expanded.len());
    for (pos, &c) in expanded.iter().enumerate() {
        let mapped = if pos == 0 {
            match c {
                b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => Some(b'A'),
                b'G' => Some(b'H'),
                b'K' | b'Q' => Some(b'C'),
                b'Z' => Some(b'S'),
                b'W' => Some(b'V'),
                other => Some(other),
            }
        } else {
            match c {
                b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' | b'H' | b'W' | b'G' => None,
                b'K' | b'Q' => Some(b'C'),
                b'Z' => Some(b'S'),
                other => Some(other),
            }
        };
        if let Some(m) = mapped {
            let m = char::from(m);
            if !out.ends_with(m) {
                out.push(m);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_and_case() {
        assert_eq!(normalise_name("Ștefan"), ["STEFAN"]);
        assert_eq!(normalise_name("Ştefan"), ["STEFAN"]);
        assert_eq!(normalise_name("Müller"), ["MULLER"]);
        assert_eq!(normalise_name("João"), ["JOAO"]);
        assert_eq!(normalise_name("  maria   FERNANDA "), ["MARIA", "FERNANDA"]);
        assert_eq!(normalise_name("Олена"), ["OLENA"]);
    }

    #[test]
    fn particles_initials_and_punctuation() {
        assert_eq!(normalise_name("José da Costa"), ["JOSE", "COSTA"]);
        assert_eq!(normalise_name("Maria dos Santos e Silva"), ["MARIA", "SANTOS", "SILVA"]);
        assert_eq!(normalise_name("El-Idrissi"), ["IDRISSI"]);
        assert_eq!(normalise_name("Ludwig van Beethoven"), ["LUDWIG", "BEETHOVEN"]);
        assert_eq!(normalise_name("D'Souza"), ["DSOUZA"]);
        assert_eq!(normalise_name("Ana-Maria J. Pop"), ["ANA", "MARIA", "POP"]);
        assert_eq!(normalise_name("Da"), ["DA"]);
        assert!(normalise_name("").is_empty());
        assert!(normalise_name(" - 123 ").is_empty());
    }

    #[test]
    fn phonetic_merges_transliteration_variants() {
        for group in [
            &["MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD"][..],
            &["OLENA", "ELENA", "ALENA"],
            &["OLEKSANDR", "ALEKSANDR", "OLEXANDR"],
            &["SERHII", "SERGEY", "SERHIY"],
            &["AICHA", "AISHA"],
            &["MUSTAPHA", "MUSTAFA"],
            &["YULIA", "IULIIA", "YULIYA"],
            &["GALINA", "HALYNA"],
            &["TARIK", "TARIQ"],
        ] {
            let codes: Vec<String> = group.iter().map(|t| phonetic(t)).collect();
            assert!(codes.iter().all(|c| c == &codes[0]), "{group:?} → {codes:?}");
        }
        assert_ne!(phonetic("MARIA"), phonetic("SILVA"));
    }
}
