//! The tamper-evident audit log (privacy.md §5.2; ASVS 16.2.1, 16.2.2, 16.3.x, 16.4.1, 16.4.2).
//!
//! Every event is chained to the one before it: `hash = SHA-256(canonical(event) ‖ prev_hash)`, where
//! `canonical` is a length-prefixed binary encoding of every field (domain tag `mosy-audit-v1`, sequence
//! number, time in whole microseconds UTC, actor, action, object, source address, outcome, detail) and the
//! first event's `prev_hash` is 32 zero bytes. Sequence numbers start at 1 and grow by one. [`verify`]
//! walks the chain and names the first event that is missing, out of order, unlinked or altered; an event
//! altered *and* rehashed shows as a broken link at the next event. A chain alone cannot reveal an attacker
//! who rewrites everything from some point on, or cuts the end: for that, [`CheckpointSigner`] signs the
//! head with Ed25519 every N events or daily, and the checkpoints are kept outside the database (ASVS
//! 16.4.3); [`verify_with_checkpoints`] checks the chain against them.
//!
//! Events hold who, when, what, on which object, from where and with which outcome, never contents: the
//! `detail` is for ids, counts, content hashes and parameters. Every text field is bounded and refused
//! with control characters (log injection, ASVS 16.4.1); `action` is a code (`[a-z0-9._-]`).

use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, SubsecRound, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rng::{Rng, RngError, random};

/// A SHA-256 value of the chain. Serialised as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ChainHash(pub [u8; 32]);

impl ChainHash {
    /// The `prev_hash` of the first event.
    pub const GENESIS: Self = Self([0; 32]);

    /// 64 hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// From 64 hex digits.
    #[must_use]
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }
}

impl fmt::Debug for ChainHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainHash({})", self.to_hex())
    }
}

impl Serialize for ChainHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ChainHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_hex(&text).ok_or_else(|| serde::de::Error::custom("expected 64 hex digits"))
    }
}

/// How the audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done.
    Success,
    /// Tried and failed (wrong password, invalid file, …).
    Failure,
    /// Refused by authorization.
    Denied,
}

impl Outcome {
    fn tag(self) -> u8 {
        match self {
            Self::Success => 1,
            Self::Failure => 2,
            Self::Denied => 3,
        }
    }
}

/// What the caller records; [`ChainHead::append`] turns it into the next [`AuditEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// When (kept to whole microseconds, as both databases store it).
    pub at: DateTime<Utc>,
    /// Who: `user:42`, `token:1a2b3c4d`, `anonymous`, `system`.
    pub actor: String,
    /// What: an action code (`auth.login`, `submission.approve`, `report.run.eu`, …).
    pub action: String,
    /// On what: `submission:…`, `release:…`, `user:…`, or empty.
    pub object: String,
    /// From where, if over the network.
    pub source_ip: Option<IpAddr>,
    /// How it ended.
    pub outcome: Outcome,
    /// Metadata only (ids, counts, content hashes, parameters), never contents.
    pub detail: String,
}

/// One event of the chain, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// 1, 2, 3, … without gaps.
    pub seq: u64,
    /// When, UTC, whole microseconds.
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What (a code).
    pub action: String,
    /// On what.
    pub object: String,
    /// From where.
    pub source_ip: Option<IpAddr>,
    /// How it ended.
    pub outcome: Outcome,
    /// Metadata, never contents.
    pub detail: String,
    /// The hash of the event before (zeros for the first).
    pub prev_hash: ChainHash,
    /// `SHA-256(canonical(event) ‖ prev_hash)`.
    pub hash: ChainHash,
}

/// The longest actor, action and object, in characters.
pub const MAX_FIELD_CHARS: usize = 256;
/// The longest detail, in characters.
pub const MAX_DETAIL_CHARS: usize = 2_000;

/// A record that cannot be appended. Messages name the field, never its value.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AuditError {
    /// Too long, or contains control characters.
    #[error("audit field {field} is too long or contains control characters")]
    Field {
        /// The field's name.
        field: &'static str,
    },
    /// The action is not a code of `[a-z0-9._-]`.
    #[error("audit action must be a code of lower-case letters, digits, '.', '_' and '-'")]
    Action,
    /// The sequence number would overflow.
    #[error("audit sequence exhausted")]
    Sequence,
}

/// The last event of a chain (or the start, [`ChainHead::GENESIS`]): what the next event links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    /// The last sequence number (0 before the first event).
    pub seq: u64,
    /// The last hash.
    pub hash: ChainHash,
}

impl ChainHead {
    /// Before the first event.
    pub const GENESIS: Self = Self { seq: 0, hash: ChainHash::GENESIS };

    /// The event after this head. The store appends it in the same transaction that read the head, so
    /// that concurrent appends keep one chain.
    ///
    /// # Errors
    /// [`AuditError`] for an invalid field or an exhausted sequence.
    pub fn append(&self, record: AuditRecord) -> Result<AuditEvent, AuditError> {
        check_field("actor", &record.actor, MAX_FIELD_CHARS)?;
        check_field("object", &record.object, MAX_FIELD_CHARS)?;
        check_field("detail", &record.detail, MAX_DETAIL_CHARS)?;
        check_field("action", &record.action, MAX_FIELD_CHARS)?;
        if record.action.is_empty()
            || !record
                .action
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        {
            return Err(AuditError::Action);
        }
        let seq = self.seq.checked_add(1).ok_or(AuditError::Sequence)?;
        let mut event = AuditEvent {
            seq,
            at: record.at.trunc_subsecs(6),
            actor: record.actor,
            action: record.action,
            object: record.object,
            source_ip: record.source_ip,
            outcome: record.outcome,
            detail: record.detail,
            prev_hash: self.hash,
            hash: ChainHash::GENESIS,
        };
        event.hash = event.compute_hash();
        Ok(event)
    }
}

fn check_field(field: &'static str, value: &str, max: usize) -> Result<(), AuditError> {
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(AuditError::Field { field });
    }
    Ok(())
}

impl AuditEvent {
    /// The canonical encoding of the event's fields (without the hashes).
    #[must_use]
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.detail.len());
        let text = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        text(&mut out, "mosy-audit-v1");
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.at.timestamp_micros().to_be_bytes());
        text(&mut out, &self.actor);
        text(&mut out, &self.action);
        text(&mut out, &self.object);
        match self.source_ip {
            None => out.push(0),
            Some(IpAddr::V4(v4)) => {
                out.push(4);
                out.extend_from_slice(&v4.octets());
            }
            Some(IpAddr::V6(v6)) => {
                out.push(6);
                out.extend_from_slice(&v6.octets());
            }
        }
        out.push(self.outcome.tag());
        text(&mut out, &self.detail);
        out
    }

    /// `SHA-256(canonical(event) ‖ prev_hash)` from the event's current fields.
    #[must_use]
    pub fn compute_hash(&self) -> ChainHash {
        ChainHash(
            Sha256::new()
                .chain_update(self.canonical_bytes())
                .chain_update(self.prev_hash.0)
                .finalize()
                .into(),
        )
    }

    /// This event as the head of its chain.
    #[must_use]
    pub fn head(&self) -> ChainHead {
        ChainHead { seq: self.seq, hash: self.hash }
    }
}

/// Where and how a chain is broken. `index` is the position in the slice checked, `seq` a sequence number.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// A gap: events before this one were deleted.
    #[error(
        "audit event at position {index} has sequence {found} where {expected} was expected: events are missing"
    )]
    Missing {
        /// Position in the slice.
        index: usize,
        /// The sequence number that should be there.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// A sequence number repeated, going back, or ahead of one that comes later: events were reordered or
    /// duplicated.
    #[error(
        "audit event at position {index} has sequence {found} where {expected} was expected: events are out of order"
    )]
    OutOfOrder {
        /// Position in the slice.
        index: usize,
        /// The sequence number that should be there.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// The event does not link to the one before (an event before it was replaced, or rewritten and rehashed).
    #[error("audit event {seq} (position {index}) does not link to the event before it")]
    BrokenLink {
        /// Position in the slice.
        index: usize,
        /// Its sequence number.
        seq: u64,
    },
    /// The event's fields do not match its hash: it was altered.
    #[error("audit event {seq} (position {index}) was altered")]
    Altered {
        /// Position in the slice.
        index: usize,
        /// Its sequence number.
        seq: u64,
    },
    /// A checkpoint's signature is not valid under the key.
    #[error("audit checkpoint at sequence {seq} has an invalid signature")]
    BadSignature {
        /// The checkpoint's sequence number.
        seq: u64,
    },
    /// The log ends before a signed checkpoint: events were cut from the end.
    #[error(
        "the audit log ends at sequence {last} but a signed checkpoint covers sequence {checkpoint}: events were removed"
    )]
    Truncated {
        /// The last sequence number present.
        last: u64,
        /// The checkpoint's.
        checkpoint: u64,
    },
    /// The event at a checkpoint's sequence number does not have the signed hash: the chain was rewritten.
    #[error("audit event {seq} differs from its signed checkpoint: the chain was rewritten")]
    CheckpointMismatch {
        /// The sequence number.
        seq: u64,
    },
}

/// Verifies a whole chain from its first event. An empty slice is a valid (empty) chain.
///
/// # Errors
/// The first [`ChainError`] found, in order of position; for each event the sequence number is checked
/// first, then the link to the event before, then its own hash.
pub fn verify(events: &[AuditEvent]) -> Result<(), ChainError> {
    verify_from(ChainHead::GENESIS, events).map(|_| ())
}

/// Verifies a segment continuing after `start` (a head known to be good, e.g. a verified checkpoint) and
/// returns the segment's head.
///
/// # Errors
/// As [`verify`].
pub fn verify_from(start: ChainHead, events: &[AuditEvent]) -> Result<ChainHead, ChainError> {
    let mut head = start;
    for (index, event) in events.iter().enumerate() {
        let expected = head.seq.saturating_add(1);
        if event.seq > expected {
            // The expected event further on means a reordering, not a gap.
            let later = events[index..].iter().any(|e| e.seq == expected);
            return Err(if later {
                ChainError::OutOfOrder { index, expected, found: event.seq }
            } else {
                ChainError::Missing { index, expected, found: event.seq }
            });
        }
        if event.seq < expected {
            return Err(ChainError::OutOfOrder { index, expected, found: event.seq });
        }
        if event.prev_hash != head.hash {
            return Err(ChainError::BrokenLink { index, seq: event.seq });
        }
        if event.compute_hash() != event.hash {
            return Err(ChainError::Altered { index, seq: event.seq });
        }
        head = event.head();
    }
    Ok(head)
}

/// A signed statement of the chain's head at a time, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The head's sequence number.
    pub seq: u64,
    /// The head's hash.
    pub hash: ChainHash,
    /// When it was signed.
    #[serde(with = "rfc3339")]
    pub at: DateTime<Utc>,
    /// Ed25519 over `mosy-audit-checkpoint-v1 ‖ seq ‖ at (µs) ‖ hash`, 128 hex digits.
    #[serde(with = "hex64")]
    pub signature: [u8; 64],
}

fn checkpoint_message(seq: u64, hash: &ChainHash, at: DateTime<Utc>) -> Vec<u8> {
    let mut m = b"mosy-audit-checkpoint-v1".to_vec();
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(&at.timestamp_micros().to_be_bytes());
    m.extend_from_slice(&hash.0);
    m
}

/// The hub's checkpoint signing key (Ed25519). `Debug` shows only the public key.
pub struct CheckpointSigner(SigningKey);

impl CheckpointSigner {
    /// A fresh key.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, RngError> {
        Ok(Self(SigningKey::from_bytes(&random(rng)?)))
    }

    /// A stored key (its 32-byte seed).
    #[must_use]
    pub fn from_seed(seed: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&seed))
    }

    /// The 32-byte seed, for storing the key in a protected file. Handle as a secret.
    #[must_use]
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public key auditors verify with.
    #[must_use]
    pub fn public_key(&self) -> CheckpointKey {
        CheckpointKey(self.0.verifying_key())
    }

    /// Signs `head` at `at` (kept to whole microseconds).
    #[must_use]
    pub fn sign(&self, head: ChainHead, at: DateTime<Utc>) -> Checkpoint {
        let at = at.trunc_subsecs(6);
        let signature = self.0.sign(&checkpoint_message(head.seq, &head.hash, at)).to_bytes();
        Checkpoint { seq: head.seq, hash: head.hash, at, signature }
    }
}

impl fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CheckpointSigner(public {}, secret <redacted>)", self.public_key().to_hex())
    }
}

/// A checkpoint verification key (Ed25519 public key).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct CheckpointKey(VerifyingKey);

impl CheckpointKey {
    /// From the 32-byte public key; `None` if it is not a valid point.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Option<Self> {
        VerifyingKey::from_bytes(&bytes).ok().map(Self)
    }

    /// The 32 bytes.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// 64 hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }
}

impl fmt::Debug for CheckpointKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CheckpointKey({})", self.to_hex())
    }
}

impl Checkpoint {
    /// Checks the signature (strict Ed25519 verification).
    ///
    /// # Errors
    /// [`ChainError::BadSignature`].
    pub fn verify_signature(&self, key: &CheckpointKey) -> Result<(), ChainError> {
        let signature = Signature::from_bytes(&self.signature);
        key.0
            .verify_strict(&checkpoint_message(self.seq, &self.hash, self.at), &signature)
            .map_err(|_| ChainError::BadSignature { seq: self.seq })
    }
}

/// Verifies a whole chain (from its first event) and then every checkpoint against it: each signature,
/// that the log reaches the checkpoint (no events cut from the end) and that the event there has the
/// signed hash (no rewriting up to it). Returns the chain's head.
///
/// # Errors
/// The first [`ChainError`] of the chain, then of the checkpoints in the order given.
pub fn verify_with_checkpoints(
    events: &[AuditEvent],
    checkpoints: &[Checkpoint],
    key: &CheckpointKey,
) -> Result<ChainHead, ChainError> {
    let head = verify_from(ChainHead::GENESIS, events)?;
    for checkpoint in checkpoints {
        checkpoint.verify_signature(key)?;
        if checkpoint.seq > head.seq {
            return Err(ChainError::Truncated { last: head.seq, checkpoint: checkpoint.seq });
        }
        // A verified chain from genesis holds sequence n at position n - 1.
        let hash_there = match checkpoint.seq {
            0 => ChainHash::GENESIS,
            n => {
                usize::try_from(n - 1).ok().and_then(|i| events.get(i)).map_or(ChainHash::GENESIS, |e| e.hash)
            }
        };
        if hash_there != checkpoint.hash {
            return Err(ChainError::CheckpointMismatch { seq: checkpoint.seq });
        }
    }
    Ok(head)
}

mod rfc3339 {
    //! Timestamps as RFC 3339 text with microseconds, `Z`.
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Micros, true))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map(|t| t.with_timezone(&Utc)).map_err(serde::de::Error::custom)
    }
}

mod hex64 {
    //! 64-byte values as 128 hex digits.
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(bytes: &[u8; 64], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 64], D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 64];
        hex::decode_to_slice(&text, &mut out).map_err(serde::de::Error::custom)?;
        Ok(out)
    }
}
