//! Integration tests of mapping profiles: three realistic provider exports (a Portuguese police
//! export, a CTDC-style wide file, an HTCDS-style NGO export) mapped end to end through
//! `Mapper` and `model::text::parse_and_validate`, plus load errors, hub mode, matching,
//! countries, flags, missing markers, age derivation, coverage and value hygiene.

use std::path::Path;

use chrono::NaiveDate;
use ingest::profile::{Coverage, MapIssue, MapRule, Mapper, Profile, ProfileError};
use model::{Codelists, Context, ModelRecord, VictimRegistration};

fn lists() -> &'static Codelists {
    Codelists::embedded()
}

fn ctx() -> Context<'static> {
    Context {
        reporting_country: model::Code::parse("PT", lists()).expect("PT"),
        as_of: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        providers: None,
    }
}

fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn profile(text: &str) -> Profile {
    Profile::parse(text, lists()).unwrap_or_else(|e| panic!("profile: {e}"))
}

/// A CSV text as header + rows.
fn table(text: &str, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let header = rdr.headers().expect("header").iter().map(str::to_owned).collect();
    let rows = rdr.records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// (line, column, field, rule) of a mapping issue.
type IssueKey = (u64, Option<String>, &'static str, &'static str);
/// (line, field, rule) of a validation violation.
type ViolationKey = (u64, &'static str, &'static str);

#[derive(Default)]
struct Outcome {
    issues: Vec<IssueKey>,
    violations: Vec<ViolationKey>,
    valid: Vec<VictimRegistration>,
    /// Canonical values per line.
    mapped: Vec<(u64, Vec<String>)>,
    texts: Vec<String>,
}

impl Outcome {
    fn value(&self, line: u64, field: &str) -> &str {
        let i = VictimRegistration::COLUMNS.iter().position(|c| *c == field).expect("field");
        let row = self.mapped.iter().find(|(l, _)| *l == line).expect("line");
        &row.1[i]
    }
}

/// Maps every row (line = 1-based line in the file, header = 1) and validates the clean ones.
fn run(p: &Profile, header: &[String], rows: &[Vec<String>]) -> Outcome {
    let mapper = Mapper::new(p, header, lists(), false).expect("bind");
    let mut o = Outcome::default();
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let line = i as u64 + 2;
        issues.clear();
        let value = |c: usize| row.get(c).map_or("", String::as_str);
        mapper.map_row(&value, &mut out, &mut issues);
        o.mapped.push((line, out.clone()));
        for x in &issues {
            o.issues.push((line, x.column.clone(), x.field, x.rule.code()));
            o.texts.push(x.to_string());
        }
        if !issues.is_empty() {
            continue;
        }
        let refs: Vec<&str> = out.iter().map(String::as_str).collect();
        match model::text::parse_and_validate::<VictimRegistration>(&refs, line, lists(), &ctx()) {
            Ok(v) => o.valid.push(v.into_inner()),
            Err(e) => {
                o.texts.push(e.to_string());
                for v in &e.violations {
                    o.violations.push((line, v.field, v.rule.code()));
                }
            }
        }
    }
    o
}

fn load(profile_file: &str, csv_file: &str) -> (Profile, Vec<String>, Vec<Vec<String>>) {
    let p = profile(&fixture(profile_file));
    let (h, r) = table(&fixture(csv_file), p.delimiter().unwrap_or(b','));
    (p, h, r)
}

fn col(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[test]
fn pt_police_export_maps_and_validates() {
    let (p, header, rows) = load("pt_police_victims.toml", "pt_police_victims.csv");
    assert_eq!(p.id(), "pt-pj-victims");
    assert_eq!(p.version(), "3");
    assert_eq!(p.record_type(), model::codes::RecordType::Victim);
    assert!(p.has_identity());
    let o = run(&p, &header, &rows);
    assert_eq!(
        o.issues,
        vec![
            (7, col("Sexo"), "sex", "map.unmapped_value"),
            (8, col("Data Registo"), "registration_date", "map.bad_date"),
            (9, col("Nacionalidade"), "citizenship", "map.unknown_country"),
        ]
    );
    assert_eq!(
        o.violations,
        vec![
            (10, "age_at_registration", "age.range"),
            (11, "identifying_authority_type", "status.confirmed_needs_authority"),
            (12, "main_exploitation", "exploitation.main_not_in_forms"),
        ]
    );
    assert_eq!(o.valid.len(), 15);

    // upper case, accents dropped, English names, Portuguese names, split lists, set values
    assert_eq!(o.value(4, "sex"), "M");
    assert_eq!(o.value(4, "citizenship"), "IN");
    assert_eq!(o.value(4, "forms_of_exploitation"), "LABOUR");
    assert_eq!(o.value(4, "main_exploitation"), "LABOUR");
    assert_eq!(o.value(20, "forms_of_exploitation"), "LABOUR");
    assert_eq!(o.value(20, "residence_permit_granted"), "N");
    assert_eq!(o.value(13, "citizenship"), "MD|RO");
    assert_eq!(o.value(13, "forms_of_exploitation"), "SEXUAL|LABOUR");
    assert_eq!(o.value(5, "forms_of_exploitation"), "SEXUAL|LABOUR");
    assert_eq!(o.value(16, "citizenship"), "PK");
    assert_eq!(o.value(21, "citizenship"), "GW");
    assert_eq!(o.value(14, "citizenship"), "STLS");
    assert_eq!(o.value(19, "citizenship"), "UNK");
    assert_eq!(o.value(19, "sex"), "UNK");
    // missing markers: N/D and empty cells take the default, or stay empty
    assert_eq!(o.value(3, "reflection_period_granted"), "UNK");
    assert_eq!(o.value(14, "country_of_recruitment"), "");
    // age groups from the age; no age → UNK
    assert_eq!(o.value(5, "age_group"), "Y_LT18");
    assert_eq!(o.value(2, "age_group"), "Y_GE18");
    assert_eq!(o.value(6, "age_group"), "UNK");
    // dates, timestamps, districts, constants, case refs
    assert_eq!(o.value(2, "registration_date"), "2025-01-10");
    assert_eq!(o.value(2, "updated_at"), "2025-02-20T00:00:00Z");
    assert_eq!(o.value(2, "district"), "PT-11");
    assert_eq!(o.value(14, "district"), "PT-07");
    assert_eq!(o.value(2, "provider_id"), "PT-PJ");
    assert_eq!(o.value(2, "record_version"), "1");
    assert_eq!(o.value(2, "case_refs"), "123/25.0JALSB");
    assert_eq!(o.value(2, "identifying_authority_type"), "POLICE");
    assert_eq!(o.value(16, "identifying_authority_type"), "LABOUR_INSP");
    assert_eq!(o.value(15, "status"), "DECLINED");
    assert_eq!(o.value(17, "country_role"), "ORIGIN");
    // no identity attribute reaches a canonical value
    for (_, row) in &o.mapped {
        for v in row {
            for secret in ["Silva Costa", "1990-05-14", "14/05/1990", "Popescu", "Trabalho agrícola"] {
                assert!(!v.contains(secret), "{v}");
            }
        }
    }
}

#[test]
fn ctdc_wide_file_maps_flags_years_and_alpha3() {
    let (p, header, rows) = load("ctdc_wide.toml", "ctdc_wide.csv");
    assert!(!p.has_identity());
    let o = run(&p, &header, &rows);
    assert_eq!(
        o.issues,
        vec![
            (6, col("gender"), "sex", "map.unmapped_value"),
            (7, col("citizenship"), "citizenship", "map.unknown_country"),
            (8, col("yearOfRegistration"), "registration_date", "map.bad_date"),
            (9, col("isForcedLabour"), "forms_of_exploitation", "map.bad_flag"),
            (10, None, "labour_sector", "map.bad_flag"),
        ]
    );
    assert_eq!(
        o.violations,
        vec![
            (11, "labour_sector", "labour_sector.needs_labour_form"),
            (12, "registration_date", "date.future"),
            (12, "status_date", "date.future"),
        ]
    );
    assert_eq!(o.valid.len(), 13);

    // a year alone gives 1 July; copies follow, a date copied into a timestamp is midnight UTC
    assert_eq!(o.value(2, "registration_date"), "2019-07-01");
    assert_eq!(o.value(2, "status_date"), "2019-07-01");
    assert_eq!(o.value(2, "updated_at"), "2019-07-01T00:00:00Z");
    // crosswalks of the bundle
    assert_eq!(o.value(2, "sex"), "F");
    assert_eq!(o.value(2, "age_group"), "Y_GE18");
    assert_eq!(o.value(5, "age_group"), "Y_LT18");
    assert_eq!(o.value(13, "sex"), "UNK");
    assert_eq!(o.value(17, "sex"), "M");
    assert_eq!(o.value(19, "sex"), "M");
    // alpha-3 (any case) and derived country role
    assert_eq!(o.value(2, "citizenship"), "RO");
    assert_eq!(o.value(19, "citizenship"), "VN");
    assert_eq!(o.value(2, "country_of_exploitation"), "PT");
    assert_eq!(o.value(2, "country_role"), "DESTINATION");
    assert_eq!(o.value(5, "country_role"), "ORIGIN");
    // flags → sets; main form by priority; single-valued flags
    assert_eq!(o.value(2, "forms_of_exploitation"), "SEXUAL");
    assert_eq!(o.value(16, "forms_of_exploitation"), "LABOUR|SEXUAL");
    assert_eq!(o.value(16, "main_exploitation"), "SEXUAL");
    assert_eq!(o.value(21, "main_exploitation"), "LABOUR");
    assert_eq!(o.value(3, "means_of_control"), "ExcessiveWorkingHours|WithholdsDocuments");
    assert_eq!(o.value(13, "sexual_exploitation_type"), "Pornography|Prostitution");
    assert_eq!(o.value(2, "recruiter_relation"), "IntimatePartner");
    assert_eq!(o.value(3, "labour_sector"), "A");
    assert_eq!(o.value(2, "minor_at_exploitation"), "Y");
    // -99 everywhere: defaults
    assert_eq!(o.value(14, "forms_of_exploitation"), "UNK");
    assert_eq!(o.value(14, "main_exploitation"), "UNK");
    assert_eq!(o.value(14, "citizenship"), "UNK");
    assert_eq!(o.value(14, "age_group"), "UNK");
    assert_eq!(o.value(14, "trafficking_duration"), "");
    assert_eq!(o.value(2, "trafficking_duration"), "0--12");
}

#[test]
fn htcds_ngo_export_maps_multiselects_and_derives_age() {
    let (p, header, rows) = load("htcds_ngo.toml", "htcds_ngo.csv");
    let o = run(&p, &header, &rows);
    assert_eq!(
        o.issues,
        vec![
            (5, col("prs_Birthdate"), "age_at_registration", "map.derive_failed"),
            (6, col("vic_TypeOfExploitation"), "forms_of_exploitation", "map.unmapped_value"),
            (7, col("prs_Citizenship"), "citizenship", "map.unknown_country"),
            (8, col("cas_IncomingReferralDate"), "registration_date", "map.bad_date"),
            (12, col("prs_Birthdate"), "age_at_registration", "map.derive_failed"),
        ]
    );
    assert_eq!(
        o.violations,
        vec![
            (9, "identifying_authority_type", "status.confirmed_needs_authority"),
            (10, "sexual_exploitation_type", "sexual_type.needs_sexual_form"),
            (11, "age_at_registration", "age.range"),
        ]
    );
    assert_eq!(o.valid.len(), 10);

    assert_eq!(o.value(2, "age_at_registration"), "26");
    assert_eq!(o.value(2, "age_group"), "Y_GE18");
    assert_eq!(o.value(4, "age_at_registration"), "15");
    assert_eq!(o.value(4, "age_group"), "Y_LT18");
    assert_eq!(o.value(13, "age_at_registration"), "");
    assert_eq!(o.value(13, "age_group"), "UNK");
    assert_eq!(o.value(13, "sex"), "UNK");
    assert_eq!(o.value(13, "citizenship"), "UNK");
    assert_eq!(o.value(13, "forms_of_exploitation"), "UNK");
    // crosswalked statuses, authorities, forms; duplicates from many-to-one crosswalks collapse
    assert_eq!(o.value(3, "status"), "CONFIRMED");
    assert_eq!(o.value(3, "identifying_authority_type"), "POLICE");
    assert_eq!(o.value(15, "identifying_authority_type"), "PROSECUTION");
    assert_eq!(o.value(4, "forms_of_exploitation"), "LABOUR");
    assert_eq!(o.value(14, "forms_of_exploitation"), "LABOUR|SEXUAL");
    assert_eq!(o.value(14, "main_exploitation"), "SEXUAL");
    assert_eq!(o.value(14, "sex"), "UNK");
    assert_eq!(o.value(14, "gender"), "TransgenderFeminine");
    assert_eq!(o.value(14, "status"), "NOT_CONFIRMED");
    // ISO alpha-2 lists (GB is the model's UK), multiselects, labour sectors
    assert_eq!(o.value(3, "citizenship"), "RO|MD");
    assert_eq!(o.value(18, "citizenship"), "NG|UK");
    assert_eq!(o.value(3, "labour_sector"), "A");
    assert_eq!(o.value(3, "means_of_control"), "DebtBondage|WithholdsDocuments");
    assert_eq!(o.value(15, "sexual_exploitation_type"), "Prostitution|PrivateSexualServices");
    assert_eq!(o.value(2, "support_types"), "Health|Legal");
    assert_eq!(o.value(2, "status_date"), "2025-01-08");
    assert_eq!(o.value(2, "updated_at"), "2025-01-20T10:00:00Z");
    // lower-case picklist values
    assert_eq!(o.value(17, "sex"), "F");
    assert_eq!(o.value(17, "forms_of_exploitation"), "LABOUR");
    assert_eq!(o.value(17, "labour_sector"), "C");
    assert_eq!(o.value(17, "recruitment_method"), "AtWork");
    assert_eq!(o.value(17, "country_role"), "DESTINATION");
    assert_eq!(o.value(5, "country_role"), "ORIGIN");
}

// ---- load errors ----------------------------------------------------------------------------

const MINIMAL: &str = r#"
[profile]
id = "t"
version = "1"
record_type = "VICTIM"

[constants]
provider_id = "PT-X"
status = "SIGNALLED"
country_role = "DESTINATION"
assistance_received = "UNK"
reflection_period_granted = "UNK"
residence_permit_granted = "UNK"
record_version = 1
country_of_exploitation = "PT"

[fields.record_ref]
column = "id"

[fields.registration_date]
column = "date"

[fields.status_date]
copy = "registration_date"

[fields.updated_at]
copy = "registration_date"

[fields.sex]
column = "sex"
values = { "Masculino" = "M", "Feminino" = "F" }
default = "UNK"

[fields.age_group]
column = "age_group"
default = "UNK"

[fields.citizenship]
column = "nat"
split = ";"
country = true
default = "UNK"

[fields.forms_of_exploitation]
column = "form"
split = "+"
values = { "Exploração laboral" = "LABOUR", "Exploração sexual" = "SEXUAL" }

[fields.main_exploitation]
derive = "first_form"
"#;

fn err(text: &str) -> ProfileError {
    Profile::parse(text, lists()).map(|_| ()).expect_err("must fail")
}

#[test]
fn profile_load_errors_name_the_key_or_line() {
    profile(MINIMAL);

    // unknown key: line and key path
    let e = err(&MINIMAL.replace("values = { \"Masculino\"", "valeus = { \"Masculino\""));
    match &e {
        ProfileError::Syntax { line, column, key, message } => {
            assert_eq!(*line, 31, "{e}");
            assert_eq!(*column, 1, "{e}: the key starts the line");
            assert_eq!(key, "fields.sex.valeus", "{e}");
            assert!(message.contains("unknown field `valeus`"), "{e}");
        }
        other => panic!("{other}"),
    }
    let e = err(&MINIMAL.replace("[profile]\n", "[profile]\nowner = \"x\"\n"));
    assert!(matches!(&e, ProfileError::Syntax { line: 3, key, .. } if key == "profile.owner"), "{e}");

    // bad TOML: the line
    let e = err(&MINIMAL.replace("column = \"nat\"", "column = \"nat"));
    assert!(matches!(e, ProfileError::Syntax { line: 39, .. }), "{e}");
    assert!(e.to_string().contains("line 39"), "{e}");

    // a required field produced by nothing
    let e = err(&MINIMAL.replace("status = \"SIGNALLED\"\n", ""));
    assert_eq!(e, ProfileError::MissingRequired { field: "status", record_type: "VICTIM" });
    assert!(e.to_string().contains("`status`"), "{e}");

    // a target outside the field's codelist
    let e = err(&MINIMAL.replace("\"Masculino\" = \"M\"", "\"Masculino\" = \"MALE\""));
    match &e {
        ProfileError::BadTarget { key, field, code, .. } => {
            assert_eq!((key.as_str(), field.as_str(), code.as_str()), ("fields.sex.values", "sex", "MALE"));
        }
        other => panic!("{other}"),
    }
    // aggregate-only codes are not record values
    let e = err(&MINIMAL.replace("\"Masculino\" = \"M\"", "\"Masculino\" = \"T\""));
    assert!(matches!(e, ProfileError::BadTarget { ref code, .. } if code == "T"), "{e}");
    let e = err(&MINIMAL.replace("status = \"SIGNALLED\"", "status = \"SIGNALED\""));
    assert!(matches!(e, ProfileError::BadTarget { ref key, .. } if key == "constants.status"), "{e}");
    let e =
        err(&MINIMAL
            .replace("default = \"UNK\"\n\n[fields.age_group]", "default = \"X\"\n\n[fields.age_group]"));
    assert!(matches!(e, ProfileError::BadTarget { ref key, .. } if key == "fields.sex.default"), "{e}");

    // more shape errors, each naming its key
    let cases: [(&str, &str, &str); 9] = [
        ("[fields.sex]", "[fields.sexo]", "fields.sexo"),
        ("record_type = \"VICTIM\"", "record_type = \"VICTIMS\"", "profile.record_type"),
        ("id = \"t\"", "id = \"t t\"", "profile.id"),
        (
            "country_of_exploitation = \"PT\"\n",
            "country_of_exploitation = \"PT\"\nsex = \"M\"\n",
            "fields.sex",
        ),
        ("derive = \"first_form\"", "derive = \"age_group_from_age\"", "fields.main_exploitation.derive"),
        ("derive = \"first_form\"", "derive = \"guess\"", "fields.main_exploitation.derive"),
        (
            "column = \"age_group\"",
            "column = \"age_group\"\ncrosswalk = \"gender_ctdc__sex\"",
            "fields.age_group.crosswalk",
        ),
        ("column = \"age_group\"", "column = \"age_group\"\nsplit = \";\"", "fields.age_group.split"),
        ("column = \"age_group\"", "column = \"age_group\"\ncountry = true", "fields.age_group.country"),
    ];
    for (from, to, key) in cases {
        let e = err(&MINIMAL.replace(from, to));
        assert!(matches!(&e, ProfileError::Invalid { key: k, .. } if k == key), "{key}: {e}");
        assert!(e.to_string().contains(key), "{e}");
    }
    // a date format chrono cannot read
    let e = err(&MINIMAL.replace("column = \"date\"", "column = \"date\"\ndate_format = \"%d/%Q/%Y\""));
    assert!(e.to_string().contains("fields.registration_date.date_format"), "{e}");
    // derivations need their inputs
    let e = err(&MINIMAL.replace(
        "[fields.age_group]\ncolumn = \"age_group\"",
        "[fields.age_group]\nderive = \"age_group_from_age\"",
    ));
    assert!(e.to_string().contains("age_at_registration"), "{e}");
    let e = err(&format!("{MINIMAL}\n[fields.age_at_registration]\nderive = \"age_from_birth_date\"\n"));
    assert!(e.to_string().contains("[identity] birth_date"), "{e}");
    // identity columns never feed a model field
    let e = err(&format!("{MINIMAL}\n[identity]\ngiven_names = \"id\"\n"));
    assert!(matches!(&e, ProfileError::Invalid { key, .. } if key == "fields.record_ref"), "{e}");
}

// ---- hub mode -------------------------------------------------------------------------------

fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn hub_mode_refuses_unmapped_and_identity_columns() {
    let (p, full, _) = load("pt_police_victims.toml", "pt_police_victims.csv");
    // at the provider the whole export binds
    let m = Mapper::new(&p, &full, lists(), false).expect("provider");
    assert!(m.unused_columns().is_empty());
    assert!(m.used_columns().contains(&"Nome"));
    assert!(!m.used_columns().contains(&"Observações"));

    // at the hub: identity columns are refused first
    let e = Mapper::new(&p, &full, lists(), true).expect_err("identity at hub");
    assert_eq!(e, ProfileError::IdentityColumn { column: "Nome".into(), position: 3 });
    // without them, the ignored free-text column is still refused (by position only)
    let no_identity: Vec<String> = full
        .iter()
        .filter(|h| !["Nome", "Apelidos", "Data Nascimento"].contains(&h.as_str()))
        .cloned()
        .collect();
    let e = Mapper::new(&p, &no_identity, lists(), true).expect_err("ignored at hub");
    assert_eq!(e, ProfileError::UnmappedColumn { position: no_identity.len() });
    // a column the profile does not know: refused, its name not echoed
    let mut planted = no_identity.clone();
    planted.pop();
    planted.push("PLANTED-HEADER-Maria-Silva".into());
    let e = Mapper::new(&p, &planted, lists(), true).expect_err("unmapped at hub");
    assert!(!e.to_string().contains("PLANTED"), "{e}");
    // only mapped columns: accepted, and no identity is read
    let mut clean = no_identity;
    clean.pop();
    let m = Mapper::new(&p, &clean, lists(), true).expect("hub");
    assert!(m.identity(&|_| "x").is_none());

    // a missing needed column names the column and the key
    let mut short = clean.clone();
    short.retain(|h| h != "Sexo");
    let e = Mapper::new(&p, &short, lists(), true).expect_err("missing");
    assert_eq!(e, ProfileError::MissingColumn { column: "Sexo".into(), key: "fields.sex.column".into() });

    // a profile that derives the age from the birth date cannot run at the hub
    let (h, hdr, _) = load("htcds_ngo.toml", "htcds_ngo.csv");
    let mapped_only: Vec<String> = hdr
        .iter()
        .filter(|c| !["prs_FirstName", "prs_SecondName", "prs_Birthdate", "cas_Status"].contains(&c.as_str()))
        .cloned()
        .collect();
    let e = Mapper::new(&h, &mapped_only, lists(), true).expect_err("needs identity");
    assert_eq!(e, ProfileError::NeedsIdentity { field: "age_at_registration" });
    let e = Mapper::new(&h, &hdr, lists(), true).expect_err("identity at hub");
    assert!(matches!(e, ProfileError::IdentityColumn { position: 3, .. }), "{e}");
}

#[test]
fn headers_match_exactly_then_loosely_and_duplicates_are_refused() {
    let p = profile(MINIMAL);
    let h = header(&["\u{feff}ID", " DATE ", "Sex", "age_group", "NAT", "Form"]);
    let m = Mapper::new(&p, &h, lists(), true).expect("loose header match");
    assert_eq!(m.used_columns().len(), 6);
    let h = header(&["id", "date", "sex", "age_group", "nat", "form", "sex"]);
    let e = Mapper::new(&p, &h, lists(), false).expect_err("duplicate");
    assert_eq!(e, ProfileError::DuplicateColumn { column: "sex".into() });
}

// ---- values ---------------------------------------------------------------------------------

/// Maps one row of `MINIMAL`-shaped data and returns (canonical values, issues).
fn map_one(p: &Profile, cells: &[(&str, &str)]) -> (Vec<String>, Vec<MapIssue>) {
    let h: Vec<String> = cells.iter().map(|(h, _)| (*h).to_owned()).collect();
    let m = Mapper::new(p, &h, lists(), false).expect("bind");
    let (mut out, mut issues) = (Vec::new(), Vec::new());
    m.map_row(&|i| cells[i].1, &mut out, &mut issues);
    (out, issues)
}

fn field<'a>(out: &'a [String], name: &str) -> &'a str {
    &out[VictimRegistration::COLUMNS.iter().position(|c| *c == name).expect("field")]
}

fn minimal_row<'a>(sex: &'a str, nat: &'a str, form: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", "R-1"),
        ("date", "2025-03-10"),
        ("sex", sex),
        ("age_group", "Y_GE18"),
        ("nat", nat),
        ("form", form),
    ]
}

#[test]
fn matching_is_case_and_accent_insensitive_unless_the_profile_says_exact() {
    let p = profile(MINIMAL);
    for form in ["Exploração laboral", "EXPLORAÇÃO LABORAL", "exploracao laboral", "  Exploracao   Laboral "]
    {
        let (out, issues) = map_one(&p, &minimal_row("feminino", "PT", form));
        assert!(issues.is_empty(), "{form}: {issues:?}");
        assert_eq!(field(&out, "forms_of_exploitation"), "LABOUR");
        assert_eq!(field(&out, "main_exploitation"), "LABOUR");
        assert_eq!(field(&out, "sex"), "F");
    }
    // codes that are already valid pass through, in any case unless exact
    let (out, issues) = map_one(&p, &minimal_row("m", "PT", "sexual+LABOUR"));
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(field(&out, "sex"), "M");
    assert_eq!(field(&out, "forms_of_exploitation"), "SEXUAL|LABOUR");
    assert_eq!(field(&out, "main_exploitation"), "SEXUAL");

    let exact = profile(&MINIMAL.replace(
        "record_type = \"VICTIM\"\n",
        "record_type = \"VICTIM\"\n\n[source]\nmatch = { case_sensitive = true, accent_sensitive = true }\n",
    ));
    let (_, issues) = map_one(&exact, &minimal_row("Feminino", "PT", "Exploração laboral"));
    assert!(issues.is_empty(), "{issues:?}");
    for form in ["EXPLORAÇÃO LABORAL", "Exploracao laboral"] {
        let (out, issues) = map_one(&exact, &minimal_row("Feminino", "PT", form));
        assert_eq!(issues.len(), 1, "{form}");
        assert_eq!((issues[0].field, issues[0].rule), ("forms_of_exploitation", MapRule::UnmappedValue));
        assert_eq!(issues[0].column.as_deref(), Some("form"));
        assert_eq!(field(&out, "forms_of_exploitation"), "");
        assert_eq!(field(&out, "main_exploitation"), "", "a derivation from a failed field stays empty");
    }
    let case_only = profile(&MINIMAL.replace(
        "record_type = \"VICTIM\"\n",
        "record_type = \"VICTIM\"\n\n[source]\nmatch = { accent_sensitive = true }\n",
    ));
    let (_, issues) = map_one(&case_only, &minimal_row("FEMININO", "PT", "EXPLORAÇÃO LABORAL"));
    assert!(issues.is_empty(), "{issues:?}");
    let (_, issues) = map_one(&case_only, &minimal_row("FEMININO", "PT", "EXPLORACAO LABORAL"));
    assert_eq!(issues.len(), 1);
}

#[test]
fn countries_by_model_code_iso_alpha2_alpha3_and_names() {
    let p = profile(MINIMAL);
    let cases = [
        ("RO", "RO"),
        ("ROU", "RO"),
        ("rou", "RO"),
        ("Roménia", "RO"),
        ("ROMENIA", "RO"),
        ("Romania", "RO"),
        ("GB", "UK"),
        ("GBR", "UK"),
        ("UK", "UK"),
        ("Reino Unido", "UK"),
        ("GR", "EL"),
        ("GRC", "EL"),
        ("Grécia", "EL"),
        ("Greece", "EL"),
        ("Índia", "IN"),
        ("india", "IN"),
        ("Guiné-Bissau", "GW"),
        ("Viet Nam", "VN"),
        ("STLS", "STLS"),
        ("UNK", "UNK"),
        ("BR; PT ;Angola", "BR|PT|AO"),
        ("BR;BRA;Brasil", "BR"),
    ];
    for (text, code) in cases {
        let (out, issues) = map_one(&p, &minimal_row("F", text, "Exploração sexual"));
        assert!(issues.is_empty(), "{text}: {issues:?}");
        assert_eq!(field(&out, "citizenship"), code, "{text}");
    }
    for text in ["Narnia", "XX", "BR;Narnia"] {
        let (out, issues) = map_one(&p, &minimal_row("F", text, "Exploração sexual"));
        assert_eq!(issues.len(), 1, "{text}");
        assert_eq!(issues[0].rule, MapRule::UnknownCountry);
        assert_eq!(issues[0].rule.code(), "map.unknown_country");
        assert_eq!(field(&out, "citizenship"), "");
    }
}

#[test]
fn flags_make_sets_and_missing_markers_are_case_insensitive() {
    let text = MINIMAL
        .replace("[fields.forms_of_exploitation]\ncolumn = \"form\"\nsplit = \"+\"\n", "[fields.forms_of_exploitation]\n")
        .replace(
            "values = { \"Exploração laboral\" = \"LABOUR\", \"Exploração sexual\" = \"SEXUAL\" }",
            "flags = { \"Sexual\" = \"SEXUAL\", \"Laboral\" = \"LABOUR\", \"Outra\" = \"OTHER|CRIMINAL\" }\nflag_true = [\"Sim\", \"X\"]\nflag_false = [\"Não\"]\ndefault = \"UNK\"",
        )
        .replace(
            "record_type = \"VICTIM\"\n",
            "record_type = \"VICTIM\"\n\n[source]\nmissing = [\"\", \"N/D\", \"-99\", \"Não sabe\"]\n",
        );
    let p = profile(&text);
    let row = |s: &'static str, l: &'static str, o: &'static str, nat: &'static str| {
        vec![
            ("id", "R-1"),
            ("date", "2025-03-10"),
            ("sex", "M"),
            ("age_group", "UNK"),
            ("nat", nat),
            ("Sexual", s),
            ("Laboral", l),
            ("Outra", o),
        ]
    };
    let (out, issues) = map_one(&p, &row("SIM", "x", "não", "PT"));
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(field(&out, "forms_of_exploitation"), "LABOUR|SEXUAL");
    assert_eq!(field(&out, "main_exploitation"), "SEXUAL");
    let (out, issues) = map_one(&p, &row("", "n/d", "Sim", "n/d"));
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(field(&out, "forms_of_exploitation"), "OTHER|CRIMINAL");
    assert_eq!(field(&out, "main_exploitation"), "CRIMINAL", "model order when no priority is given");
    assert_eq!(field(&out, "citizenship"), "UNK", "missing marker → default");
    let (out, issues) = map_one(&p, &row("-99", "NÃO SABE", "", " N/D "));
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(field(&out, "forms_of_exploitation"), "UNK");
    assert_eq!(field(&out, "main_exploitation"), "UNK");
    let (_, issues) = map_one(&p, &row("talvez", "Sim", "", "PT"));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].column.as_deref(), Some("Sexual"));
    assert_eq!((issues[0].field, issues[0].rule.code()), ("forms_of_exploitation", "map.bad_flag"));
}

#[test]
fn required_fields_left_empty_are_reported() {
    let p = profile(MINIMAL);
    let (_, issues) = map_one(&p, &minimal_row("F", "PT", ""));
    let keys: Vec<_> = issues.iter().map(|i| (i.column.as_deref(), i.field, i.rule.code())).collect();
    assert_eq!(
        keys,
        vec![
            (Some("form"), "forms_of_exploitation", "map.missing_required"),
            (None, "main_exploitation", "map.missing_required"),
        ]
    );
}

#[test]
fn age_is_derived_from_the_birth_date_at_the_provider() {
    let text = format!(
        "{}\n[fields.age_at_registration]\nderive = \"age_from_birth_date\"\n\n[identity]\ngiven_names = \"first\"\nfamily_names = \"last\"\nbirth_date = {{ column = \"born\", date_format = \"%d.%m.%Y\" }}\n",
        MINIMAL.replace(
            "[fields.age_group]\ncolumn = \"age_group\"\ndefault = \"UNK\"",
            "[fields.age_group]\nderive = \"age_group_from_age\""
        )
    );
    let p = profile(&text);
    assert!(p.has_identity());
    let cells = |date: &'static str, born: &'static str| {
        vec![
            ("id", "R-1"),
            ("date", date),
            ("sex", "Feminino"),
            ("nat", "PT"),
            ("form", "Exploração sexual"),
            ("first", "Maria João"),
            ("last", "Silva"),
            ("born", born),
        ]
    };
    for (date, born, age, group) in [
        ("2025-03-09", "10.03.2000", "24", "Y_GE18"),
        ("2025-03-10", "10.03.2000", "25", "Y_GE18"),
        ("2025-03-10", "11.03.2007", "17", "Y_LT18"),
        ("2025-03-10", "10.03.2025", "0", "Y_LT18"),
        ("2025-03-10", "", "", "UNK"),
    ] {
        let (out, issues) = map_one(&p, &cells(date, born));
        assert!(issues.is_empty(), "{born}: {issues:?}");
        assert_eq!(field(&out, "age_at_registration"), age, "{born}");
        assert_eq!(field(&out, "age_group"), group, "{born}");
    }
    let (out, issues) = map_one(&p, &cells("2025-03-10", "11.03.2025"));
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].column.as_deref(), Some("born"));
    assert_eq!((issues[0].field, issues[0].rule), ("age_at_registration", MapRule::DeriveFailed));
    assert_eq!(field(&out, "age_group"), "", "no group from a failed age");

    // identity attributes, for `mosy prepare`
    let row = cells("2025-03-10", "10.03.2000");
    let h: Vec<String> = row.iter().map(|(h, _)| (*h).to_owned()).collect();
    let m = Mapper::new(&p, &h, lists(), false).expect("bind");
    let id = m.identity(&|i| row[i].1).expect("identity");
    assert_eq!(id.given_names, "Maria João");
    assert_eq!(id.family_names, "Silva");
    assert_eq!(id.birth_date, NaiveDate::from_ymd_opt(2000, 3, 10));
    assert_eq!(id.birth_year, Some(2000));
    assert_eq!(id.sex, Some(model::codes::Sex::F));
}

#[test]
fn unknown_header_at_provider_is_unused_and_coverage_lists_unmapped_values() {
    let (p, header, rows) = load("pt_police_victims.toml", "pt_police_victims.csv");
    let mut header = header;
    header.push("Notas internas".into());
    let m = Mapper::new(&p, &header, lists(), false).expect("bind");
    assert_eq!(m.unused_columns(), vec!["Notas internas"]);
    let mut cov = Coverage::new(&m);
    let (mut out, mut issues) = (Vec::new(), Vec::new());
    for row in &rows {
        issues.clear();
        let value = |c: usize| row.get(c).map_or("Ana Silva 14/05/1990", String::as_str);
        m.map_row(&value, &mut out, &mut issues);
        cov.add_row(&m, &value, &out, &issues);
    }
    assert_eq!(cov.rows(), 21);
    assert_eq!(cov.rows_with_issues(), 3);
    assert_eq!(cov.unused_columns(), ["Notas internas".to_owned()]);
    assert_eq!(cov.unmapped_values("sex"), vec![("Masculinoo", 1)]);
    assert_eq!(cov.unmapped_values("citizenship"), vec![("Atlântida", 1)]);
    assert!(cov.unmapped_values("registration_date").is_empty(), "dates are free values: never listed");
    let sex = cov.code_counts("sex");
    assert!(sex.contains(&("F", 9)) && sex.contains(&("M", 10)) && sex.contains(&("UNK", 1)), "{sex:?}");
    let text = cov.render_text();
    for want in [
        "pt-pj-victims",
        "rows: 21",
        "Notas internas",
        "Masculinoo",
        "Atlântida",
        "map.bad_date 1",
        "Observações",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
    // never identity values, record references or free text
    for secret in ["Oleh", "Shevchenko", "Ana Silva", "14/05/1990", "PJ-2025-0006", "31/02/2025", "agrícola"]
    {
        assert!(!text.contains(secret), "{secret}\n{text}");
    }
}

#[test]
fn no_issue_or_error_text_contains_a_planted_value() {
    const PLANTED: &str = "PLANTED-Zé-Ninguém-1984";
    let (p, header, rows) = load("pt_police_victims.toml", "pt_police_victims.csv");
    let mut row = rows[0].clone();
    for name in [
        "Sexo",
        "Data Registo",
        "Idade",
        "Nacionalidade",
        "Tipo de Exploração",
        "Situação",
        "Data Atualização",
    ] {
        let i = header.iter().position(|h| h == name).expect("column");
        row[i] = PLANTED.to_owned();
    }
    let o = run(&p, &header, &[row.clone()]);
    assert!(o.issues.len() >= 6, "{:?}", o.issues);
    for t in &o.texts {
        assert!(!t.contains(PLANTED) && !t.contains("Ninguém"), "{t}");
    }
    // the same row where only free identifier text is planted reaches validation, which does not echo it
    let mut row2 = rows[0].clone();
    row2[header.iter().position(|h| h == "Processo-Crime").expect("column")] = "Zé Ninguém".into();
    let o = run(&p, &header, &[row2]);
    assert_eq!(o.violations, vec![(2, "case_refs", "format.identifier")]);
    for t in &o.texts {
        assert!(!t.contains("Ninguém"), "{t}");
    }
    // coverage would list coded values, but never the planted identity or date values
    let m = Mapper::new(&p, &header, lists(), false).expect("bind");
    let mut cov = Coverage::new(&m);
    let (mut out, mut issues) = (Vec::new(), Vec::new());
    let mut row3 = rows[0].clone();
    for name in ["Nome", "Data Nascimento", "Data Registo", "Idade", "N.º Processo"] {
        row3[header.iter().position(|h| h == name).expect("column")] = PLANTED.to_owned();
    }
    m.map_row(&|i| row3[i].as_str(), &mut out, &mut issues);
    cov.add_row(&m, &|i| row3[i].as_str(), &out, &issues);
    let text = cov.render_text();
    assert!(!text.contains(PLANTED), "{text}");
    // profile errors name keys, not data
    let mut hub_header = header.clone();
    hub_header.retain(|h| !["Nome", "Apelidos", "Data Nascimento", "Observações"].contains(&h.as_str()));
    hub_header.push(PLANTED.into());
    let e = Mapper::new(&p, &hub_header, lists(), true).expect_err("planted header");
    assert!(!e.to_string().contains(PLANTED), "{e}");
}

#[test]
fn source_columns_of_model_fields() {
    let p = profile(&fixture("pt_police_victims.toml"));
    assert_eq!(p.source_column("sex"), Some("Sexo"));
    assert_eq!(p.source_column("registration_date"), Some("Data Registo"));
    assert_eq!(p.source_column("provider_id"), None, "a constant has no source column");
    assert_eq!(p.source_column("age_group"), None, "a derivation without fallback column");
    assert_eq!(p.source_column("no_such_field"), None);
}
