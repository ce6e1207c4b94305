//! The personal-data guard: one table of true positives per identifier kind (formatted variants
//! included) and zero false positives over every codelist code and label and over the canonical
//! synthetic files.

use model::Codelists;
use model::codelists::Lang;
use privacy::guard::{IdentifierKind, looks_like_personal_name, scan_coded_value, scan_value};

fn assert_all(kind: IdentifierKind, values: &[&str]) {
    for v in values {
        assert_eq!(scan_value(v), Some(kind), "{v:?} should be {kind:?}");
    }
}

fn assert_none(values: &[&str]) {
    for v in values {
        assert_eq!(scan_coded_value(v), None, "{v:?} flagged");
    }
}

#[test]
fn emails() {
    assert_all(
        IdentifierKind::Email,
        &[
            "maria.silva@example.pt",
            "joao+thb@mail.gov.example.pt",
            "  a.b-c_d@sub.domain.co.uk ",
            "contact: olena.m@gmail.com",
            "X@Y.COM",
        ],
    );
    assert_none(&["@home", "a@b", "user@localhost", "x@y.1", "2023-01-05@", "@@@@@@"]);
}

#[test]
fn phones() {
    assert_all(
        IdentifierKind::Phone,
        &[
            "+351 912 345 678",
            "+351912345678",
            "(+351) 912 345 678",
            "00351 912 345 678",
            "+44 20 7946 0958",
            "+55 (11) 91234-5678",
            "+380 44 123 4567",
            "912 345 678",
            "912-345-678",
            "912345678",
            "21 345 6789",
            "tel. 965 432 100",
        ],
    );
    assert_none(&["+12", "18+", "2023-01-05", "05/01/2023", "1234567", "V-2023-912345678", "C-912345678"]);
}

#[test]
fn ibans() {
    assert_all(
        IdentifierKind::Iban,
        &[
            "DE89 3704 0044 0532 0130 00",
            "DE89370400440532013000",
            "GB82 WEST 1234 5698 7654 32",
            "PT50 0002 0123 1234 5678 9015 4",
            "pt50000201231234567890154",
            "FR14 2004 1010 0505 0001 3M02 606",
            "IBAN: NL91ABNA0417164300",
        ],
    );
    // Wrong check digits, wrong length for the country.
    assert_none(&[
        "DE88 3704 0044 0532 0130 00",
        "PT50 0002 0123 1234 5678 9015",
        "DE89370400440532013000123",
    ]);
}

#[test]
fn payment_cards() {
    assert_all(
        IdentifierKind::PaymentCard,
        &[
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5500000000000004",
            "3782 822463 10005",
            "6011111111111117",
        ],
    );
    // Luhn fails, issuer prefix 1/7–9/0, a timestamp without separators.
    assert_none(&["4111 1111 1111 1112", "1111111111111117", "20190529105248", "7000000000000008"]);
}

#[test]
fn passport_mrz() {
    assert_all(
        IdentifierKind::PassportMrz,
        &[
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ],
    );
    // A check digit wrong; not an MRZ length.
    assert_none(&["L898902C37UTO7408122F1204159ZE184226B<<<<<10", "I<UTOD231458907<<<<<", "<<<<<<"]);
}

#[test]
fn national_ids() {
    assert_all(
        IdentifierKind::NationalId,
        &[
            // Portuguese NIF (mod 11).
            "501964843",
            "501 964 843",
            "123456789",
            // Portuguese Cartão de Cidadão.
            "12345678 9 ZZ1",
            "123456789ZZ1",
            "00000000 0 ZZ4",
            // Spanish DNI and NIE.
            "12345678Z",
            "12345678-Z",
            "X1234567L",
            "Y2345678Z",
            // Romanian CNP.
            "1630615123457",
            "2850101400019",
        ],
    );
    assert_none(&["501964842", "11111111 2 AB3", "12345678A", "X1234567A", "1630615123458", "1631315123457"]);
}

#[test]
fn personal_names() {
    for name in [
        "Maria Silva",
        "José da Costa",
        "Ana Maria dos Santos",
        "MARIA FERNANDA SILVA",
        "Olena Shevchenko",
        "Ștefan Popescu",
        "Mohammad Abdul Karim",
        "Silva Maria",
        "Priya Sharma",
        "Ram Bahadur Thapa",
    ] {
        assert!(looks_like_personal_name(name), "{name:?}");
        assert_eq!(scan_coded_value(name), Some(IdentifierKind::PersonalName));
    }
    for not in [
        "SEXUAL",
        "Y_GE18",
        "PT1A0",
        "Forced labour",
        "Roménia",
        "Exploração laboral",
        "Costa Rica",
        "São Tomé e Príncipe",
        "Santa Maria",
        "Maria",
        "Maria 2",
        "Maria Kowalczyk Nowakowska Wiśniewska Zielińska",
        "Grace period",
        "Domestic Work",
    ] {
        assert!(!looks_like_personal_name(not), "{not:?}");
    }
}

#[test]
fn codes_and_messages_are_stable() {
    let codes: Vec<&str> = IdentifierKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes,
        [
            "pii.email",
            "pii.phone",
            "pii.iban",
            "pii.payment_card",
            "pii.passport_mrz",
            "pii.national_id",
            "pii.personal_name"
        ]
    );
    for k in IdentifierKind::ALL {
        assert!(!k.message().is_empty());
        assert_eq!(k.to_string(), k.message());
    }
}

#[test]
fn no_false_positive_on_any_codelist_code_or_label() {
    let lists = Codelists::embedded();
    let mut hits = Vec::new();
    let mut checked = 0usize;
    for list in lists.lists() {
        for entry in list.entries() {
            for value in [entry.code.as_str(), entry.label(Lang::En), entry.label(Lang::Pt)] {
                checked += 1;
                if let Some(kind) = scan_coded_value(value) {
                    hits.push(format!("{}: {value:?} → {kind:?}", list.id));
                }
            }
        }
    }
    for cw in lists.crosswalks() {
        for (from, to) in cw.pairs() {
            for value in [from.as_str(), to.as_str()] {
                checked += 1;
                if let Some(kind) = scan_coded_value(value) {
                    hits.push(format!("crosswalk: {value:?} → {kind:?}"));
                }
            }
        }
    }
    assert!(checked > 5_000, "{checked}");
    assert!(hits.is_empty(), "{hits:#?}");
}

#[test]
fn no_false_positive_on_typical_canonical_values() {
    assert_none(&[
        "2023-01-05",
        "2019-05-29T10:52:48Z",
        "2019-05-29 10:52:48",
        "05/01/2023",
        "20230105",
        "V-2023-000123",
        "V-2019-000001|V-2019-000002",
        "C-2019-000001",
        "S-2021-001234",
        "PT-CP-160",
        "PT-NGO-APAV",
        "PT1A0",
        "PT170",
        "PT11",
        "45",
        "120",
        "2024",
        "2024-Q3",
        "1000000",
        "FalsePromises|PhysicalThreats|PsychologicalAbuse|WithholdsNecessities",
        "SEXUAL|LABOUR",
        "0--12",
        "Y_LT18",
        "NOT_CONFIRMED",
        "MOSY_CL 1.0.0",
        "3.14159",
        "1 234 567",
        "12,5",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479",
    ]);
}

#[test]
fn no_false_positive_on_canonical_synthetic_files() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).ok_or("date")?;
    let params = synth::Params { seed: 7, victims: 3_000, first_year: 2019, last_year: 2024, as_of };
    synth::write_csv(&params, Codelists::embedded(), dir.path())?;
    let mut cells = 0usize;
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir.path())? {
        let path = entry?.path();
        let mut reader = csv::Reader::from_path(&path)?;
        for record in reader.records() {
            for value in record?.iter() {
                cells += 1;
                if let Some(kind) = scan_coded_value(value) {
                    hits.push(format!("{}: {value:?} → {kind:?}", path.display()));
                }
            }
        }
    }
    assert!(cells > 50_000, "{cells}");
    assert!(hits.is_empty(), "{hits:#?}");
    Ok(())
}
