"""Issue 5: whatever an editor does to the data file, the loader answers with problems an editor can act on.

Hypothesis mutates the real data file (and a page's front matter): deleting, duplicating and retyping lines,
truncating, injecting odd characters. Loading must either succeed or raise DataError whose every problem has a
file, a real line (or none) and a message; never another exception, never a hang.

FUZZ_EXAMPLES sets the number of examples per test (default 60, so `make test` stays fast; `make fuzz` uses 2000).
Runs are derandomized, so CI sees the same examples every time.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, TINY
from tracker.data.content import load_page
from tracker.data.jurisdictions import load_document, load_jurisdictions
from tracker.errors import DataError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
HANG_SECONDS = 10  # far beyond the deadline: only a real hang reaches it
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000,  # milliseconds per example; a load takes well under 0.1 s
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REAL = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
PAGE = (TINY / "content" / "about.md").read_text(encoding="utf-8")
VALUE_LINE = re.compile(r"^(\s*(?:- )?[a-z_]+:[ ]+)(\S.*)$")
# Characters that mean something to YAML, break lines, hide themselves or are simply unusual.
ODD = list("\t'\":#&*!|>{}[],%@`-?~\\") + ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\u2028", "\ufeff"]
ODD += ["\u202e", "\u00e9", "\U0001f642", "\ud7ff", "\ufffd", " ", "\n", "---\n", "...\n", ": ", "- "]
LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # every line break YAML counts


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail instead of hanging: Hypothesis's deadline is only checked once the call returns."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"the loader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def pieces(choices: list[str], least: int, most: int) -> st.SearchStrategy[str]:
    """Text made of a few of the given pieces (some are longer than one character)."""
    return st.lists(st.sampled_from(choices), min_size=least, max_size=most).map("".join)


def retyped_values() -> st.SearchStrategy[str]:
    """Values an editor might type in the wrong place, or that YAML reads as something unexpected."""
    words = st.sampled_from(["yes", "no", "on", "off", "NO", "null", "~", "true", "", '""', "''", "[]", "{}"])
    numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)).map(str)
    oddities = st.sampled_from(["0123", "08", "0x1F", "1_000", "41:53", ".nan", "-.inf", "2018-02-30", "&a x", "*a"])
    lists = st.lists(st.sampled_from(["a", "1", "null", "chicago-il"]), max_size=3).map(lambda x: f"[{', '.join(x)}]")
    texts = pieces(ODD + list("abc 123"), 0, 30)
    long = st.integers(1_000, 20_000).map(lambda n: "x" * n)
    return st.one_of(words, numbers, oddities, lists, texts, long, st.just('"\\x00"'), st.just("!!binary aGk="))


class Edited:
    """The edited text, shown by its size: Hypothesis would otherwise print 75 kB per example."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Edited({len(self.text):,} characters; the accidents are listed above)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis's printer asks for this first
        printer.text(repr(self))


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    """One editing accident applied to text, described with note() so a failure says what was done."""
    lines = text.splitlines(keepends=True) or [""]  # an earlier accident may have emptied it
    kind = draw(st.sampled_from(["delete", "duplicate", "retype", "truncate", "inject", "indent"]))
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        count = draw(st.integers(1, 12))
        note(f"delete {count} lines from line {at + 1}: {lines[at : at + count]!r}")
        lines[at : at + count] = []
    elif kind == "duplicate":
        where = draw(st.integers(0, len(lines)))
        note(f"copy line {at + 1} {lines[at]!r} to line {where + 1}")
        lines.insert(where, lines[at])
    elif kind == "retype":
        candidates = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
        i = draw(st.sampled_from(candidates)) if candidates else at
        value = draw(retyped_values())
        note(f"retype line {i + 1} {lines[i]!r} with the value {value[:200]!r}")
        lines[i] = VALUE_LINE.sub(lambda m: m.group(1) + value, lines[i].rstrip("\n")) + "\n"
    elif kind == "indent":
        change, strip = draw(st.sampled_from(["  ", "\t", " ", ""])), draw(st.booleans())
        note(f"indent line {at + 1} {lines[at]!r} with {change!r}, {'replacing' if strip else 'keeping'} its spaces")
        lines[at] = change + (lines[at].lstrip(" ") if strip else lines[at])
    joined = "".join(lines)
    if kind == "truncate":
        end = draw(st.integers(0, len(joined)))
        note(f"truncate after {joined[max(0, end - 40) : end]!r}")
        return joined[:end]
    if kind == "inject":
        where, odd = draw(st.integers(0, len(joined))), draw(pieces(ODD, 1, 5))
        note(f"inject {odd!r} after {joined[max(0, where - 40) : where]!r}")
        return joined[:where] + odd + joined[where:]
    return joined


@st.composite
def edited(draw: st.DrawFn, text: str) -> Edited:
    """One to three accidents in a row."""
    for _ in range(draw(st.integers(1, 3))):
        text = draw(mutation(text))
    return Edited(text)


def assert_refused_plainly(error: DataError, text: str) -> None:
    assert error.problems, "a DataError must carry at least one problem"
    last_line = len(LINE_BREAKS.split(text)) + 1
    for problem in error.problems:
        assert problem.path, problem
        assert problem.message.strip(), problem
        assert problem.line is None or 1 <= problem.line <= last_line, problem
        assert problem.col is None or problem.col >= 1, problem
    assert str(error)


def load_or_refuse(load: Callable[[Path], object], file: Path, text: str) -> object | None:
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        with hang_guard():
            return load(file)
    except DataError as e:
        assert_refused_plainly(e, text)
        return None


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example (a function-scoped tmp_path would be shared across examples anyway)."""
    return tmp_path_factory.mktemp("fuzz")


def test_the_unmutated_inputs_load() -> None:
    load_document(ROOT / "data" / "jurisdictions.yaml")


@FUZZ
@given(edit=edited(REAL))
def test_a_mutated_data_file_loads_or_gives_located_problems(edit: Edited, workdir: Path) -> None:
    file = workdir / "jurisdictions.yaml"
    if load_or_refuse(load_document, file, edit.text) is not None:
        # What validation accepts, the models must accept: no KeyError or TypeError past the checks.
        load_jurisdictions(file)


@FUZZ
@given(edit=edited(PAGE))
def test_a_mutated_page_loads_or_gives_located_problems(edit: Edited, workdir: Path) -> None:
    load_or_refuse(lambda file: load_page(file, "/"), workdir / "about.md", edit.text)
