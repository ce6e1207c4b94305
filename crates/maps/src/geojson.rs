//! GeoJSON import: a FeatureCollection of Polygon and MultiPolygon features, in EPSG:4326
//! (lon/lat) or EPSG:3035 (LAEA metres), becomes [`Boundaries`] in one display CRS.
//!
//! The CRS is taken from [`ImportOptions::source_crs`] if set, else from the legacy `crs` member
//! (`urn:ogc:def:crs:EPSG::3035`, `EPSG:4326`, `urn:ogc:def:crs:OGC:1.3:CRS84`, ...), else from
//! the coordinates: all within ±180/±90 means lon/lat, anything larger means LAEA. Features with
//! other geometries (points, lines, collections) or no geometry are skipped and counted.
//! Unclosed rings are closed. Errors name the feature index (0-based) and the problem, never a
//! property value other than the region code.

use std::collections::BTreeMap;

use serde_json::Value;
use thiserror::Error;

use crate::build::{RawFeature, build};
use crate::geom::{Bbox, Boundaries, FRing};
use crate::proj::{DisplayCrs, SourceCrs, laea_inverse};

/// How much to simplify for display.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Simplify {
    /// Keep every vertex (only rounding to whole metres and removing repeats).
    Off,
    /// Tolerance as a fraction of the diagonal of the layer's extent (after framing):
    /// `0.0004` is about a third of a pixel on an 800-pixel map of the whole layer.
    Relative(f64),
    /// Tolerance in display metres.
    Metres(f64),
}

/// A longitude/latitude box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLatBox {
    /// Westernmost longitude.
    pub west: f64,
    /// Southernmost latitude.
    pub south: f64,
    /// Easternmost longitude.
    pub east: f64,
    /// Northernmost latitude.
    pub north: f64,
}

impl LonLatBox {
    /// The Europe frame: longitude −25 to 45, latitude 34 to 72 (Iceland and Cyprus in; Canary
    /// Islands, Azores, Madeira and the outermost regions out).
    pub const EUROPE: LonLatBox = LonLatBox { west: -25.0, south: 34.0, east: 45.0, north: 72.0 };

    /// True when the point is inside or on the edge.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.west && lon <= self.east && lat >= self.south && lat <= self.north
    }
}

/// Options of [`import_geojson`].
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// Property holding the region code (default `NUTS_ID`); strings and integers are accepted.
    pub code_property: String,
    /// Property holding the name (default `NAME_LATN`); `None`, or a missing or non-string
    /// value, uses the code as name.
    pub name_property: Option<String>,
    /// Source CRS; `None` detects it (see the module documentation).
    pub source_crs: Option<SourceCrs>,
    /// The CRS to project into (default LAEA).
    pub display_crs: DisplayCrs,
    /// Simplification (default `Relative(0.0004)`).
    pub simplify: Simplify,
    /// Keep only polygon parts whose bounding-box centre lies in this box (no clipping): drops
    /// far overseas parts such as the French outermost regions. Default `None`.
    pub frame: Option<LonLatBox>,
    /// Largest number of positions in the whole input (default 5 000 000).
    pub max_vertices: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            code_property: "NUTS_ID".to_owned(),
            name_property: Some("NAME_LATN".to_owned()),
            source_crs: None,
            display_crs: DisplayCrs::Laea,
            simplify: Simplify::Relative(0.0004),
            frame: None,
            max_vertices: 5_000_000,
        }
    }
}

/// A feature that was not imported because its geometry is not polygonal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Feature index (0-based).
    pub index: usize,
    /// Its geometry type (`Point`, `LineString`, ..., or `null`).
    pub geometry: String,
}

/// The result of [`import_geojson`].
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The imported regions.
    pub boundaries: Boundaries,
    /// The CRS the input was read in.
    pub source_crs: SourceCrs,
    /// Features skipped for their geometry type.
    pub skipped: Vec<Skipped>,
    /// Codes of regions that lay entirely outside [`ImportOptions::frame`], sorted.
    pub outside_frame: Vec<String>,
    /// Codes of regions that collapsed to nothing when rounded to whole metres.
    pub collapsed: Vec<String>,
    /// Positions read.
    pub vertices_in: usize,
    /// Points stored.
    pub vertices_out: usize,
}

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ImportError {
    /// The text is not JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The top level is not a FeatureCollection with a `features` array.
    #[error("not a GeoJSON FeatureCollection: {0}")]
    NotFeatureCollection(String),
    /// The `crs` member names a CRS other than EPSG:4326/4258/CRS84 or EPSG:3035.
    #[error("unsupported CRS `{0}`: use EPSG:4326 (lon/lat) or EPSG:3035 (LAEA)")]
    UnsupportedCrs(String),
    /// A feature is not a JSON object.
    #[error("feature {index}: not a GeoJSON Feature object")]
    NotAFeature {
        /// Feature index.
        index: usize,
    },
    /// A polygonal feature lacks the code property (or it is empty or not a string/integer).
    #[error("feature {index}: missing code property `{property}`")]
    MissingCode {
        /// Feature index.
        index: usize,
        /// The property looked for.
        property: String,
    },
    /// Two features have the same code.
    #[error("feature {index}: duplicate code `{code}` (first used by feature {first})")]
    DuplicateCode {
        /// Feature index.
        index: usize,
        /// The code.
        code: String,
        /// The earlier feature with that code.
        first: usize,
    },
    /// The geometry's structure is wrong (missing coordinates, wrong nesting, short ring).
    #[error("feature {index}: invalid geometry: {problem}")]
    InvalidGeometry {
        /// Feature index.
        index: usize,
        /// What is wrong.
        problem: String,
    },
    /// A coordinate is not a number or out of range for the CRS.
    #[error("feature {index}: invalid coordinate: {problem}")]
    InvalidCoordinate {
        /// Feature index.
        index: usize,
        /// What is wrong.
        problem: String,
    },
    /// The input has more positions than [`ImportOptions::max_vertices`].
    #[error("feature {index}: too many vertices (limit {limit})")]
    TooManyVertices {
        /// The feature at which the limit was passed.
        index: usize,
        /// The limit.
        limit: usize,
    },
    /// No feature had a polygon (all were skipped or outside the frame).
    #[error("no polygon features ({skipped} skipped for their geometry type)")]
    NoPolygons {
        /// Features skipped for their geometry type.
        skipped: usize,
    },
}

struct Parsed {
    index: usize,
    code: String,
    name: String,
    polygons: Vec<Vec<FRing>>,
}

fn crs_from_member(root: &Value) -> Result<Option<SourceCrs>, ImportError> {
    let Some(crs) = root.get("crs") else {
        return Ok(None);
    };
    if crs.is_null() {
        return Ok(None);
    }
    let name = crs
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .ok_or_else(|| ImportError::UnsupportedCrs("(crs member without properties.name)".into()))?;
    let last = name.rsplit(':').next().unwrap_or(name).trim();
    match last {
        "4326" | "4258" | "CRS84" => Ok(Some(SourceCrs::LonLat)),
        "3035" => Ok(Some(SourceCrs::Laea)),
        _ => Err(ImportError::UnsupportedCrs(name.chars().take(80).collect())),
    }
}

fn property_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

struct Reader<'a> {
    index: usize,
    count: &'a mut usize,
    limit: usize,
}

impl Reader<'_> {
    fn geometry_err(&self, problem: String) -> ImportError {
        ImportError::InvalidGeometry { index: self.index, problem }
    }

    fn ring(&mut self, v: &Value, where_: &str) -> Result<FRing, ImportError> {
        let arr = v
            .as_array()
            .ok_or_else(|| self.geometry_err(format!("{where_} is not an array of positions")))?;
        *self.count += arr.len();
        if *self.count > self.limit {
            return Err(ImportError::TooManyVertices { index: self.index, limit: self.limit });
        }
        let mut ring: FRing = Vec::with_capacity(arr.len() + 1);
        for (k, pos) in arr.iter().enumerate() {
            let p =
                pos.as_array().filter(|p| p.len() >= 2).ok_or_else(|| ImportError::InvalidCoordinate {
                    index: self.index,
                    problem: format!("{where_} position {k} is not an array of 2 or 3 numbers"),
                })?;
            let (Some(x), Some(y)) = (p[0].as_f64(), p[1].as_f64()) else {
                return Err(ImportError::InvalidCoordinate {
                    index: self.index,
                    problem: format!("{where_} position {k} is not numeric"),
                });
            };
            if !x.is_finite() || !y.is_finite() {
                return Err(ImportError::InvalidCoordinate {
                    index: self.index,
                    problem: format!("{where_} position {k} is not finite"),
                });
            }
            ring.push([x, y]);
        }
        if ring.len() >= 2 && ring.first() != ring.last() {
            ring.push(ring[0]);
        }
        if ring.len() < 4 {
            return Err(
                self.geometry_err(format!("{where_} has {} positions, a ring needs at least 4", arr.len()))
            );
        }
        Ok(ring)
    }

    fn polygon(&mut self, v: &Value, where_: &str) -> Result<Vec<FRing>, ImportError> {
        let rings =
            v.as_array().ok_or_else(|| self.geometry_err(format!("{where_} is not an array of rings")))?;
        if rings.is_empty() {
            return Err(self.geometry_err(format!("{where_} has no rings")));
        }
        rings.iter().enumerate().map(|(k, r)| self.ring(r, &format!("{where_} ring {k}"))).collect()
    }
}

/// Reads a GeoJSON FeatureCollection of polygons into [`Boundaries`].
///
/// ```
/// let json = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
///   "properties":{"NUTS_ID":"PT11","NAME_LATN":"Norte"},
///   "geometry":{"type":"Polygon","coordinates":[[[-8,41],[-7,41],[-7,42],[-8,42],[-8,41]]]}}]}"#;
/// let imported = maps::import_geojson(json, &maps::ImportOptions::default()).unwrap();
/// assert_eq!(imported.boundaries.regions[0].code, "PT11");
/// assert_eq!(imported.boundaries.regions[0].level, Some(2));
/// ```
pub fn import_geojson(text: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| ImportError::Json(e.to_string()))?;
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        let found = match root.get("type").and_then(Value::as_str) {
            Some(t) => format!("type is `{}`", t.chars().take(40).collect::<String>()),
            None => "no `type` member".to_owned(),
        };
        return Err(ImportError::NotFeatureCollection(found));
    }
    let features = root
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::NotFeatureCollection("no `features` array".into()))?;
    let declared = crs_from_member(&root)?;

    let mut parsed: Vec<Parsed> = Vec::new();
    let mut skipped = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = 0usize;
    for (index, feature) in features.iter().enumerate() {
        if !feature.is_object() {
            return Err(ImportError::NotAFeature { index });
        }
        let geometry = feature.get("geometry").unwrap_or(&Value::Null);
        let gtype = match geometry {
            Value::Null => None,
            g => Some(g.get("type").and_then(Value::as_str).ok_or_else(|| ImportError::InvalidGeometry {
                index,
                problem: "geometry has no `type`".into(),
            })?),
        };
        if !matches!(gtype, Some("Polygon" | "MultiPolygon")) {
            skipped.push(Skipped { index, geometry: gtype.unwrap_or("null").to_owned() });
            continue;
        }
        let props = feature.get("properties").unwrap_or(&Value::Null);
        let code = props
            .get(&options.code_property)
            .and_then(property_text)
            .ok_or_else(|| ImportError::MissingCode { index, property: options.code_property.clone() })?;
        if let Some(&first) = seen.get(&code) {
            return Err(ImportError::DuplicateCode { index, code, first });
        }
        seen.insert(code.clone(), index);
        let name = options
            .name_property
            .as_ref()
            .and_then(|p| props.get(p))
            .and_then(property_text)
            .unwrap_or_else(|| code.clone());
        let coords = geometry
            .get("coordinates")
            .ok_or_else(|| ImportError::InvalidGeometry { index, problem: "no `coordinates`".into() })?;
        let mut reader = Reader { index, count: &mut count, limit: options.max_vertices };
        let polygons = if gtype == Some("Polygon") {
            vec![reader.polygon(coords, "polygon")?]
        } else {
            let parts = coords.as_array().ok_or_else(|| ImportError::InvalidGeometry {
                index,
                problem: "MultiPolygon coordinates are not an array of polygons".into(),
            })?;
            let mut polys = Vec::with_capacity(parts.len());
            for (k, part) in parts.iter().enumerate() {
                polys.push(reader.polygon(part, &format!("polygon {k}"))?);
            }
            polys
        };
        if polygons.is_empty() {
            skipped.push(Skipped { index, geometry: "MultiPolygon (empty)".into() });
            continue;
        }
        parsed.push(Parsed { index, code, name, polygons });
    }
    if parsed.is_empty() {
        return Err(ImportError::NoPolygons { skipped: skipped.len() });
    }

    let source = options.source_crs.or(declared).unwrap_or_else(|| {
        let lonlat = parsed
            .iter()
            .flat_map(|f| f.polygons.iter().flatten().flatten())
            .all(|p| p[0].abs() <= 180.0 && p[1].abs() <= 90.0);
        if lonlat { SourceCrs::LonLat } else { SourceCrs::Laea }
    });
    check_ranges(&parsed, source)?;

    let mut outside_frame = Vec::new();
    let mut raw = Vec::with_capacity(parsed.len());
    for f in parsed {
        let mut polygons = f.polygons;
        if let Some(frame) = options.frame {
            polygons.retain(|p| part_in_frame(p, source, &frame));
            if polygons.is_empty() {
                outside_frame.push(f.code);
                continue;
            }
        }
        let polygons = polygons
            .into_iter()
            .map(|p| p.into_iter().map(|r| project_ring(r, source, options.display_crs)).collect())
            .collect();
        raw.push(RawFeature { code: f.code, name: f.name, polygons });
    }
    if raw.is_empty() {
        return Err(ImportError::NoPolygons { skipped: skipped.len() });
    }
    outside_frame.sort();
    let tol = match options.simplify {
        Simplify::Off => 0.0,
        Simplify::Metres(m) => m.max(0.0),
        Simplify::Relative(r) => {
            let mut bb = Bbox::empty();
            for p in raw.iter().flat_map(|f| f.polygons.iter().flatten().flatten()) {
                bb.add(p[0], p[1]);
            }
            r.max(0.0) * bb.width().hypot(bb.height())
        }
    };
    let vertices_in = count;
    let built = build(options.display_crs, raw, if tol.is_finite() { tol } else { 0.0 });
    let vertices_out = built.boundaries.vertex_count();
    Ok(Imported {
        boundaries: built.boundaries,
        source_crs: source,
        skipped,
        outside_frame,
        collapsed: built.collapsed,
        vertices_in,
        vertices_out,
    })
}

fn check_ranges(parsed: &[Parsed], source: SourceCrs) -> Result<(), ImportError> {
    for f in parsed {
        for (k, p) in f.polygons.iter().flatten().flatten().enumerate() {
            let ok = match source {
                SourceCrs::LonLat => p[0].abs() <= 180.0 && p[1].abs() <= 90.0,
                SourceCrs::Laea => laea_inverse(p[0], p[1]).is_some(),
            };
            if !ok {
                let what = match source {
                    SourceCrs::LonLat => "outside longitude ±180 / latitude ±90",
                    SourceCrs::Laea => "outside the EPSG:3035 projected globe",
                };
                return Err(ImportError::InvalidCoordinate {
                    index: f.index,
                    problem: format!("position {k} (counted over all rings) is {what}"),
                });
            }
        }
    }
    Ok(())
}

fn part_in_frame(rings: &[FRing], source: SourceCrs, frame: &LonLatBox) -> bool {
    let mut bb = Bbox::empty();
    for p in rings.first().into_iter().flatten() {
        bb.add(p[0], p[1]);
    }
    let (cx, cy) = ((bb.min_x + bb.max_x) / 2.0, (bb.min_y + bb.max_y) / 2.0);
    let ll = match source {
        SourceCrs::LonLat => Some((cx, cy)),
        SourceCrs::Laea => laea_inverse(cx, cy),
    };
    ll.is_some_and(|(lon, lat)| frame.contains(lon, lat))
}

fn project_ring(r: FRing, source: SourceCrs, display: DisplayCrs) -> FRing {
    match (source, display) {
        (SourceCrs::Laea, DisplayCrs::Laea) => r,
        (SourceCrs::LonLat, d) => r
            .into_iter()
            .map(|p| {
                let (x, y) = d.forward(p[0], p[1]);
                [x, y]
            })
            .collect(),
        (SourceCrs::Laea, DisplayCrs::EqualEarth) => r
            .into_iter()
            .map(|p| {
                let (lon, lat) = laea_inverse(p[0], p[1]).unwrap_or((10.0, 52.0));
                let (x, y) = DisplayCrs::EqualEarth.forward(lon, lat);
                [x, y]
            })
            .collect(),
    }
}
