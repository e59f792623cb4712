"""The pipeline: load, validate, model, check paths, render into a staging folder, swap it in."""

from __future__ import annotations

import collections
import gc
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import xstatic.pkg.leaflet as leaflet

from tracker.build.cache import Cache, code_digest, map_file, parts_folder, pieces_file, recall_file
from tracker.build.incremental import make_search, page_job, write_pages
from tracker.build.memo import Memo
from tracker.build.output import Output, Staging, Update, check_paths, copy_tree_files
from tracker.build.progress import Progress
from tracker.config import ROOT, SiteConfig
from tracker.data.boundaries import Outlines, load_outlines
from tracker.data.content import load_pages
from tracker.data.jurisdictions import Recall, load_jurisdictions
from tracker.data.other_files import Records, load_records
from tracker.errors import DataError
from tracker.model.site import Site
from tracker.render import pages as render
from tracker.render.exports import render_exports
from tracker.render.pieces import all_pieces
from tracker.render.search import BUNDLE
from tracker.render.sheets import plan_sheets
from tracker.render.tables import render_tables
from tracker.render.urls import Urls

log = logging.getLogger(__name__)
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


def load_site(config: SiteConfig, recall: Recall | None = None) -> Site:
    """Read and validate every input; report the problems of data and pages together (recall: see data.py)."""
    problems = []
    jurisdictions, shared, last_updated, pages, records, fingerprints = (), (), None, (), Records(), {}
    try:
        jurisdictions, shared, last_updated, fingerprints = load_jurisdictions(config.data_file, recall)
        records = load_records(config.data_dir, jurisdictions, shared)
    except DataError as e:
        problems += e.problems
    try:
        pages = load_pages(config.content_dir, config.base_url)
    except DataError as e:
        problems += e.problems
    if problems:
        raise DataError(problems)
    pages = tuple(sorted(pages, key=lambda p: p.slug))
    return Site(
        jurisdictions,
        pages,
        last_updated,
        shared,
        records.waves,
        records.cases,
        records.changelog,
        records.lists,
        records.measures,
        fingerprints,
    )


def boundaries_dir(config: SiteConfig) -> Path:
    """Outlines beside the data when an alternate tree brings its own, else the repository's."""
    own = config.data_dir / "boundaries"
    return own if own.is_dir() else ROOT / "data" / "boundaries"


def vendor_files() -> list[tuple[str, bytes, str]]:
    base = Path(leaflet.BASE_DIR)
    return [
        (f"static/vendor/leaflet/{name}", (base / name).read_bytes(), f"Leaflet {leaflet.VERSION}")
        for name in LEAFLET_FILES
    ]


def build(
    config: SiteConfig,
    progress: Progress | None = None,
    use_cache: bool = True,
    loaded: tuple[Site, Outlines] | None = None,
) -> list[str]:
    """Build the whole site into config.out_dir; return the files written.

    Pages go straight into a staging folder beside the site, which replaces it only when everything is
    there; with `use_cache`, pages and the search index whose inputs did not change are reused. `loaded`:
    the inputs as load_site and load_outlines gave them (the preview has just read them).
    """
    progress = progress or Progress()
    code = code_digest(config.templates_dir, config.static_dir)
    kept, recall = recall_file(config.out_dir.resolve()), None
    # A build makes millions of objects and next to no reference cycles: the cycle collector would scan them
    # again and again to free nothing (a quarter of a 10,000-record load; peak memory measured the same without).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with progress.stage("load and check the data"):
            if loaded is None:
                recall = Recall.read(kept, code) if use_cache else None
                loaded = load_site(config, recall), None
            site = loaded[0]
            outlines = load_outlines(boundaries_dir(config), site.jurisdictions) if loaded[1] is None else loaded[1]
        files = _build_loaded(site, outlines, config, progress, Cache.open(config.out_dir, code, use_cache))
    finally:
        if collecting:  # for a caller that goes on in this process (the tests build many sites in one)
            gc.enable()
    if recall is not None:
        recall.write(kept, code)
    return files


def _build_loaded(site: Site, outlines: Outlines, config: SiteConfig, progress: Progress, cache: Cache) -> list[str]:
    urls = Urls(config.base_url, config.site_url)
    with progress.stage("compare with the previous build"):
        update = cache.matches(config.out_dir.resolve())  # else a whole new site, swapped in at the end
    site.made_once()  # before the render workers fork: they share these values instead of each making them
    memo = Memo(pieces_file(config.out_dir.resolve()) if cache.enabled else None, cache.code)
    with (Update if update else Staging)(config.out_dir) as target:
        with progress.stage("plan the pages"):
            kept_map = (map_file(config.out_dir.resolve()), cache.code) if cache.enabled else None
            sheets = plan_sheets(site, config, urls, outlines, kept_map, beside=True)
            claims = [(urls.file_for(s.path), b"", s.producer) for s in sheets]
            claims.append((SEARCH_ENTRY, b"", "the search index"))
            check_paths(claims)
        job = page_job(site, config, urls, outlines, target.root, update, parts_folder(config.out_dir.resolve()))
        with progress.stage("render the pages"):
            pages = write_pages(sheets, job, cache, progress)
        with progress.stage("index for search and export the data"):
            # The downloads are made here while Pagefind indexes on the other core.
            found, outputs = make_search(
                job, cache, pages, lambda: put_all(other_outputs(site, config, urls, memo), target)
            )
            pages += found
            for path, _, _ in outputs:
                cache.wrote(path, "", None)
        with progress.stage("write the site"):
            check_paths(claims + outputs)  # the downloads' paths too, before the site is replaced
            target.commit(set(pages) | {path for path, _, _ in outputs}, set(cache.old))
            cache.settle()
            cache.save()
            memo.save()
    files = sorted(pages + [path for path, _, _ in outputs])
    log.info("built %d files (%d jurisdictions) into %s", len(files), len(site.jurisdictions), config.out_dir)
    return files


SEARCH_ENTRY = BUNDLE + "pagefind-entry.json"  # claims the search index's folder before it exists


def other_outputs(site: Site, config: SiteConfig, urls: Urls, memo: Memo) -> Iterator[Output]:
    """Everything but the pages and the search index: downloads, feeds, static and vendored files."""
    yield from render_exports(site, urls, config.title, all_pieces(site, urls, memo))
    yield from render_tables(site, urls)
    yield from copy_tree_files(config.static_dir, "static/")
    yield from vendor_files()
    yield urls.states_outlines, (boundaries_dir(config) / "states.geojson").read_bytes(), "state outlines"


def put_all(outputs: Iterable[Output], target: Staging) -> list[Output]:
    """Write each output as soon as it is made (the largest are tens of MB); return their paths and producers."""
    done = []
    for path, content, producer in outputs:
        target.put(path, content)
        done.append((path, b"", producer))
    return done


def check(config: SiteConfig) -> Site:
    """Validate the inputs and render everything in memory, writing nothing."""
    site = load_site(config)
    outlines = load_outlines(boundaries_dir(config), site.jurisdictions)
    urls = Urls(config.base_url, config.site_url)
    outputs = [*render.render_pages(site, config, urls, outlines), *other_outputs(site, config, urls, Memo(None, ""))]
    for _, content, _ in outputs:
        if not isinstance(content, bytes):
            collections.deque(content, maxlen=0)  # made, so a mistake in making it shows, and dropped
    check_paths(outputs)
    return site
