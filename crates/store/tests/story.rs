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
use store::{Backend, Error, Store};

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

// ---------------------------------------------------------------------------------------------
// Stories

#[test]
fn migrations_apply_and_are_idempotent() {
    for target in targets() {
        let mut store = target.open();
        let first = store.schema_version().expect("version");
        assert_eq!(first, 1, "{}", target.name());
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
    fn check<R: ModelRecord>(target: &Target, table: &str) {
        let pg = matches!(target, Target::Postgres { .. });
        let expected: Vec<(String, String)> = std::iter::once("submission_id")
            .chain(R::COLUMNS.iter().copied())
            .map(|c| {
                let ty = match c {
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
            (2, "PT-PJ", 4, SubmissionStatus::Accepted),
        ] {
            let sub = Submission {
                period: Period::new(2025, quarter).expect("period"),
                ..submission(n, provider, &empty)
            };
            store.insert_submission(&sub, status, &empty).expect("stored");
            expected.push((sub, status));
        }
        expected.sort_by(|(a, _), (b, _)| {
            (&a.provider_id, a.period, a.submitted_at).cmp(&(&b.provider_id, b.period, b.submitted_at))
        });
        assert_eq!(store.submissions().expect("submissions"), expected, "{}", target.name());
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

        // New suspects and victims first, then a court decision whose reference is already stored:
        // the failure comes after rows were written inside the transaction.
        let second = Batch {
            victims: vec![valid(victim("V-100")), valid(victim("V-101"))],
            suspects: vec![valid(suspect("S-100"))],
            court_decisions: vec![valid(court_decision("C-1"))],
            ..Batch::default()
        };
        let result =
            store.insert_submission(&submission(2, "PT-PJ", &second), SubmissionStatus::Received, &second);
        assert!(
            matches!(result, Err(Error::DuplicateRecord { table: "court_decision" })),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), before, "{}", target.name());
        assert_eq!(store.victims(lists()).expect("victims"), inner(&batch.victims), "{}", target.name());

        // A large batch whose first row is already stored: PostgreSQL refuses it while the
        // rest is still being streamed.
        let mut large: Vec<_> = (0..5_000).map(|i| valid(victim(&format!("V-L{i:06}")))).collect();
        large.insert(0, valid(victim("V-000001")));
        let large = Batch { victims: large, ..Batch::default() };
        let result =
            store.insert_submission(&submission(4, "PT-PJ", &large), SubmissionStatus::Received, &large);
        assert!(
            matches!(result, Err(Error::DuplicateRecord { table: "victim_registration" })),
            "{}: {result:?}",
            target.name()
        );
        assert_eq!(snapshot(&mut store), before, "{}", target.name());

        let repeated =
            Batch { victims: vec![valid(victim("V-200")), valid(victim("V-200"))], ..Batch::default() };
        let result = store.insert_submission(
            &submission(3, "PT-PJ", &repeated),
            SubmissionStatus::Received,
            &repeated,
        );
        assert!(matches!(result, Err(Error::DuplicateRecord { table: "victim_registration" })), "{result:?}");
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
        assert_eq!(store.schema_version().expect("version"), 1);
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
