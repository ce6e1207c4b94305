//! Embeds every file of `data/codelists` and `data/crosswalks` into the `model` crate, so the
//! binary always carries the codelist bundle it was built with.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let data = manifest.join("../../data");
    let mut files = Vec::new();
    for dir in ["codelists", "crosswalks"] {
        let path = data.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let entries =
            std::fs::read_dir(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for entry in entries {
            let entry = entry.expect("readable directory entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".csv") || name.ends_with(".toml") {
                let abs = entry.path().canonicalize().expect("canonical path");
                println!("cargo:rerun-if-changed={}", abs.display());
                files.push((format!("{dir}/{name}"), abs));
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Embedded data files: (path relative to `data/`, contents).\npub(crate) static EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for (rel, abs) in &files {
        writeln!(out, "    ({rel:?}, include_str!({:?})),", abs.display().to_string())
            .expect("write to string");
    }
    out.push_str("];\n");
    let out_path = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(out_path, out).expect("write embedded.rs");
}
