#!/usr/bin/env python3
"""Convert world-atlas TopoJSON (Natural Earth) into data/geo/world.txt, the outline file that the
`maps` crate embeds.

Run once by hand (not by the build):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install pycountry==26.2.16
    python3 tools/world/convert.py /tmp/package data/geo/world.txt

What it does (see data/geo/README.md):
- decodes `countries-110m.json`; features present only in `countries-50m.json` (small states such as
  Malta, Andorra, Liechtenstein, Monaco, San Marino, Vatican, Singapore, Cabo Verde, Sao Tome and Principe)
  are taken from the 50m file;
- maps ISO 3166-1 numeric ids to alpha-2 with pycountry; features without an id: Kosovo -> XK,
  N. Cyprus merged into CY, Somaliland merged into SO (shared borders dissolved); the 50m-only features
  without an id (Siachen Glacier, Indian Ocean Ter.) are skipped;
- cuts rings that cross the antimeridian (world-atlas stitches them: Fiji, Russia) at ±180
  degrees, and closes Antarctica, which goes round the pole, along latitude −90;
- rounds coordinates to 0.001 degree and writes one line per country, sorted by code.
"""

import json
import sys

import pycountry

UNIT = 1000  # coordinates are written in 0.001 degree

NO_ID = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}
SKIP_NO_ID = {"Siachen Glacier", "Indian Ocean Ter."}


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((round((x * sx + tx) * UNIT), round((y * sy + ty) * UNIT)))
        arcs.append(pts)
    return arcs


def ring_points(arcs, ring):
    out = []
    for i in ring:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out


def clean(ring):
    """Drops repeated points and the closing point; returns None for a collapsed ring."""
    pts = []
    for p in ring:
        if not pts or pts[-1] != p:
            pts.append(p)
    while len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts if len(pts) >= 3 else None


def polygons_of(arcs, geom):
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:
        return []
    out = []
    for poly in polys:
        rings = [clean(ring_points(arcs, r)) for r in poly]
        if rings and rings[0] is not None:
            out.append([r for r in rings if r is not None])
    return out


def dissolve(polys):
    """Merges polygons without holes that share borders: shared edges cancel, the rest is chained."""
    edges = {}
    for poly in polys:
        ring = poly[0]
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if (b, a) in edges:
                edges[(b, a)] -= 1
                if edges[(b, a)] == 0:
                    del edges[(b, a)]
            else:
                edges[(a, b)] = edges.get((a, b), 0) + 1
    nxt = {}
    for (a, b) in sorted(edges):
        nxt.setdefault(a, []).append(b)
    rings = []
    while nxt:
        start = min(nxt)
        ring = [start]
        cur = start
        while True:
            b = nxt[cur].pop(0)
            if not nxt[cur]:
                del nxt[cur]
            if b == start:
                break
            ring.append(b)
            cur = b
        rings.append([ring])
    return rings


def alpha2(num, name):
    c = pycountry.countries.get(numeric=num)
    if c is None:
        raise SystemExit(f"no ISO alpha-2 for numeric {num} ({name})")
    return c.alpha_2


def load(path):
    topo = json.load(open(path, encoding="utf-8"))
    arcs = decode_arcs(topo)
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        out.append((g.get("id"), name, polygons_of(arcs, g)))
    return out


HALF = 180 * UNIT


def unwrap(ring):
    """Makes longitudes continuous (steps of at most 180 degrees); returns the ring and whether
    it goes round a pole."""
    out = [ring[0]]
    for x, y in ring[1:]:
        px = out[-1][0]
        while x - px > HALF:
            x -= 2 * HALF
        while x - px < -HALF:
            x += 2 * HALF
        out.append((x, y))
    x0 = ring[0][0]
    x = out[-1][0]
    # The closing step decides whether the ring winds round the pole.
    step = x0 - x
    wraps = abs(step) > HALF
    return out, wraps


def clip_x(ring, lo, hi):
    """Sutherland-Hodgman clip of an open ring to lo <= x <= hi."""
    def clip(pts, inside, cut):
        out = []
        n = len(pts)
        for i in range(n):
            cur, prev = pts[i], pts[i - 1]
            if inside(cur) != inside(prev):
                out.append(cut(prev, cur))
            if inside(cur):
                out.append(cur)
        return out

    def at(bound):
        def cut(a, b):
            t = (bound - a[0]) / (b[0] - a[0])
            return (bound, round(a[1] + (b[1] - a[1]) * t))
        return cut

    pts = clip(ring, lambda p: p[0] >= lo, at(lo))
    if pts:
        pts = clip(pts, lambda p: p[0] <= hi, at(hi))
    return clean(pts) if pts else None


def cut_antimeridian(poly):
    """Splits a polygon whose rings cross +-180 degrees into polygons within [-180, 180]."""
    outer, wraps = unwrap(poly[0])
    if wraps:
        # Round the pole: close along the pole's parallel.
        pole = -90 * UNIT if sum(y for _, y in outer) < 0 else 90 * UNIT
        last_x = outer[-1][0]
        full = outer[0][0] + (2 * HALF if last_x > outer[0][0] else -2 * HALF)
        outer = outer + [(full, outer[0][1]), (full, pole), (outer[0][0], pole)]
    xs = [x for x, _ in outer]
    if min(xs) >= -HALF and max(xs) <= HALF:
        return [poly]
    holes = [unwrap(h)[0] for h in poly[1:]]
    out = []
    for k in (-2, -1, 0, 1, 2):
        shift = k * 2 * HALF
        piece = clip_x([(x + shift, y) for x, y in outer], -HALF, HALF)
        if piece is None:
            continue
        hs = [clip_x([(x + shift, y) for x, y in h], -HALF, HALF) for h in holes]
        out.append([piece] + [h for h in hs if h is not None])
    return out


def encode_ring(ring):
    x0, y0 = ring[0]
    parts = [f"{x0},{y0}"]
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        parts.append(f"{bx - ax},{by - ay}")
    return " ".join(parts)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    small = load(f"{src}/countries-110m.json")
    medium = load(f"{src}/countries-50m.json")
    have = {i for i, _, _ in small if i is not None}
    features = small + [f for f in medium if f[0] is not None and f[0] not in have]

    countries = {}  # code -> (name, polygons, merged names)
    for num, name, polys in features:
        if num is None:
            if name in SKIP_NO_ID:
                continue
            code = NO_ID[name]
        else:
            code = alpha2(num, name)
        if not polys:
            continue
        if code in countries and name in NO_ID and NO_ID[name] != "XK":
            cname, cpolys = countries[code]
            countries[code] = (cname, cpolys + polys)
        elif code in countries:
            cname, cpolys = countries[code]
            if num is None:
                countries[code] = (cname, cpolys + polys)
            else:
                countries[code] = (name, polys + cpolys)
        else:
            countries[code] = (name, polys)

    # Dissolve the merged pieces (N. Cyprus into Cyprus, Somaliland into Somalia).
    for code in ("CY", "SO"):
        name, polys = countries[code]
        countries[code] = (name, dissolve(polys))

    lines = [
        "# mosy world outlines, format 1. See data/geo/README.md.",
        "# Natural Earth 4.1.0 Admin 0 countries (public domain) via world-atlas 2.0.2 (ISC):",
        "# 1:110m, small states missing there from 1:50m. Keyed by ISO 3166-1 alpha-2 (XK = Kosovo).",
        "# Line: CODE<TAB>name<TAB>polygons joined by '|'; rings joined by ';' (outer first);",
        "# ring: 'x,y' absolute then 'dx,dy' steps separated by spaces, unit 0.001 degree (lon, lat),",
        "# closing point omitted.",
    ]
    for code in sorted(countries):
        name, polys = countries[code]
        polys = [p for poly in polys for p in cut_antimeridian(poly)]
        geom = "|".join(";".join(encode_ring(r) for r in poly) for poly in polys)
        lines.append(f"{code}\t{name}\t{geom}")
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(countries)} countries, {sum(len(l) + 1 for l in lines)} bytes -> {dst}")


if __name__ == "__main__":
    main()
