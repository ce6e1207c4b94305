//! The message file parser (also run by the build script on every file): what a file may hold,
//! and clear errors, naming the key and the reason, for what it may not.

use i18n::{Catalog, EntryProblem, LoadError, Message, Messages, ParseError, Pattern, PluralCategory};

const NAME: &str = "language.name = \"Test\"\n";

fn parse(body: &str) -> Result<Messages, ParseError> {
    Messages::parse(&format!("{NAME}{body}"))
}

fn entry_problem(body: &str) -> (String, EntryProblem) {
    match parse(body) {
        Err(ParseError::Entry { key, problem }) => (key, problem),
        other => panic!("expected an entry error for {body:?}, got {other:?}"),
    }
}

#[test]
fn dotted_keys_tables_and_inline_plural_forms_read_the_same() {
    let a = parse("nav.dashboard = \"Dashboard\"\nx.count.one = \"{n} x\"\nx.count.other = \"{n} xs\"\n")
        .expect("valid");
    let b = parse("x.count = { one = \"{n} x\", other = \"{n} xs\" }\n[nav]\ndashboard = \"Dashboard\"\n")
        .expect("valid");
    assert_eq!(a, b);
    assert_eq!(a.len(), 3);
    assert_eq!(a.name(), "Test");
    assert!(a.get("x.count").is_some_and(Message::is_plural));
    assert_eq!(a.get("x.count").map(Message::forms), Some(vec![PluralCategory::One, PluralCategory::Other]));
}

#[test]
fn placeholders_and_escaped_braces() {
    let p = Pattern::parse("{{literal}} {name} and {n_2}").expect("valid");
    assert_eq!(p.placeholders().into_iter().collect::<Vec<_>>(), vec!["n_2", "name"]);
    let catalog =
        Catalog::from_sources([("en.toml", "language.name = \"E\"\nk = \"{{x}} {y}\"\n")]).expect("ok");
    assert_eq!(catalog.t(i18n::Lang::EN, "k", &[("y", &1)]), "{x} 1");
}

#[test]
fn invalid_toml_names_line_and_column() {
    let err = parse("nav.dashboard = \"Dashboard\nnav.maps = \"Maps\"\n").expect_err("unclosed string");
    let text = err.to_string();
    assert!(matches!(err, ParseError::Toml(_)));
    assert!(text.starts_with("not valid TOML"), "{text}");
    assert!(text.contains("line 2"), "{text}");
}

#[test]
fn a_key_defined_twice_is_refused() {
    assert!(matches!(parse("a.b = \"x\"\na.b = \"y\"\n"), Err(ParseError::Toml(_))));
    assert!(matches!(parse("a = \"x\"\na.b = \"y\"\n"), Err(ParseError::Toml(_))));
}

#[test]
fn each_malformed_entry_is_named_with_its_reason() {
    let cases: [(&str, &str, EntryProblem); 9] = [
        ("a.b = 3\n", "a.b", EntryProblem::NotText("an integer")),
        ("a.b = [\"x\"]\n", "a.b", EntryProblem::NotText("an array")),
        ("a.b = \"\"\n", "a.b", EntryProblem::Empty),
        ("a.b.one = \"x\"\n", "a.b", EntryProblem::NoOther),
        (
            "a.b.one = \"x\"\na.b.other = \"y\"\na.b.title = \"z\"\n",
            "a.b",
            EntryProblem::Mixed("title".into()),
        ),
        ("a.b.other = 1\n", "a.b.other", EntryProblem::NotText("an integer")),
        ("a.\"b c\" = \"x\"\n", "a.b c", EntryProblem::BadKey("b c".into())),
        ("a.b = \"Hello {name\"\n", "a.b", EntryProblem::Unclosed { at: 7 }),
        ("a.b = \"x } y\"\n", "a.b", EntryProblem::StrayBrace { at: 3 }),
    ];
    for (body, key, problem) in cases {
        assert_eq!(entry_problem(body), (key.to_owned(), problem), "{body:?}");
    }
    assert_eq!(entry_problem("a = \"{}\"\n").1, EntryProblem::BadPlaceholder { at: 1 });
    assert_eq!(entry_problem("a = \"{first name}\"\n").1, EntryProblem::BadPlaceholder { at: 1 });
}

#[test]
fn error_messages_say_where_and_what() {
    let err = parse("submissions.report.row = \"Row {row\"\n").expect_err("unclosed");
    assert_eq!(
        err.to_string(),
        "`submissions.report.row`: the `{` at character 5 is not closed (write `{{` for a literal brace)"
    );
    let err = parse("x.one = \"a\"\n").expect_err("no other");
    assert_eq!(err.to_string(), "`x`: a plural message needs an `other` form");
    let err = Messages::parse("nav.dashboard = \"Dashboard\"\n").expect_err("no name");
    assert_eq!(err, ParseError::MissingName);
    assert!(err.to_string().contains("language.name"));
}

#[test]
fn catalog_errors_name_the_file() {
    let en = "language.name = \"English\"\n";
    let err = Catalog::from_sources([("en.toml", en), ("fr.toml", "language.name = \"Français\"\na = 1\n")])
        .expect_err("bad fr");
    assert_eq!(
        err.to_string(),
        "fr.toml: `a`: expected a string or a table of plural forms, found an integer"
    );
    let err = Catalog::from_sources([("en.toml", en), ("french.toml", en)]).expect_err("bad name");
    assert!(matches!(&err, LoadError::Tag { file, .. } if file == "french.toml"), "{err}");
    let err =
        Catalog::from_sources([("en.toml", en), ("pt_PT.toml", en), ("pt-PT.toml", en)]).expect_err("twice");
    assert_eq!(err.to_string(), "two files for the language `pt-PT`");
    let err = Catalog::from_sources([("pt.toml", en)]).expect_err("no English");
    assert_eq!(err, LoadError::NoEnglish);
}
