//! Built-in world country outlines: Natural Earth 1:110m Admin 0 countries (public domain) via
//! the world-atlas package, with small states from 1:50m, converted once by
//! `tools/world/convert.py` into `data/geo/world.txt` and embedded here (see
//! `data/geo/README.md`).
//!
//! The file is keyed by ISO 3166-1 alpha-2 (`XK` for Kosovo); [`world`] and [`europe`] key
//! regions by Eurostat country code, which differs only for Greece (`EL`, ISO `GR`) and the
//! United Kingdom (`UK`, ISO `GB`): use [`iso_from_eurostat`] / [`eurostat_from_iso`] at the
//! edges.

use std::sync::OnceLock;

use crate::build::{RawFeature, build};
use crate::geojson::LonLatBox;
use crate::geom::{Boundaries, FRing};
use crate::proj::DisplayCrs;

/// The embedded outline file (format described in its header lines).
pub(crate) static WORLD_TXT: &str = include_str!("../../../data/geo/world.txt");

/// Longest segment, in degrees, before projection: longer ones (straight borders along
/// parallels, frame edges) are split so they curve as they should.
const DENSIFY_DEGREES: f64 = 1.0;

/// The Eurostat country code for an ISO 3166-1 alpha-2 code (`GR` → `EL`, `GB` → `UK`, others
/// unchanged).
pub fn eurostat_from_iso(iso: &str) -> &str {
    match iso {
        "GR" => "EL",
        "GB" => "UK",
        other => other,
    }
}

/// The ISO 3166-1 alpha-2 code for a Eurostat country code (`EL` → `GR`, `UK` → `GB`, others
/// unchanged; `XK` Kosovo has no ISO code and stays `XK`).
pub fn iso_from_eurostat(code: &str) -> &str {
    match code {
        "EL" => "GR",
        "UK" => "GB",
        other => other,
    }
}

/// One country of the embedded file, in lon/lat degrees (closed rings).
pub(crate) struct Country {
    pub(crate) iso: String,
    pub(crate) name: String,
    pub(crate) polygons: Vec<Vec<FRing>>,
}

/// Parses the embedded outline format; the error names the line.
pub(crate) fn parse_world(text: &str) -> Result<Vec<Country>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = |what: &str| format!("world outlines line {}: {what}", i + 1);
        let mut parts = line.split('\t');
        let (Some(iso), Some(name), Some(geom), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected 3 tab-separated fields"));
        };
        let mut polygons = Vec::new();
        for poly in geom.split('|') {
            let mut rings = Vec::new();
            for ring in poly.split(';') {
                let (mut x, mut y) = (0i64, 0i64);
                let mut pts: FRing = Vec::new();
                for (k, step) in ring.split(' ').enumerate() {
                    let (a, b) = step.split_once(',').ok_or_else(|| bad("bad point"))?;
                    let (a, b) = (
                        a.parse::<i64>().map_err(|_| bad("bad number"))?,
                        b.parse::<i64>().map_err(|_| bad("bad number"))?,
                    );
                    if k == 0 {
                        (x, y) = (a, b);
                    } else {
                        x += a;
                        y += b;
                    }
                    pts.push([x as f64 / 1000.0, y as f64 / 1000.0]);
                }
                if pts.len() < 3 {
                    return Err(bad("ring with fewer than 3 points"));
                }
                pts.push(pts[0]);
                rings.push(pts);
            }
            polygons.push(rings);
        }
        out.push(Country { iso: iso.to_owned(), name: name.to_owned(), polygons });
    }
    Ok(out)
}

fn countries() -> &'static [Country] {
    static PARSED: OnceLock<Vec<Country>> = OnceLock::new();
    PARSED.get_or_init(|| {
        parse_world(WORLD_TXT).expect("the embedded world outlines are valid (checked by tests)")
    })
}

fn densify(r: &[[f64; 2]]) -> FRing {
    let mut out: FRing = Vec::with_capacity(r.len());
    for w in r.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        let len = (b[0] - a[0]).abs().max((b[1] - a[1]).abs());
        let steps = (len / DENSIFY_DEGREES).ceil() as usize;
        for s in 1..steps {
            let t = s as f64 / steps as f64;
            out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
        }
    }
    out.extend(r.last().copied());
    out
}

/// Sutherland–Hodgman clip of a closed lon/lat ring to a box; `None` if nothing is left.
fn clip_ring(r: &[[f64; 2]], bx: &LonLatBox) -> Option<FRing> {
    let mut pts: Vec<[f64; 2]> = r[..r.len().saturating_sub(1)].to_vec();
    // Each edge: (axis, bound, keep when coordinate >= bound?)
    let edges = [(0, bx.west, true), (0, bx.east, false), (1, bx.south, true), (1, bx.north, false)];
    for (axis, bound, ge) in edges {
        if pts.is_empty() {
            return None;
        }
        let inside = |p: &[f64; 2]| if ge { p[axis] >= bound } else { p[axis] <= bound };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for i in 0..pts.len() {
            let cur = pts[i];
            let prev = pts[(i + pts.len() - 1) % pts.len()];
            let (ci, pi) = (inside(&cur), inside(&prev));
            if ci != pi {
                let t = (bound - prev[axis]) / (cur[axis] - prev[axis]);
                let mut q = [prev[0] + (cur[0] - prev[0]) * t, prev[1] + (cur[1] - prev[1]) * t];
                q[axis] = bound;
                out.push(q);
            }
            if ci {
                out.push(cur);
            }
        }
        pts = out;
    }
    if pts.len() < 3 {
        return None;
    }
    pts.push(pts[0]);
    Some(pts)
}

fn project(polys: &[Vec<FRing>], crs: DisplayCrs) -> Vec<Vec<FRing>> {
    polys
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|r| {
                    densify(r)
                        .into_iter()
                        .map(|p| {
                            let (x, y) = crs.forward(p[0], p[1]);
                            [x, y]
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// All countries (ISO alpha-2 keys from the file, Eurostat keys in the result) in the Equal Earth
/// projection (spherical, metres), centred on Greenwich. Antarctica (`AQ`) is included.
///
/// Built on first use from the embedded outlines (about 107 KB of text) and cached.
pub fn world() -> Boundaries {
    static WORLD: OnceLock<Boundaries> = OnceLock::new();
    WORLD
        .get_or_init(|| {
            let raw = countries()
                .iter()
                .map(|c| RawFeature {
                    code: eurostat_from_iso(&c.iso).to_owned(),
                    name: c.name.clone(),
                    polygons: project(&c.polygons, DisplayCrs::EqualEarth),
                })
                .collect();
            build(DisplayCrs::EqualEarth, raw, 0.0).boundaries
        })
        .clone()
}

/// The countries clipped to [`LonLatBox::EUROPE`] (longitude −25 to 45, latitude 34 to 72) in
/// ETRS89-LAEA (EPSG:3035), keyed by Eurostat code. Countries with nothing inside the frame
/// (Australia, the United States, ...) are left out; far overseas parts (French Guiana,
/// Réunion, the Canary Islands, ...) are cut off; Russia, Kazakhstan, Turkey and the Maghreb are
/// cut at the frame edges.
pub fn europe() -> Boundaries {
    static EUROPE: OnceLock<Boundaries> = OnceLock::new();
    EUROPE
        .get_or_init(|| {
            let frame = LonLatBox::EUROPE;
            let mut raw = Vec::new();
            for c in countries() {
                let clipped: Vec<Vec<FRing>> = c
                    .polygons
                    .iter()
                    .filter_map(|rings| {
                        let outer = clip_ring(rings.first()?, &frame)?;
                        let mut out = vec![outer];
                        out.extend(rings.iter().skip(1).filter_map(|h| clip_ring(h, &frame)));
                        Some(out)
                    })
                    .collect();
                if !clipped.is_empty() {
                    raw.push(RawFeature {
                        code: eurostat_from_iso(&c.iso).to_owned(),
                        name: c.name.clone(),
                        polygons: project(&clipped, DisplayCrs::Laea),
                    });
                }
            }
            build(DisplayCrs::Laea, raw, 0.0).boundaries
        })
        .clone()
}
