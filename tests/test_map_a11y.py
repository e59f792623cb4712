"""The map and pages a reader deserves: axe-clean, keyboard-usable, filterable, linkable, light."""

from __future__ import annotations

import json
import re
from pathlib import Path

import axe_playwright_python
import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.conftest import ROOT, SNAPSHOT, TILE, open_map

DATA = yaml.safe_load((SNAPSHOT / "data" / "jurisdictions.yaml").read_text(encoding="utf-8"))["jurisdictions"]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_TYPES = [
    "",
    "jurisdictions/chicago-il/",
    "jurisdictions/california/",
    "about/",
    "data/",
    "404.html",
    "embed/map/",
    "letters/",
    "cases/",
    "cases/oregon-v-trump-2018/",
    "grants/",
    "timeline/",
    "updates/",
    "search/",
    "states/",
    "states/ca/",
    "data/dictionary/",
    "second-round/",
    "targeted-twice/",
    "lists/doj-2025-08-05/",
    "measures/eo-14159/",
    "jurisdictions/boston-ma/",
    "cases/san-francisco-v-trump-2025/",
]
JANUARY_2018 = [j["id"] for j in DATA if any(x["batch"] == "2018-01" for x in j["letters"])]
LISTED = {
    e["jurisdiction"] for e in yaml.safe_load((SNAPSHOT / "data" / "lists.yaml").read_text())["lists"][-1]["entries"]
}


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.fixture
def audit(browser, served_site: str):
    """A page where the test may add axe: the site's own CSP would refuse it, so it is bypassed here only."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.route(
        "https://tile.openstreetmap.org/**", lambda r: r.fulfill(status=200, content_type="image/png", body=TILE)
    )
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_reports_no_violations(audit: Page, served_site: str, path: str) -> None:
    audit.goto(served_site + path)
    audit.wait_for_load_state("networkidle")
    assert axe_violations(audit) == []


@pytest.mark.parametrize("path", ["", "embed/map/"])
def test_axe_with_a_popup_open(audit: Page, served_site: str, path: str) -> None:
    page = audit
    open_map(page, served_site + path)
    page.locator(".jm[data-id='oregon']").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_be_focused()
    # Leaflet fades a popup in: audited halfway, its link's colours are blended with the map's (a contrast failure
    # that no reader sees for more than a fifth of a second).
    page.wait_for_function("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    assert axe_violations(page) == []


def test_every_symbol_is_reachable_with_tab(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site)
    page.locator("select[name=batch]").select_option("2018-01")  # fewer symbols than tabs below
    page.locator(".leaflet-container").focus()
    reached = set()
    for _ in range(len(JANUARY_2018) + 10):
        page.keyboard.press("Tab")
        ident = page.evaluate("document.activeElement.dataset.id || ''")
        if ident:
            reached.add(ident)
    assert reached == set(JANUARY_2018)  # every symbol the filter shows, and no hidden one


def test_escape_closes_the_popup_and_returns_focus(reader, served_site: str) -> None:
    page, _, _ = reader
    open_map(page, served_site)
    marker = page.locator(".jm[data-id='jackson-ms']")
    for _ in range(2):  # and again: the popup's element is reused, its Escape listener too
        marker.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".leaflet-popup-content a")).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.locator(".leaflet-popup")).to_have_count(0)
        expect(marker).to_be_focused()


def test_wheel_scrolls_the_page_until_the_reader_uses_the_map(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site)
    zoom = "() => { const m = document.querySelector('.leaflet-container'); return m && window[m.id].getZoom(); }"
    container = page.locator(".leaflet-container")
    container.scroll_into_view_if_needed()
    box = container.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.08, box["y"] + box["height"] * 0.5)  # open sea, off the symbols
    before = page.evaluate(zoom)
    top = page.evaluate("window.scrollY")
    page.mouse.wheel(0, -300)
    # The page scrolled: the map let the wheel through (a map that zooms on the wheel cancels its scrolling).
    page.wait_for_function("top => window.scrollY < top", arg=top, timeout=5000)
    assert page.evaluate(zoom) == before
    box = container.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.08, box["y"] + box["height"] * 0.5)
    page.mouse.wheel(0, -300)
    page.wait_for_function(f"before => ({zoom})() > before", arg=before, timeout=5000)


def test_filters_apply_to_map_and_table_together(reader, served_site: str) -> None:
    page, _, _ = reader
    open_map(page, served_site)
    california = [j for j in DATA if j["state"] == "CA"]
    page.locator("select[name=state]").select_option("CA")
    rows = page.locator("table.jurisdictions tbody tr:not([hidden])")
    expect(rows).to_have_count(len(california))
    expect(page.locator(".filter-count")).to_have_text(f"Showing {len(california)} of {len(DATA)} jurisdictions.")
    visible = page.locator(".jm").evaluate_all("els => els.filter(e => e.style.display !== 'none').length")
    assert visible == len(california)
    page.locator("select[name=kind]").select_option("county")
    expect(rows).to_have_count(sum(1 for j in california if j["kind"] == "county"))
    page.get_by_role("button", name="Show all").click()
    expect(rows).to_have_count(len(DATA))


def test_round_and_list_filters_show_who_was_targeted_twice(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site)
    rows = page.locator("table.jurisdictions tbody tr:not([hidden])")
    page.locator("select[name=list]").select_option("listed")
    expect(rows).to_have_count(len(LISTED))
    page.locator("select[name=batch]").select_option("2018-01")
    twice = sorted(set(JANUARY_2018) & LISTED)
    expect(rows).to_have_count(len(twice))
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.id)")) == twice
    page.locator("select[name=batch]").select_option("")
    page.locator("select[name=list]").select_option("")
    page.locator("select[name=round]").select_option("2017")
    first_only = [j["id"] for j in DATA if not j["letters"]]
    assert all(page.locator(f"#row-{jid}").is_hidden() for jid in first_only)


def test_show_on_the_main_map_lands_on_the_row_without_javascript(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "jurisdictions/boston-ma/")
    page.get_by_role("link", name="Show on the main map").click()
    assert page.url.endswith("#row-boston-ma")
    row = page.locator("#row-boston-ma")
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("Boston, MA")
    context.close()


def test_show_on_the_main_map_opens_the_popup_even_when_a_filter_hid_it(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site + "jurisdictions/boston-ma/")
    page.get_by_role("link", name="Show on the main map").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Boston, MA")
    page.locator("select[name=state]").select_option("CA")
    expect(page.locator(".leaflet-popup")).to_have_count(0)  # the filter closed Boston's popup
    page.evaluate("location.hash = '#row-paterson-nj'")
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Paterson, NJ")
    expect(page.locator("#row-paterson-nj")).to_be_visible()


def test_without_javascript_there_is_no_dead_filter_form(browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site)
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("table.jurisdictions tbody tr")).to_have_count(len(DATA))
    context.close()


def test_hash_link_centres_the_map_and_opens_the_popup(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site + "#sonoma-county-ca")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Sonoma County, CA")
    zoom = page.evaluate("() => window[document.querySelector('.leaflet-container').id].getZoom()")
    assert zoom >= 7


def test_jurisdiction_page_has_a_locator_map_linking_to_the_main_map(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site + "jurisdictions/king-county-wa/")
    locator = page.get_by_role("img", name="Location of King County, WA within WA")
    expect(locator).to_be_visible()
    page.get_by_role("link", name="Show on the main map").click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("King County, WA")


def test_embed_page_is_the_map_alone_and_opens_pages_in_the_top_window(reader, served_site: str) -> None:
    page, _, _ = reader
    open_map(page, served_site + "embed/map/")
    expect(page.locator(".jm")).to_have_count(len(DATA))
    expect(page.locator("table")).to_have_count(0)
    page.locator(".jm[data-id='oregon']").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute("target", "_top")


def test_home_page_shows_the_embed_code(reader, served_site: str) -> None:
    page, _, _ = reader
    page.goto(served_site)
    page.get_by_text("Embed this map on your site").click()
    expect(page.locator(".embed-code code")).to_contain_text(
        re.compile(r'<iframe src="http://127\.0\.0\.1/embed/map/"')
    )


def test_state_outlines_draw_even_without_tiles(reader, served_site: str) -> None:
    page, _, _ = reader
    page.route("https://tile.openstreetmap.org/**", lambda r: r.abort())
    page.goto(served_site)
    # 52 state outlines in the base layer, plus the outline of every state and county we track.
    tracked = len(json.loads((ROOT / "data/boundaries/jurisdictions.geojson").read_text())["features"])
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(52 + tracked)


def test_home_page_weight_is_within_budget(reader, served_site: str) -> None:
    """At most 250 KB transferred, tiles excluded, as a gzip-serving host (GitHub Pages) sends it."""
    page, _, _ = reader
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, gzip_size(r)))
    page.goto(served_site)
    page.wait_for_load_state("networkidle")
    ours = {url: size for url, size in sizes.items() if "tile.openstreetmap.org" not in url}
    total = sum(ours.values())
    print(f"home page: {total / 1024:.0f} KB gzipped over {len(ours)} requests")
    assert total <= 250 * 1024, ours


def gzip_size(request) -> int:
    import gzip

    response = request.response()
    return len(gzip.compress(response.body(), 6)) if response else 0


@pytest.mark.parametrize("width", [390, 1280])
def test_every_symbol_of_the_first_view_is_whole_inside_the_map(browser, served_site: str, width: int) -> None:
    """Issue 15: at 390 px the first view cut a symbol off at the left edge (the spread pushed it out)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route(
        "https://tile.openstreetmap.org/**", lambda r: r.fulfill(status=200, content_type="image/png", body=TILE)
    )
    open_map(page, served_site)
    expect(page.locator(".map-frame[data-ready=true]")).to_have_count(1)
    frame = page.locator(".leaflet-container").bounding_box()
    buttons = page.locator(".leaflet-control-zoom").bounding_box()
    boxes = page.locator(".jm").evaluate_all(
        "els => els.map(e => e.querySelector('svg').getBoundingClientRect().toJSON())"
    )
    assert len(boxes) == len(DATA)
    for box in boxes:
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], box
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"], box
        under_buttons = box["x"] < buttons["x"] + buttons["width"] and box["y"] < buttons["y"] + buttons["height"]
        assert not under_buttons, box
    context.close()
