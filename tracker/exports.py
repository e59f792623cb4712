"""Machine-readable files: JSON, CSV, GeoJSON, the Atom feed, the sitemap and robots.txt."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from typing import Any
from xml.sax.saxutils import escape

from tracker.dictionary import generated_files
from tracker.maps import feature
from tracker.models import Jurisdiction
from tracker.site import Site
from tracker.urls import Urls

FEED_ENTRIES = 500  # the newest; feed readers poll for what is new, the timeline and downloads hold the rest
CSV_COLUMNS = (
    "id",
    "name",
    "official_name",
    "kind",
    "state",
    "fips",
    "lat",
    "lon",
    "status",
    "status_date",
    "fy2016_jag_amount",
    "fy2016_jag_amount_min",
    "fy2016_jag_confidence",
    "fy2016_jag_source_url",
    "letter_batches",
    "events",
    "url",
)


def plain(value: Any) -> Any:
    """Dataclasses, dates and tuples as JSON values (dates as YYYY-MM-DD)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def jurisdiction_record(j: Jurisdiction, urls: Urls) -> dict[str, Any]:
    record = plain(j)
    record["url"] = urls.absolute(urls.jurisdiction(j))
    return record


def to_json(site: Site, urls: Urls) -> bytes:
    body = {
        "last_updated": site.last_updated.isoformat(),
        "licence": "CC-BY-4.0",
        "jurisdictions": [jurisdiction_record(j, urls) for j in site.jurisdictions],
    }
    # Compact (browsers and tools pretty-print): at national scale indentation alone would add tens of MB.
    return (json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def csv_row(j: Jurisdiction, urls: Urls) -> dict[str, Any]:
    g = j.headline_grant
    return {
        "id": j.id,
        "name": j.name,
        "official_name": j.official_name,
        "kind": j.kind,
        "state": j.state,
        "fips": j.fips,
        "lat": j.lat,
        "lon": j.lon,
        "status": j.status,
        "status_date": j.status_date.isoformat() if j.status_date else "",
        "fy2016_jag_amount": "" if g is None or g.amount is None else g.amount,
        "fy2016_jag_amount_min": "" if g is None or g.amount_min is None else g.amount_min,
        "fy2016_jag_confidence": g.confidence if g else "",
        "fy2016_jag_source_url": g.source.url if g else "",
        "letter_batches": " ".join(j.batches),
        "events": len(j.events),
        "url": urls.absolute(urls.jurisdiction(j)),
    }


def to_csv(site: Site, urls: Urls) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_row(j, urls) for j in site.jurisdictions)
    return out.getvalue().encode("utf-8")


def to_geojson(site: Site, urls: Urls) -> bytes:
    features = []
    for j in site.jurisdictions:
        feat = feature(j, urls)
        feat["properties"]["url"] = urls.absolute(urls.jurisdiction(j))
        features.append(feat)
    body = {"type": "FeatureCollection", "features": features}
    # Compact: the map loads this file, so every byte counts on a phone.
    return (json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def atom_entry(entry_id: str, title: str, link: str, updated: dt.date, summary: str) -> str:
    stamp = f"{updated.isoformat()}T00:00:00Z"
    return (
        f"<entry><id>{escape(entry_id)}</id><title>{escape(title)}</title>"
        f'<link rel="alternate" type="text/html" href="{escape(link)}"/><updated>{stamp}</updated>'
        f'<summary type="text">{escape(summary)}</summary></entry>'
    )


def to_feed(site: Site, urls: Urls, title: str) -> bytes:
    """Atom: each dated event and each article, newest first; times come from the data, never the clock."""
    entries = []
    for j, e in site.events:
        link = urls.absolute(urls.jurisdiction(j))
        entry_id = f"{link}#{e.date.isoformat()}-{e.kind}-{hash_text(e.summary)}"
        entries.append(
            (e.date, atom_entry(entry_id, f"{j.display_name}: {e.kind}, {e.date.isoformat()}", link, e.date, e.summary))
        )
    for p in site.pages:
        link = urls.absolute(urls.page(p))
        entries.append((p.updated, atom_entry(link, p.title, link, p.updated, p.summary)))
    for c in site.changelog:
        link = urls.absolute(urls.updates)
        entry_id = f"{link}#{c.date.isoformat()}-{c.kind}-{hash_text(c.summary)}"
        entries.append(
            (c.date, atom_entry(entry_id, f"{c.kind.capitalize()}, {c.date.isoformat()}", link, c.date, c.summary))
        )
    entries.sort(key=lambda pair: pair[0], reverse=True)
    updated = max([site.last_updated] + [d for d, _ in entries])
    entries = entries[:FEED_ENTRIES]
    head = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{escape(urls.absolute(''))}</id><title>{escape(title)}</title>"
        f'<link rel="self" href="{escape(urls.absolute(urls.feed))}"/><link rel="alternate" href="{escape(urls.absolute(""))}"/>'
        f"<updated>{updated.isoformat()}T00:00:00Z</updated><author><name>{escape(title)}</name></author>"
    )
    return (head + "\n" + "\n".join(e for _, e in entries) + "\n</feed>\n").encode("utf-8")


def hash_text(text: str) -> int:
    """A stable short number for an entry id (Python's hash() changes between runs)."""
    value = 0
    for ch in text.encode("utf-8"):
        value = (value * 131 + ch) % 1_000_000_007
    return value


def to_sitemap(site: Site, urls: Urls) -> bytes:
    sections = (
        urls.home,
        urls.letters,
        urls.cases,
        urls.grants,
        urls.timeline,
        urls.updates,
        urls.search,
        urls.data_index,
        urls.dictionary,
    )
    rows = [(path, site.last_updated) for path in sections]
    rows += [(urls.jurisdiction(j), site.last_updated_for(j)) for j in site.jurisdictions]
    rows += [(urls.case(c), site.last_updated) for c in site.cases]
    rows += [(urls.states, site.last_updated)] + [(urls.state(code), site.last_updated) for code, _ in site.by_state]
    rows += [(urls.page(p), p.updated) for p in site.pages]
    body = "".join(
        f"<url><loc>{escape(urls.absolute(path))}</loc><lastmod>{day.isoformat()}</lastmod></url>\n"
        for path, day in rows
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</urlset>\n'
    ).encode()


def to_robots(urls: Urls) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(urls.sitemap)}\n".encode()


def render_exports(site: Site, urls: Urls, title: str) -> list[tuple[str, bytes, str]]:
    """(output path, bytes, producer) for every non-HTML file."""
    return [
        (urls.json, to_json(site, urls), "the JSON export"),
        (urls.csv, to_csv(site, urls), "the CSV export"),
        (urls.geojson, to_geojson(site, urls), "the GeoJSON export"),
        *[
            (path, text.encode("utf-8"), "a schema")
            for path, text in generated_files().items()
            if path.startswith("schema/")
        ],
        (urls.feed, to_feed(site, urls, title), "the feed"),
        (urls.sitemap, to_sitemap(site, urls), "the sitemap"),
        (urls.robots, to_robots(urls), "robots.txt"),
    ]
