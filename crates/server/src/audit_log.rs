//! The audit chain in the store: [`auth::AuditEvent`]s kept as `store::AuditRow`s, appended in the
//! transaction that reads the head, read back and verified with [`auth::verify`].
//!
//! Requests append through the [`Auditor`]: one thread with its own connection to the hub database
//! that takes every event waiting and appends them in one transaction (group commit). A request
//! waits until its event is committed, so an answered request is always in the log, yet fifty
//! concurrent requests cost one commit, not fifty.

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
                empty_row()
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

/// Appends several events in one transaction; one result per record, in order.
///
/// # Errors
/// The store's (then nothing was appended).
pub fn append_many(store: &mut Store, records: &[AuditRecord]) -> Result<Vec<Result<AuditEvent>>> {
    // Validate first so that an invalid record never reaches the store.
    let mut checks: Vec<Option<Error>> = records
        .iter()
        .map(|r| {
            let mut probe = r.clone();
            probe.at = Utc::now();
            ChainHead::GENESIS.append(probe).err().map(Error::from)
        })
        .collect();
    let chosen: Vec<&AuditRecord> =
        records.iter().zip(&checks).filter(|(_, e)| e.is_none()).map(|(r, _)| r).collect();
    let mut made: Vec<Result<AuditEvent>> = Vec::with_capacity(chosen.len());
    store.append_audits(chosen.len(), |i, head| {
        let head = match head {
            None => Some(ChainHead::GENESIS),
            Some((seq, hash)) => ChainHash::from_hex(&hash).map(|hash| ChainHead { seq, hash }),
        };
        match head.ok_or(Error::Corrupt("audit head")).and_then(|h| Ok(h.append(chosen[i].clone())?)) {
            Ok(event) => {
                let row = to_row(&event);
                made.push(Ok(event));
                row
            }
            Err(e) => {
                made.push(Err(e));
                empty_row()
            }
        }
    })?;
    let mut made = made.into_iter();
    Ok(checks
        .iter_mut()
        .map(|check| match check.take() {
            None => made.next().unwrap_or(Err(Error::Corrupt("audit event"))),
            Some(e) => Err(e),
        })
        .collect())
}

fn empty_row() -> AuditRow {
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

type Reply = Option<tokio::sync::oneshot::Sender<Result<()>>>;

/// A message to the writer: an event (with or without someone waiting for its commit), or a
/// flush that is answered once everything queued before it is committed.
enum Message {
    Event(AuditRecord, Reply),
    Flush(tokio::sync::oneshot::Sender<Result<()>>),
}

/// The group-commit writer of the audit log (see the module documentation).
pub struct Auditor {
    queue: std::sync::Mutex<Option<std::sync::mpsc::Sender<Message>>>,
}

/// Most events committed in one transaction.
const BATCH: usize = 512;

/// Commits one group and answers whoever waits for it.
fn commit(store: &mut Store, batch: Vec<Message>) {
    let mut records = Vec::with_capacity(batch.len());
    let mut replies = Vec::with_capacity(batch.len());
    let mut flushes = Vec::new();
    for m in batch {
        match m {
            Message::Event(r, reply) => {
                records.push(r);
                replies.push(reply);
            }
            Message::Flush(reply) => flushes.push(reply),
        }
    }
    let failed = match append_many(store, &records) {
        Ok(results) => {
            for (reply, result) in replies.into_iter().zip(results) {
                match reply {
                    Some(reply) => {
                        let _ = reply.send(result.map(|_| ()));
                    }
                    None => {
                        if let Err(e) = result {
                            tracing::error!(error = %e, "audit event refused");
                        }
                    }
                }
            }
            false
        }
        Err(e) => {
            tracing::error!(error = %e, events = replies.len(), "audit append failed");
            for reply in replies.into_iter().flatten() {
                let _ = reply.send(Err(Error::Corrupt("audit log (see the server log)")));
            }
            true
        }
    };
    for f in flushes {
        let _ = f.send(if failed { Err(Error::Corrupt("audit log (see the server log)")) } else { Ok(()) });
    }
}

impl Auditor {
    /// Starts the writer thread on its own connection to `database`.
    ///
    /// # Errors
    /// The store's, when the database cannot be opened.
    pub fn start(database: &str) -> Result<Auditor> {
        let mut store = Store::open(database)?;
        let (tx, rx) = std::sync::mpsc::channel::<Message>();
        std::thread::Builder::new().name("mosy-audit".into()).spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                commit(&mut store, batch);
            }
        })?;
        Ok(Auditor { queue: std::sync::Mutex::new(Some(tx)) })
    }

    fn send(&self, m: Message) -> Result<()> {
        let queue = self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        queue.as_ref().ok_or(Error::Join)?.send(m).map_err(|_| Error::Join)
    }

    /// Appends `record` and waits until it is committed.
    ///
    /// # Errors
    /// The store's, or [`Error::Join`] when the writer has stopped.
    pub async fn append(&self, record: AuditRecord) -> Result<()> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Message::Event(record, Some(reply)))?;
        answer.await.map_err(|_| Error::Join)?
    }

    /// Waits until every event queued so far is committed.
    ///
    /// # Errors
    /// The store's, or [`Error::Join`] when the writer has stopped.
    pub async fn flush(&self) -> Result<()> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.send(Message::Flush(reply))?;
        answer.await.map_err(|_| Error::Join)?
    }

    /// Queues `record` without waiting for its commit (read-only actions; see
    /// [`crate::AppState::audit_read`]).
    pub fn append_later(&self, record: AuditRecord) {
        if self.send(Message::Event(record, None)).is_err() {
            tracing::error!("audit writer stopped: an event of a read-only action was not recorded");
        }
    }
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
