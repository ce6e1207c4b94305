//! SDMX: the key indicators as SDMX-CSV 2.0 observations (domain.md §8.2) and the SDMX-ML 2.1
//! structure message that describes them (codelists, concept scheme, DSD, dataflow).
//!
//! **Observations.** One row per cell of every section with SDMX coordinates (the key-indicator
//! sections), in section order and the table's row-major order. Each table axis fills the SDMX
//! dimension named by the section's [`reports::SdmxKey`]; the other dimensions take `TOTAL`
//! (`T` for `SEX`); an axis total (`_T`) is written the same way. `REF_AREA` is the reporting
//! country, `TIME_PERIOD` the report period: `FREQ` `A` and `OBS_STATUS` `A` (normal) for a year,
//! `Q` and `P` (provisional) for a quarter, `M` and `P` for a month (domain.md §6.4).
//! `UNIT_MEASURE` is `NR`.
//!
//! **Confidentiality.** `CONF_STATUS` is `F` (free) for a published value, `A` (small counts) for
//! a primary suppression and `D` (secondary) for a secondary one, both with an empty `OBS_VALUE`
//! (`C` if a cell is withheld for another reason). A value protected by the cell key method is
//! `F` with the period's usual `OBS_STATUS`: the perturbation applies to every observation of the
//! dataset and is stated in its metadata, never per observation (a per-observation marker would
//! tell which values happen to be exact).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use charts::format::escape;
use model::Codelists;
use reports::Report;
use stats::TOTAL;

use crate::Error;
use crate::common::Shown;
use crate::csv::write_row;

/// The columns of the SDMX-CSV 2.0 output, in order.
pub const SDMX_COLUMNS: [&str; 18] = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "FREQ",
    "REF_AREA",
    "INDICATOR",
    "LEG_STAT",
    "SEX",
    "AGE",
    "CITIZEN",
    "EXPLOIT",
    "REG_ORG",
    "VICT_CAT",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "CONF_STATUS",
];

/// The dimensions of the DSD, in key order (`TIME_PERIOD` last).
pub(crate) const DIMENSIONS: [&str; 11] = [
    "FREQ",
    "REF_AREA",
    "INDICATOR",
    "LEG_STAT",
    "SEX",
    "AGE",
    "CITIZEN",
    "EXPLOIT",
    "REG_ORG",
    "VICT_CAT",
    "TIME_PERIOD",
];

/// A parsed `AGENCY:ID(VERSION)`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StructureId {
    /// Maintenance agency (`PT_OTSH`).
    pub agency: String,
    /// Dataflow id (`DF_THB_KEY`).
    pub id: String,
    /// Version (`1.0`).
    pub version: String,
}

impl StructureId {
    /// Parses `AGENCY:ID(VERSION)`; ids are SDMX IDType (`A-Z a-z 0-9 _ @ $ -`), the version digits
    /// and dots.
    pub fn parse(text: &str) -> Result<StructureId, Error> {
        let bad = || Error::StructureId(text.to_string());
        let (agency, rest) = text.trim().split_once(':').ok_or_else(bad)?;
        let (id, version) = rest.strip_suffix(')').and_then(|r| r.split_once('(')).ok_or_else(bad)?;
        let id_ok =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_@$-".contains(c));
        let version_ok = !version.is_empty()
            && version.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !id_ok(agency) || !id_ok(id) || !version_ok {
            return Err(bad());
        }
        Ok(StructureId { agency: agency.into(), id: id.into(), version: version.into() })
    }

    /// The data structure's id: `DF_X` → `DSD_X`, otherwise `<id>_DSD`.
    pub fn dsd_id(&self) -> String {
        match self.id.strip_prefix("DF_") {
            Some(rest) => format!("DSD_{rest}"),
            None => format!("{}_DSD", self.id),
        }
    }

    /// The concept scheme's id: `DF_X` → `CS_X`, otherwise `<id>_CS`.
    pub fn concept_scheme_id(&self) -> String {
        match self.id.strip_prefix("DF_") {
            Some(rest) => format!("CS_{rest}"),
            None => format!("{}_CS", self.id),
        }
    }
}

/// `FREQ` and `OBS_STATUS` of a period code.
pub(crate) fn freq(period: &str) -> Option<(&'static str, &'static str)> {
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    match period.split_once('-') {
        None if period.len() == 4 && digits(period) => Some(("A", "A")),
        Some((y, q))
            if y.len() == 4
                && digits(y)
                && q.len() == 2
                && q.starts_with('Q')
                && ("1"..="4").contains(&&q[1..]) =>
        {
            Some(("Q", "P"))
        }
        Some((y, m))
            if y.len() == 4 && digits(y) && m.len() == 2 && digits(m) && ("01"..="12").contains(&m) =>
        {
            Some(("M", "P"))
        }
        _ => None,
    }
}

/// The code of a total on an SDMX dimension.
pub(crate) fn total_code(dim: &str) -> &'static str {
    if dim == "SEX" { "T" } else { "TOTAL" }
}

/// The key-indicator sections of `report` as SDMX-CSV 2.0 (see the module documentation), with
/// `structure_id` (`AGENCY:ID(VERSION)`) in `STRUCTURE_ID`.
pub fn sdmx_csv(report: &Report, structure_id: &str) -> Result<String, Error> {
    StructureId::parse(structure_id)?;
    let mut out = String::new();
    write_row(&mut out, &SDMX_COLUMNS.map(String::from));
    let report_period = report.spec.period.as_deref().map(str::trim);
    for s in &report.sections {
        let (Some(key), Some(t)) = (&s.sdmx, &s.table) else { continue };
        let problem = |p: String| Error::Sdmx { section: s.id.clone(), problem: p };
        if key.axes.len() != t.axes.len() {
            return Err(problem(format!(
                "{} SDMX dimensions for {} table axes",
                key.axes.len(),
                t.axes.len()
            )));
        }
        for (a, d) in key.axes.iter().enumerate() {
            if !DIMENSIONS.contains(d) || d.is_empty() {
                return Err(problem(format!("axis `{}` has no SDMX dimension", t.axes[a].dim.id())));
            }
            if key.axes[..a].contains(d) {
                return Err(problem(format!("two axes fill the SDMX dimension {d}")));
            }
        }
        for (i, cell) in t.cells.iter().enumerate() {
            let mut values: BTreeMap<&str, String> = BTreeMap::new();
            values.insert("INDICATOR", key.indicator.to_string());
            values.insert("LEG_STAT", key.leg_stat.to_string());
            for (a, e) in t.coords(i).into_iter().enumerate() {
                let code = &t.axes[a].codes[e];
                let dim = key.axes[a];
                if code != TOTAL {
                    values.insert(dim, code.clone());
                }
            }
            let area = values.remove("REF_AREA").unwrap_or_else(|| report.meta.reporting_country.clone());
            let period = match values.remove("TIME_PERIOD") {
                Some(p) => p,
                None => report_period.ok_or_else(|| Error::Period(String::new()))?.to_string(),
            };
            let (freq, obs_status) = freq(&period).ok_or_else(|| Error::Period(period.clone()))?;
            let shown = Shown::of(cell);
            let (value, conf) = match shown {
                Shown::Value(v) => (v.to_string(), "F"),
                Shown::Withheld(why) => (String::new(), why.conf_status()),
            };
            let dim = |d: &str| values.get(d).cloned().unwrap_or_else(|| total_code(d).to_string());
            let row = vec![
                "dataflow".to_string(),
                structure_id.trim().to_string(),
                "I".to_string(),
                freq.to_string(),
                area,
                dim("INDICATOR"),
                dim("LEG_STAT"),
                dim("SEX"),
                dim("AGE"),
                dim("CITIZEN"),
                dim("EXPLOIT"),
                dim("REG_ORG"),
                dim("VICT_CAT"),
                period,
                value,
                "NR".to_string(),
                obs_status.to_string(),
                conf.to_string(),
            ];
            write_row(&mut out, &row);
        }
    }
    Ok(out)
}

/// A codelist of the structure: its id, English name, and the bundle lists it is made of (codes
/// of later lists that an earlier one already has are left out), plus a `TOTAL` code if needed.
pub(crate) struct ListSpec {
    pub(crate) id: &'static str,
    name_en: &'static str,
    name_pt: &'static str,
    pub(crate) sources: &'static [&'static str],
    pub(crate) total: Option<&'static str>,
}

pub(crate) const LISTS: &[ListSpec] = &[
    ListSpec { id: "CL_FREQ", name_en: "Frequency", name_pt: "Frequência", sources: &["freq"], total: None },
    ListSpec {
        id: "CL_AREA",
        name_en: "Reference area",
        name_pt: "Área de referência",
        sources: &["country"],
        total: None,
    },
    ListSpec {
        id: "CL_INDICATOR",
        name_en: "EU common key indicators",
        name_pt: "Indicadores-chave comuns da UE",
        sources: &["key_indicator"],
        total: None,
    },
    ListSpec {
        id: "CL_LEG_STAT",
        name_en: "Legal status",
        name_pt: "Situação jurídica",
        sources: &["legal_status"],
        total: None,
    },
    ListSpec { id: "CL_SEX", name_en: "Sex", name_pt: "Sexo", sources: &["sex"], total: Some("T") },
    ListSpec {
        id: "CL_AGE",
        name_en: "Age group",
        name_pt: "Grupo etário",
        sources: &["age_group"],
        total: Some("TOTAL"),
    },
    ListSpec {
        id: "CL_CITIZEN",
        name_en: "Citizenship (groups and countries)",
        name_pt: "Nacionalidade (grupos e países)",
        sources: &["citizenship_group", "country"],
        total: Some("TOTAL"),
    },
    ListSpec {
        id: "CL_EXPLOIT",
        name_en: "Form of exploitation (Eurostat groups and model forms)",
        name_pt: "Forma de exploração (grupos Eurostat e formas do modelo)",
        sources: &["exploitation_group_eurostat", "exploitation_form"],
        total: Some("TOTAL"),
    },
    ListSpec {
        id: "CL_REG_ORG",
        name_en: "Type of registering organisation",
        name_pt: "Tipo de entidade de registo",
        sources: &["provider_type"],
        total: Some("TOTAL"),
    },
    ListSpec {
        id: "CL_VICT_CAT",
        name_en: "Registered victim category",
        name_pt: "Categoria de vítima registada",
        sources: &["registered_victim_category"],
        total: Some("TOTAL"),
    },
    ListSpec {
        id: "CL_UNIT",
        name_en: "Unit of measure",
        name_pt: "Unidade de medida",
        sources: &["unit"],
        total: None,
    },
    ListSpec {
        id: "CL_OBS_STATUS",
        name_en: "Observation status",
        name_pt: "Estado da observação",
        sources: &["obs_status_sdmx"],
        total: None,
    },
    ListSpec {
        id: "CL_CONF_STATUS",
        name_en: "Confidentiality status",
        name_pt: "Estado de confidencialidade",
        sources: &["conf_status_sdmx"],
        total: None,
    },
];

/// Concepts: id, English and Portuguese name, codelist (`None`: not coded).
pub(crate) const CONCEPTS: &[(&str, &str, &str, Option<&str>)] = &[
    ("FREQ", "Frequency", "Frequência", Some("CL_FREQ")),
    ("REF_AREA", "Reference area", "Área de referência", Some("CL_AREA")),
    ("INDICATOR", "Indicator", "Indicador", Some("CL_INDICATOR")),
    ("LEG_STAT", "Legal status", "Situação jurídica", Some("CL_LEG_STAT")),
    ("SEX", "Sex", "Sexo", Some("CL_SEX")),
    ("AGE", "Age group", "Grupo etário", Some("CL_AGE")),
    ("CITIZEN", "Citizenship", "Nacionalidade", Some("CL_CITIZEN")),
    ("EXPLOIT", "Form of exploitation", "Forma de exploração", Some("CL_EXPLOIT")),
    ("REG_ORG", "Registering organisation", "Entidade de registo", Some("CL_REG_ORG")),
    ("VICT_CAT", "Victim category", "Categoria de vítima", Some("CL_VICT_CAT")),
    ("TIME_PERIOD", "Time period", "Período", None),
    ("OBS_VALUE", "Observation value", "Valor observado", None),
    ("UNIT_MEASURE", "Unit of measure", "Unidade de medida", Some("CL_UNIT")),
    ("OBS_STATUS", "Observation status", "Estado da observação", Some("CL_OBS_STATUS")),
    ("CONF_STATUS", "Confidentiality status", "Estado de confidencialidade", Some("CL_CONF_STATUS")),
];

const ATTRIBUTES: [&str; 3] = ["UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"];

const NS_MES: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message";
const NS_STR: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure";
const NS_COM: &str = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

/// The SDMX-ML 2.1 structure message of the key-indicator dataflow `structure_id`
/// (`AGENCY:ID(VERSION)`): the codelists its dimensions and attributes use, built from `lists`
/// (English and, where the bundle has them, Portuguese names; every list versioned with the
/// bundle), the concept scheme, the data structure (dimensions in the SDMX-CSV column order,
/// `TIME_PERIOD` as time dimension, `UNIT_MEASURE`, `OBS_STATUS` and `CONF_STATUS` as mandatory
/// observation-level attributes, `OBS_VALUE` as primary measure) and the dataflow. `prepared`
/// is the header's preparation time (ISO 8601, e.g. the report's generation time), so the same
/// input gives the same bytes.
pub fn sdmx_structure(structure_id: &str, lists: &Codelists, prepared: &str) -> Result<String, Error> {
    let sid = StructureId::parse(structure_id)?;
    let ag = escape(&sid.agency);
    let ver = escape(&sid.version);
    let cl_ver = escape(lists.version());
    let dsd = sid.dsd_id();
    let cs = sid.concept_scheme_id();
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ =
        writeln!(x, "<mes:Structure xmlns:mes=\"{NS_MES}\" xmlns:str=\"{NS_STR}\" xmlns:com=\"{NS_COM}\">");
    x.push_str("  <mes:Header>\n");
    let _ = writeln!(x, "    <mes:ID>{}_STRUCTURE</mes:ID>", escape(&sid.id));
    x.push_str("    <mes:Test>false</mes:Test>\n");
    let _ = writeln!(x, "    <mes:Prepared>{}</mes:Prepared>", escape(prepared.trim()));
    let _ = writeln!(x, "    <mes:Sender id=\"{ag}\"/>");
    x.push_str("  </mes:Header>\n  <mes:Structures>\n");

    // Dataflow.
    x.push_str("    <str:Dataflows>\n");
    let _ = writeln!(
        x,
        "      <str:Dataflow id=\"{id}\" agencyID=\"{ag}\" version=\"{ver}\" \
         urn=\"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={ag}:{id}({ver})\">",
        id = escape(&sid.id)
    );
    names(
        &mut x,
        8,
        "EU common key indicators on trafficking in human beings",
        Some("Indicadores-chave comuns da UE sobre tráfico de seres humanos"),
    );
    let _ = writeln!(
        x,
        "        <str:Structure><Ref id=\"{}\" agencyID=\"{ag}\" version=\"{ver}\" package=\"datastructure\" \
         class=\"DataStructure\"/></str:Structure>",
        escape(&dsd)
    );
    x.push_str("      </str:Dataflow>\n    </str:Dataflows>\n");

    // Codelists.
    x.push_str("    <str:Codelists>\n");
    for spec in LISTS {
        let _ = writeln!(
            x,
            "      <str:Codelist id=\"{id}\" agencyID=\"{ag}\" version=\"{cl_ver}\" \
             urn=\"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={ag}:{id}({cl_ver})\">",
            id = spec.id
        );
        names(&mut x, 8, spec.name_en, Some(spec.name_pt));
        let mut seen: Vec<&str> = Vec::new();
        let code = |x: &mut String, c: &str, en: &str, pt: Option<&str>| {
            let _ = writeln!(
                x,
                "        <str:Code id=\"{c}\" urn=\"urn:sdmx:org.sdmx.infomodel.codelist.Code={ag}:{id}({cl_ver}).{c}\">",
                c = escape(c),
                id = spec.id
            );
            names(x, 10, en, pt);
            x.push_str("        </str:Code>\n");
        };
        for source in spec.sources {
            let list = lists.get(source).ok_or_else(|| Error::Codelist((*source).to_string()))?;
            for e in list.entries() {
                if seen.contains(&e.code.as_str()) {
                    continue;
                }
                seen.push(&e.code);
                code(&mut x, &e.code, &e.label_en, e.label_pt.as_deref());
            }
        }
        if let Some(t) = spec.total
            && !seen.contains(&t)
        {
            code(&mut x, t, "Total", Some("Total"));
        }
        x.push_str("      </str:Codelist>\n");
    }
    x.push_str("    </str:Codelists>\n");

    // Concepts.
    x.push_str("    <str:Concepts>\n");
    let _ = writeln!(
        x,
        "      <str:ConceptScheme id=\"{cs}\" agencyID=\"{ag}\" version=\"{ver}\" \
         urn=\"urn:sdmx:org.sdmx.infomodel.conceptscheme.ConceptScheme={ag}:{cs}({ver})\">",
        cs = escape(&cs)
    );
    names(
        &mut x,
        8,
        "Concepts of trafficking in human beings statistics",
        Some("Conceitos das estatísticas do tráfico de seres humanos"),
    );
    for (id, en, pt, _) in CONCEPTS {
        let _ = writeln!(
            x,
            "        <str:Concept id=\"{id}\" urn=\"urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept={ag}:{cs}({ver}).{id}\">",
            cs = escape(&cs)
        );
        names(&mut x, 10, en, Some(pt));
        x.push_str("        </str:Concept>\n");
    }
    x.push_str("      </str:ConceptScheme>\n    </str:Concepts>\n");

    // Data structure.
    let concept_ref = |id: &str| {
        format!(
            "<str:ConceptIdentity><Ref id=\"{id}\" maintainableParentID=\"{cs}\" maintainableParentVersion=\"{ver}\" \
             agencyID=\"{ag}\" package=\"conceptscheme\" class=\"Concept\"/></str:ConceptIdentity>",
            cs = escape(&cs)
        )
    };
    let enumeration = |id: &str| {
        let list = CONCEPTS.iter().find(|c| c.0 == id).and_then(|c| c.3);
        match list {
            Some(cl) => format!(
                "<str:LocalRepresentation><str:Enumeration><Ref id=\"{cl}\" agencyID=\"{ag}\" version=\"{cl_ver}\" \
                 package=\"codelist\" class=\"Codelist\"/></str:Enumeration></str:LocalRepresentation>"
            ),
            None => String::new(),
        }
    };
    x.push_str("    <str:DataStructures>\n");
    let _ = writeln!(
        x,
        "      <str:DataStructure id=\"{dsd}\" agencyID=\"{ag}\" version=\"{ver}\" \
         urn=\"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={ag}:{dsd}({ver})\">",
        dsd = escape(&dsd)
    );
    names(
        &mut x,
        8,
        "Trafficking in human beings: EU common key indicators",
        Some("Tráfico de seres humanos: indicadores-chave comuns da UE"),
    );
    x.push_str("        <str:DataStructureComponents>\n");
    x.push_str("          <str:DimensionList id=\"DimensionDescriptor\">\n");
    for (pos, id) in DIMENSIONS.iter().enumerate() {
        if *id == "TIME_PERIOD" {
            let _ = writeln!(
                x,
                "            <str:TimeDimension id=\"TIME_PERIOD\" position=\"{}\">{}<str:LocalRepresentation>\
                 <str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation></str:TimeDimension>",
                pos + 1,
                concept_ref(id)
            );
        } else {
            let _ = writeln!(
                x,
                "            <str:Dimension id=\"{id}\" position=\"{}\">{}{}</str:Dimension>",
                pos + 1,
                concept_ref(id),
                enumeration(id)
            );
        }
    }
    x.push_str("          </str:DimensionList>\n");
    x.push_str("          <str:AttributeList id=\"AttributeDescriptor\">\n");
    for id in ATTRIBUTES {
        let _ = writeln!(
            x,
            "            <str:Attribute id=\"{id}\" assignmentStatus=\"Mandatory\">{}{}<str:AttributeRelationship>\
             <str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure></str:AttributeRelationship></str:Attribute>",
            concept_ref(id),
            enumeration(id)
        );
    }
    x.push_str("          </str:AttributeList>\n");
    x.push_str("          <str:MeasureList id=\"MeasureDescriptor\">\n");
    let _ = writeln!(
        x,
        "            <str:PrimaryMeasure id=\"OBS_VALUE\">{}<str:LocalRepresentation><str:TextFormat \
         textType=\"Integer\"/></str:LocalRepresentation></str:PrimaryMeasure>",
        concept_ref("OBS_VALUE")
    );
    x.push_str("          </str:MeasureList>\n");
    x.push_str(
        "        </str:DataStructureComponents>\n      </str:DataStructure>\n    </str:DataStructures>\n",
    );
    x.push_str("  </mes:Structures>\n</mes:Structure>\n");
    Ok(x)
}

/// `<com:Name>` in English and, if given, Portuguese, each on its own line at `indent`.
fn names(x: &mut String, indent: usize, en: &str, pt: Option<&str>) {
    let pad = " ".repeat(indent);
    let _ = writeln!(x, "{pad}<com:Name xml:lang=\"en\">{}</com:Name>", escape(en));
    if let Some(pt) = pt.filter(|p| !p.is_empty()) {
        let _ = writeln!(x, "{pad}<com:Name xml:lang=\"pt\">{}</com:Name>", escape(pt));
    }
}
