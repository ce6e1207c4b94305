//! Randomness behind a small trait, so that every secret this crate makes (session tokens, CSRF
//! secrets, salts, TOTP secrets, API tokens, signing keys) comes from the operating system in
//! production and from a seeded, reproducible stream in tests.

use sha2::{Digest, Sha256};

/// The operating system could not provide randomness. Nothing secret was made.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
#[error("system randomness is unavailable")]
pub struct RngError;

/// A source of cryptographically secure random bytes (ASVS 11.5.1).
pub trait Rng {
    /// Fills `dest` entirely with random bytes.
    ///
    /// # Errors
    /// [`RngError`] when the source cannot deliver; callers must then fail closed.
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RngError>;
}

/// `N` random bytes from `rng`.
pub(crate) fn random<const N: usize>(rng: &mut dyn Rng) -> Result<[u8; N], RngError> {
    let mut out = [0u8; N];
    rng.fill(&mut out)?;
    Ok(out)
}

/// The operating system's CSPRNG through `getrandom` (`getrandom(2)` on Linux). Use this in the server.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRng;

impl Rng for SystemRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RngError> {
        getrandom::fill(dest).map_err(|_| RngError)
    }
}

/// A deterministic stream (SHA-256 of seed and counter) for tests and demos. **Never for real secrets**:
/// anyone who knows the seed knows every byte.
#[derive(Clone)]
pub struct SeededRng {
    seed: [u8; 32],
    counter: u64,
    buffer: [u8; 32],
    used: usize,
}

impl SeededRng {
    /// A stream determined by `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let seed: [u8; 32] = Sha256::new()
            .chain_update(b"mosy-auth-seeded-rng")
            .chain_update(seed.to_be_bytes())
            .finalize()
            .into();
        Self { seed, counter: 0, buffer: [0; 32], used: 32 }
    }
}

impl std::fmt::Debug for SeededRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SeededRng").field("counter", &self.counter).finish_non_exhaustive()
    }
}

impl Rng for SeededRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RngError> {
        for byte in dest.iter_mut() {
            if self.used == self.buffer.len() {
                self.buffer = Sha256::new()
                    .chain_update(self.seed)
                    .chain_update(self.counter.to_be_bytes())
                    .finalize()
                    .into();
                self.counter += 1;
                self.used = 0;
            }
            *byte = self.buffer[self.used];
            self.used += 1;
        }
        Ok(())
    }
}

/// A source that always fails: tests that the callers fail closed.
#[derive(Debug, Clone, Copy, Default)]
pub struct FailingRng;

impl Rng for FailingRng {
    fn fill(&mut self, _dest: &mut [u8]) -> Result<(), RngError> {
        Err(RngError)
    }
}
