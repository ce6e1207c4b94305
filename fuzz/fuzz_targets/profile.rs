//! Fuzz target: arbitrary text as a mapping profile. Parsing must never panic; a profile that
//! parses is then bound to a small header and maps one row of the same text, which must not
//! panic either.

#![no_main]

use ingest::profile::{Mapper, Profile};
use libfuzzer_sys::fuzz_target;
use model::Codelists;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lists = Codelists::embedded();
    let Ok(profile) = Profile::parse(text, lists) else { return };
    let header: Vec<String> = ["Sexo", "Idade", "Data Registo", "Nacionalidade", "Processo"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let values: Vec<&str> = text.split(['\n', ';']).take(header.len()).collect();
    for for_hub in [false, true] {
        if let Ok(mapper) = Mapper::new(&profile, &header, lists, for_hub) {
            let mut out = Vec::new();
            let mut issues = Vec::new();
            mapper.map_row(&|i| values.get(i).copied().unwrap_or(""), &mut out, &mut issues);
            let _ = mapper.identity(&|i| values.get(i).copied().unwrap_or(""));
        }
    }
});
