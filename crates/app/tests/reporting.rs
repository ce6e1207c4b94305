//! Reports and releases from a real hub database: engine from the store, every kind in every
//! format, releases stored and remembered, boundaries imported for maps.

use app::reporting::{self, Format};
use chrono::TimeZone;
use model::Codelists;
use reports::{Audience, GeoLevel, ReportKind, ReportSpec};

fn hub() -> (tempfile::TempDir, store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let opts = app::demo::DemoOptions {
        data_dir: dir.path().to_path_buf(),
        database_url: None,
        seed: 4,
        victims: 1500,
        first_year: 2024,
        last_year: 2025,
    };
    app::demo::run(&opts).unwrap();
    let store = store::Store::open_sqlite(&dir.path().join("mosy.sqlite")).unwrap();
    (dir, store)
}

fn at(day: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 2, day, 9, 0, 0).unwrap()
}

#[test]
fn every_report_kind_renders_in_every_format_from_the_store() {
    let (_dir, mut store) = hub();
    let lists = Codelists::embedded();
    let engine = reporting::engine(&mut store, lists).unwrap();
    assert!(engine.stats().registrations > 1000);
    let kinds = [
        ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into(), "age_group".into()] },
        ReportKind::Total { providers: vec![] },
        ReportKind::TimeFrame {
            measure: "persons".into(),
            dim: Some("sex".into()),
            granularity: "quarter".into(),
        },
        ReportKind::Geo { measure: "persons".into(), level: GeoLevel::Nuts2, origin: "citizenship".into() },
        ReportKind::KeyIndicators,
        ReportKind::DataQuality,
    ];
    for kind in kinds {
        let mut spec = ReportSpec::new(kind.clone(), Some("2025"));
        spec.audience = if kind == ReportKind::DataQuality { Audience::National } else { Audience::Public };
        let report = reporting::report(&mut store, &engine, lists, &spec, at(1)).unwrap();
        for f in Format::ALL {
            if *f == Format::Sdmx && kind != ReportKind::KeyIndicators {
                continue;
            }
            let bytes = reporting::render(&mut store, &report, *f).unwrap();
            assert!(!bytes.is_empty(), "{kind:?} {f:?}");
            if *f == Format::Html {
                let html = String::from_utf8(bytes).unwrap();
                assert!(kind == ReportKind::DataQuality || html.contains("<svg"), "{kind:?}: a chart or map");
                assert!(
                    !html.contains("src=\"http") && !html.contains("href=\"http"),
                    "{kind:?}: nothing external"
                );
            }
        }
        // The same request on the same data gives the same bytes.
        let again = reporting::report(&mut store, &engine, lists, &spec, at(1)).unwrap();
        assert_eq!(
            reporting::render(&mut store, &report, Format::Json).unwrap(),
            reporting::render(&mut store, &again, Format::Json).unwrap()
        );
    }
}

#[test]
fn releases_are_frozen_remembered_and_consistent() {
    let (_dir, mut store) = hub();
    let lists = Codelists::embedded();
    let engine = reporting::engine(&mut store, lists).unwrap();
    let q1 = reporting::release(&mut store, &engine, lists, "2025-Q1", Audience::Eu, model::Lang::En, at(1))
        .unwrap();
    assert_eq!(q1.row.id, "2025-Q1-eu-1");
    assert!(q1.row.sdmx_csv.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR"));
    let year =
        reporting::release(&mut store, &engine, lists, "2025", Audience::Eu, model::Lang::En, at(2)).unwrap();
    assert!(year.withheld > 0 || year.cells > 0);
    // Stored byte for byte, and every cell remembered.
    let stored = store.releases().unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1].sdmx_csv, year.row.sdmx_csv);
    assert_eq!(store.release_cells().unwrap().len(), q1.cells + year.cells);
    // No published small count in the SDMX output.
    for line in year.row.sdmx_csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let value = cols[14];
        if let Ok(v) = value.parse::<u64>() {
            assert!(v == 0 || v >= 5, "{line}");
        } else {
            assert!(matches!(cols[17], "A" | "D"), "{line}");
        }
    }
    // A second release of the year repeats every published value of the first.
    let again =
        reporting::release(&mut store, &engine, lists, "2025", Audience::Eu, model::Lang::En, at(3)).unwrap();
    assert_eq!(again.row.id, "2025-eu-2");
    let strip = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(strip(&again.row.sdmx_csv), strip(&year.row.sdmx_csv));
    // Releases are only for protected audiences.
    assert!(
        reporting::release(&mut store, &engine, lists, "2025", Audience::National, model::Lang::En, at(4))
            .is_err()
    );
}

#[test]
fn boundaries_are_imported_once_and_used_by_maps() {
    let (dir, mut store) = hub();
    let geojson = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"NUTS_ID":"PT11","NAME_LATN":"Norte"},
       "geometry":{"type":"Polygon","coordinates":[[[-8.9,41.0],[-6.2,41.0],[-6.2,42.1],[-8.9,42.1],[-8.9,41.0]]]}},
      {"type":"Feature","properties":{"NUTS_ID":"PT1A","NAME_LATN":"Grande Lisboa"},
       "geometry":{"type":"Polygon","coordinates":[[[-9.5,38.6],[-8.9,38.6],[-8.9,39.0],[-9.5,39.0],[-9.5,38.6]]]}}]}"#;
    let path = dir.path().join("regions.geojson");
    std::fs::write(&path, geojson).unwrap();
    let r = reporting::import_boundaries(&mut store, &path, "NUTS_ID", Some("NAME_LATN")).unwrap();
    assert_eq!(r.regions, 2);
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}]}").unwrap();
    assert!(reporting::import_boundaries(&mut store, &bad, "NUTS_ID", None).is_err());
    assert!(store.boundaries(reporting::REGIONS).unwrap().is_some(), "a failed import keeps the earlier one");
    let lists = Codelists::embedded();
    let engine = reporting::engine(&mut store, lists).unwrap();
    let spec = ReportSpec::new(
        ReportKind::Geo { measure: "persons".into(), level: GeoLevel::Nuts2, origin: "citizenship".into() },
        Some("2025"),
    );
    let report = reporting::report(&mut store, &engine, lists, &spec, at(1)).unwrap();
    let html = String::from_utf8(reporting::render(&mut store, &report, Format::Html).unwrap()).unwrap();
    assert!(html.contains("Norte"), "the imported region is on the map");
}
