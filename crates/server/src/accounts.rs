//! Accounts of the hub: adding a user (argon2id hash, password policy), generated passwords, the
//! demo users of every role, and reading an account's role back.

use auth::{PasswordHashing, PasswordPolicy, Rng, Role};
use chrono::Utc;
use store::{AccountRow, Store};

use crate::{Error, Result};

/// Letters and digits of generated passwords (no look-alikes: 0/O, 1/l/I).
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random password of 4 groups of 5 characters (about 116 bits), accepted by the policy.
///
/// # Errors
/// [`Error::Rng`] without randomness.
pub fn generate_password(rng: &mut dyn Rng) -> Result<String> {
    loop {
        let mut bytes = [0u8; 64];
        rng.fill(&mut bytes)?;
        // Rejection sampling keeps the characters uniform.
        let limit = 256 - 256 % ALPHABET.len();
        let chars: Vec<char> = bytes
            .iter()
            .filter(|&&b| usize::from(b) < limit)
            .map(|&b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()]))
            .take(20)
            .collect();
        if chars.len() < 20 {
            continue;
        }
        let password = chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-");
        if PasswordPolicy::default().check(&password, &[]).is_ok() {
            return Ok(password);
        }
    }
}

/// Why a user cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    /// The role and provider do not fit.
    #[error("role: {0}")]
    Role(#[from] auth::authz::RoleError),
    /// The password breaks the policy.
    #[error("password: {0}")]
    Policy(#[from] auth::password::PolicyViolation),
    /// The public role has no accounts.
    #[error("the public role has no accounts")]
    Public,
    /// The user name is empty, too long or has characters other than letters, digits, `.`, `_`, `-`, `@`.
    #[error("user names are 1–64 letters, digits, '.', '_', '-' or '@'")]
    Name,
    /// The provider is not in the register.
    #[error("unknown data provider")]
    UnknownProvider,
    /// Storage or hashing failed.
    #[error(transparent)]
    Server(#[from] Error),
}

/// Adds (or replaces) an account with a hashed password; ends the sessions of a replaced account.
///
/// # Errors
/// [`AddUserError`].
pub fn add_user(
    store: &mut Store,
    hashing: &PasswordHashing,
    rng: &mut dyn Rng,
    id: &str,
    role: &Role,
    password: &str,
) -> Result<(), AddUserError> {
    if id.is_empty()
        || id.chars().count() > 64
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
    {
        return Err(AddUserError::Name);
    }
    if matches!(role, Role::Public) {
        return Err(AddUserError::Public);
    }
    if let Some(p) = role.provider() {
        let providers = store.providers(model::Codelists::embedded()).map_err(Error::from)?;
        if !providers.iter().any(|d| d.id.as_str() == p) {
            return Err(AddUserError::UnknownProvider);
        }
    }
    PasswordPolicy::default().check(password, &[id])?;
    let hash = hashing.hash(password, rng).map_err(Error::from)?;
    let replaced = store.account(id).map_err(Error::from)?.is_some();
    store
        .upsert_account(&AccountRow {
            id: id.to_string(),
            display_name: id.to_string(),
            role: role.code().to_string(),
            provider_id: role.provider().map(str::to_string),
            password_hash: hash.as_str().to_string(),
            totp_secret: None,
            totp_last_step: None,
            lang: String::new(),
            disabled: false,
            created_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        })
        .map_err(Error::from)?;
    if replaced {
        store.delete_sessions_of(id).map_err(Error::from)?;
    }
    Ok(())
}

/// The role of a stored account.
///
/// # Errors
/// [`Error::Role`] for a stored role that does not parse.
pub fn role_of(account: &AccountRow) -> Result<Role> {
    Ok(Role::from_code(&account.role, account.provider_id.as_deref())?)
}

/// A demo user and its generated password.
#[derive(Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Login name.
    pub id: String,
    /// Role.
    pub role: Role,
    /// The generated password (shown once).
    pub password: String,
}

impl std::fmt::Debug for DemoUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoUser").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

/// Creates one user of every role (`admin`, `analyst`, `eu`, and `provider-<id>` for the first two
/// providers of the register) with random passwords, and records it in the audit log.
///
/// # Errors
/// [`AddUserError`].
pub fn demo_users(
    store: &mut Store,
    hashing: &PasswordHashing,
    rng: &mut dyn Rng,
) -> Result<Vec<DemoUser>, AddUserError> {
    let providers = store.providers(model::Codelists::embedded()).map_err(Error::from)?;
    let mut wanted = vec![
        ("admin".to_string(), Role::HubAdmin),
        ("analyst".to_string(), Role::Analyst),
        ("eu".to_string(), Role::EuViewer),
    ];
    for p in providers.iter().take(2) {
        let id = p.id.as_str();
        wanted.push((
            format!("provider-{}", id.to_lowercase()),
            Role::ProviderUser { provider: id.to_string() },
        ));
    }
    let mut out = Vec::new();
    for (id, role) in wanted {
        let password = generate_password(rng)?;
        add_user(store, hashing, rng, &id, &role, &password)?;
        crate::audit_log::append(
            store,
            crate::audit_log::record(
                "system",
                "user.add",
                &format!("user:{id}"),
                None,
                auth::Outcome::Success,
                &role.to_string(),
            ),
        )?;
        out.push(DemoUser { id, role, password });
    }
    Ok(out)
}

/// A token just issued: its secret (shown once), short id and expiry.
pub struct IssuedToken {
    /// The secret (`mosy_…`), to be shown once and never stored.
    pub secret: String,
    /// The first hex digits of its hash: how lists and the audit log name it.
    pub short: String,
    /// When it stops working (RFC 3339, seconds).
    pub expires_at: String,
}

/// Why a token was not issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueTokenError {
    /// The account does not exist, is disabled or is not a provider user.
    #[error("tokens are issued to active provider users only")]
    NotAProviderUser,
    /// The label or lifetime is refused.
    #[error("{0}")]
    Refused(String),
    /// The server failed.
    #[error(transparent)]
    Server(#[from] Error),
}

/// Issues an API token for machine submission to a provider user, valid for `days` days, and
/// stores its hash. The secret is returned once.
///
/// # Errors
/// [`IssueTokenError`].
pub fn issue_token(
    store: &mut Store,
    account: &str,
    label: &str,
    days: i64,
    now: chrono::DateTime<Utc>,
    rng: &mut impl Rng,
) -> std::result::Result<IssuedToken, IssueTokenError> {
    let found = store.account(account).map_err(Error::from)?.filter(|a| !a.disabled);
    let Some(provider) = found.filter(|a| a.role == "provider_user").and_then(|a| a.provider_id) else {
        return Err(IssueTokenError::NotAProviderUser);
    };
    let label = label.trim().chars().take(100).collect::<String>();
    let (secret, record) = auth::ApiTokenRecord::issue(
        &provider,
        &[auth::Action::MachineSubmission],
        &label,
        now,
        now + chrono::TimeDelta::days(days.clamp(0, auth::token::MAX_LIFETIME_DAYS + 1)),
        rng,
    )
    .map_err(|e| IssueTokenError::Refused(e.to_string()))?;
    let hash = hex::encode(record.hash.as_bytes());
    let created = record.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let expires_at = record.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    store.insert_api_token(&hash, account, &label, &created, &expires_at).map_err(Error::from)?;
    Ok(IssuedToken { secret: secret.expose().to_string(), short: record.hash.short(), expires_at })
}
