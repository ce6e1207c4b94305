//! The embedded message files: every language has exactly the keys of `en.toml`, with the same
//! placeholders, no empty or blank text and the plural forms of its language.

use std::collections::BTreeSet;

use i18n::{Catalog, Lang, Problem, ProblemKind};

fn problems_of(lang: Lang, pick: impl Fn(&ProblemKind) -> bool) -> Vec<Problem> {
    Catalog::embedded().problems().into_iter().filter(|p| p.lang == lang && pick(&p.kind)).collect()
}

fn listing(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

#[test]
fn every_file_has_exactly_the_keys_of_english() {
    let catalog = Catalog::embedded();
    let english: BTreeSet<&str> = catalog.messages(Lang::EN).expect("en.toml").keys().collect();
    let mut report = String::new();
    for lang in catalog.available() {
        let keys: BTreeSet<&str> = catalog.messages(lang).expect("listed language").keys().collect();
        let missing: Vec<&&str> = english.difference(&keys).collect();
        let extra: Vec<&&str> = keys.difference(&english).collect();
        if !missing.is_empty() || !extra.is_empty() {
            report.push_str(&format!("{lang}.toml: missing {missing:?}; not in en.toml {extra:?}\n"));
        }
        // The catalog's own check agrees.
        let kinds = problems_of(lang, |k| matches!(k, ProblemKind::Missing | ProblemKind::Extra));
        assert_eq!(kinds.len(), missing.len() + extra.len(), "{}", listing(&kinds));
    }
    assert!(report.is_empty(), "message files differ from en.toml:\n{report}");
}

#[test]
fn translations_have_the_placeholders_and_plural_kind_of_english() {
    let mut found = Vec::new();
    for lang in Catalog::embedded().available() {
        found.extend(problems_of(lang, |k| {
            matches!(k, ProblemKind::Placeholders { .. } | ProblemKind::KindMismatch)
        }));
    }
    assert!(found.is_empty(), "placeholders differ from en.toml:\n{}", listing(&found));
}

#[test]
fn no_message_is_empty_or_blank_and_plural_forms_fit_the_language() {
    let catalog = Catalog::embedded();
    let problems = catalog.problems();
    assert!(problems.is_empty(), "problems in data/i18n:\n{}", listing(&problems));
    for lang in catalog.available() {
        for (key, message) in catalog.messages(lang).expect("listed").iter() {
            for pattern in message.patterns() {
                assert!(!pattern.source().is_empty(), "{lang}.toml: `{key}` is empty");
                if !key.starts_with("format.") {
                    assert!(!pattern.source().trim().is_empty(), "{lang}.toml: `{key}` is blank");
                }
            }
        }
    }
}

#[test]
fn english_and_portuguese_are_embedded_with_their_own_names() {
    let catalog = Catalog::embedded();
    let languages: Vec<(String, &str)> =
        catalog.languages().into_iter().map(|l| (l.lang.to_string(), l.name)).collect();
    assert!(languages.contains(&("en".to_owned(), "English")), "{languages:?}");
    assert!(languages.contains(&("pt".to_owned(), "Português")), "{languages:?}");
}

#[test]
fn the_files_are_substantial_and_cover_every_page() {
    let english = Catalog::embedded().messages(Lang::EN).expect("en.toml");
    assert!(english.len() >= 250, "only {} messages", english.len());
    for group in [
        "nav.",
        "login.",
        "dashboard.",
        "submissions.status.",
        "submissions.report.",
        "reports.kind.",
        "reports.audience.",
        "maps.",
        "providers.",
        "users.role.",
        "codelists.",
        "profiles.test.",
        "releases.",
        "audit.verify.",
        "error.403.",
        "error.404.",
        "error.500.",
        "flag.",
        "format.",
    ] {
        assert!(english.keys().any(|k| k.starts_with(group)), "no message under `{group}`");
    }
    for status in ["received", "validated", "accepted", "rejected", "approved", "superseded"] {
        assert!(english.get(&format!("submissions.status.{status}")).is_some(), "status {status}");
    }
}

#[test]
fn the_crate_embeds_every_file_of_the_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/i18n");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("data/i18n")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".toml").map(str::to_owned))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = Catalog::embedded().available().iter().map(Lang::to_string).collect();
    assert_eq!(embedded, on_disk);
}
