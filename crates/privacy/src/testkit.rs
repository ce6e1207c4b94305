//! Synthetic noisy identities for measuring linkage quality (privacy.md §1.4, §1.7).
//!
//! [`generate`] draws persons (names from the pools of [`crate::names`] with Zipf-like weights,
//! so homonyms occur; birth dates; sex) and registers each once; a share is registered again by a
//! second and sometimes a third provider, each time with independent data-entry noise ([`Noise`]:
//! typos, day/month swaps, off-by-one years, 1 January defaults, missing days, name-order swaps,
//! transliteration variants, dropped second names and particles). Everything is driven by one
//! seeded ChaCha stream: the same parameters give the same registrations.
//!
//! [`evaluate`] scores a clustering against the truth by pairs of registrations.

use chrono::{Datelike, NaiveDate};
use model::codes::Sex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Identity;
use crate::cluster::cluster;
use crate::linkage::{KeyKind, linkage_keys_of};
use crate::names::{NEPALI_MIDDLE, POOLS, Pool, Style, VARIANTS};
use crate::secret::LinkageSecret;

/// Probabilities of each kind of data-entry noise in a re-registration.
#[derive(Clone, Debug, PartialEq)]
pub struct Noise {
    /// A typo in one family-name token.
    pub family_typo: f64,
    /// A typo in one given-name token.
    pub given_typo: f64,
    /// Day and month swapped (when the day is at most 12).
    pub day_month_swap: f64,
    /// Birth year off by one.
    pub year_off_by_one: f64,
    /// Birth date recorded as 1 January of the right year.
    pub january_default: f64,
    /// Only the birth year recorded.
    pub day_missing: f64,
    /// No birth date at all.
    pub dob_unknown: f64,
    /// Given and family names swapped.
    pub order_swap: f64,
    /// Another transliteration of a name that has variants.
    pub variant: f64,
    /// Second given name left out.
    pub drop_second_given: f64,
    /// First of two surnames left out.
    pub drop_first_surname: f64,
    /// Sex recorded as unknown.
    pub sex_unknown: f64,
}

impl Default for Noise {
    /// The error rates of privacy.md §1.4 plus the artefacts listed there.
    fn default() -> Noise {
        Noise {
            family_typo: 0.25,
            given_typo: 0.15,
            day_month_swap: 0.05,
            year_off_by_one: 0.05,
            january_default: 0.03,
            day_missing: 0.04,
            dob_unknown: 0.01,
            order_swap: 0.05,
            variant: 0.35,
            drop_second_given: 0.20,
            drop_first_surname: 0.10,
            sex_unknown: 0.01,
        }
    }
}

/// Generator parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Distinct persons.
    pub persons: usize,
    /// Persons registered again by a second provider.
    pub reregistered: usize,
    /// Share of the re-registered persons registered a third time.
    pub third: f64,
    /// Noise of re-registrations.
    pub noise: Noise,
    /// Seed of the random stream.
    pub seed: u64,
}

impl Params {
    /// `persons` persons of which `reregistered` are registered again (20% of those a third time).
    pub fn new(persons: usize, reregistered: usize, seed: u64) -> Params {
        Params { persons, reregistered: reregistered.min(persons), third: 0.2, noise: Noise::default(), seed }
    }
}

/// One synthetic registration.
#[derive(Clone)]
pub struct Registration {
    /// The true person (index into the generated persons).
    pub person: u32,
    /// Which registration of the person (0 = first provider).
    pub provider: u8,
    /// Nationality of the name pool.
    pub nationality: &'static str,
    /// The identity as the provider recorded it.
    pub identity: Identity,
}

/// A person's true identity.
#[derive(Clone)]
struct Person {
    pool: &'static Pool,
    given: Vec<String>,
    /// Family names, each with an optional particle before it.
    family: Vec<(Option<&'static str>, String)>,
    birth: NaiveDate,
    sex: Sex,
}

/// Generates the registrations: all first registrations (person order), then the re-registrations.
pub fn generate(params: &Params) -> Vec<Registration> {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let persons: Vec<Person> = (0..params.persons).map(|_| draw_person(&mut rng)).collect();
    let mut out = Vec::with_capacity(params.persons + params.reregistered * 2);
    for (i, p) in persons.iter().enumerate() {
        out.push(Registration {
            person: i as u32,
            provider: 0,
            nationality: p.pool.nationality,
            identity: present(p, &mut rng),
        });
    }
    // Re-registered persons: a seeded choice without replacement (partial Fisher-Yates).
    let mut order: Vec<usize> = (0..params.persons).collect();
    for k in 0..params.reregistered.min(order.len()) {
        let j = rng.random_range(k..order.len());
        order.swap(k, j);
        let i = order[k];
        let registrations = if rng.random_bool(params.third.clamp(0.0, 1.0)) { 2 } else { 1 };
        for provider in 1..=registrations {
            let noisy = add_noise(&persons[i], &params.noise, &mut rng);
            let mut identity = present(&noisy, &mut rng);
            dob_noise(&mut identity, &params.noise, &mut rng);
            out.push(Registration {
                person: i as u32,
                provider,
                nationality: persons[i].pool.nationality,
                identity,
            });
        }
    }
    out
}

/// Zipf exponent of given-name frequencies (top name about 10% of its sex and nationality).
const GIVEN_SKEW: f64 = 0.6;

/// Zipf-like draw: weight of rank r is 1 / (r + 1)^s.
fn zipf<'a>(rng: &mut ChaCha8Rng, items: &'a [&'static str], s: f64) -> &'a str {
    let total: f64 = (0..items.len()).map(|r| 1.0 / ((r + 1) as f64).powf(s)).sum();
    let mut x = rng.random::<f64>() * total;
    for (r, item) in items.iter().enumerate() {
        x -= 1.0 / ((r + 1) as f64).powf(s);
        if x <= 0.0 {
            return item;
        }
    }
    items.last().copied().unwrap_or("")
}

fn draw_pool(rng: &mut ChaCha8Rng) -> &'static Pool {
    let total: u32 = POOLS.iter().map(|p| p.weight).sum();
    let mut x = rng.random_range(0..total.max(1));
    for p in POOLS {
        if x < p.weight {
            return p;
        }
        x -= p.weight;
    }
    &POOLS[0]
}

fn draw_person(rng: &mut ChaCha8Rng) -> Person {
    let pool = draw_pool(rng);
    let sex = if rng.random_bool(0.55) { Sex::F } else { Sex::M };
    let names = if sex == Sex::F { pool.female } else { pool.male };
    let first = zipf(rng, names, GIVEN_SKEW).to_owned();
    let mut given = vec![first];
    let surname = |rng: &mut ChaCha8Rng| zipf(rng, pool.surnames, pool.surname_skew).to_owned();
    let mut family: Vec<(Option<&'static str>, String)> = Vec::new();
    match pool.style {
        Style::Lusophone => {
            if rng.random_bool(0.5) {
                push_distinct(&mut given, zipf(rng, names, GIVEN_SKEW));
            }
            let particles = ["da", "dos", "de", "das"];
            let n = if rng.random_bool(0.7) { 2 } else { 1 };
            for _ in 0..n {
                let particle = if rng.random_bool(0.2) {
                    Some(particles[rng.random_range(0..particles.len())])
                } else {
                    None
                };
                let s = surname(rng);
                if family.iter().all(|(_, f)| f != &s) {
                    family.push((particle, s));
                }
            }
        }
        Style::Western => {
            if rng.random_bool(0.25) {
                push_distinct(&mut given, zipf(rng, names, GIVEN_SKEW));
            }
            family.push((None, surname(rng)));
        }
        Style::Simple => family.push((None, surname(rng))),
        Style::Nepali => {
            let middles = if sex == Sex::F { NEPALI_MIDDLE.0 } else { NEPALI_MIDDLE.1 };
            if rng.random_bool(0.4) {
                given.push(middles[rng.random_range(0..middles.len())].to_owned());
            }
            family.push((None, surname(rng)));
        }
        Style::Bengali => {
            if sex == Sex::M && rng.random_bool(0.4) {
                given.insert(0, "Mohammad".to_owned());
            }
            family.push((None, surname(rng)));
        }
        Style::Maghrebi => {
            let particle = if rng.random_bool(0.25) { Some("El") } else { None };
            family.push((particle, surname(rng)));
        }
    }
    Person { pool, given, family, birth: draw_birth(rng), sex }
}

fn push_distinct(given: &mut Vec<String>, name: &str) {
    if given.iter().all(|g| g != name) {
        given.push(name.to_owned());
    }
}

/// Registration 2014–2025, age 14–59 (mostly 18–40).
fn draw_birth(rng: &mut ChaCha8Rng) -> NaiveDate {
    let registered = rng.random_range(2014..=2025);
    let age = if rng.random_bool(0.75) { rng.random_range(18..=40) } else { rng.random_range(14..=59) };
    let year = registered - age;
    let ordinal = rng.random_range(1..=365);
    NaiveDate::from_yo_opt(year, ordinal).unwrap_or(NaiveDate::MIN)
}

fn add_noise(p: &Person, noise: &Noise, rng: &mut ChaCha8Rng) -> Person {
    let mut q = p.clone();
    for g in &mut q.given {
        maybe_variant(g, noise.variant, rng);
    }
    for (_, f) in &mut q.family {
        maybe_variant(f, noise.variant, rng);
    }
    if q.given.len() >= 2 && rng.random_bool(noise.drop_second_given) {
        q.given.remove(1);
    }
    if q.family.len() >= 2 && rng.random_bool(noise.drop_first_surname) {
        q.family.remove(0);
    }
    if rng.random_bool(0.5) {
        for (particle, _) in &mut q.family {
            *particle = None;
        }
    }
    if rng.random_bool(noise.family_typo) && !q.family.is_empty() {
        let i = rng.random_range(0..q.family.len());
        q.family[i].1 = typo(&q.family[i].1, rng);
    }
    if rng.random_bool(noise.given_typo) && !q.given.is_empty() {
        let i = rng.random_range(0..q.given.len());
        q.given[i] = typo(&q.given[i], rng);
    }
    if rng.random_bool(noise.order_swap) {
        let given = std::mem::take(&mut q.given);
        q.given = q.family.drain(..).map(|(_, f)| f).collect();
        q.family = given.into_iter().map(|g| (None, g)).collect();
    }
    if rng.random_bool(noise.sex_unknown) {
        q.sex = Sex::Unknown;
    }
    q
}

fn maybe_variant(name: &mut String, p: f64, rng: &mut ChaCha8Rng) {
    let Some(group) = VARIANTS.iter().find(|g| g.first() == Some(&name.as_str())) else {
        return;
    };
    if group.len() > 1 && rng.random_bool(p) {
        let k = rng.random_range(1..group.len());
        *name = group[k].to_owned();
    }
}

/// One random edit: substitution, deletion, insertion, transposition or a doubled letter, at the
/// first letter in 8% of cases and elsewhere uniformly.
fn typo(token: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    if chars.len() < 2 {
        return token.to_owned();
    }
    let letter = char::from(b'a' + rng.random_range(0..26u8));
    // The first letter is rarely wrong (about 8% of misspellings, Pollock & Zamora 1983).
    let i = if rng.random_bool(0.08) { 0 } else { rng.random_range(1..chars.len()) };
    match rng.random_range(0..5) {
        0 => chars[i] = if chars[i].is_uppercase() { letter.to_ascii_uppercase() } else { letter },
        1 if chars.len() > 3 => {
            chars.remove(i);
        }
        1 | 2 => chars.insert(i, letter),
        3 => {
            let j = if i + 1 < chars.len() { i } else { i - 1 };
            chars.swap(j, j + 1);
        }
        _ => {
            let c = chars[i];
            chars.insert(i, c);
        }
    }
    chars.into_iter().collect()
}

/// Writes a person as a provider would: random upper case, diacritics sometimes dropped.
fn present(p: &Person, rng: &mut ChaCha8Rng) -> Identity {
    let upper = rng.random_bool(0.3);
    let ascii = rng.random_bool(0.3);
    let fmt = |s: String| {
        let s = if ascii { deunicode::deunicode(&s) } else { s };
        if upper { s.to_uppercase() } else { s }
    };
    let given = fmt(p.given.join(" "));
    let family = fmt(p
        .family
        .iter()
        .map(|(particle, f)| match particle {
            Some(pa) => format!("{pa} {f}"),
            None => f.clone(),
        })
        .collect::<Vec<_>>()
        .join(" "));
    let sex = Some(p.sex);
    Identity {
        given_names: given,
        family_names: family,
        birth_date: Some(p.birth),
        birth_year: Some(p.birth.year()),
        sex,
    }
}

/// Applies the birth-date noise to an identity.
fn dob_noise(identity: &mut Identity, noise: &Noise, rng: &mut ChaCha8Rng) {
    let Some(d) = identity.birth_date else {
        return;
    };
    let x = rng.random::<f64>();
    let mut edge = noise.dob_unknown;
    if x < edge {
        identity.birth_date = None;
        identity.birth_year = None;
        return;
    }
    edge += noise.day_missing;
    if x < edge {
        identity.birth_date = None;
        return;
    }
    edge += noise.january_default;
    if x < edge {
        identity.birth_date = NaiveDate::from_ymd_opt(d.year(), 1, 1);
        return;
    }
    edge += noise.day_month_swap;
    if x < edge {
        if d.day() <= 12 {
            identity.birth_date = NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()).or(Some(d));
        }
        return;
    }
    edge += noise.year_off_by_one;
    if x < edge {
        let year = if rng.random_bool(0.5) { d.year() + 1 } else { d.year() - 1 };
        identity.birth_date = NaiveDate::from_ymd_opt(year, d.month(), d.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, d.month(), 28))
            .or(Some(d));
        identity.birth_year = identity.birth_date.map(|b| b.year());
    }
}

/// Pairwise quality of a clustering.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quality {
    /// Correct pairs / pairs put together.
    pub precision: f64,
    /// Correct pairs / pairs that belong together.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Pairs of registrations of the same true person.
    pub true_pairs: u64,
    /// Pairs of registrations in the same cluster.
    pub found_pairs: u64,
    /// Pairs in the same cluster that are the same person.
    pub correct_pairs: u64,
}

/// Scores `predicted` person numbers against `truth` (one entry per registration each; extra
/// entries of the longer slice are ignored).
pub fn evaluate(predicted: &[u32], truth: &[u32]) -> Quality {
    let n = predicted.len().min(truth.len());
    let pairs = |mut v: Vec<(u32, u32)>| -> u64 {
        v.sort_unstable();
        let mut total = 0u64;
        let mut run = 0u64;
        for i in 0..v.len() {
            run = if i > 0 && v[i] == v[i - 1] { run + 1 } else { 0 };
            total += run;
        }
        total
    };
    let found = pairs((0..n).map(|i| (predicted[i], 0)).collect());
    let true_pairs = pairs((0..n).map(|i| (truth[i], 0)).collect());
    let correct = pairs((0..n).map(|i| (predicted[i], truth[i])).collect());
    let precision = if found == 0 { 1.0 } else { correct as f64 / found as f64 };
    let recall = if true_pairs == 0 { 1.0 } else { correct as f64 / true_pairs as f64 };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Quality { precision, recall, f1, true_pairs, found_pairs: found, correct_pairs: correct }
}

/// Computes the keys of `kinds` for every registration and clusters them.
pub fn link(registrations: &[Registration], secret: &LinkageSecret, kinds: &[KeyKind]) -> Vec<u32> {
    let keys = registrations
        .iter()
        .enumerate()
        .flat_map(|(i, r)| linkage_keys_of(&r.identity, secret, kinds).into_iter().map(move |k| (i, k)));
    cluster(registrations.len(), keys, std::iter::empty())
}

/// The true person of every registration.
pub fn truth(registrations: &[Registration]) -> Vec<u32> {
    registrations.iter().map(|r| r.person).collect()
}
