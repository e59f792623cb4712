"""The Pagefind search index, built from the rendered pages by the Pagefind command-line tool."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tracker.errors import BuildError
from tracker.output import Output

BUNDLE = "pagefind/"


def search_bundle(outputs: list[Output]) -> list[Output]:
    """Index every page marked data-pagefind-body; return the bundle as outputs under pagefind/.

    The command-line indexer handles a whole folder in one pass; Pagefind's Python service API
    costs about 0.1 s per page, far too slow for a national data set.
    """
    try:
        return index_pages(outputs)
    except OSError as e:  # a full or unwritable temporary folder
        raise BuildError(f"could not build the search index: {e.strerror or e}; the previous site was kept.") from e


# The elements a jurisdiction page marks for indexing (templates/jurisdiction.html): name, kind/state, summary.
INDEXED = re.compile(rb"<(h1|p) [^>]*?data-pagefind-body[^>]*>.*?</\1>", re.S)


def indexed_part(content: bytes) -> bytes:
    """Only what Pagefind reads from a jurisdiction page: at 10,000 pages, writing whole pages cost most of its time."""
    return (
        b"<!DOCTYPE html><html lang=en><body>"
        + b"".join(m.group(0) for m in INDEXED.finditer(content))
        + b"</body></html>"
    )


def index_pages(outputs: list[Output]) -> list[Output]:
    with tempfile.TemporaryDirectory(prefix="tracker-search-") as tmp:
        site = Path(tmp) / "site"
        for path, content, _ in outputs:
            if path.endswith(".html") and b"data-pagefind-body" in content:
                (site / path).parent.mkdir(parents=True, exist_ok=True)
                (site / path).write_bytes(indexed_part(content) if path.startswith("jurisdictions/") else content)
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "en", "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BuildError(f"could not build the search index with Pagefind: {result.stderr.strip()[-500:]}")
        bundle = site / "pagefind"
        return [
            (BUNDLE + p.relative_to(bundle).as_posix(), p.read_bytes(), "the search index")
            for p in sorted(bundle.rglob("*"))
            if p.is_file()
        ]
