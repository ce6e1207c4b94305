//! Accounts, sessions, API tokens and the audit log of the web application. Passwords are kept as
//! argon2id PHC strings and tokens as SHA-256 hashes (computed by the caller, crate `auth`); the
//! audit log is append-only (triggers refuse UPDATE and DELETE) and hash-chained by the caller.
//! Nothing here is record data.

use crate::error::{Error, Result};
use crate::tx::{Tx, Value};

/// A user account.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AccountRow {
    /// Login name.
    pub id: String,
    /// Name shown in the application.
    pub display_name: String,
    /// Role id (`hub_admin`, `analyst`, `provider_user`, `eu_viewer`).
    pub role: String,
    /// The provider a provider user is bound to.
    pub provider_id: Option<String>,
    /// argon2id PHC string.
    pub password_hash: String,
    /// TOTP secret (base32), when enrolled.
    pub totp_secret: Option<String>,
    /// Last TOTP time step accepted (replay protection).
    pub totp_last_step: Option<u64>,
    /// Preferred language tag.
    pub lang: String,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// A server-side session (the cookie holds the token; only its hash is stored).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SessionRow {
    /// SHA-256 of the session token, hex.
    pub token_hash: String,
    /// The account.
    pub account_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub last_seen: String,
    /// Secret of the session's CSRF tokens, hex.
    pub csrf_secret: String,
    /// Whether the second factor was given.
    pub mfa_done: bool,
}

/// One audit event with its chain hashes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuditRow {
    /// Sequence number from 1.
    pub seq: u64,
    /// RFC 3339.
    pub at: String,
    /// Who (account id, `anonymous`, `system`).
    pub actor: String,
    /// What (`login`, `upload`, `approve`, `report`, `export`, `release`, `admin`…).
    pub action: String,
    /// On what (submission id, report kind, account id…), never record contents.
    pub object: String,
    /// From where (address).
    pub source: String,
    /// `ok`, `denied`, `failed`.
    pub outcome: String,
    /// A short, content-free detail.
    pub detail: String,
    /// Hash of the previous event (hex; zeros for the first).
    pub prev_hash: String,
    /// Hash of this event (hex).
    pub hash: String,
}

fn flag(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

const UPSERT_ACCOUNT_SQL: &str = "INSERT INTO account (id, display_name, role, provider_id, password_hash, \
     totp_secret, totp_last_step, lang, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, \
     provider_id = excluded.provider_id, password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, \
     totp_last_step = excluded.totp_last_step, lang = excluded.lang, disabled = excluded.disabled";
const ACCOUNTS_SQL: &str = "SELECT id, display_name, role, provider_id, password_hash, totp_secret, totp_last_step, \
     lang, disabled, created_at FROM account ORDER BY id";
const INSERT_SESSION_SQL: &str = "INSERT INTO session (token_hash, account_id, created_at, last_seen, csrf_secret, \
     mfa_done) VALUES ($1, $2, $3, $4, $5, $6)";
const SESSION_SQL: &str = "SELECT token_hash, account_id, created_at, last_seen, csrf_secret, mfa_done FROM session WHERE token_hash = $1";
const TOUCH_SESSION_SQL: &str = "UPDATE session SET last_seen = $1, mfa_done = $2 WHERE token_hash = $3";
const DELETE_SESSION_SQL: &str = "DELETE FROM session WHERE token_hash = $1";
const DELETE_SESSIONS_OF_SQL: &str = "DELETE FROM session WHERE account_id = $1";
const INSERT_TOKEN_SQL: &str = "INSERT INTO api_token (token_hash, account_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
const TOKEN_SQL: &str = "SELECT account_id, expires_at FROM api_token WHERE token_hash = $1";
const TOKENS_SQL: &str = "SELECT token_hash, account_id, label, created_at, expires_at FROM api_token ORDER BY created_at, token_hash";
const DELETE_TOKEN_SQL: &str = "DELETE FROM api_token WHERE token_hash = $1";
const APPEND_AUDIT_SQL: &str = "INSERT INTO audit_log (seq, at, actor, action, object, source, outcome, detail, \
     prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const AUDIT_SQL: &str = "SELECT CAST(seq AS TEXT), at, actor, action, object, source, outcome, detail, prev_hash, \
     hash FROM audit_log ORDER BY seq";
const LAST_AUDIT_SQL: &str = "SELECT CAST(seq AS TEXT), hash FROM audit_log ORDER BY seq DESC LIMIT 1";

fn corrupt(table: &'static str, id: &str) -> Error {
    Error::Corrupt { table, record_ref: id.to_string() }
}

pub(crate) fn upsert_account(tx: &mut Tx<'_>, a: &AccountRow) -> Result<()> {
    let step = a.totp_last_step.map(|s| s.to_string());
    tx.execute(
        UPSERT_ACCOUNT_SQL,
        &[
            Value::Text(&a.id),
            Value::Text(&a.display_name),
            Value::Text(&a.role),
            Value::OptText(a.provider_id.as_deref()),
            Value::Text(&a.password_hash),
            Value::OptText(a.totp_secret.as_deref()),
            Value::OptText(step.as_deref()),
            Value::Text(&a.lang),
            Value::Text(flag(a.disabled)),
            Value::Text(&a.created_at),
        ],
    )?;
    Ok(())
}

pub(crate) fn accounts(tx: &mut Tx<'_>) -> Result<Vec<AccountRow>> {
    tx.rows(ACCOUNTS_SQL, &[])?
        .into_iter()
        .map(|r| {
            let opt = |s: &String| (!s.is_empty()).then(|| s.clone());
            let step = match r[6].as_str() {
                "" => None,
                s => Some(s.parse().map_err(|_| corrupt("account", &r[0]))?),
            };
            Ok(AccountRow {
                id: r[0].clone(),
                display_name: r[1].clone(),
                role: r[2].clone(),
                provider_id: opt(&r[3]),
                password_hash: r[4].clone(),
                totp_secret: opt(&r[5]),
                totp_last_step: step,
                lang: r[7].clone(),
                disabled: r[8] == "true",
                created_at: r[9].clone(),
            })
        })
        .collect()
}

pub(crate) fn insert_session(tx: &mut Tx<'_>, s: &SessionRow) -> Result<()> {
    tx.execute(
        INSERT_SESSION_SQL,
        &[
            Value::Text(&s.token_hash),
            Value::Text(&s.account_id),
            Value::Text(&s.created_at),
            Value::Text(&s.last_seen),
            Value::Text(&s.csrf_secret),
            Value::Text(flag(s.mfa_done)),
        ],
    )?;
    Ok(())
}

pub(crate) fn session(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<SessionRow>> {
    Ok(tx.rows(SESSION_SQL, &[Value::Text(token_hash)])?.into_iter().next().map(|r| SessionRow {
        token_hash: r[0].clone(),
        account_id: r[1].clone(),
        created_at: r[2].clone(),
        last_seen: r[3].clone(),
        csrf_secret: r[4].clone(),
        mfa_done: r[5] == "true",
    }))
}

pub(crate) fn touch_session(
    tx: &mut Tx<'_>,
    token_hash: &str,
    last_seen: &str,
    mfa_done: bool,
) -> Result<()> {
    tx.execute(
        TOUCH_SESSION_SQL,
        &[Value::Text(last_seen), Value::Text(flag(mfa_done)), Value::Text(token_hash)],
    )?;
    Ok(())
}

/// An API token as listed (its hash identifies it; the secret is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRow {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// The account it acts for.
    pub account_id: String,
    /// What it is for.
    pub label: String,
    /// When it was issued (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
}

pub(crate) fn tokens(tx: &mut Tx<'_>) -> Result<Vec<ApiTokenRow>> {
    Ok(tx
        .rows(TOKENS_SQL, &[])?
        .into_iter()
        .map(|r| ApiTokenRow {
            token_hash: r[0].clone(),
            account_id: r[1].clone(),
            label: r[2].clone(),
            created_at: r[3].clone(),
            expires_at: r[4].clone(),
        })
        .collect())
}

pub(crate) fn delete_token(tx: &mut Tx<'_>, token_hash: &str) -> Result<bool> {
    Ok(tx.execute(DELETE_TOKEN_SQL, &[Value::Text(token_hash)])? > 0)
}

pub(crate) fn delete_session(tx: &mut Tx<'_>, token_hash: &str) -> Result<()> {
    tx.execute(DELETE_SESSION_SQL, &[Value::Text(token_hash)])?;
    Ok(())
}

pub(crate) fn delete_sessions_of(tx: &mut Tx<'_>, account: &str) -> Result<u64> {
    tx.execute(DELETE_SESSIONS_OF_SQL, &[Value::Text(account)])
}

pub(crate) fn insert_token(
    tx: &mut Tx<'_>,
    token_hash: &str,
    account: &str,
    label: &str,
    created_at: &str,
    expires_at: &str,
) -> Result<()> {
    tx.execute(
        INSERT_TOKEN_SQL,
        &[
            Value::Text(token_hash),
            Value::Text(account),
            Value::Text(label),
            Value::Text(created_at),
            Value::Text(expires_at),
        ],
    )?;
    Ok(())
}

pub(crate) fn token(tx: &mut Tx<'_>, token_hash: &str) -> Result<Option<(String, String)>> {
    Ok(tx
        .rows(TOKEN_SQL, &[Value::Text(token_hash)])?
        .into_iter()
        .next()
        .map(|r| (r[0].clone(), r[1].clone())))
}

pub(crate) fn append_audit(tx: &mut Tx<'_>, e: &AuditRow) -> Result<()> {
    let seq = i64::try_from(e.seq).map_err(|_| corrupt("audit_log", "seq"))?;
    tx.execute(
        APPEND_AUDIT_SQL,
        &[
            Value::BigInt(seq),
            Value::Text(&e.at),
            Value::Text(&e.actor),
            Value::Text(&e.action),
            Value::Text(&e.object),
            Value::Text(&e.source),
            Value::Text(&e.outcome),
            Value::Text(&e.detail),
            Value::Text(&e.prev_hash),
            Value::Text(&e.hash),
        ],
    )?;
    Ok(())
}

pub(crate) fn audit_log(tx: &mut Tx<'_>) -> Result<Vec<AuditRow>> {
    tx.rows(AUDIT_SQL, &[])?
        .into_iter()
        .map(|r| {
            Ok(AuditRow {
                seq: r[0].parse().map_err(|_| corrupt("audit_log", &r[0]))?,
                at: r[1].clone(),
                actor: r[2].clone(),
                action: r[3].clone(),
                object: r[4].clone(),
                source: r[5].clone(),
                outcome: r[6].clone(),
                detail: r[7].clone(),
                prev_hash: r[8].clone(),
                hash: r[9].clone(),
            })
        })
        .collect()
}

pub(crate) fn last_audit(tx: &mut Tx<'_>) -> Result<Option<(u64, String)>> {
    match tx.rows(LAST_AUDIT_SQL, &[])?.into_iter().next() {
        Some(r) => Ok(Some((r[0].parse().map_err(|_| corrupt("audit_log", &r[0]))?, r[1].clone()))),
        None => Ok(None),
    }
}
