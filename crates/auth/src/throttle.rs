//! Login throttling per account and per source address (ASVS 6.3.1), as a pure state machine: the caller
//! passes the time of each event.
//!
//! Each key (an account name, trimmed and lower-cased; a source address, IPv6 grouped by its /64, since
//! one client holds a whole /64) counts its failures within a window that starts at its first failure.
//! The first `free_failures` cost nothing; each later one blocks further attempts for a delay doubling
//! from `base_delay` up to `max_delay`; at `lock_after` failures the key is locked for `lock_for`. After the
//! window, the count starts again. A success clears the account's count, never the address's (one valid
//! account must not reset an attacker's address). Unknown accounts are counted exactly like known ones, and
//! every refusal shows the same [`LOGIN_FAILED`] message, so neither tells which accounts exist (ASVS 6.3.8).
//! Locks are temporary, so an attacker cannot lock a user out for good. The tables are bounded
//! (`max_entries` per kind, the stalest entries go first).

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};

/// The one message of every refused login, whatever the reason.
pub const LOGIN_FAILED: &str = "Log-in failed: the user name, password or code is wrong, or there were too many \
                                attempts. Wait a moment and try again.";

/// Why a login failed, for the audit log only: the user always sees [`LOGIN_FAILED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LoginFailure {
    /// No such account (or it is disabled).
    UnknownAccount,
    /// The password did not match.
    WrongPassword,
    /// The TOTP code did not match or was replayed.
    WrongCode,
    /// Refused by the throttle before the password was checked.
    Throttled,
}

impl LoginFailure {
    /// The message shown to the user: the same for every reason.
    #[must_use]
    pub fn public_message(self) -> &'static str {
        LOGIN_FAILED
    }

    /// A code for the audit log.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownAccount => "unknown_account",
            Self::WrongPassword => "wrong_password",
            Self::WrongCode => "wrong_code",
            Self::Throttled => "throttled",
        }
    }
}

/// The limits for one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures are counted within this window from the first one.
    pub window: TimeDelta,
    /// Failures without delay.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones; it doubles with each further failure.
    pub base_delay: TimeDelta,
    /// The longest delay before the lock.
    pub max_delay: TimeDelta,
    /// Failures within the window that lock the key.
    pub lock_after: u32,
    /// How long a lock lasts.
    pub lock_for: TimeDelta,
    /// Keys remembered at most.
    pub max_entries: usize,
}

impl ThrottlePolicy {
    /// For accounts: 3 free failures, then 1 s, 2 s, 4 s … (at most 5 min); locked for 30 min at 10 failures
    /// within an hour. At most about 20 guesses per hour per account.
    #[must_use]
    pub fn accounts() -> Self {
        Self {
            window: TimeDelta::hours(1),
            free_failures: 3,
            base_delay: TimeDelta::seconds(1),
            max_delay: TimeDelta::minutes(5),
            lock_after: 10,
            lock_for: TimeDelta::minutes(30),
            max_entries: 100_000,
        }
    }

    /// For source addresses (a ministry's users may share one address): 20 free failures, then 1 s, 2 s, …
    /// (at most 5 min); locked for an hour at 100 failures within an hour.
    #[must_use]
    pub fn addresses() -> Self {
        Self {
            window: TimeDelta::hours(1),
            free_failures: 20,
            base_delay: TimeDelta::seconds(1),
            max_delay: TimeDelta::minutes(5),
            lock_after: 100,
            lock_for: TimeDelta::hours(1),
            max_entries: 100_000,
        }
    }

    fn delay(&self, failures: u32) -> Option<TimeDelta> {
        if failures >= self.lock_after {
            return Some(self.lock_for);
        }
        let beyond = failures.checked_sub(self.free_failures)?.checked_sub(1)?;
        let factor = 1i32.checked_shl(beyond.min(30)).unwrap_or(i32::MAX);
        Some(self.base_delay.checked_mul(factor).unwrap_or(self.max_delay).min(self.max_delay))
    }
}

/// What the throttle says about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Check the credentials.
    Allow,
    /// Refuse without checking them, with [`LOGIN_FAILED`], until `until`.
    Wait {
        /// The earliest time of the next attempt.
        until: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    failures: u32,
    window_start: DateTime<Utc>,
    last_failure: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct Table<K> {
    policy: ThrottlePolicy,
    entries: BTreeMap<K, Entry>,
}

impl<K: Ord + Clone> Table<K> {
    fn new(policy: ThrottlePolicy) -> Self {
        Self { policy, entries: BTreeMap::new() }
    }

    fn live(&self, entry: &Entry, now: DateTime<Utc>) -> bool {
        now - entry.window_start < self.policy.window || entry.blocked_until.is_some_and(|u| u > now)
    }

    fn blocked_until(&self, key: &K, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.entries.get(key).and_then(|e| e.blocked_until).filter(|&u| u > now)
    }

    fn fail(&mut self, key: &K, now: DateTime<Utc>) {
        if !self.entries.contains_key(key) && self.entries.len() >= self.policy.max_entries {
            self.prune(now);
            if self.entries.len() >= self.policy.max_entries {
                let stalest = self.entries.iter().min_by_key(|(_, e)| e.last_failure).map(|(k, _)| k.clone());
                if let Some(k) = stalest {
                    self.entries.remove(&k);
                }
            }
        }
        let window = self.policy.window;
        let entry = self.entries.entry(key.clone()).or_insert(Entry {
            failures: 0,
            window_start: now,
            last_failure: now,
            blocked_until: None,
        });
        let locked = entry.blocked_until.is_some_and(|u| u > now);
        if !locked && now - entry.window_start >= window {
            *entry = Entry { failures: 0, window_start: now, last_failure: now, blocked_until: None };
        }
        entry.failures = entry.failures.saturating_add(1);
        entry.last_failure = now;
        if let Some(delay) = self.policy.delay(entry.failures) {
            let until = now + delay;
            entry.blocked_until = Some(entry.blocked_until.map_or(until, |u| u.max(until)));
        }
    }

    fn prune(&mut self, now: DateTime<Utc>) {
        let stale: Vec<K> =
            self.entries.iter().filter(|(_, e)| !self.live(e, now)).map(|(k, _)| k.clone()).collect();
        for k in stale {
            self.entries.remove(&k);
        }
    }
}

/// The key of a source address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 prefix.
#[must_use]
pub fn address_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The longest account key kept, in characters: longer names share the key of their first 128 characters,
/// so that a flood of huge names cannot fill memory.
pub const MAX_ACCOUNT_KEY_CHARS: usize = 128;

/// The key of an account name: trimmed, lower-cased, at most [`MAX_ACCOUNT_KEY_CHARS`] characters.
#[must_use]
pub fn account_key(account: &str) -> String {
    account.trim().chars().take(MAX_ACCOUNT_KEY_CHARS).flat_map(char::to_lowercase).collect()
}

/// Failure counts per account and per source address.
#[derive(Debug, Clone)]
pub struct Throttle {
    accounts: Table<String>,
    addresses: Table<IpAddr>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(ThrottlePolicy::accounts(), ThrottlePolicy::addresses())
    }
}

impl Throttle {
    /// A throttle with the given limits.
    #[must_use]
    pub fn new(accounts: ThrottlePolicy, addresses: ThrottlePolicy) -> Self {
        Self { accounts: Table::new(accounts), addresses: Table::new(addresses) }
    }

    /// Whether a login for `account` from `addr` may be checked at `now`.
    #[must_use]
    pub fn check(&self, account: &str, addr: IpAddr, now: DateTime<Utc>) -> Decision {
        let a = self.accounts.blocked_until(&account_key(account), now);
        let b = self.addresses.blocked_until(&address_key(addr), now);
        match a.max(b) {
            Some(until) => Decision::Wait { until },
            None => Decision::Allow,
        }
    }

    /// Counts a failed login (wrong password or code, or unknown account) against both keys.
    pub fn record_failure(&mut self, account: &str, addr: IpAddr, now: DateTime<Utc>) {
        self.accounts.fail(&account_key(account), now);
        self.addresses.fail(&address_key(addr), now);
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&mut self, account: &str) {
        self.accounts.entries.remove(&account_key(account));
    }

    /// Lifts an account's block (an administrator's action).
    pub fn unlock_account(&mut self, account: &str) {
        self.accounts.entries.remove(&account_key(account));
    }

    /// Drops the entries whose window and block are over.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        self.accounts.prune(now);
        self.addresses.prune(now);
    }

    /// Entries held: (accounts, addresses).
    #[must_use]
    pub fn entry_counts(&self) -> (usize, usize) {
        (self.accounts.entries.len(), self.addresses.entries.len())
    }

    /// Failures of an account counted in its current window.
    #[must_use]
    pub fn account_failures(&self, account: &str, now: DateTime<Utc>) -> u32 {
        self.accounts
            .entries
            .get(&account_key(account))
            .filter(|e| self.accounts.live(e, now))
            .map_or(0, |e| e.failures)
    }
}
