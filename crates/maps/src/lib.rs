//! Region boundaries and SVG maps for mosy.
//!
//! - [`import_geojson`] reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features
//!   (EPSG:4326 or EPSG:3035, e.g. Eurostat GISCO NUTS files), projects it to one planar display
//!   CRS ([`DisplayCrs::Laea`] = EPSG:3035 by default), simplifies it without opening gaps
//!   between neighbours, rounds it to whole metres and computes label points.
//! - [`Boundaries`] is the compact result, stored with [`Boundaries::to_bytes`] /
//!   [`Boundaries::from_bytes`].
//! - [`world`] and [`europe`] are built-in country outlines (Natural Earth, public domain),
//!   keyed by Eurostat country code.
//! - [`render_choropleth`] and [`render_flows`] write standalone, deterministic SVG with no
//!   external reference of any kind (hubs run in closed networks).
//!
//! Nothing here reads files or the network; the caller passes text in and gets text out.

mod build;
mod choropleth;
mod codec;
mod flows;
mod format;
mod geojson;
mod geom;
pub mod proj;
mod simplify;
mod svg;
mod world;

pub use choropleth::{Cell, ChoroplethSpec, Fit, natural_breaks, render_choropleth};
pub use codec::DecodeError;
pub use flows::{Flow, FlowSpec, render_flows};
pub use format::{Lang, format_number};
pub use geojson::{ImportError, ImportOptions, Imported, LonLatBox, Simplify, Skipped, import_geojson};
pub use geom::{Bbox, Boundaries, Point, Polygon, Region, nuts_level};
pub use proj::{DisplayCrs, SourceCrs};
pub use world::{europe, eurostat_from_iso, iso_from_eurostat, world};
