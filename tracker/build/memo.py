"""Values kept from one build to the next, each by a hash of everything it is made from.

A build asks for a value by its key; a value the last build made from the same inputs comes back as it was, any
other is made now. What this build did not ask for is not kept: the folder holds exactly the last build's values,
in 16 files by the key's first digit, so that after one edit one file of the 90 MB a national site keeps is written.
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
SHARDS = "0123456789abcdef"  # a key's first digit names its file


class Memo:
    def __init__(self, folder: Path | None, code: str) -> None:
        """`folder`: where the values are kept (None: nothing is read or kept, as in a cold build or a check)."""
        self.folder, self.code = folder, code
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.changed: set[str] = set()  # the files that no longer hold exactly this build's values
        for shard in SHARDS if folder is not None else "":
            with contextlib.suppress(Exception):  # missing, damaged or from other code: its values are made anew
                payload = read_sealed(folder / shard)
                saved_code, values = pickle.loads(payload) if payload is not None else ("", {})
                if saved_code == code and all(key[0] == shard for key in values):
                    self.old.update(values)

    def key(self, kind: str, *inputs: Any) -> str:
        return digest(self.code, kind, *inputs)

    def get(self, key: str, make: Callable[..., T], *args: Any) -> T:
        """The value kept under `key`, or make(*args)."""
        if key in self.old:
            value = self.new[key] = self.old[key]
        else:
            value = self.new[key] = make(*args)
            self.changed.add(key[0])
        return value

    def save(self) -> None:
        """Keep this build's values. Even a build that fails later may: each value is kept by a hash of all it is
        made from, so it is right whatever the site holds (the pages' records, by contrast, describe the site)."""
        if self.folder is None:
            return
        self.changed |= {key[0] for key in self.old.keys() - self.new.keys()}
        with contextlib.suppress(OSError):  # not kept: the next build makes them again
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard in sorted(self.changed):
                values = {key: value for key, value in self.new.items() if key[0] == shard}
                write_sealed(self.folder / shard, pickle.dumps((self.code, values), protocol=5))
