//! The complete access matrix: every role × every action × every kind of object.

use auth::authz::{Action, Object, ReleaseAudience, Role, RoleError, allowed};

const OBJECTS: [&str; 8] =
    ["hub", "all", "own", "other", "rel-pub", "rel-pub-draft", "rel-eu", "rel-eu-draft"];

fn object(code: &str) -> Object<'static> {
    match code {
        "hub" => Object::Hub,
        "all" => Object::AllProviders,
        "own" => Object::Provider("PSP"),
        "other" => Object::Provider("GNR"),
        "rel-pub" => Object::Release { audience: ReleaseAudience::Public, published: true },
        "rel-pub-draft" => Object::Release { audience: ReleaseAudience::Public, published: false },
        "rel-eu" => Object::Release { audience: ReleaseAudience::Eu, published: true },
        "rel-eu-draft" => Object::Release { audience: ReleaseAudience::Eu, published: false },
        _ => panic!("unknown object {code}"),
    }
}

fn roles() -> [Role; 5] {
    [
        Role::HubAdmin,
        Role::Analyst,
        Role::ProviderUser { provider: "PSP".into() },
        Role::EuViewer,
        Role::Public,
    ]
}

/// Allowed cells: action code, object, then one column per role (admin, analyst, provider user of PSP,
/// EU viewer, public). Every pairing not listed is denied for every role.
const MATRIX: &str = "
dashboard.view       all            Y Y . . .
dashboard.view       own            Y Y Y . .
dashboard.view       other          Y Y . . .
submission.upload    own            Y Y Y . .
submission.upload    other          Y Y . . .
submission.view      all            Y Y . . .
submission.view      own            Y Y Y . .
submission.view      other          Y Y . . .
submission.approve   own            Y Y . . .
submission.approve   other          Y Y . . .
submission.lock      own            Y Y . . .
submission.lock      other          Y Y . . .
submission.reopen    own            Y Y . . .
submission.reopen    other          Y Y . . .
report.run.national  all            Y Y . . .
report.run.provider  own            Y Y Y . .
report.run.provider  other          Y Y . . .
report.run.public    all            Y Y . . .
report.run.eu        all            Y Y . . .
release.create       hub            Y Y . . .
release.publish      hub            Y Y . . .
release.view         rel-pub        Y Y Y Y Y
release.view         rel-pub-draft  Y Y . . .
release.view         rel-eu         Y Y . Y .
release.view         rel-eu-draft   Y Y . . .
reference.view       hub            Y Y Y . .
profile.view         own            Y Y Y . .
profile.view         other          Y Y . . .
profile.manage       own            Y Y . . .
profile.manage       other          Y Y . . .
user.manage          hub            Y . . . .
provider.manage      hub            Y . . . .
codelist.manage      hub            Y . . . .
layer.manage         hub            Y . . . .
settings.manage      hub            Y . . . .
audit.view           hub            Y . . . .
audit.verify         hub            Y . . . .
token.manage         own            Y . . . .
token.manage         other          Y . . . .
account.manage       hub            Y Y Y Y .
eu.view              hub            Y Y . Y .
";

#[test]
fn the_access_matrix_is_exactly_as_documented() {
    let mut expected = std::collections::BTreeMap::new();
    for line in MATRIX.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols.len(), 7, "{line}");
        let action = Action::from_code(cols[0]).unwrap_or_else(|| panic!("unknown action {}", cols[0]));
        assert!(OBJECTS.contains(&cols[1]), "{line}");
        let prev =
            expected.insert((action, cols[1]), cols[2..].iter().map(|c| *c == "Y").collect::<Vec<_>>());
        assert!(prev.is_none(), "duplicate line {line}");
    }
    let mut cells = 0;
    let mut wrong = Vec::new();
    for action in Action::ALL {
        for obj in OBJECTS {
            let row = expected.get(&(action, obj)).cloned().unwrap_or_else(|| vec![false; 5]);
            for (role, want) in roles().iter().zip(row) {
                cells += 1;
                if allowed(role, action, object(obj)) != want {
                    wrong.push(format!("{role} {} {obj}: expected {want}", action.code()));
                }
            }
        }
    }
    assert_eq!(cells, Action::ALL.len() * OBJECTS.len() * 5);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn machine_submission_is_never_granted_to_a_role() {
    for role in roles() {
        for obj in OBJECTS {
            assert!(!allowed(&role, Action::MachineSubmission, object(obj)));
        }
    }
}

#[test]
fn receiving_a_national_release_is_never_granted_to_a_role() {
    for role in roles() {
        for obj in OBJECTS {
            assert!(!allowed(&role, Action::ReceiveNationalRelease, object(obj)));
        }
    }
}

#[test]
fn provider_match_is_exact() {
    let user = Role::ProviderUser { provider: "PSP".into() };
    for provider in ["psp", "PSP ", "", "PS", "PSPX"] {
        assert!(!allowed(&user, Action::ViewSubmissions, Object::Provider(provider)), "{provider:?}");
    }
    assert!(allowed(&user, Action::ViewSubmissions, Object::Provider("PSP")));
}

#[test]
fn action_codes_are_unique_and_round_trip() {
    let codes: std::collections::BTreeSet<&str> = Action::ALL.iter().map(|a| a.code()).collect();
    assert_eq!(codes.len(), Action::ALL.len());
    for action in Action::ALL {
        assert_eq!(Action::from_code(action.code()), Some(action));
    }
    assert_eq!(Action::from_code("nope"), None);
}

#[test]
fn role_codes_round_trip() {
    for role in roles() {
        assert_eq!(Role::from_code(role.code(), role.provider()), Ok(role.clone()));
    }
    assert_eq!(Role::CODES.len(), roles().len());
    assert_eq!(Role::from_code("provider_user", None), Err(RoleError::Provider));
    assert_eq!(Role::from_code("provider_user", Some("  ")), Err(RoleError::Provider));
    assert_eq!(Role::from_code("analyst", Some("PSP")), Err(RoleError::Provider));
    assert_eq!(Role::from_code("root", None), Err(RoleError::UnknownCode));
    assert_eq!(Role::ProviderUser { provider: "PSP".into() }.to_string(), "provider_user:PSP");
}
