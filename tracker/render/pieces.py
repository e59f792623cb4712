"""What each jurisdiction adds to the downloads, and the national downloads as joins of those pieces.

A record's pieces (its JSON object, CSV line and GeoJSON feature, its rows of the events and grants tables) are made
from the record and the few site-wide facts named in their key: its rounds, its list entries, the site's addresses.
Kept from one build to the next by that key (tracker/keep.py: Memo), only an edited record's pieces are made again,
and each national download is a join and a write.
"""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring as string_json
from operator import attrgetter
from typing import Any, NamedTuple

from tracker.keep import Memo, digest
from tracker.model.records import Jurisdiction
from tracker.model.second_round import ListEntry, PublishedList
from tracker.model.site import Site, TimelineItem, jurisdiction_items
from tracker.render.maps import feature
from tracker.render.tables import (
    EVENT_COLUMNS,
    GRANT_COLUMNS,
    Output,
    compact_json,
    csv_lines,
    event_row,
    grant_row,
    json_rows,
    json_value,
    table_files,
)
from tracker.render.urls import Urls

Listings = tuple[tuple[PublishedList, ListEntry], ...]
# An event's place in the timeline ("date\0kind\0text": sorts as the triple, since no text holds a control character),
# its CSV line and its JSON object.
EventRow = tuple[str, bytes, bytes]
# The CSV's columns: the record's own fields as they are (named once, read by that name), then those csv_row makes.
OWN_COLUMNS = ("id", "name", "official_name", "kind", "state", "fips", "lat", "lon", "status")
own_values = attrgetter(*OWN_COLUMNS)
FY2016_COLUMNS = ("fy2016_jag_amount", "fy2016_jag_amount_min", "fy2016_jag_confidence", "fy2016_jag_source_url")
CSV_COLUMNS = (*OWN_COLUMNS, "status_date", *FY2016_COLUMNS, "letter_batches", "rounds", "lists", "events", "url")


class Pieces(NamedTuple):
    """In UTF-8: the joins are writes, and 10,000 records' pieces (90 MB) are kept and read back as a few objects each."""

    record: bytes  # its object in jurisdictions.json
    csv: bytes  # its line of jurisdictions.csv
    feature: bytes  # its feature in jurisdictions.geojson
    events: tuple[EventRow, ...]  # its rows of the events table, in the record's order
    grant_lines: bytes  # its lines of the grants CSV, in the ledger's order (by fiscal year)
    grant_objects: bytes  # the same rows as JSON objects, each followed by a comma


def make_pieces(j: Jurisdiction, urls: Urls, rounds: tuple[str, ...], listings: Listings) -> Pieces:
    grants = [grant_row(j, g) for g in sorted(j.grants, key=lambda g: g.fiscal_year or 0)]
    # The JSON object and the GeoJSON feature add the record's page, rounds and list entries to its own fields.
    extra = {"url": urls.absolute(urls.jurisdiction(j)), "rounds": rounds, "lists": listings_value(listings)}
    return Pieces(
        compact_json({**json_value(j), **extra}).encode(),
        csv_lines([csv_row(j, urls, rounds, listings)]).encode(),
        compact_json(feature(j, urls, extra)).encode(),
        event_rows(jurisdiction_items(j), urls),
        csv_lines(grants).encode(),
        "".join(o + "," for o in json_rows(GRANT_COLUMNS, grants)).encode(),
    )


def event_rows(items: list[TimelineItem], urls: Urls) -> tuple[EventRow, ...]:
    rows = [event_row(i, urls) for i in items]
    places = [f"{i.date.isoformat()}\0{i.kind}\0{i.summary}" for i in items]
    lines = [csv_lines([row]).encode() for row in rows]
    return tuple(zip(places, lines, map(str.encode, json_rows(EVENT_COLUMNS, rows)), strict=True))


def all_pieces(site: Site, urls: Urls, memo: Memo) -> list[Pieces]:
    """Every jurisdiction's pieces, in the site's order: those of unchanged records as the memo kept them."""
    pieces, addresses = [], digest(urls)  # hashed once, not with each of 10,000 keys
    for j in site.jurisdictions:
        rounds, listings = site.round_ids[j.id], site.listings(j)
        # The record stands for itself by its fingerprint (the hash of the values it is made from).
        key = memo.key("pieces", site.fingerprints.get(j.id) or j, addresses, rounds, listings_value(listings))
        pieces.append(memo.get(key, make_pieces, j, urls, rounds, listings))
    return pieces


def listings_value(listings: Listings) -> list[dict[str, str]]:
    return [{"list": x.id, "label": e.label, "category": e.category} for x, e in listings]


def csv_row(j: Jurisdiction, urls: Urls, rounds: tuple[str, ...], listings: Listings) -> tuple[Any, ...]:
    g = j.headline_grant
    fy2016 = (g.amount, g.amount_min, g.confidence, g.source.url) if g else ("", "", "", "")  # None: an empty cell
    day = j.status_date.isoformat() if j.status_date else ""
    lists = " ".join(f"{x.id}:{e.category}" for x, e in listings)
    made = (day, *fy2016, " ".join(j.batches), " ".join(rounds), lists, len(j.events))
    return (*own_values(j), *made, urls.absolute(urls.jurisdiction(j)))


def document_json(fields: dict[str, str]) -> bytes:
    """A download's top-level object, from its fields' JSON text (keys sorted, as json.dumps(sort_keys=True))."""
    return ("{" + ",".join(f"{string_json(key)}:{fields[key]}" for key in sorted(fields)) + "}\n").encode("utf-8")


JSON_BATCH = 500  # records encoded at a time: the national file is tens of MB, each piece a few hundred KB
HOLE = "\0"  # where the records go in the document's text (JSON text never holds a raw NUL)


def jurisdictions_json(site: Site, pieces: list[Pieces]) -> Iterator[bytes]:
    """Every field of every jurisdiction, and its page's address: one json.dumps, written a batch at a time."""
    last_updated = string_json(site.last_updated.isoformat())
    fields = {"last_updated": last_updated, "licence": string_json("CC-BY-4.0"), "jurisdictions": "[" + HOLE + "]"}
    before, after = document_json(fields).split(HOLE.encode())
    yield before
    for start in range(0, len(pieces), JSON_BATCH):
        yield (b"," if start else b"") + b",".join([p.record for p in pieces[start : start + JSON_BATCH]])
    yield after


def events_table(site: Site, urls: Urls, pieces: list[Pieces]) -> Iterator[Output]:
    """Every dated event, in the timeline's order (Site.timeline: by date, kind and text; ties in the site's order)."""
    # (place, records' before the others, which record, which event): no two rows tie before their line and object,
    # so a plain sort (no key function made per row: a third faster at 40,000 rows) never compares those.
    rows = [(at, 0, n, k, line, obj) for n, p in enumerate(pieces) for k, (at, line, obj) in enumerate(p.events)]
    rows += [(at, 1, 0, k, line, obj) for k, (at, line, obj) in enumerate(event_rows(site.other_items, urls))]
    rows.sort()
    lines, objects = b"".join([r[4] for r in rows]), b",".join([r[5] for r in rows])
    yield from table_files("events", EVENT_COLUMNS, lines, objects, urls)


def joined_downloads(site: Site, urls: Urls, pieces: list[Pieces]) -> Iterator[Output]:
    """The national downloads: the jurisdictions as JSON, CSV and GeoJSON, and the events and grants tables."""
    yield urls.json, jurisdictions_json(site, pieces), "the JSON export"
    yield urls.csv, csv_lines([CSV_COLUMNS]).encode() + b"".join([p.csv for p in pieces]), "the CSV export"
    # Compact: the map loads this file, so every byte counts on a phone.
    features = "[" + b",".join([p.feature for p in pieces]).decode() + "]"
    geojson = document_json({"type": string_json("FeatureCollection"), "features": features})
    yield urls.geojson, geojson, "the GeoJSON export"
    yield from events_table(site, urls, pieces)
    objects = b"".join([p.grant_objects for p in pieces])[:-1]  # less the last comma
    yield from table_files("grants", GRANT_COLUMNS, b"".join([p.grant_lines for p in pieces]), objects, urls)
