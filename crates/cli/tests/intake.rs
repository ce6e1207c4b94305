//! End-to-end tests of intake at the hub: `mosy provider load`, `mosy import` of canonical files,
//! same-file detection, revisions, the personal-data guard, and all-or-nothing under `kill -9`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn mosy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .output()
        .expect("runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A synthetic dataset in `dir`, and a victims file where every row belongs to `provider`.
fn dataset(dir: &Path, victims: u64, seed: u64) -> PathBuf {
    dataset_with_prefix(dir, victims, seed, "")
}

/// As [`dataset`], with `prefix` before every record reference (so two datasets never share one).
fn dataset_with_prefix(dir: &Path, victims: u64, seed: u64, prefix: &str) -> PathBuf {
    let o = mosy(&[
        "synth",
        "--seed",
        &seed.to_string(),
        "--victims",
        &victims.to_string(),
        "--first-year",
        "2024",
        "--last-year",
        "2025",
        "-o",
        dir.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let mut rdr = csv::Reader::from_path(dir.join("victims.csv")).expect("victims");
    let headers = rdr.headers().expect("header").clone();
    let pcol = headers.iter().position(|h| h == "provider_id").expect("provider column");
    let lcol = headers.iter().position(|h| h == "linked_record_refs").expect("links column");
    let rcol = headers.iter().position(|h| h == "record_ref").expect("ref column");
    let out = dir.join("pj_victims.csv");
    let mut w = csv::Writer::from_path(&out).expect("out");
    w.write_record(&headers).expect("header");
    for rec in rdr.records() {
        let rec = rec.expect("row");
        let reference = format!("{prefix}{}", &rec[rcol]);
        let row: Vec<&str> = rec
            .iter()
            .enumerate()
            .map(|(i, v)| match i {
                _ if i == pcol => "PT-PJ",
                _ if i == lcol => "",
                _ if i == rcol => reference.as_str(),
                _ => v,
            })
            .collect();
        w.write_record(&row).expect("row");
    }
    w.flush().expect("flush");
    out
}

fn hub(dir: &Path) -> String {
    dir.join("hub").to_str().expect("utf8").to_owned()
}

fn register(dir: &Path) {
    let o = mosy(&[
        "provider",
        "load",
        dir.join("providers.csv").to_str().expect("utf8"),
        "--data-dir",
        &hub(dir),
    ]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn canonical_import_same_file_twice_and_revision() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = dataset(tmp.path(), 800, 5);
    register(tmp.path());
    let f = file.to_str().expect("utf8");
    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert!(o.status.success(), "{}", text(&o));
    let first = text(&o);
    assert!(first.contains("revision 1") && first.contains("persons:"), "{first}");

    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("nothing changed") && !text(&o).contains("revision"), "{}", text(&o));

    // Change one record's version: the periods are resubmitted as revision 2.
    let body = std::fs::read_to_string(&file).expect("read");
    let changed = body.replacen(",1,20", ",2,20", 1);
    assert_ne!(body, changed, "the test edit must change the file");
    std::fs::write(&file, changed).expect("write");
    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("revision 2") && text(&o).contains("replaces"), "{}", text(&o));
    let list = mosy(&["submission", "list", "--data-dir", &hub(tmp.path())]);
    assert!(text(&list).contains("superseded"), "{}", text(&list));

    // A, B, then A again: A becomes revision 3 of the changed period.
    std::fs::write(&file, body).expect("write back");
    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("revision 3"), "{}", text(&o));
}

#[test]
fn personal_data_rejects_the_import_naming_row_and_column_only() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = dataset(tmp.path(), 50, 6);
    register(tmp.path());
    let body = std::fs::read_to_string(&file).expect("read");
    let mut lines: Vec<String> = body.lines().map(str::to_owned).collect();
    // Plant an e-mail address in the 3rd data row's national code column.
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header.iter().position(|h| *h == "exploitation_national_code").expect("column");
    let mut cells: Vec<String> = lines[3].split(',').map(str::to_owned).collect();
    cells[col] = "maria.silva@example.org".into();
    lines[3] = cells.join(",");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let report = tmp.path().join("report.json");
    let o = mosy(&[
        "import",
        "--provider",
        "PT-PJ",
        "--policy",
        "accept-valid",
        "--report",
        report.to_str().expect("utf8"),
        "--data-dir",
        &hub(tmp.path()),
        file.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("REJECTED") && out.contains("pii.email") && out.contains("row 3"), "{out}");
    assert!(out.contains("exploitation_national_code"), "{out}");
    let json = std::fs::read_to_string(&report).expect("report");
    assert!(!out.contains("maria") && !json.contains("maria"), "the value must never be echoed");
    let list = mosy(&["submission", "list", "--data-dir", &hub(tmp.path())]);
    assert_eq!(text(&list).lines().count(), 1, "only the header: {}", text(&list));
}

#[test]
fn kill_9_in_the_middle_leaves_the_store_as_before() {
    let tmp = tempfile::tempdir().expect("tmp");
    let big = dataset_with_prefix(tmp.path(), 150_000, 8, "B");
    register(tmp.path());
    // A first, small import that must survive.
    let small_dir = tmp.path().join("small");
    std::fs::create_dir_all(&small_dir).expect("dir");
    let small = dataset(&small_dir, 300, 9);
    let o = mosy(&[
        "import",
        "--provider",
        "PT-PJ",
        "--data-dir",
        &hub(tmp.path()),
        small.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let before = text(&mosy(&["submission", "list", "--data-dir", &hub(tmp.path())]));

    let mut child = Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), big.to_str().expect("utf8")])
        .env_remove("MOSY_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the import is well under way (rows spilled to the WAL, or two seconds of work),
    // then kill it hard.
    let wal = tmp.path().join("hub/mosy.sqlite-wal");
    let started = Instant::now();
    loop {
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if size > 4 << 20 || started.elapsed() > Duration::from_secs(2) {
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            panic!("the import finished before it could be killed; make the file bigger");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();

    let after = text(&mosy(&["submission", "list", "--data-dir", &hub(tmp.path())]));
    assert_eq!(before, after, "submissions changed after a killed import");
    let persons = text(&mosy(&["persons", "--data-dir", &hub(tmp.path())]));
    assert!(persons.starts_with("300 registrations"), "{persons}");
    // And the full import then goes through.
    let o =
        mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), big.to_str().expect("utf8")]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn the_hub_policy_decides_what_happens_to_valid_rows() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = dataset(tmp.path(), 60, 12);
    register(tmp.path());
    // Break the age of one row: 130.
    let body = std::fs::read_to_string(&file).expect("read");
    let mut lines: Vec<String> = body.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let age = header.iter().position(|h| *h == "age_at_registration").expect("age column");
    let mut cells: Vec<String> = lines[5].split(',').map(str::to_owned).collect();
    cells[age] = "130".into();
    lines[5] = cells.join(",");
    std::fs::write(&file, lines.join("\n") + "\n").expect("write");
    let f = file.to_str().expect("utf8");

    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert_eq!(o.status.code(), Some(2), "default reject-all: {}", text(&o));
    assert!(text(&o).contains("row 5") && text(&o).contains("age.range"), "{}", text(&o));

    let o = mosy(&["hub", "set-policy", "accept-valid", "--data-dir", &hub(tmp.path())]);
    assert!(o.status.success(), "{}", text(&o));
    let o = mosy(&["hub", "show", "--data-dir", &hub(tmp.path())]);
    assert!(text(&o).contains("intake policy: accept-valid"), "{}", text(&o));
    let o = mosy(&["import", "--provider", "PT-PJ", "--data-dir", &hub(tmp.path()), f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("59 valid") && text(&o).contains("persons: 59 registrations"), "{}", text(&o));
}
