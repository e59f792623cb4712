"""What the checks across records need of one record: its id, the ids of its sources, the sources it cites.

Kept by the record's text from one read to the next (tracker/data/recall.py), so that a reread checks 10,000 records against
each other with a few set operations; the checks' own walk, with its messages, runs only when these find something.
"""

from __future__ import annotations

from typing import Any

from tracker.data.checks import all_unique, citations, entries
from tracker.data.yamlfile import Located

Facts = tuple[Any, tuple[Any, ...], frozenset[str]]  # plain values: kept with marshal


def facts_of(record: Any) -> Facts | None:
    """None for what is not a record (the schema reports it)."""
    if not isinstance(record, dict):
        return None
    cited = frozenset(ref for _, ref in citations(record) if isinstance(ref, str))
    return record.get("id"), tuple(s.get("id") for _, s in entries(record, "sources")), cited


def cross_clean(doc: Located, facts: list[Facts | None]) -> bool:
    """Whether checks.check_unique_ids and checks.check_references find nothing: their own first tests, on the facts."""
    source_ids = [s.get("id") for _, s in entries(doc.value, "shared_sources")]
    records = [f for f in facts if f is not None]
    source_ids += [i for f in records for i in f[1]]
    known = {i for i in source_ids if isinstance(i, str)}
    cited = frozenset().union(*(f[2] for f in records))
    return all_unique([f[0] for f in records]) and all_unique(source_ids) and cited <= known
