//! Submission upload and the approval workflow.
//!
//! - `GET /submissions/upload` is the form; `POST /submissions/upload` (multipart: `csrf`,
//!   `provider`, `profile`, `profile_file`, `policy`, `file`) and `POST /api/submissions` (the
//!   same fields, CSRF in the `X-CSRF-Token` header, or an API token in `Authorization: Bearer
//!   mosy_…`) stream the file into a temporary directory, refuse it past [`MAX_UPLOAD`], and run
//!   `app::intake::import` for the provider. The result lists the problems (file, row, column,
//!   rule, hint; never values) and what happened to each quarter. Audited as `upload`.
//! - `POST /submissions/{id}/status` (`action` = accept, reject, approve, reopen; `note`;
//!   `csrf`) moves a submission through the store's lifecycle; audited as `approve`, `reject`,
//!   `reopen`.
//!
//! Mapping profiles offered in the form are the profiles stored at the hub that the uploader may
//! read (see `catalog`; one of another provider is refused at import) and the `*.toml` files of
//! the `profiles` directory next to a SQLite hub database (a stored profile wins on a name
//! clash); a profile can also be uploaded with the file.

use std::io::Write as _;
use std::path::{Path as FsPath, PathBuf};

use app::intake::{ImportRequest, ImportResult, PeriodOutcome, Policy};
use auth::{Action, Object, Outcome, Role};
use axum::Form;
use axum::extract::{Multipart, Path};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::ctx::Ctx;
use crate::html::{csrf_field, error_page, esc, page, table};
use crate::{Error, Result};

/// The largest accepted upload (the file and the profile together), in bytes.
pub const MAX_UPLOAD: u64 = 50 * 1024 * 1024;
/// The largest uploaded profile, in bytes.
const MAX_PROFILE: usize = 1024 * 1024;
/// Problems listed on the result page.
const SHOWN: usize = 1000;

type Page = std::result::Result<Response, Response>;

/// What a multipart upload carried.
#[derive(Default)]
struct Upload {
    csrf: String,
    provider: String,
    profile: String,
    profile_text: Option<String>,
    policy: String,
    file: Option<PathBuf>,
}

/// Why an upload was refused before the import.
enum Refused {
    TooLarge,
    Message(String),
    Failed(Error),
}

/// The file name kept for the report: the base name, restricted to safe characters.
pub(crate) fn safe_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
    let ext = cleaned.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    ["csv", "xlsx", "jsonl"].contains(&ext.as_str()).then_some(cleaned).filter(|c| !c.starts_with('.'))
}

async fn read_upload(ctx: &Ctx, mut mp: Multipart, dir: &FsPath) -> std::result::Result<Upload, Refused> {
    let mut up = Upload::default();
    let mut total: u64 = 0;
    let broken = |_| Refused::Message(ctx.t("submissions.upload.broken"));
    while let Some(mut field) = mp.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                let Some(file_name) = field.file_name().and_then(safe_name) else {
                    return Err(Refused::Message(ctx.t("submissions.upload.bad_type")));
                };
                let path = dir.join(&file_name);
                let mut out = std::fs::File::create(&path).map_err(|e| Refused::Failed(e.into()))?;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    total += chunk.len() as u64;
                    if total > MAX_UPLOAD {
                        return Err(Refused::TooLarge);
                    }
                    out.write_all(&chunk).map_err(|e| Refused::Failed(e.into()))?;
                }
                out.flush().map_err(|e| Refused::Failed(e.into()))?;
                up.file = Some(path);
            }
            "profile_file" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_PROFILE {
                        return Err(Refused::TooLarge);
                    }
                }
                total += bytes.len() as u64;
                if !bytes.is_empty() {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| Refused::Message(ctx.t("submissions.upload.bad_profile")))?;
                    up.profile_text = Some(text);
                }
            }
            _ => {
                let text = field.text().await.map_err(broken)?;
                if text.len() > 4096 {
                    return Err(Refused::Message(ctx.t("submissions.upload.broken")));
                }
                match name.as_str() {
                    "csrf" => up.csrf = text,
                    "provider" => up.provider = text,
                    "profile" => up.profile = text,
                    "policy" => up.policy = text,
                    _ => {}
                }
            }
        }
    }
    Ok(up)
}

/// The profiles offered in the form: `(name, path)` of the `*.toml` files of `profiles/` next
/// to a SQLite database.
fn profiles(ctx: &Ctx) -> Vec<(String, PathBuf)> {
    let db = &ctx.state.0.config.database;
    if db.starts_with("postgres") {
        return Vec::new();
    }
    let Some(dir) = FsPath::new(db).parent().map(|d| d.join("profiles")) else { return Vec::new() };
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), p.clone())))
        .collect();
    out.sort();
    out
}

/// The provider an upload is for: the form's, or the user's own; `None` when not allowed.
fn target(role: &Role, asked: &str) -> Option<String> {
    let provider = if asked.is_empty() { role.provider()?.to_string() } else { asked.to_string() };
    auth::allowed(role, Action::UploadSubmission, Object::Provider(&provider)).then_some(provider)
}

/// The outcome of one upload, for the page and the API.
struct Done {
    provider: String,
    file: String,
    result: ImportResult,
}

/// Runs the import of an upload for `provider` (already authorised).
async fn run_import(ctx: &Ctx, provider: String, up: Upload) -> std::result::Result<Done, Refused> {
    let Some(file) = up.file else { return Err(Refused::Message(ctx.t("submissions.upload.no_file"))) };
    let lists = model::Codelists::embedded();
    let profile_text = match (up.profile_text, up.profile.as_str()) {
        (Some(text), _) => Some(text),
        (None, "") => None,
        (None, name) => {
            match crate::catalog::upload_profile_text(ctx, name, &provider).await.map_err(Refused::Failed)? {
                Some(text) => Some(text),
                None => {
                    let Some((_, path)) = profiles(ctx).into_iter().find(|(n, _)| n == name) else {
                        return Err(Refused::Message(ctx.t("submissions.upload.bad_profile")));
                    };
                    Some(std::fs::read_to_string(path).map_err(|e| Refused::Failed(e.into()))?)
                }
            }
        }
    };
    let profile = match profile_text {
        None => None,
        Some(text) => Some(
            ingest::profile::Profile::parse(&text, lists)
                .map_err(|e| Refused::Message(format!("{}: {e}", ctx.t("submissions.upload.bad_profile"))))?,
        ),
    };
    let Some(provider_id) = model::ProviderId::new(&provider) else {
        return Err(Refused::Message(ctx.t("submissions.upload.bad_provider")));
    };
    let asked_policy = match up.policy.as_str() {
        "" => None,
        p => Some(p.parse::<Policy>().map_err(Refused::Message)?),
    };
    let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let outcome = ctx
        .state
        .with_store(move |store| {
            let policy = match asked_policy {
                Some(p) => p,
                None => app::intake::hub_policy(store)?,
            };
            let country = store.setting("hub.country")?.unwrap_or_else(|| "PT".to_string());
            let Some(reporting_country) = model::Code::parse(&country, lists) else {
                return Err(Error::Corrupt("hub country"));
            };
            let now = chrono::Utc::now();
            let req = ImportRequest {
                provider: provider_id,
                files: vec![file],
                profile: profile.as_ref(),
                policy,
                read: ingest::read::ReadOptions::standard(),
                reporting_country,
                as_of: now.date_naive(),
                submitted_at: now,
            };
            Ok(app::intake::import(store, lists, &req, &mut |_| {}).map_err(|e| e.to_string()))
        })
        .await;
    ctx.state.data_changed();
    let outcome = outcome.map_err(Refused::Failed)?;
    match outcome {
        Ok(result) => Ok(Done { provider, file: file_name, result }),
        Err(message) => Err(Refused::Message(message)),
    }
}

/// The base name of a reported file (never the server's temporary path).
fn base(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

/// Appends an audit event as the session's user, or as the API token `token:<short>`.
async fn audit_as(
    ctx: &Ctx,
    token: Option<&str>,
    action: &str,
    object: &str,
    outcome: Outcome,
    detail: &str,
) -> Result<()> {
    match token {
        None => ctx.audit(action, object, outcome, detail).await,
        Some(short) => {
            let record =
                crate::audit_log::record(&format!("token:{short}"), action, object, ctx.ip, outcome, detail);
            ctx.state.audit(record).await
        }
    }
}

async fn audit_upload(ctx: &Ctx, done: &Done, token: Option<&str>) -> Result<()> {
    let stored = done.result.periods.len();
    let detail = format!(
        "committed={} periods={stored} rows={} problems={}",
        done.result.committed,
        done.result.report.rows_read,
        done.result.report.total()
    );
    let outcome = if done.result.committed { Outcome::Success } else { Outcome::Failure };
    audit_as(ctx, token, "upload", &format!("provider:{}", done.provider), outcome, &detail).await
}

fn refused_page(ctx: &Ctx, r: Refused) -> Response {
    match r {
        Refused::TooLarge => {
            let size = format!("{} MB", MAX_UPLOAD / (1024 * 1024));
            let msg = ctx.ta("submissions.upload.too_large", &[("size", &size)]);
            error_page(ctx, StatusCode::PAYLOAD_TOO_LARGE, &ctx.t("submissions.upload.title"), &msg)
        }
        Refused::Message(m) => {
            error_page(ctx, StatusCode::UNPROCESSABLE_ENTITY, &ctx.t("submissions.upload.title"), &m)
        }
        Refused::Failed(e) => ctx.internal(e),
    }
}

fn upload_form_html(ctx: &Ctx, role: &Role, providers: &[String], stored: &[String]) -> String {
    let mut provider_field = String::new();
    if role.provider().is_none() {
        let options: String =
            providers.iter().map(|p| format!(r#"<option value="{0}">{0}</option>"#, esc(p))).collect();
        provider_field = format!(
            r#"<label for="provider">{}</label><select id="provider" name="provider">{options}</select>"#,
            esc(&ctx.t("submissions.upload.provider"))
        );
    }
    let mut names: Vec<String> = stored.to_vec();
    names.extend(profiles(ctx).into_iter().map(|(n, _)| n).filter(|n| !stored.contains(n)));
    names.sort();
    let profile_options: String =
        names.iter().map(|n| format!(r#"<option value="{0}">{0}</option>"#, esc(n))).collect();
    let size = format!("{} MB", MAX_UPLOAD / (1024 * 1024));
    format!(
        r#"<form method="post" action="/submissions/upload" enctype="multipart/form-data">{csrf}{provider_field}<label for="file">{file}</label><input id="file" name="file" type="file" accept=".csv,.xlsx,.jsonl" required><p>{formats}</p><label for="profile">{profile}</label><select id="profile" name="profile"><option value="">{none}</option>{profile_options}</select><label for="profile_file">{profile_file}</label><input id="profile_file" name="profile_file" type="file" accept=".toml"><label for="policy">{policy}</label><select id="policy" name="policy"><option value="reject-all">{reject_all}</option><option value="accept-valid">{accept_valid}</option></select><p><button type="submit">{submit}</button></p></form>"#,
        csrf = csrf_field(ctx, "upload"),
        file = esc(&ctx.t("submissions.upload.file")),
        formats = esc(&ctx.ta("submissions.upload.formats", &[("size", &size)])),
        profile = esc(&ctx.t("submissions.upload.profile")),
        none = esc(&ctx.t("submissions.upload.profile_none")),
        profile_file = esc(&ctx.t("submissions.upload.profile_file")),
        policy = esc(&ctx.t("submissions.upload.policy.label")),
        reject_all = esc(&ctx.t("submissions.upload.policy.reject_all")),
        accept_valid = esc(&ctx.t("submissions.upload.policy.accept_valid")),
        submit = esc(&ctx.t("submissions.upload.submit")),
    )
}

async fn provider_ids(ctx: &Ctx) -> Result<Vec<String>> {
    ctx.state
        .with_store(|s| {
            Ok(s.providers(model::Codelists::embedded())?.iter().map(|p| p.id.as_str().to_string()).collect())
        })
        .await
}

/// Whether the role may upload for some provider.
pub(crate) fn may_upload(role: &Role) -> bool {
    match role.provider() {
        Some(p) => auth::allowed(role, Action::UploadSubmission, Object::Provider(p)),
        None => role.is_staff(),
    }
}

pub(crate) async fn upload_form(ctx: Ctx) -> Page {
    let role = ctx.role();
    if !may_upload(&role) {
        return Err(ctx.deny(Action::UploadSubmission.code()).await);
    }
    let providers = provider_ids(&ctx).await.map_err(|e| ctx.internal(e))?;
    let stored = crate::catalog::upload_profile_names(&ctx, &role).await.map_err(|e| ctx.internal(e))?;
    let body = upload_form_html(&ctx, &role, &providers, &stored);
    Ok(page(&ctx, StatusCode::OK, &ctx.t("submissions.upload.title"), &body))
}

fn result_html(ctx: &Ctx, done: &Done) -> String {
    let catalog = i18n::Catalog::embedded();
    let report = &done.result.report;
    let mut body = format!(
        "<p>{} · {}</p>",
        esc(&done.file),
        esc(&catalog.plural(
            ctx.lang,
            "submissions.upload.rows",
            i64::try_from(report.rows_read).unwrap_or(0),
            &[]
        ))
    );
    body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("submissions.upload.outcome"))));
    if done.result.committed {
        let head = ["submissions.column.period", "submissions.column.status", "submissions.column.records"]
            .map(|k| esc(&ctx.t(k)));
        let rows: Vec<Vec<String>> = done
            .result
            .periods
            .iter()
            .map(|p| match p {
                PeriodOutcome::Stored { period, submission_id, revision, records, .. } => vec![
                    format!(r#"<a href="/submissions/{submission_id}">{}</a>"#, esc(&period.to_string())),
                    esc(&ctx.ta("submissions.upload.stored", &[("revision", revision)])),
                    catalog.format_int(ctx.lang, i64::try_from(*records).unwrap_or(i64::MAX)),
                ],
                PeriodOutcome::AlreadyStored { period, submission_id } => vec![
                    format!(r#"<a href="/submissions/{submission_id}">{}</a>"#, esc(&period.to_string())),
                    esc(&ctx.t("submissions.upload.unchanged")),
                    String::new(),
                ],
            })
            .collect();
        body.push_str(&table(&head, &rows, &[2]));
    } else {
        body.push_str(&format!(
            r#"<p class="err" role="alert">{}</p>"#,
            esc(&ctx.t("submissions.upload.nothing_stored"))
        ));
    }
    body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("submissions.report.title"))));
    if report.issues().is_empty() {
        body.push_str(&format!(r#"<p class="ok">{}</p>"#, esc(&ctx.t("submissions.report.ok"))));
    } else {
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&catalog.plural(
                ctx.lang,
                "submissions.report.problems",
                i64::try_from(report.total()).unwrap_or(0),
                &[]
            ))
        ));
        let head = [
            "submissions.report.file",
            "submissions.report.row",
            "submissions.report.column",
            "submissions.report.rule",
            "submissions.report.hint",
        ]
        .map(|k| esc(&ctx.t(k)));
        let rows: Vec<Vec<String>> = report
            .issues()
            .iter()
            .take(SHOWN)
            .map(|i| {
                vec![
                    esc(base(&i.file)),
                    i.row.map_or_else(String::new, |r| r.to_string()),
                    esc(i.column.as_deref().or(i.field.as_deref()).unwrap_or("")),
                    format!("<code>{}</code>", esc(&i.rule)),
                    esc(&i.hint),
                ]
            })
            .collect();
        body.push_str(&table(&head, &rows, &[1]));
        if report.issues().len() > SHOWN {
            body.push_str(&format!(
                "<p>{}</p>",
                esc(&ctx.ta("submissions.report.truncated", &[("shown", &SHOWN)]))
            ));
        }
    }
    body.push_str(&format!(
        r#"<p><a href="/submissions/upload">{}</a></p>"#,
        esc(&ctx.t("submissions.action.resubmit"))
    ));
    body
}

pub(crate) async fn upload(ctx: Ctx, mp: Multipart) -> Page {
    if ctx.user.is_none() {
        return Err(ctx.deny(Action::UploadSubmission.code()).await);
    }
    let dir = tempfile::tempdir().map_err(|e| ctx.internal(e.into()))?;
    let up = read_upload(&ctx, mp, dir.path()).await.map_err(|r| refused_page(&ctx, r))?;
    if !ctx.csrf_ok("upload", &up.csrf) {
        return Err(error_page(&ctx, StatusCode::FORBIDDEN, &ctx.t("error.403.title"), &ctx.t("error.csrf")));
    }
    let Some(provider) = target(&ctx.role(), &up.provider) else {
        return Err(ctx.deny(Action::UploadSubmission.code()).await);
    };
    let done = run_import(&ctx, provider, up).await.map_err(|r| refused_page(&ctx, r))?;
    audit_upload(&ctx, &done, None).await.map_err(|e| ctx.internal(e))?;
    let status = if done.result.committed { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(page(&ctx, status, &ctx.t("submissions.upload.result"), &result_html(&ctx, &done)))
}

// ── API ───────────────────────────────────────────────────────────────────────────────────────

fn api_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(json!({"error": message}))).into_response()
}

/// The provider role of a valid API token in `Authorization: Bearer mosy_…`.
async fn token_role(ctx: &Ctx, headers: &HeaderMap) -> std::result::Result<Option<(Role, String)>, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some(text) = value.strip_prefix("Bearer ") else { return Ok(None) };
    let unauthorized = || api_error(StatusCode::UNAUTHORIZED, "invalid API token");
    let secret = auth::ApiTokenSecret::parse(text.trim()).map_err(|_| unauthorized())?;
    let hash = hex::encode(secret.hash().as_bytes());
    let found = ctx
        .state
        .with_store(move |s| {
            let Some((account, expires)) = s.api_token(&hash)? else { return Ok(None) };
            Ok(s.account(&account)?.filter(|a| !a.disabled).map(|a| (a, expires)))
        })
        .await
        .map_err(|e| crate::api::internal(ctx, e))?;
    let Some((account, expires)) = found else { return Err(unauthorized()) };
    let role = crate::accounts::role_of(&account).map_err(|e| crate::api::internal(ctx, e))?;
    let Some(provider) = role.provider() else { return Err(unauthorized()) };
    let expires_at = chrono::DateTime::parse_from_rfc3339(&expires)
        .map_err(|_| unauthorized())?
        .with_timezone(&chrono::Utc);
    let record = auth::ApiTokenRecord {
        hash: secret.hash(),
        provider: provider.to_string(),
        actions: [Action::MachineSubmission].into_iter().collect(),
        label: String::new(),
        created_at: expires_at,
        expires_at,
    };
    record
        .authorize(Action::MachineSubmission, Object::Provider(provider), chrono::Utc::now())
        .map_err(|_| unauthorized())?;
    Ok(Some((role, secret.hash().short())))
}

fn done_json(done: &Done) -> serde_json::Value {
    let periods: Vec<serde_json::Value> = done
        .result
        .periods
        .iter()
        .map(|p| match p {
            PeriodOutcome::Stored { period, submission_id, revision, replaced, records } => json!({
                "period": period.to_string(), "outcome": "stored", "submission": submission_id.to_string(),
                "revision": revision, "replaced": replaced.map(|r| r.to_string()), "records": records,
            }),
            PeriodOutcome::AlreadyStored { period, submission_id } => json!({
                "period": period.to_string(), "outcome": "unchanged", "submission": submission_id.to_string(),
            }),
        })
        .collect();
    let issues: Vec<serde_json::Value> = done
        .result
        .report
        .issues()
        .iter()
        .map(|i| json!({"file": base(&i.file), "row": i.row, "column": i.column, "field": i.field, "rule": i.rule, "hint": i.hint}))
        .collect();
    json!({
        "provider": done.provider,
        "file": done.file,
        "committed": done.result.committed,
        "rows_read": done.result.report.rows_read,
        "rows_valid": done.result.report.rows_valid,
        "problems": done.result.report.total(),
        "periods": periods,
        "issues": issues,
    })
}

pub(crate) async fn api_upload(
    ctx: Ctx,
    headers: HeaderMap,
    mp: Multipart,
) -> std::result::Result<Response, Response> {
    let by_token = token_role(&ctx, &headers).await?;
    if by_token.is_none() && ctx.user.is_none() {
        return Err(api_error(StatusCode::UNAUTHORIZED, "log in first or present an API token"));
    }
    let dir = tempfile::tempdir().map_err(|e| crate::api::internal(&ctx, e.into()))?;
    let up = read_upload(&ctx, mp, dir.path()).await.map_err(|r| match r {
        Refused::TooLarge => api_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &ctx.ta(
                "submissions.upload.too_large",
                &[("size", &format!("{} MB", MAX_UPLOAD / (1024 * 1024)))],
            ),
        ),
        Refused::Message(m) => api_error(StatusCode::UNPROCESSABLE_ENTITY, &m),
        Refused::Failed(e) => crate::api::internal(&ctx, e),
    })?;
    let token_ref = by_token.as_ref().map(|(_, short)| short.clone());
    let role = match by_token {
        Some((role, _)) => role,
        None => {
            let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !ctx.csrf_ok("api", token) {
                return Err(api_error(StatusCode::FORBIDDEN, "missing or wrong X-CSRF-Token"));
            }
            ctx.role()
        }
    };
    let actor_ok = target(&role, &up.provider);
    let Some(provider) = actor_ok else {
        audit_as(
            &ctx,
            token_ref.as_deref(),
            "upload",
            &format!("provider:{}", up.provider),
            Outcome::Denied,
            "api",
        )
        .await
        .map_err(|e| crate::api::internal(&ctx, e))?;
        return Err(api_error(StatusCode::FORBIDDEN, "not allowed for this provider"));
    };
    let done = run_import(&ctx, provider, up).await.map_err(|r| match r {
        Refused::TooLarge => api_error(StatusCode::PAYLOAD_TOO_LARGE, "too large"),
        Refused::Message(m) => api_error(StatusCode::UNPROCESSABLE_ENTITY, &m),
        Refused::Failed(e) => crate::api::internal(&ctx, e),
    })?;
    audit_upload(&ctx, &done, token_ref.as_deref()).await.map_err(|e| crate::api::internal(&ctx, e))?;
    let status = if done.result.committed { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, axum::Json(done_json(&done))).into_response())
}

// ── Approval workflow ─────────────────────────────────────────────────────────────────────────

/// The approval form.
#[derive(Deserialize, Default)]
pub(crate) struct StatusForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf: String,
}

/// The analyst's actions on a submission in `status`: `(action, label key)`.
pub(crate) fn actions_for(status: &str) -> &'static [(&'static str, &'static str)] {
    match status {
        "received" | "validated" => {
            &[("accept", "submissions.action.accept"), ("reject", "submissions.action.reject")]
        }
        "accepted" => &[("approve", "submissions.action.approve"), ("reject", "submissions.action.reject")],
        "approved" => &[("reopen", "submissions.action.reopen")],
        _ => &[],
    }
}

/// The forms of the approval workflow for the detail page (empty when the role may not act).
pub(crate) fn workflow_html(ctx: &Ctx, id: &str, provider: &str, status: &str) -> String {
    if !ctx.allowed(Action::ApproveSubmission, Object::Provider(provider)) {
        return String::new();
    }
    let mut out = String::new();
    for (action, label) in actions_for(status) {
        let note = if matches!(*action, "reopen" | "reject") {
            let key = if *action == "reopen" { "submissions.reopen_note" } else { "submissions.note" };
            let required = if *action == "reopen" { " required" } else { "" };
            format!(
                r#"<label for="note-{action}">{}</label><input id="note-{action}" name="note"{required}>"#,
                esc(&ctx.t(key))
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            r#"<form method="post" action="/submissions/{id}/status" class="workflow">{csrf}<input type="hidden" name="action" value="{action}">{note}<p><button type="submit">{label}</button></p></form>"#,
            id = esc(id),
            csrf = csrf_field(ctx, "submission-status"),
            label = esc(&ctx.t(label)),
        ));
    }
    out
}

pub(crate) async fn set_status(ctx: Ctx, Path(id): Path<String>, Form(form): Form<StatusForm>) -> Page {
    if !ctx.csrf_ok("submission-status", &form.csrf) {
        return Err(error_page(&ctx, StatusCode::FORBIDDEN, &ctx.t("error.403.title"), &ctx.t("error.csrf")));
    }
    let Ok(uuid) = uuid::Uuid::parse_str(&id) else { return Err(crate::pages::not_found(ctx).await) };
    let info =
        ctx.state.with_store(move |s| Ok(s.submission_info(uuid)?)).await.map_err(|e| ctx.internal(e))?;
    let Some(info) = info else { return Err(crate::pages::not_found(ctx).await) };
    let provider = info.submission.provider_id.as_str().to_string();
    let (to, action, audit_action) = match form.action.as_str() {
        "accept" => (model::SubmissionStatus::Accepted, Action::ApproveSubmission, "approve"),
        "reject" => (model::SubmissionStatus::Rejected, Action::ApproveSubmission, "reject"),
        "approve" => (model::SubmissionStatus::Approved, Action::LockSubmission, "approve"),
        "reopen" => (model::SubmissionStatus::Accepted, Action::ReopenSubmission, "reopen"),
        _ => {
            return Err(error_page(
                &ctx,
                StatusCode::BAD_REQUEST,
                &ctx.t("error.400.title"),
                &ctx.t("error.400.body"),
            ));
        }
    };
    if !ctx.allowed(action, Object::Provider(&provider)) {
        return Err(ctx.deny(action.code()).await);
    }
    let note = form.note.trim().to_string();
    if form.action == "reopen" && note.is_empty() {
        return Err(error_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx.t("submissions.action.reopen"),
            &ctx.t("submissions.reopen_note_required"),
        ));
    }
    let changed = ctx
        .state
        .with_store(move |s| {
            let note = (!note.is_empty()).then_some(note);
            match s.set_submission_status(uuid, to, note.as_deref()) {
                Ok(()) => {}
                Err(store::Error::NoteRequired | store::Error::InvalidTransition { .. }) => return Ok(false),
                Err(e) => return Err(e.into()),
            }
            if matches!(to, model::SubmissionStatus::Rejected) {
                app::persons::recompute(s)?;
            }
            Ok(true)
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    ctx.state.data_changed();
    let object = format!("submission:{id}");
    let outcome = if changed { Outcome::Success } else { Outcome::Failure };
    ctx.audit(audit_action, &object, outcome, &form.action).await.map_err(|e| ctx.internal(e))?;
    if !changed {
        return Err(error_page(
            &ctx,
            StatusCode::CONFLICT,
            &ctx.t("submissions.title"),
            &ctx.t("submissions.invalid_transition"),
        ));
    }
    Ok(Redirect::to(&format!("/submissions/{id}")).into_response())
}
