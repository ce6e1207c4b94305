//! Writes a synthetic *police-style export* for the import benchmark: the victims of a
//! synthetic Portugal (`synth`), all stamped as registered by the Polícia Judiciária, in
//! Portuguese headers and values, `;`-separated, dates dd/mm/yyyy — the layout
//! `bench/pt_police_bench.toml` maps back onto the common model.
//!
//! `cargo run --release -p app --example police_export -- VICTIMS SEED OUT.csv`

use std::io::Write as _;

use model::{Codelists, Lang, ModelCode, ModelRecord, VictimRegistration};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let victims: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    let out = std::path::PathBuf::from(args.get(3).cloned().unwrap_or_else(|| "police.csv".into()));
    let lists = Codelists::embedded();
    let tmp = tempfile::tempdir()?;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    let params = synth::Params { seed, victims, first_year: 2019, last_year: 2025, as_of };
    synth::write_csv(&params, lists, tmp.path())?;

    let mut rdr = csv::Reader::from_path(tmp.path().join("victims.csv"))?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?));
    w.write_record(HEADER)?;
    let mut rec = csv::StringRecord::new();
    let mut vals: Vec<String> = Vec::new();
    while rdr.read_record(&mut rec)? {
        let values: Vec<&str> = rec.iter().collect();
        let v = VictimRegistration::parse(&values, lists).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        vals.clear();
        row(&v, lists, &mut vals);
        w.write_record(&vals)?;
    }
    w.flush()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "wrote {victims} victim rows to {}", out.display())?;
    Ok(())
}

const HEADER: &[&str] = &[
    "N.º Processo",
    "Data Registo",
    "Situação",
    "Data Situação",
    "Entidade Identificadora",
    "Processos Ligados",
    "Sexo",
    "Idade",
    "Nacionalidade",
    "País de Recrutamento",
    "País de Exploração",
    "NUTS Exploração",
    "NUTS Deteção",
    "Distrito",
    "Papel de Portugal",
    "Tipo de Exploração",
    "Exploração Principal",
    "Setor",
    "Meios de Controlo",
    "Apoio",
    "Período de Reflexão",
    "Autorização de Residência",
    "Versão",
    "Data Atualização",
    "Chave",
    "Chaves de Ligação",
];

fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn yes(v: model::codes::YesNoUnknown) -> &'static str {
    match v {
        model::codes::YesNoUnknown::Yes => "Sim",
        model::codes::YesNoUnknown::No => "Não",
        model::codes::YesNoUnknown::Unknown => "Desconhecido",
    }
}

fn row(v: &VictimRegistration, lists: &Codelists, out: &mut Vec<String>) {
    let pt = |list: &str, code: &str| lists.label(list, code, Lang::Pt).unwrap_or(code).to_owned();
    let alpha3 = |c: &str| lists.country_iso(c).map(|i| i.alpha3.clone()).unwrap_or_default();
    out.push(v.record_ref.to_string());
    out.push(dmy(v.registration_date));
    out.push(pt("victim_status", v.status.code()));
    out.push(dmy(v.status_date));
    out.push(v.identifying_authority_type.map(|t| t.code().to_owned()).unwrap_or_default());
    out.push(v.linked_record_refs.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    out.push(pt("sex", v.sex.code()));
    out.push(v.age_at_registration.map(|a| a.to_string()).unwrap_or_default());
    let nat: Vec<String> = v
        .citizenship
        .iter()
        .map(|c| match c {
            model::Citizenship::Country(c) => pt("country", c.as_str()),
            model::Citizenship::Stateless => "Apátrida".to_owned(),
            model::Citizenship::Unknown => "Desconhecida".to_owned(),
        })
        .collect();
    out.push(nat.join("/"));
    out.push(match v.country_of_recruitment {
        Some(model::Known::Known(c)) => alpha3(c.as_str()),
        Some(model::Known::Unknown) => "Desconhecido".to_owned(),
        None => String::new(),
    });
    out.push(match v.country_of_exploitation {
        model::Known::Known(c) => alpha3(c.as_str()),
        model::Known::Unknown => "Desconhecido".to_owned(),
    });
    out.push(v.place_of_exploitation_nuts.map(|n| n.to_string()).unwrap_or_default());
    out.push(v.place_of_detection_nuts.map(|n| n.to_string()).unwrap_or_default());
    out.push(v.district.map(|d| d.to_string()).unwrap_or_default());
    out.push(pt("country_role", v.country_role.code()));
    let forms: Vec<String> = v.exploitation.forms.iter().map(|f| pt("exploitation_form", f.code())).collect();
    out.push(forms.join(","));
    out.push(pt("exploitation_form", v.exploitation.main.code()));
    out.push(v.labour_sector.map(|s| s.to_string()).unwrap_or_default());
    out.push(v.means_of_control.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    out.push(yes(v.assistance_received).to_owned());
    out.push(yes(v.reflection_period_granted).to_owned());
    out.push(yes(v.residence_permit_granted).to_owned());
    out.push(v.record_version.to_string());
    out.push(dmy(v.updated_at.date_naive()));
    out.push(v.linkage_key_id.as_ref().map(ToString::to_string).unwrap_or_default());
    out.push(v.linkage_keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
}
