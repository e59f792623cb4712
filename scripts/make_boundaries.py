"""Write the committed Census outlines in data/boundaries/ from the npm package us-atlas 3.0.1.

The site build never runs this script and never touches the network: it reads only the files this
script writes. Run it again only to change what is drawn (a new state or county in the data, another
rounding). Get the package and regenerate, from the repository root:

    (cd /tmp && npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz)   # unpacks to /tmp/package
    .venv/bin/python scripts/make_boundaries.py /tmp/package

It writes
  data/boundaries/states.geojson         every state, DC and Puerto Rico (52 outlines), arcs simplified to
                                         0.015 degrees (STATES_TOLERANCE), 3 decimals;
  data/boundaries/jurisdictions.geojson  one outline per state, county or city-county jurisdiction in
                                         data/jurisdictions.yaml (cities are points, not outlines), 4 decimals.

us-atlas (ISC licence, Mike Bostock) is the US Census Bureau's cartographic boundary files, 2017
edition, as quantized and simplified TopoJSON; the Census data is public domain. The TopoJSON is decoded
here (delta-encoded quantized arcs, then the transform), every ring is closed (one Illinois ring in the
states object of counties-10m.json does not close), coordinates are rounded and consecutive duplicate
points dropped. The output is deterministic: features sorted by id, keys sorted, compact separators,
one trailing newline. An outline missing from the Census files can be drawn by hand in
data/boundaries/manual.geojson (see data/boundaries/README.md).

Python 3.11, standard library plus PyYAML.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_VERSION = "3.0.1"
STATES_PLACES = 3
JURISDICTIONS_PLACES = 4
# states.geojson only: arcs simplified (Douglas-Peucker) to within this many degrees (about 1.5 km, less
# than a pixel on a whole-country map); it brings the file from 254 KB to 185 KB. Arcs are simplified
# before rings are assembled, so neighbouring states keep exactly the same border.
STATES_TOLERANCE = 0.015
# The 50 states, DC (11) and Puerto Rico (72); us-atlas also has 60, 66, 69 and 78 (other territories).
STATE_FIPS = ({f"{n:02d}" for n in range(1, 57)} - {"03", "07", "14", "43", "52"}) | {"72"}
OUTLINED_KINDS = {"state": 2, "county": 5, "city-county": 5}

Position = list[float]
Ring = list[Position]
Polygon = list[Ring]
Feature = dict[str, Any]
Outline = tuple[str, list[Polygon]]


class BoundaryError(Exception):
    """A problem an editor must fix; the message is shown as it is."""


# --- TopoJSON decoding -------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """Absolute longitude/latitude positions of every arc (delta decoding, then the transform)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            positions.append([x * sx + tx, y * sy + ty])
        arcs.append(positions)
    return arcs


def segment_distance2(point: Position, start: Position, end: Position) -> float:
    """Squared distance from a point to a segment (to the point itself when the segment has no length)."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return qx * qx + qy * qy


def simplify(arc: list[Position], tolerance: float) -> list[Position]:
    """Douglas-Peucker: keep both ends and every point needed to stay within the tolerance (degrees)."""
    keep = [False] * len(arc)
    keep[0] = keep[-1] = True
    spans = [(0, len(arc) - 1)]
    while spans:
        first, last = spans.pop()
        distances = [(segment_distance2(arc[i], arc[first], arc[last]), i) for i in range(first + 1, last)]
        farthest, index = max(distances, default=(0.0, 0))
        if farthest > tolerance * tolerance:
            keep[index] = True
            spans += [(first, index), (index, last)]
    return [position for position, kept in zip(arc, keep, strict=True) if kept]


def ring_positions(indexes: list[int], arcs: list[list[Position]]) -> Ring:
    """Join arcs into one closed ring; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return close_ring(ring)


def close_ring(ring: Ring) -> Ring:
    """The ring with its first position repeated at the end if it is not already there."""
    if not ring or ring[0] == ring[-1]:
        return ring
    return [*ring, ring[0]]


def polygons_of(geometry: dict[str, Any], arcs: list[list[Position]]) -> list[Polygon]:
    """A Polygon or MultiPolygon geometry object as a list of polygons of absolute rings."""
    if geometry["type"] == "Polygon":
        parts = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        parts = geometry["arcs"]
    else:
        raise BoundaryError(f"us-atlas: {geometry.get('id')}: unexpected geometry type {geometry['type']}")
    return [[ring_positions(ring, arcs) for ring in polygon] for polygon in parts]


def outlines(topology: dict[str, Any], object_name: str, tolerance: float = 0.0) -> dict[str, Outline]:
    """Every geometry of one TopoJSON object by id: (Census name, polygons), arcs simplified if tolerance > 0."""
    arcs = decode_arcs(topology)
    if tolerance > 0:
        arcs = [simplify(arc, tolerance) for arc in arcs]
    return {
        geometry["id"]: (geometry["properties"]["name"], polygons_of(geometry, arcs))
        for geometry in topology["objects"][object_name]["geometries"]
    }


# --- Rounding and GeoJSON ----------------------------------------------------------------------------


def round_ring(ring: Ring, places: int) -> Ring | None:
    """Round, drop consecutive duplicates, close; None when fewer than 4 positions are left."""
    rounded: Ring = []
    for x, y, *_ in ring:
        position = [round(float(x), places), round(float(y), places)]
        if not rounded or position != rounded[-1]:
            rounded.append(position)
    rounded = close_ring(rounded)
    return rounded if len(rounded) >= 4 else None


def round_polygons(polygons: list[Polygon], places: int) -> list[Polygon]:
    """Rounded polygons; a polygon whose outer ring collapses is dropped with its holes."""
    result = []
    for polygon in polygons:
        rings = [round_ring(ring, places) for ring in polygon]
        if rings and rings[0] is not None:
            result.append([ring for ring in rings if ring is not None])
    return result


def feature(fips: str, name: str, polygons: list[Polygon], places: int) -> Feature:
    """One GeoJSON feature: id and properties.fips are the FIPS code."""
    rounded = round_polygons(polygons, places)
    if not rounded:
        raise BoundaryError(f"us-atlas: {fips} ({name}): nothing left of the outline at {places} decimals")
    geometry = (
        {"type": "Polygon", "coordinates": rounded[0]}
        if len(rounded) == 1
        else {"type": "MultiPolygon", "coordinates": rounded}
    )
    return {"type": "Feature", "id": fips, "properties": {"fips": fips, "name": name}, "geometry": geometry}


def collection(features: Iterable[Feature]) -> dict[str, Any]:
    """A FeatureCollection with its features sorted by id."""
    return {"type": "FeatureCollection", "features": sorted(features, key=lambda f: f["id"])}


def serialize(data: Any) -> str:
    """The committed text: sorted keys, compact separators, UTF-8 as is, one trailing newline."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


# --- The two files -----------------------------------------------------------------------------------


def states_collection(states: dict[str, Outline]) -> dict[str, Any]:
    """All states, DC and Puerto Rico at 3 decimals (from simplified arcs)."""
    return collection(
        feature(fips, name, polygons, STATES_PLACES) for fips, (name, polygons) in states.items() if fips in STATE_FIPS
    )


def manual_outlines(path: Path) -> dict[str, Outline]:
    """Outlines drawn by hand (a GeoJSON FeatureCollection, id = FIPS); none when the file does not exist."""
    if not path.exists():
        return {}
    result = {}
    for item in load_json(path).get("features", []):
        geometry = item["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        name = item.get("properties", {}).get("name") or str(item["id"])
        result[str(item["id"])] = (name, [[close_ring(ring) for ring in polygon] for polygon in polygons])
    return result


def outlined_jurisdictions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The jurisdictions drawn as outlines (states, counties, city-counties), in file order."""
    return [j for j in data.get("jurisdictions") or [] if j.get("kind") in OUTLINED_KINDS]


def jurisdictions_collection(
    jurisdictions: list[dict[str, Any]],
    states: dict[str, Outline],
    counties: dict[str, Outline],
    source: str,
    manual: dict[str, Outline] | None = None,
) -> dict[str, Any]:
    """One outline per jurisdiction at 4 decimals, a hand-drawn one first; BoundaryError names a FIPS not found."""
    features = {}
    for jurisdiction in jurisdictions:
        kind, fips = jurisdiction["kind"], str(jurisdiction.get("fips"))
        table = {**(states if OUTLINED_KINDS[kind] == 2 else counties), **(manual or {})}
        if len(fips) != OUTLINED_KINDS[kind] or fips not in table:
            raise BoundaryError(
                f"{source}: {jurisdiction.get('id')}: no Census outline for FIPS {fips} (kind {kind}); check the "
                "code, or add the outline to data/boundaries/ by hand (see data/boundaries/README.md)."
            )
        name, polygons = table[fips]
        features[fips] = feature(fips, name, polygons, JURISDICTIONS_PLACES)
    return collection(features.values())


# --- Command line ------------------------------------------------------------------------------------


def load_json(path: Path) -> dict[str, Any]:
    """One us-atlas file, with a plain message when it is missing."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundaryError(f"{path}: not found; unpack us-atlas@{PACKAGE_VERSION} (see the docstring)") from None


def check_package(package: Path) -> None:
    """Refuse any us-atlas other than the pinned version, so the output does not change by accident."""
    version = load_json(package / "package.json").get("version")
    if version != PACKAGE_VERSION:
        raise BoundaryError(f"{package}: us-atlas {version}, but this script expects {PACKAGE_VERSION}")


def display(path: Path) -> str:
    """A path relative to the repository root when it is inside it."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def write(path: Path, data: Any) -> None:
    """Write one file and say so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = serialize(data)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {display(path)} ({len(text.encode('utf-8')):,} bytes, {len(data['features'])} features)")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line arguments."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package us-atlas@3.0.1 (e.g. /tmp/package)")
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "jurisdictions.yaml", help="the jurisdictions")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "boundaries", help="the output folder")
    parser.add_argument(
        "--manual",
        type=Path,
        default=ROOT / "data" / "boundaries" / "manual.geojson",
        help="outlines drawn by hand, used before the Census ones (optional file)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build both files, or print one plain message and return 1."""
    args = parse_args(argv)
    try:
        check_package(args.package)
        data = yaml.safe_load(args.data.read_text(encoding="utf-8")) or {}
        states_topology = load_json(args.package / "states-10m.json")
        states = outlines(states_topology, "states")
        counties = outlines(load_json(args.package / "counties-10m.json"), "counties")
        manual = manual_outlines(args.manual)
        places = jurisdictions_collection(outlined_jurisdictions(data), states, counties, display(args.data), manual)
    except BoundaryError as error:
        print(error, file=sys.stderr)
        return 1
    write(args.out / "states.geojson", states_collection(outlines(states_topology, "states", STATES_TOLERANCE)))
    write(args.out / "jurisdictions.geojson", places)
    return 0


if __name__ == "__main__":
    sys.exit(main())
