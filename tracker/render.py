"""Render every HTML page from the templates into memory: {output path: bytes}."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from tracker.boundaries import Outlines, locator_svg
from tracker.config import SiteConfig
from tracker.errors import BuildError
from tracker.maps import MapParts, build_map, legend_items
from tracker.models import Jurisdiction, Page, Site
from tracker.money import NOT_RECORDED, dollars, grant_text, headline_text, long_date, total_text
from tracker.schema import BATCHES, CONFIDENCES, STATUSES
from tracker.urls import Urls

KIND_WORDS = {"state": "State", "county": "County", "city": "City", "city-county": "City-county"}


@dataclass(frozen=True)
class Common:
    """What every page's layout uses."""

    site: Site
    config: SiteConfig
    urls: Urls
    outlines: Outlines


def make_env(config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config.templates_dir),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        date=long_date,
        dollars=dollars,
        grant=grant_text,
        headline=headline_text,
        total=total_text,
        kind=KIND_WORDS.__getitem__,
    )
    env.globals.update(
        CSP_SLOT=CSP_SLOT,
        NOT_RECORDED=NOT_RECORDED,
        STATUSES=STATUSES,
        BATCHES=BATCHES,
        CONFIDENCES=CONFIDENCES,
        legend=legend_items(),
    )
    return env


CSP_SLOT = "__CONTENT_SECURITY_POLICY__"


def content_security_policy(inline_scripts: list[str], tiles: bool) -> str:
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
        f"default-src 'self'; script-src 'self' {hashes}".rstrip() + f"; img-src {images}; style-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def render(env: jinja2.Environment, template: str, **context: Any) -> bytes:
    try:
        html = env.get_template(template).render(**context)
        inline = [context["map"].inline] if "map" in context else []
        return html.replace(CSP_SLOT, content_security_policy(inline, context["config"].tiles), 1).encode("utf-8")
    except jinja2.TemplateNotFound as e:
        raise BuildError(f"templates/{e.name}: the template is missing.") from e
    except jinja2.TemplateSyntaxError as e:
        raise BuildError(f"templates/{e.name}:{e.lineno}: template syntax error: {e.message}") from e
    except jinja2.UndefinedError as e:
        raise BuildError(
            f"templates/{template}: the template uses something the page does not provide: {e.message}"
        ) from e


def home_page(env: jinja2.Environment, common: Common, map_parts: MapParts) -> bytes:
    return render(
        env,
        "index.html",
        **vars(common),
        page_path=common.urls.home,
        map=map_parts,
        filter_options=filter_options(common.site),
        title=None,
        description=home_description(common.site),
    )


def filter_options(site: Site) -> dict[str, list[str]]:
    """The values each filter offers: only those that occur in the data, in a stable order."""
    present = {key: {getattr(j, key) for j in site.jurisdictions} for key in ("status", "kind", "state")}
    return {
        "status": [s for s in STATUSES if s in present["status"]],
        "kind": [k for k in KIND_WORDS if k in present["kind"]],
        "state": sorted(present["state"]),
        "batch": sorted({b for j in site.jurisdictions for b in j.batches}),
    }


def home_description(site: Site) -> str:
    return (
        f"The {len(site.targeted_january_2018)} jurisdictions the US Justice Department pressed on 24 January 2018 "
        "over 8 U.S.C. 1373 and Byrne JAG grants: letters, money at stake, lawsuits and outcomes, with sources."
    )


def jurisdiction_page(env: jinja2.Environment, common: Common, j: Jurisdiction) -> bytes:
    return render(
        env,
        "jurisdiction.html",
        **vars(common),
        page_path=common.urls.jurisdiction(j),
        j=j,
        locator=locator_svg(j, common.outlines),
        title=f"{j.official_name}",
        description=j.summary,
    )


def markdown_page(env: jinja2.Environment, common: Common, page: Page) -> bytes:
    return render(
        env,
        "page.html",
        **vars(common),
        page_path=common.urls.page(page),
        page=page,
        title=page.title,
        description=page.summary,
    )


def data_page(env: jinja2.Environment, common: Common) -> bytes:
    return render(
        env,
        "data.html",
        **vars(common),
        page_path=common.urls.data_index,
        title="Download the data",
        description="The tracker's data as JSON, CSV and GeoJSON.",
    )


def not_found_page(env: jinja2.Environment, common: Common) -> bytes:
    return render(
        env,
        "404.html",
        **vars(common),
        page_path=common.urls.not_found,
        title="Page not found",
        description="This page does not exist.",
    )


def embed_page(env: jinja2.Environment, common: Common, map_parts: MapParts) -> bytes:
    return render(
        env,
        "embed.html",
        **vars(common),
        page_path=common.urls.embed_map,
        map=map_parts,
        title="Map",
        description=home_description(common.site),
    )


def render_pages(site: Site, config: SiteConfig, urls: Urls, outlines: Outlines) -> Iterator[tuple[str, bytes, str]]:
    """Yield (output path, bytes, what produced it) for every HTML page."""
    env = make_env(config)
    common = Common(site, config, urls, outlines)
    map_parts = build_map(site.jurisdictions, urls, config.tiles, outlines)
    yield urls.file_for(urls.home), home_page(env, common, map_parts), "the home page"
    yield urls.file_for(urls.embed_map), embed_page(env, common, map_parts), "the embeddable map"
    for j in site.jurisdictions:
        yield urls.file_for(urls.jurisdiction(j)), jurisdiction_page(env, common, j), f"jurisdiction {j.id}"
    for page in site.pages:
        yield urls.file_for(urls.page(page)), markdown_page(env, common, page), page.source_path
    yield urls.file_for(urls.data_index), data_page(env, common), "the downloads page"
    yield urls.not_found, not_found_page(env, common), "the 404 page"
