//! The codelist bundle: every codelist and crosswalk of the common model, loaded from the CSV
//! and TOML files in `data/` (embedded at build time, see `build.rs`).
//!
//! Loading is strict about *format* (headers, CSV syntax, manifest entries) and lenient about
//! *content*: duplicates or dangling crosswalk codes are kept so that
//! [`Codelists::integrity_problems`] can report every one of them at once.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::code::{MAX_CODE_LEN, ModelCode};
use crate::codes;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Language of a label.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    /// English (every code has one).
    En,
    /// Portuguese (required for the lists users see in reports; English is the fallback).
    Pt,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "pt" => Ok(Lang::Pt),
            _ => Err("language must be `en` or `pt`".to_owned()),
        }
    }
}

/// One code of a codelist.
#[derive(Clone, Debug)]
pub struct CodeEntry {
    /// The code.
    pub code: String,
    /// English label.
    pub label_en: String,
    /// Portuguese label, if any.
    pub label_pt: Option<String>,
    /// Where the code comes from.
    pub source: String,
}

impl CodeEntry {
    /// The label in `lang`, falling back to English.
    pub fn label(&self, lang: Lang) -> &str {
        match (lang, &self.label_pt) {
            (Lang::Pt, Some(pt)) => pt,
            _ => &self.label_en,
        }
    }
}

/// One versioned codelist.
#[derive(Clone, Debug)]
pub struct CodeList {
    /// Identifier (= file stem).
    pub id: String,
    /// Version of this list.
    pub version: String,
    /// Human title.
    pub title: String,
    /// Maintaining agency (ESTAT, SDMX, IOM, CTDC, ISO, MOSY …).
    pub agency: String,
    /// Whether every code must carry a Portuguese label.
    pub labels_pt: bool,
    entries: Vec<CodeEntry>,
    /// Every code of `entries`, hashed: every imported code is looked up here.
    index: HashIndex,
}

/// An open-addressing hash index over a list of keys (0: empty slot, else 1 + the key's
/// position; a repeated key keeps its first position). Lists never change once loaded.
#[derive(Clone, Debug, Default)]
struct HashIndex {
    slots: Vec<u32>,
}

impl HashIndex {
    fn build<'k>(n: usize, key: impl Fn(usize) -> &'k str) -> HashIndex {
        let size = (n * 2).next_power_of_two().max(8);
        let mut slots = vec![0u32; size];
        for i in 0..n {
            let k = key(i);
            let mut at = (key_hash(k.as_bytes()) as usize) & (size - 1);
            loop {
                match slots[at] {
                    0 => {
                        slots[at] = u32::try_from(i + 1).unwrap_or(u32::MAX);
                        break;
                    }
                    j if key(j as usize - 1) == k => break,
                    _ => at = (at + 1) & (size - 1),
                }
            }
        }
        HashIndex { slots }
    }

    fn find<'k>(&self, k: &str, key: impl Fn(usize) -> Option<&'k str>) -> Option<usize> {
        let size = self.slots.len();
        if size == 0 {
            return None;
        }
        let mut at = (key_hash(k.as_bytes()) as usize) & (size - 1);
        loop {
            match self.slots[at] {
                0 => return None,
                j => {
                    let i = j as usize - 1;
                    if key(i) == Some(k) {
                        return Some(i);
                    }
                }
            }
            at = (at + 1) & (size - 1);
        }
    }
}

/// A fast, fixed hash of a short key (multiply-rotate, as FxHash); only ever used to probe.
fn key_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

impl CodeList {
    fn new(
        id: String,
        version: String,
        title: String,
        agency: String,
        labels_pt: bool,
        entries: Vec<CodeEntry>,
    ) -> Self {
        let index = HashIndex::build(entries.len(), |i| entries[i].code.as_str());
        CodeList { id, version, title, agency, labels_pt, entries, index }
    }

    fn position(&self, code: &str) -> Option<usize> {
        self.index.find(code, |i| self.entries.get(i).map(|e| e.code.as_str()))
    }

    /// Codes in file order.
    pub fn entries(&self) -> &[CodeEntry] {
        &self.entries
    }

    /// Whether `code` belongs to the list.
    pub fn contains(&self, code: &str) -> bool {
        self.position(code).is_some()
    }

    /// The entry for `code`.
    pub fn entry(&self, code: &str) -> Option<&CodeEntry> {
        self.position(code).map(|i| &self.entries[i])
    }
}

/// A many-to-one mapping from the codes of one list onto the codes of another.
#[derive(Clone, Debug)]
pub struct Crosswalk {
    /// Identifier (= file stem).
    pub id: String,
    /// Source codelist id.
    pub from: String,
    /// Target codelist id.
    pub to: String,
    /// Whether every code of `from` must be mapped.
    pub total: bool,
    /// Why the mapping is what it is.
    pub basis: String,
    pairs: Vec<(String, String)>,
    index: BTreeMap<String, usize>,
}

impl Crosswalk {
    /// The target code for `from_code`.
    pub fn map(&self, from_code: &str) -> Option<&str> {
        self.index.get(from_code).map(|&i| self.pairs[i].1.as_str())
    }

    /// All pairs in file order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

/// A row of the Eurostat ↔ ISO 3166 country table.
#[derive(Clone, Debug)]
pub struct CountryIso {
    /// Eurostat GEO code (the model's country code).
    pub eurostat: String,
    /// ISO 3166-1 alpha-2 (empty where none, e.g. Kosovo).
    pub alpha2: String,
    /// ISO 3166-1 alpha-3, or the EC corporate code.
    pub alpha3: String,
    /// Member of EU27_2020.
    pub eu27: bool,
    /// Member of EFTA.
    pub efta: bool,
}

/// The loaded bundle.
#[derive(Clone, Debug)]
pub struct Codelists {
    bundle: String,
    version: String,
    /// Sorted by id.
    lists: Vec<CodeList>,
    /// `lists` by id.
    list_index: HashIndex,
    crosswalks: BTreeMap<String, Crosswalk>,
    countries: Vec<CountryIso>,
    country_index: BTreeMap<String, usize>,
}

/// A format error while loading the bundle.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file named by a manifest (or the manifest itself) is missing.
    #[error("{file}: file is missing")]
    Missing {
        /// The file.
        file: String,
    },
    /// A manifest is not valid TOML of the expected shape.
    #[error("{file}: invalid manifest: {message}")]
    Manifest {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The header row is not the one required.
    #[error("{file}: header must be `{expected}`")]
    Header {
        /// The file.
        file: String,
        /// The required header.
        expected: &'static str,
    },
    /// A CSV row cannot be read.
    #[error("{file}: row {row}: {message}")]
    Row {
        /// The file.
        file: String,
        /// 1-based row number, header = row 1.
        row: u64,
        /// What is wrong.
        message: String,
    },
}

/// One integrity problem found in a loaded bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityProblem {
    /// The list or crosswalk concerned.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for IntegrityProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodelistManifest {
    bundle: String,
    bundle_version: String,
    codelist: Vec<CodelistEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodelistEntry {
    id: String,
    version: String,
    file: String,
    agency: String,
    title: String,
    labels_pt: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkManifest {
    crosswalk: Vec<CrosswalkEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrosswalkEntry {
    id: String,
    from: String,
    to: String,
    file: String,
    total: bool,
    basis: String,
}

const CODELIST_HEADER: &str = "code,label_en,label_pt,source";
const CROSSWALK_HEADER: &str = "from_code,to_code,note";
const COUNTRY_ISO_HEADER: &str = "eurostat_code,iso_alpha2,iso_alpha3,eu27_2020,efta,note";
const COUNTRY_ISO_FILE: &str = "crosswalks/country_iso.csv";

fn read_csv(
    file: &str,
    text: &str,
    expected: &'static str,
    mut row_fn: impl FnMut(&csv::StringRecord, u64) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let headers =
        rdr.headers().map_err(|e| LoadError::Row { file: file.into(), row: 1, message: e.to_string() })?;
    if headers.iter().collect::<Vec<_>>().join(",") != expected {
        return Err(LoadError::Header { file: file.into(), expected });
    }
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 2;
        let rec = rec.map_err(|e| LoadError::Row { file: file.into(), row, message: e.to_string() })?;
        row_fn(&rec, row)?;
    }
    Ok(())
}

impl Codelists {
    /// The bundle built into this binary (from `data/`).
    pub fn embedded() -> &'static Codelists {
        static BUNDLE: OnceLock<Codelists> = OnceLock::new();
        BUNDLE.get_or_init(|| {
            let files: BTreeMap<&str, &str> = embedded::EMBEDDED.iter().copied().collect();
            Codelists::load(|name| files.get(name).map(|s| (*s).to_owned()))
                .expect("the embedded codelist bundle loads (checked by the codelist tests)")
        })
    }

    /// Loads a bundle, asking `read` for each file by its path relative to `data/`
    /// (`codelists/manifest.toml`, `codelists/sex.csv`, `crosswalks/manifest.toml`, …).
    pub fn load(read: impl Fn(&str) -> Option<String>) -> Result<Codelists, LoadError> {
        let get = |name: &str| read(name).ok_or_else(|| LoadError::Missing { file: name.to_owned() });
        let manifest_name = "codelists/manifest.toml";
        let manifest: CodelistManifest = toml::from_str(&get(manifest_name)?).map_err(|e| {
            LoadError::Manifest { file: manifest_name.into(), message: e.message().to_owned() }
        })?;
        let mut lists = BTreeMap::new();
        for entry in manifest.codelist {
            let file = format!("codelists/{}", entry.file);
            let text = get(&file)?;
            let mut entries = Vec::new();
            read_csv(&file, &text, CODELIST_HEADER, |rec, _| {
                let label_pt = rec.get(2).filter(|s| !s.is_empty()).map(str::to_owned);
                entries.push(CodeEntry {
                    code: rec.get(0).unwrap_or_default().to_owned(),
                    label_en: rec.get(1).unwrap_or_default().to_owned(),
                    label_pt,
                    source: rec.get(3).unwrap_or_default().to_owned(),
                });
                Ok(())
            })?;
            let list = CodeList::new(
                entry.id.clone(),
                entry.version,
                entry.title,
                entry.agency,
                entry.labels_pt,
                entries,
            );
            lists.insert(entry.id, list);
        }

        let cw_name = "crosswalks/manifest.toml";
        let cw_manifest: CrosswalkManifest = toml::from_str(&get(cw_name)?)
            .map_err(|e| LoadError::Manifest { file: cw_name.into(), message: e.message().to_owned() })?;
        let mut crosswalks = BTreeMap::new();
        for entry in cw_manifest.crosswalk {
            let file = format!("crosswalks/{}", entry.file);
            let text = get(&file)?;
            let mut pairs = Vec::new();
            read_csv(&file, &text, CROSSWALK_HEADER, |rec, _| {
                pairs.push((
                    rec.get(0).unwrap_or_default().to_owned(),
                    rec.get(1).unwrap_or_default().to_owned(),
                ));
                Ok(())
            })?;
            let mut index = BTreeMap::new();
            for (i, (from, _)) in pairs.iter().enumerate() {
                index.entry(from.clone()).or_insert(i);
            }
            let cw = Crosswalk {
                id: entry.id.clone(),
                from: entry.from,
                to: entry.to,
                total: entry.total,
                basis: entry.basis,
                pairs,
                index,
            };
            crosswalks.insert(entry.id, cw);
        }

        let mut countries = Vec::new();
        read_csv(COUNTRY_ISO_FILE, &get(COUNTRY_ISO_FILE)?, COUNTRY_ISO_HEADER, |rec, row| {
            let flag = |i: usize| match rec.get(i) {
                Some("Y") => Ok(true),
                Some("N") => Ok(false),
                _ => Err(LoadError::Row {
                    file: COUNTRY_ISO_FILE.into(),
                    row,
                    message: format!("column {} must be Y or N", i + 1),
                }),
            };
            countries.push(CountryIso {
                eurostat: rec.get(0).unwrap_or_default().to_owned(),
                alpha2: rec.get(1).unwrap_or_default().to_owned(),
                alpha3: rec.get(2).unwrap_or_default().to_owned(),
                eu27: flag(3)?,
                efta: flag(4)?,
            });
            Ok(())
        })?;
        let mut country_index = BTreeMap::new();
        for (i, c) in countries.iter().enumerate() {
            country_index.entry(c.eurostat.clone()).or_insert(i);
        }

        let lists: Vec<CodeList> = lists.into_values().collect();
        let list_index = HashIndex::build(lists.len(), |i| lists[i].id.as_str());
        Ok(Codelists {
            bundle: manifest.bundle,
            version: manifest.bundle_version,
            lists,
            list_index,
            crosswalks,
            countries,
            country_index,
        })
    }

    /// Bundle identifier, e.g. `MOSY_CL`.
    pub fn bundle(&self) -> &str {
        &self.bundle
    }

    /// Bundle version, e.g. `1.0.0`; every submission records the version its records were coded with.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// A list by id.
    pub fn get(&self, id: &str) -> Option<&CodeList> {
        self.list_index.find(id, |i| self.lists.get(i).map(|l| l.id.as_str())).map(|i| &self.lists[i])
    }

    /// All lists, sorted by id.
    pub fn lists(&self) -> impl Iterator<Item = &CodeList> {
        self.lists.iter()
    }

    /// A crosswalk by id.
    pub fn crosswalk(&self, id: &str) -> Option<&Crosswalk> {
        self.crosswalks.get(id)
    }

    /// All crosswalks, sorted by id.
    pub fn crosswalks(&self) -> impl Iterator<Item = &Crosswalk> {
        self.crosswalks.values()
    }

    /// Eurostat ↔ ISO row for a model country code.
    pub fn country_iso(&self, eurostat: &str) -> Option<&CountryIso> {
        self.country_index.get(eurostat).map(|&i| &self.countries[i])
    }

    /// All Eurostat ↔ ISO rows.
    pub fn countries_iso(&self) -> &[CountryIso] {
        &self.countries
    }

    /// The label of `code` in list `list` and language `lang`.
    pub fn label(&self, list: &str, code: &str, lang: Lang) -> Option<&str> {
        self.get(list)?.entry(code).map(|e| e.label(lang))
    }

    /// Every integrity problem of the bundle; empty for a sound bundle.
    pub fn integrity_problems(&self) -> Vec<IntegrityProblem> {
        let mut out = Vec::new();
        let mut problem = |place: &str, message: String| {
            out.push(IntegrityProblem { place: place.to_owned(), message });
        };
        for list in &self.lists {
            let place = format!("codelist {}", list.id);
            if list.entries.is_empty() {
                problem(&place, "has no codes".into());
            }
            let mut seen = BTreeMap::new();
            for (i, e) in list.entries.iter().enumerate() {
                let row = i + 2;
                if let Some(first) = seen.insert(e.code.as_str(), row) {
                    problem(&place, format!("code `{}` on row {row} duplicates row {first}", e.code));
                }
                let bad_char = e.code.chars().any(|c| c == '|' || c.is_whitespace() && c != ' ');
                if e.code.is_empty()
                    || e.code.len() > MAX_CODE_LEN
                    || !e.code.is_ascii()
                    || bad_char
                    || e.code.trim() != e.code
                {
                    problem(
                        &place,
                        format!("row {row}: code must be 1-{MAX_CODE_LEN} ASCII characters without `|`"),
                    );
                }
                if e.label_en.trim().is_empty() {
                    problem(&place, format!("code `{}` has no English label", e.code));
                }
                if list.labels_pt && e.label_pt.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    problem(&place, format!("code `{}` has no Portuguese label", e.code));
                }
            }
        }
        for cw in self.crosswalks.values() {
            let place = format!("crosswalk {}", cw.id);
            let (Some(from), Some(to)) = (self.get(&cw.from), self.get(&cw.to)) else {
                problem(&place, format!("names a missing codelist (`{}` or `{}`)", cw.from, cw.to));
                continue;
            };
            let mut seen = BTreeMap::new();
            for (i, (f, t)) in cw.pairs.iter().enumerate() {
                let row = i + 2;
                if !from.contains(f) {
                    problem(&place, format!("row {row}: `{f}` is not a code of {}", cw.from));
                }
                if !to.contains(t) {
                    problem(&place, format!("row {row}: `{t}` is not a code of {}", cw.to));
                }
                if let Some(first) = seen.insert(f.as_str(), row) {
                    problem(&place, format!("row {row}: `{f}` is already mapped on row {first}"));
                }
            }
            if cw.total {
                for e in &from.entries {
                    if !cw.index.contains_key(&e.code) {
                        problem(&place, format!("`{}` of {} is not mapped", e.code, cw.from));
                    }
                }
            }
        }
        if let Some(country) = self.get("country") {
            let mut a2 = BTreeMap::new();
            let mut a3 = BTreeMap::new();
            for (i, c) in self.countries.iter().enumerate() {
                let row = i + 2;
                if !country.contains(&c.eurostat) {
                    problem(
                        COUNTRY_ISO_FILE,
                        format!("row {row}: `{}` is not a code of country", c.eurostat),
                    );
                }
                if !c.alpha2.is_empty() && a2.insert(c.alpha2.as_str(), row).is_some() {
                    problem(COUNTRY_ISO_FILE, format!("row {row}: alpha-2 `{}` is used twice", c.alpha2));
                }
                if !c.alpha3.is_empty() && a3.insert(c.alpha3.as_str(), row).is_some() {
                    problem(COUNTRY_ISO_FILE, format!("row {row}: alpha-3 `{}` is used twice", c.alpha3));
                }
            }
        }
        self.check_model_enums(&mut problem);
        out
    }

    fn check_model_enums(&self, problem: &mut impl FnMut(&str, String)) {
        fn check<C: ModelCode>(lists: &Codelists, problem: &mut impl FnMut(&str, String)) {
            let place = format!("codelist {}", C::LIST);
            let Some(list) = lists.get(C::LIST) else {
                problem(&place, "is missing but the model uses it".into());
                return;
            };
            let file: Vec<&str> = list.entries.iter().map(|e| e.code.as_str()).collect();
            let model: Vec<&str> = C::ALL.iter().map(|c| c.code()).collect();
            if file != model {
                problem(&place, format!("file codes {file:?} differ from the model's {model:?}"));
            }
        }
        check::<codes::Sex>(self, problem);
        check::<codes::AgeGroup>(self, problem);
        check::<codes::VictimStatus>(self, problem);
        check::<codes::ExploitationForm>(self, problem);
        check::<codes::ProviderType>(self, problem);
        check::<codes::CountryRole>(self, problem);
        check::<codes::YesNoUnknown>(self, problem);
        check::<codes::PersonType>(self, problem);
        check::<codes::ProsecutionStatus>(self, problem);
        check::<codes::ProsecutionOutcome>(self, problem);
        check::<codes::CourtDecisionType>(self, problem);
        check::<codes::DecisionInstance>(self, problem);
        check::<codes::SentenceType>(self, problem);
        check::<codes::RecordType>(self, problem);
        check::<codes::SubmissionAction>(self, problem);
        check::<codes::RegisteredVictimCategory>(self, problem);
    }
}
