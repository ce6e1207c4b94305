//! CSV output: `providers.csv` and one file per record type in the model's canonical text form
//! (header = [`ModelRecord::COLUMNS`], rows written by [`ModelRecord::write`]).
//!
//! Records are written as the generator makes them, through buffered writers and bounded
//! channels to two writer threads, so memory stays flat whatever the number of records. Each
//! file is written by one thread in generation order: output is byte-identical for identical
//! parameters.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use chrono::NaiveDate;
use model::ModelCode as _;
use model::{Codelists, CourtDecision, DataProvider, ModelRecord, Prosecution, Suspect, VictimRegistration};

use crate::{Error, Generator, Params, Sink, Summary};

/// Columns of `providers.csv`; `submits` joins record type codes with `|`.
pub const PROVIDER_COLUMNS: &[&str] = &[
    "provider_id",
    "name",
    "provider_type",
    "country",
    "nuts",
    "can_formally_identify",
    "submits",
    "valid_from",
    "valid_to",
];

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
        let mut w = self.csv.into_inner().map_err(|e| Error::Io { path: path.clone(), source: e.into_error() })?;
        w.flush().map_err(|source| Error::Io { path, source })
    }
}

/// Records per batch handed from the generator to a writer thread.
const BATCH: usize = 1024;
/// Batches in flight per writer thread (bounds memory).
const DEPTH: usize = 4;

/// An offender-side record, written by the second writer thread.
enum Offence {
    Suspect(Suspect),
    Prosecution(Prosecution),
    CourtDecision(CourtDecision),
}

/// Sends full batches to a writer thread and takes written ones back.
///
/// Written batches come back so that their records are freed, and their buffers reused, on the
/// generating thread: freeing on the writer threads makes the allocator's locks contended.
struct Channel<T> {
    to_writer: SyncSender<Vec<T>>,
    back: Receiver<Vec<T>>,
}

impl<T> Channel<T> {
    fn send(&self, batch: &mut Vec<T>) -> Result<(), Error> {
        let mut next = match self.back.try_recv() {
            Ok(mut written) => {
                written.clear();
                written
            }
            Err(_) => Vec::with_capacity(BATCH),
        };
        std::mem::swap(batch, &mut next);
        self.to_writer.send(next).map_err(|_| Error::WriterStopped)
    }
}

/// The writer's end of a [`Channel`].
struct WriterEnd<T> {
    from_generator: Receiver<Vec<T>>,
    back: SyncSender<Vec<T>>,
}

impl<T> WriterEnd<T> {
    /// Calls `write` on every record of every batch, in order.
    fn each(self, mut write: impl FnMut(&T) -> Result<(), Error>) -> Result<(), Error> {
        for batch in self.from_generator {
            for r in &batch {
                write(r)?;
            }
            // When the generator has not taken earlier batches back yet, free this one here.
            let _ = self.back.try_send(batch);
        }
        Ok(())
    }
}

fn channel<T>() -> (Channel<T>, WriterEnd<T>) {
    let (to_writer, from_generator) = sync_channel(DEPTH);
    let (back, back_rx) = sync_channel(DEPTH + 2);
    (Channel { to_writer, back: back_rx }, WriterEnd { from_generator, back })
}

/// Batches records and hands them to the two writer threads.
struct Batches {
    victims: Vec<VictimRegistration>,
    others: Vec<Offence>,
    tx_victims: Channel<VictimRegistration>,
    tx_others: Channel<Offence>,
}

impl Batches {
    fn flush_victims(&mut self) -> Result<(), Error> {
        self.tx_victims.send(&mut self.victims)
    }

    fn flush_others(&mut self) -> Result<(), Error> {
        self.tx_others.send(&mut self.others)
    }

    fn other(&mut self, r: Offence) -> Result<(), Error> {
        self.others.push(r);
        if self.others.len() >= BATCH { self.flush_others() } else { Ok(()) }
    }
}

impl Sink for Batches {
    type Error = Error;
    fn victim(&mut self, record: VictimRegistration) -> Result<(), Error> {
        self.victims.push(record);
        if self.victims.len() >= BATCH { self.flush_victims() } else { Ok(()) }
    }
    fn suspect(&mut self, record: Suspect) -> Result<(), Error> {
        self.other(Offence::Suspect(record))
    }
    fn prosecution(&mut self, record: Prosecution) -> Result<(), Error> {
        self.other(Offence::Prosecution(record))
    }
    fn court_decision(&mut self, record: CourtDecision) -> Result<(), Error> {
        self.other(Offence::CourtDecision(record))
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
/// The generator runs on the calling thread; victims are formatted and written on one thread
/// and the offender-side records on another, each file in generation order, so the bytes do not
/// depend on scheduling. Channels of a few batches keep memory flat.
fn run<W: Write + Send>(generator: &Generator, files: Files<W>) -> Result<Summary, Error> {
    let Files { mut victims, mut suspects, mut prosecutions, mut court_decisions } = files;
    std::thread::scope(|scope| {
        let (tx_victims, rx_victims) = channel::<VictimRegistration>();
        let (tx_others, rx_others) = channel::<Offence>();
        let victim_writer = scope.spawn(move || -> Result<(), Error> {
            victims.header(VictimRegistration::COLUMNS)?;
            rx_victims.each(|r| victims.record(r))?;
            victims.finish()
        });
        let other_writer = scope.spawn(move || -> Result<(), Error> {
            suspects.header(Suspect::COLUMNS)?;
            prosecutions.header(Prosecution::COLUMNS)?;
            court_decisions.header(CourtDecision::COLUMNS)?;
            rx_others.each(|r| match r {
                Offence::Suspect(r) => suspects.record(r),
                Offence::Prosecution(r) => prosecutions.record(r),
                Offence::CourtDecision(r) => court_decisions.record(r),
            })?;
            suspects.finish()?;
            prosecutions.finish()?;
            court_decisions.finish()
        });
        let mut sink = Batches {
            victims: Vec::with_capacity(BATCH),
            others: Vec::with_capacity(BATCH),
            tx_victims,
            tx_others,
        };
        let generated = generator.run(&mut sink).and_then(|summary| {
            sink.flush_victims()?;
            sink.flush_others()?;
            Ok(summary)
        });
        // Closing the channels lets the writers finish.
        drop(sink);
        let written_victims = victim_writer.join().unwrap_or(Err(Error::WriterStopped));
        let written_others = other_writer.join().unwrap_or(Err(Error::WriterStopped));
        // A writer's own error explains a generator's `WriterStopped`, so it comes first.
        written_victims?;
        written_others?;
        generated
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
    write_providers(generator.providers(), BufWriter::new(file)).map_err(|source| Error::Csv { path, source })?;
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
