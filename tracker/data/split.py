"""A data file as its longest top-level list's items and the rest: what lets a reader tell records apart.

The fast reader (tracker/data/fastyaml.py) parses the items a few hundred at a time and keeps each by a hash of its
text; a preview splits a save from the last read's split, finding again only the items the edit touches.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from typing import NamedTuple

from tracker.data.yamlfile import CONTENT_LINE

# A top-level key with a block below it, after a line break: a literal first character makes the search fast.
TOP_KEY = re.compile(r"\n([A-Za-z_][\w-]*):[ \t]*(?:#.*)?(?=\n|\Z)")
TOP_LINE = re.compile(r"\n(?=[^\s#])")  # the next line that starts at the margin ends that block


def item_key(text: str) -> bytes:
    """Texts are kept by a hash of them: a national file's records need not be kept twice."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class Split(NamedTuple):
    """A file as its longest top-level list's items and the rest, with that list left empty (`key: []`)."""

    key: str
    rest: str
    items: list[str]
    keys: tuple[bytes, ...]  # each item's text, by item_key
    head: str  # the file up to the first item, and after the last one
    tail: str
    text: str  # the whole file
    starts: list[int]  # where each item starts in it
    margin: int  # how much longer the list is than the next longest top-level block


def split_whole(text: str) -> Split | None:
    block = longest_list(text)
    if block is None:
        return None
    key, start, end, starts, margin = block
    items = [text[a:b] for a, b in itertools.pairwise([*starts, end])]
    rest = text[:start] + f"{key}: []\n" + text[end:]
    return Split(key, rest, items, tuple(map(item_key, items)), text[: starts[0]], text[end:], text, starts, margin)


def split_again(text: str, last: Split) -> Split | None:
    """split_whole(text), made from the split of the text read last time when the edit lies between two of its
    items' starts (a preview's save of one record): only the items it touches are found and hashed again.

    Every item start kept lies in unchanged text; no line of the edited text may start at the margin, and the list
    must stay the longest block. Otherwise (an edit of the last record, say), None.
    """
    old, starts, shift = last.text, last.starts, len(text) - len(last.text)
    same = same_run(old, text, min(len(old), len(text)), back=False)
    if same == len(old) == len(text):
        return last
    edge = len(old) - same_run(old, text, min(len(old), len(text)) - same, back=True)
    indent = len(last.items[0]) - len(last.items[0].lstrip(" "))
    # The first and last item start whose line break, dash and the character after lie outside the edit.
    first, after = bisect.bisect_right(starts, same - indent - 2) - 1, bisect.bisect_left(starts, edge + 1)
    if first < 0 or after >= len(starts) or last.margin + shift <= 0:
        return None
    begin, end = starts[first], starts[after] + shift
    if TOP_LINE.search(text, begin - 1, end):
        return None
    item = re.compile("\n" + " " * indent + "-(?=[ \n])")
    found = [m.start() + 1 for m in item.finditer(text, begin - 1, end)]
    items = [text[a:b] for a, b in itertools.pairwise([*found, end])]
    new_starts = starts[:first] + found + [s + shift for s in starts[after:]]
    keys = last.keys[:first] + tuple(map(item_key, items)) + last.keys[after:]
    items = last.items[:first] + items + last.items[after:]
    return last._replace(items=items, keys=keys, text=text, starts=new_starts, margin=last.margin + shift)


def same_run(a: str, b: str, limit: int, back: bool) -> int:
    """How many characters a and b have in common at their start (back: at their end), at most `limit`."""

    def same(done: int, more: int) -> bool:
        if back:
            return a[len(a) - done - more : len(a) - done] == b[len(b) - done - more : len(b) - done]
        return a[done : done + more] == b[done : done + more]

    done, step = 0, 1 << 16  # by blocks, then by halves within the first block that differs
    while done + step <= limit and same(done, step):
        done += step
    while step > 1:
        step //= 2
        if done + step <= limit and same(done, step):
            done += step
    return done


def longest_list(text: str) -> tuple[str, int, int, list[int], int] | None:
    """The top-level key whose block list spans the most text: (key, start, end, where each item starts, how much
    longer it is than the next longest block)."""
    best, spans = None, [0, 0]
    for match in TOP_KEY.finditer("\n" + text):  # positions in text are one less
        after = TOP_LINE.search(text, match.end() - 1)
        end = after.start() + 1 if after else len(text)
        spans.append(end - match.start())
        if best is None or end - match.start() > best[2] - best[1]:
            best = (match.group(1), match.start(), end, match.end() - 1)
    if best is None:
        return None
    key, start, end, body = best
    first = re.compile(r"\n( *)-[ \n]").search(text, body, end)
    if first is None or CONTENT_LINE.search(text, body, first.start()):
        return None
    item = re.compile("\n" + first.group(1) + "-(?=[ \n])")  # not consuming the break: "-\n" may be an empty item
    starts = [found.start() + 1 for found in item.finditer(text, body, end)]
    return key, start, end, starts, end - start - sorted(spans)[-2]
