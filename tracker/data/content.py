"""Markdown pages from content/*.md: front matter checked, body rendered and sanitised."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path, PurePosixPath
from typing import Any

import markdown
import nh3

from tracker.data.jurisdictions import display_path
from tracker.data.schema import SLUG
from tracker.data.textfile import read_text_file
from tracker.data.validate import as_date, describe_value, did_you_mean, type_hint
from tracker.data.yamlfile import Located, load_yaml_text
from tracker.errors import DataError, Problem
from tracker.model.records import Page
from tracker.render.urls import Urls

FRONT_MATTER = {  # key -> (required, type, description)
    "title": (True, str, "the page title"),
    "summary": (True, str, "one sentence describing the page"),
    "date": (True, dt.date, "first published, YYYY-MM-DD"),
    "updated": (False, dt.date, "last changed, YYYY-MM-DD"),
    "nav": (False, int, "position in the site navigation (leave out to keep the page out of it)"),
    "nav_title": (False, str, "a short label for the navigation (default: the title)"),
}
FRONT_MATTER_TYPES = {str: "text", dt.date: "a date", int: "a whole number"}
# A page's address is its file name, so these names would take the place of something the site publishes.
NAMED_USES = {
    "index": "the home page",
    "jurisdictions": "the jurisdiction pages",
    "data": "the downloads page",
    "static": "the scripts, styles and images",
    "404": "the page-not-found page",
    "feed": "the Atom feed",
    "sitemap": "the sitemap",
    "robots": "robots.txt",
    "embed": "the embeddable map",
    "schema": "the JSON Schema of the data",
    "pagefind": "the search index",
}


def _published_names() -> set[str]:
    """The first part of every path urls.py names, so a new section is reserved without an edit here."""
    paths = [value for key, value in vars(Urls).items() if isinstance(value, str) and not key.startswith("_")]
    return {PurePosixPath(path).parts[0].split(".")[0] for path in paths if path}


RESERVED = {name: f'its own "{name}" section' for name in _published_names()} | NAMED_USES
# Markdown suffixes in any case: an exact ".md" is loaded first, so a match here (".MD", ".markdown") is a file
# that would never be published, refused rather than silently skipped.
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"table", "thead", "tbody", "tr", "th", "td", "h2", "h3", "h4"}
URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_ATTRS = nh3.ALLOWED_ATTRIBUTES | {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_ATTRS |= {"h2": {"id"}, "h3": {"id"}}  # the ids the "toc" extension gives headings


def _front(path: str, line: int | None, message: str, col: int | None = None) -> Problem:
    return Problem(path, line, col, message, title="Front matter")


def split_front_matter(path: str, text: str) -> tuple[str, str]:
    """Return (front matter, body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        message = 'the page must start with front matter: a line "---", then title:, summary: and date:, then "---".'
        raise DataError([_front(path, 1, message)])
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            if not "".join(lines[1:i]).strip():
                raise DataError([_front(path, 2, "the front matter is empty; it needs title:, summary: and date:.")])
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    message = 'the front matter that starts here is never closed: add a line "---" after its last field.'
    raise DataError([_front(path, 1, message)])


def check_front_matter(doc: Located) -> list[Problem]:
    meta = doc.value
    if not isinstance(meta, dict):
        line, col = doc.line_col(())
        message = f"the front matter must be a set of fields such as title: and date:, but it is {describe_value(meta, None)}."
        return [_front(doc.path, line, message, col)]
    problems = []
    for key in meta:
        if key not in FRONT_MATTER:
            line, col = doc.line_col((key,), key=True)
            allowed = f"{did_you_mean(key, list(FRONT_MATTER))} Allowed: {', '.join(FRONT_MATTER)}."
            problems.append(_front(doc.path, line, f'unknown front matter field "{key}".{allowed}', col))
    for key, (required, kind, description) in FRONT_MATTER.items():
        problems += _check_field(doc, key, required, kind, description)
    return problems + _check_dates(doc)


def _check_field(doc: Located, key: str, required: bool, kind: type, description: str) -> list[Problem]:
    if key not in doc.value:
        return [_front(doc.path, 2, f'"{key}" is missing ({description}).')] if required else []
    value, raw = doc.value[key], doc.raw.get((key,))
    line, col = doc.line_col((key,))
    typed = _typed(value, kind)
    wanted = (
        f"{description}, {FRONT_MATTER_TYPES[kind]}" if kind is int else f"{FRONT_MATTER_TYPES[kind]} ({description})"
    )
    if isinstance(typed, str) and not typed.strip():
        blank = "empty" if typed == "" else "only spaces"
        return [_front(doc.path, line, f'"{key}" must be {wanted}, but it is {blank}.', col)]
    if typed is None or isinstance(typed, bool) or not isinstance(typed, kind):
        message = f'"{key}" must be {wanted}, but it is {describe_value(value, raw)}.{_hint(kind, value, raw)}'
        return [_front(doc.path, line, message, col)]
    return []


def _hint(kind: type, value: Any, raw: str | None) -> str:
    if kind is str:
        return type_hint("string", value, raw)
    if kind is int:
        return " For example 1."
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return " That is not a real date (check the day and month)."
    return " For example 2026-11-28."


def _check_dates(doc: Located) -> list[Problem]:
    """A page cannot have been changed before it was first published."""
    date, updated = as_date(doc.value.get("date")), as_date(doc.value.get("updated"))
    if date is None or updated is None or updated >= date:
        return []
    line, col = doc.line_col(("updated",))
    return [_front(doc.path, line, f'"updated" ({updated}) is before "date" ({date}); is one of them mistyped?', col)]


def _typed(value: Any, kind: type) -> Any:
    """A date written as text becomes a date (None when it is not a real one); other values stay as written."""
    return as_date(value) if kind is dt.date and isinstance(value, str) else value


def file_name_problems(file: Path, path: str) -> list[Problem]:
    """The file name is the page's address: it must be a clean slug that nothing else uses."""
    slug = file.stem
    if not re.match(SLUG, slug):
        message = (
            f'the file name "{file.name}" cannot be used: it becomes the page\'s address, so it must be lowercase '
            'letters, digits and hyphens, like "about-the-data.md".'
        )
    elif slug in RESERVED:
        message = (
            f'the file name "{file.name}" would publish this page at /{slug}/, which the site already uses for '
            f"{RESERVED[slug]}; rename the file."
        )
    else:
        return []
    return [Problem(path, None, None, message, title="File name")]


@functools.lru_cache(maxsize=256)  # the preview reads every page after each save; most are unchanged
def render_markdown(body: str, base_url: str) -> str:
    """Render with a fresh Markdown instance (it is stateful), then sanitise with an allow-list."""
    html = markdown.Markdown(extensions=["tables", "toc", "sane_lists"], output_format="html").convert(body)
    # Root-relative links in content ("/data/") must follow the site when it lives under a sub-path.
    html = re.sub(r'href="/(?!/)', f'href="{base_url}', html)
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"
    )


def load_page(file: Path, base_url: str) -> Page:
    path = display_path(file)
    front, body = split_front_matter(path, read_text_file(file, path))
    doc = load_yaml_text(front, path, first_line=2)
    if problems := check_front_matter(doc) + file_name_problems(file, path):
        raise DataError(problems)
    meta = {"nav": None} | {k: _typed(v, FRONT_MATTER[k][1]) for k, v in doc.value.items()}  # named as in Page
    meta |= {"updated": meta.get("updated") or meta["date"], "nav_title": meta.get("nav_title") or meta["title"]}
    return Page(slug=file.stem, **meta, html=render_markdown(body, base_url), source_path=path)


def misnamed_page(file: Path, content_dir: Path) -> Problem:
    """A Markdown file not named *.md: say so, and name the page whose address it would share."""
    twin = content_dir / f"{file.stem}.md"
    clash = f"; {display_path(twin)} already has the address /{file.stem}/" if twin.is_file() else ""
    message = (
        f'page files must end in ".md" in lowercase, so this one would never be published{clash}. Rename or merge it.'
    )
    return Problem(display_path(file), None, None, message, title="File name")


def load_pages(content_dir: Path, base_url: str) -> tuple[Page, ...]:
    """Load every content/*.md page, collecting the problems of all pages before failing."""
    if not content_dir.is_dir():
        message = "the content folder does not exist (it holds the Markdown pages)."
        raise DataError([Problem(display_path(content_dir), None, None, message, title="Missing folder")])
    pages, problems = [], []
    # Hidden files are editors' lock and backup files (Emacs writes .#about.md), never pages.
    for file in sorted(f for f in content_dir.iterdir() if not f.name.startswith(".")):
        if file.suffix == ".md":
            try:
                pages.append(load_page(file, base_url))
            except DataError as e:
                problems += e.problems
        elif file.suffix.lower() in MARKDOWN_SUFFIXES:
            problems.append(misnamed_page(file, content_dir))
    if problems:
        raise DataError(problems)
    return tuple(pages)
