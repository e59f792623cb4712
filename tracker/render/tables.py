"""Flat downloads of events, grants, waves and cases, and the CSV and JSON writers every download uses.

At 10,000 jurisdictions the downloads hold over a million values, so the JSON writer works a column at a time:
the values of a column share a type, and one C function mapped over the column encodes them all, where
json.dumps would call back into Python for every date and record. The text is byte for byte what
json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False) writes.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate, pairwise
from json.encoder import encode_basestring as string_json  # what json.dumps uses when ensure_ascii=False
from operator import attrgetter
from typing import Any

from tracker.model.records import Source
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


def column_json(values: list[Any], sources: dict[int, str]) -> list[str]:
    """compact_json of each value. `sources` holds each source's JSON by id(), so it is written once."""
    present = [v for v in values if v is not None]
    texts = present_json(present, sources)
    if len(present) == len(values):
        return texts
    rest = iter(texts)
    return ["null" if v is None else next(rest) for v in values]


def present_json(values: list[Any], sources: dict[int, str]) -> list[str]:
    """compact_json of each value (none is None), in one mapped call when they are all of one type."""
    kinds = set(map(type, values))
    kind = kinds.pop() if len(kinds) == 1 else None
    if kind is str:
        return list(map(string_json, values))
    if kind is int:
        return list(map(int.__repr__, values))
    if kind is float and all(map(math.isfinite, values)):
        return list(map(float.__repr__, values))
    if kind is dt.date:
        return [f'"{day}"' for day in map(dt.date.isoformat, values)]
    if kind is tuple:
        return arrays_json(values, sources)
    if kind is Source:  # cited many times (a letter's source by every recipient), written once each
        new = {id(s): s for s in values if id(s) not in sources}  # every source lives in the Site meanwhile
        sources.update(zip(new, records_json(list(new.values()), sources=sources), strict=True))
        return [sources[id(s)] for s in values]
    if kind is not None and dataclasses.is_dataclass(kind):
        return records_json(values, sources=sources)
    return [compact_json(v) for v in values]  # mixed or rare types, such as True or NaN


def arrays_json(arrays: list[tuple[Any, ...]], sources: dict[int, str]) -> list[str]:
    """The items of all the arrays are written as one column, then put back in their arrays."""
    texts = column_json([item for array in arrays for item in array], sources)
    ends = accumulate(map(len, arrays), initial=0)
    return ["[" + ",".join(texts[start:end]) + "]" for start, end in pairwise(ends)]


def records_json(
    records: list[Any], extra: dict[str, list[str]] | None = None, sources: dict[int, str] | None = None
) -> list[str]:
    """compact_json of each record (all of one dataclass), plus `extra` columns of JSON text."""
    sources = {} if sources is None else sources
    names = field_names(type(records[0])) if records else ()
    columns = {name: column_json(list(map(attrgetter(name), records)), sources) for name in names}
    return objects_json({**columns, **(extra or {})}, len(records))


def objects_json(columns: dict[str, list[str]], count: int) -> list[str]:
    """Each row as a JSON object, from columns of JSON text (keys in sorted order, as sort_keys=True)."""
    keys = sorted(columns)
    template = "{" + ",".join(string_json(key).replace("%", "%%") + ":%s" for key in keys) + "}"
    if not keys:
        return [template] * count
    return list(map(template.__mod__, zip(*(columns[key] for key in keys), strict=True)))


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
    count = len(next(iter(columns.values()), []))
    texts = {
        name: column_json([None if v == "" else v for v in values], sources={}) for name, values in columns.items()
    }
    return ("[" + ",".join(objects_json(texts, count)) + "]\n").encode("utf-8")


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
