//! API tokens for machine submission.

use auth::authz::{Action, Object};
use auth::rng::{FailingRng, SeededRng};
use auth::token::{ApiTokenRecord, ApiTokenSecret, MAX_LIFETIME_DAYS, TokenError};
use chrono::TimeDelta;

use crate::t0;

fn issue() -> (ApiTokenSecret, ApiTokenRecord) {
    ApiTokenRecord::issue(
        "PSP",
        &[Action::MachineSubmission],
        "police export job",
        t0(),
        t0() + TimeDelta::days(90),
        &mut SeededRng::new(1),
    )
    .expect("issue")
}

#[test]
fn issue_parse_and_hash() {
    let (secret, record) = issue();
    let text = secret.expose();
    assert!(text.starts_with("mosy_"), "{text}");
    assert_eq!(text.len(), 57);
    assert!(text[5..].bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)));
    let parsed = ApiTokenSecret::parse(&text).expect("parse");
    assert_eq!(parsed.hash(), record.hash);
    assert!(parsed.hash().ct_eq(&record.hash));
    assert_eq!(record.provider, "PSP");
    assert_eq!(record.label, "police export job");
    // Reproducible with a seeded source, different with another seed.
    assert_eq!(issue().0.expose(), text);
    let other = ApiTokenRecord::issue(
        "PSP",
        &[Action::MachineSubmission],
        "",
        t0(),
        t0() + TimeDelta::days(1),
        &mut SeededRng::new(2),
    )
    .expect("issue");
    assert_ne!(other.1.hash, record.hash);
}

#[test]
fn malformed_tokens() {
    let text = issue().0.expose();
    let body = &text[5..];
    for bad in [
        String::new(),
        body.to_owned(),
        format!("MOSY_{body}"),
        format!("mosy_{}", body.to_uppercase()),
        format!("mosy_{}", &body[..51]),
        format!("{text}a"),
        format!("mosy_{}1", &body[..51]),
        format!("mosy_{}b", &body[..51]),
    ] {
        assert_eq!(ApiTokenSecret::parse(&bad), Err(TokenError::Malformed), "{bad}");
    }
}

#[test]
fn issuing_rules() {
    let mut rng = SeededRng::new(3);
    let later = t0() + TimeDelta::days(30);
    assert_eq!(
        ApiTokenRecord::issue("", &[Action::MachineSubmission], "", t0(), later, &mut rng).err(),
        Some(TokenError::Provider)
    );
    assert_eq!(
        ApiTokenRecord::issue("PSP", &[], "", t0(), later, &mut rng).err(),
        Some(TokenError::NotDelegable)
    );
    for action in Action::ALL.into_iter().filter(|a| !ApiTokenRecord::DELEGABLE.contains(a)) {
        assert_eq!(
            ApiTokenRecord::issue("PSP", &[Action::MachineSubmission, action], "", t0(), later, &mut rng)
                .err(),
            Some(TokenError::NotDelegable),
            "{action:?}"
        );
    }
    for expiry in
        [t0(), t0() - TimeDelta::days(1), t0() + TimeDelta::days(MAX_LIFETIME_DAYS) + TimeDelta::seconds(1)]
    {
        assert_eq!(
            ApiTokenRecord::issue("PSP", &[Action::MachineSubmission], "", t0(), expiry, &mut rng).err(),
            Some(TokenError::Lifetime)
        );
    }
    assert!(
        ApiTokenRecord::issue(
            "PSP",
            &[Action::MachineSubmission],
            "",
            t0(),
            t0() + TimeDelta::days(MAX_LIFETIME_DAYS),
            &mut rng
        )
        .is_ok()
    );
    assert!(matches!(
        ApiTokenRecord::issue("PSP", &[Action::MachineSubmission], "", t0(), later, &mut FailingRng),
        Err(TokenError::Rng(_))
    ));
}

#[test]
fn tokens_act_only_for_their_provider_actions_and_time() {
    let (_, record) = issue();
    let now = t0() + TimeDelta::days(1);
    assert_eq!(record.authorize(Action::MachineSubmission, Object::Provider("PSP"), now), Ok(()));
    assert_eq!(
        record.authorize(Action::MachineSubmission, Object::Provider("GNR"), now),
        Err(TokenError::Forbidden)
    );
    assert_eq!(
        record.authorize(Action::MachineSubmission, Object::AllProviders, now),
        Err(TokenError::Forbidden)
    );
    // Not given: reading submissions.
    assert_eq!(
        record.authorize(Action::ViewSubmissions, Object::Provider("PSP"), now),
        Err(TokenError::Forbidden)
    );
    for action in Action::ALL.into_iter().filter(|a| *a != Action::MachineSubmission) {
        assert!(record.authorize(action, Object::Provider("PSP"), now).is_err(), "{action:?}");
        assert!(record.authorize(action, Object::Hub, now).is_err(), "{action:?}");
    }
    assert_eq!(
        record.authorize(Action::MachineSubmission, Object::Provider("PSP"), t0() + TimeDelta::days(90)),
        Err(TokenError::Expired)
    );
    // A record altered to hold an action that cannot be delegated still cannot use it.
    let mut forged = record.clone();
    forged.actions.insert(Action::ManageUsers);
    assert_eq!(
        forged.authorize(Action::ManageUsers, Object::Provider("PSP"), now),
        Err(TokenError::Forbidden)
    );
}

#[test]
fn debug_hides_the_token() {
    let (secret, record) = issue();
    let text = secret.expose();
    assert_eq!(format!("{secret:?}"), "ApiTokenSecret(<redacted>)");
    let debug = format!("{record:?}");
    assert!(!debug.contains(&text[5..]) && !debug.contains(&hex::encode(record.hash.as_bytes())), "{debug}");
}
