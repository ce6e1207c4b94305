//! The codelist bundle: the shipped data is sound, and each kind of defect is detected.

use std::collections::BTreeMap;
use std::path::PathBuf;

use model::Codelists;
use model::Lang;

fn data_files() -> BTreeMap<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let mut files = BTreeMap::new();
    for dir in ["codelists", "crosswalks"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("data dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".csv") || name.ends_with(".toml") {
                files.insert(format!("{dir}/{name}"), std::fs::read_to_string(entry.path()).expect("read"));
            }
        }
    }
    files
}

fn load_with(edit: impl FnOnce(&mut BTreeMap<String, String>)) -> Codelists {
    let mut files = data_files();
    edit(&mut files);
    Codelists::load(|name| files.get(name).cloned()).expect("bundle loads")
}

fn problems_with(edit: impl FnOnce(&mut BTreeMap<String, String>)) -> Vec<String> {
    load_with(edit).integrity_problems().iter().map(ToString::to_string).collect()
}

#[test]
fn shipped_bundle_is_sound() {
    let problems = Codelists::embedded().integrity_problems();
    assert!(problems.is_empty(), "integrity problems: {problems:#?}");
}

#[test]
fn embedded_bundle_equals_the_files_on_disk() {
    let disk = load_with(|_| {});
    let emb = Codelists::embedded();
    assert_eq!(disk.version(), emb.version());
    let ids = |c: &Codelists| {
        c.lists().map(|l| (l.id.clone(), l.version.clone(), l.entries().len())).collect::<Vec<_>>()
    };
    assert_eq!(ids(&disk), ids(emb));
}

#[test]
fn bundle_has_the_lists_of_domain_md() {
    let lists = Codelists::embedded();
    for (id, n) in [
        ("sex", 4),
        ("age_group", 4),
        ("exploitation_form", 15),
        ("provider_type", 16),
        ("country", 251),
        ("nuts", 2165),
        ("pt_district", 20),
        ("key_indicator", 21),
        ("victim_status", 5),
    ] {
        let list = lists.get(id).unwrap_or_else(|| panic!("list {id} missing"));
        assert_eq!(list.entries().len(), n, "size of {id}");
    }
    assert_eq!(lists.label("victim_status", "CONFIRMED", Lang::Pt), Some("Confirmada"));
    assert_eq!(lists.label("sex", "F", Lang::En), Some("Females"));
    assert_eq!(
        lists.crosswalk("exploitation_form__eurostat").and_then(|c| c.map("BEGGING")),
        Some("ICCS02043_02044")
    );
    assert_eq!(lists.country_iso("EL").map(|c| c.alpha3.as_str()), Some("GRC"));
    let eu = lists.countries_iso().iter().filter(|c| c.eu27).count();
    assert_eq!(eu, 27);
}

#[test]
fn duplicated_code_is_detected() {
    let problems = problems_with(|f| {
        let sex = f.get_mut("codelists/sex.csv").expect("sex.csv");
        sex.push_str("F,Females again,Feminino,test\n");
    });
    assert!(problems.iter().any(|p| p.contains("codelist sex") && p.contains("duplicates")), "{problems:?}");
}

#[test]
fn crosswalk_to_missing_code_is_detected() {
    let problems = problems_with(|f| {
        let cw = f.get_mut("crosswalks/exploitation_form__eurostat.csv").expect("crosswalk");
        *cw = cw.replace("SEXUAL,ICCS02041", "SEXUAL,ICCS09999");
    });
    assert!(
        problems.iter().any(|p| p.contains("exploitation_form__eurostat") && p.contains("ICCS09999")),
        "{problems:?}"
    );
}

#[test]
fn crosswalk_from_missing_code_and_gaps_in_total_crosswalk_are_detected() {
    let problems = problems_with(|f| {
        let cw = f.get_mut("crosswalks/exploitation_form__eurostat.csv").expect("crosswalk");
        *cw = cw.replace("BEGGING,", "BEGGARY,");
    });
    assert!(
        problems.iter().any(|p| p.contains("`BEGGARY` is not a code of exploitation_form")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("`BEGGING` of exploitation_form is not mapped")),
        "{problems:?}"
    );
}

#[test]
fn missing_portuguese_label_is_detected() {
    let problems = problems_with(|f| {
        let list = f.get_mut("codelists/victim_status.csv").expect("victim_status.csv");
        *list = list.replace(",Confirmada,", ",,");
    });
    assert!(problems.iter().any(|p| p.contains("`CONFIRMED` has no Portuguese label")), "{problems:?}");
}

#[test]
fn model_enum_drift_is_detected() {
    let problems = problems_with(|f| {
        let list = f.get_mut("codelists/country_role.csv").expect("country_role.csv");
        list.push_str("RETURN,Return,Retorno,test\n");
    });
    assert!(
        problems.iter().any(|p| p.contains("codelist country_role") && p.contains("differ")),
        "{problems:?}"
    );
}

#[test]
fn wrong_header_is_a_load_error() {
    let mut files = data_files();
    let sex = files.get_mut("codelists/sex.csv").expect("sex");
    *sex = sex.replacen("code,label_en,label_pt,source", "code,label,label_pt,source", 1);
    let err = Codelists::load(|name| files.get(name).cloned()).expect_err("must fail");
    assert!(err.to_string().contains("codelists/sex.csv"), "{err}");
}
