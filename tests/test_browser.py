"""In Chromium: the map draws every jurisdiction, popups lead to pages, the table sorts, no errors."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from tests.conftest import SNAPSHOT, open_map
from tracker.data.jurisdictions import load_jurisdictions

DATA = yaml.safe_load((SNAPSHOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))
FIRST_BY_NAME = min(DATA["jurisdictions"], key=lambda j: (j["name"].casefold(), j["state"]))["id"]


def largest_fy2016_figure() -> str:
    """The jurisdiction whose headline FY2016 figure (the one its table cell shows) is the largest."""
    figures = sorted(
        (j.headline_grant.value, j.display_name)
        for j in load_jurisdictions(SNAPSHOT / "data" / "jurisdictions.yaml").jurisdictions
        if j.headline_grant
    )
    assert figures[-1][0] > figures[-2][0], "a tie: no one jurisdiction comes first"
    return figures[-1][1]


def test_map_draws_one_symbol_per_jurisdiction_with_no_errors(reader, served_site: str) -> None:
    page, errors, foreign = reader
    open_map(page, served_site)
    markers = page.locator(".leaflet-marker-icon.jm")
    expect(markers).to_have_count(len(DATA["jurisdictions"]))
    ids = sorted(markers.evaluate_all("els => els.map(e => e.dataset.id)"))
    assert ids == sorted(j["id"] for j in DATA["jurisdictions"])
    # No filter by default: the home page covers both rounds, so every row is shown.
    expect(page.locator("table.jurisdictions tbody tr:not([hidden])")).to_have_count(len(DATA["jurisdictions"]))
    expect(page.locator("table.jurisdictions tbody tr")).to_have_count(len(DATA["jurisdictions"]))
    assert errors == [] and foreign == []


def test_clicking_a_symbol_opens_a_popup_whose_link_opens_its_page(reader, served_site: str) -> None:
    page, errors, _ = reader
    open_map(page, served_site)
    page.locator(".jm[data-id='jackson-ms']").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Jackson, MS")
    popup.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/jurisdictions/jackson-ms/$"))
    expect(page.locator("h1")).to_have_text("City of Jackson")
    assert errors == []


def test_symbols_sharing_a_point_can_each_be_clicked(reader, served_site: str) -> None:
    page, _, _ = reader
    open_map(page, served_site)
    for jid, name in (("chicago-il", "Chicago, IL"), ("cook-county-il", "Cook County, IL")):
        page.locator(f".jm[data-id='{jid}']").click()
        expect(page.locator(".leaflet-popup")).to_have_count(1)  # the previous popup has closed
        expect(page.locator(".leaflet-popup-content")).to_contain_text(name)


def test_keyboard_enter_opens_popup_and_focuses_its_link(reader, served_site: str) -> None:
    page, _, _ = reader
    open_map(page, served_site)
    marker = page.locator(".jm[data-id='oregon']")
    expect(marker).to_have_attribute("aria-label", re.compile(r"^Oregon, "))
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_focused()
    expect(link).to_have_attribute("href", "/jurisdictions/oregon/")


def test_table_sorts_by_money_and_back(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site)
    header = page.locator("table.jurisdictions thead th", has_text="FY2016 JAG")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    first = page.locator("table.jurisdictions tbody tr").first
    expect(first.locator("th")).to_have_text(largest_fy2016_figure())


def test_table_works_without_javascript(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site)
    expect(page.locator("table.jurisdictions tbody tr")).to_have_count(len(DATA["jurisdictions"]))
    expect(page.locator("table.jurisdictions tbody tr").first.locator("a")).to_have_attribute(
        "href", f"/jurisdictions/{FIRST_BY_NAME}/"
    )
    context.close()


@pytest.mark.parametrize("path", ["jurisdictions/chicago-il/", "about/", "data/", "404.html"])
def test_other_pages_load_without_errors_or_outside_requests(reader, served_site: str, path: str) -> None:
    page, errors, foreign = reader
    page.goto(served_site + path)
    expect(page.locator("h1")).to_be_visible()
    assert errors == [] and foreign == []


def test_phone_width_has_no_sideways_scroll(reader, served_site: str) -> None:
    page, _, _ = reader
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("", "jurisdictions/chicago-il/", "about/"):
        page.goto(served_site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path or 'home'} is {width}px wide"


def test_on_a_phone_tables_become_one_card_per_row_and_filters_still_hide_rows(reader, served_site: str) -> None:
    page, _, _ = reader
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("second-round/", "cases/", "grants/", "targeted-twice/"):
        page.goto(served_site + path)
        widths = page.locator("table").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        assert widths and max(widths) <= 360, f"{path}: a table is {max(widths)}px wide"
    page.goto(served_site)
    page.locator("select[name=state]").select_option("CA")
    california = sum(1 for j in DATA["jurisdictions"] if j["state"] == "CA")
    expect(page.locator("table.jurisdictions tbody tr:visible")).to_have_count(california)


def test_a_site_opened_from_the_disk_says_how_to_look_at_it(browser, snapshot_site) -> None:
    """Issue 15: site/index.html opened directly shows a broken page, since links start with the published path."""
    page = browser.new_page()
    page.goto((snapshot_site / "index.html").as_uri())
    notice = page.locator(".no-style-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("make serve")
    page.close()


def test_the_notice_is_hidden_when_the_stylesheet_loads(reader, served_site: str) -> None:
    page, errors, _ = reader
    page.goto(served_site)
    expect(page.locator(".no-style-notice")).to_be_hidden()
    assert errors == []


def test_the_build_says_where_the_site_is_and_how_to_look_at_it(tmp_path) -> None:
    from tests.conftest import run_build

    result = run_build("--out", str(tmp_path / "out"), "--site-url", "https://example.org/tracker/")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("out/ for https://example.org/tracker/")
    assert (
        "Its links start with /tracker/, so opening" in lines[1]
        and "index.html directly shows a broken page" in lines[1]
    )
    assert (
        lines[2] == "To look at it: make serve (or .venv/bin/python build.py serve), then open http://127.0.0.1:8000/"
    )
