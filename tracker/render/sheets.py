"""Every page the site has, planned before any template runs: its template, address, title and values."""

from __future__ import annotations

from pathlib import Path

from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines
from tracker.model.records import Case, Jurisdiction, round_of
from tracker.model.site import Site, TimelineItem
from tracker.render.chart import fy2016_chart
from tracker.render.dictionary import FILES, fields
from tracker.render.maps import STATUS_STYLE, MapParts, drawn_map
from tracker.render.second_round import second_round_sheets
from tracker.render.sheet import Sheet
from tracker.render.tables import TABLE_ABOUT
from tracker.render.urls import Urls

HOME_TABLE_LIMIT = 300  # above this many jurisdictions the home page links to state tables instead
RESULT_WORDS = {"won": "Won", "lost": "Lost", "partly": "Partly won", "pending": "Pending"}
KIND_WORDS = {"state": "State", "county": "County", "city": "City", "city-county": "City-county"}


def filter_options(site: Site) -> dict[str, list[str]]:
    """The values each filter offers: only those that occur in the data, in a stable order."""
    present = {key: {getattr(j, key) for j in site.jurisdictions} for key in ("status_key", "kind", "state")}
    return {
        "status": [s for s in STATUS_STYLE if s in present["status_key"]],
        "kind": [k for k in KIND_WORDS if k in present["kind"]],
        "state": sorted(present["state"]),
        "batch": sorted({b for j in site.jurisdictions for b in j.batches}),
    }


def item_jurisdictions(item: TimelineItem) -> list[str]:
    """Ids a timeline entry concerns, for the timeline's jurisdiction filter."""
    if item.jurisdiction:
        return [item.jurisdiction.id]
    return list(item.case.jurisdiction_ids) if item.case else []


def map_sheets(site: Site, map_parts: MapParts) -> list[Sheet]:
    about = (
        f"The {len(site.targeted_january_2018)} jurisdictions the US Justice Department pressed on 24 January 2018 "
        "over 8 U.S.C. 1373 and Byrne JAG grants: letters, money at stake, lawsuits and outcomes, with sources."
    )
    options = filter_options(site)
    return [
        Sheet("index.html", Urls.home, None, about, "the home page", {"map": map_parts, "filter_options": options}),
        Sheet("embed.html", Urls.embed_map, "Map", about, "the embeddable map", {"map": map_parts}),
    ]


def section_sheets(site: Site) -> list[Sheet]:
    """The pages about the whole story: letters, lawsuits, money, timeline, updates; then the reference pages."""
    return [
        Sheet(
            "letters.html",
            Urls.letters,
            "The letters, wave by wave",
            "Every wave of Justice Department letters and who received them.",
            "the letters page",
        ),
        Sheet("cases.html", Urls.cases, "The lawsuits", "Lawsuits over the Byrne JAG conditions.", "the cases page"),
        Sheet(
            "grants.html",
            Urls.grants,
            "The grant money",
            "Every Byrne JAG figure with its source and confidence.",
            "the grants ledger",
            {"ledger": site.ledger, "chart": fy2016_chart(site.ledger.fy2016_rows)},
        ),
        timeline_sheet(site),
        Sheet(
            "updates.html",
            Urls.updates,
            "Updates and corrections",
            "Dated changes and corrections.",
            "the updates page",
        ),
    ] + reference_sheets(site)


def timeline_sheet(site: Site) -> Sheet:
    """A national site's timeline lists the waves, rulings, measures and lists; each record's events are on its
    page and in the downloads (and sorting them all took a tenth of a rebuild at 10,000 records)."""
    entries = site.timeline if len(site.jurisdictions) <= HOME_TABLE_LIMIT else site.story_timeline
    start = next((i for i in entries if round_of(i.date) == "2025"), None)  # where the jump link lands
    extra = {"entries": entries, "kinds": sorted({i.kind for i in entries}), "round_two": start}
    extra["item_jurisdictions"] = item_jurisdictions
    return Sheet(
        "timeline.html", Urls.timeline, "Timeline", "Every dated event, with its source.", "the timeline", extra
    )


def search_kinds(site: Site) -> list[str]:
    """The kinds of page the search can be narrowed to: only those the site has."""
    kinds = [KIND_WORDS[k] for k in KIND_WORDS if any(j.kind == k for j in site.jurisdictions)] + ["Article"]
    present = (("Lawsuit", site.cases), ("National measure", site.measures), ("Published list", site.lists))
    return kinds + [word for word, records in present if records]


def reference_sheets(site: Site) -> list[Sheet]:
    """Search, downloads, the data dictionary and the 404 page."""
    # wasm: Pagefind compiles WebAssembly in its worker, or on the page itself where a worker can't start
    search = {"states": sorted({j.state for j in site.jurisdictions}), "kinds": search_kinds(site), "wasm": True}
    return [
        Sheet("search.html", Urls.search, "Search", "Search the tracker.", "the search page", search),
        Sheet(
            "data.html",
            Urls.data_index,
            "Download the data",
            "The tracker's data as JSON, CSV and GeoJSON.",
            "the downloads page",
            {"tables": list(TABLE_ABOUT.items())},
        ),
        Sheet(
            "dictionary.html",
            Urls.dictionary,
            "Data dictionary",
            "Every field of the tracker's data files.",
            "the data dictionary",
            {"files": list(FILES), "fields": fields()},
        ),
        Sheet("404.html", Urls.not_found, "Page not found", "This page does not exist.", "the 404 page"),
    ]


def jurisdiction_sheet(site: Site, j: Jurisdiction) -> Sheet:
    return Sheet(
        "jurisdiction.html",
        Urls.jurisdiction(j),
        j.official_name,
        j.summary,
        f"jurisdiction {j.id}",
        {"j": j, "cases": site.cases_for(j), "updated": site.last_updated_for(j), "listings": site.listings(j)},
        cached=True,
    )


def case_sheet(site: Site, c: Case) -> Sheet:
    extra = {"c": c, "jurisdictions": site.jurisdictions_of(c), "measures": site.measures_of(c)}
    return Sheet("case.html", Urls.case(c), c.name, c.summary, f"case {c.id}", extra, cached=True)


def state_sheet(code: str, rows: tuple[Jurisdiction, ...]) -> Sheet:
    title = f"Jurisdictions in {code}"
    about = f"{title} written to by the Justice Department."
    return Sheet(
        "state.html", Urls.state(code), title, about, f"the {code} page", {"code": code, "rows": rows}, cached=True
    )


def record_sheets(site: Site) -> list[Sheet]:
    states = Sheet("states.html", Urls.states, "Jurisdictions by state", "Jurisdictions by state.", "the states page")
    sheets = [jurisdiction_sheet(site, j) for j in site.jurisdictions]
    sheets += [case_sheet(site, c) for c in site.cases]
    sheets += [state_sheet(code, rows) for code, rows in site.by_state] + [states]
    sheets += [
        Sheet("page.html", Urls.page(p), p.title, p.summary, p.source_path, {"page": p}, cached=True)
        for p in site.pages
    ]
    return sheets


def plan_sheets(
    site: Site, config: SiteConfig, urls: Urls, outlines: Outlines, kept_map: tuple[Path, str] | None = None
) -> list[Sheet]:
    """Every HTML page to make, in a fixed order (kept_map: see maps.drawn_map)."""
    drawn = drawn_map(site.jurisdictions, urls, config.tiles, outlines, kept_map)
    return map_sheets(site, drawn) + section_sheets(site) + second_round_sheets(site) + record_sheets(site)
