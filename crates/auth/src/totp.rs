//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) as the second factor (ASVS 6.3.3, 6.5.x),
//! and which factors a login needs.
//!
//! HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch, the profile every authenticator app
//! supports. Secrets are 160 bits from the CSPRNG (RFC 4226 §4 asks for at least 128, recommends 160),
//! shown once for enrolment as unpadded base32 and as an `otpauth://totp/…` URI for a QR code. A code is
//! accepted for the current step and one step either side (clock drift), only for a step after the last
//! accepted one ([`verify`] returns the step to remember), so a code cannot be used twice (ASVS 6.5.1).
//! All candidate codes are compared in constant time. The server must keep the secret encrypted at rest.

use std::fmt;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::authz::Role;
use crate::rng::{Rng, RngError, random};

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of the current one.
pub const WINDOW: i64 = 1;

/// A user's TOTP secret (20 bytes). `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

/// Errors of enrolment and verification; none carries a secret or a code.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
pub enum TotpError {
    /// The base32 text is not a valid secret of at least 128 bits.
    #[error("malformed TOTP secret")]
    MalformedSecret,
    /// The code is not 6 digits, does not match, or was already used.
    #[error("wrong or already used code")]
    Rejected,
    /// The time is before the Unix epoch.
    #[error("time before 1970")]
    Time,
}

impl TotpSecret {
    /// A fresh 160-bit secret.
    ///
    /// # Errors
    /// [`RngError`] without randomness.
    pub fn generate(rng: &mut dyn Rng) -> Result<Self, RngError> {
        Ok(Self(random::<20>(rng)?.to_vec()))
    }

    /// A secret from its raw bytes (at least 16).
    ///
    /// # Errors
    /// [`TotpError::MalformedSecret`] for fewer than 16 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TotpError> {
        if bytes.len() < 16 {
            return Err(TotpError::MalformedSecret);
        }
        Ok(Self(bytes.to_vec()))
    }

    /// The raw bytes, for (encrypted) storage.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding, as authenticator apps take it.
    #[must_use]
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// A secret from base32 (case-insensitive; spaces, hyphens and padding ignored).
    ///
    /// # Errors
    /// [`TotpError::MalformedSecret`].
    pub fn from_base32(text: &str) -> Result<Self, TotpError> {
        Self::from_bytes(&base32_decode(text).ok_or(TotpError::MalformedSecret)?)
    }

    /// The enrolment URI (`otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30`),
    /// for a QR code shown once.
    #[must_use]
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent_encode(issuer),
            percent_encode(account),
            self.to_base32(),
            percent_encode(issuer)
        )
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

/// The HOTP value (RFC 4226 §5.3) of `counter`, with `digits` digits (6 to 9), as a zero-padded string.
///
/// # Panics
/// Never: HMAC accepts keys of any length and the dynamic offset stays inside the 20-byte MAC.
#[must_use]
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let digits = digits.clamp(6, 9);
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let binary = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    let width = digits as usize;
    format!("{:0width$}", binary % 10u32.pow(digits))
}

/// The step of `at`: whole 30-second periods since the epoch.
///
/// # Errors
/// [`TotpError::Time`] before 1970.
pub fn step_at(at: DateTime<Utc>) -> Result<u64, TotpError> {
    u64::try_from(at.timestamp().div_euclid(STEP_SECONDS)).map_err(|_| TotpError::Time)
}

/// The code of `secret` at `at` with `digits` digits (6 for the hub; 8 only for the RFC test vectors).
///
/// # Errors
/// [`TotpError::Time`] before 1970.
pub fn code_at(secret: &TotpSecret, at: DateTime<Utc>, digits: u32) -> Result<String, TotpError> {
    Ok(hotp(&secret.0, step_at(at)?, digits))
}

/// Checks `code` at `now`. `last_step` is the step of the last accepted code of this user (stored), if any.
/// On success returns the matched step, which the caller stores as the new `last_step` before answering.
///
/// # Errors
/// [`TotpError::Rejected`] for a malformed, wrong or replayed code; [`TotpError::Time`] before 1970.
pub fn verify(
    secret: &TotpSecret,
    code: &str,
    now: DateTime<Utc>,
    last_step: Option<u64>,
) -> Result<u64, TotpError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TotpError::Rejected);
    }
    let current = step_at(now)?;
    let mut matched = None;
    for delta in -WINDOW..=WINDOW {
        let Some(step) = current.checked_add_signed(delta) else { continue };
        let candidate = hotp(&secret.0, step, DIGITS);
        let fresh = last_step.is_none_or(|last| step > last);
        if bool::from(candidate.as_bytes().ct_eq(code.as_bytes())) && fresh && matched.is_none() {
            matched = Some(step);
        }
    }
    matched.ok_or(TotpError::Rejected)
}

/// What a login must present after the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// The password is enough.
    Password,
    /// The password, then a TOTP code.
    PasswordAndTotp,
    /// The password, then TOTP enrolment before anything else: the session may only enrol.
    PasswordThenEnrolTotp,
    /// This role cannot log in (the public has no accounts).
    Refused,
}

/// The factors a login needs: a TOTP code whenever the user has one (every account may enrol); enrolment
/// first for a hub admin without one when the hub requires MFA for admins; nothing for the public role.
#[must_use]
pub fn login_requirements(role: &Role, hub_requires_admin_mfa: bool, user_has_totp: bool) -> Requirement {
    match role {
        Role::Public => Requirement::Refused,
        _ if user_has_totp => Requirement::PasswordAndTotp,
        Role::HubAdmin if hub_requires_admin_mfa => Requirement::PasswordThenEnrolTotp,
        _ => Requirement::Password,
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32, upper case, without padding.
#[must_use]
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// RFC 4648 base32 (case-insensitive; spaces, hyphens and trailing `=` ignored); `None` if malformed.
#[must_use]
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    let cleaned = text.trim_end_matches('=');
    for c in cleaned.chars().filter(|c| !matches!(c, ' ' | '-')) {
        let c = c.to_ascii_uppercase();
        let value = BASE32.iter().position(|&x| char::from(x) == c)?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
        buffer &= (1 << bits) - 1;
    }
    // Leftover bits must be zero padding (a canonical encoding).
    (buffer == 0).then_some(out)
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
