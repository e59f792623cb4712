"""Issue 5: a build replaces the whole site or leaves the previous one byte for byte, with no temporary folder left.

Each stage fails in turn (loading, rendering, checking paths, writing file N, swapping), by error and by Ctrl-C."""

from __future__ import annotations

import dataclasses
import errno
import multiprocessing
import os
import shutil
import subprocess
import sys
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, tree_bytes
from tracker.build import output, pipeline
from tracker.config import SiteConfig, make_config
from tracker.data import content
from tracker.errors import BuildError

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
FULL_DISK = "could not write the site: No space left on device; the previous site was kept."
STAGING = "/.site.new-"  # output.Staging builds the site in a folder named like this beside site/


@pytest.fixture
def config(tiny: Path, tmp_path: Path) -> SiteConfig:
    return make_config(data_dir=tiny / "data", content_dir=tiny / "content", out_dir=tmp_path / "site")


@pytest.fixture
def before(config: SiteConfig) -> dict[str, bytes]:
    """A good site already in place: what every failed build must leave untouched."""
    pipeline.build(config)
    return tree_bytes(config.out_dir)


def leftovers(config: SiteConfig) -> list[str]:
    """Temporary folders (.site.new-*, .site.old) beside the site."""
    return sorted(p.name for p in config.out_dir.parent.iterdir() if p.name.startswith(f".{config.out_dir.name}"))


def assert_kept(config: SiteConfig, before: dict[str, bytes]) -> None:
    assert tree_bytes(config.out_dir) == before
    assert leftovers(config) == []


def raiser(error: BaseException) -> Any:
    def fail(*args: object, **kwargs: object) -> Any:
        raise error

    return fail


def render_then_fail(sheets: list[Any], job: Any, *args: object) -> list[str]:
    (job.staging / "index.html").write_bytes(b"half")
    raise RuntimeError("template blew up")


STAGES = [
    ("load data", "load_jurisdictions", raiser(RuntimeError("boom")), RuntimeError),
    ("load pages", "load_pages", raiser(RuntimeError("boom")), RuntimeError),
    ("render midway", "write_pages", render_then_fail, RuntimeError),
    ("render exports", "render_exports", raiser(RuntimeError("boom")), RuntimeError),
    ("check paths", "check_paths", raiser(BuildError("clash")), BuildError),
    ("Ctrl-C while rendering", "write_pages", raiser(KeyboardInterrupt()), KeyboardInterrupt),
]


@pytest.mark.parametrize(("name", "attribute", "replacement", "error"), STAGES, ids=[s[0] for s in STAGES])
def test_a_failing_stage_leaves_the_site(
    name: str,
    attribute: str,
    replacement: Any,
    error: type[BaseException],
    config: SiteConfig,
    before: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, attribute, replacement)
    with pytest.raises(error):
        pipeline.build(config)
    assert_kept(config, before)


def fail_writes_after(monkeypatch: pytest.MonkeyPatch, count: int, error: BaseException) -> Synchronized[int]:
    """Let `count` files of the staged site be written, then raise on every later one; return the count written.

    Only writes into the staging folder count: other stages (the search indexer) write temporary files too.
    The count is shared with the render worker processes.
    """
    real = Path.write_bytes
    written = multiprocessing.get_context("fork").Value("i", 0)

    def write_bytes(self: Path, data: bytes) -> int:
        if STAGING not in str(self):
            return real(self, data)
        with written.get_lock():
            if written.value >= count:
                raise error
            written.value += 1
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return written


FULL_DISK_AT = [(0, False), (1, False), (7, False), (25, False), (0, True), (5, True)]


@pytest.mark.parametrize(
    ("count", "use_cache"),
    FULL_DISK_AT,
    ids=[f"{'update in place' if cached else 'new site'}, file {count + 1}" for count, cached in FULL_DISK_AT],
)
def test_a_full_disk_midway_is_a_plain_message_and_keeps_the_site(
    count: int, use_cache: bool, config: SiteConfig, before: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    written = fail_writes_after(monkeypatch, count, ENOSPC)
    with pytest.raises(BuildError) as caught:
        pipeline.build(config, use_cache=use_cache)
    assert str(caught.value) == FULL_DISK
    assert written.value == count
    assert_kept(config, before)


def test_a_full_disk_while_the_downloads_are_written_is_the_same_plain_message(
    config: SiteConfig, before: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the CSV downloads fail: they are written in a second process (build/beside.py), and the error reads the same."""
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if STAGING in str(self) and self.suffix == ".csv":
            raise ENOSPC
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(BuildError) as caught:
        pipeline.build(config, use_cache=False)  # a new site: an update in place writes no unchanged download
    assert str(caught.value) == FULL_DISK
    assert_kept(config, before)


def test_ctrl_c_while_writing_keeps_the_site(
    config: SiteConfig, before: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    fail_writes_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(config)
    assert_kept(config, before)


@pytest.mark.parametrize("error", [ENOSPC, KeyboardInterrupt()], ids=["error", "Ctrl-C"])
def test_a_failed_swap_puts_the_old_site_back(
    error: BaseException, config: SiteConfig, before: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site is moved aside, then moving the new one in fails: the old one must come back."""
    real = Path.rename
    calls: list[Path] = []

    def rename(self: Path, target: Any) -> Path:
        if Path(self).parent == config.out_dir.resolve().parent:  # the swap's renames, not another stage's
            calls.append(self)
            if len(calls) == 2:
                raise error
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(BuildError if isinstance(error, OSError) else KeyboardInterrupt):
        pipeline.build(config, use_cache=False)  # a whole new site (updates in place: tests/test_cache.py)
    assert_kept(config, before)


def test_a_first_build_that_fails_leaves_nothing(config: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_writes_after(monkeypatch, 2, ENOSPC)
    with pytest.raises(BuildError, match="No space left on device"):
        pipeline.build(config)
    assert not config.out_dir.exists()
    assert leftovers(config) == []


FULL_DISK_CLI = """
import errno, os, pathlib, sys
real, written = pathlib.Path.write_bytes, []
def write_bytes(self, data):
    if "/.site.new-" not in str(self):
        return real(self, data)
    if len(written) >= 5:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
    written.append(self)
    return real(self, data)
pathlib.Path.write_bytes = write_bytes
sys.path.insert(0, sys.argv.pop(1))
from tracker.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_full_disk_through_the_command_line_exits_1_without_a_traceback(
    config: SiteConfig, before: dict[str, bytes]
) -> None:
    args = ["--data", str(config.data_dir), "--content", str(config.content_dir), "--out", str(config.out_dir)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_CLI, str(ROOT), *args], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # Under CI the build also prints one timed line per stage before the error.
    assert result.stderr.strip().splitlines()[-1] == f"Build failed; nothing was published: {FULL_DISK}"
    assert_kept(config, before)


def test_removed_jurisdictions_and_pages_do_not_linger(config: SiteConfig, before: dict[str, bytes]) -> None:
    assert "jurisdictions/jackson-ms/index.html" in before and "about/index.html" in before
    data = config.data_file
    text = data.read_text(encoding="utf-8")
    data.write_text(text[: text.index("  - id: jackson-ms")], encoding="utf-8")
    (config.content_dir / "about.md").unlink()
    after = pipeline.build(config)
    on_disk = tree_bytes(config.out_dir)
    assert sorted(on_disk) == after
    assert not (config.out_dir / "jurisdictions" / "jackson-ms").exists()
    assert not (config.out_dir / "about").exists()
    assert b"jackson-ms" not in on_disk["data/jurisdictions.json"]
    assert leftovers(config) == []


def test_output_folder_that_is_not_a_site_is_left_alone(config: SiteConfig, tmp_path: Path) -> None:
    """`--out .` or `--out data` must never swap a folder of other files away."""
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError, match="no site built by this tool"):
        pipeline.build(dataclasses.replace(config, out_dir=precious))
    assert [p.name for p in precious.iterdir()] == ["notes.txt"]
    file = tmp_path / "a-file"
    file.write_text("keep me too", encoding="utf-8")
    with pytest.raises(BuildError, match="is a file"):
        pipeline.build(dataclasses.replace(config, out_dir=file))
    assert file.read_text(encoding="utf-8") == "keep me too"
    empty = tmp_path / "empty"
    empty.mkdir()
    pipeline.build(dataclasses.replace(config, out_dir=empty))  # an empty folder is fine
    assert (empty / "index.html").is_file()


@pytest.mark.parametrize("template", ["page.html", "base.html"])
def test_a_missing_template_is_named(
    template: str, config: SiteConfig, before: dict[str, bytes], tmp_path: Path
) -> None:
    """No command-line option names the templates folder, so this bad input is tested in-process."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / template).unlink()
    with pytest.raises(BuildError, match=f"^templates/{template}: the template is missing.$"):
        pipeline.build(dataclasses.replace(config, templates_dir=templates))
    assert_kept(config, before)


# check_paths, directly: each refusal names the path and every producer involved.
CLASHES = [
    ("same path", "a/index.html", "a/index.html", 'two things would be written to "a/index.html": one and two.'),
    ("case only", "About/index.html", "about/index.html", 'two things would be written to "about/index.html"'),
    ("double slash", "a//b.html", "a/b.html", 'two things would be written to "a/b.html": one and two.'),
    ("dot segment", "./a.html", "a.html", 'two things would be written to "a.html": one and two.'),
    (
        "file then folder",
        "data",
        "data/x.json",
        '"data" would be both a file (one) and a folder holding "data/x.json" (two).',
    ),
    (
        "folder then file",
        "data/x.json",
        "data",
        '"data" would be both a file (two) and a folder holding "data/x.json" (one).',
    ),
]


@pytest.mark.parametrize(("name", "first", "second", "message"), CLASHES, ids=[c[0] for c in CLASHES])
def test_two_outputs_claiming_one_path_are_refused(name: str, first: str, second: str, message: str) -> None:
    with pytest.raises(BuildError) as caught:
        output.check_paths([(first, b"1", "one"), ("other.html", b"", "zero"), (second, b"2", "two")])
    assert message in str(caught.value)


@pytest.mark.parametrize("path", ["../x.html", "/etc/passwd", "a/../../x", "", "a\\..\\x", "a/\x00.html", ".."])
def test_a_path_escaping_the_output_folder_is_refused(path: str) -> None:
    with pytest.raises(BuildError) as caught:
        output.check_paths([("index.html", b"", "the home page"), (path, b"", "content/evil.md")])
    assert str(caught.value) == f'content/evil.md would write to "{path}", which is outside the output folder.'


def test_distinct_paths_pass() -> None:
    files = output.check_paths([("index.html", b"1", "a"), ("data/index.html", b"2", "b"), ("data/x.json", b"3", "c")])
    assert files == {"index.html": b"1", "data/index.html": b"2", "data/x.json": b"3"}


def test_a_page_whose_address_is_taken_is_refused_by_the_path_check(
    config: SiteConfig, before: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the reserved names lifted, content/data.md would overwrite the downloads page: check_paths stops it."""
    (config.content_dir / "data.md").write_text(
        (config.content_dir / "about.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setattr(content, "RESERVED", {k: v for k, v in content.RESERVED.items() if k != "data"})
    for stage in (pipeline.check, pipeline.build):
        with pytest.raises(BuildError) as caught:
            stage(config)
        message = str(caught.value)
        assert message.startswith('two things would be written to "data/index.html": ')
        assert "content/data.md" in message and "the downloads page" in message
    assert_kept(config, before)


def test_the_reserved_names_cover_every_top_level_output(config: SiteConfig, before: dict[str, bytes]) -> None:
    """A new top-level output (say embed/) needs its name in RESERVED, or a page could take its address."""
    tops = {path.split("/")[0].split(".")[0] for path in before}
    pages = {p.stem for p in config.content_dir.glob("*.md")}
    assert tops - pages <= set(content.RESERVED), "add the missing names to tracker.data.content.RESERVED"
    assert output.SITE_MARKERS[0] in before and output.SITE_MARKERS[1] in before
