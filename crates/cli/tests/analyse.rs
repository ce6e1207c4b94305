//! End-to-end tests of `mosy analyse`: hotspots over a small grid of district boundaries
//! (reproducible with a seed, with and without rates, for an exact and a protected audience),
//! association with region indicators, projections with their back-test and a refusal.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

fn mosy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .output()
        .expect("runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The mainland districts PT-01…PT-18 as a 3 × 6 grid of squares (0.5°, west to east, south to
/// north), the Azores (PT-20) and Madeira (PT-30) as squares far from the others (islands).
fn districts_geojson() -> String {
    let square = |code: &str, lon: f64, lat: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","name":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{e},{lat}],[{e},{n}],[{lon},{n}],[{lon},{lat}]]]}}}}"#,
            e = lon + 0.5,
            n = lat + 0.5
        )
    };
    let mut features: Vec<String> = (0..18)
        .map(|i| {
            square(&format!("PT-{:02}", i + 1), -9.0 + 0.5 * f64::from(i % 3), 38.0 + 0.5 * f64::from(i / 3))
        })
        .collect();
    features.push(square("PT-20", -20.0, 38.0));
    features.push(square("PT-30", -17.0, 35.0));
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
}

/// Population, unemployment (%) and inspections per district for 2025.
fn indicators_csv() -> String {
    let mut s = String::from("region,period,indicator,value\n");
    for (i, code) in (1..=18).chain([20, 30]).enumerate() {
        let i = i as u32;
        let _ = writeln!(s, "PT-{code:02},2025,population,{}", 150_000 + 61_000 * ((i * 7) % 20));
        let _ = writeln!(s, "PT-{code:02},2025,unemployment,{}.{}", 4 + (i * 3) % 9, i % 10);
        let _ = writeln!(s, "PT-{code:02},2025,inspections,{}", 5 + (i * 5) % 13);
    }
    s
}

/// A demo hub with the district grid imported; returns the hub directory.
fn hub(dir: &Path) -> String {
    let d = dir.to_str().expect("utf8 path").to_string();
    ok(&mosy(&["demo", "--data-dir", &d, "--victims", "2000", "--seed", "3"]));
    let geo = dir.join("districts.geojson");
    std::fs::write(&geo, districts_geojson()).expect("geojson");
    let text = ok(&mosy(&[
        "geo",
        "import",
        geo.to_str().expect("utf8"),
        "--code-property",
        "code",
        "--data-dir",
        &d,
    ]));
    assert!(text.contains("imported 20 regions"), "{text}");
    std::fs::write(dir.join("indicators.csv"), indicators_csv()).expect("indicators");
    d
}

/// A file's text without the line or field of its generation time.
fn without_time(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.to_ascii_lowercase().contains("generated"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hotspots_association_and_projections_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = hub(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let indicators = dir.path().join("indicators.csv");
    let ind = indicators.to_str().expect("utf8");

    // Hotspots, twice with one seed: the same bytes (but for the generation time).
    let run = |stem: &str, seed: &str| {
        let path = out.join(stem);
        let args = vec![
            "analyse",
            "hotspots",
            "--level",
            "district",
            "--permutations",
            "199",
            "--seed",
            seed,
            "--format",
            "csv,json,xlsx,html",
            "-o",
            path.to_str().expect("utf8"),
            "--data-dir",
            &d,
        ];
        let text = ok(&mosy(&args));
        assert!(text.contains("wrote"), "{text}");
        path
    };
    let a = run("a", "7");
    let b = run("b", "7");
    for ext in ["csv", "json", "html"] {
        assert_eq!(without_time(&a.with_extension(ext)), without_time(&b.with_extension(ext)), "{ext}");
    }
    let csv = std::fs::read_to_string(a.with_extension("csv")).expect("csv");
    assert!(csv.contains("Gi*") && csv.contains("PT-11") && csv.contains("Global Moran"), "{csv}");
    assert!(csv.contains("islands") && csv.contains("PT-20"), "{csv}");
    let html = std::fs::read_to_string(a.with_extension("html")).expect("html");
    assert!(html.contains("<svg") && html.contains("hot spot") || html.contains("not significant"), "{html}");
    // Another seed may change p-values but never the statistics' columns.
    let c = run("c", "8");
    assert!(std::fs::read_to_string(c.with_extension("csv")).expect("csv").contains("Gi*"));

    // Rates per population, local Moran, for the public: computed from the published counts.
    let text = ok(&mosy(&[
        "analyse",
        "hotspots",
        "--level",
        "district",
        "--statistic",
        "moran",
        "--population",
        ind,
        "--period",
        "2025",
        "--audience",
        "public",
        "--format",
        "csv",
        "--data-dir",
        &d,
    ]));
    assert!(text.contains("Rate per 100,000") && text.contains("Local Moran"), "{text}");
    assert!(text.contains("published (protected) counts"), "{text}");
    assert!(text.contains("cell_key") || text.contains("cell key"), "{text}");

    // Association with two indicators, both models.
    for model in ["poisson", "negbin"] {
        let text = ok(&mosy(&[
            "analyse",
            "association",
            "--level",
            "district",
            "--indicators",
            ind,
            "--covariates",
            "unemployment,inspections",
            "--model",
            model,
            "--period",
            "2025",
            "--data-dir",
            &d,
        ]));
        assert!(
            text.contains("Rate ratio") && text.contains("unemployment") && text.contains("AIC"),
            "{text}"
        );
        assert!(text.contains("log(population)"), "{text}");
    }
    // A covariate the file does not have is named.
    let o = mosy(&[
        "analyse",
        "association",
        "--level",
        "district",
        "--indicators",
        ind,
        "--covariates",
        "roads",
        "--data-dir",
        &d,
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no indicator `roads`"));

    // Projection by quarter: intervals, back-test; HTML with the band.
    let p = out.join("projection");
    ok(&mosy(&[
        "analyse",
        "projection",
        "--granularity",
        "month",
        "--horizon",
        "6",
        "--seed",
        "3",
        "--format",
        "csv,html",
        "-o",
        p.to_str().expect("utf8"),
        "--data-dir",
        &d,
    ]));
    let csv = std::fs::read_to_string(p.with_extension("csv")).expect("csv");
    assert!(csv.contains("MAPE") && csv.contains("chosen"), "{csv}");
    let html = std::fs::read_to_string(p.with_extension("html")).expect("html");
    assert!(html.contains("<svg") && html.contains("MASE"), "{html}");
    // By year the series is too short: no projection, and why.
    let text = ok(&mosy(&["analyse", "projection", "--granularity", "year", "--data-dir", &d]));
    assert!(text.contains("No projection") && text.contains("at least 10"), "{text}");
}
