"""Each validation rule: a bad edit to the tiny data file gives this exact message at this line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TINY
from tracker.data.jurisdictions import load_document
from tracker.errors import DataError

GOOD = (TINY / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
CHI = "Chicago (id: chicago-il)"

CASES = [
    # (name, text to replace, replacement, expected "line:col: subject: message")
    (
        "unknown key",
        "    kind: city\n    state: IL",
        "    kind: city\n    sate: IL",
        f'15:5: {CHI}: unknown field "sate". Did you mean "state"? Allowed fields: id, name, official_name, kind, state, '
        "fips, lat, lon, status, status_date, status_source, status_note, summary, letters, grants, events, sources.",
    ),
    (
        "missing required",
        "    official_name: City of Chicago\n",
        "",
        f'11:5: {CHI}: "official_name" is missing. Add it (write null if it is not known).',
    ),
    (
        "bad enum",
        "kind: city\n    state: IL",
        "kind: town\n    state: IL",
        f'14:11: {CHI}: "kind" must be one of: state, county, city, city-county; it is "town".',
    ),
    (
        "enum typo",
        "status: won-in-court",
        "status: won-in-cort",
        f'19:13: {CHI}: "status" must be one of: letter-sent, responded, litigating, cleared, won-in-court, resolved; '
        'it is "won-in-cort". Did you mean "won-in-court"?',
    ),
    (
        "unquoted fips",
        'fips: "1714000"',
        "fips: 1714000",
        f'16:11: {CHI}: "fips" must be text, but it is 1714000 (which YAML reads as the number 1714000). '
        'Put it in quotes: "1714000".',
    ),
    (
        "fips losing its zero",
        'fips: "1714000"',
        "fips: 0123",
        f'16:11: {CHI}: "fips" must be text, but it is 0123 (which YAML reads as the number 83). '
        'Put it in quotes to keep the leading zero: "0123".',
    ),
    (
        "yes turned into a boolean",
        "name: Chicago",
        "name: yes",
        '12:11: id chicago-il: "name" must be text, but it is yes (which YAML reads as true). '
        'YAML reads a bare yes as true/false; to mean the text, put it in quotes: "yes".',
    ),
    (
        "impossible date",
        "status_date: 2018-07-27",
        "status_date: 2018-02-30",
        f'20:18: {CHI}: "status_date" is "2018-02-30", which is not a real date (check the day and month).',
    ),
    (
        "date in words",
        "status_date: 2018-07-27",
        "status_date: 27 July 2018",
        f'20:18: {CHI}: "status_date" must be a date written YYYY-MM-DD (for example 2018-01-24), but it is "27 July 2018".',
    ),
    (
        "deadline before letter",
        "deadline: 2018-02-23\n        source: wapo-2018-01-24\n    grants:\n      - program",
        "deadline: 2018-01-23\n        source: wapo-2018-01-24\n    grants:\n      - program",
        f'26:19: {CHI}: letter 1, "deadline" (2018-01-23) is before the letter\'s date (2018-01-24).',
    ),
    (
        "negative amount",
        "amount_min: 2000000",
        "amount_min: -5",
        f'32:21: {CHI}: grant 1, "amount_min" must be at least 0, but it is -5.',
    ),
    (
        "money written as text",
        "amount_min: 2000000",
        'amount_min: "$2 million"',
        f'32:21: {CHI}: grant 1, "amount_min" must be a whole number, but it is "$2 million". '
        "Write digits only, without quotes, $ signs, commas or words (for example 2000000).",
    ),
    (
        "both amount and bound",
        "amount: null\n        amount_min: 2000000",
        "amount: 5\n        amount_min: 2000000",
        f'31:17: {CHI}: grant 1: set exactly one of "amount" (a figure) and "amount_min" (a "more than" figure); '
        "write null in the other.",
    ),
    (
        "unknown source id",
        "        source: wapo-2018-01-24\n    grants",
        "        source: wapo-2018\n    grants",
        f'27:17: {CHI}: letter 1, "source" cites the source "wapo-2018", but no source has that id. '
        'Add it under "sources" or fix the id.',
    ),
    (
        "event without a source",
        "sources: [justia-ilnd-198]",
        "sources: []",
        f'40:18: {CHI}: event 1, "sources" needs at least 1 entry.',
    ),
    (
        "ftp url",
        "url: https://law.justia.com",
        "url: ftp://law.justia.com",
        f'43:14: {CHI}: source 1, "url" is "ftp://law.justia.com/cases/federal/district-courts/illinois/ilndce/'
        '1:2017cv05720/342884/198/", which is not in the expected form: a full web address starting with https:// or http://.',
    ),
    (
        "point outside the US",
        "lon: -87.6319",
        "lon: 87.6319",
        f"17:10: {CHI}: the point 41.8837, 87.6319 is outside the United States. "
        "Longitudes in the United States are negative: is a minus sign missing?",
    ),
    (
        "fips length for kind",
        'fips: "1714000"',
        'fips: "17031"',
        f'16:11: {CHI}: "fips" is "17031" (5 digits), but a city has a 7-digit FIPS code.',
    ),
    (
        "fips of another state",
        'fips: "1714000"',
        'fips: "0614000"',
        f'16:11: {CHI}: "fips" is "0614000", but codes in IL start with 17.',
    ),
    (
        "duplicate id",
        "  - id: jackson-ms",
        "  - id: chicago-il",
        '47:9: Jackson (id: chicago-il): the jurisdiction id "chicago-il" is already used on line 11; each must be unique.',
    ),
    (
        "duplicate key",
        "    name: Chicago\n",
        "    name: Chicago\n    name: Chi\n",
        '13:5: "name" is written twice in the same entry (first on line 12); keep one.',
    ),
    (
        "status without a source",
        "status_source: justia-ilnd-198",
        "status_source: null",
        f'21:20: {CHI}: "status_source" is null, but the status "won-in-court" needs a source.',
    ),
    (
        "event after last_updated",
        "      - date: 2018-07-27\n        kind: ruling",
        "      - date: 2027-07-27\n        kind: ruling",
        f'37:15: {CHI}: event 1, "date" (2027-07-27) is after the file\'s "last_updated" date (2026-11-28); is the year right?',
    ),
    (
        "wrong top-level type",
        GOOD,
        "- just\n- a list\n",
        "1:1: the top of the file must be a set of fields (last_updated, shared_sources, jurisdictions), but it is a list.",
    ),
    (
        "syntax error",
        "    kind: city\n",
        "    kind: [city\n",
        "15:10: the YAML cannot be read: did not find expected ',' or ']' (while parsing a flow sequence).",
    ),
    (
        "tab indentation",
        "    kind: city\n",
        "\tkind: city\n",
        "14:1: the YAML cannot be read: found a tab character that violates indentation (while scanning a plain scalar). "
        "This line contains a tab character: YAML allows only spaces for indentation.",
    ),
    (
        "alias",
        "    name: Chicago\n",
        "    name: &n Chicago\n",
        "12:11: anchors and aliases (& and *) are not allowed; write each value out in full.",
    ),
    ("empty file", GOOD, "", "1: the file is empty (or holds only comments)."),
    ("comments only", GOOD, "# nothing\n# here\n", "1: the file is empty (or holds only comments)."),
]


def messages(text: str, tmp_path: Path) -> list[str]:
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_document(file)
    return [str(p)[len(p.path) + 1 :] for p in caught.value.problems]


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_edit_gives_plain_message_with_line(old: str, new: str, expected: str, tmp_path: Path) -> None:
    assert old in GOOD, "the test's snippet must occur in the fixture"
    assert messages(GOOD.replace(old, new, 1), tmp_path) == [expected]


def test_the_fixture_itself_is_valid() -> None:
    load_document(TINY / "data" / "jurisdictions.yaml")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("kind: city\n    state: IL", "kind: town\n    state: IL").replace("lon: -87.6319", "lon: 87.6")
    text = text.replace("status: letter-sent", "status: unknown")
    found = messages(text, tmp_path)
    assert len(found) == 3
    assert [m.split(":")[0] for m in found] == ["14", "17", "55"]


def test_each_missing_field_gets_its_own_message_in_the_schemas_order(tmp_path: Path) -> None:
    """jsonschema gives one "required" error per missing field, all with the same list of required fields: each
    field is named once, in the order the schema lists them, and a misspelt key is reported only as misspelt."""
    text = GOOD.replace("    official_name: City of Chicago\n    kind: city\n", "", 1).replace(
        "    fips: ", "    fisp: ", 1
    )
    found = [m.split(f"{CHI}: ", 1)[-1] for m in messages(text, tmp_path)]
    assert found == [
        '"official_name" is missing. Add it (write null if it is not known).',
        '"kind" is missing. Add it (write null if it is not known).',
        'unknown field "fisp". Did you mean "fips"? Allowed fields: id, name, official_name, kind, state, fips, lat, '
        "lon, status, status_date, status_source, status_note, summary, letters, grants, events, sources.",
    ]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    file = tmp_path / "jurisdictions.yaml"
    file.write_bytes(GOOD.replace("Chicago\n", "Chic\xff\n", 1).encode("latin-1"))
    with pytest.raises(DataError) as caught:
        load_document(file)
    position = GOOD.index("Chicago\n") + 4
    assert str(caught.value).endswith(
        f":12: the file is not valid UTF-8 text (bad byte at position {position}); save it as UTF-8."
    )


def test_a_source_defined_under_another_jurisdiction_can_be_cited(tmp_path: Path) -> None:
    """What `check` accepts, the build must build (regression: it used to crash on such a citation)."""
    from tracker.data.jurisdictions import load_jurisdictions

    text = GOOD.replace("    status_source: null\n", "    status_source: justia-ilnd-198\n", 1)
    text = text.replace("status: letter-sent", "status: responded", 1)
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(text, encoding="utf-8")
    jurisdictions = load_jurisdictions(file).jurisdictions
    jackson = next(j for j in jurisdictions if j.id == "jackson-ms")
    assert jackson.status_source is not None and jackson.status_source.id == "justia-ilnd-198"


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_mistake_that_would_break_making_the_records_gets_the_checks_message(
    old: str, new: str, expected: str, tmp_path: Path
) -> None:
    """A mistake that breaks the making of records (a source id nobody defines, a missing field) comes out as the
    checks' message, with its line: the records are made only from a file the checks passed."""
    from tracker.data import jurisdictions as data

    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data.load_jurisdictions(file)
    assert [str(p)[len(p.path) + 1 :] for p in caught.value.problems] == [expected]
