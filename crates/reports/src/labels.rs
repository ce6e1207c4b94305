//! Labels of dimensions and codes in the report's language (codelists carry English and
//! Portuguese labels; providers are labelled by their registered names).

use std::collections::BTreeMap;

use model::{Codelists, Lang};
use stats::{Dim, TOTAL};

/// Labels codes for one language.
#[derive(Clone, Debug)]
pub struct Labeller<'a> {
    lists: &'a Codelists,
    lang: Lang,
    providers: BTreeMap<String, String>,
}

impl<'a> Labeller<'a> {
    /// A labeller; `providers` maps provider ids to names.
    pub fn new(lists: &'a Codelists, lang: Lang, providers: BTreeMap<String, String>) -> Labeller<'a> {
        Labeller { lists, lang, providers }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The codelists.
    pub fn lists(&self) -> &'a Codelists {
        self.lists
    }

    fn pt(&self) -> bool {
        self.lang == Lang::Pt
    }

    /// A fixed phrase in the report's language.
    pub fn text(&self, en: &'static str, pt: &'static str) -> &'static str {
        if self.pt() { pt } else { en }
    }

    /// The label of a code of a dimension.
    pub fn code(&self, dim: Dim, code: &str) -> String {
        if code == TOTAL {
            return "Total".to_string();
        }
        if code == "_Z" {
            return self.text("Not applicable", "Não aplicável").to_string();
        }
        if dim == Dim::Provider {
            return self.providers.get(code).cloned().unwrap_or_else(|| code.to_string());
        }
        let list = dim.codelist();
        if let Some(label) = list.and_then(|l| self.lists.label(l, code, self.lang)) {
            return label.to_string();
        }
        // Citizenship extras live in the citizenship-group list.
        if let Some(label) = self.lists.label("citizenship_group", code, self.lang) {
            return label.to_string();
        }
        code.to_string()
    }

    /// The label of a dimension.
    pub fn dim(&self, dim: Dim) -> String {
        use stats::{Granularity, NutsLevel};
        let (en, pt) = match dim {
            Dim::Provider => ("Data provider", "Entidade"),
            Dim::ProviderType => ("Type of data provider", "Tipo de entidade"),
            Dim::Sex => ("Sex", "Sexo"),
            Dim::AgeGroup => ("Age group", "Grupo etário"),
            Dim::Status => ("Status", "Situação"),
            Dim::VictimCategory => ("Victim category", "Categoria de vítima"),
            Dim::Exploitation => ("Form of exploitation", "Forma de exploração"),
            Dim::ExploitationGroup => ("Form of exploitation (Eurostat)", "Forma de exploração (Eurostat)"),
            Dim::Citizenship => ("Citizenship", "Nacionalidade"),
            Dim::CitizenshipGroup => ("Citizenship group", "Grupo de nacionalidade"),
            Dim::CountryOfRecruitment => ("Country of recruitment", "País de recrutamento"),
            Dim::CountryOfExploitation => ("Country of exploitation", "País de exploração"),
            Dim::Nuts(NutsLevel::One) => ("Region of exploitation (NUTS 1)", "Região de exploração (NUTS 1)"),
            Dim::Nuts(NutsLevel::Two) => ("Region of exploitation (NUTS 2)", "Região de exploração (NUTS 2)"),
            Dim::Nuts(NutsLevel::Three) => {
                ("Region of exploitation (NUTS 3)", "Região de exploração (NUTS 3)")
            }
            Dim::DetectionNuts(_) => ("Region of detection", "Região de deteção"),
            Dim::District => ("District", "Distrito"),
            Dim::CountryRole => ("Role of the country", "Papel do país"),
            Dim::LabourSector => ("Labour sector", "Setor de atividade"),
            Dim::Assistance => ("Received assistance", "Recebeu apoio"),
            Dim::ReflectionPeriod => ("Reflection period", "Período de reflexão"),
            Dim::ResidencePermit => ("Residence permit", "Autorização de residência"),
            Dim::MinorAtExploitation => ("Minor at exploitation", "Menor à data da exploração"),
            Dim::Period(Granularity::Month) => ("Month", "Mês"),
            Dim::Period(Granularity::Quarter) => ("Quarter", "Trimestre"),
            Dim::Period(Granularity::Year) => ("Year", "Ano"),
            Dim::PersonType => ("Natural or legal person", "Pessoa singular ou coletiva"),
            Dim::OrganisedCrime => ("Organised crime", "Criminalidade organizada"),
            Dim::ProsecutionStatus => ("Prosecution status", "Situação processual"),
            Dim::ProsecutionOutcome => ("Outcome", "Resultado"),
            Dim::Instance => ("Instance", "Instância"),
            Dim::DecisionType => ("Decision", "Decisão"),
            Dim::SentenceType => ("Sentence", "Pena"),
            Dim::OffenceNuts(_) => ("Region of the offence", "Região do crime"),
        };
        self.text(en, pt).to_string()
    }

    /// The label of a measure.
    pub fn measure(&self, m: stats::Measure) -> &'static str {
        use stats::Measure::*;
        match m {
            Registrations => self.text("Victim registrations", "Registos de vítimas"),
            Persons => self.text("Victims (persons, de-duplicated)", "Vítimas (pessoas, sem duplicados)"),
            Suspects => self.text("Suspects", "Suspeitos"),
            Prosecuted => self.text("Prosecuted persons", "Pessoas acusadas"),
            FinalisedProsecutions => self.text("Finalised prosecutions", "Processos findos"),
            Convicted => self.text("Convicted persons", "Pessoas condenadas"),
        }
    }
}
