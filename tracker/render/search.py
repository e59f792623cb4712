"""The Pagefind search index, built from the rendered pages by the Pagefind command-line tool.

The command-line indexer handles a whole folder in one pass; Pagefind's Python service API costs about
0.1 s per page, far too slow for a national data set.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tracker.errors import BuildError

BUNDLE = "pagefind/"
# The elements a jurisdiction page marks for indexing (templates/jurisdiction.html): name, kind/state, summary.
INDEXED = re.compile(rb"<(h1|p) [^>]*?data-pagefind-body[^>]*>.*?</\1>", re.S)


def indexed_part(content: bytes) -> bytes:
    """Only what Pagefind reads from a jurisdiction page: at 10,000 pages, writing whole pages cost most of its time."""
    marked = b"".join(m.group(0) for m in INDEXED.finditer(content))
    return b"<!DOCTYPE html><html lang=en><body>" + marked + b"</body></html>"


def part_of(path: str, content: bytes) -> bytes | None:
    """What the indexer reads of a page, or None for a page that is not indexed."""
    if not path.endswith(".html") or b"data-pagefind-body" not in content:
        return None
    return indexed_part(content) if path.startswith("jurisdictions/") else content


def index_folder(pages: Path, bundle: Path) -> None:
    """Index the pages under `pages` (as part_of gives them) into the folder `bundle`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle)]
    with tempfile.TemporaryFile() as errors:
        try:
            indexer = subprocess.Popen([*command, "--force-language", "en", "--quiet"], stdout=errors, stderr=errors)
        except OSError as e:
            raise BuildError(f"could not build the search index: {e.strerror or e}; the previous site was kept.") from e
        try:
            status = indexer.wait()
        except BaseException:  # Ctrl-C too: the indexer must not outlive the build
            indexer.kill()
            indexer.wait()
            raise
        if status != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace").strip()[-500:]
            raise BuildError(f"could not build the search index with Pagefind: {said}")
