"""The tiny fixture's site, byte for byte, against the reviewed copy in tests/golden/tiny/ (issue 14: a change of the
pipeline must not change a page unless the golden diff in the same commit shows it). Regenerate only on purpose:
`make golden`, then read the diff of tests/golden/ before committing it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.conftest import ROOT, TINY, run_build, tree_bytes

GOLDEN = ROOT / "tests" / "golden" / "tiny"
# Copies of files kept elsewhere in the repository (static/, the schemas, Leaflet) and Pagefind's binary index,
# which is made from the pages compared here: comparing them again would only make every CSS edit a golden diff.
NOT_COMPARED = ("static/", "pagefind/", "schema/")


def compared(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree_bytes(site).items() if not path.startswith(NOT_COMPARED)}


def test_the_tiny_site_is_byte_identical_to_the_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    args = ("--data", str(TINY / "data"), "--content", str(TINY / "content"), "--out", str(out))
    result = run_build(*args, "--site-url", "https://example.org/tracker/", "--no-cache")
    assert result.returncode == 0, result.stderr
    made = compared(out)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in made.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    golden = tree_bytes(GOLDEN)
    assert sorted(made) == sorted(golden), "files added or removed: run `make golden` and review the diff"
    changed = [path for path in made if made[path] != golden[path]]
    assert changed == [], "pages changed: run `make golden` and review the diff of tests/golden/"
