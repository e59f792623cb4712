"""What a reader sees on the built pages, parsed from the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import SNAPSHOT

DATA = yaml.safe_load((SNAPSHOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))
JANUARY_2018 = {j["id"] for j in DATA["jurisdictions"] if any(x["batch"] == "2018-01" for x in j["letters"])}


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def text(node: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def test_home_table_has_a_row_per_jurisdiction_linking_to_its_page(snapshot_site: Path) -> None:
    rows = soup(snapshot_site, "index.html").select("table.jurisdictions tbody tr")
    assert len(rows) == len(DATA["jurisdictions"])
    january = {r["data-id"] for r in rows if "2018-01" in r["data-batch"].split()}
    assert january == JANUARY_2018
    links = {row.select_one("th a")["href"] for row in rows}
    assert links == {f"/tracker/jurisdictions/{j['id']}/" for j in DATA["jurisdictions"]}


def test_home_key_figures_are_computed_from_the_data(snapshot_site: Path) -> None:
    figures = {
        text(d.find("dt")): text(d.find("dd")) for d in soup(snapshot_site, "index.html").select(".figures > div")
    }
    assert figures["Jurisdictions sent the letter of 24 January 2018"] == str(len(JANUARY_2018))
    assert figures["Deadline to hand over the records"] == "23 February 2018"
    january = [j for j in DATA["jurisdictions"] if j["id"] in JANUARY_2018]
    unknown = [j for j in january if not any(g["fiscal_year"] == 2016 for g in j["grants"])]
    assert figures["Jurisdictions whose FY2016 JAG amount is not yet recorded"] == str(len(unknown))
    money = next(v for k, v in figures.items() if k.startswith("FY2016 JAG money at stake"))
    assert re.fullmatch(r"at least \$[\d,]+", money)


def test_chicago_page_shows_letter_deadline_and_money_with_sources(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "jurisdictions/chicago-il/index.html")
    letters = text(page.select_one("#letters-heading").parent)
    assert "24 January 2018" in letters and "Reply due: 23 February 2018" in letters
    rows = page.select("table.grants tbody tr")
    fy2016 = [r for r in rows if text(r.select_one("td")) == "FY2016"]
    assert any("more than $2 million" in text(r) for r in fy2016)
    bound = next(r for r in fy2016 if "more than $2 million" in text(r))
    source = bound.select_one("a.src")
    assert source["href"].startswith("https://") and "washingtonpost.com" in source["href"]


def test_unknown_values_say_not_yet_recorded(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "jurisdictions/albany-ny/index.html")
    assert "FY2016 JAG amount: not yet recorded" in text(page)


@pytest.mark.parametrize("record", DATA["jurisdictions"], ids=lambda r: r["id"])
def test_every_event_and_grant_links_its_source(snapshot_site: Path, record: dict) -> None:
    page = soup(snapshot_site, f"jurisdictions/{record['id']}/index.html")
    assert text(page.find("h1")) == record["official_name"]
    events = page.select("ol.timeline > li")
    assert len(events) == len(record["events"])
    for item in events + page.select("table.grants tbody tr") + page.select("ul.facts > li"):
        assert item.select("a.src[href^='http']"), text(item)


def test_markdown_pages_render_with_navigation(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "about/index.html")
    assert text(page.find("h1")) == "About and methodology"
    nav = [a["href"] for a in page.select("nav[aria-label=Site] a")]
    assert "/tracker/about/" in nav and "/tracker/data/" in nav
    assert page.select_one("nav a[aria-current=page]")["href"] == "/tracker/about/"


def test_not_found_page_links_home_under_the_base_path(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "404.html")
    assert text(page.find("h1")) == "Page not found"
    assert page.select_one("main a")["href"] == "/tracker/"


def test_every_page_has_a_title_description_and_absolute_canonical(snapshot_site: Path) -> None:
    for file in snapshot_site.rglob("*.html"):
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        assert page.title and page.title.string.strip(), file
        assert page.select_one("meta[name=description]")["content"].strip(), file
        assert page.select_one("link[rel=canonical]")["href"].startswith("https://example.org/tracker/"), file


def test_only_the_search_page_may_compile_webassembly(snapshot_site: Path) -> None:
    """Pagefind compiles WebAssembly (in its worker, or on the page where a worker can't start); nothing else may."""
    allowed = set()
    for file in snapshot_site.rglob("*.html"):
        page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, file
        if "'wasm-unsafe-eval'" in policy:
            allowed.add(file.relative_to(snapshot_site).as_posix())
    assert allowed == {"search/index.html"}
