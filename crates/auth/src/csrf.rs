//! Synchronizer CSRF tokens bound to the session and the form (ASVS 3.5.1).
//!
//! Every session has its own random 256-bit [`CsrfSecret`]. The token of a form is
//! `HMAC-SHA-256(secret, "mosy-csrf-v1" ‖ len(session id) ‖ session id ‖ len(form id) ‖ form id)` in hex:
//! it is valid only in that session (the secret and the id are both session-bound) and for that form
//! (`"submission.upload"`, `"user.edit"`, … or one id for all JSON requests, sent in a header).
//! [`verify`] compares in constant time (`hmac`'s `verify_slice`). A rotated session gets a new secret,
//! so the tokens of the old one stop working. `SameSite=Strict` cookies are a second, independent layer.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::rng::{Rng, RngError, random};
use crate::session::SessionId;

type HmacSha256 = Hmac<Sha256>;

/// A session's CSRF key. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct CsrfSecret([u8; 32]);

impl CsrfSecret {
    /// A fresh secret.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, RngError> {
        Ok(Self(random(rng)?))
    }

    /// A stored secret.
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for storage with the session.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn mac(&self, session: &SessionId, form_id: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(b"mosy-csrf-v1");
        for part in [&session.as_bytes()[..], form_id.as_bytes()] {
            mac.update(&u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
            mac.update(part);
        }
        mac
    }
}

impl fmt::Debug for CsrfSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CsrfSecret(<redacted>)")
    }
}

/// The CSRF token of `form_id` in the session `session` (64 hex digits), for a hidden form field or the
/// page's meta tag.
#[must_use]
pub fn token(secret: &CsrfSecret, session: &SessionId, form_id: &str) -> String {
    hex::encode(secret.mac(session, form_id).finalize().into_bytes())
}

/// The presented CSRF token is missing, malformed or not the one of this session and form.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
#[error("the form has expired or was not sent from this application; reload the page and try again")]
pub struct CsrfError;

/// Checks a presented token in constant time.
///
/// # Errors
/// [`CsrfError`] when it does not match.
pub fn verify(
    secret: &CsrfSecret,
    session: &SessionId,
    form_id: &str,
    presented: &str,
) -> Result<(), CsrfError> {
    if presented.len() != 64 {
        return Err(CsrfError);
    }
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(presented, &mut bytes).map_err(|_| CsrfError)?;
    secret.mac(session, form_id).verify_slice(&bytes).map_err(|_| CsrfError)
}
