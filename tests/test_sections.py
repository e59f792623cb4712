"""The whole story: letter waves, lawsuits, the grants ledger, the timeline, updates, downloads, search."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.conftest import ROOT, SNAPSHOT
from tracker.render.dictionary import fields, generated_files

DATA = SNAPSHOT / "data"
JURISDICTIONS = yaml.safe_load((DATA / "jurisdictions.yaml").read_text(encoding="utf-8"))["jurisdictions"]
WAVES = yaml.safe_load((DATA / "waves.yaml").read_text(encoding="utf-8"))["waves"]
CASES = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))["cases"]
CHANGES = yaml.safe_load((DATA / "changelog.yaml").read_text(encoding="utf-8"))["entries"]
MEASURES = yaml.safe_load((DATA / "measures.yaml").read_text(encoding="utf-8"))["measures"]
LISTS = yaml.safe_load((DATA / "lists.yaml").read_text(encoding="utf-8"))["lists"]


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text(" ")).strip()


def members(batch: str) -> set[str]:
    return {j["id"] for j in JURISDICTIONS if any(x["batch"] == batch for x in j["letters"])}


def test_every_wave_has_as_many_members_as_its_source_says() -> None:
    for wave in WAVES:
        if wave["recipients"]:
            assert len(members(wave["id"])) == wave["recipients"], wave["id"]
    assert len(members("2018-01")) == 23


def test_letters_page_matrix_marks_who_received_which_wave(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "letters/index.html")
    heads = [text(th) for th in page.select("table.matrix thead th")]
    assert len(heads) == len(WAVES) + 2
    rows = {r.select_one("th a")["href"].split("/")[-2]: r for r in page.select("table.matrix tbody tr")}
    assert rows.keys() == {j["id"] for j in JURISDICTIONS}
    order = sorted(WAVES, key=lambda w: str(w["date"]))
    for jid, row in rows.items():
        marks = [bool(td.select("span[aria-hidden]")) for td in row.select("td.mark")]
        assert marks == [jid in members(w["id"]) for w in order], jid


def test_each_case_has_a_page_linked_both_ways(snapshot_site: Path) -> None:
    listing = soup(snapshot_site, "cases/index.html")
    assert len(listing.select("table.cases tbody tr")) == len(CASES)
    for case in CASES:
        page = soup(snapshot_site, f"cases/{case['id']}/index.html")
        assert text(page.find("h1")) == case["name"]
        assert len(page.select("ol.timeline > li")) == len(case["rulings"])
        for ruling in page.select("ol.timeline > li"):
            assert ruling.select("a.src[href^='http']")
        for jid in case["jurisdictions"]:
            jpage = soup(snapshot_site, f"jurisdictions/{jid}/index.html")
            assert any(a["href"].endswith(f"/cases/{case['id']}/") for a in jpage.select("#cases-heading ~ ul a"))


def test_grants_ledger_lists_every_figure_and_explains_its_totals(snapshot_site: Path) -> None:
    page = soup(snapshot_site, "grants/index.html")
    figures = sum(len(j["grants"]) for j in JURISDICTIONS)
    assert len(page.select("table.ledger tbody tr")) == figures
    totals = text(page.select_one("#totals-heading").parent)
    assert "FY2016: at least $" in totals and "leaves out" in totals and "never added" in totals
    chart = page.select_one("svg.chart")
    assert chart["role"] == "img" and chart.find("title") and chart.find("desc")


def test_timeline_has_every_event_in_order_with_sources(snapshot_site: Path) -> None:
    items = soup(snapshot_site, "timeline/index.html").select("ol.full-timeline > li")
    expected = sum(len(j["events"]) for j in JURISDICTIONS) + len(WAVES) + sum(len(c["rulings"]) for c in CASES)
    expected += sum(1 for m in MEASURES if m["date"]) + len(LISTS)  # an undated measure has no place on it
    assert len(items) == expected
    dates = [i.find("time")["datetime"] for i in items]
    assert dates == sorted(dates)
    assert all(i.select("a.src[href^='http']") for i in items)


def test_updates_page_lists_the_changelog(snapshot_site: Path) -> None:
    items = soup(snapshot_site, "updates/index.html").select("ol.changelog > li")
    assert len(items) >= len(CHANGES)


def test_jurisdiction_pages_show_last_updated_from_the_data(snapshot_site: Path) -> None:
    kicker = text(soup(snapshot_site, "jurisdictions/chicago-il/index.html").select_one(".kicker"))
    assert re.search(r"last updated \d{1,2} \w+ \d{4}$", kicker)


@pytest.mark.parametrize("name", ["events", "grants", "waves", "cases", "lists", "measures"])
def test_csv_and_json_downloads_agree(snapshot_site: Path, name: str) -> None:
    frame = pd.read_csv(snapshot_site / f"data/{name}.csv", dtype=str, keep_default_na=False)
    rows = json.loads((snapshot_site / f"data/{name}.json").read_text(encoding="utf-8"))
    assert len(frame) == len(rows) > 0
    assert list(frame.columns) == sorted(frame.columns, key=list(frame.columns).index)  # stable header
    for record, row in zip(rows, frame.to_dict("records"), strict=True):
        assert {k: "" if v is None else str(v) for k, v in record.items()} == row


def test_every_schema_field_is_in_the_data_dictionary() -> None:
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == generated_files()["docs/data-dictionary.md"], "run `python build.py schema`"
    for field in fields():
        assert field.description, field.path
        assert f"`{field.path}`" in committed


def test_committed_schema_files_are_current() -> None:
    for path, content in generated_files().items():
        assert (ROOT / path).read_text(encoding="utf-8") == content, f"run `python build.py schema` ({path})"


def test_search_finds_a_jurisdiction_and_narrows_by_state(reader, served_site: str) -> None:
    page, errors, _ = reader
    page.goto(served_site + "search/")
    page.get_by_label("Search for").fill("Watsonville")
    results = page.locator(".search-results li")
    expect(results.first).to_contain_text("Watsonville")
    page.locator("select[name=state]").select_option("NY")
    expect(page.locator(".filter-count")).to_have_text(re.compile(r"^0 results"))
    page.locator("select[name=state]").select_option("CA")
    expect(results.first.get_by_role("link")).to_have_attribute("href", "/jurisdictions/watsonville-ca/")
    assert errors == []


def test_timeline_filters_by_jurisdiction_and_kind(reader, served_site: str) -> None:
    page, errors, _ = reader
    page.goto(served_site + "timeline/?jurisdiction=oregon")
    shown = page.locator(".full-timeline > li:not([hidden])")
    oregon = next(j for j in JURISDICTIONS if j["id"] == "oregon")
    cases = [c for c in CASES if "oregon" in c["jurisdictions"]]
    expect(shown).to_have_count(len(oregon["events"]) + sum(len(c["rulings"]) for c in cases))
    page.locator("select[name=kind]").select_option("ruling")
    own_rulings = sum(1 for e in oregon["events"] if e["kind"] == "ruling")
    expect(shown).to_have_count(own_rulings + sum(len(c["rulings"]) for c in cases))
    page.get_by_role("button", name="Show all").click()
    expect(shown).to_have_count(page.locator(".full-timeline > li").count())
    assert errors == []


def test_search_indexes_the_name_kind_state_and_summary_of_a_jurisdiction(snapshot_site: Path) -> None:
    from tracker.render.search import indexed_part

    page = (snapshot_site / "jurisdictions/watsonville-ca/index.html").read_bytes()
    part = BeautifulSoup(indexed_part(page), "html.parser")
    assert [e.name for e in part.select("[data-pagefind-body]")] == ["h1", "p", "p"]
    assert part.find("h1").get_text() == next(j["official_name"] for j in JURISDICTIONS if j["id"] == "watsonville-ca")
    assert part.select_one("[data-pagefind-meta=state]").get_text() == "CA"


def test_every_entry_of_the_latest_list_is_on_the_map_the_table_and_the_downloads(snapshot_site: Path) -> None:
    """Issue 15: every jurisdiction of the 5 August 2025 list, with its list category and sources."""
    latest = max(LISTS, key=lambda x: x["published"])
    home = soup(snapshot_site, "index.html")
    features = {f["id"]: f for f in json.loads((snapshot_site / "data/jurisdictions.geojson").read_text())["features"]}
    frame = pd.read_csv(snapshot_site / "data/jurisdictions.csv", dtype=str, keep_default_na=False).set_index("id")
    for entry in latest["entries"]:
        jid = entry["jurisdiction"]
        assert home.select_one(f"#row-{jid}")["data-list"] == "listed"
        listed = [x for x in features[jid]["properties"]["lists"] if x["label"] == entry["label"]]
        assert [x["category"] for x in listed] == [entry["category"]]
        assert f"{latest['id']}:{entry['category']}" in frame.loc[jid, "lists"].split()
        box = soup(snapshot_site, f"jurisdictions/{jid}/index.html").select_one(".round2-box")
        assert f"listed as “{entry['label']}”" in text(box) and box.select("a.src[href^='http']")


def test_the_corrections_are_on_the_updates_page_and_in_the_feed(snapshot_site: Path) -> None:
    corrections = [c for c in CHANGES if c["kind"] == "correction"]
    updates = text(soup(snapshot_site, "updates/index.html"))
    feed = (snapshot_site / "feed.xml").read_text(encoding="utf-8")
    assert len(corrections) >= 13
    for c in corrections:
        assert c["summary"][:60] in updates and escape(c["summary"][:60]) in feed


def test_search_finds_a_measure_a_list_and_a_lawsuit_of_the_second_round(reader, served_site: str) -> None:
    page, errors, _ = reader
    page.goto(served_site + "search/")
    results = page.locator(".search-results li")
    for query, kind, href in (
        ("Protecting the American People Against Invasion", "National measure", "/measures/eo-14159/"),
        ("Paterson", "Published list", "/lists/doj-2025-08-05/"),
        ("Boston Trust Act", "Lawsuit", "/cases/us-v-boston-2025/"),
    ):
        page.get_by_label("Search for").fill(query)
        page.locator("select[name=kind]").select_option(kind)
        expect(results.locator(f"a[href='{href}']")).to_have_count(1)
        expect(results.locator("a[href^='/jurisdictions/']")).to_have_count(0)  # only pages of that kind
    assert errors == []
