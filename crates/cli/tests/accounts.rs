//! Accounts from the command line: `mosy user add`, `mosy token issue|list|revoke` and
//! `mosy audit verify` on a fresh hub.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn mosy(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write");
    child.wait_with_output().expect("waits")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn tokens_are_issued_to_provider_users_listed_without_secret_and_revoked() {
    let dir = tempfile::tempdir().expect("tmp");
    let hub = dir.path().join("hub");
    let hub = hub.to_str().expect("utf-8");
    let register = dir.path().join("register");
    ok(&mosy(&["synth", "--victims", "20", "-o", register.to_str().expect("utf-8")], ""));
    ok(&mosy(
        &["provider", "load", register.join("providers.csv").to_str().expect("utf-8"), "--data-dir", hub],
        "",
    ));
    let password = "a-long-enough-passphrase-42\n";
    ok(&mosy(
        &["user", "add", "pj", "--role", "provider_user", "--provider", "PT-PJ", "--data-dir", hub],
        password,
    ));
    ok(&mosy(&["user", "add", "ana", "--role", "analyst", "--data-dir", hub], password));
    // Only provider users get tokens.
    let refused = mosy(&["token", "issue", "ana", "--label", "x", "--data-dir", hub], "");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("provider users"));
    let issued =
        ok(&mosy(&["token", "issue", "pj", "--label", "nightly", "--days", "30", "--data-dir", hub], ""));
    let secret = issued.lines().nth(1).expect("the token line").trim().to_string();
    assert!(secret.starts_with("mosy_"), "{issued}");
    let list = ok(&mosy(&["token", "list", "--data-dir", hub], ""));
    assert!(list.contains("nightly") && list.contains("pj") && !list.contains(&secret), "{list}");
    let id = list.lines().nth(1).expect("one token").split('\t').next().expect("id").to_string();
    assert_eq!(id.len(), 8);
    ok(&mosy(&["token", "revoke", &id, "--data-dir", hub], ""));
    assert_eq!(ok(&mosy(&["token", "list", "--data-dir", hub], "")).lines().count(), 1, "header only");
    assert!(!mosy(&["token", "revoke", &id, "--data-dir", hub], "").status.success(), "already gone");
    let verified = ok(&mosy(&["audit", "verify", "--data-dir", hub], ""));
    assert!(verified.contains("intact: 4 events"), "{verified}");
}
