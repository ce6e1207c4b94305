//! Server-side sessions (ASVS 7.1.1, 7.2.1–7.2.4, 7.3.1, 7.3.2) and the session cookie (ASVS 3.3.1–3.3.4).
//!
//! - A [`SessionToken`] is 256 bits from the system CSPRNG, sent to the browser only, as 64 hex digits.
//!   The server stores the session under its [`SessionId`], the SHA-256 of the token, so a copy of the
//!   session table does not hold usable tokens.
//! - A [`Session`] remembers its user, when it was created and last used, its CSRF secret and whether the
//!   second factor was passed. [`Session::status`] applies the idle timeout (default 30 minutes) and the
//!   absolute timeout (default 12 hours) of a [`SessionPolicy`]; the server ends the session on either.
//! - [`Session::start`] makes a new session at every login (never reusing one the browser offered, so
//!   session fixation fails), and [`Session::rotate`] gives an existing one a new token and CSRF secret at
//!   every change of privilege (second factor passed, role changed, password changed): the server stores
//!   the new one and deletes the old id in the same transaction. Rotation keeps `created_at`, so the
//!   absolute timeout is never extended.
//! - [`CookieConfig`] writes the `Set-Cookie` value: `__Host-` prefix and `Secure` when the hub runs
//!   behind TLS, always `HttpOnly`, `SameSite=Strict`, `Path=/`, no `Domain`, and no `Max-Age` (a
//!   browser-session cookie; the server enforces the timeouts).

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::csrf::CsrfSecret;
use crate::rng::{Rng, RngError, random};

/// A user's (account's) id in the store, as text (the store's `account.id`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub String);

/// The secret the browser holds. Only its [`SessionId`] is stored. `Debug` is redacted.
#[derive(Clone)]
pub struct SessionToken([u8; 32]);

/// The session token presented by the browser is not 64 hex digits.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
#[error("malformed session token")]
pub struct MalformedToken;

impl SessionToken {
    /// A fresh token.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, RngError> {
        Ok(Self(random(rng)?))
    }

    /// The token of a cookie value.
    ///
    /// # Errors
    /// [`MalformedToken`] unless `value` is 64 lower- or upper-case hex digits.
    pub fn parse(value: &str) -> Result<Self, MalformedToken> {
        if value.len() != 64 {
            return Err(MalformedToken);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(value, &mut bytes).map_err(|_| MalformedToken)?;
        Ok(Self(bytes))
    }

    /// The cookie value: 64 lower-case hex digits.
    #[must_use]
    pub fn to_cookie_value(&self) -> String {
        hex::encode(self.0)
    }

    /// The id the server stores the session under.
    #[must_use]
    pub fn id(&self) -> SessionId {
        SessionId(Sha256::new().chain_update(b"mosy-session-v1").chain_update(self.0).finalize().into())
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// The stored key of a session: SHA-256 of its token. `Debug` shows the first 8 hex digits only.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId([u8; 32]);

impl SessionId {
    /// The raw bytes, for storage and for binding CSRF tokens.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A stored id.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// 64 hex digits, for storage as text.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A short, non-secret reference for logs and the audit trail (the first 8 hex digits).
    #[must_use]
    pub fn short(&self) -> String {
        hex::encode(&self.0[..4])
    }

    /// Constant-time equality.
    #[must_use]
    pub fn ct_eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", self.short())
    }
}

/// The idle and absolute timeouts (ASVS 7.3.1, 7.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long ends (default 30 minutes).
    pub idle: TimeDelta,
    /// A session ends this long after its login, however active (default 12 hours).
    pub absolute: TimeDelta,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle: TimeDelta::minutes(30), absolute: TimeDelta::hours(12) }
    }
}

/// Whether a session may still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Usable; call [`Session::touch`].
    Active,
    /// Unused for longer than the idle timeout.
    IdleExpired,
    /// Older than the absolute timeout.
    AbsoluteExpired,
}

/// A server-side session. `Debug` hides the CSRF secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session.
    pub user_id: UserId,
    /// When the user logged in.
    pub created_at: DateTime<Utc>,
    /// The last request.
    pub last_seen: DateTime<Utc>,
    /// The key of the session's CSRF tokens.
    pub csrf_secret: CsrfSecret,
    /// Whether the second factor was passed in this session.
    pub mfa_done: bool,
}

/// A new or rotated session: the token for the cookie, the id to store it under, and the session.
#[derive(Debug)]
pub struct Issued {
    /// For the cookie, never stored.
    pub token: SessionToken,
    /// The stored key.
    pub id: SessionId,
    /// The stored session.
    pub session: Session,
}

impl Session {
    /// A new session at login: new token, new CSRF secret.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn start(
        user_id: UserId,
        now: DateTime<Utc>,
        mfa_done: bool,
        rng: &mut dyn Rng,
    ) -> Result<Issued, RngError> {
        let token = SessionToken::generate(rng)?;
        let session = Self {
            user_id,
            created_at: now,
            last_seen: now,
            csrf_secret: CsrfSecret::generate(rng)?,
            mfa_done,
        };
        Ok(Issued { id: token.id(), token, session })
    }

    /// The same login under a new token and CSRF secret, for a change of privilege; `mfa_done` is set as
    /// given. The caller replaces the old id by the new one.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn rotate(&self, now: DateTime<Utc>, mfa_done: bool, rng: &mut dyn Rng) -> Result<Issued, RngError> {
        let token = SessionToken::generate(rng)?;
        let session = Self {
            user_id: self.user_id.clone(),
            created_at: self.created_at,
            last_seen: now,
            csrf_secret: CsrfSecret::generate(rng)?,
            mfa_done,
        };
        Ok(Issued { id: token.id(), token, session })
    }

    /// Whether the session is still usable at `now`.
    #[must_use]
    pub fn status(&self, now: DateTime<Utc>, policy: &SessionPolicy) -> SessionStatus {
        if now - self.created_at >= policy.absolute {
            SessionStatus::AbsoluteExpired
        } else if now - self.last_seen >= policy.idle {
            SessionStatus::IdleExpired
        } else {
            SessionStatus::Active
        }
    }

    /// Records a request at `now` (never moves `last_seen` back).
    pub fn touch(&mut self, now: DateTime<Utc>) {
        if now > self.last_seen {
            self.last_seen = now;
        }
    }

    /// When the session will end if unused from now on: the earlier of the two timeouts.
    #[must_use]
    pub fn expires_at(&self, policy: &SessionPolicy) -> DateTime<Utc> {
        (self.last_seen + policy.idle).min(self.created_at + policy.absolute)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("last_seen", &self.last_seen)
            .field("csrf_secret", &self.csrf_secret)
            .field("mfa_done", &self.mfa_done)
            .finish()
    }
}

/// The cookie name is empty or has characters outside the RFC 6265 token set, or carries a `__` prefix.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
#[error("invalid cookie name")]
pub struct InvalidCookieName;

/// How the session cookie is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieConfig {
    base: String,
    secure: bool,
}

impl CookieConfig {
    /// A cookie named `base` (`__Host-base` when `secure`, i.e. when the hub is reached over TLS).
    ///
    /// # Errors
    /// [`InvalidCookieName`] unless `base` is a non-empty RFC 6265 token without a `__` prefix.
    pub fn new(base: &str, secure: bool) -> Result<Self, InvalidCookieName> {
        let token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if base.is_empty() || base.starts_with("__") || !base.chars().all(token_char) {
            return Err(InvalidCookieName);
        }
        Ok(Self { base: base.to_owned(), secure })
    }

    /// The hub's session cookie: `mosy_session`.
    #[must_use]
    pub fn session(secure: bool) -> Self {
        Self { base: "mosy_session".to_owned(), secure }
    }

    /// The cookie's name as sent by the browser.
    #[must_use]
    pub fn name(&self) -> String {
        if self.secure { format!("__Host-{}", self.base) } else { self.base.clone() }
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "; Path=/; Secure; HttpOnly; SameSite=Strict"
        } else {
            "; Path=/; HttpOnly; SameSite=Strict"
        }
    }

    /// The `Set-Cookie` header value carrying `token`.
    #[must_use]
    pub fn set_cookie(&self, token: &SessionToken) -> String {
        format!("{}={}{}", self.name(), token.to_cookie_value(), self.attributes())
    }

    /// The `Set-Cookie` header value that removes the cookie (logout, expiry).
    #[must_use]
    pub fn clear_cookie(&self) -> String {
        format!("{}={}; Max-Age=0", self.name(), self.attributes())
    }

    /// The session token in a `Cookie` request header, if there is exactly one well-formed cookie of this
    /// name (two cookies of the same name, as a cookie-tossing attack would set, count as none).
    #[must_use]
    pub fn token_from_header(&self, cookie_header: &str) -> Option<SessionToken> {
        let name = self.name();
        let mut values = cookie_header.split(';').filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        });
        let value = values.next()?;
        if values.next().is_some() {
            return None;
        }
        SessionToken::parse(value).ok()
    }
}
