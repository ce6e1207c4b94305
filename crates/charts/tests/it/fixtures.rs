//! Chart inputs shared by the tests, in English and Portuguese.

use charts::{Band, ChartSpec, Lang, Measure, PyramidSpec, Series, Value};

fn t(lang: Lang, en: &str, pt: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::Pt => pt.to_owned(),
    }
}

fn v(x: f64) -> Value {
    Value::new(x)
}

fn years(from: i32, to: i32) -> Vec<String> {
    (from..=to).map(|y| y.to_string()).collect()
}

/// One series by year, with a suppressed and a missing year.
pub(crate) fn victims_by_year(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Registered victims by year", "Vítimas registadas por ano"),
        subtitle: Some(t(
            lang,
            "Presumed and identified victims, 2018–2024",
            "Vítimas presumíveis e identificadas, 2018–2024",
        )),
        categories: years(2018, 2024),
        series: vec![Series {
            name: t(lang, "Victims", "Vítimas"),
            values: vec![
                v(1184.0),
                v(1320.0),
                v(987.0),
                Value::suppressed(),
                v(1512.0),
                Value::missing(),
                v(1745.0).with_flag("p"),
            ],
        }],
        y_label: Some(t(lang, "Number of victims", "Número de vítimas")),
        lang,
        width: 640,
        height: 360,
    }
}

/// Three series by year (grouped), one of them with a suppressed cell.
pub(crate) fn victims_by_sex(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Victims by sex", "Vítimas por sexo"),
        subtitle: None,
        categories: years(2020, 2024),
        series: vec![
            Series {
                name: t(lang, "Female", "Feminino"),
                values: vec![v(612.0), v(655.0), v(701.0), v(690.0), v(744.0)],
            },
            Series {
                name: t(lang, "Male", "Masculino"),
                values: vec![v(402.0), v(388.0), v(455.0), v(498.0), v(521.0)],
            },
            Series {
                name: t(lang, "Unknown", "Desconhecido"),
                values: vec![v(14.0), Value::suppressed(), v(9.0), v(11.0), v(6.0)],
            },
        ],
        y_label: Some(t(lang, "Victims", "Vítimas")),
        lang,
        width: 640,
        height: 360,
    }
}

/// Long category names (horizontal bars), two series.
pub(crate) fn forms_of_exploitation(lang: Lang) -> ChartSpec {
    let cats: [(&str, &str); 6] = [
        ("Sexual exploitation", "Exploração sexual"),
        ("Labour exploitation", "Exploração laboral"),
        ("Forced criminal activities", "Atividades criminosas forçadas"),
        ("Forced begging", "Mendicidade forçada"),
        ("Removal of organs", "Remoção de órgãos"),
        (
            "Other forms of exploitation, including forced marriage and illegal adoption",
            "Outras formas de exploração, incluindo casamento forçado e adoção ilegal",
        ),
    ];
    ChartSpec {
        title: t(lang, "Victims by form of exploitation, 2024", "Vítimas por forma de exploração, 2024"),
        subtitle: Some(t(
            lang,
            "A victim may be subject to several forms",
            "Uma vítima pode estar sujeita a várias formas",
        )),
        categories: cats.iter().map(|c| t(lang, c.0, c.1)).collect(),
        series: vec![
            Series {
                name: t(lang, "Female", "Feminino"),
                values: vec![v(1021.0), v(233.0), v(41.0), v(18.0), Value::suppressed(), v(57.0)],
            },
            Series {
                name: t(lang, "Male", "Masculino"),
                values: vec![v(64.0), v(812.0), v(73.0), v(22.0), Value::suppressed(), v(12.0)],
            },
        ],
        y_label: Some(t(lang, "Victims", "Vítimas")),
        lang,
        width: 640,
        height: 400,
    }
}

/// Stacked by citizenship, with a suppressed part.
pub(crate) fn by_citizenship(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Victims by citizenship", "Vítimas por nacionalidade"),
        subtitle: Some(t(
            lang,
            "Source: national referral mechanism",
            "Fonte: mecanismo nacional de referenciação",
        )),
        categories: years(2019, 2024),
        series: vec![
            Series {
                name: t(lang, "National", "Nacional"),
                values: vec![v(310.0), v(288.0), v(305.0), v(342.0), v(366.0), v(390.0)],
            },
            Series {
                name: t(lang, "Other EU country", "Outro país da UE"),
                values: vec![v(122.0), v(97.0), v(131.0), v(150.0), v(143.0), v(171.0)],
            },
            Series {
                name: t(lang, "Non-EU country", "País terceiro"),
                values: vec![v(402.0), v(355.0), Value::suppressed(), v(520.0), v(588.0), v(604.0)],
            },
        ],
        y_label: Some(t(lang, "Victims", "Vítimas")),
        lang,
        width: 640,
        height: 380,
    }
}

/// Stacked horizontally by region.
pub(crate) fn by_region(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(
            lang,
            "Victims by region and form of exploitation",
            "Vítimas por região e forma de exploração",
        ),
        subtitle: None,
        categories: vec![
            "Norte".into(),
            "Centro".into(),
            "Lisboa".into(),
            "Alentejo".into(),
            "Algarve".into(),
        ],
        series: vec![
            Series {
                name: t(lang, "Sexual", "Sexual"),
                values: vec![v(140.0), v(88.0), v(231.0), v(21.0), v(47.0)],
            },
            Series {
                name: t(lang, "Labour", "Laboral"),
                values: vec![v(95.0), v(61.0), v(120.0), v(184.0), v(66.0)],
            },
            Series {
                name: t(lang, "Other", "Outra"),
                values: vec![v(12.0), Value::suppressed(), v(19.0), v(8.0), v(5.0)],
            },
        ],
        y_label: Some(t(lang, "Victims", "Vítimas")),
        lang,
        width: 640,
        height: 340,
    }
}

/// Two series over ten years, with a suppressed and a missing period.
pub(crate) fn trend(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Victims and suspects, 2015–2024", "Vítimas e suspeitos, 2015–2024"),
        subtitle: None,
        categories: years(2015, 2024),
        series: vec![
            Series {
                name: t(lang, "Victims", "Vítimas"),
                values: [812.0, 890.0, 951.0, 1023.0, 1184.0, 987.0, 1102.0, 1320.0, 1512.0, 1745.0]
                    .map(v)
                    .to_vec(),
            },
            Series {
                name: t(lang, "Suspects", "Suspeitos"),
                values: vec![
                    v(301.0),
                    v(322.0),
                    Value::suppressed(),
                    v(356.0),
                    v(390.0),
                    Value::missing(),
                    v(344.0),
                    v(401.0),
                    v(455.0),
                    v(472.0),
                ],
            },
        ],
        y_label: Some(t(lang, "Persons", "Pessoas")),
        lang,
        width: 640,
        height: 360,
    }
}

/// Change rates with negative values.
pub(crate) fn change_rates(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Annual change in registered victims", "Variação anual das vítimas registadas"),
        subtitle: Some(t(
            lang,
            "Percent change on the previous year",
            "Variação percentual face ao ano anterior",
        )),
        categories: years(2016, 2024),
        series: vec![Series {
            name: t(lang, "Change", "Variação"),
            values: [9.6, 6.9, 7.6, 15.7, -16.6, 11.7, 19.8, 14.5, 15.4].map(v).to_vec(),
        }],
        y_label: Some("%".into()),
        lang,
        width: 640,
        height: 340,
    }
}

/// History to 2024 and a projection for 2025–2027.
pub(crate) fn projection(lang: Lang) -> (ChartSpec, Band) {
    let mut spec = trend(lang);
    spec.title = t(lang, "Registered victims with projection", "Vítimas registadas com projeção");
    spec.subtitle =
        Some(t(lang, "Projection with 80% prediction interval", "Projeção com intervalo de previsão de 80%"));
    spec.categories = years(2015, 2027);
    spec.series.truncate(1);
    let band = Band {
        from_index: 10,
        point: vec![1850.4, 1962.1, 2071.8],
        lower: vec![1640.2, 1688.9, 1722.5],
        upper: vec![2060.6, 2235.3, 2421.1],
    };
    (spec, band)
}

/// Counts by age group and sex, with a suppressed cell and unknown sex.
pub(crate) fn pyramid_counts(lang: Lang) -> PyramidSpec {
    let ages = ["0–4", "5–9", "10–14", "15–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65+"];
    PyramidSpec {
        title: t(lang, "Victims by age and sex, 2024", "Vítimas por idade e sexo, 2024"),
        subtitle: None,
        age_groups: ages.iter().map(|a| (*a).to_owned()).collect(),
        male: vec![
            v(8.0),
            v(12.0),
            v(31.0),
            v(44.0),
            v(126.0),
            v(171.0),
            v(98.0),
            v(51.0),
            v(17.0),
            Value::suppressed(),
        ],
        female: vec![
            v(11.0),
            v(15.0),
            v(52.0),
            v(96.0),
            v(241.0),
            v(208.0),
            v(112.0),
            v(46.0),
            v(14.0),
            v(4.0),
        ],
        unknown_sex: Some(v(23.0)),
        measure: Measure::Count,
        value_label: Some(t(lang, "Victims", "Vítimas")),
        lang,
        width: 640,
        height: 420,
    }
}

/// Shares (percent of the total) by age group and sex.
pub(crate) fn pyramid_shares(lang: Lang) -> PyramidSpec {
    let ages =
        [("Under 18", "Menos de 18"), ("18–29", "18–29"), ("30–49", "30–49"), ("50 and over", "50 e mais")];
    PyramidSpec {
        title: t(lang, "Share of victims by age and sex", "Percentagem de vítimas por idade e sexo"),
        subtitle: Some(t(
            lang,
            "Percent of all victims of known sex and age",
            "Percentagem do total de vítimas de sexo e idade conhecidos",
        )),
        age_groups: ages.iter().map(|a| t(lang, a.0, a.1)).collect(),
        male: [7.4, 14.9, 12.2, 4.1].map(v).to_vec(),
        female: [13.8, 24.6, 17.5, 5.5].map(v).to_vec(),
        unknown_sex: Some(Value::suppressed()),
        measure: Measure::Percent,
        value_label: Some(t(lang, "Percent of victims", "Percentagem de vítimas")),
        lang,
        width: 560,
        height: 320,
    }
}

/// A spec without categories.
pub(crate) fn empty(lang: Lang) -> ChartSpec {
    ChartSpec {
        title: t(lang, "Victims by year", "Vítimas por ano"),
        subtitle: Some(t(lang, "No records for the selection", "Sem registos para a seleção")),
        categories: Vec::new(),
        series: Vec::new(),
        y_label: None,
        lang,
        width: 480,
        height: 240,
    }
}

/// Values of a sparkline, with a gap.
pub(crate) fn spark_values() -> Vec<Option<f64>> {
    vec![
        Some(812.0),
        Some(890.0),
        Some(951.0),
        Some(1023.0),
        None,
        Some(987.0),
        Some(1102.0),
        Some(1320.0),
        Some(1512.0),
        Some(1745.0),
    ]
}
