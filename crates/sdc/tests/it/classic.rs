//! The classic differencing cases of privacy.md §2.8, each with a negative control where one
//! makes sense: the audit must find the disclosure when the protection is left out.

use sdc::{
    CellSpec, Error, Problem, Role, SingletonRule, Status, audit, audit_knowing, determined,
    determined_knowing, protect,
};

use crate::support::{Dim, Release, assert_safe, primary_only, suppressed};

fn set_role(r: &mut Release, prefix: &str, role: Role) {
    for (c, l) in r.labels.iter().enumerate() {
        if l.starts_with(prefix) {
            r.cells[c].role = role;
        }
    }
}

/// (a) 2×2 with margins and one primary: the whole interior rectangle is suppressed, margins are
/// published, nothing is pinned; with primary suppression only the cell is recovered.
#[test]
fn a_two_by_two_suppresses_the_rectangle() {
    let counts = [[1, 6], [7, 8]];
    let mut r = Release::new(vec![Dim::flat(2), Dim::flat(2)], |c| counts[c[0]][c[1]]);
    r.table("T", &[0, 1], &[], Role::Candidate);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[r.id("T(0,0)")], Status::Primary);
    for cell in ["T(0,1)", "T(1,0)", "T(1,1)"] {
        assert_eq!(s[r.id(cell)], Status::Secondary, "{cell}");
    }
    for cell in ["T(0,*)", "T(1,*)", "T(*,0)", "T(*,1)", "T(*,*)"] {
        assert_eq!(s[r.id(cell)], Status::Published, "{cell}");
    }
    assert_safe(&p, &s, true);
    let a = audit(&p, &s).unwrap();
    let primary = a.cells.iter().find(|c| c.cell == r.id("T(0,0)")).unwrap();
    assert!(primary.min.abs() < 1e-6 && (primary.max - 7.0).abs() < 1e-6, "{primary:?}");
    assert!(a.exposed_small().is_empty());

    // Negative control: without secondary suppression the margins give the cell away.
    let naive = primary_only(&p);
    assert_eq!(determined(&p, &naive).unwrap(), vec![r.id("T(0,0)")]);
    let a = audit(&p, &naive).unwrap();
    assert_eq!(a.pinned().len(), 1);
    assert!((a.pinned()[0].min - 1.0).abs() < 1e-6);
    assert_eq!(a.exposed_small().len(), 1);
}

/// (b) Hierarchy country → region → total: a small region is recovered from the total and the
/// other region unless a cell of the other branch is suppressed too.
#[test]
fn b_hierarchy_region_country() {
    let geo = || Dim::hier(&[&[0, 1, 2], &[3, 4, 5]]);
    let counts = [12, 9, 15, 1, 2, 0];
    let mut r = Release::new(vec![geo()], |c| counts[c[0]]);
    r.table("G", &[0], &[], Role::Candidate);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[r.id("G(G1)")], Status::Primary);
    assert_eq!(s[r.id("G(*)")], Status::Published);
    assert_eq!(s[r.id("G(G0)")], Status::Secondary, "{:?}", suppressed(&r, &s));
    assert!(["G(0)", "G(1)", "G(2)"].iter().any(|c| s[r.id(c)] == Status::Secondary));
    assert_safe(&p, &s, true);
    let naive = primary_only(&p);
    assert!(determined(&p, &naive).unwrap().contains(&r.id("G(G1)")));

    // Country × sex with subtotals: one small country cell.
    let mut r = Release::new(vec![geo(), Dim::flat(2)], |c| {
        if c == [1, 0] { 2 } else { 5 + ((c[0] * 7 + c[1] * 3) % 11) as u64 }
    });
    r.table("GS", &[0, 1], &[], Role::Candidate);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[r.id("GS(1,0)")], Status::Primary);
    assert_safe(&p, &s, true);
    assert!(!determined(&p, &primary_only(&p)).unwrap().is_empty());
}

/// (c) Linked tables over one inner space (age × sex, sex × nationality, age × nationality):
/// protected jointly, no cell is recovered from any combination of the three tables.
#[test]
fn c_linked_tables_share_margins() {
    let count = |c: &[usize]| -> u64 {
        let (a, s, n) = (c[0], c[1], c[2]);
        match (a, s, n) {
            (0, 0, 3) => 1,
            (2, 1, 0) => 2,
            (1, _, 3) => 0,
            _ => ((a * 5 + s * 3 + n * 7) % 6) as u64,
        }
    };
    let mut r = Release::new(vec![Dim::flat(3), Dim::flat(2), Dim::flat(4)], count);
    r.table("AS", &[0, 1], &[], Role::Candidate);
    r.table("SN", &[1, 2], &[], Role::Candidate);
    r.table("AN", &[0, 2], &[], Role::Candidate);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert!(s.contains(&Status::Primary));
    assert_safe(&p, &s, true);
    // The common cells (e.g. the sex margin) have one status in every table they appear in.
    assert_eq!(s[r.id("AS(*,0)")], s[r.id("SN(0,*)")]);
    assert_eq!(s[r.id("AS(*,*)")], s[r.id("AN(*,*)")]);
    let naive = primary_only(&p);
    assert!(!audit(&p, &naive).unwrap().pinned().is_empty());
}

/// (c') Linked tables protected one at a time can be broken by combining them; protected together
/// they cannot. Tables age × sex and sex × nationality; with the structural zeros below,
/// SN(0,1) = AS(1,0) − SN(0,2): table AS alone has no small cell and is published in full, while
/// table SN alone protects its 2 with a rectangle that leaves SN(0,2) published.
#[test]
fn c_separate_protection_of_linked_tables_fails() {
    // counts[age][sex][nationality]
    let counts = [[[9, 0, 0], [0, 9, 0]], [[0, 2, 11], [9, 0, 0]]];
    let build = |tables: &[&str]| {
        let mut r =
            Release::new(vec![Dim::flat(2), Dim::flat(2), Dim::flat(3)], |c| counts[c[0]][c[1]][c[2]]);
        for &t in tables {
            match t {
                "AS" => r.table("AS", &[0, 1], &[], Role::Candidate),
                _ => r.table("SN", &[1, 2], &[], Role::Candidate),
            };
        }
        r
    };
    let joint = build(&["AS", "SN"]);
    let p = joint.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[joint.id("SN(0,1)")], Status::Primary);
    assert_safe(&p, &s, true);

    let s_as = protect(&build(&["AS"]).problem()).unwrap();
    assert!(s_as.iter().all(|x| x.is_published()));
    let s_sn = protect(&build(&["SN"]).problem()).unwrap();
    let combined: Vec<Status> = s_as.iter().chain(&s_sn).copied().collect();
    assert_eq!(combined.len(), p.cells.len());
    let det = determined(&p, &combined).unwrap();
    let det: Vec<usize> = det.into_iter().filter(|&c| combined[c].is_protected()).collect();
    assert_eq!(det, vec![joint.id("SN(0,1)")]);
    let a = audit(&p, &combined).unwrap();
    let pinned: Vec<usize> = a.pinned().iter().map(|c| c.cell).collect();
    assert!(pinned.contains(&joint.id("SN(0,1)")), "{pinned:?}");
}

/// (d) Sub-population: the table of minors and the table of all victims imply the table of
/// adults; a small adult cell is protected once the implied table is declared `Virtual`.
#[test]
fn d_sub_population_minors_vs_total() {
    // age: 0 = minor, 1 = adult; sex; nationality (3).
    let count = |c: &[usize]| -> u64 {
        match (c[0], c[1], c[2]) {
            (1, 0, 2) => 1,
            (0, 0, 2) => 8,
            (a, s, n) => 6 + ((a * 3 + s * 5 + n * 2) % 7) as u64,
        }
    };
    let mut r = Release::new(vec![Dim::flat(2), Dim::flat(2), Dim::flat(3)], count);
    r.table("ALL", &[1, 2], &[], Role::Candidate);
    r.table("MIN", &[1, 2], &[(0, vec![0])], Role::Candidate);
    let published = r.cells.len();
    r.table("ADULT", &[1, 2], &[(0, vec![1])], Role::Virtual);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[r.id("ADULT(0,2)")], Status::VirtualPrimary);
    assert!(s[r.id("ALL(0,2)")].is_suppressed() || s[r.id("MIN(0,2)")].is_suppressed());
    assert_safe(&p, &s, true);

    // Negative control: protecting without the implied table publishes both tables in full.
    let mut without = p.clone();
    without.cells.truncate(published);
    let s_without = protect(&without).unwrap();
    assert!(s_without.iter().all(|x| x.is_published()));
    let mut naive = s_without;
    naive.extend_from_slice(&primary_only(&p)[published..]);
    let a = audit(&p, &naive).unwrap();
    assert!(a.pinned().iter().any(|c| c.cell == r.id("ADULT(0,2)")));
}

/// (e) Four quarters and the year: the annual figures published earlier (`Forced`) or now
/// (`Candidate`); the year minus three published quarters must not give a small quarter.
#[test]
fn e_quarters_vs_annual() {
    let count = |c: &[usize]| -> u64 {
        match (c[0], c[1]) {
            (0, 2) => 3,
            (1, 2) => 4,
            (2, 2) => 0,
            (q, n) => 6 + ((q * 5 + n * 3) % 9) as u64,
        }
    };
    for annual in [Role::Forced, Role::Candidate] {
        let mut r = Release::new(vec![Dim::flat(4), Dim::flat(3)], count);
        r.table("Q", &[0, 1], &[], Role::Candidate);
        set_role(&mut r, "Q(*,", annual);
        let p = r.problem();
        let s = protect(&p).unwrap();
        assert_eq!(s[r.id("Q(0,2)")], Status::Primary);
        assert_eq!(s[r.id("Q(1,2)")], Status::Primary);
        assert_eq!(s[r.id("Q(*,2)")], Status::Published);
        assert_safe(&p, &s, true);
        let naive = primary_only(&p);
        assert!(!determined(&p, &naive).unwrap().is_empty(), "{annual:?}");
    }
}

/// (e') An annual figure published earlier that equals one small quarter cannot be protected
/// now: `protect` reports it instead of pretending.
#[test]
fn e_already_disclosed_by_forced_cells() {
    let count = |c: &[usize]| -> u64 {
        match (c[0], c[1]) {
            (0, 2) => 3,
            (_, 2) => 0,
            (q, n) => 6 + (q + n) as u64,
        }
    };
    let mut r = Release::new(vec![Dim::flat(4), Dim::flat(3)], count);
    r.table("Q", &[0, 1], &[], Role::Candidate);
    set_role(&mut r, "Q(*,", Role::Forced);
    let err = protect(&r.problem()).unwrap_err();
    assert_eq!(err, Error::AlreadyDisclosed { cells: vec![r.id("Q(0,2)")] });
}

/// (f) Revision: vintage 1 was published (`Forced`, over stable + removed records); vintage 2
/// (stable + added records) has one late record. The records added are a `Virtual` table: the
/// late record is not revealed by vintage 2 − vintage 1.
#[test]
fn f_revision_with_one_late_record() {
    // sex (2) × nationality (3) × vintage status (0 stable, 1 removed, 2 added).
    let count = |c: &[usize]| -> u64 {
        match (c[0], c[1], c[2]) {
            (_, _, 0) => 6 + ((c[0] * 4 + c[1] * 3) % 7) as u64,
            (1, 0, 1) => 2,
            (0, 1, 2) => 1,
            _ => 0,
        }
    };
    let mut r = Release::new(vec![Dim::flat(2), Dim::flat(3), Dim::flat(3)], count);
    r.table("V1", &[0, 1], &[(2, vec![0, 1])], Role::Forced);
    r.table("V2", &[0, 1], &[(2, vec![0, 2])], Role::Candidate);
    let published = r.cells.len();
    r.table("ADDED", &[0, 1], &[(2, vec![2])], Role::Virtual);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[r.id("ADDED(0,1)")], Status::VirtualPrimary);
    assert_eq!(s[r.id("ADDED(*,*)")], Status::VirtualPrimary);
    assert!(s[r.id("V2(0,1)")].is_suppressed(), "{:?}", suppressed(&r, &s));
    assert_safe(&p, &s, true);

    // Negative control: without the virtual table, vintage 2 is published in full and the late
    // record's cell is recovered exactly.
    let mut without = p.clone();
    without.cells.truncate(published);
    let mut naive = protect(&without).unwrap();
    assert!(naive.iter().all(|x| x.is_published()));
    naive.extend_from_slice(&primary_only(&p)[published..]);
    let a = audit(&p, &naive).unwrap();
    let pinned: Vec<usize> = a.pinned().iter().map(|c| c.cell).collect();
    assert!(pinned.contains(&r.id("ADDED(0,1)")), "{pinned:?}");
}

/// (g) Singleton: a row holding a suppressed 1 and a suppressed 3 beside a published total; the
/// lone contributor of the 1 subtracts it. The default rule suppresses a third cell of the row;
/// without it, the audit of an attacker knowing the singleton recovers the 3.
#[test]
fn g_singleton() {
    let counts = [[1, 3, 20, 20], [10, 11, 12, 13], [14, 15, 16, 17]];
    let build = |rule| {
        let mut r = Release::new(vec![Dim::flat(3), Dim::flat(4)], |c| counts[c[0]][c[1]]);
        r.singleton = rule;
        r.table("T", &[0, 1], &[], Role::Candidate);
        r
    };
    let r = build(SingletonRule::KnownSingleton);
    let p = r.problem();
    let s = protect(&p).unwrap();
    let (one, three) = (r.id("T(0,0)"), r.id("T(0,1)"));
    assert_eq!((s[one], s[three]), (Status::Primary, Status::Primary));
    let row0_suppressed =
        ["T(0,2)", "T(0,3)", "T(0,*)"].iter().filter(|c| s[r.id(c)].is_suppressed()).count();
    assert!(row0_suppressed >= 1, "{:?}", suppressed(&r, &s));
    assert_safe(&p, &s, true);
    assert!(determined_knowing(&p, &s, &[one]).unwrap().iter().all(|&c| !s[c].is_protected()));

    // Negative control: the same table without the singleton rule.
    let r = build(SingletonRule::None);
    let p_none = r.problem();
    let s_none = protect(&p_none).unwrap();
    assert!(determined(&p_none, &s_none).unwrap().iter().all(|&c| !s_none[c].is_protected()));
    assert!(determined_knowing(&p_none, &s_none, &[one]).unwrap().contains(&three));
    let a = audit_knowing(&p_none, &s_none, &[one]).unwrap();
    assert!(a.pinned().iter().any(|c| c.cell == three));
    // Fewer suppressions without the rule: the rule has a price, and only where needed.
    let count = |s: &[Status]| s.iter().filter(|x| x.is_suppressed()).count();
    assert!(count(&s) > count(&s_none));
}

/// Two singletons in one row with a published total: each contributor would learn the other.
#[test]
fn g_two_singletons_in_a_row() {
    let counts = [[1, 1, 20, 20], [10, 11, 12, 13], [14, 15, 16, 17]];
    let mut r = Release::new(vec![Dim::flat(3), Dim::flat(4)], |c| counts[c[0]][c[1]]);
    r.table("T", &[0, 1], &[], Role::Candidate);
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_safe(&p, &s, true);
}

/// Zeros: structural zeros are known and need no protection; listed zero inner cells are unknown
/// and, with `protect_zeros`, protected.
#[test]
fn zeros_structural_or_protected() {
    // Structural zero cell: published (value 0 is known anyway).
    let counts = [[0, 6], [7, 8]];
    let mut r = Release::new(vec![Dim::flat(2), Dim::flat(2)], |c| counts[c[0]][c[1]]);
    r.table("T", &[0, 1], &[], Role::Candidate);
    let s = protect(&r.problem()).unwrap();
    assert!(s.iter().all(|x| x.is_published()));

    // Listed zero, protected.
    let inner = vec![0, 6, 7, 8];
    let cells = vec![
        CellSpec::new(vec![0], Role::Candidate),
        CellSpec::new(vec![1], Role::Candidate),
        CellSpec::new(vec![2], Role::Candidate),
        CellSpec::new(vec![3], Role::Candidate),
        CellSpec::new(vec![0, 1], Role::Candidate),
        CellSpec::new(vec![2, 3], Role::Candidate),
        CellSpec::new(vec![0, 2], Role::Candidate),
        CellSpec::new(vec![1, 3], Role::Candidate),
        CellSpec::new(vec![0, 1, 2, 3], Role::Candidate),
    ];
    let mut p = Problem::new(inner, cells);
    p.rule.protect_zeros = true;
    let s = protect(&p).unwrap();
    assert_eq!(s[0], Status::Primary);
    assert_eq!(s.iter().filter(|x| x.is_suppressed()).count(), 4);
    assert_safe(&p, &s, true);

    // A structural zero cannot be protected.
    let mut p = Problem::new(vec![5], vec![CellSpec::new(vec![], Role::Candidate)]);
    p.rule.protect_zeros = true;
    assert_eq!(protect(&p).unwrap_err(), Error::EmptyPrimary { cell: 0 });
}

/// Earlier suppressed cells stay suppressed; small ones are protected.
#[test]
fn earlier_suppressed_cells_stay_suppressed() {
    let counts = [[3, 6, 9], [7, 8, 9]];
    let mut r = Release::new(vec![Dim::flat(2), Dim::flat(3)], |c| counts[c[0]][c[1]]);
    r.table("T", &[0, 1], &[], Role::Candidate);
    let big = r.id("T(1,1)");
    r.cells[big].role = Role::Suppressed;
    let p = r.problem();
    let s = protect(&p).unwrap();
    assert_eq!(s[big], Status::Secondary);
    assert_eq!(s[r.id("T(0,0)")], Status::Primary);
    assert_safe(&p, &s, true);
}

/// Malformed input is rejected with the cell named.
#[test]
fn invalid_input() {
    let p = Problem::new(vec![1, 2], vec![CellSpec { inner: vec![1, 0], role: Role::Candidate }]);
    assert!(matches!(protect(&p), Err(Error::InvalidCell { cell: 0, .. })));
    let p = Problem::new(vec![1, 2], vec![CellSpec::new(vec![0, 2], Role::Candidate)]);
    assert!(matches!(protect(&p), Err(Error::InvalidCell { cell: 0, .. })));
    let p = Problem::new(vec![1, 2], vec![CellSpec::new(vec![0, 1], Role::Candidate)]);
    assert_eq!(audit(&p, &[]).unwrap_err(), Error::StatusLength { expected: 1, found: 0 });
    assert!(determined_knowing(&p, &[Status::Published], &[3]).is_err());
}
