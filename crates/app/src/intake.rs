//! `mosy import`: one provider's files into submissions at the hub.
//!
//! The pipeline streams every row through: the personal-data guard (every cell), the provider's
//! mapping profile (or the canonical columns), the model's rules, and into the store — all inside
//! ONE write transaction, so an import is all or nothing (a crash or `kill -9` leaves the store as
//! it was). Records are grouped into one submission per quarter of their reference date; a
//! resubmitted period replaces the earlier revision, and the same files imported twice change
//! nothing. Under the default policy any problem rejects the whole import; under
//! `accept-valid` the valid rows are stored and the rest reported.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use ingest::profile::{MapIssue, Mapper, Profile};
use ingest::read::{ReadOptions, RowSource};
use model::code::Country;
use model::codes::{RecordType, SubmissionAction};
use model::text::parse_and_validate;
use model::{
    Code, Codelists, Context, CourtDecision, DataProvider, ModelRecord, Period, Prosecution, ProviderId,
    Submission, SubmissionStatus, Suspect, Valid, VictimRegistration,
};
use sha2::{Digest, Sha256};
use store::{Import, ImportOutcome, Storable, Store};

use crate::persons::{self, PersonStats};
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
    victims: Vec<Valid<VictimRegistration>>,
    suspects: Vec<Valid<Suspect>>,
    prosecutions: Vec<Valid<Prosecution>>,
    decisions: Vec<Valid<CourtDecision>>,
}

/// Per-record-type access to a period's buffer, and the message that carries a batch of them.
trait Buffered: ModelRecord + Storable + Sized + Send {
    fn buffer(state: &mut PeriodState) -> &mut Vec<Valid<Self>>;
    fn wrap(batch: Vec<Valid<Self>>) -> Msg;
}
impl Buffered for VictimRegistration {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Valid<Self>> {
        &mut s.victims
    }
    fn wrap(batch: Vec<Valid<Self>>) -> Msg {
        Msg::Victims(batch)
    }
}
impl Buffered for Suspect {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Valid<Self>> {
        &mut s.suspects
    }
    fn wrap(batch: Vec<Valid<Self>>) -> Msg {
        Msg::Suspects(batch)
    }
}
impl Buffered for Prosecution {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Valid<Self>> {
        &mut s.prosecutions
    }
    fn wrap(batch: Vec<Valid<Self>>) -> Msg {
        Msg::Prosecutions(batch)
    }
}
impl Buffered for CourtDecision {
    fn buffer(s: &mut PeriodState) -> &mut Vec<Valid<Self>> {
        &mut s.decisions
    }
    fn wrap(batch: Vec<Valid<Self>>) -> Msg {
        Msg::Decisions(batch)
    }
}

/// What the scanning thread hands to the writing thread.
enum Msg {
    Victims(Vec<Valid<VictimRegistration>>),
    Suspects(Vec<Valid<Suspect>>),
    Prosecutions(Vec<Valid<Prosecution>>),
    Decisions(Vec<Valid<CourtDecision>>),
    /// Rows read since the last message (for the progress bar).
    Rows(u64),
}

/// Valid records per message from the scanner to the writer.
const BATCH: usize = 1024;

/// The scanning side: reads, guards, maps and validates every row, on its own thread, and sends
/// valid records to the writer. It owns the report.
struct Scan<'r> {
    req: &'r ImportRequest<'r>,
    lists: &'r Codelists,
    register: &'r BTreeMap<ProviderId, DataProvider>,
    report: Report,
    tx: std::sync::mpsc::SyncSender<Msg>,
    /// The writer stopped (it failed): stop scanning.
    writer_gone: bool,
}

/// The writing side: opens submissions, hashes and buffers records per period, writes them, all
/// inside the one transaction (`imp`), on the calling thread.
struct Run<'r, 's> {
    req: &'r ImportRequest<'r>,
    lists: &'r Codelists,
    file_sha: [u8; 32],
    imp: Import<'s>,
    periods: BTreeMap<Period, PeriodState>,
    /// Records buffered across all periods; every period is flushed when it reaches [`CHUNK`].
    buffered: usize,
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
    let file_sha = files_hash(req)?;
    let (report, outcomes) = match stream(store, lists, req, &register, file_sha, progress)? {
        Streamed::Rejected(report) => {
            return Ok(ImportResult { report, committed: false, periods: Vec::new(), persons: None });
        }
        Streamed::Committed(report, outcomes) => (report, outcomes),
    };
    let changed = outcomes.iter().any(|o| matches!(o, PeriodOutcome::Stored { .. }));
    let persons = if changed { Some(persons::recompute(store)?) } else { None };
    tracing::info!(periods = outcomes.len(), "import committed");
    Ok(ImportResult { report, committed: true, periods: outcomes, persons })
}

enum Streamed {
    Rejected(Report),
    Committed(Report, Vec<PeriodOutcome>),
}

/// Streams every file into one write transaction; commits it unless the import is rejected.
fn stream(
    store: &mut Store,
    lists: &Codelists,
    req: &ImportRequest<'_>,
    register: &BTreeMap<ProviderId, DataProvider>,
    file_sha: [u8; 32],
    progress: &mut dyn FnMut(u64),
) -> Result<Streamed> {
    let imp = store.begin_import()?;
    let mut run = Run { req, lists, file_sha, imp, periods: BTreeMap::new(), buffered: 0 };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Msg>(16);
    let (written, scanned) = std::thread::scope(|scope| {
        let scanner = scope.spawn(move || {
            let mut scan = Scan { req, lists, register, report: Report::default(), tx, writer_gone: false };
            for file in &req.files {
                scan.file(file)?;
            }
            Ok::<Report, Error>(scan.report)
        });
        let written = run.consume(&rx, progress);
        // If writing failed, the scanner's next send fails and it stops.
        drop(rx);
        let scanned = scanner.join().unwrap_or(Err(Error::ScannerPanicked));
        (written, scanned)
    });
    written?;
    let report = scanned?;
    let accept = report.is_clean() || (req.policy == Policy::AcceptValid && !report.has_personal_data());
    if !accept {
        // Dropping the import rolls the transaction back: nothing of this run is stored.
        tracing::info!(problems = report.total(), "import rejected");
        return Ok(Streamed::Rejected(report));
    }
    let mut outcomes = Vec::new();
    let periods = std::mem::take(&mut run.periods);
    for (period, mut st) in periods {
        run.flush(&mut st)?;
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
    run.imp.commit()?;
    Ok(Streamed::Committed(report, outcomes))
}

/// SHA-256 over every file's bytes (and the profile's id and version): the "same files" test.
fn files_hash(req: &ImportRequest<'_>) -> Result<[u8; 32]> {
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
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(h.finalize().into())
}

impl Run<'_, '_> {
    /// Writes what the scanner sends until it is done (or this fails).
    fn consume(&mut self, rx: &std::sync::mpsc::Receiver<Msg>, progress: &mut dyn FnMut(u64)) -> Result<()> {
        for msg in rx {
            match msg {
                Msg::Victims(batch) => batch.into_iter().try_for_each(|r| self.keep(r))?,
                Msg::Suspects(batch) => batch.into_iter().try_for_each(|r| self.keep(r))?,
                Msg::Prosecutions(batch) => batch.into_iter().try_for_each(|r| self.keep(r))?,
                Msg::Decisions(batch) => batch.into_iter().try_for_each(|r| self.keep(r))?,
                Msg::Rows(n) => progress(n),
            }
        }
        Ok(())
    }
}

impl Scan<'_> {
    fn send(&mut self, msg: Msg) {
        if !self.writer_gone && self.tx.send(msg).is_err() {
            self.writer_gone = true;
        }
    }

    fn file(&mut self, path: &Path) -> Result<()> {
        let mut src = ingest::read::open(path, &self.req.read)?;
        let record_type = match self.req.profile {
            Some(p) => p.record_type(),
            None => canonical_type(src.headers()).ok_or_else(|| Error::UnknownLayout(path.to_owned()))?,
        };
        match record_type {
            RecordType::Victim => self.rows::<VictimRegistration>(path, src.as_mut()),
            RecordType::Suspect => self.rows::<Suspect>(path, src.as_mut()),
            RecordType::Prosecution => self.rows::<Prosecution>(path, src.as_mut()),
            RecordType::CourtDecision => self.rows::<CourtDecision>(path, src.as_mut()),
        }
    }

    fn rows<R: Buffered>(&mut self, path: &Path, src: &mut dyn RowSource) -> Result<()> {
        let file = path.display().to_string();
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
        let ctx = Context {
            reporting_country: self.req.reporting_country,
            as_of: self.req.as_of,
            providers: Some(self.register),
        };
        let mut canon: Vec<String> = Vec::with_capacity(R::COLUMNS.len());
        let mut issues: Vec<MapIssue> = Vec::new();
        let mut since_progress = 0u64;
        let mut batch: Vec<Valid<R>> = Vec::with_capacity(BATCH);
        while src.advance()? {
            let row = src.row();
            self.report.rows_read += 1;
            since_progress += 1;
            if since_progress == 10_000 {
                self.send(Msg::Rows(since_progress));
                since_progress = 0;
            }
            if self.writer_gone {
                break;
            }
            if self.guard(&file, row, &headers, src) {
                continue;
            }
            let parsed = match &mapper {
                Some(m) => {
                    issues.clear();
                    m.map_row(&|i| src.value(i), &mut canon, &mut issues);
                    if !issues.is_empty() {
                        for i in &issues {
                            self.report.push(Issue {
                                file: file.clone(),
                                row: Some(row),
                                column: i.column.clone(),
                                field: Some(i.field.to_owned()),
                                rule: i.rule.code().to_owned(),
                                hint: i.hint.clone(),
                            });
                        }
                        continue;
                    }
                    let values: Vec<&str> = canon.iter().map(String::as_str).collect();
                    parse_and_validate::<R>(&values, row, self.lists, &ctx)
                }
                None => {
                    let vals: Vec<&str> = positions.iter().map(|&p| src.value(p)).collect();
                    parse_and_validate::<R>(&vals, row, self.lists, &ctx)
                }
            };
            match parsed {
                Ok(rec) if rec.provider_id() != &self.req.provider => self.report.push(Issue {
                    file: file.clone(),
                    row: Some(row),
                    column: None,
                    field: Some("provider_id".into()),
                    rule: "provider.not_submitter".into(),
                    hint: "a provider submits only its own records".into(),
                }),
                Ok(rec) => {
                    self.report.rows_valid += 1;
                    // Under reject-all, once a problem is known nothing will be stored: skip writing.
                    if self.req.policy == Policy::RejectAll && !self.report.is_clean() {
                        continue;
                    }
                    batch.push(rec);
                    if batch.len() >= BATCH {
                        self.send(R::wrap(std::mem::take(&mut batch)));
                    }
                }
                Err(e) => {
                    for v in &e.violations {
                        self.report.push(Issue {
                            file: file.clone(),
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
        if !batch.is_empty() {
            self.send(R::wrap(batch));
        }
        self.send(Msg::Rows(since_progress));
        Ok(())
    }

    /// Scans every cell for personal data; true if the row must be dropped.
    fn guard(&mut self, file: &str, row: u64, headers: &[String], src: &dyn RowSource) -> bool {
        let mut hit = false;
        for (c, name) in headers.iter().enumerate() {
            let v = src.value(c);
            if v.is_empty() {
                continue;
            }
            let kind = privacy::guard::scan_value(v).or_else(|| {
                privacy::guard::looks_like_personal_name(v)
                    .then_some(privacy::guard::IdentifierKind::PersonalName)
            });
            if let Some(kind) = kind {
                hit = true;
                self.report.push(Issue {
                    file: file.to_owned(),
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
    fn keep<R: Buffered>(&mut self, rec: Valid<R>) -> Result<()> {
        let period = Period::of_date(rec.reference_date());
        if !self.periods.contains_key(&period) {
            self.open(period)?;
        }
        let Some(st) = self.periods.get_mut(&period) else { return Ok(()) };
        if st.skip {
            return Ok(());
        }
        st.count += 1;
        rec.write(&mut |s| {
            st.hasher.update(s.as_bytes());
            st.hasher.update(b"\x1f");
        });
        st.hasher.update(b"\n");
        R::buffer(st).push(rec);
        self.buffered += 1;
        if self.buffered >= CHUNK {
            // Memory stays flat whatever the file size: write every period's buffer.
            for st in self.periods.values_mut() {
                if !st.skip {
                    let id = st.submission.id;
                    self.imp.insert(id, &std::mem::take(&mut st.victims))?;
                    self.imp.insert(id, &std::mem::take(&mut st.suspects))?;
                    self.imp.insert(id, &std::mem::take(&mut st.prosecutions))?;
                    self.imp.insert(id, &std::mem::take(&mut st.decisions))?;
                }
            }
            self.buffered = 0;
        }
        Ok(())
    }

    fn open(&mut self, period: Period) -> Result<()> {
        let id = uuid::Uuid::new_v5(
            &SUBMISSION_NAMESPACE,
            // The receipt time makes every import attempt a new id, so that re-importing files
            // that were superseded meanwhile (A, B, then A again) becomes a new revision.
            format!(
                "{}|{period}|{}|{}",
                self.req.provider,
                hex::encode(self.file_sha),
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
        let outcome = self.imp.open_submission(&submission, self.file_sha, SubmissionStatus::Validated)?;
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

    fn flush(&mut self, st: &mut PeriodState) -> Result<()> {
        if st.skip {
            return Ok(());
        }
        let id = st.submission.id;
        self.imp.insert(id, &std::mem::take(&mut st.victims))?;
        self.imp.insert(id, &std::mem::take(&mut st.suspects))?;
        self.imp.insert(id, &std::mem::take(&mut st.prosecutions))?;
        self.imp.insert(id, &std::mem::take(&mut st.decisions))?;
        Ok(())
    }
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
