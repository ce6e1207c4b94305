//! The provider-held linkage secret and its key file.
//!
//! Key file format (UTF-8 text, `#` comments and blank lines ignored):
//!
//! ```text
//! mosy-linkage-key v1
//! key_id = "PT-LINK-2025"
//! secret = "<64 lowercase or uppercase hex digits>"
//! ```
//!
//! From the 32-byte master secret one sub-key per match key is derived with HKDF-SHA-256
//! (RFC 5869): `PRK = HMAC-SHA-256(salt = "mosy-linkage-v1", master)`, and for key `Ki`
//! `subkey_i = HMAC-SHA-256(PRK, "mosy-linkage-v1 Ki" || 0x01)` (HKDF-Expand to 32 bytes).
//!
//! The secret never appears in `Debug` output or in error messages.

use std::fmt;

use hkdf::Hkdf;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use model::ids::NationalCode;
use sha2::Sha256;

use crate::linkage::KeyKind;

/// First line of a key file.
pub const KEY_FILE_HEADER: &str = "mosy-linkage-key v1";

/// HKDF salt and info prefix of version 1 of the scheme.
pub(crate) const SCHEME: &str = "mosy-linkage-v1";

/// Why a key file could not be read. Messages name the line and the rule, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The first non-comment line is not a `mosy-linkage-key` header.
    #[error("not a mosy linkage key file: the first line must be `{KEY_FILE_HEADER}`")]
    MissingHeader,
    /// A `mosy-linkage-key` header of another version.
    #[error("unsupported linkage key file version on line {line}: expected `{KEY_FILE_HEADER}`")]
    UnsupportedVersion {
        /// 1-based line number.
        line: usize,
    },
    /// A line that is not `name = "value"`.
    #[error("line {line}: expected `name = \"value\"`")]
    Syntax {
        /// 1-based line number.
        line: usize,
    },
    /// A field other than `key_id` and `secret`.
    #[error("line {line}: unknown field (expected `key_id` or `secret`)")]
    UnknownField {
        /// 1-based line number.
        line: usize,
    },
    /// A field given twice.
    #[error("line {line}: field `{field}` given twice")]
    DuplicateField {
        /// The field.
        field: &'static str,
        /// 1-based line number.
        line: usize,
    },
    /// A required field is absent.
    #[error("field `{0}` is missing")]
    MissingField(&'static str),
    /// The key id is not a valid identifier.
    #[error(
        "line {line}: key_id must be 1-32 letters, digits or `_ . : / -`, starting with a letter or digit"
    )]
    InvalidKeyId {
        /// 1-based line number.
        line: usize,
    },
    /// The secret is not 64 hexadecimal digits.
    #[error("line {line}: secret must be exactly 64 hexadecimal digits (32 bytes)")]
    InvalidSecret {
        /// 1-based line number.
        line: usize,
    },
    /// The secret is all zero bytes (an unfilled template).
    #[error("line {line}: secret is all zeros; generate a real one")]
    ZeroSecret {
        /// 1-based line number.
        line: usize,
    },
}

/// A provider-held linkage secret: the key id (recorded on every victim registration) and the
/// 32-byte master secret, with the per-key HMAC states derived from it.
#[derive(Clone)]
pub struct LinkageSecret {
    key_id: NationalCode,
    master: [u8; 32],
    macs: [Hmac<Sha256>; KeyKind::COUNT],
}

impl LinkageSecret {
    /// A secret from 32 random bytes (the caller draws them from the operating system).
    pub fn generate(key_id: NationalCode, rng_bytes: [u8; 32]) -> LinkageSecret {
        let (prk, _) = Hkdf::<Sha256>::extract(Some(SCHEME.as_bytes()), &rng_bytes);
        let prk: [u8; 32] = prk.into();
        let macs = KeyKind::ALL.map(|kind| keyed(&hkdf_expand_32(&prk, kind)));
        LinkageSecret { key_id, master: rng_bytes, macs }
    }

    /// The key id.
    pub fn key_id(&self) -> &NationalCode {
        &self.key_id
    }

    /// Parses a key file.
    pub fn parse(text: &str) -> Result<LinkageSecret, KeyError> {
        let mut header_seen = false;
        let mut key_id: Option<NationalCode> = None;
        let mut secret: Option<[u8; 32]> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if !header_seen {
                if content == KEY_FILE_HEADER {
                    header_seen = true;
                    continue;
                }
                if content.starts_with("mosy-linkage-key") {
                    return Err(KeyError::UnsupportedVersion { line });
                }
                return Err(KeyError::MissingHeader);
            }
            let Some((name, value)) = content.split_once('=') else {
                return Err(KeyError::Syntax { line });
            };
            let value = unquote(value.trim()).ok_or(KeyError::Syntax { line })?;
            match name.trim() {
                "key_id" => {
                    if key_id.is_some() {
                        return Err(KeyError::DuplicateField { field: "key_id", line });
                    }
                    key_id = Some(NationalCode::new(value).ok_or(KeyError::InvalidKeyId { line })?);
                }
                "secret" => {
                    if secret.is_some() {
                        return Err(KeyError::DuplicateField { field: "secret", line });
                    }
                    let mut bytes = [0u8; 32];
                    if value.len() != 64 || hex::decode_to_slice(value, &mut bytes).is_err() {
                        return Err(KeyError::InvalidSecret { line });
                    }
                    if bytes == [0u8; 32] {
                        return Err(KeyError::ZeroSecret { line });
                    }
                    secret = Some(bytes);
                }
                _ => return Err(KeyError::UnknownField { line }),
            }
        }
        if !header_seen {
            return Err(KeyError::MissingHeader);
        }
        let key_id = key_id.ok_or(KeyError::MissingField("key_id"))?;
        let secret = secret.ok_or(KeyError::MissingField("secret"))?;
        Ok(LinkageSecret::generate(key_id, secret))
    }

    /// The key file text (round-trips through [`LinkageSecret::parse`]).
    pub fn to_text(&self) -> String {
        format!(
            "{KEY_FILE_HEADER}\n# Provider-held linkage secret. Keep it out of the hub and out of version control.\nkey_id = \"{}\"\nsecret = \"{}\"\n",
            self.key_id,
            hex::encode(self.master)
        )
    }

    /// A fresh HMAC state keyed with the sub-key of `kind`.
    pub(crate) fn mac(&self, kind: KeyKind) -> Hmac<Sha256> {
        self.macs[kind.index()].clone()
    }
}

impl PartialEq for LinkageSecret {
    fn eq(&self, other: &Self) -> bool {
        self.key_id == other.key_id && self.master == other.master
    }
}

impl Eq for LinkageSecret {}

impl fmt::Debug for LinkageSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkageSecret")
            .field("key_id", &self.key_id.as_str())
            .field("master", &"<redacted>")
            .finish()
    }
}

fn unquote(value: &str) -> Option<&str> {
    if let Some(inner) = value.strip_prefix('"') {
        inner.strip_suffix('"').filter(|s| !s.contains('"'))
    } else if value.contains('"') {
        None
    } else {
        Some(value)
    }
}

/// HKDF-Expand (RFC 5869 §2.3) for a 32-byte output: one block, `T(1) = HMAC(PRK, info || 0x01)`
/// with `info = "mosy-linkage-v1 Ki"`. Equal to `Hkdf::expand` for `L = 32` (tested in
/// `expand_matches_hkdf_crate`); written out because that call is fallible in its signature
/// although it cannot fail for this length.
fn hkdf_expand_32(prk: &[u8; 32], kind: KeyKind) -> [u8; 32] {
    let mut mac = keyed(prk);
    mac.update(hkdf_info(kind).as_bytes());
    mac.update(&[1u8]);
    mac.finalize().into_bytes().into()
}

/// The HKDF info string of `kind`.
pub(crate) fn hkdf_info(kind: KeyKind) -> String {
    format!("{SCHEME} {}", kind.label())
}

fn keyed(subkey: &[u8; 32]) -> Hmac<Sha256> {
    // A 32-byte key is zero-padded to the 64-byte block by HMAC; doing it here keeps the
    // constructor infallible and gives the same MAC.
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(subkey);
    <Hmac<Sha256> as KeyInit>::new(&block.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> NationalCode {
        NationalCode::new("PT-LINK-TEST").unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn expand_matches_hkdf_crate() {
        let master = [7u8; 32];
        let (prk, hk) = Hkdf::<Sha256>::extract(Some(SCHEME.as_bytes()), &master);
        let prk: [u8; 32] = prk.into();
        for kind in KeyKind::ALL {
            let mut expected = [0u8; 32];
            assert!(hk.expand(hkdf_info(kind).as_bytes(), &mut expected).is_ok());
            assert_eq!(hkdf_expand_32(&prk, kind), expected, "{kind:?}");
        }
    }

    #[test]
    fn key_file_round_trip_and_redaction() {
        let secret = LinkageSecret::generate(id(), [0xab; 32]);
        let text = secret.to_text();
        assert!(text.starts_with(KEY_FILE_HEADER));
        let back = LinkageSecret::parse(&text);
        assert_eq!(back.as_ref().ok(), Some(&secret));
        let debug = format!("{secret:?}");
        assert!(debug.contains("PT-LINK-TEST") && debug.contains("redacted"));
        assert!(!debug.to_lowercase().contains("abab"), "{debug}");
    }

    #[test]
    fn key_file_errors_never_echo_the_secret() {
        let hex64 = "0123456789abcdef".repeat(4);
        let cases: Vec<(String, KeyError)> = vec![
            (String::new(), KeyError::MissingHeader),
            (format!("secret = \"{hex64}\""), KeyError::MissingHeader),
            ("mosy-linkage-key v2\n".to_owned(), KeyError::UnsupportedVersion { line: 1 }),
            (format!("{KEY_FILE_HEADER}\nkey_id = \"A\"\n"), KeyError::MissingField("secret")),
            (format!("{KEY_FILE_HEADER}\nsecret = \"{hex64}\"\n"), KeyError::MissingField("key_id")),
            (
                format!("{KEY_FILE_HEADER}\nkey_id = \"A\"\nsecret = \"{}\"\n", &hex64[..63]),
                KeyError::InvalidSecret { line: 3 },
            ),
            (
                format!("{KEY_FILE_HEADER}\nkey_id = \"A\"\nsecret = \"{}zz\"\n", &hex64[..62]),
                KeyError::InvalidSecret { line: 3 },
            ),
            (
                format!("{KEY_FILE_HEADER}\nkey_id = \"A\"\nsecret = \"{}\"\n", "0".repeat(64)),
                KeyError::ZeroSecret { line: 3 },
            ),
            (format!("{KEY_FILE_HEADER}\nkey_id = \"bad id!\"\n"), KeyError::InvalidKeyId { line: 2 }),
            (format!("{KEY_FILE_HEADER}\nkey_id \"A\"\n"), KeyError::Syntax { line: 2 }),
            (format!("{KEY_FILE_HEADER}\nsecrte = \"{hex64}\"\n"), KeyError::UnknownField { line: 2 }),
            (
                format!("{KEY_FILE_HEADER}\nkey_id = \"A\"\nkey_id = \"B\"\n"),
                KeyError::DuplicateField { field: "key_id", line: 3 },
            ),
        ];
        for (text, expected) in cases {
            let err = LinkageSecret::parse(&text).err();
            assert_eq!(err.as_ref(), Some(&expected), "{text}");
            let message = expected.to_string();
            assert!(!message.contains(&hex64[..16]), "{message}");
        }
        let ok = format!(
            "# comment\n\n{KEY_FILE_HEADER}\n  key_id = PT-1  \n secret = \"{}\"\n",
            hex64.to_uppercase()
        );
        assert!(LinkageSecret::parse(&ok).is_ok());
    }
}
