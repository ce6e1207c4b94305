//! The 21 EU common key indicators (domain.md §2.1, §6): their queries and SDMX coordinates.

use serde::Serialize;
use stats::{Dim, Measure, Query};

/// SDMX coordinates of a key-indicator section: the indicator, the legal status, and which SDMX
/// dimension each table axis fills (the others are `TOTAL`, or `T` for sex).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct SdmxKey {
    /// `INDICATOR` (key_indicator.csv).
    pub indicator: &'static str,
    /// `LEG_STAT` (legal_status.csv).
    pub leg_stat: &'static str,
    /// SDMX dimension id per table axis.
    pub axes: Vec<&'static str>,
}

/// One key indicator.
#[derive(Clone, Copy, Debug)]
pub struct Indicator {
    /// Code (key_indicator.csv).
    pub code: &'static str,
    /// What it counts.
    pub measure: Measure,
    /// Its dimensions.
    pub dims: &'static [Dim],
    /// Extra filters (dimension, allowed codes).
    pub filters: &'static [(Dim, &'static [&'static str])],
    /// Natural persons only (offender-side indicators; legal persons are reported apart).
    pub natural_persons: bool,
}

const V: Measure = Measure::Persons;

/// The indicators in codelist order.
pub const INDICATORS: &[Indicator] = &[
    Indicator { code: "V1_01", measure: V, dims: &[Dim::ProviderType], filters: &[], natural_persons: false },
    Indicator { code: "V1_02", measure: V, dims: &[Dim::AgeGroup], filters: &[], natural_persons: false },
    Indicator { code: "V1_03", measure: V, dims: &[Dim::Sex], filters: &[], natural_persons: false },
    Indicator {
        code: "V1_04",
        measure: V,
        dims: &[Dim::Sex, Dim::AgeGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "V1_05",
        measure: V,
        dims: &[Dim::ExploitationGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "V1_06",
        measure: V,
        dims: &[Dim::Sex, Dim::ExploitationGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "V1_07",
        measure: V,
        dims: &[Dim::Sex, Dim::CitizenshipGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "V1_08",
        measure: V,
        dims: &[Dim::Sex, Dim::CountryOfRecruitment],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "V1_09",
        measure: V,
        dims: &[Dim::Sex],
        filters: &[(Dim::Assistance, &["Y"])],
        natural_persons: false,
    },
    Indicator {
        code: "V1_10",
        measure: V,
        dims: &[Dim::Sex],
        filters: &[(Dim::ReflectionPeriod, &["Y"])],
        natural_persons: false,
    },
    Indicator {
        code: "V1_11",
        measure: V,
        dims: &[Dim::Sex],
        filters: &[(Dim::ResidencePermit, &["Y"])],
        natural_persons: false,
    },
    Indicator {
        code: "S2_01",
        measure: Measure::Suspects,
        dims: &[Dim::Sex],
        filters: &[],
        natural_persons: true,
    },
    Indicator {
        code: "S2_02",
        measure: Measure::Suspects,
        dims: &[],
        filters: &[(Dim::OrganisedCrime, &["Y"])],
        natural_persons: false,
    },
    Indicator {
        code: "S2_03",
        measure: Measure::Suspects,
        dims: &[Dim::ExploitationGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "S2_04",
        measure: Measure::Suspects,
        dims: &[Dim::Sex, Dim::CitizenshipGroup],
        filters: &[],
        natural_persons: true,
    },
    Indicator {
        code: "P3_01",
        measure: Measure::Prosecuted,
        dims: &[Dim::Sex],
        filters: &[],
        natural_persons: true,
    },
    Indicator {
        code: "P3_02",
        measure: Measure::Prosecuted,
        dims: &[Dim::Sex, Dim::CitizenshipGroup],
        filters: &[],
        natural_persons: true,
    },
    Indicator {
        code: "P3_03",
        measure: Measure::Prosecuted,
        dims: &[Dim::ExploitationGroup],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "P3_04",
        measure: Measure::FinalisedProsecutions,
        dims: &[],
        filters: &[],
        natural_persons: false,
    },
    Indicator {
        code: "C4_01",
        measure: Measure::Convicted,
        dims: &[Dim::Sex],
        filters: &[],
        natural_persons: true,
    },
    Indicator {
        code: "C4_02",
        measure: Measure::Convicted,
        dims: &[Dim::ExploitationGroup],
        filters: &[],
        natural_persons: false,
    },
];

impl Indicator {
    /// The engine query (without period).
    pub fn query(&self) -> Query {
        let mut q = Query::new(self.measure, self.dims);
        for (dim, codes) in self.filters {
            q = q.filter(*dim, codes);
        }
        if self.natural_persons {
            q = q.filter(Dim::PersonType, &["NAT_PERSON"]);
        }
        q
    }

    /// SDMX coordinates.
    pub fn sdmx(&self) -> SdmxKey {
        let leg_stat = match self.measure {
            Measure::Registrations | Measure::Persons => "PER_VICT",
            Measure::Suspects => "PER_SUSP",
            Measure::Prosecuted | Measure::FinalisedProsecutions => "PER_PRSC",
            Measure::Convicted => "PER_CNV",
        };
        SdmxKey { indicator: self.code, leg_stat, axes: self.dims.iter().map(|d| sdmx_dim(*d)).collect() }
    }
}

/// The SDMX dimension an engine dimension fills.
pub fn sdmx_dim(dim: Dim) -> &'static str {
    match dim {
        Dim::Sex => "SEX",
        Dim::AgeGroup => "AGE",
        Dim::Citizenship | Dim::CitizenshipGroup | Dim::CountryOfRecruitment => "CITIZEN",
        Dim::Exploitation | Dim::ExploitationGroup => "EXPLOIT",
        Dim::ProviderType => "REG_ORG",
        Dim::VictimCategory => "VICT_CAT",
        Dim::CountryOfExploitation | Dim::Nuts(_) | Dim::District => "REF_AREA",
        Dim::Period(_) => "TIME_PERIOD",
        _ => "",
    }
}
