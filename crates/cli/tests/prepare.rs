//! `mosy prepare` at the provider: identities in, model fields and keyed linkage keys out.
//! The planted-identity test searches every byte the command produces for the planted names,
//! birth dates, document numbers and phone numbers. Then two providers' prepared files are
//! imported at the hub and the same person, written differently, is counted once.

use std::path::Path;
use std::process::{Command, Output};

fn mosy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mosy"))
        .args(args)
        .env_remove("MOSY_DATABASE_URL")
        .env("MOSY_LOG", "debug")
        .output()
        .expect("runs")
}

fn all_output(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

const PROFILE: &str = r#"
[profile]
id = "test-raw-victims"
version = "1"
record_type = "VICTIM"

[source]
delimiter = ";"
date_formats = ["%d/%m/%Y"]

[constants]
record_version = 1
country_of_exploitation = "PT"
country_role = "DESTINATION"
assistance_received = "UNK"
reflection_period_granted = "UNK"
residence_permit_granted = "UNK"

[fields.provider_id]
column = "Entidade"

[fields.record_ref]
column = "Processo"

[fields.registration_date]
column = "Data Registo"

[fields.status]
column = "Situação"
values = { "Sinalizada" = "SIGNALLED", "Pendente" = "PENDING" }

[fields.status_date]
copy = "registration_date"

[fields.sex]
column = "Sexo"
values = { "Masculino" = "M", "Feminino" = "F" }

[fields.age_at_registration]
derive = "age_from_birth_date"

[fields.age_group]
derive = "age_group_from_age"

[fields.citizenship]
column = "Nacionalidade"
country = true

[fields.forms_of_exploitation]
column = "Exploração"
values = { "Laboral" = "LABOUR", "Sexual" = "SEXUAL" }

[fields.main_exploitation]
derive = "first_form"

[fields.updated_at]
copy = "registration_date"

[identity]
given_names = "Nome"
family_names = "Apelidos"
birth_date = { column = "Data Nascimento", date_format = "%d/%m/%Y" }
"#;

/// Planted identities: (given, family, birth date dd/mm/yyyy, document, phone).
const PEOPLE: &[(&str, &str, &str, &str, &str)] = &[
    ("Ioana Maria", "Popescu", "14/03/1991", "RO1234567", "+40 721 555 019"),
    ("Ram Bahadur", "Gurung", "02/11/1987", "NP09876543", "+977 980 1234567"),
    ("Joana", "Fernandes Teixeira", "29/07/2004", "CC154872369ZZ4", "912 345 678"),
];

fn write_raw(path: &Path, provider: &str, prefix: &str, typo: bool, bad_row: bool) {
    let mut s = String::from(
        "Entidade;Processo;Data Registo;Situação;Sexo;Nacionalidade;Exploração;Nome;Apelidos;Data Nascimento;N.º Documento;Telefone\n",
    );
    let nat = ["Roménia", "Nepal", "Portugal"];
    let sex = ["Feminino", "Masculino", "Feminino"];
    let form = ["Sexual", "Laboral", "Laboral"];
    for (i, (given, family, dob, doc, phone)) in PEOPLE.iter().enumerate() {
        // The second provider spells the first person's surname differently.
        let family = if typo && i == 0 { "Popesku" } else { family };
        s.push_str(&format!(
            "{provider};{prefix}-{i};10/0{}/2025;Sinalizada;{};{};{};{given};{family};{dob};{doc};{phone}\n",
            i + 1,
            sex[i],
            nat[i],
            form[i]
        ));
    }
    if bad_row {
        s.push_str(&format!(
            "{provider};{prefix}-9;10/05/2025;Sinalizada;Homem;Roménia;Laboral;Elena;Popescu;01/01/1990;X9;+40 700 000 000\n"
        ));
    }
    std::fs::write(path, s).expect("write raw");
}

#[test]
fn planted_identities_never_reach_any_output_and_persons_are_counted_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let p = |name: &str| tmp.path().join(name).to_str().expect("utf8").to_owned();
    std::fs::write(tmp.path().join("profile.toml"), PROFILE).expect("profile");
    let o = mosy(&["key", "generate", "--key-id", "PT-LK-2026-1", "-o", &p("secret.key")]);
    assert!(o.status.success(), "{}", all_output(&o));
    let secret = std::fs::read_to_string(tmp.path().join("secret.key")).expect("key");

    write_raw(&tmp.path().join("raw_pj.csv"), "PT-PJ", "PJ", false, true);
    write_raw(&tmp.path().join("raw_apav.csv"), "PT-NGO-APAV", "APAV", true, false);

    let mut outputs = Vec::new();
    for (raw, out, report) in [
        ("raw_pj.csv", "pj_submission.csv", "pj_report.json"),
        ("raw_apav.csv", "apav_submission.csv", "apav_report.csv"),
    ] {
        let o = mosy(&[
            "prepare",
            "--profile",
            &p("profile.toml"),
            "--key-file",
            &p("secret.key"),
            &p(raw),
            "-o",
            &p(out),
            "--report",
            &p(report),
        ]);
        let text = all_output(&o);
        outputs.push(text.clone());
        outputs.push(std::fs::read_to_string(tmp.path().join(out)).expect("submission written"));
        outputs.push(std::fs::read_to_string(tmp.path().join(report)).expect("report written"));
        assert!(text.contains("with linkage keys"), "{text}");
    }
    // The bad row (sex `Homem`) is reported by row and column, not by value.
    assert!(outputs[0].contains("row 4") && outputs[0].contains("map.unmapped_value"), "{}", outputs[0]);
    assert!(outputs[1].contains("linkage_keys") && outputs[1].lines().count() == 4, "{}", outputs[1]);

    let everything = outputs.join("\n");
    let mut planted: Vec<String> = Vec::new();
    for (given, family, dob, doc, phone) in PEOPLE {
        for part in given.split(' ').chain(family.split(' ')) {
            planted.push(part.to_owned());
        }
        let (d, rest) = dob.split_at(2);
        let (m, y) = (&rest[1..3], &rest[4..]);
        planted.extend([
            dob.to_string(),
            format!("{y}-{m}-{d}"),
            format!("{y}{m}{d}"),
            doc.to_string(),
            phone.to_string(),
        ]);
    }
    planted.extend(["Popesku".into(), "Elena".into(), "01/01/1990".into(), secret.trim().to_owned()]);
    for needle in &planted {
        assert!(!everything.contains(needle.as_str()), "planted identity `{needle}` leaked into an output");
        assert!(
            !everything.to_uppercase().contains(&needle.to_uppercase()) || needle.len() < 5,
            "planted identity `{needle}` leaked (case-folded)"
        );
    }

    // At the hub: the two prepared files; the first person is one person despite the typo.
    let hub = p("hub");
    let providers = tmp.path().join("providers.csv");
    std::fs::write(
        &providers,
        "provider_id,name,provider_type,country,nuts,can_formally_identify,submits,valid_from,valid_to\n\
         PT-PJ,Polícia Judiciária,POLICE,PT,,true,VICTIM,2010-01-01,\n\
         PT-NGO-APAV,APAV,NGO,PT,,false,VICTIM,2010-01-01,\n",
    )
    .expect("providers");
    let o = mosy(&["provider", "load", providers.to_str().expect("utf8"), "--data-dir", &hub]);
    assert!(o.status.success(), "{}", all_output(&o));
    for (provider, file) in [("PT-PJ", "pj_submission.csv"), ("PT-NGO-APAV", "apav_submission.csv")] {
        let o = mosy(&["import", "--provider", provider, "--data-dir", &hub, &p(file)]);
        assert!(o.status.success(), "{}", all_output(&o));
    }
    let o = mosy(&["persons", "--data-dir", &hub]);
    let text = all_output(&o);
    assert!(text.contains("6 registrations, 3 persons, 3 registered by more than one provider"), "{text}");
    // The hub database holds no planted identity either.
    let mut db = std::fs::read(tmp.path().join("hub/mosy.sqlite")).expect("db");
    db.extend(std::fs::read(tmp.path().join("hub/mosy.sqlite-wal")).unwrap_or_default());
    let db_text = String::from_utf8_lossy(&db);
    // Single given names can be parts of codelist labels the hub stores (e.g. "Marianas"), so the
    // database is searched for full names, surnames, dates, documents, phones and the secret.
    let mut db_needles: Vec<String> =
        vec!["Popescu".into(), "Popesku".into(), "Gurung".into(), secret.trim().to_owned()];
    for (given, family, dob, doc, phone) in PEOPLE {
        db_needles.extend([format!("{given} {family}"), dob.to_string(), doc.to_string(), phone.to_string()]);
        let (d, rest) = dob.split_at(2);
        let (m, y) = (&rest[1..3], &rest[4..]);
        db_needles.extend([format!("{y}-{m}-{d}"), format!("{y}{m}{d}")]);
    }
    for needle in &db_needles {
        assert!(!db_text.contains(needle.as_str()), "planted identity `{needle}` reached the hub database");
    }
}
