//! Integration tests of the `auth` crate, one module per area.

mod audit;
mod authz;
mod csrf;
mod password;
mod session;
mod throttle;
mod token;
mod totp;

use chrono::{DateTime, TimeZone, Utc};

/// A fixed instant: 2026-03-02 10:00:00 UTC.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).single().expect("valid date")
}

/// The account id `user-<n>`.
pub(crate) fn user(n: u32) -> auth::session::UserId {
    auth::session::UserId(format!("user-{n}"))
}
