//! Login throttling per account and per source address.

use std::net::IpAddr;

use auth::throttle::{Decision, LOGIN_FAILED, LoginFailure, Throttle, ThrottlePolicy, address_key};
use chrono::{DateTime, TimeDelta, Utc};

use crate::t0;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("address")
}

fn wait_until(decision: Decision) -> Option<DateTime<Utc>> {
    match decision {
        Decision::Allow => None,
        Decision::Wait { until } => Some(until),
    }
}

#[test]
fn account_back_off_doubles_then_locks() {
    let mut throttle = Throttle::default();
    let addr = ip("10.0.0.1");
    let mut now = t0();
    // Three free failures.
    for _ in 0..3 {
        assert_eq!(throttle.check("alice", addr, now), Decision::Allow);
        throttle.record_failure("alice", addr, now);
    }
    assert_eq!(throttle.check("alice", addr, now), Decision::Allow);
    // Then 1 s, 2 s, 4 s, … each time the attacker waits exactly as long as told.
    let mut delays = Vec::new();
    for _ in 0..7 {
        assert_eq!(throttle.check("alice", addr, now), Decision::Allow, "{now}");
        throttle.record_failure("alice", addr, now);
        let until = wait_until(throttle.check("alice", addr, now)).expect("blocked");
        assert_eq!(
            throttle.check("alice", addr, until - TimeDelta::milliseconds(1)),
            Decision::Wait { until }
        );
        delays.push((until - now).num_seconds());
        now = until;
    }
    // Failures 4 to 9 back off; the 10th locks for 30 minutes.
    assert_eq!(delays, vec![1, 2, 4, 8, 16, 32, 1800]);
    assert_eq!(throttle.account_failures("alice", now), 10);
}

#[test]
fn delay_is_capped() {
    let policy = ThrottlePolicy { lock_after: 1000, ..ThrottlePolicy::accounts() };
    let mut throttle =
        Throttle::new(policy, ThrottlePolicy { free_failures: 10_000, ..ThrottlePolicy::addresses() });
    let addr = ip("10.0.0.1");
    let mut now = t0();
    let mut longest = TimeDelta::zero();
    for _ in 0..40 {
        throttle.record_failure("bob", addr, now);
        if let Some(until) = wait_until(throttle.check("bob", addr, now)) {
            longest = longest.max(until - now);
            now = until;
        }
    }
    assert_eq!(longest, TimeDelta::minutes(5));
}

#[test]
fn accounts_are_normalised_and_unknown_ones_count_alike() {
    let mut throttle = Throttle::default();
    let addr = ip("10.0.0.2");
    for name in ["Alice", " alice", "ALICE ", "alice"] {
        throttle.record_failure(name, addr, t0());
    }
    assert!(wait_until(throttle.check("aLiCe", addr, t0())).is_some());
    // An account that does not exist is throttled the same way: no difference to observe.
    let mut ghost = Throttle::default();
    for _ in 0..4 {
        ghost.record_failure("nobody-here", addr, t0());
    }
    assert_eq!(
        wait_until(ghost.check("nobody-here", addr, t0())),
        wait_until(throttle.check("alice", addr, t0()))
    );
}

#[test]
fn success_clears_the_account_not_the_address() {
    let mut throttle = Throttle::default();
    let addr = ip("10.0.0.3");
    for i in 0..25 {
        throttle.record_failure(&format!("user{i}"), addr, t0());
    }
    throttle.record_failure("carol", addr, t0());
    throttle.record_success("carol");
    assert_eq!(throttle.account_failures("carol", t0()), 0);
    // The address passed its 20 free failures: still blocked for everyone behind it.
    assert!(wait_until(throttle.check("dave", addr, t0())).is_some());
    assert_eq!(throttle.check("dave", ip("10.0.0.4"), t0()), Decision::Allow);
}

#[test]
fn address_limits_spraying_across_accounts() {
    let mut throttle = Throttle::default();
    let addr = ip("192.0.2.7");
    let mut now = t0();
    let mut attempts = 0;
    while now < t0() + TimeDelta::hours(1) {
        match throttle.check(&format!("victim{attempts}"), addr, now) {
            Decision::Allow => {
                throttle.record_failure(&format!("victim{attempts}"), addr, now);
                attempts += 1;
            }
            Decision::Wait { until } => now = until,
        }
    }
    // 20 free, then 1 s, 2 s, … 256 s (9 more, 511 s), then one every 5 minutes for the rest of the hour.
    let capped = (3600 - 511) / 300 + 1;
    assert_eq!(attempts, 20 + 9 + capped);
}

#[test]
fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
    assert_eq!(address_key(ip("2001:db8:1:2:aaaa::1")), address_key(ip("2001:db8:1:2:bbbb::2")));
    assert_ne!(address_key(ip("2001:db8:1:2::1")), address_key(ip("2001:db8:1:3::1")));
    assert_eq!(address_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    let mut throttle = Throttle::default();
    for i in 0..21u16 {
        throttle.record_failure(&format!("u{i}"), ip(&format!("2001:db8::{i:x}")), t0());
    }
    assert!(wait_until(throttle.check("someone", ip("2001:db8::ffff"), t0())).is_some());
}

#[test]
fn the_window_restarts_the_count() {
    let mut throttle = Throttle::default();
    let addr = ip("10.0.0.5");
    for _ in 0..3 {
        throttle.record_failure("erin", addr, t0());
    }
    let later = t0() + TimeDelta::hours(1);
    assert_eq!(throttle.account_failures("erin", later), 0);
    throttle.record_failure("erin", addr, later);
    assert_eq!(throttle.account_failures("erin", later), 1);
    assert_eq!(throttle.check("erin", addr, later), Decision::Allow);
}

#[test]
fn unlock_lifts_a_lock() {
    let mut throttle = Throttle::default();
    let addr = ip("10.0.0.6");
    for _ in 0..10 {
        throttle.record_failure("frank", addr, t0());
    }
    assert!(wait_until(throttle.check("frank", addr, t0() + TimeDelta::minutes(29))).is_some());
    throttle.unlock_account("frank");
    assert_eq!(throttle.check("frank", addr, t0()), Decision::Allow);
}

#[test]
fn tables_are_bounded_and_pruned() {
    let small = ThrottlePolicy { max_entries: 3, ..ThrottlePolicy::accounts() };
    let mut throttle = Throttle::new(small, ThrottlePolicy { max_entries: 3, ..ThrottlePolicy::addresses() });
    for i in 0..10i64 {
        throttle.record_failure(&format!("a{i}"), ip(&format!("10.1.0.{i}")), t0() + TimeDelta::seconds(i));
    }
    assert_eq!(throttle.entry_counts(), (3, 3));
    // The newest survive.
    assert_eq!(throttle.account_failures("a9", t0() + TimeDelta::seconds(10)), 1);
    assert_eq!(throttle.account_failures("a0", t0() + TimeDelta::seconds(10)), 0);
    throttle.prune(t0() + TimeDelta::hours(2));
    assert_eq!(throttle.entry_counts(), (0, 0));
}

#[test]
fn one_message_for_every_failure() {
    for reason in [
        LoginFailure::UnknownAccount,
        LoginFailure::WrongPassword,
        LoginFailure::WrongCode,
        LoginFailure::Throttled,
    ] {
        assert_eq!(reason.public_message(), LOGIN_FAILED);
        assert!(!reason.code().is_empty());
    }
}

#[test]
fn huge_account_names_share_a_bounded_key() {
    let a = format!("{}a", "x".repeat(10_000));
    let b = format!("{}b", "X".repeat(10_000));
    assert_eq!(auth::throttle::account_key(&a), auth::throttle::account_key(&b));
    assert_eq!(auth::throttle::account_key(&a).chars().count(), auth::throttle::MAX_ACCOUNT_KEY_CHARS);
}
