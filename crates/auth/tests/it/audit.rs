//! The audit chain: tampering of every kind is pinpointed; signed checkpoints catch truncation and rewrites.

use std::net::IpAddr;

use auth::audit::{
    AuditError, AuditEvent, AuditRecord, ChainError, ChainHash, ChainHead, Checkpoint, CheckpointKey,
    CheckpointSigner, Outcome, verify, verify_from, verify_with_checkpoints,
};
use auth::rng::SeededRng;
use chrono::TimeDelta;

use crate::t0;

fn record(i: u64) -> AuditRecord {
    AuditRecord {
        at: t0() + TimeDelta::seconds(i64::try_from(i).expect("small")),
        actor: format!("user:{}", i % 3 + 1),
        action: ["auth.login", "submission.upload", "submission.approve", "report.run.eu"][(i % 4) as usize]
            .into(),
        object: format!("submission:{i:04}"),
        source_ip: if i.is_multiple_of(2) {
            Some("10.0.0.1".parse().expect("ip"))
        } else {
            Some("2001:db8::1".parse().expect("ip"))
        },
        outcome: if i % 5 == 4 { Outcome::Failure } else { Outcome::Success },
        detail: format!("rows=1200 sha256={i:064x}"),
    }
}

fn chain(n: u64) -> Vec<AuditEvent> {
    let mut head = ChainHead::GENESIS;
    let mut events = Vec::new();
    for i in 0..n {
        let event = head.append(record(i)).expect("append");
        head = event.head();
        events.push(event);
    }
    events
}

fn rehash_from(events: &mut [AuditEvent], from: usize) {
    for i in from..events.len() {
        if i > 0 {
            events[i].prev_hash = events[i - 1].hash;
        }
        events[i].hash = events[i].compute_hash();
    }
}

#[test]
fn a_clean_chain_verifies() {
    let events = chain(10);
    assert_eq!(verify(&events), Ok(()));
    assert_eq!(verify(&[]), Ok(()));
    assert_eq!(events[0].seq, 1);
    assert_eq!(events[0].prev_hash, ChainHash::GENESIS);
    assert!(events.windows(2).all(|w| w[1].prev_hash == w[0].hash && w[1].seq == w[0].seq + 1));
    // A segment verifies from a known head.
    assert_eq!(verify_from(events[4].head(), &events[5..]), Ok(events[9].head()));
}

#[test]
fn the_canonical_encoding_is_pinned() {
    // Changing the encoding breaks every stored chain: this value must only change with a new domain tag.
    let events = chain(3);
    assert_eq!(events[2].hash.to_hex(), GOLDEN);
}

/// Computed independently (Python hashlib over the documented encoding).
const GOLDEN: &str = "36286c6d856529f82dafcc8b27955ca9182bfc59a64145ad237b4ae86f27cfc9";

#[test]
fn an_altered_event_is_pinpointed() {
    let mut events = chain(10);
    events[4].detail = "rows=1201".into();
    assert_eq!(verify(&events), Err(ChainError::Altered { index: 4, seq: 5 }));
    let mut events = chain(10);
    events[6].source_ip = None;
    assert_eq!(verify(&events), Err(ChainError::Altered { index: 6, seq: 7 }));
    let mut events = chain(10);
    events[2].outcome = Outcome::Denied;
    assert_eq!(verify(&events), Err(ChainError::Altered { index: 2, seq: 3 }));
    let mut events = chain(10);
    events[9].at += TimeDelta::microseconds(1);
    assert_eq!(verify(&events), Err(ChainError::Altered { index: 9, seq: 10 }));
}

#[test]
fn an_altered_and_rehashed_event_breaks_the_next_link() {
    let mut events = chain(10);
    events[4].actor = "user:99".into();
    events[4].hash = events[4].compute_hash();
    assert_eq!(verify(&events), Err(ChainError::BrokenLink { index: 5, seq: 6 }));
}

#[test]
fn a_deleted_event_is_pinpointed() {
    let mut events = chain(10);
    events.remove(4);
    assert_eq!(verify(&events), Err(ChainError::Missing { index: 4, expected: 5, found: 6 }));
    // Deleted and the rest renumbered (not rehashed): the next event no longer links.
    let mut events = chain(10);
    events.remove(4);
    for e in &mut events[4..] {
        e.seq -= 1;
    }
    assert_eq!(verify(&events), Err(ChainError::BrokenLink { index: 4, seq: 5 }));
    // The first event deleted.
    let mut events = chain(3);
    events.remove(0);
    assert_eq!(verify(&events), Err(ChainError::Missing { index: 0, expected: 1, found: 2 }));
}

#[test]
fn reordered_and_duplicated_events_are_pinpointed() {
    let mut events = chain(10);
    events.swap(3, 4);
    assert_eq!(verify(&events), Err(ChainError::OutOfOrder { index: 3, expected: 4, found: 5 }));
    let mut events = chain(10);
    let copy = events[5].clone();
    events.insert(6, copy);
    assert_eq!(verify(&events), Err(ChainError::OutOfOrder { index: 6, expected: 7, found: 6 }));
}

#[test]
fn checkpoints_catch_truncation_and_rewrites() {
    let mut rng = SeededRng::new(9);
    let signer = CheckpointSigner::generate(&mut rng).expect("key");
    let key = signer.public_key();
    let events = chain(10);
    let checkpoints = [
        signer.sign(ChainHead::GENESIS, t0()),
        signer.sign(events[5].head(), t0()),
        signer.sign(events[9].head(), t0()),
    ];
    assert_eq!(verify_with_checkpoints(&events, &checkpoints, &key), Ok(events[9].head()));

    // Cut from the end: the chain alone still verifies, the checkpoint does not.
    assert_eq!(verify(&events[..8]), Ok(()));
    assert_eq!(
        verify_with_checkpoints(&events[..8], &checkpoints, &key),
        Err(ChainError::Truncated { last: 8, checkpoint: 10 })
    );

    // Rewritten from event 3 on and fully rehashed: the chain verifies, the checkpoint at 6 does not.
    let mut rewritten = events.clone();
    rewritten[2].detail = "rows=0".into();
    rehash_from(&mut rewritten, 2);
    assert_eq!(verify(&rewritten), Ok(()));
    assert_eq!(
        verify_with_checkpoints(&rewritten, &checkpoints, &key),
        Err(ChainError::CheckpointMismatch { seq: 6 })
    );

    // A forged checkpoint, or another key.
    let mut forged = checkpoints[2].clone();
    forged.hash = rewritten[9].hash;
    assert_eq!(
        verify_with_checkpoints(&rewritten, &[forged], &key),
        Err(ChainError::BadSignature { seq: 10 })
    );
    let other = CheckpointSigner::generate(&mut rng).expect("key").public_key();
    assert_eq!(
        verify_with_checkpoints(&events, &checkpoints, &other),
        Err(ChainError::BadSignature { seq: 0 })
    );
}

#[test]
fn keys_and_checkpoints_round_trip() {
    let signer = CheckpointSigner::from_seed([5; 32]);
    let again = CheckpointSigner::from_seed(signer.seed());
    assert_eq!(again.public_key(), signer.public_key());
    let key = CheckpointKey::from_bytes(signer.public_key().to_bytes()).expect("key");
    let events = chain(4);
    let checkpoint = signer.sign(events[3].head(), t0() + TimeDelta::nanoseconds(1_234_567));
    let json = serde_json::to_string(&checkpoint).expect("json");
    let back: Checkpoint = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, checkpoint);
    assert_eq!(back.verify_signature(&key), Ok(()));
    let debug = format!("{signer:?}");
    assert!(debug.contains("<redacted>") && !debug.contains(&hex::encode(signer.seed())), "{debug}");
}

#[test]
fn events_survive_a_json_round_trip_with_sub_microsecond_times() {
    let mut r = record(1);
    r.at += TimeDelta::nanoseconds(123_456_789);
    let event = ChainHead::GENESIS.append(r).expect("append");
    assert_eq!(event.at.timestamp_subsec_nanos() % 1000, 0, "kept to microseconds");
    let json = serde_json::to_string(&event).expect("json");
    let back: AuditEvent = serde_json::from_str(&json).expect("parse");
    assert_eq!(back, event);
    assert_eq!(verify(&[back]), Ok(()));
}

#[test]
fn invalid_records_are_refused() {
    let head = ChainHead::GENESIS;
    let with = |f: &dyn Fn(&mut AuditRecord)| {
        let mut r = record(0);
        f(&mut r);
        head.append(r)
    };
    assert_eq!(
        with(&|r| r.detail = "line\ninjected".into()).err(),
        Some(AuditError::Field { field: "detail" })
    );
    assert_eq!(with(&|r| r.actor = "a".repeat(257)).err(), Some(AuditError::Field { field: "actor" }));
    assert_eq!(with(&|r| r.object = "x\u{1b}[31m".into()).err(), Some(AuditError::Field { field: "object" }));
    assert_eq!(with(&|r| r.action = "Auth.Login".into()).err(), Some(AuditError::Action));
    assert_eq!(with(&|r| r.action = String::new()).err(), Some(AuditError::Action));
    assert_eq!(with(&|r| r.detail = "d".repeat(2001)).err(), Some(AuditError::Field { field: "detail" }));
    assert!(with(&|r| r.detail = "d".repeat(2000)).is_ok());
    let last = ChainHead { seq: u64::MAX, hash: ChainHash::GENESIS };
    assert_eq!(last.append(record(0)).err(), Some(AuditError::Sequence));
}

#[test]
fn fields_are_length_prefixed() {
    let mut a = record(0);
    let mut b = record(0);
    a.actor = "user:1".into();
    a.object = "x".into();
    b.actor = "user:".into();
    b.object = "1x".into();
    let a = ChainHead::GENESIS.append(a).expect("a");
    let b = ChainHead::GENESIS.append(b).expect("b");
    assert_ne!(a.canonical_bytes(), b.canonical_bytes());
    assert_ne!(a.hash, b.hash);
    let v4: IpAddr = "0.0.0.0".parse().expect("ip");
    let mut c = record(0);
    c.source_ip = Some(v4);
    assert_ne!(
        ChainHead::GENESIS.append(c).expect("c").hash,
        ChainHead::GENESIS.append(record(0)).expect("d").hash
    );
}
