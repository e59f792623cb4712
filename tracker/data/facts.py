"""What the checks across records need of one record: its id, the ids of its sources, the sources it cites.

Kept by the record's text from one read to the next (data.Recall), so that a reread checks 10,000 records against
each other with a few set operations; the checks' own walk, with its messages, runs only when these find something.
"""

from __future__ import annotations

from typing import Any

from tracker.data.checks import entries
from tracker.data.yamlfile import Located

Facts = tuple[Any, tuple[Any, ...], frozenset[str]]  # plain values: kept with marshal


def facts_of(record: Any) -> Facts | None:
    """None for what is not a record (the schema reports it)."""
    if not isinstance(record, dict):
        return None
    cited = [record.get("status_source")] + [
        x.get("source") for key in ("letters", "grants") for _, x in entries(record, key)
    ]
    for _, event in entries(record, "events"):
        ids = event.get("sources")
        cited += ids if isinstance(ids, list) else []
    sources = tuple(s.get("id") for _, s in entries(record, "sources"))
    return record.get("id"), sources, frozenset(ref for ref in cited if isinstance(ref, str))


def cross_clean(doc: Located, facts: list[Facts | None]) -> bool:
    """Whether checks.check_unique_ids and checks.check_references find nothing: their own first tests, on the facts."""
    source_ids = [s.get("id") for _, s in entries(doc.value, "shared_sources")]
    records = [f for f in facts if f is not None]
    source_ids += [i for f in records for i in f[1]]
    known = {i for i in source_ids if isinstance(i, str)}
    cited = frozenset().union(*(f[2] for f in records))
    return unique([f[0] for f in records]) and unique(source_ids) and cited <= known


def unique(ids: list[Any]) -> bool:
    texts = [value for value in ids if isinstance(value, str)]
    return len(set(texts)) == len(texts)
