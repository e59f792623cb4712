"""The records of the other data files (waves, cases, lists, measures, changelog), made from their checked values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.model.records import Case, ChangeEntry, Ruling, Source, Wave, to_date
from tracker.model.second_round import ListEntry, Measure, PublishedList


def make_wave(raw: dict[str, Any], sources: dict[str, Source]) -> Wave:
    return Wave(
        raw["id"],
        raw["name"],
        to_date(raw["date"]),
        raw["sender"],
        raw["demand"],
        to_date(raw["deadline"]),
        raw["recipients"],
        tuple(sources[s] for s in raw["sources"]),
        raw["outcome"],
    )


def make_ruling(r: dict[str, Any], sources: dict[str, Source]) -> Ruling:
    cited = tuple(sources[s] for s in r["sources"])
    return Ruling(to_date(r["date"]), r["court"], r["kind"], r["holding"], r["citation"], r["for_jurisdiction"], cited)


def make_case(raw: dict[str, Any], sources: dict[str, Source]) -> Case:
    rulings = tuple(sorted((make_ruling(r, sources) for r in raw["rulings"]), key=lambda r: r.date))
    filing = tuple(sources[s] for s in raw.get("filing_sources", []))  # optional in the schema
    cited = {s.id: s for s in filing} | {s.id: s for r in rulings for s in r.sources}
    cited.update({s["id"]: sources[s["id"]] for s in raw["sources"]})
    return Case(
        id=raw["id"],
        name=raw["name"],
        court=raw["court"],
        docket=raw["docket"],
        filed=to_date(raw["filed"]),
        plaintiffs=raw["plaintiffs"],
        defendants=raw["defendants"],
        jurisdiction_ids=tuple(raw["jurisdictions"]),
        fiscal_years=tuple(raw["fiscal_years"]),
        status=raw["status"],
        status_note=raw["status_note"],
        summary=raw["summary"],
        filing_sources=filing,
        rulings=rulings,
        sources=tuple(cited.values()),
        note=raw.get("note"),
        government_role=raw["government_role"],
        result=raw["result"],
        result_note=raw["result_note"],
        measure_ids=tuple(raw["challenges"]),
    )


def make_list(raw: dict[str, Any], sources: dict[str, Source]) -> PublishedList:
    return PublishedList(
        raw["id"],
        raw["name"],
        raw["publisher"],
        to_date(raw["published"]),
        raw["caveat"],
        raw["note"],
        tuple(sources[s] for s in raw["sources"]),
        tuple(ListEntry(e["label"], e["category"], e["jurisdiction"]) for e in raw["entries"]),
    )


def make_measure(raw: dict[str, Any], sources: dict[str, Source]) -> Measure:
    return Measure(
        raw["id"],
        raw["kind"],
        raw["name"],
        to_date(raw["date"]),
        to_date(raw["effective"]),
        tuple(raw["programs"]),
        raw["summary"],
        raw["status_note"],
        tuple(sources[s] for s in raw["sources"]),
    )


def make_change(raw: dict[str, Any], sources: dict[str, Source]) -> ChangeEntry:
    return ChangeEntry(
        to_date(raw["date"]),
        raw["kind"],
        raw["summary"],
        tuple(raw["jurisdictions"]),
        sources[raw["source"]] if raw["source"] else None,
    )


def case_order(case: Case) -> tuple[dt.date, str]:
    """By date filed; a case with no filing date recorded goes by its first ruling, else last."""
    first = case.rulings[0].date if case.rulings else dt.date.max
    return (case.filed or first, case.name)
