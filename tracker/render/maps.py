"""The map: folium draws the outlines of states and counties, with local assets and stable ids; tracker.js adds
each jurisdiction's symbol from the GeoJSON download."""

from __future__ import annotations

import contextlib
import json
import marshal
import re
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from tracker.data.boundaries import CITY_KIND, Outlines
from tracker.data.schema import STATUSES
from tracker.keep import digest, replace_file
from tracker.model.records import FIRST_TARGETED_2025, Jurisdiction
from tracker.render.money import headline_text
from tracker.render.urls import Urls

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# Okabe-Ito colours (safe for common colour-vision deficiencies), each paired with its own shape.
STATUS_STYLE = {
    "letter-sent": ("#E69F00", '<circle cx="12" cy="12" r="8"/>'),
    "responded": ("#56B4E9", '<rect x="5" y="5" width="14" height="14"/>'),
    "litigating": ("#D55E00", '<path d="M12 3 21 20H3z"/>'),  # triangle
    "cleared": ("#009E73", '<path d="M12 2 22 12 12 22 2 12z"/>'),  # diamond
    "won-in-court": ("#0072B2", '<path d="M12 2l2.9 6.3 6.9.7-5.2 4.6 1.5 6.8L12 17l-6.1 3.4 1.5-6.8L2.2 9l6.9-.7z"/>'),
    "resolved": ("#CC79A7", '<path d="M7 3h10l5 9-5 9H7l-5-9z"/>'),  # hexagon
    # A cross for no 2017–2018 letter: first targeted in 2025 (grey: 3:1 on light and dark).
    "2025-only": ("#8a8a8a", '<path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6z"/>'),
}
HEX_ID = re.compile(r"\b([a-z_]+_)([0-9a-f]{32})(?![0-9a-f])")


@dataclass(frozen=True)
class MapParts:
    """What a page template needs to embed the map without an iframe."""

    assets: tuple[str, ...]  # <link>/<script> tags for Leaflet, served from site/
    html: str  # the map's <div>
    script: str  # the JavaScript that draws it
    name: str  # the map's JavaScript variable and element id

    @property
    def inline(self) -> str:
        """The exact text between <script> and </script>; the page's CSP allows it by hash."""
        return "\n" + self.script + "\n"


def symbol(status: str, size: int = 24) -> str:
    """An inline SVG of a status's shape and colour (used by the map and the legend)."""
    colour, shape = STATUS_STYLE[status]
    return (
        f'<svg class="sym" width="{size}" height="{size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        f'<g fill="{colour}" stroke="#1a1a1a" stroke-width="1.5">{shape}</g></svg>'
    )


def feature(j: Jurisdiction, urls: Urls, extra: dict[str, Any]) -> dict[str, Any]:
    """A jurisdiction's point for the map (data/jurisdictions.geojson), with `extra` properties."""
    point = {"type": "Point", "coordinates": [round(j.lon, 4), round(j.lat, 4)]}
    properties = {"id": j.id, "name": j.display_name, "kind": j.kind, "state": j.state, "status": j.status_key}
    properties |= {"status_label": j.status_label, "fy2016": headline_text(j.headline_grant)}
    properties |= {"page": urls.link(urls.jurisdiction(j)), "batches": list(j.batches), **extra}
    return {"type": "Feature", "id": j.id, "geometry": point, "properties": properties}


def symbols_json() -> str:
    """Each status's symbol and colour, for tracker.js to draw the points (built here, never from data)."""
    return json.dumps({s: {"html": symbol(s), "colour": STATUS_STYLE[s][0]} for s in STATUS_STYLE}, sort_keys=True)


def stable_ids(text: str) -> str:
    """Replace branca's random 32-hex element ids by counters, in order of first appearance."""
    seen: dict[str, str] = {}
    return HEX_ID.sub(lambda m: m.group(1) + seen.setdefault(m.group(2), f"{len(seen) + 1:02d}"), text)


def outline_feature(j: Jurisdiction, outlines: Outlines) -> dict[str, Any]:
    properties = {"id": j.id, "status": j.status_key, "colour": STATUS_STYLE[j.status_key][0]}
    return {"type": "Feature", "id": j.id, "geometry": outlines.jurisdictions[j.fips], "properties": properties}


def outline_style(feat: dict[str, Any]) -> dict[str, Any]:
    colour = feat["properties"]["colour"]
    return {"color": colour, "weight": 1.5, "fillColor": colour, "fillOpacity": 0.25}


def drawn_map(
    jurisdictions: tuple[Jurisdiction, ...], urls: Urls, tiles: bool, outlines: Outlines, kept: tuple[Path, str] | None
) -> MapParts:
    """The map of every jurisdiction (outlines for states and counties, one keyboard-reachable symbol each).

    `kept`: (a file, the code's digest). The last map drawn is kept there under a hash of its inputs and code, and
    used again while both are unchanged (folium and pandas take about a second to load and draw).
    """
    areas = [outline_feature(j, outlines) for j in jurisdictions if j.kind != CITY_KIND]
    lats, lons = [j.lat for j in jurisdictions], [j.lon for j in jurisdictions]
    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]]
    if kept is None:
        return draw_map(areas, bounds, urls, tiles)
    file, key = kept[0], digest(kept[1], areas, bounds, urls, tiles)
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):  # none kept yet, or not readable: draw it
        saved_key, fields = marshal.loads(file.read_bytes())
        if saved_key == key:
            return MapParts(tuple(fields[0]), *fields[1:])
    parts = draw_map(areas, bounds, urls, tiles)
    with contextlib.suppress(OSError):  # not kept: the next build draws it again
        file.parent.mkdir(parents=True, exist_ok=True)
        replace_file(file, marshal.dumps((key, astuple(parts))))
    return parts


def draw_map(areas: list[dict[str, Any]], bounds: list[list[float]], urls: Urls, tiles: bool) -> MapParts:
    """Draw the map with folium, then render it into parts, numbering its ids consistently across all of them."""
    import folium  # here, not at the top: with pandas it costs half a second, and a kept map needs neither
    from folium.utilities import JsCode

    m = folium.Map(location=[39.5, -98.35], zoom_start=4, tiles=None, scrollWheelZoom=False, control_scale=True)
    m.default_js = [("leaflet", urls.link(urls.static("vendor/leaflet/leaflet.js")))]
    m.default_css = [("leaflet_css", urls.link(urls.static("vendor/leaflet/leaflet.css")))]
    if tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, name="OpenStreetMap", max_zoom=19).add_to(m)
    # Outlines show geography only; the symbols on top carry the names, popups and keyboard access.
    geo = {"type": "FeatureCollection", "features": areas}
    js = JsCode("window.trackerOutline")
    folium.GeoJson(geo, name="Outlines", style_function=outline_style, interactive=False, on_each_feature=js).add_to(m)
    # The symbols come from data/jurisdictions.geojson (the download), fetched by tracker.js: one cacheable
    # file instead of one JavaScript object per jurisdiction in every page that shows the map.
    m.fit_bounds(bounds, padding=(20, 20))
    root = m.get_root()
    root.render()
    # Hand the map to tracker.js (base layer, filters, links to a jurisdiction).
    ready = f"\nwindow.trackerMapReady && window.trackerMapReady({m.get_name()});"
    parts = [m.get_name(), root.header.render(), root.html.render(), root.script.render().strip() + ready]
    name, header, html, script = stable_ids("\x00".join(parts)).split("\x00")
    assets = tuple(re.findall(r"<script src=[^>]*></script>|<link [^>]*>", header))
    return MapParts(assets, html.strip(), script, name)


def legend_items() -> tuple[tuple[str, str, str], ...]:
    """(status, svg, description) for the legend."""
    words = {**STATUSES, "2025-only": FIRST_TARGETED_2025}
    return tuple((s, symbol(s, 20), words[s]) for s in STATUS_STYLE)
