//! API tokens for machine submission (ASVS 10.x bearer tokens, 7.2.3 entropy, 11.4.1 stored as hashes).
//!
//! A token is `mosy_` followed by 52 base32 characters (lower case) of 256 random bits, 57 characters in
//! all; the prefix lets secret scanners find leaked tokens. It is shown once when issued. The hub stores
//! only its [`TokenHash`] (SHA-256), looked up by that hash, with the provider it belongs to, the actions
//! it may perform, a label and an expiry (at most [`MAX_LIFETIME_DAYS`] days). A token acts as a provider
//! user of its provider restricted to its actions, and only the actions of
//! [`ApiTokenRecord::DELEGABLE`] can be given to a token: machine submission and reading the provider's
//! own submissions. Revocation is deleting (or flagging) the record.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::authz::{Action, Object};
use crate::rng::{Rng, RngError, random};
use crate::totp::{base32_decode, base32_encode};

/// The prefix of every token.
pub const PREFIX: &str = "mosy_";
/// The longest lifetime of a token, in days.
pub const MAX_LIFETIME_DAYS: i64 = 366;

/// A token as issued, for the provider's system. Shown once, never stored. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiTokenSecret([u8; 32]);

/// The SHA-256 of a token: the stored lookup key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenHash([u8; 32]);

/// Errors of issuing, parsing and using tokens; none carries a token.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Not `mosy_` followed by 52 base32 characters.
    #[error("malformed API token")]
    Malformed,
    /// An action that cannot be given to a token, or no action at all.
    #[error("this action cannot be given to an API token")]
    NotDelegable,
    /// Expiry not in the future or beyond the longest lifetime.
    #[error("an API token must expire within {MAX_LIFETIME_DAYS} days")]
    Lifetime,
    /// The provider code is empty.
    #[error("an API token needs a provider")]
    Provider,
    /// The token has expired.
    #[error("the API token has expired")]
    Expired,
    /// The token does not allow this action on this object.
    #[error("the API token does not allow this")]
    Forbidden,
    /// No randomness.
    #[error(transparent)]
    Rng(#[from] RngError),
}

impl ApiTokenSecret {
    /// The token presented in an `Authorization: Bearer …` header.
    ///
    /// # Errors
    /// [`TokenError::Malformed`].
    pub fn parse(text: &str) -> Result<Self, TokenError> {
        let body = text.strip_prefix(PREFIX).ok_or(TokenError::Malformed)?;
        if body.len() != 52 || !body.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)) {
            return Err(TokenError::Malformed);
        }
        let bytes = base32_decode(body).ok_or(TokenError::Malformed)?;
        Ok(Self(bytes.try_into().map_err(|_| TokenError::Malformed)?))
    }

    /// A new random token (256 bits) outside the provider tokens of [`ApiTokenRecord`]: the hub
    /// token an EU hub issues to a national hub (stored as its [`TokenHash`], shown once).
    ///
    /// # Errors
    /// [`TokenError::Rng`].
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, TokenError> {
        Ok(Self(random(rng)?))
    }

    /// The token text, `mosy_…`, to show once.
    #[must_use]
    pub fn expose(&self) -> String {
        format!("{PREFIX}{}", base32_encode(&self.0).to_ascii_lowercase())
    }

    /// The stored lookup key.
    #[must_use]
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::new().chain_update(b"mosy-api-token-v1").chain_update(self.0).finalize().into())
    }
}

impl fmt::Debug for ApiTokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiTokenSecret(<redacted>)")
    }
}

impl TokenHash {
    /// A stored hash.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for storage.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A short, non-secret reference for logs and the audit trail (first 8 hex digits).
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

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({}…)", self.short())
    }
}

/// What the hub stores about a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// The lookup key.
    pub hash: TokenHash,
    /// The provider the token acts for.
    pub provider: String,
    /// What it may do (a non-empty subset of [`ApiTokenRecord::DELEGABLE`]).
    pub actions: BTreeSet<Action>,
    /// A name given by the admin ("police export job").
    pub label: String,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl ApiTokenRecord {
    /// The actions a token may carry.
    pub const DELEGABLE: [Action; 2] = [Action::MachineSubmission, Action::ViewSubmissions];

    /// Issues a token for `provider` with `actions`, valid until `expires_at`.
    ///
    /// # Errors
    /// [`TokenError::Provider`], [`TokenError::NotDelegable`], [`TokenError::Lifetime`], [`TokenError::Rng`].
    pub fn issue(
        provider: &str,
        actions: &[Action],
        label: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        rng: &mut dyn Rng,
    ) -> Result<(ApiTokenSecret, Self), TokenError> {
        if provider.trim().is_empty() {
            return Err(TokenError::Provider);
        }
        if actions.is_empty() || actions.iter().any(|a| !Self::DELEGABLE.contains(a)) {
            return Err(TokenError::NotDelegable);
        }
        if expires_at <= now || expires_at - now > TimeDelta::days(MAX_LIFETIME_DAYS) {
            return Err(TokenError::Lifetime);
        }
        let secret = ApiTokenSecret(random(rng)?);
        let record = Self {
            hash: secret.hash(),
            provider: provider.to_owned(),
            actions: actions.iter().copied().collect(),
            label: label.to_owned(),
            created_at: now,
            expires_at,
        };
        Ok((secret, record))
    }

    /// Whether the token may perform `action` on `object` at `now`: not expired, the action among its
    /// own, and the object its provider's data.
    ///
    /// # Errors
    /// [`TokenError::Expired`] or [`TokenError::Forbidden`].
    pub fn authorize(
        &self,
        action: Action,
        object: Object<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), TokenError> {
        if now >= self.expires_at {
            return Err(TokenError::Expired);
        }
        let own = matches!(object, Object::Provider(p) if p == self.provider);
        if self.actions.contains(&action) && Self::DELEGABLE.contains(&action) && own {
            Ok(())
        } else {
            Err(TokenError::Forbidden)
        }
    }
}
