"""Machine-readable files: JSON, CSV, GeoJSON, the Atom feed, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring as string_json
from operator import itemgetter
from typing import Any
from xml.sax.saxutils import escape

from tracker.build.output import Output
from tracker.model.records import ChangeEntry, Event, Jurisdiction, Page
from tracker.model.second_round import ListEntry, PublishedList
from tracker.model.site import Site
from tracker.render.dictionary import generated_files
from tracker.render.maps import feature
from tracker.render.tables import compact_json, csv_text, json_value
from tracker.render.urls import Urls

Listings = tuple[tuple[PublishedList, ListEntry], ...]
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
    "rounds",
    "lists",
    "events",
    "url",
)


def document_json(fields: dict[str, str]) -> bytes:
    """A download's top-level object, from its fields' JSON text (keys sorted, as json.dumps(sort_keys=True))."""
    return ("{" + ",".join(f"{string_json(key)}:{fields[key]}" for key in sorted(fields)) + "}\n").encode("utf-8")


JSON_BATCH = 500  # jurisdictions encoded at a time: the national file is tens of MB, each piece a few hundred KB
HOLE = "\0"  # where the records go in the document's text (JSON text never holds a raw NUL)


def to_json(site: Site, urls: Urls) -> Iterator[bytes]:
    """Every field of every jurisdiction, and its page's address, a few hundred records at a time."""
    document = document_json(
        {
            "last_updated": string_json(site.last_updated.isoformat()),
            "licence": string_json("CC-BY-4.0"),
            "jurisdictions": "[" + HOLE + "]",
        }
    )
    before, after = document.split(HOLE.encode())
    yield before
    everyone = site.jurisdictions
    for start in range(0, len(everyone), JSON_BATCH):
        records = [record_json(site, urls, j) for j in everyone[start : start + JSON_BATCH]]
        yield (("," if start else "") + ",".join(records)).encode("utf-8")
    yield after


def record_json(site: Site, urls: Urls, j: Jurisdiction) -> str:
    """One jurisdiction: every field of its record, its page's address, its rounds and its list entries."""
    return compact_json(
        {
            **json_value(j),
            "url": urls.absolute(urls.jurisdiction(j)),
            "rounds": site.round_ids[j.id],
            "lists": listings_value(site.listings(j)),
        }
    )


def listings_value(listings: Listings) -> list[dict[str, str]]:
    return [{"list": x.id, "label": e.label, "category": e.category} for x, e in listings]


def csv_row(j: Jurisdiction, urls: Urls, rounds: tuple[str, ...], listings: Listings) -> dict[str, Any]:
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
        "rounds": " ".join(rounds),
        "lists": " ".join(f"{x.id}:{e.category}" for x, e in listings),
        "events": len(j.events),
        "url": urls.absolute(urls.jurisdiction(j)),
    }


def to_csv(site: Site, urls: Urls) -> bytes:
    rows = (csv_row(j, urls, site.round_ids[j.id], site.listings(j)) for j in site.jurisdictions)
    return csv_text(CSV_COLUMNS, map(itemgetter(*CSV_COLUMNS), rows)).encode("utf-8")


def feature_json(j: Jurisdiction, urls: Urls, rounds: tuple[str, ...], listings: Listings) -> str:
    feat = feature(j, urls)
    feat["properties"]["url"] = urls.absolute(urls.jurisdiction(j))
    feat["properties"]["rounds"] = list(rounds)
    feat["properties"]["lists"] = listings_value(listings)
    return compact_json(feat)


def to_geojson(site: Site, urls: Urls) -> bytes:
    """The map's points, each written as made, so that 10,000 features never pile up for the garbage collector."""
    # Compact: the map loads this file, so every byte counts on a phone.
    features = [feature_json(j, urls, site.round_ids[j.id], site.listings(j)) for j in site.jurisdictions]
    return document_json({"type": string_json("FeatureCollection"), "features": "[" + ",".join(features) + "]"})


def atom_entry(entry_id: str, title: str, link: str, updated: dt.date, summary: str) -> str:
    stamp = f"{updated.isoformat()}T00:00:00Z"
    return (
        f"<entry><id>{escape(entry_id)}</id><title>{escape(title)}</title>"
        f'<link rel="alternate" type="text/html" href="{escape(link)}"/><updated>{stamp}</updated>'
        f'<summary type="text">{escape(summary)}</summary></entry>'
    )


def event_entry(j: Jurisdiction, e: Event, urls: Urls) -> str:
    link = urls.absolute(urls.jurisdiction(j))
    entry_id = f"{link}#{e.date.isoformat()}-{e.kind}-{hash_text(e.summary)}"
    return atom_entry(entry_id, f"{j.display_name}: {e.kind}, {e.date.isoformat()}", link, e.date, e.summary)


def page_entry(p: Page, urls: Urls) -> str:
    link = urls.absolute(urls.page(p))
    return atom_entry(link, p.title, link, p.updated, p.summary)


def change_entry(c: ChangeEntry, urls: Urls) -> str:
    link = urls.absolute(urls.updates)
    entry_id = f"{link}#{c.date.isoformat()}-{c.kind}-{hash_text(c.summary)}"
    return atom_entry(entry_id, f"{c.kind.capitalize()}, {c.date.isoformat()}", link, c.date, c.summary)


FeedItem = tuple[tuple, dt.date, Callable[..., str], tuple]  # sort key, date, entry maker, its arguments


def feed_items(site: Site) -> Iterator[FeedItem]:
    """Everything the feed may list, keyed newest first; on one day events, then articles, then changes."""
    for j in site.jurisdictions:
        for e in j.events:  # events of one day by jurisdiction name, then summary, as Site.events orders them
            yield (-e.date.toordinal(), 0, j.name, e.summary), e.date, event_entry, (j, e)
    for i, p in enumerate(site.pages):
        yield (-p.updated.toordinal(), 1, i), p.updated, page_entry, (p,)
    for i, c in enumerate(site.changelog):
        yield (-c.date.toordinal(), 2, i), c.date, change_entry, (c,)


def to_feed(site: Site, urls: Urls, title: str) -> bytes:
    """Atom: the newest dated events, articles and changes; times come from the data, never the clock."""
    # nsmallest is sorted()[:n] (ties stay in order) holding n items, not 40,000 events and their sort keys.
    newest = heapq.nsmallest(FEED_ENTRIES, feed_items(site), key=itemgetter(0))
    updated = max([site.last_updated] + [day for _, day, _, _ in newest[:1]])  # the newest item comes first
    head = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{escape(urls.absolute(''))}</id><title>{escape(title)}</title>"
        f'<link rel="self" href="{escape(urls.absolute(urls.feed))}"/><link rel="alternate" href="{escape(urls.absolute(""))}"/>'
        f"<updated>{updated.isoformat()}T00:00:00Z</updated><author><name>{escape(title)}</name></author>"
    )
    entries = [make_entry(*args, urls) for _, _, make_entry, args in newest]
    return (head + "\n" + "\n".join(entries) + "\n</feed>\n").encode("utf-8")


def hash_text(text: str) -> int:
    """A stable short number for an entry id (Python's hash() changes between runs)."""
    value = 0
    for ch in text.encode("utf-8"):
        value = (value * 131 + ch) % 1_000_000_007
    return value


def last_changes(site: Site) -> dict[str, dt.date]:
    """Site.last_updated_for for every jurisdiction with a logged change, in one pass over the changelog."""
    latest: dict[str, dt.date] = {}
    for c in site.changelog:
        for jid in c.jurisdiction_ids:
            latest[jid] = max(latest.get(jid, c.date), c.date)
    return latest


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
    changed = last_changes(site)
    states = sorted({j.state for j in site.jurisdictions})  # the codes of site.by_state, without grouping 10,000 rows
    rows = [(path, site.last_updated) for path in sections]
    rows += [(urls.jurisdiction(j), changed.get(j.id, site.last_updated)) for j in site.jurisdictions]
    rows += [(urls.case(c), site.last_updated) for c in site.cases]
    rows += [(urls.second_round, site.last_updated), (urls.targeted_twice, site.last_updated)]
    rows += [(urls.published_list(x), site.last_updated) for x in site.lists]
    rows += [(urls.measure(m), site.last_updated) for m in site.measures]
    rows += [(urls.states, site.last_updated)] + [(urls.state(code), site.last_updated) for code in states]
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


def render_exports(site: Site, urls: Urls, title: str) -> Iterator[Output]:
    """(output path, content, producer) for every non-HTML file, one at a time (a national file is tens of MB)."""
    yield urls.json, to_json(site, urls), "the JSON export"
    yield urls.csv, to_csv(site, urls), "the CSV export"
    yield urls.geojson, to_geojson(site, urls), "the GeoJSON export"
    for path, text in generated_files().items():
        if path.startswith("schema/"):
            yield path, text.encode("utf-8"), "a schema"
    yield urls.feed, to_feed(site, urls, title), "the feed"
    yield urls.sitemap, to_sitemap(site, urls), "the sitemap"
    yield urls.robots, to_robots(urls), "robots.txt"
