"""The committed Census outlines in data/boundaries/: complete, valid, and as scripts/make_boundaries.py writes them.

No network and no us-atlas package: the files' invariants are checked, and the script's pure functions
are run on a tiny hand-made topology.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections import Counter
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "boundaries"
TOLERANCE = 0.05  # degrees: an approximate point may sit this close outside its outline


def load_script() -> ModuleType:
    """scripts/make_boundaries.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_boundaries", ROOT / "scripts" / "make_boundaries.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mb = load_script()


def read(name: str) -> dict[str, Any]:
    return json.loads((BOUNDARIES / name).read_text(encoding="utf-8"))


def jurisdictions() -> list[dict[str, Any]]:
    return yaml.safe_load((ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))["jurisdictions"]


def polygons(feature: dict[str, Any]) -> list[list[list[list[float]]]]:
    geometry = feature["geometry"]
    assert geometry["type"] in {"Polygon", "MultiPolygon"}, feature["id"]
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def by_id(name: str) -> dict[str, dict[str, Any]]:
    return {feature["id"]: feature for feature in read(name)["features"]}


# --- A small point-in-polygon ------------------------------------------------------------------------


def in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    """Ray casting: does the horizontal ray from (x, y) cross the ring an odd number of times?"""
    inside = False
    for (ax, ay), (bx, by) in pairwise(ring):
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            inside = not inside
    return inside


def segment_distance(x: float, y: float, a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length2))
    return math.hypot(a[0] + t * dx - x, a[1] + t * dy - y)


def distance_to_outline(lon: float, lat: float, feature: dict[str, Any]) -> float:
    """0 inside the outline (holes excluded), otherwise the distance in degrees to its nearest edge."""
    for polygon in polygons(feature):
        if in_ring(lon, lat, polygon[0]) and not any(in_ring(lon, lat, hole) for hole in polygon[1:]):
            return 0.0
    return min(
        segment_distance(lon, lat, a, b) for polygon in polygons(feature) for ring in polygon for a, b in pairwise(ring)
    )


def test_point_in_polygon_helper() -> None:
    square = {"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}}
    holed = {
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                *square["geometry"]["coordinates"],
                [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]],
            ],
        }
    }
    assert distance_to_outline(1, 1, square) == 0
    assert distance_to_outline(3, 1, square) == pytest.approx(1)
    assert distance_to_outline(1, 1, holed) == pytest.approx(0.5)


# --- The committed files ------------------------------------------------------------------------------


def test_every_outlined_jurisdiction_has_exactly_one_outline() -> None:
    expected = Counter(j["fips"] for j in jurisdictions() if j["kind"] in {"state", "county", "city-county"})
    found = Counter(feature["id"] for feature in read("jurisdictions.geojson")["features"])
    assert found == Counter(set(expected)), "one outline per state, county and city-county FIPS code, nothing else"
    assert all(count == 1 for count in found.values())
    for jurisdiction in jurisdictions():
        if jurisdiction["kind"] == "city":
            assert jurisdiction["fips"] not in found, f"{jurisdiction['id']}: cities are points, not outlines"


@pytest.mark.parametrize(("name", "places"), [("states.geojson", 3), ("jurisdictions.geojson", 4)])
def test_features_are_valid_rounded_and_sorted(name: str, places: int) -> None:
    collection = read(name)
    assert collection["type"] == "FeatureCollection"
    ids = [feature["id"] for feature in collection["features"]]
    assert ids == sorted(ids)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["properties"]["fips"] == feature["id"]
        assert feature["properties"]["name"]
        for polygon in polygons(feature):
            assert polygon, feature["id"]
            for ring in polygon:
                assert len(ring) >= 4, f"{feature['id']}: a ring with {len(ring)} positions"
                assert ring[0] == ring[-1], f"{feature['id']}: a ring that does not close"
                assert all(a != b for a, b in pairwise(ring)), f"{feature['id']}: duplicate point"
                for lon, lat in ring:
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                    assert round(lon, places) == lon and round(lat, places) == lat


def test_states_file_has_every_state_dc_and_puerto_rico() -> None:
    states = by_id("states.geojson")
    assert len(states) == 52
    assert {"06", "11", "17", "41", "72"} <= set(states)
    assert not {"60", "66", "69", "78"} & set(states)
    assert states["06"]["properties"]["name"] == "California"


@pytest.mark.parametrize("jurisdiction", [j for j in jurisdictions() if j["kind"] != "city"], ids=lambda j: j["id"])
def test_point_lies_in_its_outline(jurisdiction: dict[str, Any]) -> None:
    outline = by_id("jurisdictions.geojson")[jurisdiction["fips"]]
    distance = distance_to_outline(jurisdiction["lon"], jurisdiction["lat"], outline)
    assert distance <= TOLERANCE, f"{jurisdiction['id']}: the point is {distance:.3f} degrees outside its outline"


@pytest.mark.parametrize("jurisdiction", jurisdictions(), ids=lambda j: j["id"])
def test_point_lies_in_its_state(jurisdiction: dict[str, Any]) -> None:
    state = by_id("states.geojson")[jurisdiction["fips"][:2]]
    distance = distance_to_outline(jurisdiction["lon"], jurisdiction["lat"], state)
    assert distance <= TOLERANCE, f"{jurisdiction['id']}: the point is {distance:.3f} degrees outside its state"


@pytest.mark.parametrize("name", ["states.geojson", "jurisdictions.geojson", "README.md"])
def test_files_exist_and_stay_small(name: str) -> None:
    assert (BOUNDARIES / name).stat().st_size < 200_000


@pytest.mark.parametrize("name", ["states.geojson", "jurisdictions.geojson"])
def test_files_are_exactly_what_the_serializer_writes(name: str) -> None:
    text = (BOUNDARIES / name).read_text(encoding="utf-8")
    assert mb.serialize(json.loads(text)) == text


# --- The script's pure functions on a tiny topology ----------------------------------------------------

TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [-100.0, 40.0]},
    "arcs": [
        [[0, 0], [4, 0], [0, 4]],  # (-100, 40) -> (-98, 40) -> (-98, 41)
        [[4, 4], [-4, 0], [0, -3]],  # (-98, 41) -> (-100, 41) -> (-100, 40.25): stops short, like Illinois
    ],
    "objects": {
        "things": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "99", "properties": {"name": "Square"}, "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "98", "properties": {"name": "Back"}, "arcs": [[[~1, ~0]]]},
            ],
        }
    },
}


def test_decoding_applies_deltas_and_transform() -> None:
    arcs = mb.decode_arcs(TOPOLOGY)
    assert arcs[0] == [[-100.0, 40.0], [-98.0, 40.0], [-98.0, 41.0]]
    assert arcs[1] == [[-98.0, 41.0], [-100.0, 41.0], [-100.0, 40.25]]


def test_rings_are_joined_reversed_and_closed() -> None:
    outlines = mb.outlines(TOPOLOGY, "things")
    name, [[ring]] = outlines["99"]
    assert name == "Square"
    assert ring == [[-100.0, 40.0], [-98.0, 40.0], [-98.0, 41.0], [-100.0, 41.0], [-100.0, 40.25], [-100.0, 40.0]]
    _, [[back]] = outlines["98"]
    assert back[0] == [-100.0, 40.25] and back[-1] == back[0] and len(back) == 6


def test_rounding_drops_duplicates_and_degenerate_rings() -> None:
    ring = [[0.00001, 0.0], [1.0, 0.0], [1.00002, 0.00001], [1.0, 1.0], [0.0, 0.0]]
    assert mb.round_ring(ring, 3) == [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    assert mb.round_ring([[0.0, 0.0], [0.0001, 0.0], [0.0, 0.0001], [0.0, 0.0]], 3) is None


def test_simplify_keeps_ends_and_far_points() -> None:
    arc = [[0.0, 0.0], [1.0, 0.001], [2.0, 0.0], [3.0, 1.0]]
    assert mb.simplify(arc, 0.01) == [[0.0, 0.0], [2.0, 0.0], [3.0, 1.0]]


def test_output_is_deterministic() -> None:
    outlines = mb.outlines(TOPOLOGY, "things")
    one = mb.serialize(mb.collection(mb.feature(k, n, p, 4) for k, (n, p) in outlines.items()))
    two = mb.serialize(mb.collection(mb.feature(k, n, p, 4) for k, (n, p) in reversed(outlines.items())))
    assert one == two and one.endswith("}\n") and '"id":"98"' in one.split('"id":"99"')[0]


def test_unknown_fips_is_a_plain_message() -> None:
    outlines = mb.outlines(TOPOLOGY, "things")
    bad = [{"id": "nowhere", "kind": "county", "fips": "99001"}]
    with pytest.raises(mb.BoundaryError) as error:
        mb.jurisdictions_collection(bad, outlines, {}, "data/jurisdictions.yaml")
    assert str(error.value) == (
        "data/jurisdictions.yaml: nowhere: no Census outline for FIPS 99001 (kind county); check the code, "
        "or add the outline to data/boundaries/ by hand (see data/boundaries/README.md)."
    )
    manual = {"99001": ("Drawn", outlines["99"][1])}
    drawn = mb.jurisdictions_collection(bad, outlines, {}, "data/jurisdictions.yaml", manual)
    assert [f["properties"] for f in drawn["features"]] == [{"fips": "99001", "name": "Drawn"}]
