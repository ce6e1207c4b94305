//! The fixed wording of the XLSX and HTML outputs, in English and Portuguese.

use charts::Lang;
use reports::{Disclosure, Method, Report};

/// Fixed words of one language.
pub(crate) struct Words {
    pub(crate) contents: &'static str,
    pub(crate) title: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) period: &'static str,
    pub(crate) all_periods: &'static str,
    pub(crate) audience: &'static str,
    pub(crate) disclosure: &'static str,
    pub(crate) counting_rules: &'static str,
    pub(crate) data_version: &'static str,
    pub(crate) generated_at: &'static str,
    pub(crate) reporting_country: &'static str,
    pub(crate) codelists: &'static str,
    pub(crate) language: &'static str,
    pub(crate) request: &'static str,
    pub(crate) change: &'static str,
    pub(crate) change_pct: &'static str,
    pub(crate) notes: &'static str,
    pub(crate) symbols: &'static str,
    pub(crate) total: &'static str,
    pub(crate) withheld_primary: &'static str,
    pub(crate) withheld_secondary: &'static str,
    pub(crate) withheld_other: &'static str,
    pub(crate) legend_c: &'static str,
    pub(crate) legend_k: &'static str,
    pub(crate) legend_missing: &'static str,
    pub(crate) legend_change: &'static str,
    pub(crate) cell_key: &'static str,
    pub(crate) no_boundaries: &'static str,
    pub(crate) codes_used: &'static str,
    pub(crate) dimension: &'static str,
    pub(crate) code: &'static str,
    pub(crate) label: &'static str,
    pub(crate) threshold: &'static str,
    pub(crate) ckm_variance: &'static str,
    pub(crate) ckm_js: &'static str,
    pub(crate) method: &'static str,
}

const EN: Words = Words {
    contents: "Contents",
    title: "Title",
    kind: "Kind of report",
    period: "Period",
    all_periods: "all periods",
    audience: "Audience",
    disclosure: "Disclosure control",
    counting_rules: "Counting rules",
    data_version: "Data version",
    generated_at: "Generated at",
    reporting_country: "Reporting country",
    codelists: "Codelist bundle",
    language: "Language",
    request: "Request (JSON)",
    change: "Change",
    change_pct: "Change (%)",
    notes: "Notes",
    symbols: "Symbols",
    total: "Total",
    withheld_primary: "withheld: a small count (primary suppression)",
    withheld_secondary: "withheld so that small counts cannot be derived (secondary suppression)",
    withheld_other: "withheld (confidential)",
    legend_c: "c: confidential, value withheld to protect persons",
    legend_k: "All values are protected by the cell key method: they may differ slightly from the counts, \
               the same cell has the same value in every table, and totals are protected on their own, so \
               rows may not add up.",
    legend_missing: "–: not available",
    legend_change: "Change: against the previous period, computed from the published values (blank when \
                    either is withheld or the previous period is before the table; a period missing inside the \
                    table had nobody in it).",
    cell_key: "Values protected by the cell key method: they may differ slightly from the counts.",
    no_boundaries: "Map not shown: no boundaries are loaded for these regions.",
    codes_used: "Codes used",
    dimension: "Dimension",
    code: "Code",
    label: "Label",
    threshold: "Threshold (counts from 1 to k−1 withheld), k",
    ckm_variance: "Cell key method: noise variance",
    ckm_js: "Cell key method: counts never published, from 1 to",
    method: "Method",
};

const PT: Words = Words {
    contents: "Índice",
    title: "Título",
    kind: "Tipo de relatório",
    period: "Período",
    all_periods: "todos os períodos",
    audience: "Destinatários",
    disclosure: "Controlo da divulgação",
    counting_rules: "Regras de contagem",
    data_version: "Versão dos dados",
    generated_at: "Gerado em",
    reporting_country: "País declarante",
    codelists: "Conjunto de listas de códigos",
    language: "Língua",
    request: "Pedido (JSON)",
    change: "Variação",
    change_pct: "Variação (%)",
    notes: "Notas",
    symbols: "Símbolos",
    total: "Total",
    withheld_primary: "omitido: contagem pequena (supressão primária)",
    withheld_secondary: "omitido para que contagens pequenas não possam ser deduzidas (supressão secundária)",
    withheld_other: "omitido (confidencial)",
    legend_c: "c: confidencial, valor omitido para proteger as pessoas",
    legend_k: "Todos os valores estão protegidos pelo método da chave de célula: podem diferir ligeiramente \
               das contagens, a mesma célula tem o mesmo valor em todos os quadros e os totais são protegidos \
               à parte, pelo que as linhas podem não somar.",
    legend_missing: "–: não disponível",
    legend_change: "Variação: face ao período anterior, calculada sobre os valores publicados (em branco quando \
                    um deles é omitido ou o período anterior é anterior ao quadro; um período em falta dentro do \
                    quadro não teve ninguém).",
    cell_key: "Valores protegidos pelo método da chave de célula: podem diferir ligeiramente das contagens.",
    no_boundaries: "Mapa não apresentado: não há limites carregados para estas regiões.",
    codes_used: "Códigos utilizados",
    dimension: "Dimensão",
    code: "Código",
    label: "Designação",
    threshold: "Limiar (contagens de 1 a k−1 omitidas), k",
    ckm_variance: "Método da chave de célula: variância do ruído",
    ckm_js: "Método da chave de célula: contagens nunca publicadas, de 1 a",
    method: "Método",
};

/// The wording for `lang`.
pub(crate) fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Pt => &PT,
    }
}

/// The audience in words.
pub(crate) fn audience(id: &str, lang: Lang) -> String {
    let (en, pt) = match id {
        "provider" => (
            "a data provider, about its own data (exact counts)",
            "uma entidade, sobre os seus dados (contagens exatas)",
        ),
        "national" => (
            "authorised national analysts (exact counts)",
            "analistas nacionais autorizados (contagens exatas)",
        ),
        "public" => ("the public", "o público"),
        "eu" => ("the European level", "o nível europeu"),
        other => return other.to_string(),
    };
    match lang {
        Lang::En => en.to_string(),
        Lang::Pt => pt.to_string(),
    }
}

/// The disclosure control in words.
pub(crate) fn disclosure(d: &Disclosure, lang: Lang) -> String {
    let pt = lang == Lang::Pt;
    match d.method {
        Method::Exact => if pt {
            "Contagens exatas, apenas para utilizadores autorizados."
        } else {
            "Exact counts, for authorised users only."
        }
        .to_string(),
        Method::CellKey => {
            let js = d.ckm_js.map(|j| j.to_string()).unwrap_or_else(|| "?".into());
            if pt {
                format!(
                    "Método da chave de célula: cada valor recebe um pequeno desvio, o mesmo para a mesma célula em \
                     todos os quadros; as contagens de 1 a {js} nunca são publicadas; os zeros mantêm-se."
                )
            } else {
                format!(
                    "Cell key method: every value gets a small deviation, the same for the same cell in every \
                     table; counts from 1 to {js} are never published; zeros stay zeros."
                )
            }
        }
        Method::Suppression => {
            let k1 = d.k.map(|k| k.saturating_sub(1).to_string()).unwrap_or_else(|| "?".into());
            if pt {
                format!(
                    "Supressão: as contagens de 1 a {k1} são omitidas (c, primária) e outras células são omitidas \
                     (c, secundária) para que não possam ser deduzidas dos valores publicados."
                )
            } else {
                format!(
                    "Suppression: counts from 1 to {k1} are withheld (c, primary), and further cells are withheld \
                     (c, secondary) so that they cannot be derived from the published values."
                )
            }
        }
    }
}

/// The method id written in metadata rows.
pub(crate) fn method_id(m: Method) -> &'static str {
    match m {
        Method::Exact => "exact",
        Method::CellKey => "cell_key",
        Method::Suppression => "suppression",
    }
}

/// The report period in words.
pub(crate) fn period(report: &Report, lang: Lang) -> String {
    report.spec.period.clone().unwrap_or_else(|| words(lang).all_periods.to_string())
}
