"""How long a one-record edit takes to show in the preview: python bench/serve_timing.py TREE [--edits 5] [--json].

TREE holds data/ and content/ (bench/generate.py writes one). It is copied to a temporary folder, `build.py serve`
starts on a free port, and headless Chromium opens the first jurisdiction's page. Each edit rewrites that
record's official name in data/jurisdictions.yaml, as an editor saving the file would; the time is from just
before the write until the DOMContentLoaded of the reloaded page that shows the new name, both read from the
system clock (the page's by performance.timeOrigin), so Playwright's own round trips are not counted. The
preview's first build is not counted; every edit after it is, and the median is the result.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from map_timing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OFFICIAL = re.compile(r"^    official_name: (.+)$", re.M)
# When the page in the tab reached DOMContentLoaded, in milliseconds since 1970.
READY = "performance.timeOrigin + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def start_preview(tree: Path, out: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "build.py", "serve", "--port", "0", "--no-tiles"]
    command += ["--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return child, found.group(1)
    raise RuntimeError("the preview did not start")


def first_record(data: Path) -> tuple[str, str]:
    """The id and official name of the first jurisdiction in the file."""
    text = data.read_text(encoding="utf-8")
    start = text.index("\njurisdictions:")
    record_id = re.compile(r"^  - id: (\S+)$", re.M).search(text, start)
    name = OFFICIAL.search(text, start)
    assert record_id and name
    return record_id.group(1), name.group(1)


def measure(tree: Path, edits: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="serve-timing-") as tmp:
        work = Path(tmp) / "tree"
        shutil.copytree(tree / "data", work / "data")
        shutil.copytree(tree / "content", work / "content")
        data = work / "data" / "jurisdictions.yaml"
        record_id, name = first_record(data)
        child, address = start_preview(work, Path(tmp) / "site")
        times: list[float] = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"{address}jurisdictions/{record_id}/", wait_until="domcontentloaded")
                current = name
                for k in range(1, edits + 1):
                    new = f"{name} (edit {k})"
                    text = data.read_text(encoding="utf-8").replace(
                        f"official_name: {current}\n", f"official_name: {new}\n", 1
                    )
                    time.sleep(0.3)  # a settled preview, as after an editor's pause
                    began = time.time()  # the system clock, which the page's timeOrigin also reads
                    data.write_text(text, encoding="utf-8")
                    while True:
                        with page.expect_event("domcontentloaded", timeout=120_000):
                            pass
                        if new in (page.text_content("h1") or ""):
                            break
                    times.append(page.evaluate(READY) / 1000 - began)
                    current = new
                browser.close()
        finally:
            child.terminate()
            child.wait(timeout=30)
    return {"edits": len(times), "median_s": statistics.median(times), "times_s": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    result = measure(args.tree.resolve(), args.edits)
    if args.json:
        print(json.dumps(result))
    else:
        shown = ", ".join(f"{t * 1000:.0f}" for t in result["times_s"])  # type: ignore[union-attr]
        print(f"one-record edit visible in the preview after {result['median_s'] * 1000:.0f} ms (median; ms: {shown})")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
