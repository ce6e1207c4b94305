//! The pages: login (password, then TOTP when enrolled), logout, dashboard, submissions, the report
//! builder, releases (public) and the audit log (admin). Each handler asks [`auth::allowed`] first.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use auth::{Action, Audience as Aud, Object, Outcome, ReleaseAudience, Role, Session, UserId};
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Utc};
use serde::{Deserialize, Serialize};
use store::{AccountRow, SessionRow};

use crate::Result;
use crate::ctx::{Ctx, stamp};
use crate::html::{csrf_field, error_page, esc, page, table};

type Page = std::result::Result<Response, Response>;

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub(crate) async fn home(ctx: Ctx) -> Response {
    match &ctx.user {
        Some(u) if !matches!(u.role, Role::EuViewer) => Redirect::to("/dashboard").into_response(),
        _ => Redirect::to("/releases").into_response(),
    }
}

pub(crate) async fn not_found(ctx: Ctx) -> Response {
    error_page(&ctx, StatusCode::NOT_FOUND, &ctx.t("error.404.title"), &ctx.t("error.404.body"))
}

pub(crate) fn csrf_refused(ctx: &Ctx) -> Response {
    error_page(ctx, StatusCode::FORBIDDEN, &ctx.t("error.403.title"), &ctx.t("error.csrf"))
}

// ── Login ─────────────────────────────────────────────────────────────────────────────────────

fn login_page(ctx: &Ctx, status: StatusCode, message: Option<&str>) -> Response {
    let mut body = String::new();
    if ctx.expired {
        body.push_str(&format!(r#"<p class="err">{}</p>"#, esc(&ctx.t("error.session_expired"))));
    }
    if let Some(m) = message {
        body.push_str(&format!(r#"<p class="err" role="alert">{}</p>"#, esc(m)));
    }
    body.push_str(&format!(
        r#"<form method="post" action="/login">{csrf}<label for="username">{u}</label><input id="username" name="username" autocomplete="username" required><label for="password">{p}</label><input id="password" name="password" type="password" autocomplete="current-password" required><p><button type="submit">{s}</button></p></form><p>{hint} <a href="/releases">{public}</a></p>"#,
        csrf = csrf_field(ctx, "login"),
        u = esc(&ctx.t("login.username")),
        p = esc(&ctx.t("login.password")),
        s = esc(&ctx.t("login.submit")),
        hint = esc(&ctx.t("login.public_hint")),
        public = esc(&ctx.t("nav.public")),
    ));
    page(ctx, status, &ctx.t("login.title"), &body)
}

/// Gives the request a login nonce (and the response its cookie) when it has none.
fn ensure_prelogin(ctx: &mut Ctx) -> Result<Option<String>> {
    if ctx.prelogin.is_some() {
        return Ok(None);
    }
    let mut nonce = [0u8; 32];
    auth::Rng::fill(&mut auth::SystemRng, &mut nonce)?;
    ctx.prelogin = Some(nonce);
    Ok(Some(format!("{}={}{}", ctx.prelogin_cookie_name(), hex::encode(nonce), ctx.cookie_attributes())))
}

pub(crate) async fn login_form(mut ctx: Ctx) -> Page {
    let cookie = ensure_prelogin(&mut ctx).map_err(|e| ctx.internal(e))?;
    let res = login_page(&ctx, StatusCode::OK, None);
    Ok(match cookie {
        Some(c) => with_cookie(res, &c),
        None => res,
    })
}

/// The login form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

fn client_ip(ctx: &Ctx) -> IpAddr {
    ctx.ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// Starts a session for `account`: replaces the request's old session (rotation at login).
async fn start_session(ctx: &Ctx, account: &str, mfa_done: bool) -> Result<String> {
    let issued = Session::start(UserId(account.to_string()), Utc::now(), mfa_done, &mut auth::SystemRng)?;
    let old = ctx.live.as_ref().map(|l| l.id.to_hex());
    let row = SessionRow {
        token_hash: issued.id.to_hex(),
        account_id: account.to_string(),
        created_at: stamp(issued.session.created_at),
        last_seen: stamp(issued.session.last_seen),
        csrf_secret: hex::encode(issued.session.csrf_secret.as_bytes()),
        mfa_done,
    };
    ctx.state
        .with_store(move |s| {
            if let Some(old) = old {
                s.delete_session(&old)?;
            }
            s.insert_session(&row)?;
            Ok(())
        })
        .await?;
    ctx.state.accounts_changed();
    Ok(ctx.state.0.cookie.set_cookie(&issued.token))
}

fn landing(role: &Role) -> &'static str {
    if matches!(role, Role::EuViewer) { "/releases" } else { "/dashboard" }
}

pub(crate) async fn login(ctx: Ctx, Form(form): Form<LoginForm>) -> Page {
    if !ctx.csrf_ok("login", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let now = Utc::now();
    let key = auth::throttle::account_key(&form.username);
    let ip = client_ip(&ctx);
    let object = format!("user:{}", key.chars().take(64).collect::<String>());
    let failed = |ctx: &Ctx| login_page(ctx, StatusCode::UNAUTHORIZED, Some(&ctx.t("login.failed")));
    let audit_login = |outcome: Outcome, detail: &'static str| {
        let record = crate::audit_log::record("anonymous", "auth.login", &object, ctx.ip, outcome, detail);
        ctx.state.audit(record)
    };
    let decision = ctx.state.throttle().check(&key, ip, now);
    if let auth::Decision::Wait { .. } = decision {
        audit_login(Outcome::Failure, "throttled").await.map_err(|e| ctx.internal(e))?;
        return Err(failed(&ctx));
    }
    let inner = ctx.state.0.clone();
    let username = form.username.clone();
    let password = form.password;
    let verdict: Option<AccountRow> = ctx
        .state
        .with_store(move |s| {
            let account = s.account(&username)?.filter(|a| !a.disabled);
            Ok(match account {
                Some(a) => {
                    let ok = auth::PasswordHash::parse(&a.password_hash)
                        .map(|h| inner.hashing.verify(&password, &h))
                        .unwrap_or(false);
                    ok.then_some(a)
                }
                None => {
                    let _ = inner.hashing.verify_unknown_user(&password);
                    None
                }
            })
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let Some(account) = verdict else {
        ctx.state.throttle().record_failure(&key, ip, now);
        audit_login(Outcome::Failure, "wrong_credentials").await.map_err(|e| ctx.internal(e))?;
        return Err(failed(&ctx));
    };
    let role = crate::accounts::role_of(&account).map_err(|e| ctx.internal(e))?;
    let requirement = auth::login_requirements(&role, false, account.totp_secret.is_some());
    match requirement {
        auth::Requirement::Password => {
            ctx.state.throttle().record_success(&key);
            let cookie = start_session(&ctx, &account.id, true).await.map_err(|e| ctx.internal(e))?;
            let record = crate::audit_log::record(
                &format!("user:{}", account.id),
                "auth.login",
                &format!("user:{}", account.id),
                ctx.ip,
                Outcome::Success,
                "password",
            );
            ctx.state.audit(record).await.map_err(|e| ctx.internal(e))?;
            Ok(with_cookie(Redirect::to(landing(&role)).into_response(), &cookie))
        }
        auth::Requirement::PasswordAndTotp => {
            let cookie = start_session(&ctx, &account.id, false).await.map_err(|e| ctx.internal(e))?;
            audit_login(Outcome::Success, "password_ok_totp_pending").await.map_err(|e| ctx.internal(e))?;
            Ok(with_cookie(Redirect::to("/login/totp").into_response(), &cookie))
        }
        auth::Requirement::PasswordThenEnrolTotp | auth::Requirement::Refused => {
            audit_login(Outcome::Denied, "refused").await.map_err(|e| ctx.internal(e))?;
            Err(failed(&ctx))
        }
    }
}

fn totp_page(ctx: &Ctx, status: StatusCode, message: Option<&str>) -> Response {
    let mut body = String::new();
    if let Some(m) = message {
        body.push_str(&format!(r#"<p class="err" role="alert">{}</p>"#, esc(m)));
    }
    body.push_str(&format!(
        r#"<p>{hint}</p><form method="post" action="/login/totp">{csrf}<label for="code">{c}</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required><p><button type="submit">{s}</button></p></form>"#,
        hint = esc(&ctx.t("login.second_factor.hint")),
        csrf = csrf_field(ctx, "totp"),
        c = esc(&ctx.t("login.second_factor.code")),
        s = esc(&ctx.t("login.second_factor.submit")),
    ));
    page(ctx, status, &ctx.t("login.second_factor.title"), &body)
}

pub(crate) async fn totp_form(ctx: Ctx) -> Response {
    if ctx.live.is_none() || ctx.user.is_some() {
        return Redirect::to("/login").into_response();
    }
    totp_page(&ctx, StatusCode::OK, None)
}

/// The second-factor form.
#[derive(Deserialize)]
pub(crate) struct TotpForm {
    code: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn totp(ctx: Ctx, Form(form): Form<TotpForm>) -> Page {
    let Some(live) = ctx.live.clone().filter(|_| ctx.user.is_none()) else {
        return Ok(Redirect::to("/login").into_response());
    };
    if !ctx.csrf_ok("totp", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let now = Utc::now();
    let account = live.account.clone();
    let key = auth::throttle::account_key(&account.id);
    let ip = client_ip(&ctx);
    let object = format!("user:{}", account.id);
    let allowed = matches!(ctx.state.throttle().check(&key, ip, now), auth::Decision::Allow);
    let step = account
        .totp_secret
        .as_deref()
        .and_then(|s| auth::TotpSecret::from_base32(s).ok())
        .filter(|_| allowed)
        .and_then(|secret| auth::totp::verify(&secret, &form.code, now, account.totp_last_step).ok());
    let Some(step) = step else {
        ctx.state.throttle().record_failure(&key, ip, now);
        let record = crate::audit_log::record(
            "anonymous",
            "auth.login",
            &object,
            ctx.ip,
            Outcome::Failure,
            "wrong_code",
        );
        ctx.state.audit(record).await.map_err(|e| ctx.internal(e))?;
        return Err(totp_page(&ctx, StatusCode::UNAUTHORIZED, Some(&ctx.t("login.failed"))));
    };
    ctx.state.throttle().record_success(&key);
    let mut updated = account.clone();
    updated.totp_last_step = Some(step);
    ctx.state.with_store(move |s| Ok(s.upsert_account(&updated)?)).await.map_err(|e| ctx.internal(e))?;
    ctx.state.accounts_changed();
    let cookie = start_session(&ctx, &account.id, true).await.map_err(|e| ctx.internal(e))?;
    let record =
        crate::audit_log::record(&object, "auth.login", &object, ctx.ip, Outcome::Success, "password_totp");
    ctx.state.audit(record).await.map_err(|e| ctx.internal(e))?;
    let role = crate::accounts::role_of(&account).map_err(|e| ctx.internal(e))?;
    Ok(with_cookie(Redirect::to(landing(&role)).into_response(), &cookie))
}

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    pub(crate) csrf: String,
}

pub(crate) async fn logout(ctx: Ctx, Form(form): Form<CsrfOnly>) -> Page {
    let Some(live) = ctx.live.clone() else { return Ok(Redirect::to("/login").into_response()) };
    if !ctx.csrf_ok("logout", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let id = live.id.to_hex();
    ctx.state.with_store(move |s| Ok(s.delete_session(&id)?)).await.map_err(|e| ctx.internal(e))?;
    ctx.state.accounts_changed();
    let object = format!("user:{}", live.account.id);
    ctx.audit("auth.logout", &object, Outcome::Success, "").await.map_err(|e| ctx.internal(e))?;
    Ok(with_cookie(Redirect::to("/login").into_response(), &ctx.state.0.cookie.clear_cookie()))
}

// ── Dashboard ─────────────────────────────────────────────────────────────────────────────────

/// One key figure.
#[derive(Serialize, Clone, Debug)]
pub struct Figure {
    /// Measure id.
    pub measure: &'static str,
    /// The count (absent when the engine could not compute it).
    pub count: Option<u64>,
    /// The last eight quarters (oldest first) with their counts, for the sparkline.
    pub quarters: Vec<(String, Option<u64>)>,
}

/// A data-quality alert about one provider.
#[derive(Serialize, Clone, Debug)]
pub struct Alert {
    /// Provider id.
    pub provider: String,
    /// Provider name.
    pub name: String,
    /// `missing_quarter` or `unknown_sex`.
    pub kind: &'static str,
    /// The quarter without records (`missing_quarter`) or the year (`unknown_sex`).
    pub period: String,
    /// Share of records with unknown sex, in percent (`unknown_sex`).
    pub percent: Option<f64>,
}

/// The `YYYY-Qn` codes of the `n` quarters up to the one of `last`, oldest first.
fn last_quarters(last: chrono::NaiveDate, n: usize) -> Vec<String> {
    let mut y = last.year();
    let mut q = last.month0() / 3 + 1;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(format!("{y}-Q{q}"));
        if q == 1 {
            y -= 1;
            q = 4;
        } else {
            q -= 1;
        }
    }
    out.reverse();
    out
}

/// Providers with no record in one of the last four quarters, or with more than 20% of their
/// records of the last year of unknown sex.
fn alerts(
    engine: &stats::Engine,
    providers: &[(String, String)],
    last: chrono::NaiveDate,
) -> std::result::Result<Vec<Alert>, stats::Error> {
    use stats::{Dim, Granularity, Measure, Query, TOTAL};
    let quarters = last_quarters(last, 4);
    let by_quarter = engine
        .table(&Query::new(Measure::Registrations, &[Dim::Provider, Dim::Period(Granularity::Quarter)]))?;
    let year = last.year();
    let by_sex = engine.table(
        &Query::new(Measure::Registrations, &[Dim::Provider, Dim::Sex]).period(stats::DateRange::year(year)),
    )?;
    let mut out = Vec::new();
    for (id, name) in providers {
        for q in &quarters {
            if by_quarter.cell(&[id, q]).map_or(0, |c| c.count) == 0 {
                out.push(Alert {
                    provider: id.clone(),
                    name: name.clone(),
                    kind: "missing_quarter",
                    period: q.clone(),
                    percent: None,
                });
            }
        }
        let total = by_sex.cell(&[id, TOTAL]).map_or(0, |c| c.count);
        let unknown = by_sex.cell(&[id, "UNK"]).map_or(0, |c| c.count);
        if total > 0 && unknown * 5 > total {
            out.push(Alert {
                provider: id.clone(),
                name: name.clone(),
                kind: "unknown_sex",
                period: year.to_string(),
                percent: Some(unknown as f64 * 100.0 / total as f64),
            });
        }
    }
    Ok(out)
}

/// Submission status of one provider.
#[derive(Serialize, Clone, Debug)]
pub struct ProviderStatus {
    /// Provider id.
    pub provider: String,
    /// Provider name.
    pub name: String,
    /// Live submissions.
    pub submissions: usize,
    /// Latest period received.
    pub last_period: Option<String>,
    /// Its status.
    pub last_status: Option<String>,
    /// When it was received (date).
    pub last_received: Option<String>,
}

/// What the dashboard shows.
#[derive(Serialize, Clone, Debug)]
pub struct Dashboard {
    /// The year of the key figures (the last year with data).
    pub year: Option<i32>,
    /// Key figures of that year.
    pub figures: Vec<Figure>,
    /// Submission status per provider.
    pub providers: Vec<ProviderStatus>,
    /// Data-quality alerts (absent when the engine could not compute them).
    pub alerts: Option<Vec<Alert>>,
}

/// The scope of a role's dashboard and lists: all providers, or its own one.
pub(crate) fn scope(role: &Role) -> Object<'_> {
    role.provider().map_or(Object::AllProviders, Object::Provider)
}

pub(crate) async fn dashboard_data(ctx: &Ctx) -> Result<Dashboard> {
    let engine = ctx.state.engine().await?;
    let own = ctx.role().provider().map(str::to_string);
    let own2 = own.clone();
    let (last, infos, providers) = ctx
        .state
        .with_store(|s| {
            let lists = model::Codelists::embedded();
            Ok((s.last_victim_date()?, s.submission_infos()?, s.providers(lists)?))
        })
        .await?;
    let year = last.map(|d| d.year());
    let mut figures = Vec::new();
    for m in [
        stats::Measure::Persons,
        stats::Measure::Registrations,
        stats::Measure::Suspects,
        stats::Measure::Prosecuted,
        stats::Measure::Convicted,
    ] {
        let count = year.and_then(|y| {
            let mut q = stats::Query::new(m, &[]).period(stats::DateRange::year(y));
            if let Some(p) = &own {
                q = q.filter(stats::Dim::Provider, &[p.as_str()]);
            }
            engine.table(&q).ok().map(|t| t.total().count)
        });
        let quarters = last.map_or_else(Vec::new, |d| {
            let mut q = stats::Query::new(m, &[stats::Dim::Period(stats::Granularity::Quarter)]);
            if let Some(p) = &own {
                q = q.filter(stats::Dim::Provider, &[p.as_str()]);
            }
            let table = engine.table(&q).ok();
            last_quarters(d, 8)
                .into_iter()
                .map(|code| {
                    let n = table.as_ref().map(|t| t.cell(&[&code]).map_or(0, |c| c.count));
                    (code, n)
                })
                .collect()
        });
        figures.push(Figure { measure: m.id(), count, quarters });
    }
    let mut by: BTreeMap<String, Vec<&store::SubmissionInfo>> = BTreeMap::new();
    for i in &infos {
        if i.superseded_by.is_none() {
            by.entry(i.submission.provider_id.as_str().to_string()).or_default().push(i);
        }
    }
    let providers = providers
        .iter()
        .filter(|p| own2.as_deref().is_none_or(|o| o == p.id.as_str()))
        .map(|p| {
            let subs = by.get(p.id.as_str()).cloned().unwrap_or_default();
            let last =
                subs.iter().max_by_key(|i| (i.submission.period.to_string(), i.submission.submitted_at));
            ProviderStatus {
                provider: p.id.as_str().to_string(),
                name: p.name.clone(),
                submissions: subs.len(),
                last_period: last.map(|i| i.submission.period.to_string()),
                last_status: last.map(|i| i.status.as_str().to_string()),
                last_received: last.map(|i| i.submission.submitted_at.format("%Y-%m-%d").to_string()),
            }
        })
        .collect::<Vec<ProviderStatus>>();
    let named: Vec<(String, String)> =
        providers.iter().map(|p| (p.provider.clone(), p.name.clone())).collect();
    let alerts = last.and_then(|d| alerts(&engine, &named, d).ok());
    Ok(Dashboard { year, figures, providers, alerts })
}

fn status_label(ctx: &Ctx, status: &str) -> String {
    let key = format!("submissions.status.{status}");
    let t = ctx.t(&key);
    if t == key { status.to_string() } else { t }
}

pub(crate) async fn dashboard(ctx: Ctx) -> Page {
    let role = ctx.role();
    if !ctx.allowed(Action::ViewDashboard, scope(&role)) {
        return Err(ctx.deny(Action::ViewDashboard.code()).await);
    }
    let d = dashboard_data(&ctx).await.map_err(|e| ctx.internal(e))?;
    let catalog = i18n::Catalog::embedded();
    let mut body = String::new();
    if let Some(y) = d.year {
        body.push_str(&format!("<p>{}</p>", esc(&ctx.ta("dashboard.period", &[("period", &y)]))));
    }
    body.push_str(&format!("<h2>{}</h2><div class=\"figures\">", esc(&ctx.t("dashboard.key_figures"))));
    for f in &d.figures {
        let value = f.count.map_or_else(
            || "–".to_string(),
            |c| catalog.format_int(ctx.lang, i64::try_from(c).unwrap_or(i64::MAX)),
        );
        let values: Vec<Option<f64>> = f.quarters.iter().map(|(_, n)| n.map(|n| n as f64)).collect();
        let spark = if values.is_empty() {
            String::new()
        } else {
            let lang = if ctx.lang.as_str() == "pt" { charts::Lang::Pt } else { charts::Lang::En };
            format!(
                r#"<span class="spark" title="{}">{}</span>"#,
                esc(&ctx.t("dashboard.trend.title")),
                charts::sparkline_lang(&values, 120, 28, lang)
            )
        };
        body.push_str(&format!(
            r#"<div class="figure" data-measure="{}"><b>{}</b>{}{spark}</div>"#,
            f.measure,
            esc(&value),
            esc(&ctx.t(&format!("dashboard.figure.{}", f.measure)))
        ));
    }
    body.push_str("</div>");
    body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("dashboard.submission_status"))));
    let head = [
        ctx.t("submissions.column.provider"),
        ctx.t("providers.submissions.other").replace("{n}", "").trim().to_string(),
        ctx.t("submissions.column.period"),
        ctx.t("submissions.column.status"),
        ctx.t("dashboard.last_submission"),
    ]
    .map(|h| esc(&h));
    let rows: Vec<Vec<String>> = d
        .providers
        .iter()
        .map(|p| {
            vec![
                esc(&p.name),
                catalog.format_int(ctx.lang, i64::try_from(p.submissions).unwrap_or(i64::MAX)),
                esc(p.last_period.as_deref().unwrap_or("–")),
                p.last_status
                    .as_deref()
                    .map_or_else(|| esc(&ctx.t("dashboard.not_received")), |s| esc(&status_label(&ctx, s))),
                esc(p.last_received.as_deref().unwrap_or("–")),
            ]
        })
        .collect();
    body.push_str(&table(&head, &rows, &[1]));
    if let Some(alerts) = &d.alerts {
        body.push_str(&format!(r#"<h2>{}</h2>"#, esc(&ctx.t("dashboard.alerts.title"))));
        if alerts.is_empty() {
            body.push_str(&format!(r#"<p class="ok">{}</p>"#, esc(&ctx.t("dashboard.alerts.none"))));
        } else {
            body.push_str(r#"<ul class="alerts">"#);
            for a in alerts {
                let text = match a.kind {
                    "missing_quarter" => ctx.ta(
                        "dashboard.alert.missing_quarter",
                        &[("provider", &a.name), ("period", &a.period)],
                    ),
                    _ => {
                        let pct = catalog.format_percent(ctx.lang, a.percent.unwrap_or(0.0), 0);
                        ctx.ta(
                            "dashboard.alert.unknown_sex",
                            &[("provider", &a.name), ("percent", &pct), ("period", &a.period)],
                        )
                    }
                };
                body.push_str(&format!(
                    r#"<li data-alert="{}" data-provider="{}">{}</li>"#,
                    a.kind,
                    esc(&a.provider),
                    esc(&text)
                ));
            }
            body.push_str("</ul>");
        }
    }
    Ok(page(&ctx, StatusCode::OK, &ctx.t("dashboard.title"), &body))
}

// ── Submissions ───────────────────────────────────────────────────────────────────────────────

/// One submission as listed.
#[derive(Serialize, Clone, Debug)]
pub struct SubmissionView {
    /// Id.
    pub id: String,
    /// Provider id.
    pub provider: String,
    /// Quarter.
    pub period: String,
    /// Received (RFC 3339).
    pub received: String,
    /// Records.
    pub records: u32,
    /// Status code.
    pub status: String,
    /// Revision.
    pub revision: u32,
}

fn view(i: &store::SubmissionInfo) -> SubmissionView {
    SubmissionView {
        id: i.submission.id.to_string(),
        provider: i.submission.provider_id.as_str().to_string(),
        period: i.submission.period.to_string(),
        received: i.submission.submitted_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        records: i.submission.record_count,
        status: i.status.as_str().to_string(),
        revision: i.revision,
    }
}

/// Filter of the submission list.
#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    provider: Option<String>,
}

/// The submissions the role may see (optionally of one provider); `None` when it may not.
pub(crate) async fn submissions_data(
    ctx: &Ctx,
    provider: Option<String>,
) -> Result<Option<Vec<SubmissionView>>> {
    let role = ctx.role();
    let object = match (&provider, role.provider()) {
        (Some(p), _) => Object::Provider(p.as_str()),
        (None, own) => own.map_or(Object::AllProviders, Object::Provider),
    };
    if !ctx.allowed(Action::ViewSubmissions, object) {
        return Ok(None);
    }
    let only = provider.or_else(|| role.provider().map(str::to_string));
    let infos = ctx.state.with_store(|s| Ok(s.submission_infos()?)).await?;
    let mut out: Vec<SubmissionView> = infos
        .iter()
        .filter(|i| only.as_deref().is_none_or(|p| p == i.submission.provider_id.as_str()))
        .map(view)
        .collect();
    out.sort_by(|a, b| (&a.provider, &a.period, a.revision).cmp(&(&b.provider, &b.period, b.revision)));
    Ok(Some(out))
}

pub(crate) async fn submissions(ctx: Ctx, Query(q): Query<ListQuery>) -> Page {
    let Some(list) = submissions_data(&ctx, q.provider).await.map_err(|e| ctx.internal(e))? else {
        return Err(ctx.deny(Action::ViewSubmissions.code()).await);
    };
    let head = [
        "submissions.column.provider",
        "submissions.column.period",
        "submissions.column.received",
        "submissions.column.records",
        "submissions.column.status",
        "submissions.detail.history",
    ]
    .map(|k| esc(&ctx.t(k)));
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|s| {
            vec![
                esc(&s.provider),
                esc(&s.period),
                esc(&s.received[..10.min(s.received.len())]),
                i18n::Catalog::embedded().format_int(ctx.lang, i64::from(s.records)),
                esc(&status_label(&ctx, &s.status)),
                format!(
                    r#"<a href="/submissions/{}">{}</a>"#,
                    esc(&s.id),
                    esc(&ctx.ta("submissions.detail.revision", &[("revision", &s.revision)]))
                ),
            ]
        })
        .collect();
    let body = if rows.is_empty() {
        format!("<p>{}</p>", esc(&ctx.t("common.no_results")))
    } else {
        format!(
            "<p>{}</p>{}",
            esc(&i18n::Catalog::embedded().plural(
                ctx.lang,
                "common.results",
                i64::try_from(rows.len()).unwrap_or(0),
                &[]
            )),
            table(&head, &rows, &[3])
        )
    };
    let upload = if crate::submit::may_upload(&ctx.role()) {
        format!(r#"<p><a href="/submissions/upload">{}</a></p>"#, esc(&ctx.t("submissions.upload.title")))
    } else {
        String::new()
    };
    Ok(page(&ctx, StatusCode::OK, &ctx.t("submissions.title"), &format!("{upload}{body}")))
}

/// One submission the role may see: `Ok(None)` when unknown, `Err(())` when denied.
pub(crate) async fn submission_data(
    ctx: &Ctx,
    id: &str,
) -> Result<std::result::Result<Option<(SubmissionView, Vec<(String, String, String)>)>, ()>> {
    let Ok(id) = uuid::Uuid::parse_str(id) else { return Ok(Ok(None)) };
    let found = ctx
        .state
        .with_store(move |s| {
            Ok(s.submission_info(id)?
                .map(|i| (i, s.submission_events(id)))
                .map(|(i, e)| e.map(|e| (i, e)))
                .transpose()?)
        })
        .await?;
    let Some((info, events)) = found else { return Ok(Ok(None)) };
    if !ctx.allowed(Action::ViewSubmissions, Object::Provider(info.submission.provider_id.as_str())) {
        return Ok(Err(()));
    }
    let events = events
        .iter()
        .map(|(at, st, note)| {
            (
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                st.as_str().to_string(),
                note.clone().unwrap_or_default(),
            )
        })
        .collect();
    Ok(Ok(Some((view(&info), events))))
}

pub(crate) async fn submission(ctx: Ctx, Path(id): Path<String>) -> Page {
    match submission_data(&ctx, &id).await.map_err(|e| ctx.internal(e))? {
        Err(()) => Err(ctx.deny(Action::ViewSubmissions.code()).await),
        Ok(None) => Err(not_found(ctx).await),
        Ok(Some((s, events))) => {
            let title =
                ctx.ta("submissions.detail.title", &[("provider", &s.provider), ("period", &s.period)]);
            let mut body = format!(
                "<p>{} · {}: {} · {}: {}</p>",
                esc(&ctx.ta("submissions.detail.revision", &[("revision", &s.revision)])),
                esc(&ctx.t("submissions.column.status")),
                esc(&status_label(&ctx, &s.status)),
                esc(&ctx.t("submissions.column.records")),
                s.records
            );
            body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("submissions.detail.history"))));
            let rows: Vec<Vec<String>> = events
                .iter()
                .map(|(at, st, note)| vec![esc(at), esc(&status_label(&ctx, st)), esc(note)])
                .collect();
            let head = ["audit.when", "submissions.column.status", "submissions.reopen_note"]
                .map(|k| esc(&ctx.t(k)));
            body.push_str(&table(&head, &rows, &[]));
            body.push_str(&crate::submit::workflow_html(&ctx, &s.id, &s.provider, &s.status));
            Ok(page(&ctx, StatusCode::OK, &title, &body))
        }
    }
}

// ── Report builder ────────────────────────────────────────────────────────────────────────────

/// The report builder's form.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ReportForm {
    /// Kind id.
    #[serde(default)]
    pub kind: String,
    /// Measure id.
    #[serde(default)]
    pub measure: String,
    /// First variable.
    #[serde(default)]
    pub dim1: String,
    /// Second variable.
    #[serde(default)]
    pub dim2: String,
    /// Third variable.
    #[serde(default)]
    pub dim3: String,
    /// Granularity of a time frame.
    #[serde(default)]
    pub granularity: String,
    /// Regional level of a geo report.
    #[serde(default)]
    pub level: String,
    /// Origin of flows.
    #[serde(default)]
    pub origin: String,
    /// Period (`2024`, `2024-Q2`, …), empty for all.
    #[serde(default)]
    pub period: String,
    /// Audience id.
    #[serde(default)]
    pub audience: String,
    /// Language of labels.
    #[serde(default)]
    pub lang: String,
    /// Output format.
    #[serde(default)]
    pub format: String,
    /// Model selection of an estimate (`stepwise`, `aic`, `bic`).
    #[serde(default)]
    pub selection: String,
    /// Interval of an estimate (`wald`, `profile`, `bootstrap`).
    #[serde(default)]
    pub interval: String,
    /// Lists of an estimate: `provider` or `provider_type`.
    #[serde(default)]
    pub list_by: String,
    /// Statistic of a hotspot analysis: `gi` (Getis-Ord Gi*) or `moran` (local Moran's I).
    #[serde(default)]
    pub statistic: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

const KINDS: [&str; 9] = [
    "simple",
    "total",
    "time_frame",
    "geo",
    "key_indicators",
    "data_quality",
    "estimate",
    "hotspots",
    "projection",
];

/// Kinds for hub staff only (they compare providers or regions beyond one provider's data).
const STAFF_KINDS: [&str; 4] = ["data_quality", "estimate", "hotspots", "projection"];

/// The audiences a role may run reports for.
pub(crate) fn audiences(role: &Role) -> Vec<reports::Audience> {
    let all = [
        reports::Audience::National,
        reports::Audience::Public,
        reports::Audience::Eu,
        reports::Audience::Provider,
    ];
    all.into_iter().filter(|a| permitted(role, *a)).collect()
}

fn auth_audience(a: reports::Audience) -> Aud {
    match a {
        reports::Audience::National => Aud::National,
        reports::Audience::Provider => Aud::Provider,
        reports::Audience::Public => Aud::Public,
        reports::Audience::Eu => Aud::Eu,
    }
}

fn permitted(role: &Role, a: reports::Audience) -> bool {
    match (a, role.provider()) {
        (reports::Audience::Provider, Some(p)) => {
            auth::allowed(role, Action::RunReport(Aud::Provider), Object::Provider(p))
        }
        (reports::Audience::Provider, None) => false,
        (a, _) => auth::allowed(role, Action::RunReport(auth_audience(a)), Object::AllProviders),
    }
}

/// Why a report request is refused.
pub(crate) enum SpecError {
    /// Not valid (message for the user: names the field, never data).
    Invalid(String),
    /// Not for this role.
    Denied,
}

/// The spec of a form, checked against the role (provider users get their own provider only).
pub(crate) fn spec_of(
    role: &Role,
    f: &ReportForm,
) -> std::result::Result<(reports::ReportSpec, app::reporting::Format), SpecError> {
    let dims: Vec<String> =
        [&f.dim1, &f.dim2, &f.dim3].iter().filter(|d| !d.is_empty()).map(|d| (*d).clone()).collect();
    let measure = if f.measure.is_empty() { "persons".to_string() } else { f.measure.clone() };
    let own = role.provider().map(str::to_string);
    let kind = match f.kind.as_str() {
        "simple" => reports::ReportKind::Simple { measure, dims },
        "total" => reports::ReportKind::Total { providers: own.iter().cloned().collect() },
        "time_frame" => reports::ReportKind::TimeFrame {
            measure,
            dim: dims.first().cloned(),
            granularity: if f.granularity.is_empty() { "quarter".into() } else { f.granularity.clone() },
        },
        "geo" => reports::ReportKind::Geo {
            measure,
            level: reports::GeoLevel::parse(if f.level.is_empty() { "nuts2" } else { &f.level })
                .map_err(|e| SpecError::Invalid(e.to_string()))?,
            origin: if f.origin.is_empty() { "citizenship".into() } else { f.origin.clone() },
        },
        "key_indicators" => reports::ReportKind::KeyIndicators,
        "data_quality" => reports::ReportKind::DataQuality,
        "estimate" => reports::ReportKind::Estimate {
            lists: Vec::new(),
            list_by: Some(if f.list_by.is_empty() { "provider_type".into() } else { f.list_by.clone() }),
            selection: if f.selection.is_empty() { "stepwise".into() } else { f.selection.clone() },
            max_order: None,
            interval: if f.interval.is_empty() { "wald".into() } else { f.interval.clone() },
            resamples: None,
            seed: None,
        },
        "hotspots" => reports::ReportKind::Hotspots {
            measure,
            level: reports::GeoLevel::parse(if f.level.is_empty() { "nuts3" } else { &f.level })
                .map_err(|e| SpecError::Invalid(e.to_string()))?,
            statistic: if f.statistic == "moran" { "moran".into() } else { "gi".into() },
            permutations: None,
            seed: None,
        },
        "projection" => reports::ReportKind::Projection {
            measure,
            dim: dims.first().cloned(),
            granularity: if f.granularity.is_empty() { "quarter".into() } else { f.granularity.clone() },
            horizon: None,
            seed: None,
        },
        _ => return Err(SpecError::Invalid("unknown kind of report".into())),
    };
    let audience = reports::Audience::parse(if f.audience.is_empty() { "national" } else { &f.audience })
        .map_err(|e| SpecError::Invalid(e.to_string()))?;
    if !permitted(role, audience) {
        return Err(SpecError::Denied);
    }
    if own.is_some() && STAFF_KINDS.contains(&kind.id()) {
        return Err(SpecError::Denied);
    }
    let period = Some(f.period.trim()).filter(|p| !p.is_empty());
    let mut spec = reports::ReportSpec::new(kind, period);
    if let Some(p) = own {
        spec.filters.insert("provider".into(), vec![p]);
    }
    spec.audience = audience;
    spec.lang = if f.lang == "pt" { "pt".into() } else { "en".into() };
    let format = app::reporting::Format::parse(if f.format.is_empty() { "html" } else { &f.format })
        .map_err(|e| SpecError::Invalid(e.to_string()))?;
    Ok((spec, format))
}

fn select(name: &str, label: &str, options: &[(String, String)]) -> String {
    let mut out = format!(r#"<label for="{name}">{}</label><select id="{name}" name="{name}">"#, esc(label));
    for (v, l) in options {
        out.push_str(&format!(r#"<option value="{}">{}</option>"#, esc(v), esc(l)));
    }
    out.push_str("</select>");
    out
}

fn report_form_html(ctx: &Ctx, role: &Role) -> String {
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .filter(|k| role.provider().is_none() || !STAFF_KINDS.contains(k))
        .map(|k| ((*k).to_string(), ctx.t(&format!("reports.kind.{k}.name"))))
        .collect();
    let measures: Vec<(String, String)> =
        stats::Measure::ALL.iter().map(|m| (m.id().to_string(), m.id().replace('_', " "))).collect();
    let mut dims: Vec<(String, String)> = vec![(String::new(), ctx.t("common.none"))];
    dims.extend(stats::ALL_DIMS.iter().map(|d| (d.id().to_string(), d.id().replace('_', " "))));
    let gran =
        ["quarter", "month", "year"].map(|g| (g.to_string(), ctx.t(&format!("reports.granularity.{g}"))));
    let levels = [
        ("nuts2", "NUTS 2"),
        ("nuts1", "NUTS 1"),
        ("nuts3", "NUTS 3"),
        ("district", "district"),
        ("country", "country"),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()));
    let origins = [
        ("citizenship", "reports.origin.citizenship"),
        ("country_of_recruitment", "reports.origin.recruitment"),
    ]
    .map(|(v, k)| (v.to_string(), ctx.t(k)));
    let auds: Vec<(String, String)> = audiences(role)
        .iter()
        .map(|a| (a.id().to_string(), ctx.t(&format!("reports.audience.{}", a.id()))))
        .collect();
    let langs = [("en", "English"), ("pt", "Português")].map(|(v, l)| (v.to_string(), l.to_string()));
    let formats = [
        ("html", "reports.format.html"),
        ("csv", "reports.format.csv"),
        ("json", "reports.format.json"),
        ("xlsx", "reports.format.xlsx"),
        ("sdmx", "reports.format.sdmx_csv"),
    ]
    .map(|(v, k)| (v.to_string(), ctx.t(k)));
    let selections = ["stepwise", "aic", "bic"]
        .map(|v| (v.to_string(), ctx.t(&format!("reports.kind.estimate.selection.{v}"))));
    let intervals = ["wald", "profile", "bootstrap"]
        .map(|v| (v.to_string(), ctx.t(&format!("reports.kind.estimate.interval.{v}"))));
    let list_by = ["provider_type", "provider"]
        .map(|v| (v.to_string(), ctx.t(&format!("reports.kind.estimate.list_by.{v}"))));
    let estimate = format!(
        "<fieldset><legend>{}</legend><p>{}</p>{}{}{}</fieldset>",
        esc(&ctx.t("reports.kind.estimate.name")),
        esc(&ctx.t("reports.kind.estimate.hint")),
        select("list_by", &ctx.t("reports.kind.estimate.list_by.label"), &list_by),
        select("selection", &ctx.t("reports.kind.estimate.selection.label"), &selections),
        select("interval", &ctx.t("reports.kind.estimate.interval.label"), &intervals),
    );
    let statistics =
        ["gi", "moran"].map(|v| (v.to_string(), ctx.t(&format!("reports.kind.hotspots.statistic.{v}"))));
    let estimate = if role.provider().is_none() {
        format!(
            "{estimate}<fieldset><legend>{}</legend>{}</fieldset>",
            esc(&ctx.t("reports.kind.hotspots.name")),
            select("statistic", &ctx.t("reports.kind.hotspots.statistic.label"), &statistics),
        )
    } else {
        String::new()
    };
    format!(
        r#"<form method="post" action="/reports">{csrf}{kind}{measure}<fieldset><legend>{vars}</legend><p>{vhint}</p>{d1}{d2}{d3}</fieldset>{gran}{level}{origin}{estimate}<label for="period">{period}</label><input id="period" name="period" placeholder="2024, 2024-Q2, 2024-01-01..2024-06-30">{aud}{lang}{fmt}<p><button type="submit">{run}</button></p></form>"#,
        csrf = csrf_field(ctx, "report"),
        kind = select("kind", &ctx.t("reports.kind.label"), &kinds),
        measure = select("measure", &ctx.t("reports.measure"), &measures),
        vars = esc(&ctx.t("reports.variables.label")),
        vhint = esc(&ctx.t("reports.variables.hint")),
        d1 = select("dim1", "1", &dims),
        d2 = select("dim2", "2", &dims),
        d3 = select("dim3", "3", &dims),
        gran = select("granularity", &ctx.t("reports.granularity.label"), &gran),
        level = select("level", &ctx.t("reports.level.label"), &levels),
        origin = select("origin", &ctx.t("reports.origin.label"), &origins),
        period = esc(&ctx.t("reports.period")),
        aud = select("audience", &ctx.t("reports.audience.label"), &auds),
        lang = select("lang", &ctx.t("language.choose"), &langs),
        fmt = select("format", &ctx.t("reports.format.label"), &formats),
        run = esc(&ctx.t("reports.run")),
    )
}

pub(crate) async fn report_form(ctx: Ctx) -> Page {
    let role = ctx.role();
    if audiences(&role).is_empty() {
        return Err(ctx.deny("report.view").await);
    }
    let body = report_form_html(&ctx, &role);
    Ok(page(&ctx, StatusCode::OK, &ctx.t("reports.title"), &body))
}

/// A report run: the rendered bytes with their format.
pub(crate) struct Ran {
    pub(crate) bytes: Arc<Vec<u8>>,
    pub(crate) format: app::reporting::Format,
    pub(crate) kind: &'static str,
}

/// Runs a checked spec, audits the run (and the export of a file), and renders it.
pub(crate) async fn run_report(
    ctx: &Ctx,
    spec: reports::ReportSpec,
    format: app::reporting::Format,
) -> Result<std::result::Result<Ran, String>> {
    let engine = ctx.state.engine().await?;
    let kind = spec.kind.id();
    let audience = auth_audience(spec.audience);
    let detail = format!(
        "kind={kind} audience={} period={} format={}",
        spec.audience.id(),
        spec.period.as_deref().unwrap_or("all"),
        format.extension()
    );
    let key = format!(
        "{}|{}|{}",
        serde_json::to_string(&spec).unwrap_or_default(),
        format.extension(),
        engine.data_version()
    );
    let ran = match ctx.state.cached_report(&key) {
        Some(bytes) => Ok(bytes),
        None => {
            // Single flight: concurrent requests for the same report wait for one computation.
            let cell = ctx.state.computing(&key);
            let state = ctx.state.clone();
            let mut refused: Option<String> = None;
            let computed = cell
                .get_or_try_init(|| async {
                    let ran = state
                        .with_reader(move |s| {
                            let lists = model::Codelists::embedded();
                            let report = match app::reporting::report(s, &engine, lists, &spec, Utc::now()) {
                                Ok(r) => r,
                                Err(app::Error::Report(m)) => return Ok(Err(m)),
                                Err(e) => return Err(e.into()),
                            };
                            Ok(app::reporting::render(s, &report, format).map_err(|e| e.to_string()))
                        })
                        .await?;
                    match ran {
                        Ok(bytes) => {
                            let bytes = Arc::new(bytes);
                            state.keep_report(key.clone(), bytes.clone());
                            Ok(bytes)
                        }
                        Err(m) => {
                            refused = Some(m);
                            Err(crate::Error::Corrupt("report refused"))
                        }
                    }
                })
                .await
                .cloned();
            ctx.state.computed(&key);
            match (computed, refused) {
                (Ok(bytes), _) => Ok(bytes),
                (Err(_), Some(m)) => Err(m),
                (Err(e), None) => return Err(e),
            }
        }
    };
    let outcome = if ran.is_ok() { Outcome::Success } else { Outcome::Failure };
    ctx.audit_read(Action::RunReport(audience).code(), &format!("report:{kind}"), outcome, &detail);
    if ran.is_ok() && format != app::reporting::Format::Html {
        ctx.audit_read("report.export", &format!("report:{kind}"), Outcome::Success, &detail);
    }
    Ok(ran.map(|bytes| Ran { bytes, format, kind }))
}

/// The response of a rendered report: the HTML page inline, any other format as a download.
pub(crate) fn report_response(ran: Ran) -> Response {
    use app::reporting::Format;
    let (ctype, inline) = match ran.format {
        Format::Html => ("text/html; charset=utf-8", true),
        Format::Csv | Format::Sdmx => ("text/csv; charset=utf-8", false),
        Format::Json => ("application/json", false),
        Format::Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false),
    };
    let bytes = Arc::try_unwrap(ran.bytes).unwrap_or_else(|shared| shared.as_ref().clone());
    let mut res = (StatusCode::OK, [(header::CONTENT_TYPE, ctype)], bytes).into_response();
    if !inline {
        let disp = format!("attachment; filename=\"report-{}.{}\"", ran.kind, ran.format.extension());
        if let Ok(v) = HeaderValue::from_str(&disp) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    res
}

/// The self-contained HTML report shown in the application, with links back to the report
/// builder and the dashboard above it (the downloaded formats stay as they are).
fn with_way_back(ctx: &Ctx, ran: Ran) -> Response {
    let html = String::from_utf8_lossy(&ran.bytes).into_owned();
    let bar = format!(
        r#"<nav class="app-way-back" style="padding:.4rem 1rem;background:#123c69"><a style="color:#fff" href="/reports">← {}</a> · <a style="color:#fff" href="/dashboard">{}</a></nav>"#,
        esc(&ctx.t("reports.title")),
        esc(&ctx.t("nav.dashboard")),
    );
    let html = match html.find("<body").and_then(|i| html[i..].find('>').map(|j| i + j + 1)) {
        Some(at) => format!("{}{bar}{}", &html[..at], &html[at..]),
        None => html,
    };
    report_response(Ran { bytes: Arc::new(html.into_bytes()), format: ran.format, kind: ran.kind })
}

pub(crate) async fn report_run(ctx: Ctx, Form(form): Form<ReportForm>) -> Page {
    let role = ctx.role();
    if ctx.user.is_none() {
        return Err(ctx.deny("report.run").await);
    }
    if !ctx.csrf_ok("report", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let (spec, format) = match spec_of(&role, &form) {
        Ok(v) => v,
        Err(SpecError::Denied) => return Err(ctx.deny("report.run").await),
        Err(SpecError::Invalid(m)) => {
            let body =
                format!(r#"<p class="err" role="alert">{}</p>{}"#, esc(&m), report_form_html(&ctx, &role));
            return Err(page(&ctx, StatusCode::BAD_REQUEST, &ctx.t("reports.title"), &body));
        }
    };
    match run_report(&ctx, spec, format).await.map_err(|e| ctx.internal(e))? {
        Ok(ran) if ran.format == app::reporting::Format::Html => Ok(with_way_back(&ctx, ran)),
        Ok(ran) => Ok(report_response(ran)),
        Err(m) => {
            let body =
                format!(r#"<p class="err" role="alert">{}</p>{}"#, esc(&m), report_form_html(&ctx, &role));
            Err(page(&ctx, StatusCode::BAD_REQUEST, &ctx.t("reports.title"), &body))
        }
    }
}

// ── Releases ──────────────────────────────────────────────────────────────────────────────────

/// A release as listed.
#[derive(Serialize, Clone, Debug)]
pub struct ReleaseView {
    /// Id.
    pub id: String,
    /// Period.
    pub period: String,
    /// Audience (`public`, `eu`).
    pub audience: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Data version.
    pub data_version: String,
    /// When it was published (RFC 3339); `None` for a draft (seen by hub staff only).
    pub published_at: Option<String>,
}

/// The object of a release for the access rules.
pub(crate) fn release_object(audience: &str, published: bool) -> Object<'static> {
    let audience = if audience == "eu" { ReleaseAudience::Eu } else { ReleaseAudience::Public };
    Object::Release { audience, published }
}

pub(crate) async fn releases_data(ctx: &Ctx) -> Result<Vec<ReleaseView>> {
    let (rows, published) = ctx.state.with_store(|s| Ok((s.releases()?, s.release_publications()?))).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let at = published.iter().find(|p| p.release_id == r.id).map(|p| p.published_at.clone());
            ctx.allowed(Action::ViewRelease, release_object(&r.audience, at.is_some())).then(|| ReleaseView {
                id: r.id.clone(),
                period: r.period.clone(),
                audience: r.audience.clone(),
                created_at: r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                data_version: r.data_version.clone(),
                published_at: at,
            })
        })
        .collect())
}

pub(crate) async fn releases(ctx: Ctx) -> Page {
    let list = releases_data(&ctx).await.map_err(|e| ctx.internal(e))?;
    let mut body = if list.is_empty() {
        format!("<p>{}</p>", esc(&ctx.t("releases.public.empty")))
    } else {
        let head = [
            "releases.name",
            "releases.period",
            "reports.audience.label",
            "releases.status.published",
            "action.download",
        ]
        .map(|k| esc(&ctx.t(k)));
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|r| {
                let state = match &r.published_at {
                    Some(at) => esc(&at[..10.min(at.len())]),
                    None => format!(
                        r#"<span class="flag" data-status="draft">{}</span>"#,
                        esc(&ctx.t("releases.status.draft"))
                    ),
                };
                vec![
                    format!(r#"<a href="/releases/{0}">{0}</a>"#, esc(&r.id)),
                    esc(&r.period),
                    esc(&r.audience),
                    state,
                    format!(r#"<a href="/releases/{}/sdmx.csv" download>SDMX-CSV</a>"#, esc(&r.id)),
                ]
            })
            .collect();
        table(&head, &rows, &[])
    };
    body.push_str(&crate::releases::create_form(&ctx));
    Ok(page(&ctx, StatusCode::OK, &ctx.t("releases.public.title"), &body))
}

/// The SDMX-CSV of a release the role may see: `Ok(None)` unknown, `Err(())` denied.
pub(crate) async fn release_file(ctx: &Ctx, id: String) -> Result<std::result::Result<Option<String>, ()>> {
    let (rows, published) = ctx.state.with_store(|s| Ok((s.releases()?, s.release_publications()?))).await?;
    let Some(r) = rows.into_iter().find(|r| r.id == id) else { return Ok(Ok(None)) };
    let is_published = published.iter().any(|p| p.release_id == r.id);
    if !ctx.allowed(Action::ViewRelease, release_object(&r.audience, is_published)) {
        return Ok(Err(()));
    }
    ctx.audit("release.download", &format!("release:{}", r.id), Outcome::Success, "format=sdmx.csv").await?;
    Ok(Ok(Some(r.sdmx_csv)))
}

pub(crate) fn csv_download(name: &str, body: String) -> Response {
    let mut res = (StatusCode::OK, [(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    let safe: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}.sdmx.csv\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub(crate) async fn release_download(ctx: Ctx, Path(id): Path<String>) -> Page {
    match release_file(&ctx, id.clone()).await.map_err(|e| ctx.internal(e))? {
        Ok(Some(body)) => Ok(csv_download(&id, body)),
        Ok(None) => Err(not_found(ctx).await),
        Err(()) => Err(ctx.deny(Action::ViewRelease.code()).await),
    }
}

// ── Audit log ─────────────────────────────────────────────────────────────────────────────────

pub(crate) async fn audit(ctx: Ctx) -> Page {
    if !ctx.allowed(Action::ViewAuditLog, Object::Hub) || !ctx.allowed(Action::VerifyAuditLog, Object::Hub) {
        return Err(ctx.deny(Action::ViewAuditLog.code()).await);
    }
    ctx.audit(Action::VerifyAuditLog.code(), "audit", Outcome::Success, "")
        .await
        .map_err(|e| ctx.internal(e))?;
    let checked = ctx.state.with_store(crate::audit_log::check).await.map_err(|e| ctx.internal(e))?;
    let n = i64::try_from(checked.rows.len()).unwrap_or(i64::MAX);
    let verdict = match &checked.verdict {
        Ok(()) => format!(
            r#"<p class="ok" id="verdict" data-intact="true">{}</p>"#,
            esc(&i18n::Catalog::embedded().plural(ctx.lang, "audit.verify.intact", n, &[]))
        ),
        Err(e) => format!(
            r#"<p class="err" id="verdict" data-intact="false">{}</p>"#,
            esc(&ctx.ta("audit.verify.broken", &[("event", &crate::audit_log::broken_seq(e))]))
        ),
    };
    let head = ["#", "audit.when", "audit.who", "audit.what", "audit.where"]
        .map(|k| if k == "#" { k.to_string() } else { esc(&ctx.t(k)) });
    let mut head = head.to_vec();
    head.extend(["—".to_string(), "—".to_string()]);
    let rows: Vec<Vec<String>> = checked
        .rows
        .iter()
        .rev()
        .take(1_000)
        .map(|r| {
            vec![
                r.seq.to_string(),
                esc(&r.at),
                esc(&r.actor),
                esc(&r.action),
                esc(&r.source),
                esc(&r.outcome),
                esc(&format!("{} {}", r.object, r.detail)),
            ]
        })
        .collect();
    let body = format!(
        "<p>{}</p>{verdict}<p>{}</p>{}",
        esc(&ctx.t("audit.no_contents")),
        esc(&i18n::Catalog::embedded().plural(ctx.lang, "audit.events", n, &[])),
        table(&head, &rows, &[0])
    );
    Ok(page(&ctx, StatusCode::OK, &ctx.t("audit.title"), &body))
}
