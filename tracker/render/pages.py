"""Render every HTML page from the templates into memory: {output path: bytes}."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines, locator_svg
from tracker.data.schema import BATCHES, CONFIDENCES, STATUSES
from tracker.data.schema_other import GOVERNMENT_ROLES, MEASURE_KINDS
from tracker.errors import BuildError
from tracker.model.records import Jurisdiction
from tracker.model.site import Site, TimelineItem
from tracker.render.chart import fy2016_chart
from tracker.render.dictionary import FILES, fields
from tracker.render.maps import STATUS_STYLE, MapParts, drawn_map, legend_items, symbols_json
from tracker.render.money import NOT_RECORDED, dollars, grant_text, headline_text, long_date, total_text
from tracker.render.second_round import second_round_sheets
from tracker.render.sheet import Sheet
from tracker.render.tables import TABLE_ABOUT
from tracker.render.urls import Urls

T = TypeVar("T")
HOME_TABLE_LIMIT = 300  # above this many jurisdictions the home page links to state tables instead
RESULT_WORDS = {"won": "Won", "lost": "Lost", "partly": "Partly won", "pending": "Pending"}
KIND_WORDS = {"state": "State", "county": "County", "city": "City", "city-county": "City-county"}


@dataclass(frozen=True)
class Common:
    """What every page's layout uses."""

    site: Site
    config: SiteConfig
    urls: Urls
    outlines: Outlines


def make_env(config: SiteConfig, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
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
    env.globals["batch_short"] = batch_short
    env.globals["symbols"] = symbols_json()
    env.globals["home_table_limit"] = HOME_TABLE_LIMIT
    env.filters.update(
        date=long_date,
        dollars=dollars,
        grant=grant_text,
        headline=headline_text,
        total=total_text,
        kind=KIND_WORDS.__getitem__,
    )
    env.globals.update(
        sections=(
            (Urls.second_round, "2025–26"),
            (Urls.letters, "Letters"),
            (Urls.cases, "Lawsuits"),
            (Urls.grants, "Money"),
            (Urls.timeline, "Timeline"),
        ),
        CSP_SLOT=CSP_SLOT,
        NOT_RECORDED=NOT_RECORDED,
        STATUSES=STATUSES,
        RESULT_WORDS=RESULT_WORDS,
        GOVERNMENT_ROLES=GOVERNMENT_ROLES,
        MEASURE_KINDS=MEASURE_KINDS,
        BATCHES=BATCHES,
        CONFIDENCES=CONFIDENCES,
        legend=legend_items(),
    )
    return env


CSP_SLOT = "__CONTENT_SECURITY_POLICY__"
WASM = "'wasm-unsafe-eval'"  # only the search page: Pagefind compiles its WebAssembly engine, nothing else runs


def content_security_policy(inline_scripts: list[str], tiles: bool, wasm: bool = False) -> str:
    """A policy the page satisfies: our own files, plus the inline scripts we wrote, by hash.

    Hashes come from the scripts the build meant to inline, never from scanning the output:
    a payload that slipped into the HTML must not be allowed to run.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in inline_scripts
    )
    images = "'self' data:" + (" https://tile.openstreetmap.org" if tiles else "")
    return (
        f"default-src 'self'; script-src 'self'{' ' + WASM if wasm else ''} {hashes}".rstrip()
        + f"; img-src {images}; style-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def render(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    try:
        html = env.get_template(template).render(**context)
        inline = [context["map"].inline] if "map" in context else []
        return html.replace(
            CSP_SLOT, content_security_policy(inline, context["config"].tiles, context.get("wasm", False)), 1
        ).encode("utf-8")
    except jinja2.TemplateNotFound as e:
        raise BuildError(f"templates/{e.name}: the template is missing.") from e
    except jinja2.TemplateSyntaxError as e:
        raise BuildError(f"templates/{e.name}:{e.lineno}: template syntax error: {e.message}") from e
    except jinja2.UndefinedError as e:
        raise BuildError(
            f"templates/{template}: the template uses something the page does not provide: {e.message}"
        ) from e


@functools.cache  # a few batches, asked for on every row of every table
def batch_short(batch: str) -> str:
    """ "Jan 2018" for batch "2018-01"."""
    return dt.date.fromisoformat(batch + "-01").strftime("%b %Y")


def filter_options(site: Site) -> dict[str, list[str]]:
    """The values each filter offers: only those that occur in the data, in a stable order."""
    present = {key: {getattr(j, key) for j in site.jurisdictions} for key in ("status_key", "kind", "state")}
    return {
        "status": [s for s in STATUS_STYLE if s in present["status_key"]],
        "kind": [k for k in KIND_WORDS if k in present["kind"]],
        "state": sorted(present["state"]),
        "batch": sorted({b for j in site.jurisdictions for b in j.batches}),
    }


def home_description(site: Site) -> str:
    return (
        f"The {len(site.targeted_january_2018)} jurisdictions the US Justice Department pressed on 24 January 2018 "
        "over 8 U.S.C. 1373 and Byrne JAG grants: letters, money at stake, lawsuits and outcomes, with sources."
    )


def item_jurisdictions(item: TimelineItem) -> list[str]:
    """Ids a timeline entry concerns, for the timeline's jurisdiction filter."""
    if item.jurisdiction:
        return [item.jurisdiction.id]
    return list(item.case.jurisdiction_ids) if item.case else []


def map_sheets(site: Site, map_parts: MapParts) -> list[Sheet]:
    about = home_description(site)
    return [
        Sheet(
            "index.html",
            Urls.home,
            None,
            about,
            "the home page",
            {"map": map_parts, "filter_options": filter_options(site)},
        ),
        Sheet("embed.html", Urls.embed_map, "Map", about, "the embeddable map", {"map": map_parts}),
    ]


def section_sheets(site: Site) -> list[Sheet]:
    kinds = sorted({i.kind for i in site.timeline})
    return [
        Sheet(
            "letters.html",
            Urls.letters,
            "The letters, wave by wave",
            "Every wave of Justice Department letters and who received them.",
            "the letters page",
            {},
        ),
        Sheet(
            "cases.html", Urls.cases, "The lawsuits", "Lawsuits over the Byrne JAG conditions.", "the cases page", {}
        ),
        Sheet(
            "grants.html",
            Urls.grants,
            "The grant money",
            "Every Byrne JAG figure with its source and confidence.",
            "the grants ledger",
            {"ledger": site.ledger, "chart": fy2016_chart(site.ledger.fy2016_rows)},
        ),
        Sheet(
            "timeline.html",
            Urls.timeline,
            "Timeline",
            "Every dated event, with its source.",
            "the timeline",
            {"kinds": kinds, "item_jurisdictions": item_jurisdictions},
        ),
        Sheet(
            "updates.html",
            Urls.updates,
            "Updates and corrections",
            "Dated changes and corrections.",
            "the updates page",
            {},
        ),
        Sheet(
            "search.html",
            Urls.search,
            "Search",
            "Search the tracker.",
            "the search page",
            {
                "states": sorted({j.state for j in site.jurisdictions}),
                "kinds": [KIND_WORDS[k] for k in KIND_WORDS if any(j.kind == k for j in site.jurisdictions)]
                + ["Article"]
                + (["Lawsuit"] if site.cases else [])
                + (["National measure"] if site.measures else [])
                + (["Published list"] if site.lists else []),
            },
        ),
        Sheet(
            "data.html",
            Urls.data_index,
            "Download the data",
            "The tracker's data as JSON, CSV and GeoJSON.",
            "the downloads page",
            {"tables": list(TABLE_ABOUT.items())},
        ),
        Sheet(
            "dictionary.html",
            Urls.dictionary,
            "Data dictionary",
            "Every field of the tracker's data files.",
            "the data dictionary",
            {"files": list(FILES), "fields": fields()},
        ),
        Sheet("404.html", Urls.not_found, "Page not found", "This page does not exist.", "the 404 page", {}),
    ]


def jurisdiction_sheet(site: Site, outlines: Outlines, j: Jurisdiction) -> Sheet:
    return Sheet(
        "jurisdiction.html",
        Urls.jurisdiction(j),
        j.official_name,
        j.summary,
        f"jurisdiction {j.id}",
        {
            "j": j,
            "locator": locator_svg(j, outlines),
            "cases": site.cases_for(j),
            "updated": site.last_updated_for(j),
            "listings": site.listings(j),
        },
        cached=True,
    )


def record_sheets(site: Site, outlines: Outlines) -> list[Sheet]:
    sheets = [jurisdiction_sheet(site, outlines, j) for j in site.jurisdictions]
    sheets += [
        Sheet(
            "case.html",
            Urls.case(c),
            c.name,
            c.summary,
            f"case {c.id}",
            {"c": c, "jurisdictions": site.jurisdictions_of(c), "measures": site.measures_of(c)},
            cached=True,
        )
        for c in site.cases
    ]
    sheets += [
        Sheet(
            "state.html",
            Urls.state(code),
            f"Jurisdictions in {code}",
            f"Jurisdictions in {code} written to by the Justice Department.",
            f"the {code} page",
            {"code": code, "rows": rows},
            cached=True,
        )
        for code, rows in site.by_state
    ]
    sheets.append(
        Sheet("states.html", Urls.states, "Jurisdictions by state", "Jurisdictions by state.", "the states page", {})
    )
    sheets += [
        Sheet("page.html", Urls.page(p), p.title, p.summary, p.source_path, {"page": p}, cached=True)
        for p in site.pages
    ]
    return sheets


def render_sheet(env: jinja2.Environment, common: Common, sheet: Sheet) -> tuple[str, bytes, str]:
    html = render(
        env,
        sheet.template,
        **vars(common),
        **sheet.extra,
        page_path=sheet.path,
        title=sheet.title,
        description=sheet.description,
    )
    return common.urls.file_for(sheet.path), html, sheet.producer


@dataclass(frozen=True)
class Layout:
    """All a cached page sees of the whole site (as `site`): its key covers exactly this.

    A template of a cached page that reaches for anything else fails the build with the missing name,
    so the cache can never silently miss a change.
    """

    nav_pages: tuple[Any, ...]
    last_updated: dt.date
    january_letter: Any


def layout_of(site: Site) -> Layout:
    return Layout(site.nav_pages, site.last_updated, site.january_letter)


def plan_sheets(
    site: Site,
    config: SiteConfig,
    urls: Urls,
    outlines: Outlines,
    kept_map: tuple[Path, str] | None = None,
    beside: bool = False,
) -> list[Sheet]:
    """Every HTML page to make, in a fixed order (kept_map, beside: see maps.drawn_map).

    `beside` is for a build; the preview plans in a request thread and draws there.
    """
    with drawn_map(site.jurisdictions, urls, config.tiles, outlines, kept_map, beside) as drawn:
        others = section_sheets(site) + second_round_sheets(site) + record_sheets(site, outlines)
        return map_sheets(site, drawn()) + others


def contexts(site: Site, config: SiteConfig, urls: Urls, outlines: Outlines) -> tuple[Common, Common]:
    """What a page about the whole site sees, and what a cached page sees (`site` is only the Layout)."""
    cached = Common(layout_of(site), config, urls, outlines)  # type: ignore[arg-type]
    return Common(site, config, urls, outlines), cached


def render_pages(site: Site, config: SiteConfig, urls: Urls, outlines: Outlines) -> Iterator[tuple[str, bytes, str]]:
    """Yield (output path, bytes, what produced it) for every HTML page, in a fixed order (in memory)."""
    common, cached = contexts(site, config, urls, outlines)
    sheets = plan_sheets(site, config, urls, outlines)
    yield from in_workers(_render_one, config, (common, cached), sheets)


def _render_one(env: jinja2.Environment, job: tuple[Common, Common], sheet: Sheet) -> tuple[str, bytes, str]:
    common, cached = job
    return render_sheet(env, cached if sheet.cached else common, sheet)


PARALLEL_FROM = 400  # below this, starting worker processes costs more than it saves
WORKERS = min(os.cpu_count() or 1, 8)
CHUNK = 200
# Set just before forking; the workers inherit it, nothing is pickled.
_JOB: (
    tuple[Callable[[jinja2.Environment, Any, Any], Any], SiteConfig, Any, list[Any], jinja2.BytecodeCache | None] | None
) = None
_ENV: jinja2.Environment | None = None  # one per worker process: templates are compiled once


def in_workers(
    func: Callable[[jinja2.Environment, Any, Any], T],
    config: SiteConfig,
    job: Any,
    items: list[Any],
    compiled: jinja2.BytecodeCache | None = None,
) -> Iterator[T]:
    """func(env, job, item) for each item, in order; in forked worker processes when there are many.

    `compiled`: templates compiled by an earlier build (tracker/build/cache.py, CompiledTemplates).
    """
    if len(items) < PARALLEL_FROM or WORKERS < 2:
        env = make_env(config, compiled)
        yield from (func(env, job, item) for item in items)
        return
    global _JOB
    _JOB = (func, config, job, items, compiled)
    try:
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            for chunk in pool.imap(_work_slice, range(0, len(items), CHUNK)):
                yield from chunk
    finally:
        _JOB = None


def _work_slice(start: int) -> list[Any]:
    global _ENV
    assert _JOB is not None
    func, config, job, items, compiled = _JOB
    _ENV = _ENV or make_env(config, compiled)
    return [func(_ENV, job, item) for item in items[start : start + CHUNK]]
