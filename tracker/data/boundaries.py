"""Census outlines from data/boundaries/, and small locator maps drawn from them as SVG."""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.data.states import STATE_FIPS
from tracker.errors import DataError, Problem
from tracker.model.records import Jurisdiction

Ring = list[list[float]]
CITY_KIND = "city"  # cities are points; every other kind is drawn by its outline


@dataclass(frozen=True)
class Outlines:
    states: dict[str, Any]  # FIPS -> GeoJSON geometry, every state (the base layer)
    jurisdictions: dict[str, Any]  # FIPS -> geometry, for states, counties and city-counties we track
    digest: str  # of the files they were read from: in every cached page's key (build/incremental.py)
    # Each state's projection and path, drawn once per process: a national data set has thousands of pages per state.
    drawn: dict[tuple[str, int], tuple[Frame, str]] = field(default_factory=dict, compare=False, repr=False)

    def state_drawing(self, fips: str, size: int) -> tuple[Frame, str] | None:
        if (fips, size) not in self.drawn and fips in self.states:
            frame = fit(self.states[fips], size - 8, size - 8)
            self.drawn[(fips, size)] = (frame, path_data(self.states[fips], frame))
        return self.drawn.get((fips, size))


def read_collection(file: Path) -> tuple[dict[str, Any], str]:
    """The geometries by id, and a hash of the file."""
    try:
        status = file.stat()
        return _read_collection(file, (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino))
    except (OSError, ValueError, KeyError) as e:
        raise DataError([Problem(str(file), None, None, f"cannot read the outlines: {e}", title="Boundaries")]) from e


@functools.lru_cache(maxsize=4)  # the preview reads the outlines after every save; they rarely change
def _read_collection(file: Path, stamp: tuple[int, ...]) -> tuple[dict[str, Any], str]:
    blob = file.read_bytes()
    return {f["id"]: f["geometry"] for f in json.loads(blob)["features"]}, hashlib.sha256(blob).hexdigest()


def load_outlines(boundaries_dir: Path, jurisdictions: tuple[Jurisdiction, ...]) -> Outlines:
    """Read the committed outlines; a jurisdiction without one is an error that says how to add it."""
    states, states_hash = read_collection(boundaries_dir / "states.geojson")
    areas, areas_hash = read_collection(boundaries_dir / "jurisdictions.geojson")
    outlines = Outlines(states, areas, states_hash + areas_hash)
    problems = []
    for j in jurisdictions:
        if j.kind != CITY_KIND and j.fips not in outlines.jurisdictions:
            message = (
                f"no Census outline for FIPS {j.fips} (kind {j.kind}); run `make boundaries` to regenerate "
                "data/boundaries/ (see data/boundaries/README.md), or check the code."
            )
            problems.append(Problem("data/jurisdictions.yaml", None, None, message, subject=j.id, title="Boundaries"))
    if problems:
        raise DataError(problems)
    return outlines


def rings(geometry: dict[str, Any]) -> Iterator[Ring]:
    for polygon in geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]:
        yield from polygon


@dataclass(frozen=True)
class Frame:
    """An equirectangular projection fitted to a bounding box (good enough at state scale)."""

    west: float
    north: float
    scale: float
    squeeze: float  # cos(latitude): keeps shapes from looking stretched

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.west) * self.squeeze * self.scale, (self.north - lat) * self.scale)


def fit(geometry: dict[str, Any], width: float, height: float) -> Frame:
    points = [p for ring in rings(geometry) for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    # Alaska's Aleutians cross the antimeridian; keep the frame on the mainland side.
    west = max(west, -180.0)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = min(width / max((east - west) * squeeze, 1e-6), height / max(north - south, 1e-6))
    return Frame(west, north, scale, squeeze)


def path_data(geometry: dict[str, Any], frame: Frame) -> str:
    projected = ([frame.xy(lon, lat) for lon, lat in ring] for ring in rings(geometry))
    return "".join("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z" for ring in projected)


def locator_svg(j: Jurisdiction, outlines: Outlines, size: int = 220) -> str:
    """A small map of the jurisdiction's state with the jurisdiction marked (no JavaScript needed)."""
    drawing = outlines.state_drawing(STATE_FIPS.get(j.state, ""), size)
    if drawing is None:
        return ""
    frame, state_path = drawing
    state_class = "loc-area" if j.kind == "state" else "loc-state"  # a state is itself the area marked
    shapes = [f'<path class="{state_class}" d="{state_path}"/>']
    if j.kind not in (CITY_KIND, "state"):
        shapes.append(f'<path class="loc-area" d="{path_data(outlines.jurisdictions[j.fips], frame)}"/>')
    x, y = frame.xy(j.lon, j.lat)
    shapes.append(f'<circle class="loc-point" cx="{x:.1f}" cy="{y:.1f}" r="5"/>')
    return (
        f'<svg class="locator" viewBox="-4 -4 {size} {size}" width="{size}" height="{size}" role="img" '
        f'aria-labelledby="locator-title-{j.id}"><title id="locator-title-{j.id}">Location of '
        f"{html.escape(j.display_name)} within {j.state}</title>{''.join(shapes)}</svg>"
    )
