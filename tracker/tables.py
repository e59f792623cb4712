"""Flat downloads of events, grants, waves and cases, as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from tracker.site import Site
from tracker.urls import Urls

Row = dict[str, Any]


def event_rows(site: Site, urls: Urls) -> list[Row]:
    return [
        {
            "date": i.date.isoformat(),
            "kind": i.kind,
            "summary": i.summary,
            "jurisdiction_id": i.jurisdiction.id if i.jurisdiction else "",
            "case_id": i.case.id if i.case else "",
            "wave_id": i.wave.id if i.wave else "",
            "source_urls": " ".join(s.url for s in i.sources),
            "page_url": urls.absolute(
                urls.jurisdiction(i.jurisdiction) if i.jurisdiction else urls.case(i.case) if i.case else urls.letters
            ),
        }
        for i in site.timeline
    ]


def grant_rows(site: Site, urls: Urls) -> list[Row]:
    return [
        {
            "jurisdiction_id": j.id,
            "jurisdiction": j.display_name,
            "program": g.program,
            "fiscal_year": g.fiscal_year if g.fiscal_year is not None else "",
            "amount": "" if g.amount is None else g.amount,
            "amount_min": "" if g.amount_min is None else g.amount_min,
            "confidence": g.confidence,
            "note": g.note or "",
            "source_url": g.source.url,
            "source_publisher": g.source.publisher,
            "source_date": g.source.date.isoformat() if g.source.date else "",
        }
        for j, g in site.ledger.rows
    ]


def wave_rows(site: Site, urls: Urls) -> list[Row]:
    return [
        {
            "id": w.id,
            "name": w.name,
            "date": w.date.isoformat(),
            "sender": w.sender,
            "demand": w.demand,
            "deadline": w.deadline.isoformat() if w.deadline else "",
            "recipients": w.recipients or "",
            "members": " ".join(j.id for j in site.members(w)),
            "outcome": w.outcome or "",
            "source_urls": " ".join(s.url for s in w.sources),
        }
        for w in site.waves
    ]


def case_rows(site: Site, urls: Urls) -> list[Row]:
    return [
        {
            "id": c.id,
            "name": c.name,
            "court": c.court,
            "docket": c.docket or "",
            "filed": c.filed.isoformat() if c.filed else "",
            "plaintiffs": c.plaintiffs,
            "defendants": c.defendants,
            "jurisdictions": " ".join(c.jurisdiction_ids),
            "fiscal_years": " ".join(map(str, c.fiscal_years)),
            "status": c.status,
            "rulings": len(c.rulings),
            "last_ruling": c.last_ruling.date.isoformat() if c.last_ruling else "",
            "url": urls.absolute(urls.case(c)),
        }
        for c in site.cases
    ]


def as_csv(rows: list[Row], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_json(rows: list[Row]) -> bytes:
    """JSON keeps nulls as nulls (CSV can only leave the cell empty)."""
    cleaned = [{k: (None if v == "" else v) for k, v in row.items()} for row in rows]
    return (json.dumps(cleaned, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


TABLES: dict[str, tuple[Callable[[Site, Urls], list[Row]], list[str]]] = {
    "events": (
        event_rows,
        ["date", "kind", "summary", "jurisdiction_id", "case_id", "wave_id", "source_urls", "page_url"],
    ),
    "grants": (
        grant_rows,
        [
            "jurisdiction_id",
            "jurisdiction",
            "program",
            "fiscal_year",
            "amount",
            "amount_min",
            "confidence",
            "note",
            "source_url",
            "source_publisher",
            "source_date",
        ],
    ),
    "waves": (
        wave_rows,
        ["id", "name", "date", "sender", "demand", "deadline", "recipients", "members", "outcome", "source_urls"],
    ),
    "cases": (
        case_rows,
        [
            "id",
            "name",
            "court",
            "docket",
            "filed",
            "plaintiffs",
            "defendants",
            "jurisdictions",
            "fiscal_years",
            "status",
            "rulings",
            "last_ruling",
            "url",
        ],
    ),
}


TABLE_ABOUT = {
    "events": "Every dated event of the timeline, with its sources and the page it belongs to.",
    "grants": "Every grant figure, with its fiscal year, kind of figure and source.",
    "waves": "The waves of letters, their demands, deadlines and members.",
    "cases": "The lawsuits, their courts, dockets, status and latest ruling.",
}


def render_tables(site: Site, urls: Urls) -> list[tuple[str, bytes, str]]:
    outputs = []
    for name, (rows_of, columns) in TABLES.items():
        rows = rows_of(site, urls)
        outputs.append((urls.table(name, "csv"), as_csv(rows, columns), f"the {name} CSV"))
        outputs.append((urls.table(name, "json"), as_json(rows), f"the {name} JSON"))
    return outputs
