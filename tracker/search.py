"""The Pagefind search index, built from the rendered pages in memory."""

from __future__ import annotations

import asyncio
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from tracker.errors import BuildError
from tracker.output import Output

BUNDLE = "pagefind/"


async def _index(pages: list[tuple[str, str]], folder: Path) -> None:
    config = IndexConfig(output_path=str(folder), force_language="en")
    async with PagefindIndex(config) as index:  # leaving the block writes the bundle into `folder`
        for url, html in pages:
            await index.add_html_file(content=html, url=url)


def search_bundle(outputs: list[Output], link_for: dict[str, str]) -> list[Output]:
    """Index every page marked data-pagefind-body; return the bundle as outputs under pagefind/."""
    pages = [
        (link_for[path], content.decode("utf-8"))
        for path, content, _ in outputs
        if path in link_for and b"data-pagefind-body" in content
    ]
    with tempfile.TemporaryDirectory(prefix="tracker-search-") as tmp:
        folder = Path(tmp) / "bundle"
        try:
            # A thread of its own: the caller may already run an event loop (the preview server, browser tests).
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(asyncio.run, _index(pages, folder)).result()
        except Exception as e:  # the service is a separate binary; say what failed, not how
            raise BuildError(f"could not build the search index with Pagefind: {e}") from e
        return [
            (BUNDLE + p.relative_to(folder).as_posix(), p.read_bytes(), "the search index")
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        ]
