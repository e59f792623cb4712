"""The whole tracker as one value, with the views every page needs (totals, timeline, links)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import TypeVar

from tracker.data.schema import STATUSES
from tracker.data.schema_other import RESULTS
from tracker.model.records import (
    FOCUS_YEAR,
    Case,
    ChangeEntry,
    Grant,
    Jurisdiction,
    Letter,
    MoneyTotal,
    Page,
    Source,
    Wave,
    round_of,
    year_total,
)
from tracker.model.second_round import ListEntry, Measure, PublishedList

TIMELINE_ORDER = attrgetter("date", "kind", "summary")
V = TypeVar("V")


def grouped(pairs: Iterable[tuple[str, V]]) -> dict[str, tuple[V, ...]]:
    """The values of each key, in the order met: one pass, not one per key."""
    groups: dict[str, list[V]] = {}
    for key, value in pairs:
        groups.setdefault(key, []).append(value)
    return {key: tuple(values) for key, values in groups.items()}


@dataclass(frozen=True)
class TimelineItem:
    """One dated entry of the site-wide timeline, from a jurisdiction, a wave, a case, a measure or a list."""

    date: dt.date
    kind: str
    summary: str
    sources: tuple[Source, ...]
    jurisdiction: Jurisdiction | None = None
    case: Case | None = None
    wave: Wave | None = None
    measure: Measure | None = None
    listed: PublishedList | None = None


@dataclass(frozen=True)
class Ledger:
    """Every grant figure, and per-year totals over the jurisdictions of the January 2018 letters."""

    rows: tuple[tuple[Jurisdiction, Grant], ...]  # by jurisdiction name, then year
    totals: tuple[tuple[int, MoneyTotal], ...]  # (fiscal year, its total), by year
    scope: tuple[Jurisdiction, ...]
    without: tuple[Jurisdiction, ...]  # no figure of any year

    @property
    def fy2016_rows(self) -> list[tuple[Jurisdiction, Grant]]:
        """Each jurisdiction's headline FY2016 figure, for the chart."""
        return [(j, g) for j in self.scope if (g := j.headline_for(2016))]


@dataclass(frozen=True)
class Site:
    """Everything the pages are rendered from; its views are cached, since it never changes once built."""

    jurisdictions: tuple[Jurisdiction, ...]  # by name
    pages: tuple[Page, ...]  # by slug
    last_updated: dt.date
    waves: tuple[Wave, ...] = field(default=())  # by date
    cases: tuple[Case, ...] = field(default=())  # by date filed
    changelog: tuple[ChangeEntry, ...] = field(default=())  # newest first
    lists: tuple[PublishedList, ...] = field(default=())  # oldest first
    measures: tuple[Measure, ...] = field(default=())  # by date
    # Jurisdiction id -> hash of the values its record was made from (tracker/data/jurisdictions.py: fingerprint), for cache keys.
    fingerprints: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def fy2016(self) -> MoneyTotal:
        """FY2016 money at stake for the jurisdictions of the January 2018 letters."""
        return year_total(self.targeted_january_2018, FOCUS_YEAR)

    @cached_property
    def targeted_january_2018(self) -> tuple[Jurisdiction, ...]:
        return tuple(j for j in self.jurisdictions if j.january_letter)

    @cached_property
    def by_state(self) -> tuple[tuple[str, tuple[Jurisdiction, ...]], ...]:
        """(state code, its jurisdictions by name), states in code order."""
        return tuple(sorted(grouped((j.state, j) for j in self.jurisdictions).items()))

    def members(self, wave: Wave) -> tuple[Jurisdiction, ...]:
        return self.by_batch.get(wave.id, ())

    @cached_property
    def by_batch(self) -> dict[str, tuple[Jurisdiction, ...]]:
        """The jurisdictions sent a letter of each batch, by name (one pass, not one per wave)."""
        return grouped((batch, j) for j in self.jurisdictions for batch in j.batches)

    def cases_for(self, j: Jurisdiction) -> tuple[Case, ...]:
        return self.cases_by_jurisdiction.get(j.id, ())

    @cached_property
    def cases_by_jurisdiction(self) -> dict[str, tuple[Case, ...]]:
        """Each jurisdiction's cases, in the site's order: one pass over the cases, not one per record."""
        # dict.fromkeys: a case naming a jurisdiction twice lists it once
        return grouped((jid, c) for c in self.cases for jid in dict.fromkeys(c.jurisdiction_ids))

    def jurisdictions_of(self, case: Case) -> tuple[Jurisdiction, ...]:
        """In the site's order (by name), each once."""
        found = sorted({self.position[jid] for jid in case.jurisdiction_ids if jid in self.position})
        return tuple(self.jurisdictions[n] for n in found)

    @cached_property
    def position(self) -> dict[str, int]:
        return {j.id: n for n, j in enumerate(self.jurisdictions)}

    def last_updated_for(self, j: Jurisdiction) -> dt.date:
        """The date of the latest logged change to this jurisdiction, else of the data file."""
        return self.changed_on.get(j.id, self.last_updated)

    @cached_property
    def changed_on(self) -> dict[str, dt.date]:
        """The date of each jurisdiction's latest logged change: one pass over the changelog, not one per record."""
        found: dict[str, dt.date] = {}
        for c in self.changelog:
            for jid in c.jurisdiction_ids:
                found[jid] = max(found.get(jid, c.date), c.date)
        return found

    @cached_property
    def by_id(self) -> dict[str, Jurisdiction]:
        return {j.id: j for j in self.jurisdictions}

    def listings(self, j: Jurisdiction) -> tuple[tuple[PublishedList, ListEntry], ...]:
        """Every entry of a published list that means this jurisdiction (San Francisco has two on one list)."""
        return self.listings_by_jurisdiction.get(j.id, ())

    @cached_property
    def listings_by_jurisdiction(self) -> dict[str, tuple[tuple[PublishedList, ListEntry], ...]]:
        return grouped((e.jurisdiction_id, (x, e)) for x in self.lists for e in x.entries)

    @cached_property
    def latest_list(self) -> PublishedList | None:
        return self.lists[-1] if self.lists else None

    @cached_property
    def listed_ids(self) -> frozenset[str]:
        return frozenset(e.jurisdiction_id for e in self.latest_list.entries) if self.latest_list else frozenset()

    def rounds(self, j: Jurisdiction) -> tuple[str, ...]:
        """ "2017" when pressed in 2017–2021, "2025" when in the second round; both for those targeted twice."""
        cases = self.cases_for(j)
        first = bool(j.letters) or any(c.round_id == "2017" for c in cases)
        second = (
            bool(self.listings(j))
            or any(c.round_id == "2025" for c in cases)
            or any(round_of(e.date) == "2025" for e in j.events)
        )
        return tuple(r for r, on in (("2017", first), ("2025", second)) if on)

    @cached_property
    def round_ids(self) -> dict[str, tuple[str, ...]]:
        return {j.id: self.rounds(j) for j in self.jurisdictions}

    def cases_in(self, round_id: str) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.round_id == round_id)

    def scorecard(self, round_id: str) -> tuple[tuple[str, int], ...]:
        """(result, number of cases) for one round, in the order of RESULTS."""
        counts = Counter(c.result for c in self.cases_in(round_id))
        return tuple((r, counts[r]) for r in RESULTS)

    def measures_of(self, case: Case) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.id in case.measure_ids)

    def cases_about(self, measure: Measure) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if measure.id in c.measure_ids)

    @cached_property
    def targeted_twice(self) -> tuple[tuple[Jurisdiction, tuple[ListEntry, ...]], ...]:
        """The jurisdictions of the January 2018 letters, each with its entries on the latest list (if any)."""
        latest = self.latest_list
        return tuple((j, tuple(e for x, e in self.listings(j) if x is latest)) for j in self.targeted_january_2018)

    @cached_property
    def listed_again(self) -> tuple[tuple[Jurisdiction, tuple[ListEntry, ...]], ...]:
        """Those of targeted_twice that are on the latest list."""
        return tuple(pair for pair in self.targeted_twice if pair[1])

    def made_once(self) -> None:
        """Make now the derived values that several pages use: render workers forked after this share them
        instead of each making its own."""
        self.ledger  # noqa: B018 - a cached property, read for its making

    @cached_property
    def timeline(self) -> tuple[TimelineItem, ...]:
        """Every dated event of jurisdictions, waves, cases, measures and lists, oldest first (ties in this order: sorting is stable)."""
        items = [item for j in self.jurisdictions for item in jurisdiction_items(j)]
        return tuple(sorted(items + list(self.story_timeline), key=TIMELINE_ORDER))

    @cached_property
    def story_timeline(self) -> tuple[TimelineItem, ...]:
        """The timeline without the records' own events: what a national site's timeline page lists."""
        return tuple(sorted(self.other_items, key=TIMELINE_ORDER))

    @cached_property
    def other_items(self) -> list[TimelineItem]:
        """The timeline's entries of waves, rulings, measures and lists, in this order (the sort keeps it on ties)."""
        items = [TimelineItem(w.date, "letter", f"{w.name}: {w.demand}", w.sources, wave=w) for w in self.waves]
        items += [
            TimelineItem(r.date, "ruling", f"{c.name} ({r.court}): {r.holding}", r.sources, case=c)
            for c in self.cases
            for r in c.rulings
        ]
        items += [
            TimelineItem(m.date, "measure", f"{m.name}: {m.summary}", m.sources, measure=m)
            for m in self.measures
            if m.date
        ]
        return items + [list_item(x) for x in self.lists]

    @cached_property
    def ledger(self) -> Ledger:
        rows = tuple((j, g) for j in self.jurisdictions for g in sorted(j.grants, key=lambda g: g.fiscal_year or 0))
        years = sorted({g.fiscal_year for _, g in rows if g.fiscal_year})
        scope = self.targeted_january_2018
        totals = tuple((y, year_total(scope, y)) for y in years)
        return Ledger(rows, totals, scope, tuple(j for j in self.jurisdictions if not j.grants))

    @cached_property
    def corrections(self) -> tuple[ChangeEntry, ...]:
        return tuple(c for c in self.changelog if c.kind == "correction")

    @cached_property
    def january_letter(self) -> Letter | None:
        """A representative letter of 24 January 2018: the one whose deadline most jurisdictions share."""
        letters = [j.january_letter for j in self.jurisdictions if j.january_letter]
        deadlines = Counter(x.deadline for x in letters)
        return max(letters, key=lambda x: deadlines[x.deadline], default=None)

    @cached_property
    def nav_pages(self) -> tuple[Page, ...]:
        return tuple(sorted((p for p in self.pages if p.nav is not None), key=lambda p: (p.nav, p.slug)))

    @staticmethod
    def status_counts_of(jurisdictions: tuple[Jurisdiction, ...]) -> tuple[tuple[str, int], ...]:
        counts = Counter(j.status for j in jurisdictions)
        return tuple((s, counts[s]) for s in STATUSES)

    @cached_property
    def second_round_only_count(self) -> int:
        """Records with no 2017–2018 letter (the map's "first targeted in 2025" symbol)."""
        return sum(1 for j in self.jurisdictions if j.status is None)


def jurisdiction_items(j: Jurisdiction) -> list[TimelineItem]:
    return [TimelineItem(e.date, e.kind, e.summary, e.sources, jurisdiction=j) for e in j.events]


def list_item(x: PublishedList) -> TimelineItem:
    summary = f"{x.publisher} published its {x.name.lower()}: {len(x.entries)} entries."
    return TimelineItem(x.published, "listed", summary, x.sources, listed=x)
