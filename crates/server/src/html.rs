//! Server-rendered HTML: escaping, the page layout (navigation by permission, language switch,
//! logout form), error pages. Inline CSS only; nothing is loaded from anywhere.

use auth::{Action, Object};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use i18n::Catalog;

use crate::ctx::{Ctx, LANG_COOKIE};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}\
header{background:#123c69;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}\
header a,header button{color:#fff}nav a{margin-right:.8rem}main{padding:1rem;max-width:72rem}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
th.sortable{cursor:pointer}th[aria-sort=ascending]::after{content:\" \\2191\"}th[aria-sort=descending]::after{content:\" \\2193\"}\
td.n{text-align:right}.figures{display:flex;gap:1rem;flex-wrap:wrap}.figure{background:#fff;border:1px solid #ccc;\
padding:.8rem;min-width:10rem}.figure b{display:block;font-size:1.6rem}.err{color:#a00}.ok{color:#060}\
form.inline{display:inline}label{display:block;margin:.4rem 0 .1rem}footer{padding:1rem;color:#555;font-size:.85rem}\
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}button.link{background:none;border:none;text-decoration:underline;cursor:pointer;padding:0;font:inherit}";

/// The hidden CSRF field of a form.
pub fn csrf_field(ctx: &Ctx, form: &str) -> String {
    format!(r#"<input type="hidden" name="csrf" value="{}">"#, esc(&ctx.csrf(form)))
}

fn nav(ctx: &Ctx) -> String {
    let mut links: Vec<(&str, &str)> = Vec::new();
    if let Some(u) = &ctx.user {
        let own = u.role.provider().map_or(Object::AllProviders, Object::Provider);
        if ctx.allowed(Action::ViewDashboard, own) {
            links.push(("/dashboard", "nav.dashboard"));
        }
        if ctx.allowed(Action::ViewSubmissions, own) {
            links.push(("/submissions", "nav.submissions"));
        }
        let report = match u.role.provider() {
            Some(p) => ctx.allowed(Action::RunReport(auth::Audience::Provider), Object::Provider(p)),
            None => ctx.allowed(Action::RunReport(auth::Audience::National), Object::AllProviders),
        };
        if report {
            links.push(("/reports", "nav.reports"));
            links.push(("/maps", "nav.maps"));
        }
    }
    links.push(("/releases", "nav.releases"));
    if ctx.state.0.config.level == crate::Level::Eu && ctx.allowed(Action::ViewEuTotals, Object::Hub) {
        links.push(("/eu", "nav.eu"));
    }
    if ctx.allowed(Action::ViewAuditLog, Object::Hub) {
        links.push(("/admin/audit", "nav.audit"));
    }
    if ctx.allowed(Action::ManageUsers, Object::Hub) {
        links.push(("/admin/users", "nav.users"));
    }
    if ctx.allowed(Action::ViewReferenceData, Object::Hub)
        && ctx.allowed(Action::ViewDashboard, Object::AllProviders)
    {
        links.push(("/providers", "nav.providers"));
    }
    if ctx.user.as_ref().is_some_and(|u| {
        ctx.allowed(Action::ViewProfiles, Object::Provider(u.role.provider().unwrap_or("*")))
    }) {
        links.push(("/profiles", "nav.profiles"));
    }
    if ctx.user.is_some() && ctx.allowed(Action::ViewReferenceData, Object::Hub) {
        links.push(("/codelists", "nav.codelists"));
    }
    if ctx.allowed(Action::ManageApiTokens, Object::Provider("*")) {
        links.push(("/admin/tokens", "nav.tokens"));
    }
    if ctx.allowed(Action::ManageSettings, Object::Hub) {
        links.push(("/admin/settings", "nav.settings"));
    }
    if ctx.user.is_some() && ctx.allowed(Action::ManageOwnAccount, Object::Hub) {
        links.push(("/account/totp", "nav.second_factor"));
    }
    let mut out = format!(r#"<nav aria-label="{}">"#, esc(&ctx.t("layout.main_menu")));
    for (href, key) in links {
        out.push_str(&format!(r#"<a href="{href}">{}</a>"#, esc(&ctx.t(key))));
    }
    out.push_str("</nav>");
    out
}

fn account_box(ctx: &Ctx) -> String {
    match &ctx.user {
        Some(u) => format!(
            r#"<span>{}</span><form class="inline" method="post" action="/logout">{}<button class="link" type="submit">{}</button></form>"#,
            esc(&ctx.ta("layout.signed_in_as", &[("name", &u.account.display_name)])),
            csrf_field(ctx, "logout"),
            esc(&ctx.t("nav.logout"))
        ),
        None => format!(r#"<a href="/login">{}</a>"#, esc(&ctx.t("nav.login"))),
    }
}

fn lang_switch(ctx: &Ctx) -> String {
    let mut out = format!("<span>{}: ", esc(&ctx.t("language.choose")));
    for l in Catalog::embedded().languages() {
        let tag = l.lang.as_str();
        if l.lang == ctx.lang {
            out.push_str(&format!(r#"<strong lang="{tag}">{}</strong> "#, esc(l.name)));
        } else {
            out.push_str(&format!(r#"<a lang="{tag}" href="?lang={tag}">{}</a> "#, esc(l.name)));
        }
    }
    out.push_str("</span>");
    out
}

/// A whole page: `body` is HTML already escaped by the caller.
pub fn page(ctx: &Ctx, status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · {app}</title><style>{CSS}</style>\
         <script src=\"/assets/sort.js\" defer></script></head><body>\
         <a href=\"#main\">{skip}</a><header><strong>{app}</strong>{nav}{account}{langs}</header>\
         <main id=\"main\"><h1>{title}</h1>{body}</main><footer>{footer}</footer></body></html>",
        lang = ctx.lang.as_str(),
        title = esc(title),
        app = esc(&ctx.t("app.title")),
        skip = esc(&ctx.t("layout.skip_to_content")),
        nav = nav(ctx),
        account = account_box(ctx),
        langs = lang_switch(ctx),
        footer = esc(&ctx.ta("layout.footer", &[("version", &env!("CARGO_PKG_VERSION"))])),
    );
    let mut res = (status, Html(html)).into_response();
    if ctx.lang_chosen {
        let cookie = format!("{LANG_COOKIE}={}{}", ctx.lang.as_str(), ctx.cookie_attributes());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// An error page.
pub fn error_page(ctx: &Ctx, status: StatusCode, title: &str, body: &str) -> Response {
    page(
        ctx,
        status,
        title,
        &format!(r#"<p>{}</p><p><a href="/">{}</a></p>"#, esc(body), esc(&ctx.t("error.home"))),
    )
}

/// A table from a header row and body rows of already escaped cells; `numeric` columns align right.
pub fn table(head: &[String], rows: &[Vec<String>], numeric: &[usize]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in head {
        out.push_str(&format!("<th scope=\"col\">{h}</th>"));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if numeric.contains(&i) {
                out.push_str(&format!("<td class=\"n\">{cell}</td>"));
            } else {
                out.push_str(&format!("<td>{cell}</td>"));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}
