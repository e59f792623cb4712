"""The fast way to read a large data file that has no mistakes: rapidyaml parses, JSON carries it into Python.

PyYAML builds a Python object for every token and node, about 2.4 ms per jurisdiction record; rapidyaml
parses in C++ and hands the whole tree over as one JSON string, about 0.2 ms per record. The values must be
exactly the ones the sure reader (tracker/data/yamlfile.py) gives, so this reader keeps YAML 1.1's meaning of plain
scalars (PyYAML's resolver decides what `yes`, `012` or `.inf` mean) and gives up, returning None, on anything
it cannot reproduce exactly. It keeps no line numbers: the caller reads a file with any problem a second time
with the sure reader, which names the line of every mistake.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import re
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

import ryml

from tracker.data.marks import FIRST_MARKS, first_content, line_marks, needs_sure_reader
from tracker.data.plain import GiveUp, Plain, give_up, plain_number, unique_keys
from tracker.data.split import Split, split_again, split_whole

# rapidyaml writes a key such as ".Inf" as ".inf", even when it was quoted: such keys go to the sure reader.
SPECIAL_FLOAT_KEY = re.compile(r'"[-+]?\.(?:inf|nan)":', re.I)


class Fast(NamedTuple):
    value: Any
    scan: tuple[str, bool] | None  # what Located.scan() gives for these values, when gathered while reading them
    split: Split | None = None  # the file as read, when it has a top-level list (its records)
    kept: KeptItems | None = None  # this read's items, for the next read (read_fast with `kept`)


def load_fast(text: str) -> Any | None:
    """The values of a YAML document, as the sure reader gives them; None when this reader can't be sure."""
    return None if (fast := read_fast(text)) is None else fast.value


class KeptItems(dict[bytes, bytes]):
    """A list item's text (by item_key) -> its value, marshalled (a build keeps them in a file).

    `live`: the values of the last read in this process, used again as they are: nothing changes a value once
    read (tests/test_recall.py checks that they still equal their marshalled copies after a load). `split`: that
    read's text as split (tracker/data/split.py), also only in this process.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.live: dict[bytes, Any] = {}
        self.split: Split | None = None


def read_fast(text: str, kept: KeptItems | None = None) -> Fast | None:
    """load_fast's values, with every text value gathered for the checks on the way (Located.scan).

    With `kept` (a preview reads the file after every save), items of the longest list read last time are
    not parsed again. `kept` is left as it is: the result's `kept` holds this read's items, for the caller to keep
    once it knows the file did not change while read (a half-written file's items would cost the next read).
    """
    last = None if kept is None else kept.split
    split = (split_again(text, last) if last is not None else None) or split_whole(text)
    if needs_sure_reader(text) if split is None or not kept else _split_needs_sure_reader(split, kept):
        return None
    texts = Texts(KeptItems() if kept is not None else None)
    try:
        value = _load_piece(text, texts) if split is None else _load_split(split, texts, kept)
    except (GiveUp, ryml.ExceptionParse, ryml.ExceptionBasic, ryml.ExceptionVisit, ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None  # the sure reader explains what the file should hold
    if texts.kept is not None:
        texts.kept.split = split
    return Fast(value, texts.scan(), split, texts.kept)


class Texts:
    """Text values met while reading, joined a piece at a time (Located.scan's texts and NaN flag)."""

    def __init__(self, kept: KeptItems | None = None) -> None:
        self.pieces: list[str] = []  # each the texts of one piece, joined by line breaks
        self.nan = False
        self.kept = kept  # the items of this read, by text (_load_kept)
        self.complete = True  # False when some values were not met (kept items: fastyaml._load_kept)

    def scan(self) -> tuple[str, bool] | None:
        return ("\n" + "\n".join(self.pieces) + "\n", self.nan) if self.complete else None


BATCH = 500  # records per parse: rapidyaml's tree of a whole 10,000-record file takes about 200 MB


def _split_needs_sure_reader(split: Split, kept: KeptItems) -> bool:
    """needs_sure_reader of the whole file, looking only at its items not read before (they were checked then).

    Every item starts a line, after the line break that ends the part before it: the file's marks are its parts'.
    """
    parts = [split.head, "\n" + split.tail]
    parts += ["\n" + item for item, key in zip(split.items, split.keys, strict=True) if key not in kept]
    return first_content(split.head) in FIRST_MARKS or any(line_marks(part) for part in parts)


def _load_split(split: Split, texts: Texts, kept: KeptItems | None) -> Any:
    """Parse the longest top-level list a few hundred items at a time, the rest of the file on its own."""
    value = _load_piece(split.rest, texts)
    if not isinstance(value, dict) or value.get(split.key) != []:
        raise GiveUp
    value[split.key] = list(_load_items(split.items, texts)) if kept is None else _load_kept(split, texts, kept)
    return value


def _load_items(items: list[str], texts: Texts) -> Iterator[Any]:
    """The items' values in order, parsed BATCH at a time (a file's records, or the ones not kept)."""
    for first in range(0, len(items), BATCH):
        batch = _load_piece("".join(items[first : first + BATCH]), texts)
        if not isinstance(batch, list) or len(batch) != len(items[first : first + BATCH]):
            raise GiveUp  # the items did not split where expected: the whole file decides
        yield from batch


def _load_kept(split: Split, texts: Texts, kept: KeptItems) -> list[Any]:
    """Each item's value, parsing only the items `kept` lacks; texts.kept then holds exactly these items.

    Items parsed now add their texts to `texts`; a kept item's texts are not kept (the checks walk the values
    when they need them), so a read that reuses any item leaves `texts` incomplete.
    """
    missing = {key: item for item, key in zip(split.items, split.keys, strict=True) if key not in kept}
    parsed = dict(zip(missing, _load_items(list(missing.values()), texts), strict=True))
    fresh, live, values = texts.kept, kept.live, []
    assert fresh is not None
    for key in split.keys:
        if key in parsed:  # fresh from the parser: used as it is, once
            value = parsed.pop(key)
            fresh[key] = marshal.dumps(value)  # before anyone can change it
        else:
            texts.complete = False
            fresh[key] = fresh.get(key) or kept[key]
            value = live[key] if key in live else marshal.loads(fresh[key])
        values.append(value)
    fresh.live = dict(zip(split.keys, values, strict=True))
    return values


def _load_piece(text: str, texts: Texts) -> Any:
    with _quiet_stderr():
        tree = ryml.parse_in_arena(text.encode("utf-8"))
        emitted = ryml.emit_json_malloc(tree, tree.root_id())
    if SPECIAL_FLOAT_KEY.search(emitted):
        raise GiveUp
    value = json.loads(
        emitted, parse_int=plain_number, parse_float=plain_number, parse_constant=give_up, object_pairs_hook=unique_keys
    )
    if isinstance(value, str) or value is None:
        raise GiveUp  # a bare scalar: the sure reader says what is wrong with the file
    found, nan = Plain(tree).fix(value)
    if found:  # [""] too: an empty text is a text
        texts.pieces.append("\n".join(found))
    texts.nan = texts.nan or nan
    return value


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints its own report of a mistake before raising; the sure reader's report is the one to show."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
