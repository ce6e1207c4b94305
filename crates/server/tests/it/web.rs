//! Login, CSRF, cookies, roles, reports, releases, audit chain, headers and the OpenAPI document.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

#[tokio::test]
async fn login_success_sets_a_strict_http_only_cookie_and_rotates_it() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    let r = c.login("analyst", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location().as_deref(), Some("/dashboard"));
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("mosy_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    let first = c.cookies.iter().find(|(k, _)| k == "mosy_session").unwrap().1.clone();
    let dash = c.get("/dashboard").await;
    assert_ok(&dash);
    assert!(dash.text().contains("data-measure=\"persons\""));
    // A second login from the same browser gets a new token; the old one is gone.
    let r = c.login("analyst", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = c.cookies.iter().find(|(k, _)| k == "mosy_session").unwrap().1.clone();
    assert_ne!(first, second);
    let mut old = Client::new(state(&hub));
    old.cookies.push(("mosy_session".into(), first));
    assert_eq!(old.get("/dashboard").await.location().as_deref(), Some("/login"));
}

#[tokio::test]
async fn login_failure_is_generic_and_throttled() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    let wrong = c.login("analyst", "not-the-password-1").await;
    let unknown = c.login("nobody", "not-the-password-1").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let msg = i18n::Catalog::embedded().t(i18n::Lang::EN, "login.failed", &[]);
    assert!(wrong.text().contains(&msg) && unknown.text().contains(&msg));
    assert!(!c.cookies.iter().any(|(k, _)| k == "mosy_session"));
    for _ in 0..4 {
        c.login("prov-a", "not-the-password-1").await;
    }
    // Now even the right password is refused for a while, with the same message.
    let r = c.login("prov-a", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains(&msg));
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "auth.login" && e.detail == "throttled"));
}

#[tokio::test]
async fn posts_without_a_valid_csrf_token_are_refused() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    c.get("/login").await;
    let r = c
        .post_form("/login", &[("username", "analyst"), ("password", PASSWORD), ("csrf", &"0".repeat(64))])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!c.cookies.iter().any(|(k, _)| k == "mosy_session"));
    assert_eq!(c.login("analyst", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let r = c.post_form("/reports", &[("kind", "simple"), ("measure", "persons"), ("dim1", "sex")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c.post_form("/logout", &[("csrf", "nope")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let csrf = c.csrf("/dashboard").await;
    let r = c.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/dashboard").await.location().as_deref(), Some("/login"));
}

#[tokio::test]
async fn roles_are_enforced() {
    let hub = hub();
    let (a, b) = (hub.providers[0].clone(), hub.providers[1].clone());
    let mut anon = Client::new(state(&hub));
    assert_ok(&anon.get("/releases").await);
    assert!(anon.get("/releases").await.text().contains("2024-public-1"));
    assert_eq!(anon.get("/dashboard").await.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get("/api/dashboard").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anon.get("/admin/audit").await.status, StatusCode::SEE_OTHER);

    let mut p = Client::new(state(&hub));
    p.login("prov-a", PASSWORD).await;
    assert_ok(&p.get("/submissions").await);
    assert_eq!(p.get(&format!("/submissions?provider={b}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(p.get(&format!("/api/submissions?provider={b}")).await.status, StatusCode::FORBIDDEN);
    let mine: Vec<serde_json::Value> = serde_json::from_slice(&p.get("/api/submissions").await.body).unwrap();
    assert!(!mine.is_empty() && mine.iter().all(|s| s["provider"] == a.as_str()));
    // Another provider's submission by id.
    let mut analyst = Client::new(state(&hub));
    analyst.login("analyst", PASSWORD).await;
    let all: Vec<serde_json::Value> =
        serde_json::from_slice(&analyst.get("/api/submissions").await.body).unwrap();
    let theirs =
        all.iter().find(|s| s["provider"] == b.as_str()).unwrap()["id"].as_str().unwrap().to_string();
    assert_ok(&analyst.get(&format!("/submissions/{theirs}")).await);
    assert_eq!(p.get(&format!("/submissions/{theirs}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(p.get(&format!("/api/submissions/{theirs}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(p.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    let dash = p.get("/dashboard").await.text();
    assert!(!dash.contains(&format!(">{b}<")));

    let mut eu = Client::new(state(&hub));
    let r = eu.login("eu", PASSWORD).await;
    assert_eq!(r.location().as_deref(), Some("/releases"));
    assert_eq!(eu.get("/dashboard").await.status, StatusCode::FORBIDDEN);
    assert_eq!(eu.get("/submissions").await.status, StatusCode::FORBIDDEN);
    assert_eq!(eu.get("/reports").await.status, StatusCode::FORBIDDEN);
    assert_ok(&eu.get("/releases/2024-public-1/sdmx.csv").await);
    assert_eq!(analyst.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn report_runs_inline_and_downloads_and_the_audit_chain_holds() {
    let hub = hub();
    let hub_server = state(&hub);
    let mut c = Client::new(hub_server.clone());
    c.login("analyst", PASSWORD).await;
    let csrf = c.csrf("/reports").await;
    let r = c
        .post_form(
            "/reports",
            &[
                ("kind", "simple"),
                ("measure", "persons"),
                ("dim1", "sex"),
                ("dim2", "age_group"),
                ("audience", "national"),
                ("format", "html"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_ok(&r);
    assert!(r.text().contains("<svg"), "the HTML report has a chart");
    assert!(
        r.text().contains("class=\"app-way-back\"><a")
            || r.text().contains("<a style=\"color:#fff\" href=\"/reports\">"),
        "a way back to the builder"
    );
    let r = c
        .post_form(
            "/reports",
            &[
                ("kind", "simple"),
                ("measure", "persons"),
                ("dim1", "sex"),
                ("audience", "public"),
                ("format", "csv"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_ok(&r);
    assert!(r.headers.get("content-disposition").unwrap().to_str().unwrap().starts_with("attachment"));
    // A provider user cannot ask for the national audience.
    let mut p = Client::new(hub_server.clone());
    p.login("prov-a", PASSWORD).await;
    let pc = p.csrf("/reports").await;
    let r = p
        .post_form(
            "/reports",
            &[
                ("kind", "simple"),
                ("measure", "persons"),
                ("dim1", "sex"),
                ("audience", "national"),
                ("csrf", &pc),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = p
        .post_form(
            "/reports",
            &[
                ("kind", "simple"),
                ("measure", "registrations"),
                ("dim1", "sex"),
                ("audience", "provider"),
                ("csrf", &pc),
            ],
        )
        .await;
    assert_ok(&r);

    // Report runs are audited without waiting for the commit; flush before reading the log.
    hub_server.flush_audit().await.expect("flush");
    let mut admin = Client::new(hub_server.clone());
    admin.login("admin", PASSWORD).await;
    let page = admin.get("/admin/audit").await;
    assert_ok(&page);
    assert!(page.text().contains("data-intact=\"true\""));

    let mut s = store::Store::open(&hub.database).unwrap();
    let rows = s.audit_log().unwrap();
    let actions: Vec<(&str, &str)> = rows.iter().map(|r| (r.action.as_str(), r.outcome.as_str())).collect();
    assert!(actions.contains(&("auth.login", "ok")));
    assert!(actions.contains(&("report.run.national", "ok")));
    assert!(actions.contains(&("report.export", "ok")));
    assert!(
        actions.contains(&("report.run.national", "denied")) || actions.contains(&("report.run", "denied"))
    );
    assert!(rows.iter().all(|r| !r.detail.contains(PASSWORD)));
    let mut events: Vec<auth::AuditEvent> =
        rows.iter().map(|r| server::audit_log::from_row(r).unwrap()).collect();
    auth::verify(&events).expect("intact chain");
    // Tampering: alter one event, then delete one.
    events[1].actor = "user:someone-else".into();
    assert!(matches!(auth::verify(&events), Err(auth::ChainError::Altered { seq: 2, .. })));
    let mut events: Vec<auth::AuditEvent> =
        rows.iter().map(|r| server::audit_log::from_row(r).unwrap()).collect();
    events.remove(2);
    assert!(auth::verify(&events).is_err());
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_no_external_url() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    let mut pages = Vec::new();
    for path in ["/login", "/releases", "/nope"] {
        pages.push((path.to_string(), c.get(path).await));
    }
    c.login("admin", PASSWORD).await;
    for path in ["/dashboard", "/submissions", "/reports", "/releases", "/admin/audit", "/dashboard?lang=pt"]
    {
        pages.push((path.to_string(), c.get(path).await));
    }
    let csrf = c.csrf("/reports").await;
    let report = c
        .post_form(
            "/reports",
            &[
                ("kind", "geo"),
                ("measure", "persons"),
                ("level", "nuts2"),
                ("audience", "national"),
                ("csrf", &csrf),
            ],
        )
        .await;
    pages.push(("geo report".into(), report));
    for (path, r) in &pages {
        let h = &r.headers;
        assert_eq!(h["content-security-policy"], server::headers::CSP, "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        let text = r.text();
        for bad in ["src=\"http", "href=\"http", "url(http", "src='http", "href='http", "@import", "src=\"//"]
        {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
        // The only script is the hub's own file; no inline script.
        let scripts: Vec<&str> = text.match_indices("<script").map(|(i, _)| &text[i..]).collect();
        for s in &scripts {
            assert!(
                s.starts_with("<script src=\"/assets/sort.js\" defer></script>"),
                "{path}: {}",
                &s[..60.min(s.len())]
            );
        }
    }
    let pt = &pages.iter().find(|(p, _)| p == "/dashboard?lang=pt").unwrap().1;
    assert!(pt.text().contains("Painel"));
}

#[tokio::test]
async fn openapi_lists_the_api_routes() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    let r = c.get("/api/openapi.json").await;
    assert_ok(&r);
    let doc: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for route in server::api::ROUTES {
        assert!(doc["paths"][route.path][route.method].is_object(), "{} {}", route.method, route.path);
    }
    assert!(doc["paths"]["/api/reports"]["post"].is_object());
    // The API runs reports with the CSRF header.
    c.login("analyst", PASSWORD).await;
    let me: serde_json::Value = serde_json::from_slice(&c.get("/api/me").await.body).unwrap();
    let csrf = me["csrf"].as_str().unwrap().to_string();
    let spec = serde_json::json!({"kind": "simple", "measure": "persons", "dim1": "sex", "audience": "national", "format": "json"});
    assert_eq!(c.post_json("/api/reports", "bad", &spec).await.status, StatusCode::FORBIDDEN);
    let r = c.post_json("/api/reports", &csrf, &spec).await;
    assert_ok(&r);
    let _: serde_json::Value = serde_json::from_slice(&r.body).expect("json report");
}

#[tokio::test]
async fn dashboard_shows_sparklines_and_data_quality_alerts() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    c.login("analyst", PASSWORD).await;
    let r = c.get("/dashboard").await;
    assert_ok(&r);
    let text = r.text();
    assert_eq!(text.matches("<span class=\"spark\"").count(), 5, "one sparkline per key figure");
    assert!(text.matches("<svg").count() >= 5);
    assert!(text.contains("Data-quality alerts"));
    assert!(text.contains("data-alert=\"") || text.contains("No alerts."));
    let mut p = Client::new(state(&hub));
    p.login("prov-a", PASSWORD).await;
    let r = p.get("/dashboard?lang=pt").await;
    assert_ok(&r);
    let text = r.text();
    assert_eq!(text.matches("<span class=\"spark\"").count(), 5);
    assert!(text.contains("Alertas de qualidade dos dados"));
    assert!(!text.contains(&format!("data-provider=\"{}\"", hub.providers[1])));
}
