"""Issue 5: every bad input, run through the real command line, gives exit 1 and a plain, located message.

Each case edits a copy of the tiny tree beside a copy of a good site, runs `build.py`, and expects: exit status 1,
a message naming the file and the line (where there is one), no traceback, the site byte-for-byte as it was,
no temporary folders, and a finish within seconds of CPU in bounded memory. The cases run in parallel, once per session.
A missing template cannot be given on the command line: tests/test_atomic.py covers it in-process.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY, tree_bytes
from tracker.data.textfile import MAX_BYTES

# Speed is judged by the child's CPU time, which a busy machine does not inflate; wall time only catches hangs.
TIMEOUT = 60  # wall-clock seconds: a refused input takes about one, so only a hang (or a swamped machine) nears it
MAX_CPU_SECONDS = 10
BOMB_CPU_SECONDS = 5  # the brief's bound for inputs built to be expensive
BOMBS = {"alias bomb", "file over the size limit", "deep nesting", "amount with too many digits"}
MAX_RSS_MB = 400  # the build's own footprint is about 100 MB; an expanded alias bomb would need gigabytes
DATA = "data/jurisdictions.yaml"
PAGE = "content/about.md"
GOOD = (TINY / DATA).read_text(encoding="utf-8")
ABOUT = (TINY / PAGE).read_text(encoding="utf-8")
Edit = Callable[[Path], None]


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    edit: Edit
    file: str  # as shown to the editor, relative to the tree
    line: int | None  # None: the problem is about the whole file
    fragment: str  # part of the message


@dataclasses.dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float
    max_rss_mb: float
    site_kept: bool
    leftovers: list[str]


def replace(file: str, old: str, new: str) -> Edit:
    def edit(tree: Path) -> None:
        text = (tree / file).read_text(encoding="utf-8")
        assert old in text, f"the case's snippet {old!r} must occur in {file}"
        (tree / file).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def write(file: str, content: str | bytes) -> Edit:
    def edit(tree: Path) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tree / file).write_bytes(data)

    return edit


def remove(file: str) -> Edit:
    def edit(tree: Path) -> None:
        target = tree / file
        shutil.rmtree(target) if target.is_dir() else target.unlink()

    return edit


def data_is_a_folder(tree: Path) -> None:
    (tree / DATA).unlink()
    (tree / DATA).mkdir()


def alias_bomb() -> str:
    """The "billion laughs": nine levels of nine aliases, 10^9 strings if ever expanded."""
    rows = ["bomb:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return GOOD + "\n".join(rows) + "\n"


def data(id: str, old: str, new: str, line: int | None, fragment: str) -> Case:
    return Case(id, replace(DATA, old, new), DATA, line, fragment)


def page(id: str, old: str, new: str, line: int | None, fragment: str) -> Case:
    return Case(id, replace(PAGE, old, new), PAGE, line, fragment)


def extra_page(name: str, fragment: str) -> Case:
    return Case(f"page named {name}", write(f"content/{name}", ABOUT), f"content/{name}", None, fragment)


YAML_SYNTAX = [
    data("unclosed bracket", "    kind: city\n", "    kind: [city\n", 15, "the YAML cannot be read"),
    data("unclosed quote", 'fips: "2836000"', 'fips: "2836000', 52, "opened here is closed"),
    data("bad indentation", "    kind: city\n", "      kind: city\n", 14, "mapping values are not allowed"),
    data("colon inside text", "received the letter.", "received: the letter.", 58, "mapping values are not allowed"),
    data("list item inside a mapping", "    state: MS\n", "    state: MS\n    - oops\n", 52, "the YAML cannot be read"),
    data("unclosed brace", "sources: [justia-ilnd-198]", "sources: {justia-ilnd-198", 41, "did not find expected"),
    Case("two documents", write(DATA, GOOD + "---\nmore: 1\n"), DATA, 67, "found another document"),
    data("tab indentation", "    kind: city\n", "\tkind: city\n", 14, "YAML allows only spaces for indentation"),
]
KEYS_AND_IDS = [
    data("duplicate key", "    name: Chicago\n", "    name: Chicago\n    name: Chi\n", 13, "written twice"),
    Case("duplicate top-level key", write(DATA, GOOD + "last_updated: 2026-11-29\n"), DATA, 67, "written twice"),
    data("duplicate jurisdiction id", "  - id: jackson-ms", "  - id: chicago-il", 47, "already used on line 11"),
    data("duplicate source id", "- id: justia-ilnd-198", "- id: wapo-2018-01-24", 42, "already used on line 5"),
    data("unknown key", "    state: IL", "    sate: IL", 15, 'unknown field "sate". Did you mean "state"?'),
    data("unknown top-level key", "last_updated: 2026-11-28\n", "last_updated: 2026-11-28\nby: me\n", 4, '"by"'),
    data("unknown grant key", "lower-bound\n", "lower-bound\n        cur: USD\n", 34, '"cur"'),
    data("merge key", "    kind: city\n", "    <<: {kind: city}\n", 14, 'merge keys ("<<") are not allowed'),
]
TYPES_AND_RANGES = [
    data("text given a list", "name: Chicago", "name: [Chi, Cago]", 12, '"name" must be text, but it is a list'),
    data("list given a number", "    grants: []", "    grants: 5", 64, '"grants" must be a list'),
    data("kind given a list (found by fuzzing)", "kind: city", "kind: []", 14, '"kind" must be one of'),
    data("source id given a list (fuzzing)", "- id: justia-ilnd-198", "- id: [a]", 42, '"id" must be text'),
    data("number given text", "lat: 41.8837", "lat: north", 17, '"lat" must be a number'),
    data("entry given text", "  - id: jackson-ms\n", "  - jackson\n  - id: jackson-ms\n", 47, "set of fields"),
    data("latitude out of range", "lat: 41.8837", "lat: 141.8837", 17, "must be at most 90"),
    data("fiscal year out of range", "fiscal_year: 2016", "fiscal_year: 1816", 30, "must be at least"),
    data("negative amount", "amount_min: 2000000", "amount_min: -5", 32, "must be at least 0"),
    data("base-60 number", "lat: 41.8837", "lat: 41:53", 17, "41:53 (which YAML reads as the number 2513)"),
    data("not a number", "lat: 41.8837", "lat: .nan", 17, '"not a number"'),
    data("amount with too many digits", "amount_min: 2000000", "amount_min: " + "9" * 5000, 32, "too many digits"),
    data("blank text", "name: Chicago", 'name: "   "', 12, "holds only spaces"),
]
DATES = [
    data("impossible date", "status_date: 2018-07-27", "status_date: 2018-02-30", 20, "not a real date"),
    data("date in words", "status_date: 2018-07-27", "status_date: Jan 24, 2018", 20, 'it is "Jan 24, 2018"'),
    data("date day first", "status_date: 2018-07-27", "status_date: 24/01/2018", 20, "written YYYY-MM-DD"),
    data("date without zeros", "status_date: 2018-07-27", "status_date: 2018-1-24", 20, "written YYYY-MM-DD"),
    data("date with a time", "status_date: 2018-07-27", "status_date: 2018-07-27T10:00:00", 20, "YYYY-MM-DD"),
]
YAML_1_1 = [
    data("yes read as true", "name: Chicago", "name: yes", 12, "YAML reads a bare yes as true/false"),
    data("NO read as false", "state: MS", "state: NO", 51, "NO (which YAML reads as false)"),
    data("off read as false", "official_name: City of Jackson", "official_name: off", 49, "bare off"),
    data("octal number", 'fips: "2836000"', "fips: 0123", 52, "the number 83"),
    data("fips losing its zero", 'fips: "2836000"', "fips: 0614000", 52, "to keep the leading zero"),
]
FILES = [
    Case("empty file", write(DATA, ""), DATA, 1, "the file is empty"),
    Case("comments only", write(DATA, "# nothing\n# here\n"), DATA, 1, "the file is empty"),
    Case("top level is a list", write(DATA, "- a\n- b\n"), DATA, 1, "but it is a list"),
    Case("top level is text", write(DATA, "just some words\n"), DATA, 1, 'but it is "just some words"'),
    Case("invalid UTF-8", write(DATA, GOOD.replace("Chicago\n", "Chic\xff\n", 1).encode("latin-1")), DATA, 12, "UTF-8"),
    Case("UTF-16", write(DATA, GOOD.encode("utf-16")), DATA, 1, "saved as UTF-16"),
    Case("file over the size limit", write(DATA, b"#" * (MAX_BYTES + 1)), DATA, None, f"more than the {MAX_BYTES:,}"),
    Case("deep nesting", write(DATA, GOOD + "deep: " + "[" * 5000 + "]" * 5000 + "\n"), DATA, 67, "nested more"),
    Case("alias bomb", write(DATA, alias_bomb()), DATA, 68, "anchors and aliases (& and *) are not allowed"),
    data("control character", "name: Chicago", "name: Chi\x00cago", 12, "invisible control character (U+0000)"),
    data("escaped control character", "name: Chicago", 'name: "Chi\\acago"', 12, "control character (U+0007)"),
    data("python tag", "name: Chicago", "name: !!python/object/apply:os.system [ls]", 12, "is not allowed"),
    # Found by a line-cutting review: naming the case a schema problem is about read the number as a list.
    Case("a number for the list of cases", write("data/cases.yaml", "cases: 5\n"), "data/cases.yaml", 1, "a list"),
    Case("data file missing", remove(DATA), DATA, None, "cannot read the file: No such file or directory"),
    Case("data file is a folder", data_is_a_folder, DATA, None, "cannot read the file: Is a directory"),
]
PAGES = [
    page("front matter never closed", "nav: 1\n---\n", "nav: 1\n\n", 1, "never closed"),
    Case("no front matter", write(PAGE, "# About\n\nText.\n"), PAGE, 1, "must start with front matter"),
    Case("empty front matter", write(PAGE, "---\n---\nText.\n"), PAGE, 2, "the front matter is empty"),
    page("front matter syntax error", "title: About", "title: About: us", 2, "the YAML cannot be read"),
    Case("front matter is a list", write(PAGE, "---\n- title\n---\nText.\n"), PAGE, 2, "but it is a list"),
    page("unknown front matter key", "nav: 1\n", "nav: 1\nauthor: me\n", 6, 'unknown front matter field "author"'),
    page("duplicate front matter key", "nav: 1\n", "nav: 1\nnav: 2\n", 6, '"nav" is written twice'),
    page("title read as true", "title: About", "title: yes", 2, "YAML reads a bare yes as true/false"),
    page("impossible page date", "date: 2026-11-28", "date: 2026-02-30", 4, "not a real date"),
    page("updated before date", "nav: 1\n", "nav: 1\nupdated: 2020-01-01\n", 6, '"updated" (2020-01-01) is before'),
    page("tab in front matter", "title: About", "\ttitle: About", 2, "tab character"),
    Case("page not UTF-8", write(PAGE, ABOUT.replace("tracker", "tr\xe9cker").encode("latin-1")), PAGE, 3, "UTF-8"),
    extra_page("About.md", "must be lowercase letters, digits and hyphens"),
    extra_page("about.MD", "content/about.md already has the address /about/"),
    extra_page("data.md", "at /data/, which the site already uses for the downloads page"),
    extra_page("feed.md", "at /feed/, which the site already uses"),
    extra_page("404.md", "at /404/, which the site already uses"),
    extra_page("jurisdictions.md", "at /jurisdictions/, which the site already uses for the jurisdiction pages"),
    Case("content folder missing", remove("content"), "content", None, "the content folder does not exist"),
]
CASES = YAML_SYNTAX + KEYS_AND_IDS + TYPES_AND_RANGES + DATES + YAML_1_1 + FILES + PAGES
# Not errors: a UTF-8 byte-order mark (some Windows editors add one) and Windows line endings are accepted.
ACCEPTED = [
    Case("byte-order mark", write(DATA, "\ufeff" + GOOD), DATA, None, ""),
    Case("byte-order mark on a page", write(PAGE, "\ufeff" + ABOUT), PAGE, None, ""),
    Case("Windows line endings", write(DATA, GOOD.replace("\n", "\r\n")), DATA, None, ""),
    Case("page with Windows line endings", write(PAGE, ABOUT.replace("\n", "\r\n")), PAGE, None, ""),
]


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str, float, float]:
    """Run build.py; return (status, stdout, stderr, CPU seconds, peak memory in MB) of that one child."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}  # plain output, not annotations
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=out, stderr=err, env=env
        )
        timer = threading.Timer(TIMEOUT, child.kill)
        timer.start()
        try:
            # wait4, unlike wait, reports this one child's CPU time and peak memory.
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stderr = err.read().decode() + (f"\n(killed after {TIMEOUT} s)" if child.returncode < 0 else "")
        cpu = usage.ru_utime + usage.ru_stime
        return child.returncode, out.read().decode(), stderr, cpu, usage.ru_maxrss / 1024


def tree_args(tree: Path, out: Path) -> list[str]:
    return ["--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out)]


def run_case(case: Case, folder: Path, good_site: Path) -> Outcome:
    tree, site = folder / "tree", folder / "site"
    shutil.copytree(TINY, tree)
    shutil.copytree(good_site, site)
    before = tree_bytes(site)
    case.edit(tree)
    code, out, err, cpu, rss = run_cli(tree_args(tree, site), cwd=folder)
    kept = tree_bytes(site) == before if code else site.is_dir()
    # Temporary folders beside the site; .build-cache (the cache's records) is meant to stay.
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".build-cache"]
    return Outcome(code, out, err, cpu, rss, kept, leftovers)


@pytest.fixture(scope="session")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny tree built once; every case starts from a copy of it."""
    out = tmp_path_factory.mktemp("good") / "site"
    code, _, err, _, _ = run_cli(tree_args(TINY, out), ROOT)
    assert code == 0, err
    return out


@pytest.fixture(scope="session")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, good_site: Path
) -> dict[str, Outcome]:
    """Run every selected case at once, a few at a time: each one is a separate Python process of about a second."""
    params = [getattr(item, "callspec", None) for item in request.session.items]
    wanted = [p.params["case"] for p in params if p and isinstance(p.params.get("case"), Case)]
    folders = {c.id: tmp_path_factory.mktemp("case") for c in wanted}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        results = pool.map(lambda c: (c.id, run_case(c, folders[c.id], good_site)), wanted)
        return dict(results)


def located_lines(stderr: str, case: Case) -> list[str]:
    """The lines of the report that point at the case's file (and line, when it has one)."""
    where = f"tree/{case.file}:{case.line}:" if case.line is not None else f"tree/{case.file}: "
    return [line for line in stderr.splitlines() if line.strip().startswith(where)]


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES + ACCEPTED}) == len(CASES + ACCEPTED)
    assert {c.id for c in CASES} >= BOMBS


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_a_located_message(case: Case, outcomes: dict[str, Outcome]) -> None:
    result = outcomes[case.id]
    assert result.code == 1, f"exit status {result.code}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Found "), result.stderr
    assert any(case.fragment in line for line in located_lines(result.stderr, case)), result.stderr
    assert result.site_kept, "the previous site must be left byte for byte as it was"
    assert result.leftovers == [], "no temporary folders may be left behind"
    limit = BOMB_CPU_SECONDS if case.id in BOMBS else MAX_CPU_SECONDS
    assert result.cpu_seconds < limit, f"took {result.cpu_seconds:.1f} s of CPU"
    assert result.max_rss_mb < MAX_RSS_MB, f"used {result.max_rss_mb:.0f} MB"


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.id for c in ACCEPTED])
def test_harmless_variants_build(case: Case, outcomes: dict[str, Outcome]) -> None:
    result = outcomes[case.id]
    assert result.code == 0, result.stderr
    assert result.site_kept and result.leftovers == []
    assert "Built the site" in result.stdout
