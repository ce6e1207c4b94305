//! Submission upload (pages and API, session and API token) and the approval workflow.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state, victims_of};

/// A file of `provider`'s demo victims of 2024, with `bad` set in the `sex` cell of its second row.
pub(crate) fn file_of(provider: &str, bad: Option<&str>) -> Vec<u8> {
    let (header, rows) = victims_of(provider);
    let sex = header.split(',').position(|c| c == "sex").expect("sex column");
    let mut out = vec![header];
    for (n, row) in
        rows.iter().filter(|r| r.split(',').nth(2).is_some_and(|d| d.starts_with("2024"))).enumerate()
    {
        let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
        if n == 1
            && let Some(b) = bad
        {
            cells[sex] = b.to_string();
        }
        out.push(cells.join(","));
    }
    assert!(out.len() > 3, "demo rows of {provider}");
    (out.join("\n") + "\n").into_bytes()
}

fn submissions(hub: &crate::support::Hub) -> usize {
    store::Store::open(&hub.database).unwrap().submission_infos().unwrap().len()
}

#[tokio::test]
async fn provider_user_uploads_for_its_own_provider_only() {
    let hub = hub();
    let (own, other) = (hub.providers[0].clone(), hub.providers[1].clone());
    let mut c = Client::new(state(&hub));
    c.login("prov-a", PASSWORD).await;
    let form = c.get("/submissions/upload").await;
    assert_ok(&form);
    assert!(form.text().contains(r#"enctype="multipart/form-data""#));
    let csrf = c.csrf("/submissions/upload").await;
    let before = submissions(&hub);
    let file = file_of(&other, None);
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[
                ("csrf", None, csrf.as_bytes()),
                ("provider", None, other.as_bytes()),
                ("file", Some("v.csv"), &file),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(submissions(&hub), before);
    // Without the CSRF token: refused.
    let file = file_of(&own, None);
    let r = c.post_multipart("/submissions/upload", &[], &[("file", Some("v.csv"), &file)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Its own provider (the default for a provider user): stored.
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[("csrf", None, csrf.as_bytes()), ("file", Some("v.csv"), &file)],
        )
        .await;
    assert_ok(&r);
    assert!(r.text().contains("2024-Q"), "{}", r.text());
    assert!(submissions(&hub) > before);
    // A file type that is not accepted.
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[("csrf", None, csrf.as_bytes()), ("file", Some("v.exe"), b"x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "upload" && e.outcome == "ok"));
}

#[tokio::test]
async fn a_file_with_an_error_shows_row_column_and_rule_and_stores_nothing() {
    let hub = hub();
    let provider = hub.providers[0].clone();
    let mut c = Client::new(state(&hub));
    c.login("analyst", PASSWORD).await;
    let csrf = c.csrf("/submissions/upload").await;
    let before = submissions(&hub);
    let file = file_of(&provider, Some("QQ-SECRET"));
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[
                ("csrf", None, csrf.as_bytes()),
                ("provider", None, provider.as_bytes()),
                ("policy", None, b"reject-all"),
                ("file", Some("victims.csv"), &file),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(text.contains("<td>sex</td>"), "{text}");
    assert!(text.contains("<td>victims.csv</td>"), "{text}");
    assert!(text.contains("<code>"), "{text}");
    assert!(!text.contains("QQ-SECRET"), "a value leaked: {text}");
    assert_eq!(submissions(&hub), before);
}

#[tokio::test]
async fn analyst_approves_then_reopening_needs_a_note() {
    let hub = hub();
    let provider = hub.providers[0].clone();
    let mut c = Client::new(state(&hub));
    c.login("analyst", PASSWORD).await;
    let csrf = c.csrf("/submissions/upload").await;
    let file = file_of(&provider, None);
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[
                ("csrf", None, csrf.as_bytes()),
                ("provider", None, provider.as_bytes()),
                ("file", Some("v.csv"), &file),
            ],
        )
        .await;
    assert_ok(&r);
    let text = r.text();
    let start = text.find(r#"href="/submissions/"#).expect("link") + r#"href=""#.len();
    let end = start + text[start..].find('"').expect("end");
    let path = text[start..end].to_string();
    let id = path.trim_start_matches("/submissions/").to_string();
    let status = |hub: &crate::support::Hub| {
        let s = store::Store::open(&hub.database).unwrap();
        let mut s = s;
        s.submission_info(uuid::Uuid::parse_str(&id).unwrap()).unwrap().unwrap().status.as_str().to_string()
    };
    let action = format!("{path}/status");
    // A provider user sees no workflow and may not act.
    let mut p = Client::new(state(&hub));
    p.login("prov-a", PASSWORD).await;
    let page = p.get(&path).await;
    assert_ok(&page);
    assert!(!page.text().contains("/status"));
    let pcsrf = p.csrf(&path).await;
    let r = p.post_form(&action, &[("action", "accept"), ("csrf", &pcsrf)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let page = c.get(&path).await;
    assert!(page.text().contains(&format!(r#"action="{action}""#)), "{}", page.text());
    let csrf = c.csrf(&path).await;
    let r = c.post_form(&action, &[("action", "accept"), ("csrf", "wrong")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.post_form(&action, &[("action", "accept"), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(status(&hub), "accepted");
    let r = c.post_form(&action, &[("action", "approve"), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&hub), "approved");
    let r = c.post_form(&action, &[("action", "reopen"), ("note", "  "), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&hub), "approved");
    let r = c.post_form(&action, &[("action", "reopen"), ("note", "late correction"), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status(&hub), "accepted");
    // Not a possible change now.
    let r = c.post_form(&action, &[("action", "reopen"), ("note", "again"), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    for a in ["approve", "reopen"] {
        assert!(log.iter().any(|e| e.action == a && e.outcome == "ok"), "{a}");
    }
    assert!(!log.iter().any(|e| e.detail.contains("late correction")));
}

#[tokio::test]
async fn api_upload_with_a_token_is_scoped_to_its_provider() {
    let hub = hub();
    let (own, other) = (hub.providers[0].clone(), hub.providers[1].clone());
    let now = chrono::Utc::now();
    let (secret, record) = auth::ApiTokenRecord::issue(
        &own,
        &[auth::Action::MachineSubmission],
        "export job",
        now,
        now + chrono::TimeDelta::days(30),
        &mut auth::SeededRng::new(9),
    )
    .unwrap();
    store::Store::open(&hub.database)
        .unwrap()
        .insert_api_token(
            &hex::encode(record.hash.as_bytes()),
            "prov-a",
            &record.label,
            &record.created_at.to_rfc3339(),
            &record.expires_at.to_rfc3339(),
        )
        .unwrap();
    let bearer = format!("Bearer {}", secret.expose());
    let mut c = Client::new(state(&hub));
    let doc: serde_json::Value = serde_json::from_slice(&c.get("/api/openapi.json").await.body).unwrap();
    assert!(
        doc["paths"]["/api/submissions"]["post"]["requestBody"]["content"]["multipart/form-data"].is_object()
    );
    let file = file_of(&own, None);
    let r = c
        .post_multipart("/api/submissions", &[("authorization", &bearer)], &[("file", Some("v.csv"), &file)])
        .await;
    assert_ok(&r);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["committed"], true);
    assert_eq!(v["provider"], own.as_str());
    let before = submissions(&hub);
    let file = file_of(&other, None);
    let r = c
        .post_multipart(
            "/api/submissions",
            &[("authorization", &bearer)],
            &[("provider", None, other.as_bytes()), ("file", Some("v.csv"), &file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(submissions(&hub), before);
    // A wrong token, and no credentials at all.
    let wrong = format!("Bearer mosy_{}", "a".repeat(52));
    let r = c
        .post_multipart("/api/submissions", &[("authorization", &wrong)], &[("file", Some("v.csv"), &file)])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = c.post_multipart("/api/submissions", &[], &[("file", Some("v.csv"), &file)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A session needs the CSRF header.
    c.login("analyst", PASSWORD).await;
    let r = c
        .post_multipart(
            "/api/submissions",
            &[],
            &[("provider", None, other.as_bytes()), ("file", Some("v.csv"), &file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let me: serde_json::Value = serde_json::from_slice(&c.get("/api/me").await.body).unwrap();
    let csrf = me["csrf"].as_str().unwrap().to_string();
    let r = c
        .post_multipart(
            "/api/submissions",
            &[("x-csrf-token", &csrf)],
            &[("provider", None, other.as_bytes()), ("file", Some("v.csv"), &file)],
        )
        .await;
    assert_ok(&r);
    assert!(submissions(&hub) > before);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    let token = format!("token:{}", record.hash.short());
    assert!(log.iter().any(|e| e.action == "upload" && e.actor == token && e.outcome == "ok"));
    assert!(log.iter().any(|e| e.action == "upload" && e.actor == token && e.outcome == "denied"));
}

#[tokio::test]
async fn an_upload_past_the_size_limit_is_refused_with_a_message() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    c.login("prov-a", PASSWORD).await;
    let csrf = c.csrf("/submissions/upload").await;
    let before = submissions(&hub);
    let big = vec![b'x'; usize::try_from(server::submit::MAX_UPLOAD).unwrap() + 1];
    let r = c
        .post_multipart(
            "/submissions/upload",
            &[],
            &[("csrf", None, csrf.as_bytes()), ("file", Some("big.csv"), &big)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("50 MB"), "{}", r.text());
    assert_eq!(submissions(&hub), before);
}
