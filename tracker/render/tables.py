"""Flat downloads of events, grants, waves, cases, lists and measures, and the CSV and JSON writers every download
uses: the JSON is json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from tracker.model.site import Site, TimelineItem
from tracker.render.urls import Urls

Columns = dict[str, list[Any]]  # column name -> its values, one per row


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
COMPACT = json.JSONEncoder(separators=(",", ":"), sort_keys=True, ensure_ascii=False, default=json_value)


def compact_json(value: Any) -> str:
    return COMPACT.encode(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with CRLF line ends, as csv.DictWriter writes it (None and "" both as empty cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def event_columns(site: Site, urls: Urls) -> Columns:
    items = site.timeline
    return {
        "date": [i.date.isoformat() for i in items],
        "kind": [i.kind for i in items],
        "summary": [i.summary for i in items],
        "jurisdiction_id": [i.jurisdiction.id if i.jurisdiction else "" for i in items],
        "case_id": [i.case.id if i.case else "" for i in items],
        "wave_id": [i.wave.id if i.wave else "" for i in items],
        "measure_id": [i.measure.id if i.measure else "" for i in items],
        "list_id": [i.listed.id if i.listed else "" for i in items],
        "source_urls": [" ".join([s.url for s in i.sources]) for i in items],
        "page_url": [urls.absolute(page_of(i)) for i in items],
    }


def page_of(item: TimelineItem) -> str:
    """The page a timeline entry belongs to."""
    if item.jurisdiction:
        return Urls.jurisdiction(item.jurisdiction)
    if item.case:
        return Urls.case(item.case)
    if item.measure:
        return Urls.measure(item.measure)
    return Urls.published_list(item.listed) if item.listed else Urls.letters


def list_columns(site: Site, urls: Urls) -> Columns:
    rows = [(x, k, e) for x in site.lists for k, e in enumerate(x.entries, 1)]
    return {
        "list_id": [x.id for x, _, _ in rows],
        "published": [x.published.isoformat() for x, _, _ in rows],
        "publisher": [x.publisher for x, _, _ in rows],
        "position": [k for _, k, _ in rows],
        "label": [e.label for _, _, e in rows],
        "category": [e.category for _, _, e in rows],
        "jurisdiction_id": [e.jurisdiction_id for _, _, e in rows],
        "jurisdiction_url": [urls.absolute(urls.jurisdiction(e.jurisdiction_id)) for _, _, e in rows],
        "source_urls": [" ".join(s.url for s in x.sources) for x, _, _ in rows],
    }


def measure_columns(site: Site, urls: Urls) -> Columns:
    measures = site.measures
    return {
        "id": [m.id for m in measures],
        "kind": [m.kind for m in measures],
        "name": [m.name for m in measures],
        "date": [m.date.isoformat() if m.date else "" for m in measures],
        "effective": [m.effective.isoformat() if m.effective else "" for m in measures],
        "programs": ["; ".join(m.programs) for m in measures],
        "summary": [m.summary for m in measures],
        "status_note": [m.status_note or "" for m in measures],
        "cases": [" ".join(c.id for c in site.cases_about(m)) for m in measures],
        "source_urls": [" ".join(s.url for s in m.sources) for m in measures],
        "url": [urls.absolute(urls.measure(m)) for m in measures],
    }


def grant_columns(site: Site, urls: Urls) -> Columns:
    rows = site.ledger.rows
    return {
        "jurisdiction_id": [j.id for j, _ in rows],
        "jurisdiction": [j.display_name for j, _ in rows],
        "program": [g.program for _, g in rows],
        "fiscal_year": [g.fiscal_year if g.fiscal_year is not None else "" for _, g in rows],
        "amount": ["" if g.amount is None else g.amount for _, g in rows],
        "amount_min": ["" if g.amount_min is None else g.amount_min for _, g in rows],
        "confidence": [g.confidence for _, g in rows],
        "note": [g.note or "" for _, g in rows],
        "source_url": [g.source.url for _, g in rows],
        "source_publisher": [g.source.publisher for _, g in rows],
        "source_date": [g.source.date.isoformat() if g.source.date else "" for _, g in rows],
    }


def wave_columns(site: Site, urls: Urls) -> Columns:
    waves = site.waves
    return {
        "id": [w.id for w in waves],
        "name": [w.name for w in waves],
        "date": [w.date.isoformat() for w in waves],
        "sender": [w.sender for w in waves],
        "demand": [w.demand for w in waves],
        "deadline": [w.deadline.isoformat() if w.deadline else "" for w in waves],
        "recipients": [w.recipients or "" for w in waves],
        "members": [" ".join(j.id for j in site.members(w)) for w in waves],
        "outcome": [w.outcome or "" for w in waves],
        "source_urls": [" ".join(s.url for s in w.sources) for w in waves],
    }


def case_columns(site: Site, urls: Urls) -> Columns:
    cases = site.cases
    return {
        "id": [c.id for c in cases],
        "name": [c.name for c in cases],
        "court": [c.court for c in cases],
        "docket": [c.docket or "" for c in cases],
        "filed": [c.filed.isoformat() if c.filed else "" for c in cases],
        "plaintiffs": [c.plaintiffs for c in cases],
        "defendants": [c.defendants for c in cases],
        "jurisdictions": [" ".join(c.jurisdiction_ids) for c in cases],
        "fiscal_years": [" ".join(map(str, c.fiscal_years)) for c in cases],
        "status": [c.status for c in cases],
        "round": [c.round_id for c in cases],
        "government_role": [c.government_role for c in cases],
        "result": [c.result for c in cases],
        "result_note": [c.result_note or "" for c in cases],
        "measures": [" ".join(c.measure_ids) for c in cases],
        "rulings": [len(c.rulings) for c in cases],
        "last_ruling": [c.last_ruling.date.isoformat() if c.last_ruling else "" for c in cases],
        "url": [urls.absolute(urls.case(c)) for c in cases],
    }


def as_csv(columns: Columns) -> bytes:
    return csv_text(list(columns), zip(*columns.values(), strict=True)).encode("utf-8")


def as_json(columns: Columns) -> bytes:
    """JSON keeps nulls as nulls (CSV can only leave the cell empty)."""
    names = list(columns)
    rows = [
        {name: None if v == "" else v for name, v in zip(names, row, strict=True)}
        for row in zip(*columns.values(), strict=True)
    ]
    return (compact_json(rows) + "\n").encode("utf-8")


TABLES: dict[str, Callable[[Site, Urls], Columns]] = {
    "events": event_columns,
    "grants": grant_columns,
    "waves": wave_columns,
    "cases": case_columns,
    "lists": list_columns,
    "measures": measure_columns,
}


TABLE_ABOUT = {
    "events": "Every dated event of the timeline, with its sources and the page it belongs to.",
    "grants": "Every grant figure, with its fiscal year, kind of figure and source.",
    "waves": "The waves of letters, their demands, deadlines and members.",
    "cases": "The lawsuits of both rounds: courts, dockets, who sued whom, the result mark, status and latest ruling.",
    "lists": "Every entry of every published list, as published: its label and category, and the record it means.",
    "measures": "The national measures of the second round: executive orders, directives, lists and grant conditions.",
}


def render_tables(site: Site, urls: Urls) -> Iterator[tuple[str, bytes, str]]:
    """Each table as CSV and JSON, one file at a time."""
    for name, columns_of in TABLES.items():
        columns = columns_of(site, urls)
        yield urls.table(name, "csv"), as_csv(columns), f"the {name} CSV"
        yield urls.table(name, "json"), as_json(columns), f"the {name} JSON"
