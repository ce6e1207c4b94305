//! Tidy checks over the whole repository.

use std::collections::BTreeMap;

use tidy::{rust_files, workspace_root};

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let root = workspace_root();
    let missing: Vec<String> = rust_files(&root)
        .into_iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a leading //! doc: {missing:#?}");
}

#[test]
fn no_stubs_or_ignored_tests() {
    let root = workspace_root();
    let needles = [concat!("todo", "!("), concat!("unimplemented", "!("), concat!("#[", "ignore")];
    let mut hits = Vec::new();
    for p in rust_files(&root) {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if needles.iter().any(|n| line.contains(n)) {
                hits.push(format!("{}:{}", p.display(), i + 1));
            }
        }
    }
    assert!(hits.is_empty(), "stubs or ignored tests: {hits:#?}");
}

/// Which workspace crates and which external crates each crate may depend on (normal dependencies).
#[test]
fn dependencies_point_one_way() {
    let root = workspace_root();
    let forbidden: BTreeMap<&str, &[&str]> =
        [
            (
                "model",
                &["store", "ingest", "synth", "app", "mosy", "rusqlite", "postgres", "clap", "tokio", "axum"]
                    [..],
            ),
            (
                "ingest",
                &["store", "synth", "app", "mosy", "rusqlite", "postgres", "clap", "tokio", "axum"][..],
            ),
            (
                "privacy",
                &["store", "ingest", "synth", "app", "mosy", "rusqlite", "postgres", "clap", "tokio", "axum"]
                    [..],
            ),
            (
                "synth",
                &["store", "ingest", "app", "mosy", "rusqlite", "postgres", "clap", "tokio", "axum"][..],
            ),
            ("store", &["ingest", "synth", "app", "mosy", "clap", "axum"][..]),
            ("app", &["mosy", "clap", "rusqlite", "postgres"][..]),
            (
                "stats",
                &[
                    "store", "ingest", "synth", "app", "reports", "sdc", "mosy", "rusqlite", "postgres",
                    "clap", "axum",
                ][..],
            ),
            (
                "sdc",
                &[
                    "model", "store", "stats", "reports", "app", "mosy", "rusqlite", "postgres", "clap",
                    "axum",
                ][..],
            ),
            (
                "charts",
                &[
                    "model", "store", "stats", "reports", "app", "mosy", "rusqlite", "postgres", "clap",
                    "axum",
                ][..],
            ),
            (
                "maps",
                &[
                    "model", "store", "stats", "reports", "app", "mosy", "rusqlite", "postgres", "clap",
                    "axum",
                ][..],
            ),
            (
                "reports",
                &["store", "ingest", "app", "formats", "mosy", "rusqlite", "postgres", "clap", "axum"][..],
            ),
            ("formats", &["store", "ingest", "app", "mosy", "rusqlite", "postgres", "clap", "axum"][..]),
            ("auth", &["model", "store", "app", "mosy", "rusqlite", "postgres", "clap", "axum", "tokio"][..]),
            ("i18n", &["store", "app", "mosy", "rusqlite", "postgres", "clap", "axum", "tokio"][..]),
            ("server", &["mosy", "clap", "rusqlite", "postgres"][..]),
            (
                "mse",
                &[
                    "model", "store", "stats", "reports", "app", "server", "mosy", "rusqlite", "postgres",
                    "clap", "axum", "tokio",
                ][..],
            ),
            (
                "analysis",
                &[
                    "model", "store", "stats", "reports", "app", "server", "mosy", "rusqlite", "postgres",
                    "clap", "axum", "tokio",
                ][..],
            ),
        ]
        .into_iter()
        .collect();
    let mut problems = Vec::new();
    for (krate, banned) in &forbidden {
        let dir = if *krate == "mosy" { "cli" } else { krate };
        let path = root.join("crates").join(dir).join("Cargo.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let manifest: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let deps = manifest.get("dependencies").and_then(|d| d.as_table()).cloned().unwrap_or_default();
        for name in deps.keys() {
            if banned.contains(&name.as_str()) {
                problems.push(format!("{krate} depends on {name}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn sql_only_in_store() {
    let root = workspace_root();
    let mut hits = Vec::new();
    for p in rust_files(&root) {
        if p.components().any(|c| c.as_os_str() == "store") || p.components().any(|c| c.as_os_str() == "tidy")
        {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        for needle in ["rusqlite::", "postgres::", "CREATE TABLE", "INSERT INTO", "SELECT "] {
            if text.contains(needle) {
                hits.push(format!("{}: {needle}", p.display()));
            }
        }
    }
    assert!(hits.is_empty(), "SQL outside the store crate: {hits:#?}");
}
