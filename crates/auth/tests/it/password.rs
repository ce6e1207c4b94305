//! Password hashing (argon2id, PHC strings) and the password policy.

use auth::password::{
    HashParams, PasswordError, PasswordHash, PasswordHashing, PasswordPolicy, PolicyViolation,
    common_password_count, is_common_password,
};
use auth::rng::{FailingRng, SeededRng};

#[test]
fn hash_and_verify() {
    let hashing = PasswordHashing::for_tests();
    let mut rng = SeededRng::new(1);
    let hash = hashing.hash("correct horse battery staple", &mut rng).expect("hash");
    assert!(hash.as_str().starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{}", hash.as_str());
    assert!(hashing.verify("correct horse battery staple", &hash));
    assert!(!hashing.verify("correct horse battery staplE", &hash));
    // Exactly as typed: no trimming.
    assert!(!hashing.verify("correct horse battery staple ", &hash));
    assert!(!hashing.verify("", &hash));
    // Another salt, another hash, both valid.
    let again = hashing.hash("correct horse battery staple", &mut rng).expect("hash");
    assert_ne!(hash, again);
    assert!(hashing.verify("correct horse battery staple", &again));
    // The stored text parses back.
    let stored = PasswordHash::parse(hash.as_str()).expect("parse");
    assert!(hashing.verify("correct horse battery staple", &stored));
}

#[test]
fn unicode_passwords_are_kept_as_typed() {
    let hashing = PasswordHashing::for_tests();
    let hash = hashing.hash("coração-de-leão 🦁", &mut SeededRng::new(2)).expect("hash");
    assert!(hashing.verify("coração-de-leão 🦁", &hash));
    // The decomposed form of "ç" is another password (no normalisation).
    assert!(!hashing.verify("corac\u{327}ão-de-leão 🦁", &hash));
}

#[test]
fn seeded_hashes_are_reproducible() {
    let hashing = PasswordHashing::for_tests();
    let a = hashing.hash("a long enough password", &mut SeededRng::new(7)).expect("hash");
    let b = hashing.hash("a long enough password", &mut SeededRng::new(7)).expect("hash");
    assert_eq!(a, b);
}

#[test]
fn unknown_users_cost_a_verification_and_fail() {
    assert!(!PasswordHashing::for_tests().verify_unknown_user("anything"));
}

#[test]
fn parameters_below_the_minimum_are_refused() {
    assert_eq!(PasswordHashing::new(HashParams::TEST).err(), Some(PasswordError::Params));
    assert_eq!(
        PasswordHashing::new(HashParams { m_cost: 19_456, t_cost: 1, p_cost: 1 }).err(),
        Some(PasswordError::Params)
    );
    let recommended = PasswordHashing::new(HashParams::RECOMMENDED).expect("recommended");
    assert_eq!(recommended.params(), HashParams::default());
    assert!(PasswordHashing::new(HashParams::MINIMUM).is_ok());
    const { assert!(HashParams::RECOMMENDED.m_cost >= 46 * 1024 && HashParams::RECOMMENDED.t_cost >= 2) };
}

#[test]
fn needs_rehash_when_parameters_or_algorithm_differ() {
    let cheap = PasswordHashing::for_tests();
    let hash = cheap.hash("a long enough password", &mut SeededRng::new(3)).expect("hash");
    assert!(!cheap.needs_rehash(&hash));
    let strong = PasswordHashing::new(HashParams::RECOMMENDED).expect("recommended");
    assert!(strong.needs_rehash(&hash));
    let argon2i =
        PasswordHash::parse(&hash.as_str().replacen("$argon2id$", "$argon2i$", 1)).expect("argon2i parses");
    assert!(cheap.needs_rehash(&argon2i));
    assert!(!cheap.verify("a long enough password", &argon2i));
}

#[test]
fn malformed_stored_hashes_are_refused() {
    for text in [
        "",
        "plain",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "$argon2id$v=19$m=64,t=1,p=1",
        "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=64,t=1000,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
    ] {
        assert_eq!(PasswordHash::parse(text), Err(PasswordError::Malformed), "{text}");
    }
}

#[test]
fn debug_output_hides_salt_and_hash() {
    let hash =
        PasswordHashing::for_tests().hash("a long enough password", &mut SeededRng::new(4)).expect("hash");
    let debug = format!("{hash:?}");
    assert_eq!(debug, "PasswordHash($argon2id$v=19$m=64,t=1,p=1$<redacted>)");
    let tail = hash.as_str().rsplit('$').next().expect("output");
    assert!(!debug.contains(tail));
}

#[test]
fn no_randomness_no_hash() {
    let err =
        PasswordHashing::for_tests().hash("a long enough password", &mut FailingRng).expect_err("fails");
    assert!(matches!(err, PasswordError::Rng(_)));
}

#[test]
fn policy_lengths() {
    let policy = PasswordPolicy::default();
    assert_eq!(policy.check("tree lamp cu", &[]), Ok(()));
    assert_eq!(policy.check("tree lamp c", &[]), Err(PolicyViolation::TooShort { min: 12 }));
    // Characters, not bytes: 12 characters of two bytes each pass, 11 do not.
    assert_eq!(policy.check("çãõéàüñøåæßð", &[]), Ok(()));
    assert_eq!(policy.check("çãõéàüñøåæß", &[]), Err(PolicyViolation::TooShort { min: 12 }));
    let long: String = "horse battery staple ".repeat(7).chars().take(128).collect();
    assert_eq!(policy.check(&long, &[]), Ok(()));
    assert_eq!(policy.check(&format!("{long}x"), &[]), Err(PolicyViolation::TooLong { max: 128 }));
    // At least 64 are always allowed, whatever the setting.
    let tight = PasswordPolicy { min_chars: 12, max_chars: 20 };
    let sixty_four: String = long.chars().take(64).collect();
    assert_eq!(tight.check(&sixty_four, &[]), Ok(()));
}

#[test]
fn policy_refuses_common_passwords_and_their_variants() {
    let policy = PasswordPolicy::default();
    for p in [
        "1q2w3e4r5t6y",
        "Password1234",
        "password1234!",
        "Qwerty123456!",
        "!!Benfica2024!!",
        "qwertyqwertyqwerty",
        "iloveyou2025",
        "blink182!!!!!",
        "P@ssw0rd2025",
        "   letmein   ",
    ] {
        assert_eq!(policy.check(p, &[]), Err(PolicyViolation::Common), "{p}");
    }
    assert!(is_common_password("PASSWORD"));
    assert!(!is_common_password("correct horse battery staple"));
}

#[test]
fn policy_refuses_trivial_passwords() {
    let policy = PasswordPolicy::default();
    for p in ["zzzzzzzzzzzz", "abababababab", "abcdefghijkl", "987654321098", "123456789012", "ponmlkjihgfe"]
    {
        assert_eq!(policy.check(p, &[]), Err(PolicyViolation::Trivial), "{p}");
    }
}

#[test]
fn policy_refuses_context_words() {
    let policy = PasswordPolicy::default();
    let context = ["mariana.silva@example.pt", "Ana"];
    assert_eq!(policy.check("Mariana.Silva-rocks-2024", &context), Err(PolicyViolation::ContextWord));
    assert_eq!(policy.check("hello mariana.silva@example.pt", &context), Err(PolicyViolation::ContextWord));
    // Words under 4 characters are ignored.
    assert_eq!(policy.check("banana split sundae", &context), Ok(()));
}

#[test]
fn the_embedded_list_is_large_enough_and_every_entry_is_refused() {
    assert!(common_password_count() >= 200, "{}", common_password_count());
    let list = include_str!("../../data/common_passwords.txt");
    let policy = PasswordPolicy::default();
    for entry in list.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        assert!(is_common_password(entry) && is_common_password(&entry.to_uppercase()), "{entry}");
        if entry.chars().all(|c| c.is_ascii_alphabetic()) {
            let padded = format!("{entry}{}", "2024!".repeat(3));
            assert_eq!(policy.check(&padded, &[]), Err(PolicyViolation::Common), "{padded}");
        }
    }
}

#[test]
fn policy_messages_never_repeat_the_password() {
    let policy = PasswordPolicy::default();
    for p in ["short", "Password1234", "zzzzzzzzzzzz", "Mariana.Silva-rocks"] {
        let err = policy.check(p, &["mariana.silva"]).expect_err("refused");
        assert!(!err.to_string().to_lowercase().contains(&p.to_lowercase()), "{err}");
    }
}
