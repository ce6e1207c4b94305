//! Hand-checkable fits, CSV errors, list merging, intervals and determinism.

use mse::{
    CaptureHistories, Error, IntervalMethod, Model, Options, ParseError, Selection, Warning, check_existence,
    choose, estimate, estimate_with_progress, fit, read_csv,
};

use crate::published::load;

fn names(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

#[test]
fn lincoln_petersen() {
    // n1 = 40, n2 = 30, m = 10: N = n1 n2 / m = 120.
    let ch = CaptureHistories::from_patterns(names(&["a", "b"]), [(1, 30), (2, 20), (3, 10)]).unwrap();
    let f = fit(&ch, &Model::main_effects(2)).unwrap();
    assert!((f.total - 120.0).abs() < 1e-8, "{}", f.total);
    assert!((f.hidden - 60.0).abs() < 1e-8);
    assert_eq!(f.df, 0);
    // Saturated for 3 cells: deviance 0.
    assert!(f.deviance.abs() < 1e-9);
    // Wald: var(log hidden) = 1/m + 1/n10 + 1/n01 = 1/10 + 1/30 + 1/20 (log-linear algebra).
    let se = (0.1f64 + 1.0 / 30.0 + 1.0 / 20.0).sqrt();
    assert!((f.se_log_hidden - se).abs() < 1e-8, "{} vs {se}", f.se_log_hidden);
    let e = estimate(&ch, &Options { selection: Selection::MainEffects, ..Options::default() }).unwrap();
    let (lo, hi) = e.interval.unwrap();
    assert!((lo - (60.0 + (60f64.ln() - 1.959_963_984_540_054 * se).exp())).abs() < 1e-6);
    assert!(hi > 120.0);
}

#[test]
fn csv_formats_and_errors() {
    let ok = "A;B;Count\n1;0;5\n0;1;4\n1;1;2\n1;1;1\n0;0;0\n";
    let ch = read_csv(ok.as_bytes()).unwrap();
    assert_eq!(ch.counts(), &[0, 5, 4, 3]);
    let q = "\u{feff}\"count\", \"x\" ,y\r\n3,1,1\r\n\r\n";
    assert_eq!(read_csv(q.as_bytes()).unwrap().counts(), &[0, 0, 0, 3]);
    let err = |s: &str| read_csv(s.as_bytes()).unwrap_err();
    assert_eq!(err("A,B,count\n1,2,3\n"), ParseError::NotBinary { row: 2, column: "B".into() });
    assert_eq!(err("A,B,count\n1,0,3\n1,1,-1\n"), ParseError::BadCount { row: 3, column: "count".into() });
    assert_eq!(err("A,B,count\n0,0,3\n"), ParseError::DarkFigure { row: 2 });
    assert_eq!(err("A,B,count\n1,0\n"), ParseError::FieldCount { row: 2, expected: 3, found: 2 });
    assert_eq!(err("A,B,n\n1,0,1\n"), ParseError::NoCountColumn);
    assert_eq!(err("A,count\n1,1\n"), ParseError::ListCount { found: 1 });
    assert_eq!(
        err("A,A,count\n"),
        ParseError::BadListName { column: 2, rule: "two list columns have the same name" }
    );
    assert_eq!(err(""), ParseError::Empty);
    let msg = err("A,B,count\n1,x7,3\n").to_string();
    assert!(msg.contains("row 2") && msg.contains("`B`") && !msg.contains("x7"), "{msg}");
}

#[test]
fn csv_never_panics_on_random_bytes() {
    // A small xorshift generator: random bytes and random mutations of a valid table.
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let base = b"A,B,C,count\n1,0,0,5\n0,1,1,3\n1,1,1,2\n".to_vec();
    let alphabet = b"01,;\n\r\"count AB-9\xff";
    for i in 0..5_000 {
        let bytes: Vec<u8> = if i % 2 == 0 {
            (0..next() % 80).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
        } else {
            let mut b = base.clone();
            for _ in 0..1 + next() % 4 {
                let k = (next() % b.len() as u64) as usize;
                b[k] = alphabet[(next() % alphabet.len() as u64) as usize];
            }
            b
        };
        let _ = read_csv(bytes.as_slice());
    }
}

#[test]
fn merge_and_drop() {
    let ch = load("kosovo_1999_4lists.csv");
    let m = ch.merge(&[vec![0], vec![1, 3], vec![2]], &names(&["EXH", "ABA+HRW", "OSCE"])).unwrap();
    assert_eq!(m.observed(), ch.observed());
    let ov = m.overlaps();
    let orig = ch.overlaps();
    assert_eq!(ov.size(0), orig.size(0));
    assert_eq!(
        ov.size(1),
        ch.counts().iter().enumerate().filter(|(k, _)| k & 0b1010 != 0).map(|(_, c)| c).sum()
    );
    let d = ch.drop_list(3).unwrap();
    assert_eq!(d.t(), 3);
    assert_eq!(d.observed(), ch.observed() - ch.counts()[0b1000]);
    assert!(ch.merge(&[vec![0, 1]], &names(&["x"])).is_err());
    assert_eq!(orig.pairwise[0][1], 177 + 181 + 18 + 27);
}

#[test]
fn fixed_model_that_cannot_be_estimated() {
    let ch = load("artificial_3lists.csv");
    let m = Model::from_hierarchy(3, "[12,3]").unwrap();
    assert_eq!(check_existence(&ch, &m).code(), 1);
    assert!(matches!(fit(&ch, &m), Err(Error::NotEstimable { code: 1, .. })));
    let e = estimate(&ch, &Options { selection: Selection::Fixed(m), ..Options::default() });
    assert!(matches!(e, Err(Error::NotEstimable { .. })));
    // The extended MLE: [13,23] drops the cells with both 1&3 or 2&3.
    let f = fit(&ch, &Model::from_hierarchy(3, "[13,23]").unwrap()).unwrap();
    assert_eq!(f.neg_inf_terms, vec![0b101, 0b110]);
    assert_eq!(f.fitted[0b111], 0.0);
    assert_eq!(f.coefficient(0b101), Some(f64::NEG_INFINITY));
}

#[test]
fn aic_stepwise_and_profile() {
    let ch = load("kosovo_1999_4lists.csv");
    let c = choose(&ch, &Selection::stepwise_aic()).unwrap();
    eprintln!("kosovo AIC stepwise: {} total {:.1}", c.fit.model.display_with(ch.lists()), c.fit.total);
    assert!(!c.fit.model.terms().is_empty());
    let main = mse::fit(&ch, &Model::main_effects(4)).unwrap();
    assert!(c.fit.aic < main.aic);
    let e = estimate(
        &ch,
        &Options {
            selection: Selection::stepwise_aic(),
            interval: IntervalMethod::Profile,
            ..Options::default()
        },
    )
    .unwrap();
    let (lo, hi) = e.interval.unwrap();
    assert!(lo < e.total && e.total < hi, "{lo} {} {hi}", e.total);
    let w = estimate(&ch, &Options { selection: Selection::stepwise_aic(), ..Options::default() }).unwrap();
    let (wlo, whi) = w.interval.unwrap();
    // Profile and Wald agree roughly on a large sample.
    assert!((lo / wlo - 1.0).abs() < 0.1 && (hi / whi - 1.0).abs() < 0.1, "{lo} {hi} vs {wlo} {whi}");
}

#[test]
fn bootstrap_is_deterministic_whatever_the_threads() {
    let ch = load("korea_palembang_3lists.csv");
    let opts = |threads| Options {
        selection: Selection::stepwise_p(),
        interval: IntervalMethod::Bootstrap { resamples: 60, seed: 7 },
        threads: Some(threads),
        ..Options::default()
    };
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let a = estimate_with_progress(&ch, &opts(1), &|_| {
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(calls.into_inner(), 60);
    let b = estimate(&ch, &opts(3)).unwrap();
    assert_eq!(a, b);
    let c =
        estimate(&ch, &Options { interval: IntervalMethod::Bootstrap { resamples: 60, seed: 8 }, ..opts(2) })
            .unwrap();
    assert_ne!(a.interval, c.interval);
}

#[test]
fn warnings_in_plain_words() {
    let ch = load("western_us_5lists.csv");
    let e = estimate(&ch, &Options::default()).unwrap();
    assert!(e.warnings.iter().any(|w| matches!(w, Warning::EmptyOverlaps { .. })));
    for w in &e.warnings {
        assert!(!w.to_string().is_empty());
    }
    assert_eq!(mse::Assumptions::ALL.len(), 4);
    let small = CaptureHistories::from_patterns(names(&["a", "b"]), [(1, 3), (2, 20), (3, 2)]).unwrap();
    let e = estimate(&small, &Options::default()).unwrap();
    assert!(e.warnings.iter().any(|w| matches!(w, Warning::SmallList { .. })));
    assert!(e.warnings.iter().any(|w| matches!(w, Warning::FewOverlaps { .. })));
}

#[test]
fn eight_lists_work() {
    // Deterministic synthetic 8-list data: every pattern with a count from its mask.
    let patterns = (1u32..256)
        .map(|m| (m, u64::from((m.wrapping_mul(2_654_435_761) >> 7) % 7) * u64::from(9 - m.count_ones())));
    let ch = CaptureHistories::from_patterns((0..8).map(|i| format!("L{i}")).collect(), patterns).unwrap();
    let e = estimate(&ch, &Options::default()).unwrap();
    assert!(e.total >= e.observed as f64 && e.total.is_finite());
}
