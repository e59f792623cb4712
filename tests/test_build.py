"""The build as a whole: the command line, sub-path links, determinism, and failing safely."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from tests.conftest import ROOT, run_build, tree_bytes
from tracker.data.schema import schema_json


def tiny_args(tree: Path, out: Path, *extra: str) -> list[str]:
    return ["--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out), *extra]


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build("--out", str(first)).returncode == 0
    assert run_build("--out", str(second)).returncode == 0
    a, b = tree_bytes(first), tree_bytes(second)
    assert a.keys() == b.keys()
    assert [p for p in a if a[p] != b[p]] == []


def internal_refs(site: Path) -> list[tuple[str, str]]:
    refs = []
    for file in site.rglob("*.html"):
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag in page.select("[href], [src]"):
            ref = tag.get("href") or tag.get("src")
            if not re.match(r"^(https?:|mailto:|data:|#)", ref):
                refs.append((file.relative_to(site).as_posix(), ref))
    return refs


def test_base_url_build_keeps_every_internal_link_under_the_prefix_and_resolving(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build("--out", str(out), "--base-url", "/x/").returncode == 0
    refs = internal_refs(out)
    assert refs, "expected internal links"
    outside = [(page, ref) for page, ref in refs if not ref.startswith("/x/")]
    assert outside == []
    for page, ref in refs:
        path = ref.removeprefix("/x/").split("#")[0].split("?")[0]
        target = out / path / "index.html" if path == "" or path.endswith("/") else out / path
        assert target.is_file(), f"{page} links to missing {ref}"


def test_check_validates_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build("check", "--out", str(out))
    assert result.returncode == 0 and re.match(r"OK: \d+ jurisdictions", result.stdout)
    assert not out.exists()


def test_bad_data_exits_1_with_plain_message_and_leaves_site_untouched(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(*tiny_args(tiny, out)).returncode == 0
    before = tree_bytes(out)
    data = tiny / "data" / "jurisdictions.yaml"
    data.write_text(data.read_text().replace("status: letter-sent", "status: sent"), encoding="utf-8")
    result = run_build(*tiny_args(tiny, out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(
        r"data/jurisdictions\.yaml:55:13: Jackson \(id: jackson-ms\): \"status\" must be one of", result.stderr
    )
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_broken_template_fails_cleanly_and_leaves_site_untouched(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(*tiny_args(tiny, out)).returncode == 0
    before = tree_bytes(out)
    page = tiny / "content" / "about.md"
    page.write_text(page.read_text().replace("nav: 1", "nav: first"), encoding="utf-8")
    result = run_build(*tiny_args(tiny, out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'about.md:5:6: "nav" must be position in the site navigation' in result.stderr
    assert tree_bytes(out) == before


def test_removed_jurisdiction_leaves_no_stale_page(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(*tiny_args(tiny, out)).returncode == 0
    assert (out / "jurisdictions/jackson-ms/index.html").is_file()
    data = tiny / "data" / "jurisdictions.yaml"
    text = data.read_text()
    data.write_text(text[: text.index("  - id: jackson-ms")], encoding="utf-8")
    assert run_build(*tiny_args(tiny, out)).returncode == 0
    assert not (out / "jurisdictions/jackson-ms").exists()


def test_debug_shows_the_traceback(tiny: Path, tmp_path: Path) -> None:
    data = tiny / "data" / "jurisdictions.yaml"
    data.write_text("jurisdictions: [\n", encoding="utf-8")
    plain = run_build(*tiny_args(tiny, tmp_path / "o"))
    debug = run_build(*tiny_args(tiny, tmp_path / "o"), "--debug")
    assert plain.returncode == 1 and "Traceback" not in plain.stderr and "the YAML cannot be read" in plain.stderr
    assert "Traceback" in debug.stderr


def test_committed_schema_matches_the_validator() -> None:
    committed = (ROOT / "schema" / "jurisdictions.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run `make schema` to regenerate schema/jurisdictions.schema.json"


def test_data_file_points_editors_at_the_schema() -> None:
    first = (ROOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/jurisdictions.schema.json"


def test_ci_build_prints_one_timed_line_per_stage(tiny: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "CI": "true"}
    args = [sys.executable, str(ROOT / "build.py"), *tiny_args(tiny, tmp_path / "site")]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    stages = re.findall(r"^build: (.+) took \d+\.\d\d s$", result.stderr, flags=re.M)
    assert stages == [
        "load and check the data",
        "compare with the previous build",
        "plan the pages",
        "render the pages",
        "index for search and export the data",
        "write the site",
    ]


def test_parallel_rendering_gives_the_same_bytes(tiny: Path, tmp_path: Path, monkeypatch) -> None:
    """Large sites render in worker processes; the result must not depend on it."""
    from tracker.build.pipeline import build
    from tracker.build.progress import Progress
    from tracker.config import make_config
    from tracker.render import pages as render

    def config(out: str):
        return make_config(data_dir=tiny / "data", content_dir=tiny / "content", out_dir=tmp_path / out)

    serial = build(config("serial"), Progress(env={}))
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render, "WORKERS", 2)
    monkeypatch.setattr(render, "CHUNK", 3)
    parallel = build(config("parallel"), Progress(env={}))
    assert parallel == serial
    assert tree_bytes(tmp_path / "parallel") == tree_bytes(tmp_path / "serial")
