"""`build.py new`: printed entries paste in valid, and every placeholder in them is refused until filled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY, run_build
from tracker.cli import parse_args
from tracker.data import placeholders
from tracker.data.jurisdictions import load_document
from tracker.data.yamlfile import load_yaml
from tracker.errors import DataError, Problem
from tracker.scaffold import command as scaffold_command

REAL = ROOT / "data" / "jurisdictions.yaml"


def new(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `build.py new …` in-process; return (status, stdout, stderr)."""
    status = scaffold_command.new(parse_args(["new", *argv]))
    out, err = capsys.readouterr()
    return status, out, err


def real_copy(tmp_path: Path) -> Path:
    shutil.copy(REAL, tmp_path / "jurisdictions.yaml")
    return tmp_path / "jurisdictions.yaml"


def invalid(file: Path) -> list[Problem]:
    """Everything load_document refuses, except placeholders (whether or not it checks them yet)."""
    try:
        load_document(file)
    except DataError as e:
        return [p for p in e.problems if p.title != "Placeholder"]
    return []


def flagged_keys(file: Path) -> list[str]:
    """The YAML key on each line placeholder_problems points at."""
    lines = file.read_text(encoding="utf-8").splitlines()
    problems = placeholders.placeholder_problems(load_yaml(file, str(file)))
    return [lines[p.line - 1].strip().removeprefix("- ").split(":")[0] for p in problems]


JURISDICTION_PLACEHOLDERS = [
    "id",
    "name",
    "official_name",
    "fips",
    "lat",
    "summary",
    "date",
    "source",
    "note",
    "id",
    "url",
    "title",
    "publisher",
]


def test_a_new_jurisdiction_pastes_in_valid_with_every_value_to_fill_flagged(capsys, tmp_path: Path) -> None:
    file = real_copy(tmp_path)
    status, block, _ = new(capsys, "jurisdiction", "--data", str(tmp_path))
    assert status == 0
    with file.open("a", encoding="utf-8") as handle:
        handle.write(block)
    assert invalid(file) == []
    assert flagged_keys(file) == JURISDICTION_PLACEHOLDERS


def test_two_new_jurisdictions_get_distinct_ids_and_both_paste_in_valid(capsys, tmp_path: Path) -> None:
    file = real_copy(tmp_path)
    for _ in range(2):
        with file.open("a", encoding="utf-8") as handle:
            handle.write(new(capsys, "jurisdiction", "--data", str(tmp_path))[1])
    assert invalid(file) == []
    ids = [j["id"] for j in load_yaml(file, "x").value["jurisdictions"][-2:]]
    assert ids == ["fill-in-id", "fill-in-id-2"]


def fill_in(block: str) -> str:
    """What an editor does: replace every placeholder (here with made-up test values) and delete the note."""
    replacements = [
        ("fill-in-id", "testville-ks"),
        ("fill-in-source", "testville-2017-11-15"),
        ('"FILL IN short name"', "Testville"),
        ('"FILL IN official name"', "City of Testville"),
        ('"2000000"', '"2012345"'),
        ("lat: 39.8283", "lat: 38.9"),
        ('"FILL IN: one or two sentences in your own words."', "Testville received a letter."),
        ("1900-01-01", "2017-11-15"),
        ("https://example.org/fill-in", "https://testville.gov/letter"),
        ('"FILL IN title"', "Letter from the Justice Department"),
        ('"FILL IN publisher"', "City of Testville"),
    ]
    for old, replacement in replacements:
        assert old in block, old
        block = block.replace(old, replacement)
    return re.sub(r"\n *note: .*", "", block)


def test_a_filled_in_jurisdiction_has_no_placeholder_left(capsys, tmp_path: Path) -> None:
    file = real_copy(tmp_path)
    with file.open("a", encoding="utf-8") as handle:
        handle.write(fill_in(new(capsys, "jurisdiction", "--data", str(tmp_path))[1]))
    load_document(file)
    assert flagged_keys(file) == []


def test_prefilled_name_state_and_kind_give_the_conventional_id(capsys, tmp_path: Path) -> None:
    file = real_copy(tmp_path)
    status, block, _ = new(capsys, "jurisdiction", "--name", "St. Paul", "--state", "mn", "--data", str(tmp_path))
    assert status == 0
    assert "- id: st-paul-mn " in block and 'name: "St. Paul"' in block and "state: MN " in block
    assert 'fips: "2700000"' in block and "kind: city " in block
    file.write_text(file.read_text(encoding="utf-8") + block, encoding="utf-8")
    assert invalid(file) == []
    assert "id" not in flagged_keys(file)[:1] and "name" not in flagged_keys(file)


def test_a_new_state_uses_the_state_code_as_its_fips(capsys) -> None:
    block = new(capsys, "jurisdiction", "--name", "Testland", "--state", "OR", "--kind", "state")[1]
    assert "- id: testland " in block and 'fips: "41"' in block


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--state", "ZZ"], "--state must be one of AL, AK"),
        (["--kind", "town"], '--kind must be one of state, county, city, city-county; it is "town".'),
        (["--id", "Bad Id"], 'lowercase letters, digits and hyphens, like chicago-il; it is "Bad Id".'),
        (["--id", "chicago-il"], 'the id "chicago-il" is already used in the data file; choose another.'),
    ],
)
def test_bad_prefill_is_one_plain_line_and_status_1(capsys, argv: list[str], message: str) -> None:
    status, out, err = new(capsys, "jurisdiction", *argv)
    assert (status, out) == (1, "")
    assert err.startswith("build.py new: ") and message in err and err.count("\n") == 1


def blocks(printed: str) -> tuple[str, str]:
    """The event and the source, split at the comment lines that introduce them."""
    parts = re.split(r"^#.*\n", printed, flags=re.MULTILINE)
    return parts[2], parts[3]


def test_a_new_event_for_a_jurisdiction_with_no_events_pastes_in_valid(capsys, tiny: Path) -> None:
    file = tiny / "data" / "jurisdictions.yaml"
    status, printed, _ = new(capsys, "event", "jackson-ms", "--kind", "statement", "--data", str(tiny / "data"))
    assert status == 0
    assert 'replace "events: []" by "events:"' in printed and 'replace "sources: []" by "sources:"' in printed
    event, source = blocks(printed)
    text = file.read_text(encoding="utf-8")
    text = text.replace("    events: []\n", "    events:\n" + event).replace(
        "    sources: []\n", "    sources:\n" + source
    )
    file.write_text(text, encoding="utf-8")
    assert invalid(file) == []
    assert flagged_keys(file) == ["date", "summary", "sources", "id", "url", "title", "publisher"]
    jackson = load_yaml(file, "x").value["jurisdictions"][1]
    assert jackson["events"][0]["kind"] == "statement"


def test_a_new_event_pastes_in_at_the_lines_it_names(capsys, tiny: Path) -> None:
    file = tiny / "data" / "jurisdictions.yaml"
    printed = new(capsys, "event", "chicago-il", "--date", "2018-08-01", "--data", str(tiny / "data"))[1]
    event_line, source_line = (int(n) for n in re.findall(r"on line (\d+) of", printed))
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[event_line - 1] == "    events:\n" and lines[source_line - 1] == "    sources:\n"
    event, source = blocks(printed)
    lines.insert(source_line, source)  # the later line first, so the earlier number stays true
    lines.insert(event_line, event)
    file.write_text("".join(lines), encoding="utf-8")
    assert invalid(file) == []
    assert flagged_keys(file) == ["summary", "sources", "id", "url", "title", "publisher"]  # --date filled the date


def test_an_unknown_jurisdiction_id_lists_close_matches(capsys) -> None:
    status, out, err = new(capsys, "event", "chicgo-il")
    assert (status, out) == (1, "")
    assert err == 'build.py new: no jurisdiction has the id "chicgo-il". Did you mean: chicago-il?\n'


def test_an_unknown_id_with_no_close_match_lists_every_id(capsys) -> None:
    err = new(capsys, "event", "zzz", "--data", str(TINY / "data"))[2]
    assert err == 'build.py new: no jurisdiction has the id "zzz". The ids are: chicago-il, jackson-ms.\n'


def test_the_command_line_prints_the_block_and_exits_1_on_a_mistake() -> None:
    ok = run_build("new", "event", "jackson-ms")
    assert ok.returncode == 0 and ok.stdout.count("- date: 1900-01-01") == 1 and ok.stderr == ""
    bad = run_build("new", "event", "jackson")
    assert bad.returncode == 1 and bad.stdout == "" and "Did you mean: jackson-ms?" in bad.stderr
    assert run_build("new").returncode == 1


def test_only_new_takes_more_words() -> None:
    with pytest.raises(SystemExit) as caught:
        parse_args(["check", "jurisdiction"])
    assert caught.value.code == 2


def test_the_committed_data_has_no_placeholders() -> None:
    for file in (REAL, TINY / "data" / "jurisdictions.yaml"):
        assert placeholders.placeholder_problems(load_yaml(file, str(file))) == []


@pytest.mark.parametrize(
    ("path", "value", "flagged"),
    [
        (("sources", 0, "url"), "https://www.example.com/x", True),
        (("sources", 0, "url"), "https://example.org", True),
        (("sources", 0, "url"), "https://notexample.org/", False),
        (("sources", 0, "title"), "https://example.org/", False),  # only addresses are checked as addresses
        (("sources", 0, "url"), "http://[broken", False),
        (("fips",), "0600000", True),
        (("fips",), "06", False),
        (("fips",), "0644000", False),
        (("summary",), "Officials declined to fill in the form.", False),
        (("events", 0, "sources", 0), "fill-in-source-3", True),
    ],
)
def test_placeholder_rules(path: tuple, value: str, flagged: bool) -> None:
    assert (placeholders.placeholder_message(path, value) is not None) is flagged
