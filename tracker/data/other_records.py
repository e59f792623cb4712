"""The records of the other data files (waves, cases, lists, measures, changelog), made from their checked values.

A record's fields are named as in its file (but a case's "jurisdictions" and "challenges" are its jurisdiction_ids and
measure_ids): the record is the file's values, with dates, sources and lists made into the record's types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.model.records import Case, ChangeEntry, Ruling, Source, Wave, to_date
from tracker.model.second_round import ListEntry, Measure, PublishedList


def cited_sources(raw: dict[str, Any], sources: dict[str, Source]) -> tuple[Source, ...]:
    return tuple(sources[s] for s in raw["sources"])


def make_wave(raw: dict[str, Any], sources: dict[str, Source]) -> Wave:
    made = {"date": to_date(raw["date"]), "deadline": to_date(raw["deadline"]), "sources": cited_sources(raw, sources)}
    return Wave(**(raw | made))


def make_ruling(raw: dict[str, Any], sources: dict[str, Source]) -> Ruling:
    return Ruling(**(raw | {"date": to_date(raw["date"]), "sources": cited_sources(raw, sources)}))


def make_case(raw: dict[str, Any], sources: dict[str, Source]) -> Case:
    rulings = tuple(sorted((make_ruling(r, sources) for r in raw["rulings"]), key=lambda r: r.date))
    filing = tuple(sources[s] for s in raw.get("filing_sources", []))  # optional in the schema
    cited = {s.id: s for s in filing} | {s.id: s for r in rulings for s in r.sources}
    cited.update({s["id"]: sources[s["id"]] for s in raw["sources"]})
    fields = {k: v for k, v in raw.items() if k not in ("jurisdictions", "challenges")}  # renamed in a Case
    ids = {"jurisdiction_ids": tuple(raw["jurisdictions"]), "measure_ids": tuple(raw["challenges"])}
    made = {"filed": to_date(raw["filed"]), "fiscal_years": tuple(raw["fiscal_years"]), "filing_sources": filing}
    return Case(**(fields | ids | made | {"rulings": rulings, "sources": tuple(cited.values())}))


def make_list(raw: dict[str, Any], sources: dict[str, Source]) -> PublishedList:
    entries = tuple(ListEntry(e["label"], e["category"], e["jurisdiction"]) for e in raw["entries"])
    made = {"published": to_date(raw["published"]), "sources": cited_sources(raw, sources), "entries": entries}
    return PublishedList(**(raw | made))


def make_measure(raw: dict[str, Any], sources: dict[str, Source]) -> Measure:
    dates = {"date": to_date(raw["date"]), "effective": to_date(raw["effective"])}
    return Measure(**(raw | dates | {"programs": tuple(raw["programs"]), "sources": cited_sources(raw, sources)}))


def make_change(raw: dict[str, Any], sources: dict[str, Source]) -> ChangeEntry:
    source = sources[raw["source"]] if raw["source"] else None
    return ChangeEntry(to_date(raw["date"]), raw["kind"], raw["summary"], tuple(raw["jurisdictions"]), source)


def case_order(case: Case) -> tuple[dt.date, str]:
    """By date filed; a case with no filing date recorded goes by its first ruling, else last."""
    return (case.filed or (case.rulings[0].date if case.rulings else dt.date.max), case.name)
