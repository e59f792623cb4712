"""The fast reader gives exactly the sure reader's values, or gives up (None); it never gives other values."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, TINY
from tracker.data import fastyaml, jurisdictions, split
from tracker.data.fastyaml import load_fast
from tracker.data.yamlfile import Located, load_yaml_text
from tracker.errors import DataError

# Scalars YAML 1.1 (PyYAML) and YAML 1.2 or JSON read differently, plus ordinary ones.
TRICKY = [
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "true",
    "False",
    "TRUE",
    "~",
    "null",
    "Null",
    "NULL",
    "",
    "0",
    "-0",
    "012",
    "0100001",
    "09",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "+5",
    "-3.5",
    "1e5",
    "1E5",
    "1.0e+5",
    ".5",
    "5.",
    "1:20",
    "190:20:30",
    ".inf",
    "-.Inf",
    ".nan",
    "NaN",
    "Infinity",
    "2018-01-24",
    "2018-01-24 10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "=",
    "12",
    "4508123",
    "39.8283",
    "-98.5795",
    "text",
    "two words",
    "é accented",
    "Ünïcödé – dash",
    "a: b",
    "# not a comment",
    "- dash",
    "[x]",
    "{y}",
    "'q'",
    '"d"',
    "@at",
    "`tick`",
    "%pct",
    "x,y",
    "end.",
    "http://example.test/a?b=c#d",
    " lead",
    "trail ",
    "multi\nline",
]


def same_texts(scan: tuple[str, bool], located: Located) -> None:
    """The texts gathered while reading are the ones Located.scan() finds walking the values (order aside)."""
    texts, nan = located.scan()
    assert sorted(scan[0][1:-1].split("\n")) == sorted(texts[1:-1].split("\n")) and scan[1] == nan


def same_or_gave_up(text: str, fast_expected: bool = False) -> bool:
    """The fast reader's values are the sure reader's, or it gave up; return whether it read the text."""
    found = fastyaml.read_fast(text)
    fast = None if found is None else found.value
    try:
        sure = load_yaml_text(text, "x.yaml").value
    except DataError:
        # The sure reader refuses it: the fast reader must not have produced values the build would use
        # without the refusal. (The build reads with the sure reader whenever the checks find anything,
        # but a file the sure reader can't even parse must not slip through as data.)
        assert fast is None, f"fast reader accepted what the sure reader refuses: {text!r} -> {fast!r}"
        return False
    # A fast reader that silently gave up on everything (a changed library, say) would pass every test of equal
    # values and cost a national build 20 s: where the fast path is expected, giving up fails.
    assert found is not None or not fast_expected, f"the fast reader gave up on {text!r}"
    if found is not None:
        assert fast == sure and repr(fast) == repr(sure), f"{text!r}: fast {fast!r} != sure {sure!r}"
        same_texts(found.scan, Located(sure, "x.yaml"))
    return found is not None


def mostly_read(examples: Callable[[Counter[bool]], None]) -> None:
    """Run a property over its generated texts, then require the fast reader to have read a good share of them: one
    that silently gave up on everything would pass every comparison of values, and cost a national build 20 s. (The
    texts lean to the rare forms it leaves to the sure reader by design: it reads about 40% of them.)"""
    read: Counter[bool] = Counter()
    examples(read)
    assert read[True] >= read.total() / 10, f"the fast reader read {read[True]} texts and gave up on {read[False]}"


def test_real_data_takes_the_fast_path_with_the_same_values() -> None:
    text = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
    fast = load_fast(text)
    assert fast is not None, "the bundled data should not need the slow reader"
    assert fast == load_yaml_text(text, "x").value


@pytest.mark.parametrize("scalar", TRICKY)
@pytest.mark.parametrize("style", ["plain", "double", "single"])
def test_each_scalar_style(scalar: str, style: str) -> None:
    if style == "plain":
        written = scalar
    elif style == "double":
        written = '"' + scalar.replace("\n", "\\n").replace('"', '\\"') + '"'
    else:
        written = "'" + scalar.replace("'", "''").replace("\n", "\n\n") + "'"
    text = f"a: {written}\nb:\n  - {written}\n  - [{written}, x]\nc: {{k: {written}}}\n"
    # Numbers in YAML 1.1's rarer spellings, and line breaks in single quotes, are the sure reader's by design.
    rare = scalar in ("+5", "1e5", "1E5", "-.Inf") or (style == "single" and "\n" in scalar)
    same_or_gave_up(text, fast_expected=not rare and not fastyaml.needs_sure_reader(text))


def test_common_values_do_not_fall_back() -> None:
    text = 'fips: "0100001"\nn: 12\nf: -98.5\nd: 2018-01-24\nnone: null\nempty:\ns: text\nq: "yes"\nyes: 1\n'
    assert load_fast(text) == {
        "fips": "0100001",
        "n": 12,
        "f": -98.5,
        "d": "2018-01-24",
        "none": None,
        "empty": None,
        "s": "text",
        "q": "yes",
        "yes": 1,
    }


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # tags
        "a: 1\na: 2\n",  # a key written twice
        "a:\n  b: 1\n  <<: {c: 2}\n",  # merge key
        'a: "tab\\tescape"\n',  # escapes
        "a: 1\n---\nb: 2\n",  # two documents
        "? complex\n: key\n",
        "a:\tb\n",
        "- just\n- a list\n",
        "plain scalar\n",
        "a: [1, 2\n",  # syntax error
        "a: b: c\n",
        "a:\n  - b\n c: d\n",
        "a: 'unclosed\n",
    ],
)
def test_what_only_the_sure_reader_handles(text: str) -> None:
    assert load_fast(text) is None
    same_or_gave_up(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  keep\n  lines\n\nb: >\n  folded\n  text\n",
        "a: |-\n  strip\nb: >+\n  keep\n\n",
        "a: plain\n  continued\n  lines\n",
        "a: 'single ''quoted'' text'\n",
        'a: "double\n  folded"\n',
        "a:   spaced   \n",
        "a: x # comment\n# whole line\nb: y\n",
        "list:\n- no indent\n- second\n",
        "a: {b: [1, {c: d}], e: []}\n",
        "a: 1\n...\n",
    ],
)
def test_layouts(text: str) -> None:
    same_or_gave_up(text, fast_expected=not fastyaml.needs_sure_reader(text))


scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
trees = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(TRICKY + ["k1", "k2"]), inner, max_size=4)
    ),
    max_leaves=20,
)


def test_dumped_data() -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        tree=st.dictionaries(st.sampled_from(["a", "b", "c", "yes", "12"]), trees, min_size=1, max_size=4),
        style=st.sampled_from([None, '"', "'", "|", ">"]),
        flow=st.sampled_from([None, True, False]),
    )
    def dumped(read: Counter[bool], tree: dict, style: str | None, flow: bool | None) -> None:
        text = yaml.safe_dump(tree, default_style=style, default_flow_style=flow, allow_unicode=True)
        read[same_or_gave_up(text)] += 1

    mostly_read(dumped)


def test_plain_written_data() -> None:
    """Scalars written plain, as an editor types them, whatever YAML makes of them."""

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(["a", "b", "yes", "1", "~"]), st.sampled_from(TRICKY)), min_size=1))
    def written(read: Counter[bool], pairs: list[tuple[str, str]]) -> None:
        lines = [f"{key}: {value}" for key, value in dict(pairs).items() if "\n" not in value]
        if lines:
            read[same_or_gave_up("\n".join(lines) + "\n")] += 1

    mostly_read(written)


BATCHED = [
    "a: 1\nitems:\n  - x: 1\n  - x: 2\n  - x: 3\nb: 2\n",  # the list is not last
    "items:\n# a comment at the margin\n  - x: 1\n\n  - x: yes\n    y: [1, 2]\n  -\n    z: 3\n",
    'items:\n  - a: "first line\n  - not an item"\n  - b: 2\n',  # a quoted line that looks like an item
    "items:\n  - a: |\n      - text, not an item\n  - b: 2\n",
    "items:\n- x: 1\n- x: 2\nother:\n- y: 1\n",  # items at the margin; two lists
    "items:\n  - - nested\n    - list\n  - x\n",
    "items: [1, 2]\nlong:\n  - 1\n  - 2\n  - 3\n",
    "items:\n  - x: 1\n  - x: 1\n    x: 2\n",  # a duplicate key in a later batch
    "items:\n  -\n  - x: 1\n  -\n  -\n  - x: 2\n",  # empty items right before others
]


@pytest.mark.parametrize("batch", [1, 2])
@pytest.mark.parametrize("text", BATCHED)
def test_long_lists_are_read_in_batches_with_the_same_values(
    text: str, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastyaml, "BATCH", batch)
    same_or_gave_up(text, fast_expected="\n  -\n" in text)  # every item found, none lost to the one before


def test_the_bundled_data_is_read_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastyaml, "BATCH", 7)
    text = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
    assert split.longest_list(text) is not None
    found = fastyaml.read_fast(text)
    sure = load_yaml_text(text, "x")
    assert found is not None and found.value == sure.value
    same_texts(found.scan, sure)


def test_a_nan_written_plain_is_flagged_for_the_checks() -> None:
    """ ".nan" arrives as text and becomes a number while reading: the checks must still hear of it."""
    found = fastyaml.read_fast("lat: .nan\nname: x\n")
    assert found is not None and found.scan[1] is True


def test_dumped_lists_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastyaml, "BATCH", 2)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        records=st.lists(st.dictionaries(st.sampled_from(["id", "yes", "n", "list"]), trees, max_size=3), max_size=6),
        style=st.sampled_from([None, '"', "'"]),
    )
    def batched(read: Counter[bool], records: list[dict], style: str | None) -> None:
        text = yaml.safe_dump({"head": 1, "items": records, "tail": "yes"}, default_style=style, allow_unicode=True)
        read[same_or_gave_up(text)] += 1

    mostly_read(batched)


# Found in review: each was read differently by the two readers (or accepted by the fast one alone).
REVIEWED = [
    "amount: !\n",
    "summary: @ the city sued\n",
    "summary: & more\n",
    "a: -.5\n",
    "a: [-.25, +.5e+3]\n",
    "a: inf\n",
    "a: -infinity\n",
    "a: .NaN\n",
    ": 1\n",
    "a:\n  : 1\n",
    "{a: 1,\nitems:\n  - x\n  - y\n}\n",
    "# a comment first\n[a, b]\n",
]


@pytest.mark.parametrize("text", REVIEWED)
def test_cases_found_in_review(text: str) -> None:
    same_or_gave_up(text)


def test_prose_with_an_ampersand_still_takes_the_fast_path() -> None:
    assert load_fast("title: Smith & Wesson\nurl: https://example.test/?a=1&b=2\n") == {
        "title": "Smith & Wesson",
        "url": "https://example.test/?a=1&b=2",
    }


def test_a_mistake_in_the_last_batch_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast reader gives up on a mistake in any batch, and the sure reader (not a traceback) tells the editor
    where it is."""
    monkeypatch.setattr(fastyaml, "BATCH", 7)
    text = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
    last = text.rindex("\n    name: ")
    broken = text[:last] + "\n    name: Broken: here" + text[text.index("\n", last + 1) :]
    assert fastyaml.read_fast(text) is not None
    assert fastyaml.read_fast(broken) is None
    with pytest.raises(DataError):
        load_yaml_text(broken, "x.yaml")


def test_kept_records_are_parsed_once_in_batches_then_only_when_edited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastyaml, "BATCH", 7)
    parsed: list[int] = []
    real = fastyaml._load_items
    monkeypatch.setattr(
        fastyaml, "_load_items", lambda missing, texts: (parsed.append(len(missing)), real(missing, texts))[1]
    )
    text = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
    kept = fastyaml.KeptItems()
    first = fastyaml.read_fast(text, kept)
    sure = load_yaml_text(text, "x")
    assert first is not None and first.value == sure.value
    same_texts(first.scan, sure)
    count = len(sure.value["jurisdictions"])
    assert parsed == [count] and not kept, "the items given are left as they are"
    assert first.kept is not None and len(first.kept) == count
    edited = text.replace("    name: Chicago\n", "    name: Chicago (edited)\n", 1)
    again = fastyaml.read_fast(edited, first.kept)
    assert again is not None and again.value == load_yaml_text(edited, "x").value
    assert parsed == [count, 1]


@pytest.mark.parametrize("data", [ROOT / "data", TINY / "data"])
def test_loading_the_data_never_needs_the_sure_reader(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled data and the fixture load by the fast path: the sure reader (20 s at 10,000 records) is never asked."""

    def sure_reader(*_: object) -> None:
        raise AssertionError("the sure reader was used: the fast reader gave up on data without a mistake")

    monkeypatch.setattr(jurisdictions, "load_yaml_text", sure_reader)
    loaded = jurisdictions.load_jurisdictions(data / "jurisdictions.yaml")
    assert len(loaded.jurisdictions) == len(yaml.safe_load((data / "jurisdictions.yaml").read_text())["jurisdictions"])
    assert jurisdictions.load_document(data / "jurisdictions.yaml").value["jurisdictions"]


def random_edit(text: str, rng: random.Random) -> str:
    """Text inserted, removed or replaced somewhere: list marks, line breaks at and off the margin, plain words."""
    at = rng.randrange(len(text))
    cut = rng.choice([0, 0, 1, 2, 5, 40, 400])
    put = rng.choice(["", "x", "\n", "\n  - ", "\n- ", "\nkey:", "\n    a: 1", "  - id: new\n", "# note\n", "é"])
    return text[:at] + put + text[at + cut :]


@pytest.mark.parametrize("data", [ROOT / "data", TINY / "data"])
def test_a_split_made_from_the_last_read_is_the_split_of_the_whole_text(data: Path) -> None:
    """A preview splits a save from the last read's split (only the items the edit touches are found again): it must
    be exactly the split of the whole text, or give up."""
    rng = random.Random(14)
    text = (data / "jurisdictions.yaml").read_text(encoding="utf-8")
    last = split.split_whole(text)
    assert last is not None
    made = 0
    for _ in range(300):
        edited = random_edit(text, rng)
        again = split.split_again(edited, last)
        if again is not None:
            assert again == split.split_whole(edited)
            made += 1
    assert made > 50, "most edits are inside the records, and split from the last read"
    first = text.index("    name: ") + len("    name: ")
    edited = text[:first] + "Edited " + text[first:]
    assert split.split_again(edited, last) == split.split_whole(edited), "an edit of the first record"
