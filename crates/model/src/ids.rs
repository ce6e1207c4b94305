//! Opaque identifiers: providers, records, cases and offence codes.
//!
//! Each is a validated newtype with a narrow character set. That keeps free text (and with it
//! names or other personal data) out of identifier columns, and makes ids safe to show in
//! error messages: they are provider-scoped references, never personal values.

use std::fmt;

macro_rules! ident {
    ($(#[$m:meta])* $name:ident, first: $first:expr, rest: $rest:expr, max: $max:literal) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(String);

        impl $name {
            /// Longest accepted length in bytes.
            pub const MAX_LEN: usize = $max;

            /// Validates `text`; `None` if it is empty, too long or has characters outside the set.
            pub fn new(text: &str) -> Option<Self> {
                let mut chars = text.chars();
                let first_ok = chars.next().is_some_and($first);
                if first_ok && text.len() <= $max && chars.all($rest) {
                    Some($name(text.to_owned()))
                } else {
                    None
                }
            }

            /// The identifier text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn upper_alnum(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn ref_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/')
}

ident! {
    /// A data provider id, stable and unique per country (`PT-PJ`, `PT-NGO-APAV`): `[A-Z0-9][A-Z0-9_-]{1,39}`.
    ProviderId, first: upper_alnum, rest: |c: char| upper_alnum(c) || c == '_' || c == '-', max: 40
}

ident! {
    /// A provider-scoped opaque record reference: `[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}`.
    RecordRef, first: |c: char| c.is_ascii_alphanumeric(), rest: ref_char, max: 64
}

ident! {
    /// An opaque case (investigation / proceedings) reference, same syntax as [`RecordRef`].
    CaseRef, first: |c: char| c.is_ascii_alphanumeric(), rest: ref_char, max: 64
}

ident! {
    /// A national legal basis or sub-type code (`PT-CP-160`): same syntax as [`RecordRef`], at most 32 bytes.
    NationalCode, first: |c: char| c.is_ascii_alphanumeric(), rest: ref_char, max: 32
}

/// A linkage key: the first 128 bits of a keyed HMAC-SHA-256 over normalised identity
/// attributes, computed at the provider (see the `privacy` crate). Written as 32 lowercase hex
/// digits. It reveals nothing without the provider-held key; equal keys mean "same person" for
/// de-duplication.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct LinkageKey([u8; 16]);

impl LinkageKey {
    /// From raw bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> LinkageKey {
        LinkageKey(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses 32 lowercase hex digits.
    pub fn parse(text: &str) -> Option<LinkageKey> {
        let b = text.as_bytes();
        if b.len() != 32 {
            return None;
        }
        let mut out = [0u8; 16];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            let hi = hex_digit(pair[0])?;
            let lo = hex_digit(pair[1])?;
            out[i] = hi << 4 | lo;
        }
        Some(LinkageKey(out))
    }
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for LinkageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hot path of every import: encode into a stack buffer, write once.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 32];
        for (i, b) in self.0.iter().enumerate() {
            out[2 * i] = HEX[usize::from(b >> 4)];
            out[2 * i + 1] = HEX[usize::from(b & 0x0f)];
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}
