"""Markdown pages from content/*.md: front matter checked, body rendered and sanitised."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import markdown
import nh3

from tracker.data import display_path
from tracker.errors import DataError, Problem
from tracker.models import Page
from tracker.validate import did_you_mean
from tracker.yamlfile import Located, load_yaml_text

FRONT_MATTER = {  # key -> (required, type, description)
    "title": (True, str, "the page title"),
    "summary": (True, str, "one sentence describing the page"),
    "date": (True, dt.date, "first published, YYYY-MM-DD"),
    "updated": (False, dt.date, "last changed, YYYY-MM-DD"),
    "nav": (False, int, "position in the site navigation (leave out to keep the page out of it)"),
    "nav_title": (False, str, "a short label for the navigation (default: the title)"),
}
RESERVED = {"index", "jurisdictions", "data", "static", "404", "feed", "sitemap", "robots", "embed", "schema"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(\r?\n|\Z)", re.S)
ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "h2", "h3", "h4"}
ALLOWED_ATTRS = {
    **nh3.ALLOWED_ATTRIBUTES,
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "h2": {"id"},
    "h3": {"id"},
}


def split_front_matter(path: str, text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts)."""
    match = FENCE.match(text)
    if not match:
        raise DataError(
            [
                Problem(
                    path,
                    1,
                    None,
                    'the page must start with front matter between two "---" lines (title, summary, date).',
                    title="Front matter",
                )
            ]
        )
    return match.group(1), text[match.end() :], match.group(0).count("\n") + 1


def check_front_matter(doc: Located) -> list[Problem]:
    meta = doc.value
    if not isinstance(meta, dict):
        return [
            Problem(
                doc.path,
                2,
                None,
                "the front matter must be a set of fields such as title: and date:.",
                title="Front matter",
            )
        ]
    problems = []
    for key in meta:
        if key not in FRONT_MATTER:
            line, col = doc.line_col((key,), key=True)
            problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    f'unknown front matter field "{key}".{did_you_mean(key, list(FRONT_MATTER))} Allowed: {", ".join(FRONT_MATTER)}.',
                    title="Front matter",
                )
            )
    for key, (required, kind, description) in FRONT_MATTER.items():
        problems += _check_field(doc, key, required, kind, description)
    return problems


def _check_field(doc: Located, key: str, required: bool, kind: type, description: str) -> list[Problem]:
    value = _typed(doc.value.get(key), kind)
    line, col = doc.line_col((key,))
    if key not in doc.value:
        return (
            [Problem(doc.path, 2, None, f'"{key}" is missing ({description}).', title="Front matter")]
            if required
            else []
        )
    if value is None or isinstance(value, bool) or not isinstance(value, kind) or value == "":
        return [
            Problem(
                doc.path,
                line,
                col,
                f'"{key}" must be {description}, but it is "{doc.raw.get((key,), value)}".',
                title="Front matter",
            )
        ]
    return []


def _typed(value: Any, kind: type) -> Any:
    if kind is dt.date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def render_markdown(body: str, base_url: str) -> str:
    """Render with a fresh Markdown instance (it is stateful), then sanitise with an allow-list."""
    html = markdown.Markdown(extensions=["tables", "toc", "sane_lists"], output_format="html").convert(body)
    # Root-relative links in content ("/data/") must follow the site when it lives under a sub-path.
    html = re.sub(r'href="/(?!/)', f'href="{base_url}', html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def load_page(file: Path, base_url: str) -> Page:
    path = display_path(file)
    try:
        text = file.read_text(encoding="utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise DataError(
            [Problem(path, None, None, "the file is not valid UTF-8 text; save it as UTF-8.", title="Encoding")]
        ) from e
    front, body, _ = split_front_matter(path, text)
    doc = load_yaml_text(front, path, first_line=2)
    problems = check_front_matter(doc)
    slug = file.stem
    if not SLUG.match(slug) or slug in RESERVED:
        problems.append(
            Problem(
                path,
                None,
                None,
                f'the file name "{file.name}" cannot be used: page addresses come from file names, which must be lowercase words joined by hyphens and not one of: {", ".join(sorted(RESERVED))}.',
                title="File name",
            )
        )
    if problems:
        raise DataError(problems)
    meta = {k: _typed(v, FRONT_MATTER[k][1]) for k, v in doc.value.items()}
    return Page(
        slug=slug,
        title=meta["title"],
        summary=meta["summary"],
        date=meta["date"],
        updated=meta.get("updated") or meta["date"],
        nav=meta.get("nav"),
        nav_title=meta.get("nav_title") or meta["title"],
        html=render_markdown(body, base_url),
        source_path=path,
    )


def load_pages(content_dir: Path, base_url: str) -> tuple[Page, ...]:
    """Load every content/*.md page, collecting the problems of all pages before failing."""
    pages, problems = [], []
    for file in sorted(content_dir.glob("*.md")):
        try:
            pages.append(load_page(file, base_url))
        except DataError as e:
            problems += e.problems
    if problems:
        raise DataError(problems)
    return tuple(pages)
