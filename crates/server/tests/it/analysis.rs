//! The analysis kinds in the report builder: hot and cold spots over districts (boundaries
//! imported into the hub) and a trend projection, for staff only.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

/// The districts PT-01…PT-18 as a 3 × 6 grid of 0.5° squares.
fn districts() -> String {
    let features: Vec<String> = (0..18)
        .map(|i| {
            let (lon, lat) = (-9.0 + 0.5 * f64::from(i % 3), 38.0 + 0.5 * f64::from(i / 3));
            format!(
                r#"{{"type":"Feature","properties":{{"code":"PT-{:02}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}}}"#,
                i + 1,
                e = lon + 0.5,
                n = lat + 0.5
            )
        })
        .collect();
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

#[tokio::test]
async fn staff_run_hotspots_and_projections_from_the_report_builder() {
    let hub = hub();
    let dir = tempfile::tempdir().unwrap();
    let geo = dir.path().join("districts.geojson");
    std::fs::write(&geo, districts()).unwrap();
    {
        let mut s = store::Store::open(&hub.database).unwrap();
        app::reporting::import_boundaries(&mut s, &geo, "code", None).expect("boundaries");
    }
    let server = state(&hub);
    let mut analyst = Client::new(server.clone());
    analyst.login("analyst", PASSWORD).await;
    let form = analyst.get("/reports").await.text();
    assert!(form.contains("<option value=\"hotspots\">") && form.contains("<option value=\"projection\">"));
    let csrf = analyst.csrf("/reports").await;
    let run = |kind: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![("kind", kind), ("measure", "persons"), ("format", "csv")];
        fields.extend(extra);
        fields
    };
    let mut fields = run("hotspots", vec![("level", "district"), ("statistic", "gi")]);
    fields.push(("csrf", &csrf));
    let r = analyst.post_form("/reports", &fields).await;
    assert_ok(&r);
    let text = r.text();
    assert!(
        text.contains("PT-01") && text.to_lowercase().contains("moran"),
        "{}",
        &text[..600.min(text.len())]
    );
    let mut fields = run("projection", vec![("granularity", "month")]);
    fields.push(("csrf", &csrf));
    let r = analyst.post_form("/reports", &fields).await;
    assert_ok(&r);
    let text = r.text();
    assert!(
        text.to_lowercase().contains("mape"),
        "the back-test error is shown: {}",
        &text[..1500.min(text.len())]
    );
    // Provider users are not offered them and are refused.
    let mut provider = Client::new(server.clone());
    provider.login("prov-a", PASSWORD).await;
    assert!(!provider.get("/reports").await.text().contains("value=\"hotspots\""));
    let csrf = provider.csrf("/reports").await;
    let r = provider
        .post_form(
            "/reports",
            &[("kind", "hotspots"), ("level", "district"), ("audience", "provider"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
