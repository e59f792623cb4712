"""The tracker's records and every value derived from them (totals, order, flags)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.data.schema import BATCHES, CONFIDENCES, STATUSES

SECOND_ROUND_YEAR = 2025  # facts dated from this year on belong to the second round
FOCUS_YEAR = 2016  # the fiscal year whose money the January 2018 letters put at stake
FIRST_TARGETED_2025 = "First targeted in 2025: no Justice Department letter of 2017–2018 is recorded."
# When a jurisdiction has several figures for one year, the headline is the most certain one.
CONFIDENCE_RANK = {"exact": 0, "reported": 1, "lower-bound": 2, "approximate": 3, "secondary": 4, "joint": 5}
# Figures a total may add up: the others are rounded, unconfirmed or shared with another jurisdiction.
SUMMABLE = ("exact", "reported", "lower-bound")


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    url: str
    title: str
    publisher: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Letter:
    date: dt.date
    batch: str
    deadline: dt.date | None
    source: Source
    note: str | None = None

    @property
    def batch_summary(self) -> str:
        """ "Letters to 9 jurisdictions" from "April 2017: letters to 9 jurisdictions"."""
        text = BATCHES[self.batch].split(": ", 1)[-1]
        return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class Grant:
    program: str
    fiscal_year: int | None
    amount: int | None
    amount_min: int | None
    confidence: str
    source: Source
    note: str | None = None

    @property
    def value(self) -> int:
        """The figure a total may count: the amount, or the lower bound of a "more than"."""
        return self.amount if self.amount is not None else (self.amount_min or 0)

    @property
    def is_bound(self) -> bool:
        return self.amount is None

    @property
    def confidence_text(self) -> str:
        return CONFIDENCES[self.confidence]


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    kind: str
    summary: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    id: str
    name: str
    official_name: str
    kind: str
    state: str
    fips: str
    lat: float
    lon: float
    status: str | None  # the outcome of the 2017–2021 letters; None when there were none
    status_date: dt.date | None
    status_source: Source | None
    status_note: str | None
    summary: str
    letters: tuple[Letter, ...]
    grants: tuple[Grant, ...]
    events: tuple[Event, ...]  # in date order
    sources: tuple[Source, ...]  # everything this record cites, in order of first citation

    @property
    def display_name(self) -> str:
        return self.name if self.kind == "state" else f"{self.name}, {self.state}"

    @property
    def status_text(self) -> str:
        return STATUSES[self.status] if self.status else FIRST_TARGETED_2025

    @property
    def status_label(self) -> str:
        return self.status.replace("-", " ") if self.status else "first targeted in 2025"

    @property
    def status_key(self) -> str:
        """The status, or "2025-only" for a record with no 2017–2018 letters (the map's symbol and filters)."""
        return self.status or "2025-only"

    @property
    def batches(self) -> tuple[str, ...]:
        return tuple(sorted({letter.batch for letter in self.letters}))

    @property
    def headline_grant(self) -> Grant | None:
        return self.headline_for(FOCUS_YEAR)

    def headline_for(self, year: int) -> Grant | None:
        """The most certain figure for a fiscal year (ties: the first written)."""
        best = None  # a loop, not a sort: asked for tens of thousands of times in a national build
        for g in self.grants:
            if g.fiscal_year == year and (
                best is None or CONFIDENCE_RANK[g.confidence] < CONFIDENCE_RANK[best.confidence]
            ):
                best = g
        return best

    @property
    def january_letter(self) -> Letter | None:
        return next((x for x in self.letters if x.batch == "2018-01"), None)


@dataclass(frozen=True, slots=True)
class MoneyTotal:
    """A sum that says exactly what it includes and what it leaves out."""

    amount: int
    is_lower_bound: bool
    counted: tuple[Jurisdiction, ...]
    excluded: tuple[Jurisdiction, ...]  # have a figure that cannot be added (rounded, shared, unconfirmed)
    unknown: tuple[Jurisdiction, ...]  # no figure recorded


def year_total(jurisdictions: tuple[Jurisdiction, ...], year: int) -> MoneyTotal:
    """Add each jurisdiction's most certain figure for the year, when it is one a sum may count."""
    heads = [(j, j.headline_for(year)) for j in jurisdictions]
    summed = [(j, g) for j, g in heads if g and g.confidence in SUMMABLE]
    return MoneyTotal(
        amount=sum(g.value for _, g in summed),
        is_lower_bound=any(g.is_bound for _, g in summed),
        counted=tuple(j for j, _ in summed),
        excluded=tuple(j for j, g in heads if g and g.confidence not in SUMMABLE),
        unknown=tuple(j for j, g in heads if g is None),
    )


@dataclass(frozen=True, slots=True)
class Page:
    """A Markdown page from content/."""

    slug: str
    title: str
    summary: str
    date: dt.date
    updated: dt.date
    nav: int | None
    nav_title: str
    html: str
    source_path: str


@dataclass(frozen=True, slots=True)
class Wave:
    """A wave of Justice Department letters; its members are the jurisdictions with a letter of its batch."""

    id: str
    name: str
    date: dt.date
    sender: str
    demand: str
    deadline: dt.date | None
    recipients: int | None
    sources: tuple[Source, ...]
    outcome: str | None


@dataclass(frozen=True, slots=True)
class Ruling:
    date: dt.date
    court: str
    kind: str
    holding: str
    citation: str | None
    for_jurisdiction: bool | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    name: str
    court: str
    docket: str | None
    filed: dt.date | None
    plaintiffs: str
    defendants: str
    jurisdiction_ids: tuple[str, ...]
    fiscal_years: tuple[int, ...]
    status: str
    status_note: str | None
    summary: str
    filing_sources: tuple[Source, ...]
    rulings: tuple[Ruling, ...]  # in date order
    sources: tuple[Source, ...]  # everything the case cites
    note: str | None = None
    government_role: str = "defendant"  # the federal government's role: defendant or plaintiff
    result: str = "pending"  # from the state and local side: won, lost, partly, pending
    result_note: str | None = None
    measure_ids: tuple[str, ...] = ()  # the national measures the case is about

    @property
    def last_ruling(self) -> Ruling | None:
        return self.rulings[-1] if self.rulings else None

    @property
    def round_id(self) -> str:
        return round_of(self.filed or (self.rulings[0].date if self.rulings else None))


def round_of(day: dt.date | None) -> str:
    """The round a dated fact belongs to: the first (2017–2021) or the second (from 2025)."""
    return "2025" if day and day.year >= SECOND_ROUND_YEAR else "2017"


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    date: dt.date
    kind: str  # added | updated | correction
    summary: str
    jurisdiction_ids: tuple[str, ...]
    source: Source | None


def to_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
