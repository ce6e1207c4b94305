//! TOTP: RFC 4226 and RFC 6238 test vectors, base32, enrolment URI, replay protection, login requirements.

use auth::authz::Role;
use auth::rng::SeededRng;
use auth::totp::{
    Requirement, TotpError, TotpSecret, base32_decode, base32_encode, code_at, hotp, login_requirements,
    verify,
};
use chrono::{DateTime, TimeZone, Utc};

const RFC_SECRET: &[u8] = b"12345678901234567890";

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().expect("time")
}

#[test]
fn rfc4226_hotp_vectors() {
    let expected =
        ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    for (counter, code) in expected.iter().enumerate() {
        assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *code, "counter {counter}");
    }
}

#[test]
fn rfc6238_sha1_vectors() {
    let secret = TotpSecret::from_bytes(RFC_SECRET).expect("secret");
    for (time, code) in [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(code_at(&secret, at(time), 8).expect("code"), code, "T = {time}");
        // The hub's 6 digits are the last 6 of the 8.
        assert_eq!(code_at(&secret, at(time), 6).expect("code"), &code[2..], "T = {time}");
        assert_eq!(verify(&secret, &code[2..], at(time), None).expect("valid"), (time / 30) as u64);
    }
}

#[test]
fn window_and_replay() {
    let secret = TotpSecret::from_bytes(RFC_SECRET).expect("secret");
    let now = at(1_234_567_890);
    let step = (1_234_567_890 / 30) as u64;
    let code = |s: u64| hotp(RFC_SECRET, s, 6);
    // One step either side is accepted, two are not.
    assert_eq!(verify(&secret, &code(step - 1), now, None), Ok(step - 1));
    assert_eq!(verify(&secret, &code(step + 1), now, None), Ok(step + 1));
    assert_eq!(verify(&secret, &code(step - 2), now, None), Err(TotpError::Rejected));
    assert_eq!(verify(&secret, &code(step + 2), now, None), Err(TotpError::Rejected));
    // Replay: the same step, or an older one, is refused once a step was used.
    let used = verify(&secret, &code(step), now, None).expect("first use");
    assert_eq!(verify(&secret, &code(step), now, Some(used)), Err(TotpError::Rejected));
    assert_eq!(verify(&secret, &code(step - 1), now, Some(used)), Err(TotpError::Rejected));
    assert_eq!(verify(&secret, &code(step + 1), now, Some(used)), Ok(step + 1));
    // Spaces are ignored; anything else that is not 6 digits is refused.
    let spaced = format!("{} {}", &code(step)[..3], &code(step)[3..]);
    assert_eq!(verify(&secret, &spaced, now, None), Ok(step));
    for bad in ["", "12345", "1234567", "12a456", "１２３４５６", &format!("{}0", code(step))] {
        assert_eq!(verify(&secret, bad, now, None), Err(TotpError::Rejected), "{bad}");
    }
    assert_eq!(verify(&secret, "123456", at(-31), None), Err(TotpError::Time));
}

#[test]
fn base32_rfc4648_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "MY"),
        ("fo", "MZXQ"),
        ("foo", "MZXW6"),
        ("foob", "MZXW6YQ"),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI"),
    ] {
        assert_eq!(base32_encode(plain.as_bytes()), encoded);
        assert_eq!(base32_decode(encoded).as_deref(), Some(plain.as_bytes()));
        assert_eq!(base32_decode(&encoded.to_lowercase()).as_deref(), Some(plain.as_bytes()));
    }
    assert_eq!(base32_decode("MZXW6YQ=").as_deref(), Some(&b"foob"[..]));
    assert_eq!(base32_decode("MZXW 6YQ").as_deref(), Some(&b"foob"[..]));
    assert_eq!(base32_decode("MZ"), None, "non-zero padding bits");
    assert_eq!(base32_decode("MZ1"), None);
    let secret = TotpSecret::from_bytes(RFC_SECRET).expect("secret");
    assert_eq!(secret.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert_eq!(TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").expect("parse"), secret);
    assert_eq!(TotpSecret::from_base32("GEZDGNBV"), Err(TotpError::MalformedSecret), "too short");
}

#[test]
fn generated_secrets_and_enrolment_uri() {
    let mut rng = SeededRng::new(5);
    let a = TotpSecret::generate(&mut rng).expect("secret");
    let b = TotpSecret::generate(&mut rng).expect("secret");
    assert_eq!(a.as_bytes().len(), 20);
    assert_eq!(a.to_base32().len(), 32);
    assert_ne!(a, b);
    assert_eq!(format!("{a:?}"), "TotpSecret(<redacted>)");
    let secret = TotpSecret::from_bytes(RFC_SECRET).expect("secret");
    assert_eq!(
        secret.otpauth_uri("mosy PT", "ana.sousa@observatorio.pt"),
        "otpauth://totp/mosy%20PT:ana.sousa@observatorio.pt?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
         &issuer=mosy%20PT&algorithm=SHA1&digits=6&period=30"
    );
    assert!(secret.otpauth_uri("a:b&c", "x?y").starts_with("otpauth://totp/a%3Ab%26c:x%3Fy?"));
}

#[test]
fn login_requirements_table() {
    let provider = Role::ProviderUser { provider: "PSP".into() };
    let cases = [
        (Role::HubAdmin, false, false, Requirement::Password),
        (Role::HubAdmin, true, false, Requirement::PasswordThenEnrolTotp),
        (Role::HubAdmin, true, true, Requirement::PasswordAndTotp),
        (Role::HubAdmin, false, true, Requirement::PasswordAndTotp),
        (Role::Analyst, true, false, Requirement::Password),
        (Role::Analyst, true, true, Requirement::PasswordAndTotp),
        (provider.clone(), true, false, Requirement::Password),
        (provider, false, true, Requirement::PasswordAndTotp),
        (Role::EuViewer, true, true, Requirement::PasswordAndTotp),
        (Role::EuViewer, false, false, Requirement::Password),
        (Role::Public, true, true, Requirement::Refused),
        (Role::Public, false, false, Requirement::Refused),
    ];
    for (role, hub, has, want) in cases {
        assert_eq!(login_requirements(&role, hub, has), want, "{role} {hub} {has}");
    }
}
