"""The only place that maps a page or file to its output path and its address."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.model.records import Case, Jurisdiction, Page
from tracker.model.second_round import Measure, PublishedList


@dataclass(frozen=True)
class Urls:
    """Addresses relative to the site root ("jurisdictions/x/"), as links, absolute URLs and files."""

    base_url: str  # "/" or "/prefix/"
    site_url: str  # "https://host/prefix/"

    def link(self, path: str) -> str:
        """An internal link that works under the base path."""
        return self.base_url + path

    def absolute(self, path: str) -> str:
        """A full address, for feeds, sitemaps and canonical links."""
        return self.site_url + path

    @staticmethod
    def file_for(path: str) -> str:
        """The output file that serves `path`: directories get index.html."""
        return path + "index.html" if path == "" or path.endswith("/") else path

    # Paths (relative to the site root) of everything the site publishes.
    home = ""
    not_found = "404.html"
    feed = "feed.xml"
    sitemap = "sitemap.xml"
    robots = "robots.txt"
    data_index = "data/"
    json = "data/jurisdictions.json"
    csv = "data/jurisdictions.csv"
    geojson = "data/jurisdictions.geojson"
    schema = "schema/jurisdictions.schema.json"
    embed_map = "embed/map/"
    letters = "letters/"
    cases = "cases/"
    grants = "grants/"
    timeline = "timeline/"
    updates = "updates/"
    search = "search/"
    dictionary = "data/dictionary/"
    states = "states/"
    states_outlines = "static/boundaries/states.geojson"
    second_round = "second-round/"
    targeted_twice = "targeted-twice/"

    @staticmethod
    def published_list(x: PublishedList) -> str:
        return f"lists/{x.id}/"

    @staticmethod
    def measure(m: Measure) -> str:
        return f"measures/{m.id}/"

    @staticmethod
    def jurisdiction(j: Jurisdiction | str) -> str:
        return f"jurisdictions/{j if isinstance(j, str) else j.id}/"

    @staticmethod
    def table(name: str, extension: str) -> str:
        return f"data/{name}.{extension}"

    @staticmethod
    def state(code: str) -> str:
        return f"states/{code.lower()}/"

    @staticmethod
    def case(c: Case) -> str:
        return f"cases/{c.id}/"

    @staticmethod
    def page(p: Page) -> str:
        return f"{p.slug}/"

    @staticmethod
    def static(name: str) -> str:
        return f"static/{name}"
