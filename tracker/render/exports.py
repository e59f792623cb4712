"""Machine-readable files: the national downloads (tracker/render/pieces.py), the Atom feed, the sitemap, robots.txt."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from operator import itemgetter
from xml.etree import ElementTree as ET

from tracker.model.records import ChangeEntry, Event, Jurisdiction, Page
from tracker.model.site import Site
from tracker.render.dictionary import generated_files
from tracker.render.pieces import Pieces, joined_downloads
from tracker.render.tables import Output
from tracker.render.urls import Urls

FEED_ENTRIES = 500  # the newest; feed readers poll for what is new, the timeline and downloads hold the rest


def element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """An XML element (under `parent`, if given); the standard library escapes its text and attributes."""
    made = ET.Element(tag, attributes) if parent is None else ET.SubElement(parent, tag, attributes)
    made.text = text
    return made


def xml_file(root: ET.Element, declared: str) -> bytes:
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n'.encode()
    return declaration + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"  # one encode, not one per tag


def atom_entry(link: str, title: str, updated: dt.date, summary: str, kind: str | None = None) -> ET.Element:
    """An Atom entry; one of a dated event or change (`kind`) has an id of its own, as several share a page."""
    entry = element(None, "entry")
    element(entry, "id", f"{link}#{updated.isoformat()}-{kind}-{hash_text(summary)}" if kind else link)
    element(entry, "title", title)
    element(entry, "link", rel="alternate", type="text/html", href=link)
    element(entry, "updated", f"{updated.isoformat()}T00:00:00Z")
    element(entry, "summary", summary, type="text")
    entry.tail = "\n"
    return entry


def event_entry(j: Jurisdiction, e: Event, urls: Urls) -> ET.Element:
    title = f"{j.display_name}: {e.kind}, {e.date.isoformat()}"
    return atom_entry(urls.absolute(urls.jurisdiction(j)), title, e.date, e.summary, e.kind)


def page_entry(p: Page, urls: Urls) -> ET.Element:
    return atom_entry(urls.absolute(urls.page(p)), p.title, p.updated, p.summary)


def change_entry(c: ChangeEntry, urls: Urls) -> ET.Element:
    title = f"{c.kind.capitalize()}, {c.date.isoformat()}"
    return atom_entry(urls.absolute(urls.updates), title, c.date, c.summary, c.kind)


FeedItem = tuple[tuple, dt.date, Callable[..., ET.Element], tuple]  # sort key, date, entry maker, its arguments


def feed_items(site: Site) -> Iterator[FeedItem]:
    """Everything the feed may list, keyed newest first; on one day events, then articles, then changes."""
    for j in site.jurisdictions:
        for e in j.events:  # events of one day by jurisdiction name, then summary
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
    feed = element(None, "feed", xmlns="http://www.w3.org/2005/Atom")
    element(feed, "id", urls.absolute(""))
    element(feed, "title", title)
    element(feed, "link", rel="self", href=urls.absolute(urls.feed))
    element(feed, "link", rel="alternate", href=urls.absolute(""))
    element(feed, "updated", f"{updated.isoformat()}T00:00:00Z")
    element(element(feed, "author"), "name", title)
    feed[-1].tail = "\n"
    feed.extend(make_entry(*args, urls) for _, _, make_entry, args in newest)
    return xml_file(feed, "utf-8")


def hash_text(text: str) -> int:
    """A stable short number for an entry id (Python's hash() changes between runs)."""
    value = 0
    for ch in text.encode("utf-8"):
        value = (value * 131 + ch) % 1_000_000_007
    return value


def to_sitemap(site: Site, urls: Urls) -> bytes:
    last = site.last_updated
    sections = (urls.home, urls.letters, urls.cases, urls.grants, urls.timeline, urls.updates, urls.search)
    rows = [(path, last) for path in (*sections, urls.data_index, urls.dictionary)]
    rows += [(urls.jurisdiction(j), site.last_updated_for(j)) for j in site.jurisdictions]
    rows += [(urls.case(c), last) for c in site.cases] + [(urls.second_round, last), (urls.targeted_twice, last)]
    rows += [(urls.published_list(x), last) for x in site.lists] + [(urls.measure(m), last) for m in site.measures]
    states = sorted({j.state for j in site.jurisdictions})  # the codes of site.by_state, without grouping 10,000 rows
    rows += [(urls.states, last)] + [(urls.state(code), last) for code in states]
    rows += [(urls.page(p), p.updated) for p in site.pages]
    urlset = element(None, "urlset", "\n", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
    for path, day in rows:
        url = element(urlset, "url")
        element(url, "loc", urls.absolute(path))
        element(url, "lastmod", day.isoformat())
        url.tail = "\n"
    return xml_file(urlset, "UTF-8")


def render_exports(site: Site, urls: Urls, title: str, pieces: list[Pieces]) -> Iterator[Output]:
    """(output path, content, producer) for every non-HTML file, one at a time (a national file is tens of MB)."""
    yield from joined_downloads(site, urls, pieces)
    yield from ((p, t.encode("utf-8"), "a schema") for p, t in generated_files().items() if p.startswith("schema/"))
    yield urls.feed, to_feed(site, urls, title), "the feed"
    yield urls.sitemap, to_sitemap(site, urls), "the sitemap"
    yield urls.robots, f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(urls.sitemap)}\n".encode(), "robots.txt"
