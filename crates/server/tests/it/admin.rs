//! Administration: the users page (list, create with the password policy, disable and enable),
//! TOTP enrolment of one's own account, and who may reach them.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

#[tokio::test]
async fn admins_list_create_disable_and_enable_users() {
    let hub = hub();
    // One server (sessions are cached per server process; a change made by this process ends
    // cached sessions at once).
    let hub_server = state(&hub);
    let mut admin = Client::new(hub_server.clone());
    admin.login("admin", PASSWORD).await;
    let list = admin.get("/admin/users").await;
    assert_ok(&list);
    let text = list.text();
    assert!(text.contains("prov-a") && text.contains(&hub.providers[0]), "lists accounts");
    assert!(text.contains("href=\"/admin/users\""), "linked from the navigation");
    assert!(!text.contains("$argon2"), "never a hash");
    let csrf = admin.csrf("/admin/users").await;
    // The password policy refuses a short password; no account is made.
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "newbie"),
                ("role", "analyst"),
                ("provider", ""),
                ("password", "short"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // A provider user needs a provider.
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "pu"),
                ("role", "provider_user"),
                ("provider", ""),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let p = hub.providers[1].clone();
    let r = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "pu"),
                ("role", "provider_user"),
                ("provider", &p),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_ok(&r);
    // Without the CSRF token nothing happens.
    let r = admin
        .post_form("/admin/users", &[("username", "x1"), ("role", "analyst"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    {
        let mut s = store::Store::open(&hub.database).unwrap();
        let a = s.account("pu").unwrap().expect("created");
        assert_eq!(a.provider_id.as_deref(), Some(p.as_str()));
        assert!(s.account("newbie").unwrap().is_none() && s.account("x1").unwrap().is_none());
    }
    // The new user logs in; disabling ends the session and refuses the next login.
    let mut pu = Client::new(hub_server.clone());
    assert_eq!(pu.login("pu", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_ok(&pu.get("/dashboard").await);
    let r = admin.post_form("/admin/users/pu/disable", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(pu.get("/dashboard").await.location().as_deref(), Some("/login"));
    assert_eq!(pu.login("pu", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    // An admin cannot disable themselves.
    let r = admin.post_form("/admin/users/admin/disable", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = admin.post_form("/admin/users/pu/enable", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(pu.login("pu", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    for a in ["user.add", "user.disable", "user.enable"] {
        assert!(log.iter().any(|e| e.action == a && e.object == "user:pu" && e.outcome == "ok"), "{a}");
    }
    assert!(!log.iter().any(|e| e.detail.contains(PASSWORD)));
}

#[tokio::test]
async fn only_admins_reach_the_users_page() {
    let hub = hub();
    for user in ["analyst", "prov-a", "eu"] {
        let mut c = Client::new(state(&hub));
        c.login(user, PASSWORD).await;
        assert_eq!(c.get("/admin/users").await.status, StatusCode::FORBIDDEN, "{user}");
        assert!(!c.get("/releases").await.text().contains("href=\"/admin/users\""), "{user}");
        let csrf = c.csrf("/releases").await;
        let r = c.post_form("/admin/users/admin/disable", &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
    let mut anon = Client::new(state(&hub));
    assert_eq!(anon.get("/admin/users").await.location().as_deref(), Some("/login"));
    assert!(!store::Store::open(&hub.database).unwrap().account("admin").unwrap().unwrap().disabled);
}

fn secret_of(page: &str) -> auth::TotpSecret {
    let start = page.find("id=\"totp-secret\">").expect("secret shown") + "id=\"totp-secret\">".len();
    let end = start + page[start..].find('<').expect("end");
    auth::TotpSecret::from_base32(&page[start..end]).expect("base32")
}

#[tokio::test]
async fn every_user_can_enrol_a_second_factor_which_login_then_asks_for() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    c.login("prov-a", PASSWORD).await;
    let form = c.get("/account/totp").await;
    assert_ok(&form);
    let text = form.text();
    assert!(text.contains("otpauth://totp/"), "URI shown as text");
    assert!(!text.contains("<img"), "no external QR service");
    let secret = secret_of(&text);
    let csrf = c.csrf("/account/totp").await;
    // The page was loaded again: a new key; confirm the first one, as the form would carry it.
    let now = chrono::Utc::now();
    let code = auth::totp::code_at(&secret, now, 6).unwrap();
    let wrong = c
        .post_form(
            "/account/totp",
            &[
                ("secret", &secret.to_base32()),
                ("code", &code),
                ("password", "wrong-password-12"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_code = if code == "000000" { "111111" } else { "000000" };
    let wrong = c
        .post_form(
            "/account/totp",
            &[("secret", &secret.to_base32()), ("code", bad_code), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        store::Store::open(&hub.database).unwrap().account("prov-a").unwrap().unwrap().totp_secret.is_none()
    );
    let ok = c
        .post_form(
            "/account/totp",
            &[("secret", &secret.to_base32()), ("code", &code), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
    assert_ok(&ok);
    assert!(!ok.text().contains(&secret.to_base32()), "not shown again");
    let stored = store::Store::open(&hub.database).unwrap().account("prov-a").unwrap().unwrap();
    assert_eq!(stored.totp_secret.as_deref(), Some(secret.to_base32().as_str()));
    // The next login asks for the code.
    let mut next = Client::new(state(&hub));
    let r = next.login("prov-a", PASSWORD).await;
    assert_eq!(r.location().as_deref(), Some("/login/totp"));
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "account.totp.enrol" && e.outcome == "ok"));
    assert!(!log.iter().any(|e| e.detail.contains(&secret.to_base32())));
    // The anonymous cannot enrol.
    let mut anon = Client::new(state(&hub));
    assert_eq!(anon.get("/account/totp").await.location().as_deref(), Some("/login"));
}

#[tokio::test]
async fn admins_issue_a_provider_scoped_token_shown_once_that_uploads() {
    let hub = hub();
    let (own, other) = (hub.providers[0].clone(), hub.providers[1].clone());
    let mut admin = Client::new(state(&hub));
    admin.login("admin", PASSWORD).await;
    let form = admin.get("/admin/tokens").await;
    assert_ok(&form);
    assert!(form.text().contains("href=\"/admin/tokens\""));
    assert!(form.text().contains("value=\"prov-a\"") && !form.text().contains("value=\"analyst\""));
    let csrf = admin.csrf("/admin/tokens").await;
    // Only provider users get tokens, within the lifetime limit.
    let r = admin
        .post_form(
            "/admin/tokens",
            &[("account", "analyst"), ("label", "x"), ("days", "30"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = admin
        .post_form(
            "/admin/tokens",
            &[("account", "prov-a"), ("label", "x"), ("days", "5000"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = admin.post_form("/admin/tokens", &[("account", "prov-a"), ("label", "x"), ("days", "30")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .post_form(
            "/admin/tokens",
            &[("account", "prov-a"), ("label", "export job"), ("days", "30"), ("csrf", &csrf)],
        )
        .await;
    assert_ok(&r);
    let text = r.text();
    let start = text.find("id=\"api-token\">").expect("token shown") + "id=\"api-token\">".len();
    let token = text[start..start + text[start..].find('<').unwrap()].to_string();
    assert!(token.starts_with("mosy_"));
    assert!(!admin.get("/admin/tokens").await.text().contains(&token), "shown once");
    let bearer = format!("Bearer {token}");
    let mut machine = Client::new(state(&hub));
    let file = crate::submit::file_of(&own, None);
    let r = machine
        .post_multipart("/api/submissions", &[("authorization", &bearer)], &[("file", Some("v.csv"), &file)])
        .await;
    assert_ok(&r);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["provider"], own.as_str());
    let file = crate::submit::file_of(&other, None);
    let r = machine
        .post_multipart(
            "/api/submissions",
            &[("authorization", &bearer)],
            &[("provider", None, other.as_bytes()), ("file", Some("v.csv"), &file)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "token.issue" && e.object == "user:prov-a" && e.outcome == "ok"));
    assert!(!log.iter().any(|e| e.detail.contains(&token)));
    // The token is listed (by the start of its hash, never the secret) and can be revoked, after
    // which it no longer uploads.
    let list = admin.get("/admin/tokens").await.text();
    assert!(list.contains("export job") && !list.contains(&token));
    let at = list.find("action=\"/admin/tokens/").expect("a revoke form") + "action=\"/admin/tokens/".len();
    let short = list[at..at + 8].to_string();
    let r = admin.post_form(&format!("/admin/tokens/{short}/revoke"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "CSRF");
    let r = admin.post_form(&format!("/admin/tokens/{short}/revoke"), &[("csrf", &csrf)]).await;
    assert_ok(&r);
    assert!(!r.text().contains("action=\"/admin/tokens/"), "no token left to revoke");
    let file = crate::submit::file_of(&own, None);
    let r = machine
        .post_multipart("/api/submissions", &[("authorization", &bearer)], &[("file", Some("v.csv"), &file)])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a revoked token");
    let r = admin.post_form(&format!("/admin/tokens/{short}/revoke"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "token.revoke" && e.object == "user:prov-a"));
    for user in ["analyst", "prov-a", "eu"] {
        let mut c = Client::new(state(&hub));
        c.login(user, PASSWORD).await;
        assert_eq!(c.get("/admin/tokens").await.status, StatusCode::FORBIDDEN, "{user}");
        let csrf = c.csrf("/releases").await;
        let r = c
            .post_form(
                "/admin/tokens",
                &[("account", "prov-a"), ("label", "x"), ("days", "30"), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
    }
}

#[tokio::test]
async fn staff_see_the_provider_register_read_only() {
    let hub = hub();
    for user in ["admin", "analyst"] {
        let mut c = Client::new(state(&hub));
        c.login(user, PASSWORD).await;
        let r = c.get("/providers").await;
        assert_ok(&r);
        let text = r.text();
        assert!(text.contains("href=\"/providers\""), "{user}");
        for p in &hub.providers {
            assert!(text.contains(p.as_str()), "{user} {p}");
        }
        assert!(!text.contains("<form method=\"post\" action=\"/providers"), "read-only");
    }
    for user in ["prov-a", "eu"] {
        let mut c = Client::new(state(&hub));
        c.login(user, PASSWORD).await;
        assert_eq!(c.get("/providers").await.status, StatusCode::FORBIDDEN, "{user}");
        assert!(!c.get("/releases").await.text().contains("href=\"/providers\""), "{user}");
    }
    let mut anon = Client::new(state(&hub));
    assert_eq!(anon.get("/providers").await.location().as_deref(), Some("/login"));
}

#[tokio::test]
async fn when_the_hub_requires_it_admins_without_a_second_factor_can_only_enrol_one() {
    let hub = hub();
    let server = state(&hub);
    let mut admin = Client::new(server.clone());
    admin.login("admin", PASSWORD).await;
    assert_ok(&admin.get("/admin/settings").await);
    // Switching it on needs the acting admin's own current code: without a second factor, refused.
    let csrf = admin.csrf("/admin/settings").await;
    let r = admin
        .post_form("/admin/settings", &[("admin_totp", "on"), ("code", "123456"), ("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Enrol, then switch it on with a current code.
    let secret = secret_of(&admin.get("/account/totp").await.text());
    let csrf = admin.csrf("/account/totp").await;
    let code = auth::totp::code_at(&secret, chrono::Utc::now(), 6).unwrap();
    let r = admin
        .post_form(
            "/account/totp",
            &[("secret", &secret.to_base32()), ("code", &code), ("password", PASSWORD), ("csrf", &csrf)],
        )
        .await;
    assert_ok(&r);
    let csrf = admin.csrf("/admin/settings").await;
    let code = auth::totp::code_at(&secret, chrono::Utc::now(), 6).unwrap();
    let r =
        admin.post_form("/admin/settings", &[("admin_totp", "on"), ("code", &code), ("csrf", &csrf)]).await;
    assert_ok(&r);
    assert!(r.text().contains("name=\"admin_totp\" value=\"on\" checked"));
    // Another admin without a second factor is sent to enrolment and may do nothing else.
    {
        let mut s = store::Store::open(&hub.database).unwrap();
        let hashing = auth::PasswordHashing::for_tests();
        let mut rng = auth::SeededRng::new(9);
        server::accounts::add_user(&mut s, &hashing, &mut rng, "admin2", &auth::Role::HubAdmin, PASSWORD)
            .unwrap();
    }
    let mut other = Client::new(server.clone());
    other.login("admin2", PASSWORD).await;
    assert_eq!(other.get("/dashboard").await.location().as_deref(), Some("/account/totp"));
    assert_eq!(other.get("/admin/users").await.location().as_deref(), Some("/account/totp"));
    assert_eq!(other.get("/api/audit").await.status, StatusCode::FORBIDDEN);
    let page = other.get("/account/totp").await;
    assert_ok(&page);
    assert!(!page.text().contains("href=\"/admin/users\""), "no other way in the navigation");
    // An admin removes a second factor (lost device): the sessions of that account end and it logs
    // in with its password alone.
    let mut phone_lost = Client::new(server.clone());
    assert_eq!(phone_lost.login("admin", PASSWORD).await.location().as_deref(), Some("/login/totp"));
    let csrf = other.csrf("/account/totp").await;
    let r = other.post_form("/admin/users/admin/reset-totp", &[("csrf", &csrf)]).await;
    assert_eq!(r.location().as_deref(), Some("/account/totp"), "admin2 itself must enrol first");
    let csrf = admin.csrf("/admin/users").await;
    let r = admin.post_form("/admin/users/admin/reset-totp", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        store::Store::open(&hub.database).unwrap().account("admin").unwrap().unwrap().totp_secret.is_none()
    );
    assert_eq!(admin.get("/admin/users").await.location().as_deref(), Some("/login"), "sessions ended");
    // Analysts are not concerned.
    let mut analyst = Client::new(server.clone());
    analyst.login("analyst", PASSWORD).await;
    assert_ok(&analyst.get("/dashboard").await);
    let log = store::Store::open(&hub.database).unwrap().audit_log().unwrap();
    assert!(log.iter().any(|e| e.action == "settings.change" && e.outcome == "ok" && e.detail == "true"));
    assert!(log.iter().any(|e| e.action == "settings.change" && e.outcome == "failed"));
    assert!(log.iter().any(|e| e.action == "user.totp.reset" && e.object == "user:admin"));
}
