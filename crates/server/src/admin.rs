//! Administration pages: users (list, create, disable and enable) for hub admins, the enrolment of a
//! TOTP second factor for every logged-in account, API tokens for provider users (admins), and the
//! register of data providers (staff; admins get a link to edit each provider, see `catalog`).
//! Every handler asks [`auth::allowed`] first, every POST checks its CSRF token, every change is
//! audited; hashes and secrets are never shown (a new TOTP secret and a new API token are shown
//! once, to the one who made them).

use auth::{Action, Object, Outcome, Role};
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;
use store::AccountRow;

use crate::ctx::Ctx;
use crate::html::{csrf_field, esc, page, table};
use crate::pages::csrf_refused;

type Page = std::result::Result<Response, Response>;

fn message(ok: bool, text: &str) -> String {
    let class = if ok { "ok" } else { "err" };
    format!(r#"<p class="{class}" role="alert">{}</p>"#, esc(text))
}

fn role_label(ctx: &Ctx, code: &str) -> String {
    let key = match code {
        "hub_admin" => "users.role.admin",
        "analyst" => "users.role.analyst",
        "provider_user" => "users.role.provider",
        "eu_viewer" => "users.role.eu_viewer",
        _ => "users.role.public",
    };
    ctx.t(key)
}

fn yes_no(ctx: &Ctx, v: bool) -> String {
    ctx.t(if v { "common.yes" } else { "common.no" })
}

// ── Users ─────────────────────────────────────────────────────────────────────────────────────

fn may_manage_users(ctx: &Ctx) -> bool {
    ctx.allowed(Action::ManageUsers, Object::Hub)
}

async fn users_page(ctx: &Ctx, status: StatusCode, note: Option<(bool, String)>) -> crate::Result<Response> {
    let (accounts, providers) =
        ctx.state.with_store(|s| Ok((s.accounts()?, s.providers(model::Codelists::embedded())?))).await?;
    let mut body = note.map(|(ok, m)| message(ok, &m)).unwrap_or_default();
    let head = [
        "users.username",
        "users.name",
        "users.role.label",
        "users.provider.label",
        "users.second_factor.label",
        "users.disabled",
        "users.actions",
    ]
    .map(|k| esc(&ctx.t(k)));
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            let (op, key) = if a.disabled { ("enable", "users.enable") } else { ("disable", "users.disable") };
            vec![
                esc(&a.id),
                esc(&a.display_name),
                esc(&role_label(ctx, &a.role)),
                esc(a.provider_id.as_deref().unwrap_or("—")),
                esc(&yes_no(ctx, a.totp_secret.is_some())),
                esc(&yes_no(ctx, a.disabled)),
                format!(
                    r#"<form class="inline" method="post" action="/admin/users/{id}/{op}">{csrf}<button type="submit">{label}</button></form>{reset}"#,
                    id = esc(&a.id),
                    csrf = csrf_field(ctx, "users"),
                    label = esc(&ctx.t(key)),
                    reset = if a.totp_secret.is_some() {
                        format!(
                            r#" <form class="inline" method="post" action="/admin/users/{id}/reset-totp">{csrf}<button type="submit">{label}</button></form>"#,
                            id = esc(&a.id),
                            csrf = csrf_field(ctx, "users"),
                            label = esc(&ctx.t("users.reset_totp")),
                        )
                    } else {
                        String::new()
                    },
                ),
            ]
        })
        .collect();
    body.push_str(&table(&head, &rows, &[]));
    let roles: String = ["hub_admin", "analyst", "provider_user", "eu_viewer"]
        .iter()
        .map(|r| format!(r#"<option value="{r}">{}</option>"#, esc(&role_label(ctx, r))))
        .collect();
    let mut provs = format!(r#"<option value="">{}</option>"#, esc(&ctx.t("common.none")));
    for p in &providers {
        provs.push_str(&format!(
            r#"<option value="{}">{} — {}</option>"#,
            esc(p.id.as_str()),
            esc(p.id.as_str()),
            esc(&p.name)
        ));
    }
    body.push_str(&format!(
        r#"<h2>{add}</h2><form method="post" action="/admin/users">{csrf}<label for="username">{u}</label><input id="username" name="username" autocomplete="off" required><label for="role">{r}</label><select id="role" name="role">{roles}</select><label for="provider">{p}</label><select id="provider" name="provider">{provs}</select><p>{phint}</p><label for="password">{pw}</label><input id="password" name="password" type="password" autocomplete="new-password" required><p>{rules}</p><p><button type="submit">{create}</button></p></form>"#,
        add = esc(&ctx.t("users.add")),
        csrf = csrf_field(ctx, "users"),
        u = esc(&ctx.t("users.username")),
        r = esc(&ctx.t("users.role.label")),
        p = esc(&ctx.t("users.provider.label")),
        phint = esc(&ctx.t("users.provider.hint")),
        pw = esc(&ctx.t("login.password")),
        rules = esc(&ctx.ta("account.password_rules", &[("min", &auth::PasswordPolicy::default().min_chars.to_string())])),
        create = esc(&ctx.t("action.create")),
    ));
    Ok(page(ctx, status, &ctx.t("users.title"), &body))
}

pub(crate) async fn users(ctx: Ctx) -> Page {
    if !may_manage_users(&ctx) {
        return Err(ctx.deny(Action::ManageUsers.code()).await);
    }
    users_page(&ctx, StatusCode::OK, None).await.map_err(|e| ctx.internal(e))
}

/// The form creating a user.
#[derive(Deserialize)]
pub(crate) struct NewUser {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn refuse_user(ctx: &Ctx, reason: String) -> Page {
    let note = ctx.ta("users.error", &[("reason", &reason)]);
    let page = users_page(ctx, StatusCode::BAD_REQUEST, Some((false, note))).await;
    Err(page.unwrap_or_else(|e| ctx.internal(e)))
}

pub(crate) async fn user_create(ctx: Ctx, Form(form): Form<NewUser>) -> Page {
    if !may_manage_users(&ctx) {
        return Err(ctx.deny(Action::ManageUsers.code()).await);
    }
    if !ctx.csrf_ok("users", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let username = form.username.trim().to_string();
    let provider = Some(form.provider.trim()).filter(|p| !p.is_empty() && form.role == "provider_user");
    let role = match Role::from_code(&form.role, provider) {
        Ok(r) => r,
        Err(e) => return refuse_user(&ctx, e.to_string()).await,
    };
    let inner = ctx.state.0.clone();
    let id = username.clone();
    let role2 = role.clone();
    let password = form.password;
    let added = ctx
        .state
        .with_store(move |s| {
            if s.account(&id)?.is_some() {
                return Ok(Err("exists".to_string()));
            }
            match crate::accounts::add_user(s, &inner.hashing, &mut auth::SystemRng, &id, &role2, &password) {
                Ok(()) => Ok(Ok(())),
                Err(crate::accounts::AddUserError::Server(e)) => Err(e),
                Err(e) => Ok(Err(e.to_string())),
            }
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    if let Err(reason) = added {
        let reason = if reason == "exists" { ctx.t("users.exists") } else { reason };
        ctx.audit("user.add", &format!("user:{username}"), Outcome::Failure, "refused")
            .await
            .map_err(|e| ctx.internal(e))?;
        return refuse_user(&ctx, reason).await;
    }
    ctx.audit("user.add", &format!("user:{username}"), Outcome::Success, &role.to_string())
        .await
        .map_err(|e| ctx.internal(e))?;
    let note = ctx.ta("users.created", &[("name", &username)]);
    users_page(&ctx, StatusCode::OK, Some((true, note))).await.map_err(|e| ctx.internal(e))
}

pub(crate) async fn user_status(
    ctx: Ctx,
    Path((id, op)): Path<(String, String)>,
    Form(form): Form<crate::pages::CsrfOnly>,
) -> Page {
    if !may_manage_users(&ctx) {
        return Err(ctx.deny(Action::ManageUsers.code()).await);
    }
    if !ctx.csrf_ok("users", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let disable = match op.as_str() {
        "disable" => true,
        "enable" => false,
        "reset-totp" => return reset_totp(ctx, id).await,
        _ => return Err(crate::pages::not_found(ctx).await),
    };
    if disable && ctx.user.as_ref().is_some_and(|u| u.account.id == id) {
        let note = ctx.t("users.self");
        return Err(users_page(&ctx, StatusCode::BAD_REQUEST, Some((false, note)))
            .await
            .unwrap_or_else(|e| ctx.internal(e)));
    }
    let target = id.clone();
    let found = ctx
        .state
        .with_store(move |s| {
            let Some(mut account) = s.account(&target)? else { return Ok(false) };
            account.disabled = disable;
            s.upsert_account(&account)?;
            if disable {
                s.delete_sessions_of(&target)?;
            }
            Ok(true)
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.accounts_changed();
    if !found {
        return Err(crate::pages::not_found(ctx).await);
    }
    let action = if disable { "user.disable" } else { "user.enable" };
    ctx.audit(action, &format!("user:{id}"), Outcome::Success, "").await.map_err(|e| ctx.internal(e))?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// Removes a user's second factor (a lost device): their sessions end, they log in with the
/// password alone and enrol again (admins at once when the hub requires it). Audited.
async fn reset_totp(ctx: Ctx, id: String) -> Page {
    let target = id.clone();
    let found = ctx
        .state
        .with_store(move |s| {
            let Some(mut account) = s.account(&target)? else { return Ok(false) };
            account.totp_secret = None;
            account.totp_last_step = None;
            s.upsert_account(&account)?;
            s.delete_sessions_of(&target)?;
            Ok(true)
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.accounts_changed();
    if !found {
        return Err(crate::pages::not_found(ctx).await);
    }
    ctx.audit("user.totp.reset", &format!("user:{id}"), Outcome::Success, "")
        .await
        .map_err(|e| ctx.internal(e))?;
    Ok(Redirect::to("/admin/users").into_response())
}

// ── TOTP enrolment ────────────────────────────────────────────────────────────────────────────

fn may_manage_own(ctx: &Ctx) -> bool {
    ctx.user.is_some() && ctx.allowed(Action::ManageOwnAccount, Object::Hub)
}

fn totp_enrol_page(
    ctx: &Ctx,
    account: &AccountRow,
    status: StatusCode,
    note: Option<(bool, String)>,
) -> Response {
    let secret = match auth::TotpSecret::generate(&mut auth::SystemRng) {
        Ok(s) => s,
        Err(e) => return ctx.internal(e.into()),
    };
    let base32 = secret.to_base32();
    let uri = secret.otpauth_uri(&ctx.t("app.title"), &account.id);
    let mut body = note.map(|(ok, m)| message(ok, &m)).unwrap_or_default();
    let state_key = if account.totp_secret.is_some() { "account.totp.active" } else { "account.totp.none" };
    body.push_str(&format!(r#"<p id="totp-state">{}</p>"#, esc(&ctx.t(state_key))));
    body.push_str(&format!(
        r#"<h2>{setup}</h2><p>{scan}</p><p>{once}</p><dl><dt>{sk}</dt><dd><code id="totp-secret">{base32}</code></dd><dt>{uk}</dt><dd><code id="totp-uri">{uri}</code></dd></dl><form method="post" action="/account/totp">{csrf}<input type="hidden" name="secret" value="{base32}"><label for="code">{c}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required><label for="password">{pw}</label><input id="password" name="password" type="password" autocomplete="current-password" required><p><button type="submit">{confirm}</button></p></form>"#,
        setup = esc(&ctx.t("account.totp.setup")),
        scan = esc(&ctx.t("account.totp.scan")),
        once = esc(&ctx.t("account.totp.shown_once")),
        sk = esc(&ctx.t("account.totp.secret")),
        base32 = esc(&base32),
        uk = esc(&ctx.t("account.totp.uri")),
        uri = esc(&uri),
        csrf = csrf_field(ctx, "totp-enrol"),
        c = esc(&ctx.t("login.second_factor.code")),
        pw = esc(&ctx.t("account.current_password")),
        confirm = esc(&ctx.t("account.totp.confirm")),
    ));
    page(ctx, status, &ctx.t("account.totp.title"), &body)
}

pub(crate) async fn totp_enrol_form(ctx: Ctx) -> Page {
    let Some(user) = ctx.user.clone().filter(|_| may_manage_own(&ctx)) else {
        return Err(ctx.deny(Action::ManageOwnAccount.code()).await);
    };
    Ok(totp_enrol_page(&ctx, &user.account, StatusCode::OK, None))
}

/// The form confirming a new TOTP secret.
#[derive(Deserialize)]
pub(crate) struct TotpEnrol {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn totp_enrol(ctx: Ctx, Form(form): Form<TotpEnrol>) -> Page {
    let Some(user) = ctx.user.clone().filter(|_| may_manage_own(&ctx)) else {
        return Err(ctx.deny(Action::ManageOwnAccount.code()).await);
    };
    if !ctx.csrf_ok("totp-enrol", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let now = Utc::now();
    let key = auth::throttle::account_key(&user.account.id);
    let ip = ctx.ip.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let allowed = matches!(ctx.state.throttle().check(&key, ip, now), auth::Decision::Allow);
    let password_ok = allowed
        && auth::PasswordHash::parse(&user.account.password_hash)
            .map(|h| ctx.state.0.hashing.verify(&form.password, &h))
            .unwrap_or(false);
    let step = auth::TotpSecret::from_base32(&form.secret)
        .ok()
        .filter(|_| password_ok)
        .and_then(|secret| auth::totp::verify(&secret, &form.code, now, None).ok().map(|s| (secret, s)));
    let object = format!("user:{}", user.account.id);
    let Some((secret, step)) = step else {
        ctx.state.throttle().record_failure(&key, ip, now);
        ctx.audit("account.totp.enrol", &object, Outcome::Failure, "wrong_code_or_password")
            .await
            .map_err(|e| ctx.internal(e))?;
        let note = ctx.t("account.totp.failed");
        return Err(totp_enrol_page(
            &ctx,
            &user.account,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((false, note)),
        ));
    };
    ctx.state.throttle().record_success(&key);
    let id = user.account.id.clone();
    let base32 = secret.to_base32();
    ctx.state
        .with_store(move |s| {
            let Some(mut account) = s.account(&id)? else { return Ok(()) };
            account.totp_secret = Some(base32);
            account.totp_last_step = Some(step);
            Ok(s.upsert_account(&account)?)
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.accounts_changed();
    ctx.audit("account.totp.enrol", &object, Outcome::Success, "").await.map_err(|e| ctx.internal(e))?;
    let body = message(true, &ctx.t("account.totp.enrolled"));
    Ok(page(&ctx, StatusCode::OK, &ctx.t("account.totp.title"), &body))
}

// ── API tokens ────────────────────────────────────────────────────────────────────────────────

/// The provider users that may receive a token from this admin: `(account, provider)`.
fn token_holders(ctx: &Ctx, accounts: &[AccountRow]) -> Vec<(String, String)> {
    accounts
        .iter()
        .filter(|a| a.role == "provider_user" && !a.disabled)
        .filter_map(|a| Some((a.id.clone(), a.provider_id.clone()?)))
        .filter(|(_, p)| ctx.allowed(Action::ManageApiTokens, Object::Provider(p)))
        .collect()
}

/// Whether the request may manage API tokens of any provider (a hub admin).
fn may_manage_tokens(ctx: &Ctx) -> bool {
    ctx.user.as_ref().is_some_and(|u| auth::allowed(&u.role, Action::ManageApiTokens, Object::Provider("*")))
}

async fn tokens_page(ctx: &Ctx, status: StatusCode, note: Option<(bool, String)>) -> crate::Result<Response> {
    let (accounts, issued) = ctx.state.with_store(|s| Ok((s.accounts()?, s.api_tokens()?))).await?;
    let holders = token_holders(ctx, &accounts);
    let mut body = note.map(|(ok, m)| message(ok, &m)).unwrap_or_default();
    let visible: Vec<&store::ApiTokenRow> =
        issued.iter().filter(|t| holders.iter().any(|(a, _)| *a == t.account_id)).collect();
    if !visible.is_empty() {
        let head = [
            "account.token.id",
            "account.token.account",
            "account.token.label",
            "account.token.created",
            "account.token.expires",
            "users.actions",
        ]
        .map(|k| esc(&ctx.t(k)));
        let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let rows: Vec<Vec<String>> = visible
            .iter()
            .map(|t| {
                let short = t.token_hash.chars().take(8).collect::<String>();
                let expired = t.expires_at.as_str() <= now.as_str();
                vec![
                    format!("<code>{}</code>", esc(&short)),
                    esc(&t.account_id),
                    esc(&t.label),
                    esc(&t.created_at.chars().take(10).collect::<String>()),
                    format!(
                        "{}{}",
                        esc(&t.expires_at.chars().take(10).collect::<String>()),
                        if expired { format!(" ({})", esc(&ctx.t("account.token.expired"))) } else { String::new() }
                    ),
                    format!(
                        r#"<form method="post" action="/admin/tokens/{short}/revoke" class="inline">{csrf}<button type="submit">{revoke}</button></form>"#,
                        short = esc(&short),
                        csrf = csrf_field(ctx, "tokens"),
                        revoke = esc(&ctx.t("account.token.revoke")),
                    ),
                ]
            })
            .collect();
        body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("account.token.issued_list"))));
        body.push_str(&table(&head, &rows, &[]));
    }
    if holders.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(&ctx.t("account.token.no_users"))));
        return Ok(page(ctx, status, &ctx.t("account.tokens"), &body));
    }
    let options: String = holders
        .iter()
        .map(|(a, p)| format!(r#"<option value="{}">{} — {}</option>"#, esc(a), esc(a), esc(p)))
        .collect();
    body.push_str(&format!(
        r#"<h2>{create}</h2><form method="post" action="/admin/tokens">{csrf}<label for="account">{acc}</label><select id="account" name="account">{options}</select><label for="label">{label}</label><input id="label" name="label" maxlength="100" required><label for="days">{days}</label><input id="days" name="days" type="number" min="1" max="{max}" value="90" required><p><button type="submit">{create}</button></p></form>"#,
        create = esc(&ctx.t("account.token.create")),
        csrf = csrf_field(ctx, "tokens"),
        acc = esc(&ctx.t("account.token.account")),
        label = esc(&ctx.t("account.token.label")),
        days = esc(&ctx.ta("account.token.days", &[("max", &auth::token::MAX_LIFETIME_DAYS.to_string())])),
        max = auth::token::MAX_LIFETIME_DAYS,
    ));
    Ok(page(ctx, status, &ctx.t("account.tokens"), &body))
}

pub(crate) async fn tokens(ctx: Ctx) -> Page {
    if !may_manage_tokens(&ctx) {
        return Err(ctx.deny(Action::ManageApiTokens.code()).await);
    }
    tokens_page(&ctx, StatusCode::OK, None).await.map_err(|e| ctx.internal(e))
}

/// The form issuing a token.
#[derive(Deserialize)]
pub(crate) struct NewToken {
    #[serde(default)]
    account: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    csrf: String,
}

/// Revokes a token named by the first 8 hex digits of its hash (what the list shows).
pub(crate) async fn token_revoke(
    ctx: Ctx,
    Path(short): Path<String>,
    Form(form): Form<crate::pages::CsrfOnly>,
) -> Page {
    if !may_manage_tokens(&ctx) {
        return Err(ctx.deny(Action::ManageApiTokens.code()).await);
    }
    if !ctx.csrf_ok("tokens", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let accounts = ctx.state.with_store(|s| Ok(s.accounts()?)).await.map_err(|e| ctx.internal(e))?;
    let holders: Vec<String> = token_holders(&ctx, &accounts).into_iter().map(|(a, _)| a).collect();
    let wanted = short.to_ascii_lowercase();
    let revoked = ctx
        .state
        .with_store(move |s| {
            let found: Vec<store::ApiTokenRow> = s
                .api_tokens()?
                .into_iter()
                .filter(|t| wanted.len() == 8 && t.token_hash.starts_with(&wanted))
                .filter(|t| holders.contains(&t.account_id))
                .collect();
            match found.as_slice() {
                [one] => Ok(s.revoke_api_token(&one.token_hash)?.then(|| one.account_id.clone())),
                _ => Ok(None),
            }
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let Some(account) = revoked else { return Err(crate::pages::not_found(ctx).await) };
    ctx.audit("token.revoke", &format!("user:{account}"), Outcome::Success, &format!("token={short}"))
        .await
        .map_err(|e| ctx.internal(e))?;
    let note = ctx.ta("account.token.revoked", &[("id", &short)]);
    tokens_page(&ctx, StatusCode::OK, Some((true, note))).await.map_err(|e| ctx.internal(e))
}

async fn refuse_token(ctx: &Ctx, reason: String) -> Page {
    let note = ctx.ta("account.token.error", &[("reason", &reason)]);
    let res = tokens_page(ctx, StatusCode::BAD_REQUEST, Some((false, note))).await;
    Err(res.unwrap_or_else(|e| ctx.internal(e)))
}

pub(crate) async fn token_issue(ctx: Ctx, Form(form): Form<NewToken>) -> Page {
    if !may_manage_tokens(&ctx) {
        return Err(ctx.deny(Action::ManageApiTokens.code()).await);
    }
    if !ctx.csrf_ok("tokens", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let accounts = ctx.state.with_store(|s| Ok(s.accounts()?)).await.map_err(|e| ctx.internal(e))?;
    let holder = token_holders(&ctx, &accounts).into_iter().find(|(a, _)| *a == form.account);
    let Some((account, provider)) = holder else {
        return refuse_token(&ctx, ctx.t("account.token.account")).await;
    };
    let days = form.days.trim().parse::<i64>().unwrap_or(0);
    let (acc, label) = (account.clone(), form.label.clone());
    let issued = ctx
        .state
        .with_store(move |s| {
            Ok(crate::accounts::issue_token(s, &acc, &label, days, Utc::now(), &mut auth::SystemRng))
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let issued = match issued {
        Ok(t) => t,
        Err(crate::accounts::IssueTokenError::Server(e)) => return Err(ctx.internal(e)),
        Err(e) => return refuse_token(&ctx, e.to_string()).await,
    };
    let expires = issued.expires_at.clone();
    let detail = format!("provider={provider} token={} expires={}", issued.short, &expires[..10]);
    ctx.audit("token.issue", &format!("user:{account}"), Outcome::Success, &detail)
        .await
        .map_err(|e| ctx.internal(e))?;
    let until = expires.chars().take(10).collect::<String>();
    let body = format!(
        r#"{issued}<p>{scope}</p><p><strong>{once}</strong></p><p><code id="api-token">{token}</code></p><p><a href="/admin/tokens">{back}</a></p>"#,
        issued = message(true, &ctx.ta("account.token.issued", &[("name", &account), ("until", &until)])),
        scope = esc(&ctx.ta("account.token.provider", &[("provider", &provider)])),
        once = esc(&ctx.t("account.token.shown_once")),
        token = esc(&issued.secret),
        back = esc(&ctx.t("action.back")),
    );
    Ok(page(&ctx, StatusCode::OK, &ctx.t("account.tokens"), &body))
}

// ── Data providers ────────────────────────────────────────────────────────────────────────────

pub(crate) async fn providers(ctx: Ctx) -> Page {
    // The register is for hub staff: analysts and admins see every provider.
    if !ctx.allowed(Action::ViewReferenceData, Object::Hub)
        || !ctx.allowed(Action::ViewDashboard, Object::AllProviders)
    {
        return Err(ctx.deny(Action::ViewReferenceData.code()).await);
    }
    let list = ctx
        .state
        .with_store(|s| Ok(s.providers(model::Codelists::embedded())?))
        .await
        .map_err(|e| ctx.internal(e))?;
    let body = if list.is_empty() {
        format!("<p>{}</p>", esc(&ctx.t("providers.empty")))
    } else {
        let head = [
            "providers.id",
            "providers.name",
            "providers.type",
            "providers.nuts",
            "providers.submits",
            "providers.formal",
        ]
        .map(|k| esc(&ctx.t(k)));
        let mut head = head.to_vec();
        let editable = crate::catalog::provider_edit_link(&ctx, &list[0].id).is_some();
        if editable {
            head.push(esc(&ctx.t("users.actions")));
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|p| {
                let submits: Vec<String> = p.submits.iter().map(ToString::to_string).collect();
                let mut row = vec![
                    esc(p.id.as_str()),
                    esc(&p.name),
                    esc(&p.provider_type.to_string()),
                    esc(p.nuts.as_ref().map_or("—", |n| n.as_str())),
                    esc(&submits.join(", ")),
                    esc(&yes_no(&ctx, p.can_formally_identify)),
                ];
                row.extend(crate::catalog::provider_edit_link(&ctx, &p.id));
                row
            })
            .collect();
        table(&head, &rows, &[])
    };
    Ok(page(&ctx, StatusCode::OK, &ctx.t("providers.title"), &body))
}

// ── Hub settings ──────────────────────────────────────────────────────────────────────────────

fn may_manage_settings(ctx: &Ctx) -> bool {
    ctx.allowed(Action::ManageSettings, Object::Hub)
}

async fn settings_page(
    ctx: &Ctx,
    status: StatusCode,
    note: Option<(bool, String)>,
) -> crate::Result<Response> {
    let on = ctx.state.admin_totp_required().await?;
    let mut body = note.map(|(ok, m)| message(ok, &m)).unwrap_or_default();
    body.push_str(&format!(
        r#"<form method="post" action="/admin/settings">{csrf}<p><input type="checkbox" id="admin_totp" name="admin_totp" value="on"{checked}> <label for="admin_totp" class="inline">{label}</label></p><p>{hint}</p><label for="code">{code}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"><p><button type="submit">{save}</button></p></form>"#,
        csrf = csrf_field(ctx, "settings"),
        checked = if on { " checked" } else { "" },
        label = esc(&ctx.t("settings.admin_totp.label")),
        hint = esc(&ctx.t("settings.admin_totp.hint")),
        code = esc(&ctx.t("settings.code")),
        save = esc(&ctx.t("action.save")),
    ));
    Ok(page(ctx, status, &ctx.t("settings.title"), &body))
}

pub(crate) async fn settings(ctx: Ctx) -> Page {
    if !may_manage_settings(&ctx) {
        return Err(ctx.deny(Action::ManageSettings.code()).await);
    }
    settings_page(&ctx, StatusCode::OK, None).await.map_err(|e| ctx.internal(e))
}

/// The settings form.
#[derive(Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    admin_totp: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// Changes the hub settings. Requiring a second factor of admins needs the acting admin's own
/// current TOTP code (so that nobody locks the hub's admins out by mistake).
pub(crate) async fn settings_save(ctx: Ctx, Form(form): Form<SettingsForm>) -> Page {
    let Some(user) = ctx.user.clone().filter(|_| may_manage_settings(&ctx)) else {
        return Err(ctx.deny(Action::ManageSettings.code()).await);
    };
    if !ctx.csrf_ok("settings", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let want = form.admin_totp == "on";
    let was = ctx.state.admin_totp_required().await.map_err(|e| ctx.internal(e))?;
    if want && !was {
        let now = Utc::now();
        let confirmed = user
            .account
            .totp_secret
            .as_deref()
            .and_then(|s| auth::TotpSecret::from_base32(s).ok())
            .is_some_and(|secret| auth::totp::verify(&secret, form.code.trim(), now, None).is_ok());
        if !confirmed {
            ctx.audit("settings.change", "setting:admin_totp_required", Outcome::Failure, "not_confirmed")
                .await
                .map_err(|e| ctx.internal(e))?;
            let note = ctx.t("settings.admin_totp.confirm");
            let res = settings_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, Some((false, note))).await;
            return Err(res.unwrap_or_else(|e| ctx.internal(e)));
        }
    }
    if want != was {
        let value = if want { "true" } else { "false" };
        ctx.state
            .with_store(move |s| Ok(s.set_setting(crate::ADMIN_TOTP_SETTING, value)?))
            .await
            .map_err(|e| ctx.internal(e))?;
        ctx.state.accounts_changed();
        ctx.audit("settings.change", "setting:admin_totp_required", Outcome::Success, value)
            .await
            .map_err(|e| ctx.internal(e))?;
    }
    let note = ctx.t("settings.saved");
    settings_page(&ctx, StatusCode::OK, Some((true, note))).await.map_err(|e| ctx.internal(e))
}
