//! The security logic of the hub's web server (`mosy serve`), pure: no HTTP, no database, no clock and no
//! global randomness. The server passes the time (`chrono::DateTime<Utc>`) and a [`Rng`] ([`SystemRng`] in
//! production, [`SeededRng`] in tests); the store persists what this crate hands it (hashes, ids, records).
//! The anchor is OWASP ASVS 5.0.0 Level 2 (privacy.md §5.1); requirement numbers are cited per module.
//!
//! | module | what | ASVS |
//! |---|---|---|
//! | [`authz`] | roles, actions, [`allowed`] with object-level (tenant) checks; the documented access matrix | 8.1.1, 8.2.1, 8.2.2, 8.3.1, 8.3.2, 8.4.1 |
//! | [`password`] | argon2id hashes in PHC format, constant-time verification, equal work for unknown users, `needs_rehash`, the password policy with an embedded common-password list | 6.2.1, 6.2.4, 6.2.5, 6.2.8, 6.2.9, 6.2.11, 6.3.8, 11.4.2 |
//! | [`session`] | 256-bit opaque tokens stored as SHA-256, idle (30 min) and absolute (12 h) timeouts, rotation at login and privilege change, the `__Host-` cookie | 7.1.1, 7.2.1, 7.2.3, 7.2.4, 7.3.1, 7.3.2, 3.3.1–3.3.4 |
//! | [`csrf`] | synchronizer tokens: HMAC-SHA-256 of session id and form id under the session's secret | 3.5.1 |
//! | [`throttle`] | per-account and per-address back-off and temporary lock; one generic failure message | 6.3.1, 6.3.8 |
//! | [`totp`] | RFC 6238 TOTP (SHA-1, 6 digits, 30 s, ±1 step, no replay), enrolment URI, [`login_requirements`] | 6.3.3, 6.5.1, 6.5.5 |
//! | [`token`] | API tokens for machine submission: `mosy_` prefix, 256 bits, stored hashed, scoped to a provider and actions, expiring | 7.2.3, 8.2.2, 11.4.1 |
//! | [`audit`] | hash-chained audit events, [`verify`] pinpointing the first bad event, Ed25519-signed checkpoints | 16.2.1, 16.2.2, 16.4.1, 16.4.2, 16.4.3 |
//! | [`rng`] | the randomness trait: `getrandom` in production, a seeded stream in tests | 11.5.1 |
//!
//! Choices: secrets are never in `Debug` output (hand-written, redacted) and no error message carries a
//! password, token, code or secret; equality of secrets and their hashes is constant-time (`subtle`,
//! `hmac::verify_slice`, argon2's output comparison). Cryptography comes from vetted RustCrypto and dalek
//! crates (ASVS 11.2.1): `argon2`, `sha2`, `sha1` (HOTP only), `hmac`, `ed25519-dalek`. Everything that is
//! a choice of policy (argon2 parameters, timeouts, throttle limits, password lengths) is a value with a
//! documented default that the hub's settings may override.
//!
//! Left to the server and the store: run [`allowed`] on every request before touching data (ASVS 8.3.1)
//! and log denials to the audit chain (16.3.2); count wrong TOTP codes in the [`Throttle`] like wrong
//! passwords; store TOTP secrets encrypted and session, token and audit rows as this crate hands them over;
//! delete a user's sessions and tokens when the account is disabled or its role changes (7.4.2, 8.3.2);
//! ask for the password again before a change of password or second factor (7.5.1); append audit events
//! in the transaction that reads the head; export signed checkpoints outside the database (16.4.3).

pub mod audit;
pub mod authz;
pub mod csrf;
pub mod password;
pub mod rng;
pub mod session;
pub mod throttle;
pub mod token;
pub mod totp;

pub use audit::{AuditEvent, AuditRecord, ChainError, ChainHead, Outcome, verify};
pub use authz::{Action, Audience, Object, ReleaseAudience, Role, allowed};
pub use password::{HashParams, PasswordHash, PasswordHashing, PasswordPolicy};
pub use rng::{Rng, RngError, SeededRng, SystemRng};
pub use session::{CookieConfig, Session, SessionId, SessionPolicy, SessionStatus, SessionToken, UserId};
pub use throttle::{Decision, LOGIN_FAILED, Throttle};
pub use token::{ApiTokenRecord, ApiTokenSecret};
pub use totp::{Requirement, TotpSecret, login_requirements};
