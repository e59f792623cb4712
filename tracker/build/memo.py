"""Values kept from one build to the next, each by a hash of everything it is made from.

A build asks for a value by its key; a value the last build made from the same inputs comes back as it was, any
other is made now. What this build did not ask for is not kept: the file holds exactly the last build's values.
The key covers the generator's code (cache.code_digest), so another version of the code never reads them.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tracker.build.cache import digest, read_sealed, write_sealed

T = TypeVar("T")


class Memo:
    def __init__(self, file: Path | None, code: str) -> None:
        """`file`: where the values are kept (None: nothing is read or kept, as in a cold build or a check)."""
        self.file, self.code = file, code
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.changed = False  # something made anew: the file no longer holds exactly this build's values
        if file is not None:
            with contextlib.suppress(Exception):  # missing, damaged or from other code: everything is made anew
                payload = read_sealed(file)
                saved_code, values = pickle.loads(payload) if payload is not None else ("", {})
                self.old = values if saved_code == code else {}

    def key(self, kind: str, *inputs: Any) -> str:
        return digest(self.code, kind, *inputs)

    def get(self, key: str, make: Callable[..., T], *args: Any) -> T:
        """The value kept under `key`, or make(*args)."""
        if key in self.old:
            value = self.new[key] = self.old[key]
        else:
            value = self.new[key] = make(*args)
            self.changed = True
        return value

    def save(self) -> None:
        """Keep this build's values (only once its site is in place: a failed build keeps the last build's)."""
        if self.file is not None and (self.changed or self.new.keys() != self.old.keys()):
            with contextlib.suppress(OSError):  # not kept: the next build makes them again
                self.file.parent.mkdir(parents=True, exist_ok=True)
                write_sealed(self.file, pickle.dumps((self.code, self.new), protocol=5))
