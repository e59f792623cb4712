"""Make the pages and the search index straight into the staging folder, skipping what has not changed.

Pages are written as they are rendered (in worker processes for large sites), so a national site never
sits in memory whole. When the site is updated in place (output.Update), a page whose key
(tracker/build/cache.py) is unchanged is not rendered at all, and the search index is kept when no indexed
text changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from tracker.build.cache import Cache, files_under, kept_path
from tracker.build.output import Staging, Update, discard
from tracker.build.progress import Progress
from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines
from tracker.keep import digest
from tracker.model.site import Site
from tracker.render.pages import Contexts, contexts, in_workers, render_sheet
from tracker.render.search import BUNDLE, index_folder, part_of
from tracker.render.sheet import Sheet
from tracker.render.urls import Urls


@dataclass(frozen=True)
class PageJob:
    contexts: Contexts  # for pages about the whole site, and for cached pages (`site` is only their key's Layout)
    staging: Path  # where new files go
    current: Path  # the site as it is: unchanged files stay there when updating in place
    update: bool
    parts: Path  # what the search indexer reads of each page: the last build's, and this one's (search_parts)
    compiled: jinja2.BytecodeCache | None  # the templates as compiled by earlier builds (none in a cold build)


def _make(env: jinja2.Environment, job: PageJob, sheet: Sheet) -> tuple[str, str | None]:
    """Render one page into the staging folder; return its file and the digest of its indexed part."""
    path, html, _ = render_sheet(env, job.contexts, sheet)
    target = job.staging / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)
    return path, _write_part(job.parts, path, html)


def _write_part(parts: Path, path: str, html: bytes) -> str | None:
    part = part_of(path, html)
    if part is None:
        return None
    (parts / path).parent.mkdir(parents=True, exist_ok=True)
    (parts / path).write_bytes(part)
    return hashlib.sha256(part).hexdigest()


def write_pages(sheets: list[Sheet], job: PageJob, cache: Cache, progress: Progress) -> list[str]:
    """Every page into job.staging, except unchanged ones when updating; return all their files in order."""
    common = job.contexts.common
    base = digest(cache.code, common.config, common.urls, job.contexts.cached.site, common.outlines.digest)
    site = common.site
    # A jurisdiction is keyed by the hash of the values it was made from, not by pickling all its parts.
    stand_ins = {id(j): site.fingerprints[j.id] for j in site.jurisdictions if j.id in site.fingerprints}
    todo: list[tuple[Sheet, str]] = []
    for sheet in sheets:
        key = ""  # a page about the whole site is cheap to make and costly to key: always made
        if sheet.cached:
            parts = (base, sheet.template, sheet.path, sheet.title, sheet.description, sheet.extra)
            key = digest(*parts, stand_ins=stand_ins)
            if job.update and cache.unchanged(common.urls.file_for(sheet.path), key):
                continue
        todo.append((sheet, key))
    made = in_workers(_make, common.config, job, [sheet for sheet, _ in todo], job.compiled)
    for (_, key), (path, part) in zip(todo, progress.count("pages", made, len(todo)), strict=True):
        cache.wrote(path, key, part)
    return [common.urls.file_for(sheet.path) for sheet in sheets]


def page_job(
    site: Site,
    config: SiteConfig,
    urls: Urls,
    outlines: Outlines,
    target: Staging,
    parts: Path,
    compiled: jinja2.BytecodeCache | None,
) -> PageJob:
    contexts_ = contexts(site, config, urls, outlines)
    return PageJob(contexts_, target.root, config.out_dir.resolve(), isinstance(target, Update), parts, compiled)


def make_search(job: PageJob, cache: Cache, pages: list[str]) -> list[str]:
    """The search index into job.staging/pagefind/ (kept when no indexed text changed): its files."""
    indexed = sorted((path, cache.new[path][4]) for path in pages if cache.new[path][4])
    cache.search = key = digest(cache.code, indexed)
    old = [path for path in cache.old if path.startswith(BUNDLE)]
    if job.update and key == cache.old_search and old:
        if all([cache.unchanged(path, key) for path in old]):  # a list: check (and keep) every file
            return sorted(old)
        for path in old:
            cache.new.pop(path, None)
    wanted, made = {path for path, _ in indexed}, set(cache.placed)
    for path in set(files_under(str(job.parts))) - wanted:  # a page gone, or no longer indexed
        (job.parts / path).unlink()
    for path in wanted - made:  # a page left as it is: its part as the last build left it, else from the site
        if not (job.parts / path).is_file():
            _write_part(job.parts, path, (job.current / path).read_bytes())
    bundle = job.staging / BUNDLE
    index_folder(job.parts, bundle)
    files = sorted(p.relative_to(job.staging).as_posix() for p in bundle.rglob("*") if p.is_file())
    for path in files:
        cache.wrote(path, key, None)
    return files


@contextlib.contextmanager
def search_parts(out_dir: Path, keep: bool) -> Iterator[Path]:
    """A folder for what the indexer reads of each page, beside the site: the one the last build left, if any.

    Each part in it is that of the page as the last build wrote it, and a page left as it is is exactly that file
    (Cache.unchanged), so only the parts of pages made now are written. With `keep`, a build that ends well leaves
    the folder for the next (beside the pages' records it goes with); otherwise it goes, in the background when it
    holds a national site's 10,000 folders.
    """
    out_dir, last = out_dir.resolve(), kept_path(out_dir.resolve(), "parts")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.parts-", dir=out_dir.parent))
    with contextlib.suppress(OSError):
        last.replace(folder)  # taken, not copied: a build that fails leaves none, and the next makes all parts
    kept_for_next = False
    try:
        yield folder
        if keep:
            with contextlib.suppress(OSError):
                last.parent.mkdir(parents=True, exist_ok=True)
                folder.replace(last)
                kept_for_next = True
    finally:
        if not kept_for_next:
            pages = 0
            with contextlib.suppress(OSError):
                pages = sum(len(os.listdir(sub)) for sub in folder.iterdir() if sub.is_dir())
            discard(folder, pages)
