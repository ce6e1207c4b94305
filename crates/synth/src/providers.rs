//! The fixed Portuguese provider network: police and border bodies, the labour inspectorate, the
//! immigration agency, the public prosecution service, the justice statistics office for court
//! decisions, NGOs, the shelter network, a helpline, the consular network, an international
//! organisation and the child protection system.
//!
//! Every provider is an institution (never a person). Seats are NUTS 2024 level-3 codes. SEF
//! (border and immigration service) was dissolved on 29 October 2023; AIMA took over its
//! immigration tasks from that day and PJ its criminal investigations, so the two are valid on
//! adjoining date ranges and the generator picks whichever is valid on a record's date.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use model::code::{Country, Nuts};
use model::codes::{ProviderType, RecordType};
use model::{Code, Codelists, DataProvider, ProviderId};

use crate::Error;

/// Index of a provider in [`SPECS`] (and in the generator's provider tables).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Prov {
    Pj,
    Gnr,
    Psp,
    Sef,
    Aima,
    Act,
    Mp,
    Dgpj,
    Apav,
    Akto,
    Apf,
    Maps,
    Solim,
    Rapvt,
    Hotline,
    Consular,
    Iom,
    Cpcj,
}

/// Number of providers in the network.
pub(crate) const COUNT: usize = 18;

/// Static description of one provider.
pub(crate) struct Spec {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) provider_type: ProviderType,
    pub(crate) nuts: &'static str,
    pub(crate) can_formally_identify: bool,
    pub(crate) submits: &'static [RecordType],
    pub(crate) valid_from: (i32, u32, u32),
    pub(crate) valid_to: Option<(i32, u32, u32)>,
}

/// The day the first providers start reporting (OTSH was set up in 2008).
pub(crate) const NETWORK_START: (i32, u32, u32) = (2008, 1, 1);
/// Last day of SEF.
pub(crate) const SEF_END: (i32, u32, u32) = (2023, 10, 28);
/// First day of AIMA.
pub(crate) const AIMA_START: (i32, u32, u32) = (2023, 10, 29);

const V: &[RecordType] = &[RecordType::Victim];
const VS: &[RecordType] = &[RecordType::Victim, RecordType::Suspect];

/// The network, indexed by [`Prov`].
pub(crate) const SPECS: [Spec; COUNT] = [
    Spec {
        id: "PT-PJ",
        name: "Polícia Judiciária",
        provider_type: ProviderType::Police,
        nuts: "PT1A0",
        can_formally_identify: true,
        submits: VS,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-GNR",
        name: "Guarda Nacional Republicana",
        provider_type: ProviderType::Police,
        nuts: "PT1A0",
        can_formally_identify: true,
        submits: VS,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-PSP",
        name: "Polícia de Segurança Pública",
        provider_type: ProviderType::Police,
        nuts: "PT1A0",
        can_formally_identify: true,
        submits: VS,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-SEF",
        name: "Serviço de Estrangeiros e Fronteiras",
        provider_type: ProviderType::Border,
        nuts: "PT1A0",
        can_formally_identify: true,
        submits: VS,
        valid_from: NETWORK_START,
        valid_to: Some(SEF_END),
    },
    Spec {
        id: "PT-AIMA",
        name: "Agência para a Integração, Migrações e Asilo",
        provider_type: ProviderType::Immigration,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: AIMA_START,
        valid_to: None,
    },
    Spec {
        id: "PT-ACT",
        name: "Autoridade para as Condições do Trabalho",
        provider_type: ProviderType::LabourInspectorate,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: VS,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-MP",
        name: "Ministério Público - Procuradoria-Geral da República",
        provider_type: ProviderType::Prosecution,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: &[RecordType::Prosecution],
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-DGPJ",
        name: "Direção-Geral da Política de Justiça",
        provider_type: ProviderType::Court,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: &[RecordType::CourtDecision],
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-NGO-APAV",
        name: "APAV - Associação Portuguesa de Apoio à Vítima",
        provider_type: ProviderType::Ngo,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-NGO-AKTO",
        name: "Akto - Direitos Humanos e Democracia",
        provider_type: ProviderType::Ngo,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-NGO-APF",
        name: "APF - Associação para o Planeamento da Família (equipas multidisciplinares)",
        provider_type: ProviderType::Ngo,
        nuts: "PT11A",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-NGO-MAPS",
        name: "MAPS - Movimento de Apoio à Problemática da Sida",
        provider_type: ProviderType::Ngo,
        nuts: "PT150",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-NGO-SOLIM",
        name: "Solidariedade Imigrante - Associação para a Defesa dos Direitos dos Imigrantes",
        provider_type: ProviderType::Ngo,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-RAPVT",
        name: "Rede de Apoio e Proteção a Vítimas de Tráfico (centros de acolhimento)",
        provider_type: ProviderType::Social,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-HL-116006",
        name: "Linha de Apoio à Vítima 116 006",
        provider_type: ProviderType::Hotline,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-MNE-CONS",
        name: "Rede Consular - Ministério dos Negócios Estrangeiros",
        provider_type: ProviderType::Consular,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-IOM",
        name: "OIM - Organização Internacional para as Migrações (Portugal)",
        provider_type: ProviderType::InternationalOrganisation,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
    Spec {
        id: "PT-CNPDPCJ",
        name: "Comissão Nacional de Promoção dos Direitos e Proteção das Crianças e Jovens",
        provider_type: ProviderType::Social,
        nuts: "PT1A0",
        can_formally_identify: false,
        submits: V,
        valid_from: NETWORK_START,
        valid_to: None,
    },
];

impl Prov {
    pub(crate) fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }
}

/// A calendar date from a `(year, month, day)` triple of the tables above.
pub(crate) fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Builds the provider records with codes from `lists`.
pub(crate) fn build(lists: &Codelists) -> Result<Vec<DataProvider>, Error> {
    let country =
        Code::<Country>::parse("PT", lists).ok_or(Error::MissingCode { list: "country", code: "PT" })?;
    SPECS
        .iter()
        .map(|s| {
            let nuts = Code::<Nuts>::parse(s.nuts, lists)
                .ok_or(Error::MissingCode { list: "nuts", code: s.nuts })?;
            let id = ProviderId::new(s.id).ok_or(Error::Identifier(s.id))?;
            Ok(DataProvider {
                id,
                name: s.name.to_owned(),
                provider_type: s.provider_type,
                country,
                nuts: Some(nuts),
                can_formally_identify: s.can_formally_identify,
                submits: s.submits.iter().copied().collect::<BTreeSet<_>>(),
                valid_from: ymd(s.valid_from),
                valid_to: s.valid_to.map(ymd),
            })
        })
        .collect()
}
