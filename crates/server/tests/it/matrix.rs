//! The access matrix: every role × every endpoint (pages and API, GET and POST) gives exactly the
//! expected allow or deny — including a provider user asking for another provider's submission by
//! id. A denial is a 401/403 or, for an anonymous page request, the way to the login page; an
//! allowed request got past the role checks (its answer may still be a 400 for an empty form, but
//! never a denial or a server error).

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, hub, state};

const ROLES: [&str; 5] = ["anonymous", "admin", "analyst", "prov-a", "eu"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Got {
    Allowed,
    Denied,
}

fn classify(status: StatusCode, location: Option<&str>) -> Option<Got> {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Some(Got::Denied);
    }
    if status.is_redirection() {
        return Some(if location.is_some_and(|l| l.starts_with("/login")) {
            Got::Denied
        } else {
            Got::Allowed
        });
    }
    if status.is_server_error() {
        return None;
    }
    Some(Got::Allowed)
}

#[tokio::test]
async fn every_role_reaches_exactly_the_endpoints_it_should() {
    let hub = hub();
    let (own_provider, other_provider) = (hub.providers[0].clone(), hub.providers[1].clone());
    let (own_sub, other_sub, release) = {
        let mut s = store::Store::open(&hub.database).expect("open");
        let infos = s.submission_infos().expect("submissions");
        let of = |p: &str| {
            infos.iter().find(|i| i.submission.provider_id.as_str() == p).expect("a submission").submission.id
        };
        let release = s.releases().expect("releases")[0].id.clone();
        let now = chrono::Utc::now();
        s.save_profile("own-p", Some(&own_provider), crate::catalog::PROFILE, "admin", now).expect("own");
        s.save_profile("other-p", Some(&other_provider), crate::catalog::PROFILE, "admin", now)
            .expect("other");
        (of(&own_provider).to_string(), of(&other_provider).to_string(), release)
    };
    let server = state(&hub);
    // (method, path, roles allowed)
    let all = &ROLES[..];
    // EU viewers see released protected tables only (and their own account).
    let users = &["admin", "analyst", "prov-a", "eu"][..];
    let staff = &["admin", "analyst"][..];
    let workers = &["admin", "analyst", "prov-a"][..];
    let admin = &["admin"][..];
    let eu_viewers = &["admin", "analyst", "eu"][..];
    let endpoints: Vec<(&str, String, &[&str])> = vec![
        ("GET", "/".into(), all),
        ("GET", "/login".into(), all),
        ("GET", "/dashboard".into(), workers),
        ("GET", "/submissions".into(), workers),
        ("GET", "/submissions/upload".into(), workers),
        ("GET", format!("/submissions/{own_sub}"), workers),
        ("GET", format!("/submissions/{other_sub}"), staff),
        ("POST", format!("/submissions/{own_sub}/status"), staff),
        ("POST", format!("/submissions/{other_sub}/status"), staff),
        ("GET", "/reports".into(), workers),
        ("POST", "/reports".into(), workers),
        ("GET", "/maps".into(), workers),
        ("GET", "/releases".into(), all),
        ("GET", format!("/releases/{release}/sdmx.csv"), all),
        ("GET", format!("/releases/{release}"), all),
        ("POST", "/releases".into(), staff),
        ("POST", format!("/releases/{release}/publish"), staff),
        ("POST", format!("/releases/{release}/discard"), staff),
        ("POST", format!("/releases/{release}/push"), staff),
        // EU level (this is a national hub: after the role check, 404): viewers of EU totals.
        ("GET", "/eu".into(), eu_viewers),
        ("GET", "/api/eu/totals?period=2024".into(), eu_viewers),
        // A national release is received with a hub token only: no session is enough.
        ("POST", "/api/eu/releases".into(), &[][..]),
        ("GET", "/admin/audit".into(), admin),
        ("GET", "/admin/users".into(), admin),
        ("POST", "/admin/users".into(), admin),
        ("POST", "/admin/users/prov-b/disable".into(), admin),
        ("GET", "/admin/tokens".into(), admin),
        ("GET", "/admin/settings".into(), admin),
        ("POST", "/admin/settings".into(), admin),
        ("POST", "/admin/tokens/0123abcd/revoke".into(), admin),
        ("POST", "/admin/tokens".into(), admin),
        ("GET", "/providers".into(), staff),
        ("GET", format!("/providers/{own_provider}"), admin),
        ("POST", format!("/providers/{own_provider}"), admin),
        ("GET", "/profiles".into(), workers),
        ("GET", "/profiles/new".into(), staff),
        ("GET", "/codelists".into(), workers),
        ("GET", "/codelists/sex".into(), workers),
        ("GET", "/account/totp".into(), users),
        ("GET", "/api/openapi.json".into(), all),
        ("GET", "/api/me".into(), all),
        ("GET", "/api/dashboard".into(), workers),
        ("GET", "/api/submissions".into(), workers),
        ("GET", format!("/api/submissions/{own_sub}"), workers),
        ("GET", format!("/api/submissions/{other_sub}"), staff),
        ("POST", "/api/reports".into(), workers),
        ("GET", "/api/releases".into(), all),
        ("GET", format!("/api/releases/{release}/sdmx.csv"), all),
        ("GET", "/api/audit".into(), admin),
        ("GET", "/api/users".into(), admin),
        ("GET", "/api/tokens".into(), admin),
        ("POST", "/api/releases".into(), staff),
        ("POST", format!("/api/releases/{release}/publish"), staff),
        ("GET", "/api/profiles".into(), workers),
        ("GET", "/profiles/own-p".into(), workers),
        ("GET", "/profiles/other-p".into(), staff),
        ("GET", "/api/profiles/own-p".into(), workers),
        ("GET", "/api/profiles/other-p".into(), staff),
        ("GET", "/api/codelists".into(), workers),
        ("GET", "/api/codelists/sex".into(), workers),
    ];
    // Every API endpoint is in the matrix (pages are listed by hand above).
    let matches = |template: &str, path: &str| {
        let p = path.split('?').next().unwrap_or(path);
        let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), p.split('/').collect());
        t.len() == p.len() && t.iter().zip(&p).all(|(a, b)| a.starts_with('{') || a == b)
    };
    for route in server::api::ROUTES {
        let method = route.method.to_ascii_uppercase();
        let covered = route.multipart
            || route.body && route.path.starts_with("/api/profiles")
            || endpoints.iter().any(|(m, p, _)| *m == method && matches(route.path, p));
        assert!(covered, "{method} {} is missing from the access matrix", route.path);
    }
    let mut wrong = Vec::new();
    for role in ROLES {
        let mut c = Client::new(server.clone());
        if role != "anonymous" {
            assert_eq!(c.login(role, PASSWORD).await.status, StatusCode::SEE_OTHER, "{role} logs in");
        }
        let page_csrf = if role == "anonymous" { String::new() } else { c.csrf("/account/totp").await };
        let api_csrf = if role == "anonymous" {
            String::new()
        } else {
            let me: serde_json::Value = serde_json::from_slice(&c.get("/api/me").await.body).expect("json");
            me["csrf"].as_str().unwrap_or_default().to_string()
        };
        for (method, path, allowed) in &endpoints {
            let reply = match *method {
                "GET" => c.get(path).await,
                _ if path.starts_with("/api/") => {
                    let audience = if role == "prov-a" { "provider" } else { "national" };
                    let spec = serde_json::json!({"kind": "simple", "dim1": "sex", "audience": audience});
                    c.post_json(path, &api_csrf, &spec).await
                }
                // A page form with a token of another form: the role check comes first, so a denied
                // role is denied, and an allowed one is refused only for the token (never 401/403
                // for the role) — the CSRF refusal is told apart below.
                _ => c.post_form(path, &[("csrf", &page_csrf)]).await,
            };
            let got = classify(reply.status, reply.location().as_deref());
            let expected = if allowed.contains(&role) { Got::Allowed } else { Got::Denied };
            let csrf_refusal = reply.status == StatusCode::FORBIDDEN
                && *method == "POST"
                && reply.text().contains("did not come from this hub");
            let got = if csrf_refusal && expected == Got::Allowed { Some(Got::Allowed) } else { got };
            if got != Some(expected) {
                wrong.push(format!(
                    "{role:9} {method:4} {path}: expected {expected:?}, got {} ({got:?})",
                    reply.status
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "access matrix mismatches:\n{}", wrong.join("\n"));
}
