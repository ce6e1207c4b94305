//! Reference data and mapping profiles: the pages and API of the codelists (read only), the
//! editing of the provider register, and the mapping profiles stored at the hub.
//!
//! - `/profiles` lists the profiles the user may read (a provider user: its provider's and the
//!   shared ones; staff: all). `/profiles/{name}` shows a profile's TOML (`?version=` for an older
//!   one) with its version history; `/profiles/new` starts a new one. Who may manage profiles edits
//!   the text in a textarea and either **tests** it against a sample file (multipart, streamed to a
//!   temporary file, [`crate::submit::MAX_UPLOAD`] at most; the same coverage as
//!   `mosy profile check`: codes per mapped field, source values that map to nothing, unused
//!   columns; nothing is stored) or **saves** it as a new version (refused, with line and column,
//!   when it does not parse). Every save is audited as `profile.save` with the name and version,
//!   never the text.
//! - A profile belongs to one provider (`ViewProfiles` / `ManageProfiles` on that provider) or is
//!   shared: reading a shared profile is reading reference data (`ViewReferenceData`), managing it
//!   needs `ManageProfiles` for every provider (the object `Provider("*")`, which only staff hold).
//! - `/codelists` and `/codelists/{id}` show the embedded codelist bundle with English and
//!   Portuguese labels (`ViewReferenceData`). Codelists are versioned project data: there is no
//!   editor.
//! - `/providers/{id}` edits a provider of the register (`ManageProviders`), audited as
//!   `provider.update` with the names of the changed attributes.
//! - The JSON API (`/api/profiles…`, `/api/codelists…`) answers the same questions with the same
//!   checks; its routes are in [`crate::api::ROUTES`].
//!
//! Values of a sample file are shown only where `mosy profile check` lists them (coded fields,
//! never identity or free columns), and a value that looks like a personal identifier is withheld;
//! nothing of a sample is logged or kept.

use std::io::Write as _;
use std::path::{Path as FsPath, PathBuf};

use auth::{Action, Object, Outcome, Role};
use axum::extract::{Multipart, Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use ingest::profile::{Profile, ProfileError};
use model::{ModelCode as _, ProviderId};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{ProfileRow, ProfileSave};

use crate::ctx::Ctx;
use crate::html::{csrf_field, error_page, esc, page, table};
use crate::pages::{csrf_refused, not_found};
use crate::{Error, Result};

type Page = std::result::Result<Response, Response>;

/// The object of `ManageProfiles` for a shared profile: every provider.
const EVERY_PROVIDER: &str = "*";
/// The largest profile text, in bytes.
const MAX_PROFILE: usize = 1024 * 1024;
/// Distinct unmapped values listed per field on the test result.
const SHOWN_VALUES: usize = 200;
/// The CSRF form name of the profile editor.
const PROFILE_FORM: &str = "profile";
/// The CSRF form name of the provider editor.
const PROVIDER_FORM: &str = "provider-edit";

// ── Permissions ───────────────────────────────────────────────────────────────────────────────

/// Whether `role` may read a profile of `owner` (`None`: shared).
fn may_view(role: &Role, owner: Option<&str>) -> bool {
    match owner {
        Some(p) => auth::allowed(role, Action::ViewProfiles, Object::Provider(p)),
        None => auth::allowed(role, Action::ViewReferenceData, Object::Hub),
    }
}

/// Whether `role` may edit, test and save a profile of `owner` (`None`: shared).
fn may_manage(role: &Role, owner: Option<&str>) -> bool {
    auth::allowed(role, Action::ManageProfiles, Object::Provider(owner.unwrap_or(EVERY_PROVIDER)))
}

/// Whether `role` may read some profiles: its own provider's, or (staff) every provider's.
fn may_list(role: &Role) -> bool {
    auth::allowed(role, Action::ViewProfiles, Object::Provider(role.provider().unwrap_or(EVERY_PROVIDER)))
}

/// The latest version of every profile `role` may read, by name.
async fn visible_profiles(ctx: &Ctx, role: &Role) -> Result<Vec<ProfileRow>> {
    let own = role.provider().map(str::to_owned);
    let rows = ctx.state.with_store(move |s| Ok(s.profiles(own.as_deref())?)).await?;
    Ok(rows.into_iter().filter(|p| may_view(role, p.provider_id.as_deref())).collect())
}

/// The names of the stored profiles an upload for `provider` may use (its own and the shared
/// ones), or, without a provider, those of every provider that `role` may read.
pub(crate) async fn upload_profile_names(ctx: &Ctx, role: &Role) -> Result<Vec<String>> {
    Ok(visible_profiles(ctx, role).await?.into_iter().map(|p| p.name).collect())
}

/// The text of stored profile `name` for an upload of `provider`: `None` when there is no such
/// profile, or when it belongs to another provider.
pub(crate) async fn upload_profile_text(ctx: &Ctx, name: &str, provider: &str) -> Result<Option<String>> {
    let name = name.to_owned();
    let row = ctx.state.with_store(move |s| Ok(s.profile(&name, None)?)).await?;
    Ok(row.filter(|p| p.provider_id.as_deref().is_none_or(|o| o == provider)).map(|p| p.toml))
}

/// A profile name: 1 to 64 letters, digits, `.`, `-`, `_`, not starting with a dot; not `new`.
fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name != "new"
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn message(ok: bool, text: &str) -> String {
    let class = if ok { "ok" } else { "err" };
    format!(r#"<p class="{class}" role="alert">{}</p>"#, esc(text))
}

fn stamp(row: &ProfileRow) -> String {
    row.created_at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn owner_label(ctx: &Ctx, owner: Option<&str>) -> String {
    owner.map_or_else(|| ctx.t("profiles.shared"), str::to_owned)
}

/// A profile parse error, pinpointed (line and column for TOML errors) in the page's language.
fn problem_text(ctx: &Ctx, e: &ProfileError) -> String {
    let problem = match e {
        ProfileError::Syntax { line, column, key, message } => ctx.ta(
            "profiles.error.syntax",
            &[("line", line), ("column", column), ("key", key), ("message", message)],
        ),
        other => other.to_string(),
    };
    ctx.ta("profiles.invalid", &[("problem", &problem)])
}

// ── Profile list ──────────────────────────────────────────────────────────────────────────────

pub(crate) async fn profiles(ctx: Ctx) -> Page {
    let role = ctx.role();
    if ctx.user.is_none() || !may_list(&role) {
        return Err(ctx.deny(Action::ViewProfiles.code()).await);
    }
    let rows = visible_profiles(&ctx, &role).await.map_err(|e| ctx.internal(e))?;
    let mut body = String::new();
    if may_manage(&role, None) {
        body.push_str(&format!(r#"<p><a href="/profiles/new">{}</a></p>"#, esc(&ctx.t("profiles.add"))));
    }
    if rows.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(&ctx.t("profiles.empty"))));
    } else {
        let head = [
            "profiles.name",
            "profiles.provider",
            "profiles.version",
            "profiles.saved_at",
            "profiles.saved_by",
        ]
        .map(|k| esc(&ctx.t(k)));
        let list: Vec<Vec<String>> = rows
            .iter()
            .map(|p| {
                vec![
                    format!(r#"<a href="/profiles/{0}">{0}</a>"#, esc(&p.name)),
                    esc(&owner_label(&ctx, p.provider_id.as_deref())),
                    p.version.to_string(),
                    esc(&stamp(p)),
                    esc(&p.created_by),
                ]
            })
            .collect();
        body.push_str(&table(&head, &list, &[2]));
    }
    Ok(page(&ctx, StatusCode::OK, &ctx.t("profiles.title"), &body))
}

// ── Editor and viewer ─────────────────────────────────────────────────────────────────────────

/// The editor form. `new` carries the register for the name and provider fields of a new profile.
fn editor_html(ctx: &Ctx, action: &str, new: Option<(&str, &str, &[String])>, text: &str) -> String {
    let mut fields = String::new();
    if let Some((name, provider, providers)) = new {
        let mut options = format!(r#"<option value="">{}</option>"#, esc(&ctx.t("profiles.shared")));
        for p in providers {
            let selected = if p == provider { " selected" } else { "" };
            options.push_str(&format!(r#"<option value="{0}"{selected}>{0}</option>"#, esc(p)));
        }
        fields = format!(
            r#"<label for="name">{n}</label><input id="name" name="name" value="{name}" maxlength="64" pattern="[A-Za-z0-9_][A-Za-z0-9._\-]*" required><p>{hint}</p><label for="provider">{p}</label><select id="provider" name="provider">{options}</select>"#,
            n = esc(&ctx.t("profiles.name")),
            name = esc(name),
            hint = esc(&ctx.t("profiles.error.name")),
            p = esc(&ctx.t("profiles.provider")),
        );
    }
    let size = format!("{} MB", crate::submit::MAX_UPLOAD / (1024 * 1024));
    format!(
        r#"<form method="post" action="{action}" enctype="multipart/form-data" class="profile-editor">{csrf}{fields}<label for="toml">{editor}</label><textarea id="toml" name="toml" rows="28" cols="100" spellcheck="false">{text}</textarea><h2>{test_title}</h2><label for="sample">{file}</label><input id="sample" name="sample" type="file" accept=".csv,.xlsx,.jsonl"><p>{formats}</p><p>{not_saved}</p><p><button type="submit" name="op" value="test">{run}</button> <button type="submit" name="op" value="save">{save}</button></p></form>"#,
        action = esc(action),
        csrf = csrf_field(ctx, PROFILE_FORM),
        editor = esc(&ctx.t("profiles.editor")),
        text = esc(text),
        test_title = esc(&ctx.t("profiles.test.title")),
        file = esc(&ctx.t("profiles.test.file")),
        formats = esc(&ctx.ta("submissions.upload.formats", &[("size", &size)])),
        not_saved = esc(&ctx.t("profiles.test.not_saved")),
        run = esc(&ctx.t("profiles.test.run")),
        save = esc(&ctx.t("profiles.save")),
    )
}

/// The page of an existing profile: `notes` (HTML) first, then the text (editable when the role
/// may manage it; `edited` keeps what was typed), then the version history.
async fn profile_page(
    ctx: &Ctx,
    name: &str,
    version: Option<u32>,
    edited: Option<&str>,
    notes: &str,
    status: StatusCode,
) -> Result<Option<Response>> {
    let key = name.to_owned();
    let history = ctx.state.with_store(move |s| Ok(s.profile_history(&key)?)).await?;
    let Some(latest) = history.last() else { return Ok(None) };
    let shown = match version {
        Some(v) => match history.iter().find(|p| p.version == v) {
            Some(p) => p,
            None => return Ok(None),
        },
        None => latest,
    };
    let role = ctx.role();
    let owner = latest.provider_id.as_deref();
    let mut body = notes.to_owned();
    body.push_str(&format!(
        "<p>{}: {} · {}</p>",
        esc(&ctx.t("profiles.provider")),
        esc(&owner_label(ctx, owner)),
        esc(&ctx.ta(
            "profiles.version_of",
            &[
                ("version", &shown.version),
                ("latest", &latest.version),
                ("at", &stamp(shown)),
                ("by", &shown.created_by)
            ]
        )),
    ));
    if may_manage(&role, owner) {
        let action = format!("/profiles/{name}");
        body.push_str(&editor_html(ctx, &action, None, edited.unwrap_or(&shown.toml)));
    } else {
        body.push_str(&format!(r#"<pre id="profile-text">{}</pre>"#, esc(&shown.toml)));
    }
    body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("profiles.history"))));
    let head = ["profiles.version", "profiles.saved_at", "profiles.saved_by"].map(|k| esc(&ctx.t(k)));
    let rows: Vec<Vec<String>> = history
        .iter()
        .rev()
        .map(|p| {
            let label = if p.version == shown.version {
                format!("<strong>{}</strong>", p.version)
            } else {
                format!(r#"<a href="/profiles/{}?version={v}">{v}</a>"#, esc(name), v = p.version)
            };
            vec![label, esc(&stamp(p)), esc(&p.created_by)]
        })
        .collect();
    body.push_str(&table(&head, &rows, &[0]));
    let title = ctx.ta("profiles.title_of", &[("name", &name)]);
    Ok(Some(page(ctx, status, &title, &body)))
}

async fn provider_ids(ctx: &Ctx) -> Result<Vec<String>> {
    ctx.state
        .with_store(|s| {
            Ok(s.providers(model::Codelists::embedded())?.iter().map(|p| p.id.as_str().to_owned()).collect())
        })
        .await
}

async fn new_page(
    ctx: &Ctx,
    name: &str,
    provider: &str,
    text: &str,
    notes: &str,
    status: StatusCode,
) -> Result<Response> {
    let providers = provider_ids(ctx).await?;
    let mut body = notes.to_owned();
    body.push_str(&editor_html(ctx, "/profiles/new", Some((name, provider, &providers)), text));
    Ok(page(ctx, status, &ctx.t("profiles.add"), &body))
}

#[derive(Deserialize)]
pub(crate) struct VersionQuery {
    version: Option<String>,
    saved: Option<String>,
}

pub(crate) async fn profile_new_form(ctx: Ctx) -> Page {
    if ctx.user.is_none() || !may_manage(&ctx.role(), None) {
        return Err(ctx.deny(Action::ManageProfiles.code()).await);
    }
    new_page(&ctx, "", "", "", "", StatusCode::OK).await.map_err(|e| ctx.internal(e))
}

pub(crate) async fn profile_view(ctx: Ctx, Path(name): Path<String>, Query(q): Query<VersionQuery>) -> Page {
    if ctx.user.is_none() {
        return Err(ctx.deny(Action::ViewProfiles.code()).await);
    }
    let key = name.clone();
    let latest =
        ctx.state.with_store(move |s| Ok(s.profile(&key, None)?)).await.map_err(|e| ctx.internal(e))?;
    let Some(latest) = latest else { return Err(not_found(ctx).await) };
    if !may_view(&ctx.role(), latest.provider_id.as_deref()) {
        return Err(ctx.deny(Action::ViewProfiles.code()).await);
    }
    let version = match q.version.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => match v.parse::<u32>() {
            Ok(v) => Some(v),
            Err(_) => return Err(not_found(ctx).await),
        },
    };
    let notes = match q.saved.as_deref().and_then(|v| v.parse::<u32>().ok()) {
        Some(v) => message(true, &ctx.ta("profiles.saved", &[("version", &v)])),
        None => String::new(),
    };
    match profile_page(&ctx, &name, version, None, &notes, StatusCode::OK).await {
        Ok(Some(res)) => Ok(res),
        Ok(None) => Err(not_found(ctx).await),
        Err(e) => Err(ctx.internal(e)),
    }
}

// ── Test and save ─────────────────────────────────────────────────────────────────────────────

/// What the editor's multipart form carried.
#[derive(Default)]
struct EditorForm {
    csrf: String,
    name: String,
    provider: String,
    toml: String,
    op: String,
    sample: Option<(PathBuf, String)>,
}

enum Refused {
    TooLarge,
    Message(String),
    Failed(Error),
}

async fn read_editor(ctx: &Ctx, mut mp: Multipart, dir: &FsPath) -> std::result::Result<EditorForm, Refused> {
    let mut form = EditorForm::default();
    let broken = |_| Refused::Message(ctx.t("submissions.upload.broken"));
    while let Some(mut field) = mp.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "sample" => {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let mut out: Option<(std::fs::File, PathBuf, String)> = None;
                let mut total: u64 = 0;
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if chunk.is_empty() {
                        continue;
                    }
                    total += chunk.len() as u64;
                    if total > crate::submit::MAX_UPLOAD {
                        return Err(Refused::TooLarge);
                    }
                    if out.is_none() {
                        let Some(safe) = crate::submit::safe_name(&file_name) else {
                            return Err(Refused::Message(ctx.t("submissions.upload.bad_type")));
                        };
                        let path = dir.join(&safe);
                        let file = std::fs::File::create(&path).map_err(|e| Refused::Failed(e.into()))?;
                        out = Some((file, path, safe));
                    }
                    if let Some((file, _, _)) = out.as_mut() {
                        file.write_all(&chunk).map_err(|e| Refused::Failed(e.into()))?;
                    }
                }
                if let Some((mut file, path, safe)) = out {
                    file.flush().map_err(|e| Refused::Failed(e.into()))?;
                    form.sample = Some((path, safe));
                }
            }
            "toml" => {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    bytes.extend_from_slice(&chunk);
                    if bytes.len() > MAX_PROFILE {
                        return Err(Refused::TooLarge);
                    }
                }
                form.toml = String::from_utf8(bytes)
                    .map_err(|_| Refused::Message(ctx.t("submissions.upload.bad_profile")))?
                    .replace("\r\n", "\n");
            }
            _ => {
                let text = field.text().await.map_err(broken)?;
                if text.len() > 4096 {
                    return Err(Refused::Message(ctx.t("submissions.upload.broken")));
                }
                match name.as_str() {
                    "csrf" => form.csrf = text,
                    "name" => form.name = text.trim().to_owned(),
                    "provider" => form.provider = text.trim().to_owned(),
                    "op" => form.op = text,
                    _ => {}
                }
            }
        }
    }
    Ok(form)
}

fn refused_page(ctx: &Ctx, r: Refused) -> Response {
    match r {
        Refused::TooLarge => {
            let size = format!("{} MB", crate::submit::MAX_UPLOAD / (1024 * 1024));
            let msg = ctx.ta("submissions.upload.too_large", &[("size", &size)]);
            error_page(ctx, StatusCode::PAYLOAD_TOO_LARGE, &ctx.t("profiles.title"), &msg)
        }
        Refused::Message(m) => {
            error_page(ctx, StatusCode::UNPROCESSABLE_ENTITY, &ctx.t("profiles.title"), &m)
        }
        Refused::Failed(e) => ctx.internal(e),
    }
}

/// One mapped field of a test.
struct FieldResult {
    name: &'static str,
    codes: Vec<(String, u64)>,
    unmapped: Vec<(String, u64)>,
}

/// The coverage of a profile over a sample file.
struct Tested {
    rows: u64,
    rows_with_issues: u64,
    unused: Vec<String>,
    fields: Vec<FieldResult>,
}

/// A value of a sample shown back to the user, unless it looks like a personal identifier.
fn shown_value(value: &str) -> Option<String> {
    let personal =
        privacy::guard::scan_value(value).is_some() || privacy::guard::looks_like_personal_name(value);
    (!personal).then(|| value.to_owned())
}

/// `mosy profile check` over a sample: coverage, or a message naming the sample (never the
/// server's temporary path) and no value.
fn check_sample(profile: &Profile, path: &FsPath, shown_name: &str) -> std::result::Result<Tested, String> {
    let lists = model::Codelists::embedded();
    let hide = |m: String| m.replace(&path.display().to_string(), shown_name);
    let mut read = ingest::read::ReadOptions::standard();
    read.delimiter = profile.delimiter();
    let mut src = ingest::read::open(path, &read).map_err(|e| hide(e.to_string()))?;
    let headers = src.headers().to_vec();
    let mapper =
        ingest::profile::Mapper::new(profile, &headers, lists, false).map_err(|e| hide(e.to_string()))?;
    let mut coverage = ingest::profile::Coverage::new(&mapper);
    let mut out = Vec::new();
    let mut issues = Vec::new();
    while src.advance().map_err(|e| hide(e.to_string()))? {
        issues.clear();
        mapper.map_row(&|i| src.value(i), &mut out, &mut issues);
        coverage.add_row(&mapper, &|i| src.value(i), &out, &issues);
    }
    let fields = profile
        .columns()
        .into_iter()
        .map(|name| FieldResult {
            name,
            codes: coverage.code_counts(name).into_iter().map(|(c, n)| (c.to_owned(), n)).collect(),
            unmapped: coverage
                .unmapped_values(name)
                .into_iter()
                .map(|(v, n)| (shown_value(v).unwrap_or_default(), n))
                .collect(),
        })
        .filter(|f| !f.codes.is_empty() || !f.unmapped.is_empty())
        .collect();
    Ok(Tested {
        rows: coverage.rows(),
        rows_with_issues: coverage.rows_with_issues(),
        unused: coverage.unused_columns().to_vec(),
        fields,
    })
}

fn tested_html(ctx: &Ctx, sample: &str, t: &Tested) -> String {
    let catalog = i18n::Catalog::embedded();
    let n = |v: u64| catalog.format_int(ctx.lang, i64::try_from(v).unwrap_or(i64::MAX));
    let mut out = format!(
        r#"<section id="profile-test"><h2>{}</h2><p>{}</p><p>{}</p>"#,
        esc(&ctx.t("profiles.test.coverage")),
        esc(&ctx.ta("profiles.test.sample", &[("file", &sample)])),
        esc(&ctx.ta("profiles.test.rows", &[("rows", &n(t.rows)), ("issues", &n(t.rows_with_issues))])),
    );
    out.push_str(&format!("<h3>{}</h3>", esc(&ctx.t("profiles.test.unmapped"))));
    if t.unused.is_empty() {
        out.push_str(&format!("<p>{}</p>", esc(&ctx.t("profiles.test.unused_none"))));
    } else {
        out.push_str(r#"<ul class="unused-columns">"#);
        for c in &t.unused {
            out.push_str(&format!("<li><code>{}</code></li>", esc(c)));
        }
        out.push_str("</ul>");
    }
    out.push_str(&format!("<h3>{}</h3>", esc(&ctx.t("profiles.test.mapped"))));
    let head = ["profiles.test.field", "profiles.test.codes", "profiles.test.unmapped_values"]
        .map(|k| esc(&ctx.t(k)));
    let withheld = ctx.t("profiles.test.withheld");
    let rows: Vec<Vec<String>> = t
        .fields
        .iter()
        .map(|f| {
            let codes: Vec<String> =
                f.codes.iter().map(|(c, k)| format!("<code>{}</code> {}", esc(c), n(*k))).collect();
            let mut unmapped: Vec<String> = f
                .unmapped
                .iter()
                .take(SHOWN_VALUES)
                .map(|(v, k)| {
                    let value = if v.is_empty() {
                        format!("<em>{}</em>", esc(&withheld))
                    } else {
                        format!("<code class=\"unmapped\">{}</code>", esc(v))
                    };
                    format!("{value} {}", n(*k))
                })
                .collect();
            if f.unmapped.len() > SHOWN_VALUES {
                unmapped.push("…".to_owned());
            }
            vec![format!("<code>{}</code>", esc(f.name)), codes.join(", "), unmapped.join(", ")]
        })
        .collect();
    out.push_str(&table(&head, &rows, &[]));
    out.push_str("</section>");
    out
}

/// The result of a test or a save: `(status, notes HTML)`, or a response to return as it is.
async fn test_or_save(
    ctx: &Ctx,
    name: &str,
    owner: Option<&str>,
    form: &EditorForm,
) -> std::result::Result<(StatusCode, String, Option<u32>), Response> {
    let lists = model::Codelists::embedded();
    let profile = match Profile::parse(&form.toml, lists) {
        Ok(p) => p,
        Err(e) => {
            if form.op == "save" {
                ctx.audit("profile.save", &format!("profile:{name}"), Outcome::Failure, "invalid")
                    .await
                    .map_err(|e| ctx.internal(e))?;
            }
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, message(false, &problem_text(ctx, &e)), None));
        }
    };
    match form.op.as_str() {
        "test" => {
            let Some((path, shown)) = form.sample.clone() else {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    message(false, &ctx.t("profiles.test.no_file")),
                    None,
                ));
            };
            let shown2 = shown.clone();
            let result = tokio::task::spawn_blocking(move || check_sample(&profile, &path, &shown2))
                .await
                .map_err(|_| ctx.internal(Error::Join))?;
            ctx.audit("profile.test", &format!("profile:{name}"), Outcome::Success, "")
                .await
                .map_err(|e| ctx.internal(e))?;
            match result {
                Ok(t) => Ok((StatusCode::OK, tested_html(ctx, &shown, &t), None)),
                Err(m) => Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    message(false, &ctx.ta("profiles.test.failed", &[("problem", &m)])),
                    None,
                )),
            }
        }
        "save" => {
            let user = ctx.user.as_ref().map(|u| u.account.id.clone()).unwrap_or_default();
            let (key, own, text) = (name.to_owned(), owner.map(str::to_owned), form.toml.clone());
            let saved = ctx
                .state
                .with_store(move |s| {
                    match s.save_profile(&key, own.as_deref(), &text, &user, chrono::Utc::now()) {
                        Ok(v) => Ok(Some(v)),
                        Err(store::Error::ProfileOwner { .. }) => Ok(None),
                        Err(e) => Err(e.into()),
                    }
                })
                .await
                .map_err(|e| ctx.internal(e))?;
            let object = format!("profile:{name}");
            match saved {
                None => {
                    ctx.audit("profile.save", &object, Outcome::Failure, "owner")
                        .await
                        .map_err(|e| ctx.internal(e))?;
                    Ok((StatusCode::CONFLICT, message(false, &ctx.t("profiles.error.owner")), None))
                }
                Some(ProfileSave::Stored { version }) => {
                    ctx.audit("profile.save", &object, Outcome::Success, &format!("version={version}"))
                        .await
                        .map_err(|e| ctx.internal(e))?;
                    Ok((StatusCode::OK, String::new(), Some(version)))
                }
                Some(ProfileSave::Unchanged { version }) => {
                    ctx.audit(
                        "profile.save",
                        &object,
                        Outcome::Success,
                        &format!("unchanged version={version}"),
                    )
                    .await
                    .map_err(|e| ctx.internal(e))?;
                    Ok((
                        StatusCode::OK,
                        message(true, &ctx.ta("profiles.unchanged", &[("version", &version)])),
                        None,
                    ))
                }
            }
        }
        _ => {
            Err(error_page(ctx, StatusCode::BAD_REQUEST, &ctx.t("error.400.title"), &ctx.t("error.400.body")))
        }
    }
}

pub(crate) async fn profile_post(ctx: Ctx, Path(name): Path<String>, mp: Multipart) -> Page {
    if ctx.user.is_none() {
        return Err(ctx.deny(Action::ManageProfiles.code()).await);
    }
    let dir = tempfile::tempdir().map_err(|e| ctx.internal(e.into()))?;
    let form = read_editor(&ctx, mp, dir.path()).await.map_err(|r| refused_page(&ctx, r))?;
    if !ctx.csrf_ok(PROFILE_FORM, &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let key = name.clone();
    let latest =
        ctx.state.with_store(move |s| Ok(s.profile(&key, None)?)).await.map_err(|e| ctx.internal(e))?;
    let Some(latest) = latest else { return Err(not_found(ctx).await) };
    let owner = latest.provider_id.clone();
    if !may_manage(&ctx.role(), owner.as_deref()) {
        return Err(ctx.deny(Action::ManageProfiles.code()).await);
    }
    let (status, notes, saved) = test_or_save(&ctx, &name, owner.as_deref(), &form).await?;
    if let Some(version) = saved {
        return Ok(Redirect::to(&format!("/profiles/{name}?saved={version}")).into_response());
    }
    match profile_page(&ctx, &name, None, Some(&form.toml), &notes, status).await {
        Ok(Some(res)) => Ok(res),
        Ok(None) => Err(not_found(ctx).await),
        Err(e) => Err(ctx.internal(e)),
    }
}

/// The new-profile page again, with what was typed and why it was refused.
async fn refuse_new(ctx: &Ctx, form: &EditorForm, why: &str) -> Response {
    let notes = message(false, why);
    new_page(ctx, &form.name, &form.provider, &form.toml, &notes, StatusCode::UNPROCESSABLE_ENTITY)
        .await
        .unwrap_or_else(|e| ctx.internal(e))
}

pub(crate) async fn profile_create(ctx: Ctx, mp: Multipart) -> Page {
    if ctx.user.is_none() {
        return Err(ctx.deny(Action::ManageProfiles.code()).await);
    }
    let dir = tempfile::tempdir().map_err(|e| ctx.internal(e.into()))?;
    let form = read_editor(&ctx, mp, dir.path()).await.map_err(|r| refused_page(&ctx, r))?;
    if !ctx.csrf_ok(PROFILE_FORM, &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let owner = Some(form.provider.as_str()).filter(|p| !p.is_empty());
    if !may_manage(&ctx.role(), owner) {
        return Err(ctx.deny(Action::ManageProfiles.code()).await);
    }
    if !valid_name(&form.name) {
        return Err(refuse_new(&ctx, &form, &ctx.t("profiles.error.name")).await);
    }
    let known = provider_ids(&ctx).await.map_err(|e| ctx.internal(e))?;
    if owner.is_some_and(|p| !known.iter().any(|k| k == p)) {
        return Err(refuse_new(&ctx, &form, &ctx.t("submissions.upload.bad_provider")).await);
    }
    let key = form.name.clone();
    let exists = ctx
        .state
        .with_store(move |s| Ok(s.profile(&key, None)?.is_some()))
        .await
        .map_err(|e| ctx.internal(e))?;
    if exists {
        return Err(refuse_new(&ctx, &form, &ctx.t("profiles.error.exists")).await);
    }
    let (status, notes, saved) = test_or_save(&ctx, &form.name, owner, &form).await?;
    if let Some(version) = saved {
        return Ok(Redirect::to(&format!("/profiles/{}?saved={version}", form.name)).into_response());
    }
    new_page(&ctx, &form.name, &form.provider, &form.toml, &notes, status).await.map_err(|e| ctx.internal(e))
}

// ── Codelists ─────────────────────────────────────────────────────────────────────────────────

fn may_view_reference(ctx: &Ctx) -> bool {
    ctx.user.is_some() && ctx.allowed(Action::ViewReferenceData, Object::Hub)
}

pub(crate) async fn codelists(ctx: Ctx) -> Page {
    if !may_view_reference(&ctx) {
        return Err(ctx.deny(Action::ViewReferenceData.code()).await);
    }
    let lists = model::Codelists::embedded();
    let catalog = i18n::Catalog::embedded();
    let mut body = format!(
        "<p>{}</p><p>{}</p>",
        esc(&ctx.ta("codelists.bundle", &[("bundle", &lists.bundle()), ("version", &lists.version())])),
        esc(&ctx.t("codelists.note")),
    );
    let head = [
        "codelists.list",
        "codelists.list_title",
        "codelists.version",
        "codelists.agency",
        "codelists.codes_column",
    ]
    .map(|k| esc(&ctx.t(k)));
    let mut all: Vec<&model::codelists::CodeList> = lists.lists().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|l| {
            vec![
                format!(r#"<a href="/codelists/{0}">{0}</a>"#, esc(&l.id)),
                esc(&l.title),
                esc(&l.version),
                esc(&l.agency),
                catalog.format_int(ctx.lang, i64::try_from(l.entries().len()).unwrap_or(i64::MAX)),
            ]
        })
        .collect();
    body.push_str(&table(&head, &rows, &[4]));
    Ok(page(&ctx, StatusCode::OK, &ctx.t("codelists.title"), &body))
}

fn language_name(lang: &str) -> String {
    i18n::Catalog::embedded()
        .languages()
        .into_iter()
        .find(|l| l.lang.as_str() == lang)
        .map_or_else(|| lang.to_owned(), |l| l.name.to_owned())
}

pub(crate) async fn codelist(ctx: Ctx, Path(id): Path<String>) -> Page {
    if !may_view_reference(&ctx) {
        return Err(ctx.deny(Action::ViewReferenceData.code()).await);
    }
    let Some(list) = model::Codelists::embedded().get(&id) else { return Err(not_found(ctx).await) };
    let catalog = i18n::Catalog::embedded();
    let mut body = format!(
        "<p>{} · {}: {} · {}: {} · {}</p><p>{}</p>",
        esc(&list.title),
        esc(&ctx.t("codelists.version")),
        esc(&list.version),
        esc(&ctx.t("codelists.agency")),
        esc(&list.agency),
        esc(&catalog.plural(
            ctx.lang,
            "codelists.codes",
            i64::try_from(list.entries().len()).unwrap_or(0),
            &[]
        )),
        esc(&ctx.t("codelists.note")),
    );
    let head = [
        esc(&ctx.t("codelists.code")),
        esc(&ctx.ta("codelists.label", &[("language", &language_name("en"))])),
        esc(&ctx.ta("codelists.label", &[("language", &language_name("pt"))])),
        esc(&ctx.t("codelists.source")),
    ];
    let rows: Vec<Vec<String>> = list
        .entries()
        .iter()
        .map(|e| {
            vec![
                format!("<code>{}</code>", esc(&e.code)),
                format!(r#"<span lang="en">{}</span>"#, esc(&e.label_en)),
                e.label_pt
                    .as_deref()
                    .map_or_else(String::new, |l| format!(r#"<span lang="pt">{}</span>"#, esc(l))),
                esc(&e.source),
            ]
        })
        .collect();
    body.push_str(&table(&head, &rows, &[]));
    body.push_str(&format!(r#"<p><a href="/codelists">{}</a></p>"#, esc(&ctx.t("action.back"))));
    let title = format!("{} · {}", ctx.t("codelists.title"), list.id);
    Ok(page(&ctx, StatusCode::OK, &title, &body))
}

// ── Provider register: editing ────────────────────────────────────────────────────────────────

fn may_manage_providers(ctx: &Ctx) -> bool {
    ctx.user.is_some() && ctx.allowed(Action::ManageProviders, Object::Hub)
}

async fn provider_of(ctx: &Ctx, id: &str) -> Result<Option<model::DataProvider>> {
    let id = id.to_owned();
    ctx.state
        .with_store(move |s| {
            Ok(s.providers(model::Codelists::embedded())?.into_iter().find(|p| p.id.as_str() == id))
        })
        .await
}

fn provider_form_html(ctx: &Ctx, p: &model::DataProvider) -> String {
    let lists = model::Codelists::embedded();
    let lang = if ctx.lang.as_str() == "pt" { model::Lang::Pt } else { model::Lang::En };
    let types: String = model::codes::ProviderType::ALL
        .iter()
        .map(|t| {
            let selected = if *t == p.provider_type { " selected" } else { "" };
            let label = lists.label("provider_type", t.code(), lang).unwrap_or(t.code());
            format!(r#"<option value="{}"{selected}>{}</option>"#, t.code(), esc(label))
        })
        .collect();
    let submits: String = model::codes::RecordType::ALL
        .iter()
        .map(|t| {
            let checked = if p.submits.contains(t) { " checked" } else { "" };
            let label = lists.label("record_type", t.code(), lang).unwrap_or(t.code());
            format!(
                r#"<label><input type="checkbox" name="submits" value="{code}"{checked}> {label}</label>"#,
                code = t.code(),
                label = esc(label)
            )
        })
        .collect();
    let formal = if p.can_formally_identify { " checked" } else { "" };
    format!(
        r#"<form method="post" action="/providers/{id}">{csrf}<label for="name">{name_l}</label><input id="name" name="name" value="{name}" maxlength="200" required><label for="provider_type">{type_l}</label><select id="provider_type" name="provider_type">{types}</select><label for="country">{country_l}</label><input id="country" name="country" value="{country}" maxlength="8" required><label for="nuts">{nuts_l}</label><input id="nuts" name="nuts" value="{nuts}" maxlength="8"><fieldset><legend>{submits_l}</legend>{submits}</fieldset><label><input type="checkbox" name="formal" value="on"{formal}> {formal_l}</label><label for="valid_from">{from_l}</label><input id="valid_from" name="valid_from" type="date" value="{from}" required><label for="valid_to">{to_l}</label><input id="valid_to" name="valid_to" type="date" value="{to}"><p><button type="submit">{save}</button></p></form><p><a href="/providers">{back}</a></p>"#,
        id = esc(p.id.as_str()),
        csrf = csrf_field(ctx, PROVIDER_FORM),
        name_l = esc(&ctx.t("providers.name")),
        name = esc(&p.name),
        type_l = esc(&ctx.t("providers.type")),
        country_l = esc(&ctx.t("providers.country")),
        country = esc(p.country.as_str()),
        nuts_l = esc(&ctx.t("providers.nuts")),
        nuts = esc(p.nuts.as_ref().map_or("", |n| n.as_str())),
        submits_l = esc(&ctx.t("providers.submits")),
        formal_l = esc(&ctx.t("providers.formal")),
        from_l = esc(&ctx.t("providers.valid_from")),
        from = p.valid_from.format("%Y-%m-%d"),
        to_l = esc(&ctx.t("providers.valid_to")),
        to = p.valid_to.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        save = esc(&ctx.t("action.save")),
        back = esc(&ctx.t("action.back")),
    )
}

fn provider_page(ctx: &Ctx, p: &model::DataProvider, status: StatusCode, notes: &str) -> Response {
    let title = ctx.ta("providers.edit_title", &[("id", &p.id.as_str())]);
    let body = format!("{notes}{}", provider_form_html(ctx, p));
    page(ctx, status, &title, &body)
}

pub(crate) async fn provider_edit_form(ctx: Ctx, Path(id): Path<String>) -> Page {
    if !may_manage_providers(&ctx) {
        return Err(ctx.deny(Action::ManageProviders.code()).await);
    }
    match provider_of(&ctx, &id).await.map_err(|e| ctx.internal(e))? {
        Some(p) => Ok(provider_page(&ctx, &p, StatusCode::OK, "")),
        None => Err(not_found(ctx).await),
    }
}

/// The edited provider, or the key of what is wrong with the form.
fn edited_provider(
    current: &model::DataProvider,
    fields: &[(String, String)],
) -> std::result::Result<model::DataProvider, &'static str> {
    let lists = model::Codelists::embedded();
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.trim());
    let name = get("name");
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err("providers.error.name");
    }
    let provider_type =
        model::codes::ProviderType::from_code(get("provider_type")).ok_or("providers.error.type")?;
    let country = model::Code::parse(get("country"), lists).ok_or("providers.error.country")?;
    let nuts = match get("nuts") {
        "" => None,
        n => Some(model::Code::parse(n, lists).ok_or("providers.error.nuts")?),
    };
    let mut submits = std::collections::BTreeSet::new();
    for (_, v) in fields.iter().filter(|(n, _)| n == "submits") {
        submits.insert(model::codes::RecordType::from_code(v).ok_or("providers.error.submits")?);
    }
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let valid_from = date(get("valid_from")).ok_or("providers.error.dates")?;
    let valid_to = match get("valid_to") {
        "" => None,
        s => Some(date(s).ok_or("providers.error.dates")?),
    };
    if valid_to.is_some_and(|t| t < valid_from) {
        return Err("providers.error.dates");
    }
    Ok(model::DataProvider {
        id: current.id.clone(),
        name: name.to_owned(),
        provider_type,
        country,
        nuts,
        can_formally_identify: get("formal") == "on",
        submits,
        valid_from,
        valid_to,
    })
}

/// The names of the attributes that differ (for the audit log; never their values).
fn changed(a: &model::DataProvider, b: &model::DataProvider) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |same: bool, name| {
        if !same {
            out.push(name);
        }
    };
    check(a.name == b.name, "name");
    check(a.provider_type == b.provider_type, "type");
    check(a.country == b.country, "country");
    check(a.nuts == b.nuts, "nuts");
    check(a.can_formally_identify == b.can_formally_identify, "formal");
    check(a.submits == b.submits, "submits");
    check(a.valid_from == b.valid_from, "valid_from");
    check(a.valid_to == b.valid_to, "valid_to");
    out
}

pub(crate) async fn provider_update(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Page {
    if !may_manage_providers(&ctx) {
        return Err(ctx.deny(Action::ManageProviders.code()).await);
    }
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
    if !ctx.csrf_ok(PROVIDER_FORM, csrf) {
        return Err(csrf_refused(&ctx));
    }
    let Some(current) = provider_of(&ctx, &id).await.map_err(|e| ctx.internal(e))? else {
        return Err(not_found(ctx).await);
    };
    let object = format!("provider:{}", current.id.as_str());
    let edited = match edited_provider(&current, &fields) {
        Ok(p) => p,
        Err(key) => {
            ctx.audit("provider.update", &object, Outcome::Failure, "invalid")
                .await
                .map_err(|e| ctx.internal(e))?;
            let note = message(false, &ctx.ta("providers.error.save", &[("reason", &ctx.t(key))]));
            return Err(provider_page(&ctx, &current, StatusCode::UNPROCESSABLE_ENTITY, &note));
        }
    };
    let diff = changed(&current, &edited);
    let stored = edited.clone();
    let found =
        ctx.state.with_store(move |s| Ok(s.update_provider(&stored)?)).await.map_err(|e| ctx.internal(e))?;
    if !found {
        return Err(not_found(ctx).await);
    }
    let detail = format!("changed={}", diff.join(","));
    ctx.audit("provider.update", &object, Outcome::Success, &detail).await.map_err(|e| ctx.internal(e))?;
    Ok(provider_page(&ctx, &edited, StatusCode::OK, &message(true, &ctx.t("providers.saved"))))
}

/// The edit link of a provider row on the register page, when the user may edit providers.
pub(crate) fn provider_edit_link(ctx: &Ctx, id: &ProviderId) -> Option<String> {
    may_manage_providers(ctx)
        .then(|| format!(r#"<a href="/providers/{0}">{1}</a>"#, esc(id.as_str()), esc(&ctx.t("action.edit"))))
}

// ── JSON API ──────────────────────────────────────────────────────────────────────────────────

fn api_error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

async fn api_denied(ctx: &Ctx, action: Action) -> Response {
    if ctx.user.is_none() {
        return api_error(StatusCode::UNAUTHORIZED, "log in first");
    }
    if let Err(e) = ctx.audit(action.code(), "api", Outcome::Denied, "").await {
        return crate::api::internal(ctx, e);
    }
    api_error(StatusCode::FORBIDDEN, "not allowed for this role")
}

fn row_json(p: &ProfileRow) -> Value {
    json!({
        "name": p.name,
        "version": p.version,
        "provider": p.provider_id,
        "created_at": p.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "created_by": p.created_by,
    })
}

pub(crate) async fn api_profiles(ctx: Ctx) -> Page {
    let role = ctx.role();
    if ctx.user.is_none() || !may_list(&role) {
        return Err(api_denied(&ctx, Action::ViewProfiles).await);
    }
    let rows = visible_profiles(&ctx, &role).await.map_err(|e| crate::api::internal(&ctx, e))?;
    Ok(Json(rows.iter().map(row_json).collect::<Vec<_>>()).into_response())
}

pub(crate) async fn api_profile(ctx: Ctx, Path(name): Path<String>, Query(q): Query<VersionQuery>) -> Page {
    if ctx.user.is_none() {
        return Err(api_denied(&ctx, Action::ViewProfiles).await);
    }
    let key = name.clone();
    let history = ctx
        .state
        .with_store(move |s| Ok(s.profile_history(&key)?))
        .await
        .map_err(|e| crate::api::internal(&ctx, e))?;
    let Some(latest) = history.last() else {
        return Err(api_error(StatusCode::NOT_FOUND, "no such profile"));
    };
    if !may_view(&ctx.role(), latest.provider_id.as_deref()) {
        return Err(api_denied(&ctx, Action::ViewProfiles).await);
    }
    let shown = match q.version.as_deref().filter(|v| !v.is_empty()) {
        None => latest,
        Some(v) => match history.iter().find(|p| v.parse() == Ok(p.version)) {
            Some(p) => p,
            None => return Err(api_error(StatusCode::NOT_FOUND, "no such version")),
        },
    };
    let mut out = row_json(shown);
    out["toml"] = json!(shown.toml);
    out["latest"] = json!(latest.version);
    out["history"] = json!(history.iter().map(row_json).collect::<Vec<_>>());
    Ok(Json(out).into_response())
}

/// The body of `POST /api/profiles/{name}`.
#[derive(Deserialize)]
pub(crate) struct ProfileBody {
    toml: String,
    /// The owner of a new profile (absent or empty: shared); ignored for an existing one.
    #[serde(default)]
    provider: Option<String>,
}

pub(crate) async fn api_profile_save(
    ctx: Ctx,
    Path(name): Path<String>,
    headers: HeaderMap,
    Json(body): Json<ProfileBody>,
) -> Page {
    if ctx.user.is_none() {
        return Err(api_denied(&ctx, Action::ManageProfiles).await);
    }
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ctx.csrf_ok("api", token) {
        return Err(api_error(StatusCode::FORBIDDEN, "missing or wrong X-CSRF-Token"));
    }
    if body.toml.len() > MAX_PROFILE {
        return Err(api_error(StatusCode::PAYLOAD_TOO_LARGE, "profile too large"));
    }
    let key = name.clone();
    let latest = ctx
        .state
        .with_store(move |s| Ok(s.profile(&key, None)?))
        .await
        .map_err(|e| crate::api::internal(&ctx, e))?;
    let owner = match &latest {
        Some(l) => l.provider_id.clone(),
        None => body.provider.clone().filter(|p| !p.trim().is_empty()),
    };
    if !may_manage(&ctx.role(), owner.as_deref()) {
        return Err(api_denied(&ctx, Action::ManageProfiles).await);
    }
    if latest.is_none() {
        if !valid_name(&name) {
            return Err(api_error(StatusCode::UNPROCESSABLE_ENTITY, &ctx.t("profiles.error.name")));
        }
        let known = provider_ids(&ctx).await.map_err(|e| crate::api::internal(&ctx, e))?;
        if owner.as_deref().is_some_and(|p| !known.iter().any(|k| k == p)) {
            return Err(api_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx.t("submissions.upload.bad_provider"),
            ));
        }
    }
    let object = format!("profile:{name}");
    let text = body.toml.replace("\r\n", "\n");
    if let Err(e) = Profile::parse(&text, model::Codelists::embedded()) {
        ctx.audit("profile.save", &object, Outcome::Failure, "invalid")
            .await
            .map_err(|e| crate::api::internal(&ctx, e))?;
        let mut out = json!({"error": problem_text(&ctx, &e)});
        if let ProfileError::Syntax { line, column, .. } = e {
            out["line"] = json!(line);
            out["column"] = json!(column);
        }
        return Err((StatusCode::UNPROCESSABLE_ENTITY, Json(out)).into_response());
    }
    let user = ctx.user.as_ref().map(|u| u.account.id.clone()).unwrap_or_default();
    let key = name.clone();
    let saved = ctx
        .state
        .with_store(move |s| match s.save_profile(&key, owner.as_deref(), &text, &user, chrono::Utc::now()) {
            Ok(v) => Ok(Some(v)),
            Err(store::Error::ProfileOwner { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        })
        .await
        .map_err(|e| crate::api::internal(&ctx, e))?;
    let Some(saved) = saved else {
        ctx.audit("profile.save", &object, Outcome::Failure, "owner")
            .await
            .map_err(|e| crate::api::internal(&ctx, e))?;
        return Err(api_error(StatusCode::CONFLICT, &ctx.t("profiles.error.owner")));
    };
    let stored = matches!(saved, ProfileSave::Stored { .. });
    let detail = if stored {
        format!("version={}", saved.version())
    } else {
        format!("unchanged version={}", saved.version())
    };
    ctx.audit("profile.save", &object, Outcome::Success, &detail)
        .await
        .map_err(|e| crate::api::internal(&ctx, e))?;
    Ok(Json(json!({"name": name, "version": saved.version(), "stored": stored})).into_response())
}

pub(crate) async fn api_codelists(ctx: Ctx) -> Page {
    if !may_view_reference(&ctx) {
        return Err(api_denied(&ctx, Action::ViewReferenceData).await);
    }
    let lists = model::Codelists::embedded();
    let mut all: Vec<&model::codelists::CodeList> = lists.lists().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    let items: Vec<Value> = all
        .iter()
        .map(|l| json!({"id": l.id, "version": l.version, "title": l.title, "agency": l.agency, "codes": l.entries().len()}))
        .collect();
    Ok(Json(json!({"bundle": lists.bundle(), "version": lists.version(), "lists": items})).into_response())
}

pub(crate) async fn api_codelist(ctx: Ctx, Path(id): Path<String>) -> Page {
    if !may_view_reference(&ctx) {
        return Err(api_denied(&ctx, Action::ViewReferenceData).await);
    }
    let Some(l) = model::Codelists::embedded().get(&id) else {
        return Err(api_error(StatusCode::NOT_FOUND, "no such codelist"));
    };
    let codes: Vec<Value> = l
        .entries()
        .iter()
        .map(|e| json!({"code": e.code, "label_en": e.label_en, "label_pt": e.label_pt, "source": e.source}))
        .collect();
    Ok(Json(json!({"id": l.id, "version": l.version, "title": l.title, "agency": l.agency, "codes": codes}))
        .into_response())
}
