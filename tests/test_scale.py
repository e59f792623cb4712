"""A national-size tracker stays readable: small overview pages, complete state tables, one GeoJSON for the map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, run_build

N = 450  # above the 300 where the home page hands the full table to state pages, and the 400 symbol limit


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("large")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--jurisdictions", str(N), "--out", str(tree)],
        check=True,
        capture_output=True,
    )
    out = tree / "site"
    result = run_build(
        "--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out), "--no-tiles"
    )
    assert result.returncode == 0, result.stderr
    return out


def test_overview_pages_stay_small(large_site: Path) -> None:
    sizes = {page: (large_site / page / "index.html").stat().st_size for page in ("", "letters", "grants", "timeline")}
    assert all(size < 100_000 for size in sizes.values()), sizes


def test_state_pages_together_list_every_jurisdiction(large_site: Path) -> None:
    home = BeautifulSoup((large_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert not home.select("table.jurisdictions")
    states = [a["href"] for a in home.select(".state-list a")]
    rows = 0
    for href in states:
        page = large_site / href.removeprefix("/tracker/") / "index.html"
        rows += len(
            BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("table.jurisdictions tbody tr")
        )
    assert rows == N


def test_the_chart_shows_at_most_forty_bars(large_site: Path) -> None:
    page = BeautifulSoup((large_site / "grants/index.html").read_text(encoding="utf-8"), "html.parser")
    assert 0 < len(page.select("svg.chart g.row")) <= 40


def test_the_feed_holds_only_the_newest_entries(large_site: Path) -> None:
    import feedparser

    from tracker.render.exports import FEED_ENTRIES

    feed = feedparser.parse((large_site / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == FEED_ENTRIES


def test_the_timeline_lists_the_story_and_offers_only_what_it_lists(large_site: Path) -> None:
    """Each record's events are on its page: the timeline's kind filter offers only kinds it shows, and its jump
    to the second round, if any, lands on an entry it shows."""
    page = BeautifulSoup((large_site / "timeline/index.html").read_text(encoding="utf-8"), "html.parser")
    entries = page.select("ol.full-timeline > li")
    assert entries and not page.select("ol.full-timeline a[href*='/jurisdictions/']")
    offered = {o["value"] for o in page.select("select[name=kind] option") if o["value"]}
    assert offered == {li["data-kind"] for li in entries}
    jump = page.select_one("a[href$='-start']")  # none in the synthetic data
    assert jump is None or page.select_one(f"li{jump['href']}") in entries


def test_counts_of_jurisdictions_read_with_thousands_separators(tmp_path: Path) -> None:
    from tracker.config import make_config
    from tracker.render.pages import make_env

    assert make_env(make_config(out_dir=tmp_path)).from_string("{{ 10000|count }} and {{ 39|count }}").render() == (
        "10,000 and 39"
    )
