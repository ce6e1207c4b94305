//! The EU level in the store, on SQLite and (with `MOSY_TEST_DATABASE_URL`) PostgreSQL: national hubs
//! registered by token hash, received releases kept as revisions, observations of the latest
//! revision only, withheld cells without a value, and no update or delete of what was received.

use store::{EuHubRow, EuObservation, EuReleaseRow, Store};

fn with_each_engine(test: impl Fn(&mut Store, &dyn Fn(&str) -> Result<(), String>)) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("eu.db");
    let mut store = Store::open_sqlite(&path).expect("sqlite");
    let raw = |sql: &str| {
        rusqlite::Connection::open(&path).expect("open").execute_batch(sql).map_err(|e| e.to_string())
    };
    test(&mut store, &raw);
    if let Some(url) = std::env::var("MOSY_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
        let schema = format!(
            "mosy_eu_{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
        );
        let mut store = Store::open_postgres_in_schema(&url, &schema).expect("postgres");
        let raw = |sql: &str| {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
            c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}")).map_err(|e| format!("{e:?}"))
        };
        test(&mut store, &raw);
        drop(store);
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        c.batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE")).expect("drop schema");
    }
}

fn obs(country: &str, sex: &str, value: Option<u64>) -> EuObservation {
    EuObservation {
        country: country.into(),
        indicator: "V1_03".into(),
        series_key: format!("LEG_STAT=PER_VICT.SEX={sex}"),
        time_period: "2024".into(),
        value,
        obs_status: "A".into(),
        conf_status: if value.is_some() { "F" } else { "A" }.into(),
    }
}

fn release(country: &str, id: &str) -> EuReleaseRow {
    EuReleaseRow {
        country: country.into(),
        period: "2024".into(),
        revision: 0,
        release_id: id.into(),
        received_at: "2025-03-01T10:00:00.000000Z".into(),
        received_by: format!("hub:{country}"),
        sdmx_csv: "STRUCTURE\n".into(),
    }
}

#[test]
fn received_releases_are_revisions_and_the_latest_counts() {
    with_each_engine(|s, raw| {
        assert_eq!(s.schema_version().expect("version"), 9);
        let hub = EuHubRow {
            country: "PT".into(),
            name: "Portugal".into(),
            token_hash: "ab".repeat(32),
            created_at: "2025-01-01T00:00:00Z".into(),
        };
        s.upsert_eu_hub(&hub).expect("hub");
        assert_eq!(s.eu_hub_by_token(&"ab".repeat(32)).expect("by token"), Some(hub.clone()));
        let renewed = EuHubRow { token_hash: "cd".repeat(32), ..hub };
        s.upsert_eu_hub(&renewed).expect("new token");
        assert_eq!(s.eu_hub_by_token(&"ab".repeat(32)).expect("old token"), None);
        assert_eq!(s.eu_hubs().expect("hubs"), vec![renewed]);

        let first = [obs("PT", "F", Some(40)), obs("PT", "M", None)];
        assert_eq!(s.receive_eu_release(&release("PT", "2024-eu-1"), &first).expect("receive"), 1);
        assert_eq!(
            s.receive_eu_release(&release("ES", "2024-eu-1"), &[obs("ES", "F", Some(7))]).expect("es"),
            1
        );
        let second = [obs("PT", "F", Some(41)), obs("PT", "M", Some(12))];
        assert_eq!(s.receive_eu_release(&release("PT", "2024-eu-2"), &second).expect("revision"), 2);

        let releases = s.eu_releases().expect("releases");
        let revisions: Vec<(String, u32)> =
            releases.iter().map(|r| (r.country.clone(), r.revision)).collect();
        assert_eq!(revisions, vec![("ES".into(), 1), ("PT".into(), 1), ("PT".into(), 2)]);
        let seen = s.eu_observations("2024").expect("observations");
        let mut expected = vec![obs("ES", "F", Some(7)), second[0].clone(), second[1].clone()];
        expected.sort_by(|a, b| (&a.series_key, &a.country).cmp(&(&b.series_key, &b.country)));
        assert_eq!(seen, expected, "the latest revision of each country only");
        assert!(s.eu_observations("2023").expect("none").is_empty());

        // What was received is kept as received.
        assert!(raw("UPDATE eu_observation SET value = '1'").is_err());
        assert!(raw("DELETE FROM eu_release").is_err());
    });
}
