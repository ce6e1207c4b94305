//! The generator's vocabulary: every code it writes, looked up once in the codelist bundle, and
//! the weighted tables that give the synthetic data its Portuguese shape.
//!
//! Tables are written as `(code, weight)` pairs with integer weights (relative, usually per
//! mille). They are the only place where the realism assumptions live, so they are kept as
//! plain data: exploitation by region, nationalities by form, providers by situation, and so on.

use model::code::{
    Country, GenderHtcds, LabourSector, ListKind, MeansOfControl, Nuts, PtDistrict, RecruiterRelation,
    RecruitmentMethod, SexualExploitationType, SupportType, TraffickerRole, TraffickingDuration,
};
use model::codes::ExploitationForm;
use model::{Citizenship, Code, Codelists, NationalCode};
use rand::Rng;

use crate::Error;
use crate::providers::Prov;

/// A table of values with integer weights, sampled by inverse cumulative search.
#[derive(Clone, Debug)]
pub(crate) struct Weighted<T> {
    items: Vec<T>,
    cum: Vec<u32>,
    total: u32,
}

impl<T: Copy> Weighted<T> {
    /// A table from `(value, weight)` pairs; zero weights are dropped. `None` when nothing is left.
    pub(crate) fn new(pairs: impl IntoIterator<Item = (T, u32)>) -> Option<Self> {
        let mut items = Vec::new();
        let mut cum = Vec::new();
        let mut total = 0u32;
        for (item, w) in pairs {
            if w > 0 {
                total = total.saturating_add(w);
                items.push(item);
                cum.push(total);
            }
        }
        (total > 0).then_some(Weighted { items, cum, total })
    }

    /// One value.
    pub(crate) fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> T {
        let x = rng.random_range(0..self.total);
        let i = self.cum.partition_point(|&c| c <= x);
        self.items[i.min(self.items.len() - 1)]
    }
}

/// A small set of indices into a vocabulary list (at most 32 entries).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub(crate) struct Mask(pub(crate) u32);

impl Mask {
    pub(crate) fn insert(&mut self, i: u8) {
        self.0 |= 1 << i;
    }
    pub(crate) fn contains(self, i: u8) -> bool {
        self.0 & (1 << i) != 0
    }
    /// The indices, ascending.
    pub(crate) fn indices(self) -> impl Iterator<Item = u8> {
        (0u8..32).filter(move |&i| self.contains(i))
    }
}

/// Draws `k` distinct entries of `table` (fewer if it is smaller) into a mask of entry indices.
pub(crate) fn sample_mask<R: Rng + ?Sized>(table: &Weighted<u8>, k: usize, rng: &mut R) -> Mask {
    let mut m = Mask::default();
    let distinct = table.items.len();
    let k = k.min(distinct);
    let mut n = 0;
    let mut tries = 0;
    while n < k && tries < 64 {
        tries += 1;
        let i = table.sample(rng);
        if !m.contains(i) {
            m.insert(i);
            n += 1;
        }
    }
    m
}

/// Coarse grouping of forms that share distributions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Profile {
    /// Labour exploitation, slavery.
    Labour,
    /// Sexual exploitation.
    Sexual,
    /// Forced begging, forced criminality.
    Street,
    /// Domestic servitude, forced marriage, other and unknown forms.
    Domestic,
}

impl Profile {
    pub(crate) fn of(form: ExploitationForm) -> Profile {
        match form {
            ExploitationForm::Labour | ExploitationForm::Slavery => Profile::Labour,
            ExploitationForm::Sexual => Profile::Sexual,
            ExploitationForm::Begging | ExploitationForm::Criminal => Profile::Street,
            _ => Profile::Domestic,
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

/// Where exploitation in Portugal is placed, by activity.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Region {
    /// Agriculture: Alentejo, Algarve, Oeste, Ribatejo, Douro.
    Agri,
    /// Construction, hospitality, industry, services: the metropolitan areas and the coast.
    Urban,
    /// Sexual exploitation: Lisbon, Porto, Algarve, coastal cities.
    Sexual,
    /// Begging and forced criminality: Lisbon and Porto.
    Street,
    /// Domestic servitude and the rest.
    Domestic,
}

/// A NUTS 3 region of Portugal with the districts it overlaps.
#[derive(Clone, Debug)]
pub(crate) struct Place {
    pub(crate) nuts: Code<Nuts>,
    /// `None` for the "not regionalised" code.
    pub(crate) districts: Option<Weighted<Code<PtDistrict>>>,
}

/// A citizenship the generator uses, with what the rules need to know about it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Nat {
    pub(crate) code: Code<Country>,
    pub(crate) pt: bool,
    pub(crate) eu: bool,
    /// A frequent second citizenship and how often it is held (per mille).
    pub(crate) dual: Option<(Code<Country>, u32)>,
}

/// The whole vocabulary.
pub(crate) struct Vocab {
    pub(crate) pt: Code<Country>,
    pub(crate) nats: Vec<Nat>,
    /// Group nationality tables by form.
    pub(crate) nat_by_form: Vec<(ExploitationForm, Weighted<u8>)>,
    pub(crate) nat_default: Weighted<u8>,
    /// Countries where Portuguese nationals are exploited abroad.
    pub(crate) abroad: Weighted<Code<Country>>,
    /// Spanish provinces for exploitation in Spain.
    pub(crate) es_place: Weighted<Option<Code<Nuts>>>,
    pub(crate) es: Code<Country>,
    /// Countries of exploitation for victims in transit through Portugal.
    pub(crate) transit: Weighted<Code<Country>>,
    pub(crate) places: Vec<Place>,
    regions: [Weighted<u8>; 5],
    /// Home regions of Portuguese nationals returning from abroad.
    pub(crate) home_region: Weighted<u8>,
    pub(crate) sector_labour: Weighted<Code<LabourSector>>,
    pub(crate) sector_servitude: Weighted<Code<LabourSector>>,
    pub(crate) sector_slavery: Weighted<Code<LabourSector>>,
    pub(crate) sector_agri: Code<LabourSector>,
    pub(crate) sexual_types: Vec<Code<SexualExploitationType>>,
    pub(crate) sexual_type_table: Weighted<u8>,
    pub(crate) moc: Vec<Code<MeansOfControl>>,
    moc_tables: [Weighted<u8>; 4],
    pub(crate) recruit: Vec<Code<RecruitmentMethod>>,
    recruit_tables: [Weighted<u8>; 4],
    relation_tables: [Weighted<Code<RecruiterRelation>>; 4],
    duration_tables: [Weighted<Code<TraffickingDuration>>; 4],
    pub(crate) support: Vec<Code<SupportType>>,
    pub(crate) support_idx: SupportIdx,
    pub(crate) roles: Weighted<Code<TraffickerRole>>,
    pub(crate) role_exploiter: Code<TraffickerRole>,
    pub(crate) gender_f: Code<GenderHtcds>,
    pub(crate) gender_m: Code<GenderHtcds>,
    pub(crate) gender_tf: Code<GenderHtcds>,
    pub(crate) gender_unk: Code<GenderHtcds>,
    pub(crate) offence_thb: NationalCode,
    pub(crate) offence_slavery: NationalCode,
    pub(crate) national_other: NationalCode,
    /// Id of the (stand-in) national linkage key.
    pub(crate) linkage_key_id: NationalCode,
    /// Providers of a first registration by situation.
    pub(crate) first_provider: FirstProviders,
    /// Providers that open a suspect case when no registering provider does, by profile.
    pub(crate) case_provider: [Weighted<Prov>; 4],
}

/// Indices of support types the generator treats specially.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SupportIdx {
    pub(crate) social_care: u8,
    pub(crate) health: u8,
    pub(crate) legal: u8,
    pub(crate) financial: u8,
    pub(crate) livelihood: u8,
    pub(crate) education: u8,
    pub(crate) labour_rehab: u8,
    pub(crate) sexual_rehab: u8,
    pub(crate) rights_training: u8,
}

/// First-registration provider tables.
pub(crate) struct FirstProviders {
    pub(crate) by_profile: [Weighted<Prov>; 4],
    pub(crate) minors: Weighted<Prov>,
    pub(crate) origin: Weighted<Prov>,
    pub(crate) transit: Weighted<Prov>,
    /// Police bodies that take over from a non-identifying first provider.
    pub(crate) police: [Weighted<Prov>; 4],
    /// Support bodies that take over from a police first provider.
    pub(crate) support: Weighted<Prov>,
}

impl Vocab {
    pub(crate) fn region(&self, r: Region) -> &Weighted<u8> {
        &self.regions[r as usize]
    }
    pub(crate) fn moc_table(&self, p: Profile) -> &Weighted<u8> {
        &self.moc_tables[p.index()]
    }
    pub(crate) fn recruit_table(&self, p: Profile) -> &Weighted<u8> {
        &self.recruit_tables[p.index()]
    }
    pub(crate) fn relation_table(&self, p: Profile) -> &Weighted<Code<RecruiterRelation>> {
        &self.relation_tables[p.index()]
    }
    pub(crate) fn duration_table(&self, p: Profile) -> &Weighted<Code<TraffickingDuration>> {
        &self.duration_tables[p.index()]
    }
    pub(crate) fn nat_table(&self, form: ExploitationForm) -> &Weighted<u8> {
        self.nat_by_form.iter().find(|(f, _)| *f == form).map_or(&self.nat_default, |(_, t)| t)
    }
    pub(crate) fn citizenship(&self, i: u8) -> Citizenship {
        Citizenship::Country(self.nats[usize::from(i)].code)
    }
}

fn code<L: ListKind>(lists: &Codelists, text: &'static str) -> Result<Code<L>, Error> {
    Code::<L>::parse(text, lists).ok_or(Error::MissingCode { list: L::ID, code: text })
}

fn codes<L: ListKind>(lists: &Codelists, spec: &[(&'static str, u32)]) -> Result<Weighted<Code<L>>, Error> {
    let pairs =
        spec.iter().map(|&(c, w)| code::<L>(lists, c).map(|c| (c, w))).collect::<Result<Vec<_>, _>>()?;
    Weighted::new(pairs).ok_or(Error::MissingCode { list: L::ID, code: "(empty table)" })
}

/// A vocabulary list and weighted tables of indices into it.
type Indexed<L> = (Vec<Code<L>>, Vec<Weighted<u8>>);

/// A list of codes and weighted tables of their indices.
fn indexed<L: ListKind>(
    lists: &Codelists,
    names: &[&'static str],
    tables: &[&[(&'static str, u32)]],
) -> Result<Indexed<L>, Error> {
    let list = names.iter().map(|&n| code::<L>(lists, n)).collect::<Result<Vec<_>, _>>()?;
    let tables = tables
        .iter()
        .map(|spec| {
            let pairs = spec
                .iter()
                .map(|&(c, w)| {
                    let i = names
                        .iter()
                        .position(|&n| n == c)
                        .ok_or(Error::MissingCode { list: L::ID, code: c })?;
                    Ok((i as u8, w))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Weighted::new(pairs).ok_or(Error::MissingCode { list: L::ID, code: "(empty table)" })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((list, tables))
}

fn four<T>(v: Vec<T>) -> Result<[T; 4], Error> {
    v.try_into().map_err(|_| Error::MissingCode { list: "(internal)", code: "four tables" })
}

fn provs(spec: &[(Prov, u32)]) -> Result<Weighted<Prov>, Error> {
    Weighted::new(spec.iter().copied()).ok_or(Error::MissingCode { list: "provider", code: "(empty table)" })
}

fn national(text: &'static str) -> Result<NationalCode, Error> {
    NationalCode::new(text).ok_or(Error::Identifier(text))
}

// ---------------------------------------------------------------------------------------------
// The tables.

/// Citizenships used anywhere, with frequent second citizenships (per mille of holders).
const NATS: &[(&str, Option<(&str, u32)>)] = &[
    ("PT", None),
    ("IN", Some(("PT", 30))),
    ("NP", None),
    ("BD", None),
    ("PK", None),
    ("RO", None),
    ("BG", None),
    ("MD", Some(("RO", 250))),
    ("UA", None),
    ("BR", Some(("PT", 80))),
    ("MA", None),
    ("SN", None),
    ("TH", None),
    ("UZ", None),
    ("VN", None),
    ("LK", None),
    ("GH", None),
    ("AO", Some(("PT", 100))),
    ("CV", Some(("PT", 150))),
    ("GW", Some(("PT", 100))),
    ("ST", Some(("PT", 100))),
    ("PH", None),
    ("CN", None),
    ("NG", None),
    ("CO", None),
    ("VE", Some(("PT", 200))),
    ("PY", None),
    ("ES", None),
    ("RS", None),
    ("TR", None),
    ("IT", None),
];

const NAT_LABOUR: &[(&str, u32)] = &[
    ("IN", 150),
    ("NP", 120),
    ("BD", 60),
    ("PK", 60),
    ("RO", 110),
    ("BG", 30),
    ("MD", 40),
    ("UA", 30),
    ("BR", 60),
    ("MA", 50),
    ("PT", 110),
    ("SN", 20),
    ("TH", 20),
    ("UZ", 20),
    ("VN", 10),
    ("LK", 20),
    ("GH", 10),
    ("AO", 10),
    ("CV", 10),
    ("GW", 10),
    ("ST", 5),
    ("TR", 5),
    ("PH", 10),
    ("CN", 10),
];
const NAT_SEXUAL: &[(&str, u32)] = &[
    ("BR", 250),
    ("PT", 180),
    ("RO", 130),
    ("NG", 90),
    ("CO", 50),
    ("VE", 40),
    ("PY", 40),
    ("UA", 30),
    ("BG", 30),
    ("CN", 30),
    ("MD", 30),
    ("ES", 15),
    ("AO", 20),
    ("CV", 15),
    ("TH", 10),
    ("VN", 10),
];
const NAT_BEGGING: &[(&str, u32)] = &[("RO", 500), ("BG", 200), ("PT", 200), ("MD", 50), ("RS", 50)];
const NAT_CRIMINAL: &[(&str, u32)] =
    &[("RO", 300), ("PT", 300), ("BR", 150), ("BG", 100), ("AO", 50), ("CV", 50), ("MA", 50)];
const NAT_SERVITUDE: &[(&str, u32)] = &[
    ("PT", 250),
    ("BR", 200),
    ("AO", 100),
    ("CV", 100),
    ("GW", 100),
    ("ST", 80),
    ("IN", 80),
    ("PH", 60),
    ("NP", 30),
];
const NAT_MARRIAGE: &[(&str, u32)] =
    &[("PT", 300), ("RO", 300), ("BR", 150), ("PK", 100), ("IN", 100), ("BG", 50)];
const NAT_SLAVERY: &[(&str, u32)] = &[("PT", 300), ("RO", 200), ("IN", 200), ("NP", 150), ("BD", 150)];
const NAT_DEFAULT: &[(&str, u32)] =
    &[("PT", 250), ("BR", 200), ("RO", 150), ("IN", 150), ("NP", 100), ("MA", 100), ("UA", 50)];

/// Countries where Portuguese nationals are exploited (ORIGIN cases).
const ABROAD: &[(&str, u32)] = &[
    ("ES", 450),
    ("FR", 130),
    ("DE", 80),
    ("NL", 80),
    ("UK", 70),
    ("CH", 60),
    ("BE", 50),
    ("LU", 40),
    ("IE", 20),
];

/// Spanish provinces (NUTS 3) with farm work of Portuguese victims; `None` = not recorded.
const ES_PLACE: &[(Option<&str>, u32)] = &[
    (Some("ES220"), 150),
    (Some("ES230"), 100),
    (Some("ES241"), 80),
    (Some("ES243"), 100),
    (Some("ES413"), 60),
    (Some("ES415"), 50),
    (Some("ES418"), 50),
    (Some("ES431"), 120),
    (Some("ES432"), 60),
    (Some("ES513"), 100),
    (Some("ES611"), 50),
    (Some("ES615"), 80),
    (Some("ES300"), 40),
    (Some("ES511"), 30),
    (Some("ES620"), 40),
    (None, 250),
];

const TRANSIT: &[(&str, u32)] = &[("ES", 40), ("FR", 25), ("UK", 15), ("DE", 10), ("NL", 10)];

/// NUTS 3 regions of Portugal (NUTS 2024) with the districts that overlap them (weights by
/// where exploitation cases concentrate, e.g. Odemira in Alentejo Litoral is in Beja district).
const PLACES: &[(&str, &[(&str, u32)])] = &[
    ("PT111", &[("PT-16", 1)]),
    ("PT112", &[("PT-03", 1)]),
    ("PT119", &[("PT-03", 9), ("PT-13", 1)]),
    ("PT11A", &[("PT-13", 85), ("PT-01", 15)]),
    ("PT11B", &[("PT-17", 1)]),
    ("PT11C", &[("PT-13", 70), ("PT-18", 15), ("PT-03", 15)]),
    ("PT11D", &[("PT-17", 55), ("PT-18", 30), ("PT-09", 10), ("PT-04", 5)]),
    ("PT11E", &[("PT-04", 1)]),
    ("PT150", &[("PT-08", 1)]),
    ("PT191", &[("PT-01", 1)]),
    ("PT192", &[("PT-06", 9), ("PT-18", 1)]),
    ("PT193", &[("PT-10", 1)]),
    ("PT194", &[("PT-18", 1)]),
    ("PT195", &[("PT-05", 1)]),
    ("PT196", &[("PT-09", 75), ("PT-05", 25)]),
    ("PT1A0", &[("PT-11", 1)]),
    ("PT1B0", &[("PT-15", 1)]),
    ("PT1C1", &[("PT-02", 60), ("PT-15", 40)]),
    ("PT1C2", &[("PT-02", 1)]),
    ("PT1C3", &[("PT-12", 1)]),
    ("PT1C4", &[("PT-07", 1)]),
    ("PT1D1", &[("PT-10", 50), ("PT-11", 50)]),
    ("PT1D2", &[("PT-14", 85), ("PT-05", 15)]),
    ("PT1D3", &[("PT-14", 90), ("PT-11", 10)]),
    ("PT200", &[("PT-20", 1)]),
    ("PT300", &[("PT-30", 1)]),
    ("PTXXX", &[]),
];

const REGION_AGRI: &[(&str, u32)] = &[
    ("PT1C1", 180),
    ("PT1C2", 120),
    ("PT1C4", 60),
    ("PT1C3", 30),
    ("PT1D3", 80),
    ("PT1D1", 90),
    ("PT1D2", 20),
    ("PT150", 100),
    ("PT11D", 60),
    ("PT194", 20),
    ("PT196", 20),
    ("PT195", 20),
    ("PT11E", 10),
    ("PT193", 20),
    ("PT192", 15),
    ("PT200", 10),
    ("PT300", 10),
    ("PT11C", 15),
    ("PT1B0", 20),
    ("PTXXX", 30),
];
const REGION_URBAN: &[(&str, u32)] = &[
    ("PT1A0", 300),
    ("PT11A", 200),
    ("PT1B0", 80),
    ("PT150", 100),
    ("PT191", 40),
    ("PT192", 30),
    ("PT193", 40),
    ("PT112", 30),
    ("PT119", 40),
    ("PT1D1", 30),
    ("PT300", 30),
    ("PT200", 20),
    ("PT194", 20),
    ("PTXXX", 40),
];
const REGION_SEXUAL: &[(&str, u32)] = &[
    ("PT1A0", 300),
    ("PT11A", 220),
    ("PT150", 90),
    ("PT1B0", 60),
    ("PT191", 40),
    ("PT192", 40),
    ("PT112", 40),
    ("PT119", 30),
    ("PT193", 30),
    ("PT1D1", 20),
    ("PT194", 20),
    ("PT300", 20),
    ("PT200", 20),
    ("PT1C4", 20),
    ("PT11E", 10),
    ("PT196", 10),
    ("PTXXX", 40),
];
const REGION_STREET: &[(&str, u32)] = &[
    ("PT1A0", 400),
    ("PT11A", 300),
    ("PT1B0", 80),
    ("PT150", 60),
    ("PT192", 40),
    ("PT193", 30),
    ("PT191", 30),
    ("PTXXX", 60),
];
const REGION_DOMESTIC: &[(&str, u32)] = &[
    ("PT1A0", 300),
    ("PT11A", 200),
    ("PT1B0", 100),
    ("PT191", 40),
    ("PT192", 40),
    ("PT112", 40),
    ("PT119", 40),
    ("PT150", 50),
    ("PT193", 40),
    ("PT194", 30),
    ("PT1D2", 30),
    ("PT1C4", 20),
    ("PT300", 20),
    ("PT200", 20),
    ("PTXXX", 50),
];
/// Where Portuguese nationals exploited abroad come home to (north and centre dominate).
const HOME_REGION: &[(&str, u32)] = &[
    ("PT11A", 200),
    ("PT119", 120),
    ("PT112", 100),
    ("PT11C", 120),
    ("PT194", 80),
    ("PT192", 60),
    ("PT11D", 50),
    ("PT1A0", 120),
    ("PT1B0", 60),
    ("PT196", 40),
];

const SECTOR_LABOUR: &[(&str, u32)] = &[
    ("A", 620),
    ("F", 100),
    ("I", 80),
    ("C", 50),
    ("T", 30),
    ("N", 40),
    ("H", 20),
    ("G", 20),
    ("S", 20),
    ("B", 10),
];
const SECTOR_SERVITUDE: &[(&str, u32)] = &[("T", 800), ("I", 100), ("A", 50), ("S", 50)];
const SECTOR_SLAVERY: &[(&str, u32)] = &[("A", 700), ("F", 200), ("C", 100)];

const SEXUAL_TYPES: &[&str] =
    &["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"];
const SEXUAL_TYPE_W: &[(&str, u32)] = &[
    ("Prostitution", 850),
    ("Pornography", 50),
    ("RemoteInteractiveServices", 50),
    ("PrivateSexualServices", 50),
];

const MOC: &[&str] = &[
    "PhysicalThreats",
    "ThreatsLawEnforcement",
    "ThreatensChildrenFamily",
    "DebtBondage",
    "FalsePromises",
    "PhysicalAbuse",
    "SexualAbuse",
    "TakesEarnings",
    "RestrictsFinancialAccess",
    "RestrictsMedicalCare",
    "WithholdsNecessities",
    "PsychologicalAbuse",
    "PsychoactiveSubstance",
    "ExcessiveWorkingHours",
    "WithholdsDocuments",
    "Other",
];
const MOC_LABOUR: &[(&str, u32)] = &[
    ("DebtBondage", 25),
    ("WithholdsDocuments", 20),
    ("ExcessiveWorkingHours", 25),
    ("TakesEarnings", 20),
    ("FalsePromises", 25),
    ("WithholdsNecessities", 10),
    ("PhysicalThreats", 10),
    ("ThreatsLawEnforcement", 10),
    ("PsychologicalAbuse", 10),
    ("RestrictsFinancialAccess", 8),
    ("PhysicalAbuse", 5),
    ("Other", 3),
];
const MOC_SEXUAL: &[(&str, u32)] = &[
    ("PhysicalAbuse", 15),
    ("PsychologicalAbuse", 20),
    ("SexualAbuse", 15),
    ("TakesEarnings", 20),
    ("DebtBondage", 20),
    ("PsychoactiveSubstance", 8),
    ("ThreatensChildrenFamily", 12),
    ("WithholdsDocuments", 12),
    ("FalsePromises", 15),
    ("PhysicalThreats", 15),
    ("Other", 3),
];
const MOC_OTHER: &[(&str, u32)] = &[
    ("PhysicalThreats", 15),
    ("PsychologicalAbuse", 20),
    ("PhysicalAbuse", 12),
    ("TakesEarnings", 15),
    ("WithholdsNecessities", 10),
    ("RestrictsMedicalCare", 5),
    ("ThreatensChildrenFamily", 10),
    ("FalsePromises", 10),
    ("WithholdsDocuments", 8),
    ("Other", 5),
];

const RECRUIT: &[&str] = &[
    "AtAPlaceOfBusiness",
    "AtAnEducationalInstitution",
    "AtWork",
    "ThroughOnlineSocialNetworks",
    "ThroughAnOnlineAdvertisement",
    "ThroughATelevisionAdvert",
    "ThroughANewspaperAdvert",
    "ThroughFamilyOrFamilyEvents",
    "ThroughFriendsOrSocialEvents",
    "Other",
];
const RECRUIT_LABOUR: &[(&str, u32)] = &[
    ("ThroughFriendsOrSocialEvents", 30),
    ("ThroughOnlineSocialNetworks", 25),
    ("ThroughAnOnlineAdvertisement", 15),
    ("AtAPlaceOfBusiness", 15),
    ("ThroughFamilyOrFamilyEvents", 8),
    ("AtWork", 5),
    ("ThroughANewspaperAdvert", 1),
    ("Other", 5),
];
const RECRUIT_SEXUAL: &[(&str, u32)] = &[
    ("ThroughOnlineSocialNetworks", 35),
    ("ThroughFriendsOrSocialEvents", 25),
    ("ThroughFamilyOrFamilyEvents", 10),
    ("ThroughAnOnlineAdvertisement", 15),
    ("AtAPlaceOfBusiness", 5),
    ("Other", 5),
];
const RECRUIT_OTHER: &[(&str, u32)] = &[
    ("ThroughFamilyOrFamilyEvents", 35),
    ("ThroughFriendsOrSocialEvents", 25),
    ("ThroughOnlineSocialNetworks", 15),
    ("Other", 15),
    ("AtAnEducationalInstitution", 5),
];

const RELATION_LABOUR: &[(&str, u32)] =
    &[("Other", 45), ("Friend", 20), ("Family", 8), ("IntimatePartner", 2), ("Unknown", 25)];
const RELATION_SEXUAL: &[(&str, u32)] =
    &[("IntimatePartner", 30), ("Friend", 30), ("Family", 10), ("Other", 10), ("Unknown", 20)];
const RELATION_OTHER: &[(&str, u32)] =
    &[("Family", 45), ("Friend", 15), ("Other", 15), ("IntimatePartner", 5), ("Unknown", 20)];

const DURATION_LABOUR: &[(&str, u32)] = &[("0--12", 70), ("13--24", 20), ("25+", 10)];
const DURATION_SEXUAL: &[(&str, u32)] = &[("0--12", 50), ("13--24", 25), ("25+", 25)];
const DURATION_STREET: &[(&str, u32)] = &[("0--12", 60), ("13--24", 25), ("25+", 15)];
const DURATION_DOMESTIC: &[(&str, u32)] = &[("0--12", 30), ("13--24", 30), ("25+", 40)];

const SUPPORT: &[&str] = &[
    "SocialCare",
    "Health",
    "Legal",
    "Financial",
    "Livelihood",
    "Education",
    "LabourExploitationRehabilitation",
    "SexualExploitationRehabilitation",
    "RightsBasedTraining",
];

const ROLES: &[(&str, u32)] = &[
    ("RecruiterOrIntermediary", 30),
    ("Exploiter", 30),
    ("Transporter", 12),
    ("ControlledIndividual", 10),
    ("HarbouredIndividual", 8),
    ("BrokerTravelAgent", 5),
    ("Abuser", 3),
    ("Other", 2),
];

use Prov::*;

const FIRST_LABOUR: &[(Prov, u32)] = &[
    (Pj, 80),
    (Gnr, 200),
    (Psp, 50),
    (Sef, 120),
    (Act, 120),
    (Apav, 50),
    (Akto, 40),
    (Apf, 90),
    (Solim, 60),
    (Maps, 10),
    (Rapvt, 40),
    (Hotline, 40),
    (Iom, 40),
];
const FIRST_SEXUAL: &[(Prov, u32)] = &[
    (Pj, 150),
    (Gnr, 60),
    (Psp, 130),
    (Sef, 100),
    (Apav, 80),
    (Akto, 60),
    (Apf, 120),
    (Solim, 20),
    (Maps, 80),
    (Rapvt, 60),
    (Hotline, 60),
    (Iom, 30),
];
const FIRST_OTHER: &[(Prov, u32)] = &[
    (Pj, 150),
    (Gnr, 100),
    (Psp, 200),
    (Sef, 50),
    (Apav, 100),
    (Akto, 50),
    (Apf, 100),
    (Rapvt, 50),
    (Hotline, 60),
    (Iom, 20),
];
const FIRST_MINOR: &[(Prov, u32)] =
    &[(Cpcj, 300), (Pj, 200), (Psp, 150), (Gnr, 100), (Sef, 50), (Apav, 100), (Apf, 60), (Hotline, 40)];
const FIRST_ORIGIN: &[(Prov, u32)] =
    &[(Consular, 350), (Pj, 200), (Gnr, 100), (Apav, 100), (Iom, 100), (Apf, 50), (Hotline, 100)];
const FIRST_TRANSIT: &[(Prov, u32)] =
    &[(Sef, 400), (Pj, 200), (Psp, 100), (Iom, 150), (Apf, 50), (Akto, 100)];

const POLICE_LABOUR: &[(Prov, u32)] = &[(Gnr, 40), (Pj, 30), (Sef, 20), (Psp, 10)];
const POLICE_SEXUAL: &[(Prov, u32)] = &[(Pj, 45), (Psp, 30), (Sef, 15), (Gnr, 10)];
const POLICE_OTHER: &[(Prov, u32)] = &[(Pj, 40), (Psp, 35), (Gnr, 25)];
const SUPPORT_PROVIDERS: &[(Prov, u32)] = &[(Rapvt, 35), (Apf, 25), (Apav, 20), (Akto, 10), (Iom, 10)];

const CASE_LABOUR: &[(Prov, u32)] = &[(Gnr, 35), (Pj, 30), (Sef, 15), (Act, 10), (Psp, 10)];

impl Vocab {
    /// Looks every code up in `lists`.
    pub(crate) fn new(lists: &Codelists) -> Result<Vocab, Error> {
        let pt = code::<Country>(lists, "PT")?;
        let nats = NATS
            .iter()
            .map(|&(c, dual)| {
                let country = code::<Country>(lists, c)?;
                let eu = lists.country_iso(c).is_some_and(|iso| iso.eu27);
                let dual = match dual {
                    Some((d, w)) => Some((code::<Country>(lists, d)?, w)),
                    None => None,
                };
                Ok(Nat { code: country, pt: c == "PT", eu, dual })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let nat_table = |spec: &[(&'static str, u32)]| -> Result<Weighted<u8>, Error> {
            let pairs = spec
                .iter()
                .map(|&(c, w)| {
                    let i = NATS
                        .iter()
                        .position(|(n, _)| *n == c)
                        .ok_or(Error::MissingCode { list: "country", code: c })?;
                    Ok((i as u8, w))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Weighted::new(pairs).ok_or(Error::MissingCode { list: "country", code: "(empty table)" })
        };
        let nat_by_form = vec![
            (ExploitationForm::Labour, nat_table(NAT_LABOUR)?),
            (ExploitationForm::Sexual, nat_table(NAT_SEXUAL)?),
            (ExploitationForm::Begging, nat_table(NAT_BEGGING)?),
            (ExploitationForm::Criminal, nat_table(NAT_CRIMINAL)?),
            (ExploitationForm::Servitude, nat_table(NAT_SERVITUDE)?),
            (ExploitationForm::Marriage, nat_table(NAT_MARRIAGE)?),
            (ExploitationForm::Slavery, nat_table(NAT_SLAVERY)?),
        ];
        let es_place = Weighted::new(
            ES_PLACE
                .iter()
                .map(|&(c, w)| match c {
                    Some(c) => code::<Nuts>(lists, c).map(|c| (Some(c), w)),
                    None => Ok((None, w)),
                })
                .collect::<Result<Vec<_>, _>>()?,
        )
        .ok_or(Error::MissingCode { list: "nuts", code: "(empty table)" })?;
        let places = PLACES
            .iter()
            .map(|&(n, d)| {
                Ok(Place {
                    nuts: code::<Nuts>(lists, n)?,
                    districts: if d.is_empty() { None } else { Some(codes::<PtDistrict>(lists, d)?) },
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let place_table = |spec: &[(&'static str, u32)]| -> Result<Weighted<u8>, Error> {
            let pairs = spec
                .iter()
                .map(|&(c, w)| {
                    let i = PLACES
                        .iter()
                        .position(|(n, _)| *n == c)
                        .ok_or(Error::MissingCode { list: "nuts", code: c })?;
                    Ok((i as u8, w))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            Weighted::new(pairs).ok_or(Error::MissingCode { list: "nuts", code: "(empty table)" })
        };
        let regions = [
            place_table(REGION_AGRI)?,
            place_table(REGION_URBAN)?,
            place_table(REGION_SEXUAL)?,
            place_table(REGION_STREET)?,
            place_table(REGION_DOMESTIC)?,
        ];
        let (sexual_types, mut st) =
            indexed::<SexualExploitationType>(lists, SEXUAL_TYPES, &[SEXUAL_TYPE_W])?;
        let sexual_type_table =
            st.pop().ok_or(Error::MissingCode { list: "sexual_exploitation_type", code: "" })?;
        let (moc, moc_tables) =
            indexed::<MeansOfControl>(lists, MOC, &[MOC_LABOUR, MOC_SEXUAL, MOC_OTHER, MOC_OTHER])?;
        let (recruit, recruit_tables) = indexed::<RecruitmentMethod>(
            lists,
            RECRUIT,
            &[RECRUIT_LABOUR, RECRUIT_SEXUAL, RECRUIT_OTHER, RECRUIT_OTHER],
        )?;
        let support =
            SUPPORT.iter().map(|&s| code::<SupportType>(lists, s)).collect::<Result<Vec<_>, _>>()?;
        let si = |name: &str| SUPPORT.iter().position(|&s| s == name).unwrap_or(0) as u8;
        let support_idx = SupportIdx {
            social_care: si("SocialCare"),
            health: si("Health"),
            legal: si("Legal"),
            financial: si("Financial"),
            livelihood: si("Livelihood"),
            education: si("Education"),
            labour_rehab: si("LabourExploitationRehabilitation"),
            sexual_rehab: si("SexualExploitationRehabilitation"),
            rights_training: si("RightsBasedTraining"),
        };
        Ok(Vocab {
            pt,
            nats,
            nat_by_form,
            nat_default: nat_table(NAT_DEFAULT)?,
            abroad: codes::<Country>(lists, ABROAD)?,
            es_place,
            es: code::<Country>(lists, "ES")?,
            transit: codes::<Country>(lists, TRANSIT)?,
            places,
            regions,
            home_region: place_table(HOME_REGION)?,
            sector_labour: codes(lists, SECTOR_LABOUR)?,
            sector_servitude: codes(lists, SECTOR_SERVITUDE)?,
            sector_slavery: codes(lists, SECTOR_SLAVERY)?,
            sector_agri: code(lists, "A")?,
            sexual_types,
            sexual_type_table,
            moc,
            moc_tables: four(moc_tables)?,
            recruit,
            recruit_tables: four(recruit_tables)?,
            relation_tables: [
                codes(lists, RELATION_LABOUR)?,
                codes(lists, RELATION_SEXUAL)?,
                codes(lists, RELATION_OTHER)?,
                codes(lists, RELATION_OTHER)?,
            ],
            duration_tables: [
                codes(lists, DURATION_LABOUR)?,
                codes(lists, DURATION_SEXUAL)?,
                codes(lists, DURATION_STREET)?,
                codes(lists, DURATION_DOMESTIC)?,
            ],
            support,
            support_idx,
            roles: codes(lists, ROLES)?,
            role_exploiter: code(lists, "Exploiter")?,
            gender_f: code(lists, "Feminine")?,
            gender_m: code(lists, "Masculine")?,
            gender_tf: code(lists, "TransgenderFeminine")?,
            gender_unk: code(lists, "NonSpecifiedUnknown")?,
            offence_thb: national("PT-CP-160")?,
            offence_slavery: national("PT-CP-159")?,
            national_other: national("PT-OTSH-OUTRA")?,
            linkage_key_id: national("PT-LK-SYNTH-1")?,
            first_provider: FirstProviders {
                by_profile: [
                    provs(FIRST_LABOUR)?,
                    provs(FIRST_SEXUAL)?,
                    provs(FIRST_OTHER)?,
                    provs(FIRST_OTHER)?,
                ],
                minors: provs(FIRST_MINOR)?,
                origin: provs(FIRST_ORIGIN)?,
                transit: provs(FIRST_TRANSIT)?,
                police: [
                    provs(POLICE_LABOUR)?,
                    provs(POLICE_SEXUAL)?,
                    provs(POLICE_OTHER)?,
                    provs(POLICE_OTHER)?,
                ],
                support: provs(SUPPORT_PROVIDERS)?,
            },
            case_provider: [
                provs(CASE_LABOUR)?,
                provs(POLICE_SEXUAL)?,
                provs(POLICE_OTHER)?,
                provs(POLICE_OTHER)?,
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn weighted_tables_follow_their_weights_and_drop_zero_weights() {
        assert!(Weighted::<u8>::new([(1, 0)]).is_none());
        let t = Weighted::new([(0u8, 1), (1, 0), (2, 3)]).expect("non-empty");
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[usize::from(t.sample(&mut rng))] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((9_000..11_000).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn masks_hold_distinct_indices() {
        let t = Weighted::new([(0u8, 1), (3, 1), (5, 1)]).expect("non-empty");
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let m = sample_mask(&t, 10, &mut rng);
        assert_eq!(m.indices().collect::<Vec<_>>(), [0, 3, 5]);
    }

    #[test]
    fn the_embedded_bundle_has_every_code_the_generator_uses() {
        Vocab::new(Codelists::embedded()).expect("complete vocabulary");
    }
}
