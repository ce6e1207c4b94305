//! End-to-end tests of `mosy estimate` (and `mosy report estimate`): from the hub by provider
//! type and by lists of providers, from a capture-history table, in every format, deterministic.

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

fn err(o: &Output) -> String {
    assert!(!o.status.success(), "should fail: {}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON without its generation time (the only line that changes between runs).
fn stable(json: &str) -> String {
    json.lines().filter(|l| !l.contains("\"generated_at\"")).collect::<Vec<_>>().join("\n")
}

#[test]
fn estimates_from_the_hub_in_every_format() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf8 path");
    ok(&mosy(&["demo", "--data-dir", d, "--victims", "3000", "--seed", "3"]));
    let text = ok(&mosy(&["estimate", "--period", "2025", "--list-by", "provider_type", "--data-dir", d]));
    assert!(text.contains("Estimated total"), "{text}");
    assert!(text.contains("Persons on both lists"), "{text}");
    assert!(text.contains("Closed population"), "{text}");
    // Every format, public audience, bootstrap with a seed.
    let stem = dir.path().join("est");
    let args = [
        "estimate",
        "--period",
        "2025",
        "--list-by",
        "provider_type",
        "--interval",
        "bootstrap",
        "--resamples",
        "40",
        "--seed",
        "9",
        "--audience",
        "public",
        "--format",
        "csv,json,xlsx,html",
        "-o",
        stem.to_str().expect("utf8"),
        "--data-dir",
        d,
    ];
    assert!(ok(&mosy(&args)).contains("wrote"));
    for ext in ["csv", "json", "xlsx", "html"] {
        let path = stem.with_extension(ext);
        assert!(std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false), "{}", path.display());
    }
    let json = std::fs::read_to_string(stem.with_extension("json")).expect("json");
    assert!(json.contains("\"kind\": \"estimate\""), "{json}");
    assert!(json.contains("\"method\": \"cell_key\""));
    assert!(json.contains("not perturbed"));
    // The same request gives the same bytes (but for the generation time).
    ok(&mosy(&args));
    let again = std::fs::read_to_string(stem.with_extension("json")).expect("json");
    assert_eq!(stable(&json), stable(&again));
    // `mosy report estimate`, a filter and lists of providers, in Portuguese.
    let list = ok(&mosy(&["provider", "list", "--data-dir", d]));
    let ids: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(ids.len() >= 6, "{list}");
    let lists = format!("{};{};{}", ids[..3].join(","), ids[3..6].join(","), ids[6..].join(","));
    let text = ok(&mosy(&[
        "report",
        "estimate",
        "--lists",
        &lists,
        "--selection",
        "bic",
        "--filter",
        "exploitation=SEXUAL,LABOUR",
        "--lang",
        "pt",
        "--data-dir",
        d,
    ]));
    assert!(text.contains("Total estimado"), "{text}");
    assert!(text.contains("Pressupostos"), "{text}");
    // Errors are named.
    assert!(
        err(&mosy(&["estimate", "--list-by", "provider_type", "--selection", "nope", "--data-dir", d]))
            .contains("unknown model selection `nope`")
    );
    assert!(err(&mosy(&["estimate", "--lists", "NOPE;PT-X", "--data-dir", d])).contains("NOPE"));
}

#[test]
fn estimates_from_a_capture_history_table() {
    let dir = tempfile::tempdir().expect("tmp");
    let table = dir.path().join("korea.csv");
    std::fs::write(&table, "b,c,d,count\n0,0,1,59\n0,1,0,3\n0,1,1,8\n1,0,0,33\n1,0,1,11\n1,1,0,1\n1,1,1,8\n")
        .expect("write");
    let t = table.to_str().expect("utf8");
    let text = ok(&mosy(&["estimate", "--histories", t, "--selection", "main_effects", "--format", "json"]));
    assert!(text.contains("\"capture-history table korea.csv\""), "{text}");
    let text = ok(&mosy(&["estimate", "--histories", t, "--interval", "profile"]));
    assert!(text.contains("Persons observed by the lists | 123"), "{text}");
    // Bootstrap: deterministic for a seed.
    let boot = ["estimate", "--histories", t, "--interval", "bootstrap", "--resamples", "200", "--seed", "4"];
    let a = ok(&mosy(&boot));
    assert_eq!(a, ok(&mosy(&boot)));
    assert!(err(&mosy(&["estimate", "--histories", t, "--period", "2025"])).contains("do not apply"));
    // A bad table names the row, never the value.
    std::fs::write(&table, "b,c,count\n1,0,5\n1,2,3\n").expect("write");
    let e = err(&mosy(&["estimate", "--histories", t]));
    assert!(e.contains("row 3"), "{e}");
}
