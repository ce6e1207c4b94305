//! Sessions: tokens, timeouts, rotation and the cookie.

use auth::rng::{FailingRng, SeededRng};
use auth::session::{CookieConfig, Session, SessionPolicy, SessionStatus, SessionToken};
use chrono::TimeDelta;

use crate::{t0, user};

#[test]
fn tokens_are_random_hex_and_stored_as_their_hash() {
    let mut rng = SeededRng::new(1);
    let issued = Session::start(user(42), t0(), false, &mut rng).expect("session");
    let value = issued.token.to_cookie_value();
    assert_eq!(value.len(), 64);
    assert!(value.bytes().all(|b| b.is_ascii_hexdigit()));
    let parsed = SessionToken::parse(&value).expect("parse");
    assert_eq!(parsed.id(), issued.id);
    assert_eq!(SessionToken::parse(&value.to_uppercase()).expect("upper").id(), issued.id);
    // The stored id is not the token.
    assert_ne!(issued.id.to_hex(), value);
    let other = Session::start(user(42), t0(), false, &mut rng).expect("session");
    assert_ne!(other.id, issued.id);
    assert!(!other.id.ct_eq(&issued.id) && issued.id.ct_eq(&issued.id));
    for bad in ["", "zz", &value[..63], &format!("{value}0"), &value.replacen(&value[..1], "g", 1)] {
        assert!(SessionToken::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn debug_output_hides_token_and_csrf_secret() {
    let issued = Session::start(user(1), t0(), true, &mut SeededRng::new(2)).expect("session");
    let token = issued.token.to_cookie_value();
    let secret = hex::encode(issued.session.csrf_secret.as_bytes());
    let debug = format!("{issued:?}");
    assert!(!debug.contains(&token) && !debug.contains(&secret), "{debug}");
    assert!(debug.contains("<redacted>") && debug.contains("user_id"));
    assert!(!debug.contains(&issued.id.to_hex()));
}

#[test]
fn idle_and_absolute_timeouts() {
    let policy = SessionPolicy::default();
    assert_eq!(policy.idle, TimeDelta::minutes(30));
    assert_eq!(policy.absolute, TimeDelta::hours(12));
    let mut session = Session::start(user(1), t0(), false, &mut SeededRng::new(3)).expect("session").session;
    assert_eq!(session.status(t0() + TimeDelta::seconds(1799), &policy), SessionStatus::Active);
    assert_eq!(session.status(t0() + TimeDelta::minutes(30), &policy), SessionStatus::IdleExpired);
    // Active every 20 minutes: alive until the absolute timeout.
    let mut now = t0();
    while now < t0() + TimeDelta::hours(12) - TimeDelta::minutes(20) {
        now += TimeDelta::minutes(20);
        assert_eq!(session.status(now, &policy), SessionStatus::Active, "{now}");
        session.touch(now);
    }
    assert_eq!(session.status(t0() + TimeDelta::hours(12), &policy), SessionStatus::AbsoluteExpired);
    assert_eq!(session.expires_at(&policy), t0() + TimeDelta::hours(12));
    // touch never goes back.
    let last = session.last_seen;
    session.touch(t0());
    assert_eq!(session.last_seen, last);
}

#[test]
fn rotation_changes_token_and_csrf_secret_but_not_the_login_time() {
    let mut rng = SeededRng::new(4);
    let first = Session::start(user(9), t0(), false, &mut rng).expect("session");
    let later = t0() + TimeDelta::minutes(5);
    let rotated = first.session.rotate(later, true, &mut rng).expect("rotate");
    assert_ne!(rotated.id, first.id);
    assert_ne!(rotated.session.csrf_secret, first.session.csrf_secret);
    assert_eq!(rotated.session.created_at, t0());
    assert_eq!(rotated.session.last_seen, later);
    assert_eq!(rotated.session.user_id, user(9));
    assert!(rotated.session.mfa_done && !first.session.mfa_done);
    assert_eq!(
        rotated.session.status(t0() + TimeDelta::hours(12), &SessionPolicy::default()),
        SessionStatus::AbsoluteExpired
    );
}

#[test]
fn no_randomness_no_session() {
    assert!(Session::start(user(1), t0(), false, &mut FailingRng).is_err());
}

#[test]
fn cookie_attributes() {
    let token = SessionToken::parse(&"ab".repeat(32)).expect("token");
    let secure = CookieConfig::session(true);
    assert_eq!(
        secure.set_cookie(&token),
        format!("__Host-mosy_session={}; Path=/; Secure; HttpOnly; SameSite=Strict", "ab".repeat(32))
    );
    assert_eq!(
        secure.clear_cookie(),
        "__Host-mosy_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"
    );
    let plain = CookieConfig::session(false);
    assert_eq!(
        plain.set_cookie(&token),
        format!("mosy_session={}; Path=/; HttpOnly; SameSite=Strict", "ab".repeat(32))
    );
    assert!(!plain.set_cookie(&token).contains("Domain") && !secure.set_cookie(&token).contains("Domain"));
    assert_eq!(CookieConfig::new("sid", true).expect("name").name(), "__Host-sid");
    for bad in ["", "a b", "a;b", "a=b", "__Secure-x", "é"] {
        assert!(CookieConfig::new(bad, true).is_err(), "{bad}");
    }
}

#[test]
fn token_from_cookie_header() {
    let token = SessionToken::parse(&"cd".repeat(32)).expect("token");
    let config = CookieConfig::session(true);
    let header = format!("lang=pt; __Host-mosy_session={}; theme=dark", token.to_cookie_value());
    assert_eq!(config.token_from_header(&header).map(|t| t.id()), Some(token.id()));
    // Not the unprefixed name, not twice, not malformed.
    assert!(config.token_from_header(&format!("mosy_session={}", token.to_cookie_value())).is_none());
    let twice = format!("{header}; __Host-mosy_session={}", "ef".repeat(32));
    assert!(config.token_from_header(&twice).is_none());
    assert!(config.token_from_header("__Host-mosy_session=xyz").is_none());
    assert!(config.token_from_header("").is_none());
}
