//! The compact binary form of [`Boundaries`] (stored once in the hub database).
//!
//! Format version 1, all integers as LEB128 varints (signed ones zigzag-encoded):
//!
//! ```text
//! magic "MOSYMAP\0" | version u8 = 1 | crs u8 (1 = LAEA, 2 = Equal Earth) | region count
//! per region: code (length, UTF-8) | name (length, UTF-8) | level u8 (255 = none)
//!             | centroid x, y (signed) | polygon count
//!   per polygon: ring count | per ring: point count | first x, y (signed) | then dx, dy (signed)
//! ```
//!
//! Decoding checks everything (lengths against the remaining bytes, UTF-8, sorted unique codes,
//! closed rings of at least 4 points, no overflow, no trailing bytes) and never panics.

use thiserror::Error;

use crate::geom::{Boundaries, Point, Polygon, Region};
use crate::proj::DisplayCrs;

const MAGIC: &[u8; 8] = b"MOSYMAP\0";
const VERSION: u8 = 1;

/// Why [`Boundaries::from_bytes`] failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("boundaries bytes, offset {offset}: {problem}")]
pub struct DecodeError {
    /// Byte offset where the problem was found.
    pub offset: usize,
    /// What is wrong.
    pub problem: &'static str,
}

fn put_u(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_i(out: &mut Vec<u8>, v: i64) {
    put_u(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct In<'a> {
    b: &'a [u8],
    pos: usize,
}

impl In<'_> {
    fn err(&self, problem: &'static str) -> DecodeError {
        DecodeError { offset: self.pos, problem }
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let v = *self.b.get(self.pos).ok_or_else(|| self.err("unexpected end"))?;
        self.pos += 1;
        Ok(v)
    }

    fn u(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                if shift == 63 && b > 1 {
                    return Err(self.err("varint overflow"));
                }
                return Ok(v);
            }
        }
        Err(self.err("varint too long"))
    }

    fn i(&mut self) -> Result<i64, DecodeError> {
        let u = self.u()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    fn i32(&mut self) -> Result<i32, DecodeError> {
        let v = self.i()?;
        i32::try_from(v).map_err(|_| self.err("coordinate out of range"))
    }

    /// A count of items that each take at least `min_bytes` bytes.
    fn count(&mut self, min_bytes: usize) -> Result<usize, DecodeError> {
        let n = self.u()?;
        let left = (self.b.len() - self.pos) as u64;
        if n.saturating_mul(min_bytes as u64) > left {
            return Err(self.err("count larger than the remaining bytes"));
        }
        usize::try_from(n).map_err(|_| self.err("count too large"))
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let n = self.count(1)?;
        let bytes = &self.b[self.pos..self.pos + n];
        let s = std::str::from_utf8(bytes).map_err(|_| self.err("text is not UTF-8"))?;
        self.pos += n;
        Ok(s.to_owned())
    }
}

impl Boundaries {
    /// Encodes the boundaries in the compact binary format (format version 1:
    /// magic `MOSYMAP\0`, version 1, delta-encoded zigzag varints).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.vertex_count() * 3);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(self.crs.tag());
        put_u(&mut out, self.regions.len() as u64);
        for r in &self.regions {
            put_str(&mut out, &r.code);
            put_str(&mut out, &r.name);
            out.push(r.level.unwrap_or(255));
            put_i(&mut out, i64::from(r.centroid.x));
            put_i(&mut out, i64::from(r.centroid.y));
            put_u(&mut out, r.polygons.len() as u64);
            for p in &r.polygons {
                put_u(&mut out, p.rings.len() as u64);
                for ring in &p.rings {
                    put_u(&mut out, ring.len() as u64);
                    let mut prev = Point { x: 0, y: 0 };
                    for pt in ring {
                        put_i(&mut out, i64::from(pt.x) - i64::from(prev.x));
                        put_i(&mut out, i64::from(pt.y) - i64::from(prev.y));
                        prev = *pt;
                    }
                }
            }
        }
        out
    }

    /// Decodes [`Boundaries::to_bytes`] output, checking it fully.
    pub fn from_bytes(bytes: &[u8]) -> Result<Boundaries, DecodeError> {
        let mut r = In { b: bytes, pos: 0 };
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(r.err("not mosy boundaries (bad magic)"));
        }
        r.pos = MAGIC.len();
        if r.byte()? != VERSION {
            r.pos -= 1;
            return Err(r.err("unsupported format version"));
        }
        let crs = DisplayCrs::from_tag(r.byte()?).ok_or_else(|| r.err("unknown CRS tag"))?;
        let n = r.count(5)?;
        let mut regions: Vec<Region> = Vec::with_capacity(n);
        for _ in 0..n {
            let at = r.pos;
            let code = r.string()?;
            if code.is_empty() {
                return Err(DecodeError { offset: at, problem: "empty region code" });
            }
            if regions.last().is_some_and(|p| p.code >= code) {
                return Err(DecodeError { offset: at, problem: "region codes not sorted and unique" });
            }
            let name = r.string()?;
            let level = match r.byte()? {
                255 => None,
                l if l <= 3 => Some(l),
                _ => return Err(r.err("bad NUTS level")),
            };
            let centroid = Point { x: r.i32()?, y: r.i32()? };
            let np = r.count(1)?;
            let mut polygons = Vec::with_capacity(np);
            for _ in 0..np {
                let nr = r.count(1)?;
                if nr == 0 {
                    return Err(r.err("polygon without rings"));
                }
                let mut rings = Vec::with_capacity(nr);
                for _ in 0..nr {
                    let npts = r.count(2)?;
                    if npts < 4 {
                        return Err(r.err("ring with fewer than 4 points"));
                    }
                    let mut ring = Vec::with_capacity(npts);
                    let (mut x, mut y) = (0i64, 0i64);
                    for _ in 0..npts {
                        let (dx, dy) = (r.i()?, r.i()?);
                        x = x.checked_add(dx).ok_or_else(|| r.err("coordinate out of range"))?;
                        y = y.checked_add(dy).ok_or_else(|| r.err("coordinate out of range"))?;
                        let pt = Point {
                            x: i32::try_from(x).map_err(|_| r.err("coordinate out of range"))?,
                            y: i32::try_from(y).map_err(|_| r.err("coordinate out of range"))?,
                        };
                        ring.push(pt);
                    }
                    if ring.first() != ring.last() {
                        return Err(r.err("ring not closed"));
                    }
                    rings.push(ring);
                }
                polygons.push(Polygon { rings });
            }
            regions.push(Region { code, name, level, centroid, polygons });
        }
        if r.pos != bytes.len() {
            return Err(r.err("trailing bytes"));
        }
        Ok(Boundaries { crs, regions })
    }
}
