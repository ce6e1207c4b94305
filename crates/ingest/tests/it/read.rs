//! Tests of the streaming readers (`ingest::read`): CSV encodings and delimiters, XLSX cell
//! rendering and zip bombs, JSON Lines, the limits, and that no error ever echoes a cell value.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ingest::read::{BombReason, Encoding, Limits, ReadError, ReadOptions, RowSource, open};

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn opts() -> ReadOptions {
    ReadOptions::standard()
}

fn with_limits(f: impl FnOnce(&mut Limits)) -> ReadOptions {
    let mut o = ReadOptions::standard();
    f(&mut o.limits);
    o
}

/// All data rows, each as its values (up to `len()`).
fn rows(src: &mut dyn RowSource) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    while src.advance().expect("advance") {
        out.push((0..src.len()).map(|i| src.value(i).to_owned()).collect());
    }
    out
}

fn read_all(path: &Path, o: &ReadOptions) -> Result<(Vec<String>, Vec<Vec<String>>), ReadError> {
    let mut src = open(path, o)?;
    let headers = src.headers().to_vec();
    let mut out = Vec::new();
    while src.advance()? {
        out.push((0..src.len()).map(|i| src.value(i).to_owned()).collect());
    }
    Ok((headers, out))
}

fn err_of(path: &Path, o: &ReadOptions) -> ReadError {
    read_all(path, o).expect_err("an error")
}

/// Planted personal values: no error message may contain them.
const PLANTED: [&str; 3] = ["Maria Silva", "1985-03-01", "Silva"];

fn assert_no_value(err: &ReadError) {
    let text = format!("{err} / {err:?}");
    for v in PLANTED {
        assert!(!text.contains(v), "error echoes a value: {text}");
    }
}

// ---------------------------------------------------------------- CSV

#[test]
fn batches_hold_the_rows_as_the_source_gives_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = write_bytes(
        dir.path(),
        "b.csv",
        "a;b;c\n 1 ; two;3\nx\n;;\n\"q;uoted\";\"line\nbreak\";y;extra;more\ncafé; é ;\n".as_bytes(),
    );
    let jsonl = write_bytes(dir.path(), "b.jsonl", b"{\"a\": \" 1 \", \"c\": 3}\n{\"b\": \"x\"}\n");
    for path in [csv, jsonl] {
        let mut expected = Vec::new();
        let mut src = open(&path, &opts()).expect("open");
        let width = src.headers().len();
        while src.advance().expect("advance") {
            expected.push((src.row(), (0..width).map(|i| src.value(i).to_owned()).collect::<Vec<_>>()));
        }
        let mut src = open(&path, &opts()).expect("open");
        let mut batch = ingest::read::RowBatch::new(width);
        while src.advance().expect("advance") {
            batch.push_current(src.as_ref());
        }
        let got: Vec<(u64, Vec<String>)> = (0..batch.len())
            .map(|k| {
                let row = batch.row(k);
                (row.number(), (0..width).map(|i| row.value(i).to_owned()).collect())
            })
            .collect();
        assert_eq!(got, expected, "{}", path.display());
        assert_eq!(batch.row(0).value(width), "", "past the width");
        batch.clear();
        assert!(batch.is_empty());
    }
}

#[test]
fn csv_utf8_with_and_without_bom() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, bom) in [("bom.csv", &b"\xEF\xBB\xBF"[..]), ("plain.csv", &b""[..])] {
        let mut bytes = bom.to_vec();
        bytes.extend_from_slice("nome,cidade\nConceição,São João\n".as_bytes());
        let p = write_bytes(dir.path(), name, &bytes);
        let mut src = open(&p, &opts()).expect("open");
        assert_eq!(src.headers(), ["nome", "cidade"], "{name}");
        assert!(src.describe().contains("UTF-8"), "{}", src.describe());
        assert_eq!(rows(src.as_mut()), [["Conceição", "São João"]]);
    }
}

#[test]
fn csv_windows_1252_is_detected_and_decoded() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "latin.csv", b"nome;pa\xeds\nFran\xe7a;S\xe3o Tom\xe9 \x80\n");
    let mut src = open(&p, &opts()).expect("open");
    assert_eq!(src.headers(), ["nome", "país"]);
    let d = src.describe();
    assert!(d.contains("Windows-1252") && d.contains("';'"), "{d}");
    assert_eq!(rows(src.as_mut()), [["França", "São Tomé €"]]);

    // Forced encoding wins over detection.
    let p = write_bytes(dir.path(), "forced.csv", "a\nção\n".as_bytes());
    let o = ReadOptions { encoding: Some(Encoding::Windows1252), ..opts() };
    assert_eq!(read_all(&p, &o).expect("read").1, [["Ã§Ã£o"]]);
}

#[test]
fn csv_delimiters_are_detected_or_set() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text, want) in [
        ("semi.csv", "a;b;c\n1;2,5;3\n4;5;6\n", "';'"),
        ("tab.tsv", "a\tb\tc\n1\t2\t3\n", "tab"),
        ("pipe.txt", "a|b|c\n1|2|3\n", "'|'"),
        ("comma.csv", "a,b,c\n\"1;2\",2,3\n", "','"),
    ] {
        let p = write_bytes(dir.path(), name, text.as_bytes());
        let mut src = open(&p, &opts()).expect("open");
        assert!(src.describe().contains(want), "{name}: {}", src.describe());
        assert_eq!(src.headers(), ["a", "b", "c"], "{name}");
        assert!(src.advance().expect("row"));
        assert_eq!(src.len(), 3, "{name}");
    }
    let p = write_bytes(dir.path(), "set.csv", b"a;b,c\n1;2,3\n");
    let o = ReadOptions { delimiter: Some(b','), ..opts() };
    let (headers, data) = read_all(&p, &o).expect("read");
    assert_eq!(headers, ["a;b", "c"]);
    assert_eq!(data, [["1;2", "3"]]);
}

#[test]
fn csv_quoted_fields_hold_delimiters_quotes_and_newlines() {
    let dir = tempfile::tempdir().expect("tmp");
    let text =
        "id,note\r\n1,\"Lisboa, Porto\"\r\n2,\"first line\nsecond line\"\r\n\r\n3,\"say \"\"hi\"\"\"\r\n";
    let p = write_bytes(dir.path(), "q.csv", text.as_bytes());
    let mut src = open(&p, &opts()).expect("open");
    let mut seen = Vec::new();
    while src.advance().expect("row") {
        seen.push((src.row(), src.value(0).to_owned(), src.value(1).to_owned()));
    }
    assert_eq!(
        seen,
        [
            (1, "1".to_owned(), "Lisboa, Porto".to_owned()),
            (2, "2".to_owned(), "first line\nsecond line".to_owned()),
            (3, "3".to_owned(), "say \"hi\"".to_owned()),
        ]
    );
    assert!(!src.advance().expect("end"), "stays at the end");
}

#[test]
fn csv_short_rows_and_trimming() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "s.csv", b" a , b ,c\n  x  \n1,2,3,4\n");
    let mut src = open(&p, &opts()).expect("open");
    assert_eq!(src.headers(), ["a", "b", "c"]);
    assert!(src.advance().expect("row"));
    assert_eq!((src.row(), src.len(), src.value(0), src.value(1), src.value(99)), (1, 1, "x", "", ""));
    assert!(src.advance().expect("row"));
    assert_eq!((src.len(), src.value(3)), (4, "4"));
    assert!(!src.advance().expect("end"));
}

#[test]
fn csv_long_cells_within_the_limit_are_read_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let long = "x".repeat(15_000);
    let text = format!("a,b,c\n{long},{long},{long}\nshort,{long},z\n");
    let p = write_bytes(dir.path(), "long.csv", text.as_bytes());
    let (_, data) = read_all(&p, &opts()).expect("read");
    assert_eq!(data[0], [long.as_str(); 3]);
    assert_eq!(data[1], ["short", long.as_str(), "z"]);
}

#[test]
fn csv_limits() {
    let dir = tempfile::tempdir().expect("tmp");
    let cols = with_limits(|l| l.max_columns = 3);
    let p = write_bytes(dir.path(), "wide_header.csv", b"a,b,c,d\n");
    assert!(matches!(err_of(&p, &cols), ReadError::TooManyColumns { row: 0, limit: 3, .. }));
    let p = write_bytes(dir.path(), "wide_row.csv", b"a,b,c\n1,2,3\n1,2,3,Maria Silva\n");
    let e = err_of(&p, &cols);
    assert!(matches!(e, ReadError::TooManyColumns { row: 2, .. }), "{e}");
    assert_no_value(&e);
    let many = format!("{}\n", (0..100_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    let p = write_bytes(dir.path(), "very_wide.csv", many.as_bytes());
    assert!(matches!(err_of(&p, &opts()), ReadError::TooManyColumns { row: 0, limit: 512, .. }));

    let p =
        write_bytes(dir.path(), "huge.csv", format!("a,b\n1,{}\n", "Maria Silva ".repeat(10_000)).as_bytes());
    let e = err_of(&p, &opts());
    assert!(matches!(e, ReadError::CellTooLarge { row: 1, column: 2, limit: 16384, .. }), "{e}");
    assert_no_value(&e);
    let small = with_limits(|l| l.max_cell_bytes = 4);
    let p = write_bytes(dir.path(), "cell.csv", b"a,b\n1,12345\n");
    assert!(matches!(err_of(&p, &small), ReadError::CellTooLarge { row: 1, column: 2, limit: 4, .. }));

    let rows_limit = with_limits(|l| l.max_rows = 2);
    let p = write_bytes(dir.path(), "two.csv", b"a\n1\n2\n");
    assert_eq!(read_all(&p, &rows_limit).expect("two rows").1.len(), 2);
    let p = write_bytes(dir.path(), "three.csv", b"a\n1\n2\n3\n");
    assert!(matches!(err_of(&p, &rows_limit), ReadError::TooManyRows { limit: 2, .. }));

    let tiny = with_limits(|l| l.max_file_bytes = 4);
    assert!(matches!(err_of(&p, &tiny), ReadError::FileTooLarge { limit: 4, .. }));
}

#[test]
fn csv_header_problems() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "empty_name.csv", b"a, ,c\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::EmptyHeader { column: 2, .. }));
    let p = write_bytes(dir.path(), "dup.csv", b"Maria Silva,b,Maria Silva\n");
    let e = err_of(&p, &opts());
    assert!(matches!(e, ReadError::DuplicateHeader { column: 3, first: 1, .. }), "{e}");
    assert_no_value(&e);
    let p = write_bytes(dir.path(), "empty.csv", b"");
    assert!(matches!(err_of(&p, &opts()), ReadError::Empty { .. }));
    let p = write_bytes(dir.path(), "blank.csv", b"\r\n\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::Empty { .. }));
}

#[test]
fn csv_encoding_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    // Valid UTF-8 for more than the 1 MiB sample, then a bad row: UTF-8 was chosen, so it is an error.
    let mut bytes = b"name,born\n".to_vec();
    let good = "Conceição,2000-01-01\n";
    let n = (1 << 20) / good.len() + 10;
    for _ in 0..n {
        bytes.extend_from_slice(good.as_bytes());
    }
    bytes.extend_from_slice(b"Maria Silva \xff,1985-03-01\n");
    let p = write_bytes(dir.path(), "late.csv", &bytes);
    let e = err_of(&p, &opts());
    assert!(matches!(e, ReadError::Encoding { row, .. } if row == n as u64 + 1), "{e}");
    assert_no_value(&e);

    // A field boundary that splits a character is caught too.
    let p = write_bytes(dir.path(), "split.csv", b"\xEF\xBB\xBFa,b\n\xc3,\xa7\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::Encoding { row: 1, .. }));

    let p = write_bytes(dir.path(), "utf16.csv", b"\xFF\xFEa\x00,\x00b\x00\n\x00");
    assert!(matches!(err_of(&p, &opts()), ReadError::Utf16 { .. }));
    let p = write_bytes(dir.path(), "utf16_nobom.csv", b"a\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00");
    assert!(matches!(err_of(&p, &opts()), ReadError::Utf16 { .. }));
}

#[test]
fn unsupported_and_missing_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "data.xls", b"whatever");
    assert!(matches!(err_of(&p, &opts()), ReadError::UnsupportedFormat { .. }));
    let p = write_bytes(dir.path(), "noext", b"a\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::UnsupportedFormat { .. }));
    let e = err_of(&dir.path().join("missing.csv"), &opts());
    assert!(matches!(e, ReadError::Io { .. }) && e.to_string().contains("missing.csv"), "{e}");
    let upper = write_bytes(dir.path(), "UPPER.CSV", b"a\n1\n");
    assert_eq!(read_all(&upper, &opts()).expect("read").1, [["1"]]);
}

// ---------------------------------------------------------------- XLSX

fn xlsx_fixture(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let ws = wb.add_worksheet();
    ws.set_name("Victims").expect("name");
    for (c, h) in [" name ", "age", "score", "born", "seen", "ok", "note"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("h");
    }
    ws.write_string(1, 0, "Ana").expect("s");
    ws.write_number(1, 1, 34).expect("n");
    ws.write_number(1, 2, 0.1).expect("f");
    ws.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(1985, 3, 1).expect("d"), &date).expect("d");
    let dt = ExcelDateTime::from_ymd(2025, 3, 10).and_then(|d| d.and_hms(14, 5, 9)).expect("dt");
    ws.write_datetime_with_format(1, 4, dt, &datetime).expect("dt");
    ws.write_boolean(1, 5, true).expect("b");
    // Row 3 of the sheet is blank; row 4 has a gap and a styled blank at the end.
    ws.write_string(3, 0, "  Bea  ").expect("s");
    ws.write_number(3, 2, 2.5e-7).expect("f");
    ws.write_number(3, 1, -12345678901.0).expect("n");
    ws.write_blank(3, 6, &date).expect("blank");
    let other = wb.add_worksheet();
    other.set_name("Other").expect("name");
    other.write_string(0, 0, "x").expect("h");
    other.write_string(0, 1, "y").expect("h");
    other.write_number(1, 0, 1).expect("n");
    other.write_string(1, 1, "second sheet").expect("s");
    wb.save(path).expect("save");
}

#[test]
fn xlsx_values_are_rendered_as_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("book.xlsx");
    xlsx_fixture(&p);
    let mut src = open(&p, &opts()).expect("open");
    assert_eq!(src.headers(), ["name", "age", "score", "born", "seen", "ok", "note"]);
    assert!(src.describe().contains("\"Victims\""), "{}", src.describe());
    assert!(src.advance().expect("row 1"));
    assert_eq!(src.row(), 1);
    let got: Vec<&str> = (0..7).map(|i| src.value(i)).collect();
    assert_eq!(got, ["Ana", "34", "0.1", "1985-03-01", "2025-03-10T14:05:09", "true", ""]);
    assert!(src.advance().expect("row 3"));
    assert_eq!(src.row(), 3, "sheet row 4 is data row 3; the blank row is skipped");
    assert_eq!(src.len(), 3, "trailing blanks are not values");
    let got: Vec<&str> = (0..7).map(|i| src.value(i)).collect();
    assert_eq!(got, ["Bea", "-12345678901", "0.00000025", "", "", "", ""]);
    assert!(!src.advance().expect("end"));
    assert!(!src.advance().expect("still the end"));
}

#[test]
fn xlsx_sheet_selection() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("book.xlsx");
    xlsx_fixture(&p);
    let o = ReadOptions { sheet: Some("Other".to_owned()), ..opts() };
    let (headers, data) = read_all(&p, &o).expect("read");
    assert_eq!(headers, ["x", "y"]);
    assert_eq!(data, [["1", "second sheet"]]);
    let o = ReadOptions { sheet: Some("Nope".to_owned()), ..opts() };
    let e = err_of(&p, &o);
    assert!(matches!(&e, ReadError::NoSuchSheet { sheet, .. } if sheet == "Nope"), "{e}");
}

#[test]
fn xlsx_limits_and_dropping_early() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("big.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "name").expect("h");
    ws.write_string(0, 1, "born").expect("h");
    for r in 1..=5000u32 {
        ws.write_string(r, 0, "Maria Silva").expect("s");
        ws.write_string(r, 1, "1985-03-01").expect("s");
    }
    ws.write_string(5001, 2, "Maria Silva").expect("s");
    wb.save(&p).expect("save");

    // Dropping a source in the middle stops its worker (this would hang otherwise).
    let mut src = open(&p, &opts()).expect("open");
    assert!(src.advance().expect("row"));
    drop(src);

    let e = err_of(&p, &with_limits(|l| l.max_rows = 4999));
    assert!(matches!(e, ReadError::TooManyRows { limit: 4999, .. }), "{e}");
    let e = err_of(&p, &with_limits(|l| l.max_columns = 2));
    assert!(matches!(e, ReadError::TooManyColumns { row: 5001, limit: 2, .. }), "{e}");
    assert_no_value(&e);
    let e = err_of(&p, &with_limits(|l| l.max_cell_bytes = 5));
    assert!(matches!(e, ReadError::CellTooLarge { row: 1, column: 1, limit: 5, .. }), "{e}");
    assert_no_value(&e);
    let e = err_of(&p, &with_limits(|l| l.max_xlsx_uncompressed_bytes = 1000));
    assert!(matches!(e, ReadError::XlsxBomb { .. }), "{e}");
}

/// A zip bomb: one entry `xl/worksheets/sheet1.xml` of 200 MiB of zeros, deflated to ~200 KiB.
/// Deflating 200 MiB takes ~10 s in a debug build, so the bomb is made once per target directory.
fn zip_bomb() -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ingest-read-bomb-200MiB.xlsx");
    if p.exists() {
        return p;
    }
    let partial = p.with_extension(format!("{}.part", std::process::id()));
    {
        let file = std::fs::File::create(&partial).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(true);
        zip.start_file("xl/worksheets/sheet1.xml", options).expect("entry");
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            zip.write_all(&zeros).expect("zeros");
        }
        zip.finish().expect("finish");
    }
    std::fs::rename(&partial, &p).expect("rename");
    p
}

#[test]
fn xlsx_zip_bomb_is_refused_without_inflating() {
    let p = zip_bomb();
    assert!(std::fs::metadata(&p).expect("meta").len() < 2 << 20, "the bomb is small");
    let started = Instant::now();
    let e = err_of(&p, &opts());
    assert!(started.elapsed() < Duration::from_secs(1), "refused without inflating");
    match &e {
        ReadError::XlsxBomb { entry, reason: BombReason::Ratio { declared, .. }, .. } => {
            assert_eq!(entry, "xl/worksheets/sheet1.xml");
            assert_eq!(*declared, 200 << 20);
        }
        other => panic!("expected a bomb: {other}"),
    }
    let e = err_of(&p, &with_limits(|l| l.max_xlsx_uncompressed_bytes = 100 << 20));
    assert!(matches!(e, ReadError::XlsxBomb { reason: BombReason::EntryTooLarge { .. }, .. }), "{e}");
}

#[test]
fn xlsx_that_is_not_a_workbook() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "fake.xlsx", b"Maria Silva,1985-03-01\n");
    let e = err_of(&p, &opts());
    assert!(matches!(e, ReadError::Xlsx { .. }), "{e}");
    assert_no_value(&e);

    // A zip with a sheet whose XML is broken right after a value.
    let p = dir.path().join("broken.xlsx");
    xlsx_fixture(&p);
    let broken = rewrite_zip_entry(&p, "xl/worksheets/sheet1.xml", |xml| {
        let cut = xml.find("</sheetData>").expect("sheetData");
        format!(
            "{}<row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>Maria Silva</t></is></c><c r=\"B9\" t=\"zz\"><v>1985-03-01</v></c></row>{}",
            &xml[..cut],
            &xml[cut..]
        )
    });
    let e = err_of(&broken, &opts());
    assert!(matches!(e, ReadError::Xlsx { .. }), "{e}");
    assert_no_value(&e);
}

/// Copies a zip, replacing the text of one entry.
fn rewrite_zip_entry(path: &Path, name: &str, f: impl Fn(&str) -> String) -> PathBuf {
    use std::io::Read as _;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    let out_path = path.with_file_name("rewritten.xlsx");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&out_path).expect("create"));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let entry_name = entry.name().expect("name").into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if entry_name == name {
            bytes = f(std::str::from_utf8(&bytes).expect("utf8")).into_bytes();
        }
        out.start_file(entry_name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish");
    out_path
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_scalars_nulls_arrays_and_key_union() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = concat!(
        "{\"id\": \"V-1\", \"age\": 34, \"ratio\": 1.50, \"ok\": true, \"nat\": [\"BR\", \"PT\"]}\n",
        "\n",
        "{\"age\": null, \"id\": \"V-2\", \"extra\": \"x\\u00e7\\\"\", \"nat\": [], \"big\": 1e3}\r\n",
        "   {\"id\": \" V-3 \", \"nat\": [1, false, null]}",
    );
    let p = write_bytes(dir.path(), "v.jsonl", text.as_bytes());
    let mut src = open(&p, &opts()).expect("open");
    assert_eq!(src.headers(), ["id", "age", "ratio", "ok", "nat", "extra", "big"]);
    let mut got = Vec::new();
    while src.advance().expect("row") {
        got.push((src.row(), (0..src.len()).map(|i| src.value(i).to_owned()).collect::<Vec<_>>()));
    }
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        got,
        [
            (1, s(&["V-1", "34", "1.50", "true", "BR|PT", "", ""])),
            (2, s(&["V-2", "", "", "", "", "xç\"", "1e3"])),
            (3, s(&["V-3", "", "", "", "1|false|", "", ""])),
        ]
    );
}

#[test]
fn jsonl_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases: [(&str, &str); 9] = [
        ("nested.jsonl", "{\"name\": {\"first\": \"Maria Silva\"}}\n"),
        ("nested_array.jsonl", "{\"id\": 1}\n{\"id\": [[\"Maria Silva\"]]}\n"),
        ("not_object.jsonl", "{\"id\": 1}\n\"Maria Silva\"\n"),
        ("array_line.jsonl", "[\"Maria Silva\", \"1985-03-01\"]\n"),
        ("bad_number.jsonl", "{\"name\": \"Maria Silva\", \"born\": 1985-03-01}\n"),
        ("eof.jsonl", "{\"name\": \"Maria Silva\"\n"),
        ("bad_literal.jsonl", "{\"name\": \"Maria Silva\", \"x\": tru}\n"),
        ("bad_escape.jsonl", "{\"name\": \"Maria Silva\\q\"}\n"),
        ("trailing.jsonl", "{\"name\": \"Maria Silva\"} \"1985-03-01\"\n"),
    ];
    for (name, text) in cases {
        let p = write_bytes(dir.path(), name, text.as_bytes());
        let e = err_of(&p, &opts());
        assert_no_value(&e);
        match name {
            "nested.jsonl" => {
                assert!(matches!(&e, ReadError::JsonNestedValue { row: 1, key, .. } if key == "name"))
            }
            "nested_array.jsonl" => {
                assert!(matches!(&e, ReadError::JsonNestedValue { row: 2, key, .. } if key == "id"))
            }
            "not_object.jsonl" => assert!(matches!(e, ReadError::JsonNotObject { row: 2, .. })),
            "array_line.jsonl" => assert!(matches!(e, ReadError::JsonNotObject { row: 1, .. })),
            _ => assert!(matches!(e, ReadError::Json { row: 1, .. }), "{name}: {e}"),
        }
    }
}

#[test]
fn jsonl_unknown_key_after_the_header_lines_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = String::new();
    for i in 0..1000 {
        text.push_str(&format!("{{\"id\": {i}, \"name\": \"x\"}}\n"));
    }
    text.push_str("{\"id\": 1000, \"full_name\": \"Maria Silva\"}\n");
    let p = write_bytes(dir.path(), "late.jsonl", text.as_bytes());
    let mut src = open(&p, &opts()).expect("open");
    assert_eq!(src.headers(), ["id", "name"]);
    let mut n = 0;
    let e = loop {
        match src.advance() {
            Ok(true) => n += 1,
            Ok(false) => panic!("no error"),
            Err(e) => break e,
        }
    };
    assert_eq!(n, 1000);
    assert!(
        matches!(&e, ReadError::Json { row: 1001, message, .. } if message.contains("\"full_name\"")),
        "{e}"
    );
    assert_no_value(&e);

    let p = write_bytes(dir.path(), "dup.jsonl", b"{\"a\": 1, \"a\": 2}\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::Json { row: 1, .. }));
    let p = write_bytes(dir.path(), "empty_key.jsonl", b"{\"a\": 1, \"\": 2}\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::EmptyHeader { column: 2, .. }));
    let p = write_bytes(dir.path(), "nothing.jsonl", b"\n\n");
    assert!(matches!(err_of(&p, &opts()), ReadError::Empty { .. }));
}

#[test]
fn jsonl_limits() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_bytes(dir.path(), "rows.jsonl", b"{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n");
    assert!(matches!(err_of(&p, &with_limits(|l| l.max_rows = 2)), ReadError::TooManyRows { limit: 2, .. }));
    let e = err_of(&p, &with_limits(|l| l.max_cell_bytes = 0));
    assert!(matches!(e, ReadError::CellTooLarge { row: 1, column: 1, .. }), "{e}");
    let p = write_bytes(dir.path(), "keys.jsonl", b"{\"a\": 1, \"b\": 2, \"c\": \"Maria Silva\"}\n");
    let e = err_of(&p, &with_limits(|l| l.max_columns = 2));
    assert!(matches!(e, ReadError::TooManyColumns { row: 1, limit: 2, .. }), "{e}");
    assert_no_value(&e);
    let long = format!("{{\"a\": \"{}\"}}\n", "Maria Silva".repeat(10_000));
    let p = write_bytes(dir.path(), "long.jsonl", long.as_bytes());
    let e = err_of(&p, &with_limits(|l| l.max_columns = 1));
    assert!(matches!(e, ReadError::LineTooLong { row: 1, .. }), "{e}");
    assert_no_value(&e);
}

// ---------------------------------------------------------------- fuzzing regressions

/// A minimal workbook (stored, not deflated) whose only sheet has `sheet_data` inside
/// `<sheetData>`, after a `<dimension ref="…">`.
fn minimal_xlsx(dir: &Path, name: &str, dimension: &str, sheet_data: &str) -> PathBuf {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts = [
        (
            "[Content_Types].xml",
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>".to_owned(),
        ),
        (
            "_rels/.rels",
            format!("<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!("<worksheet xmlns=\"{MAIN}\"><dimension ref=\"{dimension}\"/><sheetData>{sheet_data}</sheetData></worksheet>"),
        ),
    ];
    let p = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&p).expect("create"));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (entry, text) in parts {
        zip.start_file(entry, stored).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    p
}

#[test]
fn xlsx_minimal_workbook_reads() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>id</t></is></c></row><row r=\"2\"><c r=\"A2\"><v>7</v></c></row>";
    let p = minimal_xlsx(dir.path(), "ok.xlsx", "A1:A2", data);
    assert_eq!(read_all(&p, &opts()).expect("read"), (vec!["id".to_owned()], vec![vec!["7".to_owned()]]));
}

/// calamine 0.38 parses cell references with unchecked u32 arithmetic (tafia/calamine#709): with
/// overflow checks on, `r="AAAAAAAAA1"` or `ref="B2:A1"` panics inside calamine. The panic stays on
/// the worker thread and the caller gets an error; without overflow checks the reference wraps
/// and reading goes on. Either way the caller never panics. (Found by the `xlsx` fuzz target.)
#[test]
fn xlsx_overflowing_cell_references_do_not_panic_the_caller() {
    let dir = tempfile::tempdir().expect("tmp");
    let header = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>name</t></is></c></row>";
    let cases = [
        (
            "letters.xlsx",
            "A1:A2",
            format!(
                "{header}<row r=\"2\"><c r=\"AAAAAAAAA2\" t=\"inlineStr\"><is><t>Maria Silva</t></is></c></row>"
            ),
        ),
        (
            "digits.xlsx",
            "A1:A2",
            format!(
                "{header}<row r=\"99999999999\"><c t=\"inlineStr\"><is><t>Maria Silva</t></is></c></row>"
            ),
        ),
        ("dimension.xlsx", "B2:A1", header.to_owned()),
    ];
    for (name, dimension, data) in cases {
        let p = minimal_xlsx(dir.path(), name, dimension, &data);
        // With overflow checks (debug builds) calamine panics on the worker: an error here.
        let overflow_checks = cfg!(debug_assertions);
        match read_all(&p, &opts()) {
            Err(e) => assert_no_value(&e),
            Ok(_) => assert!(!overflow_checks, "{name}: expected calamine to panic (contained) here"),
        }
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/read/fuzz-xlsx-cell-reference-overflow.xlsx");
    if let Err(e) = read_all(&p, &opts()) {
        assert_no_value(&e);
    }
}
