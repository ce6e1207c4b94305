//! CSV output: `providers.csv` and one file per record type in the model's canonical text form
//! (header = [`ModelRecord::COLUMNS`], rows written by [`ModelRecord::write`]).
//!
//! Records are written as the generator makes them, through buffered writers, so memory stays
//! flat whatever the number of records. Two threads each run the same seeded generator, one
//! writing victims and the other the offender-side files: each file is written by one thread in
//! generation order, so output is byte-identical for identical parameters.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use model::ModelCode as _;
use model::{Codelists, CourtDecision, DataProvider, ModelRecord, Prosecution, Suspect, VictimRegistration};

use crate::{Error, Generator, Params, Sink, Summary};

pub use model::text::PROVIDER_COLUMNS;

const BUF: usize = 1 << 20;

/// One CSV file being written.
struct Out<W: Write> {
    path: PathBuf,
    csv: csv::Writer<W>,
}

impl Out<BufWriter<File>> {
    fn create(dir: &Path, name: &str) -> Result<Self, Error> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        Ok(Out::new(path, BufWriter::with_capacity(BUF, file)))
    }
}

impl<W: Write> Out<W> {
    fn new(path: PathBuf, w: W) -> Self {
        Out { path, csv: csv::WriterBuilder::new().has_headers(false).from_writer(w) }
    }

    fn err(&self, source: csv::Error) -> Error {
        Error::Csv { path: self.path.clone(), source }
    }

    fn header(&mut self, columns: &[&str]) -> Result<(), Error> {
        self.csv.write_record(columns).map_err(|e| self.err(e))
    }

    fn record<R: ModelRecord>(&mut self, r: &R) -> Result<(), Error> {
        let mut failed = None;
        let csv = &mut self.csv;
        r.write(&mut |field: &str| {
            if failed.is_none()
                && let Err(e) = csv.write_field(field)
            {
                failed = Some(e);
            }
        });
        if let Some(e) = failed {
            return Err(self.err(e));
        }
        self.csv.write_record(None::<&[u8]>).map_err(|e| self.err(e))
    }

    fn finish(self) -> Result<(), Error> {
        let path = self.path;
        let mut w =
            self.csv.into_inner().map_err(|e| Error::Io { path: path.clone(), source: e.into_error() })?;
        w.flush().map_err(|source| Error::Io { path, source })
    }
}

/// Writes victim registrations and ignores the rest.
struct VictimFile<W: Write>(Out<W>);

impl<W: Write> Sink for VictimFile<W> {
    type Error = Error;
    fn victim(&mut self, record: VictimRegistration) -> Result<(), Error> {
        self.0.record(&record)
    }
    fn suspect(&mut self, _: Suspect) -> Result<(), Error> {
        Ok(())
    }
    fn prosecution(&mut self, _: Prosecution) -> Result<(), Error> {
        Ok(())
    }
    fn court_decision(&mut self, _: CourtDecision) -> Result<(), Error> {
        Ok(())
    }
}

/// Writes the offender-side records and ignores victims.
struct OffenceFiles<W: Write> {
    suspects: Out<W>,
    prosecutions: Out<W>,
    court_decisions: Out<W>,
}

impl<W: Write> Sink for OffenceFiles<W> {
    type Error = Error;
    fn victim(&mut self, _: VictimRegistration) -> Result<(), Error> {
        Ok(())
    }
    fn suspect(&mut self, record: Suspect) -> Result<(), Error> {
        self.suspects.record(&record)
    }
    fn prosecution(&mut self, record: Prosecution) -> Result<(), Error> {
        self.prosecutions.record(&record)
    }
    fn court_decision(&mut self, record: CourtDecision) -> Result<(), Error> {
        self.court_decisions.record(&record)
    }
}

/// The four record files of a run.
struct Files<W: Write> {
    victims: Out<W>,
    suspects: Out<W>,
    prosecutions: Out<W>,
    court_decisions: Out<W>,
}

/// Runs `generator` and writes its records to `files`.
///
/// Formatting the CSV costs more than generating the records, so the work is split over two
/// threads that share nothing: each runs the same deterministic generator (same seed, same
/// record stream); one writes the victim file, the other the three offender-side files. Each
/// file is written by one thread in generation order, so the bytes do not depend on scheduling,
/// and nothing is buffered between threads, so memory stays flat.
fn run<W: Write + Send>(generator: &Generator, files: Files<W>) -> Result<Summary, Error> {
    let Files { mut victims, mut suspects, mut prosecutions, mut court_decisions } = files;
    victims.header(VictimRegistration::COLUMNS)?;
    suspects.header(Suspect::COLUMNS)?;
    prosecutions.header(Prosecution::COLUMNS)?;
    court_decisions.header(CourtDecision::COLUMNS)?;
    std::thread::scope(|scope| {
        let victim_thread = scope.spawn(move || -> Result<Summary, Error> {
            let mut sink = VictimFile(victims);
            let summary = generator.run(&mut sink)?;
            sink.0.finish()?;
            Ok(summary)
        });
        let mut sink = OffenceFiles { suspects, prosecutions, court_decisions };
        let offences = generator.run(&mut sink).and_then(|summary| {
            sink.suspects.finish()?;
            sink.prosecutions.finish()?;
            sink.court_decisions.finish()?;
            Ok(summary)
        });
        let victims = victim_thread.join().unwrap_or(Err(Error::WriterStopped));
        let (victims, offences) = (victims?, offences?);
        debug_assert_eq!(victims, offences, "both passes generate the same records");
        Ok(offences)
    })
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the provider register as CSV ([`PROVIDER_COLUMNS`]) to `w`.
pub fn write_providers<W: Write>(providers: &[DataProvider], w: W) -> Result<(), csv::Error> {
    let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(w);
    csv.write_record(PROVIDER_COLUMNS)?;
    for p in providers {
        let submits = p.submits.iter().map(|t| t.code()).collect::<Vec<_>>().join("|");
        csv.write_record([
            p.id.as_str(),
            &p.name,
            p.provider_type.code(),
            p.country.as_str(),
            p.nuts.as_ref().map_or("", |n| n.as_str()),
            if p.can_formally_identify { "true" } else { "false" },
            &submits,
            &date(p.valid_from),
            &p.valid_to.map(date).unwrap_or_default(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

/// Generates the data of `params` into `dir` (which must exist): `providers.csv`, `victims.csv`,
/// `suspects.csv`, `prosecutions.csv` and `court_decisions.csv`, overwriting them.
///
/// Streams: memory does not grow with [`Params::victims`].
pub fn write_csv(params: &Params, lists: &Codelists, dir: &Path) -> Result<Summary, Error> {
    let generator = Generator::new(params, lists)?;
    let path = dir.join("providers.csv");
    let file = File::create(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
    write_providers(generator.providers(), BufWriter::new(file))
        .map_err(|source| Error::Csv { path, source })?;
    let files = Files {
        victims: Out::create(dir, "victims.csv")?,
        suspects: Out::create(dir, "suspects.csv")?,
        prosecutions: Out::create(dir, "prosecutions.csv")?,
        court_decisions: Out::create(dir, "court_decisions.csv")?,
    };
    let summary = run(&generator, files)?;
    tracing::info!(dir = %dir.display(), victims = summary.victims, suspects = summary.suspects,
        prosecutions = summary.prosecutions, court_decisions = summary.court_decisions, "synthetic CSV written");
    Ok(summary)
}

/// Generates the data of `params` as CSV into four writers (no provider file); for benchmarks
/// and for callers that stream elsewhere than to files.
pub fn write_csv_to<W: Write + Send>(
    params: &Params,
    lists: &Codelists,
    victims: W,
    suspects: W,
    prosecutions: W,
    court_decisions: W,
) -> Result<Summary, Error> {
    let generator = Generator::new(params, lists)?;
    let files = Files {
        victims: Out::new(PathBuf::from("victims.csv"), victims),
        suspects: Out::new(PathBuf::from("suspects.csv"), suspects),
        prosecutions: Out::new(PathBuf::from("prosecutions.csv"), prosecutions),
        court_decisions: Out::new(PathBuf::from("court_decisions.csv"), court_decisions),
    };
    run(&generator, files)
}
