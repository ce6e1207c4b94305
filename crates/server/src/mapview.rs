//! The maps page: the choropleth and the flow map of the `geo` report for one period, with a
//! period select built from the engine's date span and links to the previous and next period.

use axum::extract::Query;
use axum::http::StatusCode;
use chrono::Datelike;
use serde::Deserialize;

use crate::html::{esc, page};
use crate::pages::{ReportForm, SpecError, audiences, spec_of};

type Page = std::result::Result<axum::response::Response, axum::response::Response>;

/// The maps form (a GET form: it changes nothing).
#[derive(Deserialize, Default, Clone, Debug)]
pub(crate) struct MapsQuery {
    #[serde(default)]
    measure: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    audience: String,
}

/// A year (`2024`) or a quarter (`2024-Q2`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Period {
    Year(i32),
    Quarter(i32, u32),
}

impl Period {
    pub(crate) fn parse(text: &str) -> Option<Period> {
        let t = text.trim();
        match t.split_once("-Q") {
            Some((y, q)) => {
                let q: u32 = q.parse().ok()?;
                (1..=4).contains(&q).then_some(())?;
                Some(Period::Quarter(y.parse().ok()?, q))
            }
            None => t.parse().ok().map(Period::Year),
        }
    }

    pub(crate) fn text(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Quarter(y, q) => format!("{y}-Q{q}"),
        }
    }

    pub(crate) fn prev(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
        }
    }

    pub(crate) fn next(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
        }
    }
}

/// Every year and quarter from `first` to `last` (years first within each year).
fn periods(first: i32, last: i32) -> Vec<Period> {
    (first..=last)
        .flat_map(|y| std::iter::once(Period::Year(y)).chain((1..=4).map(move |q| Period::Quarter(y, q))))
        .collect()
}

fn select(name: &str, label: &str, options: &[(String, String)], chosen: &str) -> String {
    let mut out = format!(r#"<label for="{name}">{}</label><select id="{name}" name="{name}">"#, esc(label));
    for (v, l) in options {
        let sel = if v == chosen { " selected" } else { "" };
        out.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, esc(v), esc(l)));
    }
    out.push_str("</select>");
    out
}

fn query_string(q: &MapsQuery, period: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "/maps?measure={}&level={}&origin={}&audience={}&period={}",
        enc(&q.measure),
        enc(&q.level),
        enc(&q.origin),
        enc(&q.audience),
        enc(period)
    )
}

/// The `<main>` of the report's HTML page, its header made a plain block.
fn report_body(html: &str) -> String {
    let start = html.find("<main>").map_or(0, |i| i + "<main>".len());
    let end = html.rfind("</main>").unwrap_or(html.len());
    html.get(start..end)
        .unwrap_or_default()
        .replacen("<header>", r#"<div class="report-meta">"#, 1)
        .replacen("</header>", "</div>", 1)
        .replace("<h1>", "<h2>")
        .replace("</h1>", "</h2>")
}

pub(crate) async fn maps_page(ctx: crate::ctx::Ctx, Query(mut q): Query<MapsQuery>) -> Page {
    let role = ctx.role();
    if ctx.user.is_none() || audiences(&role).is_empty() {
        return Err(ctx.deny("report.view").await);
    }
    let engine = ctx.state.engine().await.map_err(|e| ctx.internal(e))?;
    let span = engine.date_span(stats::Measure::Persons);
    let (first, last) = span.map_or_else(
        || {
            let y = chrono::Utc::now().year();
            (y, y)
        },
        |(a, b)| (a.year(), b.year()),
    );
    if q.measure.is_empty() {
        q.measure = "persons".into();
    }
    if q.level.is_empty() {
        q.level = "nuts2".into();
    }
    if q.origin.is_empty() {
        q.origin = "citizenship".into();
    }
    let auds = audiences(&role);
    if q.audience.is_empty() {
        q.audience = auds.first().map(|a| a.id().to_string()).unwrap_or_default();
    }
    let period = Period::parse(&q.period).unwrap_or(Period::Year(last));
    q.period = period.text();
    let all = periods(first, last);
    let measures: Vec<(String, String)> =
        stats::Measure::ALL.iter().map(|m| (m.id().to_string(), m.id().replace('_', " "))).collect();
    let levels = ["country", "nuts1", "nuts2", "nuts3", "district"]
        .map(|l| (l.to_string(), ctx.t(&format!("maps.level.{l}"))));
    let origins = [
        ("citizenship", "reports.origin.citizenship"),
        ("country_of_recruitment", "reports.origin.recruitment"),
    ]
    .map(|(v, k)| (v.to_string(), ctx.t(k)));
    let aud_opts: Vec<(String, String)> =
        auds.iter().map(|a| (a.id().to_string(), ctx.t(&format!("reports.audience.{}", a.id())))).collect();
    let period_opts: Vec<(String, String)> = all.iter().map(|p| (p.text(), p.text())).collect();
    let mut body = format!(
        r#"<form method="get" action="/maps">{m}{l}{o}{p}{a}<p><button type="submit">{show}</button></p></form>"#,
        m = select("measure", &ctx.t("reports.measure"), &measures, &q.measure),
        l = select("level", &ctx.t("reports.level.label"), &levels, &q.level),
        o = select("origin", &ctx.t("reports.origin.label"), &origins, &q.origin),
        p = select("period", &ctx.t("maps.period.label"), &period_opts, &q.period),
        a = select("audience", &ctx.t("reports.audience.label"), &aud_opts, &q.audience),
        show = esc(&ctx.t("maps.show")),
    );
    body.push_str(r#"<p class="period-nav">"#);
    let (prev, next) = (period.prev(), period.next());
    if all.contains(&prev) {
        body.push_str(&format!(
            r#"<a rel="prev" href="{}">{}</a> "#,
            esc(&query_string(&q, &prev.text())),
            esc(&format!("← {} ({})", ctx.t("maps.period.previous"), prev.text()))
        ));
    }
    if all.contains(&next) {
        body.push_str(&format!(
            r#"<a rel="next" href="{}">{}</a>"#,
            esc(&query_string(&q, &next.text())),
            esc(&format!("{} ({}) →", ctx.t("maps.period.next"), next.text()))
        ));
    }
    body.push_str("</p>");
    let form = ReportForm {
        kind: "geo".into(),
        measure: q.measure.clone(),
        level: q.level.clone(),
        origin: q.origin.clone(),
        period: q.period.clone(),
        audience: q.audience.clone(),
        lang: ctx.lang.as_str().to_string(),
        format: "html".into(),
        ..ReportForm::default()
    };
    let (spec, format) = match spec_of(&role, &form) {
        Ok(v) => v,
        Err(SpecError::Denied) => return Err(ctx.deny("report.run").await),
        Err(SpecError::Invalid(m)) => {
            body.push_str(&format!(r#"<p class="err" role="alert">{}</p>"#, esc(&m)));
            return Err(page(&ctx, StatusCode::BAD_REQUEST, &ctx.t("maps.title"), &body));
        }
    };
    match crate::pages::run_report(&ctx, spec, format).await.map_err(|e| ctx.internal(e))? {
        Ok(ran) => {
            body.push_str(&report_body(&String::from_utf8_lossy(&ran.bytes)));
            Ok(page(&ctx, StatusCode::OK, &ctx.t("maps.title"), &body))
        }
        Err(m) => {
            body.push_str(&format!(r#"<p class="err" role="alert">{}</p>"#, esc(&m)));
            Err(page(&ctx, StatusCode::BAD_REQUEST, &ctx.t("maps.title"), &body))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Period;

    #[test]
    fn periods_step_across_years() {
        assert_eq!(Period::parse("2024-Q1").map(Period::prev), Some(Period::Quarter(2023, 4)));
        assert_eq!(Period::parse("2024-Q4").map(Period::next), Some(Period::Quarter(2025, 1)));
        assert_eq!(Period::parse("2024").map(Period::next), Some(Period::Year(2025)));
        assert_eq!(Period::parse("2024-Q5"), None);
    }
}
