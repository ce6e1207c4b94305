//! Password hashing with argon2id and the password policy (ASVS 6.2, 11.4.2).
//!
//! - **Hashing**: argon2id, version 0x13, 16-byte random salt, 32-byte output, stored as a PHC string
//!   (`$argon2id$v=19$m=47104,t=2,p=1$…$…`). The default parameters, [`HashParams::RECOMMENDED`]
//!   (m = 47,104 KiB, t = 2, p = 1), meet both the OWASP Password Storage Cheat Sheet's m = 19 MiB,
//!   t = 2 and ASVS 5.0 Appendix C's m ≥ 46 MiB, t = 1 in each parameter. Tests use [`HashParams::TEST`].
//! - **Verification** recomputes the hash with the stored parameters and compares the outputs in
//!   constant time (the `password-hash` crate's `Output` equality); [`PasswordHashing::verify_unknown_user`]
//!   spends the same work when the account does not exist, so timing does not tell which accounts exist.
//! - [`PasswordHashing::needs_rehash`] is true when a stored hash was made with other parameters or
//!   another algorithm: rehash it at the next successful login.
//! - **Policy** ([`PasswordPolicy`], ASVS 6.2.1, 6.2.4, 6.2.5, 6.2.8, 6.2.9, 6.2.11): at least 12
//!   characters (Unicode scalar values), at most 128 (at least 64 must be allowed), no composition rules,
//!   the password used exactly as typed (no trimming, case folding or truncation), refused when it is a
//!   common password (the embedded list `data/common_passwords.txt`, also after trailing digits and
//!   punctuation are removed, or repeated), when it repeats too few characters, runs a keyboard-free
//!   sequence (`abcdefghijkl`, `987654321098`), or contains a context word of the user (name, e-mail).
//!   Messages never contain the password.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};

use crate::rng::{Rng, RngError, random};

/// The argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB.
    pub m_cost: u32,
    /// Passes over the memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl HashParams {
    /// For production: m = 47,104 KiB (46 MiB), t = 2, p = 1 (see the module documentation).
    pub const RECOMMENDED: Self = Self { m_cost: 47_104, t_cost: 2, p_cost: 1 };
    /// The weakest parameters [`PasswordHashing::new`] accepts outside tests: OWASP's m = 19,456 KiB, t = 2, p = 1.
    pub const MINIMUM: Self = Self { m_cost: 19_456, t_cost: 2, p_cost: 1 };
    /// Cheap parameters for tests only (m = 64 KiB, t = 1): accepted by [`PasswordHashing::for_tests`].
    pub const TEST: Self = Self { m_cost: 64, t_cost: 1, p_cost: 1 };

    fn argon2(self) -> Result<Params, PasswordError> {
        Params::new(self.m_cost, self.t_cost, self.p_cost, Some(OUTPUT_LEN))
            .map_err(|_| PasswordError::Params)
    }

    fn at_least(self, other: Self) -> bool {
        self.m_cost >= other.m_cost && self.t_cost >= other.t_cost && self.p_cost >= other.p_cost
    }
}

impl Default for HashParams {
    fn default() -> Self {
        Self::RECOMMENDED
    }
}

const OUTPUT_LEN: usize = 32;
const SALT_LEN: usize = 16;
/// Stored hashes asking for more memory than this (4 GiB) are refused rather than computed.
const MAX_STORED_M_COST: u32 = 4 * 1024 * 1024;
const MAX_STORED_T_COST: u32 = 64;
const MAX_STORED_P_COST: u32 = 64;

/// Errors of hashing and parsing; none carries a password or a hash.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PasswordError {
    /// The parameters are invalid for argon2, or weaker than [`HashParams::MINIMUM`].
    #[error("invalid or too weak argon2id parameters")]
    Params,
    /// The stored text is not an argon2 PHC string this crate can verify.
    #[error("malformed stored password hash")]
    Malformed,
    /// No randomness for the salt.
    #[error(transparent)]
    Rng(#[from] RngError),
    /// The hash computation failed.
    #[error("password hashing failed")]
    Hashing,
}

/// A stored password hash in PHC string format. Its `Debug` shows only the algorithm and parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Checks that `phc` is an argon2 PHC string with a salt and an output, and sane parameters.
    ///
    /// # Errors
    /// [`PasswordError::Malformed`].
    pub fn parse(phc: &str) -> Result<Self, PasswordError> {
        let parsed = argon2::PasswordHash::new(phc).map_err(|_| PasswordError::Malformed)?;
        Algorithm::try_from(parsed.algorithm.as_str()).map_err(|_| PasswordError::Malformed)?;
        let params = Params::try_from(&parsed).map_err(|_| PasswordError::Malformed)?;
        if parsed.salt.is_none()
            || parsed.hash.is_none()
            || params.m_cost() > MAX_STORED_M_COST
            || params.t_cost() > MAX_STORED_T_COST
            || params.p_cost() > MAX_STORED_P_COST
        {
            return Err(PasswordError::Malformed);
        }
        Ok(Self(phc.to_owned()))
    }

    /// The PHC string, for storage.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The algorithm and parameters, without salt or output (`$argon2id$v=19$m=…,t=…,p=…`).
    fn header(&self) -> &str {
        let mut cut = 0;
        for (n, (i, _)) in self.0.match_indices('$').enumerate() {
            cut = i;
            if n == 3 {
                break;
            }
        }
        &self.0[..cut]
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PasswordHash({}$<redacted>)", self.header())
    }
}

/// Hashes and verifies passwords with one set of parameters.
#[derive(Debug, Clone)]
pub struct PasswordHashing {
    params: HashParams,
}

impl PasswordHashing {
    /// Hashing with `params`, which must be at least [`HashParams::MINIMUM`].
    ///
    /// # Errors
    /// [`PasswordError::Params`] for weaker or invalid parameters.
    pub fn new(params: HashParams) -> Result<Self, PasswordError> {
        if !params.at_least(HashParams::MINIMUM) {
            return Err(PasswordError::Params);
        }
        params.argon2()?;
        Ok(Self { params })
    }

    /// Hashing with [`HashParams::TEST`]: fast, for tests and never for a hub.
    #[must_use]
    pub fn for_tests() -> Self {
        Self { params: HashParams::TEST }
    }

    /// The parameters new hashes get.
    #[must_use]
    pub fn params(&self) -> HashParams {
        self.params
    }

    fn argon2(&self) -> Result<Argon2<'static>, PasswordError> {
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.argon2()?))
    }

    /// Hashes `password` exactly as given, with a fresh 16-byte salt from `rng`.
    ///
    /// # Errors
    /// [`PasswordError::Rng`] without randomness, [`PasswordError::Hashing`] if argon2 fails.
    pub fn hash(&self, password: &str, rng: &mut dyn Rng) -> Result<PasswordHash, PasswordError> {
        let salt: [u8; SALT_LEN] = random(rng)?;
        let hash = self
            .argon2()?
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map_err(|_| PasswordError::Hashing)?;
        Ok(PasswordHash(hash.to_string()))
    }

    /// Whether `password` matches `stored` (with the stored hash's own parameters; constant-time comparison).
    #[must_use]
    pub fn verify(&self, password: &str, stored: &PasswordHash) -> bool {
        let Ok(parsed) = argon2::PasswordHash::new(&stored.0) else { return false };
        // The default context is only a carrier: the algorithm, version and parameters come from the hash.
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    }

    /// Spends the work of one verification and returns false: call it when the account does not exist,
    /// so that the response time does not reveal it.
    #[must_use]
    pub fn verify_unknown_user(&self, password: &str) -> bool {
        if let Ok(argon2) = self.argon2() {
            let mut out = [0u8; OUTPUT_LEN];
            let _ = argon2.hash_password_into(password.as_bytes(), b"mosy-no-such-user", &mut out);
        }
        false
    }

    /// Whether `stored` should be replaced by a new hash of the same password (after a successful login):
    /// another algorithm or version, other parameters, or another salt or output length.
    #[must_use]
    pub fn needs_rehash(&self, stored: &PasswordHash) -> bool {
        let Ok(parsed) = argon2::PasswordHash::new(&stored.0) else { return true };
        if parsed.algorithm.as_str() != "argon2id" || parsed.version != Some(0x13) {
            return true;
        }
        let Ok(params) = Params::try_from(&parsed) else { return true };
        let salt_len = parsed.salt.as_ref().map_or(0, |s| s.len());
        let out_len = parsed.hash.as_ref().map_or(0, |h| h.len());
        params.m_cost() != self.params.m_cost
            || params.t_cost() != self.params.t_cost
            || params.p_cost() != self.params.p_cost
            || salt_len < SALT_LEN
            || out_len != OUTPUT_LEN
    }
}

/// Why a new password is refused. The messages never repeat the password.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PolicyViolation {
    /// Fewer characters than the minimum.
    #[error("the password must have at least {min} characters")]
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More characters than the maximum.
    #[error("the password must have at most {max} characters")]
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// A commonly used password, or one built from it.
    #[error("this password is too common; choose another one, a passphrase of several words works well")]
    Common,
    /// Too few different characters, or a plain sequence.
    #[error("this password is too repetitive or sequential")]
    Trivial,
    /// Contains the user's name or another word of the context.
    #[error("the password must not contain your user name or e-mail address")]
    ContextWord,
}

/// The rules for new passwords (ASVS 6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length in characters (default 12).
    pub min_chars: usize,
    /// Maximum length in characters (default 128; never below 64, ASVS 6.2.9).
    pub max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_chars: 12, max_chars: 128 }
    }
}

/// The embedded list of common passwords, lower-cased.
fn common_passwords() -> &'static BTreeSet<String> {
    static LIST: OnceLock<BTreeSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../data/common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Whether `password` is on the embedded list of common passwords (case-insensitive, exact).
#[must_use]
pub fn is_common_password(password: &str) -> bool {
    common_passwords().contains(&password.to_lowercase())
}

/// The number of entries of the embedded common-password list.
#[must_use]
pub fn common_password_count() -> usize {
    common_passwords().len()
}

impl PasswordPolicy {
    /// Checks a new password. `context` holds words of this user that must not appear in it (user name,
    /// e-mail address and its local part, display name); words shorter than 4 characters are ignored.
    ///
    /// # Errors
    /// The first [`PolicyViolation`] found, in the order length, common, trivial, context.
    pub fn check(&self, password: &str, context: &[&str]) -> Result<(), PolicyViolation> {
        let chars = password.chars().count();
        if chars < self.min_chars {
            return Err(PolicyViolation::TooShort { min: self.min_chars });
        }
        let max = self.max_chars.max(64);
        if chars > max {
            return Err(PolicyViolation::TooLong { max });
        }
        let lower = password.to_lowercase();
        if is_built_from_common(&lower) {
            return Err(PolicyViolation::Common);
        }
        if is_trivial(&lower) {
            return Err(PolicyViolation::Trivial);
        }
        for word in context {
            let word = word.trim().to_lowercase();
            let candidates = [Some(word.as_str()), word.split('@').next()];
            if candidates.into_iter().flatten().any(|w| w.chars().count() >= 4 && lower.contains(w)) {
                return Err(PolicyViolation::ContextWord);
            }
        }
        Ok(())
    }
}

/// A common password as is, with digits or punctuation around it, or repeated.
fn is_built_from_common(lower: &str) -> bool {
    let list = common_passwords();
    if list.contains(lower) {
        return true;
    }
    let filler = |c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace();
    let punctuation = |c: char| c.is_ascii_punctuation() || c.is_whitespace();
    for core in [lower.trim_matches(filler), lower.trim_matches(punctuation)] {
        if !core.is_empty() && list.contains(core) {
            return true;
        }
    }
    // "qwertyqwerty", "password!password!": a common unit repeated.
    let chars: Vec<char> = lower.chars().collect();
    (1..=chars.len() / 2).filter(|&unit| chars.len().is_multiple_of(unit)).any(|unit| {
        let (head, _) = chars.split_at(unit);
        chars.chunks(unit).all(|c| c == head) && {
            let unit: String = head.iter().collect();
            list.contains(&unit) || list.contains(unit.trim_matches(filler))
        }
    })
}

/// Fewer than 4 different characters, or every step between neighbours the same +1 or −1 (a sequence).
fn is_trivial(lower: &str) -> bool {
    let distinct: BTreeSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return true;
    }
    let codes: Vec<i64> = lower.chars().map(|c| i64::from(u32::from(c))).collect();
    let step = |w: &[i64]| {
        let d = w[1] - w[0];
        // Digits wrap around: 7890123 is as sequential as 1234567.
        if d == -9 && w[0] == i64::from(u32::from('9')) {
            1
        } else if d == 9 && w[0] == i64::from(u32::from('0')) {
            -1
        } else {
            d
        }
    };
    let steps: Vec<i64> = codes.windows(2).map(step).collect();
    steps.iter().all(|&s| s == 1) || steps.iter().all(|&s| s == -1)
}
