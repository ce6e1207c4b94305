//! The federation test (issue 6): two national hubs with different synthetic data and one EU hub,
//! each a server on its own loopback socket. Each national hub releases its key indicators for the
//! EU and pushes them over HTTP (one from the command line's use case, one from the release page's
//! form); the EU hub checks and stores them; its totals equal the sum of the national protected
//! tables and carry their flags (a withheld national cell stays withheld and the total names the
//! country); a second release for the same period replaces the first as the next revision.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use auth::{PasswordHashing, Role, SeededRng};
use axum::http::StatusCode;
use server::{AppState, Config, Level};

use crate::support::{Client, PASSWORD, assert_ok};

struct National {
    _dir: tempfile::TempDir,
    database: String,
    release: String,
}

/// A national hub of `country` with the demo's synthetic data of `seed`, an admin, and a
/// published EU release of 2024.
fn national(seed: u64, victims: u64, country: &str) -> National {
    let dir = tempfile::tempdir().expect("tempdir");
    app::demo::run(&app::demo::DemoOptions {
        data_dir: dir.path().to_path_buf(),
        database_url: None,
        seed,
        victims,
        first_year: 2023,
        last_year: 2024,
    })
    .expect("demo");
    let database = dir.path().join("mosy.sqlite").display().to_string();
    let mut store = store::Store::open(&database).expect("open");
    store.set_setting(app::reporting::COUNTRY_SETTING, country).expect("country");
    let hashing = PasswordHashing::for_tests();
    server::accounts::add_user(
        &mut store,
        &hashing,
        &mut SeededRng::new(seed),
        "admin",
        &Role::HubAdmin,
        PASSWORD,
    )
    .expect("admin");
    let release = release(&mut store);
    National { _dir: dir, database, release }
}

/// Makes and publishes an EU release of 2024: its id.
fn release(store: &mut store::Store) -> String {
    let lists = model::Codelists::embedded();
    let engine = app::reporting::engine(store, lists).expect("engine");
    app::reporting::release(
        store,
        &engine,
        lists,
        "2024",
        reports::Audience::Eu,
        model::Lang::En,
        chrono::Utc::now(),
    )
    .expect("release")
    .row
    .id
}

fn state(database: &str, level: Level) -> AppState {
    let mut config = Config::new(database.to_string());
    config.hashing = PasswordHashing::for_tests();
    config.level = level;
    AppState::open(config).expect("state")
}

async fn serve(state: AppState) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(server::serve_on(listener, state));
    addr
}

/// (indicator, series key, TIME_PERIOD) → (value, CONF_STATUS) of a national release.
type Table = BTreeMap<(String, String, String), (Option<u64>, String)>;

fn protected_table(database: &str, id: &str, country: &str) -> Table {
    let mut store = store::Store::open(database).expect("open");
    let release = store.releases().expect("releases").into_iter().find(|r| r.id == id).expect("release");
    let checked = formats::check_sdmx_csv(
        &release.sdmx_csv,
        model::Codelists::embedded(),
        &formats::Expected { structure_id: app::reporting::STRUCTURE_ID, country, period: "2024" },
    );
    assert_eq!(checked.problem_count, 0, "{:?}", checked.problems);
    checked
        .observations
        .into_iter()
        .map(|o| ((o.indicator, o.series_key, o.time_period), (o.value, o.conf_status)))
        .collect()
}

/// A raw push (for the refusals), with the hub token and headers.
fn raw_push(eu: SocketAddr, token: &str, country: &str, body: &str) -> (u16, serde_json::Value) {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
    let mut res = agent
        .post(&format!("http://{eu}/api/eu/releases"))
        .header("authorization", &format!("Bearer {token}"))
        .header(app::eu::RELEASE_HEADER, "tampered")
        .header(app::eu::PERIOD_HEADER, "2024")
        .header(app::eu::COUNTRY_HEADER, country)
        .send(body)
        .expect("post");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().expect("body");
    (status, serde_json::from_str(&text).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn national_hubs_push_and_the_eu_totals_add_up_with_their_flags() {
    let (pt, es) = tokio::task::spawn_blocking(|| (national(7, 600, "PT"), national(23, 450, "ES")))
        .await
        .expect("hubs");

    // The EU hub: the two national hubs registered, an EU viewer.
    let eu_dir = tempfile::tempdir().expect("tempdir");
    let eu_db = eu_dir.path().join("eu.sqlite").display().to_string();
    let (pt_token, es_token) = {
        let mut store = store::Store::open(&eu_db).expect("open eu");
        let mut rng = SeededRng::new(99);
        let pt_token = server::eu::add_hub(&mut store, "pt", "Portugal OTSH", &mut rng).expect("add PT");
        let es_token = server::eu::add_hub(&mut store, "ES", "Spain", &mut rng).expect("add ES");
        assert!(server::eu::add_hub(&mut store, "XX", "Nowhere", &mut rng).is_err(), "unknown country");
        let hashing = PasswordHashing::for_tests();
        server::accounts::add_user(&mut store, &hashing, &mut rng, "eu", &Role::EuViewer, PASSWORD)
            .expect("eu");
        let hubs = store.eu_hubs().expect("hubs");
        assert!(
            hubs.iter().all(|h| h.token_hash != pt_token && h.token_hash != es_token),
            "tokens stored hashed"
        );
        (pt_token, es_token)
    };
    let eu_state = state(&eu_db, Level::Eu);
    let eu = serve(eu_state.clone()).await;
    let pt_state = state(&pt.database, Level::National);
    let _pt_addr = serve(pt_state.clone()).await;
    let es_state = state(&es.database, Level::National);
    let _es_addr = serve(es_state.clone()).await;
    let url = format!("http://{eu}");

    // Refusals: a hub token of another country; a filled-in confidential cell; a bad code. Nothing stored.
    let pt_sdmx = store::Store::open(&pt.database).expect("open").releases().expect("r")[0].sdmx_csv.clone();
    let (status, _) = raw_push(eu, &es_token, "PT", &pt_sdmx);
    assert_eq!(status, 403, "the token of ES cannot send for PT");
    let (status, _) = raw_push(eu, "mosy_notatoken", "PT", &pt_sdmx);
    assert_eq!(status, 401);
    let mut lines: Vec<String> = pt_sdmx.lines().map(str::to_string).collect();
    let withheld_at =
        lines.iter().position(|l| l.ends_with(",A") || l.ends_with(",D")).expect("a withheld cell");
    let mut fields: Vec<String> = lines[withheld_at].split(',').map(str::to_string).collect();
    let value_col = formats::SDMX_COLUMNS.iter().position(|c| *c == "OBS_VALUE").expect("col");
    fields[value_col] = "3".into();
    lines[withheld_at] = fields.join(",");
    let sex_col = formats::SDMX_COLUMNS.iter().position(|c| *c == "SEX").expect("col");
    let mut bad: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    bad[sex_col] = "X".into();
    lines[1] = bad.join(",");
    let (status, answer) = raw_push(eu, &pt_token, "PT", &(lines.join("\n") + "\n"));
    assert_eq!(status, 422, "{answer}");
    let problems = answer["problems"].as_array().expect("problems");
    let has = |row: usize, column: &str| problems.iter().any(|p| p["row"] == row && p["column"] == column);
    assert!(has(withheld_at + 1, "OBS_VALUE"), "{answer}");
    assert!(has(2, "SEX"), "{answer}");
    assert!(!answer.to_string().contains(",3,"), "no values echoed");
    assert!(store::Store::open(&eu_db).expect("open").eu_releases().expect("releases").is_empty());

    // PT pushes as `mosy release push` does.
    let (db, id, to, token) = (pt.database.clone(), pt.release.clone(), url.clone(), pt_token.clone());
    let pushed = tokio::task::spawn_blocking(move || {
        let mut store = store::Store::open(&db).expect("open");
        app::eu::push(&mut store, &id, &to, &token)
    })
    .await
    .expect("join")
    .expect("push PT");
    assert_eq!(pushed.revision, 1);

    // ES pushes from its release page (staff, CSRF-checked form; the token kept as a hub setting).
    let mut es_web = Client::new(es_state.clone());
    assert_eq!(es_web.login("admin", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let page = es_web.get(&format!("/releases/{}", es.release)).await;
    assert_ok(&page);
    assert!(page.text().contains(&format!(r#"action="/releases/{}/push""#, es.release)), "push form");
    let csrf = es_web.csrf(&format!("/releases/{}", es.release)).await;
    let reply = es_web
        .post_form(
            &format!("/releases/{}/push", es.release),
            &[("csrf", &csrf), ("url", &url), ("token", &es_token)],
        )
        .await;
    assert_ok(&reply);
    assert!(reply.text().contains(r#"data-revision="1""#), "{}", reply.text());
    {
        let mut s = store::Store::open(&es.database).expect("open");
        assert_eq!(s.setting(app::eu::HUB_URL_SETTING).expect("setting").as_deref(), Some(url.as_str()));
    }

    // The EU totals, as an EU viewer sees them through the API.
    let pt_table = protected_table(&pt.database, &pt.release, "PT");
    let es_table = protected_table(&es.database, &es.release, "ES");
    let mut viewer = Client::new(eu_state.clone());
    assert_eq!(viewer.login("eu", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let check_totals = |totals: &serde_json::Value| {
        let rows = totals["rows"].as_array().expect("rows");
        assert!(!rows.is_empty());
        let (mut partial, mut complete) = (0, 0);
        for row in rows {
            let key = (
                row["indicator"].as_str().expect("indicator").to_string(),
                row["series_key"].as_str().expect("key").to_string(),
                "2024".to_string(),
            );
            let mut sum = 0;
            let (mut contributing, mut withheld, mut missing) = (Vec::new(), Vec::new(), Vec::new());
            for (country, table) in [("ES", &es_table), ("PT", &pt_table)] {
                let Some((value, conf)) = table.get(&key) else {
                    missing.push(country);
                    continue;
                };
                let sent = row["countries"]
                    .as_array()
                    .expect("countries")
                    .iter()
                    .find(|c| c["country"] == country)
                    .expect("country value");
                assert_eq!(sent["conf_status"], conf.as_str(), "{key:?} {country}: flag carried");
                match value {
                    Some(v) => {
                        assert_eq!(sent["value"], *v, "{key:?} {country}");
                        sum += v;
                        contributing.push(country);
                    }
                    None => {
                        assert!(sent["value"].is_null(), "{key:?} {country}: withheld stays withheld");
                        withheld.push(country);
                    }
                }
            }
            assert_eq!(row["total"], sum, "{key:?}");
            assert_eq!(row["contributing"], serde_json::json!(contributing), "{key:?}");
            assert_eq!(row["withheld"], serde_json::json!(withheld), "{key:?}");
            assert_eq!(
                row["missing"],
                serde_json::json!(missing),
                "{key:?}: a country without the cell is named"
            );
            assert_eq!(row["complete"], withheld.is_empty() && missing.is_empty(), "{key:?}");
            if withheld.is_empty() && missing.is_empty() {
                complete += 1;
            } else {
                partial += 1;
            }
        }
        let keys: std::collections::BTreeSet<_> =
            pt_table.keys().chain(es_table.keys()).filter(|k| k.2 == "2024").collect();
        assert_eq!(rows.len(), keys.len(), "one row per cell of either country");
        (complete, partial)
    };
    let reply = viewer.get("/api/eu/totals?period=2024").await;
    assert_ok(&reply);
    let totals: serde_json::Value = serde_json::from_slice(&reply.body).expect("json");
    assert_eq!(totals["countries"], serde_json::json!(["ES", "PT"]));
    let (complete, partial) = check_totals(&totals);
    assert!(complete > 0, "some totals cover both countries");
    assert!(partial > 0, "some national cells are withheld and their totals say so");
    let one = viewer.get("/api/eu/totals?period=2024&indicator=V1_03").await;
    let one: serde_json::Value = serde_json::from_slice(&one.body).expect("json");
    assert!(one["rows"].as_array().expect("rows").iter().all(|r| r["indicator"] == "V1_03"));
    let page = viewer.get("/eu?period=2024").await;
    assert_ok(&page);
    assert!(page.text().contains("data-partial"), "the page marks partial totals");

    // A revised release of PT for the same period replaces the first: revision 2, counted once.
    let db = pt.database.clone();
    let (to, token) = (url.clone(), pt_token.clone());
    let second = tokio::task::spawn_blocking(move || {
        let mut store = store::Store::open(&db).expect("open");
        let id = release(&mut store);
        app::eu::push(&mut store, &id, &to, &token).map(|p| (id, p))
    })
    .await
    .expect("join")
    .expect("push the revision");
    assert_ne!(second.0, pt.release);
    assert_eq!(second.1.revision, 2);
    let received = store::Store::open(&eu_db).expect("open").eu_releases().expect("releases");
    let of = |c: &str| {
        received
            .iter()
            .filter(|r| r.country == c)
            .map(|r| (r.revision, r.release_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(of("PT"), vec![(1, pt.release.clone()), (2, second.0.clone())]);
    assert_eq!(of("ES"), vec![(1, es.release.clone())]);
    let reply = viewer.get("/api/eu/totals?period=2024").await;
    let totals: serde_json::Value = serde_json::from_slice(&reply.body).expect("json");
    assert_eq!(
        protected_table(&pt.database, &second.0, "PT"),
        pt_table,
        "the same data gives the same protected table (suppression consistent with the first release)"
    );
    check_totals(&totals);

    // Every receipt is in the EU hub's audit log, by the sending hub.
    eu_state.flush_audit().await.expect("flush");
    let log = store::Store::open(&eu_db).expect("open").audit_log().expect("audit");
    let receipts: Vec<_> = log.iter().filter(|r| r.action == "eu.receive").collect();
    assert!(receipts.iter().any(|r| r.actor == "hub:PT" && r.outcome == "ok"));
    assert!(receipts.iter().any(|r| r.actor == "hub:ES" && r.outcome == "ok"));
    assert!(receipts.iter().any(|r| r.actor == "hub:PT" && r.outcome == "failed"));
    drop(pt_state);
}
