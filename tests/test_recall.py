"""Reading the data again after a save (the preview): only edited records are parsed and checked anew, and
every mistake is still found, with the same message, as when the file is read from scratch."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from tests.conftest import TINY
from tracker.data import fastyaml
from tracker.data.jurisdictions import Recall, load_jurisdictions
from tracker.errors import DataError

GOOD = (TINY / "data" / "jurisdictions.yaml").read_text(encoding="utf-8")
# Each edit touches text that the first read found clean, and each breaks a different kind of rule.
EDITS = {
    "a record's own date": ("    status_date: 2018-07-27\n", "    status_date: 2018-02-30\n"),
    "a date after last_updated": ("    status_date: 2018-07-27\n", "    status_date: 2027-01-01\n"),
    "a point outside the country": ("    lon: -90.185\n", "    lon: 90.185\n"),
    "an id used twice": ("  - id: jackson-ms\n", "  - id: chicago-il\n"),
    "a source nobody defines": (
        "        source: wapo-2018-01-24\n    grants: []",
        "        source: wapo\n    grants: []",
    ),
    "a shared source removed": ("  - id: wapo-2018-01-24\n", "  - id: wapo-2018-01-25\n"),
    # The rest of the file changes: a record left as it was now breaks a rule.
    "last_updated moved before a record's date": ("last_updated: 2026-11-28\n", "last_updated: 2018-03-01\n"),
}


def problems(file: Path, recall: Recall | None) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_jurisdictions(file, recall)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("name", EDITS)
def test_a_mistake_saved_after_a_clean_read_is_reported_as_from_scratch(name: str, tmp_path: Path) -> None:
    old, new = EDITS[name]
    assert old in GOOD
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    recall = Recall()
    first = load_jurisdictions(file, recall)
    assert recall.clean[1], "the first read found every record clean"
    file.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    assert problems(file, recall) == problems(file, None) != []
    file.write_text(GOOD, encoding="utf-8")  # and fixed again: the same values as the first time
    assert load_jurisdictions(file, recall) == first


def test_each_read_gives_the_values_of_a_read_from_scratch(tmp_path: Path) -> None:
    file = tmp_path / "jurisdictions.yaml"
    recall = Recall()
    for text in (
        GOOD,
        GOOD.replace("Jackson received", "Jackson got"),
        GOOD.replace("  - id: jackson-ms", "  - id: j-ms"),
    ):
        file.write_text(text, encoding="utf-8")
        assert load_jurisdictions(file, recall) == load_jurisdictions(file)


# Edits after which only the sure reader reads the file as PyYAML does: a reread looks for these marks only in the
# edited records and around the list, so each sits in one of those places.
SURE_ONLY_EDITS = {
    "an anchor and alias in an edited record": ("    kind: city\n", "    kind: &k city\n    status_note: *k\n"),
    "a tab in an edited record": ("    kind: city\n", "    kind:\tcity\n"),
    "a carriage return in an edited record": ("    kind: city\n", "    kind: city\r\n"),
    "an escape in an edited record": ("Chicago sued", "Chicago\\tsued"),
    "a document marker after the list": ("", "---\n"),
    "a directive before everything": ("last_updated:", "%YAML 1.1\n---\nlast_updated:"),
}


@pytest.mark.parametrize("name", SURE_ONLY_EDITS)
def test_marks_only_the_sure_reader_handles_are_found_in_an_edited_record(name: str, tmp_path: Path) -> None:
    old, new = SURE_ONLY_EDITS[name]
    text = GOOD.replace(old, new, 1) if old else GOOD + new
    assert text != GOOD
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    recall = Recall()
    load_jurisdictions(file, recall)
    assert recall.items, "the first read kept its records"
    file.write_text(text, encoding="utf-8")
    assert fastyaml.read_fast(text, fastyaml.KeptItems(recall.items)) is None
    try:
        expected: object = load_jurisdictions(file)
    except DataError as e:
        expected = [str(p) for p in e.problems]
    try:
        again: object = load_jurisdictions(file, recall)
    except DataError as e:
        again = [str(p) for p in e.problems]
    assert again == expected


def test_an_unchanged_record_is_not_made_again(tmp_path: Path) -> None:
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    recall = Recall()
    before = {j.id: j for j in load_jurisdictions(file, recall).jurisdictions}
    file.write_text(GOOD.replace("Jackson received", "Jackson got"), encoding="utf-8")
    after = {j.id: j for j in load_jurisdictions(file, recall).jurisdictions}
    assert after["chicago-il"] is before["chicago-il"]
    assert after["jackson-ms"] is not before["jackson-ms"] and after["jackson-ms"].summary == "Jackson got the letter."


def test_values_kept_in_memory_are_never_changed_by_a_load(tmp_path: Path) -> None:
    """A reread uses the last read's values as they are, so nothing may change a value once read."""
    file = tmp_path / "jurisdictions.yaml"
    recall = Recall()
    for text in (GOOD, GOOD.replace("Jackson received", "Jackson got")):
        file.write_text(text, encoding="utf-8")
        load_jurisdictions(file, recall)
        assert recall.items.live and recall.items.live.keys() == recall.items.keys()
        for key, value in recall.items.live.items():
            assert value == marshal.loads(recall.items[key])


def test_a_file_saved_again_while_read_is_not_read_by_the_sure_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A half-written file (an editor saving in place) must not cost a sure read of the whole file: the read says
    the file changed, and the preview waits for the next one."""
    from tracker.data import jurisdictions

    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    half = GOOD[: GOOD.index("  - id: jackson-ms")] + "  - id: jack"
    real = jurisdictions.read_yaml_file

    def read_while_saving(path: Path, display: str) -> str:
        real(path, display)
        file.write_text(GOOD + "\n", encoding="utf-8")  # the save goes on after the read
        return half

    monkeypatch.setattr(jurisdictions, "read_yaml_file", read_while_saving)
    monkeypatch.setattr(jurisdictions, "read_fast", lambda *_: pytest.fail("a file seen changing was parsed"))
    monkeypatch.setattr(jurisdictions, "load_yaml_text", lambda *_: pytest.fail("the sure reader was used"))
    with pytest.raises(jurisdictions.FileChanged) as caught:
        load_jurisdictions(file, Recall())
    assert "changed while it was being read" in str(caught.value)


def test_a_save_that_stalls_halfway_is_waited_for_not_read_by_the_sure_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer held up halfway (the disk busy with a build) leaves the file unchanged while the fast reader fails
    on its half: the read waits as long as such a stall lasts for that many bytes, then says the file changed.
    Before, the sure reader took 4.5 s on half of a 10,000-record file and the preview showed its mistakes."""
    from tracker.data import jurisdictions

    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    recall = Recall()
    load_jurisdictions(file, recall)
    clean = recall.clean
    half = GOOD[: GOOD.index("  - id: jackson-ms")] + "  - id: jack"
    file.write_text(half, encoding="utf-8")
    waits: list[float] = []

    def the_save_goes_on(seconds: float) -> None:
        waits.append(seconds)
        file.write_text(GOOD, encoding="utf-8")

    monkeypatch.setattr(jurisdictions.time, "sleep", the_save_goes_on)
    monkeypatch.setattr(jurisdictions, "load_yaml_text", lambda *_: pytest.fail("the sure reader was used"))
    with pytest.raises(jurisdictions.FileChanged):
        load_jurisdictions(file, recall)
    assert waits == [len(half) * jurisdictions.STALL_SECONDS_PER_BYTE]
    assert recall.clean == clean, "the next read checks again only what the save changed"


def test_a_half_written_file_read_cleanly_is_neither_published_nor_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save caught half done can end at a record's edge and read without a mistake: the read must still say the
    file changed, and keep last time's records, or the next read (the whole file) parses half of them again."""
    from tracker.data import jurisdictions

    file = tmp_path / "jurisdictions.yaml"
    file.write_text(GOOD, encoding="utf-8")
    recall = Recall()
    whole = load_jurisdictions(file, recall)
    kept = dict(recall.items)
    half = GOOD[: GOOD.index("  - id: jackson-ms")]
    assert fastyaml.read_fast(half) is not None, "the half file reads without a mistake"
    real = jurisdictions.read_yaml_file

    def read_while_saving(path: Path, display: str) -> str:
        real(path, display)
        file.write_text(GOOD, encoding="utf-8")  # the rest of the save lands after the read
        return half

    monkeypatch.setattr(jurisdictions, "read_yaml_file", read_while_saving)
    with pytest.raises(jurisdictions.FileChanged):
        load_jurisdictions(file, recall)
    assert dict(recall.items) == kept
    monkeypatch.setattr(jurisdictions, "read_yaml_file", real)
    parsed: list[int] = []
    monkeypatch.setattr(fastyaml, "_load_items", lambda items, texts: parsed.append(len(items)) or iter(()))
    assert load_jurisdictions(file, recall).jurisdictions == whole.jurisdictions
    assert parsed == [0], "the next read parses no record again"


def test_a_file_found_empty_mid_save_is_read_again_not_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saving in place empties the file, then writes it: a read that finds it empty waits a moment, and
    when the file changed meanwhile says so (the preview reads it again) instead of showing the tab an error."""
    from tracker.data import jurisdictions

    file = tmp_path / "jurisdictions.yaml"
    file.write_text("", encoding="utf-8")
    waits: list[float] = []

    def the_save_lands(seconds: float) -> None:
        waits.append(seconds)
        file.write_text(GOOD, encoding="utf-8")

    monkeypatch.setattr(jurisdictions.time, "sleep", the_save_lands)
    with pytest.raises(jurisdictions.FileChanged):
        load_jurisdictions(file, Recall())
    assert waits == [jurisdictions.MID_SAVE_SECONDS]
    file.write_text("", encoding="utf-8")
    monkeypatch.setattr(jurisdictions.time, "sleep", lambda seconds: None)  # an empty file that stays empty
    with pytest.raises(DataError) as caught:
        load_jurisdictions(file, Recall())
    assert not isinstance(caught.value, jurisdictions.FileChanged) and "the file is empty" in str(caught.value)
