"""The pipeline: load → check → pieces → pages → write (build() reads as it), and check(), which writes nothing."""

from __future__ import annotations

import collections
import contextlib
import gc
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path

import xstatic.pkg.leaflet as leaflet

from tracker.build.beside import beside
from tracker.build.incremental import PageJob, make_search, page_job, write_pages
from tracker.build.kept import Kept
from tracker.build.output import Output, Staging, check_paths, copy_tree_files
from tracker.build.progress import Progress
from tracker.config import ROOT, SiteConfig
from tracker.data.boundaries import Outlines, load_outlines
from tracker.data.content import load_pages
from tracker.data.jurisdictions import FileChanged, load_jurisdictions
from tracker.data.other_files import Records, load_records
from tracker.data.recall import Recall
from tracker.errors import DataError
from tracker.keep import Memo
from tracker.model.site import Site
from tracker.render import pages as render
from tracker.render.exports import render_exports
from tracker.render.pieces import all_pieces
from tracker.render.search import BUNDLE
from tracker.render.sheets import Sheet, plan_sheets
from tracker.render.tables import render_tables
from tracker.render.urls import Urls

log = logging.getLogger(__name__)
LEAFLET_IMAGES = ("layers", "layers-2x", "marker-icon", "marker-icon-2x", "marker-shadow")
LEAFLET_FILES = ("leaflet.js", "leaflet.css", *(f"images/{name}.png" for name in LEAFLET_IMAGES))


def load_site(config: SiteConfig, recall: Recall | None = None) -> Site:
    """Read and validate every input; report the problems of data and pages together (recall: data/recall.py)."""
    problems = []
    jurisdictions, shared, last_updated, pages, records, fingerprints = (), (), None, (), Records(), {}
    try:
        jurisdictions, shared, last_updated, fingerprints = load_jurisdictions(config.data_file, recall)
        records = load_records(config.data_dir, jurisdictions, shared)
    except FileChanged:
        raise  # nothing else is worth reading: the file is read again
    except DataError as e:
        problems += e.problems
    try:
        pages = load_pages(config.content_dir, config.base_url)
    except DataError as e:
        problems += e.problems
    if problems:
        raise DataError(problems)
    pages = tuple(sorted(pages, key=lambda p: p.slug))
    return Site(jurisdictions, pages, last_updated, fingerprints=fingerprints, **vars(records))


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
    loaded: tuple[Site, Outlines] | None = None,  # the inputs, when the preview has just read them
    done: Callable[[list[str]], None] = lambda files: None,  # given the files before anything is freed
) -> list[str]:
    """Build the site into config.out_dir (load → check → pieces → pages → write); return the files written."""
    progress, urls = progress or Progress(), Urls(config.base_url, config.site_url)
    stage = progress.stage
    with without_cycle_collector():
        kept = Kept(config, use_cache, read_recall=loaded is None)
        site, outlines = stage("load and check the data", lambda: loaded or read_inputs(config, kept.recall))
        target = stage("compare with the previous build", kept.target)
        with target, kept.parts() as parts, beside(make_downloads, site, config, urls, kept, target) as downloads:
            sheets, claims = stage("plan the pages", plan, site, config, urls, outlines, kept)
            job = page_job(site, config, urls, outlines, target, parts, kept.templates)
            pages = stage("render the pages", write_pages, sheets, job, kept.pages, progress)
            found, outputs = stage(
                "index for search and export the data", search_and_downloads, job, kept, pages, downloads
            )
            files = stage("write the site", write_site, target, kept, pages + found, claims, outputs)
        done(files)  # before the cycle collector is back: its first pass would scan every object made
    return files


SEARCH_CLAIM: Output = (BUNDLE + "pagefind-entry.json", b"", "the search index")  # its folder, before it exists


def plan(
    site: Site, config: SiteConfig, urls: Urls, outlines: Outlines, kept: Kept
) -> tuple[list[Sheet], list[Output]]:
    """Every page to render, its path checked against the others' (and the search index's) before any is made."""
    site.made_once()  # after the downloads' process forked (it makes what it needs), before the render workers
    # do: they share these values instead of each making them
    sheets = plan_sheets(site, config, urls, outlines, kept.map)
    claims = [(urls.file_for(s.path), b"", s.producer) for s in sheets] + [SEARCH_CLAIM]
    check_paths(claims)
    return sheets, claims


def search_and_downloads(
    job: PageJob, kept: Kept, pages: list[str], downloads: Future[list[Output]]
) -> tuple[list[str], list[Output]]:
    """The search index, then the kept records saved, while the downloads' process finishes; the downloads' paths."""
    found = make_search(job, kept.pages, pages)
    kept.save_recall()
    return found, downloads.result()


def read_inputs(config: SiteConfig, recall: Recall | None = None) -> tuple[Site, Outlines]:
    site = load_site(config, recall)
    return site, load_outlines(boundaries_dir(config), site.jurisdictions)


def write_site(target: Staging, kept: Kept, pages: list[str], claims: list[Output], outputs: list[Output]) -> list[str]:
    """Check every path, put the new site in place, then keep what this build made for the next."""
    check_paths(claims + outputs)  # the downloads' paths too, before the site is replaced
    for path, _, _ in outputs:
        kept.pages.wrote(path, "", None)
    files = sorted(pages + [path for path, _, _ in outputs])
    target.commit(set(files), set(kept.pages.old))
    kept.save()
    log.info("built %d files into %s", len(files), kept.out_dir)
    return files


@contextlib.contextmanager
def without_cycle_collector() -> Iterator[None]:
    """A build makes millions of objects and next to no reference cycles: the cycle collector would scan them
    again and again to free nothing (a quarter of a 10,000-record load; peak memory measured the same without)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:  # for a caller that goes on in this process (the tests build many sites in one)
            gc.enable()


def other_outputs(site: Site, config: SiteConfig, urls: Urls, memo: Memo) -> Iterator[Output]:
    """Everything but the pages and the search index: downloads, feeds, static and vendored files."""
    yield from render_exports(site, urls, config.title, all_pieces(site, urls, memo))
    yield from render_tables(site, urls)
    yield from copy_tree_files(config.static_dir, "static/")
    yield from vendor_files()
    yield urls.states_outlines, (boundaries_dir(config) / "states.geojson").read_bytes(), "state outlines"


def make_downloads(site: Site, config: SiteConfig, urls: Urls, kept: Kept, target: Staging) -> list[Output]:
    """Write the downloads and other files into the new site (in a second process: beside.py); return their paths.
    Each record's pieces of them are kept in `kept.pieces` (Memo), and read from there when unchanged."""
    memo = Memo(kept.pieces, kept.code)
    outputs = put_all(other_outputs(site, config, urls, memo), target)
    memo.save()
    return outputs


def put_all(outputs: Iterable[Output], target: Staging) -> list[Output]:
    """Write each output as soon as it is made (the largest are tens of MB); return their paths and producers."""
    done = []
    for path, content, producer in outputs:
        target.put(path, content)
        done.append((path, b"", producer))
    return done


def check(config: SiteConfig) -> Site:
    """Validate the inputs and render everything in memory, writing nothing."""
    site, outlines = read_inputs(config)
    urls = Urls(config.base_url, config.site_url)
    outputs = [*render.render_pages(site, config, urls, outlines), *other_outputs(site, config, urls, Memo(None, ""))]
    for _, content, _ in outputs:
        if not isinstance(content, bytes):
            collections.deque(content, maxlen=0)  # made, so a mistake in making it shows, and dropped
    check_paths(outputs)
    return site
