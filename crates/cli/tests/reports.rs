//! End-to-end tests of the statistics commands: every report kind in every format, releases
//! stored and shown byte for byte, boundaries for maps.

use std::process::{Command, Output};

fn mosy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .output()
        .expect("runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_report_kind_and_a_release_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf8 path");
    ok(&mosy(&["demo", "--data-dir", d, "--victims", "2000", "--seed", "3"]));
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    let kinds: [&[&str]; 6] = [
        &["simple", "--dims", "sex,age_group"],
        &["total"],
        &["time-frame", "--dim", "sex"],
        &["geo", "--level", "nuts2"],
        &["key-indicators"],
        &["data-quality"],
    ];
    for kind in kinds {
        let stem = out.join(kind[0]);
        let mut args = vec!["report"];
        args.extend_from_slice(kind);
        let audience = if kind[0] == "data-quality" { "national" } else { "public" };
        let format = if kind[0] == "key-indicators" { "all" } else { "csv,json,xlsx,html" };
        args.extend_from_slice(&[
            "--period",
            "2025",
            "--audience",
            audience,
            "--format",
            format,
            "-o",
            stem.to_str().expect("utf8"),
            "--data-dir",
            d,
        ]);
        let text = ok(&mosy(&args));
        assert!(text.contains("wrote"), "{text}");
        for ext in ["csv", "json", "xlsx", "html"] {
            let path = stem.with_extension(ext);
            assert!(std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false), "{}", path.display());
        }
    }
    assert!(
        std::fs::read_to_string(out.join("key-indicators.sdmx.csv")).expect("sdmx").starts_with("STRUCTURE,")
    );
    // Text tables on stdout, in Portuguese.
    let text = ok(&mosy(&[
        "report",
        "simple",
        "--dims",
        "sex",
        "--period",
        "2025",
        "--lang",
        "pt",
        "--data-dir",
        d,
    ]));
    assert!(text.contains("Feminino"), "{text}");
    // Provider audience needs its provider.
    let o = mosy(&["report", "simple", "--dims", "sex", "--audience", "provider", "--data-dir", d]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--provider"));
    // A release, stored and shown byte for byte.
    let rel = out.join("rel");
    let text = ok(&mosy(&[
        "release",
        "create",
        "--period",
        "2025",
        "--audience",
        "eu",
        "-o",
        rel.to_str().expect("utf8"),
        "--data-dir",
        d,
    ]));
    assert!(text.contains("release 2025-eu-1"), "{text}");
    let shown = ok(&mosy(&["release", "show", "2025-eu-1", "--data-dir", d]));
    assert_eq!(shown, std::fs::read_to_string(rel.join("2025-eu-1.sdmx.csv")).expect("file"));
    assert!(ok(&mosy(&["release", "list", "--data-dir", d])).contains("2025-eu-1"));
    // Unknown things are named.
    let o = mosy(&["report", "simple", "--dims", "nope", "--data-dir", d]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown dimension `nope`"));
}
