//! CSRF synchronizer tokens.

use auth::csrf::{self, CsrfSecret};
use auth::rng::SeededRng;
use auth::session::Session;

use crate::{t0, user};

#[test]
fn tokens_bind_session_and_form() {
    let mut rng = SeededRng::new(1);
    let a = Session::start(user(1), t0(), false, &mut rng).expect("session");
    let b = Session::start(user(1), t0(), false, &mut rng).expect("session");
    let token = csrf::token(&a.session.csrf_secret, &a.id, "submission.upload");
    assert_eq!(token.len(), 64);
    assert_eq!(csrf::verify(&a.session.csrf_secret, &a.id, "submission.upload", &token), Ok(()));
    assert_eq!(
        csrf::verify(&a.session.csrf_secret, &a.id, "submission.upload", &token.to_uppercase()),
        Ok(())
    );
    // Another form, another session id, another secret: refused.
    assert!(csrf::verify(&a.session.csrf_secret, &a.id, "user.edit", &token).is_err());
    assert!(csrf::verify(&a.session.csrf_secret, &b.id, "submission.upload", &token).is_err());
    assert!(csrf::verify(&b.session.csrf_secret, &a.id, "submission.upload", &token).is_err());
    // Deterministic for the same inputs, distinct across forms.
    assert_eq!(token, csrf::token(&a.session.csrf_secret, &a.id, "submission.upload"));
    assert_ne!(token, csrf::token(&a.session.csrf_secret, &a.id, "submission.uploa"));
}

#[test]
fn malformed_or_tampered_tokens_fail() {
    let secret = CsrfSecret::from_bytes([7; 32]);
    let session = Session::start(user(1), t0(), false, &mut SeededRng::new(2)).expect("session").id;
    let token = csrf::token(&secret, &session, "f");
    let flipped = format!("{}{}", if token.starts_with('0') { '1' } else { '0' }, &token[1..]);
    for bad in
        [String::new(), "00".into(), token[..62].to_owned(), format!("{token}00"), flipped, "zz".repeat(32)]
    {
        assert!(csrf::verify(&secret, &session, "f", &bad).is_err(), "{bad}");
    }
    assert!(!csrf::CsrfError.to_string().contains(&token));
}

#[test]
fn rotation_invalidates_old_tokens() {
    let mut rng = SeededRng::new(3);
    let first = Session::start(user(1), t0(), false, &mut rng).expect("session");
    let token = csrf::token(&first.session.csrf_secret, &first.id, "f");
    let rotated = first.session.rotate(t0(), true, &mut rng).expect("rotate");
    assert!(csrf::verify(&rotated.session.csrf_secret, &rotated.id, "f", &token).is_err());
}

#[test]
fn debug_hides_the_secret() {
    let secret = CsrfSecret::from_bytes([0xab; 32]);
    assert_eq!(format!("{secret:?}"), "CsrfSecret(<redacted>)");
}
