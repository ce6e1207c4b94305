//! The EU level of the web application (`mosy serve --level eu`).
//!
//! - [`add_hub`] registers a national hub (`mosy hub add CC --name …`): a random hub token, shown
//!   once, stored as its SHA-256 only (the API tokens' format and hash, `auth::ApiTokenSecret`).
//! - `POST /api/eu/releases` receives a national release: `Authorization: Bearer <hub token>`
//!   (no session, so no CSRF token: the bearer token is not sent by browsers on their own), the
//!   SDMX-CSV as the body and the headers `X-Mosy-Release`, `X-Mosy-Period` and `X-Mosy-Country`
//!   (which must be the token's country). It is checked by `app::eu::receive`; a refusal lists
//!   row, column and rule (422), a success is the revision stored (201). Audited as `hub:CC`.
//! - `GET /api/eu/totals?period=&indicator=` and the page `/eu` (EU viewers and hub staff) show
//!   the per-country values and the EU totals, which name the countries withheld or missing.
//!
//! On a national hub these routes answer 404 (after the role check).

use auth::{Action, Object, Outcome};
use axum::Json;
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use store::{EuHubRow, Store};

use crate::ctx::Ctx;
use crate::html::{esc, page, table};
use crate::{Level, Result};

/// Why a national hub could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum AddHubError {
    /// Not a country of the codelist.
    #[error("`{0}` is not a country code of the codelist (e.g. PT, ES)")]
    Country(String),
    /// The name is empty or too long.
    #[error("the hub needs a name (at most 200 characters)")]
    Name,
    /// No randomness.
    #[error("no system randomness for the hub token")]
    Rng,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] store::Error),
}

/// Registers the national hub of `country` (or gives it a new token, which ends the old one):
/// returns the hub token, to be shown once.
///
/// # Errors
/// [`AddHubError`].
pub fn add_hub(
    store: &mut Store,
    country: &str,
    name: &str,
    rng: &mut dyn auth::Rng,
) -> Result<String, AddHubError> {
    let country = country.trim().to_ascii_uppercase();
    let known = model::Codelists::embedded().get("country").is_some_and(|l| l.contains(&country))
        && country.len() == 2;
    if !known {
        return Err(AddHubError::Country(country));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AddHubError::Name);
    }
    let secret = auth::ApiTokenSecret::generate(rng).map_err(|_| AddHubError::Rng)?;
    store.upsert_eu_hub(&EuHubRow {
        country,
        name: name.to_string(),
        token_hash: hex::encode(secret.hash().as_bytes()),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })?;
    Ok(secret.expose())
}

/// The largest national release body accepted (SDMX-CSV of the key indicators is far smaller).
pub(crate) const MAX_RELEASE_BYTES: usize = 32 * 1024 * 1024;

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

fn is_eu(ctx: &Ctx) -> bool {
    ctx.state.0.config.level == Level::Eu
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).map_or("", str::trim)
}

/// `POST /api/eu/releases`: a national hub pushes a published release.
pub(crate) async fn api_receive(ctx: Ctx, headers: HeaderMap, body: Bytes) -> Response {
    let unauthorized =
        || error(StatusCode::UNAUTHORIZED, "present the hub token: Authorization: Bearer mosy_…");
    let Some(text) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return unauthorized();
    };
    let Some(secret) = text.strip_prefix("Bearer ").and_then(|t| auth::ApiTokenSecret::parse(t.trim()).ok())
    else {
        return unauthorized();
    };
    if !is_eu(&ctx) {
        return error(StatusCode::NOT_FOUND, "this hub is not an EU hub");
    }
    let hash = hex::encode(secret.hash().as_bytes());
    let hub = match ctx.state.with_store(move |s| Ok(s.eu_hub_by_token(&hash)?)).await {
        Ok(Some(hub)) => hub,
        Ok(None) => return unauthorized(),
        Err(e) => return crate::api::internal(&ctx, e),
    };
    let actor = format!("hub:{}", hub.country);
    let country = header_text(&headers, app::eu::COUNTRY_HEADER).to_string();
    let period = header_text(&headers, app::eu::PERIOD_HEADER).to_string();
    let release = header_text(&headers, app::eu::RELEASE_HEADER).to_string();
    let object = format!("eu-release:{}:{}", hub.country, period.chars().take(20).collect::<String>());
    let audit = |outcome: Outcome, detail: String| {
        let record = crate::audit_log::record(
            &actor,
            Action::ReceiveNationalRelease.code(),
            &object,
            ctx.ip,
            outcome,
            &detail,
        );
        ctx.state.audit(record)
    };
    if country != hub.country {
        if let Err(e) = audit(Outcome::Denied, "country of another hub".into()).await {
            return crate::api::internal(&ctx, e);
        }
        return error(StatusCode::FORBIDDEN, "X-Mosy-Country must be the country of the hub token");
    }
    let Ok(sdmx) = String::from_utf8(body.to_vec()) else {
        return error(StatusCode::BAD_REQUEST, "the body must be SDMX-CSV in UTF-8");
    };
    let by = actor.clone();
    let done = ctx
        .state
        .with_store(move |s| {
            Ok(app::eu::receive(s, &country, &period, &release, &sdmx, &by, chrono::Utc::now())?)
        })
        .await;
    match done {
        Err(e) => crate::api::internal(&ctx, e),
        Ok(app::eu::Receipt::Stored { revision, observations, withheld }) => {
            let detail = format!("revision={revision} observations={observations} withheld={withheld}");
            if let Err(e) = audit(Outcome::Success, detail).await {
                return crate::api::internal(&ctx, e);
            }
            (
                StatusCode::CREATED,
                Json(json!({"revision": revision, "observations": observations, "withheld": withheld,
                            "replaced": revision > 1})),
            )
                .into_response()
        }
        Ok(app::eu::Receipt::Refused { problems, count }) => {
            if let Err(e) = audit(Outcome::Failure, format!("problems={count}")).await {
                return crate::api::internal(&ctx, e);
            }
            let list: Vec<serde_json::Value> =
                problems.iter().map(|p| json!({"row": p.row, "column": p.column, "rule": p.rule})).collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"error": format!("{count} problem(s) in the release; nothing was stored"),
                            "count": count, "problems": list, "checks": app::eu::CHECKS})),
            )
                .into_response()
        }
    }
}

/// The query of the EU totals.
#[derive(Deserialize)]
pub(crate) struct TotalsQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    indicator: String,
}

async fn totals_of(ctx: &Ctx, q: &TotalsQuery) -> Result<app::eu::EuTotals> {
    let period = q.period.trim().to_string();
    let indicator = Some(q.indicator.trim().to_string()).filter(|i| !i.is_empty());
    ctx.state.with_reader(move |s| Ok(app::eu::totals(s, &period, indicator.as_deref())?)).await
}

/// `GET /api/eu/totals`.
pub(crate) async fn api_totals(ctx: Ctx, Query(q): Query<TotalsQuery>) -> Response {
    if !ctx.allowed(Action::ViewEuTotals, Object::Hub) {
        if ctx.user.is_none() {
            return error(StatusCode::UNAUTHORIZED, "log in first");
        }
        if let Err(e) = ctx.audit(Action::ViewEuTotals.code(), "api", Outcome::Denied, "").await {
            return crate::api::internal(&ctx, e);
        }
        return error(StatusCode::FORBIDDEN, "not allowed for this role");
    }
    if !is_eu(&ctx) {
        return error(StatusCode::NOT_FOUND, "this hub is not an EU hub");
    }
    if q.period.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "give a period: ?period=2024");
    }
    match totals_of(&ctx, &q).await {
        Ok(t) => {
            ctx.audit_read(
                Action::ViewEuTotals.code(),
                &format!("eu-totals:{}", t.period),
                Outcome::Success,
                "",
            );
            Json(t).into_response()
        }
        Err(e) => crate::api::internal(&ctx, e),
    }
}

/// `GET /eu`: the received releases and the EU totals of a period.
pub(crate) async fn page_handler(ctx: Ctx, Query(q): Query<TotalsQuery>) -> Response {
    if !ctx.allowed(Action::ViewEuTotals, Object::Hub) {
        return ctx.deny(Action::ViewEuTotals.code()).await;
    }
    if !is_eu(&ctx) {
        return crate::pages::not_found(ctx).await;
    }
    let received = match ctx.state.with_reader(|s| Ok(s.eu_releases()?)).await {
        Ok(r) => r,
        Err(e) => return ctx.internal(e),
    };
    let period = if q.period.trim().is_empty() {
        received.iter().map(|r| r.period.clone()).max().unwrap_or_default()
    } else {
        q.period.trim().to_string()
    };
    let q = TotalsQuery { period, indicator: q.indicator };
    let totals = match totals_of(&ctx, &q).await {
        Ok(t) => t,
        Err(e) => return ctx.internal(e),
    };
    ctx.audit_read(
        Action::ViewEuTotals.code(),
        &format!("eu-totals:{}", totals.period),
        Outcome::Success,
        "",
    );
    let mut body = format!(
        r#"<form method="get" action="/eu"><label for="period">{pl}</label><input id="period" name="period" value="{p}" placeholder="2024"><label for="indicator">{il}</label><input id="indicator" name="indicator" value="{i}" placeholder="V1_03"><p><button type="submit">{show}</button></p></form>"#,
        pl = esc(&ctx.t("eu.period")),
        p = esc(&q.period),
        il = esc(&ctx.t("eu.indicator")),
        i = esc(&q.indicator),
        show = esc(&ctx.t("eu.show")),
    );
    // The received releases: the latest revision of each country and period first.
    let head: Vec<String> = ["eu.country", "eu.period", "eu.revision", "eu.release", "eu.received_at"]
        .iter()
        .map(|k| esc(&ctx.t(k)))
        .collect();
    let mut rows: Vec<Vec<String>> = received
        .iter()
        .map(|r| {
            vec![
                esc(&r.country),
                esc(&r.period),
                r.revision.to_string(),
                esc(&r.release_id),
                esc(&r.received_at[..19.min(r.received_at.len())]),
            ]
        })
        .collect();
    rows.reverse();
    body.push_str(&format!("<h2>{}</h2>", esc(&ctx.t("eu.received"))));
    if rows.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(&ctx.t("eu.none"))));
    } else {
        body.push_str(&table(&head, &rows, &[2]));
    }
    body.push_str(&format!("<h2>{}</h2><p>{}</p>", esc(&ctx.t("eu.totals")), esc(&ctx.t("eu.totals_hint"))));
    let withheld = esc(&ctx.t("releases.withheld_cell"));
    let mut head: Vec<String> = vec![esc(&ctx.t("eu.indicator")), esc(&ctx.t("eu.cell"))];
    head.extend(totals.countries.iter().map(|c| esc(c)));
    head.extend(["eu.total", "eu.withheld", "eu.missing"].iter().map(|k| esc(&ctx.t(k))));
    let rows: Vec<Vec<String>> = totals
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![esc(&r.indicator), esc(&r.series_key.replace('.', " · "))];
            for c in &totals.countries {
                row.push(match r.countries.iter().find(|v| &v.country == c) {
                    Some(v) => match v.value {
                        Some(n) => n.to_string(),
                        None => format!(
                            r#"<span class="flag" title="CONF_STATUS {s}">{withheld} ({s})</span>"#,
                            s = esc(&v.conf_status)
                        ),
                    },
                    None => "–".to_string(),
                });
            }
            let total = if r.complete {
                r.total.to_string()
            } else {
                format!(r#"<span data-partial="true">{} ({})</span>"#, r.total, esc(&ctx.t("eu.partial")))
            };
            row.push(total);
            row.push(esc(&r.withheld.join(", ")));
            row.push(esc(&r.missing.join(", ")));
            row
        })
        .collect();
    if rows.is_empty() {
        body.push_str(&format!("<p>{}</p>", esc(&ctx.t("eu.none"))));
    } else {
        let numeric: Vec<usize> = (2..head.len() - 2).collect();
        body.push_str(&table(&head, &rows, &numeric));
    }
    page(&ctx, StatusCode::OK, &ctx.t("eu.title"), &body)
}
