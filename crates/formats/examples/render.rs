//! Writes every kind of report, computed from a synthetic Portugal, in every format, to look at
//! by hand (e.g. in a browser):
//!
//! ```text
//! cargo run -p formats --example render -- OUT_DIR [NUTS.geojson] [--lang pt] [--victims N]
//! ```
//!
//! With a GeoJSON of NUTS regions (Eurostat GISCO), region maps are drawn; without it the region
//! sections say that no boundaries are loaded. Each report is written exact (`*_national.*`),
//! with the cell key method (`*_public.*`) and, for the key indicators, as a release protected by
//! suppression (`*_release.*`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use model::Codelists;
use reports::{Audience, GeoLevel, Labeller, QualityInputs, Report, ReportKind, ReportSpec};
use stats::{EngineBuilder, VictimInput};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| -> Option<String> {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
        v
    };
    let lang = take("--lang").unwrap_or_else(|| "en".into());
    let victims: u64 = take("--victims").map(|v| v.parse()).transpose()?.unwrap_or(3000);
    let out =
        PathBuf::from(args.first().ok_or("usage: render OUT_DIR [NUTS.geojson] [--lang pt] [--victims N]")?);
    let regions = match args.get(1) {
        Some(path) => {
            let text = std::fs::read_to_string(path)?;
            let opts = maps::ImportOptions {
                frame: Some(maps::LonLatBox::EUROPE),
                ..maps::ImportOptions::default()
            };
            Some(maps::import_geojson(&text, &opts)?.boundaries)
        }
        None => None,
    };
    std::fs::create_dir_all(&out)?;

    let lists = Codelists::embedded();
    let params = synth::Params {
        seed: 7,
        victims,
        first_year: 2022,
        last_year: 2025,
        as_of: NaiveDate::from_ymd_opt(2026, 3, 31).ok_or("date")?,
    };
    let data = synth::generate(&params, lists);
    let mut by_key: BTreeMap<String, u32> = BTreeMap::new();
    let mut b = EngineBuilder::new(lists, "PT", &data.providers, [7; 16]);
    b.data_version(format!("synthetic seed {} ({victims} registrations)", params.seed));
    for v in &data.victims {
        let key = v
            .linkage_keys
            .iter()
            .next()
            .map(|k| k.to_string())
            .unwrap_or_else(|| format!("{}/{}", v.provider_id, v.record_ref));
        let next = by_key.len() as u32 + 1;
        let person = *by_key.entry(key).or_insert(next);
        b.victim(VictimInput { record: v, person });
    }
    data.suspects.iter().for_each(|s| b.suspect(s));
    data.prosecutions.iter().for_each(|p| b.prosecution(p));
    data.court_decisions.iter().for_each(|d| b.court_decision(d));
    let engine = b.build();
    let names = data.providers.iter().map(|p| (p.id.to_string(), p.name.clone())).collect();
    let model_lang: model::Lang = lang.parse()?;
    let labels = Labeller::new(lists, model_lang, names);
    let ptable = sdc::PTable::new(sdc::PTableParams::default())?;

    let kinds = [
        (
            "simple",
            ReportKind::Simple { measure: "persons".into(), dims: vec!["sex".into(), "age_group".into()] },
            Some("2025"),
        ),
        (
            "forms",
            ReportKind::Simple { measure: "persons".into(), dims: vec!["exploitation".into(), "sex".into()] },
            Some("2025"),
        ),
        ("total", ReportKind::Total { providers: Vec::new() }, Some("2025")),
        (
            "time_frame",
            ReportKind::TimeFrame {
                measure: "persons".into(),
                dim: Some("sex".into()),
                granularity: "quarter".into(),
            },
            None,
        ),
        (
            "geo",
            ReportKind::Geo {
                measure: "persons".into(),
                level: GeoLevel::Nuts2,
                origin: "citizenship".into(),
            },
            Some("2025"),
        ),
        ("key_indicators", ReportKind::KeyIndicators, Some("2025")),
        ("quality", ReportKind::DataQuality, Some("2025")),
    ];
    for (name, kind, period) in kinds {
        let mut spec = ReportSpec::new(kind, period);
        spec.lang = lang.clone();
        let exact = reports::run(&engine, &spec, &labels, &QualityInputs::default(), "2026-03-31T09:30:00Z")?;
        let mut versions: Vec<(&str, Report)> = vec![("national", exact.clone())];
        if exact.sections.iter().all(|s| s.grid.is_none()) {
            let mut public = exact.clone();
            reports::protect(&mut public, Audience::Public, &ptable)?;
            versions.push(("public", public));
        }
        if name == "key_indicators" {
            let mut release = exact.clone();
            reports::release::suppress(&mut release, &engine, Audience::Eu, 5, &[])?;
            versions.push(("release", release));
        }
        for (audience, report) in versions {
            let stem = out.join(format!("{name}_{audience}"));
            let mut ctx = formats::HtmlContext::for_report(&report);
            ctx.regions = regions.clone();
            std::fs::write(stem.with_extension("html"), formats::html(&report, &ctx))?;
            std::fs::write(stem.with_extension("csv"), formats::csv(&report))?;
            std::fs::write(stem.with_extension("json"), formats::json(&report))?;
            std::fs::write(stem.with_extension("xlsx"), formats::xlsx(&report)?)?;
            if report.sections.iter().any(|s| s.sdmx.is_some()) {
                std::fs::write(
                    stem.with_extension("sdmx.csv"),
                    formats::sdmx_csv(&report, "PT_OTSH:DF_THB_KEY(1.0)")?,
                )?;
            }
        }
    }
    let structure = formats::sdmx_structure("PT_OTSH:DF_THB_KEY(1.0)", lists, "2026-03-31T09:30:00Z")?;
    std::fs::write(out.join("structure.xml"), structure)?;
    println!("written to {}", out.display());
    Ok(())
}
