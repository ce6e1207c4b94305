//! The maps page: two maps for a period, working previous/next links, access by role.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, assert_ok, hub, state};

fn href(page: &str, rel: &str) -> Option<String> {
    let at = page.find(&format!("rel=\"{rel}\" href=\""))?;
    let rest = &page[at + rel.len() + 13..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

#[tokio::test]
async fn maps_page_shows_a_choropleth_and_a_flow_map_with_period_links() {
    let hub = hub();
    let mut c = Client::new(state(&hub));
    assert_eq!(c.get("/maps").await.location().as_deref(), Some("/login"));
    c.login("analyst", PASSWORD).await;
    let dash = c.get("/dashboard").await;
    assert!(dash.text().contains("href=\"/maps\""));
    let r = c.get("/maps?level=country&period=2024").await;
    assert_ok(&r);
    let text = r.text();
    assert_eq!(text.matches("<svg").count(), 2, "{}", text.chars().take(3000).collect::<String>());
    assert!(text.contains("<option value=\"2024-Q3\">"));
    let prev = href(&text, "prev").expect("previous link");
    assert!(prev.contains("period=2023"), "{prev}");
    assert!(href(&text, "next").is_none(), "no period after the data");
    let r = c.get(&prev).await;
    assert_ok(&r);
    let text = r.text();
    assert_eq!(text.matches("<svg").count(), 2);
    assert!(text.contains("<option value=\"2023\" selected>"));
    assert!(href(&text, "next").expect("next link").contains("period=2024"));
    let q = c.get("/maps?level=country&period=2024-Q1").await;
    assert_ok(&q);
    assert!(href(&q.text(), "prev").expect("prev").contains("period=2023-Q4"));
    // A provider user gets the provider audience only; the EU viewer is refused.
    let mut p = Client::new(state(&hub));
    p.login("prov-a", PASSWORD).await;
    let r = p.get("/maps?level=country").await;
    assert_ok(&r);
    assert!(r.text().contains("<option value=\"provider\" selected>"));
    let mut eu = Client::new(state(&hub));
    eu.login("eu", PASSWORD).await;
    let r = eu.get("/maps").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the EU viewer has no maps");
}
