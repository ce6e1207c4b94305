//! Helpers of the intake commands: reports, progress, submission lifecycle, profile coverage.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result};
use app::intake::{ImportResult, PeriodOutcome};
use app::report::Report;
use model::{Codelists, SubmissionStatus};

use crate::SubmissionCommand;

/// Writes a report as CSV or JSON, by the file's extension.
pub(crate) fn write_report(report: &Report, path: &Path) -> Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => report.write_json(&mut f)?,
        _ => report.write_csv(&mut f)?,
    }
    f.flush()?;
    Ok(())
}

/// A progress bar on standard error; drawn only when it is a terminal.
pub(crate) fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} rows  {per_sec}  {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar
}

/// Prints what an import did.
pub(crate) fn print_import(out: &mut dyn Write, r: &ImportResult) -> Result<()> {
    r.report.write_text(out, 20)?;
    if !r.committed {
        writeln!(out, "import REJECTED: nothing was stored")?;
        return Ok(());
    }
    for p in &r.periods {
        match p {
            PeriodOutcome::Stored { period, submission_id, revision, replaced, records } => {
                write!(
                    out,
                    "{period}: stored {records} record(s) as submission {submission_id}, revision {revision}"
                )?;
                if let Some(old) = replaced {
                    write!(out, " (replaces {old})")?;
                }
                writeln!(out)?;
            }
            PeriodOutcome::AlreadyStored { period, submission_id } => {
                writeln!(
                    out,
                    "{period}: the same files are already submission {submission_id}; nothing changed"
                )?;
            }
        }
    }
    if let Some(p) = r.persons {
        writeln!(
            out,
            "persons: {} registrations form {} persons ({} registered by more than one provider)",
            p.registrations, p.persons, p.multi_provider
        )?;
    }
    Ok(())
}

/// The `submission` subcommands.
pub(crate) fn submission(out: &mut dyn Write, command: SubmissionCommand, _lists: &Codelists) -> Result<()> {
    let (hub, change) = match command {
        SubmissionCommand::List { hub } => {
            let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
            writeln!(
                out,
                "{:<36}  {:<14}  {:<7}  {:>3}  {:<10}  {:>8}",
                "submission", "provider", "period", "rev", "status", "records"
            )?;
            for i in store.submission_infos()? {
                writeln!(
                    out,
                    "{:<36}  {:<14}  {:<7}  {:>3}  {:<10}  {:>8}",
                    i.submission.id.to_string(),
                    i.submission.provider_id.as_str(),
                    i.submission.period.to_string(),
                    i.revision,
                    i.status.as_str(),
                    i.submission.record_count
                )?;
            }
            return Ok(());
        }
        SubmissionCommand::Accept { id, hub } => (hub, (id, SubmissionStatus::Accepted, None)),
        SubmissionCommand::Reject { id, note, hub } => (hub, (id, SubmissionStatus::Rejected, note)),
        SubmissionCommand::Approve { id, hub } => (hub, (id, SubmissionStatus::Approved, None)),
        SubmissionCommand::Reopen { id, note, hub } => (hub, (id, SubmissionStatus::Accepted, Some(note))),
    };
    let mut store = crate::open_store(&hub.data_dir, hub.database_url.as_deref())?;
    let (id, to, note) = change;
    store.set_submission_status(id, to, note.as_deref())?;
    if matches!(to, SubmissionStatus::Rejected) {
        app::persons::recompute(&mut store)?;
    }
    writeln!(out, "submission {id}: {}", to.as_str())?;
    Ok(())
}

/// `mosy profile check`: coverage of a profile over a file.
pub(crate) fn profile_check(
    profile: &ingest::profile::Profile,
    file: &Path,
    read: &ingest::read::ReadOptions,
    lists: &Codelists,
) -> Result<String> {
    let mut src = ingest::read::open(file, read)?;
    let headers = src.headers().to_vec();
    let mapper = ingest::profile::Mapper::new(profile, &headers, lists, false)?;
    let mut coverage = ingest::profile::Coverage::new(&mapper);
    let mut out = Vec::new();
    let mut issues = Vec::new();
    while src.advance()? {
        issues.clear();
        mapper.map_row(&|i| src.value(i), &mut out, &mut issues);
        coverage.add_row(&mapper, &|i| src.value(i), &out, &issues);
    }
    Ok(format!("{}\n{}", src.describe(), coverage.render_text()))
}
