//! The release workflow of hub staff: make a draft release of the key indicators for a period and
//! audience (suppressed consistently with every published release), review its frozen tables and
//! withheld cells, then publish it (it becomes visible to its audience and constrains every later
//! release) or discard it. A draft made before another release was published cannot be published
//! (its suppression did not know that release): it is discarded and made again.

use auth::{Action, Object, Outcome};
use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::html::{csrf_field, esc, page, table};
use crate::pages::{csrf_refused, not_found};

type Page = std::result::Result<Response, Response>;

/// The forms acting on a release: publish and discard carry only the CSRF token; push also the
/// EU hub's address and (once, then kept as a hub setting) its hub token.
#[derive(Deserialize)]
pub(crate) struct ReleaseAction {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    token: String,
}

/// The form making a draft.
#[derive(Deserialize)]
pub(crate) struct NewRelease {
    #[serde(default)]
    period: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    csrf: String,
}

fn may_make(ctx: &Ctx) -> bool {
    ctx.allowed(Action::CreateRelease, Object::Hub)
}

/// The form on the releases page for staff.
pub(crate) fn create_form(ctx: &Ctx) -> String {
    if !may_make(ctx) {
        return String::new();
    }
    let audiences = [("public", "reports.audience.public"), ("eu", "reports.audience.eu")]
        .map(|(v, k)| format!(r#"<option value="{v}">{}</option>"#, esc(&ctx.t(k))))
        .concat();
    format!(
        r#"<h2>{title}</h2><p>{hint}</p><form method="post" action="/releases">{csrf}<label for="period">{period}</label><input id="period" name="period" required placeholder="2024, 2024-Q2"><label for="audience">{audience}</label><select id="audience" name="audience">{audiences}</select><p><button type="submit">{title}</button></p></form>"#,
        title = esc(&ctx.t("releases.create")),
        hint = esc(&ctx.t("releases.review.hint")),
        csrf = csrf_field(ctx, "release"),
        period = esc(&ctx.t("releases.period")),
        audience = esc(&ctx.t("reports.audience.label")),
    )
}

/// Makes a draft release (the caller has checked the role): its id, or why it was refused.
pub(crate) async fn make_draft(
    ctx: &Ctx,
    period: &str,
    audience: &str,
) -> crate::Result<std::result::Result<String, String>> {
    let audience = match audience {
        "eu" => reports::Audience::Eu,
        _ => reports::Audience::Public,
    };
    let engine = ctx.state.engine().await?;
    let period = period.trim().to_string();
    let lang = if ctx.lang.as_str() == "pt" { model::Lang::Pt } else { model::Lang::En };
    ctx.state
        .with_store(move |s| {
            let lists = model::Codelists::embedded();
            match app::reporting::draft_release(s, &engine, lists, &period, audience, lang, Utc::now()) {
                Ok(r) => Ok(Ok(r.row.id)),
                Err(app::Error::Report(m)) => Ok(Err(m)),
                Err(e) => Err(e.into()),
            }
        })
        .await
}

/// Publishes (`publish`) or discards a draft (the caller has checked the role): why it was
/// refused, if it was. Audited either way.
pub(crate) async fn decide(
    ctx: &Ctx,
    id: &str,
    publish: bool,
) -> crate::Result<std::result::Result<(), String>> {
    let actor = ctx.actor();
    let target = id.to_string();
    let done = ctx
        .state
        .with_store(move |s| {
            if publish {
                match app::reporting::publish_release(s, &target, &actor, Utc::now()) {
                    Ok(()) => Ok(Ok(())),
                    Err(app::Error::Report(m)) => Ok(Err(m)),
                    Err(e) => Err(e.into()),
                }
            } else if s.discard_release(&target)? {
                Ok(Ok(()))
            } else {
                Ok(Err(format!("no draft release {target}")))
            }
        })
        .await?;
    let code = if publish { "release.publish" } else { "release.discard" };
    let outcome = if done.is_ok() { Outcome::Success } else { Outcome::Failure };
    ctx.audit(code, &format!("release:{id}"), outcome, if done.is_ok() { "" } else { "refused" }).await?;
    Ok(done)
}

/// `POST /releases`: makes a draft and shows it for review.
pub(crate) async fn create(ctx: Ctx, Form(form): Form<NewRelease>) -> Page {
    if !may_make(&ctx) {
        return Err(ctx.deny(Action::CreateRelease.code()).await);
    }
    if !ctx.csrf_ok("release", &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    let made = make_draft(&ctx, &form.period, &form.audience).await.map_err(|e| ctx.internal(e))?;
    match made {
        Ok(id) => {
            ctx.audit(Action::CreateRelease.code(), &format!("release:{id}"), Outcome::Success, "")
                .await
                .map_err(|e| ctx.internal(e))?;
            Ok(Redirect::to(&format!("/releases/{id}")).into_response())
        }
        Err(m) => {
            ctx.audit(Action::CreateRelease.code(), "release", Outcome::Failure, "refused")
                .await
                .map_err(|e| ctx.internal(e))?;
            let body = format!(r#"<p class="err" role="alert">{}</p>{}"#, esc(&m), create_form(&ctx));
            Err(page(&ctx, StatusCode::BAD_REQUEST, &ctx.t("releases.title"), &body))
        }
    }
}

/// The SDMX-CSV of a release as an HTML table (withheld cells flagged, never filled in).
fn sdmx_table(ctx: &Ctx, sdmx: &str) -> (String, usize, usize) {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(sdmx.as_bytes());
    let head: Vec<String> = reader.headers().map(|h| h.iter().map(esc).collect()).unwrap_or_default();
    let value_at = head.iter().position(|h| h == "OBS_VALUE");
    let mut rows = Vec::new();
    let (mut cells, mut withheld) = (0, 0);
    for record in reader.records().map_while(Result::ok) {
        cells += 1;
        let mut row: Vec<String> = record.iter().map(esc).collect();
        if let Some(i) = value_at
            && row.get(i).is_some_and(String::is_empty)
        {
            withheld += 1;
            row[i] = format!(
                r#"<span class="flag" title="{t}">{t}</span>"#,
                t = esc(&ctx.t("releases.withheld_cell"))
            );
        }
        rows.push(row);
    }
    let numeric: Vec<usize> = value_at.into_iter().collect();
    (table(&head, &rows, &numeric), cells, withheld)
}

/// `GET /releases/{id}`: the frozen release, its state and (for staff, while a draft) the
/// publish and discard actions.
pub(crate) async fn review(ctx: Ctx, Path(id): Path<String>) -> Page {
    let wanted = id.clone();
    let found = ctx
        .state
        .with_store(move |s| {
            let release = s.releases()?.into_iter().find(|r| r.id == wanted);
            let publication = s.release_publications()?.into_iter().find(|p| p.release_id == wanted);
            let hub_url = s.setting(app::eu::HUB_URL_SETTING)?.unwrap_or_default();
            Ok((release, publication, hub_url))
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let (Some(release), publication, hub_url) = found else { return Err(not_found(ctx).await) };
    if !ctx
        .allowed(Action::ViewRelease, crate::pages::release_object(&release.audience, publication.is_some()))
    {
        return Err(ctx.deny(Action::ViewRelease.code()).await);
    }
    let (tables, cells, withheld) = sdmx_table(&ctx, &release.sdmx_csv);
    let state = match &publication {
        Some(p) => {
            ctx.ta("releases.published_on", &[("date", &&p.published_at[..10.min(p.published_at.len())])])
        }
        None => ctx.t("releases.status.draft"),
    };
    let mut body = format!(
        r#"<dl><dt>{period_l}</dt><dd>{period}</dd><dt>{aud_l}</dt><dd>{aud}</dd><dt>{state_l}</dt><dd data-status="{status}">{state}</dd><dt>{ver_l}</dt><dd>{ver}</dd></dl><p>{withheld}</p>"#,
        period_l = esc(&ctx.t("releases.period")),
        period = esc(&release.period),
        aud_l = esc(&ctx.t("reports.audience.label")),
        aud = esc(&ctx.t(&format!("reports.audience.{}", release.audience))),
        state_l = esc(&ctx.t("releases.status.label")),
        status = if publication.is_some() { "published" } else { "draft" },
        state = esc(&state),
        ver_l = esc(&ctx.t("releases.data_version")),
        ver = esc(&release.data_version),
        withheld = esc(&format!(
            "{} · {}",
            ctx.ta("releases.cells", &[("n", &cells.to_string())]),
            i18n::Catalog::embedded().plural(
                ctx.lang,
                "releases.withheld",
                withheld as i64,
                &[("n", &withheld.to_string())]
            )
        )),
    );
    if publication.is_none() && ctx.allowed(Action::PublishRelease, Object::Hub) {
        body.push_str(&format!(
            r#"<p>{hint}</p><form method="post" action="/releases/{id}/publish" class="inline">{csrf}<button type="submit">{publish}</button></form> <form method="post" action="/releases/{id}/discard" class="inline">{csrf2}<button type="submit">{discard}</button></form>"#,
            hint = esc(&ctx.t("releases.review.hint")),
            id = esc(&release.id),
            csrf = csrf_field(&ctx, "release-publish"),
            publish = esc(&ctx.t("releases.publish.action")),
            csrf2 = csrf_field(&ctx, "release-discard"),
            discard = esc(&ctx.t("releases.discard.action")),
        ));
    }
    if publication.is_some() && ctx.allowed(Action::PublishRelease, Object::Hub) {
        body.push_str(&format!(
            r#"<h2>{title}</h2><p>{hint}</p><form method="post" action="/releases/{id}/push">{csrf}<label for="url">{url_l}</label><input id="url" name="url" type="url" required value="{url}" placeholder="https://eu-hub.example"><label for="token">{token_l}</label><input id="token" name="token" type="password" autocomplete="off"><p><button type="submit">{action}</button></p></form>"#,
            title = esc(&ctx.t("releases.push.title")),
            hint = esc(&ctx.t("releases.push.hint")),
            id = esc(&release.id),
            csrf = csrf_field(&ctx, "release-push"),
            url_l = esc(&ctx.t("releases.push.url")),
            url = esc(&hub_url),
            token_l = esc(&ctx.t("releases.push.token")),
            action = esc(&ctx.t("releases.push.action")),
        ));
    }
    body.push_str(&format!(
        r#"<p><a href="/releases/{id}/sdmx.csv" download>SDMX-CSV</a></p>{tables}"#,
        id = esc(&release.id)
    ));
    Ok(page(&ctx, StatusCode::OK, &format!("{} {}", ctx.t("releases.title"), release.id), &body))
}

/// `POST /releases/{id}/publish` and `/discard`.
pub(crate) async fn act(
    ctx: Ctx,
    Path((id, op)): Path<(String, String)>,
    Form(form): Form<ReleaseAction>,
) -> Page {
    let action = match op.as_str() {
        "publish" | "push" => Action::PublishRelease,
        "discard" => Action::CreateRelease,
        _ => return Err(not_found(ctx).await),
    };
    if !ctx.allowed(action, Object::Hub) {
        return Err(ctx.deny(action.code()).await);
    }
    if !ctx.csrf_ok(&format!("release-{op}"), &form.csrf) {
        return Err(csrf_refused(&ctx));
    }
    if op == "push" {
        return push(&ctx, &id, &form).await;
    }
    let publish = op == "publish";
    match decide(&ctx, &id, publish).await.map_err(|e| ctx.internal(e))? {
        Ok(()) => {
            let to = if publish { format!("/releases/{id}") } else { "/releases".to_string() };
            Ok(Redirect::to(&to).into_response())
        }
        Err(m) => {
            let body = format!(
                r#"<p class="err" role="alert">{}</p><p><a href="/releases/{}">{}</a></p>"#,
                esc(&m),
                esc(&id),
                esc(&ctx.t("action.back"))
            );
            Err(page(&ctx, StatusCode::CONFLICT, &ctx.t("releases.title"), &body))
        }
    }
}

/// `POST /releases/{id}/push`: sends a published release to the EU hub (the caller has checked the
/// role and the CSRF token). The address is kept as the hub setting `eu.hub_url`, a token given in
/// the form as `eu.hub_token` (the form never shows it again). Audited as `release.push`.
async fn push(ctx: &Ctx, id: &str, form: &ReleaseAction) -> Page {
    let (url, token, target) = (form.url.trim().to_string(), form.token.trim().to_string(), id.to_string());
    let prepared = ctx
        .state
        .with_store(move |s| {
            if !url.is_empty() {
                s.set_setting(app::eu::HUB_URL_SETTING, &url)?;
            }
            if !token.is_empty() {
                s.set_setting(app::eu::HUB_TOKEN_SETTING, &token)?;
            }
            let url = s.setting(app::eu::HUB_URL_SETTING)?.unwrap_or_default();
            let token = s.setting(app::eu::HUB_TOKEN_SETTING)?.unwrap_or_default();
            match app::eu::export(s, &target) {
                Ok(export) => Ok(Ok((export, url, token))),
                Err(app::Error::Report(m)) => Ok(Err(m)),
                Err(e) => Err(e.into()),
            }
        })
        .await
        .map_err(|e| ctx.internal(e))?;
    let sent = match prepared {
        Ok((_, url, token)) if url.is_empty() || token.is_empty() => Err(ctx.t("releases.push.missing")),
        Ok((export, url, token)) => tokio::task::spawn_blocking(move || app::eu::send(&export, &url, &token))
            .await
            .map_err(|_| ctx.internal(crate::Error::Join))?
            .map_err(|e| e.to_string()),
        Err(m) => Err(m),
    };
    let object = format!("release:{id}");
    let saved = if form.token.trim().is_empty() { "" } else { " hub_token_saved" };
    match sent {
        Ok(p) => {
            ctx.audit("release.push", &object, Outcome::Success, &format!("revision={}{saved}", p.revision))
                .await
                .map_err(|e| ctx.internal(e))?;
            let body = format!(
                r#"<p role="status" data-revision="{r}">{msg}</p><p><a href="/releases/{id}">{back}</a></p>"#,
                r = p.revision,
                msg = esc(&ctx.ta(
                    "releases.push.done",
                    &[("revision", &p.revision.to_string()), ("n", &p.observations.to_string())]
                )),
                id = esc(id),
                back = esc(&ctx.t("action.back")),
            );
            Ok(page(ctx, StatusCode::OK, &ctx.t("releases.push.title"), &body))
        }
        Err(m) => {
            ctx.audit("release.push", &object, Outcome::Failure, &format!("refused{saved}"))
                .await
                .map_err(|e| ctx.internal(e))?;
            let body = format!(
                r#"<p class="err" role="alert">{}</p><p><a href="/releases/{}">{}</a></p>"#,
                esc(&m).replace('\n', "<br>"),
                esc(id),
                esc(&ctx.t("action.back"))
            );
            Err(page(ctx, StatusCode::BAD_GATEWAY, &ctx.t("releases.push.title"), &body))
        }
    }
}
