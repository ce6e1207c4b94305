//! The release workflow: staff make a draft, review it, publish or discard it; drafts are seen by
//! staff only; a draft made before another release was published cannot be published.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

/// The CSRF token of the form posting to `action` on `page`.
async fn token(c: &mut Client, page: &str, action: &str) -> String {
    let text = c.get(page).await.text();
    let marker =
        format!("action=\"{action}\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"");
    let start = text.find(&marker).unwrap_or_else(|| panic!("a form posting to {action}")) + marker.len();
    text[start..start + text[start..].find('"').unwrap()].to_string()
}

async fn draft(c: &mut Client, period: &str, audience: &str) -> String {
    let csrf = c.csrf("/releases").await;
    let r = c.post_form("/releases", &[("period", period), ("audience", audience), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location().expect("to the draft").trim_start_matches("/releases/").to_string()
}

#[tokio::test]
async fn staff_draft_review_and_publish_releases_that_only_then_reach_their_audience() {
    let hub = hub();
    let server = state(&hub);
    let mut analyst = Client::new(server.clone());
    analyst.login("analyst", PASSWORD).await;
    let id = draft(&mut analyst, "2023", "public").await;
    let review = analyst.get(&format!("/releases/{id}")).await;
    assert_ok(&review);
    let text = review.text();
    assert!(
        text.contains("data-status=\"draft\"")
            && text.contains(&format!("action=\"/releases/{id}/publish\""))
    );
    assert!(text.contains("OBS_VALUE"), "the frozen tables are shown");

    // Nobody outside the hub staff sees a draft.
    let mut public = Client::new(server.clone());
    assert!(!public.get("/releases").await.text().contains(&id));
    assert_ne!(public.get(&format!("/releases/{id}/sdmx.csv")).await.status, StatusCode::OK);
    let mut provider = Client::new(server.clone());
    provider.login("prov-a", PASSWORD).await;
    assert_eq!(provider.get(&format!("/releases/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(provider.get(&format!("/api/releases/{id}/sdmx.csv")).await.status, StatusCode::FORBIDDEN);
    let csrf = provider.csrf("/releases").await;
    let r =
        provider.post_form("/releases", &[("period", "2023"), ("audience", "public"), ("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "providers make no releases");

    // Published: the public sees it.
    let csrf = token(&mut analyst, &format!("/releases/{id}"), &format!("/releases/{id}/publish")).await;
    let r = analyst.post_form(&format!("/releases/{id}/publish"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
    let r = analyst.post_form(&format!("/releases/{id}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(analyst.get(&format!("/releases/{id}")).await.text().contains("data-status=\"published\""));
    assert!(public.get("/releases").await.text().contains(&id));
    assert_ok(&public.get(&format!("/releases/{id}/sdmx.csv")).await);

    // A draft made before another release was published is outdated.
    let older = draft(&mut analyst, "2024-Q1", "eu").await;
    let newer = draft(&mut analyst, "2024-Q2", "eu").await;
    let csrf =
        token(&mut analyst, &format!("/releases/{newer}"), &format!("/releases/{newer}/publish")).await;
    let r = analyst.post_form(&format!("/releases/{newer}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let csrf =
        token(&mut analyst, &format!("/releases/{older}"), &format!("/releases/{older}/publish")).await;
    let r = analyst.post_form(&format!("/releases/{older}/publish"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("make a new draft"));
    let token =
        token(&mut analyst, &format!("/releases/{older}"), &format!("/releases/{older}/discard")).await;
    assert_ne!(token, csrf, "each form has its own token");
    let r = analyst.post_form(&format!("/releases/{older}/discard"), &[("csrf", &token)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(analyst.get(&format!("/releases/{older}")).await.status, StatusCode::NOT_FOUND);
    // A published release is never discarded.
    let r = analyst.post_form(&format!("/releases/{newer}/discard"), &[("csrf", &token)]).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);

    server.flush_audit().await.expect("flush");
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    for action in ["release.create", "release.publish", "release.discard"] {
        assert!(log.iter().any(|e| e.action == action && e.outcome == "ok"), "{action} audited");
    }
    assert!(log.iter().any(|e| e.action == "release.publish" && e.outcome == "failed"));
}

#[tokio::test]
async fn the_release_workflow_through_the_json_api() {
    let hub = hub();
    let server = state(&hub);
    let mut analyst = Client::new(server.clone());
    analyst.login("analyst", PASSWORD).await;
    let me: serde_json::Value = serde_json::from_slice(&analyst.get("/api/me").await.body).unwrap();
    let csrf = me["csrf"].as_str().unwrap().to_string();
    let r = analyst
        .post_json("/api/releases", &csrf, &serde_json::json!({"period": "2023", "audience": "eu"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let made: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(made["status"], "draft");
    let r = analyst.post_json("/api/releases", "wrong", &serde_json::json!({"period": "2023"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
    let r = analyst.post_json("/api/releases", &csrf, &serde_json::json!({"period": "not a period"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let list: serde_json::Value = serde_json::from_slice(&analyst.get("/api/releases").await.body).unwrap();
    let listed = list.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).expect("listed for staff");
    assert!(listed["published_at"].is_null(), "a draft");
    let r = analyst.post_json(&format!("/api/releases/{id}/publish"), &csrf, &serde_json::json!({})).await;
    assert_ok(&r);
    let r = analyst.post_json(&format!("/api/releases/{id}/publish"), &csrf, &serde_json::json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "published once only");
    let mut eu = Client::new(server.clone());
    eu.login("eu", PASSWORD).await;
    let list: serde_json::Value = serde_json::from_slice(&eu.get("/api/releases").await.body).unwrap();
    assert!(
        list.as_array().unwrap().iter().any(|r| r["id"] == id.as_str()),
        "the EU sees the published release"
    );
}
