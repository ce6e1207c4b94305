//! The context of one request: who (from the server-side session of the cookie, with its idle
//! and absolute timeouts), from where, in which language, and the CSRF tokens of its forms.

use std::net::{IpAddr, SocketAddr};

use auth::csrf::CsrfSecret;
use auth::{Action, Object, Outcome, Role, Session, SessionId, SessionStatus, UserId};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use i18n::{Catalog, Lang};
use store::AccountRow;

use crate::{AppState, Error, Result};

/// A logged-in user (password and, when enrolled, second factor passed).
#[derive(Clone, Debug)]
pub struct User {
    /// The account.
    pub account: AccountRow,
    /// Its role.
    pub role: Role,
}

/// A live session.
#[derive(Clone, Debug)]
pub struct Live {
    /// The stored id (hash of the cookie's token).
    pub id: SessionId,
    /// The session.
    pub session: Session,
    /// The account.
    pub account: AccountRow,
}

/// Name of the cookie keying the login form's CSRF token before a session exists.
pub const PRELOGIN_COOKIE: &str = "mosy_prelogin";
/// Name of the language cookie set by `?lang=`.
pub const LANG_COOKIE: &str = "mosy_lang";

/// The request's context.
pub struct Ctx {
    /// The shared state.
    pub state: AppState,
    /// The peer's address (when served over a socket).
    pub ip: Option<IpAddr>,
    /// The language of the response.
    pub lang: Lang,
    /// Set when `?lang=` chose a language: the response sets the language cookie.
    pub lang_chosen: bool,
    /// The session, when one is live.
    pub live: Option<Live>,
    /// The user, when the session is live and complete (second factor passed if enrolled).
    pub user: Option<User>,
    /// Whether a session cookie was presented but the session had expired.
    pub expired: bool,
    /// The login form's nonce cookie.
    pub prelogin: Option<[u8; 32]>,
    /// A hub admin without a second factor while the hub requires one: may only enrol one.
    pub must_enrol: bool,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Corrupt("session time"))
}

/// RFC 3339 with microseconds, as sessions are stored.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The values of cookie `name` in the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

impl Ctx {
    /// The cookie name of the login nonce (with `__Host-` behind TLS).
    pub(crate) fn prelogin_cookie_name(&self) -> String {
        if self.state.0.config.secure_cookies {
            format!("__Host-{PRELOGIN_COOKIE}")
        } else {
            PRELOGIN_COOKIE.to_string()
        }
    }

    /// Cookie attributes of the hub's cookies.
    pub(crate) fn cookie_attributes(&self) -> &'static str {
        if self.state.0.config.secure_cookies {
            "; Path=/; Secure; HttpOnly; SameSite=Strict"
        } else {
            "; Path=/; HttpOnly; SameSite=Strict"
        }
    }

    /// A message of the catalog in the request's language.
    pub fn t(&self, key: &str) -> String {
        Catalog::embedded().t(self.lang, key, &[])
    }

    /// A message with placeholders.
    pub fn ta(&self, key: &str, args: &i18n::Args<'_>) -> String {
        Catalog::embedded().t(self.lang, key, args)
    }

    /// The role of the request (the public when nobody is logged in).
    pub fn role(&self) -> Role {
        self.user.as_ref().map_or(Role::Public, |u| u.role.clone())
    }

    /// Whether the request may do `action` on `object`.
    pub fn allowed(&self, action: Action, object: Object<'_>) -> bool {
        if self.must_enrol && action != Action::ManageOwnAccount {
            return false;
        }
        auth::allowed(&self.role(), action, object)
    }

    /// Who, for the audit log.
    pub fn actor(&self) -> String {
        self.user.as_ref().map_or_else(|| "anonymous".to_string(), |u| format!("user:{}", u.account.id))
    }

    /// The CSRF token of a form: bound to the session, or before login to the login nonce.
    pub fn csrf(&self, form: &str) -> String {
        match (&self.live, &self.prelogin) {
            (Some(l), _) => auth::csrf::token(&l.session.csrf_secret, &l.id, form),
            (None, Some(nonce)) => {
                auth::csrf::token(&self.state.0.login_csrf, &SessionId::from_bytes(*nonce), form)
            }
            (None, None) => String::new(),
        }
    }

    /// Whether `presented` is the CSRF token of `form` for this request.
    pub fn csrf_ok(&self, form: &str, presented: &str) -> bool {
        match (&self.live, &self.prelogin) {
            (Some(l), _) => auth::csrf::verify(&l.session.csrf_secret, &l.id, form, presented).is_ok(),
            (None, Some(nonce)) => {
                auth::csrf::verify(&self.state.0.login_csrf, &SessionId::from_bytes(*nonce), form, presented)
                    .is_ok()
            }
            (None, None) => false,
        }
    }

    /// Appends an audit event; a failure to audit is an error of the request.
    ///
    /// # Errors
    /// The store's.
    pub async fn audit(&self, action: &str, object: &str, outcome: Outcome, detail: &str) -> Result<()> {
        let record = crate::audit_log::record(&self.actor(), action, object, self.ip, outcome, detail);
        self.state.audit(record).await
    }

    /// Appends the audit event of a read-only action without waiting for its commit (see
    /// [`AppState::audit_read`]).
    pub fn audit_read(&self, action: &str, object: &str, outcome: Outcome, detail: &str) {
        let record = crate::audit_log::record(&self.actor(), action, object, self.ip, outcome, detail);
        self.state.audit_read(record);
    }

    /// The 500 page, with a reference to the log; never the error itself.
    pub fn internal(&self, e: Error) -> Response {
        let mut bytes = [0u8; 4];
        let reference = match auth::Rng::fill(&mut auth::SystemRng, &mut bytes) {
            Ok(()) => hex::encode(bytes),
            Err(_) => "unavailable".to_string(),
        };
        tracing::error!(reference = %reference, error = %e, "request failed");
        let body = self.ta("error.500.body", &[("reference", &reference)]);
        crate::html::error_page(self, StatusCode::INTERNAL_SERVER_ERROR, &self.t("error.500.title"), &body)
    }

    /// Refuses: the login page for the anonymous, else 403 (and the denial is audited).
    pub async fn deny(&self, action: &str) -> Response {
        if self.user.is_none() {
            return axum::response::Redirect::to("/login").into_response();
        }
        if self.must_enrol {
            return axum::response::Redirect::to("/account/totp").into_response();
        }
        if let Err(e) = self.audit(action, "", Outcome::Denied, "").await {
            return self.internal(e);
        }
        crate::html::error_page(
            self,
            StatusCode::FORBIDDEN,
            &self.t("error.403.title"),
            &self.t("error.403.body"),
        )
    }
}

/// How long a session read from the store is used without reading it again. Changes made by this
/// process (logins, logouts, disabled accounts, second factors) invalidate the cache at once.
const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(5);
/// How stale the stored `last_seen` of a session may get before a request writes it again: the idle
/// timeout is exact in memory and at most this early after a restart.
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

struct CachedSession {
    live: Live,
    stored_last_seen: DateTime<Utc>,
    fetched: std::time::Instant,
    epoch: u64,
}

/// Live sessions recently read from the store, so that a request does not read and write the
/// store just to learn who it is.
#[derive(Default)]
pub(crate) struct SessionCache {
    epoch: std::sync::atomic::AtomicU64,
    entries: std::sync::Mutex<std::collections::BTreeMap<SessionId, CachedSession>>,
}

impl SessionCache {
    /// Forgets every cached session (accounts or sessions changed).
    pub(crate) fn invalidate(&self) {
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    fn epoch(&self) -> u64 {
        self.epoch.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The live session of a token (from the cache or the store), touched; `(None, true)` when it
/// has ended.
async fn session_of(state: &AppState, id: SessionId) -> Result<(Option<Live>, bool)> {
    let cache = &state.0.sessions;
    let policy = state.0.config.sessions;
    let now = Utc::now();
    let epoch = cache.epoch();
    let cached = {
        let mut entries = cache.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match entries.get_mut(&id) {
            Some(c) if c.epoch == epoch && c.fetched.elapsed() < SESSION_TTL => {
                if c.live.session.status(now, &policy) == SessionStatus::Active {
                    c.live.session.touch(now);
                    let write = now - c.stored_last_seen >= TOUCH_EVERY;
                    if write {
                        c.stored_last_seen = now;
                    }
                    Some(Some((c.live.clone(), write)))
                } else {
                    entries.remove(&id);
                    Some(None)
                }
            }
            _ => None,
        }
    };
    match cached {
        Some(Some((live, write))) => {
            if write {
                let (hash, seen, mfa) = (id.to_hex(), stamp(live.session.last_seen), live.session.mfa_done);
                state.in_background(move |s| Ok(s.touch_session(&hash, &seen, mfa)?));
            }
            return Ok((Some(live), false));
        }
        Some(None) => {
            let hash = id.to_hex();
            state.in_background(move |s| Ok(s.delete_session(&hash)?));
            return Ok((None, true));
        }
        None => {}
    }
    // Read on the reading connection (never behind a long import); writes go to the background.
    let read = state
        .with_reader(move |s| {
            let Some(row) = s.session(&id.to_hex())? else { return Ok(None) };
            let mut secret = [0u8; 32];
            hex::decode_to_slice(&row.csrf_secret, &mut secret).map_err(|_| Error::Corrupt("session"))?;
            let session = Session {
                user_id: UserId(row.account_id.clone()),
                created_at: parse_time(&row.created_at)?,
                last_seen: parse_time(&row.last_seen)?,
                csrf_secret: CsrfSecret::from_bytes(secret),
                mfa_done: row.mfa_done,
            };
            let account = s.account(&row.account_id)?.filter(|a| !a.disabled);
            Ok(Some((row.token_hash, session, account)))
        })
        .await?;
    let Some((hash, mut session, account)) = read else { return Ok((None, true)) };
    let Some(account) = account.filter(|_| session.status(now, &policy) == SessionStatus::Active) else {
        state.in_background(move |s| Ok(s.delete_session(&hash)?));
        return Ok((None, true));
    };
    let mut stored = session.last_seen;
    session.touch(now);
    if now - stored >= TOUCH_EVERY {
        let (seen, mfa) = (stamp(session.last_seen), session.mfa_done);
        state.in_background(move |s| Ok(s.touch_session(&hash, &seen, mfa)?));
        stored = session.last_seen;
    }
    let read = Some((Live { id, session, account }, stored));
    let Some((live, stored_last_seen)) = read else { return Ok((None, true)) };
    let mut entries = cache.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if cache.epoch() == epoch {
        if entries.len() >= 100_000 {
            entries.clear();
        }
        entries.insert(
            id,
            CachedSession { live: live.clone(), stored_last_seen, fetched: std::time::Instant::now(), epoch },
        );
    }
    Ok((Some(live), false))
}

async fn load(state: &AppState, parts: &Parts) -> Result<Ctx> {
    let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let token = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let token = state.0.cookie.token_from_header(&token);
    let (live, expired) = match token {
        None => (None, false),
        Some(token) => session_of(state, token.id()).await?,
    };
    let user = match &live {
        Some(l) if l.session.mfa_done || l.account.totp_secret.is_none() => {
            Some(User { account: l.account.clone(), role: crate::accounts::role_of(&l.account)? })
        }
        _ => None,
    };
    let catalog = Catalog::embedded();
    let parse = |t: &str| Lang::parse(t).ok().map(|l| catalog.resolve(l));
    let chosen = query_param(parts.uri.query(), "lang").and_then(parse);
    let lang = chosen
        .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(parse))
        .or_else(|| user.as_ref().and_then(|u| parse(&u.account.lang)))
        .unwrap_or_else(|| {
            catalog.negotiate(
                parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""),
            )
        });
    let prelogin_name = if state.0.config.secure_cookies {
        format!("__Host-{PRELOGIN_COOKIE}")
    } else {
        PRELOGIN_COOKIE.into()
    };
    let prelogin = cookie(&parts.headers, &prelogin_name).and_then(|v| {
        let mut b = [0u8; 32];
        hex::decode_to_slice(v, &mut b).ok().map(|()| b)
    });
    let must_enrol = match &user {
        Some(u) if u.role == Role::HubAdmin && u.account.totp_secret.is_none() => {
            state.admin_totp_required().await?
        }
        _ => false,
    };
    Ok(Ctx {
        state: state.clone(),
        ip,
        lang,
        lang_chosen: chosen.is_some(),
        live,
        user,
        expired,
        prelogin,
        must_enrol,
    })
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        load(state, parts).await.map_err(|e| {
            tracing::error!(error = %e, "request context");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        })
    }
}
