//! Story tests of the store, run against every engine at hand: SQLite always (in a temporary
//! directory), PostgreSQL too when `MOSY_TEST_DATABASE_URL` is set, each test in a fresh schema
//! that is dropped at the end, so parallel tests never see each other's rows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use model::code::{Country, Nuts, PtDistrict};
use model::codes::*;
use model::*;
use store::{Backend, Error, ImportOutcome, LinkInput, PersonRow, Store, SubmissionInfo};

// ---------------------------------------------------------------------------------------------
// Engines

/// Where one test's database lives; dropping it removes the database.
enum Target {
    Sqlite { _dir: tempfile::TempDir, path: PathBuf },
    Postgres { url: String, schema: String },
}

static SCHEMA_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh SQLite database, and a fresh PostgreSQL schema when `MOSY_TEST_DATABASE_URL` is set.
fn targets() -> Vec<Target> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("mosy.db");
    let mut out = vec![Target::Sqlite { _dir: dir, path }];
    if let Some(url) = std::env::var("MOSY_TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
        let n = SCHEMA_COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        let schema = format!("mosy_t_{}_{n}_{nanos}", std::process::id());
        out.push(Target::Postgres { url, schema });
    }
    out
}

impl Target {
    fn open(&self) -> Store {
        let store = match self {
            Target::Sqlite { path, .. } => Store::open_sqlite(path),
            Target::Postgres { url, schema } => Store::open_postgres_in_schema(url, schema),
        };
        store.unwrap_or_else(|e| panic!("{}: open: {e}", self.name()))
    }

    fn name(&self) -> &'static str {
        match self {
            Target::Sqlite { .. } => "sqlite",
            Target::Postgres { .. } => "postgres",
        }
    }

    fn pg_client(url: &str) -> postgres::Client {
        postgres::Client::connect(url, postgres::NoTls).expect("test connection to PostgreSQL")
    }

    /// Runs a statement directly, bypassing the store; `Err` with the database's message.
    fn try_execute(&self, sql: &str) -> Result<(), String> {
        match self {
            Target::Sqlite { path, .. } => {
                rusqlite::Connection::open(path).expect("open").execute_batch(sql).map_err(|e| e.to_string())
            }
            Target::Postgres { url, schema } => {
                let mut c = Target::pg_client(url);
                c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}"))
                    .map_err(|e| format!("{e:?}"))
            }
        }
    }

    /// Runs a statement directly, bypassing the store (to tamper with stored rows).
    fn execute(&self, sql: &str) {
        match self {
            Target::Sqlite { path, .. } => {
                rusqlite::Connection::open(path).expect("open").execute_batch(sql).expect("statement runs");
            }
            Target::Postgres { url, schema } => {
                let mut c = Target::pg_client(url);
                c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}")).expect("statement runs");
            }
        }
    }

    /// (column name, declared type) of `table`, in order.
    fn columns(&self, table: &str) -> Vec<(String, String)> {
        match self {
            Target::Sqlite { path, .. } => {
                let c = rusqlite::Connection::open(path).expect("open");
                let mut stmt = c.prepare(&format!("PRAGMA table_info({table})")).expect("pragma");
                stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows")
            }
            Target::Postgres { url, schema } => Target::pg_client(url)
                .query(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                    &[schema, &table],
                )
                .expect("query")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect(),
        }
    }

    /// A URL that opens this schema through `Store::open` (default search_path set by options).
    fn pg_url_with_search_path(url: &str, schema: &str) -> String {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}options=-c%20search_path%3D{schema}")
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Target::Postgres { url, schema } = self
            && let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Valid test data

fn lists() -> &'static Codelists {
    Codelists::embedded()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn t(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, 9, 30, 0).single().expect("valid test time")
}

fn country(c: &str) -> Code<Country> {
    Code::parse(c, lists()).expect("test country exists")
}

fn pid(id: &str) -> ProviderId {
    ProviderId::new(id).expect("provider id")
}

fn rref(r: &str) -> RecordRef {
    RecordRef::new(r).expect("record ref")
}

fn provider(id: &str, provider_type: ProviderType, submits: &[RecordType]) -> DataProvider {
    DataProvider {
        id: pid(id),
        name: format!("Organisation {id}"),
        provider_type,
        country: country("PT"),
        nuts: Code::<Nuts>::parse("PT1", lists()),
        can_formally_identify: provider_type == ProviderType::Police,
        submits: submits.iter().copied().collect(),
        valid_from: d(2010, 1, 1),
        valid_to: None,
    }
}

fn providers() -> Vec<DataProvider> {
    vec![
        // One provider sends every record type, so one submission can hold a mixed batch.
        provider("PT-PJ", ProviderType::Police, RecordType::ALL),
        provider("PT-MP", ProviderType::Prosecution, &[RecordType::Prosecution]),
        DataProvider {
            nuts: None,
            valid_to: Some(d(2030, 12, 31)),
            ..provider("PT-DGPJ", ProviderType::Court, &[RecordType::CourtDecision])
        },
    ]
}

fn register_providers(store: &mut Store) {
    for p in providers() {
        store.upsert_provider(&p).expect("provider stored");
    }
}

fn valid<R: ModelRecord>(r: R) -> Valid<R> {
    let register: BTreeMap<ProviderId, DataProvider> =
        providers().into_iter().map(|p| (p.id.clone(), p)).collect();
    let ctx = Context { reporting_country: country("PT"), as_of: d(2026, 1, 1), providers: Some(&register) };
    r.validate(&ctx).unwrap_or_else(|e| panic!("test record must be valid: {e}"))
}

/// A record whose provider is deliberately not registered: validated without the register.
fn valid_unregistered<R: ModelRecord>(r: R) -> Valid<R> {
    let ctx = Context { reporting_country: country("PT"), as_of: d(2026, 1, 1), providers: None };
    r.validate(&ctx).unwrap_or_else(|e| panic!("test record must be valid: {e}"))
}

fn offender() -> Offender {
    Offender {
        person_type: PersonType::Natural,
        sex: Some(Sex::M),
        age_group: Some(AgeGroup::Adult),
        citizenship: vec![Citizenship::Country(country("RO")), Citizenship::Country(country("PT"))],
        exploitation: Exploitation {
            forms: [ExploitationForm::Labour, ExploitationForm::Sexual].into_iter().collect(),
            main: ExploitationForm::Labour,
        },
    }
}

/// A full victim registration (most optional fields set).
fn victim(record_ref: &str) -> VictimRegistration {
    VictimRegistration {
        record_ref: rref(record_ref),
        provider_id: pid("PT-PJ"),
        registration_date: d(2025, 3, 10),
        status: VictimStatus::Confirmed,
        status_date: d(2025, 5, 2),
        identifying_authority_type: Some(ProviderType::Police),
        linked_record_refs: [rref("NGO-77"), rref("LAB/2025:3")].into_iter().collect(),
        sex: Sex::M,
        gender: None,
        age_at_registration: Some(34),
        age_group: AgeGroup::Adult,
        minor_at_exploitation: Some(YesNoUnknown::No),
        citizenship: vec![Citizenship::Country(country("NP")), Citizenship::Country(country("IN"))],
        country_of_recruitment: Some(Known::Known(country("NP"))),
        country_of_exploitation: Known::Known(country("PT")),
        place_of_exploitation_nuts: Code::<Nuts>::parse("PT1C2", lists()),
        place_of_detection_nuts: Code::<Nuts>::parse("PT1C2", lists()),
        district: Code::<PtDistrict>::parse("PT-02", lists()),
        country_role: CountryRole::Destination,
        exploitation: Exploitation {
            forms: [ExploitationForm::Labour, ExploitationForm::Servitude].into_iter().collect(),
            main: ExploitationForm::Labour,
        },
        exploitation_national_code: None,
        labour_sector: Code::parse("A", lists()),
        sexual_exploitation_type: BTreeSet::new(),
        means_of_control: ["DebtBondage", "WithholdsDocuments"]
            .iter()
            .map(|c| Code::parse(c, lists()).expect("code"))
            .collect(),
        recruitment_method: BTreeSet::new(),
        recruiter_relation: None,
        trafficking_duration: Code::parse("0--12", lists()),
        assistance_received: YesNoUnknown::Yes,
        support_types: BTreeSet::new(),
        reflection_period_granted: YesNoUnknown::Yes,
        residence_permit_granted: YesNoUnknown::Unknown,
        case_refs: [CaseRef::new("NUIPC-123/25").expect("case")].into_iter().collect(),
        record_version: 2,
        updated_at: t(2025, 5, 2),
        linkage_key_id: None,
        linkage_keys: BTreeSet::new(),
    }
}

/// A sparse victim registration (every optional field absent) of one sex and main form.
fn victim_of(record_ref: &str, date: NaiveDate, sex: Sex, form: ExploitationForm) -> VictimRegistration {
    VictimRegistration {
        registration_date: date,
        status: VictimStatus::Pending,
        status_date: date,
        identifying_authority_type: None,
        linked_record_refs: BTreeSet::new(),
        sex,
        age_at_registration: None,
        age_group: AgeGroup::Unknown,
        minor_at_exploitation: None,
        citizenship: vec![Citizenship::Unknown],
        country_of_recruitment: None,
        country_of_exploitation: Known::Known(country("PT")),
        place_of_exploitation_nuts: None,
        place_of_detection_nuts: None,
        district: None,
        exploitation: Exploitation { forms: [form].into_iter().collect(), main: form },
        labour_sector: None,
        means_of_control: BTreeSet::new(),
        trafficking_duration: None,
        case_refs: BTreeSet::new(),
        record_version: 1,
        updated_at: t(2025, 12, 1),
        linkage_key_id: None,
        linkage_keys: BTreeSet::new(),
        ..victim(record_ref)
    }
}

fn suspect(record_ref: &str) -> Suspect {
    Suspect {
        record_ref: rref(record_ref),
        provider_id: pid("PT-PJ"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        first_contact_date: d(2025, 4, 1),
        offender: offender(),
        organised_crime: YesNoUnknown::Yes,
        role_in_process: BTreeSet::new(),
        offence_code: NationalCode::new("PT-CP-160").expect("code"),
        place_nuts: Code::parse("PT1C2", lists()),
        victim_record_refs: [rref("V-000001")].into_iter().collect(),
        record_version: 1,
        updated_at: t(2025, 4, 1),
    }
}

fn legal_person_suspect(record_ref: &str) -> Suspect {
    Suspect {
        offender: Offender {
            person_type: PersonType::Legal,
            sex: None,
            age_group: None,
            citizenship: vec![Citizenship::Country(country("PT"))],
            exploitation: Exploitation {
                forms: [ExploitationForm::Unknown].into_iter().collect(),
                main: ExploitationForm::Unknown,
            },
        },
        organised_crime: YesNoUnknown::Unknown,
        place_nuts: None,
        victim_record_refs: BTreeSet::new(),
        ..suspect(record_ref)
    }
}

fn prosecution(record_ref: &str) -> Prosecution {
    Prosecution {
        record_ref: rref(record_ref),
        provider_id: pid("PT-PJ"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        suspect_record_ref: RecordRef::new("S-1"),
        initiated_date: d(2025, 6, 1),
        offender: offender(),
        offence_code: NationalCode::new("PT-CP-160").expect("code"),
        status: ProsecutionStatus::Finalised,
        finalised_date: Some(d(2025, 11, 30)),
        outcome: Some(ProsecutionOutcome::Conviction),
        record_version: 1,
        updated_at: t(2025, 12, 1),
    }
}

fn court_decision(record_ref: &str) -> CourtDecision {
    CourtDecision {
        record_ref: rref(record_ref),
        provider_id: pid("PT-PJ"),
        case_ref: CaseRef::new("NUIPC-123/25").expect("case"),
        prosecution_record_ref: RecordRef::new("P-1"),
        decision_date: d(2025, 11, 30),
        instance: DecisionInstance::First,
        decision_type: CourtDecisionType::Conviction,
        convicted_of_thb: true,
        offender: offender(),
        sentence_type: Some(SentenceType::Prison),
        sentence_months: Some(60),
        record_version: 1,
        updated_at: t(2025, 12, 1),
    }
}

fn submission(n: u128, provider: &str, batch: &Batch) -> Submission {
    Submission {
        id: uuid::Uuid::from_u128(0x6d6f_7379_0000_4000_8000_0000_0000_0000 + n),
        provider_id: pid(provider),
        period: Period::new(2025, 4).expect("period"),
        schema_version: SCHEMA_VERSION.to_owned(),
        codelist_version: lists().version().to_owned(),
        submitted_at: Utc.with_ymd_and_hms(2026, 1, 5, 10, 0, 0).single().expect("time")
            + chrono::Duration::microseconds(123_456 + n as i64),
        action: SubmissionAction::Append,
        record_count: batch.len() as u32,
        sha256: [n as u8; 32],
    }
}

/// A submission of `provider` for quarter `quarter` of 2025.
fn submission_in(n: u128, provider: &str, quarter: u8, batch: &Batch) -> Submission {
    Submission { period: Period::new(2025, quarter).expect("period"), ..submission(n, provider, batch) }
}

fn period(quarter: u8) -> Period {
    Period::new(2025, quarter).expect("period")
}

/// One record of each type, with both full and sparse shapes.
fn mixed_batch() -> Batch {
    Batch {
        victims: vec![
            valid(victim("V-000001")),
            valid(victim_of("V-000002", d(2025, 1, 2), Sex::F, ExploitationForm::Sexual)),
        ],
        suspects: vec![valid(suspect("S-1")), valid(legal_person_suspect("S-2"))],
        prosecutions: vec![
            valid(prosecution("P-1")),
            valid(Prosecution {
                status: ProsecutionStatus::Ongoing,
                finalised_date: None,
                outcome: None,
                suspect_record_ref: None,
                ..prosecution("P-2")
            }),
        ],
        court_decisions: vec![
            valid(court_decision("C-1")),
            valid(CourtDecision {
                decision_type: CourtDecisionType::Acquittal,
                convicted_of_thb: false,
                sentence_type: None,
                sentence_months: None,
                prosecution_record_ref: None,
                ..court_decision("C-2")
            }),
        ],
    }
}

fn inner<R: Clone>(records: &[Valid<R>]) -> Vec<R> {
    records.iter().map(|r| R::clone(r)).collect()
}

/// Everything a failed write must leave untouched: the submissions and the record counts.
type Snapshot = (Vec<(Submission, SubmissionStatus)>, Vec<(ProviderId, RecordType, u64)>);

fn snapshot(store: &mut Store) -> Snapshot {
    (store.submissions().expect("submissions"), store.record_counts().expect("counts"))
}

/// Everything an import or status change may touch.
type FullSnapshot = (
    Vec<SubmissionInfo>,
    Vec<Vec<(DateTime<Utc>, SubmissionStatus, Option<String>)>>,
    Vec<(ProviderId, RecordType, u64)>,
    Vec<VictimRegistration>,
    Vec<LinkInput>,
    (u64, u64),
);

fn full_snapshot(store: &mut Store) -> FullSnapshot {
    let infos = store.submission_infos().expect("infos");
    let events = infos.iter().map(|i| store.submission_events(i.submission.id).expect("events")).collect();
    (
        infos,
        events,
        store.record_counts().expect("counts"),
        store.victims(lists()).expect("victims"),
        store.victim_link_inputs().expect("link inputs"),
        store.person_counts().expect("person counts"),
    )
}

fn key(n: u8) -> LinkageKey {
    LinkageKey::from_bytes([n; 16])
}

/// A victim registration carrying linkage keys and links to other providers' records.
fn keyed_victim(record_ref: &str, keys: &[u8], links: &[&str], status: VictimStatus) -> VictimRegistration {
    let date = d(2025, 10, 3);
    VictimRegistration {
        linkage_key_id: NationalCode::new("K-2025.1"),
        linkage_keys: keys.iter().map(|k| key(*k)).collect(),
        linked_record_refs: links.iter().map(|r| rref(r)).collect(),
        status,
        identifying_authority_type: (status == VictimStatus::Confirmed).then_some(ProviderType::Police),
        ..victim_of(record_ref, date, Sex::F, ExploitationForm::Sexual)
    }
}

fn link_input(v: &VictimRegistration) -> LinkInput {
    LinkInput {
        provider_id: v.provider_id.clone().into(),
        record_ref: v.record_ref.clone(),
        linkage_keys: v.linkage_keys.iter().copied().collect(),
        linked_record_refs: v.linked_record_refs.clone(),
        status: v.status,
        registration_date: v.registration_date,
    }
}

fn import(
    store: &mut Store,
    sub: &Submission,
    file: u8,
    status: SubmissionStatus,
    batch: &Batch,
) -> store::Result<ImportOutcome> {
    store.import_submission(sub, [file; 32], status, batch)
}

fn statuses(events: &[(DateTime<Utc>, SubmissionStatus, Option<String>)]) -> Vec<SubmissionStatus> {
    events.iter().map(|(_, s, _)| *s).collect()
}

// ---------------------------------------------------------------------------------------------
// Stories

#[test]
fn migrations_apply_and_are_idempotent() {
    for target in targets() {
        let mut store = target.open();
        let first = store.schema_version().expect("version");
        assert_eq!(first, 9, "{}", target.name());
        drop(store);
        let mut again = target.open();
        assert_eq!(again.schema_version().expect("version"), first, "{}", target.name());
        let expected =
            if matches!(target, Target::Sqlite { .. }) { Backend::Sqlite } else { Backend::Postgres };
        assert_eq!(again.backend(), expected);
    }
}

#[test]
fn record_tables_match_the_model_columns() {
    fn check<R: store::Storable>(target: &Target, table: &str) {
        let pg = matches!(target, Target::Postgres { .. });
        // Lean tables keep their own columns and pack the rest into `packed`.
        let (own, packed): (&[&str], &[&str]) =
            if R::OWN_COLUMNS.is_empty() { (R::COLUMNS, &[]) } else { (R::OWN_COLUMNS, &["packed"]) };
        let expected: Vec<(String, String)> = std::iter::once("submission_id")
            .chain(own.iter().copied())
            .chain(packed.iter().copied())
            .map(|c| {
                let ty = match c {
                    "linkage_keys" if !packed.is_empty() => ["bytea", "BLOB"],
                    _ if c.ends_with("_date") => ["date", "TEXT"],
                    "updated_at" => ["timestamp with time zone", "TEXT"],
                    "age_at_registration" | "record_version" | "sentence_months" => ["integer", "INTEGER"],
                    "convicted_of_thb" => ["boolean", "TEXT"],
                    _ => ["text", "TEXT"],
                };
                (c.to_owned(), ty[usize::from(!pg)].to_owned())
            })
            .collect();
        assert_eq!(
            target.columns(table),
            expected,
            "{}: table {table} drifted from the model",
            target.name()
        );
    }
    for target in targets() {
        drop(target.open());
        check::<VictimRegistration>(&target, "victim_registration");
        check::<Suspect>(&target, "suspect");
        check::<Prosecution>(&target, "prosecution");
        check::<CourtDecision>(&target, "court_decision");
    }
}

#[test]
fn codelist_sync_is_idempotent() {
    let expected: Vec<(String, String)> = {
        let mut v: Vec<_> = lists().lists().map(|l| (l.id.clone(), l.version.clone())).collect();
        v.sort();
        v
    };
    for target in targets() {
        let mut store = target.open();
        assert!(store.codelist_versions().expect("versions").is_empty());
        store.sync_codelists(lists()).expect("first sync");
        assert_eq!(store.codelist_versions().expect("versions"), expected, "{}", target.name());
        store.sync_codelists(lists()).expect("second sync");
        drop(store);
        let mut reopened = target.open();
        reopened.sync_codelists(lists()).expect("sync after reopening");
        assert_eq!(reopened.codelist_versions().expect("versions"), expected, "{}", target.name());
    }
}

#[test]
fn providers_round_trip_and_upsert_replaces() {
    for target in targets() {
        let mut store = target.open();
        assert!(store.providers(lists()).expect("providers").is_empty());
        register_providers(&mut store);
        let mut expected = providers();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(store.providers(lists()).expect("providers"), expected, "{}", target.name());

        let renamed = DataProvider {
            name: "Polícia Judiciária — UNCT".into(),
            submits: BTreeSet::new(),
            valid_to: Some(d(2027, 6, 30)),
            ..expected[2].clone()
        };
        store.upsert_provider(&renamed).expect("upsert");
        expected[2] = renamed;
        assert_eq!(store.providers(lists()).expect("providers"), expected, "{}", target.name());
    }
}

#[test]
fn update_provider_replaces_a_registered_provider_and_never_inserts() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let mut expected = store.providers(lists()).expect("providers");
        let edited = DataProvider {
            name: "Serviço editado".into(),
            provider_type: ProviderType::Ngo,
            nuts: None,
            can_formally_identify: !expected[0].can_formally_identify,
            valid_to: Some(d(2026, 12, 31)),
            ..expected[0].clone()
        };
        assert!(store.update_provider(&edited).expect("update"), "{name}");
        expected[0] = edited;
        assert_eq!(store.providers(lists()).expect("providers"), expected, "{name}");
        let unknown = DataProvider { id: pid("PT-NOBODY"), ..expected[0].clone() };
        assert!(!store.update_provider(&unknown).expect("update of an unknown id"), "{name}");
        assert_eq!(store.providers(lists()).expect("providers"), expected, "{name}: nothing inserted");
    }
}

#[test]
fn mapping_profiles_are_versioned_and_never_rewritten() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let (pj, ngo) = ("PT-PJ", "PT-MP".to_owned());
        assert!(store.profiles(None).expect("list").is_empty(), "{name}");
        assert_eq!(store.profile("police", None).expect("get"), None, "{name}");
        let v1 = "[profile]\nid = \"police\"\n";
        let v2 = "[profile]\nid = \"police\"\n# second\n";
        let saved = store.save_profile("police", Some(pj), v1, "analyst", t(2026, 1, 2)).expect("save v1");
        assert_eq!(saved, store::ProfileSave::Stored { version: 1 }, "{name}");
        // The same text again stores nothing.
        let again = store.save_profile("police", Some(pj), v1, "analyst", t(2026, 1, 3)).expect("same");
        assert_eq!(again, store::ProfileSave::Unchanged { version: 1 }, "{name}");
        let saved = store.save_profile("police", Some(pj), v2, "admin", t(2026, 1, 4)).expect("save v2");
        assert_eq!(saved.version(), 2, "{name}");
        // The owner of the first version stays: another provider or "shared" is refused.
        assert!(matches!(
            store.save_profile("police", None, "x", "admin", t(2026, 1, 5)),
            Err(Error::ProfileOwner { .. })
        ));
        assert!(matches!(
            store.save_profile("police", Some(&ngo), "x", "admin", t(2026, 1, 5)),
            Err(Error::ProfileOwner { .. })
        ));
        store.save_profile("shared", None, "[profile]\n", "admin", t(2026, 1, 6)).expect("shared");
        store.save_profile("ngo", Some(&ngo), "[profile]\n", "admin", t(2026, 1, 6)).expect("ngo");

        let latest = store.profile("police", None).expect("get").expect("stored");
        assert_eq!(
            latest,
            store::ProfileRow {
                name: "police".into(),
                version: 2,
                provider_id: Some(pj.into()),
                toml: v2.into(),
                created_at: t(2026, 1, 4),
                created_by: "admin".into(),
            },
            "{name}"
        );
        let first = store.profile("police", Some(1)).expect("get").expect("v1");
        assert_eq!((first.toml.as_str(), first.created_by.as_str()), (v1, "analyst"), "{name}");
        assert_eq!(store.profile("police", Some(3)).expect("get"), None, "{name}");
        let history = store.profile_history("police").expect("history");
        assert_eq!(history.iter().map(|p| p.version).collect::<Vec<_>>(), vec![1, 2], "{name}");
        assert!(store.profile_history("nothing").expect("history").is_empty());

        let names =
            |rows: Vec<store::ProfileRow>| rows.into_iter().map(|p| (p.name, p.version)).collect::<Vec<_>>();
        assert_eq!(
            names(store.profiles(None).expect("all")),
            vec![("ngo".into(), 1), ("police".into(), 2), ("shared".into(), 1)],
            "{name}"
        );
        assert_eq!(
            names(store.profiles(Some(pj)).expect("of PJ")),
            vec![("police".into(), 2), ("shared".into(), 1)],
            "{name}: own and shared"
        );
        assert_eq!(names(store.profiles(Some(&ngo)).expect("of the NGO")).len(), 2, "{name}");
        // Versions are history: the database refuses to change or delete them.
        assert!(target.try_execute("UPDATE mapping_profile SET toml = 'x'").is_err(), "{name}");
        assert!(target.try_execute("DELETE FROM mapping_profile").is_err(), "{name}");
        assert_eq!(store.profile_history("police").expect("history").len(), 2, "{name}");
    }
}

#[test]
fn a_submission_round_trips_every_record_exactly() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        let sub = submission(1, "PT-PJ", &batch);
        store.insert_submission(&sub, SubmissionStatus::Validated, &batch).expect("stored");

        let name = target.name();
        assert_eq!(store.victims(lists()).expect("victims"), inner(&batch.victims), "{name}");
        assert_eq!(store.suspects(lists()).expect("suspects"), inner(&batch.suspects), "{name}");
        assert_eq!(store.prosecutions(lists()).expect("prosecutions"), inner(&batch.prosecutions), "{name}");
        assert_eq!(
            store.court_decisions(lists()).expect("decisions"),
            inner(&batch.court_decisions),
            "{name}"
        );
        assert_eq!(
            store.submissions().expect("submissions"),
            vec![(sub, SubmissionStatus::Validated)],
            "{name}"
        );
    }
}

#[test]
fn submissions_are_listed_by_provider_period_and_time() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let empty = Batch::default();
        let mut expected = Vec::new();
        for (n, provider, quarter, status) in [
            (5, "PT-PJ", 4, SubmissionStatus::Received),
            (4, "PT-PJ", 3, SubmissionStatus::Approved),
            (3, "PT-MP", 4, SubmissionStatus::Rejected),
            (2, "PT-PJ", 1, SubmissionStatus::Accepted),
        ] {
            let sub = submission_in(n, provider, quarter, &empty);
            store.insert_submission(&sub, status, &empty).expect("stored");
            expected.push((sub, status));
        }
        // A second revision for PT-PJ's fourth quarter, submitted later: both are listed.
        let revised = submission_in(6, "PT-PJ", 4, &empty);
        let outcome = store.import_submission(&revised, [6; 32], SubmissionStatus::Received, &empty);
        assert!(matches!(outcome, Ok(ImportOutcome::Stored { revision: 2, .. })), "{outcome:?}");
        expected[0].1 = SubmissionStatus::Superseded;
        expected.push((revised, SubmissionStatus::Received));
        expected.sort_by(|(a, _), (b, _)| {
            (&a.provider_id, a.period, a.submitted_at).cmp(&(&b.provider_id, b.period, b.submitted_at))
        });
        assert_eq!(store.submissions().expect("submissions"), expected, "{}", target.name());
    }
}

#[test]
fn a_second_insert_for_a_taken_period_is_refused() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        store
            .insert_submission(&submission(1, "PT-PJ", &batch), SubmissionStatus::Received, &batch)
            .expect("stored");
        let before = full_snapshot(&mut store);
        let other = Batch { victims: vec![valid(victim("V-5"))], ..Batch::default() };
        let result =
            store.insert_submission(&submission(2, "PT-PJ", &other), SubmissionStatus::Received, &other);
        assert!(
            matches!(&result, Err(Error::PeriodTaken { provider_id, period: p }) if provider_id.as_str() == "PT-PJ" && *p == period(4)),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(full_snapshot(&mut store), before, "{}", target.name());
    }
}

#[test]
fn a_duplicate_submission_id_is_refused_and_nothing_changes() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        let sub = submission(1, "PT-PJ", &batch);
        store.insert_submission(&sub, SubmissionStatus::Received, &batch).expect("stored");
        let before = snapshot(&mut store);

        let other = Batch { victims: vec![valid(victim("V-999999"))], ..Batch::default() };
        let again = store.insert_submission(&sub, SubmissionStatus::Received, &other);
        assert!(
            matches!(again, Err(Error::DuplicateSubmission { id }) if id == sub.id),
            "{}: {again:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), before, "{}", target.name());
    }
}

#[test]
fn unknown_or_foreign_providers_are_refused_and_nothing_is_written() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let mut batch = mixed_batch();
        batch
            .victims
            .push(valid_unregistered(VictimRegistration { provider_id: pid("PT-NGO-X"), ..victim("V-3") }));
        let sub = submission(1, "PT-PJ", &batch);
        let result = store.insert_submission(&sub, SubmissionStatus::Received, &batch);
        assert!(
            matches!(&result, Err(Error::RecordOfOtherProvider { provider_id }) if provider_id.as_str() == "PT-NGO-X"),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), (vec![], vec![]), "{}", target.name());

        let unknown_submitter = submission(2, "PT-NOBODY", &Batch::default());
        let result =
            store.insert_submission(&unknown_submitter, SubmissionStatus::Received, &Batch::default());
        assert!(matches!(result, Err(Error::UnknownProvider { .. })), "{}: {result:?}", target.name());
        assert_eq!(snapshot(&mut store), (vec![], vec![]), "{}", target.name());
    }
}

#[test]
fn a_record_stored_before_rolls_back_the_whole_new_submission() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        store
            .insert_submission(&submission(1, "PT-PJ", &batch), SubmissionStatus::Received, &batch)
            .expect("stored");
        let before = snapshot(&mut store);

        // New suspects and victims first, then a court decision whose reference is already stored
        // (by the submission for the fourth quarter): the failure comes after rows were written
        // inside the transaction.
        let second = Batch {
            victims: vec![valid(victim("V-100")), valid(victim("V-101"))],
            suspects: vec![valid(suspect("S-100"))],
            court_decisions: vec![valid(court_decision("C-1"))],
            ..Batch::default()
        };
        let result = store.insert_submission(
            &submission_in(2, "PT-PJ", 3, &second),
            SubmissionStatus::Received,
            &second,
        );
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { table: "court_decision", record_ref, period: Some(p) })
                if record_ref == "C-1" && *p == period(4)),
            "{}: {result:?}",
            target.name()
        );
        let message = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("C-1") && message.contains("2025-Q4"), "{message}");
        assert!(message.contains("resubmit that period"), "{message}");
        assert_eq!(snapshot(&mut store), before, "{}", target.name());
        assert_eq!(store.victims(lists()).expect("victims"), inner(&batch.victims), "{}", target.name());

        // A large batch whose first row is already stored: PostgreSQL refuses it while the
        // rest is still being streamed.
        let mut large: Vec<_> = (0..5_000).map(|i| valid(victim(&format!("V-L{i:06}")))).collect();
        large.insert(0, valid(victim("V-000001")));
        let large = Batch { victims: large, ..Batch::default() };
        let result = store.insert_submission(
            &submission_in(4, "PT-PJ", 2, &large),
            SubmissionStatus::Received,
            &large,
        );
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { table: "victim_registration", record_ref, period: Some(p) })
                if record_ref == "V-000001" && *p == period(4)),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), before, "{}", target.name());

        let repeated = Batch {
            victims: vec![valid(victim("V-200")), valid(victim("V-201")), valid(victim("V-200"))],
            ..Batch::default()
        };
        let result = store.insert_submission(
            &submission_in(3, "PT-PJ", 1, &repeated),
            SubmissionStatus::Received,
            &repeated,
        );
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { table: "victim_registration", record_ref, period: None })
                if record_ref == "V-200"),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), before, "{}", target.name());
    }
}

#[test]
fn counts_and_latest_date() {
    for target in targets() {
        let mut store = target.open();
        let name = target.name();
        assert_eq!(store.last_victim_date().expect("date"), None, "{name}");
        assert!(store.record_counts().expect("counts").is_empty(), "{name}");
        assert!(store.victim_counts_by_sex_and_form(2025).expect("counts").is_empty(), "{name}");

        register_providers(&mut store);
        use ExploitationForm::{Labour, Sexual};
        let spec = [
            (d(2024, 12, 31), Sex::F, Sexual),
            (d(2025, 1, 1), Sex::M, Labour),
            (d(2025, 2, 1), Sex::F, Sexual),
            (d(2025, 3, 1), Sex::F, Labour),
            (d(2025, 7, 9), Sex::F, Sexual),
            (d(2025, 12, 31), Sex::Unknown, Sexual),
        ];
        let victims: Vec<_> = spec
            .iter()
            .enumerate()
            .map(|(i, (date, sex, form))| valid(victim_of(&format!("V-{i}"), *date, *sex, *form)))
            .collect();
        let first = Batch { victims, suspects: vec![valid(suspect("S-1"))], ..Batch::default() };
        store
            .insert_submission(&submission(1, "PT-PJ", &first), SubmissionStatus::Accepted, &first)
            .expect("stored");
        let second = Batch {
            prosecutions: vec![
                valid(Prosecution { provider_id: pid("PT-MP"), ..prosecution("P-1") }),
                valid(Prosecution { provider_id: pid("PT-MP"), ..prosecution("P-2") }),
            ],
            ..Batch::default()
        };
        store
            .insert_submission(&submission(2, "PT-MP", &second), SubmissionStatus::Accepted, &second)
            .expect("stored");

        assert_eq!(
            store.victim_counts_by_sex_and_form(2025).expect("counts"),
            vec![(Sex::F, Sexual, 2), (Sex::F, Labour, 1), (Sex::M, Labour, 1), (Sex::Unknown, Sexual, 1)],
            "{name}"
        );
        assert_eq!(
            store.victim_counts_by_sex_and_form(2024).expect("counts"),
            vec![(Sex::F, Sexual, 1)],
            "{name}"
        );
        assert!(store.victim_counts_by_sex_and_form(2023).expect("counts").is_empty(), "{name}");
        assert!(
            matches!(store.victim_counts_by_sex_and_form(i32::MAX), Err(Error::YearOutOfRange(_))),
            "{name}"
        );
        assert_eq!(store.last_victim_date().expect("date"), Some(d(2025, 12, 31)), "{name}");
        assert_eq!(
            store.record_counts().expect("counts"),
            vec![
                (pid("PT-MP"), RecordType::Prosecution, 2),
                (pid("PT-PJ"), RecordType::Victim, 6),
                (pid("PT-PJ"), RecordType::Suspect, 1),
            ],
            "{name}"
        );
    }
}

#[test]
fn many_records_round_trip_through_the_bulk_path() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let victims: Vec<_> = (0..3_000)
            .map(|i| {
                let record_ref = format!("V-{i:06}");
                let date = d(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32);
                if i % 2 == 0 {
                    let age = (18 + i % 60) as u8;
                    valid(VictimRegistration {
                        registration_date: date,
                        status_date: date,
                        age_at_registration: Some(age),
                        ..victim(&record_ref)
                    })
                } else {
                    valid(victim_of(&record_ref, date, Sex::F, ExploitationForm::Sexual))
                }
            })
            .collect();
        let batch = Batch { victims, ..Batch::default() };
        store
            .insert_submission(&submission(1, "PT-PJ", &batch), SubmissionStatus::Received, &batch)
            .expect("stored");
        assert_eq!(store.victims(lists()).expect("victims"), inner(&batch.victims), "{}", target.name());
    }
}

#[test]
fn a_corrupt_row_is_reported_by_reference_without_its_value() {
    for target in targets() {
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        store
            .insert_submission(&submission(1, "PT-PJ", &batch), SubmissionStatus::Received, &batch)
            .expect("stored");
        target.execute("UPDATE victim_registration SET sex = 'QZXW' WHERE record_ref = 'V-000002'");
        let err = store.victims(lists()).expect_err("a corrupt row must not parse");
        assert!(
            matches!(&err, Error::Corrupt { table: "victim_registration", record_ref } if record_ref == "V-000002"),
            "{}: {err:?}",
            target.name()
        );
        assert!(!err.to_string().contains("QZXW"), "the message must not echo the value: {err}");
        assert_eq!(store.suspects(lists()).expect("other tables still read"), inner(&batch.suspects));
    }
}

#[test]
fn open_dispatches_on_the_location() {
    for target in targets() {
        let mut first = target.open();
        register_providers(&mut first);
        drop(first);
        let location = match &target {
            Target::Sqlite { path, .. } => path.to_string_lossy().into_owned(),
            Target::Postgres { url, schema } => Target::pg_url_with_search_path(url, schema),
        };
        let mut store = Store::open(&location).unwrap_or_else(|e| panic!("{}: open: {e}", target.name()));
        let expected =
            if matches!(target, Target::Sqlite { .. }) { Backend::Sqlite } else { Backend::Postgres };
        assert_eq!(store.backend(), expected);
        assert_eq!(store.schema_version().expect("version"), 9);
        assert_eq!(store.providers(lists()).expect("providers").len(), 3, "{}", target.name());
    }
}

#[test]
fn bad_schema_names_are_refused() {
    if let Ok(url) = std::env::var("MOSY_TEST_DATABASE_URL")
        && !url.trim().is_empty()
    {
        let result = Store::open_postgres_in_schema(&url, "x\"; DROP SCHEMA public; --");
        assert!(matches!(result, Err(Error::InvalidSchemaName)), "{result:?}");
    }
    let result = Store::open_postgres_in_schema("postgres://nobody@127.0.0.1:1/none", "Bad-Name");
    assert!(matches!(result, Err(Error::InvalidSchemaName)), "{result:?}");
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        let sub = submission(1, "PT-PJ", &batch);
        let first = import(&mut store, &sub, 0xA1, SubmissionStatus::Received, &batch).expect("imported");
        assert_eq!(
            first,
            ImportOutcome::Stored { submission_id: sub.id, revision: 1, replaced: None },
            "{name}"
        );
        let before = full_snapshot(&mut store);

        // The same file again, even under another submission id or with another status.
        let again = submission(2, "PT-PJ", &batch);
        let outcome = import(&mut store, &again, 0xA1, SubmissionStatus::Accepted, &batch).expect("imported");
        assert_eq!(outcome, ImportOutcome::AlreadyStored { submission_id: sub.id }, "{name}");
        // The same submission (same provider, period and content) from a re-encoded file.
        let outcome = import(&mut store, &sub, 0xA2, SubmissionStatus::Received, &batch).expect("imported");
        assert_eq!(outcome, ImportOutcome::AlreadyStored { submission_id: sub.id }, "{name}");
        assert_eq!(full_snapshot(&mut store), before, "{name}");

        let info = store.submission_info(sub.id).expect("info").expect("stored");
        assert_eq!(
            (info.revision, info.file_sha256, info.superseded_by),
            (1, Some([0xA1; 32]), None),
            "{name}"
        );
        assert_eq!(store.submission_info(again.id).expect("info"), None, "{name}");
    }
}

#[test]
fn a_resubmission_supersedes_the_live_revision_and_keeps_it_as_history() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let first = mixed_batch();
        let a = submission(1, "PT-PJ", &first);
        import(&mut store, &a, 1, SubmissionStatus::Received, &first).expect("imported");
        store.set_submission_status(a.id, SubmissionStatus::Validated, None).expect("validated");
        // Persons computed over the first revision.
        let members: Vec<_> =
            first.victims.iter().map(|v| (v.provider_id.clone(), v.record_ref.clone(), 1)).collect();
        let person = PersonRow {
            person_id: 1,
            status: VictimStatus::Confirmed,
            first_registration_date: d(2025, 1, 2),
            registrations: 2,
            providers: 1,
        };
        store.replace_persons(&[person], &members).expect("persons");
        assert_eq!(store.person_counts().expect("counts"), (1, 2), "{name}");

        // The second revision revises V-000001, drops V-000002 and every other record, adds V-3.
        let second = Batch {
            victims: vec![
                valid(VictimRegistration { record_version: 3, ..victim("V-000001") }),
                valid(victim("V-3")),
            ],
            ..Batch::default()
        };
        let b = submission(2, "PT-PJ", &second);
        let outcome = import(&mut store, &b, 2, SubmissionStatus::Received, &second).expect("imported");
        assert_eq!(
            outcome,
            ImportOutcome::Stored { submission_id: b.id, revision: 2, replaced: Some(a.id) },
            "{name}"
        );

        assert_eq!(store.victims(lists()).expect("victims"), inner(&second.victims), "{name}");
        assert!(store.suspects(lists()).expect("suspects").is_empty(), "{name}");
        assert!(store.prosecutions(lists()).expect("prosecutions").is_empty(), "{name}");
        assert!(store.court_decisions(lists()).expect("decisions").is_empty(), "{name}");
        assert_eq!(
            store.record_counts().expect("counts"),
            vec![(pid("PT-PJ"), RecordType::Victim, 2)],
            "{name}"
        );
        // The memberships of the replaced victims went with them.
        assert_eq!(store.person_counts().expect("counts"), (1, 0), "{name}");

        let infos = store.submission_infos().expect("infos");
        let summary: Vec<_> = infos
            .iter()
            .map(|i| (i.submission.id, i.status, i.revision, i.superseded_by, i.file_sha256))
            .collect();
        assert_eq!(
            summary,
            vec![
                (a.id, SubmissionStatus::Superseded, 1, Some(b.id), Some([1; 32])),
                (b.id, SubmissionStatus::Received, 2, None, Some([2; 32])),
            ],
            "{name}"
        );
        assert_eq!(infos[0].submission, a, "{name}");
        assert_eq!(infos[1].submission, b, "{name}");
        use SubmissionStatus::{Received, Superseded, Validated};
        assert_eq!(
            statuses(&store.submission_events(a.id).expect("events")),
            vec![Received, Validated, Superseded]
        );
        assert_eq!(statuses(&store.submission_events(b.id).expect("events")), vec![Received]);
        let events = store.submission_events(a.id).expect("events");
        assert!(events.windows(2).all(|w| w[0].0 <= w[1].0), "{name}: events in time order");
        assert!(events.iter().all(|(_, _, note)| note.is_none()), "{name}");

        // A third revision supersedes the second; the history keeps all three.
        let third = Batch { victims: vec![valid(victim("V-4"))], ..Batch::default() };
        let c = submission(3, "PT-PJ", &third);
        let outcome = import(&mut store, &c, 3, SubmissionStatus::Received, &third).expect("imported");
        assert_eq!(
            outcome,
            ImportOutcome::Stored { submission_id: c.id, revision: 3, replaced: Some(b.id) },
            "{name}"
        );
        let revisions: Vec<_> =
            store.submission_infos().expect("infos").iter().map(|i| (i.revision, i.status)).collect();
        assert_eq!(revisions, vec![(1, Superseded), (2, Superseded), (3, Received)], "{name}");
        assert_eq!(store.victims(lists()).expect("victims"), inner(&third.victims), "{name}");
        assert_eq!(store.submissions().expect("submissions").len(), 3, "{name}");

        // Nothing happens to a superseded revision any more.
        let result = store.set_submission_status(a.id, SubmissionStatus::Accepted, None);
        assert!(
            matches!(
                result,
                Err(Error::InvalidTransition { from: Superseded, to: SubmissionStatus::Accepted })
            ),
            "{name}: {result:?}"
        );
    }
}

#[test]
fn an_approved_period_is_locked_until_reopened_with_a_note() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let batch = mixed_batch();
        let a = submission(1, "PT-PJ", &batch);
        import(&mut store, &a, 1, SubmissionStatus::Received, &batch).expect("imported");
        for to in [SubmissionStatus::Validated, SubmissionStatus::Accepted, SubmissionStatus::Approved] {
            store.set_submission_status(a.id, to, None).expect("lifecycle step");
        }
        let before = full_snapshot(&mut store);

        let revised = Batch { victims: vec![valid(victim("V-000001"))], ..Batch::default() };
        let b = submission(2, "PT-PJ", &revised);
        let result = import(&mut store, &b, 2, SubmissionStatus::Received, &revised);
        assert!(
            matches!(&result, Err(Error::PeriodLocked { provider_id, period: p }) if provider_id.as_str() == "PT-PJ" && *p == period(4)),
            "{name}: {result:?}"
        );
        assert_eq!(full_snapshot(&mut store), before, "{name}");
        // The same file as the approved one is still recognised.
        let again = import(&mut store, &a, 1, SubmissionStatus::Received, &batch).expect("imported");
        assert_eq!(again, ImportOutcome::AlreadyStored { submission_id: a.id }, "{name}");

        for note in [None, Some(""), Some("   ")] {
            let result = store.set_submission_status(a.id, SubmissionStatus::Accepted, note);
            assert!(matches!(result, Err(Error::NoteRequired)), "{name}: {result:?}");
        }
        assert_eq!(full_snapshot(&mut store), before, "{name}");
        store
            .set_submission_status(a.id, SubmissionStatus::Accepted, Some("provider corrects Q4 counts"))
            .expect("reopened");
        let events = store.submission_events(a.id).expect("events");
        assert_eq!(
            events.last().map(|(_, s, n)| (*s, n.clone())),
            Some((SubmissionStatus::Accepted, Some("provider corrects Q4 counts".to_owned()))),
            "{name}"
        );
        assert_eq!(events.len(), 5, "{name}");

        let outcome = import(&mut store, &b, 2, SubmissionStatus::Received, &revised).expect("imported");
        assert_eq!(
            outcome,
            ImportOutcome::Stored { submission_id: b.id, revision: 2, replaced: Some(a.id) },
            "{name}"
        );
        assert_eq!(store.victims(lists()).expect("victims"), inner(&revised.victims), "{name}");
    }
}

#[test]
fn the_lifecycle_refuses_every_other_transition() {
    use SubmissionStatus::*;
    let allowed = [
        (Received, Validated),
        (Received, Rejected),
        (Validated, Accepted),
        (Validated, Rejected),
        (Accepted, Approved),
        (Approved, Accepted),
    ];
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let empty = Batch::default();
        let mut n = 0;
        for from in [Received, Validated, Accepted, Rejected, Approved] {
            for to in SubmissionStatus::ALL {
                n += 1;
                let sub = Submission {
                    period: Period::new(2000 + n as u16, 1).expect("period"),
                    ..submission(n, "PT-PJ", &empty)
                };
                store.insert_submission(&sub, from, &empty).expect("stored");
                let result = store.set_submission_status(sub.id, to, Some("why"));
                let info = store.submission_info(sub.id).expect("info").expect("stored");
                let events = statuses(&store.submission_events(sub.id).expect("events"));
                if allowed.contains(&(from, to)) {
                    assert!(result.is_ok(), "{name}: {from:?} -> {to:?}: {result:?}");
                    assert_eq!((info.status, events), (to, vec![from, to]), "{name}");
                } else {
                    assert!(
                        matches!(result, Err(Error::InvalidTransition { from: f, to: t }) if f == from && t == to),
                        "{name}: {from:?} -> {to:?}: {result:?}"
                    );
                    assert_eq!((info.status, events), (from, vec![from]), "{name}");
                }
            }
        }
        // Only a newer revision supersedes a submission: nothing is stored as superseded.
        let sub = submission(99, "PT-PJ", &empty);
        let result = store.insert_submission(&sub, Superseded, &empty);
        assert!(matches!(result, Err(Error::InvalidTransition { to: Superseded, .. })), "{name}: {result:?}");
        let result = store.import_submission(&sub, [9; 32], Superseded, &empty);
        assert!(matches!(result, Err(Error::InvalidTransition { to: Superseded, .. })), "{name}: {result:?}");
        assert_eq!(store.submission_info(sub.id).expect("info"), None, "{name}");

        let unknown = uuid::Uuid::from_u128(42);
        let result = store.set_submission_status(unknown, Validated, None);
        assert!(
            matches!(result, Err(Error::UnknownSubmission { id }) if id == unknown),
            "{name}: {result:?}"
        );
        assert!(store.submission_events(unknown).expect("events").is_empty(), "{name}");
    }
}

#[test]
fn a_record_held_by_another_period_is_refused_and_nothing_is_written() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let q3 = Batch { victims: vec![valid(victim("V-1")), valid(victim("V-2"))], ..Batch::default() };
        import(&mut store, &submission_in(1, "PT-PJ", 3, &q3), 1, SubmissionStatus::Accepted, &q3)
            .expect("Q3");
        let q4 = Batch {
            victims: vec![valid(victim("V-9"))],
            suspects: vec![valid(suspect("S-9"))],
            ..Batch::default()
        };
        import(&mut store, &submission_in(2, "PT-PJ", 4, &q4), 2, SubmissionStatus::Received, &q4)
            .expect("Q4");
        let before = full_snapshot(&mut store);

        // A new revision of Q4 that also sends Q3's V-2: refused, and Q4's live revision stays.
        let bad = Batch {
            victims: vec![valid(victim("V-9")), valid(victim("V-10")), valid(victim("V-2"))],
            ..Batch::default()
        };
        let result =
            import(&mut store, &submission_in(3, "PT-PJ", 4, &bad), 3, SubmissionStatus::Received, &bad);
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { table: "victim_registration", record_ref, period: Some(p) })
                if record_ref == "V-2" && *p == period(3)),
            "{name}: {result:?}"
        );
        assert_eq!(full_snapshot(&mut store), before, "{name}");

        // A first submission for Q2 with the same record: refused too.
        let result =
            import(&mut store, &submission_in(4, "PT-PJ", 2, &bad), 4, SubmissionStatus::Received, &bad);
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { record_ref, period: Some(p), .. })
                if (record_ref == "V-2" && *p == period(3)) || (record_ref == "V-9" && *p == period(4))),
            "{name}: {result:?}"
        );
        assert_eq!(full_snapshot(&mut store), before, "{name}");

        // Repeated within the file itself.
        let repeated =
            Batch { victims: vec![valid(victim("V-11")), valid(victim("V-11"))], ..Batch::default() };
        let result = import(
            &mut store,
            &submission_in(5, "PT-PJ", 4, &repeated),
            5,
            SubmissionStatus::Received,
            &repeated,
        );
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { record_ref, period: None, .. }) if record_ref == "V-11"),
            "{name}: {result:?}"
        );
        assert_eq!(full_snapshot(&mut store), before, "{name}");

        // Revising a record within its own period is what a new revision is for.
        let revised =
            Batch { victims: vec![valid(victim("V-9")), valid(victim("V-12"))], ..Batch::default() };
        let outcome = import(
            &mut store,
            &submission_in(6, "PT-PJ", 4, &revised),
            6,
            SubmissionStatus::Received,
            &revised,
        );
        assert!(matches!(outcome, Ok(ImportOutcome::Stored { revision: 2, .. })), "{name}: {outcome:?}");
    }
}

#[test]
fn link_inputs_round_trip_and_leave_out_rejected_and_superseded_submissions() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        assert!(store.victim_link_inputs().expect("inputs").is_empty(), "{name}");
        let live = [
            keyed_victim("V-20", &[1, 2], &["NGO-77", "LAB/2025:3"], VictimStatus::Confirmed),
            keyed_victim("V-03", &[3], &[], VictimStatus::Pending),
            victim_of("V-10", d(2025, 11, 30), Sex::M, ExploitationForm::Labour),
        ];
        let batch = Batch { victims: live.iter().cloned().map(valid).collect(), ..Batch::default() };
        import(&mut store, &submission_in(1, "PT-PJ", 4, &batch), 1, SubmissionStatus::Accepted, &batch)
            .expect("live");

        // Q3: the first revision is superseded by the second.
        let old = Batch {
            victims: vec![valid(keyed_victim("V-30", &[9], &[], VictimStatus::Signalled))],
            ..Batch::default()
        };
        import(&mut store, &submission_in(2, "PT-PJ", 3, &old), 2, SubmissionStatus::Received, &old)
            .expect("old");
        let newer_victim = keyed_victim("V-31", &[4, 5, 6], &["V-20"], VictimStatus::Declined);
        let newer = Batch { victims: vec![valid(newer_victim.clone())], ..Batch::default() };
        import(&mut store, &submission_in(3, "PT-PJ", 3, &newer), 3, SubmissionStatus::Validated, &newer)
            .expect("newer");

        // Q2: rejected.
        let rejected = Batch {
            victims: vec![valid(keyed_victim("V-40", &[7], &[], VictimStatus::Confirmed))],
            ..Batch::default()
        };
        let r = submission_in(4, "PT-PJ", 2, &rejected);
        import(&mut store, &r, 4, SubmissionStatus::Received, &rejected).expect("rejected");
        store
            .set_submission_status(r.id, SubmissionStatus::Rejected, Some("wrong quarter"))
            .expect("rejected");

        let mut expected: Vec<_> = live.iter().chain([&newer_victim]).map(link_input).collect();
        expected.sort_by(|a, b| (&a.provider_id, &a.record_ref).cmp(&(&b.provider_id, &b.record_ref)));
        assert_eq!(store.victim_link_inputs().expect("inputs"), expected, "{name}");
        assert_eq!(expected[0].record_ref.as_str(), "V-03");
        assert_eq!(expected[2].linkage_keys.len(), 2);
        assert!(expected[1].linkage_keys.is_empty() && expected[1].linked_record_refs.is_empty());
    }
}

#[test]
fn persons_are_replaced_as_a_whole_and_counted() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        assert_eq!(store.person_counts().expect("counts"), (0, 0), "{name}");
        assert!(store.persons_by_registration_count().expect("by count").is_empty(), "{name}");

        let person = |person_id, registrations, providers| PersonRow {
            person_id,
            status: VictimStatus::Pending,
            first_registration_date: d(2024, 2, 29),
            registrations,
            providers,
        };
        let member = |provider: &str, r: &str, id| (pid(provider), rref(r), id);
        let persons = [person(1, 3, 2), person(2, 1, 1), person(7, 1, 1)];
        let members = [
            member("PT-PJ", "V-1", 1),
            member("PT-PJ", "V-2", 1),
            member("PT-MP", "X-1", 1),
            member("PT-PJ", "V-3", 2),
            member("PT-DGPJ", "V-1", 7),
        ];
        store.replace_persons(&persons, &members).expect("persons");
        assert_eq!(store.person_counts().expect("counts"), (3, 5), "{name}");
        assert_eq!(store.persons_by_registration_count().expect("by count"), vec![(1, 2), (3, 1)], "{name}");

        let result =
            store.replace_persons::<(ProviderId, RecordRef, u32)>(&[person(1, 1, 1), person(1, 1, 1)], &[]);
        assert!(matches!(result, Err(Error::InconsistentPersons(_))), "{name}: {result:?}");
        let result = store.replace_persons(&[person(1, 1, 1)], &[member("PT-PJ", "V-1", 2)]);
        assert!(matches!(result, Err(Error::InconsistentPersons(_))), "{name}: {result:?}");
        let result = store
            .replace_persons(&[person(1, 2, 1)], &[member("PT-PJ", "V-1", 1), member("PT-PJ", "V-1", 1)]);
        assert!(result.is_err(), "{name}: a registration belongs to one person only");
        assert_eq!(
            store.person_counts().expect("counts"),
            (3, 5),
            "{name}: failed replacements change nothing"
        );

        store
            .replace_persons(&[person(4, 2, 2)], &[member("PT-PJ", "V-1", 4), member("PT-MP", "V-1", 4)])
            .expect("persons");
        assert_eq!(store.person_counts().expect("counts"), (1, 2), "{name}");
        assert_eq!(store.persons_by_registration_count().expect("by count"), vec![(2, 1)], "{name}");
        store.replace_persons::<(ProviderId, RecordRef, u32)>(&[], &[]).expect("no persons");
        assert_eq!(store.person_counts().expect("counts"), (0, 0), "{name}");
    }
}

#[test]
fn a_large_person_replacement_runs() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        let n: u32 = 100_000;
        // Persons of 1, 2 or 3 registrations, members spread over two providers.
        let mut persons = Vec::new();
        let mut members = Vec::new();
        let mut next = 0u32;
        let mut id = 0u32;
        while next < n {
            id += 1;
            let size = (1 + id % 3).min(n - next);
            for _ in 0..size {
                let provider = if next.is_multiple_of(2) { "PT-PJ" } else { "PT-NGO-APAV" };
                members.push((pid(provider), rref(&format!("V-{next:07}")), id));
                next += 1;
            }
            persons.push(PersonRow {
                person_id: id,
                status: VictimStatus::Confirmed,
                first_registration_date: d(2008 + (id % 18) as i32, 1 + id % 12, 1 + id % 28),
                registrations: size,
                providers: size.min(2),
            });
        }
        store.replace_persons(&persons, &members).expect("persons");
        store.replace_persons(&persons, &members).expect("persons again");
        assert_eq!(store.person_counts().expect("counts"), (u64::from(id), u64::from(n)), "{name}");
        let by_count = store.persons_by_registration_count().expect("by count");
        assert_eq!(by_count.iter().map(|(r, p)| u64::from(*r) * p).sum::<u64>(), u64::from(n), "{name}");
        assert_eq!(by_count.iter().map(|(r, _)| *r).collect::<Vec<_>>(), vec![1, 2, 3], "{name}");
    }
}

#[test]
fn a_version_1_database_is_migrated_with_its_submissions() {
    for target in targets() {
        let name = target.name();
        let v1 = match &target {
            Target::Sqlite { .. } => include_str!("../migrations/sqlite/0001_init.sql"),
            Target::Postgres { url, schema } => {
                Target::pg_client(url).batch_execute(&format!("CREATE SCHEMA \"{schema}\"")).expect("schema");
                include_str!("../migrations/postgres/0001_init.sql")
            }
        };
        target.execute(v1);
        target.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); \
             INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00Z'); \
             INSERT INTO data_provider (id, name, provider_type, country, nuts, can_formally_identify, submits, valid_from) \
             VALUES ('PT-PJ', 'Organisation PT-PJ', 'POLICE', 'PT', NULL, 'true', 'VICTIM', '2010-01-01'); \
             INSERT INTO submission (id, provider_id, period, schema_version, codelist_version, submitted_at, action, \
             record_count, sha256, status) VALUES ('6d6f7379-0000-4000-8000-000000000001', 'PT-PJ', '2025-Q4', '1.0.0', \
             '1.0.0', '2026-01-05T10:00:00.000000Z', 'A', 0, \
             '0101010101010101010101010101010101010101010101010101010101010101', 'accepted');",
        );
        let mut store = target.open();
        assert_eq!(store.schema_version().expect("version"), 9, "{name}");
        let infos = store.submission_infos().expect("infos");
        assert_eq!(infos.len(), 1, "{name}");
        assert_eq!(
            (infos[0].status, infos[0].revision, infos[0].superseded_by, infos[0].file_sha256),
            (SubmissionStatus::Accepted, 1, None, None),
            "{name}"
        );
        let events = store.submission_events(infos[0].submission.id).expect("events");
        assert_eq!(
            events,
            vec![(infos[0].submission.submitted_at, SubmissionStatus::Accepted, None)],
            "{name}"
        );
        store
            .set_submission_status(infos[0].submission.id, SubmissionStatus::Approved, None)
            .expect("approved");
    }
}

#[test]
fn a_streamed_import_is_all_or_nothing_across_its_submissions() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let q3 = Batch { victims: vec![valid(victim("V-1"))], ..Batch::default() };
        let old = submission_in(1, "PT-PJ", 3, &q3);
        import(&mut store, &old, 1, SubmissionStatus::Received, &q3).expect("Q3");
        let before = full_snapshot(&mut store);

        // Dropped without commit: nothing of it is stored.
        let open = |n, quarter| Submission {
            record_count: 0,
            sha256: [0; 32],
            ..submission_in(n, "PT-PJ", quarter, &Batch::default())
        };
        {
            let mut imp = store.begin_import().expect("import");
            let sub = open(2, 4);
            imp.open_submission(&sub, [2; 32], SubmissionStatus::Validated).expect("opened");
            imp.insert(sub.id, &[valid(victim("V-2"))]).expect("inserted");
        }
        assert_eq!(full_snapshot(&mut store), before, "{name}");

        // Q3 revised and Q4 opened in one import, records streamed in chunks.
        let mut imp = store.begin_import().expect("import");
        let (s3, s4) = (open(3, 3), open(4, 4));
        let o3 = imp.open_submission(&s3, [3; 32], SubmissionStatus::Validated).expect("opened");
        assert_eq!(
            o3,
            ImportOutcome::Stored { submission_id: s3.id, revision: 2, replaced: Some(old.id) },
            "{name}"
        );
        let o4 = imp.open_submission(&s4, [3; 32], SubmissionStatus::Validated).expect("opened");
        assert_eq!(o4, ImportOutcome::Stored { submission_id: s4.id, revision: 1, replaced: None }, "{name}");
        let chunk = |from: usize, to: usize| {
            (from..to).map(|i| valid(victim(&format!("V-{i:04}")))).collect::<Vec<_>>()
        };
        imp.insert(s3.id, &chunk(0, 3)).expect("chunk");
        imp.insert(s3.id, &chunk(3, 5)).expect("chunk");
        imp.insert(s3.id, &[valid(suspect("S-1"))]).expect("chunk");
        imp.insert::<Suspect>(s4.id, &[]).expect("empty chunk");
        imp.insert(s4.id, &chunk(5, 6)).expect("chunk");
        // Repeated across chunks of one submission.
        let result = imp.insert(s4.id, &chunk(5, 6));
        assert!(
            matches!(&result, Err(Error::DuplicateRecord { record_ref, period: None, .. }) if record_ref == "V-0005"),
            "{name}: {result:?}"
        );
        drop(imp);
        assert_eq!(full_snapshot(&mut store), before, "{name}: a failed import stores nothing");

        let mut imp = store.begin_import().expect("import");
        imp.open_submission(&s3, [3; 32], SubmissionStatus::Validated).expect("opened");
        imp.open_submission(&s4, [3; 32], SubmissionStatus::Validated).expect("opened");
        imp.insert(s3.id, &chunk(0, 3)).expect("chunk");
        imp.insert(s3.id, &chunk(3, 5)).expect("chunk");
        imp.insert(s4.id, &chunk(5, 6)).expect("chunk");
        let foreign = valid(Prosecution { provider_id: pid("PT-MP"), ..prosecution("P-1") });
        let result = imp.insert(s4.id, &[foreign]);
        assert!(matches!(result, Err(Error::RecordOfOtherProvider { .. })), "{name}: {result:?}");
        let unknown = uuid::Uuid::from_u128(77);
        assert!(
            matches!(imp.insert(unknown, &chunk(7, 8)), Err(Error::NotOpen { id }) if id == unknown),
            "{name}"
        );
        assert!(matches!(imp.close_submission(unknown, 1, [0; 32]), Err(Error::NotOpen { .. })), "{name}");
        imp.close_submission(s3.id, 5, [0x33; 32]).expect("closed");
        imp.close_submission(s4.id, 1, [0x44; 32]).expect("closed");
        imp.commit().expect("committed");

        let infos = store.submission_infos().expect("infos");
        let summary: Vec<_> = infos
            .iter()
            .map(|i| {
                (i.submission.id, i.status, i.revision, i.submission.record_count, i.submission.sha256[0])
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (old.id, SubmissionStatus::Superseded, 1, 1, 1),
                (s3.id, SubmissionStatus::Validated, 2, 5, 0x33),
                (s4.id, SubmissionStatus::Validated, 1, 1, 0x44),
            ],
            "{name}"
        );
        assert_eq!(store.victims(lists()).expect("victims"), inner(&chunk(0, 6)), "{name}");

        // The same files again: both periods already stored, records for them refused.
        let mut imp = store.begin_import().expect("import");
        let again = imp.open_submission(&s4, [3; 32], SubmissionStatus::Validated).expect("opened");
        assert_eq!(again, ImportOutcome::AlreadyStored { submission_id: s4.id }, "{name}");
        assert!(matches!(imp.insert(s4.id, &chunk(9, 10)), Err(Error::NotOpen { .. })), "{name}");
    }
}

#[test]
fn hub_settings_round_trip() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        assert_eq!(store.setting("intake.policy").expect("get"), None, "{name}");
        store.set_setting("intake.policy", "accept-valid").expect("set");
        store.set_setting("intake.policy", "reject-all").expect("replace");
        store.set_setting("a.first", "1").expect("set");
        assert_eq!(store.setting("intake.policy").expect("get").as_deref(), Some("reject-all"), "{name}");
        assert_eq!(
            store.settings().expect("all"),
            vec![
                ("a.first".to_owned(), "1".to_owned()),
                ("intake.policy".to_owned(), "reject-all".to_owned())
            ],
            "{name}"
        );
    }
}

#[test]
fn releases_and_boundaries_round_trip() {
    for target in targets() {
        let mut store = target.open();
        assert!(store.releases().expect("releases").is_empty());
        let release = store::ReleaseRow {
            id: "2025-eu-1".into(),
            period: "2025".into(),
            audience: "eu".into(),
            created_at: t(2026, 2, 1),
            data_version: "v1".into(),
            spec: "{\"kind\":\"key_indicators\"}".into(),
            sdmx_csv: "STRUCTURE,STRUCTURE_ID\n".into(),
            report_json: "{}".into(),
        };
        let cells = vec![
            ("persons|sex=F".to_string(), "2025-01-01..2025-12-31".to_string(), Some(12u64)),
            ("persons|sex=M".to_string(), "2025-01-01..2025-12-31".to_string(), None),
        ];
        store.insert_release(&release, &cells).expect("insert release");
        assert_eq!(store.releases().expect("releases"), vec![release.clone()], "{}", target.name());
        // A draft constrains nothing until it is published; a discarded draft is gone.
        assert!(store.release_cells().expect("cells").is_empty(), "{}", target.name());
        assert!(store.release_publications().expect("publications").is_empty());
        let draft = store::ReleaseRow { id: "2025-eu-2".into(), ..release.clone() };
        store.insert_release(&draft, &cells).expect("insert draft");
        assert!(store.discard_release("2025-eu-2").expect("discard"));
        assert!(!store.discard_release("2025-eu-2").expect("discard again"));
        assert_eq!(store.releases().expect("releases").len(), 1);
        assert!(store.publish_release("2025-eu-1", "2026-02-02T10:00:00Z", "ana").expect("publish"));
        assert!(
            !store.publish_release("2025-eu-1", "2026-02-03T10:00:00Z", "ana").expect("twice"),
            "once only"
        );
        assert!(!store.publish_release("nope", "2026-02-03T10:00:00Z", "ana").expect("unknown"));
        let published = store.release_publications().expect("publications");
        assert_eq!(published.len(), 1);
        assert_eq!(
            (published[0].published_at.as_str(), published[0].published_by.as_str()),
            ("2026-02-02T10:00:00Z", "ana")
        );
        assert!(!store.discard_release("2025-eu-1").expect("discard published"), "a published release stays");
        assert_eq!(store.release_cells().expect("cells"), cells, "{}", target.name());
        // The same id twice is refused and leaves the first as it was.
        assert!(store.insert_release(&release, &cells[..1]).is_err());
        assert_eq!(store.release_cells().expect("cells").len(), 2);
        assert_eq!(store.boundaries("nuts").expect("boundaries"), None);
        store.put_boundaries("nuts", 3, &[1, 2, 255]).expect("put");
        store.put_boundaries("nuts", 4, &[0, 9]).expect("replace");
        assert_eq!(store.boundaries("nuts").expect("boundaries"), Some(vec![0, 9]), "{}", target.name());
        let sets = store.boundary_sets().expect("sets");
        assert_eq!(sets.len(), 1);
        assert_eq!((sets[0].0.as_str(), sets[0].1), ("nuts", 4));
    }
}

#[test]
fn a_version_3_database_keeps_its_victims_in_the_lean_layout() {
    for target in targets() {
        let name = target.name();
        let scripts = match &target {
            Target::Sqlite { .. } => [
                include_str!("../migrations/sqlite/0001_init.sql"),
                include_str!("../migrations/sqlite/0002_intake.sql"),
                include_str!("../migrations/sqlite/0003_settings.sql"),
            ],
            Target::Postgres { url, schema } => {
                Target::pg_client(url).batch_execute(&format!("CREATE SCHEMA \"{schema}\"")).expect("schema");
                [
                    include_str!("../migrations/postgres/0001_init.sql"),
                    include_str!("../migrations/postgres/0002_intake.sql"),
                    include_str!("../migrations/postgres/0003_settings.sql"),
                ]
            }
        };
        for script in scripts {
            target.execute(script);
        }
        let sub = "6d6f7379-0000-4000-8000-000000000003";
        target.execute(&format!(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); \
             INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00Z'), (2, '2026-01-01T00:00:00Z'), \
             (3, '2026-01-01T00:00:00Z'); \
             INSERT INTO data_provider (id, name, provider_type, country, nuts, can_formally_identify, submits, valid_from) \
             VALUES ('PT-PJ', 'Organisation PT-PJ', 'POLICE', 'PT', NULL, 'true', 'VICTIM', '2010-01-01'); \
             INSERT INTO submission (id, provider_id, period, schema_version, codelist_version, submitted_at, action, \
             record_count, sha256, status, revision, file_sha256) VALUES ('{sub}', 'PT-PJ', '2025-Q4', '1.0.0', \
             '1.0.0', '2026-01-05T10:00:00.000000Z', 'A', 3, \
             '0101010101010101010101010101010101010101010101010101010101010101', 'accepted', 1, NULL); \
             INSERT INTO person (person_id, status, first_registration_date, registrations, providers) \
             VALUES (1, 'CONFIRMED', '2025-03-10', 2, 1); \
             INSERT INTO victim_person (provider_id, record_ref, person_id) VALUES ('PT-PJ', 'V-1', 1), ('PT-PJ', 'V-2', 1);"
        ));
        // Rows in the version-3 layout: every model column in canonical text, NULL when absent.
        let victims = vec![
            VictimRegistration {
                linkage_key_id: NationalCode::new("K-2025.1"),
                linkage_keys: [key(7), key(200), key(3)].into_iter().collect(),
                ..victim("V-1")
            },
            keyed_victim("V-2", &[3], &["PT-NGO-APAV:X-9"], VictimStatus::Declined),
            victim_of("V-3", d(2025, 11, 30), Sex::F, ExploitationForm::Sexual),
        ];
        for v in &victims {
            let mut values = Vec::new();
            v.write(&mut |s| values.push(if s.is_empty() { "NULL".to_owned() } else { format!("'{s}'") }));
            target.execute(&format!(
                "INSERT INTO victim_registration (submission_id, {}) VALUES ('{sub}', {})",
                VictimRegistration::COLUMNS.join(", "),
                values.join(", ")
            ));
        }

        let mut store = target.open();
        assert_eq!(store.schema_version().expect("version"), 9, "{name}");
        assert_eq!(store.victims(lists()).expect("victims"), victims, "{name}");
        let mut inputs: Vec<LinkInput> = victims.iter().map(link_input).collect();
        inputs.sort_by(|a, b| (&a.provider_id, &a.record_ref).cmp(&(&b.provider_id, &b.record_ref)));
        assert_eq!(store.victim_link_inputs().expect("inputs"), inputs, "{name}");
        assert_eq!(store.person_counts().expect("persons"), (1, 2), "{name}");
        assert_eq!(
            store.victim_counts_by_sex_and_form(2025).expect("counts"),
            vec![(Sex::F, ExploitationForm::Sexual, 2), (Sex::M, ExploitationForm::Labour, 1)],
            "{name}"
        );
        assert_eq!(store.last_victim_date().expect("latest"), Some(d(2025, 11, 30)), "{name}");
        assert_eq!(
            store.record_counts().expect("counts"),
            vec![(pid("PT-PJ"), RecordType::Victim, 3)],
            "{name}"
        );
        // The migrated rows are revised like any other: a new revision of the period replaces them.
        let newer = Batch { victims: vec![valid(victim("V-1"))], ..Batch::default() };
        let mut revision = submission_in(9, "PT-PJ", 4, &newer);
        revision.period = "2025-Q4".parse().expect("period");
        assert!(matches!(
            import(&mut store, &revision, 9, SubmissionStatus::Validated, &newer).expect("revision"),
            ImportOutcome::Stored { revision: 2, .. }
        ));
        assert_eq!(store.victims(lists()).expect("victims"), vec![victim("V-1")], "{name}");
        assert_eq!(
            store.person_counts().expect("persons"),
            (1, 0),
            "{name}: memberships of replaced rows go"
        );
    }
}

#[test]
fn a_revision_deletes_every_row_of_the_one_it_supersedes_even_if_rows_moved() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let old = Batch {
            victims: (0..50)
                .map(|i| {
                    valid(victim_of(&format!("V-{i:03}"), d(2025, 11, 3), Sex::F, ExploitationForm::Sexual))
                })
                .collect(),
            ..Batch::default()
        };
        let first = submission_in(1, "PT-PJ", 4, &old);
        import(&mut store, &first, 1, SubmissionStatus::Validated, &old).expect("first");
        store
            .replace_persons(
                &[PersonRow {
                    person_id: 1,
                    status: VictimStatus::Pending,
                    first_registration_date: d(2025, 11, 3),
                    registrations: 50,
                    providers: 1,
                }],
                &(0..50).map(|i| (pid("PT-PJ"), rref(&format!("V-{i:03}")), 1u32)).collect::<Vec<_>>(),
            )
            .expect("persons");
        if matches!(target, Target::Sqlite { .. }) {
            // As a VACUUM may: rows renumbered outside the recorded range.
            target.execute("UPDATE victim_registration SET rowid = rowid + 1000 WHERE record_ref >= 'V-040'");
        }
        let newer = Batch {
            victims: (0..10)
                .map(|i| {
                    valid(victim_of(&format!("V-{i:03}"), d(2025, 11, 4), Sex::M, ExploitationForm::Labour))
                })
                .collect(),
            ..Batch::default()
        };
        import(&mut store, &submission_in(2, "PT-PJ", 4, &newer), 2, SubmissionStatus::Validated, &newer)
            .expect("revision");
        assert_eq!(store.victims(lists()).expect("victims"), inner(&newer.victims), "{name}");
        assert_eq!(store.person_counts().expect("persons").1, 0, "{name}: memberships of the old rows go");
        // The next revision finds the rows of the second where they were written.
        let third = Batch { victims: vec![valid(victim("V-900"))], ..Batch::default() };
        let mut sub = submission_in(3, "PT-PJ", 4, &third);
        sub.period = "2025-Q4".parse().expect("period");
        import(&mut store, &sub, 3, SubmissionStatus::Validated, &third).expect("third");
        assert_eq!(store.victims(lists()).expect("victims"), vec![victim("V-900")], "{name}");
    }
}

#[test]
fn accounts_sessions_tokens_and_an_append_only_audit_log() {
    for target in targets() {
        let mut store = target.open();
        let mut account = store::AccountRow {
            id: "ana".into(),
            display_name: "Ana (analyst)".into(),
            role: "analyst".into(),
            provider_id: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            totp_secret: None,
            totp_last_step: None,
            lang: "pt".into(),
            disabled: false,
            created_at: "2026-02-01T09:00:00Z".into(),
        };
        store.upsert_account(&account).expect("account");
        account.totp_secret = Some("JBSWY3DPEHPK3PXP".into());
        account.totp_last_step = Some(59_000_000);
        store.upsert_account(&account).expect("update");
        assert_eq!(store.account("ana").expect("read"), Some(account.clone()), "{}", target.name());
        let session = store::SessionRow {
            token_hash: "ab".repeat(32),
            account_id: "ana".into(),
            created_at: "2026-02-01T09:00:00Z".into(),
            last_seen: "2026-02-01T09:00:00Z".into(),
            csrf_secret: "cd".repeat(32),
            mfa_done: false,
        };
        store.insert_session(&session).expect("session");
        store.touch_session(&session.token_hash, "2026-02-01T09:05:00Z", true).expect("touch");
        let got = store.session(&session.token_hash).expect("read").expect("present");
        assert!(got.mfa_done && got.last_seen == "2026-02-01T09:05:00Z", "{}", target.name());
        assert_eq!(store.delete_sessions_of("ana").expect("delete"), 1);
        assert_eq!(store.session(&session.token_hash).expect("read"), None);
        store
            .insert_api_token("ef", "ana", "nightly upload", "2026-02-01T09:00:00Z", "2027-02-01T09:00:00Z")
            .expect("token");
        assert_eq!(
            store.api_token("ef").expect("token"),
            Some(("ana".into(), "2027-02-01T09:00:00Z".into()))
        );
        let listed = store.api_tokens().expect("tokens");
        assert_eq!(listed.len(), 1, "{}", target.name());
        assert_eq!((listed[0].token_hash.as_str(), listed[0].label.as_str()), ("ef", "nightly upload"));
        assert!(store.revoke_api_token("ef").expect("revoke"));
        assert!(!store.revoke_api_token("ef").expect("revoke again"), "nothing left to revoke");
        assert_eq!(store.api_token("ef").expect("token"), None, "a revoked token no longer works");
        for (i, action) in ["login", "report"].iter().enumerate() {
            let row = store
                .append_audit(|head| {
                    let (seq, prev) = head.unwrap_or((0, "0".repeat(64)));
                    store::AuditRow {
                        seq: seq + 1,
                        at: "2026-02-01T09:00:00Z".into(),
                        actor: "ana".into(),
                        action: action.to_string(),
                        object: "-".into(),
                        source: "127.0.0.1".into(),
                        outcome: "ok".into(),
                        detail: String::new(),
                        prev_hash: prev,
                        hash: format!("{:064}", i + 1),
                    }
                })
                .expect("append");
            assert_eq!(row.seq, i as u64 + 1);
        }
        // A group commit appends several events, each built on the head the one before left.
        let rows = store
            .append_audits(3, |i, head| {
                let (seq, prev) = head.expect("a head");
                store::AuditRow {
                    seq: seq + 1,
                    at: "2026-02-01T09:01:00Z".into(),
                    actor: "ana".into(),
                    action: "report".into(),
                    object: "-".into(),
                    source: String::new(),
                    outcome: "ok".into(),
                    detail: String::new(),
                    prev_hash: prev,
                    hash: format!("{:064}", i + 10),
                }
            })
            .expect("append many");
        assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [3, 4, 5], "{}", target.name());
        let log = store.audit_log().expect("log");
        assert_eq!(log.len(), 5);
        for pair in log.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash, "{}", target.name());
        }
        // The database itself refuses to change or delete audit events.
        assert!(target.try_execute("UPDATE audit_log SET actor = 'eve'").is_err(), "{}", target.name());
        assert!(target.try_execute("DELETE FROM audit_log").is_err(), "{}", target.name());
        assert_eq!(store.audit_log().expect("log"), log);
    }
}

#[test]
fn a_streamed_revision_drops_the_memberships_of_the_rows_it_replaces_when_it_commits() {
    for target in targets() {
        let name = target.name();
        let mut store = target.open();
        register_providers(&mut store);
        let q3 = Batch {
            victims: vec![valid(victim_of("V-3", d(2025, 8, 1), Sex::F, ExploitationForm::Sexual))],
            ..Batch::default()
        };
        let q4 = Batch { victims: vec![valid(victim("V-4")), valid(victim("V-5"))], ..Batch::default() };
        let q4 = Batch {
            victims: q4
                .victims
                .into_iter()
                .map(|v| {
                    valid(VictimRegistration {
                        registration_date: d(2025, 10, 2),
                        status_date: d(2025, 10, 2),
                        ..VictimRegistration::clone(&v)
                    })
                })
                .collect(),
            ..Batch::default()
        };
        import(&mut store, &submission_in(1, "PT-PJ", 3, &q3), 1, SubmissionStatus::Validated, &q3)
            .expect("Q3");
        import(&mut store, &submission_in(2, "PT-PJ", 4, &q4), 2, SubmissionStatus::Validated, &q4)
            .expect("Q4");
        let person = |id| PersonRow {
            person_id: id,
            status: VictimStatus::Confirmed,
            first_registration_date: d(2025, 8, 1),
            registrations: 1,
            providers: 1,
        };
        let members = [
            (pid("PT-PJ"), rref("V-3"), 1u32),
            (pid("PT-PJ"), rref("V-4"), 2),
            (pid("PT-PJ"), rref("V-5"), 3),
        ];
        store.replace_persons(&[person(1), person(2), person(3)], &members).expect("persons");

        // A streamed revision of Q4 without V-5, committed without re-clustering.
        let mut imp = store.begin_import().expect("import");
        let newer = [valid(VictimRegistration {
            record_ref: rref("V-4"),
            ..VictimRegistration::clone(&q4.victims[0])
        })];
        let mut sub = submission_in(3, "PT-PJ", 4, &q4);
        sub.record_count = 0;
        let outcome = imp.open_submission(&sub, [3; 32], SubmissionStatus::Validated).expect("opened");
        assert!(matches!(outcome, ImportOutcome::Stored { revision: 2, .. }), "{name}");
        imp.insert(sub.id, &newer).expect("inserted");
        imp.close_submission(sub.id, 1, [9; 32]).expect("closed");
        imp.commit().expect("committed");

        // V-3 keeps its membership; V-4 (stored again) and V-5 (gone) lose theirs.
        assert_eq!(
            store.victim_memberships().expect("members"),
            vec![("PT-PJ".to_owned(), "V-3".to_owned(), 1)],
            "{name}"
        );
    }
}
