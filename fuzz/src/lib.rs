//! Helpers shared by the fuzz targets: the readers open files by path, so each input is written
//! to a scratch file (one per process, overwritten) and read through `ingest::read::open`.

use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};

use ingest::read::{ReadOptions, open};

/// A scratch directory for this process, removed by nobody: it holds one small file per
/// extension, overwritten by every input.
fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("mosy-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

/// Writes `data` to a scratch file with extension `ext` and reads it whole with each of
/// `options`: errors are fine, panics, hangs and runaway memory are not.
pub fn read_as(data: &[u8], ext: &str, options: &[ReadOptions]) {
    let path = scratch_dir().join(format!("input.{ext}"));
    std::fs::write(&path, data).expect("write the scratch file");
    for opts in options {
        let Ok(mut source) = open(&path, opts) else { continue };
        let columns = source.headers().len();
        let _ = source.describe();
        let mut total = 0usize;
        while let Ok(true) = source.advance() {
            assert!(source.row() > 0);
            for i in 0..columns.max(source.len()) + 1 {
                total = total.wrapping_add(source.value(i).len());
            }
        }
        std::hint::black_box(total);
    }
}

/// libFuzzer aborts on any panic, on any thread. calamine 0.38 does unchecked `u32` arithmetic
/// on cell references (tafia/calamine#709, fixed upstream by #705 but not yet released): with the
/// overflow checks of fuzz builds a crafted `r="AAAAAAAAA1"` panics. `ingest` runs calamine on
/// its own worker thread, so such a panic ends the worker and the caller gets
/// `ReadError::Xlsx` (see the `xlsx_overflowing_cell_references_do_not_panic_the_caller` test);
/// release builds, without overflow checks, wrap instead of panicking. This hook lets exactly that
/// class through: an arithmetic-overflow panic located in calamine, on the ingest worker thread.
/// Every other panic (in ingest, in calamine for any other reason, anywhere else) still aborts.
/// Remove it once calamine is bumped to a release with the fix.
pub fn tolerate_calamine_overflow_on_worker() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_worker = std::thread::current().name() == Some(ingest::read::XLSX_WORKER_THREAD);
            let in_calamine = info.location().is_some_and(|l| l.file().contains("/calamine-"));
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                .unwrap_or("");
            let overflow = message.starts_with("attempt to ") && message.ends_with(" with overflow");
            if !(on_worker && in_calamine && overflow) {
                fuzzer_hook(info);
            }
        }));
    });
}
