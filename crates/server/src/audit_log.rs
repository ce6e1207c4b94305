//! The audit chain in the store: [`auth::AuditEvent`]s kept as `store::AuditRow`s, appended in the
//! transaction that reads the head, read back and verified with [`auth::verify`].

use std::net::IpAddr;

use auth::audit::{ChainHash, ChainHead};
use auth::{AuditEvent, AuditRecord, ChainError, Outcome};
use chrono::{DateTime, Utc};
use store::{AuditRow, Store};

use crate::{Error, Result};

fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::Success => "ok",
        Outcome::Failure => "failed",
        Outcome::Denied => "denied",
    }
}

fn outcome_of(code: &str) -> Option<Outcome> {
    match code {
        "ok" => Some(Outcome::Success),
        "failed" => Some(Outcome::Failure),
        "denied" => Some(Outcome::Denied),
        _ => None,
    }
}

/// The stored row of an event.
pub fn to_row(e: &AuditEvent) -> AuditRow {
    AuditRow {
        seq: e.seq,
        at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        actor: e.actor.clone(),
        action: e.action.clone(),
        object: e.object.clone(),
        source: e.source_ip.map(|ip| ip.to_string()).unwrap_or_default(),
        outcome: outcome_code(e.outcome).to_string(),
        detail: e.detail.clone(),
        prev_hash: e.prev_hash.to_hex(),
        hash: e.hash.to_hex(),
    }
}

/// The event of a stored row; `None` when a field cannot be read (the row was altered).
pub fn from_row(r: &AuditRow) -> Option<AuditEvent> {
    Some(AuditEvent {
        seq: r.seq,
        at: DateTime::parse_from_rfc3339(&r.at).ok()?.with_timezone(&Utc),
        actor: r.actor.clone(),
        action: r.action.clone(),
        object: r.object.clone(),
        source_ip: if r.source.is_empty() { None } else { Some(r.source.parse::<IpAddr>().ok()?) },
        outcome: outcome_of(&r.outcome)?,
        detail: r.detail.clone(),
        prev_hash: ChainHash::from_hex(&r.prev_hash)?,
        hash: ChainHash::from_hex(&r.hash)?,
    })
}

/// Appends one event to the chain (in the store's write transaction that reads the head).
///
/// # Errors
/// [`Error::Audit`] for an invalid record, [`Error::Corrupt`] for an unreadable head, or the store's.
pub fn append(store: &mut Store, record: AuditRecord) -> Result<AuditEvent> {
    let mut failure: Option<Error> = None;
    let mut made: Option<AuditEvent> = None;
    let mut build = |head: Option<(u64, String)>| {
        let head = match head {
            None => Some(ChainHead::GENESIS),
            Some((seq, hash)) => ChainHash::from_hex(&hash).map(|hash| ChainHead { seq, hash }),
        };
        match head.ok_or(Error::Corrupt("audit head")).and_then(|h| Ok(h.append(record.clone())?)) {
            Ok(event) => {
                let row = to_row(&event);
                made = Some(event);
                row
            }
            Err(e) => {
                failure = Some(e);
                // Only an unreadable head gets here (the record was validated before): the empty row
                // stored then is reported by `check` as the first broken event.
                AuditRow {
                    seq: 0,
                    at: String::new(),
                    actor: String::new(),
                    action: String::new(),
                    object: String::new(),
                    source: String::new(),
                    outcome: String::new(),
                    detail: String::new(),
                    prev_hash: String::new(),
                    hash: String::new(),
                }
            }
        }
    };
    // Validate first so that an invalid record never reaches the store.
    let mut probe = record.clone();
    probe.at = Utc::now();
    ChainHead::GENESIS.append(probe)?;
    store.append_audit(&mut build)?;
    if let Some(e) = failure {
        return Err(e);
    }
    made.ok_or(Error::Corrupt("audit event"))
}

/// The whole log as events, and the verification of the chain.
pub struct Checked {
    /// The stored rows, in order.
    pub rows: Vec<AuditRow>,
    /// `Ok` when intact, else the first problem.
    pub verdict: Result<(), ChainError>,
}

/// Reads the whole log and verifies its chain. A row whose fields cannot be read counts as altered.
///
/// # Errors
/// The store's.
pub fn check(store: &mut Store) -> Result<Checked> {
    let rows = store.audit_log()?;
    let mut events = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        match from_row(row) {
            Some(e) => events.push(e),
            None => {
                let verdict = auth::verify(&events).and(Err(ChainError::Altered { index, seq: row.seq }));
                return Ok(Checked { rows, verdict });
            }
        }
    }
    let verdict = auth::verify(&events);
    Ok(Checked { rows, verdict })
}

/// The sequence number of the first broken event.
pub fn broken_seq(e: &ChainError) -> u64 {
    match e {
        ChainError::Missing { found, .. } | ChainError::OutOfOrder { found, .. } => *found,
        ChainError::BrokenLink { seq, .. }
        | ChainError::Altered { seq, .. }
        | ChainError::BadSignature { seq }
        | ChainError::CheckpointMismatch { seq } => *seq,
        ChainError::Truncated { last, .. } => *last,
    }
}

/// A record made now.
pub fn record(
    actor: &str,
    action: &str,
    object: &str,
    source_ip: Option<IpAddr>,
    outcome: Outcome,
    detail: &str,
) -> AuditRecord {
    AuditRecord {
        at: Utc::now(),
        actor: actor.to_string(),
        action: action.to_string(),
        object: object.to_string(),
        source_ip,
        outcome,
        detail: detail.to_string(),
    }
}
