//! Language of map text: number formatting and the fixed words of legends and notes.
//!
//! Numbers follow the conventions of the `charts` crate: English `1,234.5`; Portuguese
//! `1 234,5` with U+202F NARROW NO-BREAK SPACE as group separator; U+2212 MINUS SIGN for
//! negatives; a number that rounds to zero has no sign.

/// Language of the map's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Portuguese (pt-PT).
    Pt,
}

impl Lang {
    /// The BCP 47 tag written to the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Pt => "pt",
        }
    }

    pub(crate) fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Pt => &PT,
        }
    }
}

/// Fixed wording per language.
pub(crate) struct Words {
    pub(crate) no_data: &'static str,
    pub(crate) confidential: &'static str,
    pub(crate) not_on_map: &'static str,
    pub(crate) within: &'static str,
    pub(crate) choropleth_desc: &'static str,
    pub(crate) flows_desc: &'static str,
    pub(crate) classes: &'static str,
    pub(crate) from_to: (&'static str, &'static str),
    pub(crate) without_data: &'static str,
    pub(crate) confidential_count: &'static str,
    pub(crate) regions: &'static str,
    pub(crate) flows: &'static str,
}

static EN: Words = Words {
    no_data: "No data",
    confidential: "Confidential",
    not_on_map: "Not on the map",
    within: "Within the same area",
    choropleth_desc: "Choropleth map",
    flows_desc: "Flow map",
    classes: "classes by natural breaks (Jenks)",
    from_to: ("from", "to"),
    without_data: "without data",
    confidential_count: "confidential",
    regions: "regions with data",
    flows: "flows",
};

static PT: Words = Words {
    no_data: "Sem dados",
    confidential: "Confidencial",
    not_on_map: "Fora do mapa",
    within: "Na mesma área",
    choropleth_desc: "Mapa coroplético",
    flows_desc: "Mapa de fluxos",
    classes: "classes por quebras naturais (Jenks)",
    from_to: ("de", "a"),
    without_data: "sem dados",
    confidential_count: "confidenciais",
    regions: "regiões com dados",
    flows: "fluxos",
};

/// `value` with exactly `decimals` decimals (at most 6) and grouped thousands in `lang`:
/// `format_number(1234.5, 1, Lang::En)` is `1,234.5`, in Portuguese `1 234,5` (U+202F).
/// Non-finite values give an en dash.
pub fn format_number(value: f64, decimals: u8, lang: Lang) -> String {
    if !value.is_finite() {
        return "\u{2013}".to_owned();
    }
    let decimals = usize::from(decimals.min(6));
    let plain = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let nonzero = plain.bytes().any(|b| matches!(b, b'1'..=b'9'));
    let (group, dec) = match lang {
        Lang::En => (',', '.'),
        Lang::Pt => ('\u{202F}', ','),
    };
    let mut out = String::with_capacity(plain.len() + 8);
    if value < 0.0 && nonzero {
        out.push('\u{2212}');
    }
    let digits = int.as_bytes();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(char::from(*d));
    }
    if let Some(frac) = frac {
        out.push(dec);
        out.push_str(frac);
    }
    out
}
