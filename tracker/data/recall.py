"""What a reader keeps from one read of the data file to the next (a preview in memory, a cached build in a file)."""

from __future__ import annotations

import contextlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.data.facts import Facts, facts_of
from tracker.data.fastyaml import KeptItems
from tracker.keep import read_sealed, write_sealed
from tracker.model.records import Jurisdiction


@dataclass
class Recall:
    """What a preview keeps from one read of the data to the next, so that a save re-makes only what changed.

    A cached build keeps the records and which were clean in a file (tracker/build/cache.py, kept_path(out_dir, "recall")).
    """

    # The records as read last time, by their text (tracker/data/fastyaml.py).
    items: KeptItems = field(default_factory=KeptItems)
    clean: tuple[bytes, frozenset[bytes]] = (b"", frozenset())  # the rest and the records of the last clean read
    made: dict[str, Jurisdiction] = field(default_factory=dict)  # by fingerprint: made from exactly those values
    facts: dict[bytes, Facts | None] = field(default_factory=dict)  # by the record's text (tracker/data/facts.py)

    def facts_for(self, keys: tuple[bytes, ...], records: list[Any]) -> list[Facts | None]:
        """Each record's facts, made only for the records not read before; kept for the next read."""
        facts = [self.facts[key] if key in self.facts else facts_of(r) for key, r in zip(keys, records, strict=True)]
        self.facts = dict(zip(keys, facts, strict=True))
        return facts

    @classmethod
    def read(cls, file: Path, code: str) -> Recall:
        """What the last build with this code read (nothing, when the file is missing, damaged or stale)."""
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            if (payload := read_sealed(file)) is not None:
                saved, items, clean, facts = marshal.loads(payload)
                if saved == code:
                    return cls(KeptItems(items), clean, facts=facts)
        return cls()

    def write(self, file: Path, code: str) -> None:
        """Keep the records as read for the next build (a failure only makes that build read them all again)."""
        with contextlib.suppress(OSError):
            write_sealed(file, marshal.dumps((code, dict(self.items), self.clean, self.facts)))
