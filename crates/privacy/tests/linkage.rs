//! Linkage keys: normalisation and test vectors (so a re-implementation agrees), which keys an
//! identity gets, key secrecy against a dictionary attack, and linkage quality on synthetic
//! noisy registrations.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use model::codes::Sex;
use model::ids::{LinkageKey, NationalCode};
use privacy::cluster::{KeyClass, key_class};
use privacy::linkage::{KeyKind, Normalised, linkage_keys_of};
use privacy::testkit::{Params, evaluate, generate, link, truth};
use privacy::{Identity, LinkageSecret, linkage_keys, normalise_name};
use sha2::{Digest, Sha256};

fn secret() -> LinkageSecret {
    let mut master = [0u8; 32];
    for (i, b) in master.iter_mut().enumerate() {
        *b = i as u8;
    }
    LinkageSecret::generate(NationalCode::new("PT-TEST").unwrap_or_else(|| unreachable!()), master)
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn maria() -> Identity {
    Identity {
        given_names: "Maria Fernanda".to_owned(),
        family_names: "da Silva Santos".to_owned(),
        birth_date: date(1990, 3, 7),
        birth_year: Some(1990),
        sex: Some(Sex::F),
    }
}

fn hex(key: &LinkageKey) -> String {
    key.to_string()
}

#[test]
fn normalisation_vectors() {
    assert_eq!(normalise_name("Ștefan"), ["STEFAN"]);
    assert_eq!(normalise_name("Müller"), ["MULLER"]);
    assert_eq!(normalise_name("João"), ["JOAO"]);
    assert_eq!(normalise_name("José da Costa"), ["JOSE", "COSTA"]);
    assert_eq!(normalise_name("MARIA  dos   santos"), ["MARIA", "SANTOS"]);
    assert_eq!(normalise_name("Олена"), ["OLENA"]);
}

/// The exact messages of every key for one identity: the normative format.
#[test]
fn message_vectors() {
    let n = Normalised::of(&maria());
    let all: Vec<String> = KeyKind::ALL.iter().flat_map(|&k| n.messages(k)).collect();
    assert_eq!(
        all,
        [
            "K1|FRND MR SLV SNTS|19900307",
            "K2|MARIA|S|19900307",
            "K2|SANTOS|M|19900307",
            "K3|MR SNTS|0307|A995|F",
            "K3|MR SNTS|0307|B995|F",
            "K4|MR SNTS|19900307",
            "K5|FRND MR SLV SNTS|1990|F",
        ]
    );
}

/// Fixed key + identity → expected keys (hex), and an independent re-implementation of the
/// derivation (HKDF-SHA-256, HMAC-SHA-256, truncation, marker bits) from the documented spec.
#[test]
fn key_vectors_and_independent_reimplementation() {
    let secret = secret();
    let keys: Vec<String> = linkage_keys(&maria(), &secret).iter().map(hex).collect();
    assert_eq!(keys, EXPECTED_MARIA, "{keys:#?}");

    let mut master = [0u8; 32];
    for (i, b) in master.iter_mut().enumerate() {
        *b = i as u8;
    }
    let hk = Hkdf::<Sha256>::new(Some(b"mosy-linkage-v1"), &master);
    let n = Normalised::of(&maria());
    let mut again = BTreeSet::new();
    for kind in KeyKind::ALL {
        let mut subkey = [0u8; 32];
        assert!(hk.expand(format!("mosy-linkage-v1 {}", kind.label()).as_bytes(), &mut subkey).is_ok());
        for message in n.messages(kind) {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&subkey) else { panic!("hmac key") };
            mac.update(message.as_bytes());
            let full = mac.finalize().into_bytes();
            let mut b = [0u8; 16];
            b.copy_from_slice(&full[..16]);
            if kind.is_partial() {
                b[0] = (b[0] & 0x3f) | 0x80; // exact date: not doubtful
            } else {
                b[0] &= 0x7f;
            }
            again.insert(LinkageKey::from_bytes(b));
        }
    }
    assert_eq!(again, linkage_keys(&maria(), &secret));
}

/// Keys of [`maria`] under the master secret 00 01 02 … 1f (sorted as stored).
const EXPECTED_MARIA: [&str; 7] = [
    "0c351166a4d4679d7e860a3484a38b71",
    "0f4f86ef46b857eb798ba890ef802fc0",
    "150e84ce0ca1b6ff843a1d2d06ea3ad8",
    "1e9baac7708b67042af97fab999c0445",
    "7029bfbee5b062afe6ade18241996662",
    "71e3f5975ccf48b32882f1d1baab10ea",
    "a3ea54cf3b36fe1cbcfd76fe2ed334cb",
];

#[test]
fn which_keys_an_identity_gets() {
    let secret = secret();
    let count = |id: &Identity| linkage_keys(id, &secret).len();
    let kinds_of = |id: &Identity| -> Vec<&str> {
        KeyKind::ALL
            .iter()
            .filter(|&&k| !linkage_keys_of(id, &secret, &[k]).is_empty())
            .map(|k| k.label())
            .collect()
    };
    assert_eq!(kinds_of(&maria()), ["K1", "K2", "K3", "K4", "K5"]);
    assert_eq!(count(&maria()), 7);

    // No name, no date at all: nothing.
    assert!(linkage_keys(&Identity { given_names: " - ".into(), ..maria() }, &secret).len() < 7);
    assert!(
        linkage_keys(
            &Identity { given_names: String::new(), family_names: String::new(), ..maria() },
            &secret
        )
        .is_empty()
    );
    assert!(linkage_keys(&Identity { birth_date: None, birth_year: None, ..maria() }, &secret).is_empty());

    // Only the year: the partial-date key, marked doubtful.
    let year_only = Identity { birth_date: None, ..maria() };
    assert_eq!(kinds_of(&year_only), ["K5"]);
    let keys = linkage_keys(&year_only, &secret);
    assert!(keys.iter().all(|k| key_class(k.as_bytes()) == KeyClass::Partial { doubtful: true }));

    // 1 January: every key, and the partial key marked doubtful.
    let jan1 = Identity { birth_date: date(1990, 1, 1), ..maria() };
    assert_eq!(kinds_of(&jan1), ["K1", "K2", "K3", "K4", "K5"]);
    let partial: Vec<KeyClass> = linkage_keys(&jan1, &secret)
        .iter()
        .map(|k| key_class(k.as_bytes()))
        .filter(|c| *c != KeyClass::Full)
        .collect();
    assert_eq!(partial, [KeyClass::Partial { doubtful: true }]);

    // Unknown sex: no key that includes sex.
    let unknown_sex = Identity { sex: Some(Sex::Unknown), ..maria() };
    assert_eq!(kinds_of(&unknown_sex), ["K1", "K2", "K4"]);

    // Day above 12: no day/month swap key.
    let late = Identity { birth_date: date(1990, 3, 17), ..maria() };
    assert_eq!(kinds_of(&late), ["K1", "K2", "K3", "K5"]);

    // Only a family name: the keys over all tokens.
    let mononym = Identity { given_names: String::new(), ..maria() };
    assert_eq!(kinds_of(&mononym), ["K1", "K5"]);
}

#[test]
fn equal_persons_written_differently_share_keys() {
    let secret = secret();
    let a = linkage_keys(&maria(), &secret);
    for variant in [
        Identity { given_names: "MARIA FERNANDA".into(), family_names: "SILVA SANTOS".into(), ..maria() },
        Identity { given_names: "Silva Santos".into(), family_names: "Maria Fernanda".into(), ..maria() },
        Identity { family_names: "da Silva Santtos".into(), ..maria() },
        Identity { given_names: "Mria".into(), ..maria() },
        Identity { birth_date: date(1990, 7, 3), ..maria() },
        Identity { birth_date: date(1991, 3, 7), birth_year: Some(1991), ..maria() },
    ] {
        let b = linkage_keys(&variant, &secret);
        assert!(a.intersection(&b).any(|k| key_class(k.as_bytes()) == KeyClass::Full), "no shared full key");
    }
    // A different secret gives disjoint keys.
    let other =
        LinkageSecret::generate(NationalCode::new("OTHER").unwrap_or_else(|| unreachable!()), [9; 32]);
    assert!(a.is_disjoint(&linkage_keys(&maria(), &other)));
}

/// privacy.md §1.7: a dictionary attack over the name pool × a range of birth dates recovers
/// every record from unkeyed SHA-256 keys and none from keyed ones without the secret (nor with
/// a guessed one); with the leaked secret it recovers every record again.
#[test]
fn key_secrecy_against_a_dictionary_attack() {
    let pool = privacy::names::POOLS.iter().find(|p| p.nationality == "UA").unwrap_or_else(|| unreachable!());
    let given: Vec<&str> = pool.female.to_vec();
    let surnames: Vec<&str> = pool.surnames.to_vec();
    let first_day = date(1990, 1, 1).unwrap_or_default();
    let days = 120u64;
    // 25 stored records with names from the pool and birth dates in the range.
    let records: Vec<Identity> = (0..25u64)
        .map(|i| Identity {
            given_names: given[(i * 7 % 40) as usize].to_owned(),
            family_names: surnames[(i * 11 % 50) as usize].to_owned(),
            birth_date: first_day.checked_add_days(chrono::Days::new(i * 13 % days)),
            birth_year: Some(1990),
            sex: Some(Sex::F),
        })
        .collect();
    let secret = secret();
    let kind = KeyKind::PhoneticNamesDob;
    let unkeyed = |message: &str| -> [u8; 16] {
        let d = Sha256::digest(message.as_bytes());
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[..16]);
        b
    };
    let message = |id: &Identity| Normalised::of(id).messages(kind).into_iter().next().unwrap_or_default();
    let stored_keyed: BTreeSet<[u8; 16]> =
        records.iter().map(|r| privacy::linkage::keyed_digest(&secret, kind, &message(r))).collect();
    let stored_unkeyed: BTreeSet<[u8; 16]> = records.iter().map(|r| unkeyed(&message(r))).collect();

    // The attacker knows the scheme and the pool, not the secret; guesses one.
    let guessed =
        LinkageSecret::generate(NationalCode::new("PT-TEST").unwrap_or_else(|| unreachable!()), [0; 32]);
    let (mut from_unkeyed, mut from_keyed, mut with_guess) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut with_leaked_secret = BTreeSet::new();
    let mut candidates = 0usize;
    for g in &given {
        for s in &surnames {
            for d in 0..days {
                let candidate = Identity {
                    given_names: (*g).to_owned(),
                    family_names: (*s).to_owned(),
                    birth_date: first_day.checked_add_days(chrono::Days::new(d)),
                    birth_year: Some(1990),
                    sex: Some(Sex::F),
                };
                let m = message(&candidate);
                candidates += 1;
                let h = unkeyed(&m);
                if stored_unkeyed.contains(&h) {
                    from_unkeyed.insert(h);
                }
                if stored_keyed.contains(&h) {
                    from_keyed.insert(h);
                }
                let g = privacy::linkage::keyed_digest(&guessed, kind, &m);
                if stored_keyed.contains(&g) {
                    with_guess.insert(g);
                }
                let leaked = privacy::linkage::keyed_digest(&secret, kind, &m);
                if stored_keyed.contains(&leaked) {
                    with_leaked_secret.insert(leaked);
                }
            }
        }
    }
    assert_eq!(candidates, 40 * 50 * 120);
    assert_eq!(stored_unkeyed.len(), 25);
    assert_eq!(from_unkeyed, stored_unkeyed, "every unkeyed record is recovered");
    assert!(from_keyed.is_empty() && with_guess.is_empty(), "no keyed record is recovered");
    // Why the secret must stay at the providers: with it, the same attack recovers everything.
    assert_eq!(with_leaked_secret, stored_keyed);
}

/// privacy.md §1.4 and §1.7: 5,000 persons, 1,500 re-registered with noise, fixed seed.
#[test]
fn linkage_quality_on_synthetic_registrations() {
    let registrations = generate(&Params::new(5_000, 1_500, 20_251_125));
    assert!(registrations.len() > 6_500);
    let q = evaluate(&link(&registrations, &secret(), &KeyKind::ALL), &truth(&registrations));
    assert!(q.precision >= 0.98, "{q:?}");
    assert!(q.recall >= 0.90, "{q:?}");
}

#[test]
fn generator_is_deterministic() {
    let a = generate(&Params::new(300, 100, 5));
    let b = generate(&Params::new(300, 100, 5));
    let c = generate(&Params::new(300, 100, 6));
    let names = |r: &[privacy::testkit::Registration]| -> Vec<(String, String, Option<NaiveDate>)> {
        r.iter()
            .map(|x| (x.identity.given_names.clone(), x.identity.family_names.clone(), x.identity.birth_date))
            .collect()
    };
    assert_eq!(names(&a), names(&b));
    assert_ne!(names(&a), names(&c));
    assert_eq!(truth(&a), truth(&b));
}

#[test]
fn pairwise_evaluation() {
    // Truth {0,1,2} {3}; predicted {0,1} {2,3}: found 2 pairs, 1 correct, 3 true pairs.
    let q = evaluate(&[0, 0, 1, 1], &[0, 0, 0, 1]);
    assert_eq!((q.true_pairs, q.found_pairs, q.correct_pairs), (3, 2, 1));
    assert!((q.precision - 0.5).abs() < 1e-12 && (q.recall - 1.0 / 3.0).abs() < 1e-12);
    let perfect = evaluate(&[5, 5, 7], &[0, 0, 1]);
    assert_eq!((perfect.precision, perfect.recall, perfect.f1), (1.0, 1.0, 1.0));
}
