"""Flat downloads (events, grants, waves, cases, lists, measures) and the CSV and JSON writers all downloads use."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tracker.model.records import Grant, Jurisdiction
from tracker.model.site import Site, TimelineItem
from tracker.render.urls import Urls

Row = tuple[Any, ...]
Table = tuple[tuple[str, ...], list[Row]]  # the column names, the rows
Content = bytes | Iterable[bytes]  # a large download comes in parts, written as they are made
Output = tuple[str, Content, str]  # (path relative to the site root, content, what produced it)


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def json_value(value: Any) -> Any:
    """json.dumps's `default` for the downloads: dates as YYYY-MM-DD, records as their fields."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {name: getattr(value, name) for name in field_names(type(value))}
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Compact (browsers and tools pretty-print): at national scale indentation alone would add tens of MB.
compact_json = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=json_value).encode


def csv_lines(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV lines with CRLF ends, as csv.DictWriter writes them (None and "" both as empty cells)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def json_rows(header: Sequence[str], rows: Iterable[Row]) -> list[str]:
    """Each row as a JSON object; JSON keeps nulls as nulls (CSV can only leave the cell empty)."""
    return [compact_json({name: None if v == "" else v for name, v in zip(header, row, strict=True)}) for row in rows]


def table_files(name: str, header: Sequence[str], lines: bytes, objects: bytes, urls: Urls) -> Iterator[Output]:
    """A table's CSV and JSON files, from its rows' CSV lines and their JSON objects joined by commas."""
    yield urls.table(name, "csv"), csv_lines([header]).encode("utf-8") + lines, f"the {name} CSV"
    yield urls.table(name, "json"), b"[" + objects + b"]\n", f"the {name} JSON"


EVENT_COLUMNS = ("date", "kind", "summary", "jurisdiction_id", "case_id", "wave_id", "measure_id", "list_id")
EVENT_COLUMNS += ("source_urls", "page_url")


def event_row(i: TimelineItem, urls: Urls) -> Row:
    ids = [x.id if x else "" for x in (i.jurisdiction, i.case, i.wave, i.measure, i.listed)]
    return (i.date.isoformat(), i.kind, i.summary, *ids, urls_of(i.sources), urls.absolute(page_of(i)))


def page_of(item: TimelineItem) -> str:
    """The page a timeline entry belongs to."""
    if item.jurisdiction:
        return Urls.jurisdiction(item.jurisdiction)
    if item.case:
        return Urls.case(item.case)
    if item.measure:
        return Urls.measure(item.measure)
    return Urls.published_list(item.listed) if item.listed else Urls.letters


GRANT_COLUMNS = ("jurisdiction_id", "jurisdiction", "program", "fiscal_year", "amount", "amount_min", "confidence")
GRANT_COLUMNS += ("note", "source_url", "source_publisher", "source_date")


def grant_row(j: Jurisdiction, g: Grant) -> Row:
    """None, like "", is an empty CSV cell and a JSON null."""
    row = (j.id, j.display_name, g.program, g.fiscal_year, g.amount, g.amount_min, g.confidence, g.note, g.source.url)
    return (*row, g.source.publisher, g.source.date.isoformat() if g.source.date else "")


def urls_of(sources: Iterable[Any]) -> str:
    return " ".join([s.url for s in sources])


def list_table(site: Site, urls: Urls) -> Table:
    header = ("list_id", "published", "publisher", "position", "label", "category", "jurisdiction_id")
    rows = [
        (x.id, x.published.isoformat(), x.publisher, k, e.label, e.category, e.jurisdiction_id)
        + (urls.absolute(urls.jurisdiction(e.jurisdiction_id)), urls_of(x.sources))
        for x in site.lists
        for k, e in enumerate(x.entries, 1)
    ]
    return (*header, "jurisdiction_url", "source_urls"), rows


def measure_table(site: Site, urls: Urls) -> Table:
    header = ("id", "kind", "name", "date", "effective", "programs", "summary", "status_note", "cases")
    rows = [
        (m.id, m.kind, m.name, m.date.isoformat() if m.date else "", m.effective.isoformat() if m.effective else "")
        + ("; ".join(m.programs), m.summary, m.status_note or "", " ".join(c.id for c in site.cases_about(m)))
        + (urls_of(m.sources), urls.absolute(urls.measure(m)))
        for m in site.measures
    ]
    return (*header, "source_urls", "url"), rows


def wave_table(site: Site, urls: Urls) -> Table:
    header = ("id", "name", "date", "sender", "demand", "deadline", "recipients", "members", "outcome", "source_urls")
    rows = [
        (w.id, w.name, w.date.isoformat(), w.sender, w.demand, w.deadline.isoformat() if w.deadline else "")
        + (w.recipients or "", " ".join(j.id for j in site.members(w)), w.outcome or "", urls_of(w.sources))
        for w in site.waves
    ]
    return header, rows


def case_table(site: Site, urls: Urls) -> Table:
    header = ("id", "name", "court", "docket", "filed", "plaintiffs", "defendants", "jurisdictions", "fiscal_years")
    header += ("status", "round", "government_role", "result", "result_note", "measures", "rulings", "last_ruling")
    rows = [
        (c.id, c.name, c.court, c.docket or "", c.filed.isoformat() if c.filed else "", c.plaintiffs, c.defendants)
        + (" ".join(c.jurisdiction_ids), " ".join(map(str, c.fiscal_years)), c.status, c.round_id)
        + (c.government_role, c.result, c.result_note or "", " ".join(c.measure_ids), len(c.rulings))
        + (c.last_ruling.date.isoformat() if c.last_ruling else "", urls.absolute(urls.case(c)))
        for c in site.cases
    ]
    return (*header, "url"), rows


TABLE_ABOUT = {
    "events": "Every dated event of the timeline, with its sources and the page it belongs to.",
    "grants": "Every grant figure, with its fiscal year, kind of figure and source.",
    "waves": "The waves of letters, their demands, deadlines and members.",
    "cases": "The lawsuits of both rounds: courts, dockets, who sued whom, the result mark, status and latest ruling.",
    "lists": "Every entry of every published list, as published: its label and category, and the record it means.",
    "measures": "The national measures of the second round: executive orders, directives, lists and grant conditions.",
}
SMALL_TABLES = {"waves": wave_table, "cases": case_table, "lists": list_table, "measures": measure_table}


def render_tables(site: Site, urls: Urls) -> Iterator[Output]:
    """The small tables as CSV and JSON, one file at a time (the events and grants: tracker/render/pieces.py)."""
    for name, make in SMALL_TABLES.items():
        header, rows = make(site, urls)
        lines, objects = csv_lines(rows).encode("utf-8"), ",".join(json_rows(header, rows)).encode("utf-8")
        yield from table_files(name, header, lines, objects, urls)
