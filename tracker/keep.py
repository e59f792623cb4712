"""Values kept by a hash of everything they are made from, for the next build or read.

`digest` is that hash; a file written with `write_sealed` is read back only whole and unaltered; `Memo` keeps each
record's pieces of the downloads. The data layer (records as read), the renderers (pieces, the map) and the build
(pages' keys) all keep values this way.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
SHARDS = "0123456789abcdef"  # a key's first digit names its file


class Memo:
    """Values kept from one build to the next by key. A build asks for a value by its key; a value the last build
    made from the same inputs comes back as it was, any other is made now. What this build did not ask for is not
    kept: the folder holds exactly the last build's values, in 16 files by the key's first digit, so that after one
    edit one file of the 90 MB a national site keeps is written. The key covers the generator's code
    (cache.code_digest), so another version of the code never reads them."""

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


def digest(*parts: Any, stand_ins: dict[int, str] | None = None) -> str:
    """A hash of values that pickle the same way whenever they are equal (no sets, no memory addresses).

    The pickler keeps no memo (`fast`): with one, equal values that share objects differently (a record read afresh
    and the same record unmarshalled) pickled differently. `stand_ins` maps objects (by id) to a hash of what they
    were made from, hashed in their place.
    """
    buffer = io.BytesIO()
    pickler = _StandInPickler(buffer, stand_ins) if stand_ins else pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # our values are trees: no object contains itself
    pickler.dump(parts)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


class _StandInPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, stand_ins: dict[int, str]) -> None:
        super().__init__(file, protocol=5)
        self.stand_ins = stand_ins

    def reducer_override(self, obj: Any) -> Any:
        stand_in = self.stand_ins.get(id(obj))
        return NotImplemented if stand_in is None else (str, (stand_in,))


def replace_file(target: Path, *pieces: bytes) -> None:
    """Write the pieces to `target` all at once: a reader sees the old file or the whole new one, never half."""
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as out:
            out.writelines(pieces)  # tens of MB need no copy just to join them
        temporary.replace(target)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise


def write_sealed(target: Path, payload: bytes) -> None:
    """replace_file, with the payload's hash ahead of it (read_sealed)."""
    replace_file(target, hashlib.sha256(payload).digest(), payload)


def read_sealed(file: Path) -> memoryview | None:
    """A write_sealed file's payload, or None when it is damaged: a cut-off or altered file must not become data
    or code. OSError when it cannot be read. A view, not a copy: the pieces of a national site are 90 MB."""
    blob = memoryview(file.read_bytes())
    return blob[32:] if hashlib.sha256(blob[32:]).digest() == blob[:32] else None
