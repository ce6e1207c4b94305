//! The JSON output: structure, key order, withheld and perturbed cells, and never a `count` or a
//! `key` member.

use serde_json::Value;

use crate::fixtures;

/// Every member name anywhere in `v`.
pub(crate) fn member_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                member_names(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| member_names(x, out)),
        _ => {}
    }
}

#[test]
fn metadata_first_then_sections() {
    let text = formats::json(&fixtures::key_indicators());
    let order = ["\"format\"", "\"title\"", "\"metadata\"", "\"flags\"", "\"sections\""];
    let pos: Vec<usize> = order.iter().map(|k| text.find(k).expect(k)).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "top-level keys in a fixed order");
    let v: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(v["metadata"]["disclosure"]["method"], "suppression");
    assert_eq!(v["metadata"]["disclosure"]["k"], 5);
    assert_eq!(v["metadata"]["period"], "2025");
    assert_eq!(v["sections"].as_array().map(Vec::len), Some(4));
}

#[test]
fn cells_carry_codes_value_and_flag() {
    let v: Value = serde_json::from_str(&formats::json(&fixtures::key_indicators())).expect("JSON");
    let s = &v["sections"][0];
    assert_eq!(s["id"], "V1_03");
    assert_eq!(s["sdmx"]["indicator"], "V1_03");
    assert_eq!(s["table"]["axes"][0]["dim"], "sex");
    assert_eq!(s["table"]["axes"][0]["codes"], serde_json::json!(["F", "M", "UNK", "_T"]));
    assert_eq!(s["table"]["axes"][0]["labels"][3], "Total");
    let cells = s["table"]["cells"].as_array().expect("cells");
    assert_eq!(
        cells[0],
        serde_json::json!({"codes": ["F"], "value": null, "flag": "c", "withheld": "secondary"})
    );
    assert_eq!(
        cells[1],
        serde_json::json!({"codes": ["M"], "value": null, "flag": "c", "withheld": "primary"})
    );
    assert_eq!(cells[3], serde_json::json!({"codes": ["_T"], "value": 45, "flag": null}));
    let none = &v["sections"][3]["table"]["cells"][0];
    assert_eq!(none, &serde_json::json!({"codes": [], "value": 17, "flag": null}));
}

#[test]
fn no_count_or_key_member_in_any_report() {
    for (name, report) in fixtures::all() {
        let v: Value = serde_json::from_str(&formats::json(&report)).expect("JSON");
        let mut names = Vec::new();
        member_names(&v, &mut names);
        assert!(!names.iter().any(|n| n == "count" || n == "key"), "{name}: count or key member");
    }
}

#[test]
fn cell_key_values_are_flagged_uniformly() {
    let v: Value = serde_json::from_str(&formats::json(&fixtures::time_frame())).expect("JSON");
    let cells = v["sections"][0]["table"]["cells"].as_array().expect("cells");
    assert!(cells.iter().all(|c| c["flag"] == "k" && c["value"].is_u64()));
    assert_eq!(v["metadata"]["disclosure"]["method"], "cell_key");
    assert_eq!(v["sections"][0]["change"], true);
}

#[test]
fn grids_keep_their_values() {
    let v: Value = serde_json::from_str(&formats::json(&fixtures::quality())).expect("JSON");
    let g = &v["sections"][0]["grid"];
    assert_eq!(g["rows"][0][1], 1204);
    assert_eq!(g["rows"][0][3], 0.0125);
    assert!(g["rows"][1][3].is_null());
    assert!(v["sections"][0].get("table").is_none());
}
