//! Embeds every `data/i18n/*.toml` into the `i18n` crate, so that adding a language means adding a
//! file. Each file is parsed here with the crate's own parser: a malformed one (or a file name
//! that is not a language tag, or a missing `en.toml`) fails the build with the file, the key and
//! the reason.

use std::fmt::Write as _;
use std::path::PathBuf;

#[allow(dead_code, unreachable_pub)]
#[path = "src/lang.rs"]
mod lang;
#[allow(dead_code, unreachable_pub)]
#[path = "src/message.rs"]
mod message;

fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../data/i18n");
    println!("cargo::rerun-if-changed={}", dir.display());
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| fail(format!("cannot read {}: {e}", dir.display())));
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| fail(format!("cannot read {}: {e}", dir.display())));
        let name = entry.file_name().to_string_lossy().into_owned();
        // Hidden files (editor backups and locks) are not message files.
        let Some(stem) = name.strip_suffix(".toml").filter(|_| !name.starts_with('.')) else { continue };
        let path = entry.path().canonicalize().unwrap_or_else(|e| fail(format!("data/i18n/{name}: {e}")));
        println!("cargo::rerun-if-changed={}", path.display());
        let lang = lang::Lang::parse(stem)
            .unwrap_or_else(|e| fail(format!("data/i18n/{name}: the name is not a language tag: {e}")));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("data/i18n/{name}: {e}")));
        if let Err(e) = message::Messages::parse(&text) {
            fail(format!("data/i18n/{name}: {e}"));
        }
        files.push((lang, name, path));
    }
    files.sort();
    if let Some(w) = files.windows(2).find(|w| w[0].0 == w[1].0) {
        fail(format!("data/i18n/{} and data/i18n/{} are the same language", w[0].1, w[1].1));
    }
    if !files.iter().any(|(lang, ..)| *lang == lang::Lang::EN) {
        fail("data/i18n/en.toml is missing: English is every language's fallback".to_owned());
    }
    let mut out = String::from(
        "/// The message files: (file name, contents), in language order.\n\
         pub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for (_, name, path) in &files {
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string())
            .expect("write to a String");
    }
    out.push_str("];\n");
    let out_path = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(&out_path, out)
        .unwrap_or_else(|e| fail(format!("cannot write {}: {e}", out_path.display())));
}
