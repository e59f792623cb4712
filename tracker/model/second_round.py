"""The records of the second round (2025–2026): published lists, kept as dated snapshots, and national measures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.model.records import Source


@dataclass(frozen=True, slots=True)
class ListEntry:
    label: str  # as published
    category: str  # the list's own category: state, county or city
    jurisdiction_id: str


@dataclass(frozen=True, slots=True)
class PublishedList:
    """A list as published on one date; a later version is another PublishedList."""

    id: str
    name: str
    publisher: str
    published: dt.date
    caveat: str | None
    note: str | None
    sources: tuple[Source, ...]
    entries: tuple[ListEntry, ...]  # in the published order

    def count(self, category: str) -> int:
        return sum(1 for e in self.entries if e.category == category)


@dataclass(frozen=True, slots=True)
class Measure:
    """A national measure: executive order, directive, grant condition or list."""

    id: str
    kind: str
    name: str
    date: dt.date | None  # None when no source gives the day
    effective: dt.date | None
    programs: tuple[str, ...]
    summary: str
    status_note: str | None
    sources: tuple[Source, ...]
