"""The pipeline: load, validate, model, render in memory, check paths, write."""

from __future__ import annotations

import logging
from pathlib import Path

import xstatic.pkg.leaflet as leaflet

from tracker.boundaries import load_outlines
from tracker.config import ROOT, SiteConfig
from tracker.content import load_pages
from tracker.data import load_jurisdictions
from tracker.errors import DataError
from tracker.exports import render_exports
from tracker.output import check_paths, copy_tree_files, write_site
from tracker.progress import Progress
from tracker.records import Records, load_records
from tracker.render import render_pages
from tracker.search import search_bundle
from tracker.site import Site
from tracker.tables import render_tables
from tracker.urls import Urls

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


def load_site(config: SiteConfig) -> Site:
    """Read and validate every input; report the problems of data and pages together."""
    problems = []
    jurisdictions, shared, last_updated, pages, records = (), (), None, (), Records()
    try:
        jurisdictions, shared, last_updated = load_jurisdictions(config.data_file)
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
    return Site(jurisdictions, pages, last_updated, shared, records.waves, records.cases, records.changelog)


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


def build(config: SiteConfig, progress: Progress | None = None) -> dict[str, bytes]:
    """Build the whole site into config.out_dir; return the files written."""
    progress = progress or Progress()
    with progress.stage("load and check the data"):
        site = load_site(config)
        outlines = load_outlines(boundaries_dir(config), site.jurisdictions)
    urls = Urls(config.base_url, config.site_url)
    with progress.stage("render the pages"):
        total = page_count(site)
        outputs = list(progress.count("pages", render_pages(site, config, urls, outlines), total))
    with progress.stage("index for search"):
        outputs += search_bundle(outputs)
    with progress.stage("export the data"):
        outputs += render_exports(site, urls, config.title) + render_tables(site, urls)
        outputs += copy_tree_files(config.static_dir, "static/") + vendor_files()
        states = (boundaries_dir(config) / "states.geojson").read_bytes()
        outputs.append((urls.states_outlines, states, "state outlines"))
    with progress.stage("write the site"):
        files = check_paths(outputs)
        write_site(files, config.out_dir)
    log.info("built %d files (%d jurisdictions) into %s", len(files), len(site.jurisdictions), config.out_dir)
    return files


def page_count(site: Site) -> int:
    """How many HTML pages render_pages yields (for the progress display only)."""
    return 13 + len(site.jurisdictions) + len(site.cases) + len(site.pages) + len(site.by_state)


def check(config: SiteConfig) -> Site:
    """Validate the inputs and render everything in memory, writing nothing."""
    site = load_site(config)
    outlines = load_outlines(boundaries_dir(config), site.jurisdictions)
    urls = Urls(config.base_url, config.site_url)
    check_paths(list(render_pages(site, config, urls, outlines)) + render_exports(site, urls, config.title))
    return site
