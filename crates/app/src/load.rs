//! Loading a directory of canonical CSV files (`providers.csv`, `victims.csv`, `suspects.csv`,
//! `prosecutions.csv`, `court_decisions.csv`) into a hub database.
//!
//! The provider register is upserted first; then every record is validated against the model
//! and the register. On any invalid row nothing is stored (the hub's default policy). Valid
//! records become one submission per provider and quarter, each written in one transaction.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use model::codes::SubmissionAction;
use model::{
    Batch, Codelists, Context, CourtDecision, ModelRecord, Period, Prosecution, ProviderId, Submission,
    SubmissionStatus, Suspect, Valid, VictimRegistration,
};
use sha2::{Digest, Sha256};
use store::Store;

use crate::{Error, Result};

/// File names of a canonical dataset directory.
pub const PROVIDERS_FILE: &str = "providers.csv";
/// Victim registrations.
pub const VICTIMS_FILE: &str = "victims.csv";
/// Suspects.
pub const SUSPECTS_FILE: &str = "suspects.csv";
/// Prosecutions.
pub const PROSECUTIONS_FILE: &str = "prosecutions.csv";
/// Court decisions.
pub const COURT_DECISIONS_FILE: &str = "court_decisions.csv";

/// Namespace of submission ids (UUID v5 over provider, period and content hash).
const SUBMISSION_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6d6f_7379_2d73_7562_6d69_7373_696f_6e00);

/// What a load stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Providers upserted.
    pub providers: usize,
    /// Submissions written.
    pub submissions: usize,
    /// Records written per type: victims, suspects, prosecutions, court decisions.
    pub records: [usize; 4],
}

/// Loads the canonical files in `dir` into `store`.
#[tracing::instrument(skip_all)]
pub fn load_dir(
    store: &mut Store,
    dir: &Path,
    lists: &Codelists,
    reporting_country: &str,
    as_of: NaiveDate,
) -> Result<LoadReport> {
    let country = model::Code::parse(reporting_country, lists)
        .ok_or_else(|| Error::UnknownCountry(reporting_country.to_owned()))?;
    let providers = load_providers(store, &dir.join(PROVIDERS_FILE), lists)?;
    let register: BTreeMap<ProviderId, model::DataProvider> =
        providers.iter().map(|p| (p.id.clone(), p.clone())).collect();
    let ctx = Context { reporting_country: country, as_of, providers: Some(&register) };

    let mut invalid = Vec::new();
    let victims = read::<VictimRegistration>(&dir.join(VICTIMS_FILE), lists, &ctx, &mut invalid)?;
    let suspects = read::<Suspect>(&dir.join(SUSPECTS_FILE), lists, &ctx, &mut invalid)?;
    let prosecutions = read::<Prosecution>(&dir.join(PROSECUTIONS_FILE), lists, &ctx, &mut invalid)?;
    let decisions = read::<CourtDecision>(&dir.join(COURT_DECISIONS_FILE), lists, &ctx, &mut invalid)?;
    if let Some(first) = invalid.first() {
        return Err(Error::InvalidRows { count: invalid.len(), first: first.clone() });
    }

    let mut groups: BTreeMap<(ProviderId, Period), Batch> = BTreeMap::new();
    let records = [victims.len(), suspects.len(), prosecutions.len(), decisions.len()];
    group(&mut groups, victims, |b| &mut b.victims);
    group(&mut groups, suspects, |b| &mut b.suspects);
    group(&mut groups, prosecutions, |b| &mut b.prosecutions);
    group(&mut groups, decisions, |b| &mut b.court_decisions);

    let mut report = LoadReport { providers: providers.len(), submissions: 0, records };
    for ((provider_id, period), batch) in groups {
        let sha256 = batch_hash(&batch);
        let id = uuid::Uuid::new_v5(
            &SUBMISSION_NAMESPACE,
            format!("{provider_id}|{period}|{}", hex::encode(sha256)).as_bytes(),
        );
        // Deterministic receipt time: 20 days after the quarter, never after the extraction date.
        let received = (period.last_day() + chrono::Days::new(20)).min(as_of);
        let submission = Submission {
            id,
            provider_id,
            period,
            schema_version: model::SCHEMA_VERSION.to_owned(),
            codelist_version: lists.version().to_owned(),
            submitted_at: Utc.from_utc_datetime(&received.and_time(NaiveTime::MIN)),
            action: SubmissionAction::Replace,
            record_count: u32::try_from(batch.len()).unwrap_or(u32::MAX),
            sha256,
        };
        store.insert_submission(&submission, SubmissionStatus::Accepted, &batch)?;
        report.submissions += 1;
    }
    tracing::info!(submissions = report.submissions, "dataset loaded");
    Ok(report)
}

/// Registers (or updates) every provider of a provider register file; all or nothing.
pub fn load_providers(store: &mut Store, path: &Path, lists: &Codelists) -> Result<Vec<model::DataProvider>> {
    let (providers, provider_errors) = ingest::read_providers(path, lists)?;
    if let Some(first) = provider_errors.first() {
        return Err(Error::InvalidRows {
            count: provider_errors.len(),
            first: format!("{}: {first}", path.display()),
        });
    }
    for p in &providers {
        store.upsert_provider(p)?;
    }
    Ok(providers)
}

fn read<R: ModelRecord>(
    path: &Path,
    lists: &Codelists,
    ctx: &Context<'_>,
    invalid: &mut Vec<String>,
) -> Result<Vec<Valid<R>>> {
    let outcome = ingest::read_records::<R>(path, lists, ctx)?;
    invalid.extend(outcome.errors.iter().map(|e| format!("{}: {e}", path.display())));
    Ok(outcome.valid)
}

fn group<R: ModelRecord>(
    groups: &mut BTreeMap<(ProviderId, Period), Batch>,
    records: Vec<Valid<R>>,
    slot: impl Fn(&mut Batch) -> &mut Vec<Valid<R>>,
) {
    for r in records {
        let key = (r.provider_id().clone(), Period::of_date(r.reference_date()));
        slot(groups.entry(key).or_default()).push(r);
    }
}

/// SHA-256 over the canonical text of every record of the batch, in a fixed order.
fn batch_hash(batch: &Batch) -> [u8; 32] {
    let mut h = Sha256::new();
    fn feed<R: ModelRecord>(h: &mut Sha256, records: &[Valid<R>]) {
        h.update(R::TYPE.to_string().as_bytes());
        h.update(b"\n");
        for r in records {
            r.write(&mut |s| {
                h.update(s.as_bytes());
                h.update(b"\x1f");
            });
            h.update(b"\n");
        }
    }
    feed(&mut h, &batch.victims);
    feed(&mut h, &batch.suspects);
    feed(&mut h, &batch.prosecutions);
    feed(&mut h, &batch.court_decisions);
    h.finalize().into()
}
