//! The estimate report through the router: the builder offers it, analysts run it (HTML and
//! JSON, public audience protected), provider users cannot.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

#[tokio::test]
async fn analysts_run_an_estimate_report_and_provider_users_cannot() {
    let hub = hub();
    let s = state(&hub);
    let mut c = Client::new(s.clone());
    c.login("analyst", PASSWORD).await;
    let form = c.get("/reports").await;
    assert_ok(&form);
    let page = form.text();
    assert!(page.contains(r#"<option value="estimate">"#), "the builder offers the estimate");
    assert!(page.contains(r#"name="interval""#) && page.contains(r#"name="list_by""#));
    let csrf = c.csrf("/reports").await;
    let r = c
        .post_form(
            "/reports",
            &[
                ("kind", "estimate"),
                ("list_by", "provider_type"),
                ("selection", "stepwise"),
                ("interval", "profile"),
                ("period", "2024"),
                ("audience", "national"),
                ("format", "html"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_ok(&r);
    let html = r.text();
    assert!(html.contains("Estimated total"), "the estimate section");
    assert!(html.contains("Closed population"), "the assumptions");
    // JSON through the API, for the public: tables protected, the estimate a model output.
    let me: serde_json::Value = serde_json::from_slice(&c.get("/api/me").await.body).unwrap();
    let token = me["csrf"].as_str().unwrap().to_string();
    let spec = serde_json::json!({
        "kind": "estimate", "list_by": "provider_type", "interval": "wald",
        "period": "2024", "audience": "public", "format": "json"
    });
    let r = c.post_json("/api/reports", &token, &spec).await;
    assert_ok(&r);
    let doc: serde_json::Value = serde_json::from_slice(&r.body).expect("json report");
    assert_eq!(doc["metadata"]["kind"], "estimate");
    assert_eq!(doc["metadata"]["disclosure"]["method"], "cell_key");
    let ids: Vec<&str> =
        doc["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"estimate") && ids.contains(&"overlap"), "{ids:?}");
    // Bad parameters are named; provider users cannot estimate across providers.
    let r = c
        .post_form(
            "/reports",
            &[("kind", "estimate"), ("interval", "nope"), ("audience", "national"), ("csrf", &csrf)],
        )
        .await;
    assert!(r.text().contains("unknown interval"), "{}", r.status);
    let mut p = Client::new(s);
    p.login("prov-a", PASSWORD).await;
    assert!(!p.get("/reports").await.text().contains(r#"<option value="estimate">"#));
    let pc = p.csrf("/reports").await;
    let r = p.post_form("/reports", &[("kind", "estimate"), ("audience", "provider"), ("csrf", &pc)]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
