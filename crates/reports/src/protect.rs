//! Disclosure control by audience for ad-hoc reports: exact counts for providers and national
//! analysts, the cell key method for the public and the EU (releases use suppression instead:
//! see [`crate::release`]).

use serde::Serialize;
use stats::Flag;

use crate::spec::Audience;
use crate::{Error, GridValue, Report};

/// The method a report was protected with.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Exact counts (authorised audiences).
    Exact,
    /// Cell key method: each cell perturbed by a keyed function of the units in it.
    CellKey,
    /// Threshold rule and secondary suppression (releases).
    Suppression,
}

/// What disclosure control a report carries (in every output's metadata). The maximum
/// deviation of the cell key method is deliberately not published.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Disclosure {
    /// The audience.
    pub audience: String,
    /// The method.
    pub method: Method,
    /// Threshold of the primary rule (suppression): counts 1..k-1 are withheld.
    pub k: Option<u64>,
    /// Variance of the cell key noise.
    pub ckm_variance: Option<f64>,
    /// Counts 1..=js are never published by the cell key method.
    pub ckm_js: Option<u32>,
    /// In words.
    pub note: String,
}

impl Disclosure {
    /// Exact counts, before any audience is decided.
    pub fn exact() -> Disclosure {
        Disclosure {
            audience: Audience::National.id().to_string(),
            method: Method::Exact,
            k: None,
            ckm_variance: None,
            ckm_js: None,
            note: "exact counts, for authorised users only".to_string(),
        }
    }
}

/// Applies the audience's disclosure control to an ad-hoc report: exact for `provider` and
/// `national`; the cell key method for `public` and `eu` (every cell, margins included, is
/// perturbed on its own from its count and cell key; zeros stay zeros; no published 1..=js).
/// Sections of model outputs (estimates) are not perturbed: they must have been computed for a
/// protected audience (rounded, see `estimate`), else the report is refused.
pub fn protect(report: &mut Report, audience: Audience, ptable: &sdc::PTable) -> Result<(), Error> {
    let was_protected = report.spec.audience.is_protected();
    report.spec.audience = audience;
    report.meta.spec = serde_json::to_value(&report.spec).unwrap_or(serde_json::Value::Null);
    if !audience.is_protected() {
        for s in &mut report.sections {
            if let Some(t) = &mut s.table {
                t.publish_exact();
            }
        }
        report.meta.disclosure = Disclosure { audience: audience.id().to_string(), ..Disclosure::exact() };
        return Ok(());
    }
    let pt = report.meta.lang == "pt";
    if !was_protected && report.sections.iter().any(|s| s.model_output) {
        return Err(Error::Spec(format!(
            "the model outputs of this report were computed for an exact audience; run it for the {} audience",
            audience.id()
        )));
    }
    let analysis = report.spec.kind.is_analysis();
    for s in &mut report.sections {
        if s.model_output {
            // Analysis statistics were computed from the published counts (their own notes say so).
            if analysis
                || !s
                    .grid
                    .as_ref()
                    .is_some_and(|g| g.rows.iter().flatten().any(|v| matches!(v, GridValue::Int(_))))
            {
                continue;
            }
            s.notes.push(
                if pt {
                    "Resultado de modelo, não perturbado (arredondado para este público)."
                } else {
                    "A model output, not perturbed (rounded for this audience)."
                }
                .to_string(),
            );
            continue;
        }
        if s.grid.is_some() {
            return Err(Error::Spec(format!(
                "section `{}` holds values for analysts only and cannot be given to the {} audience",
                s.id,
                audience.id()
            )));
        }
        if let Some(t) = &mut s.table {
            perturb_table(t, ptable);
        }
        s.notes.push(
            if pt {
                "Valores protegidos pelo método da chave de célula: pequenos desvios de aparência aleatória, iguais \
                 para a mesma célula em todos os quadros; os totais são protegidos à parte, pelo que as linhas podem \
                 não somar."
            } else {
                "Values are protected by the cell key method: small random-looking deviations, the same for the same \
                 cell in every table; totals are protected on their own, so rows may not add up."
            }
            .to_string(),
        );
    }
    let p = ptable.params();
    report.meta.disclosure = Disclosure {
        audience: audience.id().to_string(),
        method: Method::CellKey,
        k: None,
        ckm_variance: Some(p.v),
        ckm_js: Some(p.js),
        note: if pt {
            format!(
                "método da chave de célula: ruído de variância {}, contagens de 1 a {} nunca publicadas, zeros mantidos",
                p.v, p.js
            )
        } else {
            format!(
                "cell key method: noise of variance {}, counts 1 to {} never published, zeros kept",
                p.v, p.js
            )
        },
    };
    Ok(())
}

/// The cell key method on every cell of a table (margins included), from its count and cell
/// key: the same cell always gets the same value, so perturbing twice changes nothing.
pub(crate) fn perturb_table(t: &mut stats::Table, ptable: &sdc::PTable) {
    for c in &mut t.cells {
        let key = sdc::CellKey(u64::from(c.key) << 32);
        let v = ptable.perturb(c.count, key);
        c.value = Some(v);
        c.flag = if v == c.count { Flag::Exact } else { Flag::Perturbed };
    }
}
