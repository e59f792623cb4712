"""Make the pages: the Jinja environment and its filters, the values every page shares, one way to render a planned
Sheet (render_sheet), and worker processes for many (in_workers)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import jinja2

from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines, locator_svg
from tracker.data.schema import BATCHES
from tracker.data.schema_other import MEASURE_KINDS
from tracker.errors import BuildError
from tracker.model.site import Site
from tracker.render.maps import legend_items, symbols_json
from tracker.render.money import NOT_RECORDED, grant_text, long_date, total_text
from tracker.render.sheet import Sheet
from tracker.render.sheets import HOME_TABLE_LIMIT, KIND_WORDS, RESULT_WORDS, plan_sheets
from tracker.render.urls import Urls

T = TypeVar("T")
SECTIONS = (  # (path, label) of the navigation's links
    (Urls.second_round, "2025–26"),
    (Urls.letters, "Letters"),
    (Urls.cases, "Lawsuits"),
    (Urls.grants, "Money"),
    (Urls.timeline, "Timeline"),
)


@dataclass(frozen=True)
class Common:
    """What every page's layout uses."""

    site: Site
    config: SiteConfig
    urls: Urls
    outlines: Outlines


def make_env(config: SiteConfig, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """`compiled`: the templates as compiled by earlier builds (build/kept.py)."""
    env = jinja2.Environment(
        bytecode_cache=compiled,
        loader=jinja2.FileSystemLoader(config.templates_dir),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a new environment per build: no need to check the files at every lookup
    )
    env.filters.update(date=long_date, grant=grant_text, total=total_text, kind=KIND_WORDS.__getitem__)
    env.filters["count"] = "{:,}".format  # "10,000 jurisdictions"
    env.globals.update(template_globals())
    return env


def template_globals() -> dict[str, Any]:
    """The names every template may use besides its page's own values (none of them comes from the data)."""
    return dict(
        batch_short=batch_short,
        locator_svg=locator_svg,  # drawn as the page is made: 24 MB of drawings at 10,000 records, most not needed
        symbols=symbols_json(),
        home_table_limit=HOME_TABLE_LIMIT,
        sections=SECTIONS,
        CSP_SLOT=CSP_SLOT,
        NOT_RECORDED=NOT_RECORDED,
        RESULT_WORDS=RESULT_WORDS,
        MEASURE_KINDS=MEASURE_KINDS,
        BATCHES=BATCHES,
        legend=legend_items(),
    )


CSP_SLOT = "__CONTENT_SECURITY_POLICY__"
WASM = "'wasm-unsafe-eval'"  # only the search page: Pagefind compiles its WebAssembly engine, nothing else runs


def content_security_policy(inline_scripts: list[str], tiles: bool, wasm: bool = False) -> str:
    """A policy the page satisfies: our own files, plus the inline scripts we wrote, by hash.

    Hashes come from the scripts the build meant to inline, never from scanning the output:
    a payload that slipped into the HTML must not be allowed to run.
    """
    digests = [base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() for body in inline_scripts]
    scripts = " ".join(["'self'", *([WASM] if wasm else []), *[f"'sha256-{d}'" for d in digests]])
    images = "'self' data:" + (" https://tile.openstreetmap.org" if tiles else "")
    return (
        f"default-src 'self'; script-src {scripts}; img-src {images}; style-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


@functools.cache  # a few batches, asked for on every row of every table
def batch_short(batch: str) -> str:
    """ "Jan 2018" for batch "2018-01"."""
    return dt.date.fromisoformat(batch + "-01").strftime("%b %Y")


class Contexts(NamedTuple):
    """What a page about the whole site sees, and what a cached page sees (`site` is only the Layout)."""

    common: Common
    cached: Common


def render_sheet(env: jinja2.Environment, contexts: Contexts, sheet: Sheet) -> tuple[str, bytes, str]:
    """The one way a page is made, by a build (build/incremental.py), a check (render_pages) and the preview
    (serve/live.py): (its file, its bytes, what produced it)."""
    common = contexts.cached if sheet.cached else contexts.common
    page = dict(**vars(common), **sheet.extra, page_path=sheet.path, title=sheet.title, description=sheet.description)
    try:
        html = env.get_template(sheet.template).render(page)
    except jinja2.TemplateNotFound as e:
        raise BuildError(f"templates/{e.name}: the template is missing.") from e
    except jinja2.TemplateSyntaxError as e:
        raise BuildError(f"templates/{e.name}:{e.lineno}: template syntax error: {e.message}") from e
    except jinja2.UndefinedError as e:
        raise BuildError(
            f"templates/{sheet.template}: the template uses something the page does not provide: {e.message}"
        ) from e
    inline = [page["map"].inline] if "map" in page else []
    csp = content_security_policy(inline, common.config.tiles, page.get("wasm", False))
    return common.urls.file_for(sheet.path), html.replace(CSP_SLOT, csp, 1).encode("utf-8"), sheet.producer


@dataclass(frozen=True)
class Layout:
    """All a cached page sees of the whole site (as `site`): its key covers exactly this.

    A template of a cached page that reaches for anything else fails the build with the missing name,
    so the cache can never silently miss a change.
    """

    nav_pages: tuple[Any, ...]
    last_updated: dt.date
    january_letter: Any


def contexts(site: Site, config: SiteConfig, urls: Urls, outlines: Outlines) -> Contexts:
    layout = Layout(site.nav_pages, site.last_updated, site.january_letter)
    cached = Common(layout, config, urls, outlines)  # type: ignore[arg-type]
    return Contexts(Common(site, config, urls, outlines), cached)


def render_pages(site: Site, config: SiteConfig, urls: Urls, outlines: Outlines) -> Iterator[tuple[str, bytes, str]]:
    """Yield (output path, bytes, what produced it) for every HTML page, in a fixed order (in memory)."""
    sheets = plan_sheets(site, config, urls, outlines)
    yield from in_workers(render_sheet, config, contexts(site, config, urls, outlines), sheets)


PARALLEL_FROM = 400  # below this, starting worker processes costs more than it saves
WORKERS = min(os.cpu_count() or 1, 8)
CHUNK = 200
Work = tuple[Callable[[jinja2.Environment, Any, Any], Any], SiteConfig, Any, list[Any], jinja2.BytecodeCache | None]
# In each worker process only: the work it was forked with, and its Jinja environment (templates compiled once).
_WORK: Work | None = None
_ENV: jinja2.Environment | None = None


def in_workers(
    func: Callable[[jinja2.Environment, Any, Any], T],
    config: SiteConfig,
    job: Any,
    items: list[Any],
    compiled: jinja2.BytecodeCache | None = None,
) -> Iterator[T]:
    """func(env, job, item) for each item, in order; in forked worker processes when there are many."""
    if len(items) < PARALLEL_FROM or WORKERS < 2:
        env = make_env(config, compiled)
        yield from (func(env, job, item) for item in items)
        return
    # Forked, the workers start with the work in their memory: only the slices' starts and results are pickled.
    fork = multiprocessing.get_context("fork")
    work = (func, config, job, items, compiled)
    with ProcessPoolExecutor(WORKERS, mp_context=fork, initializer=_start_worker, initargs=(work,)) as pool:
        for chunk in pool.map(_work_slice, range(0, len(items), CHUNK)):
            yield from chunk


def _start_worker(work: Work) -> None:
    global _WORK
    _WORK = work


def _work_slice(start: int) -> list[Any]:
    global _ENV
    assert _WORK is not None
    func, config, job, items, compiled = _WORK
    _ENV = _ENV or make_env(config, compiled)
    return [func(_ENV, job, item) for item in items[start : start + CHUNK]]
