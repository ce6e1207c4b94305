//! `mosy import`: one provider's files into submissions at the hub.
//!
//! The pipeline streams every row through: the personal-data guard (every cell), the provider's
//! mapping profile (or the canonical columns), the model's rules, and into the store — all inside
//! ONE write transaction, so an import is all or nothing (a crash or `kill -9` leaves the store as
//! it was). Records are grouped into one submission per quarter of their reference date; a
//! resubmitted period replaces the earlier revision, and the same files imported twice change
//! nothing. Under the default policy any problem rejects the whole import; under
//! `accept-valid` the valid rows are stored and the rest reported. The persons are re-clustered
//! in the same transaction, before it commits (`persons::recompute_after`).
//!
//! Threads, per file: one reads rows into batches; checking threads (one per core) guard, map,
//! validate and encode each batch (`store::Encoded`), with a bounded cache of guard verdicts per
//! column; the calling thread puts the batches back in file order — so problems are reported and
//! records written exactly in row order — hashes, buffers and writes them, and keeps the link
//! columns of the victims it writes for the re-clustering. The files' hash (same-file detection)
//! is computed on its own thread meanwhile. Channels are bounded: memory stays flat.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use ingest::profile::{MapIssue, Mapper, Profile};
use ingest::read::{BatchRow, ReadError, ReadOptions, RowBatch, RowSource};
use model::code::Country;
use model::codes::{RecordType, SubmissionAction};
use model::text::parse_and_validate;
use model::{
    Code, Codelists, Context, CourtDecision, DataProvider, ModelRecord, Period, Prosecution, ProviderId,
    Submission, SubmissionStatus, Suspect, VictimRegistration,
};
use privacy::guard::GuardCache;
use sha2::{Digest, Sha256};
use store::{Encoded, Import, ImportOutcome, LinkRow, Storable, Store};

use crate::persons::{self, PersonStats, Registrations};
use crate::report::{Issue, Report};
use crate::{Error, Result};

/// Rows buffered per submission before they are written.
const CHUNK: usize = 4096;

/// Namespace of submission ids (UUID v5 over provider, period, file hash and receipt time).
const SUBMISSION_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6d6f_7379_2d69_6d70_6f72_742d_7375_6200);

/// What to do with valid rows when other rows have problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Any problem rejects the whole import (the default).
    RejectAll,
    /// Store the valid rows; report the others.
    AcceptValid,
}

/// The hub setting that holds the default intake policy.
pub const POLICY_SETTING: &str = "intake.policy";

impl Policy {
    /// The text form (`reject-all`, `accept-valid`).
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::RejectAll => "reject-all",
            Policy::AcceptValid => "accept-valid",
        }
    }
}

/// The hub's intake policy ([`POLICY_SETTING`]); reject-all when never set.
pub fn hub_policy(store: &mut Store) -> Result<Policy> {
    match store.setting(POLICY_SETTING)? {
        None => Ok(Policy::RejectAll),
        Some(text) => text.parse().map_err(|_| Error::BadSetting(POLICY_SETTING.to_owned())),
    }
}

/// Sets the hub's intake policy.
pub fn set_hub_policy(store: &mut Store, policy: Policy) -> Result<()> {
    Ok(store.set_setting(POLICY_SETTING, policy.as_str())?)
}

impl std::str::FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "reject-all" => Ok(Policy::RejectAll),
            "accept-valid" => Ok(Policy::AcceptValid),
            _ => Err("policy must be `reject-all` or `accept-valid`".into()),
        }
    }
}

/// One import.
pub struct ImportRequest<'a> {
    /// The submitting provider.
    pub provider: ProviderId,
    /// Its files (any mix of record types).
    pub files: Vec<PathBuf>,
    /// Its mapping profile; `None` for files in the model's canonical columns.
    pub profile: Option<&'a Profile>,
    /// What to do with valid rows when others fail.
    pub policy: Policy,
    /// Reader options (sheet, limits…).
    pub read: ReadOptions,
    /// The hub's country.
    pub reporting_country: Code<Country>,
    /// Extraction date: no event may be later.
    pub as_of: NaiveDate,
    /// Time of receipt, recorded on the submissions.
    pub submitted_at: DateTime<Utc>,
}

/// What happened to one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeriodOutcome {
    /// Stored (as a new revision if `replaced`).
    Stored {
        /// The quarter.
        period: Period,
        /// The new submission.
        submission_id: uuid::Uuid,
        /// Its revision number.
        revision: u32,
        /// The revision it superseded.
        replaced: Option<uuid::Uuid>,
        /// Records stored.
        records: u64,
    },
    /// The same files are already the live revision: nothing changed.
    AlreadyStored {
        /// The quarter.
        period: Period,
        /// The existing submission.
        submission_id: uuid::Uuid,
    },
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct ImportResult {
    /// Every problem found.
    pub report: Report,
    /// Whether anything was committed.
    pub committed: bool,
    /// Per period, in order (empty when nothing was committed).
    pub periods: Vec<PeriodOutcome>,
    /// Persons after re-clustering (when something was committed).
    pub persons: Option<PersonStats>,
}

struct PeriodState {
    submission: Submission,
    skip: bool,
    count: u64,
    hasher: Sha256,
    revision: u32,
    replaced: Option<uuid::Uuid>,
    victims: Vec<Encoded<VictimRegistration>>,
    suspects: Vec<Encoded<Suspect>>,
    prosecutions: Vec<Encoded<Prosecution>>,
    decisions: Vec<Encoded<CourtDecision>>,
}

/// Records written already, kept for their buffers: the writing thread hands them back to the
/// checking threads, which encode new records into them ([`Encoded::renew`]), so that records
/// are neither allocated nor freed one by one (and never freed on another thread than the one
/// that allocated them, which costs the allocator most).
#[derive(Default)]
struct Spent {
    victims: Vec<Encoded<VictimRegistration>>,
    suspects: Vec<Encoded<Suspect>>,
    prosecutions: Vec<Encoded<Prosecution>>,
    decisions: Vec<Encoded<CourtDecision>>,
}

/// Per-record-type access to a period's buffer, and what de-duplication keeps of a record.
trait Buffered: ModelRecord + Storable + Sized + Send + Sync {
    fn buffer(state: &mut PeriodState) -> &mut Vec<Encoded<Self>>;
    fn spent(spent: &mut Spent) -> &mut Vec<Encoded<Self>>;
    /// Keeps the record's link columns for re-clustering (victims only).
    fn collect(record: &Encoded<Self>, links: &mut Registrations) -> Result<()> {
        let _ = (record, links);
        Ok(())
    }
}
impl Buffered for VictimRegistration {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Encoded<Self>> {
        &mut s.victims
    }
    fn spent(s: &mut Spent) -> &mut Vec<Encoded<Self>> {
        &mut s.victims
    }
    fn collect(record: &Encoded<Self>, links: &mut Registrations) -> Result<()> {
        let row = LinkRow::of(record).ok_or_else(|| store::Error::Unstorable {
            table: Self::TABLE,
            record_ref: record.record_ref().to_owned(),
        })?;
        links.push(&row);
        Ok(())
    }
}
impl Buffered for Suspect {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Encoded<Self>> {
        &mut s.suspects
    }
    fn spent(s: &mut Spent) -> &mut Vec<Encoded<Self>> {
        &mut s.suspects
    }
}
impl Buffered for Prosecution {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Encoded<Self>> {
        &mut s.prosecutions
    }
    fn spent(s: &mut Spent) -> &mut Vec<Encoded<Self>> {
        &mut s.prosecutions
    }
}
impl Buffered for CourtDecision {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Encoded<Self>> {
        &mut s.decisions
    }
    fn spent(s: &mut Spent) -> &mut Vec<Encoded<Self>> {
        &mut s.decisions
    }
}

/// Rows per batch handed from the reading thread to the checking threads.
const BATCH_ROWS: usize = 512;

/// Checked batches kept while the files' hash is still being computed.
const EARLY_BATCHES: usize = 32;

/// What the reading thread hands to the checking threads: batch `seq` of a file, or the read
/// error that ends it.
enum Work {
    Rows(u64, RowBatch),
    Failed(u64, ReadError),
}

/// What a checking thread hands back for one batch: the rows' problems, in row order, and their
/// valid records, encoded for the store.
struct Checked<R> {
    seq: u64,
    rows: u64,
    valid: u64,
    issues: Vec<Issue>,
    records: Vec<Encoded<R>>,
    failed: Option<ReadError>,
    /// The batch's buffers, for reuse by the reading thread.
    batch: Option<RowBatch>,
}

/// What every checking thread of one file shares.
struct Checker<'a> {
    req: &'a ImportRequest<'a>,
    lists: &'a Codelists,
    ctx: Context<'a>,
    file: String,
    headers: &'a [String],
    mapper: Option<&'a Mapper<'a>>,
    /// Header position of each canonical column (files without a profile).
    positions: Vec<usize>,
}

/// The writing side: opens submissions, hashes and buffers records per period, writes them, all
/// inside the one transaction (`imp`), on the calling thread. It owns the report.
struct Run<'r, 's> {
    req: &'r ImportRequest<'r>,
    lists: &'r Codelists,
    file_sha: FileHash,
    imp: Import<'s>,
    periods: BTreeMap<Period, PeriodState>,
    /// Records buffered across all periods; every period is flushed when it reaches [`CHUNK`].
    buffered: usize,
    report: Report,
    /// The link columns of every victim registration written, for re-clustering.
    links: Registrations,
    /// Records written, for the checking threads to reuse.
    spent: Spent,
}

/// Runs an import.
#[tracing::instrument(skip_all, fields(provider = %req.provider, files = req.files.len()))]
pub fn import(
    store: &mut Store,
    lists: &Codelists,
    req: &ImportRequest<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportResult> {
    let providers = store.providers(lists)?;
    if !providers.iter().any(|p| p.id == req.provider) {
        return Err(Error::UnknownProvider(req.provider.to_string()));
    }
    let register: BTreeMap<ProviderId, DataProvider> =
        providers.into_iter().map(|p| (p.id.clone(), p)).collect();
    // The files' hash is computed on its own thread while the first rows are checked: the writer
    // needs it only to open the first submission.
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let streamed = std::thread::scope(|scope| {
        let (hash_tx, hash_rx) = std::sync::mpsc::sync_channel(1);
        let hasher = std::thread::Builder::new().name("mosy-hash".into()).spawn_scoped(scope, {
            let cancel = &cancel;
            move || {
                let _ = hash_tx.send(files_hash(req, cancel));
            }
        });
        let file_sha = match hasher {
            Ok(_) => FileHash { known: None, pending: Some(hash_rx) },
            Err(_) => FileHash { known: Some(files_hash(req, &cancel)?), pending: None },
        };
        let streamed = stream(store, lists, req, &register, file_sha, progress);
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
        streamed
    });
    let (report, outcomes, persons) = match streamed? {
        Streamed::Rejected(report) => {
            return Ok(ImportResult { report, committed: false, periods: Vec::new(), persons: None });
        }
        Streamed::Committed(report, outcomes, persons) => (report, outcomes, persons),
    };
    tracing::info!(periods = outcomes.len(), "import committed");
    Ok(ImportResult { report, committed: true, periods: outcomes, persons })
}

enum Streamed {
    Rejected(Report),
    Committed(Report, Vec<PeriodOutcome>, Option<PersonStats>),
}

/// Streams every file into one write transaction; commits it unless the import is rejected.
fn stream(
    store: &mut Store,
    lists: &Codelists,
    req: &ImportRequest<'_>,
    register: &BTreeMap<ProviderId, DataProvider>,
    file_sha: FileHash,
    progress: &mut dyn FnMut(u64),
) -> Result<Streamed> {
    let imp = store.begin_import()?;
    let mut run = Run {
        req,
        lists,
        file_sha,
        imp,
        periods: BTreeMap::new(),
        buffered: 0,
        report: Report::default(),
        links: Registrations::default(),
        spent: Spent::default(),
    };
    for file in &req.files {
        if let Err(e) = run.file(register, file, progress) {
            // A file that cannot be read fails its hash too: that error names it best.
            run.file_sha.get()?;
            return Err(e);
        }
        tracing::debug!(rows = run.report.rows_read, "file streamed");
    }
    let report = std::mem::take(&mut run.report);
    let accept = report.is_clean() || (req.policy == Policy::AcceptValid && !report.has_personal_data());
    if !accept {
        // Dropping the import rolls the transaction back: nothing of this run is stored.
        tracing::info!(problems = report.total(), "import rejected");
        return Ok(Streamed::Rejected(report));
    }
    let mut outcomes = Vec::new();
    let periods = std::mem::take(&mut run.periods);
    for (period, mut st) in periods {
        flush(&mut run.imp, &mut st, &mut run.spent)?;
        if st.skip {
            outcomes.push(PeriodOutcome::AlreadyStored { period, submission_id: st.submission.id });
            continue;
        }
        let sha: [u8; 32] = st.hasher.finalize().into();
        run.imp.close_submission(st.submission.id, u32::try_from(st.count).unwrap_or(u32::MAX), sha)?;
        outcomes.push(PeriodOutcome::Stored {
            period,
            submission_id: st.submission.id,
            revision: st.revision,
            replaced: st.replaced,
            records: st.count,
        });
    }
    tracing::debug!("submissions closed");
    // Persons are re-clustered in the same transaction, so they always match the registrations.
    let changed = outcomes.iter().any(|o| matches!(o, PeriodOutcome::Stored { .. }));
    let persons = if changed {
        let inserted = std::mem::take(&mut run.links);
        Some(persons::recompute_after(&mut run.imp, inserted)?)
    } else {
        None
    };
    tracing::debug!("persons stored");
    run.imp.commit()?;
    Ok(Streamed::Committed(report, outcomes, persons))
}

/// The files' hash, known or still being computed.
struct FileHash {
    known: Option<[u8; 32]>,
    pending: Option<std::sync::mpsc::Receiver<Result<[u8; 32]>>>,
}

impl FileHash {
    /// Whether the hash is known (without waiting for it).
    fn ready(&mut self) -> Result<bool> {
        if self.known.is_none()
            && let Some(rx) = &self.pending
        {
            match rx.try_recv() {
                Ok(hash) => self.known = Some(hash?),
                Err(std::sync::mpsc::TryRecvError::Empty) => return Ok(false),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => return Err(Error::ScannerPanicked),
            }
        }
        Ok(true)
    }

    /// The hash, waiting for it if need be.
    fn get(&mut self) -> Result<[u8; 32]> {
        if let Some(hash) = self.known {
            return Ok(hash);
        }
        let hash = self
            .pending
            .as_ref()
            .ok_or(Error::ScannerPanicked)?
            .recv()
            .map_err(|_| Error::ScannerPanicked)??;
        tracing::debug!("files hashed");
        self.known = Some(hash);
        Ok(hash)
    }
}

/// SHA-256 over every file's bytes (and the profile's id and version): the "same files" test.
/// Stops early (with a meaningless hash) once `cancel` is set.
fn files_hash(req: &ImportRequest<'_>, cancel: &std::sync::atomic::AtomicBool) -> Result<[u8; 32]> {
    let mut h = Sha256::new();
    if let Some(p) = req.profile {
        h.update(format!("profile:{}:{}\n", p.id(), p.version()).as_bytes());
    }
    let mut buf = vec![0u8; 1 << 16];
    for path in &req.files {
        let mut f = std::fs::File::open(path).map_err(|source| Error::Io { path: path.clone(), source })?;
        h.update(b"file\n");
        loop {
            let n = f.read(&mut buf).map_err(|source| Error::Io { path: path.clone(), source })?;
            if n == 0 || cancel.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(h.finalize().into())
}

impl Run<'_, '_> {
    /// Streams one file through the checking threads into the store.
    ///
    /// Threads: one reads the file into batches of rows; checking threads (one per core) guard,
    /// map, validate and encode each batch; this thread puts the batches back in file order —
    /// so problems are reported, and records stored, exactly in row order — and writes.
    fn file(
        &mut self,
        register: &BTreeMap<ProviderId, DataProvider>,
        path: &Path,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let src = ingest::read::open(path, &self.req.read)?;
        let record_type = match self.req.profile {
            Some(p) => p.record_type(),
            None => canonical_type(src.headers()).ok_or_else(|| Error::UnknownLayout(path.to_owned()))?,
        };
        match record_type {
            RecordType::Victim => self.rows::<VictimRegistration>(register, path, src, progress),
            RecordType::Suspect => self.rows::<Suspect>(register, path, src, progress),
            RecordType::Prosecution => self.rows::<Prosecution>(register, path, src, progress),
            RecordType::CourtDecision => self.rows::<CourtDecision>(register, path, src, progress),
        }
    }

    fn rows<R: Buffered>(
        &mut self,
        register: &BTreeMap<ProviderId, DataProvider>,
        path: &Path,
        mut src: Box<dyn RowSource>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let headers: Vec<String> = src.headers().to_vec();
        let mapper = match self.req.profile {
            Some(p) => Some(Mapper::new(p, &headers, self.lists, true)?),
            None => None,
        };
        let positions = match &mapper {
            Some(_) => Vec::new(),
            None => {
                canonical_positions::<R>(&headers).ok_or_else(|| Error::UnknownLayout(path.to_owned()))?
            }
        };
        let checker = Checker {
            req: self.req,
            lists: self.lists,
            ctx: Context {
                reporting_country: self.req.reporting_country,
                as_of: self.req.as_of,
                providers: Some(register),
            },
            file: path.display().to_string(),
            headers: &headers,
            mapper: mapper.as_ref(),
            positions,
        };
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<Work>(workers * 2);
        // Shared by the checking threads only: when the last one ends (even by a panic), the
        // receiver goes and the reading thread stops.
        let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Checked<R>>(workers * 2);
        let (spare_tx, spare_rx) = std::sync::mpsc::sync_channel::<RowBatch>(workers * 4);
        // Written records going back to the checking threads (each a flush's worth), for reuse.
        let (recycle_tx, recycle_rx) = std::sync::mpsc::sync_channel::<Vec<Encoded<R>>>(workers);
        let recycle_rx = std::sync::Mutex::new(recycle_rx);
        let width = headers.len();
        std::thread::scope(|scope| {
            let mut threads = Vec::with_capacity(workers + 1);
            threads.push(
                std::thread::Builder::new()
                    .name("mosy-read".into())
                    .spawn_scoped(scope, move || read_batches(src.as_mut(), width, &work_tx, &spare_rx)),
            );
            for _ in 0..workers {
                let (work_rx, done_tx, checker) = (work_rx.clone(), done_tx.clone(), &checker);
                let recycle_rx = &recycle_rx;
                threads.push(
                    std::thread::Builder::new()
                        .name("mosy-check".into())
                        .spawn_scoped(scope, move || checker.run(&work_rx, &done_tx, recycle_rx)),
                );
            }
            drop((work_rx, done_tx));
            // On an error the receiver is dropped, the checking threads' sends fail and they stop,
            // and so does the reading thread.
            let written = self.consume(done_rx, &spare_tx, &recycle_tx, progress);
            // A thread that could not start or panicked may have cut the file short.
            let all_ran = threads.into_iter().all(|t| t.is_ok_and(|t| t.join().is_ok()));
            if all_ran { written } else { Err(Error::ScannerPanicked) }
        })
    }

    /// Takes the checked batches in file order: reports their problems and writes their records.
    fn consume<R: Buffered>(
        &mut self,
        done: std::sync::mpsc::Receiver<Checked<R>>,
        spare: &std::sync::mpsc::SyncSender<RowBatch>,
        recycle: &std::sync::mpsc::SyncSender<Vec<Encoded<R>>>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        let mut waiting: BTreeMap<u64, Checked<R>> = BTreeMap::new();
        let mut next = 0u64;
        for checked in done {
            waiting.insert(checked.seq, checked);
            // Until the files' hash is known, batches are kept (up to a bound) rather than written.
            if waiting.len() < EARLY_BATCHES && !self.file_sha.ready()? {
                continue;
            }
            self.write_ready(&mut waiting, &mut next, spare, progress)?;
            let spent = R::spent(&mut self.spent);
            if !spent.is_empty() {
                // When the checking threads have enough, the records are dropped here.
                let _ = recycle.try_send(std::mem::take(spent));
            }
        }
        self.write_ready(&mut waiting, &mut next, spare, progress)
    }

    /// Writes the checked batches that come next in file order.
    fn write_ready<R: Buffered>(
        &mut self,
        waiting: &mut BTreeMap<u64, Checked<R>>,
        next: &mut u64,
        spare: &std::sync::mpsc::SyncSender<RowBatch>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        while let Some(mut c) = waiting.remove(next) {
            *next += 1;
            if let Some(batch) = c.batch.take() {
                // The reading thread may have enough spare batches: then this one is dropped.
                let _ = spare.try_send(batch);
            }
            if let Some(e) = c.failed {
                return Err(e.into());
            }
            self.report.rows_read += c.rows;
            self.report.rows_valid += c.valid;
            for issue in c.issues {
                self.report.push(issue);
            }
            progress(c.rows);
            // Under reject-all, once a problem is known nothing will be stored: skip writing.
            if self.req.policy == Policy::RejectAll && !self.report.is_clean() {
                continue;
            }
            for record in c.records {
                self.keep(record)?;
            }
        }
        Ok(())
    }
}

/// The reading thread: the file's rows in batches, numbered in order; a read error ends them.
fn read_batches(
    src: &mut dyn RowSource,
    width: usize,
    work: &std::sync::mpsc::SyncSender<Work>,
    spare: &std::sync::mpsc::Receiver<RowBatch>,
) {
    let mut seq = 0u64;
    loop {
        let mut batch = spare.try_recv().unwrap_or_else(|_| RowBatch::new(width));
        batch.clear();
        let mut failed = None;
        while batch.len() < BATCH_ROWS {
            match src.advance() {
                Ok(true) => batch.push_current(src),
                Ok(false) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let end = failed.is_some() || batch.len() < BATCH_ROWS;
        if !batch.is_empty() {
            if work.send(Work::Rows(seq, batch)).is_err() {
                return;
            }
            seq += 1;
        }
        if let Some(e) = failed {
            let _ = work.send(Work::Failed(seq, e));
            return;
        }
        if end {
            return;
        }
    }
}

impl Checker<'_> {
    /// A checking thread: batches in, checked batches out, until either side hangs up.
    fn run<R: Buffered>(
        &self,
        work: &std::sync::Mutex<std::sync::mpsc::Receiver<Work>>,
        done: &std::sync::mpsc::SyncSender<Checked<R>>,
        recycle: &std::sync::Mutex<std::sync::mpsc::Receiver<Vec<Encoded<R>>>>,
    ) {
        let mut guard = GuardCache::new(self.headers.len());
        let mut canon: Vec<String> = Vec::with_capacity(R::COLUMNS.len());
        // Written records whose buffers this thread encodes new records into.
        let mut reuse: Vec<Encoded<R>> = Vec::new();
        loop {
            let next = match work.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return,
            };
            let checked = match next {
                Ok(Work::Rows(seq, batch)) => {
                    if reuse.len() < batch.len()
                        && let Ok(rx) = recycle.try_lock()
                        && let Ok(more) = rx.try_recv()
                    {
                        if reuse.is_empty() {
                            reuse = more;
                        } else {
                            reuse.extend(more);
                        }
                    }
                    self.batch(seq, batch, &mut guard, &mut canon, &mut reuse)
                }
                Ok(Work::Failed(seq, e)) => Checked {
                    seq,
                    rows: 0,
                    valid: 0,
                    issues: Vec::new(),
                    records: Vec::new(),
                    failed: Some(e),
                    batch: None,
                },
                Err(_) => return,
            };
            if done.send(checked).is_err() {
                return;
            }
        }
    }

    /// Guards, maps, validates and encodes every row of a batch.
    fn batch<R: Buffered>(
        &self,
        seq: u64,
        batch: RowBatch,
        guard: &mut GuardCache,
        canon: &mut Vec<String>,
        reuse: &mut Vec<Encoded<R>>,
    ) -> Checked<R> {
        let mut out = Checked {
            seq,
            rows: batch.len() as u64,
            valid: 0,
            issues: Vec::new(),
            records: Vec::with_capacity(batch.len()),
            failed: None,
            batch: None,
        };
        let mut map_issues: Vec<MapIssue> = Vec::new();
        for k in 0..batch.len() {
            let cells = batch.row(k);
            let row = cells.number();
            if self.guard(row, &cells, guard, &mut out.issues) {
                continue;
            }
            let parsed = match self.mapper {
                Some(m) => {
                    map_issues.clear();
                    m.map_row(&|i| cells.value(i), canon, &mut map_issues);
                    if !map_issues.is_empty() {
                        for i in &map_issues {
                            out.issues.push(Issue {
                                file: self.file.clone(),
                                row: Some(row),
                                column: i.column.clone(),
                                field: Some(i.field.to_owned()),
                                rule: i.rule.code().to_owned(),
                                hint: i.hint.clone(),
                            });
                        }
                        continue;
                    }
                    with_values(canon.iter().map(String::as_str), |values| {
                        parse_and_validate::<R>(values, row, self.lists, &self.ctx)
                    })
                }
                None => with_values(self.positions.iter().map(|&p| cells.value(p)), |values| {
                    parse_and_validate::<R>(values, row, self.lists, &self.ctx)
                }),
            };
            match parsed {
                Ok(rec) if rec.provider_id() != &self.req.provider => out.issues.push(Issue {
                    file: self.file.clone(),
                    row: Some(row),
                    column: None,
                    field: Some("provider_id".into()),
                    rule: "provider.not_submitter".into(),
                    hint: "a provider submits only its own records".into(),
                }),
                Ok(rec) => match encode(&rec, reuse) {
                    Ok(e) => {
                        out.valid += 1;
                        out.records.push(e);
                    }
                    // Cannot happen for a valid record; reported rather than stored.
                    Err(_) => out.issues.push(Issue {
                        file: self.file.clone(),
                        row: Some(row),
                        column: None,
                        field: None,
                        rule: "store.unstorable".into(),
                        hint: "a value holds a control character; remove it and resubmit".into(),
                    }),
                },
                Err(e) => {
                    for v in &e.violations {
                        out.issues.push(Issue {
                            file: self.file.clone(),
                            row: Some(row),
                            column: match self.req.profile {
                                Some(p) => p.source_column(v.field).map(str::to_owned),
                                None => Some(v.field.to_owned()),
                            },
                            field: Some(v.field.to_owned()),
                            rule: v.rule.code().to_owned(),
                            hint: v.rule.message(),
                        });
                    }
                }
            }
        }
        out.batch = Some(batch);
        out
    }

    /// Scans every cell for personal data; true if the row must be dropped.
    fn guard(&self, row: u64, cells: &BatchRow<'_>, cache: &mut GuardCache, issues: &mut Vec<Issue>) -> bool {
        let mut hit = false;
        for (c, name) in self.headers.iter().enumerate() {
            let v = cells.value(c);
            if v.is_empty() {
                continue;
            }
            if let Some(kind) = cache.check(c, v) {
                hit = true;
                issues.push(Issue {
                    file: self.file.clone(),
                    row: Some(row),
                    column: Some(name.clone()),
                    field: None,
                    rule: kind.code().to_owned(),
                    hint: format!(
                        "{}: personal data must never reach the hub; remove it at the provider (mosy prepare) and resubmit",
                        kind.message()
                    ),
                });
            }
        }
        hit
    }
}

impl Run<'_, '_> {
    fn keep<R: Buffered>(&mut self, rec: Encoded<R>) -> Result<()> {
        let period = Period::of_date(rec.reference_date());
        if !self.periods.contains_key(&period) {
            self.open(period)?;
        }
        let Some(st) = self.periods.get_mut(&period) else { return Ok(()) };
        if st.skip {
            return Ok(());
        }
        st.count += 1;
        st.hasher.update(rec.canonical_line().as_bytes());
        st.hasher.update(b"\n");
        R::collect(&rec, &mut self.links)?;
        R::buffer(st).push(rec);
        self.buffered += 1;
        if self.buffered >= CHUNK {
            // Memory stays flat whatever the file size: write every period's buffer.
            for st in self.periods.values_mut() {
                flush(&mut self.imp, st, &mut self.spent)?;
            }
            self.buffered = 0;
        }
        Ok(())
    }

    fn open(&mut self, period: Period) -> Result<()> {
        let file_sha = self.file_sha.get()?;
        let id = uuid::Uuid::new_v5(
            &SUBMISSION_NAMESPACE,
            // The receipt time makes every import attempt a new id, so that re-importing files
            // that were superseded meanwhile (A, B, then A again) becomes a new revision.
            format!(
                "{}|{period}|{}|{}",
                self.req.provider,
                hex::encode(file_sha),
                self.req.submitted_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
            )
            .as_bytes(),
        );
        let submission = Submission {
            id,
            provider_id: self.req.provider.clone(),
            period,
            schema_version: model::SCHEMA_VERSION.to_owned(),
            codelist_version: self.lists.version().to_owned(),
            submitted_at: self.req.submitted_at,
            action: SubmissionAction::Replace,
            record_count: 0,
            sha256: [0; 32],
        };
        let outcome = self.imp.open_submission(&submission, file_sha, SubmissionStatus::Validated)?;
        let (skip, revision, replaced, submission) = match outcome {
            ImportOutcome::Stored { revision, replaced, .. } => (false, revision, replaced, submission),
            ImportOutcome::AlreadyStored { submission_id } => {
                (true, 0, None, Submission { id: submission_id, ..submission })
            }
        };
        self.periods.insert(
            period,
            PeriodState {
                submission,
                skip,
                count: 0,
                hasher: Sha256::new(),
                revision,
                replaced,
                victims: Vec::new(),
                suspects: Vec::new(),
                prosecutions: Vec::new(),
                decisions: Vec::new(),
            },
        );
        Ok(())
    }
}

/// Calls `f` with `values` as a slice, held on the stack (no allocation per row) when there are
/// no more than a record type has columns.
fn with_values<'v, T>(values: impl ExactSizeIterator<Item = &'v str>, f: impl FnOnce(&[&'v str]) -> T) -> T {
    const MAX: usize = 64;
    if values.len() <= MAX {
        let mut held = [""; MAX];
        let mut n = 0;
        for (slot, value) in held.iter_mut().zip(values) {
            *slot = value;
            n += 1;
        }
        f(&held[..n])
    } else {
        f(&values.collect::<Vec<_>>())
    }
}

/// Encodes a record into the buffers of a written one if there is one (`reuse`).
fn encode<R: Storable>(record: &model::Valid<R>, reuse: &mut Vec<Encoded<R>>) -> store::Result<Encoded<R>> {
    match reuse.pop() {
        Some(mut spent) => spent.renew(record).map(|()| spent),
        None => Encoded::new(record),
    }
}

/// Writes a period's buffered records, and keeps them in `spent` for their buffers.
fn flush(imp: &mut Import<'_>, st: &mut PeriodState, spent: &mut Spent) -> Result<()> {
    if st.skip {
        return Ok(());
    }
    let id = st.submission.id;
    imp.insert_encoded(id, &st.victims)?;
    spent.victims.append(&mut st.victims);
    imp.insert_encoded(id, &st.suspects)?;
    spent.suspects.append(&mut st.suspects);
    imp.insert_encoded(id, &st.prosecutions)?;
    spent.prosecutions.append(&mut st.prosecutions);
    imp.insert_encoded(id, &st.decisions)?;
    spent.decisions.append(&mut st.decisions);
    Ok(())
}

/// The record type whose canonical columns are exactly the header's (in any order).
pub fn canonical_type(headers: &[String]) -> Option<RecordType> {
    let fits =
        |cols: &[&str]| headers.len() == cols.len() && cols.iter().all(|c| headers.iter().any(|h| h == c));
    if fits(VictimRegistration::COLUMNS) {
        Some(RecordType::Victim)
    } else if fits(Suspect::COLUMNS) {
        Some(RecordType::Suspect)
    } else if fits(Prosecution::COLUMNS) {
        Some(RecordType::Prosecution)
    } else if fits(CourtDecision::COLUMNS) {
        Some(RecordType::CourtDecision)
    } else {
        None
    }
}

fn canonical_positions<R: ModelRecord>(headers: &[String]) -> Option<Vec<usize>> {
    R::COLUMNS.iter().map(|c| headers.iter().position(|h| h == c)).collect()
}
