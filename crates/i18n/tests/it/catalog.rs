//! Lookup: placeholders, fallbacks (more general language, English, the key), plural messages,
//! a third language from files alone, and the catalog's check of translations.

use i18n::{Catalog, Lang, PluralCategory, Problem, ProblemKind};

const EN: &str = r#"
language.name = "English"
greeting = "Hello, {name}!"
only_en = "English only"
events.one = "{n} event"
events.other = "{n} events"
files.one = "one file in {dir}"
files.other = "{n} files in {dir}"
single = "always the same"
format.group_separator = ","
format.decimal_separator = "."
"#;

const PT: &str = r#"
language.name = "Português"
greeting = "Olá, {name}!"
events.one = "{n} evento"
events.other = "{n} eventos"
files = { one = "um ficheiro em {dir}", other = "{n} ficheiros em {dir}" }
single = "sempre igual"
format.group_separator = "\u202F"
format.decimal_separator = ","
"#;

const PT_BR: &str = r#"
language.name = "Português do Brasil"
greeting = "Oi, {name}!"
"#;

fn catalog() -> Catalog {
    Catalog::from_sources([("en.toml", EN), ("pt.toml", PT), ("pt-BR.toml", PT_BR)]).expect("valid")
}

fn pt_br() -> Lang {
    Lang::parse("pt-BR").expect("tag")
}

#[test]
fn placeholders_are_filled_and_unknown_ones_stay_visible() {
    let c = catalog();
    assert_eq!(c.t(Lang::PT, "greeting", &[("name", &"Ana")]), "Olá, Ana!");
    assert_eq!(c.t(Lang::EN, "greeting", &[]), "Hello, {name}!");
    let name = String::from("Rui");
    assert_eq!(c.t(Lang::EN, "greeting", &[("other", &1), ("name", &name)]), "Hello, Rui!");
}

#[test]
fn a_missing_key_falls_back_to_the_general_language_then_english_then_the_key() {
    let c = catalog();
    assert_eq!(c.t(pt_br(), "greeting", &[("name", &"Bia")]), "Oi, Bia!");
    assert_eq!(c.t(pt_br(), "single", &[]), "sempre igual");
    assert_eq!(c.t(Lang::PT, "only_en", &[]), "English only");
    assert_eq!(c.t(Lang::PT, "no.such.key", &[]), "no.such.key");
    let fr = Lang::parse("fr").expect("tag");
    assert_eq!(c.t(fr, "greeting", &[("name", &"Luc")]), "Hello, Luc!");
    assert_eq!(c.resolve(fr), Lang::EN);
    assert_eq!(c.resolve(Lang::parse("pt-PT").expect("tag")), Lang::PT);
    assert_eq!(c.resolve(pt_br()), pt_br());
}

#[test]
fn plural_messages_follow_the_rule_of_the_language_found() {
    let c = catalog();
    assert_eq!(c.plural(Lang::EN, "events", 0, &[]), "0 events");
    assert_eq!(c.plural(Lang::EN, "events", 1, &[]), "1 event");
    assert_eq!(c.plural(Lang::EN, "events", 1234, &[]), "1,234 events");
    assert_eq!(c.plural(Lang::PT, "events", 0, &[]), "0 eventos");
    assert_eq!(c.plural(Lang::PT, "events", 1, &[]), "1 evento");
    assert_eq!(c.plural(Lang::PT, "events", -1, &[]), "\u{2212}1 evento");
    assert_eq!(c.plural(Lang::PT, "events", 1234, &[]), "1\u{202F}234 eventos");
    // 1 000 000 is `many` in Portuguese; without that form, `other` is used.
    assert_eq!(c.plural(Lang::PT, "events", 1_000_000, &[]), "1\u{202F}000\u{202F}000 eventos");
    // pt-BR has no `events`: the pt message with the European rule.
    assert_eq!(c.plural(pt_br(), "events", 0, &[]), "0 eventos");
    // Other placeholders; a form without `{n}`.
    assert_eq!(c.plural(Lang::PT, "files", 1, &[("dir", &"dados")]), "um ficheiro em dados");
    assert_eq!(c.plural(Lang::PT, "files", 3, &[("dir", &"dados")]), "3 ficheiros em dados");
    // An explicit `n` wins over the formatted count.
    assert_eq!(c.plural(Lang::EN, "events", 2, &[("n", &"two")]), "two events");
    // A plain text serves every count; `t` on a plural message gives `other`.
    assert_eq!(c.plural(Lang::PT, "single", 5, &[]), "sempre igual");
    assert_eq!(c.t(Lang::EN, "events", &[]), "{n} events");
    assert_eq!(c.plural(Lang::PT, "nothing", 5, &[]), "nothing");
}

#[test]
fn a_third_language_needs_only_its_file() {
    let fr = "language.name = \"Français\"\ngreeting = \"Bonjour, {name} !\"\nevents.one = \"{n} événement\"\n\
              events.other = \"{n} événements\"\nformat.group_separator = \"\\u202F\"\nformat.decimal_separator = \",\"\n";
    let c = Catalog::from_sources([("en.toml", EN), ("fr.toml", fr), ("pt.toml", PT)]).expect("valid");
    let names: Vec<&str> = c.languages().iter().map(|l| l.name).collect();
    assert_eq!(names, ["English", "Français", "Português"]);
    let french = c.negotiate("fr-BE, en;q=0.5");
    assert_eq!(french.as_str(), "fr");
    assert_eq!(c.t(french, "greeting", &[("name", &"Léa")]), "Bonjour, Léa !");
    // French CLDR: 0 and 1 are `one`.
    assert_eq!(c.plural(french, "events", 0, &[]), "0 événement");
    assert_eq!(c.plural(french, "events", 2500, &[]), "2\u{202F}500 événements");
    assert_eq!(c.format_decimal(french, 1234.5, 1), "1\u{202F}234,5");
}

#[test]
fn the_check_finds_every_kind_of_difference() {
    let bad = r#"
language.name = "Mau"
greeting = "Olá, {nome}!"
events = "eventos"
files.one = "um"
files.few = "poucos {n} em {dir}"
files.other = "{n} ficheiros em {dir}"
single = "   "
extra = "a mais"
format.group_separator = " "
format.decimal_separator = ","
"#;
    let c = Catalog::from_sources([("en.toml", EN), ("pt.toml", bad)]).expect("parses");
    let found: Vec<(String, ProblemKind)> =
        c.problems().into_iter().map(|Problem { lang, key, kind }| (format!("{lang}:{key}"), kind)).collect();
    let expected = vec![
        ("pt:events".into(), ProblemKind::KindMismatch),
        ("pt:extra".into(), ProblemKind::Extra),
        ("pt:files".into(), ProblemKind::UnknownForm(PluralCategory::Few)),
        (
            "pt:greeting".into(),
            ProblemKind::Placeholders { missing: vec!["name".into()], extra: vec!["nome".into()] },
        ),
        ("pt:single".into(), ProblemKind::Blank),
        ("pt:only_en".into(), ProblemKind::Missing),
    ];
    assert_eq!(found, expected);
    let text = c.problems().iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
    assert!(text.contains("pt.toml: `only_en`: missing (it is in en.toml)"), "{text}");
    assert!(text.contains("pt.toml: `extra`: not in en.toml"), "{text}");
    // A form the language needs.
    let no_one = "language.name = \"P\"\nevents.other = \"{n} eventos\"\n";
    let c = Catalog::from_sources([
        ("en.toml", "language.name = \"E\"\nevents.one = \"{n} event\"\nevents.other = \"{n} events\"\n"),
        ("pt.toml", no_one),
    ])
    .expect("parses");
    assert_eq!(
        c.problems(),
        vec![Problem {
            lang: Lang::PT,
            key: "events".into(),
            kind: ProblemKind::MissingForm(PluralCategory::One)
        }]
    );
}

#[test]
fn languages_serialise_as_their_tags() {
    let json = serde_json::to_string(&[Lang::PT, pt_br()]).expect("json");
    assert_eq!(json, r#"["pt","pt-BR"]"#);
    let back: Vec<Lang> = serde_json::from_str(r#"["en","pt_br"]"#).expect("json");
    assert_eq!(back, vec![Lang::EN, pt_br()]);
    assert!(serde_json::from_str::<Lang>(r#""english""#).is_err());
}

#[test]
fn tags_are_normalised_and_checked() {
    for (input, tag) in [("PT", "pt"), ("pt_br", "pt-BR"), ("sr-latn-rs", "sr-Latn-RS"), ("es-419", "es-419")]
    {
        assert_eq!(Lang::parse(input).map(|l| l.to_string()), Ok(tag.to_owned()), "{input}");
    }
    for bad in ["", "e", "english", "pt-", "pt-BRA", "pt-BR-x", "p1", "pt-12", "x-klingon"] {
        assert!(Lang::parse(bad).is_err(), "{bad:?}");
    }
    let l = Lang::parse("sr-Latn-RS").expect("tag");
    assert_eq!((l.language(), l.region()), ("sr", Some("RS")));
    assert_eq!(l.parent().map(|p| p.to_string()), Some("sr-Latn".into()));
    assert_eq!(Lang::PT.parent(), None);
    assert_eq!(format!("{:?}", pt_br()), "Lang(pt-BR)");
}
