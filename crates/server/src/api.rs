//! The JSON API. [`ROUTES`] is the one table of its endpoints: the router is built from it and so is
//! the OpenAPI 3 document at `/api/openapi.json` ([`openapi`]), so the two cannot drift apart.
//!
//! Authentication is the session cookie; a `POST` also needs the header `X-CSRF-Token` with the
//! token given by `GET /api/me`. Machine uploads (an API token) and national releases pushed to an
//! EU hub (a hub token) authenticate with `Authorization: Bearer` instead and need no CSRF token.

use auth::{Action, Object};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::ctx::Ctx;
use crate::pages;

/// One endpoint of the API.
pub struct ApiRoute {
    /// HTTP method (lower case, as in OpenAPI).
    pub method: &'static str,
    /// Path with `{name}` parameters.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// Grouping tag.
    pub tag: &'static str,
    /// Whether a logged-in session is needed.
    pub login: bool,
    /// Query parameters (all optional strings).
    pub query: &'static [&'static str],
    /// Whether it takes a JSON body.
    pub body: bool,
    /// Whether it takes a multipart upload (and accepts an API token).
    pub multipart: bool,
    /// Media type of the success response.
    pub produces: &'static str,
    /// The handler.
    pub handler: fn() -> MethodRouter<AppState>,
}

/// Every endpoint of the API.
pub const ROUTES: &[ApiRoute] = &[
    ApiRoute {
        method: "get",
        path: "/api/openapi.json",
        summary: "This OpenAPI document",
        tag: "meta",
        login: false,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(openapi_handler),
    },
    ApiRoute {
        method: "get",
        path: "/api/me",
        summary: "The current user, role and the CSRF token for API POSTs",
        tag: "account",
        login: false,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(me),
    },
    ApiRoute {
        method: "get",
        path: "/api/dashboard",
        summary: "Key figures of the last year and submission status per provider",
        tag: "dashboard",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(dashboard),
    },
    ApiRoute {
        method: "get",
        path: "/api/submissions",
        summary: "Submissions the user may see, optionally of one provider",
        tag: "submissions",
        login: true,
        query: &["provider"],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(submissions),
    },
    ApiRoute {
        method: "post",
        path: "/api/submissions",
        summary: "Upload a submission file (multipart: file, provider, profile, profile_file, policy); with the session and X-CSRF-Token, or an API token (Authorization: Bearer mosy_…)",
        tag: "submissions",
        login: true,
        query: &[],
        body: false,
        multipart: true,
        produces: "application/json",
        handler: || post(crate::submit::api_upload).layer(axum::extract::DefaultBodyLimit::disable()),
    },
    ApiRoute {
        method: "get",
        path: "/api/submissions/{id}",
        summary: "One submission and its history",
        tag: "submissions",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(submission),
    },
    ApiRoute {
        method: "post",
        path: "/api/reports",
        summary: "Run a report (same fields as the report builder form); returns the report in the chosen format",
        tag: "reports",
        login: true,
        query: &[],
        body: true,
        multipart: false,
        produces: "application/octet-stream",
        handler: || post(report),
    },
    ApiRoute {
        method: "get",
        path: "/api/releases",
        summary: "Published releases the user (or the public) may see",
        tag: "releases",
        login: false,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(releases),
    },
    ApiRoute {
        method: "post",
        path: "/api/releases",
        summary: "Make a draft release of the key indicators: body {\"period\": \"2024\", \"audience\": \"public\"|\"eu\"} (hub staff)",
        tag: "releases",
        login: true,
        query: &[],
        body: true,
        multipart: false,
        produces: "application/json",
        handler: || post(release_create),
    },
    ApiRoute {
        method: "post",
        path: "/api/releases/{id}/publish",
        summary: "Publish a draft release (hub staff); 409 when a release was published after the draft was made",
        tag: "releases",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || post(release_publish),
    },
    ApiRoute {
        method: "get",
        path: "/api/users",
        summary: "User accounts (hub admin; never password hashes or second-factor secrets)",
        tag: "admin",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(users),
    },
    ApiRoute {
        method: "get",
        path: "/api/tokens",
        summary: "Issued API tokens (hub admin; the start of their hash, never the secret)",
        tag: "admin",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(tokens),
    },
    ApiRoute {
        method: "get",
        path: "/api/releases/{id}/sdmx.csv",
        summary: "A release as SDMX-CSV",
        tag: "releases",
        login: false,
        query: &[],
        body: false,
        multipart: false,
        produces: "text/csv",
        handler: || get(release_download),
    },
    ApiRoute {
        method: "get",
        path: "/api/audit",
        summary: "The audit log and the verification of its chain (hub admin)",
        tag: "audit",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(audit),
    },
    ApiRoute {
        method: "get",
        path: "/api/profiles",
        summary: "The latest version of every mapping profile the user may read (a provider user: its own and the shared ones)",
        tag: "profiles",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(crate::catalog::api_profiles),
    },
    ApiRoute {
        method: "get",
        path: "/api/profiles/{name}",
        summary: "A mapping profile (its TOML, latest or `version`) and its version history",
        tag: "profiles",
        login: true,
        query: &["version"],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(crate::catalog::api_profile),
    },
    ApiRoute {
        method: "post",
        path: "/api/profiles/{name}",
        summary: "Save a mapping profile as its next version (JSON {\"toml\": …, \"provider\": owner of a new profile}); an invalid profile is refused with its line and column",
        tag: "profiles",
        login: true,
        query: &[],
        body: true,
        multipart: false,
        produces: "application/json",
        handler: || post(crate::catalog::api_profile_save),
    },
    ApiRoute {
        method: "get",
        path: "/api/codelists",
        summary: "The codelist bundle: every list with its version and number of codes",
        tag: "codelists",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(crate::catalog::api_codelists),
    },
    ApiRoute {
        method: "get",
        path: "/api/codelists/{id}",
        summary: "One codelist with its codes and their English and Portuguese labels",
        tag: "codelists",
        login: true,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(crate::catalog::api_codelist),
    },
    ApiRoute {
        method: "post",
        path: "/api/eu/releases",
        summary: "EU hub: receive a published national release (body: its SDMX-CSV 2.0; headers X-Mosy-Release, X-Mosy-Period, X-Mosy-Country; Authorization: Bearer <hub token>); 201 with the revision stored, 422 with the problems (row, column, rule)",
        tag: "eu",
        login: false,
        query: &[],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || {
            post(crate::eu::api_receive)
                .layer(axum::extract::DefaultBodyLimit::max(crate::eu::MAX_RELEASE_BYTES))
        },
    },
    ApiRoute {
        method: "get",
        path: "/api/eu/totals",
        summary: "EU hub: per-country values and EU totals of a period (and indicator), each total with the countries contributing, withheld and missing (EU viewers, hub staff)",
        tag: "eu",
        login: true,
        query: &["period", "indicator"],
        body: false,
        multipart: false,
        produces: "application/json",
        handler: || get(crate::eu::api_totals),
    },
];

/// The schema of the JSON body of a route.
fn body_schema(path: &str) -> &'static str {
    if path.starts_with("/api/profiles/") { "ProfileSave" } else { "ReportRequest" }
}

/// The OpenAPI 3.0 document of [`ROUTES`].
pub fn openapi() -> Value {
    let mut paths = serde_json::Map::new();
    for r in ROUTES {
        let mut params: Vec<Value> = Vec::new();
        let mut rest = r.path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else { break };
            let name = &rest[start + 1..start + end];
            params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            rest = &rest[start + end + 1..];
        }
        for q in r.query {
            params.push(json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}));
        }
        let mut responses = serde_json::Map::new();
        responses.insert("200".into(), json!({"description": "OK", "content": {r.produces: {}}}));
        if r.login {
            responses.insert("401".into(), json!({"description": "Not logged in"}));
            responses.insert("403".into(), json!({"description": "Not allowed for this role"}));
        }
        let mut op = json!({
            "operationId": format!("{}{}", r.method, r.path.replace(['/', '{', '}', '.'], "_")),
            "summary": r.summary,
            "tags": [r.tag],
            "parameters": params,
            "responses": responses,
        });
        if r.login {
            op["security"] = json!([{"session": []}]);
        }
        if r.body {
            let schema = format!("#/components/schemas/{}", body_schema(r.path));
            op["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": {"$ref": schema}}}});
            if let Some(p) = op["parameters"].as_array_mut() {
                p.push(json!({"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}));
            }
        }
        if r.multipart {
            let fields: serde_json::Map<String, Value> = ["provider", "profile", "policy"]
                .iter()
                .map(|f| ((*f).to_string(), json!({"type": "string"})))
                .chain(
                    ["file", "profile_file"]
                        .iter()
                        .map(|f| ((*f).to_string(), json!({"type": "string", "format": "binary"}))),
                )
                .collect();
            op["requestBody"] = json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": fields}}}});
            op["security"] = json!([{"session": []}, {"token": []}]);
            if let Some(p) = op["parameters"].as_array_mut() {
                p.push(json!({"name": "X-CSRF-Token", "in": "header", "required": false, "schema": {"type": "string"}}));
            }
        }
        if r.path == "/api/eu/releases" {
            op["requestBody"] =
                json!({"required": true, "content": {"text/csv": {"schema": {"type": "string"}}}});
            op["security"] = json!([{"token": []}]);
            if let Some(p) = op["parameters"].as_array_mut() {
                for h in ["X-Mosy-Release", "X-Mosy-Period", "X-Mosy-Country"] {
                    p.push(
                        json!({"name": h, "in": "header", "required": true, "schema": {"type": "string"}}),
                    );
                }
            }
        }
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    let fields = [
        "kind",
        "measure",
        "dim1",
        "dim2",
        "dim3",
        "granularity",
        "level",
        "origin",
        "period",
        "audience",
        "lang",
        "format",
    ];
    let props: serde_json::Map<String, Value> =
        fields.iter().map(|f| ((*f).to_string(), json!({"type": "string"}))).collect();
    json!({
        "openapi": "3.0.3",
        "info": {"title": "mosy hub API", "version": env!("CARGO_PKG_VERSION")},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "mosy_session"},
                "token": {"type": "http", "scheme": "bearer", "bearerFormat": "mosy_…"}
            },
            "schemas": {
                "ReportRequest": {"type": "object", "required": ["kind"], "properties": props},
                "ProfileSave": {"type": "object", "required": ["toml"], "properties": {
                    "toml": {"type": "string"}, "provider": {"type": "string"}
                }}
            }
        }
    })
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

pub(crate) fn internal(ctx: &Ctx, e: crate::Error) -> Response {
    let mut res = ctx.internal(e);
    *res.body_mut() = axum::body::Body::from(r#"{"error":"internal error"}"#);
    res.headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/json"));
    res
}

async fn denied(ctx: &Ctx, action: &str) -> Response {
    if ctx.user.is_none() {
        return error(StatusCode::UNAUTHORIZED, "log in first");
    }
    if let Err(e) = ctx.audit(action, "api", auth::Outcome::Denied, "").await {
        return internal(ctx, e);
    }
    error(StatusCode::FORBIDDEN, "not allowed for this role")
}

type Answer = Result<Response, Response>;

async fn openapi_handler() -> Json<Value> {
    Json(openapi())
}

async fn me(ctx: Ctx) -> Json<Value> {
    Json(match &ctx.user {
        Some(u) => json!({
            "id": u.account.id,
            "role": u.role.code(),
            "provider": u.role.provider(),
            "lang": ctx.lang.as_str(),
            "csrf": ctx.csrf("api"),
        }),
        None => json!({"id": null, "role": "public", "provider": null, "lang": ctx.lang.as_str()}),
    })
}

async fn dashboard(ctx: Ctx) -> Answer {
    let role = ctx.role();
    if ctx.user.is_none() || !ctx.allowed(Action::ViewDashboard, pages::scope(&role)) {
        return Err(denied(&ctx, Action::ViewDashboard.code()).await);
    }
    let d = pages::dashboard_data(&ctx).await.map_err(|e| internal(&ctx, e))?;
    Ok(Json(d).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    provider: Option<String>,
}

async fn submissions(ctx: Ctx, Query(q): Query<ListQuery>) -> Answer {
    match pages::submissions_data(&ctx, q.provider).await.map_err(|e| internal(&ctx, e))? {
        Some(list) => Ok(Json(list).into_response()),
        None => Err(denied(&ctx, Action::ViewSubmissions.code()).await),
    }
}

async fn submission(ctx: Ctx, Path(id): Path<String>) -> Answer {
    if ctx.user.is_none() {
        return Err(denied(&ctx, Action::ViewSubmissions.code()).await);
    }
    match pages::submission_data(&ctx, &id).await.map_err(|e| internal(&ctx, e))? {
        Ok(Some((s, events))) => {
            let events: Vec<Value> =
                events.iter().map(|(at, st, note)| json!({"at": at, "status": st, "note": note})).collect();
            Ok(Json(json!({"submission": s, "events": events})).into_response())
        }
        Ok(None) => Err(error(StatusCode::NOT_FOUND, "no such submission")),
        Err(()) => Err(denied(&ctx, Action::ViewSubmissions.code()).await),
    }
}

async fn report(ctx: Ctx, headers: HeaderMap, Json(form): Json<pages::ReportForm>) -> Answer {
    if ctx.user.is_none() {
        return Err(denied(&ctx, "report.run").await);
    }
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ctx.csrf_ok("api", token) {
        return Err(error(StatusCode::FORBIDDEN, "missing or wrong X-CSRF-Token"));
    }
    let (spec, format) = match pages::spec_of(&ctx.role(), &form) {
        Ok(v) => v,
        Err(pages::SpecError::Denied) => return Err(denied(&ctx, "report.run").await),
        Err(pages::SpecError::Invalid(m)) => return Err(error(StatusCode::BAD_REQUEST, &m)),
    };
    match pages::run_report(&ctx, spec, format).await.map_err(|e| internal(&ctx, e))? {
        Ok(ran) => Ok(pages::report_response(ran)),
        Err(m) => Err(error(StatusCode::BAD_REQUEST, &m)),
    }
}

async fn releases(ctx: Ctx) -> Answer {
    let list = pages::releases_data(&ctx).await.map_err(|e| internal(&ctx, e))?;
    Ok(Json(list).into_response())
}

async fn release_download(ctx: Ctx, Path(id): Path<String>) -> Answer {
    match pages::release_file(&ctx, id.clone()).await.map_err(|e| internal(&ctx, e))? {
        Ok(Some(body)) => Ok(pages::csv_download(&id, body)),
        Ok(None) => Err(error(StatusCode::NOT_FOUND, "no such release")),
        Err(()) => Err(denied(&ctx, Action::ViewRelease.code()).await),
    }
}

fn api_csrf_ok(ctx: &Ctx, headers: &HeaderMap) -> bool {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
    ctx.csrf_ok("api", token)
}

/// The body making a draft release.
#[derive(Deserialize)]
struct NewRelease {
    #[serde(default)]
    period: String,
    #[serde(default)]
    audience: String,
}

async fn release_create(ctx: Ctx, headers: HeaderMap, Json(body): Json<NewRelease>) -> Answer {
    if !ctx.allowed(Action::CreateRelease, Object::Hub) {
        return Err(denied(&ctx, Action::CreateRelease.code()).await);
    }
    if !api_csrf_ok(&ctx, &headers) {
        return Err(error(StatusCode::FORBIDDEN, "missing or wrong X-CSRF-Token"));
    }
    match crate::releases::make_draft(&ctx, &body.period, &body.audience)
        .await
        .map_err(|e| internal(&ctx, e))?
    {
        Ok(id) => {
            ctx.audit(Action::CreateRelease.code(), &format!("release:{id}"), auth::Outcome::Success, "")
                .await
                .map_err(|e| internal(&ctx, e))?;
            Ok((StatusCode::CREATED, Json(json!({"id": id, "status": "draft"}))).into_response())
        }
        Err(m) => Err(error(StatusCode::BAD_REQUEST, &m)),
    }
}

async fn release_publish(ctx: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Answer {
    if !ctx.allowed(Action::PublishRelease, Object::Hub) {
        return Err(denied(&ctx, Action::PublishRelease.code()).await);
    }
    if !api_csrf_ok(&ctx, &headers) {
        return Err(error(StatusCode::FORBIDDEN, "missing or wrong X-CSRF-Token"));
    }
    match crate::releases::decide(&ctx, &id, true).await.map_err(|e| internal(&ctx, e))? {
        Ok(()) => Ok(Json(json!({"id": id, "status": "published"})).into_response()),
        Err(m) => Err(error(StatusCode::CONFLICT, &m)),
    }
}

async fn users(ctx: Ctx) -> Answer {
    if !ctx.allowed(Action::ManageUsers, Object::Hub) {
        return Err(denied(&ctx, Action::ManageUsers.code()).await);
    }
    let accounts = ctx.state.with_store(|s| Ok(s.accounts()?)).await.map_err(|e| internal(&ctx, e))?;
    let list: Vec<Value> = accounts
        .iter()
        .map(|a| {
            json!({"id": a.id, "name": a.display_name, "role": a.role, "provider": a.provider_id,
                   "second_factor": a.totp_secret.is_some(), "disabled": a.disabled, "lang": a.lang})
        })
        .collect();
    Ok(Json(list).into_response())
}

async fn tokens(ctx: Ctx) -> Answer {
    if !ctx.allowed(Action::ManageApiTokens, Object::Provider("*")) {
        return Err(denied(&ctx, Action::ManageApiTokens.code()).await);
    }
    let issued = ctx.state.with_store(|s| Ok(s.api_tokens()?)).await.map_err(|e| internal(&ctx, e))?;
    let list: Vec<Value> = issued
        .iter()
        .map(|t| {
            json!({"id": t.token_hash.chars().take(8).collect::<String>(), "account": t.account_id,
                   "label": t.label, "created_at": t.created_at, "expires_at": t.expires_at})
        })
        .collect();
    Ok(Json(list).into_response())
}

async fn audit(ctx: Ctx) -> Answer {
    if !ctx.allowed(Action::ViewAuditLog, Object::Hub) || !ctx.allowed(Action::VerifyAuditLog, Object::Hub) {
        return Err(denied(&ctx, Action::ViewAuditLog.code()).await);
    }
    let checked = ctx.state.with_store(crate::audit_log::check).await.map_err(|e| internal(&ctx, e))?;
    let events: Vec<Value> = checked
        .rows
        .iter()
        .map(|r| {
            json!({"seq": r.seq, "at": r.at, "actor": r.actor, "action": r.action, "object": r.object,
                   "source": r.source, "outcome": r.outcome, "detail": r.detail, "hash": r.hash})
        })
        .collect();
    let verdict = match &checked.verdict {
        Ok(()) => json!({"intact": true}),
        Err(e) => {
            json!({"intact": false, "first_broken": crate::audit_log::broken_seq(e), "problem": e.to_string()})
        }
    };
    Ok(Json(json!({"verification": verdict, "events": events})).into_response())
}
